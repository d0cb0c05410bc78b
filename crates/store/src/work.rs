//! What needs the provider's staff: the back office's work queue (change requests to review,
//! overdue invoices, renewal offers awaiting the customer, dead jobs) and finding a document or
//! a service by its number or label. Counts stop at [`COUNT_CAP`] so they cost the same on a
//! large database; every query is one index range.

use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;

use crate::billing::date;
use crate::{Store, StoreError};

/// Counts above this show as "1000+".
pub const COUNT_CAP: i64 = 1000;

/// An overdue invoice in the work queue.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueInvoice {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub due_date: Date,
    /// Still to pay, minor units.
    pub open: i64,
}

/// A service found by its label.
#[derive(Debug, Clone, Serialize)]
pub struct FoundService {
    pub id: i64,
    pub label: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub plan: String,
}

/// A document found by its number.
#[derive(Debug, Clone, Serialize)]
pub struct FoundDocument {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub issue_date: Date,
}

impl Store {
    /// `sql` (a `COUNT(*)` over a subquery ending in `LIMIT $N`) with `binds` and [`COUNT_CAP`].
    pub(crate) async fn capped_count(&self, sql: &'static str, binds: &[&str]) -> Result<i64, StoreError> {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        Ok(q.bind(COUNT_CAP).fetch_one(self.pool()).await?.try_get::<i64, _>(0)?)
    }

    /// Change requests waiting for review (up to [`COUNT_CAP`]).
    pub async fn pending_changes_count(&self) -> Result<i64, StoreError> {
        self.capped_count("SELECT COUNT(*) FROM (SELECT 1 FROM change_requests WHERE state = $1 LIMIT $2) AS w", &["pending"]).await
    }

    /// Open invoices past their due date on `today` (up to [`COUNT_CAP`]).
    pub async fn overdue_count(&self, today: Date) -> Result<i64, StoreError> {
        let today = today.to_string();
        self.capped_count(
            "SELECT COUNT(*) FROM (SELECT 1 FROM invoices WHERE state = $1 AND due_date < $2 AND kind = $3 LIMIT $4) AS w",
            &["open", &today, "invoice"],
        )
        .await
    }

    /// Orders awaiting payment: open pro formas (up to [`COUNT_CAP`]); served by the overdue
    /// index's (state, kind) prefix.
    pub async fn open_pro_formas_count(&self) -> Result<i64, StoreError> {
        self.capped_count(
            "SELECT COUNT(*) FROM (SELECT 1 FROM invoices WHERE state = $1 AND kind = $2 LIMIT $3) AS w",
            &["open", "pro_forma"],
        )
        .await
    }

    /// The longest overdue invoices, oldest due date first.
    pub async fn oldest_overdue(&self, today: Date, limit: i64) -> Result<Vec<OverdueInvoice>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.id, i.number, i.customer_id, c.legal_name, i.due_date, i.gross - i.paid - i.credited AS open FROM invoices i \
             JOIN customers c ON c.id = i.customer_id WHERE i.state = $1 AND i.due_date < $2 AND i.kind = $3 ORDER BY i.due_date, i.id LIMIT $4",
        )
        .bind("open")
        .bind(today.to_string())
        .bind("invoice")
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OverdueInvoice {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    customer_id: r.try_get("customer_id")?,
                    customer_name: r.try_get("legal_name")?,
                    due_date: date(r, "due_date")?,
                    open: r.try_get("open")?,
                })
            })
            .collect()
    }

    /// Subscriptions in `state` (the phase as stored), up to [`COUNT_CAP`].
    pub async fn subscriptions_in_state_count(&self, state: &str) -> Result<i64, StoreError> {
        self.capped_count("SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions WHERE state = $1 LIMIT $2) AS w", &[state]).await
    }

    /// Dead jobs (failed every attempt), up to [`COUNT_CAP`].
    pub async fn dead_jobs_count(&self) -> Result<i64, StoreError> {
        self.capped_count("SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = $1 LIMIT $2) AS w", &["dead"]).await
    }

    /// Documents whose number starts with `prefix` (upper case), in number order.
    pub async fn documents_by_number(&self, prefix: &str, limit: i64) -> Result<Vec<FoundDocument>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.id, i.number, i.kind, i.customer_id, c.legal_name, i.issue_date FROM invoices i JOIN customers c ON c.id = i.customer_id \
             WHERE i.number >= $1 AND i.number < $2 ORDER BY i.number LIMIT $3",
        )
        .bind(prefix)
        .bind(format!("{prefix}\u{10FFFF}"))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FoundDocument {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    kind: r.try_get("kind")?,
                    customer_id: r.try_get("customer_id")?,
                    customer_name: r.try_get("legal_name")?,
                    issue_date: date(r, "issue_date")?,
                })
            })
            .collect()
    }

    /// Services whose label (a domain, a server name) starts with `prefix`, in label order.
    pub async fn services_by_label(&self, prefix: &str, limit: i64) -> Result<Vec<FoundService>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.label, s.customer_id, c.legal_name, p.name AS plan FROM subscriptions s JOIN customers c ON c.id = s.customer_id \
             JOIN plans p ON p.id = s.plan_id WHERE s.label >= $1 AND s.label < $2 ORDER BY s.label LIMIT $3",
        )
        .bind(prefix)
        .bind(format!("{prefix}\u{10FFFF}"))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FoundService {
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    customer_id: r.try_get("customer_id")?,
                    customer_name: r.try_get("legal_name")?,
                    plan: r.try_get("plan")?,
                })
            })
            .collect()
    }
}
