using Ingest.Core.Sheets;
using Ingest.Scoring.Sheets;

namespace Ingest.Scoring.Bulletins;

/// <summary>
/// A piece of a paragraph: text, or a hole the author fills, named by <see cref="Hole"/>: while it waits it reads
/// 【待填：<see cref="Prompt"/>】, once filled its <see cref="Text"/> is what the author wrote.
/// </summary>
public sealed record BulletinPart(string Text, string? Hole = null, string? Prompt = null)
{
    /// <summary>A hole still waiting for the author.</summary>
    public bool IsHole => Hole is not null && string.IsNullOrWhiteSpace(Text);

    public static BulletinPart Blank(string key, string prompt) => new(string.Empty, key, prompt);
}

/// <summary>How a paragraph is set: the title, a section's heading (一、…), a sub-heading ((一)…), or body text.</summary>
public enum BulletinStyle
{
    Title,
    Heading,
    SubHeading,
    Body,
}

/// <summary>A paragraph of the bulletin, its parts in order.</summary>
public sealed record BulletinParagraph(BulletinStyle Style, IReadOnlyList<BulletinPart> Parts)
{
    public BulletinParagraph(BulletinStyle style, string text)
        : this(style, [new BulletinPart(text)])
    {
    }

    /// <summary>The paragraph as text, each unfilled hole written 【待填：…】.</summary>
    public string Text => string.Concat(Parts.Select(p => p.IsHole ? $"【待填：{p.Prompt}】" : p.Text));
}

/// <summary>A figure the bulletin states, and where it comes from: for the annex, never in the text.</summary>
public sealed record BulletinFigure(string SchoolName, string Indicator, string IndicatorName, string Period, string Value, long RunId, DateTimeOffset FetchedAt);

/// <summary>A hole of the draft: its key, what it asks for, and what the author wrote (null while it waits).</summary>
public sealed record BulletinHole(string Key, string Prompt, string? Value);

/// <summary>
/// A county's bulletin (通报) as seed 002 is written: the title, the preamble, 一 levels, 二 成效, 三 问题, 四 整改要求, and the
/// annex of the figures it states. Holes the author filled are text; those still waiting are holes.
/// </summary>
public sealed record BulletinDraft(IReadOnlyList<BulletinParagraph> Paragraphs, IReadOnlyList<BulletinFigure> Annex, IReadOnlyList<BulletinHole> Holes)
{
    /// <summary>The holes still waiting: the final bulletin is refused while there is one.</summary>
    public IReadOnlyList<BulletinHole> Waiting => Holes.Where(h => string.IsNullOrWhiteSpace(h.Value)).ToArray();

    /// <summary>The paragraphs of a section, from its heading to the next (一、评星定级情况 …).</summary>
    public IReadOnlyList<BulletinParagraph> Section(string heading)
    {
        var start = Paragraphs.ToList().FindIndex(p => p.Style == BulletinStyle.Heading && p.Text.StartsWith(heading, StringComparison.Ordinal));
        return start < 0 ? [] : Paragraphs.Skip(start + 1).TakeWhile(p => p.Style != BulletinStyle.Heading).ToArray();
    }
}

/// <summary>A school as the bulletin reads it: its level and total in the bureau's column, its gap plan, the figures the data has for it, its 整改 items.</summary>
public sealed record BulletinSchool(string Code, string Name, decimal Total, StarResult? Stars, Remediation.GapPlan? Plan, IReadOnlyList<FactEvidence> Facts,
    IReadOnlyList<(string Problem, DateOnly Deadline)> Remedies);
