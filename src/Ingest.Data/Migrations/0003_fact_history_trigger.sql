-- Keep a fact's replaced value in fact_history from a trigger on the fact table itself. The write then
-- is one INSERT … ON CONFLICT per batch, which finds each existing fact through the primary key; the
-- earlier join of the staged batch with the fact table was planned badly before the table had
-- statistics on a first night (measured in bench/: 3,400 facts/s instead of tens of thousands).
-- A trigger also keeps the history whoever writes the table, and two writers of one fact take turns on
-- its row lock, so each sees the value the other committed.
CREATE FUNCTION ingest.keep_fact_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ingest.fact_history (org_code, indicator_code, period, source, value, numerator, denominator, unit, detail,
                                     run_id, fetched_at, superseded_at, superseded_by_run_id)
    VALUES (OLD.org_code, OLD.indicator_code, OLD.period, OLD.source, OLD.value, OLD.numerator, OLD.denominator, OLD.unit,
            OLD.detail, OLD.run_id, OLD.fetched_at, NEW.fetched_at, NEW.run_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER fact_keep_history
    BEFORE UPDATE ON ingest.fact
    FOR EACH ROW
    WHEN ((OLD.value, OLD.numerator, OLD.denominator, OLD.unit, OLD.detail)
          IS DISTINCT FROM (NEW.value, NEW.numerator, NEW.denominator, NEW.unit, NEW.detail))
    EXECUTE FUNCTION ingest.keep_fact_history();

-- The region roll-up and reports read facts by source and period.
DROP INDEX ingest.fact_indicator_period_idx;
CREATE INDEX fact_source_period_idx ON ingest.fact (source, period, indicator_code);
