using System.Reflection;
using NetArchTest.Rules;

namespace Ingest.Host.Tests.Architecture;

/// <summary>
/// The layers as docs/decisions/0013 draws them, read from the compiled assemblies: the use cases know no web and no job
/// scheduler, the documents know no database, the stores know no scoring and no use case, and the adapters run no SQL.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Application = typeof(Ingest.Application.People.AccessRules).Assembly;
    private static readonly Assembly Documents = typeof(Ingest.Documents.Forms.FillForm).Assembly;
    private static readonly Assembly Data = typeof(Ingest.Data.Runs.RunStore).Assembly;
    private static readonly Assembly Host = typeof(IngestWebHost).Assembly;

    /// <summary>The web framework's namespaces a use case must not touch (ASP.NET Core Identity's password hasher is a library, not the web).</summary>
    private static readonly string[] Web =
    [
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Builder",
        "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Antiforgery", "Microsoft.AspNetCore.DataProtection", "Microsoft.AspNetCore.Razor",
    ];

    [Fact]
    public void The_use_cases_know_no_web_no_job_scheduler_and_no_adapter()
    {
        Failing(Types.InAssembly(Application).ShouldNot().HaveDependencyOnAny([.. Web, "Hangfire", "Ingest.Host"]).GetResult())
            .ShouldBeEmpty();
        Types.InAssembly(Application).That().HaveDependencyOn("Microsoft.AspNetCore").GetTypes().Select(t => t.Name).ShouldBe(["AccountService"],
            "only the accounts hash passwords with ASP.NET Core Identity's hasher");
    }

    [Fact]
    public void The_documents_know_no_database_no_use_case_and_no_web()
    {
        Failing(Types.InAssembly(Documents).ShouldNot()
            .HaveDependencyOnAny("Ingest.Data", "Ingest.Application", "Ingest.Host", "Npgsql", "Microsoft.AspNetCore", "Hangfire").GetResult())
            .ShouldBeEmpty();
    }

    [Fact]
    public void The_stores_know_no_scoring_no_use_case_no_document_and_no_adapter()
    {
        Failing(Types.InAssembly(Data).ShouldNot()
            .HaveDependencyOnAny("Ingest.Scoring", "Ingest.Application", "Ingest.Documents", "Ingest.Host", "Hangfire").GetResult())
            .ShouldBeEmpty();
        Data.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain("Ingest.Scoring", "the stores read and write lines and totals; scoring them is the application's");
    }

    [Fact]
    public void The_adapters_run_no_sql()
    {
        Failing(Types.InAssembly(Host).ShouldNot()
            .HaveDependencyOnAny("Npgsql.NpgsqlCommand", "Npgsql.NpgsqlBatch", "Npgsql.NpgsqlDataReader", "Npgsql.NpgsqlBinaryImporter", "Dapper").GetResult())
            .ShouldBeEmpty();
    }

    private static IEnumerable<string> Failing(TestResult result) => result.IsSuccessful ? [] : result.FailingTypeNames ?? [];
}
