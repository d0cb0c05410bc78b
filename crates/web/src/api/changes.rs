//! `/api/v1` for administering a card: change requests, its users (invitations, roles,
//! removal), and staff edits of the card itself.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use loket_domain::access::{Permission, StaffAction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::customers::{ApiCaller, CustomerView};
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_change_requests))
        .routes(routes!(decide))
        .routes(routes!(members))
        .routes(routes!(invite))
        .routes(routes!(update_member, remove_member))
        .routes(routes!(update_customer))
}

#[derive(Serialize, ToSchema)]
pub struct ChangeRequestView {
    id: i64,
    customer_id: i64,
    customer_number: String,
    requested_by: String,
    /// Field → proposed value.
    proposed: BTreeMap<String, Option<String>>,
    /// Field → value when requested.
    current: BTreeMap<String, Option<String>>,
    /// pending, approved or rejected
    state: String,
    reason: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChangeRequestQuery {
    /// pending, approved or rejected
    state: Option<String>,
    customer: Option<i64>,
}

/// Change requests, newest first (staff who review them).
#[utoipa::path(get, path = "/api/v1/change-requests", tag = "change requests", params(ChangeRequestQuery), security(("token" = [])),
    responses((status = 200, body = [ChangeRequestView]), (status = 400, body = crate::http::error::ErrorBody), (status = 403, body = crate::http::error::ErrorBody)))]
async fn list_change_requests(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<ChangeRequestQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<ChangeRequestView>>, ApiError> {
    let q = crate::http::extract::query(q)?;
    caller.scope("changes:review")?;
    caller.staff(StaffAction::ReviewChanges)?;
    if let Some(s) = q.state.as_deref().filter(|s| !["pending", "approved", "rejected"].contains(s)) {
        return Err(WebError::BadRequest {
            field: Some("state".into()),
            message: format!("state: `{}` is not pending, approved or rejected", loket_domain::input::sample(s)),
        }
        .into());
    }
    let list = state.store.change_requests(q.state.as_deref(), q.customer, 500).await?;
    Ok(Json(
        list.into_iter()
            .map(|r| ChangeRequestView {
                id: r.id,
                customer_id: r.customer_id,
                customer_number: r.customer_number,
                requested_by: r.requester_email,
                proposed: r.proposed,
                current: r.current,
                state: r.state,
                reason: r.reason,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// approve or reject
    decision: String,
    /// Required to reject; the customer reads it.
    reason: Option<String>,
}

/// Approves or rejects a pending change request; the requester is told by e-mail.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/decision", tag = "change requests", params(("id" = i64, Path)), request_body = DecisionBody,
    security(("token" = [])), responses((status = 204), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    caller.scope("changes:review")?;
    caller.staff(StaffAction::ReviewChanges)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let body = crate::http::extract::body(body)?;
    let decision: loket_app::cards::Decision = body.decision.parse()?;
    loket_app::cards::decide_change_request(&state.app, &caller.actor(), caller.user.id, id, decision, body.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    user_id: i64,
    email: String,
    name: String,
    /// owner, billing, technical or contact
    role: String,
    permissions: Vec<String>,
}

/// The users of a card: for staff, and for its members who may manage users. Others get 404.
#[utoipa::path(get, path = "/api/v1/customers/{id}/members", tag = "customers", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = [MemberView]), (status = 403, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn members(State(state): State<AppState>, caller: ApiCaller, Path(id): Path<String>) -> Result<Json<Vec<MemberView>>, ApiError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    if caller.user.staff_role.is_some() {
        caller.scope("customers:read")?;
        caller.staff(StaffAction::ViewCustomers)?;
    } else {
        caller.scope("account:read")?;
        let m = state.store.membership(caller.user.id, id).await?.ok_or(WebError::NotFound)?;
        if !m.permissions.has(Permission::ManageUsers) {
            return Err(WebError::Forbidden("you may not manage the users of this card".into()).into());
        }
    }
    state.store.customer(id).await?.ok_or(WebError::NotFound)?;
    let list = state.store.members(id).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| {
                let role: loket_domain::access::MemberRole = m.role.parse().unwrap_or(loket_domain::access::MemberRole::Contact);
                let perms = role.effective(m.permissions.parse().unwrap_or_default());
                MemberView {
                    user_id: m.user_id,
                    email: m.email,
                    name: m.name,
                    role: m.role,
                    permissions: perms.iter().map(|p| p.name().to_string()).collect(),
                }
            })
            .collect(),
    ))
}

/// Changes fields of a card at once (staff; no review). The tax identity (kind, vat_number,
/// coc_number, tax_code) cannot change: make a new card with `POST …/replacement`.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), request_body = BTreeMap<String, String>,
    security(("token" = [])), responses((status = 200, body = CustomerView), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn update_customer(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Result<Json<BTreeMap<String, String>>, JsonRejection>,
) -> Result<Json<CustomerView>, ApiError> {
    caller.scope("customers:write")?;
    caller.staff(StaffAction::EditCustomers)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let body = crate::http::extract::body(body)?;
    Ok(Json(loket_app::cards::update(&state.app, &caller.actor(), id, body).await?.into()))
}

/// The card, if the caller may manage its users: staff who edit customers (scope
/// customers:write), or its members who may manage users (scope members:write). Strangers 404.
async fn card_admin(state: &AppState, caller: &ApiCaller, id: &str) -> Result<loket_store::customers::Customer, ApiError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    if caller.user.staff_role.is_some() {
        caller.scope("customers:write")?;
        caller.staff(StaffAction::EditCustomers)?;
    } else {
        caller.scope("members:write")?;
        let m = state.store.membership(caller.user.id, id).await?.ok_or(WebError::NotFound)?;
        if !m.permissions.has(Permission::ManageUsers) {
            return Err(WebError::Forbidden("you may not manage the users of this card".into()).into());
        }
    }
    Ok(state.store.customer(id).await?.ok_or(WebError::NotFound)?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    email: String,
    /// owner, billing, technical or contact (with that role's default permissions)
    role: String,
}

/// Invites someone to a card by e-mail: a single-use link for a week.
#[utoipa::path(post, path = "/api/v1/customers/{id}/invitations", tag = "customers", params(("id" = i64, Path)), request_body = InvitationBody,
    security(("token" = [])), responses((status = 202), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Result<Json<InvitationBody>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let customer = card_admin(&state, &caller, &id).await?;
    let body = crate::http::extract::body(body)?;
    let inviter = loket_app::members::Inviter { id: caller.user.id, name: &caller.user.name };
    loket_app::members::invite(&state.app, &caller.actor(), inviter, &customer, &body.email, &body.role).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// owner, billing, technical or contact
    role: String,
    /// Permission names; those beyond the role's ceiling are dropped.
    #[serde(default)]
    permissions: Vec<String>,
}

/// Sets a member's role and permissions. Nobody changes their own; a card keeps an owner.
#[utoipa::path(put, path = "/api/v1/customers/{id}/members/{user}", tag = "customers", params(("id" = i64, Path), ("user" = i64, Path)), request_body = MemberBody,
    security(("token" = [])), responses((status = 204), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn update_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, user)): Path<(String, String)>,
    body: Result<Json<MemberBody>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let customer = card_admin(&state, &caller, &id).await?;
    let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
    let body = crate::http::extract::body(body)?;
    let names: Vec<&str> = body.permissions.iter().map(String::as_str).collect();
    loket_app::members::update(&state.app, &caller.actor(), Some(caller.user.id), customer.id, user, &body.role, &names).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a user off a card.
#[utoipa::path(delete, path = "/api/v1/customers/{id}/members/{user}", tag = "customers", params(("id" = i64, Path), ("user" = i64, Path)),
    security(("token" = [])), responses((status = 204), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let customer = card_admin(&state, &caller, &id).await?;
    let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
    loket_app::members::remove(&state.app, &caller.actor(), customer.id, user).await?;
    Ok(StatusCode::NO_CONTENT)
}
