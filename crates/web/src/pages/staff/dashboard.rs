//! The back office's first page: the work waiting for staff — change requests to review,
//! registry changes and lost-access requests, overdue invoices (the longest overdue listed),
//! orders awaiting payment, renewal offers the customer has not decided on, tickets nobody is
//! assigned to, bank credits waiting to be matched, jobs that failed every attempt — each
//! linking to where it is handled. The counts come from `Store::work_counts`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use loket_domain::Money;
use loket_domain::access::StaffAction;
use loket_store::work::COUNT_CAP;
use serde_json::json;

use crate::http::render::{error_page, render_page};
use crate::http::session::Staff;
use crate::{AppState, Lang, WebError};

pub async fn dashboard(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let today = state.app.today();
        let l = lang.lang;
        let count = |n: i64| if n >= COUNT_CAP { format!("{COUNT_CAP}+") } else { n.to_string() };
        let overdue = state.store.oldest_overdue(today).await?;
        let overdue: Vec<_> = overdue
            .iter()
            .map(|o| {
                json!({
                    "id": o.id, "number": o.number, "customer_id": o.customer_id, "customer_name": o.customer_name,
                    "due_date": loket_i18n::format_date(l, o.due_date),
                    "days": loket_domain::billing::days_between(o.due_date, today),
                    "open": loket_i18n::format_money(l, Money::new(o.open, state.provider.currency)),
                })
            })
            .collect();
        let n = state.store.work_counts(today).await?;
        let monitoring = if staff.1.can(StaffAction::ViewMonitoring) {
            crate::pages::monitoring::block_of(&state, l, None, &n.monitors, "/staff/monitors".into()).await?
        } else {
            None
        };
        let helpdesk = state.app.helpdesk.is_some() && staff.1.can(StaffAction::ManageHelpdesk);
        let billing = staff.1.can(StaffAction::ManageBilling);
        Ok::<_, WebError>(json!({
            "monitoring": monitoring,
            "changes": count(n.changes),
            "domains": count(n.domains),
            "access": count(n.access),
            "can_edit": staff.1.can(StaffAction::EditCustomers),
            "overdue_count": count(n.overdue),
            "overdue": overdue,
            "pro_formas": count(n.pro_formas),
            "renewals": count(n.renewals),
            "dead_jobs": count(n.dead_jobs),
            "unassigned": helpdesk.then(|| count(n.unassigned_tickets)),
            "unmatched": billing.then(|| count(n.unmatched_credits)),
            "can_review": staff.1.can(StaffAction::ReviewChanges),
            // The counts as numbers, for the words after them (one invoice, two invoices).
            "n": {
                "changes": n.changes, "overdue_count": n.overdue, "pro_formas": n.pro_formas, "renewals": n.renewals,
                "dead_jobs": n.dead_jobs, "unassigned": n.unassigned_tickets, "unmatched": n.unmatched_credits,
            },
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "staff/dashboard.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}
