-- A scheduled run is started once per cycle and night even when the nightly job is executed again
-- (a retry, or two hosts' schedulers): the job looks its run up by this key.
ALTER TABLE ingest.run ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX run_dedupe_key_idx ON ingest.run (dedupe_key) WHERE dedupe_key IS NOT NULL;
