using Ingest.Application.Rating;
using Ingest.Data.Organisations;
using Ingest.Host.People;
using Ingest.Host.Web;

namespace Ingest.Host.Scoring;

/// <summary>联系人 and 联系方式 of a school or county, as its 星级认定表 prints them.</summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var contact = app.MapGroup("/api/organisations/{org}/contact").WithTags("Scoresheets");
        contact.MapGet("/", GetAsync).ForSheet("org")
            .WithSummary("联系人 and 联系方式 of a school or county, as its 星级认定表 prints them.");
        contact.MapPut("/", SetAsync).ForSheet("org", write: true)
            .WithSummary("Sets 联系人 and 联系方式 of a school or county: {\"person\":\"马老师\",\"phone\":\"0954-1234567\"}, signed with the caller's name.");
        return app;
    }

    private static async Task<IResult> GetAsync(string org, OrganisationContactStore store, CancellationToken ct) =>
        await store.FindAsync(org, ct) is { } c ? Results.Ok(c) : Results.Problem($"{org} 尚未设置联系人", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> SetAsync(string org, ContactBody body, HttpContext http, ScoresheetService service, CancellationToken ct) =>
        (await service.SetContactAsync(HttpCaller.Of(http), org, body.Person, body.Phone, ct)).Answer(Results.Ok);
}
