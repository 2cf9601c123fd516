-- The fewest requests a stream's rows could be read in, next to the pages made: a night that reads a listing twice,
-- or more pages than its rows fill, shows it. Null for streams recorded before, or by a connector that does not say.
ALTER TABLE ingest.run_stream ADD COLUMN pages_needed integer;
