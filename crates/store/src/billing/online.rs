//! Online payments at the payment provider and what became of them: each checkout recorded
//! before the provider is asked (so its idempotency key survives a crash), its status as last
//! fetched from the provider, the Loket payment booked once, and its refunds and chargebacks.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{from_micros, now_micros};
use crate::{Conn, StoreError};

#[derive(Debug, Clone, serde::Serialize)]
pub struct OnlinePayment {
    pub id: i64,
    pub invoice_id: i64,
    pub customer_id: i64,
    pub provider: String,
    pub idempotency_key: String,
    pub provider_payment_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: String,
    pub method: Option<String>,
    pub checkout_url: Option<String>,
    pub payment_id: Option<i64>,
    pub refunded: i64,
    pub charged_back: i64,
    pub refresh_requested_at: Option<i64>,
    pub started_by: String,
    /// oneoff | first (gives a mandate) | recurring (collected with one)
    pub sequence: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const SELECT: &str = "SELECT id, invoice_id, customer_id, provider, idempotency_key, provider_payment_id, amount, currency, status, method, \
                      checkout_url, payment_id, refunded, charged_back, refresh_requested_at, started_by, sequence, created_at, updated_at FROM online_payments";

fn row(r: &AnyRow) -> Result<OnlinePayment, StoreError> {
    Ok(OnlinePayment {
        id: r.try_get("id")?,
        invoice_id: r.try_get("invoice_id")?,
        customer_id: r.try_get("customer_id")?,
        provider: r.try_get("provider")?,
        idempotency_key: r.try_get("idempotency_key")?,
        provider_payment_id: r.try_get("provider_payment_id")?,
        amount: r.try_get("amount")?,
        currency: r.try_get("currency")?,
        status: r.try_get("status")?,
        method: r.try_get("method")?,
        checkout_url: r.try_get("checkout_url")?,
        payment_id: r.try_get("payment_id")?,
        refunded: r.try_get("refunded")?,
        charged_back: r.try_get("charged_back")?,
        refresh_requested_at: r.try_get("refresh_requested_at")?,
        started_by: r.try_get("started_by")?,
        sequence: r.try_get("sequence")?,
        created_at: from_micros(r.try_get("created_at")?),
        updated_at: from_micros(r.try_get("updated_at")?),
    })
}

/// A checkout about to be asked of the provider.
#[derive(Debug, Clone)]
pub struct NewOnlinePayment<'a> {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub provider: &'a str,
    pub idempotency_key: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub started_by: &'a str,
    /// oneoff | first | recurring
    pub sequence: &'a str,
}

/// Records a checkout in state `creating`.
pub async fn insert(conn: &mut Conn, p: &NewOnlinePayment<'_>) -> Result<i64, StoreError> {
    let now = now_micros();
    let r = sqlx::query(
        "INSERT INTO online_payments (invoice_id, customer_id, provider, idempotency_key, amount, currency, status, refunded, charged_back, \
         started_by, sequence, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'creating', 0, 0, $7, $9, $8, $8) RETURNING id",
    )
    .bind(p.invoice_id)
    .bind(p.customer_id)
    .bind(p.provider)
    .bind(p.idempotency_key)
    .bind(p.amount)
    .bind(p.currency)
    .bind(p.started_by)
    .bind(now)
    .bind(p.sequence)
    .fetch_one(&mut *conn)
    .await?;
    Ok(r.try_get(0)?)
}

/// What the provider answered when the checkout was created (or that it could not be).
pub async fn set_created(
    conn: &mut Conn,
    id: i64,
    provider_payment_id: Option<&str>,
    status: &str,
    checkout_url: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE online_payments SET provider_payment_id = COALESCE($1, provider_payment_id), status = $2, checkout_url = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(provider_payment_id)
    .bind(status)
    .bind(checkout_url)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The status, method and amounts as last fetched from the provider.
pub async fn set_fetched(
    conn: &mut Conn,
    id: i64,
    status: &str,
    method: Option<&str>,
    refunded: i64,
    charged_back: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE online_payments SET status = $1, method = COALESCE($2, method), refunded = $3, charged_back = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(status)
    .bind(method)
    .bind(refunded)
    .bind(charged_back)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Notes the Loket payment booked for it; false when one was booked before (nothing changed).
pub async fn mark_booked(conn: &mut Conn, id: i64, payment_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE online_payments SET payment_id = $1, updated_at = $2 WHERE id = $3 AND payment_id IS NULL")
        .bind(payment_id)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<OnlinePayment>, StoreError> {
    let sql = format!("{SELECT} WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.as_ref().map(row).transpose()
}

pub async fn by_provider_id(conn: &mut Conn, provider_payment_id: &str) -> Result<Option<OnlinePayment>, StoreError> {
    let sql = format!("{SELECT} WHERE provider_payment_id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(provider_payment_id).fetch_optional(&mut *conn).await?.as_ref().map(row).transpose()
}

/// An invoice's online payments, newest first.
pub async fn for_invoice(conn: &mut Conn, invoice_id: i64) -> Result<Vec<OnlinePayment>, StoreError> {
    let sql = format!("{SELECT} WHERE invoice_id = $1 ORDER BY id DESC LIMIT 50");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(invoice_id).fetch_all(&mut *conn).await?.iter().map(row).collect()
}

/// Asks for the payment to be fetched from the provider again (a webhook came).
pub async fn request_refresh(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE online_payments SET refresh_requested_at = $1 WHERE id = $2")
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Payments to fetch from the provider, oldest request first.
pub async fn to_refresh(conn: &mut Conn, limit: i64) -> Result<Vec<OnlinePayment>, StoreError> {
    let sql = format!("{SELECT} WHERE refresh_requested_at IS NOT NULL ORDER BY refresh_requested_at LIMIT CAST($1 AS BIGINT)");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *conn).await?.iter().map(row).collect()
}

/// Clears a refresh request unless another webhook came since `requested_at`.
pub async fn clear_refresh(conn: &mut Conn, id: i64, requested_at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE online_payments SET refresh_requested_at = NULL WHERE id = $1 AND refresh_requested_at = $2")
        .bind(id)
        .bind(requested_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A refund or a chargeback of an online payment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentEvent {
    pub id: i64,
    pub online_payment_id: i64,
    pub kind: String,
    pub provider_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub amount: i64,
    pub status: String,
    pub reason: Option<String>,
    pub payment_id: Option<i64>,
    pub created_at: Timestamp,
}

const EVENT: &str = "SELECT id, online_payment_id, kind, provider_id, idempotency_key, amount, status, reason, payment_id, created_at FROM online_payment_events";

fn event(r: &AnyRow) -> Result<PaymentEvent, StoreError> {
    Ok(PaymentEvent {
        id: r.try_get("id")?,
        online_payment_id: r.try_get("online_payment_id")?,
        kind: r.try_get("kind")?,
        provider_id: r.try_get("provider_id")?,
        idempotency_key: r.try_get("idempotency_key")?,
        amount: r.try_get("amount")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        payment_id: r.try_get("payment_id")?,
        created_at: from_micros(r.try_get("created_at")?),
    })
}

/// Records a refund or chargeback; with a provider id already known, nothing when it is
/// recorded already (returns None).
#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    conn: &mut Conn,
    online_payment_id: i64,
    kind: &str,
    provider_id: Option<&str>,
    idempotency_key: Option<&str>,
    amount: i64,
    status: &str,
    reason: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    let now = now_micros();
    let r = sqlx::query(
        "INSERT INTO online_payment_events (online_payment_id, kind, provider_id, idempotency_key, amount, status, reason, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(online_payment_id)
    .bind(kind)
    .bind(provider_id)
    .bind(idempotency_key)
    .bind(amount)
    .bind(status)
    .bind(reason)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    r.map(|r| r.try_get(0)).transpose().map_err(Into::into)
}

pub async fn events(conn: &mut Conn, online_payment_id: i64) -> Result<Vec<PaymentEvent>, StoreError> {
    let sql = format!("{EVENT} WHERE online_payment_id = $1 ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(online_payment_id).fetch_all(&mut *conn).await?.iter().map(event).collect()
}

/// The provider's id and status of a refund.
pub async fn set_event(conn: &mut Conn, id: i64, provider_id: Option<&str>, status: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE online_payment_events SET provider_id = COALESCE($1, provider_id), status = $2, updated_at = $3 WHERE id = $4")
        .bind(provider_id)
        .bind(status)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Notes the Loket payment booked for an event; false when booked before.
pub async fn book_event(conn: &mut Conn, id: i64, payment_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE online_payment_events SET payment_id = $1, updated_at = $2 WHERE id = $3 AND payment_id IS NULL")
        .bind(payment_id)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A card known to the payment provider, with the mandate its first payment gave.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OnlineCustomer {
    pub customer_id: i64,
    pub provider: String,
    pub provider_customer_id: String,
    pub mandate_id: Option<String>,
    pub mandate_state: Option<String>,
    pub method: Option<String>,
    pub consumer_account: Option<String>,
}

pub async fn online_customer(conn: &mut Conn, customer_id: i64) -> Result<Option<OnlineCustomer>, StoreError> {
    let r = sqlx::query(
        "SELECT customer_id, provider, provider_customer_id, mandate_id, mandate_state, method, consumer_account FROM online_customers \
         WHERE customer_id = $1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    r.map(|r| {
        Ok(OnlineCustomer {
            customer_id: r.try_get("customer_id")?,
            provider: r.try_get("provider")?,
            provider_customer_id: r.try_get("provider_customer_id")?,
            mandate_id: r.try_get("mandate_id")?,
            mandate_state: r.try_get("mandate_state")?,
            method: r.try_get("method")?,
            consumer_account: r.try_get("consumer_account")?,
        })
    })
    .transpose()
}

/// Records the provider's customer for a card (nothing when it has one already).
pub async fn insert_online_customer(
    conn: &mut Conn,
    customer_id: i64,
    provider: &str,
    provider_customer_id: &str,
) -> Result<(), StoreError> {
    let now = now_micros();
    sqlx::query(
        "INSERT INTO online_customers (customer_id, provider, provider_customer_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (customer_id) DO NOTHING",
    )
    .bind(customer_id)
    .bind(provider)
    .bind(provider_customer_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The mandate a card's invoices are collected with (state `valid`), or that it ended (`revoked`).
pub async fn set_mandate(
    conn: &mut Conn,
    customer_id: i64,
    mandate_id: Option<&str>,
    state: &str,
    method: Option<&str>,
    consumer_account: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE online_customers SET mandate_id = COALESCE($1, mandate_id), mandate_state = $2, method = COALESCE($3, method), \
         consumer_account = COALESCE($4, consumer_account), updated_at = $5 WHERE customer_id = $6",
    )
    .bind(mandate_id)
    .bind(state)
    .bind(method)
    .bind(consumer_account)
    .bind(now_micros())
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An open invoice to collect with a card's mandate.
#[derive(Debug, Clone)]
pub struct Collectable {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub number: String,
    pub open: i64,
    pub currency: String,
    pub provider_customer_id: String,
    pub mandate_id: String,
    /// An earlier collection of it that never reached the provider, to be sent again as it was.
    pub unreached: Option<Unreached>,
}

/// A collection that never reached the provider (`unavailable`): sent again with its own
/// idempotency key, so that a provider that did create it and only lost its answer gives that
/// payment back instead of charging twice.
#[derive(Debug, Clone)]
pub struct Unreached {
    pub id: i64,
    pub idempotency_key: String,
    pub amount: i64,
}

/// Open invoices (after `after_id`, in id order) of cards with a valid mandate that no online
/// payment is under way or done for, and that were never collected with the mandate before
/// (a failed collection is for dunning and the customer, not tried again every day) — except
/// by a collection that never reached the provider, started at or after `unreached_since`
/// (microseconds): that one comes with the invoice, to be sent again. One that did not reach
/// the provider before then stays as it is: its idempotency key may be forgotten there, and a
/// new one could charge twice.
pub async fn collectable(conn: &mut Conn, after_id: i64, limit: i64, unreached_since: i64) -> Result<Vec<Collectable>, StoreError> {
    let rows = sqlx::query(
        "SELECT i.id, i.customer_id, i.number, i.gross - i.paid - i.credited AS open_amount, i.currency, c.provider_customer_id, c.mandate_id, \
         u.id AS unreached_id, u.idempotency_key AS unreached_key, u.amount AS unreached_amount \
         FROM online_customers c JOIN invoices i ON i.customer_id = c.customer_id \
         LEFT JOIN online_payments u ON u.id = (SELECT MAX(r.id) FROM online_payments r WHERE r.invoice_id = i.id \
             AND r.sequence = 'recurring' AND r.status = 'unavailable' AND r.created_at >= $3) \
         WHERE c.mandate_state = 'valid' AND c.mandate_id IS NOT NULL AND i.state = 'open' AND i.kind = 'invoice' AND i.id > $1 \
         AND NOT EXISTS (SELECT 1 FROM online_payments p WHERE p.invoice_id = i.id \
             AND (p.sequence = 'recurring' OR p.status IN ('creating', 'open', 'pending', 'authorized', 'paid')) \
             AND NOT (p.sequence = 'recurring' AND p.status = 'unavailable' AND p.created_at >= $3)) \
         ORDER BY i.id LIMIT CAST($2 AS BIGINT)",
    )
    .bind(after_id)
    .bind(limit)
    .bind(unreached_since)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let unreached = match r.try_get::<Option<i64>, _>(7)? {
                Some(id) => Some(Unreached { id, idempotency_key: r.try_get(8)?, amount: r.try_get(9)? }),
                None => None,
            };
            Ok(Collectable {
                invoice_id: r.try_get(0)?,
                customer_id: r.try_get(1)?,
                number: r.try_get(2)?,
                open: r.try_get(3)?,
                currency: r.try_get(4)?,
                provider_customer_id: r.try_get(5)?,
                mandate_id: r.try_get(6)?,
                unreached,
            })
        })
        .collect()
}

/// Takes online payment `id` back from `unavailable` to `creating`, to send it again; `false`
/// when it is no longer unavailable (another run took it).
pub async fn retake_unreached(conn: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE online_payments SET status = 'creating', updated_at = $1 WHERE id = $2 AND status = 'unavailable'")
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
