//! Pages for the provider's staff: the customer list with search, and a customer card.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use loket_domain::access::StaffAction;
use serde::Deserialize;

use crate::auth::{Staff, check_csrf};
use crate::pages::{error_page, render_page};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/customers", get(customers))
        .route("/staff/customers/{id}", get(customer))
        .route("/staff/customers/{id}/replace", axum::routing::post(replace_form))
        .route("/staff/changes", get(changes))
        .route("/staff/changes/{id}", axum::routing::post(decide))
}

#[derive(Deserialize, Default)]
struct Search {
    q: Option<String>,
}

async fn customers(State(state): State<AppState>, lang: Lang, staff: Staff, Query(search): Query<Search>) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(&state, lang, None, e);
    }
    let q = search.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 100) {
        return error_page(
            &state,
            lang,
            None,
            WebError::BadRequest { field: Some("q".into()), message: "search is longer than 100 characters".into() },
        );
    }
    match state.store.customers(q, 200).await {
        Ok(list) => render_page(
            &state,
            lang,
            Some(&staff.0),
            "staff_customers.html.j2",
            StatusCode::OK,
            serde_json::json!({ "customers": list, "q": q }),
        ),
        Err(e) => error_page(&state, lang, None, e.into()),
    }
}

async fn customer(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(&state, lang, None, e);
    }
    let Ok(id) = id.parse::<i64>() else { return error_page(&state, lang, None, WebError::NotFound) };
    let found = async { Ok::<_, WebError>((state.store.customer(id).await?, state.store.members(id).await?)) }.await;
    match found {
        Ok((Some(c), members)) => {
            let can_replace = staff.1.can(StaffAction::ReviewChanges) && c.replaced_by.is_none();
            let data = serde_json::json!({ "customer": c, "members": members, "can_replace": can_replace });
            render_page(&state, lang, Some(&staff.0), "staff_customer.html.j2", StatusCode::OK, data)
        }
        Ok((None, _)) => error_page(&state, lang, None, WebError::NotFound),
        Err(e) => error_page(&state, lang, None, e),
    }
}

async fn changes(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    if let Err(e) = staff.require(StaffAction::ReviewChanges) {
        return error_page(&state, lang, None, e);
    }
    match state.store.change_requests(Some("pending"), None, 200).await {
        Ok(list) => {
            render_page(&state, lang, Some(&staff.0), "staff_changes.html.j2", StatusCode::OK, serde_json::json!({ "changes": list }))
        }
        Err(e) => error_page(&state, lang, None, e.into()),
    }
}

#[derive(Deserialize)]
struct Decision {
    csrf: String,
    /// approve | reject
    decision: String,
    reason: Option<String>,
}

/// Approves (applies the change to the card as it is now) or rejects (with a reason) a change
/// request, and tells the requester.
async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Decision>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, &form.csrf)?;
        staff.require(StaffAction::ReviewChanges)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let actor = loket_store::audit::Actor::new(loket_store::audit::ActorKind::Staff, staff.0.user.id.to_string());
        decide_change_request(&state, &actor, staff.0.user.id, id, &form.decision, form.reason.as_deref()).await
    }
    .await;
    match result {
        Ok(()) => axum::response::Redirect::to("/staff/changes").into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

/// Approves (applying the change to the card as it is now) or rejects (with a reason) a change
/// request, audits it and tells the requester. Shared by the staff page and the API.
pub(crate) async fn decide_change_request(
    state: &AppState,
    actor: &loket_store::audit::Actor,
    staff_user: i64,
    id: i64,
    decision: &str,
    reason: Option<&str>,
) -> Result<(), WebError> {
    let request = state.store.change_request(id).await?.ok_or(WebError::NotFound)?;
    let approve = match decision {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(WebError::BadRequest {
                field: Some("decision".into()),
                message: format!("decision: `{other}` is not approve or reject"),
            });
        }
    };
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(WebError::BadRequest {
            field: Some("reason".into()),
            message: "reason: a rejection needs a reason for the customer".into(),
        });
    }
    if let Some(r) = reason {
        loket_domain::input::multiline("reason", r, 1000)?;
    }
    let requester = state.store.user(request.requested_by).await?.ok_or(WebError::NotFound)?;
    let mut tx = state.store.begin().await?;
    // The card as it is now, locked: the change applies to what is stored, not to what was
    // read before.
    loket_store::members::lock_card(&mut tx, state.store.backend(), request.customer_id).await?;
    let customer = loket_store::customers::customer(&mut tx, request.customer_id).await?.ok_or(WebError::NotFound)?;
    if !loket_store::change_requests::decide_change_request(&mut tx, id, approve, reason, staff_user).await? {
        return Err(WebError::BadRequest { field: None, message: "this change request was decided already".into() });
    }
    if approve {
        let after = loket_domain::card_edit::apply_changes(&customer.card, &request.proposed, state.provider.default_language)
            .map_err(WebError::Invalid)?;
        loket_store::customers::update_customer(&mut tx, customer.id, &after).await?;
    }
    let change = loket_store::audit::Change {
        actor,
        action: if approve { "change_request.approve" } else { "change_request.reject" },
        entity: "customer",
        entity_id: Some(customer.id.to_string()),
        before: Some(serde_json::json!(request.current)),
        after: Some(serde_json::json!({ "change_request": id, "proposed": request.proposed, "reason": reason })),
        request_id: None,
    };
    loket_store::audit::record(&mut tx, &change).await?;
    let data = serde_json::json!({ "customer": format!("{} {}", customer.number, customer.card.legal_name), "approved": approve, "reason": reason.unwrap_or("") });
    let mail = state
        .composer
        .compose("change-request-decided", requester.language, &[requester.email.as_str()], data)
        .map_err(|e| WebError::Template(e.to_string()))?;
    loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
    loket_store::commit(tx).await?;
    state.wake_jobs();
    Ok(())
}

/// Makes a new customer card for a change of tax identity: the old card's data with
/// `overrides`, the chosen users moved, the old card marked as replaced. Audited.
pub(crate) async fn replace_customer(
    state: &AppState,
    actor: &loket_store::audit::Actor,
    old_id: i64,
    overrides: &[(String, String)],
    move_users: &[i64],
) -> Result<loket_store::customers::Customer, WebError> {
    let mut tx = state.store.begin().await?;
    // Checked with the card locked: two replacements at once make one new card.
    loket_store::members::lock_card(&mut tx, state.store.backend(), old_id).await?;
    let old = loket_store::customers::customer(&mut tx, old_id).await?.ok_or(WebError::NotFound)?;
    if let Some(newer) = old.replaced_by {
        return Err(WebError::BadRequest { field: None, message: format!("this card was replaced already, by card {newer}") });
    }
    let members = loket_store::customers::members(&mut tx, old_id).await?;
    if let Some(stranger) = move_users.iter().find(|u| !members.iter().any(|m| m.user_id == **u)) {
        return Err(WebError::BadRequest {
            field: Some("move_users".into()),
            message: format!("move_users: user {stranger} is not on this card"),
        });
    }
    let card =
        loket_domain::card_edit::replacement_card(&old.card, overrides, state.provider.default_language).map_err(WebError::Invalid)?;
    let (new_id, number) = loket_store::customers::create_customer(&mut tx, &card).await?;
    let moved = loket_store::customers::replace_customer(&mut tx, old_id, new_id, move_users).await?;
    let change = loket_store::audit::Change {
        actor,
        action: "customer.replace",
        entity: "customer",
        entity_id: Some(old_id.to_string()),
        before: Some(
            serde_json::json!({ "card": old.number, "kind": old.card.kind.name(), "vat_number": old.card.vat_number, "coc_number": old.card.coc_number, "tax_code": old.card.tax_code }),
        ),
        after: Some(
            serde_json::json!({ "new_card": number, "new_id": new_id, "kind": card.kind.name(), "vat_number": card.vat_number, "coc_number": card.coc_number, "tax_code": card.tax_code, "users_moved": moved }),
        ),
        request_id: None,
    };
    loket_store::audit::record(&mut tx, &change).await?;
    loket_store::commit(tx).await?;
    state.store.customer(new_id).await?.ok_or(WebError::NotFound)
}

async fn replace_form(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        check_csrf(&staff.0, &get("csrf"))?;
        staff.require(StaffAction::ReviewChanges)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let users: Vec<i64> = form.iter().filter(|(k, _)| k == "move_user").filter_map(|(_, v)| v.parse().ok()).collect();
        let overrides: Vec<(String, String)> =
            form.iter().filter(|(k, v)| !matches!(k.as_str(), "csrf" | "move_user") && !v.trim().is_empty()).cloned().collect();
        let actor = loket_store::audit::Actor::new(loket_store::audit::ActorKind::Staff, staff.0.user.id.to_string());
        replace_customer(&state, &actor, id, &overrides, &users).await
    }
    .await;
    match result {
        Ok(new) => axum::response::Redirect::to(&format!("/staff/customers/{}", new.id)).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}
