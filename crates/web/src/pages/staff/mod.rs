//! The provider's back office: customer cards, their replacement, and change requests.

pub mod customers;
mod dashboard;
mod new_customer;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customers::routes()
        .route("/staff", axum::routing::get(dashboard::dashboard))
        .route("/staff/customers/new", axum::routing::get(new_customer::new_form).post(new_customer::create))
}
