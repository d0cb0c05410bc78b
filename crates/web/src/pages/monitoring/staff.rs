//! Monitoring for staff who may see it (`StaffAction::ViewMonitoring`): the monitors at
//! `/staff/monitors` (counts per health at the top; only those in trouble, one card's; a page of
//! 50 at a time by code), one monitor at `/staff/monitors/{id}` (its configuration, state,
//! certificate, the last two hours of checks, the last 48 hours by hour, the incidents of the
//! last 90 days with their tickets) and the incidents at `/staff/incidents` (open ones first,
//! then those of the last 30 days).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use loket_domain::Language;
use loket_domain::access::StaffAction;
use loket_domain::monitoring::availability::availability;
use loket_domain::monitoring::state::Health;
use loket_store::monitoring::incidents::Incident;
use loket_store::monitoring::{self as store, Filter, incidents, results};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PROBLEMS_FIRST, cause, health, hours_minutes, monitor_row, percent, when_ms};
use crate::http::render::{error_page, render_page};
use crate::http::session::Staff;
use crate::{AppState, Lang, WebError};

/// Monitors per page of the list.
const PAGE: i64 = 50;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/monitors", get(list))
        .route("/staff/monitors/{id}", get(monitor))
        .route("/staff/incidents", get(incidents_page))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    /// 1: only monitors not up.
    trouble: Option<String>,
    /// A card's id or number (C000001).
    customer: Option<String>,
    after: Option<String>,
}

/// The card a filter names: its id or its number.
async fn card(state: &AppState, text: &str) -> Result<Option<loket_store::customers::Customer>, WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Ok(match text.parse::<i64>() {
        Ok(id) => state.store.customer(id).await?,
        Err(_) => state.store.customer_by_number(&text.to_uppercase()).await?,
    })
}

async fn list(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<ListQuery>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewMonitoring)?;
        let l = lang.lang;
        let trouble = q.trouble.as_deref() == Some("1");
        let typed = q.customer.clone().unwrap_or_default();
        let card = card(&state, &typed).await?;
        let unknown_card = !typed.trim().is_empty() && card.is_none();
        let mut conn = state.store.acquire().await?;
        let filter = Filter {
            customer_id: card.as_ref().map(|c| c.id),
            trouble_only: trouble,
            after: q.after.clone().filter(|a| !a.is_empty()),
            limit: PAGE + 1,
            public_only: false,
        };
        let mut monitors = if unknown_card { Vec::new() } else { store::list(&mut conn, &filter).await? };
        let more = monitors.len() as i64 > PAGE;
        monitors.truncate(PAGE as usize);
        let counts = store::health_counts(&mut conn, None).await?;
        let count = |h: Health| counts.iter().filter(|(n, _)| n == h.name()).map(|(_, c)| *c).sum::<i64>();
        let tallies: Vec<Value> = PROBLEMS_FIRST.iter().map(|h| json!({ "health": health(l, *h), "count": count(*h) })).collect();
        let mut query = Vec::new();
        if trouble {
            query.push("trouble=1".to_string());
        }
        if let Some(c) = &card {
            query.push(format!("customer={}", c.id));
        }
        let query = query.join("&");
        let next =
            more.then(|| monitors.last().map(|m| format!("{query}{}after={}", if query.is_empty() { "" } else { "&" }, m.spec.code)));
        let names = customer_names(&state, monitors.iter().filter_map(|m| m.customer_id)).await?;
        let rows: Vec<Value> = monitors
            .iter()
            .map(|m| {
                let mut row = monitor_row(&state, l, m);
                row["customer"] = json!(m.customer_id.and_then(|c| names.iter().find(|(id, _)| *id == c).map(|(_, n)| n.clone())));
                row
            })
            .collect();
        Ok::<_, WebError>(json!({
            "counts": tallies,
            "monitors": rows,
            "trouble": trouble,
            "customer": typed,
            "card": card.map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name })),
            "unknown_card": unknown_card,
            "query": query,
            "next": next.flatten(),
            "first_page": q.after.as_deref().unwrap_or("").is_empty(),
            "can_manage": staff.1.can(StaffAction::ManageMonitoring),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "monitoring/staff_list.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// The names of cards `ids` (a page's handful), each read once.
async fn customer_names(state: &AppState, ids: impl Iterator<Item = i64>) -> Result<Vec<(i64, String)>, WebError> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = state.store.customer(id).await? {
            out.push((id, c.card.legal_name));
        }
    }
    Ok(out)
}

/// An incident as the staff lists show it.
fn incident_row(state: &AppState, lang: Language, i: &Incident, now_ms: i64, names: &[(i64, String)]) -> Value {
    json!({
        "customer": i.customer_id.and_then(|c| names.iter().find(|(id, _)| *id == c).map(|(_, n)| n.clone())),
        "id": i.id,
        "monitor_id": i.monitor_id,
        "monitor": i.monitor_name,
        "code": i.monitor_code,
        "customer_id": i.customer_id,
        "started": when_ms(state, lang, i.started_ms),
        "ended": i.ended_ms.map(|e| when_ms(state, lang, e)),
        "duration": hours_minutes(i.ended_ms.unwrap_or(now_ms) - i.started_ms),
        "cause": cause(lang, i.cause.as_deref()),
        "detail": i.detail,
        "flaps": i.flaps,
        "ticket_id": i.ticket_id,
    })
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

async fn monitor(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Query(q): Query<Done>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewMonitoring)?;
        let l = lang.lang;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let now_ms = state.app.now().as_millisecond();
        let mut conn = state.store.acquire().await?;
        let m = store::get(&mut conn, id).await?.ok_or(WebError::NotFound)?;
        let raw: Vec<Value> = results::raw(&mut conn, id, now_ms - 2 * HOUR_MS, now_ms + 1, 1000)
            .await?
            .iter()
            .rev()
            .map(|r| {
                json!({ "at": when_ms(&state, l, r.at_ms), "ok": r.ok, "latency": r.latency_ms, "cause": cause(l, r.cause.as_deref()) })
            })
            .collect();
        let hours: Vec<Value> = results::hours(&mut conn, id, now_ms - 48 * HOUR_MS, now_ms + 1)
            .await?
            .iter()
            .rev()
            .map(|(h, t)| {
                json!({
                    "hour": when_ms(&state, l, *h),
                    "availability": percent(l, availability(t.up_ms, t.down_ms)),
                    "down": hours_minutes(t.down_ms),
                    "checks": t.checks,
                    "failures": t.failures,
                    "latency": (t.checks > 0).then(|| t.latency_sum_ms / t.checks),
                    "max": t.latency_max_ms,
                })
            })
            .collect();
        let found = incidents::between(&mut conn, Some(id), None, now_ms - 90 * DAY_MS, now_ms + 1, 200).await?;
        let card = match m.customer_id {
            Some(c) => loket_store::customers::customer(&mut conn, c)
                .await?
                .map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name })),
            None => None,
        };
        drop(conn);
        let cert = m.cert_not_after.map(|s| {
            let days = (s * 1000 - now_ms).div_euclid(DAY_MS);
            json!({ "when": when_ms(&state, l, s * 1000), "days": days, "soon": days <= m.spec.cert_days })
        });
        Ok::<_, WebError>(json!({
            "monitor": monitor_row(&state, l, &m),
            "spec": m.spec,
            "card": card,
            "failed_since": m.state.failed_since.map(|t| when_ms(&state, l, t)),
            "cert": cert,
            "raw": raw,
            "hours": hours,
            "incidents": found.iter().map(|i| incident_row(&state, l, i, now_ms, &[])).collect::<Vec<_>>(),
            "can_manage": staff.1.can(StaffAction::ManageMonitoring),
            "done": q.done.filter(|d| d == "saved"),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "monitoring/staff_monitor.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn incidents_page(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    let result = async {
        staff.require(StaffAction::ViewMonitoring)?;
        let l = lang.lang;
        let now_ms = state.app.now().as_millisecond();
        let mut conn = state.store.acquire().await?;
        let open = incidents::open_now(&mut conn, None).await?;
        let recent = incidents::between(&mut conn, None, None, now_ms - 30 * DAY_MS, now_ms + 1, 200).await?;
        drop(conn);
        let names = customer_names(&state, open.iter().chain(&recent).filter_map(|i| i.customer_id)).await?;
        Ok::<_, WebError>(json!({
            "open": open.iter().map(|i| incident_row(&state, l, i, now_ms, &names)).collect::<Vec<_>>(),
            "recent": recent.iter().filter(|i| i.ended_ms.is_some()).map(|i| incident_row(&state, l, i, now_ms, &names)).collect::<Vec<_>>(),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "monitoring/staff_incidents.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}
