-- A printed 星级认定表 kept by the digest of what was printed (the form's HTML): the same sheet printed again costs
-- nothing, on any host. Entries older than the service's keep time are dropped as new ones are added.
CREATE TABLE ingest.printed_form (
    digest bytea PRIMARY KEY,
    pdf bytea NOT NULL,
    printed_at timestamptz NOT NULL
);
CREATE INDEX printed_form_printed_at ON ingest.printed_form (printed_at);
