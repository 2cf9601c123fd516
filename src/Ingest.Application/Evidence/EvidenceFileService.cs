using System.Security.Cryptography;
using Ingest.Application.People;
using Ingest.Application.Rating;
using Ingest.Application.UseCases;
using Ingest.Core.Evidence;
using Ingest.Core.Periods;
using Ingest.Core.Text;
using Ingest.Data.Files;
using Ingest.Data.Organisations;
using Ingest.Documents.Uploads;
using Ingest.Scoring.Rubrics;
using Microsoft.Extensions.Options;

namespace Ingest.Application.Evidence;

/// <summary>A 佐证材料 file and its content, for a caller that may read it.</summary>
public sealed record EvidenceContent(EvidenceFile File, Stream Content);

/// <summary>
/// One line's 佐证材料 as its page shows them: the school, the line (printed number, key, text), its files (removed ones
/// included, oldest first), whether the caller uploads (the school or its bureau), and why nothing may change (备案), or null.
/// </summary>
public sealed record EvidenceLineView(string OrgName, string Number, string Target, string Text, IReadOnlyList<EvidenceFile> Files, bool Uploads, string? Locked);

/// <summary>
/// 佐证材料: files a school or its bureau uploads behind a line of the school's sheet (an item, or a part as 16.2), read by
/// everyone who reads the sheet. The type is judged from the bytes (<see cref="EvidenceType"/>); a file is bounded in
/// bytes and a school's files of a cycle together; the content is stored by SHA-256 (<see cref="IContentStore"/>).
/// Uploads, replacements and removals are audited; once the sheet is 备案 its files are kept with it: none is added,
/// replaced or removed until the department reopens it.
/// </summary>
public sealed class EvidenceFileService(EvidenceFileStore store, IContentStore content, ScoresheetService sheets, OrganisationStore organisations,
    AccessRules access, TimeProvider clock, IOptionsMonitor<EvidenceFileOptions> options)
{
    private const string Title = "佐证材料未上传";

    /// <summary>The files of a sheet, removed ones included (oldest first), for a caller that reads the sheet.</summary>
    public async Task<Outcome<IReadOnlyList<EvidenceFile>>> ListAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (await ReadRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        return Outcome.Done(await store.ListAsync(cycle.ToString(), orgCode, ct));
    }

    /// <summary>The files of one line of a sheet, and what the caller may do with them.</summary>
    public async Task<Outcome<EvidenceLineView>> LineAsync(Caller caller, string orgCode, EvaluationCycle cycle, string target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (await ReadRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        if (Line(cycle, target) is not { } line)
        {
            return Refusal.NotFound("佐证材料无法查看", $"{cycle.Year} 年度的评分表中没有指标“{target}”");
        }

        var org = (await organisations.FindAsync(orgCode, ct))!;
        var files = (await store.ListAsync(cycle.ToString(), orgCode, ct)).Where(f => f.Target == line.Target).ToArray();
        var uploads = caller.IsCommandLine || caller.Role is Roles.School or Roles.Bureau;
        return new EvidenceLineView(org.Name, line.Number, line.Target, line.Text, files, uploads, await LockedAsync(orgCode, cycle, ct));
    }

    /// <summary>One file of a sheet with its content, for a caller that reads the sheet.</summary>
    public async Task<Outcome<EvidenceContent>> OpenAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        if (await ReadRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        var file = await store.FindAsync(id, ct);
        if (file is null || file.OrgCode != orgCode || file.Cycle != cycle.ToString())
        {
            return Refusal.NotFound("佐证材料不存在", $"{orgCode} 的 {cycle.Year} 年度评分表没有编号为 {id} 的佐证材料");
        }

        var stream = await content.OpenAsync(file.Sha256, ct);
        return stream is null ? Refusal.NotFound("佐证材料无法打开", $"{file.FileName} 的内容不在文件存储中：请联系运维核对存储目录") : new EvidenceContent(file, stream);
    }

    /// <summary>
    /// Uploads a file behind a line (<paramref name="target"/>: its printed number, 30 or 16.2), replacing
    /// <paramref name="replaces"/> (a live file of the same line) when given. The school and its bureau upload.
    /// </summary>
    public async Task<Outcome<EvidenceFile>> UploadAsync(Caller caller, string orgCode, EvaluationCycle cycle, string target, string? fileName, byte[] bytes,
        long? replaces, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(bytes);
        var name = FileNames.OfUpload(fileName ?? string.Empty, "佐证材料");
        if (await WriteRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        if (Line(cycle, target) is not { } line)
        {
            return Refusal.Invalid(Title, "target", $"评分表中没有指标“{target}”：请按认定标准的编号填写，如 30 或 16.2");
        }

        if (bytes.Length == 0 && string.IsNullOrWhiteSpace(fileName))
        {
            return Refusal.Invalid(Title, "file", "请选择要上传的文件（PDF、JPEG 或 PNG 图片、Word .docx、Excel .xlsx）");
        }

        var limits = options.CurrentValue;
        if (bytes.Length > limits.MaxFileBytes)
        {
            return Refusal.Invalid(Title, "file", $"{name}：有 {Megabytes(bytes.Length)}，超过每个文件 {Megabytes(limits.MaxFileBytes)} 的上限");
        }

        EvidenceKind kind;
        try
        {
            kind = EvidenceType.Judge(bytes);
        }
        catch (UploadRefusedException e)
        {
            return Refusal.Invalid(Title, "file", $"{name}：{e.Problem}");
        }

        EvidenceFile? old = null;
        if (replaces is { } id)
        {
            old = await store.FindAsync(id, ct);
            if (old is null || old.OrgCode != orgCode || old.Cycle != cycle.ToString() || old.Target != line.Target)
            {
                return Refusal.Invalid(Title, "replaces", $"指标 {line.Number} 没有编号为 {id} 的佐证材料");
            }

            if (!old.Live)
            {
                return Refusal.Conflict(Title, $"{old.FileName} 已于 {Beijing(old.RemovedAt!.Value)} 被{old.RemovedBy}{old.RemovedWhy}：请刷新后再替换");
            }
        }

        // The name says what the bytes are: a photo sent as "照片.pdf" keeps its name with the extension of what it is.
        var extension = EvidenceFile.Extension(kind);
        var stem = Path.GetExtension(name) is { Length: > 0 } given && !IsExtensionOf(given, kind) ? name : Path.GetFileNameWithoutExtension(name);
        var stored = (stem.Length > 0 ? stem : "佐证材料") + extension;

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await content.PutAsync(sha, bytes, ct);
        try
        {
            var (added, inUse) = await store.AddAsync(cycle.ToString(), orgCode, line.Target, sha, stored, kind, bytes.Length, old, limits.MaxSchoolBytes, caller.Actor, ct);
            return added is not null ? added
                : Refusal.Invalid(Title, "file",
                    $"{name}：本校 {cycle.Year} 年度的佐证材料已有 {Megabytes(inUse)}，加上此文件将超过每校 {Megabytes(limits.MaxSchoolBytes)} 的上限：请压缩图片或删去不用的文件");
        }
        catch (InvalidOperationException e)
        {
            return Refusal.Conflict(Title, e.Message + "：请刷新后再替换");
        }
    }

    /// <summary>Removes a live file, with why (required), by the school or its bureau.</summary>
    public async Task<Outcome<EvidenceFile>> RemoveAsync(Caller caller, string orgCode, EvaluationCycle cycle, long id, string? why, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(cycle);
        const string title = "佐证材料未删除";
        if (await WriteRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        var file = await store.FindAsync(id, ct);
        if (file is null || file.OrgCode != orgCode || file.Cycle != cycle.ToString())
        {
            return Refusal.NotFound(title, $"{orgCode} 的 {cycle.Year} 年度评分表没有编号为 {id} 的佐证材料");
        }

        if (string.IsNullOrWhiteSpace(why))
        {
            return Refusal.Invalid(title, "why", "请填写删除的理由");
        }

        if (!file.Live || !await store.RemoveAsync(file, why.Trim(), caller.Actor, ct))
        {
            return Refusal.Conflict(title, $"{file.FileName} 已被删除或替换");
        }

        return (await store.FindAsync(id, ct))!;
    }

    /// <summary>The line a target names, by its printed number (16.2) or its key (16/uploads).</summary>
    public static (string Number, string Target, string Text)? Line(EvaluationCycle cycle, string? target)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var wanted = target?.Trim();
        foreach (var (number, key, text, _) in PrintedItems.Of(RubricLibrary.Default(cycle.Rubric)))
        {
            if (number == wanted || key == wanted)
            {
                return (number, key, text);
            }
        }

        return null;
    }

    private async Task<Refusal?> ReadRefusalAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        if (RatingCycles.Refusal(cycle, clock.GetUtcNow()) is { } unknown)
        {
            return unknown;
        }

        if (await organisations.FindAsync(orgCode, ct) is null)
        {
            return Refusal.NotFound("佐证材料无法查看", $"机构目录中没有 {orgCode}");
        }

        var permit = await access.SheetAsync(caller, orgCode, ct);
        return permit.Read ? null : Refusal.Forbidden(permit.Refusal!);
    }

    /// <summary>Why the caller may not add to or remove from the sheet's files: outside the school's scope, not the school or its bureau, or the sheet 备案.</summary>
    private async Task<Refusal?> WriteRefusalAsync(Caller caller, string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        if (await ReadRefusalAsync(caller, orgCode, cycle, ct) is { } refused)
        {
            return refused;
        }

        if (!caller.IsCommandLine && caller.Role is not (Roles.School or Roles.Bureau))
        {
            return Refusal.Forbidden($"{caller.Describe()}可以查看佐证材料；上传和删除由学校或其教育局办理");
        }

        return await LockedAsync(orgCode, cycle, ct) is { } locked ? Refusal.Conflict("已备案", locked) : null;
    }

    /// <summary>Why the sheet's files may not change (its 备案), or null; files may come before the sheet is pre-filled.</summary>
    private async Task<string?> LockedAsync(string orgCode, EvaluationCycle cycle, CancellationToken ct)
    {
        try
        {
            var sheet = await sheets.GetAsync(orgCode, cycle, opener: null, ct);
            return sheet.IsFinalised ? $"{orgCode} 的 {cycle.Year} 年度评分表已备案：佐证材料随表保存，不能再上传、替换或删除；需要改动请教育厅退回后办理" : null;
        }
        catch (ScoresheetNotFoundException)
        {
            return null;
        }
    }

    private static bool IsExtensionOf(string extension, EvidenceKind kind) =>
        extension.Equals(EvidenceFile.Extension(kind), StringComparison.OrdinalIgnoreCase)
        || (kind == EvidenceKind.Jpeg && extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase));

    private static string Megabytes(long bytes) => EvidenceFile.SizeText(bytes);

    private static string Beijing(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
