-- On SQLite the usage points are kept in their primary key's order (`WITHOUT ROWID`), as the
-- monitoring results are: a service's year is then one range of the table itself, instead of a
-- range of the key's index plus a lookup in the table for each of its 365 rows. PostgreSQL keeps
-- its table as it is.
--@ sqlite
CREATE TABLE usage_points_clustered (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    day TEXT NOT NULL,
    storage_mb BIGINT NOT NULL,
    traffic_mb BIGINT NOT NULL,
    storage_quota_mb BIGINT,
    traffic_quota_mb BIGINT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, day)
) WITHOUT ROWID;
INSERT INTO usage_points_clustered (subscription_id, day, storage_mb, traffic_mb, storage_quota_mb, traffic_quota_mb, recorded_at)
    SELECT subscription_id, day, storage_mb, traffic_mb, storage_quota_mb, traffic_quota_mb, recorded_at FROM usage_points;
DROP TABLE usage_points;
ALTER TABLE usage_points_clustered RENAME TO usage_points;
--@ end
--@ postgres
SELECT 1;
--@ end
