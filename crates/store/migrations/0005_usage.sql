-- The use of hosting services (issue 10): one row per service and day, replaced when the same
-- day is fed again. The primary key serves every read (a service's points over a date range).
CREATE TABLE usage_points (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    day TEXT NOT NULL,
    storage_mb BIGINT NOT NULL,
    traffic_mb BIGINT NOT NULL,
    storage_quota_mb BIGINT,
    traffic_quota_mb BIGINT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day)
);
