//! Pages for the provider's staff: the customer list with search, and a customer card.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use loket_domain::access::StaffAction;
use serde::Deserialize;

use crate::auth::Staff;
use crate::pages::{error_page, render_page};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/customers", get(customers)).route("/staff/customers/{id}", get(customer))
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
