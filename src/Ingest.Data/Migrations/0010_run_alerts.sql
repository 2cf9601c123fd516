-- When a run ends with failures or stale data, the configured webhook is called once: whichever unit finishes the
-- run sets this first and sends; another that finishes it at the same moment finds it set.
ALTER TABLE ingest.run ADD COLUMN alerted_at timestamptz;
