-- The cultivation roster of a year (宁教发〔2022〕33号 第六–九条): the schools the department selected as 培育对象, with
-- the 批复 that approved them; a county's own cultivation schools (第九条) kept apart; and the schools under the
-- department (厅直属), which apply to it directly. The 30% allowance of 第十一条（二） counts this roster, not the sheets.
CREATE TABLE ingest.cultivation_roster (
    year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    school_code    text NOT NULL REFERENCES ingest.organisation (code),
    county_code    text NOT NULL REFERENCES ingest.organisation (code),   -- the county it is counted in (its own, or the region for 厅直属)
    kind           text NOT NULL CHECK (kind IN ('region', 'county', 'direct')),
    approval_doc   text,                                                  -- 批复文号
    approval_date  date,
    added_by       text NOT NULL,
    added_at       timestamptz NOT NULL,
    PRIMARY KEY (year, school_code)
);
CREATE INDEX cultivation_roster_county_idx ON ingest.cultivation_roster (year, county_code);
