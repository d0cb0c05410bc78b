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
    match state.store.customer(id).await {
        Ok(Some(c)) => {
            render_page(&state, lang, Some(&staff.0), "staff_customer.html.j2", StatusCode::OK, serde_json::json!({ "customer": c }))
        }
        Ok(None) => error_page(&state, lang, None, WebError::NotFound),
        Err(e) => error_page(&state, lang, None, e.into()),
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
        let request = state.store.change_request(id).await?.ok_or(WebError::NotFound)?;
        let approve = match form.decision.as_str() {
            "approve" => true,
            "reject" => false,
            other => return Err(WebError::BadRequest { field: Some("decision".into()), message: format!("decision: `{other}` is not approve or reject") }),
        };
        let reason = form.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if !approve && reason.is_none() {
            return Err(WebError::BadRequest { field: Some("reason".into()), message: "reason: a rejection needs a reason for the customer".into() });
        }
        if reason.is_some_and(|r| r.chars().count() > 1000) {
            return Err(WebError::BadRequest { field: Some("reason".into()), message: "reason: longer than 1000 characters".into() });
        }
        let customer = state.store.customer(request.customer_id).await?.ok_or(WebError::NotFound)?;
        let requester = state.store.user(request.requested_by).await?.ok_or(WebError::NotFound)?;
        let actor = loket_store::audit::Actor::new(loket_store::audit::ActorKind::Staff, staff.0.user.id.to_string());
        let mut tx = state.store.begin().await?;
        if !loket_store::change_requests::decide_change_request(&mut tx, id, approve, reason, staff.0.user.id).await? {
            return Err(WebError::BadRequest { field: None, message: "this change request was decided already".into() });
        }
        if approve {
            let after = loket_domain::card_edit::apply_changes(&customer.card, &request.proposed, state.provider.default_language).map_err(WebError::Invalid)?;
            loket_store::customers::update_customer(&mut tx, customer.id, &after).await?;
        }
        let change = loket_store::audit::Change {
            actor: &actor,
            action: if approve { "change_request.approve" } else { "change_request.reject" },
            entity: "customer",
            entity_id: Some(customer.id.to_string()),
            before: Some(serde_json::json!(request.current)),
            after: Some(serde_json::json!({ "change_request": id, "proposed": request.proposed, "reason": reason })),
            request_id: None,
        };
        loket_store::audit::record(&mut tx, &change).await?;
        let data = serde_json::json!({ "customer": format!("{} {}", customer.number, customer.card.legal_name), "approved": approve, "reason": reason.unwrap_or("") });
        let mail = state.composer.compose("change-request-decided", requester.language, &[requester.email.as_str()], data).map_err(|e| WebError::Template(e.to_string()))?;
        loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
        loket_store::commit(tx).await?;
        state.wake_jobs();
        Ok(())
    }
    .await;
    match result {
        Ok(()) => axum::response::Redirect::to("/staff/changes").into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}
