//! The accountant's exports over the API: a period's journal of invoices, credit notes and
//! payments as CSV or XLSX, and its invoices and credit notes as PDFs in a ZIP with the journal
//! inside. The whole provider's books: staff with `billing:read` who may view customers (as the
//! list of all documents); a customer's own token is refused. Files are built in a temporary
//! file and streamed from it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use loket_app::exports::{self, ExportFile, Period};
use loket_domain::access::StaffAction;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::customers::ApiCaller;
use crate::http::download;
use crate::http::error::ErrorBody;
use crate::http::extract::query;
use crate::{ApiError, AppState};

/// The days an export covers, both included. Neither given: the previous calendar month; only
/// `from`: up to today; only `to`: from the first of its month.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportPeriod {
    /// The first day, YYYY-MM-DD.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// The last day, YYYY-MM-DD (not before `from`).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// The caller may read the whole provider's books; the period asked for.
fn period(state: &AppState, caller: &ApiCaller, q: Result<Query<ExportPeriod>, QueryRejection>) -> Result<Period, ApiError> {
    caller.scope("billing:read")?;
    caller.staff(StaffAction::ViewCustomers)?;
    let q = query(q)?;
    Ok(Period::parse(q.from.as_deref(), q.to.as_deref(), state.app.today())?)
}

fn answer(file: ExportFile) -> Response {
    download::export(file)
}

/// The journal of a period as CSV (UTF-8, RFC 4180, a header line): invoices and credit notes
/// by issue date, then payments and refunds; credit notes and refunds negative; amounts as
/// decimals with a dot; text that a spreadsheet would run as a formula starts with `'`.
#[utoipa::path(get, path = "/api/v1/exports/journal.csv", tag = "billing", params(ExportPeriod), security(("token" = [])),
    responses((status = 200, description = "The journal", content_type = "text/csv", body = String),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(super) async fn journal_csv(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<ExportPeriod>, QueryRejection>,
) -> Result<Response, ApiError> {
    let period = period(&state, &caller, q)?;
    Ok(answer(exports::journal_csv(&state.store, period).await?))
}

/// The journal of a period as an XLSX workbook: dates as dates, amounts as numbers, and a sheet
/// of totals per kind. A period with more entries than a sheet holds answers 409.
#[utoipa::path(get, path = "/api/v1/exports/journal.xlsx", tag = "billing", params(ExportPeriod), security(("token" = [])),
    responses((status = 200, description = "The journal as a workbook",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn journal_xlsx(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<ExportPeriod>, QueryRejection>,
) -> Result<Response, ApiError> {
    let period = period(&state, &caller, q)?;
    Ok(answer(exports::journal_xlsx(&state.store, period).await?))
}

/// The invoices and credit notes issued in a period as PDF (the stored files the panel serves),
/// with the period's journal as CSV, in one ZIP.
#[utoipa::path(get, path = "/api/v1/exports/documents.zip", tag = "billing", params(ExportPeriod), security(("token" = [])),
    responses((status = 200, description = "The documents and the journal", content_type = "application/zip", body = Vec<u8>),
    (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(super) async fn documents_zip(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<ExportPeriod>, QueryRejection>,
) -> Result<Response, ApiError> {
    let period = period(&state, &caller, q)?;
    Ok(answer(exports::documents_zip(&state.app, period).await?))
}
