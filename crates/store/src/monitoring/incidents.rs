//! Incidents: a confirmed failure until its recovery.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::now_micros;
use crate::{Conn, StoreError};

#[derive(Debug, Clone)]
pub struct Incident {
    pub id: i64,
    pub monitor_id: i64,
    pub monitor_code: String,
    pub monitor_name: String,
    pub customer_id: Option<i64>,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub cause: Option<String>,
    pub detail: String,
    pub flaps: i64,
    pub ticket_id: Option<i64>,
}

const SELECT: &str = "SELECT i.id, i.monitor_id, m.code, m.name, m.customer_id, i.started_ms, i.ended_ms, i.cause, i.detail, i.flaps, i.ticket_id \
     FROM incidents i JOIN monitors m ON m.id = i.monitor_id";

fn incident(r: &AnyRow) -> Result<Incident, StoreError> {
    Ok(Incident {
        id: r.try_get(0)?,
        monitor_id: r.try_get(1)?,
        monitor_code: r.try_get(2)?,
        monitor_name: r.try_get(3)?,
        customer_id: r.try_get(4)?,
        started_ms: r.try_get(5)?,
        ended_ms: r.try_get(6)?,
        cause: r.try_get(7)?,
        detail: r.try_get(8)?,
        flaps: r.try_get(9)?,
        ticket_id: r.try_get(10)?,
    })
}

pub async fn open(conn: &mut Conn, monitor_id: i64, started_ms: i64, cause: Option<&str>, detail: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO incidents (monitor_id, started_ms, cause, detail, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(monitor_id)
    .bind(started_ms)
    .bind(cause)
    .bind(detail)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?)
}

/// The monitor's last incident if it ended at or after `since_ms` (a failure this soon after a
/// recovery is the same incident flapping).
pub async fn ended_since(conn: &mut Conn, monitor_id: i64, since_ms: i64) -> Result<Option<Incident>, StoreError> {
    let sql = format!("{SELECT} WHERE i.monitor_id = $1 AND i.started_ms >= $2 - 86400000 ORDER BY i.started_ms DESC LIMIT 1");
    let found = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(monitor_id).bind(since_ms).fetch_optional(&mut *conn).await?;
    Ok(found.as_ref().map(incident).transpose()?.filter(|i| i.ended_ms.is_some_and(|e| e >= since_ms)))
}

pub async fn reopen(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE incidents SET ended_ms = NULL, flaps = flaps + 1 WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn close(conn: &mut Conn, id: i64, ended_ms: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE incidents SET ended_ms = $1 WHERE id = $2 AND ended_ms IS NULL")
        .bind(ended_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_ticket(conn: &mut Conn, id: i64, ticket_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE incidents SET ticket_id = $1 WHERE id = $2").bind(ticket_id).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Incident>, StoreError> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.as_ref().map(incident).transpose()
}

/// Incidents that overlap `[from_ms, to_ms)`: of one monitor, one card, or all; newest first.
pub async fn between(
    conn: &mut Conn,
    monitor_id: Option<i64>,
    customer_id: Option<i64>,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> Result<Vec<Incident>, StoreError> {
    // An incident starts before `to_ms`; it lasted into the range or is still open. Incidents
    // are short, so starting at most 31 days before the range bounds the index scan.
    let mut sql = format!("{SELECT} WHERE i.started_ms < $1 AND i.started_ms >= $2 AND (i.ended_ms IS NULL OR i.ended_ms > $3)");
    let mut n = 3;
    if monitor_id.is_some() {
        n += 1;
        sql.push_str(&format!(" AND i.monitor_id = ${n}"));
    }
    if customer_id.is_some() {
        n += 1;
        sql.push_str(&format!(" AND m.customer_id = ${n}"));
    }
    n += 1;
    sql.push_str(&format!(" ORDER BY i.started_ms DESC LIMIT CAST(${n} AS BIGINT)"));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to_ms).bind(from_ms - 31 * 86_400_000).bind(from_ms);
    if let Some(m) = monitor_id {
        q = q.bind(m);
    }
    if let Some(c) = customer_id {
        q = q.bind(c);
    }
    q.bind(limit).fetch_all(&mut *conn).await?.iter().map(incident).collect()
}

/// Open incidents (all, or of one card).
pub async fn open_now(conn: &mut Conn, customer_id: Option<i64>) -> Result<Vec<Incident>, StoreError> {
    let sql = match customer_id {
        Some(_) => format!("{SELECT} WHERE i.ended_ms IS NULL AND m.customer_id = $1 ORDER BY i.started_ms DESC LIMIT 200"),
        None => format!("{SELECT} WHERE i.ended_ms IS NULL ORDER BY i.started_ms DESC LIMIT 200"),
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let Some(c) = customer_id {
        q = q.bind(c);
    }
    q.fetch_all(&mut *conn).await?.iter().map(incident).collect()
}

/// How many incidents are open (the partial index on open incidents).
pub async fn open_count(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE ended_ms IS NULL").fetch_one(&mut *conn).await?)
}
