-- 备案: when a bureau finalises its county, each school's sheet is frozen as it stands. Its auto lines (the facts it
-- used, with their runs and moments) are no longer re-scored, and entries to a frozen column are refused. The
-- department may reopen a county or a school with a reason; every finalising and reopening is kept.
ALTER TABLE ingest.scoresheet ADD COLUMN frozen_columns text[] NOT NULL DEFAULT '{}';

CREATE TABLE ingest.scoresheet_stage (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scoresheet_id  bigint NOT NULL REFERENCES ingest.scoresheet (id) ON DELETE CASCADE,
    action         text NOT NULL CHECK (action IN ('finalise', 'reopen')),
    columns        text[] NOT NULL,                 -- the columns frozen after it
    reason         text,
    done_by        text NOT NULL,
    done_at        timestamptz NOT NULL
);
CREATE INDEX scoresheet_stage_sheet_idx ON ingest.scoresheet_stage (scoresheet_id, id);
