using Npgsql;

namespace Ingest.Data.People;

/// <summary>
/// The key ring that signs cookies and antiforgery tokens (<c>ingest.data_protection_key</c>), shared by every host. Its
/// reader calls it synchronously and caches the ring, so the calls are synchronous too.
/// </summary>
public sealed class KeyRingStore(NpgsqlDataSource dataSource)
{
    /// <summary>Every key as the XML it was stored as, oldest first.</summary>
    public IReadOnlyList<string> ReadAll()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM ingest.data_protection_key ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public void Add(string friendlyName, string xml)
    {
        using var command = dataSource.CreateCommand("INSERT INTO ingest.data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.AddWithValue(friendlyName);
        command.Parameters.AddWithValue(xml);
        command.ExecuteNonQuery();
    }
}
