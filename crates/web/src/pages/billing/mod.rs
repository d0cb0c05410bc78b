//! Billing in the panel (`customer`: subscriptions, invoices, the renewal link) and in the back
//! office (`staff`: payments, credit notes, the billing run).

pub mod customer;
mod invoices;
mod staff;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customer::routes().merge(staff::routes()).merge(invoices::routes())
}
