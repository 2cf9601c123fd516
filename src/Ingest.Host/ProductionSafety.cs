using System.Globalization;

namespace Ingest.Host;

/// <summary>A setting that would be unsafe on the department's network; the message says which and what to do.</summary>
public sealed class ProductionSafetyException(string message) : Exception(message);

/// <summary>
/// What the service refuses in production (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT unset or Production, the .NET
/// default): the local trust-auth cluster in place of a configured database, and upstreams over plain http unless a
/// setting allows it. Development and tests name their environment and keep the embedded default.
/// </summary>
public static class ProductionSafety
{
    public const string Section = "Ingest:Security";

    /// <summary>The default cap on a request body: a filled workbook is a few hundred kilobytes.</summary>
    public const long DefaultMaxRequestBodyBytes = 20 * 1024 * 1024;

    /// <summary>The environment the CLI and the service run in, read as ASP.NET Core reads it.</summary>
    public static string EnvironmentName =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } a ? a
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } d ? d
        : Environments.Production;

    /// <summary>
    /// Production is every environment but Development and Test: an allow-list of the two that relax the rules, so
    /// "Staging", "production" or a typo is held to production's.
    /// </summary>
    public static bool IsProduction(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !(environment.IsEnvironment(Environments.Development) || environment.IsEnvironment("Test"));
    }

    /// <exception cref="ProductionSafetyException">A production setting is unsafe; every problem is named.</exception>
    public static void Check(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsProduction(environment))
        {
            return;
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Ingest")))
        {
            problems.Add("未配置数据库 ConnectionStrings:Ingest（生产环境不使用本机免密的内嵌数据库；开发演示请设 ASPNETCORE_ENVIRONMENT=Development）");
        }

        if (!configuration.GetValue<bool>(Section + ":AllowHttpUpstreams"))
        {
            foreach (var connector in configuration.GetSection("Connectors").GetChildren())
            {
                var url = connector["BaseUrl"];
                if (connector.GetValue<bool>("Enabled") && url is not null && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"上游 Connectors:{connector.Key}:BaseUrl 使用明文 http（{url}）：请改用 https，或确认内网安全后设置 {Section}:AllowHttpUpstreams=true");
                }
            }
        }

        if (configuration["Ingest:Operations:WebhookUrl"] is { Length: > 0 } webhook
            && !(Uri.TryCreate(webhook, UriKind.Absolute, out var hook) && hook.Scheme == Uri.UriSchemeHttps))
        {
            problems.Add($"告警 Ingest:Operations:WebhookUrl 须使用 https（{webhook}）：告警内容含运行情况，不能明文发出");
        }

        if (problems.Count > 0)
        {
            throw new ProductionSafetyException("生产环境拒绝启动：" + string.Join("；", problems));
        }
    }

    /// <summary>
    /// <c>Ingest:Security:KnownProxies</c>: the reverse proxies (IP addresses) that terminate TLS in front of the service.
    /// Only their X-Forwarded-For and X-Forwarded-Proto are believed, so the audit trail records the person's address and
    /// the session cookie is marked Secure when the person's connection is https.
    /// </summary>
    public static IReadOnlyList<System.Net.IPAddress> KnownProxies(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(Section + ":KnownProxies").Get<string[]>()?.Select(p =>
                System.Net.IPAddress.TryParse(p, out var address) ? address : throw new ProductionSafetyException($"{Section}:KnownProxies 中的“{p}”不是 IP 地址"))
            .ToArray() ?? [];
    }

    /// <summary><c>Ingest:Security:MaxRequestBodyBytes</c>, or the default.</summary>
    public static long MaxRequestBodyBytes(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Section + ":MaxRequestBodyBytes"];
        return value is null ? DefaultMaxRequestBodyBytes
            : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ProductionSafetyException($"{Section}:MaxRequestBodyBytes 应为正整数（字节），不能是“{value}”");
    }
}
