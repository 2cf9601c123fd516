-- The department's decision on a county under 第十五条 for a rating year: 通报批评 or not, the county's 培育 quota for
-- the next year when it is cut, and the department's note. One row per county and cycle; each change audited.
CREATE TABLE ingest.county_decision (
    cycle        text NOT NULL,
    county_code  text NOT NULL REFERENCES ingest.organisation (code),
    criticised   boolean NOT NULL,
    quota        integer CHECK (quota >= 0),
    note         text,
    decided_by   text NOT NULL,
    decided_at   timestamptz NOT NULL,
    PRIMARY KEY (cycle, county_code)
);
