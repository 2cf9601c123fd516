-- Schools' self-assessment claims (自评), imported from a claims file by a school for itself or a bureau for its
-- county. Every import is kept; a school's current claims for a cycle are those of the latest import that held it.
CREATE TABLE ingest.claim_import (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle        text NOT NULL,
    file_name    text NOT NULL,
    imported_by  text NOT NULL,
    imported_at  timestamptz NOT NULL,
    schools      text[] NOT NULL,
    rows         integer NOT NULL
);

CREATE TABLE ingest.claim (
    import_id    bigint NOT NULL REFERENCES ingest.claim_import (id),
    school_code  text NOT NULL REFERENCES ingest.organisation (code),
    item         text NOT NULL,              -- the rubric's item number (23)
    target       text NOT NULL,              -- what is claimed: the item (23; 16 for the whole of a parted item) or a part (16/library)
    score        numeric NOT NULL,           -- 自评得分
    figure       numeric,                    -- 自评数据
    note         text,                       -- 说明
    line         integer NOT NULL,           -- the line of the file, for people to find it
    PRIMARY KEY (import_id, school_code, item, target)
);
CREATE INDEX claim_school_idx ON ingest.claim (school_code, import_id DESC);
