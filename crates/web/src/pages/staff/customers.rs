//! Pages for the provider's staff: the customer list with search, and a customer card.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use loket_domain::access::StaffAction;
use serde::Deserialize;

use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
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
        return error_page(e);
    }
    let q = search.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 100) {
        return error_page(WebError::BadRequest { field: Some("q".into()), message: "search is longer than 100 characters".into() });
    }
    let found = async {
        let customers = state.store.customers(q, 200).await?;
        // An invoice number or a domain finds the document or service, and so its customer.
        let (documents, services) = match q {
            Some(q) if !q.contains(' ') => {
                let documents = if q.chars().any(|c| c.is_ascii_digit()) {
                    state.store.documents_by_number(&q.to_uppercase(), 20).await?
                } else {
                    Vec::new()
                };
                let mut services = state.store.services_by_label(&q.to_lowercase(), 20).await?;
                if services.is_empty() && q != q.to_lowercase() {
                    services = state.store.services_by_label(q, 20).await?;
                }
                (documents, services)
            }
            _ => (Vec::new(), Vec::new()),
        };
        Ok::<_, WebError>(serde_json::json!({ "customers": customers, "documents": documents, "services": services, "q": q }))
    }
    .await;
    match found {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "staff/customers.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn customer(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(e);
    }
    let Ok(id) = id.parse::<i64>() else { return error_page(WebError::NotFound) };
    let found = async { Ok::<_, WebError>((state.store.customer(id).await?, state.store.members(id).await?)) }.await;
    match found {
        Ok((Some(c), members)) => {
            let can_replace = staff.1.can(StaffAction::ReviewChanges) && c.replaced_by.is_none();
            let data = serde_json::json!({ "customer": c, "members": members, "can_replace": can_replace });
            render_page(&state, lang, Some(&staff.0), "staff/customer.html.j2", StatusCode::OK, data)
        }
        Ok((None, _)) => error_page(WebError::NotFound),
        Err(e) => error_page(e),
    }
}

async fn changes(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    if let Err(e) = staff.require(StaffAction::ReviewChanges) {
        return error_page(e);
    }
    match state.store.change_requests(Some("pending"), None, 200).await {
        Ok(list) => {
            render_page(&state, lang, Some(&staff.0), "staff/changes.html.j2", StatusCode::OK, serde_json::json!({ "changes": list }))
        }
        Err(e) => error_page(e),
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
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Decision>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, &form.csrf)?;
        staff.require(StaffAction::ReviewChanges)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let decision: loket_app::cards::Decision = form.decision.parse()?;
        loket_app::cards::decide_change_request(&state.app, &staff.actor(), staff.0.user.id, id, decision, form.reason.as_deref()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => axum::response::Redirect::to("/staff/changes").into_response(),
        Err(e) => error_page(e),
    }
}

async fn replace_form(
    State(state): State<AppState>,
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
        Ok::<_, WebError>(loket_app::cards::replace(&state.app, &staff.actor(), id, &overrides, &users).await?)
    }
    .await;
    match result {
        Ok(new) => axum::response::Redirect::to(&format!("/staff/customers/{}", new.id)).into_response(),
        Err(e) => error_page(e),
    }
}
