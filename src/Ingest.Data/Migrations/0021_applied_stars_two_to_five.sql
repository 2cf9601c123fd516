-- 申报星级 is 二 to 五星级: 第十条 of the measures defines no 一星级 (70 points and above is 二星级). A stored 1 can only be an
-- application for a level that does not exist; it is withdrawn (the entry log and audit keep who recorded it).
UPDATE ingest.scoresheet SET applied_stars = NULL WHERE applied_stars = 1;
ALTER TABLE ingest.scoresheet DROP CONSTRAINT IF EXISTS scoresheet_applied_stars_check;
ALTER TABLE ingest.scoresheet ADD CONSTRAINT scoresheet_applied_stars_check CHECK (applied_stars BETWEEN 2 AND 5);
