using Ingest.Application.People;
using Ingest.Host.People;
using Ingest.Scoring.Rubrics;

namespace Ingest.Host.Scoring;

/// <summary>The rubrics: the published standards, which every role reads.</summary>
public static class RubricEndpoints
{
    public static IEndpointRouteBuilder MapRubrics(this IEndpointRouteBuilder app)
    {
        var rubrics = app.MapGroup("/api/rubrics").WithTags("Rubrics").Allow([.. Roles.All]);
        rubrics.MapGet("/", List).WithSummary("The rubrics shipped with the service.");
        rubrics.MapGet("/{id}", Get).WithSummary("A rubric in full: areas, groups, items with their text, points, ★ flag and scoring rule.");
        return app;
    }

    private static IResult List() =>
        Results.Ok(RubricLibrary.All.Select(r => new { r.Id, Kind = r.Kind.ToString().ToLowerInvariant(), r.Title, r.Source, r.Total, Items = r.Items.Count }));

    private static IResult Get(string id) => RubricLibrary.All.FirstOrDefault(r => r.Id == id) is { } r
        ? Results.Ok(RubricView.From(r))
        : Results.Problem($"No rubric '{id}'.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>A rubric for the API, rules flattened to their kind and parameters.</summary>
public sealed record RubricView(string Id, string Kind, string Title, string Source, decimal Total, IReadOnlyList<StarLevel> StarLevels, int? VetoFromStars,
    IReadOnlyList<RubricAreaView> Areas, string? Note)
{
    public static RubricView From(Rubric rubric)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        return new RubricView(rubric.Id, rubric.Kind.ToString().ToLowerInvariant(), rubric.Title, rubric.Source, rubric.Total, rubric.StarLevels,
            rubric.VetoFromStars,
            rubric.Areas.Select(a => new RubricAreaView(a.Code, a.Name, a.Points, a.Bonus,
                a.Items.Select(i => new RubricItemView(i.Number, i.Group, i.Text, i.Points, i.Veto, i.Rule.Kind, (object)i.Rule)).ToArray())).ToArray(),
            rubric.Note);
    }
}

public sealed record RubricAreaView(string Code, string Name, decimal Points, bool Bonus, IReadOnlyList<RubricItemView> Items);

/// <param name="Rule">The rule with its parameters (serialised as its runtime type).</param>
public sealed record RubricItemView(string Number, string? Group, string Text, decimal Points, bool Veto, string Kind, object Rule);
