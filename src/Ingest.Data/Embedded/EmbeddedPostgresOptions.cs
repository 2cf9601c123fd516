namespace Ingest.Data.Embedded;

/// <summary>
/// Settings of the local PostgreSQL cluster the service starts when no connection string is configured
/// (section <c>Ingest:EmbeddedPostgres</c>).
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    public const string Section = "Ingest:EmbeddedPostgres";

    /// <summary>
    /// Folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Default: found on PATH, then the newest
    /// <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>
    /// Folder of the cluster. Default: <c>.data/postgres</c> at the repository root (git-ignored). When the
    /// server's user cannot reach it, a folder under the system temp folder is used instead and logged.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Loopback port; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Database the service uses. Default <c>ingest</c>.</summary>
    public string Database { get; set; } = "ingest";

    /// <summary>
    /// System user that runs the server when the service runs as root (PostgreSQL refuses root).
    /// Default <c>postgres</c>.
    /// </summary>
    public string ServiceUser { get; set; } = "postgres";
}
