using Microsoft.Extensions.FileProviders;

namespace Ingest.Host.Web;

/// <summary>
/// The headers every answer carries, and the pages' stylesheet and script served as files: the pages run no inline
/// script and load nothing from elsewhere, no other site may frame them, a browser never guesses a download's type, and
/// no address leaves in a Referer. HSTS is sent in production only, over https (a proxy's X-Forwarded-Proto counts).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The pages' policy: their own script and style files only, forms posted back to the service, no frames.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The Hangfire dashboard writes style attributes of its own; it is still refused inline script and frames.</summary>
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddIngestSecurityHeaders(this IServiceCollection services) =>
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });

    public static WebApplication UseIngestSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (ProductionSafety.IsProduction(app.Environment))
        {
            app.UseHsts();
        }

        app.Use((http, next) =>
        {
            // Set as the answer starts, so that an error page written after the response was cleared carries them too.
            http.Response.OnStarting(() =>
            {
                Apply(http);
                return Task.CompletedTask;
            });
            return next(http);
        });

        // /assets/site.css and /assets/table.js, embedded in the service so that every host serves the same files.
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/assets",
            FileProvider = new EmbeddedFileProvider(typeof(SecurityHeaders).Assembly, "Ingest.Host.Web.Assets"),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=300",
        });
        return app;
    }

    private static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        // A file served as itself (佐证材料) carries its own, narrower policy.
        if (Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/hangfire") ? DashboardPolicy : ContentSecurityPolicy;
        }

        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
    }
}
