//! Online payments for Loket: one interface for a payment provider ([`PaymentProvider`]), the
//! Mollie implementation ([`MollieClient`]), Mollie's webhooks ([`webhook`]) and a local
//! Mollie-compatible server ([`fake::FakeMollie`]) for tests and the demo.
//!
//! The flow, as Mollie defines it and as Loket uses it:
//! 1. [`PaymentProvider::create_payment`] with the invoice in the metadata and an idempotency key
//!    derived from it; send the customer to [`Payment::checkout_url`].
//! 2. The provider calls the webhook URL when something changed. The webhook only names a payment
//!    ([`webhook::parse_classic_webhook`], [`webhook::parse_signed_event`]); the receiver fetches it
//!    with [`PaymentProvider::get_payment`] and acts on what the API says. Webhooks repeat, so
//!    acting must be idempotent (the status seen before is the same, nothing to do).
//! 3. Refunds and chargebacks are read from the payment ([`PaymentProvider::list_refunds`],
//!    [`PaymentProvider::list_chargebacks`]) after such a webhook.
//!
//! Recurring payments (direct debit through the provider) add a customer and a mandate:
//! [`PaymentProvider::create_customer`], then a [`SequenceType::First`] payment through the
//! checkout; once it is paid the customer has a valid mandate
//! ([`PaymentProvider::list_mandates`]), and later invoices are [`SequenceType::Recurring`]
//! payments, created without a checkout and reported by the same webhooks. A customer who
//! withdraws the permission is [`PaymentProvider::revoke_mandate`]d.
//!
//! Amounts are integer minor units everywhere ([`amount`] converts Mollie's `"10.00"`). Every
//! call ends in a [`ProviderError`] of one of three kinds: unavailable (try later), rejected
//! (Mollie's 4xx with the field at fault), invalid (an answer that cannot be read).
//!
//! This crate does no database work and knows nothing of invoices: the service layer decides
//! what a paid payment means.

use std::future::Future;
use std::pin::Pin;

pub mod amount;
mod error;
pub mod fake;
mod model;
mod mollie;
pub mod webhook;

pub use error::ProviderError;
pub use model::{
    Chargeback, Customer, Mandate, MandateStatus, Method, NewCustomer, NewPayment, NewRefund, Payment, PaymentStatus, Refund, RefundStatus,
    SequenceType,
};
pub use mollie::{MollieClient, MollieConfig};
pub use webhook::{EventNotice, WebhookError, verify_signature};

/// What a provider call returns: a boxed future, so that the trait can be used as
/// `Arc<dyn PaymentProvider>` in the app's services (a trait with `async fn` cannot).
pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// A payment provider as Loket uses one. Every method is one request to the provider (list
/// calls follow the provider's pages); none retries by itself, because only the caller knows
/// whether a retry is wanted now — a POST retried must reuse its idempotency key.
pub trait PaymentProvider: Send + Sync {
    /// Creates a payment and returns it with its checkout URL.
    fn create_payment<'a>(&'a self, new: &'a NewPayment) -> ProviderFuture<'a, Payment>;

    /// The payment as the provider has it now: the only source of truth after a webhook.
    fn get_payment<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Payment>;

    /// The methods a customer may choose for this amount, described in `locale`.
    fn list_methods<'a>(&'a self, amount_cents: i64, currency: &'a str, locale: Option<&'a str>) -> ProviderFuture<'a, Vec<Method>>;

    /// Refunds (part of) a paid payment.
    fn create_refund<'a>(&'a self, payment_id: &'a str, refund: &'a NewRefund) -> ProviderFuture<'a, Refund>;

    /// Every refund of a payment, oldest first (Mollie's times are to the second; within one
    /// second, in the provider's order).
    fn list_refunds<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Vec<Refund>>;

    /// Every chargeback of a payment, oldest first.
    fn list_chargebacks<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Vec<Chargeback>>;

    /// Creates the customer that first and recurring payments are made for.
    fn create_customer<'a>(&'a self, new: &'a NewCustomer) -> ProviderFuture<'a, Customer>;

    /// The customer's mandates, newest first (the order in which the provider picks one for a
    /// recurring payment that names none). Revoked mandates are gone from the list.
    fn list_mandates<'a>(&'a self, customer_id: &'a str) -> ProviderFuture<'a, Vec<Mandate>>;

    /// Revokes a mandate: the customer can no longer be charged with it. Revoking a mandate that
    /// is already revoked succeeds, so a DELETE whose answer was lost can be repeated.
    fn revoke_mandate<'a>(&'a self, customer_id: &'a str, mandate_id: &'a str) -> ProviderFuture<'a, ()>;
}
