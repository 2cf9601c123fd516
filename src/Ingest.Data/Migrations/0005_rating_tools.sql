-- What rating staff need around the scoring engine: lines that wait for on-site confirmation with their data,
-- entries that can be withdrawn, filled workbooks imported in one step, and a school's contact for its form.

-- An auto line whose data covers only part of what the item names (county A1.2): no score, the data shown, and a
-- person confirms the rest on site.
ALTER TABLE ingest.scoresheet_auto ADD COLUMN on_site boolean NOT NULL DEFAULT false;

-- One imported workbook: who imported which column of which sheet from which file. A re-import replaces what the
-- earlier one entered; both stay in the entry log.
CREATE TABLE ingest.scoresheet_import (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scoresheet_id  bigint NOT NULL REFERENCES ingest.scoresheet (id) ON DELETE CASCADE,
    rating_column  text NOT NULL CHECK (rating_column IN ('self', 'bureau', 'department')),
    file_name      text NOT NULL,
    imported_by    text NOT NULL,
    imported_at    timestamptz NOT NULL,
    entries        integer NOT NULL,             -- entries it wrote (values and withdrawals)
    unchanged      integer NOT NULL              -- rows that already held the value in the file
);
CREATE INDEX scoresheet_import_sheet_idx ON ingest.scoresheet_import (scoresheet_id, rating_column, id);

-- An entry either sets a value (exactly one of score, counts, flag) or withdraws the one before it, with a reason:
-- the line goes back to its pre-filled score, or to waiting for a person.
ALTER TABLE ingest.scoresheet_entry ADD COLUMN action text NOT NULL DEFAULT 'set' CHECK (action IN ('set', 'withdraw'));
ALTER TABLE ingest.scoresheet_entry ADD COLUMN import_id bigint REFERENCES ingest.scoresheet_import (id);
ALTER TABLE ingest.scoresheet_entry DROP CONSTRAINT scoresheet_entry_check;
ALTER TABLE ingest.scoresheet_entry ADD CONSTRAINT scoresheet_entry_value_check CHECK (
    CASE action
        WHEN 'set' THEN (score IS NOT NULL)::int + (counts IS NOT NULL)::int + (flag IS NOT NULL)::int = 1
        ELSE score IS NULL AND counts IS NULL AND flag IS NULL AND reason IS NOT NULL
    END);

-- 联系人 and 联系方式 of the 星级认定表: set by the school or its bureau, kept apart from the directory the connectors
-- maintain so that a nightly directory refresh never overwrites them.
CREATE TABLE ingest.organisation_contact (
    org_code        text PRIMARY KEY REFERENCES ingest.organisation (code),
    contact_person  text,
    contact_phone   text,
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL
);
