//! Usage points of hosting services: written in batches (a day fed again replaces its row) and
//! read per service over a date range through the primary key (on SQLite the table is kept in
//! that key's order, `WITHOUT ROWID`).

use jiff::civil::Date;
use loket_domain::usage::UsagePoint;
use sqlx::Row;

use crate::billing::{V, bind_all, chunk_rows, date, in_list, placeholders_for};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

const COLUMNS: [&str; 7] = ["subscription_id", "day", "storage_mb", "traffic_mb", "storage_quota_mb", "traffic_quota_mb", "recorded_at"];

/// Writes `points` on `conn`; returns how many rows were written (new or replaced).
pub async fn record(conn: &mut Conn, points: &[UsagePoint]) -> Result<u64, StoreError> {
    let now = now_micros();
    let mut written = 0;
    for chunk in points.chunks(chunk_rows(COLUMNS.len())) {
        let sql = format!(
            "INSERT INTO usage_points ({}) VALUES {} ON CONFLICT (subscription_id, day) DO UPDATE SET \
             storage_mb = excluded.storage_mb, traffic_mb = excluded.traffic_mb, storage_quota_mb = excluded.storage_quota_mb, \
             traffic_quota_mb = excluded.traffic_quota_mb, recorded_at = excluded.recorded_at",
            COLUMNS.join(", "),
            placeholders_for(conn, chunk.len(), COLUMNS.len())
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|p| {
                [
                    V::I(p.subscription_id),
                    V::T(p.day.to_string()),
                    V::I(p.storage_mb),
                    V::I(p.traffic_mb),
                    V::OI(p.storage_quota_mb),
                    V::OI(p.traffic_quota_mb),
                    V::I(now),
                ]
            })
            .collect();
        written += bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

/// Which of `ids` are not subscriptions (sorted, each once).
pub async fn unknown_subscriptions(conn: &mut Conn, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    let mut wanted: Vec<i64> = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut missing = Vec::new();
    for chunk in wanted.chunks(500) {
        let sql = format!("SELECT id FROM subscriptions WHERE id IN ({})", in_list(1, chunk.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        let found: std::collections::HashSet<i64> =
            q.fetch_all(&mut *conn).await?.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<_, _>>()?;
        missing.extend(chunk.iter().filter(|id| !found.contains(id)));
    }
    Ok(missing)
}

/// The points of a service from `from` up to and including `to`, oldest first.
///
/// They come back as one text, not a row per day: a year of points is 365 rows, and each row
/// costs more to hand over (on SQLite sqlx moves every row from its connection's thread to the
/// task) than to read. Each point is `day,storage,traffic,storage quota,traffic quota` (a
/// quota empty when there is none), `;` between points.
///
/// The points are sorted here rather than by the aggregate: an `ORDER BY` inside it makes SQLite
/// sort them through a temporary b-tree, although its scan of the primary key already reads
/// them by day (and sorting a sorted year here costs nothing).
pub async fn points(conn: &mut Conn, subscription_id: i64, from: Date, to: Date) -> Result<Vec<UsagePoint>, StoreError> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {PACKED} FROM usage_points WHERE subscription_id = $1 AND day >= $2 AND day <= $3"));
    let row = sqlx::query(sqlx::AssertSqlSafe(SQL.as_str()))
        .bind(subscription_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_one(&mut *conn)
        .await?;
    unpack_all(subscription_id, row.try_get(0)?)
}

/// The aggregate that packs the `usage_points` rows it runs over into [`points`]' text.
pub(crate) const PACKED: &str = "string_agg(day || ',' || CAST(storage_mb AS TEXT) || ',' || CAST(traffic_mb AS TEXT) || ',' || \
     COALESCE(CAST(storage_quota_mb AS TEXT), '') || ',' || COALESCE(CAST(traffic_quota_mb AS TEXT), ''), ';')";

/// The points of [`PACKED`]'s text (none when there were no rows), by day.
pub(crate) fn unpack_all(subscription_id: i64, packed: Option<String>) -> Result<Vec<UsagePoint>, StoreError> {
    match packed {
        Some(packed) => {
            let mut points = packed.split(';').map(|p| unpack(subscription_id, p)).collect::<Result<Vec<_>, _>>()?;
            points.sort_by_key(|p| p.day);
            Ok(points)
        }
        None => Ok(Vec::new()),
    }
}

/// One point of [`points`]' text.
fn unpack(subscription_id: i64, text: &str) -> Result<UsagePoint, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("usage point of subscription {subscription_id}: {text:?}"));
    let mut fields = text.split(',');
    let mut next = || fields.next().ok_or_else(corrupt);
    let day = next()?.parse().map_err(|_| corrupt())?;
    let number = |f: &str| f.parse::<i64>().map_err(|_| corrupt());
    let storage_mb = number(next()?)?;
    let traffic_mb = number(next()?)?;
    let quota = |f: &str| if f.is_empty() { Ok(None) } else { number(f).map(Some) };
    let storage_quota_mb = quota(next()?)?;
    let traffic_quota_mb = quota(next()?)?;
    Ok(UsagePoint { subscription_id, day, storage_mb, traffic_mb, storage_quota_mb, traffic_quota_mb })
}

/// The latest point of a service, if any.
pub async fn latest(conn: &mut Conn, subscription_id: i64) -> Result<Option<UsagePoint>, StoreError> {
    let row = sqlx::query("SELECT day FROM usage_points WHERE subscription_id = $1 ORDER BY day DESC LIMIT 1")
        .bind(subscription_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let day = date(&row, "day")?;
    Ok(points(conn, subscription_id, day, day).await?.pop())
}

impl Store {
    pub async fn usage_points(&self, subscription_id: i64, from: Date, to: Date) -> Result<Vec<UsagePoint>, StoreError> {
        points(&mut *self.acquire().await?, subscription_id, from, to).await
    }

    pub async fn latest_usage(&self, subscription_id: i64) -> Result<Option<UsagePoint>, StoreError> {
        latest(&mut *self.acquire().await?, subscription_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_point_reads_back_with_or_without_quotas() {
        let p = unpack(7, "2026-11-30,850,12000,1024,").unwrap();
        assert_eq!((p.subscription_id, p.day.to_string(), p.storage_mb, p.traffic_mb), (7, "2026-11-30".into(), 850, 12000));
        assert_eq!((p.storage_quota_mb, p.traffic_quota_mb), (Some(1024), None));
        assert_eq!(unpack(7, "2026-11-30,0,0,,").unwrap().storage_quota_mb, None);
        for bad in ["", "2026-11-30", "2026-11-30,1,2", "2026-13-01,1,2,,", "2026-11-30,x,2,,", "2026-11-30,1,2,q,"] {
            assert!(matches!(unpack(7, bad), Err(StoreError::Corrupt(_))), "{bad:?}");
        }
    }
}
