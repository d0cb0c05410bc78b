//! Maintenance windows and the SLA per plan.

use loket_domain::monitoring::availability::Sla;
use loket_domain::monitoring::maintenance::{Repeat, Window};

use crate::time::now_micros;
use crate::{Conn, StoreError};

#[derive(Debug, Clone)]
pub struct StoredWindow {
    pub id: i64,
    pub code: String,
    pub reason: String,
    pub window: Window,
    pub all_monitors: bool,
    pub monitor_ids: Vec<i64>,
    pub announced_at: Option<i64>,
}

/// Writes window `code` (new or changed) with the monitors it covers; returns its id and
/// whether it is new or its times changed (so it is announced again).
pub async fn put(conn: &mut Conn, code: &str, reason: &str, w: &Window, all: bool, monitor_ids: &[i64]) -> Result<(i64, bool), StoreError> {
    let now = now_micros();
    let starts = w.starts.strftime("%Y-%m-%d %H:%M").to_string();
    let until = w.until.map(|d| d.to_string());
    let existing: Option<(i64, String, i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, starts, duration_secs, repeat, until FROM maintenance_windows WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    let (id, changed) = match existing {
        Some((id, s, d, r, u)) => {
            let changed = s != starts || d != w.duration_secs || r != w.repeat.name() || u != until;
            sqlx::query(
                "UPDATE maintenance_windows SET reason = $1, starts = $2, duration_secs = $3, repeat = $4, until = $5, all_monitors = $6, \
                 announced_at = CASE WHEN $7 = 1 THEN NULL ELSE announced_at END, updated_at = $8 WHERE id = $9",
            )
            .bind(reason)
            .bind(&starts)
            .bind(w.duration_secs)
            .bind(w.repeat.name())
            .bind(until.as_deref())
            .bind(i64::from(all))
            .bind(i64::from(changed))
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM maintenance_monitors WHERE window_id = $1").bind(id).execute(&mut *conn).await?;
            (id, changed)
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO maintenance_windows (code, reason, starts, duration_secs, repeat, until, all_monitors, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(code)
            .bind(reason)
            .bind(&starts)
            .bind(w.duration_secs)
            .bind(w.repeat.name())
            .bind(until.as_deref())
            .bind(i64::from(all))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            (id, true)
        }
    };
    for m in monitor_ids {
        sqlx::query("INSERT INTO maintenance_monitors (window_id, monitor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(m)
            .execute(&mut *conn)
            .await?;
    }
    Ok((id, changed))
}

/// A window's row: id, code, reason, starts, duration, repeat, until, all monitors, announced.
type WindowRow = (i64, String, String, String, i64, String, Option<String>, i64, Option<i64>);

/// Every window with its monitors (a provider has a handful).
pub async fn all(conn: &mut Conn) -> Result<Vec<StoredWindow>, StoreError> {
    let rows: Vec<WindowRow> = sqlx::query_as(
        "SELECT id, code, reason, starts, duration_secs, repeat, until, all_monitors, announced_at FROM maintenance_windows ORDER BY starts, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let links: Vec<(i64, i64)> = sqlx::query_as("SELECT window_id, monitor_id FROM maintenance_monitors").fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(id, code, reason, starts, duration_secs, repeat, until, all, announced_at)| {
            let bad = |what: &str| StoreError::Corrupt(format!("maintenance window {code}: {what}"));
            let window = Window {
                starts: jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", &starts).map_err(|_| bad("starts"))?,
                duration_secs,
                repeat: Repeat::parse(&repeat).ok_or_else(|| bad("repeat"))?,
                until: until.map(|u| u.parse()).transpose().map_err(|_| bad("until"))?,
            };
            let monitor_ids = links.iter().filter(|(w, _)| *w == id).map(|(_, m)| *m).collect();
            Ok(StoredWindow { id, code, reason, window, all_monitors: all != 0, monitor_ids, announced_at })
        })
        .collect()
}

pub async fn mark_announced(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE maintenance_windows SET announced_at = $1 WHERE id = $2").bind(now_micros()).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, code: &str) -> Result<bool, StoreError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM maintenance_windows WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    let Some(id) = id else { return Ok(false) };
    sqlx::query("DELETE FROM maintenance_monitors WHERE window_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM maintenance_windows WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(true)
}

/// The SLA of `plan` ('' for the provider's default).
pub async fn put_sla(conn: &mut Conn, plan: &str, sla: Sla) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO monitoring_sla (plan, target_ppm, credit_percent) VALUES ($1, $2, $3) \
         ON CONFLICT (plan) DO UPDATE SET target_ppm = excluded.target_ppm, credit_percent = excluded.credit_percent",
    )
    .bind(plan)
    .bind(sla.target)
    .bind(sla.credit_percent)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every plan's SLA (plan '' the default).
pub async fn slas(conn: &mut Conn) -> Result<Vec<(String, Sla)>, StoreError> {
    let rows: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT plan, target_ppm, credit_percent FROM monitoring_sla ORDER BY plan").fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(p, target, credit_percent)| (p, Sla { target, credit_percent })).collect())
}
