-- Scoresheets: one per organisation, rubric and evaluation cycle. Auto lines are replaced at every re-score;
-- what people enter is an append-only log, so re-scoring never touches it and every change keeps who, when,
-- the old and the new value.
CREATE TABLE ingest.scoresheet (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_code       text NOT NULL REFERENCES ingest.organisation (code),
    rubric_id      text NOT NULL,
    cycle          text NOT NULL,                 -- school:2024, county:2024
    periods        jsonb NOT NULL,                -- {"calendarYear": "2023", "schoolYear": "2023-2024", "export": "2024-06-30"}
    settings       jsonb NOT NULL,                -- the scoring settings in force at the last scoring
    applied_stars  integer CHECK (applied_stars BETWEEN 1 AND 5),   -- 申报星级
    created_at     timestamptz NOT NULL,
    scored_at      timestamptz NOT NULL,
    UNIQUE (org_code, rubric_id, cycle)
);
CREATE INDEX scoresheet_cycle_idx ON ingest.scoresheet (cycle, rubric_id);

-- The engine's pre-filled outcome per target (an item, or a part of one): score or the reason it is not computable,
-- with the facts it read (their values, periods, sources and runs).
CREATE TABLE ingest.scoresheet_auto (
    scoresheet_id  bigint NOT NULL REFERENCES ingest.scoresheet (id) ON DELETE CASCADE,
    target         text NOT NULL,
    score          numeric,
    reason         text,
    summary        text,
    settings       jsonb NOT NULL DEFAULT '[]',
    evidence       jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (scoresheet_id, target)
);

CREATE TABLE ingest.scoresheet_entry (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scoresheet_id  bigint NOT NULL REFERENCES ingest.scoresheet (id) ON DELETE CASCADE,
    target         text NOT NULL,
    rating_column  text NOT NULL CHECK (rating_column IN ('self', 'bureau', 'department')),
    score          numeric,
    counts         jsonb,
    flag           boolean,
    reason         text,
    entered_by     text NOT NULL,
    entered_at     timestamptz NOT NULL,
    old_score      numeric,                        -- the target's score in that column just before
    new_score      numeric,                        -- and just after
    auto_score     numeric,                        -- the auto score at the time, when the target has one
    CHECK ((score IS NOT NULL)::int + (counts IS NOT NULL)::int + (flag IS NOT NULL)::int = 1)
);
CREATE INDEX scoresheet_entry_sheet_idx ON ingest.scoresheet_entry (scoresheet_id, target, rating_column, id);

-- Each column's totals as last computed, for lists and programme reports.
CREATE TABLE ingest.scoresheet_column (
    scoresheet_id    bigint NOT NULL REFERENCES ingest.scoresheet (id) ON DELETE CASCADE,
    rating_column    text NOT NULL CHECK (rating_column IN ('self', 'bureau', 'department')),
    total            numeric NOT NULL,
    areas            jsonb NOT NULL,
    stars            integer,
    stars_by_total   integer,
    unmet_veto_items text[] NOT NULL DEFAULT '{}',
    pending          integer NOT NULL,
    not_computable   integer NOT NULL,
    entries          integer NOT NULL,
    PRIMARY KEY (scoresheet_id, rating_column)
);
