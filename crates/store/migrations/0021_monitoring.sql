-- Monitoring against the SLA (issue 14). Instants of checks are milliseconds since the epoch
-- (`*_ms`), other instants microseconds as everywhere (`*_at`).

CREATE TABLE monitors (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    interval_secs BIGINT NOT NULL,
    timeout_secs BIGINT NOT NULL,
    keyword TEXT,
    cert_days BIGINT NOT NULL,
    -- The service it watches, and that service's card; both NULL for the provider's own
    -- infrastructure.
    subscription_id BIGINT REFERENCES subscriptions (id),
    customer_id BIGINT REFERENCES customers (id),
    public INTEGER NOT NULL DEFAULT 0,
    notify_customer INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    -- When it is next checked; a node claims it by moving this to the next slot (phase_ms plus
    -- whole intervals) and keeping the slot it claimed in slot_ms.
    next_ms BIGINT NOT NULL,
    phase_ms BIGINT NOT NULL,
    slot_ms BIGINT,
    health TEXT NOT NULL DEFAULT 'unknown',
    last_ms BIGINT,
    failed_since_ms BIGINT,
    last_latency_ms BIGINT,
    last_detail TEXT,
    cert_not_after BIGINT,
    incident_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX monitors_due ON monitors (next_ms) WHERE active = 1;
CREATE INDEX monitors_customer ON monitors (customer_id, code) WHERE customer_id IS NOT NULL;
CREATE INDEX monitors_subscription ON monitors (subscription_id) WHERE subscription_id IS NOT NULL;
CREATE INDEX monitors_public ON monitors (code) WHERE public = 1;

-- Every check as it came, kept for `monitoring.keep_raw`.
--@ sqlite
CREATE TABLE monitor_results (
    monitor_id BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    ok INTEGER NOT NULL,
    latency_ms BIGINT NOT NULL,
    cause TEXT,
    PRIMARY KEY (monitor_id, at_ms)
) WITHOUT ROWID;
--@ end
--@ postgres
CREATE TABLE monitor_results (
    monitor_id BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    ok INTEGER NOT NULL,
    latency_ms BIGINT NOT NULL,
    cause TEXT,
    PRIMARY KEY (monitor_id, at_ms)
);
--@ end

-- Roll-ups: UTC hours (kept for `monitoring.keep_hours`), the provider's local days and months
-- (kept). Times in milliseconds; maintenance apart from up and down. An hour's figures fit
-- INTEGER (at most 3,600,000 ms; its checks' response times add up to far below 2^31), which
-- keeps PostgreSQL's 7.2 million hour rows per 10,000 monitor-months about a third smaller.
--@ sqlite
CREATE TABLE monitor_hours (
    monitor_id BIGINT NOT NULL, hour_ms BIGINT NOT NULL,
    up_ms INTEGER NOT NULL, down_ms INTEGER NOT NULL, maintenance_ms INTEGER NOT NULL,
    checks INTEGER NOT NULL, failures INTEGER NOT NULL, latency_sum_ms INTEGER NOT NULL, latency_max_ms INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, hour_ms)
) WITHOUT ROWID;
CREATE TABLE monitor_days (
    monitor_id BIGINT NOT NULL, day TEXT NOT NULL,
    up_ms BIGINT NOT NULL, down_ms BIGINT NOT NULL, maintenance_ms BIGINT NOT NULL,
    checks BIGINT NOT NULL, failures BIGINT NOT NULL, latency_sum_ms BIGINT NOT NULL, latency_max_ms BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, day)
) WITHOUT ROWID;
CREATE TABLE monitor_months (
    monitor_id BIGINT NOT NULL, month TEXT NOT NULL,
    up_ms BIGINT NOT NULL, down_ms BIGINT NOT NULL, maintenance_ms BIGINT NOT NULL,
    checks BIGINT NOT NULL, failures BIGINT NOT NULL, latency_sum_ms BIGINT NOT NULL, latency_max_ms BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, month)
) WITHOUT ROWID;
--@ end
--@ postgres
CREATE TABLE monitor_hours (
    monitor_id BIGINT NOT NULL, hour_ms BIGINT NOT NULL,
    up_ms INTEGER NOT NULL, down_ms INTEGER NOT NULL, maintenance_ms INTEGER NOT NULL,
    checks INTEGER NOT NULL, failures INTEGER NOT NULL, latency_sum_ms INTEGER NOT NULL, latency_max_ms INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, hour_ms)
);
CREATE TABLE monitor_days (
    monitor_id BIGINT NOT NULL, day TEXT NOT NULL,
    up_ms BIGINT NOT NULL, down_ms BIGINT NOT NULL, maintenance_ms BIGINT NOT NULL,
    checks BIGINT NOT NULL, failures BIGINT NOT NULL, latency_sum_ms BIGINT NOT NULL, latency_max_ms BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, day)
);
CREATE TABLE monitor_months (
    monitor_id BIGINT NOT NULL, month TEXT NOT NULL,
    up_ms BIGINT NOT NULL, down_ms BIGINT NOT NULL, maintenance_ms BIGINT NOT NULL,
    checks BIGINT NOT NULL, failures BIGINT NOT NULL, latency_sum_ms BIGINT NOT NULL, latency_max_ms BIGINT NOT NULL,
    PRIMARY KEY (monitor_id, month)
);
--@ end
CREATE INDEX monitor_months_month ON monitor_months (month, monitor_id);

-- A confirmed failure until recovery. A failure soon after a recovery reopens the same incident
-- (`flaps` counts how often), so flapping alerts nobody twice.
CREATE TABLE incidents (
    id {{id}},
    monitor_id BIGINT NOT NULL REFERENCES monitors (id),
    started_ms BIGINT NOT NULL,
    ended_ms BIGINT,
    cause TEXT,
    detail TEXT NOT NULL,
    flaps BIGINT NOT NULL DEFAULT 0,
    ticket_id BIGINT REFERENCES tickets (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX incidents_monitor ON incidents (monitor_id, started_ms);
CREATE INDEX incidents_started ON incidents (started_ms);
CREATE INDEX incidents_open ON incidents (started_ms) WHERE ended_ms IS NULL;

CREATE TABLE maintenance_windows (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    reason TEXT NOT NULL,
    starts TEXT NOT NULL,
    duration_secs BIGINT NOT NULL,
    repeat TEXT NOT NULL,
    until TEXT,
    -- Every monitor, or the ones in maintenance_monitors.
    all_monitors INTEGER NOT NULL DEFAULT 0,
    announced_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE maintenance_monitors (
    window_id BIGINT NOT NULL REFERENCES maintenance_windows (id),
    monitor_id BIGINT NOT NULL REFERENCES monitors (id),
    PRIMARY KEY (window_id, monitor_id)
);
CREATE INDEX maintenance_monitors_monitor ON maintenance_monitors (monitor_id);

-- The availability a plan promises per month and the credit when it falls short; plan '' is
-- every monitored service whose plan has no row of its own.
CREATE TABLE monitoring_sla (
    plan TEXT PRIMARY KEY,
    target_ppm BIGINT NOT NULL,
    credit_percent BIGINT NOT NULL
);

-- Each card's monthly report once, and each service's credit for a month once.
CREATE TABLE availability_reports (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    month TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, month)
);
CREATE TABLE availability_credits (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    month TEXT NOT NULL,
    item_id BIGINT,
    amount BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, month)
);
