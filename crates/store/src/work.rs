//! What needs the provider's staff: the back office's work queue (change requests to review,
//! overdue invoices, renewal offers awaiting the customer, dead jobs) and finding a document or
//! a service by its number or label. Counts stop at [`COUNT_CAP`] so they cost the same on a
//! large database; every query is one index range.

use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;

use loket_domain::billing::lifecycle::SubscriptionState;

use crate::billing::date;
use crate::{Store, StoreError};

/// Counts above this show as "1000+".
pub const COUNT_CAP: i64 = 1000;

/// What the work queue counts, each up to [`COUNT_CAP`].
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct WorkCounts {
    /// Card changes waiting for review.
    pub changes: i64,
    /// Registry contact changes to carry out.
    pub domains: i64,
    /// Lost-access requests to verify.
    pub access: i64,
    /// Open invoices past their due date.
    pub overdue: i64,
    /// Orders awaiting payment: open pro formas.
    pub pro_formas: i64,
    /// Renewal offers the customer has not decided on.
    pub renewals: i64,
    /// Jobs that failed every attempt.
    pub dead_jobs: i64,
    /// Active tickets nobody is assigned to.
    pub unassigned_tickets: i64,
    /// Bank credits that matched no invoice, waiting for staff.
    pub unmatched_credits: i64,
}

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
    /// Everything the work queue counts, each up to [`COUNT_CAP`], in one statement: each count
    /// is its own subquery over one index range.
    pub async fn work_counts(&self, today: Date) -> Result<WorkCounts, StoreError> {
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM (SELECT 1 FROM change_requests WHERE state = 'pending' LIMIT $1) AS a) AS changes, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM domain_contact_requests WHERE state = 'pending' LIMIT $1) AS b) AS domains, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM access_requests WHERE state = 'pending' LIMIT $1) AS c) AS access, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM invoices WHERE state = 'open' AND kind = 'invoice' AND due_date < $2 LIMIT $1) AS d) AS overdue, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM invoices WHERE state = 'open' AND kind = 'pro_forma' LIMIT $1) AS e) AS pro_formas, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions WHERE state = $3 LIMIT $1) AS f) AS renewals, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = 'dead' LIMIT $1) AS g) AS dead_jobs, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE active = 1 AND assignee_id IS NULL LIMIT $1) AS h) AS unassigned_tickets, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM bank_entries WHERE state = 'unmatched' LIMIT $1) AS i) AS unmatched_credits",
        )
        .bind(COUNT_CAP)
        .bind(today.to_string())
        .bind(SubscriptionState::RenewalOffered.name())
        .fetch_one(self.pool())
        .await?;
        let n = |name: &str| row.try_get::<i64, _>(name);
        Ok(WorkCounts {
            changes: n("changes")?,
            domains: n("domains")?,
            access: n("access")?,
            overdue: n("overdue")?,
            pro_formas: n("pro_formas")?,
            renewals: n("renewals")?,
            dead_jobs: n("dead_jobs")?,
            unassigned_tickets: n("unassigned_tickets")?,
            unmatched_credits: n("unmatched_credits")?,
        })
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
