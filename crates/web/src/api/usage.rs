//! `/api/v1` for the use of hosting services: a control panel or script feeds daily points
//! (`usage:write`, staff who manage billing); staff and the card's users with the permission to
//! view invoices read a service's points (`billing:read`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json as JsonBody, Path, Query, State};
use loket_domain::access::StaffAction;
use loket_domain::usage::{MAX_POINTS_PER_REQUEST, RawPoint, UsagePoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::{body, query};
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record_usage)).routes(routes!(subscription_usage))
}

/// One day of one service.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsagePointInput {
    pub subscription_id: i64,
    /// The day, YYYY-MM-DD.
    #[schema(format = Date, example = "2026-11-30")]
    pub date: String,
    /// Storage in use that day, whole MB.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub storage_mb: i64,
    /// Data traffic of that day, whole MB.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub traffic_mb: i64,
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub storage_quota_mb: Option<i64>,
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub traffic_quota_mb: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageInput {
    /// 1 to 10,000 points; a day given again replaces the earlier figures.
    pub points: Vec<UsagePointInput>,
}

/// What was stored.
#[derive(Serialize, ToSchema)]
pub struct RecordedView {
    pub points: usize,
    pub services: usize,
}

/// Records daily usage points, all or none: any bad point refuses the request, naming it.
#[utoipa::path(post, path = "/api/v1/usage", tag = "usage", request_body = UsageInput, security(("token" = [])),
    responses((status = 200, body = RecordedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn record_usage(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<UsageInput>, JsonRejection>,
) -> Result<Json<RecordedView>, ApiError> {
    caller.scope("usage:write")?;
    caller.staff(StaffAction::ManageBilling)?;
    let input = body(b)?;
    if input.points.is_empty() || input.points.len() > MAX_POINTS_PER_REQUEST {
        return Err(WebError::BadRequest {
            field: Some("points".into()),
            message: format!("give 1 to {MAX_POINTS_PER_REQUEST} points per request"),
        }
        .into());
    }
    let mut points = Vec::with_capacity(input.points.len());
    let mut errors = Vec::new();
    for (i, p) in input.points.iter().enumerate() {
        let text = |n: Option<i64>| n.map(|n| n.to_string());
        let (id, storage, traffic, sq, tq) = (
            p.subscription_id.to_string(),
            p.storage_mb.to_string(),
            p.traffic_mb.to_string(),
            text(p.storage_quota_mb),
            text(p.traffic_quota_mb),
        );
        let raw = RawPoint {
            subscription_id: &id,
            date: &p.date,
            storage_mb: &storage,
            traffic_mb: &traffic,
            storage_quota_mb: sq.as_deref(),
            traffic_quota_mb: tq.as_deref(),
        };
        match raw.check(&format!("points[{i}].")) {
            Ok(point) => points.push(point),
            Err(e) if errors.len() < 100 => errors.extend(e),
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(WebError::from(loket_app::AppError::Invalid(errors)).into());
    }
    let r = loket_app::usage::record(&state.app, &caller.actor(), &points, &|i| format!("points[{i}].")).await?;
    Ok(Json(RecordedView { points: r.points, services: r.services }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageRange {
    /// First day, YYYY-MM-DD; default 90 days before `to`.
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD; default today.
    pub to: Option<String>,
}

/// One day of a service's use.
#[derive(Serialize, ToSchema)]
pub struct UsagePointView {
    #[schema(value_type = String, format = Date)]
    pub date: jiff::civil::Date,
    pub storage_mb: i64,
    pub traffic_mb: i64,
    pub storage_quota_mb: Option<i64>,
    pub traffic_quota_mb: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UsageView {
    pub subscription_id: i64,
    pub points: Vec<UsagePointView>,
}

impl From<UsagePoint> for UsagePointView {
    fn from(p: UsagePoint) -> Self {
        UsagePointView {
            date: p.day,
            storage_mb: p.storage_mb,
            traffic_mb: p.traffic_mb,
            storage_quota_mb: p.storage_quota_mb,
            traffic_quota_mb: p.traffic_quota_mb,
        }
    }
}

/// The longest range one request reads: ten years of days.
const MAX_RANGE_DAYS: i64 = 3660;

/// A service's daily use over a range of days (at most ten years), oldest first.
#[utoipa::path(get, path = "/api/v1/subscriptions/{id}/usage", tag = "usage", params(("id" = i64, Path), UsageRange),
    security(("token" = [])),
    responses((status = 200, body = UsageView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn subscription_usage(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    q: Result<Query<UsageRange>, QueryRejection>,
) -> Result<Json<UsageView>, ApiError> {
    caller.scope("billing:read")?;
    let range = query(q)?;
    let sid: i64 = sid.parse().map_err(|_| WebError::NotFound)?;
    let s = state.store.subscription(sid).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, s.customer_id).await?;
    let to = match range.to.as_deref() {
        Some(d) => loket_domain::input::date("to", d)?,
        None => state.app.today(),
    };
    let from = match range.from.as_deref() {
        Some(d) => loket_domain::input::date("from", d)?,
        None => loket_domain::billing::plus_days(to, -89),
    };
    if from > to {
        return Err(WebError::BadRequest { field: Some("from".into()), message: "the first day comes after the last".into() }.into());
    }
    if loket_domain::billing::days_between(from, to) >= MAX_RANGE_DAYS {
        return Err(WebError::BadRequest { field: Some("from".into()), message: "ask for at most ten years at once".into() }.into());
    }
    let points = state.store.usage_points(sid, from, to).await?;
    Ok(Json(UsageView { subscription_id: sid, points: points.into_iter().map(Into::into).collect() }))
}
