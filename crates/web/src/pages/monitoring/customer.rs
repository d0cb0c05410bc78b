//! A card's monitoring for its users who see its services (`ViewInvoices` or `ManageServices`,
//! as a service's page): `/customers/{id}/monitoring` shows the card's monitors (state, last
//! check, response time, this month against the target) and the report of `?month=YYYY-MM`
//! (this month so far by default) — services, monitors, incidents, maintenance, credit — with
//! its PDF at `/customers/{id}/monitoring/report.pdf`. A card the user is not on answers 404.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use loket_app::AppError;
use loket_app::monitoring::report::month_start;
use loket_domain::access::Permission;
use loket_domain::monitoring::availability::Ppm;
use loket_domain::monitoring::report::CardReport;
use loket_domain::{FieldError, Language};
use loket_store::accounts::Session;
use loket_store::customers::Customer;
use loket_store::monitoring::{self as store, Filter};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{hours_minutes, monitor_row, percent};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::SignedIn;
use crate::{AppState, Lang, WebError};

/// Months offered in the select, this one included.
const MONTHS: i32 = 13;

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/monitoring", get(page)).route("/customers/{id}/monitoring/report.pdf", get(pdf))
}

/// The card, if the user is on it and sees its services (not on it: 404).
async fn member(state: &AppState, session: &Session, id: &str) -> Result<Customer, WebError> {
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, cid).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::ViewInvoices) && !m.permissions.has(Permission::ManageServices) {
        return Err(WebError::Forbidden("your role on this card does not include its services".into()));
    }
    state.store.customer(cid).await?.ok_or(WebError::NotFound)
}

#[derive(Deserialize, Default)]
struct MonthQuery {
    month: Option<String>,
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The month asked for (this one when none is), or the field error naming `month`.
fn chosen(state: &AppState, q: &MonthQuery) -> Result<String, Vec<FieldError>> {
    match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(month_key(state.app.today())),
        Some(m) => match month_start("month", m) {
            Ok(d) => Ok(month_key(d)),
            Err(AppError::Invalid(e)) => Err(e),
            Err(_) => Err(vec![FieldError::new("month", "not a month like 2026-11")]),
        },
    }
}

fn local(lang: Language, dt: DateTime) -> String {
    format!("{} {:02}:{:02}", loket_i18n::format_date(lang, dt.date()), dt.hour(), dt.minute())
}

/// The verdict's words and badge.
fn verdict(lang: Language, met: Option<bool>, target: Option<Ppm>) -> Value {
    let (key, tone) = match (met, target) {
        (Some(true), _) => ("pdf-availability-met", "paid"),
        (Some(false), _) => ("pdf-availability-not-met", "overdue"),
        (None, None) => ("pdf-availability-no-target", "ended"),
        (None, Some(_)) => ("pdf-availability-not-measured", "ended"),
    };
    json!({ "text": loket_i18n::t(lang, key), "tone": tone })
}

/// The report as the page shows it.
fn report_view(lang: Language, r: &CardReport) -> Value {
    let money = |m: loket_domain::Money| loket_i18n::format_money(lang, m);
    let services: Vec<Value> = r
        .services
        .iter()
        .map(|s| {
            json!({
                "service": s.service,
                "plan": s.plan,
                "availability": percent(lang, s.availability),
                "target": s.target.map(|t| percent(lang, Some(t))).unwrap_or_else(|| loket_i18n::t(lang, "pdf-availability-no-target")),
                "verdict": verdict(lang, s.met, s.target),
                "credit": (s.credit.minor > 0).then(|| money(s.credit)),
                "monitors": s.monitors.iter().map(|m| json!({
                    "code": m.code, "name": m.name, "availability": percent(lang, m.availability),
                    "down": hours_minutes(m.down_ms), "maintenance": hours_minutes(m.maintenance_ms),
                    "checks": m.checks, "latency": m.latency_avg_ms,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "month": r.month,
        "month_text": month_start("month", &r.month).map(|d| loket_i18n::format_month(lang, d)).unwrap_or_default(),
        "services": services,
        "incidents": r.incidents.iter().map(|i| json!({
            "monitor": i.monitor, "started": local(lang, i.started), "ended": i.ended.map(|e| local(lang, e)),
            "duration": hours_minutes(i.duration_ms), "cause": i.cause,
        })).collect::<Vec<_>>(),
        "maintenance": r.maintenance.iter().map(|m| json!({ "reason": m.reason, "starts": local(lang, m.starts), "ends": local(lang, m.ends) }))
            .collect::<Vec<_>>(),
        "credit": (r.credit.minor > 0).then(|| money(r.credit)),
        "all_met": r.all_met(),
    })
}

async fn page(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Response {
    let l = lang.lang;
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let today = state.app.today();
        let this_month = month_key(today);
        let month = chosen(&state, &q);
        // This month's verdict per monitor, from the same report the month's page shows.
        let current = state.app.card_report(customer.id, &this_month).await?;
        let mut of_monitor: BTreeMap<String, (Option<Ppm>, Option<Ppm>)> = BTreeMap::new();
        for s in &current.services {
            for m in &s.monitors {
                of_monitor.insert(m.code.clone(), (m.availability, s.target));
            }
        }
        let mut conn = state.store.acquire().await?;
        let monitors = store::list(&mut conn, &Filter { customer_id: Some(customer.id), limit: 1000, ..Default::default() }).await?;
        drop(conn);
        let rows: Vec<Value> = monitors
            .iter()
            .map(|m| {
                let mut row = monitor_row(&state, l, m);
                let (a, target) = of_monitor.get(&m.spec.code).copied().unwrap_or((None, None));
                row["month"] = json!(percent(l, a));
                row["goal"] = json!(target.map(|t| percent(l, Some(t))));
                row["below"] = json!(matches!((a, target), (Some(a), Some(t)) if a < t));
                row
            })
            .collect();
        let (report, errors) = match &month {
            Ok(m) if *m == this_month => (Some(report_view(l, &current)), Value::Null),
            Ok(m) => (Some(report_view(l, &state.app.card_report(customer.id, m).await?)), Value::Null),
            Err(e) => (None, json!(e.iter().map(|e| field_message(l, e)).collect::<Vec<_>>().join("; "))),
        };
        let first = today.first_of_month();
        let months: Vec<Value> = (0..MONTHS)
            .filter_map(|n| first.checked_sub(n.months()).ok())
            .map(|d| json!({ "value": month_key(d), "text": loket_i18n::format_month(l, d) }))
            .collect();
        let status = if month.is_err() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
        Ok::<_, WebError>((
            status,
            json!({
                "customer": customer,
                "monitors": rows,
                "month": month.clone().unwrap_or_else(|_| q.month.clone().unwrap_or_default()),
                "this_month": this_month,
                "months": months,
                "report": report,
                "errors": { "month": errors },
            }),
        ))
    }
    .await;
    match result {
        Ok((status, data)) => render_page(&state, lang, Some(&session), "monitoring/customer.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

/// The month's report as the PDF the monthly e-mail carries.
async fn pdf(State(state): State<AppState>, SignedIn(session): SignedIn, Path(id): Path<String>, Query(q): Query<MonthQuery>) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let month = chosen(&state, &q).map_err(WebError::Invalid)?;
        let report = state.app.card_report(customer.id, &month).await?;
        let bytes = loket_app::monitoring::mails::report_pdf(&state.app, &report);
        Ok::<_, WebError>((loket_app::monitoring::mails::report_file_name(&report), bytes))
    }
    .await;
    match result {
        Ok((name, bytes)) => crate::http::download::pdf(&name, "availability.pdf", bytes),
        Err(e) => error_page(e),
    }
}
