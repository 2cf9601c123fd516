-- The rating year after 备案 (宁教发〔2022〕33号 第十至十四条).
-- 申报四星级 goes to the department through the bureau (第十一条（二）: 同时向自治区教育厅申报四星级学校的认定申请):
-- a school's own 申报星级 of 4 or 5 is an application only once its bureau has forwarded it.
CREATE TABLE ingest.star_application (
    year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    school_code    text NOT NULL REFERENCES ingest.organisation (code),
    county_code    text NOT NULL REFERENCES ingest.organisation (code),
    applied_stars  integer NOT NULL CHECK (applied_stars BETWEEN 4 AND 5),
    forwarded_by   text NOT NULL,
    forwarded_at   timestamptz NOT NULL,
    PRIMARY KEY (year, school_code)
);
CREATE INDEX star_application_county_idx ON ingest.star_application (year, county_code);

-- The register of levels: every 授牌 (by the bureau for 二、三星级, by the department for 四、五星级 and 厅直属
-- schools), every 降低 or 取消 of 第十四条, and the levels awarded before this service (imported). A school holds
-- the level of its latest entry, across years, until another entry changes it; 取消 is a level of 0.
CREATE TABLE ingest.star_level (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_code  text NOT NULL REFERENCES ingest.organisation (code),
    county_code  text NOT NULL REFERENCES ingest.organisation (code),
    year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),   -- the rating year the entry belongs to
    action       text NOT NULL CHECK (action IN ('award', 'lower', 'revoke', 'import')),
    stars        integer NOT NULL CHECK (stars = 0 OR stars BETWEEN 2 AND 5),
    body         text NOT NULL,                                        -- 认定单位, as written
    decided_on   date NOT NULL,                                        -- 授牌 or decision date
    document     text,                                                 -- 文号
    note         text,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    CHECK ((action = 'revoke') = (stars = 0))
);
CREATE INDEX star_level_school_idx ON ingest.star_level (school_code, year, decided_on, id);
CREATE INDEX star_level_county_idx ON ingest.star_level (county_code, year);
-- One 授牌 (or imported level) per school and year: awarding a county twice adds nothing.
CREATE UNIQUE INDEX star_level_once_a_year ON ingest.star_level (school_code, year) WHERE action IN ('award', 'import');
