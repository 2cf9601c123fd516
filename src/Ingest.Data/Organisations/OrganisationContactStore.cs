using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Organisations;

/// <summary>联系人 and 联系方式 of a school (or county) as its 星级认定表 prints them, with who set them and when.</summary>
public sealed record OrganisationContact(string OrgCode, string? Person, string? Phone, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>
/// Contacts in PostgreSQL, apart from the directory the connectors refresh every night, so a refresh never overwrites
/// what a school or its bureau set.
/// </summary>
public sealed class OrganisationContactStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The contact of <paramref name="orgCode"/>, or null when none was set.</summary>
    public async Task<OrganisationContact?> FindAsync(string orgCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT org_code, contact_person, contact_phone, updated_by, updated_at FROM ingest.organisation_contact WHERE org_code = $1");
        command.Parameters.AddWithValue(orgCode);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new OrganisationContact(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    /// <summary>Sets both fields (null or blank clears one); the organisation must be in the directory. The change is audited.</summary>
    public async Task<OrganisationContact> SetAsync(string orgCode, string? person, string? phone, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var before = await FindAsync(orgCode, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.organisation_contact (org_code, contact_person, contact_phone, updated_by, updated_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (org_code) DO UPDATE SET contact_person = excluded.contact_person, contact_phone = excluded.contact_phone,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, connection, tx);
        var now = clock.GetUtcNow();
        command.Parameters.AddWithValue(orgCode);
        command.Parameters.Add(Text(person));
        command.Parameters.Add(Text(phone));
        command.Parameters.AddWithValue(by.Name.Trim());
        command.Parameters.AddWithValue(now);
        await command.ExecuteNonQueryAsync(ct);
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.OrgContact, orgCode, null,
            before is null ? null : new { before.Person, before.Phone }, new { Person = Blank(person), Phone = Blank(phone) }), now, ct);
        await tx.CommitAsync(ct);
        return new OrganisationContact(orgCode, Blank(person), Blank(phone), by.Name.Trim(), now);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static NpgsqlParameter Text(string? text) => new() { Value = (object?)Blank(text) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
