//! FakeMollie's recurring payments: customers, mandates, and the rules Mollie applies to first
//! and recurring payments.
//!
//! As at Mollie: a first payment names an existing customer and goes through the checkout like
//! any other; once it is paid the customer has a `valid` mandate — `creditcard` for a card,
//! `paypal` for PayPal, `directdebit` for every bank method (iDEAL, Bancontact) — and the
//! payment's `mandateId` names it. A recurring payment names the customer and optionally a
//! mandate (else the newest valid one is taken), has no checkout, and starts `pending` for
//! direct debit (the bank collects it in days; a test settles it with `set_status`) or `paid`
//! for a card or PayPal (charged at once, webhook called). A revoked mandate is gone: listing
//! leaves it out, fetching or using it answers 410 Gone.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Value, json};

use super::api::{LOCALES, Refusal, error, gate, hal, idempotency_key, json_body, link, optional, page, replay, unprocessable};
use super::{FakeError, FakeMollie, FakePayment, State as FakeState, mollie_time, new_id};
use crate::{Mandate, MandateStatus, PaymentStatus, SequenceType};

/// The methods a first payment may be made with (Mollie's list, as far as the fake offers the
/// methods): SEPA Direct Debit itself is not one — a bank method's payment gives that mandate.
const FIRST_METHODS: [&str; 4] = ["ideal", "creditcard", "bancontact", "paypal"];

/// Mollie's example account holder and account in test mode.
const TEST_HOLDER: &str = "T. TEST";
const TEST_IBAN: &str = "NL55INGB0000000000";
const TEST_BIC: &str = "INGBNL2A";
const TEST_CARD_LAST_DIGITS: &str = "6787";
const TEST_PAYPAL_ACCOUNT: &str = "test-buyer@example.com";

pub(crate) struct FakeCustomer {
    pub(super) id: String,
    name: Option<String>,
    email: Option<String>,
    locale: Option<String>,
    metadata: Value,
    created_at: Timestamp,
}

pub(crate) struct FakeMandate {
    pub(super) id: String,
    pub(super) customer_id: String,
    pub(super) status: MandateStatus,
    pub(super) method: String,
    consumer_name: String,
    consumer_account: String,
    consumer_bic: Option<String>,
    signature_date: Date,
    mandate_reference: String,
    created_at: Timestamp,
    /// Revoked through the API: kept only to answer 410 Gone instead of 404.
    pub(super) revoked: bool,
}

impl FakeMandate {
    fn to_model(&self) -> Mandate {
        Mandate {
            id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            status: self.status,
            method: self.method.clone(),
            consumer_name: Some(self.consumer_name.clone()),
            consumer_account: Some(self.consumer_account.clone()),
            consumer_bic: self.consumer_bic.clone(),
            signature_date: Some(self.signature_date),
            mandate_reference: Some(self.mandate_reference.clone()),
            created_at: self.created_at,
        }
    }
}

impl FakeMollie {
    /// The customer's mandates as Mollie lists them (newest first, revoked ones left out).
    pub fn mandates(&self, customer_id: &str) -> Vec<Mandate> {
        self.state().listed_mandates(customer_id).map(FakeMandate::to_model).collect()
    }

    /// Makes a mandate `invalid`, as when the bank reports the account closed or a card expires:
    /// it stays listed, but recurring payments with it are refused.
    pub fn invalidate_mandate(&self, customer_id: &str, mandate_id: &str) -> Result<(), FakeError> {
        let mut state = self.state();
        if !state.customers.iter().any(|c| c.id == customer_id) {
            return Err(FakeError::UnknownCustomer(customer_id.to_owned()));
        }
        let mandate = state
            .mandates
            .iter_mut()
            .find(|m| m.id == mandate_id && m.customer_id == customer_id && !m.revoked)
            .ok_or_else(|| FakeError::UnknownMandate(mandate_id.to_owned()))?;
        mandate.status = MandateStatus::Invalid;
        Ok(())
    }
}

impl FakeState {
    /// A customer's mandates newest first, revoked ones left out.
    fn listed_mandates<'a>(&'a self, customer_id: &'a str) -> impl Iterator<Item = &'a FakeMandate> + 'a {
        self.mandates.iter().rev().filter(move |m| m.customer_id == customer_id && !m.revoked)
    }

    fn has_customer(&self, id: &str) -> bool {
        self.customers.iter().any(|c| c.id == id)
    }
}

/// `sequenceType` as Mollie reads it: absent is `oneoff`.
pub(super) fn sequence_type(request: &Value) -> Result<SequenceType, Refusal> {
    let allowed = SequenceType::ALL.map(SequenceType::as_str);
    Ok(optional(request, "sequenceType", Some(&allowed))?.and_then(|s| SequenceType::parse(&s)).unwrap_or_default())
}

/// Checks a new payment's customer and mandate against the sequence type and, for a recurring
/// payment, takes the mandate and sets what collecting with it gives: the method and the status.
pub(super) fn attach(state: &FakeState, request: &Value, payment: &mut FakePayment) -> Result<(), Refusal> {
    let customer_id = optional(request, "customerId", None)?;
    if let Some(id) = &customer_id
        && !state.has_customer(id)
    {
        return Err(unprocessable(&format!("No customer exists with token {id}."), "customerId"));
    }
    let mandate_id = optional(request, "mandateId", None)?;
    payment.customer_id = customer_id.clone();
    let customer_required = || unprocessable("A customer is required for this sequence type.", "customerId");
    match payment.sequence_type {
        SequenceType::OneOff | SequenceType::First if mandate_id.is_some() => {
            Err(unprocessable("A mandate can only be given for a recurring payment.", "mandateId"))
        }
        SequenceType::OneOff => Ok(()),
        SequenceType::First => {
            if customer_id.is_none() {
                return Err(customer_required());
            }
            if payment.method.as_deref().is_some_and(|m| !FIRST_METHODS.contains(&m)) {
                return Err(unprocessable("The payment method does not support first payments.", "method"));
            }
            Ok(())
        }
        SequenceType::Recurring => {
            let customer_id = customer_id.ok_or_else(customer_required)?;
            let mandate = choose_mandate(state, &customer_id, mandate_id.as_deref(), payment.method.as_deref())?;
            payment.method = Some(mandate.method.clone());
            payment.mandate_id = Some(mandate.id.clone());
            if mandate.method == "directdebit" {
                payment.status = PaymentStatus::Pending;
            } else {
                payment.status = PaymentStatus::Paid;
                payment.paid_at = Some(Timestamp::now());
            }
            Ok(())
        }
    }
}

/// The mandate a recurring payment is collected with: the one named, if it is valid (and of the
/// method asked for), else the customer's newest valid one.
fn choose_mandate<'s>(
    state: &'s FakeState,
    customer_id: &'s str,
    mandate_id: Option<&str>,
    method: Option<&str>,
) -> Result<&'s FakeMandate, Refusal> {
    let fits = |m: &FakeMandate| m.status == MandateStatus::Valid && method.is_none_or(|method| method == m.method);
    let Some(mandate_id) = mandate_id else {
        return state.listed_mandates(customer_id).find(|m| fits(m)).ok_or_else(|| match method {
            Some(_) => unprocessable("No suitable mandates found for method.", "method"),
            None => unprocessable("No suitable mandates found for customer.", "customerId"),
        });
    };
    let Some(mandate) = state.mandates.iter().find(|m| m.id == mandate_id && m.customer_id == customer_id) else {
        return Err(unprocessable(&format!("No mandate exists with token {mandate_id} for this customer."), "mandateId"));
    };
    if mandate.revoked {
        return Err(Refusal::Error {
            status: StatusCode::GONE,
            detail: "The mandate is no longer available.".into(),
            field: Some("mandateId".into()),
        });
    }
    if !fits(mandate) {
        return Err(unprocessable("No suitable mandates found for customer.", "mandateId"));
    }
    Ok(mandate)
}

/// Whether the checkout offers `method` for this payment: a first payment only the methods
/// that can give a mandate, any payment only the method it was created with, if any.
pub(super) fn offered(payment: &FakePayment, method: &str) -> bool {
    let chosen = payment.method.as_deref().is_none_or(|chosen| chosen == method);
    chosen && (payment.sequence_type != SequenceType::First || FIRST_METHODS.contains(&method))
}

/// A first payment that became paid gives its customer a valid mandate, named on the payment.
pub(super) fn on_paid(state: &mut FakeState, payment_id: &str) {
    let Ok(payment) = state.payment(payment_id) else { return };
    let (SequenceType::First, None, Some(customer_id)) = (payment.sequence_type, &payment.mandate_id, &payment.customer_id) else {
        return;
    };
    let method = match payment.method.as_deref() {
        Some("creditcard") => "creditcard",
        Some("paypal") => "paypal",
        _ => "directdebit",
    };
    let (consumer_account, consumer_bic) = match method {
        "creditcard" => (TEST_CARD_LAST_DIGITS, None),
        "paypal" => (TEST_PAYPAL_ACCOUNT, None),
        _ => (TEST_IBAN, Some(TEST_BIC.to_owned())),
    };
    // To the second, as Mollie writes it, so the control and the API give the same mandate.
    let now = Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now());
    let id = new_id("mdt_");
    let mandate = FakeMandate {
        mandate_reference: format!("FAKE-{}", &id[4..]),
        id: id.clone(),
        customer_id: customer_id.clone(),
        status: MandateStatus::Valid,
        method: method.to_owned(),
        consumer_name: TEST_HOLDER.to_owned(),
        consumer_account: consumer_account.to_owned(),
        consumer_bic,
        signature_date: today(now),
        created_at: now,
        revoked: false,
    };
    state.mandates.push(mandate);
    if let Ok(payment) = state.payment_mut(payment_id) {
        payment.mandate_id = Some(id);
    }
}

/// The day in Amsterdam, where Mollie dates its mandates.
fn today(now: Timestamp) -> Date {
    now.in_tz("Europe/Amsterdam").map_or_else(|_| now.to_zoned(jiff::tz::TimeZone::UTC).date(), |zoned| zoned.date())
}

pub(super) async fn create_customer(State(fake): State<FakeMollie>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let request = match json_body(&body) {
        Ok(request) => request,
        Err(answer) => return answer.into_response(),
    };
    let key = idempotency_key(&headers);
    let mut state = fake.state();
    if let Some(answer) = replay(&state, "customers", key.as_ref(), &request) {
        return answer;
    }
    let customer = match new_customer(&request) {
        Ok(customer) => customer,
        Err(answer) => return answer.into_response(),
    };
    let answer = customer_json(&state, &customer);
    state.customers.push(customer);
    if let Some(key) = key {
        state.idempotency.insert(("customers".into(), key), (request, answer.clone()));
    }
    hal(StatusCode::CREATED, &answer)
}

fn new_customer(request: &Value) -> Result<FakeCustomer, Refusal> {
    let name = optional(request, "name", None)?.filter(|n| !n.trim().is_empty());
    let email = optional(request, "email", None)?.filter(|e| !e.is_empty());
    if let Some(email) = &email
        && !plausible_email(email)
    {
        return Err(unprocessable("The email address is invalid.", "email"));
    }
    let metadata = request["metadata"].clone();
    if metadata.to_string().len() > 1024 {
        return Err(unprocessable("The metadata is larger than 1024 bytes.", "metadata"));
    }
    Ok(FakeCustomer {
        id: new_id("cst_"),
        name: name.map(|n| n.chars().take(255).collect()),
        email,
        locale: optional(request, "locale", Some(&LOCALES))?,
        metadata,
        created_at: Timestamp::now(),
    })
}

/// One `@` with something on either side and no spaces: enough to catch a field mixed up.
fn plausible_email(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace) && email.len() <= 320
}

pub(super) async fn get_customer(State(fake): State<FakeMollie>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    match state.customers.iter().find(|c| c.id == id) {
        Some(customer) => hal(StatusCode::OK, &customer_json(&state, customer)),
        None => not_found("customer", &id),
    }
}

pub(super) async fn list_mandates(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    if !state.has_customer(&id) {
        return not_found("customer", &id);
    }
    let items = state.listed_mandates(&id).map(|m| (m.id.clone(), mandate_json(&state, m))).collect();
    page(&state, items, "mandates", &format!("{}/v2/customers/{id}/mandates", state.public_base), &query)
}

pub(super) async fn get_mandate(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Path((customer_id, id)): Path<(String, String)>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let state = fake.state();
    if !state.has_customer(&customer_id) {
        return not_found("customer", &customer_id);
    }
    match state.mandates.iter().find(|m| m.id == id && m.customer_id == customer_id) {
        None => not_found("mandate", &id),
        Some(m) if m.revoked => gone(),
        Some(m) => hal(StatusCode::OK, &mandate_json(&state, m)),
    }
}

/// `DELETE`: the mandate is revoked (and `invalid`), 204 without a body; once more, 410 Gone.
pub(super) async fn revoke_mandate(
    State(fake): State<FakeMollie>,
    headers: HeaderMap,
    Path((customer_id, id)): Path<(String, String)>,
) -> Response {
    if let Err(answer) = gate(&fake, &headers) {
        return answer.into_response();
    }
    let mut state = fake.state();
    if !state.has_customer(&customer_id) {
        return not_found("customer", &customer_id);
    }
    match state.mandates.iter_mut().find(|m| m.id == id && m.customer_id == customer_id) {
        None => not_found("mandate", &id),
        Some(m) if m.revoked => gone(),
        Some(m) => {
            m.revoked = true;
            m.status = MandateStatus::Invalid;
            StatusCode::NO_CONTENT.into_response()
        }
    }
}

fn not_found(what: &str, id: &str) -> Response {
    error(StatusCode::NOT_FOUND, &format!("No {what} exists with token {id}."), None)
}

fn gone() -> Response {
    error(StatusCode::GONE, "The mandate is no longer available.", None)
}

/// A customer as Mollie's Get customer answers it.
fn customer_json(state: &FakeState, c: &FakeCustomer) -> Value {
    let self_url = format!("{}/v2/customers/{}", state.public_base, c.id);
    let mut links = json!({
        "self": link(&self_url),
        "documentation": { "href": "https://docs.mollie.com/reference/get-customer", "type": "text/html" },
    });
    if state.listed_mandates(&c.id).next().is_some() {
        links["mandates"] = link(&format!("{self_url}/mandates"));
    }
    json!({
        "resource": "customer",
        "id": c.id,
        "mode": "test",
        "name": c.name,
        "email": c.email,
        "locale": c.locale,
        "metadata": c.metadata,
        "createdAt": mollie_time(c.created_at),
        "_links": links,
    })
}

/// A mandate as Mollie's Get mandate answers it, its details per method.
fn mandate_json(state: &FakeState, m: &FakeMandate) -> Value {
    let customer_url = format!("{}/v2/customers/{}", state.public_base, m.customer_id);
    let details = match m.method.as_str() {
        "creditcard" => json!({
            "cardHolder": m.consumer_name,
            "cardNumber": m.consumer_account,
            "cardLabel": "Mastercard",
            "cardFingerprint": format!("fake{}", &m.id[4..]),
            "cardExpiryDate": Date::new(m.signature_date.year().saturating_add(3), 12, 31).ok().map(|d| d.to_string()),
        }),
        "paypal" => json!({ "consumerName": m.consumer_name, "consumerAccount": m.consumer_account }),
        _ => json!({ "consumerName": m.consumer_name, "consumerAccount": m.consumer_account, "consumerBic": m.consumer_bic }),
    };
    json!({
        "resource": "mandate",
        "id": m.id,
        "mode": "test",
        "status": m.status.as_str(),
        "method": m.method,
        "details": details,
        "mandateReference": m.mandate_reference,
        "signatureDate": m.signature_date.to_string(),
        "customerId": m.customer_id,
        "createdAt": mollie_time(m.created_at),
        "_links": {
            "self": link(&format!("{customer_url}/mandates/{}", m.id)),
            "customer": link(&customer_url),
            "documentation": { "href": "https://docs.mollie.com/reference/get-mandate", "type": "text/html" },
        },
    })
}
