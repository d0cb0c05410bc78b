//! The billing of a card for the provider's staff: the customer's overview (without their
//! buttons) and its invoices, plus the form to record a payment (staff action ManageBilling).

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_app::billing::AppError;
use loket_domain::FieldError;
use loket_domain::access::StaffAction;
use serde::Deserialize;
use serde_json::{Value, json};

use super::customer::{invoice_data, overview};
use crate::http::extract::{Fields, amount_field, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/customers/{id}/billing", get(staff_billing))
        .route("/staff/customers/{id}/invoices/{invoice}", get(staff_invoice))
        .route("/staff/customers/{id}/payments", post(record_payment))
        .route("/staff/customers/{id}/subscriptions/{sid}/cancellation", post(record_cancellation))
        .route("/staff/customers/{id}/subscriptions", post(subscribe))
}

#[derive(Deserialize, Default)]
struct Done {
    recorded: Option<String>,
    /// A manual line was added (for the next invoice).
    item: Option<String>,
    /// The number of the invoice or credit note just made by hand.
    invoiced: Option<String>,
    credited: Option<String>,
    /// The subscription whose cancellation was just recorded.
    cancelled: Option<String>,
}

/// Payment-form fields and the engine's field names that belong to each.
const PAYMENT_FIELDS: [(&str, &[&str]); 5] = [
    ("invoice", &["invoice", "invoice_id", "customer_id"]),
    ("amount", &["amount"]),
    ("method", &["method"]),
    ("received_on", &["received_on"]),
    ("reference", &["reference"]),
];

/// The staff overview of card `id`, with the payment form (`form` and `errors` after a refusal).
pub(super) async fn staff_data(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    id: &str,
    form: &Fields,
    errors: &[FieldError],
    recorded: bool,
) -> Result<Value, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let customer = state.store.customer(id).await?.ok_or(WebError::NotFound)?;
    let mut data = overview(state, lang, &customer, true, false).await?;
    let today = state.billing().today().to_string();
    let value = |k: &str, default: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_else(|| default.to_string());
    let mut values = serde_json::Map::new();
    let mut field_errors = serde_json::Map::new();
    for (name, engine_names) in PAYMENT_FIELDS {
        let default = match name {
            "method" => "bank_transfer",
            "received_on" => today.as_str(),
            _ => "",
        };
        values.insert(name.into(), json!(value(name, default)));
        let messages: Vec<String> = errors
            .iter()
            .filter(|e| engine_names.contains(&e.field.as_str()))
            .map(|e| crate::http::field_errors::field_message(lang.lang, e))
            .collect();
        field_errors.insert(name.into(), if messages.is_empty() { Value::Null } else { json!(messages.join("; ")) });
    }
    let other: Vec<String> = errors
        .iter()
        .filter(|e| !PAYMENT_FIELDS.iter().any(|(_, names)| names.contains(&e.field.as_str())))
        .map(|e| crate::http::field_errors::field_message(lang.lang, e))
        .collect();
    data["payment"] = json!({
        "allowed": staff.1.can(StaffAction::ManageBilling),
        "recorded": recorded,
        "values": values,
        "errors": field_errors,
        "other": other,
        "methods": ["bank_transfer", "direct_debit", "online", "credit"],
    });
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut plans: Vec<(String, String)> = catalog.plans.values().map(|p| (p.code.clone(), p.name.clone())).collect();
    plans.sort_by(|a, b| a.1.cmp(&b.1));
    let parents = crate::pages::orders::add_on_choices(state, &catalog, id).await?;
    data["new_subscription"] = json!({ "plans": plans, "parents": parents, "start_date": today, "errors": [] });
    data["vat_categories"] = json!(super::documents::VAT_CATEGORIES);
    data["direct_debit"] = super::direct_debit::summary(state, &customer).await?;
    Ok(data)
}

async fn staff_billing(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let mut data = staff_data(&state, lang, &staff, &id, &Vec::new(), &[], done.recorded.is_some()).await?;
        if let Some(sid) = done.cancelled.and_then(|s| s.parse::<i64>().ok()) {
            let row = data["subscriptions"].as_array().and_then(|rows| rows.iter().find(|r| r["id"] == sid)).cloned();
            data["cancelled"] = row.unwrap_or(Value::Null);
        }
        let number = |n: Option<String>| n.filter(|n| n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        data["made"] = json!({ "item": done.item.is_some(), "invoiced": number(done.invoiced), "credited": number(done.credited) });
        Ok::<_, WebError>(data)
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "billing/staff.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn staff_invoice(State(state): State<AppState>, lang: Lang, staff: Staff, Path((id, invoice)): Path<(String, String)>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let customer = state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
        let mut data = invoice_data(&state, lang, &customer, &invoice, true).await?;
        data["today"] = json!(state.app.today().to_string());
        data["may_credit"] = json!(staff.1.can(StaffAction::ManageBilling));
        Ok::<_, WebError>(data)
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "billing/invoice.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// Records money received for card `id` (an invoice of it, or its oldest open ones). Refused
/// input comes back in the form, each problem under its field.
async fn record_payment(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    let Ok(cid) = id.parse::<i64>() else { return error_page(WebError::NotFound) };
    let invoice = match field(&form, "invoice").trim() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some).map_err(|_| AppError::Invalid(vec![FieldError::new("invoice", "choose an invoice from the list")])),
    };
    let reference = Some(field(&form, "reference").trim()).filter(|r| !r.is_empty());
    let actor = staff.actor();
    let result = match invoice {
        Ok(invoice) => {
            let amount = amount_field(&form, "amount");
            let (amount, method, received_on) = (amount.as_str(), field(&form, "method"), field(&form, "received_on"));
            let input = loket_app::billing::money::PaymentInput {
                customer_id: Some(cid),
                invoice_id: invoice,
                amount,
                method,
                received_on,
                reference,
            };
            state.billing().record_payment(&actor, &input).await
        }
        Err(e) => Err(e),
    };
    let (status, errors) = match result {
        Ok(_) => {
            state.wake_jobs();
            return Redirect::to(&format!("/staff/customers/{cid}/billing?recorded=1")).into_response();
        }
        Err(AppError::Invalid(errors)) => (StatusCode::BAD_REQUEST, errors),
        Err(AppError::Conflict(m)) => (StatusCode::CONFLICT, vec![FieldError::new("payment", m)]),
        Err(e) => return error_page(e),
    };
    match staff_data(&state, lang, &staff, &id, &form, &errors, false).await {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "billing/staff.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

/// Staff start a subscription for the card (an order by phone or on paper).
async fn subscribe(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    let Ok(cid) = id.parse::<i64>() else { return error_page(WebError::NotFound) };
    let price = Some(amount_field(&form, "price").trim().to_string()).filter(|p| !p.is_empty());
    let input = loket_app::billing::ops::SubscriptionInput {
        customer_id: cid,
        plan: field(&form, "plan").to_string(),
        label: field(&form, "label").to_string(),
        start_date: field(&form, "start_date").to_string(),
        price,
        parent_id: None,
        ..Default::default()
    };
    let parent = field(&form, "parent_id").trim();
    let input = match parent.parse::<i64>() {
        Ok(p) => loket_app::billing::ops::SubscriptionInput { parent_id: Some(p), ..input },
        Err(_) if parent.is_empty() => input,
        Err(_) => {
            let errors = vec![FieldError::new("parent_id", "choose a service from the list")];
            return subscribe_refused(&state, lang, &staff, &id, &input, parent, &errors).await;
        }
    };
    let errors = match state.billing().subscribe(&staff.actor(), &input).await {
        Ok(sid) => return Redirect::to(&format!("/staff/customers/{cid}/billing#subscription-{sid}")).into_response(),
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Conflict(m)) | Err(AppError::Refused(m)) => vec![FieldError::new("subscription", m)],
        Err(e) => return error_page(e),
    };
    subscribe_refused(&state, lang, &staff, &id, &input, parent, &errors).await
}

/// The card's billing page again with the new subscription's form as sent and what was wrong.
async fn subscribe_refused(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    id: &str,
    input: &loket_app::billing::ops::SubscriptionInput,
    parent: &str,
    errors: &[FieldError],
) -> Response {
    match staff_data(state, lang, staff, id, &Vec::new(), &[], false).await {
        Ok(mut data) => {
            data["new_subscription"]["errors"] = json!(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
            data["new_subscription"]["values"] =
                json!({ "plan": input.plan, "label": input.label, "start_date": input.start_date, "parent_id": parent });
            render_page(state, lang, Some(&staff.0), "billing/staff.html.j2", StatusCode::BAD_REQUEST, data)
        }
        Err(e) => error_page(e),
    }
}

/// Records a cancellation that reached the provider by e-mail, letter, registered letter or
/// phone, on the day it was received; the page then says when it takes effect.
async fn record_cancellation(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path((id, sid)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    let (Ok(cid), Ok(sid)) = (id.parse::<i64>(), sid.parse::<i64>()) else { return error_page(WebError::NotFound) };
    match state.store.subscription(sid).await {
        Ok(Some(s)) if s.customer_id == cid => {}
        Ok(_) => return error_page(WebError::NotFound),
        Err(e) => return error_page(e),
    }
    let result = state
        .billing()
        .cancel(&staff.actor(), sid, field(&form, "received_on"), field(&form, "channel"), Some(field(&form, "sent_on")))
        .await;
    let errors = match result {
        Ok(_) => {
            state.wake_jobs();
            return Redirect::to(&format!("/staff/customers/{cid}/billing?cancelled={sid}#subscription-{sid}")).into_response();
        }
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Conflict(m)) | Err(AppError::Refused(m)) => vec![FieldError::new("cancellation", m)],
        Err(e) => return error_page(e),
    };
    match staff_data(&state, lang, &staff, &id, &Vec::new(), &[], false).await {
        Ok(mut data) => {
            data["cancellation"] = json!({
                "subscription": sid,
                "received_on": field(&form, "received_on"),
                "sent_on": field(&form, "sent_on"),
                "channel": field(&form, "channel"),
                "errors": errors
                    .iter()
                    .map(|e| json!({"field": e.field, "message": crate::http::field_errors::field_message(lang.lang, e)}))
                    .collect::<Vec<_>>(),
            });
            render_page(&state, lang, Some(&staff.0), "billing/staff.html.j2", StatusCode::BAD_REQUEST, data)
        }
        Err(e) => error_page(e),
    }
}
