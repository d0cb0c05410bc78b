//! Subscriptions: a customer's services on a plan, with how far each is invoiced.

use jiff::civil::Date;
use loket_domain::billing::lifecycle::SubscriptionState;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{V, date, flag, opt_date, update_rows};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub id: i64,
    pub customer_id: i64,
    pub plan_id: i64,
    pub terms_id: Option<i64>,
    pub label: String,
    pub price: Option<i64>,
    pub state: SubscriptionState,
    pub start_date: Date,
    pub ordered_on: Date,
    pub invoiced_until: Option<Date>,
    pub renewed_until: Option<Date>,
    pub ends_on: Option<Date>,
    pub setup_invoiced: bool,
    pub cancel_received_on: Option<Date>,
    pub cancel_channel: Option<String>,
    pub renewal_offered_for: Option<Date>,
    pub parent_id: Option<i64>,
}

const COLUMNS: &str = "id, customer_id, plan_id, terms_id, label, price, state, start_date, ordered_on, invoiced_until, renewed_until, ends_on, \
                       setup_invoiced, cancel_received_on, cancel_channel, renewal_offered_for, parent_id";

pub fn state_name(s: SubscriptionState) -> &'static str {
    use SubscriptionState::*;
    match s {
        PendingPayment => "pending_payment",
        Active => "active",
        RenewalOffered => "renewal_offered",
        CancellationRequested => "cancellation_requested",
        Suspended => "suspended",
        Ended => "ended",
        Lapsed => "lapsed",
        Terminated => "terminated",
    }
}

pub fn parse_state(s: &str) -> Option<SubscriptionState> {
    use SubscriptionState::*;
    [PendingPayment, Active, RenewalOffered, CancellationRequested, Suspended, Ended, Lapsed, Terminated]
        .into_iter()
        .find(|st| state_name(*st) == s)
}

fn from_row(row: &AnyRow) -> Result<Subscription, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(Subscription {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        plan_id: row.try_get("plan_id")?,
        terms_id: row.try_get("terms_id")?,
        label: row.try_get("label")?,
        price: row.try_get("price")?,
        state: parse_state(&state).ok_or_else(|| StoreError::Corrupt(format!("subscription state {state}")))?,
        start_date: date(row, "start_date")?,
        ordered_on: date(row, "ordered_on")?,
        invoiced_until: opt_date(row, "invoiced_until")?,
        renewed_until: opt_date(row, "renewed_until")?,
        ends_on: opt_date(row, "ends_on")?,
        setup_invoiced: flag(row, "setup_invoiced")?,
        cancel_received_on: opt_date(row, "cancel_received_on")?,
        cancel_channel: row.try_get("cancel_channel")?,
        renewal_offered_for: opt_date(row, "renewal_offered_for")?,
        parent_id: row.try_get("parent_id")?,
    })
}

/// A new subscription.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub customer_id: i64,
    pub plan_id: i64,
    pub terms_id: Option<i64>,
    pub label: String,
    pub price: Option<i64>,
    pub state: SubscriptionState,
    pub start_date: Date,
    pub ordered_on: Date,
    pub renewed_until: Option<Date>,
    pub parent_id: Option<i64>,
}

pub async fn create_subscription(conn: &mut Conn, s: &NewSubscription) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO subscriptions (customer_id, plan_id, terms_id, label, price, state, start_date, ordered_on, renewed_until, setup_invoiced, \
         parent_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $11) RETURNING id",
    )
    .bind(s.customer_id)
    .bind(s.plan_id)
    .bind(s.terms_id)
    .bind(&s.label)
    .bind(s.price)
    .bind(state_name(s.state))
    .bind(s.start_date.to_string())
    .bind(s.ordered_on.to_string())
    .bind(s.renewed_until.map(|d| d.to_string()))
    .bind(s.parent_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn subscription(conn: &mut Conn, id: i64) -> Result<Option<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

/// Subscriptions of the customers with ids in `[from, to]` that may still need something
/// (not ended, lapsed or terminated), ordered by customer and id.
pub async fn live_subscriptions(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<Subscription>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE customer_id >= $1 AND customer_id <= $2 \
         AND state NOT IN ('ended', 'lapsed', 'terminated') ORDER BY customer_id, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).fetch_all(&mut *conn).await?.iter().map(from_row).collect()
}

pub async fn customer_subscriptions(conn: &mut Conn, customer_id: i64) -> Result<Vec<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE customer_id = $1 ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(from_row).collect()
}

impl Store {
    pub async fn subscription(&self, id: i64) -> Result<Option<Subscription>, StoreError> {
        subscription(&mut *self.acquire().await?, id).await
    }
    pub async fn customer_subscriptions(&self, customer_id: i64) -> Result<Vec<Subscription>, StoreError> {
        customer_subscriptions(&mut *self.acquire().await?, customer_id).await
    }
}

/// Records that the subscriptions in `rows` (id, invoiced until) are invoiced that far, and
/// their set-up fee with them.
pub async fn set_invoiced_until(conn: &mut Conn, rows: &[(i64, Date)]) -> Result<u64, StoreError> {
    let now = now_micros();
    let values: Vec<Vec<V>> = rows.iter().map(|(id, d)| vec![V::I(*id), V::from(*d)]).collect();
    update_rows(conn, "subscriptions", &format!("invoiced_until = v.column2, setup_invoiced = 1, updated_at = {now}"), &values).await
}

/// Everything about a subscription's life that changes: its state and the dates that go with it.
#[derive(Debug, Clone)]
pub struct StateChange {
    pub id: i64,
    pub state: SubscriptionState,
    pub ends_on: Option<Date>,
    pub renewed_until: Option<Date>,
    pub renewal_offered_for: Option<Date>,
}

pub async fn change_state(conn: &mut Conn, c: &StateChange) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE subscriptions SET state = $1, ends_on = $2, renewed_until = $3, renewal_offered_for = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(state_name(c.state))
    .bind(c.ends_on.map(|d| d.to_string()))
    .bind(c.renewed_until.map(|d| d.to_string()))
    .bind(c.renewal_offered_for.map(|d| d.to_string()))
    .bind(now_micros())
    .bind(c.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a cancellation; `state` is what the life cycle says (a suspended service stays off).
pub async fn record_cancellation(
    conn: &mut Conn,
    id: i64,
    received: Date,
    channel: &str,
    effective: Date,
    state: SubscriptionState,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE subscriptions SET state = $6, cancel_received_on = $1, cancel_channel = $2, ends_on = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(received.to_string())
    .bind(channel)
    .bind(effective.to_string())
    .bind(now_micros())
    .bind(id)
    .bind(state_name(state))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_renewal_token(conn: &mut Conn, id: i64, token_hash: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET renewal_token_hash = $1 WHERE id = $2").bind(token_hash).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn subscription_by_renewal_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE renewal_token_hash = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

pub async fn set_plan(conn: &mut Conn, id: i64, plan_id: i64, price: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET plan_id = $1, price = $2, updated_at = $3 WHERE id = $4")
        .bind(plan_id)
        .bind(price)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Suspends (or reactivates) the running subscriptions of a customer; returns their ids.
pub async fn set_customer_suspended(conn: &mut Conn, customer_id: i64, suspended: bool) -> Result<Vec<i64>, StoreError> {
    let (from, to) =
        if suspended { ("('active', 'renewal_offered', 'cancellation_requested')", "suspended") } else { ("('suspended')", "active") };
    let sql = format!("UPDATE subscriptions SET state = $1, updated_at = $2 WHERE customer_id = $3 AND state IN {from} RETURNING id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to).bind(now_micros()).bind(customer_id).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

/// Terminates every subscription of a customer that has not ended.
pub async fn terminate_customer(conn: &mut Conn, customer_id: i64, on: Date) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "UPDATE subscriptions SET state = 'terminated', ends_on = $1, updated_at = $2 WHERE customer_id = $3 \
         AND state NOT IN ('ended', 'lapsed', 'terminated') RETURNING id",
    )
    .bind(on.to_string())
    .bind(now_micros())
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
}

/// Moves the live subscriptions, open one-off lines and projects of a replaced customer card to
/// its successor (issue 3's "new customer card"). Documents stay with the card they were issued to.
pub async fn move_to_card(conn: &mut Conn, old: i64, new: i64) -> Result<u64, StoreError> {
    let now = now_micros();
    let mut n = sqlx::query(
        "UPDATE subscriptions SET customer_id = $1, updated_at = $2 WHERE customer_id = $3 AND state NOT IN ('ended', 'lapsed', 'terminated')",
    )
    .bind(new)
    .bind(now)
    .bind(old)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    n += sqlx::query("UPDATE billable_items SET customer_id = $1 WHERE customer_id = $2 AND invoice_id IS NULL")
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    n += sqlx::query("UPDATE projects SET customer_id = $1 WHERE customer_id = $2 AND balance_invoice_id IS NULL")
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n)
}
