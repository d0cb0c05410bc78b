//! A customer card in the panel: the card itself with its change requests, and its users.

pub mod card;
pub mod members;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(card::routes()).merge(members::routes())
}
