-- 佐证材料 named behind a value: a 学校自评 claim and an entry (from the 填报表 or a claims file) may name files uploaded
-- behind the same line of the school's sheet, by file name. Checked against the live files when the claim or entry is
-- taken; kept as written, so the trail shows what was named even after a file is replaced.
ALTER TABLE ingest.claim ADD COLUMN evidence text[] NOT NULL DEFAULT '{}';
ALTER TABLE ingest.scoresheet_entry ADD COLUMN evidence text[] NOT NULL DEFAULT '{}';
