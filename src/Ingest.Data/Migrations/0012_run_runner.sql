-- A run driven by one process (the command line runs its units itself, not through Hangfire) names it, so that
-- when that process dies the units it had not started yet are settled too, not left pending for ever.
ALTER TABLE ingest.run ADD COLUMN runner text;
