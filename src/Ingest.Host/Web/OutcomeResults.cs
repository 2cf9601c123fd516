using Ingest.Application.UseCases;

namespace Ingest.Host.Web;

/// <summary>How the API answers a use case's outcome: the value as the handler says, a refusal as a problem with its status.</summary>
public static class OutcomeResults
{
    /// <summary>The handler's answer when the use case acted; otherwise its refusal (<see cref="Problem(Refusal)"/>).</summary>
    public static IResult Answer<T>(this Outcome<T> outcome, Func<T, IResult> done)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(done);
        return outcome.IsDone ? done(outcome.Value) : Problem(outcome.Refusal!);
    }

    /// <summary>
    /// A refusal as the API answers it: invalid input 400 with each error under its field (a file's errors under
    /// <c>errors</c>, with the <c>file</c>), forbidden 403, not found 404, conflict 409, titled and worded in Chinese.
    /// </summary>
    public static IResult Problem(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind switch
        {
            RefusalKind.Invalid when refusal.Subject is { } file => Results.Problem(refusal.Message, statusCode: StatusCodes.Status400BadRequest, title: refusal.Title,
                extensions: new Dictionary<string, object?> { ["file"] = file, ["errors"] = refusal.Errors.Select(e => e.Message).ToArray() }),
            RefusalKind.Invalid => Results.ValidationProblem(
                refusal.Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
                detail: refusal.Message, title: refusal.Title),
            RefusalKind.Forbidden => Problems.Forbidden(refusal.Message),
            RefusalKind.NotFound => Results.Problem(refusal.Message, statusCode: StatusCodes.Status404NotFound, title: refusal.Title),
            _ => Results.Problem(refusal.Message, statusCode: StatusCodes.Status409Conflict, title: refusal.Title),
        };
    }
}
