-- Whether a ★ item is met at full points (the default reading) or at any points is a setting (Scoring:StarItemsMet).
-- Each column keeps the level the other reading would give, so the programme report can name the schools whose level
-- depends on the reading without re-scoring a sheet. Filled as sheets are next scored.
ALTER TABLE ingest.scoresheet_column ADD COLUMN stars_other_reading integer;
