-- 整改: a line of a school's gap plan the bureau turns into an item to fix by a deadline. The school submits (a note
-- and/or a file, kept by SHA-256 in the content store), the bureau verifies or returns it. A data line whose figure
-- passes its threshold in a later run is marked 数据已达标 with that run, and still waits for the bureau.
CREATE TABLE ingest.remediation_item (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle           text NOT NULL,
    org_code        text NOT NULL REFERENCES ingest.organisation (code),
    county_code     text NOT NULL REFERENCES ingest.organisation (code),
    target          text NOT NULL,
    problem         text NOT NULL,
    recovers        numeric(6, 1) NOT NULL,
    data_line       boolean NOT NULL,
    deadline        date NOT NULL,
    status          text NOT NULL CHECK (status IN ('待整改', '已提交', '已核实', '退回')),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    submit_note     text,
    submit_sha256   text CHECK (submit_sha256 ~ '^[0-9a-f]{64}$'),
    submit_file     text,
    submit_kind     text,
    submit_bytes    bigint,
    submitted_by    text,
    submitted_at    timestamptz,
    verify_note     text,
    verified_by     text,
    verified_at     timestamptz,
    data_met_run    bigint,
    data_met_period text,
    data_met_figure text,
    data_met_at     timestamptz,
    UNIQUE (cycle, org_code, target)
);
CREATE INDEX remediation_item_county_idx ON ingest.remediation_item (cycle, county_code, deadline);
CREATE INDEX remediation_item_data_idx ON ingest.remediation_item (id) WHERE data_line AND data_met_run IS NULL AND status <> '已核实';
