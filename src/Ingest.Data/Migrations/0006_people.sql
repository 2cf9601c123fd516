-- People and permissions: accounts that sign in, API tokens for automation, and one audit trail of every write.

-- A person who signs in. The display name signs what they enter; role and scope decide what they may read and write
-- (ops and department: the region 640000; bureau: a county; school: a school; auditor: the region or a county).
CREATE TABLE ingest.account (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login            text NOT NULL,
    display_name     text NOT NULL CHECK (btrim(display_name) <> ''),
    role             text NOT NULL CHECK (role IN ('ops', 'department', 'bureau', 'school', 'auditor')),
    scope            text NOT NULL,
    password_hash    text NOT NULL,                 -- PasswordHasher<T> (PBKDF2, salted, versioned)
    disabled         boolean NOT NULL DEFAULT false,
    security_stamp   uuid NOT NULL,                 -- changes with the password or the account's state: signs out every browser
    failed_sign_ins  integer NOT NULL DEFAULT 0,    -- in a row since the last success
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL,
    created_by       text NOT NULL,
    last_sign_in_at  timestamptz
);
-- Logins compare without regard to case: 'WangLi' and 'wangli' are one person.
CREATE UNIQUE INDEX account_login_idx ON ingest.account (lower(login));

-- A token for automation, created by ops for a role and scope, shown once; only its SHA-256 is kept (the token is 256
-- random bits, so a fast hash is what GitHub and others use for the same purpose).
CREATE TABLE ingest.api_token (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (btrim(name) <> ''),   -- what it is for; signs what it writes
    role           text NOT NULL CHECK (role IN ('ops', 'department', 'bureau', 'school', 'auditor')),
    scope          text NOT NULL,
    token_hash     bytea NOT NULL UNIQUE,
    prefix         text NOT NULL,                  -- the first characters, so a person can tell tokens apart
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL,
    last_used_at   timestamptz,
    revoked_at     timestamptz,
    revoked_by     text
);

-- Every write, appended: score entries, applied stars, contacts, runs a person started, re-scores, account and token
-- changes, sign-ins that succeed or fail. Nothing updates or deletes a row; the triggers below refuse it.
CREATE TABLE ingest.audit_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,                    -- display name (or the login typed, for a failed sign-in)
    login       text,                             -- account login or token name
    role        text,
    scope       text,
    action      text NOT NULL,                    -- score.entry, sheet.applied_stars, account.create, auth.sign_in_failed, …
    org_code    text,                             -- the organisation the write concerns
    subject     text,                             -- what within it: cycle and item, account login, token id
    old_value   jsonb,
    new_value   jsonb,
    address     text                              -- client address, or 命令行 and the OS user for the CLI
);
CREATE INDEX audit_event_at_idx ON ingest.audit_event (at);
CREATE INDEX audit_event_org_idx ON ingest.audit_event (org_code, at);
CREATE INDEX audit_event_actor_idx ON ingest.audit_event (actor, at);

CREATE FUNCTION ingest.audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON ingest.audit_event
    FOR EACH ROW EXECUTE FUNCTION ingest.audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON ingest.audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION ingest.audit_event_append_only();
