//! What needs the provider's staff: the back office's work queue (change requests to review,
//! overdue invoices, renewal offers awaiting the customer, dead jobs) and finding a document or
//! a service by its number or label. Counts stop at [`COUNT_CAP`] so they cost the same on a
//! large database; every query is one index range.

use jiff::civil::Date;
use serde::Serialize;

use loket_domain::billing::lifecycle::SubscriptionState;

use crate::billing::date;
use crate::read::Arg;
use crate::{Store, StoreError};

/// Counts above this show as "1000+".
pub const COUNT_CAP: i64 = 1000;
/// How many of the longest overdue invoices the staff dashboard lists.
pub const OVERDUE_SHOWN: i64 = 10;

/// What the work queue counts, each up to [`COUNT_CAP`].
#[derive(Debug, Clone, Default, Serialize)]
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
    /// The active monitors per health (`up`, `suspect`, `down`, `unknown`), for the monitoring
    /// block beside the work.
    pub monitors: Vec<(String, i64)>,
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
    /// Everything the work queue counts, each up to [`COUNT_CAP`], and the monitors per health,
    /// in one statement: each count is its own subquery over one index range.
    ///
    /// The statement has no parameters: its values are Loket's own constants, and `today` (a
    /// typed date, digits and dashes) is written in as well. PostgreSQL plans a statement with a
    /// bound date again at every run, and planning ten subqueries costs more than running them;
    /// this text is planned once per connection and day. It also saves the two round trips that
    /// the overdue count and the monitors took as statements of their own.
    pub async fn work_counts(&self, today: Date) -> Result<WorkCounts, StoreError> {
        let sql = queues_sql(today);
        self.read_one(&sql, &[], |row| {
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
                monitors: crate::attention::monitor_counts(row.try_get::<Option<String>, _>("monitors")?.as_deref().unwrap_or(""))?,
            })
        })
        .await?
        .ok_or_else(|| StoreError::Corrupt("the work queue's counts read no row".into()))
    }

    /// The [`OVERDUE_SHOWN`] longest overdue invoices, oldest due date first.
    pub async fn oldest_overdue(&self, today: Date) -> Result<Vec<OverdueInvoice>, StoreError> {
        // The state, the kind and the length are the code's constants, written in the text: with
        // them bound, PostgreSQL judged a plan for any values dearer than one for the values at
        // hand, and so planned the statement again on every run (a third of the staff
        // dashboard's cost in the database server). Written out, it keeps one plan.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT i.id, i.number, i.customer_id, c.legal_name, i.due_date, i.gross - i.paid - i.credited AS open FROM invoices i \
                 JOIN customers c ON c.id = i.customer_id WHERE i.state = 'open' AND i.due_date < $1 AND i.kind = 'invoice' \
                 ORDER BY i.due_date, i.id LIMIT {OVERDUE_SHOWN}"
            )
        });
        let today = today.to_string();
        self.read(SQL.as_str(), &[Arg::Text(&today)], |r| {
            Ok(OverdueInvoice {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                customer_id: r.try_get("customer_id")?,
                customer_name: r.try_get("legal_name")?,
                due_date: date(r, "due_date")?,
                open: r.try_get("open")?,
            })
        })
        .await
    }

    /// Documents whose number starts with `prefix` (upper case), in number order.
    ///
    /// This and [`Store::services_found`] read the customer's (and plan's) name by a
    /// subquery, not a join. PostgreSQL plans a prefix search again on every run, whatever the
    /// text says (a plan for any prefix looks dearer to it than one for the prefix at hand), and
    /// planning the join of three tables cost it three times the statement's own work; a table
    /// with subqueries plans in half the time.
    pub async fn documents_by_number(&self, prefix: &str, limit: i64) -> Result<Vec<FoundDocument>, StoreError> {
        let upper = format!("{prefix}\u{10FFFF}");
        self.read(
            "SELECT i.id, i.number, i.kind, i.customer_id, (SELECT c.legal_name FROM customers c WHERE c.id = i.customer_id) AS legal_name, \
             i.issue_date FROM invoices i WHERE i.number >= $1 AND i.number < $2 ORDER BY i.number LIMIT CAST($3 AS BIGINT)",
            &[Arg::Text(prefix), Arg::Text(&upper), Arg::Int(limit)],
            |r| {
                Ok(FoundDocument {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    kind: r.try_get("kind")?,
                    customer_id: r.try_get("customer_id")?,
                    customer_name: r.try_get("legal_name")?,
                    issue_date: date(r, "issue_date")?,
                })
            },
        )
        .await
    }

    /// Services whose label's words start with the words of `search` (a domain, a server
    /// name, or part of one: "rossiweb.it" finds `vps.rossiweb.it`), in label order.
    pub async fn services_found(&self, search: &str, limit: i64) -> Result<Vec<FoundService>, StoreError> {
        let ids = crate::search::find(self, crate::search::SERVICE, search, limit.clamp(1, 1000) as usize).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT s.id, s.label, s.customer_id, (SELECT c.legal_name FROM customers c WHERE c.id = s.customer_id) AS legal_name, \
             (SELECT p.name FROM plans p WHERE p.id = s.plan_id) AS plan FROM subscriptions s WHERE s.id IN ({}) ORDER BY s.label, s.id",
            crate::billing::in_list(1, ids.len())
        );
        let args: Vec<Arg<'_>> = ids.iter().map(|id| Arg::Int(*id)).collect();
        self.read(&sql, &args, |r| {
            Ok(FoundService {
                id: r.try_get("id")?,
                label: r.try_get("label")?,
                customer_id: r.try_get("customer_id")?,
                customer_name: r.try_get("legal_name")?,
                plan: r.try_get("plan")?,
            })
        })
        .await
    }
}

/// The work queue's statement for `today` ([`Store::work_counts`]), made once a day: the
/// statement's text must stay the same all day, as the read path keeps its names per text.
fn queues_sql(today: Date) -> std::sync::Arc<str> {
    static MADE: std::sync::Mutex<Option<(Date, std::sync::Arc<str>)>> = std::sync::Mutex::new(None);
    if let Ok(made) = MADE.lock()
        && let Some((day, sql)) = made.as_ref()
        && *day == today
    {
        return sql.clone();
    }
    let count = |table: &str, filter: &str, name: &str| {
        format!("(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {filter} LIMIT {COUNT_CAP}) AS {name}_q) AS {name}")
    };
    let renewals = format!("state = '{}'", SubscriptionState::RenewalOffered.name());
    // A typed date writes itself as `YYYY-MM-DD`: nothing in it can end the literal.
    let overdue = format!("state = 'open' AND kind = 'invoice' AND due_date < '{today}'");
    let counts = [
        count("change_requests", "state = 'pending'", "changes"),
        count("domain_contact_requests", "state = 'pending'", "domains"),
        count("access_requests", "state = 'pending'", "access"),
        count("invoices", &overdue, "overdue"),
        count("invoices", "state = 'open' AND kind = 'pro_forma'", "pro_formas"),
        count("subscriptions", &renewals, "renewals"),
        count("jobs", "state = 'dead'", "dead_jobs"),
        count("tickets", "active = 1 AND assignee_id IS NULL", "unassigned_tickets"),
        count("bank_entries", "state = 'unmatched'", "unmatched_credits"),
        crate::attention::monitors_column(""),
    ];
    let sql: std::sync::Arc<str> = format!("SELECT {}", counts.join(", ")).into();
    if let Ok(mut made) = MADE.lock() {
        *made = Some((today, sql.clone()));
    }
    sql
}
