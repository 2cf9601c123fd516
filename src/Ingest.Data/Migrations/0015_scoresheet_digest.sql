-- The digest of a sheet's auto lines (their digests in target order): a re-score that finds it unchanged reads none of
-- the sheet's lines and leaves its columns, which only its lines and entries move (an entry recomputes them itself).
ALTER TABLE ingest.scoresheet ADD COLUMN auto_fingerprint bytea;
