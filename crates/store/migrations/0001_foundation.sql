-- Foundation: durable jobs, the mail outbox, the audit log and instance metadata.
-- Instants are BIGINT microseconds since the Unix epoch (UTC). See crates/store/src/lib.rs.

CREATE TABLE jobs (
    id {{id}},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- Two jobs with the same key never both exist: the second enqueue is a no-op.
    idempotency_key TEXT UNIQUE,
    -- queued | running | done | dead
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_queued ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at) WHERE state = 'dead';
CREATE INDEX jobs_done ON jobs (finished_at) WHERE state = 'done';

CREATE TABLE outbox (
    id {{id}},
    message_id TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    mail_from TEXT NOT NULL,
    -- Envelope recipients, one per line.
    rcpt_to TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- The whole RFC 5322 message, as it will be sent.
    raw TEXT NOT NULL,
    -- queued | sent | failed
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_state ON outbox (state, created_at);

CREATE TABLE audit_log (
    id {{id}},
    at BIGINT NOT NULL,
    -- staff | user | job | system | cli
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- The audit log is append-only: the database itself refuses to change or remove an entry.
--@ sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--@ end
--@ postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--@ end

-- Facts about this installation (demo data loaded, …), one value per key.
CREATE TABLE loket_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
