-- Foundation schema. Forward-only: a later change is a new numbered file, never an edit of this one.

CREATE TABLE ingest.organisation (
    code                text PRIMARY KEY,
    name                text NOT NULL,
    level               text NOT NULL CHECK (level IN ('region', 'city', 'county', 'school')),
    parent_code         text REFERENCES ingest.organisation (code),
    -- A teaching point or a village school under 100 students counts through its township centre school.
    parent_school_code  text,
    school_type         text,
    is_teaching_point   boolean NOT NULL DEFAULT false,
    student_count       integer,
    active              boolean NOT NULL DEFAULT true,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((level = 'region') = (parent_code IS NULL))
);
CREATE INDEX organisation_parent_idx ON ingest.organisation (parent_code);
CREATE INDEX organisation_parent_school_idx ON ingest.organisation (parent_school_code) WHERE parent_school_code IS NOT NULL;

INSERT INTO ingest.organisation (code, name, level, parent_code) VALUES ('640000', '宁夏回族自治区', 'region', NULL);

CREATE TABLE ingest.indicator (
    code        text PRIMARY KEY,
    name_zh     text NOT NULL,
    unit        text NOT NULL,
    formula     text NOT NULL,
    source      text NOT NULL,
    aggregation text NOT NULL CHECK (aggregation IN ('ratio_of_sums', 'sum', 'none'))
);

CREATE TABLE ingest.run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger      text NOT NULL,                  -- schedule, cli, api
    cycle        text,                           -- school:2024, county:2024; null for an explicit period
    periods      text[] NOT NULL,
    counties     text[],                         -- null: every county of the region
    connectors   text[] NOT NULL,
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    note         text,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    host         text NOT NULL
);
CREATE INDEX run_started_idx ON ingest.run (started_at DESC);

-- One unit of work: a connector's streams for one county and period. Its row is the run's checkpoint:
-- it turns 'succeeded' in the same transaction that writes the unit's facts.
CREATE TABLE ingest.run_unit (
    run_id          bigint NOT NULL REFERENCES ingest.run (id),
    connector       text NOT NULL,
    county_code     text NOT NULL,
    period          text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    facts_inserted  integer NOT NULL DEFAULT 0,
    facts_updated   integer NOT NULL DEFAULT 0,
    facts_unchanged integer NOT NULL DEFAULT 0,
    error           text,
    started_at      timestamptz,
    finished_at     timestamptz,
    PRIMARY KEY (run_id, connector, county_code, period)
);

CREATE TABLE ingest.run_stream (
    run_id         bigint NOT NULL,
    connector      text NOT NULL,
    county_code    text NOT NULL,
    period         text NOT NULL,
    stream         text NOT NULL,
    status         text NOT NULL CHECK (status IN ('succeeded', 'flagged', 'failed')),
    pages          integer NOT NULL,
    rows_read      bigint NOT NULL,
    rows_kept      bigint NOT NULL,
    facts_emitted  integer NOT NULL,
    note           text,
    recorded_at    timestamptz NOT NULL,
    PRIMARY KEY (run_id, connector, county_code, period, stream),
    FOREIGN KEY (run_id, connector, county_code, period) REFERENCES ingest.run_unit
);
CREATE INDEX run_stream_lookup_idx ON ingest.run_stream (connector, stream, county_code, period, run_id DESC);

-- Every raw upstream answer, unchanged, so a unit can be re-normalised without calling the upstream.
CREATE TABLE ingest.raw_page (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES ingest.run (id),
    connector     text NOT NULL,
    stream        text NOT NULL,
    county_code   text,
    period        text,
    sequence      integer NOT NULL,
    request       text NOT NULL,
    http_status   integer NOT NULL,
    content_type  text,
    body          bytea NOT NULL,
    sha256        bytea NOT NULL,
    fetched_at    timestamptz NOT NULL
);
CREATE INDEX raw_page_unit_idx ON ingest.raw_page (run_id, connector, county_code, period, stream, sequence);

-- Current value of every fact. Key: (org, indicator, period, source).
CREATE TABLE ingest.fact (
    org_code        text NOT NULL,
    indicator_code  text NOT NULL REFERENCES ingest.indicator (code),
    period          text NOT NULL,
    source          text NOT NULL,
    value           numeric,
    numerator       numeric,
    denominator     numeric,
    unit            text,
    detail          jsonb,
    run_id          bigint NOT NULL REFERENCES ingest.run (id),  -- the run that recorded this value
    fetched_at      timestamptz NOT NULL,                        -- when that run read it
    last_seen_run_id bigint NOT NULL,                            -- the latest run that read the same value
    last_seen_at    timestamptz NOT NULL,
    PRIMARY KEY (org_code, indicator_code, period, source)
);
CREATE INDEX fact_indicator_period_idx ON ingest.fact (indicator_code, period);

-- Values a later run replaced: what the figures were when an earlier score was pre-filled.
-- A fact's value at time T is the version with fetched_at <= T < superseded_at (or the current row).
CREATE TABLE ingest.fact_history (
    org_code        text NOT NULL,
    indicator_code  text NOT NULL,
    period          text NOT NULL,
    source          text NOT NULL,
    value           numeric,
    numerator       numeric,
    denominator     numeric,
    unit            text,
    detail          jsonb,
    run_id          bigint NOT NULL,
    fetched_at      timestamptz NOT NULL,
    superseded_at   timestamptz NOT NULL,
    superseded_by_run_id bigint NOT NULL
);
CREATE INDEX fact_history_key_idx ON ingest.fact_history (org_code, indicator_code, period, source, superseded_at);
