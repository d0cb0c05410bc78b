//! Monitors and incidents over the API: `GET /api/v1/monitors` (by code, a page at a time with
//! `after` = the last one's code), `GET /api/v1/monitors/{code}`, `PUT /api/v1/monitors/{code}`
//! (new or changed, every field at fault named), `GET /api/v1/incidents`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use jiff::Timestamp;
use loket_domain::access::StaffAction;
use loket_domain::monitoring::SpecInput;
use loket_store::monitoring::incidents::{self, Incident};
use loket_store::monitoring::{self as store, Filter, Monitor};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reader;
use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::{body_named, query};
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_monitors)).routes(routes!(get_monitor, put_monitor)).routes(routes!(list_incidents))
}

fn at(ms: Option<i64>) -> Option<Timestamp> {
    ms.and_then(|m| Timestamp::from_millisecond(m).ok())
}

/// A monitor: its configuration and its state.
#[derive(Serialize, ToSchema)]
pub struct MonitorView {
    pub id: i64,
    /// The provider's name for it (letters, digits, `-`, `_`, `.`); where the next page starts.
    pub code: String,
    pub name: String,
    /// http, tcp, dns, tls, smtp or imap
    pub kind: String,
    pub target: String,
    pub interval_secs: i64,
    pub timeout_secs: i64,
    pub keyword: Option<String>,
    pub cert_days: i64,
    /// The service (subscription) it watches, and that service's card.
    pub subscription_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub public: bool,
    pub notify_customer: bool,
    pub active: bool,
    /// unknown (not checked yet), up, suspect (a failure a retry will confirm) or down
    pub health: String,
    pub last_check_at: Option<Timestamp>,
    pub failing_since: Option<Timestamp>,
    /// The last check's response time.
    pub last_response_ms: Option<i64>,
    pub last_detail: Option<String>,
    /// When the certificate expires, when a check saw one.
    pub certificate_expires_at: Option<Timestamp>,
    /// The incident going on.
    pub incident_id: Option<i64>,
}

impl From<Monitor> for MonitorView {
    fn from(m: Monitor) -> Self {
        MonitorView {
            id: m.id,
            code: m.spec.code,
            name: m.spec.name,
            kind: m.spec.kind.name().into(),
            target: m.spec.target,
            interval_secs: m.spec.interval_secs,
            timeout_secs: m.spec.timeout_secs,
            keyword: m.spec.keyword,
            cert_days: m.spec.cert_days,
            subscription_id: m.spec.subscription,
            customer_id: m.customer_id,
            public: m.spec.public,
            notify_customer: m.spec.notify_customer,
            active: m.spec.active,
            health: m.state.health.name().into(),
            last_check_at: at(m.state.last_at),
            failing_since: at(m.state.failed_since),
            last_response_ms: m.last_latency_ms.filter(|_| m.state.last_at.is_some()),
            last_detail: m.last_detail,
            certificate_expires_at: m.cert_not_after.and_then(|s| Timestamp::from_second(s).ok()),
            incident_id: m.incident_id,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonitorSearch {
    /// Only this card's monitors (required for a card's users).
    pub customer_id: Option<i64>,
    /// true: only monitors that are not up.
    pub trouble: Option<bool>,
    /// The next page: the `code` of the previous page's last monitor.
    pub after: Option<String>,
    /// 1 to 500; default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn bad(field: &str, message: impl Into<String>) -> WebError {
    WebError::BadRequest { field: Some(field.into()), message: message.into() }
}

/// Monitors by code, a page at a time: staff who see monitoring all of them; a card's users who
/// see its services give `customer_id`.
#[utoipa::path(get, path = "/api/v1/monitors", tag = "monitoring", params(MonitorSearch), security(("token" = [])),
    responses((status = 200, body = [MonitorView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_monitors(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<MonitorSearch>, QueryRejection>,
) -> Result<Json<Vec<MonitorView>>, ApiError> {
    let q = query(q)?;
    reader(&state, &caller, q.customer_id).await?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(bad("limit", "limit: 1 to 500").into());
    }
    let f = Filter { customer_id: q.customer_id, trouble_only: q.trouble == Some(true), after: q.after, limit, public_only: false };
    let mut conn = state.store.acquire().await?;
    Ok(Json(store::list(&mut conn, &f).await?.into_iter().map(Into::into).collect()))
}

/// One monitor with its state.
#[utoipa::path(get, path = "/api/v1/monitors/{code}", tag = "monitoring", params(("code" = String, Path)), security(("token" = [])),
    responses((status = 200, body = MonitorView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_monitor(State(state): State<AppState>, caller: ApiCaller, Path(code): Path<String>) -> Result<Json<MonitorView>, ApiError> {
    caller.scope("monitoring:read")?;
    let mut conn = state.store.acquire().await?;
    let m = store::by_code(&mut conn, &code).await?;
    drop(conn);
    // A card's user finds only their cards' monitors; staff find every one.
    let customer_id = m.as_ref().and_then(|m| m.customer_id);
    reader(&state, &caller, customer_id).await?;
    Ok(Json(m.ok_or(WebError::NotFound)?.into()))
}

/// Makes monitor `code`, or changes it (its state and history kept). Every field at fault is
/// named; staff who manage monitors only.
#[utoipa::path(put, path = "/api/v1/monitors/{code}", tag = "monitoring", params(("code" = String, Path)), request_body = SpecInput,
    security(("token" = [])),
    responses((status = 200, body = MonitorView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn put_monitor(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    input: Result<Json<SpecInput>, JsonRejection>,
) -> Result<Json<MonitorView>, ApiError> {
    caller.scope("monitoring:write")?;
    caller.staff(StaffAction::ManageMonitoring)?;
    let input = body_named(input)?;
    let id = state.app.put_monitor(&caller.actor(), &code, &input).await?;
    let mut conn = state.store.acquire().await?;
    Ok(Json(store::get(&mut conn, id).await?.ok_or(WebError::NotFound)?.into()))
}

/// An incident: a confirmed failure until its recovery.
#[derive(Serialize, ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub monitor_code: String,
    pub monitor_name: String,
    pub customer_id: Option<i64>,
    pub started_at: Option<Timestamp>,
    /// None while it goes on.
    pub ended_at: Option<Timestamp>,
    /// timeout, refused, dns, tls, certificate, status, keyword or protocol
    pub cause: Option<String>,
    pub detail: String,
    /// How often it came back within the flap window.
    pub flaps: i64,
    /// The helpdesk ticket it opened.
    pub ticket_id: Option<i64>,
}

impl From<Incident> for IncidentView {
    fn from(i: Incident) -> Self {
        IncidentView {
            id: i.id,
            monitor_code: i.monitor_code,
            monitor_name: i.monitor_name,
            customer_id: i.customer_id,
            started_at: at(Some(i.started_ms)),
            ended_at: at(i.ended_ms),
            cause: i.cause,
            detail: i.detail,
            flaps: i.flaps,
            ticket_id: i.ticket_id,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentSearch {
    /// Only this card's incidents (required for a card's users).
    pub customer_id: Option<i64>,
    /// true: only those going on; otherwise those of the last `days` too.
    pub open: Option<bool>,
    /// 1 to 366; default 30.
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
}

/// Incidents, newest first: those going on, or (without `open=true`) also those of the last
/// `days` days.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "monitoring", params(IncidentSearch), security(("token" = [])),
    responses((status = 200, body = [IncidentView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_incidents(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<IncidentSearch>, QueryRejection>,
) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let q = query(q)?;
    reader(&state, &caller, q.customer_id).await?;
    let days = q.days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(bad("days", "days: 1 to 366").into());
    }
    let mut conn = state.store.acquire().await?;
    let found = if q.open == Some(true) {
        incidents::open_now(&mut conn, q.customer_id).await?
    } else {
        let now = state.app.now().as_millisecond();
        incidents::between(&mut conn, None, q.customer_id, now - days * 86_400_000, now + 1, 500).await?
    };
    Ok(Json(found.into_iter().map(Into::into).collect()))
}
