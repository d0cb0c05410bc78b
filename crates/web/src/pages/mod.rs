//! Pages for people, by area: `accounts` (sign-in, password, profile, two-step sign-in),
//! `cards` (a customer's card and its users), `staff` (the back office's customers and change
//! requests) and `billing` (subscriptions, invoices and their staff pages). Templates live in
//! `templates/<area>/` beside them; the layout, home, notice and error pages in
//! `templates/layout/`.

pub mod accounts;
pub mod billing;
pub mod cards;
pub mod staff;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::http::render::{asset, error_page, render_page};
use crate::http::session::MaybeUser;
use crate::{ApiError, AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/{file}", get(asset))
        .merge(accounts::routes())
        .merge(cards::routes())
        .merge(staff::routes())
        .merge(billing::routes())
}

async fn home(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    render_page(&state, lang, session.as_ref(), "layout/home.html.j2", StatusCode::OK, ())
}

/// Everything no route matched: a 404 page, or JSON under `/api`.
pub async fn not_found(req: axum::extract::Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return ApiError(WebError::NotFound).into_response();
    }
    error_page(WebError::NotFound)
}
