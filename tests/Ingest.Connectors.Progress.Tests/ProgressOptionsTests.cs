using Ingest.Core.Periods;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ingest.Connectors.Progress.Tests;

public sealed class ProgressOptionsTests
{
    [Fact]
    public void Options_KeyMissingRateTooHighAndBadTeachingYear_FailNamingTheKeys()
    {
        var failure = Should.Throw<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = "http://progress.example/",
            ["Connectors:Progress:RequestsPerSecond"] = "8",
        }));

        failure.Message.ShouldContain("必须设置 Connectors:Progress:ApiKey");
        failure.Message.ShouldContain("Connectors:Progress:RequestsPerSecond 应在 1 到 5 之间（进展系统对每个密钥超过每秒 5 次即限流）");

        var year = Should.Throw<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["Connectors:Progress:Enabled"] = "true",
            ["Connectors:Progress:BaseUrl"] = "http://progress.example/",
            ["Connectors:Progress:ApiKey"] = "k",
            ["Connectors:Progress:TeachingWeeks:2024"] = "36",
        }));
        year.Message.ShouldContain("Connectors:Progress:TeachingWeeks:2024 does not name a school year");
    }

    [Fact]
    public void Options_ApiKeyInAppsettingsFile_IsRefused()
    {
        var folder = Directory.CreateTempSubdirectory("ingest-options-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"),
                """{"Connectors":{"Progress":{"Enabled":true,"BaseUrl":"http://progress.example/","ApiKey":"k3y"}}}""");
            var configuration = new ConfigurationBuilder().SetBasePath(folder.FullName).AddJsonFile("appsettings.json").Build();
            using var services = new ServiceCollection().AddProgressConnector(configuration).BuildServiceProvider();

            var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<ProgressOptions>>().Value);

            failure.Message.ShouldContain("Connectors:Progress:ApiKey is set in");
            failure.Message.ShouldContain("appsettings.json");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void WeeksOf_CalendarYear_TakesHalfOfEachSchoolYearItOverlaps()
    {
        var options = new ProgressOptions { TeachingWeeks = { ["2023-2024"] = 36 } };

        options.WeeksOf(Period.SchoolYear(2023)).ShouldBe(36m);
        options.WeeksOf(Period.SchoolYear(2024)).ShouldBe(35m, "the default");
        options.WeeksOf(Period.CalendarYear(2024)).ShouldBe(35.5m, "spring of 2023-2024 (18) and autumn of 2024-2025 (17.5)");
    }

    private static ProgressOptions Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddProgressConnector(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ProgressOptions>>().Value;
    }
}
