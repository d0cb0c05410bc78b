//! The provider's back office: customer cards, their replacement, change requests, the
//! catalogue, the audit log, the accountant's exports, the bank statements and direct debits.

mod bank;
pub mod customers;
mod dashboard;
mod direct_debits;
mod exports;
mod new_customer;
mod records;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customers::routes()
        .merge(bank::routes())
        .merge(direct_debits::routes())
        .route("/staff", axum::routing::get(dashboard::dashboard))
        .route("/staff/customers/new", axum::routing::get(new_customer::new_form).post(new_customer::create))
        .route("/staff/catalog", axum::routing::get(records::catalog))
        .route("/staff/audit", axum::routing::get(records::audit))
        .route("/staff/exports", axum::routing::get(exports::page))
        .route("/staff/exports/journal.csv", axum::routing::get(exports::journal_csv))
        .route("/staff/exports/journal.xlsx", axum::routing::get(exports::journal_xlsx))
        .route("/staff/exports/documents.zip", axum::routing::get(exports::documents_zip))
}
