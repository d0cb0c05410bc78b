//! A document's files over the API: `GET /api/v1/invoices/{id}/pdf|ubl|fatturapa`, to staff
//! with `billing:read` and to the card's users who may view invoices. A format the document is
//! not offered in (a pro forma as UBL, a private customer without a Peppol address, FatturaPA
//! from a provider outside Italy) answers 409 saying why.

use axum::extract::{Path, State};
use axum::response::Response;
use loket_app::documents::Format;

use super::id;
use crate::api::customers::ApiCaller;
use crate::http::download;
use crate::http::error::ErrorBody;
use crate::{ApiError, AppState, WebError};

async fn file(state: &AppState, caller: &ApiCaller, iid: &str, format: Format) -> Result<Response, ApiError> {
    caller.scope("billing:read")?;
    let doc = state.store.document(id(iid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(state, doc.customer_id).await?;
    Ok(download::document(state.app.document_file(doc.id, format).await?, format))
}

/// The document's PDF, as rendered when it was first asked for and never changed since.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn invoice_pdf(State(state): State<AppState>, caller: ApiCaller, Path(iid): Path<String>) -> Result<Response, ApiError> {
    file(&state, &caller, &iid, Format::Pdf).await
}

/// The invoice or credit note as Peppol BIS Billing 3.0 UBL.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/ubl", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, description = "Peppol BIS Billing 3.0 UBL", content_type = "application/xml", body = String),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn invoice_ubl(State(state): State<AppState>, caller: ApiCaller, Path(iid): Path<String>) -> Result<Response, ApiError> {
    file(&state, &caller, &iid, Format::Ubl).await
}

/// The invoice or credit note as FatturaPA (an Italian provider's documents).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/fatturapa", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, description = "FatturaPA XML, named as the SDI requires", content_type = "application/xml", body = String),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn invoice_fatturapa(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(iid): Path<String>,
) -> Result<Response, ApiError> {
    file(&state, &caller, &iid, Format::FatturaPa).await
}
