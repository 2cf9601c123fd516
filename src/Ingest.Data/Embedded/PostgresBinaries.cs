namespace Ingest.Data.Embedded;

/// <summary>Finds the PostgreSQL server programs on this machine.</summary>
public static class PostgresBinaries
{
    /// <summary>The one line a user reads when no server programs are found.</summary>
    public const string NotFoundMessage =
        "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
        "Install them (apt-get install postgresql), set Ingest:EmbeddedPostgres:BinDirectory, " +
        "or point the service at a server with ConnectionStrings:Ingest.";

    /// <summary>The line to show when <paramref name="configured"/> (or, when null, every usual place) lacks the programs.</summary>
    public static string NotFound(string? configured) => string.IsNullOrWhiteSpace(configured)
        ? NotFoundMessage
        : $"Ingest:EmbeddedPostgres:BinDirectory '{configured}' does not hold initdb, pg_ctl and postgres. " +
          "Point it at a PostgreSQL bin folder, install the server (apt-get install postgresql), or set ConnectionStrings:Ingest.";

    /// <summary>The folder with initdb, pg_ctl and postgres, or null when none is found.</summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? Path.GetFullPath(configured) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(dir))
            {
                return dir;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => HasServer(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static bool HasServer(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))
        && File.Exists(Path.Combine(dir, "postgres"));
}
