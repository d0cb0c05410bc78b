//! Pages for people, by area: `accounts` (sign-in, password, profile, two-step sign-in),
//! `cards` (a customer's card and its users), `staff` (the back office's customers and change
//! requests), `billing` (subscriptions, invoices and their staff pages) and `tickets` (the
//! helpdesk for customers and staff, the standby planner), `monitoring` (the public status page,
//! a card's monitors and availability report, staff's monitors and incidents). Templates live in
//! `templates/<area>/` beside them; the layout, home, notice and error pages in
//! `templates/layout/`.

pub mod accounts;
pub mod billing;
pub mod cards;
mod dashboard;
pub mod lost_access;
pub mod monitoring;
pub mod notices;
pub mod orders;
pub mod quotes;
pub mod services;
pub mod staff;
pub mod tickets;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::http::render::{asset, error_page};
use crate::{ApiError, AppState, WebError};

/// A customer card by what a page's heading shows of it: pages that need no more of the card
/// pass this, not the whole card.
#[derive(serde::Serialize)]
pub(crate) struct CardName {
    id: i64,
    number: String,
    legal_name: String,
}

impl From<&loket_store::customers::Customer> for CardName {
    fn from(c: &loket_store::customers::Customer) -> CardName {
        CardName { id: c.id, number: c.number.clone(), legal_name: c.card.legal_name.clone() }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::home))
        .route("/static/{file}", get(asset))
        .route("/brand.css", get(crate::http::brand::stylesheet))
        .route("/brand/logo", get(crate::http::brand::logo))
        .merge(accounts::routes())
        .merge(cards::routes())
        .merge(staff::routes())
        .merge(billing::routes())
        .merge(services::routes())
        .merge(quotes::routes())
        .merge(orders::routes())
        .merge(notices::routes())
        .merge(lost_access::routes())
        .merge(tickets::routes())
        .merge(monitoring::routes())
}

/// Everything no route matched: a 404 page, or JSON under `/api`.
pub async fn not_found(req: axum::extract::Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return ApiError(WebError::NotFound).into_response();
    }
    error_page(WebError::NotFound)
}
