-- 抽查 (宁教发〔2022〕33号 第十五条（3）: 自治区教育厅对各地二星级、三星级学校进行抽查不合格的): the department draws a
-- sample of a county's 二星级/三星级 schools, re-rates each in its 教育厅评定 column, and concludes each check 合格 or
-- 不合格; the county's outcome is recorded when the department closes the draw, which publishes it to the bureau.
-- The draw is recorded as it was made: its seed, the size asked for and every eligible school with its 学段 and level,
-- so anyone can draw it again and get the same schools.
CREATE TABLE ingest.spot_check_draw (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle          text NOT NULL,
    county_code    text NOT NULL REFERENCES ingest.organisation (code),
    seed           bigint NOT NULL,
    sample_size    integer NOT NULL CHECK (sample_size > 0),
    population     jsonb NOT NULL,          -- [{code, name, stratum, stars}] eligible when drawn
    drawn_by       text NOT NULL,
    drawn_at       timestamptz NOT NULL,
    outcome        text CHECK (outcome IN ('合格', '不合格')),
    note           text,
    closed_by      text,
    closed_at      timestamptz,
    UNIQUE (cycle, county_code)
);

CREATE TABLE ingest.spot_check (
    draw_id           bigint NOT NULL REFERENCES ingest.spot_check_draw (id),
    school_code       text NOT NULL REFERENCES ingest.organisation (code),
    stratum           text NOT NULL,
    bureau_stars      integer NOT NULL,
    department_stars  integer,
    outcome           text CHECK (outcome IN ('合格', '不合格')),
    note              text,
    decided_by        text,
    decided_at        timestamptz,
    PRIMARY KEY (draw_id, school_code)
);
