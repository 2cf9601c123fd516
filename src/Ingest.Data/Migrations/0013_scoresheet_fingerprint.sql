-- Each auto line carries a digest of what it holds (score, reason, summary, settings, evidence, on-site), so that a
-- re-score of many sheets compares digests and writes only the lines whose content changed.
ALTER TABLE ingest.scoresheet_auto ADD COLUMN fingerprint bytea;
