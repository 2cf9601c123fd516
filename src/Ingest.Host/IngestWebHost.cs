using Hangfire;
using Ingest.Application.People;
using Ingest.Host.Database;
using Ingest.Host.Operations;
using Ingest.Host.People;
using Ingest.Host.Scheduling;
using Ingest.Host.Scoring;
using Ingest.Host.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Ingest.Host;

/// <summary>
/// The service: HTTP API, health endpoints, OpenAPI description, Hangfire server and dashboard, nightly schedule.
/// Owns the database handle, so stopping the host also stops a local cluster it started.
/// </summary>
public sealed partial class IngestWebHost : IAsyncDisposable
{
    private readonly DatabaseHandle database;
    private bool stopped;

    private IngestWebHost(WebApplication app, DatabaseHandle database)
    {
        App = app;
        this.database = database;
    }

    public WebApplication App { get; }

    public DatabaseHandle Database => database;

    /// <summary>Builds the host: opens the database, migrates it, and wires every service.</summary>
    /// <param name="args">Command-line arguments for ASP.NET Core (e.g. <c>--urls</c>).</param>
    /// <param name="configure">Extra configuration applied last (tests).</param>
    /// <param name="configureServices">Extra services registered last (tests).</param>
    /// <param name="mapMore">Extra routes mapped last (tests: a route that forgets its rule).</param>
    public static async Task<IngestWebHost> BuildAsync(string[] args, Action<IConfigurationBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null, Action<IEndpointRouteBuilder>? mapMore = null, CancellationToken cancellationToken = default)
    {
        // The application is this assembly even when another one started the process (a test host): the pages are found in it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(IngestWebHost).Assembly.GetName().Name,
        });
        configure?.Invoke(builder.Configuration);
        ProductionSafety.Check(builder.Configuration, builder.Environment);
        var database = await DatabaseBootstrap.OpenAsync(builder.Configuration, LogLevel.Information, cancellationToken);
        try
        {
            builder.Services.AddIngest(builder.Configuration, database.ConnectionString);
            builder.Services.AddIngestScheduling(builder.Configuration, database.ConnectionString);
            builder.Services.AddIngestPeople(builder.Configuration);
            builder.Services.AddIngestRateLimits(builder.Configuration);
            builder.Services.AddIngestTelemetry(builder.Configuration);
            builder.Services.AddIngestSecurityHeaders();
            if (builder.Configuration.GetValue<bool>("Ingest:Logging:Json"))
            {
                // One JSON object a line, for a log collector: the message, its fields, the scope and the exception.
                builder.Logging.ClearProviders();
                builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
            }

            // A request body larger than this is refused before it is read (a filled workbook is far smaller).
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ProductionSafety.MaxRequestBodyBytes(builder.Configuration));
            var proxies = ProductionSafety.KnownProxies(builder.Configuration);
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownProxies.Clear();
                foreach (var proxy in proxies)
                {
                    o.KnownProxies.Add(proxy);
                }
            });
            // A body or parameter that cannot be read is the caller's mistake: a 400 saying so in Chinese, with the
            // parser's own words after it for whoever wrote the client, instead of a bare status.
            builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
            builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            {
                if (c.ProblemDetails is HttpValidationProblemDetails && c.ProblemDetails.Title == new HttpValidationProblemDetails().Title)
                {
                    c.ProblemDetails.Title = "请求的内容有误";
                }

                if (c.Exception is BadHttpRequestException bad)
                {
                    c.ProblemDetails.Status = bad.StatusCode;
                    c.ProblemDetails.Title = "请求无法读取";
                    c.ProblemDetails.Detail = "请求的参数或请求体格式不对（例如分数须为数字、小数用小数点）：" + (bad.InnerException?.Message ?? bad.Message);
                }
            });
            // The API's JSON writes Chinese as itself (markup characters are still escaped), as the exports do.
            builder.Services.ConfigureHttpJsonOptions(o =>
                o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
            builder.Services.AddOpenApi();
            // Pages live beside their feature (People/Pages, Scoring/Pages, Operations/Pages): the project root is the pages root.
            builder.Services.AddRazorPages(o => o.RootDirectory = "/");
            // Chinese stays Chinese in the pages' HTML (markup is still escaped).
            builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
                o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
            builder.Services.AddSingleton<Web.Navigation>();
            builder.Services.AddSingleton<Operations.RunStarter>();
            builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            await database.MigrateAsync(app.Services.GetRequiredService<ILoggerFactory>(), cancellationToken);
            if (await database.ServiceCanBypassAuditAsync(cancellationToken))
            {
                // The service's own role could DELETE from the audit trail or disable its trigger.
                var message = $"服务的数据库角色“{database.ApplicationRole}”是超级用户或审计表的所有者，能改动审计记录：请以所有者角色配置 ConnectionStrings:IngestOwner，"
                    + "服务以只能追加审计记录的应用角色连接 ConnectionStrings:Ingest（见 README“在部门自己的 PostgreSQL 上”）";
                if (ProductionSafety.IsProduction(builder.Environment))
                {
                    throw new ProductionSafetyException("生产环境拒绝启动：" + message);
                }

                app.Logger.LogWarning("{Message}", message);
            }

            if (proxies.Count > 0)
            {
                app.UseForwardedHeaders();
            }

            app.UseIngestSecurityHeaders();
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            // A status without a body (not found, refused, failed) is answered by /status/{code}: a page in the site's layout
            // for a person, a problem in Chinese for the API.
            app.UseStatusCodePagesWithReExecute("/status/{0}");
            // Routing after the static assets (so that the fallback route does not shadow /assets/…) and after the status
            // pages (so that a status re-executed is routed again).
            app.UseRouting();
            app.UseRateLimiter();
            app.UseIngestPeople();
            // The API's description is for whoever writes a client: every signed-in role.
            app.MapOpenApi().Allow([.. Roles.All]);
            // The only routes open without signing in: the monitors' probes (they say up or down, nothing more) and sign-in.
            var probe = new HttpMethodMetadata(["GET", "HEAD"]);
            app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().WithMetadata(probe);
            app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().WithMetadata(probe);
            // The conventional address of a monitor that knows only one: it answers as /health/ready does.
            app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().WithMetadata(probe);
            app.MapPeople();
            app.MapRazorPages();
            app.MapOperationsApi();
            app.MapScoringApi();
            Audit.ClaimsEndpoints.MapClaimsApi(app);
            Audit.OversightEndpoints.MapOversight(app);
            Audit.VisitEndpoints.MapVisits(app);
            Audit.EvidenceEndpoints.MapEvidenceApi(app);
            // Prometheus scrapes with an ops token (Authorization: Bearer …); nobody else reads the service's figures.
            app.MapPrometheusScrapingEndpoint("/metrics").Allow(Roles.Ops);
            if (app.Services.GetRequiredService<IOptions<HangfireOptions>>().Value.Dashboard)
            {
                // Signed-in ops only, from any address: the route's policy sends anyone else to sign in (or refuses them),
                // and the dashboard's own filter checks again, so a local request without sign-in is refused too.
                app.MapHangfireDashboard("/hangfire", new DashboardOptions
                {
                    Authorization = [new OpsDashboardFilter()],
                    AppPath = "/",
                    // Read-only: retrying, deleting or triggering a job there would change the nights with no audit line;
                    // runs are started and retried from /ops/runs, which records who did it.
                    IsReadOnlyFunc = _ => true,
                })
                    .Allow(Roles.Ops);
            }

            mapMore?.Invoke(app);
            // An address no route knows is not found, for anyone: without this the fallback policy would refuse it (403)
            // to a signed-in person, as if a page were there. The status pages answer it (a page, or a problem for /api).
            app.MapFallback("{**path}", http =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }).AllowAnonymous();
            RefuseUnruledRoutes(app);
            return new IngestWebHost(app, database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}
