//! A document's files from the panel: its PDF (and UBL, FatturaPA where offered) for a user of
//! the card who may view invoices, and for staff.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use loket_app::documents::Format;
use loket_domain::access::{Permission, StaffAction};

use super::customer::member_card;
use crate::http::download;
use crate::http::render::error_page;
use crate::http::session::{SignedIn, Staff};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/invoices/{invoice}/file/{format}", get(member_file))
        .route("/staff/customers/{id}/invoices/{invoice}/file/{format}", get(staff_file))
}

/// The file of `invoice` in `format` if the invoice is `customer_id`'s and offered in it.
async fn file(state: &AppState, customer_id: i64, invoice: &str, format: &str) -> Result<Response, WebError> {
    let format = Format::parse(format).ok_or(WebError::NotFound)?;
    let id: i64 = invoice.parse().map_err(|_| WebError::NotFound)?;
    let doc = state.store.document(id).await?.filter(|d| d.customer_id == customer_id).ok_or(WebError::NotFound)?;
    if !loket_app::documents::offered(&doc).contains(&format) {
        return Err(WebError::NotFound);
    }
    Ok(download::document(state.app.document_file(id, format).await?, format))
}

async fn member_file(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path((id, invoice, format)): Path<(String, String, String)>,
) -> Response {
    let result = async {
        let (customer, _) = member_card(&state, &session, &id, Permission::ViewInvoices).await?;
        file(&state, customer.id, &invoice, &format).await
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn staff_file(State(state): State<AppState>, staff: Staff, Path((id, invoice, format)): Path<(String, String, String)>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        file(&state, cid, &invoice, &format).await
    }
    .await;
    result.unwrap_or_else(error_page)
}
