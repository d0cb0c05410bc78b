//! The provider's back office: customer cards, their replacement, and change requests.

pub mod customers;
mod dashboard;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customers::routes().route("/staff", axum::routing::get(dashboard::dashboard))
}
