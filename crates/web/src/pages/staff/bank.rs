//! Bank statements in the back office (`/staff/bank`): upload a camt.053 or MT940, see what the
//! last imports booked, and the credits waiting for staff — each with the invoices it likely
//! pays — booked on an invoice with one click, or dismissed as not a customer's payment.

use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loket_app::AppError;
use loket_domain::access::StaffAction;
use loket_domain::{FieldError, Money};
use loket_store::billing::bank as store;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

/// Credits shown per page.
const PAGE: i64 = 50;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/staff/bank", axum::routing::get(page))
        .route(
            "/staff/bank/import",
            axum::routing::post(import).layer(DefaultBodyLimit::max(loket_app::billing::bank::MAX_STATEMENT_BYTES + 64 * 1024)),
        )
        .route("/staff/bank/entries/{id}/book", axum::routing::post(book))
        .route("/staff/bank/entries/{id}/dismiss", axum::routing::post(dismiss))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    after: Option<i64>,
    done: Option<String>,
}

async fn data(state: &AppState, lang: Lang, after: i64, notice: Option<String>, errors: &[FieldError]) -> Result<Value, WebError> {
    let money = |minor: i64| loket_i18n::format_money(lang.lang, Money::new(minor, state.provider.currency));
    let tz = state.provider.tz();
    let mut conn = state.store.acquire().await?;
    let statements: Vec<Value> = store::statements(&mut conn, 10)
        .await?
        .into_iter()
        .map(|s| {
            json!({ "account": s.account, "statement": s.statement_ref, "format": s.format, "file_name": s.file_name,
                    "entries": s.entries, "booked": s.booked, "unmatched": s.unmatched, "skipped": s.skipped,
                    "when": loket_i18n::format_datetime(lang.lang, &s.created_at.to_zoned(tz.clone())) })
        })
        .collect();
    let total = store::count_unmatched(&mut conn).await?;
    let waiting = store::unmatched(&mut conn, after, PAGE + 1).await?;
    let more = waiting.len() as i64 > PAGE;
    let mut entries = Vec::new();
    for e in waiting.into_iter().take(PAGE as usize) {
        let mut suggestions = Vec::new();
        for id in &e.suggestions {
            if let Some(d) = loket_store::billing::documents::document(&mut conn, *id).await? {
                suggestions.push(json!({ "id": d.id, "number": d.number, "customer": d.customer.legal_name,
                                         "open": money(d.open_amount()), "state": d.state.name() }));
            }
        }
        let date =
            e.booking_date.parse::<jiff::civil::Date>().map(|d| loket_i18n::format_date(lang.lang, d)).unwrap_or(e.booking_date.clone());
        entries.push(json!({ "id": e.id, "date": date, "amount": money(e.amount), "name": e.counterparty_name,
                             "iban": e.counterparty_iban, "reference": e.reference, "remittance": e.remittance,
                             "suggestions": suggestions }));
    }
    let next = if more { entries.last().and_then(|e| e["id"].as_i64()) } else { None };
    let error = |f: &str| errors.iter().find(|e| e.field == f || f == "*").map(|e| field_message(lang.lang, e));
    Ok(json!({ "statements": statements, "total": total, "entries": entries, "next": next, "notice": notice,
               "error": error("*") }))
}

async fn page(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<PageQuery>) -> Response {
    if let Err(e) = staff.require(StaffAction::ManageBilling) {
        return error_page(e);
    }
    let notice = q.done.as_deref().map(|d| match d {
        "booked" => loket_i18n::t(lang.lang, "bank-booked"),
        "dismissed" => loket_i18n::t(lang.lang, "bank-dismissed"),
        _ => loket_i18n::t(lang.lang, "bank-imported"),
    });
    match data(&state, lang, q.after.unwrap_or(0), notice, &[]).await {
        Ok(d) => render_page(&state, lang, Some(&staff.0), "staff/bank.html.j2", StatusCode::OK, d),
        Err(e) => error_page(e),
    }
}

/// The upload: a `csrf` text part and the `statement` file.
async fn import(State(state): State<AppState>, lang: Lang, staff: Staff, mut multipart: Multipart) -> Response {
    let result = async {
        let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest {
            field: Some("statement".into()),
            message: format!("the upload could not be read: {}", e.body_text()),
        };
        let (mut csrf, mut file, mut name) = (String::new(), Vec::new(), None);
        while let Some(part) = multipart.next_field().await.map_err(bad)? {
            match part.name().unwrap_or("") {
                "csrf" => csrf = part.text().await.map_err(bad)?.chars().take(200).collect(),
                "statement" => {
                    name = part.file_name().map(|n| n.chars().take(200).collect::<String>());
                    file = part.bytes().await.map_err(bad)?.to_vec();
                }
                _ => return Err(WebError::BadRequest { field: None, message: "unknown field in the upload".into() }),
            }
        }
        check_csrf(&staff.0, &csrf)?;
        staff.require(StaffAction::ManageBilling)?;
        if file.is_empty() {
            return Err(AppError::from(FieldError::new("statement", "choose the statement file (camt.053 or MT940)")).into());
        }
        let report = state.billing().import_statement(&staff.actor(), name.as_deref(), &file).await?;
        state.wake_jobs();
        let notice = loket_i18n::t_args(
            lang.lang,
            "bank-import-result",
            &[
                ("booked", &report.booked.to_string()),
                ("unmatched", &report.unmatched.to_string()),
                ("seen", &report.already_imported.to_string()),
            ],
        );
        Ok::<_, WebError>(notice)
    }
    .await;
    let (status, notice, errors) = match result {
        Ok(notice) => (StatusCode::OK, Some(notice), Vec::new()),
        Err(WebError::Invalid(errors)) => (StatusCode::BAD_REQUEST, None, errors),
        Err(e) => return error_page(e),
    };
    match data(&state, lang, 0, notice, &errors).await {
        Ok(d) => render_page(&state, lang, Some(&staff.0), "staff/bank.html.j2", status, d),
        Err(e) => error_page(e),
    }
}

async fn book(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<i64>, Form(form): Form<Fields>) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    let invoice = field(&form, "invoice").trim().to_string();
    let result = async {
        let invoice_id = match invoice.parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                // An invoice number typed in.
                let mut conn = state.store.acquire().await?;
                let found = loket_store::billing::bank::named_payables(&mut conn, &[], std::slice::from_ref(&invoice)).await?;
                found.first().map(|p| p.invoice_id).ok_or_else(|| {
                    AppError::Invalid(vec![FieldError::new(
                        "invoice",
                        format!("there is no invoice {}", invoice.chars().take(40).collect::<String>()),
                    )])
                })?
            }
        };
        state.billing().book_waiting_entry(&staff.actor(), id, Some(invoice_id), None).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => {
            state.wake_jobs();
            Redirect::to("/staff/bank?done=booked").into_response()
        }
        Err(WebError::Invalid(errors)) => match data(&state, lang, 0, None, &errors).await {
            Ok(d) => render_page(&state, lang, Some(&staff.0), "staff/bank.html.j2", StatusCode::BAD_REQUEST, d),
            Err(e) => error_page(e),
        },
        Err(e) => error_page(e),
    }
}

async fn dismiss(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>, Form(form): Form<Fields>) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    match state.billing().dismiss_waiting_entry(&staff.actor(), id).await {
        Ok(()) => Redirect::to("/staff/bank?done=dismissed").into_response(),
        Err(e) => error_page(e),
    }
}
