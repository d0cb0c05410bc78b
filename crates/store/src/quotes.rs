//! Quotes and their lines: written once when sent, then only their status and the decision
//! (and, on acceptance, what each line became) change.

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::quote::QuoteStatus;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::billing::{date, opt_date};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    /// As stored (never `expired`: see [`QuoteStatus::on`]).
    pub status: QuoteStatus,
    pub issue_date: Date,
    pub valid_until: Date,
    pub currency: Currency,
    pub note: Option<String>,
    pub created_by: String,
    pub decided_on: Option<Date>,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteLine {
    pub position: i64,
    pub plan_id: Option<i64>,
    pub label: Option<String>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub price_override: Option<i64>,
    pub setup_fee: i64,
    pub billing_period: Option<String>,
    pub vat_category: String,
    pub subscription_id: Option<i64>,
    pub item_id: Option<i64>,
}

/// A quote to write.
pub struct NewQuote<'a> {
    pub number: &'a str,
    pub customer_id: i64,
    pub issue_date: Date,
    pub valid_until: Date,
    pub currency: Currency,
    pub note: Option<&'a str>,
    pub created_by: &'a str,
}

const COLUMNS: &str =
    "id, number, customer_id, status, issue_date, valid_until, currency, note, created_by, decided_on, decided_by, decision_comment";

fn from_row(r: &AnyRow) -> Result<Quote, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(Quote {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        customer_id: r.try_get("customer_id")?,
        status: QuoteStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("quote status {status}")))?,
        issue_date: date(r, "issue_date")?,
        valid_until: date(r, "valid_until")?,
        currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        note: r.try_get("note")?,
        created_by: r.try_get("created_by")?,
        decided_on: opt_date(r, "decided_on")?,
        decided_by: r.try_get("decided_by")?,
        decision_comment: r.try_get("decision_comment")?,
    })
}

/// How many quotes were numbered in `year` (the next is one more). Call holding the issuing lock.
pub async fn count_in_year(conn: &mut Conn, year: i16) -> Result<i64, StoreError> {
    let prefix = format!("Q{year}-");
    Ok(sqlx::query("SELECT COUNT(*) FROM quotes WHERE number >= $1 AND number < $2")
        .bind(&prefix)
        .bind(format!("{prefix}\u{10FFFF}"))
        .fetch_one(&mut *conn)
        .await?
        .try_get::<i64, _>(0)?)
}

pub async fn create(conn: &mut Conn, q: &NewQuote<'_>, lines: &[QuoteLine]) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO quotes (number, customer_id, status, issue_date, valid_until, currency, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(q.number)
    .bind(q.customer_id)
    .bind(QuoteStatus::Sent.name())
    .bind(q.issue_date.to_string())
    .bind(q.valid_until.to_string())
    .bind(q.currency.code())
    .bind(q.note)
    .bind(q.created_by)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    for l in lines {
        sqlx::query(
            "INSERT INTO quote_lines (quote_id, position, plan_id, label, description, quantity_milli, unit_price, price_override, setup_fee, \
             billing_period, vat_category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(l.position)
        .bind(l.plan_id)
        .bind(l.label.as_deref())
        .bind(&l.description)
        .bind(l.quantity_milli)
        .bind(l.unit_price)
        .bind(l.price_override)
        .bind(l.setup_fee)
        .bind(l.billing_period.as_deref())
        .bind(&l.vat_category)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn quote(conn: &mut Conn, id: i64) -> Result<Option<Quote>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM quotes WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.as_ref().map(from_row).transpose()
}

pub async fn lines(conn: &mut Conn, quote_id: i64) -> Result<Vec<QuoteLine>, StoreError> {
    let rows = sqlx::query(
        "SELECT position, plan_id, label, description, quantity_milli, unit_price, price_override, setup_fee, billing_period, vat_category, \
         subscription_id, item_id FROM quote_lines WHERE quote_id = $1 ORDER BY position",
    )
    .bind(quote_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(QuoteLine {
                position: r.try_get("position")?,
                plan_id: r.try_get("plan_id")?,
                label: r.try_get("label")?,
                description: r.try_get("description")?,
                quantity_milli: r.try_get("quantity_milli")?,
                unit_price: r.try_get("unit_price")?,
                price_override: r.try_get("price_override")?,
                setup_fee: r.try_get("setup_fee")?,
                billing_period: r.try_get("billing_period")?,
                vat_category: r.try_get("vat_category")?,
                subscription_id: r.try_get("subscription_id")?,
                item_id: r.try_get("item_id")?,
            })
        })
        .collect()
}

/// Records the decision on a sent quote; false when it was not `sent` any more (decided by
/// someone else meanwhile).
pub async fn decide(conn: &mut Conn, id: i64, status: QuoteStatus, on: Date, by: &str, comment: Option<&str>) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE quotes SET status = $1, decided_on = $2, decided_by = $3, decision_comment = $4 WHERE id = $5 AND status = $6")
            .bind(status.name())
            .bind(on.to_string())
            .bind(by)
            .bind(comment)
            .bind(id)
            .bind(QuoteStatus::Sent.name())
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// What an accepted line became.
pub async fn set_line_result(
    conn: &mut Conn,
    quote_id: i64,
    position: i64,
    subscription_id: Option<i64>,
    item_id: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE quote_lines SET subscription_id = $1, item_id = $2 WHERE quote_id = $3 AND position = $4")
        .bind(subscription_id)
        .bind(item_id)
        .bind(quote_id)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    pub async fn quote(&self, id: i64) -> Result<Option<Quote>, StoreError> {
        quote(&mut *self.acquire().await?, id).await
    }

    pub async fn quote_lines(&self, id: i64) -> Result<Vec<QuoteLine>, StoreError> {
        lines(&mut *self.acquire().await?, id).await
    }

    /// A card's quotes, newest first.
    pub async fn customer_quotes(&self, customer_id: i64, limit: i64) -> Result<Vec<Quote>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM quotes WHERE customer_id = $1 ORDER BY id DESC LIMIT CAST($2 AS BIGINT)");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(customer_id)
            .bind(limit)
            .fetch_all(&mut *self.acquire().await?)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }
}
