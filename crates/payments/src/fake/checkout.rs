//! FakeMollie's pages: the checkout a customer is sent to (where a person picks what happens
//! instead of paying), the method icons, and the controls under `/_fake/` for trying the demo.
//! The pages have no script and no inline style, so a strict Content-Security-Policy of the
//! server they are mounted in lets them through.

use std::collections::HashMap;
use std::time::Duration;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use super::api::METHODS;
use super::{FakeMollie, Subject, recurring};
use crate::amount::format_amount;
use crate::{PaymentStatus, SequenceType};

/// How long the checkout waits for the first webhook attempt before sending the browser back.
const FIRST_ATTEMPT_WAIT: Duration = Duration::from_secs(20);

pub(super) async fn page(State(fake): State<FakeMollie>, Path(id): Path<String>) -> Response {
    let state = fake.state();
    let Ok(payment) = state.payment(&id) else {
        return (StatusCode::NOT_FOUND, Html(layout("Unknown payment", "<p>There is no such payment.</p>"))).into_response();
    };
    let amount = format_amount(payment.amount_cents, &payment.currency).unwrap_or_default();
    let summary = format!(
        "<dl><dt>Amount</dt><dd>{} {}</dd><dt>Description</dt><dd>{}</dd><dt>Payment</dt><dd>{}</dd></dl>",
        escape(&payment.currency),
        escape(&amount),
        escape(&payment.description),
        escape(&payment.id),
    );
    let summary = match payment.sequence_type {
        SequenceType::OneOff => summary,
        SequenceType::First => {
            format!("{summary}<p>A first payment: paying it lets the shop collect later payments from this account or card.</p>")
        }
        SequenceType::Recurring => format!("{summary}<p>A recurring payment, collected with a mandate: choose what the bank answers.</p>"),
    };
    let body = if payment.status.is_final() {
        let back = match payment.redirect_url.as_str() {
            "" => String::new(),
            url => format!("<p><a href=\"{}\">Back to the shop</a></p>", escape(url)),
        };
        format!("{summary}<p>This payment is <strong>{}</strong>.</p>{back}", payment.status.as_str())
    } else {
        let options: String = METHODS
            .iter()
            .filter(|m| recurring::offered(payment, m.0))
            .map(|m| format!("<option value=\"{}\">{}</option>", m.0, escape(m.1[0])))
            .collect();
        let buttons: String = [PaymentStatus::Paid, PaymentStatus::Failed, PaymentStatus::Canceled, PaymentStatus::Expired]
            .iter()
            .map(|s| {
                let label = match s {
                    PaymentStatus::Paid => "Paid",
                    PaymentStatus::Failed => "Failed",
                    PaymentStatus::Canceled => "Canceled",
                    _ => "Expired",
                };
                format!("<button type=\"submit\" name=\"status\" value=\"{}\">{label}</button> ", s.as_str())
            })
            .collect();
        format!(
            "{summary}<form method=\"post\" action=\"{}/checkout/{}\"><p><label>Method <select name=\"method\">{options}</select></label></p>\
             <p>What happens to this payment?</p><p>{buttons}</p></form>",
            escape(&state.public_base),
            escape(&payment.id)
        )
    };
    Html(layout("Test payment", &body)).into_response()
}

/// A choice on the checkout page: the status is set, the webhook called as Mollie calls it,
/// and the browser sent back to the `redirectUrl` once the first attempt is over (the rest of
/// the retries go on in the background), so the shop usually knows before the customer is back.
/// A recurring payment has no shop to go back to: the page tells what was chosen instead.
pub(super) async fn choose(State(fake): State<FakeMollie>, Path(id): Path<String>, Form(form): Form<HashMap<String, String>>) -> Response {
    let status = form.get("status").and_then(|s| PaymentStatus::parse(s));
    let Some(status @ (PaymentStatus::Paid | PaymentStatus::Failed | PaymentStatus::Canceled | PaymentStatus::Expired)) = status else {
        return (StatusCode::BAD_REQUEST, Html(layout("Test payment", "<p>Choose one of the buttons.</p>"))).into_response();
    };
    let (redirect_url, method) = match fake.state().payment(&id) {
        Ok(payment) => {
            let method = form.get("method").filter(|m| METHODS.iter().any(|known| known.0 == m.as_str()) && recurring::offered(payment, m));
            (payment.redirect_url.clone(), method)
        }
        Err(_) => return (StatusCode::NOT_FOUND, Html(layout("Unknown payment", "<p>There is no such payment.</p>"))).into_response(),
    };
    // A payment already final (a second click, the back button) is not changed; the customer
    // simply goes back to the shop.
    if fake.change_status(&id, status, method.map(String::as_str)).is_ok() {
        let (first_attempt, first_attempt_over) = tokio::sync::oneshot::channel();
        let (notifier, payment_id) = (fake.clone(), id.clone());
        tokio::spawn(async move { notifier.notify(&payment_id, Subject::Payment(status), Some(first_attempt)).await });
        let _ = tokio::time::timeout(FIRST_ATTEMPT_WAIT, first_attempt_over).await;
    }
    if redirect_url.is_empty() {
        let now = fake.state().payment(&id).map(|p| p.status.as_str()).unwrap_or("unknown");
        return Html(layout("Test payment", &format!("<p>This payment is <strong>{now}</strong>.</p>"))).into_response();
    }
    Redirect::to(&redirect_url).into_response()
}

/// A method's icon: its name on a card, enough for a demo.
pub(super) async fn icon(Path(file): Path<String>) -> Response {
    let Some(method) = file.strip_suffix(".svg").and_then(|id| METHODS.iter().find(|m| m.0 == id)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"48\" viewBox=\"0 0 64 48\">\
         <rect x=\"1\" y=\"1\" width=\"62\" height=\"46\" rx=\"6\" fill=\"#fff\" stroke=\"#444\"/>\
         <text x=\"32\" y=\"29\" font-family=\"sans-serif\" font-size=\"9\" text-anchor=\"middle\">{}</text></svg>",
        escape(method.1[0].split(" |").next().unwrap_or(method.0))
    );
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// `POST /_fake/payments/{id}/status` with `status=paid` (or any status).
pub(super) async fn control_status(
    State(fake): State<FakeMollie>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(status) = form.get("status").and_then(|s| PaymentStatus::parse(s)) else {
        return (StatusCode::BAD_REQUEST, "status must be one of open, pending, authorized, paid, canceled, expired, failed")
            .into_response();
    };
    answer(fake.set_status(&id, status).await.map(|delivered| json!({ "id": id, "status": status.as_str(), "delivered": delivered })))
}

/// `POST /_fake/payments/{id}/chargebacks` with `amount=10.00`.
pub(super) async fn control_chargeback(
    State(fake): State<FakeMollie>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let currency = fake.state().payment(&id).map(|p| p.currency.clone()).unwrap_or_else(|_| "EUR".into());
    let Some(cents) = form.get("amount").and_then(|a| crate::amount::parse_amount(a, &currency).ok()) else {
        return (StatusCode::BAD_REQUEST, "amount must be an amount like 10.00").into_response();
    };
    answer(fake.add_chargeback(&id, cents).await.map(|chargeback| json!({ "id": chargeback, "paymentId": id })))
}

/// `POST /_fake/refunds/{id}/complete`.
pub(super) async fn control_refund(State(fake): State<FakeMollie>, Path(id): Path<String>) -> Response {
    answer(fake.complete_refund(&id).await.map(|delivered| json!({ "id": id, "status": "refunded", "delivered": delivered })))
}

/// `POST /_fake/down` with `down=true` or `down=false`.
pub(super) async fn control_down(State(fake): State<FakeMollie>, Form(form): Form<HashMap<String, String>>) -> Response {
    let down = form.get("down").is_some_and(|d| d == "true");
    fake.set_down(down);
    axum::Json(json!({ "down": down })).into_response()
}

/// `GET /_fake/deliveries`: every webhook attempt.
pub(super) async fn control_deliveries(State(fake): State<FakeMollie>) -> Response {
    let deliveries: Vec<_> = fake
        .deliveries()
        .into_iter()
        .map(|d| {
            json!({
                "kind": format!("{:?}", d.kind), "paymentId": d.payment_id, "eventType": d.event_type, "url": d.url,
                "attempt": d.attempt, "status": d.status, "error": d.error, "at": d.at.to_string(),
            })
        })
        .collect();
    axum::Json(json!({ "deliveries": deliveries })).into_response()
}

fn answer(result: Result<serde_json::Value, super::FakeError>) -> Response {
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(
            e @ (super::FakeError::UnknownPayment(_)
            | super::FakeError::UnknownRefund(_)
            | super::FakeError::UnknownCustomer(_)
            | super::FakeError::UnknownMandate(_)),
        ) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
        Err(e) => (StatusCode::CONFLICT, e.to_string()).into_response(),
    }
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · FakeMollie</title></head><body><main><h1>{title}</h1>\
         <p><strong>Local test payment provider (FakeMollie): no real money moves.</strong></p>{body}</main></body></html>"
    )
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
