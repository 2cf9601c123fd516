-- The keys that sign session cookies and antiforgery tokens (ASP.NET Core Data Protection), shared by every host:
-- a browser signed in through one host stays signed in whichever host answers next, and across restarts.
CREATE TABLE ingest.data_protection_key (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name  text,
    xml            text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
