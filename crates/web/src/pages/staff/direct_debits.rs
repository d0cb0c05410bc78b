//! Direct debits in the back office (`/staff/direct-debits`): make the file of collections for
//! a collection date (and download it, then or later), the files made with what the bank
//! credited or returned, the collections that came back with their reason, and the mandates.

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use loket_domain::access::StaffAction;
use loket_domain::{FieldError, Money};
use loket_store::billing::sepa as store;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/staff/direct-debits", axum::routing::get(page))
        .route("/staff/direct-debits/export", axum::routing::post(export))
        .route("/staff/direct-debits/batches/{id}/file", axum::routing::get(file))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// The file just made.
    made: Option<i64>,
}

async fn data(state: &AppState, lang: Lang, made: Option<i64>, form: &Fields, errors: &[FieldError]) -> Result<Value, WebError> {
    let money = |minor: i64| loket_i18n::format_money(lang.lang, Money::new(minor, state.provider.currency));
    let date = |d: jiff::civil::Date| loket_i18n::format_date(lang.lang, d);
    let tz = state.provider.tz();
    let billing = state.billing();
    let settings = billing.sepa_settings();
    let mut conn = state.store.acquire().await?;
    let batches: Vec<Value> = store::debits::batches(&mut conn, 20)
        .await?
        .into_iter()
        .map(|b| {
            json!({ "id": b.id, "message_id": b.message_id, "collection_date": date(b.collection_date), "version": b.pain_version,
                    "count": b.collections, "total": money(b.total), "credited": b.credited, "returned": b.returned,
                    "file_name": b.file_name, "when": loket_i18n::format_datetime(lang.lang, &b.created_at.to_zoned(tz.clone())) })
        })
        .collect();
    let made = made.and_then(|id| batches.iter().find(|b| b["id"] == id).cloned());
    let returns: Vec<Value> = store::debits::returns(&mut conn, 20)
        .await?
        .into_iter()
        .map(|d| {
            json!({ "returned_on": d.returned_on.map(date), "number": d.number, "invoice_id": d.invoice_id, "customer_id": d.customer_id,
                    "amount": money(d.amount), "reason": d.return_reason, "sequence": d.sequence, "message_id": d.message_id })
        })
        .collect();
    let mandates: Vec<Value> = store::mandates(&mut conn, None, 0, 100)
        .await?
        .into_iter()
        .map(|m| {
            json!({ "customer_id": m.customer_id, "customer": format!("{} {}", m.customer_number, m.customer_name), "reference": m.reference,
                    "iban": m.iban, "signed_on": date(m.signed_on), "last": m.last_collected_on.map(date), "state": m.state,
                    "given_by": m.given_by })
        })
        .collect();
    let first = settings.first_collection_date(billing.today()).to_string();
    let value = |k: &str, default: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_else(|| default.to_string());
    let error = errors.iter().find(|e| e.field == "collection_date").map(|e| field_message(lang.lang, e));
    let other: Vec<String> = errors.iter().filter(|e| e.field != "collection_date").map(|e| field_message(lang.lang, e)).collect();
    Ok(json!({
        "offered": settings.creditor_id.is_some(),
        "days": settings.pre_notification_days,
        "lead": settings.lead_days,
        "collect": settings.collect.name(),
        "version": settings.pain_version.name().trim_start_matches("pain.008."),
        "batches": batches,
        "made": made,
        "returns": returns,
        "mandates": mandates,
        "collection_date": value("collection_date", &first),
        "first": first,
        "error": error,
        "other": other,
    }))
}

async fn page(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<PageQuery>) -> Response {
    if let Err(e) = staff.require(StaffAction::ManageBilling) {
        return error_page(e);
    }
    match data(&state, lang, q.made, &Vec::new(), &[]).await {
        Ok(d) => render_page(&state, lang, Some(&staff.0), "staff/direct_debits.html.j2", StatusCode::OK, d),
        Err(e) => error_page(e),
    }
}

async fn export(State(state): State<AppState>, lang: Lang, staff: Staff, Form(form): Form<Fields>) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    let result = async {
        let date = loket_domain::input::date("collection_date", field(&form, "collection_date"))?;
        let version = match field(&form, "pain_version").trim() {
            "" => None,
            v => Some(
                loket_app::billing::sepa::parse_pain_version(v)
                    .map_err(|m| loket_app::AppError::from(FieldError::new("pain_version", m)))?,
            ),
        };
        let (_, summary) = state.billing().export_direct_debits(&staff.actor(), date, version).await?;
        state.wake_jobs();
        Ok::<_, WebError>(summary.batch_id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/staff/direct-debits?made={id}")).into_response(),
        Err(WebError::Invalid(errors)) => render_refused(&state, lang, &staff, &form, &errors).await,
        // Nothing to collect, not offered: said on the page, with the form as it was sent.
        Err(WebError::BadRequest { message, .. }) => render_refused(&state, lang, &staff, &form, &[FieldError::new("*", message)]).await,
        Err(e) => error_page(e),
    }
}

async fn render_refused(state: &AppState, lang: Lang, staff: &Staff, form: &Fields, errors: &[FieldError]) -> Response {
    match data(state, lang, None, form, errors).await {
        Ok(d) => render_page(state, lang, Some(&staff.0), "staff/direct_debits.html.j2", StatusCode::BAD_REQUEST, d),
        Err(e) => error_page(e),
    }
}

/// A file as it was handed to the bank.
async fn file(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Response {
    if let Err(e) = staff.require(StaffAction::ManageBilling) {
        return error_page(e);
    }
    let found = async {
        let mut conn = state.store.acquire().await?;
        Ok::<_, WebError>(store::debits::batch_file(&mut conn, id).await?)
    }
    .await;
    match found {
        Ok(Some((name, content))) => {
            let mut response = (StatusCode::OK, content).into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
            let disposition = format!("attachment; filename=\"{}\"", name.replace(['"', '\\', '\r', '\n'], "_"));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Ok(None) => error_page(WebError::NotFound),
        Err(e) => error_page(e),
    }
}
