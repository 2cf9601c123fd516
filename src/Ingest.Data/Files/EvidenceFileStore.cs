using Ingest.Core.Evidence;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Files;

/// <summary>
/// The rows of the 佐证材料 files: which file is whose, on which line, from whom. Adding takes a lock on the organisation
/// for the transaction, so the per-school size limit holds however many hosts upload at once. Every change audited.
/// </summary>
public sealed class EvidenceFileStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "id, cycle, org_code, target, sha256, file_name, kind, bytes, uploaded_by, uploaded_at, replaces_id, removed_by, removed_at, removed_why";

    /// <summary>The files of an organisation in a cycle, removed ones included, oldest first.</summary>
    public async Task<IReadOnlyList<EvidenceFile>> ListAsync(string cycle, string orgCode, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest.evidence_file WHERE cycle = $1 AND org_code = $2 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = cycle });
        command.Parameters.Add(new NpgsqlParameter { Value = orgCode });
        return await ReadAsync(command, ct);
    }

    /// <summary>The live files of the organisations named in a cycle (a county's schools at once).</summary>
    public async Task<IReadOnlyList<EvidenceFile>> ListLiveAsync(string cycle, IReadOnlyList<string> orgCodes, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest.evidence_file WHERE cycle = $1 AND org_code = ANY($2) AND removed_at IS NULL ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = cycle });
        command.Parameters.Add(new NpgsqlParameter { Value = orgCodes.ToArray() });
        return await ReadAsync(command, ct);
    }

    public async Task<EvidenceFile?> FindAsync(long id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest.evidence_file WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>
    /// Adds a file (its content already stored), replacing <paramref name="replaces"/> when given, unless the live files
    /// of the organisation in the cycle would then pass <paramref name="maxOrgBytes"/>: then nothing is written and the
    /// bytes in use are returned with null.
    /// </summary>
    public async Task<(EvidenceFile? Added, long InUse)> AddAsync(string cycle, string orgCode, string target, string sha256, string fileName, EvidenceKind kind,
        long bytes, EvidenceFile? replaces, long maxOrgBytes, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('evidence:' || $1, 0))", connection, tx))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = orgCode });
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        long inUse;
        await using (var sum = new NpgsqlCommand(
            "SELECT coalesce(sum(bytes), 0)::bigint FROM ingest.evidence_file WHERE cycle = $1 AND org_code = $2 AND removed_at IS NULL AND id <> coalesce($3, 0)",
            connection, tx))
        {
            sum.Parameters.Add(new NpgsqlParameter { Value = cycle });
            sum.Parameters.Add(new NpgsqlParameter { Value = orgCode });
            sum.Parameters.Add(new NpgsqlParameter { Value = (object?)replaces?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            inUse = (long)(await sum.ExecuteScalarAsync(ct))!;
        }

        if (inUse + bytes > maxOrgBytes)
        {
            return (null, inUse);
        }

        var now = clock.GetUtcNow();
        if (replaces is not null)
        {
            await using var remove = new NpgsqlCommand(
                "UPDATE ingest.evidence_file SET removed_by = $2, removed_at = $3, removed_why = '已替换' WHERE id = $1 AND removed_at IS NULL", connection, tx);
            remove.Parameters.Add(new NpgsqlParameter { Value = replaces.Id });
            remove.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            remove.Parameters.Add(new NpgsqlParameter { Value = now });
            if (await remove.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new InvalidOperationException($"佐证材料 {replaces.Id} 已被删除或替换");
            }
        }

        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ingest.evidence_file (cycle, org_code, target, sha256, file_name, kind, bytes, uploaded_by, uploaded_at, replaces_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """, connection, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = cycle });
            insert.Parameters.Add(new NpgsqlParameter { Value = orgCode });
            insert.Parameters.Add(new NpgsqlParameter { Value = target });
            insert.Parameters.Add(new NpgsqlParameter { Value = sha256 });
            insert.Parameters.Add(new NpgsqlParameter { Value = fileName });
            insert.Parameters.Add(new NpgsqlParameter { Value = kind.ToString() });
            insert.Parameters.Add(new NpgsqlParameter { Value = bytes });
            insert.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)replaces?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        var file = new EvidenceFile(id, cycle, orgCode, target, sha256, fileName, kind, bytes, by.Name, now, replaces?.Id, null, null, null);
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(replaces is null ? AuditActions.EvidenceUpload : AuditActions.EvidenceReplace, orgCode,
            $"{cycle} {target}", replaces is null ? null : new { id = replaces.Id, file = replaces.FileName, replaces.Sha256 }, new { id, file = fileName, sha256, bytes }), now, ct);
        await tx.CommitAsync(ct);
        return (file, inUse + bytes);
    }

    /// <summary>Marks a live file removed, with why; false when it was removed already.</summary>
    public async Task<bool> RemoveAsync(EvidenceFile file, string why, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await using (var remove = new NpgsqlCommand(
            "UPDATE ingest.evidence_file SET removed_by = $2, removed_at = $3, removed_why = $4 WHERE id = $1 AND removed_at IS NULL", connection, tx))
        {
            remove.Parameters.Add(new NpgsqlParameter { Value = file.Id });
            remove.Parameters.Add(new NpgsqlParameter { Value = by.Name });
            remove.Parameters.Add(new NpgsqlParameter { Value = now });
            remove.Parameters.Add(new NpgsqlParameter { Value = why });
            if (await remove.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.EvidenceRemove, file.OrgCode, $"{file.Cycle} {file.Target}",
            new { id = file.Id, file = file.FileName, file.Sha256 }, new { why }), now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task<IReadOnlyList<EvidenceFile>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var files = new List<EvidenceFile>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            files.Add(new EvidenceFile(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Enum.Parse<EvidenceKind>(r.GetString(6)),
                r.GetInt64(7), r.GetString(8), r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11),
                r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.IsDBNull(13) ? null : r.GetString(13)));
        }

        return files;
    }
}
