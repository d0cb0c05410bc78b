//! The accountant's exports in the back office: a period (the previous month unless chosen)
//! and three downloads — the journal as CSV and as XLSX, and the period's documents as PDFs in a
//! ZIP with the journal. The files are the ones the API gives (`loket_app::exports`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use loket_app::AppError;
use loket_app::exports::{self, Period};
use loket_domain::access::StaffAction;
use serde::Deserialize;
use serde_json::json;

use crate::http::download;
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::Staff;
use crate::{AppState, Lang, WebError};

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

impl PeriodQuery {
    fn period(&self, state: &AppState) -> Result<Period, AppError> {
        Period::parse(self.from.as_deref(), self.to.as_deref(), state.app.today())
    }
}

pub async fn page(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<PeriodQuery>) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(e);
    }
    let (status, data) = match q.period(&state) {
        Ok(p) => {
            let query = format!("from={}&to={}", p.from, p.to);
            let day = |d| loket_i18n::format_date(lang.lang, d);
            (
                StatusCode::OK,
                json!({ "from": p.from.to_string(), "to": p.to.to_string(), "from_text": day(p.from), "to_text": day(p.to),
                        "query": query, "errors": { "from": null, "to": null } }),
            )
        }
        Err(AppError::Invalid(errors)) => {
            let message = |field: &str| errors.iter().find(|e| e.field == field).map(|e| field_message(lang.lang, e));
            let shown = |s: &Option<String>| s.as_deref().unwrap_or("").chars().take(20).collect::<String>();
            (
                StatusCode::BAD_REQUEST,
                json!({ "from": shown(&q.from), "to": shown(&q.to), "query": null,
                        "errors": { "from": message("from"), "to": message("to") } }),
            )
        }
        Err(e) => return error_page(e),
    };
    render_page(&state, lang, Some(&staff.0), "staff/exports.html.j2", status, data)
}

/// Which file a download link asks for.
#[derive(Clone, Copy)]
enum Kind {
    Csv,
    Xlsx,
    Zip,
}

async fn download(state: &AppState, staff: &Staff, q: &PeriodQuery, kind: Kind) -> Result<Response, WebError> {
    staff.require(StaffAction::ViewCustomers)?;
    let period = q.period(state)?;
    let file = match kind {
        Kind::Csv => exports::journal_csv(&state.store, period).await?,
        Kind::Xlsx => exports::journal_xlsx(&state.store, period).await?,
        Kind::Zip => exports::documents_zip(&state.app, period).await?,
    };
    Ok(download::export(file))
}

pub async fn journal_csv(State(state): State<AppState>, staff: Staff, Query(q): Query<PeriodQuery>) -> Response {
    download(&state, &staff, &q, Kind::Csv).await.unwrap_or_else(error_page)
}

pub async fn journal_xlsx(State(state): State<AppState>, staff: Staff, Query(q): Query<PeriodQuery>) -> Response {
    download(&state, &staff, &q, Kind::Xlsx).await.unwrap_or_else(error_page)
}

pub async fn documents_zip(State(state): State<AppState>, staff: Staff, Query(q): Query<PeriodQuery>) -> Response {
    download(&state, &staff, &q, Kind::Zip).await.unwrap_or_else(error_page)
}
