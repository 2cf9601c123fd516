using Ingest.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.CloudPlatform.Tests;

public sealed class CloudPlatformOptionsTests
{
    [Fact]
    public void AddCloudPlatformConnector_NotEnabled_RegistersNothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Connectors:CloudPlatform:BaseUrl", "http://x/")]).Build();

        using var services = new ServiceCollection().AddCloudPlatformConnector(configuration).BuildServiceProvider();

        services.GetServices<IConnector>().ShouldBeEmpty();
    }

    [Fact]
    public void Options_SecretMissingAndPageSizeTooLarge_FailNamingTheKeys()
    {
        var failure = Should.Throw<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["Connectors:CloudPlatform:Enabled"] = "true",
            ["Connectors:CloudPlatform:BaseUrl"] = "http://cloud.example/",
            ["Connectors:CloudPlatform:ClientId"] = "ingest",
            ["Connectors:CloudPlatform:PageSize"] = "800",
        }));

        failure.Message.ShouldContain("必须设置 Connectors:CloudPlatform:ClientSecret");
        failure.Message.ShouldContain("Connectors:CloudPlatform:PageSize 应在 1 到 500 之间");
    }

    [Fact]
    public void Options_SecretInAppsettingsFile_IsRefused()
    {
        var folder = Directory.CreateTempSubdirectory("ingest-options-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"),
                """{"Connectors":{"CloudPlatform":{"Enabled":true,"BaseUrl":"http://cloud.example/","ClientId":"ingest","ClientSecret":"s3cret"}}}""");
            var configuration = new ConfigurationBuilder().SetBasePath(folder.FullName).AddJsonFile("appsettings.json").Build();
            using var services = new ServiceCollection().AddCloudPlatformConnector(configuration).BuildServiceProvider();

            var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudPlatformOptions>>().Value);

            failure.Message.ShouldContain("ClientSecret is set in");
            failure.Message.ShouldContain("appsettings.json");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static CloudPlatformOptions Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddCloudPlatformConnector(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<CloudPlatformOptions>>().Value;
    }
}
