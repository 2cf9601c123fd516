using Ingest.Core.Evidence;
using Ingest.Core.Remediation;
using Ingest.Data.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Remediation;

/// <summary>
/// 整改 items in PostgreSQL. Each change of status is one conditional UPDATE (the status it starts from is part of its
/// WHERE), so two hosts acting on the same item at once cannot both win; every change is audited with it.
/// </summary>
public sealed class RemediationStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Select = """
        SELECT r.id, r.cycle, r.org_code, o.name, r.county_code, r.target, r.problem, r.recovers, r.data_line, r.deadline, r.status, r.created_by, r.created_at,
               r.submit_note, r.submit_sha256, r.submit_file, r.submit_kind, r.submit_bytes, r.submitted_by, r.submitted_at,
               r.verify_note, r.verified_by, r.verified_at, r.data_met_run, r.data_met_period, r.data_met_figure, r.data_met_at
        FROM ingest.remediation_item r JOIN ingest.organisation o ON o.code = r.org_code
        """;

    /// <summary>A school's items in a cycle, in the order they were set.</summary>
    public Task<IReadOnlyList<RemediationItem>> ListAsync(string cycle, string orgCode, CancellationToken ct) =>
        QueryAsync(Select + " WHERE r.cycle = $1 AND r.org_code = $2 ORDER BY r.id", ct, cycle, orgCode);

    /// <summary>A county's items in a cycle, by deadline then school.</summary>
    public Task<IReadOnlyList<RemediationItem>> ListCountyAsync(string cycle, string countyCode, CancellationToken ct) =>
        QueryAsync(Select + " WHERE r.cycle = $1 AND r.county_code = $2 ORDER BY r.deadline, r.org_code, r.id", ct, cycle, countyCode);

    public async Task<RemediationItem?> FindAsync(long id, CancellationToken ct) => (await QueryAsync(Select + " WHERE r.id = $1", ct, id)).SingleOrDefault();

    /// <summary>Data lines not closed whose figure has not passed yet: what a finished run looks at.</summary>
    public Task<IReadOnlyList<RemediationItem>> DataLinesWaitingAsync(CancellationToken ct) =>
        QueryAsync(Select + " WHERE r.data_line AND r.data_met_run IS NULL AND r.status <> '已核实' ORDER BY r.id", ct);

    /// <summary>Sets an item; null when the line has one already in the cycle.</summary>
    public async Task<RemediationItem?> CreateAsync(string cycle, string orgCode, string countyCode, string target, string problem, decimal recovers, bool dataLine,
        DateOnly deadline, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        long? id = await ChangeAsync("""
            INSERT INTO ingest.remediation_item (cycle, org_code, county_code, target, problem, recovers, data_line, deadline, status, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '待整改', $9, $10) ON CONFLICT (cycle, org_code, target) DO NOTHING RETURNING id
            """, [cycle, orgCode, countyCode, target, problem, recovers, dataLine, deadline, by.Name, now], by,
            id => new AuditEvent(AuditActions.RemediationCreate, orgCode, $"{cycle} {target}", null, new { id, problem, recovers, deadline = deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }),
            now, ct);
        return id is { } created ? await FindAsync(created, ct) : null;
    }

    /// <summary>The school's answer, from 待整改 or 退回; false when the item is not waiting for it.</summary>
    public async Task<bool> SubmitAsync(RemediationItem item, string? note, RemediationFile? file, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        return await ChangeAsync("""
            UPDATE ingest.remediation_item SET status = '已提交', submit_note = $2, submit_sha256 = $3, submit_file = $4, submit_kind = $5, submit_bytes = $6,
                submitted_by = $7, submitted_at = $8, verify_note = NULL, verified_by = NULL, verified_at = NULL
            WHERE id = $1 AND status IN ('待整改', '退回') RETURNING id
            """, [item.Id, Text(note), Text(file?.Sha256), Text(file?.FileName), Text(file?.Kind.ToString()), new NpgsqlParameter { Value = (object?)file?.Bytes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint }, by.Name, now], by,
            _ => new AuditEvent(AuditActions.RemediationSubmit, item.OrgCode, $"{item.Cycle} {item.Target}", new { item.Id, item.Status },
                new { note, file = file?.FileName, sha256 = file?.Sha256 }), now, ct) is not null;
    }

    /// <summary>The bureau's verdict on a submitted answer: 已核实, or 退回 with why; false when nothing was submitted.</summary>
    public async Task<bool> VerifyAsync(RemediationItem item, bool accept, string? note, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        return await ChangeAsync("""
            UPDATE ingest.remediation_item SET status = $2, verify_note = $3, verified_by = $4, verified_at = $5 WHERE id = $1 AND status = '已提交' RETURNING id
            """, [item.Id, accept ? RemediationStatus.Verified : RemediationStatus.Returned, Text(note), by.Name, now], by,
            _ => new AuditEvent(accept ? AuditActions.RemediationVerify : AuditActions.RemediationReturn, item.OrgCode, $"{item.Cycle} {item.Target}",
                new { item.Id, item.Status }, new { note }), now, ct) is not null;
    }

    /// <summary>Marks a data line 数据已达标: the run whose figure passed, its period and the figure; once.</summary>
    public async Task<bool> DataMetAsync(RemediationItem item, long runId, string period, string figure, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(by);
        var now = clock.GetUtcNow();
        return await ChangeAsync("""
            UPDATE ingest.remediation_item SET data_met_run = $2, data_met_period = $3, data_met_figure = $4, data_met_at = $5
            WHERE id = $1 AND data_met_run IS NULL RETURNING id
            """, [item.Id, runId, period, figure, now], by,
            _ => new AuditEvent(AuditActions.RemediationDataMet, item.OrgCode, $"{item.Cycle} {item.Target}", null, new { item.Id, run = runId, period, figure }),
            now, ct) is not null;
    }

    private static object Text(string? value) => (object?)value ?? DBNull.Value;

    /// <summary>Runs one statement that returns the row's id when it changed something, and audits it in the same transaction.</summary>
    private async Task<long?> ChangeAsync(string sql, object[] values, Actor by, Func<long, AuditEvent> what, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        await using (var command = new NpgsqlCommand(sql, connection, tx))
        {
            foreach (var v in values)
            {
                command.Parameters.Add(v switch
                {
                    NpgsqlParameter given => given,
                    DBNull => new NpgsqlParameter { Value = v, NpgsqlDbType = NpgsqlDbType.Text },
                    _ => new NpgsqlParameter { Value = v },
                });
            }

            if (await command.ExecuteScalarAsync(ct) is not long changed)
            {
                return null;
            }

            id = changed;
        }

        await AuditStore.AppendAsync(connection, tx, by, what(id), at, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    private async Task<IReadOnlyList<RemediationItem>> QueryAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        var items = new List<RemediationItem>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
            var file = r.IsDBNull(14) ? null : new RemediationFile(r.GetString(15), Enum.Parse<EvidenceKind>(r.GetString(16)), r.GetInt64(17), r.GetString(14));
            items.Add(new RemediationItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetDecimal(7),
                r.GetBoolean(8), r.GetFieldValue<DateOnly>(9), r.GetString(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12),
                S(13), file, S(18), T(19), S(20), S(21), T(22), r.IsDBNull(23) ? null : r.GetInt64(23), S(24), S(25), T(26)));
        }

        return items;
    }
}
