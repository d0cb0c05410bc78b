//! Online payment in the panel and the provider's webhook. "Pay now" on an open invoice sends
//! the customer to the provider's checkout; coming back shows what the provider has told Loket
//! so far (never books anything). The webhook only names a payment: it is fetched from the
//! provider's API by a job, and only what the API says is booked. Staff refund from the
//! invoice page.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use loket_app::AppError;
use loket_domain::Money;
use loket_domain::access::Permission;
use loket_i18n::{t, t_args};
use loket_payments::webhook;
use loket_store::accounts::Session;
use loket_store::audit::{Actor, ActorKind};
use loket_store::billing::documents::Document;
use serde_json::{Value, json};

use super::customer::{Viewer, member_card};
use crate::http::extract::{Fields, amount_field, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, Staff, check_csrf};
use crate::{AppState, Lang, WebError};
use loket_domain::access::StaffAction;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/invoices/{invoice}/pay", post(pay))
        .route("/webhooks/payments", post(webhook))
        .route("/staff/customers/{id}/invoices/{invoice}/online/{payment}/refund", post(refund))
        .route("/customers/{id}/automatic-payment/stop", post(stop_automatic))
        .route("/staff/customers/{id}/automatic-payment/stop", post(staff_stop_automatic))
}

/// Mollie's locale for the reader's language.
fn locale(lang: Lang) -> &'static str {
    match lang.lang.code() {
        "nl" => "nl_NL",
        "it" => "it_IT",
        _ => "en_US",
    }
}

/// What the invoice page shows of online payment: the "Pay now" form with the methods (for the
/// card's users, on an open invoice), the status after coming back from the checkout, and the
/// online payments with their refunds and chargebacks (staff see them all).
pub(super) async fn invoice_online(
    state: &AppState,
    lang: Lang,
    doc: &Document,
    viewer: Viewer,
    returned: Option<&str>,
) -> Result<Value, WebError> {
    let Some(_) = state.app.online() else { return Ok(json!(null)) };
    let staff = viewer == Viewer::Staff;
    let f = crate::pages::billing::customer::Fmt::new(lang, doc.currency);
    let open = doc.open_amount();
    let payable = viewer == Viewer::Payer
        && doc.kind != loket_domain::billing::document::DocKind::CreditNote
        && doc.state.name() == "open"
        && open > 0;
    // A card without automatic payment is offered it with the payment.
    let offer_automatic =
        payable && state.app.automatic_payment(doc.customer_id).await?.is_none_or(|c| c.mandate_state.as_deref() != Some("valid"));
    let methods = if payable {
        // The methods are a nicety: without them the provider's checkout lets the customer choose.
        state.app.payment_methods(Money::new(open, doc.currency), locale(lang)).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut payments = state.app.online_payments_of(doc.id).await?;
    // The online payment the customer came back from (a number that is not one is ignored).
    let returned = returned.and_then(|r| r.parse::<i64>().ok());
    if let Some((p, _)) = returned.and_then(|id| payments.iter().find(|(p, _)| p.id == id))
        && !matches!(p.status.as_str(), "paid" | "failed" | "canceled" | "expired")
    {
        // Fetched from the provider as a webhook would have it; a failure only delays that.
        if let Err(e) = state.app.online_payment_returned(p.id).await {
            tracing::warn!(error = %e, "online payment not asked for after the return");
        }
        payments = state.app.online_payments_of(doc.id).await?;
    }
    let returned = returned.and_then(|id| payments.iter().find(|(p, _)| p.id == id)).map(|(p, _)| {
        // Paid is what the invoice as read for this page says (booked a moment later, the page
        // says "waiting" and reloads), so the status and the Pay now form never disagree.
        let state = match (doc.state.name(), p.status.as_str()) {
            ("paid", _) => "paid",
            (_, "failed" | "canceled" | "expired") => "failed",
            _ => "waiting",
        };
        json!({"state": state})
    });
    let list: Vec<Value> = payments
        .iter()
        .filter(|(p, _)| staff || p.payment_id.is_some())
        .map(|(p, events)| {
            json!({
                "id": p.id,
                "provider_id": p.provider_payment_id,
                "amount": f.money(p.amount),
                "status": p.status,
                "method": p.method,
                "booked": p.payment_id.is_some(),
                "when": f.date(p.created_at.to_zoned(state.provider.tz()).date()),
                "refundable": staff && p.payment_id.is_some() && p.amount > p.refunded + p.charged_back,
                "events": events.iter().map(|e| json!({"kind": e.kind, "amount": f.money(e.amount), "status": e.status, "reason": e.reason, "booked": e.payment_id.is_some()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({
        "offer_automatic": offer_automatic,
        "payable": payable,
        "methods": methods,
        "returned": returned,
        "payments": list,
    }))
}

fn actor(session: &Session) -> Actor {
    Actor::new(ActorKind::User, session.user.id.to_string())
}

/// A page saying why paying online did not start, with the way to pay by bank transfer.
fn not_started(state: &AppState, lang: Lang, session: &Session, status: StatusCode, detail: Option<String>, customer_id: i64) -> Response {
    let text = match &state.provider.iban {
        Some(iban) => t_args(lang.lang, "pay-failed-text-iban", &[("iban", iban)]),
        None => t(lang.lang, "pay-failed-text"),
    };
    let data = json!({ "title": "pay-failed-title", "text": text, "detail": detail, "customer_id": customer_id });
    render_page(state, lang, Some(session), "billing/result.html.j2", status, data)
}

/// "Pay now": a checkout for what is open, and the customer sent there.
async fn pay(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, invoice)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let started = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (customer, _) = member_card(&state, &session, &id, Permission::PayInvoices).await?;
        let invoice: i64 = invoice.parse().map_err(|_| WebError::NotFound)?;
        let method = Some(field(&form, "method")).filter(|m| !m.is_empty());
        let result = if field(&form, "automatic") == "true" {
            state.app.start_automatic_payment(&actor(&session), customer.id, invoice, method, locale(lang)).await
        } else {
            state.app.start_online_payment(&actor(&session), customer.id, invoice, method, locale(lang)).await
        };
        Ok::<_, WebError>((customer.id, result))
    }
    .await;
    match started {
        Ok((_, Ok(url))) => Redirect::to(&url).into_response(),
        Ok((customer, Err(e @ (AppError::Unavailable(_) | AppError::Refused(_) | AppError::Conflict(_))))) => {
            // Unreachable says it all; a refusal shows the provider's or the engine's reason.
            let (status, detail) = match e {
                AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, None),
                other => (StatusCode::CONFLICT, Some(other.to_string())),
            };
            not_started(&state, lang, &session, status, detail, customer)
        }
        Ok((_, Err(e))) => error_page(WebError::from(e)),
        Err(e) => error_page(e),
    }
}

/// The provider's webhook: a classic one (`id=tr_…`, unsigned) or a signed event. Answers 200
/// for any payment id, ours or not (nothing to learn by probing); only a bad signature or a
/// body that names nothing is refused.
async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(online) = state.app.online() else { return (StatusCode::NOT_FOUND, "online payment is not configured").into_response() };
    let signature = headers.get(webhook::SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let payment = match (signature, online.webhook_secret.as_deref()) {
        (Some(sig), Some(secret)) => match webhook::parse_signed_event(secret, &body, sig) {
            Ok(event) => event.payment_id,
            Err(e) => return (StatusCode::UNAUTHORIZED, e.to_string()).into_response(),
        },
        (Some(_), None) => return (StatusCode::UNAUTHORIZED, "signed webhooks are not set up (payments.webhook_secret)").into_response(),
        (None, _) => match webhook::parse_classic_webhook(&body) {
            Ok(id) => Some(id.to_string()),
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        },
    };
    let Some(payment) = payment else { return StatusCode::OK.into_response() };
    match state.app.online_payment_webhook(&payment).await {
        Ok(_) => StatusCode::OK.into_response(),
        // The provider calls again later.
        Err(e) => {
            tracing::warn!(error = %e, "payment webhook not recorded");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Staff refund (part of) an online payment through the provider.
async fn refund(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, invoice, payment)): Path<(String, String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageBilling)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let doc: i64 = invoice.parse().map_err(|_| WebError::NotFound)?;
        let pid: i64 = payment.parse().map_err(|_| WebError::NotFound)?;
        let payments = state.app.online_payments_of(doc).await?;
        let (p, _) = payments.iter().find(|(p, _)| p.id == pid && p.customer_id == cid).ok_or(WebError::NotFound)?;
        state.app.refund_online_payment(&staff.actor(), p.id, &amount_field(&form, "amount")).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{cid}/invoices/{doc}?refund=sent")).into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// A card's automatic payment as the billing page shows it: on (with the account it collects
/// from) or nothing; `may_stop` for staff and users who manage the card's billing.
pub(super) async fn automatic(state: &AppState, customer_id: i64, may_stop: bool) -> Result<Value, WebError> {
    if state.app.online().is_none() {
        return Ok(json!(null));
    }
    Ok(match state.app.automatic_payment(customer_id).await? {
        Some(c) if c.mandate_state.as_deref() == Some("valid") => {
            json!({"method": c.method, "account": c.consumer_account.unwrap_or_default(), "may_stop": may_stop})
        }
        _ => json!(null),
    })
}

/// A card's user switches automatic payment off.
async fn stop_automatic(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (customer, _) = member_card(&state, &session, &id, Permission::PayInvoices).await?;
        state.app.stop_automatic_payment(&actor(&session), customer.id).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/customers/{}/billing", customer.id)).into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// Staff switch a card's automatic payment off (the customer asked by phone or letter).
async fn staff_stop_automatic(State(state): State<AppState>, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageBilling)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
        state.app.stop_automatic_payment(&staff.actor(), cid).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{cid}/billing")).into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}
