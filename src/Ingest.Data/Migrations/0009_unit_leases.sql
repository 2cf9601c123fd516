-- A running unit holds a lease that its worker renews while it works. When the lease runs out (the process died,
-- or its host lost the database), any host's sweeper marks the unit 'interrupted' with the reason, and the run
-- completes as 'partial' once every unit is settled. Only the lease's holder may commit or fail the unit, so a
-- duplicate job never runs a unit that is running, and never marks it failed.
ALTER TABLE ingest.run_unit ADD COLUMN lease_owner text, ADD COLUMN lease_expires_at timestamptz;
ALTER TABLE ingest.run_unit DROP CONSTRAINT run_unit_status_check;
ALTER TABLE ingest.run_unit ADD CONSTRAINT run_unit_status_check
    CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'interrupted'));
CREATE INDEX run_unit_running_idx ON ingest.run_unit (lease_expires_at) WHERE status = 'running';

-- A backfill re-reads a past period on a person's request; the nightly run's state (its dedupe key, the freshness
-- of last night) is not disturbed, and the run says what it was.
ALTER TABLE ingest.run ADD COLUMN backfill boolean NOT NULL DEFAULT false;
