//! Quotes in the panel: a card's users see its quotes and accept or reject one with a comment
//! (`/customers/{id}/quotes/{qid}`); staff make them from the card's billing page
//! (`/staff/customers/{id}/quotes`) with plan lines and one-off work, and see the decision.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_app::AppError;
use loket_app::documents::Format;
use loket_app::quotes::QuoteInput;
use loket_domain::access::{Permission, StaffAction};
use loket_domain::customer::CustomerKind;
use loket_domain::quote::QuoteLineSpec;
use loket_domain::{FieldError, Language, Money};
use loket_store::customers::Customer;
use loket_store::quotes::Quote;
use serde_json::{Value, json};

use crate::http::download;
use crate::http::extract::{Fields, amount_field, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, Staff, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

/// Blank rows of the staff form.
const FORM_ROWS: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/quotes", get(customer_list))
        .route("/customers/{id}/quotes/{qid}", get(customer_quote).post(customer_decide))
        .route("/staff/customers/{id}/quotes", get(staff_list).post(staff_create))
        .route("/staff/customers/{id}/quotes/{qid}", get(staff_quote))
        .route("/customers/{id}/quotes/{qid}/pdf", get(customer_pdf))
        .route("/staff/customers/{id}/quotes/{qid}/pdf", get(staff_pdf))
}

fn money(lang: Language, state: &AppState, minor: i64) -> String {
    loket_i18n::format_money(lang, Money::new(minor, state.provider.currency))
}

fn summary(state: &AppState, lang: Language, q: &Quote) -> Value {
    let status = q.status.on(state.app.today(), q.valid_until).name();
    json!({
        "id": q.id, "number": q.number, "status": status,
        "issue_date": loket_i18n::format_date(lang, q.issue_date),
        "valid_until": loket_i18n::format_date(lang, q.valid_until),
    })
}

/// A quote with its lines and totals as the reader sees them: private customers with VAT.
async fn quote_data(
    state: &AppState,
    lang: Language,
    customer: &Customer,
    q: &Quote,
    staff: bool,
    may_decide: bool,
) -> Result<Value, WebError> {
    let lines = state.store.quote_lines(q.id).await?;
    let totals = loket_app::quotes::totals(&state.app, customer, &lines)?;
    let consumer = customer.card.kind == CustomerKind::Consumer;
    let rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            let qty = if l.quantity_milli % 1000 == 0 {
                (l.quantity_milli / 1000).to_string()
            } else {
                format!("{:.3}", l.quantity_milli as f64 / 1000.0)
            };
            json!({
                "description": l.description,
                "label": l.label,
                "quantity": qty,
                "unit_price": money(lang, state, l.unit_price),
                "period": l
                    .billing_period
                    .as_deref()
                    .and_then(|p| loket_domain::billing::Period::parse(p).ok())
                    .map(|p| loket_i18n::format_per_period(lang, p)),
                "setup_fee": (l.setup_fee > 0).then(|| money(lang, state, l.setup_fee)),
                "net": money(lang, state, loket_app::quotes::line_net(l)),
                "subscription_id": l.subscription_id,
            })
        })
        .collect();
    let status = q.status.on(state.app.today(), q.valid_until);
    Ok(json!({
        "customer": customer,
        "staff": staff,
        "quote": summary(state, lang, q),
        "note": q.note,
        "lines": rows,
        "consumer": consumer,
        "net": money(lang, state, totals.net.minor),
        "vat": money(lang, state, totals.vat.minor),
        "gross": money(lang, state, totals.gross.minor),
        "decided_on": q.decided_on.map(|d| loket_i18n::format_date(lang, d)),
        "comment": q.decision_comment,
        "can_decide": may_decide && status == loket_domain::quote::QuoteStatus::Sent,
        "can_reject": may_decide && matches!(status, loket_domain::quote::QuoteStatus::Sent | loket_domain::quote::QuoteStatus::Expired),
    }))
}

async fn member(
    state: &AppState,
    session: &loket_store::accounts::Session,
    id: &str,
) -> Result<(Customer, loket_domain::access::Permissions), WebError> {
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, cid).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::ViewInvoices) && !m.permissions.has(Permission::ManageServices) {
        return Err(WebError::Forbidden("you may not see this card's quotes".into()));
    }
    Ok((state.store.customer(cid).await?.ok_or(WebError::NotFound)?, m.permissions))
}

async fn card_quote(state: &AppState, customer: &Customer, qid: &str) -> Result<Quote, WebError> {
    let qid: i64 = qid.parse().map_err(|_| WebError::NotFound)?;
    state.store.quote(qid).await?.filter(|q| q.customer_id == customer.id).ok_or(WebError::NotFound)
}

async fn customer_list(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let (customer, _) = member(&state, &session, &id).await?;
        let quotes: Vec<Value> =
            state.store.customer_quotes(customer.id, 200).await?.iter().map(|q| summary(&state, lang.lang, q)).collect();
        Ok::<_, WebError>(json!({ "customer": customer, "quotes": quotes, "staff": false }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "quotes/list.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn customer_quote(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, qid)): Path<(String, String)>,
) -> Response {
    let result = async {
        let (customer, may) = member(&state, &session, &id).await?;
        let q = card_quote(&state, &customer, &qid).await?;
        quote_data(&state, lang.lang, &customer, &q, false, may.has(Permission::ManageServices)).await
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "quotes/quote.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// The quote as PDF, for the card's users who may see it.
async fn customer_pdf(State(state): State<AppState>, SignedIn(session): SignedIn, Path((id, qid)): Path<(String, String)>) -> Response {
    let result = async {
        let (customer, _) = member(&state, &session, &id).await?;
        let q = card_quote(&state, &customer, &qid).await?;
        let lines = state.store.quote_lines(q.id).await?;
        Ok::<_, WebError>(download::document(loket_app::quotes::pdf(&state.app, &customer, &q, &lines)?, Format::Pdf))
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// The quote as PDF, for staff.
async fn staff_pdf(State(state): State<AppState>, staff: Staff, Path((id, qid)): Path<(String, String)>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let customer = staff_customer(&state, &id).await?;
        let q = card_quote(&state, &customer, &qid).await?;
        let lines = state.store.quote_lines(q.id).await?;
        Ok::<_, WebError>(download::document(loket_app::quotes::pdf(&state.app, &customer, &q, &lines)?, Format::Pdf))
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn customer_decide(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, qid)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (customer, may) = member(&state, &session, &id).await?;
        if !may.has(Permission::ManageServices) {
            return Err(WebError::Forbidden("you may not order services for this card".into()));
        }
        let q = card_quote(&state, &customer, &qid).await?;
        let accept = match field(&form, "decision") {
            "accept" => true,
            "reject" => false,
            _ => return Err(WebError::BadRequest { field: Some("decision".into()), message: "choose accept or reject".into() }),
        };
        let comment = Some(field(&form, "comment"));
        match loket_app::quotes::decide(&state.app, &user_actor(&session), customer.id, q.id, accept, comment).await {
            Ok(_) => {
                state.wake_jobs();
                Ok::<_, WebError>(Redirect::to(&format!("/customers/{}/quotes/{}", customer.id, q.id)).into_response())
            }
            Err(AppError::Conflict(m)) => {
                let mut data = quote_data(&state, lang.lang, &customer, &q, false, true).await?;
                data["error"] = json!(m);
                Ok(render_page(&state, lang, Some(&session), "quotes/quote.html.j2", StatusCode::CONFLICT, data))
            }
            Err(AppError::Invalid(errors)) => {
                let mut data = quote_data(&state, lang.lang, &customer, &q, false, true).await?;
                data["error"] =
                    json!(errors.iter().map(|e| crate::http::field_errors::field_message(lang.lang, e)).collect::<Vec<_>>().join("; "));
                Ok(render_page(&state, lang, Some(&session), "quotes/quote.html.j2", StatusCode::BAD_REQUEST, data))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// The staff list of a card's quotes and the form for a new one (with `form` and `errors` after
/// a refused submission).
async fn staff_data(
    state: &AppState,
    lang: Language,
    customer: &Customer,
    form: &Fields,
    errors: &[FieldError],
) -> Result<Value, WebError> {
    let quotes: Vec<Value> = state.store.customer_quotes(customer.id, 200).await?.iter().map(|q| summary(state, lang, q)).collect();
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut plans: Vec<(String, String)> = catalog.plans.values().map(|p| (p.code.clone(), p.name.clone())).collect();
    plans.sort();
    let rows: Vec<Value> = (0..FORM_ROWS)
        .map(|i| {
            let v = |n: &str| field(form, &format!("lines[{i}].{n}")).to_string();
            json!({ "i": i, "plan": v("plan"), "label": v("label"), "price": v("price"), "description": v("description"),
                    "quantity": v("quantity"), "unit_price": v("unit_price") })
        })
        .collect();
    let default_until = loket_domain::billing::plus_days(state.app.today(), 30).to_string();
    let valid_until = match field(form, "valid_until") {
        "" => default_until,
        v => v.to_string(),
    };
    Ok(json!({
        "customer": customer,
        "staff": true,
        "quotes": quotes,
        "plans": plans,
        "rows": rows,
        "valid_until": valid_until,
        "note": field(form, "note"),
        "errors": errors.iter().map(|e| json!({"field": e.field, "message": e.message})).collect::<Vec<_>>(),
    }))
}

async fn staff_customer(state: &AppState, id: &str) -> Result<Customer, WebError> {
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.store.customer(cid).await?.ok_or(WebError::NotFound)
}

async fn staff_list(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let customer = staff_customer(&state, &id).await?;
        staff_data(&state, lang.lang, &customer, &Vec::new(), &[]).await
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "quotes/staff.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn staff_create(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageBilling)?;
        let customer = staff_customer(&state, &id).await?;
        let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        let lines: Vec<QuoteLineSpec> = (0..FORM_ROWS)
            .map(|i| {
                let v = |n: &str| field(&form, &format!("lines[{i}].{n}")).to_string();
                QuoteLineSpec {
                    plan: opt(v("plan")),
                    label: opt(v("label")),
                    price: opt(amount_field(&form, &format!("lines[{i}].price"))),
                    description: opt(v("description")),
                    quantity: opt(v("quantity")),
                    unit_price: opt(amount_field(&form, &format!("lines[{i}].unit_price"))),
                    vat_category: None,
                }
            })
            .collect();
        let input = QuoteInput {
            customer_id: customer.id,
            valid_until: field(&form, "valid_until").to_string(),
            note: opt(field(&form, "note").to_string()),
            lines,
        };
        match loket_app::quotes::create(&state.app, &staff.actor(), &input).await {
            Ok((qid, _)) => Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{}/quotes/{qid}", customer.id)).into_response()),
            Err(AppError::Invalid(errors)) => {
                let data = staff_data(&state, lang.lang, &customer, &form, &errors).await?;
                Ok(render_page(&state, lang, Some(&staff.0), "quotes/staff.html.j2", StatusCode::BAD_REQUEST, data))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn staff_quote(State(state): State<AppState>, lang: Lang, staff: Staff, Path((id, qid)): Path<(String, String)>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let customer = staff_customer(&state, &id).await?;
        let q = card_quote(&state, &customer, &qid).await?;
        quote_data(&state, lang.lang, &customer, &q, true, false).await
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "quotes/quote.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}
