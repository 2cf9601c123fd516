using System.Text.Json;
using Ingest.Core.Organisations;
using Ingest.Core.Periods;
using Ingest.Data.Audit;
using Ingest.Data.Organisations;
using Ingest.Scoring.Rubrics;
using Ingest.Scoring.Sheets;
using Npgsql;
using NpgsqlTypes;

namespace Ingest.Data.Scoresheets;

/// <summary>One line of a list of scoresheets: the organisation and each column's totals as last computed, keyed self, bureau, department.</summary>
public sealed record ScoresheetSummary(long Id, string OrgCode, string OrgName, string? CountyCode, string RubricId, string Cycle, int? AppliedStars,
    DateTimeOffset ScoredAt, IReadOnlyDictionary<string, ColumnSummary> Columns);

/// <summary>What <see cref="ScoresheetStore.ApplyAsync"/> did: the sheet after, entries logged, and entries skipped because the target already held the value.</summary>
public sealed record EntryOutcome(Scoresheet Sheet, int Logged, int Unchanged);

/// <summary>The workbook entries were imported from.</summary>
/// <param name="SignedAs">
/// How the entries are signed when someone fills them on the organisation's behalf (代填: a bureau importing its schools'
/// claims): "李老师（泾源县教育局代填）". Null: signed with the importer's name. The audit trail keeps the importer either way.
/// </param>
public sealed record ImportSource(string FileName, string? SignedAs = null);

/// <summary>A column's totals as last computed.</summary>
public sealed record ColumnSummary(decimal Total, int? Stars, int? StarsByTotal, IReadOnlyList<string> UnmetVetoItems, int Pending, int NotComputable, int Entries);

/// <summary>
/// Scoresheets in PostgreSQL. Re-scoring replaces only the auto lines; entries are an append-only log. Every change
/// takes the scoresheet's row lock, so a re-score and an entry on another host take turns and each column's totals
/// are recomputed from what the other committed.
/// </summary>
public sealed partial class ScoresheetStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Column[] AllColumns = [Column.Self, Column.Bureau, Column.Department];

    /// <summary>The current facts of <paramref name="orgCodes"/> for <paramref name="periods"/>, as evidence.</summary>
    public Task<IReadOnlyList<FactEvidence>> ReadFactsAsync(IReadOnlyCollection<string> orgCodes, IReadOnlyCollection<string> periods, CancellationToken ct) =>
        ReadFactsAsync(orgCodes, periods, null, ct);

    /// <summary>
    /// The facts of the organisations in the periods as they stood at <paramref name="asOf"/> (the version read at or
    /// before it and not yet replaced then, from the fact history), or the current ones when it is null.
    /// </summary>
    public async Task<IReadOnlyList<FactEvidence>> ReadFactsAsync(IReadOnlyCollection<string> orgCodes, IReadOnlyCollection<string> periods, DateTimeOffset? asOf,
        CancellationToken ct)
    {
        const string columns = "org_code, indicator_code, period, source, value, numerator, denominator, detail::text, run_id, fetched_at";
        await using var command = dataSource.CreateCommand(asOf is null
            ? $"SELECT {columns} FROM ingest.fact WHERE org_code = ANY($1) AND period = ANY($2)"
            : $"""
              SELECT {columns} FROM ingest.fact WHERE org_code = ANY($1) AND period = ANY($2) AND fetched_at <= $3
              UNION ALL
              SELECT {columns} FROM ingest.fact_history
              WHERE org_code = ANY($1) AND period = ANY($2) AND fetched_at <= $3 AND superseded_at > $3
              """);
        command.Parameters.AddWithValue(orgCodes.ToArray());
        command.Parameters.AddWithValue(periods.ToArray());
        if (asOf is { } at)
        {
            command.Parameters.AddWithValue(at.ToUniversalTime());
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var facts = new List<FactEvidence>();
        while (await reader.ReadAsync(ct))
        {
            facts.Add(new FactEvidence(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                NullableDecimal(reader, 4), NullableDecimal(reader, 5), NullableDecimal(reader, 6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return facts;
    }

    /// <summary>The organisation's name, level and county, or null when the directory has no such code.</summary>
    public Task<Organisation?> FindOrganisationAsync(string orgCode, CancellationToken ct) => OrganisationStore.FindAsync(dataSource, orgCode, ct);

    /// <summary>
    /// Creates the scoresheet or re-scores it: its auto lines are replaced by <paramref name="auto"/>, its entries kept,
    /// its columns recomputed.
    /// </summary>
    /// <param name="by">
    /// Who opened or re-scored it: the audit line (sheet.open when the sheet is created, sheet.rescore otherwise) is
    /// written in the same transaction.
    /// </param>
    public async Task<Scoresheet> SaveAutoAsync(string orgCode, Rubric rubric, EvaluationCycle cycle, CyclePeriods periods,
        IReadOnlyList<string> settings, IReadOnlyDictionary<string, AutoOutcome> auto, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(auto);
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long id;
        bool created;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet AS s (org_code, rubric_id, cycle, periods, settings, created_at, scored_at)
            VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $6)
            ON CONFLICT (org_code, rubric_id, cycle) DO UPDATE SET periods = excluded.periods, settings = excluded.settings, scored_at = excluded.scored_at
            RETURNING id, xmax = 0
            """, connection, tx))
        {
            upsert.Parameters.AddWithValue(orgCode);
            upsert.Parameters.AddWithValue(rubric.Id);
            upsert.Parameters.AddWithValue(cycle.ToString());
            upsert.Parameters.AddWithValue(JsonSerializer.Serialize(PeriodsJson(periods), Json));
            upsert.Parameters.AddWithValue(JsonSerializer.Serialize(settings, Json));
            upsert.Parameters.AddWithValue(now);
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (id, created) = (reader.GetInt64(0), reader.GetBoolean(1));
        }

        var lines = AutoLine.Of(id, auto);
        await using (var digest = new NpgsqlCommand("UPDATE ingest.scoresheet SET auto_fingerprint = $2 WHERE id = $1", connection, tx))
        {
            digest.Parameters.AddWithValue(id);
            digest.Parameters.AddWithValue(AutoLine.SheetDigest(lines));
            await digest.ExecuteNonQueryAsync(ct);
        }

        await using (var delete = new NpgsqlCommand("DELETE FROM ingest.scoresheet_auto WHERE scoresheet_id = $1", connection, tx))
        {
            delete.Parameters.AddWithValue(id);
            await delete.ExecuteNonQueryAsync(ct);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_auto (scoresheet_id, target, score, reason, summary, settings, evidence, on_site, fingerprint)
            SELECT $1, u.* FROM unnest($2::text[], $3::numeric[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::boolean[], $9::bytea[]) AS u
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(lines.Select(l => l.Target).ToArray());
            insert.Parameters.AddWithValue(lines.Select(l => l.Score).ToArray());
            insert.Parameters.AddWithValue(lines.Select(l => l.Reason).ToArray());
            insert.Parameters.AddWithValue(lines.Select(l => l.Summary).ToArray());
            insert.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.Settings).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.Evidence).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.AddWithValue(lines.Select(l => l.OnSite).ToArray());
            insert.Parameters.AddWithValue(lines.Select(l => l.Fingerprint).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
        }

        var entries = await ReadEntriesAsync(connection, tx, id, ct);
        await SaveColumnsAsync(connection, tx, id, Score(rubric, auto, entries), entries, ct);
        await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(created ? AuditActions.SheetOpen : AuditActions.SheetRescore, orgCode, cycle.ToString(), null,
            new { lines = lines.Length }), now, ct);
        await tx.CommitAsync(ct);
        return (await LoadAsync(id, ct))!;
    }

    /// <summary>
    /// Records entries in one column, all or none, and recomputes the columns. Each entry is checked against the rubric
    /// first (within the points in 0.5 steps, the item's own counts, a reason to change an auto score or to withdraw);
    /// an entry that gives the value its target already holds in the column is skipped, and a withdrawal of a target
    /// without an entry is refused. Each logged entry keeps who, when, and the target's score before and after.
    /// </summary>
    /// <param name="import">The workbook the entries come from, logged with them; null for a single entry.</param>
    /// <exception cref="ScoresheetException">An entry cannot be taken; nothing is recorded.</exception>
    /// <param name="by">Who enters: the name signs each entry, and each logged entry leaves an audit row in the same transaction.</param>
    public async Task<EntryOutcome> ApplyAsync(long scoresheetId, Column column, IReadOnlyList<(string Target, EntryValue Value)> changes, Actor by,
        ImportSource? import, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(by.Name))
        {
            throw new ScoresheetException("录入须署名：缺少录入人姓名");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        string rubricId, orgCode, cycleText;
        await using (var lockRow = new NpgsqlCommand("SELECT rubric_id, org_code, cycle FROM ingest.scoresheet WHERE id = $1 FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue(scoresheetId);
            await using var reader = await lockRow.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ScoresheetException($"评分表 {scoresheetId} 不存在");
            }

            (rubricId, orgCode, cycleText) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var rubric = RubricLibrary.Get(rubricId);
        var auto = await ReadAutoAsync(connection, tx, scoresheetId, ct);
        var logged = await ReadEntriesAsync(connection, tx, scoresheetId, ct);
        var entries = logged.Select(e => e.Entry).ToList();
        var now = clock.GetUtcNow();
        var pending = new List<(Entry Entry, decimal? Before, decimal? After, decimal? Auto)>();
        var previous = new Dictionary<Entry, EntryValue?>();
        var errors = new List<string>();
        var unchanged = 0;
        foreach (var (target, value) in changes)
        {
            var scoreTarget = FindTarget(rubric, target);
            if (scoreTarget is null)
            {
                errors.Add(rubric.Find(target) is { Rule: PartsRule parts }
                    ? $"指标 {target} 分为几部分，请分别填写：{string.Join("、", parts.Parts.Select(p => target + "/" + p.Key))}"
                    : $"评分标准 {rubric.Id} 没有指标 {target}");
                continue;
            }

            var outcome = auto.GetValueOrDefault(target);
            if (SheetScorer.Validate(scoreTarget, value, outcome) is { } error)
            {
                errors.Add(error);
                continue;
            }

            var current = SheetScorer.Latest(entries, column).GetValueOrDefault(target);
            if (value.IsWithdrawal && current is null)
            {
                errors.Add($"{RaterText.ItemName(target)}：{RaterText.ColumnTitle(column)}栏没有可撤回的录入");
                continue;
            }

            if (value.SameValueAs(current?.Value))
            {
                unchanged++;
                continue;
            }

            // Entries of one call share a moment; the tick keeps their order for "the latest wins".
            var entry = new Entry(target, column, value with { Reason = string.IsNullOrWhiteSpace(value.Reason) ? null : value.Reason.Trim() }, import?.SignedAs ?? by.Name.Trim(),
                now.AddTicks(pending.Count));
            var before = TargetScore(rubric, auto, column, entries, scoreTarget);
            entries.Add(entry);
            pending.Add((entry, before, TargetScore(rubric, auto, column, entries, scoreTarget), outcome?.Score));
            previous[entry] = current?.Value;
        }

        if (errors.Count > 0)
        {
            throw new ScoresheetException(string.Join("；", errors));
        }

        long? importId = null;
        if (import is not null)
        {
            await using var insertImport = new NpgsqlCommand("""
                INSERT INTO ingest.scoresheet_import (scoresheet_id, rating_column, file_name, imported_by, imported_at, entries, unchanged)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
                """, connection, tx);
            insertImport.Parameters.AddWithValue(scoresheetId);
            insertImport.Parameters.AddWithValue(ColumnName(column));
            insertImport.Parameters.AddWithValue(import.FileName);
            insertImport.Parameters.AddWithValue(by.Name.Trim());
            insertImport.Parameters.AddWithValue(now);
            insertImport.Parameters.AddWithValue(pending.Count);
            insertImport.Parameters.AddWithValue(unchanged);
            importId = (long)(await insertImport.ExecuteScalarAsync(ct))!;
        }

        foreach (var (entry, before, after, autoScore) in pending)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO ingest.scoresheet_entry (scoresheet_id, target, rating_column, score, counts, flag, reason, entered_by, entered_at, old_score, new_score,
                                                     auto_score, action, import_id)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """, connection, tx);
            insert.Parameters.AddWithValue(scoresheetId);
            insert.Parameters.AddWithValue(entry.Target);
            insert.Parameters.AddWithValue(ColumnName(column));
            insert.Parameters.Add(Nullable(entry.Value.Score));
            insert.Parameters.Add(new NpgsqlParameter { Value = entry.Value.Counts is null ? DBNull.Value : JsonSerializer.Serialize(entry.Value.Counts, Json), NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = entry.Value.Flag is { } f ? f : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Value.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.AddWithValue(entry.By);
            insert.Parameters.AddWithValue(entry.At);
            insert.Parameters.Add(Nullable(before));
            insert.Parameters.Add(Nullable(after));
            insert.Parameters.Add(Nullable(autoScore));
            insert.Parameters.AddWithValue(entry.Value.IsWithdrawal ? "withdraw" : "set");
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)importId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            await insert.ExecuteNonQueryAsync(ct);
            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(entry.Value.IsWithdrawal ? AuditActions.ScoreWithdraw : AuditActions.ScoreEntry, orgCode,
                $"{cycleText} {ColumnName(column)} {entry.Target}",
                new { score = before, entry = AuditValue(previous[entry]) },
                new { score = after, entry = AuditValue(entry.Value), file = import?.FileName, signedAs = import?.SignedAs }), now, ct);
        }

        if (pending.Count > 0)
        {
            logged = await ReadEntriesAsync(connection, tx, scoresheetId, ct);
            await SaveColumnsAsync(connection, tx, scoresheetId, Score(rubric, auto, logged), logged, ct);
        }

        await tx.CommitAsync(ct);
        return new EntryOutcome((await LoadAsync(scoresheetId, ct))!, pending.Count, unchanged);
    }

    /// <summary>The target <paramref name="key"/> of <paramref name="rubric"/> (an item, or item/part), or null.</summary>
    public static ScoreTarget? FindTarget(Rubric rubric, string key)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        return rubric.Items.SelectMany(i => i.Targets).FirstOrDefault(t => t.Key == key);
    }

    /// <summary>Records the level the school applies for (申报星级), or clears it.</summary>
    public async Task SetAppliedStarsAsync(long scoresheetId, int? stars, Actor by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("""
            UPDATE ingest.scoresheet s SET applied_stars = $2 FROM (SELECT id, applied_stars FROM ingest.scoresheet WHERE id = $1 FOR UPDATE) old
            WHERE s.id = old.id RETURNING s.org_code, s.cycle, old.applied_stars
            """, connection, tx);
        command.Parameters.AddWithValue(scoresheetId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)stars ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        string org, cycle;
        int? before;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new ScoresheetException($"评分表 {scoresheetId} 不存在");
            }

            (org, cycle, before) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
        }

        if (before != stars)
        {
            await AuditStore.AppendAsync(connection, tx, by, new AuditEvent(AuditActions.SheetAppliedStars, org, cycle, new { stars = before }, new { stars }), clock.GetUtcNow(), ct);
        }

        await tx.CommitAsync(ct);
    }

    private static object? AuditValue(EntryValue? value) =>
        value is null ? null : new { value.Score, value.Counts, value.Flag, value.Reason, withdraw = value.IsWithdrawal };

    /// <summary>The id of the scoresheet of an organisation, rubric and cycle, or null.</summary>
    public async Task<long?> FindAsync(string orgCode, string rubricId, EvaluationCycle cycle, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM ingest.scoresheet WHERE org_code = $1 AND rubric_id = $2 AND cycle = $3");
        command.Parameters.AddWithValue(orgCode);
        command.Parameters.AddWithValue(rubricId);
        command.Parameters.AddWithValue(cycle.ToString());
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>A scoresheet with its auto lines, entries and columns scored now, or null.</summary>
    public async Task<Scoresheet?> LoadAsync(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT s.org_code, o.name, o.parent_code, s.rubric_id, s.cycle, s.periods::text, s.applied_stars, s.scored_at, s.settings::text
            FROM ingest.scoresheet s JOIN ingest.organisation o ON o.code = s.org_code WHERE s.id = $1
            """, connection);
        command.Parameters.AddWithValue(id);
        string org, name, rubricId, cycle, periods, settings;
        string? county;
        int? applied;
        DateTimeOffset scoredAt;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            (org, name, county, rubricId, cycle, periods) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5));
            applied = reader.IsDBNull(6) ? null : reader.GetInt32(6);
            scoredAt = reader.GetFieldValue<DateTimeOffset>(7);
            settings = reader.GetString(8);
        }

        var rubric = RubricLibrary.Get(rubricId);
        var auto = await ReadAutoAsync(connection, null, id, ct);
        var entries = await ReadEntriesAsync(connection, null, id, ct);
        var p = JsonSerializer.Deserialize<Dictionary<string, string>>(periods, Json)!;
        return new Scoresheet(id, org, name, county, rubric, EvaluationCycle.Parse(cycle),
            new CyclePeriods(Period.Parse(p["calendarYear"]), Period.Parse(p["schoolYear"]), Period.Parse(p["export"])),
            applied, scoredAt, JsonSerializer.Deserialize<string[]>(settings, Json)!, auto, entries, Score(rubric, auto, entries));
    }

    /// <summary>Scoresheets of a cycle, optionally of one county's schools (or the county itself), in organisation code order.</summary>
    public async Task<IReadOnlyList<ScoresheetSummary>> ListAsync(EvaluationCycle cycle, string? countyCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        await using var command = dataSource.CreateCommand("""
            SELECT s.id, s.org_code, o.name, CASE WHEN o.level = 'county' THEN o.code ELSE o.parent_code END, s.rubric_id, s.cycle, s.applied_stars, s.scored_at,
                   c.rating_column, c.total, c.stars, c.stars_by_total, c.unmet_veto_items, c.pending, c.not_computable, c.entries
            FROM ingest.scoresheet s
            JOIN ingest.organisation o ON o.code = s.org_code
            LEFT JOIN ingest.scoresheet_column c ON c.scoresheet_id = s.id
            WHERE s.cycle = $1 AND ($2::text IS NULL OR o.parent_code = $2 OR o.code = $2)
            ORDER BY length(s.org_code), s.org_code, s.id
            """);
        command.Parameters.AddWithValue(cycle.ToString());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)countyCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<ScoresheetSummary>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (list.Count == 0 || list[^1].Id != id)
            {
                list.Add(new ScoresheetSummary(id, reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), new Dictionary<string, ColumnSummary>(StringComparer.Ordinal)));
            }

            if (!reader.IsDBNull(8))
            {
                ((Dictionary<string, ColumnSummary>)list[^1].Columns)[reader.GetString(8)] = new ColumnSummary(
                    reader.GetDecimal(9), reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetInt32(11),
                    reader.GetFieldValue<string[]>(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15));
            }
        }

        return list;
    }

    /// <summary>Ids of the scoresheets whose periods include any of <paramref name="periods"/>: those a run's new facts may change.</summary>
    public async Task<IReadOnlyList<(long Id, string OrgCode, string RubricId, string Cycle)>> ReadingAnyAsync(IReadOnlyCollection<string> periods, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, org_code, rubric_id, cycle FROM ingest.scoresheet
            WHERE periods->>'calendarYear' = ANY($1) OR periods->>'schoolYear' = ANY($1) OR periods->>'export' = ANY($1)
            ORDER BY id
            """);
        command.Parameters.AddWithValue(periods.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<(long, string, string, string)>();
        while (await reader.ReadAsync(ct))
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Each column scored from the auto outcomes and the entries.</summary>
    public static IReadOnlyList<ColumnResult> Score(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, IReadOnlyList<EntryLog> entries) =>
        AllColumns.Select(c => SheetScorer.Score(rubric, auto, c, entries.Select(e => e.Entry))).ToArray();

    public static string ColumnName(Column column) => column.ToString().ToLowerInvariant();

    public static Column ParseColumn(string name) => Enum.Parse<Column>(name, ignoreCase: true);

    private static decimal? TargetScore(Rubric rubric, IReadOnlyDictionary<string, AutoOutcome> auto, Column column, IEnumerable<Entry> entries, ScoreTarget target) =>
        SheetScorer.Score(rubric, auto, column, entries).Items.Single(i => i.Item.Number == target.ItemNumber).Targets.Single(t => t.Target.Key == target.Key).Score;

    private static async Task SaveColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, IReadOnlyList<ColumnResult> columns,
        IReadOnlyList<EntryLog> entries, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.scoresheet_column (scoresheet_id, rating_column, total, areas, stars, stars_by_total, unmet_veto_items, pending, not_computable, entries)
            SELECT $1, u.rating_column, u.total, u.areas, u.stars, u.stars_by_total, string_to_array(u.unmet, ','), u.pending, u.not_computable, u.entries
            FROM unnest($2::text[], $3::numeric[], $4::jsonb[], $5::integer[], $6::integer[], $7::text[], $8::integer[], $9::integer[], $10::integer[])
                AS u(rating_column, total, areas, stars, stars_by_total, unmet, pending, not_computable, entries)
            ON CONFLICT (scoresheet_id, rating_column) DO UPDATE SET total = excluded.total, areas = excluded.areas, stars = excluded.stars,
                stars_by_total = excluded.stars_by_total, unmet_veto_items = excluded.unmet_veto_items, pending = excluded.pending,
                not_computable = excluded.not_computable, entries = excluded.entries
            """, connection, tx);
        // unnest would flatten a text[][]: each column's unmet ★ items travel as one comma-joined string and are split back.
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(columns.Select(c => ColumnName(c.Column)).ToArray());
        command.Parameters.AddWithValue(columns.Select(c => c.Total).ToArray());
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = columns.Select(c => JsonSerializer.Serialize(c.Areas.ToDictionary(a => a.Area.Code, a => a.Score), Json)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = columns.Select(c => c.Stars?.Stars).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = columns.Select(c => c.Stars?.ByTotal).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.AddWithValue(columns.Select(c => string.Join(',', c.Stars?.UnmetVetoItems ?? [])).ToArray());
        command.Parameters.AddWithValue(columns.Select(c => c.Pending).ToArray());
        command.Parameters.AddWithValue(columns.Select(c => c.NotComputable).ToArray());
        command.Parameters.AddWithValue(columns.Select(c => entries.Count(e => e.Entry.Column == c.Column)).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Dictionary<string, AutoOutcome>> ReadAutoAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT target, score, reason, summary, settings::text, evidence::text, on_site FROM ingest.scoresheet_auto WHERE scoresheet_id = $1", connection, tx);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var auto = new Dictionary<string, AutoOutcome>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            auto[reader.GetString(0)] = new AutoOutcome(NullableDecimal(reader, 1), reader.IsDBNull(2) ? null : reader.GetString(2),
                JsonSerializer.Deserialize<FactEvidence[]>(reader.GetString(5), Json)!, JsonSerializer.Deserialize<string[]>(reader.GetString(4), Json)!,
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(6));
        }

        return auto;
    }

    private static async Task<List<EntryLog>> ReadEntriesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long id, CancellationToken ct) =>
        (await ReadEntriesAsync(connection, tx, [id], ct)).GetValueOrDefault(id) ?? [];

    /// <summary>The entries of each of the sheets, in the order they were made; a sheet without entries has no key.</summary>
    private static async Task<Dictionary<long, List<EntryLog>>> ReadEntriesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long[] ids,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, target, rating_column, score, counts::text, flag, reason, entered_by, entered_at, old_score, new_score, auto_score, scoresheet_id
            FROM ingest.scoresheet_entry WHERE scoresheet_id = ANY($1) ORDER BY scoresheet_id, id
            """, connection, tx);
        command.Parameters.AddWithValue(ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new Dictionary<long, List<EntryLog>>();
        while (await reader.ReadAsync(ct))
        {
            var value = new EntryValue(NullableDecimal(reader, 3),
                reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(4), Json),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6));
            var sheet = reader.GetInt64(12);
            if (!entries.TryGetValue(sheet, out var list))
            {
                entries[sheet] = list = [];
            }

            list.Add(new EntryLog(reader.GetInt64(0),
                new Entry(reader.GetString(1), ParseColumn(reader.GetString(2)), value, reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8)),
                NullableDecimal(reader, 9), NullableDecimal(reader, 10), NullableDecimal(reader, 11)));
        }

        return entries;
    }

    private static Dictionary<string, string> PeriodsJson(CyclePeriods periods) => new()
    {
        ["calendarYear"] = periods.CalendarYear.Code,
        ["schoolYear"] = periods.SchoolYear.Code,
        ["export"] = periods.InfrastructureExport.Code,
    };

    private static NpgsqlParameter Nullable(decimal? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric };

    private static decimal? NullableDecimal(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
