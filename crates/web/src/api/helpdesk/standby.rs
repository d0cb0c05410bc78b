//! The standby regime over the API, for staff who work on tickets: `POST /api/v1/standby/preview`
//! prices a span given in the provider's local time (with any call-outs) part by part, and
//! `POST /api/v1/standby` agrees it with a card, which bills it on the card's next invoice.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json as JsonBody, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::DateTime;
use loket_app::helpdesk::{CalloutInput, StandbyInput};
use loket_domain::Money;
use loket_domain::access::StaffAction;
use loket_domain::helpdesk::standby::{StandbyCategory, StandbyQuote};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::body_named;
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(preview)).routes(routes!(agree))
}

/// A call during the span, for the preview.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalloutSpec {
    /// When the customer called, local time: `2026-12-05T23:10`.
    pub at: String,
    /// Minutes worked (billed at least the regime's minimum).
    pub worked_minutes: u32,
}

/// A standby span to price, in the provider's local time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandbySpan {
    /// The card it would be agreed with (checked when given).
    pub customer_id: Option<i64>,
    /// Local date and time: `2026-12-04T18:00`.
    pub starts: String,
    /// Local date and time: `2026-12-07T08:30`.
    pub ends: String,
    /// Calls during the span, priced on top.
    #[serde(default)]
    pub callouts: Vec<CalloutSpec>,
}

/// A standby period agreed with a card.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandbyAgreement {
    pub customer_id: i64,
    /// Local date and time: `2026-12-04T18:00`.
    pub starts: String,
    /// Local date and time: `2026-12-07T08:30`.
    pub ends: String,
    /// What it is for (at most 300 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// An amount as a decimal and in minor units of the provider's currency.
#[derive(Serialize, ToSchema)]
pub struct Amount {
    /// `5035.00`
    pub decimal: String,
    /// `503500`
    pub minor: i64,
}

impl From<Money> for Amount {
    fn from(m: Money) -> Self {
        let (negative, whole, frac) = m.parts();
        let width = m.currency.exponent() as usize;
        let decimal = if width == 0 {
            format!("{}{whole}", if negative { "-" } else { "" })
        } else {
            format!("{}{whole}.{frac:0width$}", if negative { "-" } else { "" })
        };
        Amount { decimal, minor: m.minor }
    }
}

/// One stretch of a single category.
#[derive(Serialize, ToSchema)]
pub struct StandbyPartView {
    /// office_hours (not standby: priced 0), evening_night, weekend or holiday
    pub category: String,
    /// Local start: `2026-12-04T18:00`.
    pub start: String,
    /// Local end.
    pub end: String,
    /// Real elapsed minutes (a night across a clock change is an hour shorter or longer).
    pub minutes: u32,
    /// The category's minimum.
    pub minimum_minutes: u32,
    /// The greater of the two; 0 for office hours.
    pub billed_minutes: u32,
    /// Percentage of the hourly rate.
    pub percent: u16,
    pub price: Amount,
}

/// What a call-out costs on top of the standby.
#[derive(Serialize, ToSchema)]
pub struct CalloutChargeView {
    /// Local time of the call.
    pub at: String,
    /// The category of the part it falls in.
    pub category: String,
    /// Local time by which action starts.
    pub respond_by: String,
    pub worked_minutes: u32,
    /// At least the regime's minimum.
    pub billed_minutes: u32,
    pub percent: u16,
    pub price: Amount,
}

/// A span priced by the provider's standby table.
#[derive(Serialize, ToSchema)]
pub struct StandbyQuoteView {
    /// The zone the local times are in.
    pub time_zone: String,
    /// ISO 4217.
    pub currency: String,
    pub hourly_rate: Amount,
    pub parts: Vec<StandbyPartView>,
    pub callouts: Vec<CalloutChargeView>,
    pub standby_total: Amount,
    pub callout_total: Amount,
    pub total: Amount,
}

/// A standby period as agreed.
#[derive(Serialize, ToSchema)]
pub struct StandbyAgreed {
    pub id: i64,
    pub customer_id: i64,
    pub quote: StandbyQuoteView,
}

fn local(dt: DateTime) -> String {
    dt.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn category(c: StandbyCategory) -> String {
    match c {
        StandbyCategory::OfficeHours => "office_hours",
        StandbyCategory::EveningNight => "evening_night",
        StandbyCategory::Weekend => "weekend",
        StandbyCategory::Holiday => "holiday",
    }
    .into()
}

fn view(state: &AppState, q: StandbyQuote) -> StandbyQuoteView {
    StandbyQuoteView {
        time_zone: state.provider.time_zone.clone(),
        currency: q.hourly_rate.currency.code().into(),
        hourly_rate: q.hourly_rate.into(),
        parts: q
            .parts
            .into_iter()
            .map(|p| StandbyPartView {
                category: category(p.category),
                start: local(p.start),
                end: local(p.end),
                minutes: p.minutes,
                minimum_minutes: p.minimum_minutes,
                billed_minutes: p.billed_minutes,
                percent: p.percent,
                price: p.price.into(),
            })
            .collect(),
        callouts: q
            .callouts
            .into_iter()
            .map(|c| CalloutChargeView {
                at: local(c.at),
                category: category(c.category),
                respond_by: local(c.respond_by),
                worked_minutes: c.worked_minutes,
                billed_minutes: c.billed_minutes,
                percent: c.percent,
                price: c.price.into(),
            })
            .collect(),
        standby_total: q.standby_total.into(),
        callout_total: q.callout_total.into(),
        total: q.total.into(),
    }
}

/// Staff who work on tickets, with `scope`, on a provider with the helpdesk.
fn standby_staff(state: &AppState, caller: &ApiCaller, scope: &str) -> Result<(), ApiError> {
    caller.scope(scope)?;
    caller.staff(StaffAction::ManageHelpdesk)?;
    if state.app.helpdesk.is_none() {
        return Err(WebError::NotFound.into());
    }
    Ok(())
}

/// Prices a standby span part by part: where the category changes (weekend 08:30–18:00,
/// evening/night 18:00–08:30, a public holiday all day) the span is cut, each part billed its
/// real minutes, at least the category's minimum, at its percentage of the hourly rate; each
/// call-out on top with its respond-by time. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/standby/preview", tag = "helpdesk", request_body = StandbySpan, security(("token" = [])),
    responses((status = 200, body = StandbyQuoteView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn preview(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<StandbySpan>, JsonRejection>,
) -> Result<Json<StandbyQuoteView>, ApiError> {
    standby_staff(&state, &caller, "helpdesk:read")?;
    let s = body_named(b)?;
    if let Some(c) = s.customer_id
        && state.store.customer(c).await?.is_none()
    {
        return Err(
            WebError::BadRequest { field: Some("customer_id".into()), message: format!("customer_id: no customer card {c}") }.into()
        );
    }
    let input = StandbyInput {
        customer_id: s.customer_id,
        starts: s.starts,
        ends: s.ends,
        callouts: s.callouts.into_iter().map(|c| CalloutInput { at: c.at, worked_minutes: c.worked_minutes }).collect(),
        note: String::new(),
    };
    let quote = state.app.standby_preview(&input).await?;
    Ok(Json(view(&state, quote)))
}

/// Agrees a standby period with a card: priced as the preview prices it and put on the card's
/// next invoice. Call-outs are recorded when they happen (a call-out ticket), not here.
#[utoipa::path(post, path = "/api/v1/standby", tag = "helpdesk", request_body = StandbyAgreement, security(("token" = [])),
    responses((status = 201, body = StandbyAgreed), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn agree(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<StandbyAgreement>, JsonRejection>,
) -> Result<Response, ApiError> {
    standby_staff(&state, &caller, "helpdesk:write")?;
    let a = body_named(b)?;
    let input = StandbyInput {
        customer_id: Some(a.customer_id),
        starts: a.starts,
        ends: a.ends,
        callouts: Vec::new(),
        note: a.note.unwrap_or_default(),
    };
    let quote = state.app.standby_preview(&input).await?;
    let id = state.app.agree_standby(&caller.actor(), &caller.user, &input).await?;
    Ok((StatusCode::CREATED, Json(StandbyAgreed { id, customer_id: a.customer_id, quote: view(&state, quote) })).into_response())
}
