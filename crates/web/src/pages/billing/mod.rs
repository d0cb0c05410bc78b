//! Billing in the panel (`customer`: subscriptions, invoices, the renewal link) and in the back
//! office (`staff`: payments, subscriptions, cancellations; `documents`: manual invoices and
//! credit notes).

pub mod customer;
mod direct_debit;
mod documents;
mod files;
mod invoices;
mod pay;
mod staff;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    customer::routes()
        .merge(staff::routes())
        .merge(direct_debit::routes())
        .merge(invoices::routes())
        .merge(documents::routes())
        .merge(files::routes())
        .merge(pay::routes())
}
