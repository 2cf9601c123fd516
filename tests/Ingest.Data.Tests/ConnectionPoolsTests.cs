using Npgsql;

namespace Ingest.Data.Tests;

public sealed class ConnectionPoolsTests
{
    [Fact]
    public void A_connection_string_without_a_bound_gets_the_hosts_and_keeps_everything_else()
    {
        var bounded = new NpgsqlConnectionStringBuilder(ConnectionPools.Bounded("Host=db.example;Database=ingest;Username=ingest_app;Password=秘密", 30));

        (bounded.MaxPoolSize, bounded.Host, bounded.Database, bounded.Username, bounded.Password).ShouldBe((30, "db.example", "ingest", "ingest_app", "秘密"));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=80")]
    [InlineData("Host=db;maxpoolsize=80")]
    public void A_bound_the_connection_string_names_is_kept(string connectionString) =>
        new NpgsqlConnectionStringBuilder(ConnectionPools.Bounded(connectionString, 30)).MaxPoolSize.ShouldBe(80);
}
