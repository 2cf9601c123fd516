-- 佐证材料: files a school or its bureau uploads behind a line of a sheet (an item, or a part of one), per cycle.
-- The bytes live in the content store by SHA-256; a row says whose file it is. Removing or replacing a file marks its
-- row (who, when, why) and keeps it and its content: the trail shows what a rater saw.
CREATE TABLE ingest.evidence_file (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle        text NOT NULL,
    org_code     text NOT NULL REFERENCES ingest.organisation (code),
    target       text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name    text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('Pdf', 'Jpeg', 'Png', 'Docx', 'Xlsx')),
    bytes        bigint NOT NULL CHECK (bytes > 0),
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    replaces_id  bigint REFERENCES ingest.evidence_file (id),
    removed_by   text,
    removed_at   timestamptz,
    removed_why  text
);
CREATE INDEX evidence_file_sheet_idx ON ingest.evidence_file (cycle, org_code, target, id);
