-- 通报: what the author of a county's bulletin wrote where the data cannot speak (the basis documents, the dates, the
-- team, each school's on-site praise): one row per hole, replaced when rewritten; each change audited.
CREATE TABLE ingest.bulletin_input (
    cycle        text NOT NULL,
    county_code  text NOT NULL REFERENCES ingest.organisation (code),
    key          text NOT NULL,
    value        text NOT NULL,
    written_by   text NOT NULL,
    written_at   timestamptz NOT NULL,
    PRIMARY KEY (cycle, county_code, key)
);
