-- The county evaluation visit of the 达标县 standard (seed 004, 一、评估方法): 听取汇报 (the county's report, 2000字以内),
-- 调阅数据 (事前采集: the county sheet as it stood at the end of a chosen run), 实地查看 (schools of every 学段 drawn at
-- random, recorded with the seed and the list drawn from) and 座谈交流 (issues raised by school leaders, teachers and students).
-- The expert group's scores are the 教育厅评定 column of the county sheet, each entry signed by its expert.
CREATE TABLE ingest.county_visit (
    cycle          text NOT NULL,
    county_code    text NOT NULL REFERENCES ingest.organisation (code),
    report         text,
    report_source  text,
    report_by      text,
    report_at      timestamptz,
    data_run_id    bigint,
    data_as_of     timestamptz,
    data_by        text,
    data_at        timestamptz,
    seed           bigint,
    sample_size    integer,
    population     jsonb,
    sample         jsonb,
    drawn_by       text,
    drawn_at       timestamptz,
    PRIMARY KEY (cycle, county_code)
);

CREATE TABLE ingest.county_visit_note (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle        text NOT NULL,
    county_code  text NOT NULL REFERENCES ingest.organisation (code),
    speaker      text NOT NULL CHECK (speaker IN ('学校领导', '教师', '学生')),
    school_code  text REFERENCES ingest.organisation (code),
    issue        text NOT NULL,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX county_visit_note_idx ON ingest.county_visit_note (cycle, county_code, id);
