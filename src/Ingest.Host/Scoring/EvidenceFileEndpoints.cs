using Ingest.Application.Evidence;
using Ingest.Application.People;
using Ingest.Application.UseCases;
using Ingest.Core.Evidence;
using Ingest.Host.People;
using Ingest.Host.Web;
using Microsoft.Net.Http.Headers;
using static Ingest.Host.Scoring.ScoringApi;

namespace Ingest.Host.Scoring;

/// <summary>佐证材料 over HTTP: the files behind a sheet's lines, listed, uploaded, replaced, removed and opened.</summary>
public static class EvidenceFileEndpoints
{
    public static IEndpointRouteBuilder MapEvidenceFiles(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/api/scoresheets/{cycle}/{org}/files").WithTags("Scoresheets");
        files.MapGet("/", ListAsync).ForSheet("org")
            .WithSummary("The 佐证材料 of a sheet: each file's line (printed number), name, kind, size, SHA-256, who uploaded it and when; removed and replaced ones with who, when and why.");
        files.MapPost("/", UploadAsync)
            .Allow(OrgFrom.Route, "org", Roles.School, Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("Uploads a file (the body) behind a line: ?target=30 (or 16.2)&fileName=…[&replaces=id]. PDF, JPEG, PNG, .docx or .xlsx, judged from the bytes; Evidence:MaxFileBytes per file, Evidence:MaxSchoolBytes per school and cycle. Refused once the sheet is 备案.");
        files.MapGet("/{id:long}", OpenAsync).ForSheet("org")
            .WithSummary("A file's content: images and PDFs to be shown in the browser, Word and Excel files to be saved.");
        files.MapPost("/{id:long}/remove", RemoveAsync)
            .Allow(OrgFrom.Route, "org", Roles.School, Roles.Bureau)
            .ProducesValidationProblem()
            .WithSummary("Removes a file from its line, {\"why\": …} required; the file stays in the trail. Refused once the sheet is 备案.");
        return app;
    }

    private static Task<IResult> ListAsync(string cycle, string org, HttpContext http, EvidenceFileService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.ListAsync(HttpCaller.Of(http), org, c, ct)).Answer(files => Results.Ok(files.Select(f => View(cycle, f)))));

    private static async Task<IResult> UploadAsync(string cycle, string org, string? target, string? fileName, long? replaces, HttpContext http,
        EvidenceFileService service, IConfiguration configuration, CancellationToken ct)
    {
        var limit = configuration.GetValue(EvidenceFileOptions.Section + ":MaxFileBytes", new EvidenceFileOptions().MaxFileBytes);
        var bytes = await ReadBoundedAsync(http.Request.Body, limit, ct);
        if (bytes is null)
        {
            return OutcomeResults.Problem(Refusal.Invalid("佐证材料未上传", "file", $"{fileName}：超过每个文件 {EvidenceFile.SizeText(limit)} 的上限"));
        }

        return await Handle(cycle, async c => (await service.UploadAsync(HttpCaller.Of(http), org, c, target ?? string.Empty, fileName, bytes, replaces, ct))
            .Answer(f => Results.Created($"/api/scoresheets/{cycle}/{org}/files/{f.Id}", View(cycle, f))));
    }

    private static Task<IResult> OpenAsync(string cycle, string org, long id, HttpContext http, EvidenceFileService service, CancellationToken ct) =>
        Handle(cycle, async c =>
        {
            var opened = await service.OpenAsync(HttpCaller.Of(http), org, c, id, ct);
            if (opened.Refusal is { } refusal)
            {
                return OutcomeResults.Problem(refusal);
            }

            Disposition(http, opened.Value.File);
            return Results.Stream(opened.Value.Content, opened.Value.File.MediaType, entityTag: new EntityTagHeaderValue($"\"{opened.Value.File.Sha256}\""));
        });

    private static Task<IResult> RemoveAsync(string cycle, string org, long id, RemoveBody? body, HttpContext http, EvidenceFileService service, CancellationToken ct) =>
        Handle(cycle, async c => (await service.RemoveAsync(HttpCaller.Of(http), org, c, id, body?.Why, ct)).Answer(f => Results.Ok(View(cycle, f))));

    /// <summary>
    /// How the browser treats a file: images and PDFs shown (inline), Word and Excel files saved (attachment); never run
    /// as a page of this site (a sandbox with no script), whatever the file holds.
    /// </summary>
    internal static void Disposition(HttpContext http, EvidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(file);
        var disposition = new ContentDispositionHeaderValue(file.Previewable ? "inline" : "attachment");
        disposition.SetHttpFileName(file.FileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        // The browser's own viewers: an image's page styles itself inline, a PDF opens in the PDF viewer; a saved file runs nothing here.
        http.Response.Headers.ContentSecurityPolicy = file.Kind switch
        {
            EvidenceKind.Pdf => "frame-ancestors 'none'",
            EvidenceKind.Jpeg or EvidenceKind.Png => "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            _ => "sandbox; default-src 'none'; frame-ancestors 'none'",
        };
        http.Response.Headers.CacheControl = "private, max-age=86400";
    }

    /// <summary>The body, or null when it has more than <paramref name="limit"/> bytes (read no further).</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(Stream body, long limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    internal static object View(string cycle, EvidenceFile f) => new
    {
        f.Id, item = Ingest.Scoring.Rubrics.PrintedItems.Number(f.Target), f.Target, file = f.FileName, kind = f.KindName, f.MediaType, f.Bytes, f.Sha256,
        uploadedBy = f.UploadedBy, uploadedAt = f.UploadedAt, replaces = f.Replaces, live = f.Live, removedBy = f.RemovedBy, removedAt = f.RemovedAt,
        removedWhy = f.RemovedWhy, url = $"/api/scoresheets/{cycle}/{f.OrgCode}/files/{f.Id}",
    };

    internal sealed record RemoveBody(string? Why);
}
