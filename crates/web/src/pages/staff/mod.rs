//! The provider's back office: customer cards, their replacement, change requests, the
//! catalogue and the audit log.

pub mod customers;
mod dashboard;
mod new_customer;
mod records;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customers::routes()
        .route("/staff", axum::routing::get(dashboard::dashboard))
        .route("/staff/customers/new", axum::routing::get(new_customer::new_form).post(new_customer::create))
        .route("/staff/catalog", axum::routing::get(records::catalog))
        .route("/staff/audit", axum::routing::get(records::audit))
}
