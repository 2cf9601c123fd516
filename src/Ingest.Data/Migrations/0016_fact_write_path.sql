-- The fact write path at the database's pace (bench/RESULTS.md). Each of these cost a lookup or an index entry per
-- fact written, for a guarantee the write already gives by construction or a read that needs far fewer rows:
--  * a fact's indicator is checked against the catalogue (which seeds ingest.indicator) before the batch is written;
--  * a fact's run is the run of the unit committed in the same transaction, whose row references ingest.run and is
--    updated under its lease there; runs are never deleted;
--  * the region roll-up reads county facts by source and period: a partial index over the counties' rows (a few
--    hundred a night) serves it, where the full one took an entry for every school's fact.
ALTER TABLE ingest.fact DROP CONSTRAINT fact_indicator_code_fkey;
ALTER TABLE ingest.fact DROP CONSTRAINT fact_run_id_fkey;
DROP INDEX ingest.fact_source_period_idx;
CREATE INDEX fact_county_source_period_idx ON ingest.fact (source, period, indicator_code) WHERE length(org_code) = 6;
