using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingest.Core.Sheets;

namespace Ingest.Data.Scoresheets;

/// <summary>
/// An auto line as stored: its outcome, the digest of everything it holds, and its JSON columns, serialised only when the
/// line is written.
/// </summary>
internal sealed class AutoLine(long sheetId, string target, AutoOutcome outcome)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long SheetId => sheetId;

    public string Target => target;

    public AutoOutcome Outcome => outcome;

    public decimal? Score => outcome.Score;

    public string? Reason => outcome.Reason;

    public string? Summary => outcome.Summary;

    public bool OnSite => outcome.OnSite;

    public string Settings => JsonSerializer.Serialize(outcome.Settings, Json);

    public string Evidence => JsonSerializer.Serialize(outcome.Evidence, Json);

    /// <summary>16 bytes of SHA-256 over every field of the line and of each fact of its evidence, apart by unit separators.</summary>
    public byte[] Fingerprint { get; } = Digest(target, outcome);

    /// <summary>The lines of one sheet, in target order.</summary>
    public static AutoLine[] Of(long sheetId, IReadOnlyDictionary<string, AutoOutcome> auto) =>
        auto.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AutoLine(sheetId, a.Key, a.Value)).ToArray();

    /// <summary>The digest of a sheet's auto lines: their digests in target order.</summary>
    public static byte[] SheetDigest(IEnumerable<AutoLine> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(line.Fingerprint);
        }

        return hash.GetHashAndReset()[..16];
    }

    private static byte[] Digest(string target, AutoOutcome outcome)
    {
        var text = new StringBuilder(256);
        text.Add(target).Add(outcome.Score).Add(outcome.Reason).Add(outcome.Summary).Add(outcome.OnSite ? "1" : "0");
        foreach (var setting in outcome.Settings)
        {
            text.Add(setting);
        }

        text.Append('\u001e');
        foreach (var f in outcome.Evidence)
        {
            text.Add(f.OrgCode).Add(f.Indicator).Add(f.Period).Add(f.Source).Add(f.Value).Add(f.Numerator).Add(f.Denominator).Add(f.Detail)
                .Add(f.RunId.ToString(CultureInfo.InvariantCulture)).Add(f.FetchedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
            text.Append('\u001e');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }
}

internal static class DigestText
{
    public static StringBuilder Add(this StringBuilder text, string? value) => text.Append(value ?? "\u0000").Append('\u001f');

    public static StringBuilder Add(this StringBuilder text, decimal? value) => text.Add(value?.ToString(CultureInfo.InvariantCulture));
}
