namespace Ingest.Host.Web;

/// <summary>The API's refusals, in one form for every endpoint.</summary>
public static class Problems
{
    /// <summary>403 with the reason in Chinese, as every endpoint refuses.</summary>
    public static IResult Forbidden(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "无权访问");
}
