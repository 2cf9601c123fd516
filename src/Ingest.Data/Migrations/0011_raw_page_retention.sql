-- The raw archive is kept for a configured number of days and pruned in small batches by the oldest first; this
-- index finds them without reading the bodies. The fact history is kept whole.
CREATE INDEX raw_page_fetched_idx ON ingest.raw_page (fetched_at);
