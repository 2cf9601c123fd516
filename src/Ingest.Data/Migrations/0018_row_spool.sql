-- The rows of a listing a connector is reading, kept once per key while the listing is read and dropped when the
-- county is normalised: the connector holds one page in memory however many teachers or sessions a county has.
-- Unlogged: nothing in it outlives the read that wrote it, and a database crash that empties it fails only that read.
CREATE SEQUENCE ingest.row_spool_id;

CREATE TABLE ingest.row_spool_owner (
    spool_id  bigint PRIMARY KEY,
    run_id    bigint NOT NULL,
    connector text NOT NULL,
    stream    text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE ingest.row_spool (
    spool_id bigint NOT NULL,
    key      text NOT NULL,
    part     integer NOT NULL,
    body     bytea NOT NULL,
    PRIMARY KEY (spool_id, key, part)
);
