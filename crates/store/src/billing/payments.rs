//! Payments and refunds, the credit ledger, dunning steps taken, and the notifications a
//! customer sees in the panel and receives by mail.

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::billing::notice::Notice;
use serde::Serialize;
use sqlx::Row;

use super::{V, date, insert_rows};
use crate::read::{Arg, Columns};
use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub id: i64,
    pub customer_id: i64,
    pub invoice_id: Option<i64>,
    pub amount: i64,
    pub currency: Currency,
    pub method: String,
    pub received_on: Date,
    pub reference: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_payment(
    conn: &mut Conn,
    customer_id: i64,
    invoice_id: Option<i64>,
    amount: i64,
    currency: Currency,
    method: &str,
    received_on: Date,
    reference: Option<&str>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO payments (customer_id, invoice_id, amount, currency, method, received_on, reference, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(customer_id)
    .bind(invoice_id)
    .bind(amount)
    .bind(currency.code())
    .bind(method)
    .bind(received_on.to_string())
    .bind(reference)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn customer_payments(conn: &mut Conn, customer_id: i64) -> Result<Vec<Payment>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, customer_id, invoice_id, amount, currency, method, received_on, reference FROM payments WHERE customer_id = $1 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Payment {
                id: r.try_get("id")?,
                customer_id: r.try_get("customer_id")?,
                invoice_id: r.try_get("invoice_id")?,
                amount: r.try_get("amount")?,
                currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                method: r.try_get("method")?,
                received_on: date(r, "received_on")?,
                reference: r.try_get("reference")?,
            })
        })
        .collect()
}

/// A credit-ledger entry: customer, amount (+ adds credit, − uses it), reason, invoice, payment.
pub type CreditEntry<'a> = (i64, i64, &'a str, Option<i64>, Option<i64>);

/// Adds entries to the credit ledger.
pub async fn add_credit(conn: &mut Conn, currency: Currency, rows: &[CreditEntry<'_>]) -> Result<(), StoreError> {
    let now = now_micros();
    let values: Vec<Vec<V>> = rows
        .iter()
        .map(|(c, a, reason, inv, pay)| {
            vec![V::I(*c), V::I(*a), V::from(currency.code()), V::from(*reason), V::OI(*inv), V::OI(*pay), V::I(now)]
        })
        .collect();
    insert_rows(conn, "credit_ledger", &["customer_id", "amount", "currency", "reason", "invoice_id", "payment_id", "created_at"], &values)
        .await
}

/// The credit balances of the customers in `[from, to]` that have one.
pub async fn credit_balances(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT customer_id, CAST(SUM(amount) AS BIGINT) FROM credit_ledger WHERE customer_id >= $1 AND customer_id <= $2 \
         GROUP BY customer_id HAVING SUM(amount) <> 0",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1))).collect())
}

pub async fn credit_balance(conn: &mut Conn, customer_id: i64) -> Result<i64, StoreError> {
    Ok(credit_balances(conn, customer_id, customer_id).await?.first().map(|(_, b)| *b).unwrap_or(0))
}

/// (due date, paid on) of a customer's invoices, for the "repeatedly late" flag.
pub async fn payment_history(conn: &mut Conn, customer_id: i64) -> Result<Vec<(Date, Option<Date>)>, StoreError> {
    let rows = sqlx::query("SELECT due_date, paid_on FROM invoices WHERE customer_id = $1 AND kind = $2 ORDER BY due_date")
        .bind(customer_id)
        .bind(super::documents::DocKind::Invoice.name())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((date(r, "due_date")?, super::opt_date(r, "paid_on")?))).collect()
}

/// The job kind that mails pending notifications.
pub const NOTIFY_JOB: &str = "billing.notify";

/// Stores notifications: (customer, kind, data).
pub async fn notify(conn: &mut Conn, rows: &[(i64, Notice)]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = now_micros();
    let values: Vec<Vec<V>> =
        rows.iter().map(|(c, n)| vec![V::I(*c), V::from(n.kind().name()), V::T(n.data().to_string()), V::I(now)]).collect();
    insert_rows(conn, "notifications", &["customer_id", "kind", "data", "created_at"], &values).await?;
    enqueue_notify(conn).await
}

/// Makes sure a `billing.notify` job is queued: one is enough (each run mails a bounded slice
/// and queues the next while notifications are left), so a large billing run does not queue
/// hundreds that would all run at once.
pub async fn enqueue_notify(conn: &mut Conn) -> Result<(), StoreError> {
    crate::jobs::enqueue_unless_queued(conn, NOTIFY_JOB, serde_json::json!({})).await
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub customer_id: i64,
    pub notice: Notice,
    pub created_at: jiff::Timestamp,
    pub mailed: bool,
    /// A user of the card has seen it in the panel.
    pub read: bool,
}

impl Notification {
    /// The kind's stored name, e.g. `invoice_issued`.
    pub fn kind(&self) -> &'static str {
        self.notice.kind().name()
    }

    /// The notice's fields as stored.
    pub fn data(&self) -> serde_json::Value {
        self.notice.data()
    }
}

fn notification_rows(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<Notification>, StoreError> {
    rows.iter().map(|r| notification(r)).collect()
}

fn notification(r: &dyn Columns) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        notice: Notice::read_json(&r.try_get::<String, _>("kind")?, &r.try_get::<String, _>("data")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        created_at: from_micros(r.try_get("created_at")?),
        mailed: r.try_get::<Option<i64>, _>("outbox_id")?.is_some(),
        read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
    })
}

/// Notifications not mailed yet, oldest first. Call inside the transaction that mails them
/// (on PostgreSQL the rows stay locked until it ends; other nodes skip them).
pub async fn unsent_notifications(conn: &mut Conn, backend: crate::Backend, limit: i64) -> Result<Vec<Notification>, StoreError> {
    let lock = if backend == crate::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "SELECT id, customer_id, kind, data, created_at, outbox_id, read_at FROM notifications WHERE outbox_id IS NULL ORDER BY id LIMIT CAST($1 AS BIGINT){lock}"
    );
    notification_rows(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *conn).await?)
}

pub async fn mark_mailed(conn: &mut Conn, id: i64, outbox_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE notifications SET outbox_id = $1 WHERE id = $2").bind(outbox_id).bind(id).execute(&mut *conn).await?;
    Ok(())
}

impl Store {
    /// A customer's notifications, newest first (the panel).
    pub async fn notifications(&self, customer_id: i64, limit: i64) -> Result<Vec<Notification>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, customer_id, kind, data, created_at, outbox_id, read_at FROM notifications WHERE customer_id = $1 ORDER BY id DESC LIMIT CAST($2 AS BIGINT)",
        )
        .bind(customer_id)
        .bind(limit)
        .fetch_all(&mut *self.acquire().await?)
        .await?;
        notification_rows(rows)
    }

    /// A card's latest `limit` notifications and how many of all of them are unread (counted up
    /// to `cap`), in one query.
    pub async fn latest_notifications(&self, customer_id: i64, limit: i64, cap: i64) -> Result<(Vec<Notification>, i64), StoreError> {
        let sql = "SELECT id, customer_id, kind, data, created_at, outbox_id, read_at, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE customer_id = $1 AND read_at IS NULL LIMIT CAST($3 AS BIGINT)) AS u) AS unread \
             FROM notifications WHERE customer_id = $1 ORDER BY id DESC LIMIT CAST($2 AS BIGINT)";
        let args = [Arg::Int(customer_id), Arg::Int(limit), Arg::Int(cap)];
        let rows = self.read(sql, &args, |r| Ok((notification(r)?, r.try_get::<i64, _>("unread")?))).await?;
        // No notifications at all: none unread either.
        let unread = rows.first().map_or(0, |(_, unread)| *unread);
        Ok((rows.into_iter().map(|(n, _)| n).collect(), unread))
    }

    pub async fn customer_payments(&self, customer_id: i64) -> Result<Vec<Payment>, StoreError> {
        customer_payments(&mut *self.acquire().await?, customer_id).await
    }

    pub async fn credit_balance(&self, customer_id: i64) -> Result<i64, StoreError> {
        credit_balance(&mut *self.acquire().await?, customer_id).await
    }
}

/// Whether `customer_id` wants notices of `kind` by e-mail (yes unless it said no).
pub async fn wants_mail(conn: &mut Conn, customer_id: i64, kind: &str) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT mail FROM notification_preferences WHERE customer_id = $1 AND kind = $2")
        .bind(customer_id)
        .bind(kind)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>(0)? != 0,
        None => true,
    })
}

impl Store {
    /// A card's notifications not read yet (up to `cap`).
    pub async fn unread_notifications(&self, customer_id: i64, cap: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE customer_id = $1 AND read_at IS NULL LIMIT CAST($2 AS BIGINT)) AS u",
        )
        .bind(customer_id)
        .bind(cap)
        .fetch_one(&mut *self.acquire().await?)
        .await?
        .try_get::<i64, _>(0)?)
    }

    /// Marks a card's notifications read: one, or all of them.
    pub async fn mark_notifications_read(&self, customer_id: i64, id: Option<i64>) -> Result<u64, StoreError> {
        let done = match id {
            Some(id) => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE customer_id = $2 AND id = $3 AND read_at IS NULL")
                    .bind(now_micros())
                    .bind(customer_id)
                    .bind(id)
                    .execute(&mut *self.acquire().await?)
                    .await?
            }
            None => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE customer_id = $2 AND read_at IS NULL")
                    .bind(now_micros())
                    .bind(customer_id)
                    .execute(&mut *self.acquire().await?)
                    .await?
            }
        };
        Ok(done.rows_affected())
    }

    /// The kinds a card said it does not want by e-mail.
    pub async fn mail_opt_outs(&self, customer_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT kind FROM notification_preferences WHERE customer_id = $1 AND mail = 0")
            .bind(customer_id)
            .fetch_all(&mut *self.acquire().await?)
            .await?;
        rows.iter().map(|r| Ok(r.try_get::<String, _>(0)?)).collect()
    }
}

/// Sets whether `customer_id` wants notices of `kind` by e-mail.
pub async fn set_wants_mail(conn: &mut Conn, customer_id: i64, kind: &str, mail: bool) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notification_preferences (customer_id, kind, mail) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id, kind) DO UPDATE SET mail = excluded.mail",
    )
    .bind(customer_id)
    .bind(kind)
    .bind(i64::from(mail))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
