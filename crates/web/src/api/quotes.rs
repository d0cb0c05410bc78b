//! `/api/v1` for quotes: staff make and send them (`billing:write`); staff and the card's users
//! read them (`billing:read`); the card's users who manage its services accept or reject them
//! (`orders:write`), as may billing staff for a decision that arrived on paper.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json as JsonBody, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_app::quotes::QuoteInput;
use loket_domain::access::{Permission, StaffAction};
use loket_store::quotes::{Quote, QuoteLine};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::body;
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_quote))
        .routes(routes!(get_quote))
        .routes(routes!(customer_quotes))
        .routes(routes!(decide_quote))
}

/// A line of a quote.
#[derive(Serialize, ToSchema)]
pub struct QuoteLineView {
    pub position: i64,
    /// The plan's code, for a service line.
    pub plan: Option<String>,
    pub label: Option<String>,
    pub description: String,
    /// Thousandths: 1500 is 1.5.
    pub quantity_milli: i64,
    /// Net, minor units; for a service its price per billing period.
    pub unit_price: i64,
    /// A service's one-time setup fee, minor units.
    pub setup_fee: i64,
    pub billing_period: Option<String>,
    pub vat_category: String,
    /// After acceptance: the subscription the line became.
    pub subscription_id: Option<i64>,
    /// After acceptance: the billable line the work became.
    pub item_id: Option<i64>,
}

/// A quote with its lines and what it comes to.
#[derive(Serialize, ToSchema)]
pub struct QuoteView {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    /// sent, accepted, rejected, withdrawn or expired (a sent quote past its last valid day)
    pub status: String,
    #[schema(value_type = String, format = Date)]
    pub issue_date: jiff::civil::Date,
    /// The last day it can be accepted.
    #[schema(value_type = String, format = Date)]
    pub valid_until: jiff::civil::Date,
    pub currency: String,
    pub note: Option<String>,
    pub lines: Vec<QuoteLineView>,
    /// The first invoice's net total, minor units (one period of each service, setup fees, work).
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    #[schema(value_type = Option<String>, format = Date)]
    pub decided_on: Option<jiff::civil::Date>,
    pub decision_comment: Option<String>,
}

async fn view(state: &AppState, q: Quote, lines: Vec<QuoteLine>) -> Result<QuoteView, ApiError> {
    let customer = state.store.customer(q.customer_id).await?.ok_or(WebError::NotFound)?;
    let totals = loket_app::quotes::totals(&state.app, &customer, &lines)?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    Ok(QuoteView {
        id: q.id,
        number: q.number,
        customer_id: q.customer_id,
        status: q.status.on(state.app.today(), q.valid_until).name().into(),
        issue_date: q.issue_date,
        valid_until: q.valid_until,
        currency: q.currency.code().into(),
        note: q.note,
        lines: lines
            .into_iter()
            .map(|l| QuoteLineView {
                position: l.position,
                plan: l.plan_id.and_then(|id| catalog.plans.get(&id)).map(|p| p.code.clone()),
                label: l.label,
                description: l.description,
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price,
                setup_fee: l.setup_fee,
                billing_period: l.billing_period,
                vat_category: l.vat_category,
                subscription_id: l.subscription_id,
                item_id: l.item_id,
            })
            .collect(),
        net: totals.net.minor,
        vat: totals.vat.minor,
        gross: totals.gross.minor,
        decided_on: q.decided_on,
        decision_comment: q.decision_comment,
    })
}

/// Makes a quote and mails it to the customer. Each line is a plan (`plan`, `label`, optional
/// `price` per billing period) or one-off work (`description`, `quantity`, `unit_price`,
/// `vat_category`); bad lines are named as `lines[N].field`.
#[utoipa::path(post, path = "/api/v1/quotes", tag = "quotes", request_body = QuoteInput, security(("token" = [])),
    responses((status = 201, body = QuoteView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_quote(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<QuoteInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.scope("billing:write")?;
    caller.staff(StaffAction::ManageBilling)?;
    let input = body(b)?;
    let (id, _) = loket_app::quotes::create(&state.app, &caller.actor(), &input).await?;
    let q = state.store.quote(id).await?.ok_or(WebError::NotFound)?;
    let lines = state.store.quote_lines(id).await?;
    let v = view(&state, q, lines).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/quotes/{id}"))], Json(v)).into_response())
}

fn id(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

/// One quote.
#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "quotes", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = QuoteView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_quote(State(state): State<AppState>, caller: ApiCaller, Path(qid): Path<String>) -> Result<Json<QuoteView>, ApiError> {
    caller.scope("billing:read")?;
    let q = state.store.quote(id(&qid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, q.customer_id).await?;
    let lines = state.store.quote_lines(q.id).await?;
    Ok(Json(view(&state, q, lines).await?))
}

/// A card's quotes, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/customers/{id}/quotes", tag = "quotes", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = [QuoteView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn customer_quotes(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(cid): Path<String>,
) -> Result<Json<Vec<QuoteView>>, ApiError> {
    caller.scope("billing:read")?;
    let cid = id(&cid)?;
    caller.may_read(&state, cid).await?;
    let mut out = Vec::new();
    for q in state.store.customer_quotes(cid, 200).await? {
        let lines = state.store.quote_lines(q.id).await?;
        out.push(view(&state, q, lines).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// true accepts (the order is made at once), false rejects.
    pub accept: bool,
    /// Why, or anything the provider should know (at most 2000 characters).
    #[serde(default)]
    pub comment: Option<String>,
}

/// Accepts or rejects a sent quote. Accepting starts its services and puts its work on the next
/// invoice; a quote past its last valid day, or decided already, answers 409.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/decision", tag = "quotes", params(("id" = i64, Path)), request_body = DecisionInput,
    security(("token" = [])),
    responses((status = 200, body = QuoteView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn decide_quote(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(qid): Path<String>,
    b: Result<JsonBody<DecisionInput>, JsonRejection>,
) -> Result<Json<QuoteView>, ApiError> {
    let d = body(b)?;
    let q = state.store.quote(id(&qid)?).await?.ok_or(WebError::NotFound)?;
    if caller.user.staff_role.is_some() {
        caller.scope("billing:write")?;
        caller.staff(StaffAction::ManageBilling)?;
    } else {
        caller.scope("orders:write")?;
        match state.store.membership(caller.user.id, q.customer_id).await? {
            Some(m) if m.permissions.has(Permission::ManageServices) => {}
            Some(_) => return Err(WebError::Forbidden("you may not order services for this card".into()).into()),
            None => return Err(WebError::NotFound.into()),
        }
    }
    loket_app::quotes::decide(&state.app, &caller.actor(), q.customer_id, q.id, d.accept, d.comment.as_deref()).await?;
    state.wake_jobs();
    let q = state.store.quote(q.id).await?.ok_or(WebError::NotFound)?;
    let lines = state.store.quote_lines(q.id).await?;
    Ok(Json(view(&state, q, lines).await?))
}
