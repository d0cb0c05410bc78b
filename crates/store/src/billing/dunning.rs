//! Dunning: the steps taken per overdue invoice, and suspensions of a customer's services with
//! the reactivation fee each may bring.

use jiff::civil::Date;
use sqlx::Row;

use super::opt_date;
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Dunning steps already taken, per invoice: (invoice id, step).
pub async fn dunning_taken(conn: &mut Conn, invoice_ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if invoice_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in invoice_ids.chunks(1000) {
        let sql = format!("SELECT invoice_id, step FROM dunning_actions WHERE invoice_id IN ({})", super::in_list(1, chunk.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(out)
}

pub async fn record_dunning(conn: &mut Conn, invoice_id: i64, step: &str, on: Date) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO dunning_actions (invoice_id, step, taken_on) VALUES ($1, $2, $3)")
        .bind(invoice_id)
        .bind(step)
        .bind(on.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A suspension of a customer's services.
#[derive(Debug, Clone)]
pub struct Suspension {
    pub id: i64,
    pub customer_id: i64,
    pub since: Date,
    pub cause_invoice_id: i64,
    pub lifted_on: Option<Date>,
    pub fee_invoice_id: Option<i64>,
}

/// The customer's suspension that has not been lifted, if any.
pub async fn open_suspension(conn: &mut Conn, customer_id: i64) -> Result<Option<Suspension>, StoreError> {
    let row = sqlx::query(
        "SELECT id, customer_id, since, cause_invoice_id, lifted_on, fee_invoice_id FROM suspensions \
         WHERE customer_id = $1 AND lifted_on IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Suspension {
            id: r.try_get("id")?,
            customer_id: r.try_get("customer_id")?,
            since: super::date(&r, "since")?,
            cause_invoice_id: r.try_get("cause_invoice_id")?,
            lifted_on: opt_date(&r, "lifted_on")?,
            fee_invoice_id: r.try_get("fee_invoice_id")?,
        })
    })
    .transpose()
}

pub async fn create_suspension(conn: &mut Conn, customer_id: i64, since: Date, cause_invoice_id: i64) -> Result<i64, StoreError> {
    let row =
        sqlx::query("INSERT INTO suspensions (customer_id, since, cause_invoice_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(customer_id)
            .bind(since.to_string())
            .bind(cause_invoice_id)
            .bind(now_micros())
            .fetch_one(&mut *conn)
            .await?;
    Ok(row.try_get(0)?)
}

/// Lifts a suspension on `on`, with the fee invoice it brought (if any).
pub async fn lift_suspension(conn: &mut Conn, id: i64, on: Date, fee_invoice_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE suspensions SET lifted_on = $1, fee_invoice_id = $2 WHERE id = $3 AND lifted_on IS NULL")
        .bind(on.to_string())
        .bind(fee_invoice_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether `invoice_id` is a reactivation fee (paying it late never brings another fee).
pub async fn is_fee_invoice(conn: &mut Conn, invoice_id: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("SELECT id FROM suspensions WHERE fee_invoice_id = $1").bind(invoice_id).fetch_optional(&mut *conn).await?.is_some())
}
