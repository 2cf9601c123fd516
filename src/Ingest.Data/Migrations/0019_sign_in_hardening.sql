-- Sign-in held against a guessing stranger and a copied cookie: failed tries kept by client address (throttled by
-- address first, an account's lock does not stop its owner at an address that has not failed), locks that back off,
-- sessions kept on the server with an absolute lifetime (sign-out ends them), tokens that expire and belong to an account.
CREATE TABLE ingest.sign_in_failure (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    address text NOT NULL,
    login text NOT NULL
);
CREATE INDEX sign_in_failure_address ON ingest.sign_in_failure (address, at);
CREATE INDEX sign_in_failure_login ON ingest.sign_in_failure (login, address, at);
CREATE INDEX sign_in_failure_at ON ingest.sign_in_failure (at);

-- How many times in a row the account has been locked: each lock lasts twice the one before (up to a day).
ALTER TABLE ingest.account ADD COLUMN locks integer NOT NULL DEFAULT 0;

CREATE TABLE ingest.session (
    id uuid PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES ingest.account (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at timestamptz,
    address text
);
CREATE INDEX session_account ON ingest.session (account_id);
CREATE INDEX session_expires ON ingest.session (expires_at);

ALTER TABLE ingest.api_token ADD COLUMN expires_at timestamptz, ADD COLUMN account_id bigint REFERENCES ingest.account (id);
UPDATE ingest.api_token SET expires_at = created_at + interval '365 days';
ALTER TABLE ingest.api_token ALTER COLUMN expires_at SET NOT NULL;
