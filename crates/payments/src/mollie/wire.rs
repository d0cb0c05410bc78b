//! Mollie's JSON as it comes over the wire, and its reading into the crate's model: amounts
//! checked against their currency, statuses and times parsed, nothing guessed. Every field
//! Loket does not use is left unread, so Mollie adding one breaks nothing.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;

use crate::amount::{check_currency, parse_amount};
use crate::{Chargeback, Customer, Mandate, MandateStatus, Payment, PaymentStatus, ProviderError, Refund, RefundStatus, SequenceType};

pub(super) fn parse_time(field: &str, value: &str) -> Result<Timestamp, ProviderError> {
    value.parse().map_err(|_| ProviderError::Invalid(format!("{field} is not a time: {:?}", value.chars().take(40).collect::<String>())))
}

fn invalid_amount(field: &str, e: crate::amount::AmountError) -> ProviderError {
    ProviderError::Invalid(format!("{field}: {e}"))
}

#[derive(Deserialize)]
pub(super) struct WireAmount {
    currency: String,
    value: String,
}

impl WireAmount {
    fn cents(&self, field: &str) -> Result<i64, ProviderError> {
        check_currency(&self.currency).map_err(|e| invalid_amount(field, e))?;
        parse_amount(&self.value, &self.currency).map_err(|e| invalid_amount(field, e))
    }

    /// An amount that must be in `currency` and not negative.
    fn cents_in(&self, field: &str, currency: &str) -> Result<i64, ProviderError> {
        if self.currency != currency {
            return Err(ProviderError::Invalid(format!("{field} is in {} where {currency} was expected", self.currency)));
        }
        match self.cents(field)? {
            cents if cents < 0 => Err(ProviderError::Invalid(format!("{field} is negative"))),
            cents => Ok(cents),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct WireLink {
    pub(super) href: String,
}

#[derive(Deserialize)]
pub(super) struct WireError {
    pub(super) title: String,
    #[serde(default)]
    pub(super) detail: String,
    pub(super) field: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WirePayment {
    id: String,
    status: String,
    amount: WireAmount,
    amount_refunded: Option<WireAmount>,
    amount_charged_back: Option<WireAmount>,
    method: Option<String>,
    #[serde(default)]
    metadata: Value,
    paid_at: Option<String>,
    /// Absent in answers older than recurring payments: a one-off payment.
    sequence_type: Option<String>,
    customer_id: Option<String>,
    mandate_id: Option<String>,
    #[serde(rename = "_links")]
    links: Option<WirePaymentLinks>,
}

#[derive(Deserialize)]
pub(super) struct WirePaymentLinks {
    checkout: Option<WireLink>,
}

impl WirePayment {
    pub(super) fn into_payment(self) -> Result<Payment, ProviderError> {
        let status = PaymentStatus::parse(&self.status)
            .ok_or_else(|| ProviderError::Invalid(format!("unknown payment status {:?}", self.status)))?;
        // An unknown sequence type is refused rather than read as one-off: a payment Loket
        // cannot place could be booked as the wrong kind.
        let sequence_type = match self.sequence_type.as_deref() {
            None => SequenceType::OneOff,
            Some(s) => SequenceType::parse(s).ok_or_else(|| ProviderError::Invalid(format!("unknown sequence type {s:?}")))?,
        };
        let amount_cents = self.amount.cents_in("amount", &self.amount.currency)?;
        let currency = self.amount.currency;
        let optional = |amount: Option<WireAmount>, field: &str| amount.map_or(Ok(0), |a| a.cents_in(field, &currency));
        Ok(Payment {
            id: self.id,
            status,
            amount_cents,
            amount_refunded_cents: optional(self.amount_refunded, "amountRefunded")?,
            amount_charged_back_cents: optional(self.amount_charged_back, "amountChargedBack")?,
            currency: currency.clone(),
            method: self.method,
            checkout_url: self.links.and_then(|l| l.checkout).map(|l| l.href),
            metadata: self.metadata,
            paid_at: self.paid_at.map(|t| parse_time("paidAt", &t)).transpose()?,
            sequence_type,
            customer_id: self.customer_id,
            mandate_id: self.mandate_id,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct WireMethod {
    pub(super) id: String,
    pub(super) description: String,
    pub(super) image: WireImage,
}

#[derive(Deserialize)]
pub(super) struct WireImage {
    pub(super) svg: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireRefund {
    id: String,
    payment_id: String,
    amount: WireAmount,
    status: String,
    created_at: String,
}

impl WireRefund {
    pub(super) fn into_refund(self) -> Result<Refund, ProviderError> {
        let status =
            RefundStatus::parse(&self.status).ok_or_else(|| ProviderError::Invalid(format!("unknown refund status {:?}", self.status)))?;
        Ok(Refund {
            amount_cents: self.amount.cents_in("refund amount", &self.amount.currency)?,
            currency: self.amount.currency,
            id: self.id,
            payment_id: self.payment_id,
            status,
            created_at: parse_time("createdAt", &self.created_at)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireChargeback {
    id: String,
    payment_id: String,
    amount: WireAmount,
    reason: Option<WireReason>,
    created_at: String,
    reversed_at: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct WireReason {
    code: String,
    description: String,
}

impl WireChargeback {
    pub(super) fn into_chargeback(self) -> Result<Chargeback, ProviderError> {
        Ok(Chargeback {
            amount_cents: self.amount.cents_in("chargeback amount", &self.amount.currency)?,
            currency: self.amount.currency,
            id: self.id,
            payment_id: self.payment_id,
            reason: self.reason.map(|r| format!("{} ({})", r.description, r.code)),
            created_at: parse_time("createdAt", &self.created_at)?,
            reversed_at: self.reversed_at.map(|t| parse_time("reversedAt", &t)).transpose()?,
        })
    }
}

/// A page of a list: `{"count", "_embedded": {"<key>": [...]}, "_links": {"next": …}}`.
#[derive(Deserialize)]
pub(super) struct WireList<T> {
    #[serde(rename = "_embedded")]
    pub(super) embedded: WireEmbedded<T>,
    #[serde(rename = "_links")]
    pub(super) links: Option<WireListLinks>,
}

#[derive(Deserialize)]
pub(super) struct WireEmbedded<T> {
    #[serde(alias = "methods", alias = "refunds", alias = "chargebacks", alias = "mandates")]
    items: Option<Vec<T>>,
}

impl<T> WireEmbedded<T> {
    pub(super) fn items(self, key: &str) -> Result<Vec<T>, ProviderError> {
        self.items.ok_or_else(|| ProviderError::Invalid(format!("no _embedded.{key} in the list")))
    }
}

#[derive(Deserialize)]
pub(super) struct WireListLinks {
    pub(super) next: Option<WireLink>,
}

#[derive(Deserialize)]
pub(super) struct WireCustomer {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

impl WireCustomer {
    pub(super) fn into_customer(self) -> Customer {
        Customer { id: self.id, name: self.name.unwrap_or_default(), email: self.email.unwrap_or_default() }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireMandate {
    id: String,
    status: String,
    method: String,
    /// Newer answers name the customer; older ones only link to it, so the caller's is used.
    customer_id: Option<String>,
    details: Option<WireMandateDetails>,
    mandate_reference: Option<String>,
    signature_date: Option<String>,
    created_at: String,
}

/// Per method: `consumer*` for direct debit and PayPal, `card*` for cards.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireMandateDetails {
    consumer_name: Option<String>,
    consumer_account: Option<String>,
    consumer_bic: Option<String>,
    card_holder: Option<String>,
    card_number: Option<String>,
}

impl WireMandate {
    /// `customer_id` is the customer whose list this came from.
    pub(super) fn into_mandate(self, customer_id: &str) -> Result<Mandate, ProviderError> {
        let status = MandateStatus::parse(&self.status)
            .ok_or_else(|| ProviderError::Invalid(format!("unknown mandate status {:?}", self.status)))?;
        let details = self.details.unwrap_or_default();
        let signature_date = match self.signature_date.as_deref() {
            None | Some("") => None,
            Some(date) => Some(date.parse::<Date>().map_err(|_| {
                ProviderError::Invalid(format!("signatureDate is not a date: {:?}", date.chars().take(40).collect::<String>()))
            })?),
        };
        Ok(Mandate {
            id: self.id,
            customer_id: self.customer_id.unwrap_or_else(|| customer_id.to_owned()),
            status,
            method: self.method,
            consumer_name: details.consumer_name.or(details.card_holder),
            consumer_account: details.consumer_account.or(details.card_number),
            consumer_bic: details.consumer_bic,
            signature_date,
            mandate_reference: self.mandate_reference.filter(|r| !r.is_empty()),
            created_at: parse_time("createdAt", &self.created_at)?,
        })
    }
}
