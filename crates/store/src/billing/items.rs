//! What ends up on documents besides subscription periods: one-off billable lines (extra work,
//! fees, settled price changes) waiting for the customer's next invoice, and web-design projects
//! (a deposit at signing, the balance at delivery or the deadline).

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::billing::Rate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{V, date, opt_date, update_rows};
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// A one-off billable line waiting for the next invoice.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub currency: Currency,
    pub vat_category: String,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub source: String,
    pub created_on: Date,
    pub invoice_id: Option<i64>,
    /// A settled price change: the difference per whole billing period it is a part of.
    pub rate: Option<Rate>,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub currency: Currency,
    pub vat_category: String,
    pub period: Option<(Date, Date)>,
    pub source: String,
    pub created_on: Date,
    pub rate: Option<Rate>,
}

pub async fn create_item(conn: &mut Conn, i: &NewItem) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO billable_items (customer_id, subscription_id, description, quantity_milli, unit_price, currency, vat_category, period_from, \
         period_to, source, created_on, created_at, rate_from, rate_to, rate_months, rate_price) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(i.customer_id)
    .bind(i.subscription_id)
    .bind(&i.description)
    .bind(i.quantity_milli)
    .bind(i.unit_price)
    .bind(i.currency.code())
    .bind(&i.vat_category)
    .bind(i.period.map(|p| p.0.to_string()))
    .bind(i.period.map(|p| p.1.to_string()))
    .bind(&i.source)
    .bind(i.created_on.to_string())
    .bind(now_micros())
    .bind(i.rate.map(|r| r.from.to_string()))
    .bind(i.rate.map(|r| r.to.to_string()))
    .bind(i.rate.map(|r| i64::from(r.months)))
    .bind(i.rate.map(|r| r.price.minor))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// The rate columns `rate_from`, `rate_to`, `rate_months`, `rate_price` of a row.
pub(crate) fn rate(r: &AnyRow, currency: Currency) -> Result<Option<Rate>, StoreError> {
    let (from, to) = (opt_date(r, "rate_from")?, opt_date(r, "rate_to")?);
    let months: Option<i64> = r.try_get("rate_months")?;
    let price: Option<i64> = r.try_get("rate_price")?;
    Ok(match (from, to, months, price) {
        (Some(from), Some(to), Some(months), Some(price)) => Some(Rate {
            from,
            to,
            months: u32::try_from(months).map_err(|_| StoreError::Corrupt(format!("rate months {months}")))?,
            price: loket_domain::Money::new(price, currency),
        }),
        _ => None,
    })
}

fn item_from_row(r: &AnyRow) -> Result<Item, StoreError> {
    let currency: Currency = r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
    Ok(Item {
        rate: rate(r, currency)?,
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        subscription_id: r.try_get("subscription_id")?,
        description: r.try_get("description")?,
        quantity_milli: r.try_get("quantity_milli")?,
        unit_price: r.try_get("unit_price")?,
        currency,
        vat_category: r.try_get("vat_category")?,
        period_from: opt_date(r, "period_from")?,
        period_to: opt_date(r, "period_to")?,
        source: r.try_get("source")?,
        created_on: date(r, "created_on")?,
        invoice_id: r.try_get("invoice_id")?,
    })
}

const ITEM_COLUMNS: &str = "id, customer_id, subscription_id, description, quantity_milli, unit_price, currency, vat_category, period_from, \
                            period_to, source, created_on, invoice_id, rate_from, rate_to, rate_months, rate_price";

/// Uninvoiced lines of the customers with ids in `[from, to]` created on or before `until`.
pub async fn open_items(conn: &mut Conn, from: i64, to: i64, until: Date) -> Result<Vec<Item>, StoreError> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM billable_items WHERE invoice_id IS NULL AND customer_id >= $1 AND customer_id <= $2 AND created_on <= $3 \
         ORDER BY customer_id, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .bind(until.to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

pub async fn customer_items(conn: &mut Conn, customer_id: i64) -> Result<Vec<Item>, StoreError> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM billable_items WHERE customer_id = $1 ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(item_from_row).collect()
}

/// The lines of customer `customer_id` that wait for its next invoice (`billable_items_open`).
pub async fn pending_items(conn: &mut Conn, customer_id: i64) -> Result<Vec<Item>, StoreError> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM billable_items WHERE customer_id = $1 AND invoice_id IS NULL ORDER BY created_on, id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(item_from_row).collect()
}

/// The lines of subscription `id` that wait for an invoice.
pub async fn open_subscription_items(conn: &mut Conn, subscription_id: i64) -> Result<Vec<Item>, StoreError> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM billable_items WHERE subscription_id = $1 AND invoice_id IS NULL ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(subscription_id).fetch_all(&mut *conn).await?.iter().map(item_from_row).collect()
}

/// Cuts a line that waits for an invoice to a shorter period and amount (its service ended).
pub async fn cut_item(conn: &mut Conn, id: i64, period_to: Date, unit_price: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE billable_items SET period_to = $1, unit_price = $2 WHERE id = $3 AND invoice_id IS NULL")
        .bind(period_to.to_string())
        .bind(unit_price)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Drops a line that waits for an invoice (its whole period fell after the end of the service).
pub async fn drop_item(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM billable_items WHERE id = $1 AND invoice_id IS NULL").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Records which invoice each item went on: (item id, invoice id).
pub async fn mark_items(conn: &mut Conn, rows: &[(i64, i64)]) -> Result<u64, StoreError> {
    let values: Vec<Vec<V>> = rows.iter().map(|(item, inv)| vec![V::I(*item), V::I(*inv)]).collect();
    update_rows(conn, "billable_items", "invoice_id = v.column2", &values).await
}

/// A web-design project: deposit at signing, balance at delivery (or the deadline).
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: i64,
    pub customer_id: i64,
    pub description: String,
    pub total: i64,
    pub currency: Currency,
    pub deposit_percent: i64,
    pub vat_category: String,
    pub signed_on: Date,
    pub delivered_on: Option<Date>,
    pub deposit_invoice_id: Option<i64>,
    pub balance_invoice_id: Option<i64>,
}

const PROJECT_COLUMNS: &str = "id, customer_id, description, total, currency, deposit_percent, vat_category, signed_on, delivered_on, deposit_invoice_id, balance_invoice_id";

fn project_from_row(r: &AnyRow) -> Result<Project, StoreError> {
    Ok(Project {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        description: r.try_get("description")?,
        total: r.try_get("total")?,
        currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        deposit_percent: r.try_get("deposit_percent")?,
        vat_category: r.try_get("vat_category")?,
        signed_on: date(r, "signed_on")?,
        delivered_on: opt_date(r, "delivered_on")?,
        deposit_invoice_id: r.try_get("deposit_invoice_id")?,
        balance_invoice_id: r.try_get("balance_invoice_id")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn create_project(
    conn: &mut Conn,
    customer_id: i64,
    description: &str,
    total: i64,
    currency: Currency,
    deposit_percent: u32,
    vat_category: &str,
    signed_on: Date,
) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO projects (customer_id, description, total, currency, deposit_percent, vat_category, signed_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(customer_id)
    .bind(description)
    .bind(total)
    .bind(currency.code())
    .bind(i64::from(deposit_percent))
    .bind(vat_category)
    .bind(signed_on.to_string())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn project(conn: &mut Conn, id: i64) -> Result<Option<Project>, StoreError> {
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| project_from_row(&r)).transpose()
}

/// Projects of the customers in `[from, to]` whose balance is not invoiced yet.
pub async fn open_projects(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<Project>, StoreError> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM projects WHERE balance_invoice_id IS NULL AND customer_id >= $1 AND customer_id <= $2 ORDER BY customer_id, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).fetch_all(&mut *conn).await?.iter().map(project_from_row).collect()
}

pub async fn set_project_invoice(conn: &mut Conn, id: i64, deposit: bool, invoice_id: i64) -> Result<(), StoreError> {
    let col = if deposit { "deposit_invoice_id" } else { "balance_invoice_id" };
    sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE projects SET {col} = $1, updated_at = $2 WHERE id = $3")))
        .bind(invoice_id)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_project_delivered(conn: &mut Conn, id: i64, on: Date) -> Result<(), StoreError> {
    sqlx::query("UPDATE projects SET delivered_on = $1, updated_at = $2 WHERE id = $3")
        .bind(on.to_string())
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
