using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingest.Core.Indicators;
using Ingest.Core.Organisations;
using Ingest.Core.Text;
using Ingest.Data.Facts;
using Ingest.Data.Organisations;
using Ingest.Data.Raw;

namespace Ingest.Application.Evidence;

/// <summary>One value a fact has had, and the archived upstream answers of the run that read it.</summary>
public sealed record FactVersionEvidence(StoredFact Fact, IReadOnlyList<RawPageRef> Pages);

/// <summary>
/// The trail behind a figure: every value the fact has had (oldest first), and for each the upstream answers its run
/// read for the organisation's county and the period, those naming the organisation marked.
/// </summary>
public sealed record FactTrail(string OrgCode, string OrgName, string? CountyCode, string Indicator, string IndicatorName, string Unit, string Period,
    string Source, IReadOnlyList<string> Streams, IReadOnlyList<FactVersionEvidence> Versions);

/// <summary>An archived answer as a person reads it: decoded (UTF-8 or GB18030), JSON indented, the lines naming an organisation marked.</summary>
public sealed record RawPageText(RawPageRef Page, IReadOnlyList<(string Text, bool Marked)> Lines);

/// <summary>From a figure down to the upstream's own answer: the fact's history and the raw archive's pages behind each value.</summary>
public sealed class EvidenceService(FactReader facts, RawArchive archive, OrganisationStore organisations, Ingest.Application.People.AccessRules rules)
{
    /// <summary>The trail of one fact, or null when neither the fact nor its history exist.</summary>
    public async Task<FactTrail?> TrailAsync(string org, string indicator, string period, string source, CancellationToken ct)
    {
        var versions = await facts.HistoryAsync(org, indicator, period, source, ct);
        if (versions.Count == 0)
        {
            return null;
        }

        var organisation = await organisations.FindAsync(org, ct);
        // The raw pages of a school are those of its county; a county's are its own; the region's figures are rolled up, not read.
        var county = organisation?.Level switch
        {
            OrgLevel.School => organisation.ParentCode,
            OrgLevel.County => organisation.Code,
            _ => null,
        };
        var streams = IndicatorCatalogue.StreamsOf(indicator);
        var trail = new List<FactVersionEvidence>();
        foreach (var version in versions)
        {
            var pages = county is null || streams.Count == 0 ? [] : await archive.FindAsync(version.RunId, source, streams, county, period, org, ct);
            trail.Add(new FactVersionEvidence(version, pages));
        }

        var definition = IndicatorCatalogue.Find(indicator);
        return new FactTrail(org, organisation?.Name ?? org, county, indicator, definition?.NameZh ?? indicator, definition?.Unit ?? string.Empty, period, source,
            streams, trail);
    }

    /// <summary>
    /// The answer a caller gets for a page it may not read and for a page that does not exist: the same words, so that
    /// nobody learns which pages exist beyond the scope.
    /// </summary>
    public static string NotFound(long id) => $"原始数据存档中没有编号 {id} 的页，或该页不在本账号的范围内";

    /// <summary>
    /// An archived page as text, the lines naming <paramref name="mark"/> marked; null when there is no such page or it
    /// lies outside the caller's scope (checked before anything is read or decoded).
    /// </summary>
    public async Task<RawPageText?> PageAsync(long id, string? mark, Ingest.Application.People.Caller caller, CancellationToken ct)
    {
        if (!await MayReadAsync(id, caller, ct) || await archive.GetAsync(id, ct) is not var (page, body))
        {
            return null;
        }

        var text = ChineseText.Decode(body);
        if (page.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || text.TrimStart().StartsWith('{'))
        {
            try
            {
                text = JsonNode.Parse(text)!.ToJsonString(Indented);
            }
            catch (JsonException)
            {
                // Shown as it came: an answer that is not JSON is evidence too.
            }
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => (l, !string.IsNullOrEmpty(mark) && l.Contains(mark, StringComparison.Ordinal))).ToArray();
        return new RawPageText(page, lines);
    }

    /// <summary>The archived bytes of a page, unchanged; null when there is no such page or it lies outside the caller's scope.</summary>
    public async Task<(RawPageRef Page, byte[] Body)?> BytesAsync(long id, Ingest.Application.People.Caller caller, CancellationToken ct) =>
        await MayReadAsync(id, caller, ct) ? await archive.GetAsync(id, ct) : null;

    /// <summary>
    /// A page exists and lies in the caller's scope: ops and region-wide callers read any; a county's auditor reads the
    /// pages read for its county (a region-wide page, such as the directory, is not its county's).
    /// </summary>
    private async Task<bool> MayReadAsync(long id, Ingest.Application.People.Caller caller, CancellationToken ct)
    {
        var (found, county) = await archive.CountyOfAsync(id, ct);
        return found && (caller.Role == Ingest.Application.People.Roles.Ops || caller.Scope == Organisation.RegionCode
            || (county is not null && await rules.InScopeAsync(caller, county, ct)));
    }

    // Indented, and Chinese kept as written: the page encodes it for HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
