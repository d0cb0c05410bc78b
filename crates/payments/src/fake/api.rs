//! FakeMollie's API: the Mollie v2 endpoints the client uses, answered as Mollie documents
//! them — `application/hal+json`, amounts as strings, `_links` and `_embedded`, errors as
//! `{"status", "title", "detail", "field"}` — from the in-memory state.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{
    CreateFailure, FakeChargeback, FakeMollie, FakePayment, FakeRefund, State as FakeState, Subject, mollie_time, new_id, recurring,
};
use crate::amount::{format_amount, parse_amount};
use crate::{PaymentStatus, RefundStatus, SequenceType};

const DOCS: &str = "https://docs.mollie.com/reference/handling-errors";

/// The currencies the fake takes (Mollie takes these and more, per method).
const CURRENCIES: [&str; 14] = ["EUR", "GBP", "USD", "CHF", "DKK", "NOK", "SEK", "PLN", "CZK", "HUF", "AUD", "CAD", "JPY", "ISK"];

/// Mollie's checkout languages.
pub(super) const LOCALES: [&str; 22] = [
    "en_US", "en_GB", "nl_NL", "nl_BE", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_BE", "es_ES", "ca_ES", "pt_PT", "it_IT", "nb_NO", "sv_SE",
    "fi_FI", "da_DK", "is_IS", "hu_HU", "pl_PL", "lv_LV", "lt_LT",
];

/// The methods the fake offers: id, name in English, Dutch and Italian, minimum and maximum in
/// cents, whether only for euros.
pub(super) const METHODS: [(&str, [&str; 3], i64, i64, bool); 5] = [
    ("ideal", ["iDEAL | Wero", "iDEAL | Wero", "iDEAL | Wero"], 1, 5_000_000, true),
    ("creditcard", ["Card", "Kaart", "Carta"], 1, 1_000_000, false),
    ("bancontact", ["Bancontact", "Bancontact", "Bancontact"], 2, 5_000_000, true),
    ("paypal", ["PayPal", "PayPal", "PayPal"], 1, 1_000_000, false),
    ("directdebit", ["SEPA Direct Debit", "SEPA-incasso", "Addebito diretto SEPA"], 1, 100_000_000, true),
];

pub(super) fn hal(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/hal+json")], body.to_string()).into_response()
}

/// Mollie's error body.
pub(super) fn error(status: StatusCode, detail: &str, field: Option<&str>) -> Response {
    let title = match status {
        StatusCode::UNAUTHORIZED => "Unauthorized Request",
        other => other.canonical_reason().unwrap_or("Error"),
    };
    let mut body = json!({
        "status": status.as_u16(),
        "title": title,
        "detail": detail,
        "_links": { "documentation": { "href": DOCS, "type": "text/html" } },
    });
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    hal(status, &body)
}

/// An answer other than the one asked for, kept small (a `Response` is not) so the helpers
/// that read a request can return it.
pub(super) enum Refusal {
    Unavailable,
    Error { status: StatusCode, detail: String, field: Option<String> },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Unavailable => unavailable(),
            Refusal::Error { status, detail, field } => error(status, &detail, field.as_deref()),
        }
    }
}

pub(super) fn unprocessable(detail: &str, field: &str) -> Refusal {
    Refusal::Error { status: StatusCode::UNPROCESSABLE_ENTITY, detail: detail.into(), field: Some(field.into()) }
}

/// What a provider that is down answers: no JSON, as from a load balancer.
pub(super) fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/plain")], "Service Unavailable").into_response()
}

/// Down, or a key that is not a test key: the answer to give instead.
pub(super) fn gate(fake: &FakeMollie, headers: &HeaderMap) -> Result<(), Refusal> {
    if fake.state().down {
        return Err(Refusal::Unavailable);
    }
    let key = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    match key.strip_prefix("test_") {
        Some(rest) if !rest.is_empty() => Ok(()),
        _ => Err(Refusal::Error {
            status: StatusCode::UNAUTHORIZED,
            detail: "Missing authentication, or failed to authenticate".into(),
            field: None,
        }),
    }
}

pub(super) fn json_body(body: &Bytes) -> Result<Value, Refusal> {
    match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(Refusal::Error { status: StatusCode::BAD_REQUEST, detail: "The request body is not valid JSON.".into(), field: None }),
    }
}

/// The answer stored for this key, if the key was used before: the same answer for the same
/// request, a refusal for a different one.
pub(super) fn replay(state: &FakeState, endpoint: &str, key: Option<&String>, request: &Value) -> Option<Response> {
    let (stored_request, answer) = state.idempotency.get(&(endpoint.to_owned(), key?.clone()))?;
    Some(if stored_request == request {
        hal(StatusCode::CREATED, answer)
    } else {
        unprocessable("The Idempotency-Key was already used for a different request.", "Idempotency-Key").into_response()
    })
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers.get("Idempotency-Key").and_then(|v| v.to_str().ok()).filter(|k| !k.is_empty()).map(str::to_owned)
}

/// `{"currency", "value"}` read as Mollie reads it.
fn amount(request: &Value) -> Result<(i64, String), Refusal> {
    let amount = &request["amount"];
    let (Some(currency), Some(value)) = (amount["currency"].as_str(), amount["value"].as_str()) else {
        return Err(unprocessable("The amount is required, as an object with a currency and a value.", "amount"));
    };
    if !CURRENCIES.contains(&currency) {
        return Err(unprocessable("The currency is not supported.", "amount"));
    }
    let cents = parse_amount(value, currency).map_err(|_| unprocessable("The amount contains an invalid value.", "amount"))?;
    if cents < 1 {
        return Err(unprocessable("The amount is lower than the minimum.", "amount"));
    }
    Ok((cents, currency.to_owned()))
}

/// An optional string field, refused if present but not a string (or not one of `allowed`).
pub(super) fn optional(request: &Value, field: &str, allowed: Option<&[&str]>) -> Result<Option<String>, Refusal> {
    match &request[field] {
        Value::Null => Ok(None),
        Value::String(s) if allowed.is_none_or(|allowed| allowed.contains(&s.as_str())) => Ok(Some(s.clone())),
        _ => Err(unprocessable(&format!("The {field} is invalid."), field)),
    }
}

fn url(request: &Value, field: &str, required: bool) -> Result<Option<String>, Refusal> {
    match optional(request, field, None)? {
        Some(u) if (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 2048 => Ok(Some(u)),
        None if !required => Ok(None),
        _ => Err(unprocessable(&format!("The {field} is invalid."), field)),
    }
}

pub(super) async fn create_payment(State(fake): State<FakeMollie>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(answer) => return answer.into_response(),
    };
    let key = idempotency_key(&headers);
    let mut state = fake.state();
    if let Some(answer) = replay(&state, "payments", key.as_ref(), &request) {
        return answer.into_response();
    }
    let failure = state.fail_next_create.take();
    if failure == Some(CreateFailure::Refuse) {
        return unavailable();
    }
    let payment = match new_payment(&state, &request) {
        Ok(payment) => payment,
        Err(answer) => return answer.into_response(),
    };
    let answer = payment_json(&state, &payment);
    // A recurring card or PayPal payment is charged at once, and Mollie calls its webhook.
    let paid_at_once = (payment.status == PaymentStatus::Paid).then(|| payment.id.clone());
    state.payments.push(payment);
    if let Some(key) = key {
        state.idempotency.insert(("payments".into(), key), (request, answer.clone()));
    }
    drop(state);
    if let Some(id) = paid_at_once {
        let fake = fake.clone();
        tokio::spawn(async move { fake.notify(&id, Subject::Payment(PaymentStatus::Paid), None).await });
    }
    if failure == Some(CreateFailure::LoseAnswer) {
        return unavailable();
    }
    hal(StatusCode::CREATED, &answer)
}

fn new_payment(state: &FakeState, request: &Value) -> Result<FakePayment, Refusal> {
    let (amount_cents, currency) = amount(request)?;
    let description = optional(request, "description", None)?.filter(|d| !d.trim().is_empty());
    let Some(description) = description else {
        return Err(unprocessable("The description is required.", "description"));
    };
    let method_ids: Vec<&str> = METHODS.iter().map(|m| m.0).collect();
    let metadata = request["metadata"].clone();
    if metadata.to_string().len() > 1024 {
        return Err(unprocessable("The metadata is larger than 1024 bytes.", "metadata"));
    }
    let sequence_type = recurring::sequence_type(request)?;
    let mut payment = FakePayment {
        id: new_id("tr_"),
        status: PaymentStatus::Open,
        amount_cents,
        currency,
        description: description.chars().take(255).collect(),
        // Only a recurring payment, which has no checkout, may leave it out.
        redirect_url: url(request, "redirectUrl", sequence_type != SequenceType::Recurring)?.unwrap_or_default(),
        webhook_url: url(request, "webhookUrl", false)?,
        metadata,
        method: optional(request, "method", Some(&method_ids))?,
        locale: optional(request, "locale", Some(&LOCALES))?,
        created_at: Timestamp::now(),
        paid_at: None,
        corrupt_amount: None,
        sequence_type,
        customer_id: None,
        mandate_id: None,
    };
    recurring::attach(state, request, &mut payment)?;
    Ok(payment)
}

pub(super) async fn get_payment(State(fake): State<FakeMollie>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    match state.payment(&id) {
        Ok(payment) => hal(StatusCode::OK, &payment_json(&state, payment)),
        Err(_) => not_found("payment", &id),
    }
}

fn not_found(what: &str, id: &str) -> Response {
    error(StatusCode::NOT_FOUND, &format!("No {what} exists with token {id}."), None)
}

pub(super) async fn list_methods(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let amount = match (query.get("amount[value]"), query.get("amount[currency]")) {
        (None, None) => None,
        (Some(value), Some(currency)) => match amount(&json!({ "amount": { "value": value, "currency": currency } })) {
            Ok(amount) => Some(amount),
            Err(answer) => return answer.into_response(),
        },
        _ => return unprocessable("The amount needs both a value and a currency.", "amount").into_response(),
    };
    let locale = query.get("locale").map(String::as_str).unwrap_or("en_US");
    if !LOCALES.contains(&locale) {
        return unprocessable("The locale is invalid.", "locale").into_response();
    }
    let language = match locale {
        l if l.starts_with("nl_") => 1,
        l if l.starts_with("it_") => 2,
        _ => 0,
    };
    let state = fake.state();
    let base = &state.public_base;
    let fits = |&&(_, _, min, max, euro_only): &&(&str, [&str; 3], i64, i64, bool)| match &amount {
        None => true,
        Some((cents, currency)) => (*cents >= min && *cents <= max) && (!euro_only || currency == "EUR"),
    };
    let methods: Vec<Value> = METHODS
        .iter()
        .filter(fits)
        .map(|&(id, names, min, max, _)| {
            let svg = format!("{base}/icons/{id}.svg");
            json!({
                "resource": "method",
                "id": id,
                "description": names[language],
                "minimumAmount": money(min, "EUR"),
                "maximumAmount": money(max, "EUR"),
                "image": { "size1x": svg, "size2x": svg, "svg": svg },
                "status": "activated",
                "_links": { "self": link(&format!("{base}/v2/methods/{id}")) },
            })
        })
        .collect();
    hal(
        StatusCode::OK,
        &json!({
            "count": methods.len(),
            "_embedded": { "methods": methods },
            "_links": { "self": link(&format!("{base}/v2/methods")), "documentation": docs_link() },
        }),
    )
}

pub(super) async fn create_refund(State(fake): State<FakeMollie>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(answer) => return answer.into_response(),
    };
    let key = idempotency_key(&headers);
    let endpoint = format!("payments/{id}/refunds");
    let (answer, refund_id, refunded_at_once) = {
        let mut state = fake.state();
        if let Some(answer) = replay(&state, &endpoint, key.as_ref(), &request) {
            return answer.into_response();
        }
        let Ok(payment) = state.payment(&id) else {
            return not_found("payment", &id);
        };
        if payment.status != PaymentStatus::Paid {
            return unprocessable("The payment is not refundable.", "amount").into_response();
        }
        let (amount_cents, currency) = match amount(&request) {
            Ok(amount) => amount,
            Err(answer) => return answer.into_response(),
        };
        if currency != payment.currency {
            return unprocessable("The currency of the refund differs from the payment's.", "amount").into_response();
        }
        let remaining = payment.amount_cents - state.refunded(&id) - state.charged_back(&id);
        if amount_cents > remaining {
            return unprocessable("The amount is higher than the amount that remains to be refunded.", "amount").into_response();
        }
        let description = match optional(&request, "description", None) {
            Ok(description) => description.unwrap_or_default(),
            Err(answer) => return answer.into_response(),
        };
        let at_once = state.refunds_at_once;
        let refund = FakeRefund {
            id: new_id("re_"),
            payment_id: id.clone(),
            amount_cents,
            currency,
            description,
            status: if at_once { RefundStatus::Refunded } else { RefundStatus::Pending },
            created_at: Timestamp::now(),
        };
        let answer = refund_json(&state, &refund);
        let refund_id = refund.id.clone();
        state.refunds.push(refund);
        if let Some(key) = key {
            state.idempotency.insert((endpoint, key), (request, answer.clone()));
        }
        (answer, refund_id, at_once)
    };
    if refunded_at_once {
        let fake = fake.clone();
        tokio::spawn(async move { fake.notify(&id, Subject::Refund(refund_id, RefundStatus::Refunded), None).await });
    }
    hal(StatusCode::CREATED, &answer)
}

pub(super) async fn list_refunds(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    if state.payment(&id).is_err() {
        return not_found("payment", &id);
    }
    let items = state.refunds.iter().filter(|r| r.payment_id == id).map(|r| (r.id.clone(), refund_json(&state, r))).collect();
    page(&state, items, "refunds", &format!("{}/v2/payments/{id}/refunds", state.public_base), &query)
}

pub(super) async fn list_chargebacks(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    if state.payment(&id).is_err() {
        return not_found("payment", &id);
    }
    let items = state.chargebacks.iter().filter(|c| c.payment_id == id).map(|c| (c.id.clone(), chargeback_json(&state, c))).collect();
    page(&state, items, "chargebacks", &format!("{}/v2/payments/{id}/chargebacks", state.public_base), &query)
}

/// One page of a list, Mollie's way: `limit` (default 50, at most 250) items from the one
/// named `from`, and a `next` link while more follow.
pub(super) fn page(state: &FakeState, items: Vec<(String, Value)>, key: &str, self_url: &str, query: &HashMap<String, String>) -> Response {
    let limit = query.get("limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(50).clamp(1, 250).min(state.page_size);
    let start = match query.get("from") {
        None => 0,
        Some(from) => match items.iter().position(|(id, _)| id == from) {
            Some(start) => start,
            None => return error(StatusCode::BAD_REQUEST, "The 'from' parameter names no item of this list.", Some("from")),
        },
    };
    let shown: Vec<&Value> = items[start..].iter().take(limit).map(|(_, item)| item).collect();
    let next = items.get(start + limit).map_or(Value::Null, |(id, _)| link(&format!("{self_url}?from={id}&limit={limit}")));
    hal(
        StatusCode::OK,
        &json!({
            "count": shown.len(),
            "_embedded": { key: shown },
            "_links": { "self": link(self_url), "previous": null, "next": next, "documentation": docs_link() },
        }),
    )
}

pub(super) fn link(href: &str) -> Value {
    json!({ "href": href, "type": "application/hal+json" })
}

fn docs_link() -> Value {
    json!({ "href": "https://docs.mollie.com/reference/payments-api", "type": "text/html" })
}

fn money(cents: i64, currency: &str) -> Value {
    json!({ "value": format_amount(cents, currency).unwrap_or_default(), "currency": currency })
}

/// A payment as Mollie's Get payment answers it.
pub(crate) fn payment_json(state: &FakeState, p: &FakePayment) -> Value {
    let base = &state.public_base;
    let self_url = format!("{base}/v2/payments/{}", p.id);
    let mut amount = money(p.amount_cents, &p.currency);
    if let Some(corrupt) = &p.corrupt_amount {
        amount["value"] = json!(corrupt);
    }
    let mut body = json!({
        "resource": "payment",
        "id": p.id,
        "mode": "test",
        "createdAt": mollie_time(p.created_at),
        "amount": amount,
        "description": p.description,
        "method": p.method,
        "metadata": p.metadata,
        "status": p.status.as_str(),
        "isCancelable": false,
        "profileId": "pfl_FakeMollie",
        "sequenceType": p.sequence_type.as_str(),
        "redirectUrl": Some(&p.redirect_url).filter(|u| !u.is_empty()),
        "_links": {
            "self": link(&self_url),
            "dashboard": { "href": format!("{base}/checkout/{}", p.id), "type": "text/html" },
            "documentation": { "href": "https://docs.mollie.com/reference/get-payment", "type": "text/html" },
        },
    });
    let optional = [
        ("webhookUrl", p.webhook_url.clone()),
        ("locale", p.locale.clone()),
        ("customerId", p.customer_id.clone()),
        ("mandateId", p.mandate_id.clone()),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            body[field] = json!(value);
        }
    }
    if let Some(customer_id) = &p.customer_id {
        let customer_url = format!("{base}/v2/customers/{customer_id}");
        if let Some(mandate_id) = &p.mandate_id {
            body["_links"]["mandate"] = link(&format!("{customer_url}/mandates/{mandate_id}"));
        }
        body["_links"]["customer"] = link(&customer_url);
    }
    if p.status == PaymentStatus::Open {
        body["expiresAt"] = json!(p.created_at.checked_add(SignedDuration::from_mins(15)).map(mollie_time).ok());
        body["_links"]["checkout"] = json!({ "href": format!("{base}/checkout/{}", p.id), "type": "text/html" });
    }
    // Mollie's test mode links a recurring payment, which has no checkout, to a page where its
    // outcome is chosen; the fake's checkout page does that.
    if p.sequence_type == SequenceType::Recurring && !p.status.is_final() {
        body["_links"]["changePaymentState"] = json!({ "href": format!("{base}/checkout/{}", p.id), "type": "text/html" });
    }
    if let Some(paid_at) = p.paid_at {
        body["paidAt"] = json!(mollie_time(paid_at));
    }
    if p.status == PaymentStatus::Paid {
        let refunded = state.refunded(&p.id);
        let charged_back = state.charged_back(&p.id);
        body["amountRefunded"] = money(refunded, &p.currency);
        body["amountRemaining"] = money(p.amount_cents - refunded - charged_back, &p.currency);
        body["_links"]["refunds"] = link(&format!("{self_url}/refunds"));
        if charged_back > 0 {
            body["amountChargedBack"] = money(charged_back, &p.currency);
            body["_links"]["chargebacks"] = link(&format!("{self_url}/chargebacks"));
        }
    }
    body
}

/// A refund as Mollie's Get payment refund answers it.
pub(crate) fn refund_json(state: &FakeState, r: &FakeRefund) -> Value {
    let payment_url = format!("{}/v2/payments/{}", state.public_base, r.payment_id);
    json!({
        "resource": "refund",
        "id": r.id,
        "mode": "test",
        "amount": money(r.amount_cents, &r.currency),
        "settlementAmount": money(-r.amount_cents, &r.currency),
        "status": r.status.as_str(),
        "description": r.description,
        "metadata": null,
        "paymentId": r.payment_id,
        "createdAt": mollie_time(r.created_at),
        "_links": {
            "self": link(&format!("{payment_url}/refunds/{}", r.id)),
            "payment": link(&payment_url),
            "documentation": { "href": "https://docs.mollie.com/reference/get-refund", "type": "text/html" },
        },
    })
}

/// A chargeback as Mollie's Get payment chargeback answers it. Banks give a reason only for
/// SEPA Direct Debit.
pub(crate) fn chargeback_json(state: &FakeState, c: &FakeChargeback) -> Value {
    let payment_url = format!("{}/v2/payments/{}", state.public_base, c.payment_id);
    let direct_debit = state.payment(&c.payment_id).is_ok_and(|p| p.method.as_deref() == Some("directdebit"));
    let mut body = json!({
        "resource": "chargeback",
        "id": c.id,
        "amount": money(c.amount_cents, &c.currency),
        "settlementAmount": money(-c.amount_cents, &c.currency),
        "createdAt": mollie_time(c.created_at),
        "reversedAt": null,
        "paymentId": c.payment_id,
        "_links": {
            "self": link(&format!("{payment_url}/chargebacks/{}", c.id)),
            "payment": link(&payment_url),
            "documentation": { "href": "https://docs.mollie.com/reference/get-chargeback", "type": "text/html" },
        },
    });
    if direct_debit {
        body["reason"] = json!({ "code": "MD06", "description": "Refund request by end customer" });
    }
    body
}
