//! A card's availability report of a month as JSON: `GET /api/v1/customers/{id}/availability`
//! — the same report the panel, the PDF and the monthly e-mail show.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use loket_domain::monitoring::report::{CardReport, IncidentLine, MaintenanceLine, MonitorLine, ServiceMonth};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reader;
use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::query;
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(availability))
}

/// A card's month: per service its availability against the plan's target, the month's
/// incidents and maintenance, and the credit. Availabilities are in parts per million
/// (998000 = 99.8 %); local times are the provider's (`time_zone`), `YYYY-MM-DDTHH:MM:SS`.
#[derive(Serialize, ToSchema)]
pub struct AvailabilityView {
    pub customer_id: i64,
    pub customer_name: String,
    /// `YYYY-MM`
    pub month: String,
    pub time_zone: String,
    pub services: Vec<ServiceMonthView>,
    pub incidents: Vec<IncidentLineView>,
    pub maintenance: Vec<MaintenanceLineView>,
    /// Minor units (cents) credited on the next invoice.
    pub credit: i64,
    pub currency: String,
    /// Every service with a target met it.
    pub all_met: bool,
}

/// A service's month: as available as its least available monitor.
#[derive(Serialize, ToSchema)]
pub struct ServiceMonthView {
    pub subscription_id: Option<i64>,
    pub service: String,
    pub plan: Option<String>,
    pub availability_ppm: Option<i64>,
    pub target_ppm: Option<i64>,
    /// None without a target or without measurements.
    pub met: Option<bool>,
    /// Minor units.
    pub credit: i64,
    pub monitors: Vec<MonitorMonthView>,
}

#[derive(Serialize, ToSchema)]
pub struct MonitorMonthView {
    pub code: String,
    pub name: String,
    pub availability_ppm: Option<i64>,
    pub down_ms: i64,
    pub maintenance_ms: i64,
    pub checks: i64,
    pub response_avg_ms: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct IncidentLineView {
    pub monitor: String,
    pub started: String,
    /// None while it goes on.
    pub ended: Option<String>,
    /// Within the month.
    pub duration_ms: i64,
    pub cause: String,
}

#[derive(Serialize, ToSchema)]
pub struct MaintenanceLineView {
    pub reason: String,
    pub starts: String,
    pub ends: String,
}

fn monitor(m: MonitorLine) -> MonitorMonthView {
    MonitorMonthView {
        code: m.code,
        name: m.name,
        availability_ppm: m.availability,
        down_ms: m.down_ms,
        maintenance_ms: m.maintenance_ms,
        checks: m.checks,
        response_avg_ms: m.latency_avg_ms,
    }
}

fn service(s: ServiceMonth) -> ServiceMonthView {
    ServiceMonthView {
        subscription_id: s.subscription_id,
        service: s.service,
        plan: s.plan,
        availability_ppm: s.availability,
        target_ppm: s.target,
        met: s.met,
        credit: s.credit.minor,
        monitors: s.monitors.into_iter().map(monitor).collect(),
    }
}

impl From<CardReport> for AvailabilityView {
    fn from(r: CardReport) -> Self {
        AvailabilityView {
            all_met: r.all_met(),
            customer_id: r.customer_id,
            customer_name: r.customer_name,
            month: r.month,
            time_zone: r.time_zone,
            credit: r.credit.minor,
            currency: r.credit.currency.code().into(),
            services: r.services.into_iter().map(service).collect(),
            incidents: r
                .incidents
                .into_iter()
                .map(|i: IncidentLine| IncidentLineView {
                    monitor: i.monitor,
                    started: i.started.to_string(),
                    ended: i.ended.map(|e| e.to_string()),
                    duration_ms: i.duration_ms,
                    cause: i.cause,
                })
                .collect(),
            maintenance: r
                .maintenance
                .into_iter()
                .map(|m: MaintenanceLine| MaintenanceLineView { reason: m.reason, starts: m.starts.to_string(), ends: m.ends.to_string() })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`; this month so far when not given.
    pub month: Option<String>,
}

/// Card `id`'s availability report of `month`. A card the caller is not on answers 404.
#[utoipa::path(get, path = "/api/v1/customers/{id}/availability", tag = "monitoring", params(("id" = i64, Path), MonthQuery),
    security(("token" = [])),
    responses((status = 200, body = AvailabilityView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn availability(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Json<AvailabilityView>, ApiError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    reader(&state, &caller, Some(id)).await?;
    let q = query(q)?;
    let month = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => m.to_string(),
        None => {
            let today = state.app.today();
            format!("{:04}-{:02}", today.year(), today.month())
        }
    };
    Ok(Json(state.app.card_report(id, &month).await?.into()))
}
