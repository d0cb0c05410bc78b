//! Time worked on tickets, and standby periods with their call-outs.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;

use crate::time::{from_micros, to_micros};
use crate::{Conn, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct TimeEntry {
    pub id: i64,
    pub ticket_id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub worked_on: String,
    pub minutes: i64,
    pub billed_minutes: i64,
    /// contract | project | billable | standby_callout
    pub basis: String,
    pub note: String,
    pub item_id: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_time(
    conn: &mut Conn,
    ticket_id: i64,
    user_id: i64,
    worked_on: Date,
    minutes: i64,
    billed_minutes: i64,
    basis: &str,
    note: &str,
    item_id: Option<i64>,
    at: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ticket_time (ticket_id, user_id, worked_on, minutes, billed_minutes, basis, note, item_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(ticket_id)
    .bind(user_id)
    .bind(worked_on.to_string())
    .bind(minutes)
    .bind(billed_minutes)
    .bind(basis)
    .bind(note)
    .bind(item_id)
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn time_entries(conn: &mut Conn, ticket_id: i64) -> Result<Vec<TimeEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.id, t.ticket_id, t.user_id, u.email, t.worked_on, t.minutes, t.billed_minutes, t.basis, t.note, t.item_id \
         FROM ticket_time t JOIN users u ON u.id = t.user_id WHERE t.ticket_id = $1 ORDER BY t.id",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TimeEntry {
                id: r.try_get("id")?,
                ticket_id: r.try_get("ticket_id")?,
                user_id: r.try_get("user_id")?,
                user_email: r.try_get("email")?,
                worked_on: r.try_get("worked_on")?,
                minutes: r.try_get("minutes")?,
                billed_minutes: r.try_get("billed_minutes")?,
                basis: r.try_get("basis")?,
                note: r.try_get("note")?,
                item_id: r.try_get("item_id")?,
            })
        })
        .collect()
}

/// A standby period as agreed.
#[derive(Debug, Clone, Serialize)]
pub struct StandbyPeriod {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub starts_local: String,
    pub ends_local: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub quote: serde_json::Value,
    pub total: i64,
    pub currency: String,
    pub note: String,
    pub item_id: Option<i64>,
    /// When it was agreed.
    pub created_at: Timestamp,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_standby(
    conn: &mut Conn,
    customer_id: i64,
    starts_local: &str,
    ends_local: &str,
    starts_at: Timestamp,
    ends_at: Timestamp,
    quote: &serde_json::Value,
    total: i64,
    currency: &str,
    note: &str,
    created_by: Option<i64>,
    at: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO standby_periods (customer_id, starts_local, ends_local, starts_at, ends_at, quote_json, total, currency, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(customer_id)
    .bind(starts_local)
    .bind(ends_local)
    .bind(to_micros(starts_at))
    .bind(to_micros(ends_at))
    .bind(quote.to_string())
    .bind(total)
    .bind(currency)
    .bind(note)
    .bind(created_by)
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn set_standby_item(conn: &mut Conn, id: i64, item_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE standby_periods SET item_id = $1 WHERE id = $2").bind(item_id).bind(id).execute(&mut *conn).await?;
    Ok(())
}

const SELECT_STANDBY: &str = "SELECT s.id, s.customer_id, c.legal_name, s.starts_local, s.ends_local, s.starts_at, s.ends_at, s.quote_json, \
     s.total, s.currency, s.note, s.item_id, s.created_at FROM standby_periods s JOIN customers c ON c.id = s.customer_id";

fn standby_from_row(r: &sqlx::any::AnyRow) -> Result<StandbyPeriod, StoreError> {
    let quote: String = r.try_get("quote_json")?;
    Ok(StandbyPeriod {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        customer_name: r.try_get("legal_name")?,
        starts_local: r.try_get("starts_local")?,
        ends_local: r.try_get("ends_local")?,
        starts_at: from_micros(r.try_get("starts_at")?),
        ends_at: from_micros(r.try_get("ends_at")?),
        quote: serde_json::from_str(&quote).map_err(|e| StoreError::Corrupt(format!("standby quote: {e}")))?,
        total: r.try_get("total")?,
        currency: r.try_get("currency")?,
        note: r.try_get("note")?,
        item_id: r.try_get("item_id")?,
        created_at: from_micros(r.try_get("created_at")?),
    })
}

pub async fn standby(conn: &mut Conn, id: i64) -> Result<Option<StandbyPeriod>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT_STANDBY} WHERE s.id = $1"))).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(standby_from_row).transpose()
}

/// Standby periods ending at or after `from`, soonest first (the planner), or a card's.
pub async fn standby_periods(
    conn: &mut Conn,
    customer_id: Option<i64>,
    from: Timestamp,
    limit: i64,
) -> Result<Vec<StandbyPeriod>, StoreError> {
    let rows = match customer_id {
        Some(c) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT_STANDBY} WHERE s.customer_id = $1 AND s.starts_at >= $2 ORDER BY s.starts_at LIMIT CAST($3 AS BIGINT)"
            )))
            .bind(c)
            .bind(to_micros(from) - 366 * 86_400_000_000)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT_STANDBY} WHERE s.ends_at >= $1 ORDER BY s.ends_at, s.starts_at LIMIT CAST($2 AS BIGINT)"
            )))
            .bind(to_micros(from))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter().map(standby_from_row).collect()
}

/// The card's standby period covering `at`, if any.
pub async fn standby_at(conn: &mut Conn, customer_id: i64, at: Timestamp) -> Result<Option<StandbyPeriod>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT_STANDBY} WHERE s.customer_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2 ORDER BY s.starts_at DESC LIMIT 1"
    )))
    .bind(customer_id)
    .bind(to_micros(at))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(standby_from_row).transpose()
}

pub async fn insert_callout(
    conn: &mut Conn,
    standby_id: i64,
    ticket_id: i64,
    called_at: Timestamp,
    respond_by: Timestamp,
    at: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO standby_callouts (standby_id, ticket_id, called_at, respond_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(standby_id)
    .bind(ticket_id)
    .bind(to_micros(called_at))
    .bind(to_micros(respond_by))
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// The call-out a ticket was opened for: (id, standby id, called at, respond by, billed item).
pub async fn callout_of(conn: &mut Conn, ticket_id: i64) -> Result<Option<(i64, i64, Timestamp, Timestamp, Option<i64>)>, StoreError> {
    let row = sqlx::query("SELECT id, standby_id, called_at, respond_by, item_id FROM standby_callouts WHERE ticket_id = $1")
        .bind(ticket_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, from_micros(r.try_get(2)?), from_micros(r.try_get(3)?), r.try_get(4)?))).transpose()
}

/// The minutes logged on call-out `id` so far, the call-out locked until the transaction ends
/// (on PostgreSQL; SQLite's write transaction is the lock), so two entries at once both count.
pub async fn callout_worked(conn: &mut Conn, backend: crate::Backend, id: i64) -> Result<i64, StoreError> {
    let sql = match backend {
        crate::Backend::Postgres => "SELECT worked_minutes FROM standby_callouts WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT worked_minutes FROM standby_callouts WHERE id = $1",
    };
    let row = sqlx::query(sql).bind(id).fetch_one(&mut *conn).await?;
    Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
}

/// Adds `worked_minutes` to call-out `id`; `item_id` is the billable line of the latest entry
/// that cost something (kept when this one did not).
pub async fn set_callout_billed(conn: &mut Conn, id: i64, worked_minutes: i64, item_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE standby_callouts SET worked_minutes = COALESCE(worked_minutes, 0) + $1, item_id = COALESCE($2, item_id) WHERE id = $3",
    )
    .bind(worked_minutes)
    .bind(item_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A card's own hourly rate (minor units), if it has one.
pub async fn card_hourly_rate(conn: &mut Conn, customer_id: i64) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT hourly_rate FROM customers WHERE id = $1").bind(customer_id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.try_get::<Option<i64>, _>(0)).transpose()?.flatten())
}

/// Sets (or, with `None`, clears) a card's own hourly rate; false when there is no such card.
pub async fn set_card_hourly_rate(conn: &mut Conn, customer_id: i64, rate: Option<i64>) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE customers SET hourly_rate = $1 WHERE id = $2").bind(rate).bind(customer_id).execute(&mut *conn).await?;
    Ok(r.rows_affected() == 1)
}
