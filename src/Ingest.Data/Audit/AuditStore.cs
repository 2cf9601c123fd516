using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Audit;

/// <summary>
/// Who does something: the display name that signs it, the account login or token name, role and scope, and where
/// the request came from (the client address, or 命令行 and the operating-system user for the CLI).
/// </summary>
public sealed record Actor(string Name, string? Login, string? Role, string? Scope, string? Address)
{
    /// <summary>Someone at the command line: the CLI talks to the database directly, so it is trusted as ops is.</summary>
    public static Actor CommandLine(string name) =>
        new(name.Trim(), Environment.UserName, "cli", null, $"命令行 {Environment.UserName}@{Environment.MachineName}");
}

/// <summary>One write to record: what, concerning which organisation and subject, the value before and after.</summary>
/// <param name="Action">A dotted name: score.entry, sheet.applied_stars, account.create, auth.sign_in_failed, …</param>
public sealed record AuditEvent(string Action, string? OrgCode = null, string? Subject = null, object? OldValue = null, object? NewValue = null);

/// <summary>An audit row as read back.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string? Login, string? Role, string? Scope, string Action, string? OrgCode,
    string? Subject, JsonElement? OldValue, JsonElement? NewValue, string? Address);

/// <summary>What to read from the trail; every field narrows it. <see cref="OrgCodes"/>: only rows about these organisations.</summary>
public sealed record AuditFilter(string? OrgCode = null, string? Person = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    string? Action = null, IReadOnlyCollection<string>? OrgCodes = null, int Limit = 500);

/// <summary>
/// The audit trail in PostgreSQL: one append-only table (the database refuses UPDATE, DELETE and TRUNCATE on it).
/// A write that changes data appends its row in the same transaction, so the change and its record commit together.
/// </summary>
public sealed class AuditStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // Fields without a value are left out: a row reads {"score":1} rather than a list of nulls.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Appends one row on its own (sign-ins, and writes whose store has no transaction to share).</summary>
    public async Task AppendAsync(Actor actor, AuditEvent what, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await AppendAsync(connection, null, actor, what, clock.GetUtcNow(), ct);
    }

    /// <summary>Appends one row within the caller's transaction.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Actor actor, AuditEvent what, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(what);
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.audit_event (at, actor, login, role, scope, action, org_code, subject, old_value, new_value, address)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)
            """, connection, tx);
        command.Parameters.AddWithValue(at);
        command.Parameters.AddWithValue(actor.Name);
        command.Parameters.Add(Text(actor.Login));
        command.Parameters.Add(Text(actor.Role));
        command.Parameters.Add(Text(actor.Scope));
        command.Parameters.AddWithValue(what.Action);
        command.Parameters.Add(Text(what.OrgCode));
        command.Parameters.Add(Text(what.Subject));
        command.Parameters.Add(Text(what.OldValue is null ? null : JsonSerializer.Serialize(what.OldValue, Json)));
        command.Parameters.Add(Text(what.NewValue is null ? null : JsonSerializer.Serialize(what.NewValue, Json)));
        command.Parameters.Add(Text(actor.Address));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rows matching the filter, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var command = dataSource.CreateCommand("""
            SELECT id, at, actor, login, role, scope, action, org_code, subject, old_value::text, new_value::text, address
            FROM ingest.audit_event
            WHERE ($1::text IS NULL OR org_code = $1)
              AND ($2::text IS NULL OR actor = $2 OR lower(login) = lower($2))
              AND ($3::timestamptz IS NULL OR at >= $3)
              AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::text IS NULL OR action = $5 OR action LIKE $5 || '.%')
              AND ($6::text[] IS NULL OR org_code = ANY ($6))
            ORDER BY id DESC
            LIMIT $7
            """);
        command.Parameters.Add(Text(filter.OrgCode));
        command.Parameters.Add(Text(filter.Person));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(Text(filter.Action));
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = filter.OrgCodes is null ? DBNull.Value : filter.OrgCodes.ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        command.Parameters.AddWithValue(Math.Clamp(filter.Limit, 1, 10_000));
        var rows = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new AuditRecord(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4),
                Nullable(reader, 5), reader.GetString(6), Nullable(reader, 7), Nullable(reader, 8), JsonOf(reader, 9), JsonOf(reader, 10), Nullable(reader, 11)));
        }

        return rows;
    }

    private static string? Nullable(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static JsonElement? JsonOf(NpgsqlDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : JsonDocument.Parse(reader.GetString(i)).RootElement.Clone();

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
