using System.Data.Common;
using Npgsql;

namespace Ingest.Data;

/// <summary>
/// A host's connections to PostgreSQL, bounded. Npgsql's default pool (100) is the server's default max_connections on
/// its own: several hosts on one server, each with its pages, its job workers and its scheduler's pool, would take every
/// slot under load and be refused ("remaining connection slots are reserved"). A request beyond the bound waits for a
/// connection instead. A connection string that names its own Maximum Pool Size keeps it.
/// </summary>
public static class ConnectionPools
{
    /// <summary>The service's pool on each host when neither the connection string nor <c>Ingest:Database:PoolSize</c> says.</summary>
    public const int DefaultSize = 30;

    /// <summary><paramref name="connectionString"/> with its pool bounded at <paramref name="size"/>, unless it names a bound itself.</summary>
    public static string Bounded(string connectionString, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var named = given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal) is { } key
            && (key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase) || key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase)));
        return named ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = size }.ConnectionString;
    }
}
