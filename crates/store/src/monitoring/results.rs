//! A batch of checks written at once: the raw results, the roll-ups (added into their UTC hour,
//! local day and local month with `ON CONFLICT … DO UPDATE`), and each monitor's new state.

use std::collections::BTreeMap;

use jiff::civil::Date;
use loket_domain::monitoring::rollup::{Tally, month_key};
use loket_domain::monitoring::state::MonitorState;

use crate::billing::{V, bind_all, chunk_rows, placeholders_for};
use crate::{Conn, StoreError};

/// One check's raw result.
#[derive(Debug, Clone)]
pub struct Raw {
    pub monitor_id: i64,
    pub at_ms: i64,
    pub ok: bool,
    pub latency_ms: i64,
    pub cause: Option<String>,
}

/// A monitor's state after a batch.
#[derive(Debug, Clone)]
pub struct NewState {
    pub monitor_id: i64,
    pub state: MonitorState,
    pub latency_ms: i64,
    pub detail: Option<String>,
    pub cert_not_after: Option<i64>,
    pub incident_id: Option<i64>,
    /// Check again sooner (a retry): `next_ms` becomes at most this.
    pub retry_at_ms: Option<i64>,
}

/// Roll-ups of a batch, already added up per key.
#[derive(Debug, Default)]
pub struct Rollups {
    pub hours: BTreeMap<(i64, i64), Tally>,
    pub days: BTreeMap<(i64, Date), Tally>,
    pub months: BTreeMap<(i64, String), Tally>,
}

impl Rollups {
    pub fn add(&mut self, monitor_id: i64, hour_ms: i64, day: Date, tally: &Tally) {
        self.hours.entry((monitor_id, hour_ms)).or_default().add(tally);
        self.days.entry((monitor_id, day)).or_default().add(tally);
        self.months.entry((monitor_id, month_key(day))).or_default().add(tally);
    }
}

const RAW: [&str; 5] = ["monitor_id", "at_ms", "ok", "latency_ms", "cause"];
const TALLY: [&str; 7] = ["up_ms", "down_ms", "maintenance_ms", "checks", "failures", "latency_sum_ms", "latency_max_ms"];

fn tally_values(t: &Tally) -> [V; 7] {
    [
        V::I(t.up_ms),
        V::I(t.down_ms),
        V::I(t.maintenance_ms),
        V::I(t.checks),
        V::I(t.failures),
        V::I(t.latency_sum_ms),
        V::I(t.latency_max_ms),
    ]
}

/// Writes a batch: results (a result already stored is left as it is), roll-ups, states.
pub async fn write(conn: &mut Conn, raw: &[Raw], rollups: &Rollups, states: &[NewState]) -> Result<(), StoreError> {
    for chunk in raw.chunks(chunk_rows(RAW.len())) {
        let sql = format!(
            "INSERT INTO monitor_results ({}) VALUES {} ON CONFLICT (monitor_id, at_ms) DO NOTHING",
            RAW.join(", "),
            placeholders_for(conn, chunk.len(), RAW.len())
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|r| [V::I(r.monitor_id), V::I(r.at_ms), V::I(i64::from(r.ok)), V::I(r.latency_ms), V::OT(r.cause.clone())])
            .collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    let hours: Vec<(V, V, Tally)> = rollups.hours.iter().map(|((m, h), t)| (V::I(*m), V::I(*h), *t)).collect();
    add(conn, "monitor_hours", "hour_ms", &hours).await?;
    let days: Vec<(V, V, Tally)> = rollups.days.iter().map(|((m, d), t)| (V::I(*m), V::T(d.to_string()), *t)).collect();
    add(conn, "monitor_days", "day", &days).await?;
    let months: Vec<(V, V, Tally)> = rollups.months.iter().map(|((m, k), t)| (V::I(*m), V::T(k.clone()), *t)).collect();
    add(conn, "monitor_months", "month", &months).await?;
    for s in states {
        sqlx::query(
            "UPDATE monitors SET health = $1, last_ms = $2, failed_since_ms = $3, last_latency_ms = $4, last_detail = $5, \
             cert_not_after = COALESCE($6, cert_not_after), incident_id = $7, \
             next_ms = CASE WHEN $8 IS NOT NULL AND $8 < next_ms THEN $8 ELSE next_ms END \
             WHERE id = $9 AND (last_ms IS NULL OR last_ms <= $2)",
        )
        .bind(s.state.health.name())
        .bind(s.state.last_at)
        .bind(s.state.failed_since)
        .bind(s.latency_ms)
        .bind(s.detail.as_deref())
        .bind(s.cert_not_after)
        .bind(s.incident_id)
        .bind(s.retry_at_ms)
        .bind(s.monitor_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds `rows` (monitor, key, tally) into `table`.
async fn add(conn: &mut Conn, table: &str, key: &str, rows: &[(V, V, Tally)]) -> Result<(), StoreError> {
    let cols = 2 + TALLY.len();
    for chunk in rows.chunks(chunk_rows(cols)) {
        let updates: Vec<String> = TALLY
            .iter()
            .map(|c| {
                if *c == "latency_max_ms" {
                    format!("{c} = CASE WHEN excluded.{c} > {table}.{c} THEN excluded.{c} ELSE {table}.{c} END")
                } else {
                    format!("{c} = {table}.{c} + excluded.{c}")
                }
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} (monitor_id, {key}, {}) VALUES {} ON CONFLICT (monitor_id, {key}) DO UPDATE SET {}",
            TALLY.join(", "),
            placeholders_for(conn, chunk.len(), cols),
            updates.join(", ")
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|(m, k, t)| {
                let mut v = vec![m.clone(), k.clone()];
                v.extend(tally_values(t));
                v
            })
            .collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A roll-up row as read: its key (an hour or a day), then the tally's columns in order.
type TallyRow<K> = (K, i64, i64, i64, i64, i64, i64, i64);

/// Raw results of a monitor in `[from_ms, to_ms)`, oldest first, at most `limit`.
pub async fn raw(conn: &mut Conn, monitor_id: i64, from_ms: i64, to_ms: i64, limit: i64) -> Result<Vec<Raw>, StoreError> {
    let rows: Vec<(i64, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT at_ms, ok, latency_ms, cause FROM monitor_results WHERE monitor_id = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms LIMIT CAST($4 AS BIGINT)",
    )
    .bind(monitor_id)
    .bind(from_ms)
    .bind(to_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(at_ms, ok, latency_ms, cause)| Raw { monitor_id, at_ms, ok: ok != 0, latency_ms, cause }).collect())
}

/// A monitor's hours in `[from_ms, to_ms)`.
pub async fn hours(conn: &mut Conn, monitor_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<(i64, Tally)>, StoreError> {
    let rows: Vec<TallyRow<i64>> = sqlx::query_as(
        "SELECT hour_ms, up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms FROM monitor_hours \
         WHERE monitor_id = $1 AND hour_ms >= $2 AND hour_ms < $3 ORDER BY hour_ms",
    )
    .bind(monitor_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(h, up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms)| {
            (h, Tally { up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms })
        })
        .collect())
}

/// A monitor's local days from `from` to `to` inclusive.
pub async fn days(conn: &mut Conn, monitor_id: i64, from: Date, to: Date) -> Result<Vec<(Date, Tally)>, StoreError> {
    let rows: Vec<TallyRow<String>> = sqlx::query_as(
        "SELECT day, up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms FROM monitor_days \
         WHERE monitor_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(monitor_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(d, up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms)| {
            let day = d.parse::<Date>().map_err(|_| StoreError::Corrupt(format!("monitor day `{d}`")))?;
            Ok((day, Tally { up_ms, down_ms, maintenance_ms, checks, failures, latency_sum_ms, latency_max_ms }))
        })
        .collect()
}

/// Deletes results before `before_ms` and hours before `hours_before_ms` of monitors `ids`
/// (each through its primary key); returns how many rows went.
pub async fn purge(conn: &mut Conn, ids: &[i64], before_ms: i64, hours_before_ms: i64) -> Result<u64, StoreError> {
    let mut gone = 0;
    for id in ids {
        gone += sqlx::query("DELETE FROM monitor_results WHERE monitor_id = $1 AND at_ms < $2")
            .bind(id)
            .bind(before_ms)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        gone += sqlx::query("DELETE FROM monitor_hours WHERE monitor_id = $1 AND hour_ms < $2")
            .bind(id)
            .bind(hours_before_ms)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(gone)
}

/// Every monitor's id, in pages (for the purge).
pub async fn ids_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM monitors WHERE id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)")
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?)
}
