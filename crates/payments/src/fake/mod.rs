//! **FakeMollie: a local, in-memory stand-in for Mollie, for tests and Loket's demo. It moves
//! no money.** It answers the endpoints [`crate::MollieClient`] uses the way Mollie documents
//! them (HAL JSON, Mollie's error bodies, `Idempotency-Key`, test API keys only), keeps
//! customers and the mandates their first payments give (see `recurring`), shows a
//! checkout page where a person picks the outcome, and then calls the payment's `webhookUrl`
//! like Mollie does — `id=tr_…`, form-encoded, retried on failure — before sending the browser
//! back to the `redirectUrl`.
//!
//! Two ways to run it:
//! - on its own port, for tests: `let fake = FakeMollie::start().await?;` then
//!   `MollieConfig::new("test_x").with_base_url(fake.api_base_url())`;
//! - inside another server, for a demo: `let fake = FakeMollie::new("http://localhost:8080/fake-mollie");`
//!   and `Router::new().nest("/fake-mollie", fake.router())`. The public base URL is where the
//!   router is reachable from a browser; the checkout and API links are made from it.
//!
//! Tests steer it with plain methods ([`FakeMollie::set_status`], [`FakeMollie::add_chargeback`],
//! [`FakeMollie::complete_refund`], [`FakeMollie::invalidate_mandate`], [`FakeMollie::set_down`],
//! [`FakeMollie::fail_next_create`], [`FakeMollie::deliver_webhook`], [`FakeMollie::deliver_signed_event`], …) and read every
//! webhook attempt back from [`FakeMollie::deliveries`]. A few of them are also HTTP endpoints
//! under `/_fake/` for a person trying the demo.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::{get, post};
use jiff::Timestamp;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::{PaymentStatus, RefundStatus, SequenceType};

mod api;
mod checkout;
mod deliver;
mod recurring;

pub use deliver::{Delivery, DeliveryKind, WebhookRetry};

/// A handle on one fake Mollie: cheap to clone, every clone the same fake.
#[derive(Clone)]
pub struct FakeMollie {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    /// The client webhooks are sent with: short time-outs, no redirects (Mollie follows none).
    http: reqwest::Client,
    in_flight: AtomicUsize,
    settled: Notify,
    server: Mutex<Option<tokio::task::AbortHandle>>,
}

/// A control call about something the fake does not have, or may not do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FakeError {
    #[error("no payment {0}")]
    UnknownPayment(String),
    #[error("no refund {0}")]
    UnknownRefund(String),
    #[error("no customer {0}")]
    UnknownCustomer(String),
    #[error("no mandate {0}")]
    UnknownMandate(String),
    #[error("{0}")]
    NotAllowed(String),
}

/// How the next create call fails, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CreateFailure {
    /// 503 and nothing created.
    Refuse,
    /// The payment is created, but the answer is a 503: what a time-out looks like to the
    /// client. Repeating the request with the same idempotency key gives the payment.
    LoseAnswer,
}

pub(crate) struct State {
    public_base: String,
    payments: Vec<FakePayment>,
    refunds: Vec<FakeRefund>,
    chargebacks: Vec<FakeChargeback>,
    customers: Vec<recurring::FakeCustomer>,
    /// Oldest first, revoked ones included.
    mandates: Vec<recurring::FakeMandate>,
    /// (endpoint, key) → the request body and the answer given to it.
    idempotency: HashMap<(String, String), (Value, Value)>,
    down: bool,
    /// Webhooks are not sent (a provider whose calls never reach the receiver).
    webhooks_lost: bool,
    fail_next_create: Option<CreateFailure>,
    refunds_at_once: bool,
    page_size: usize,
    retry: WebhookRetry,
    events: Option<(String, String)>,
    deliveries: Vec<Delivery>,
}

pub(crate) struct FakePayment {
    id: String,
    status: PaymentStatus,
    amount_cents: i64,
    currency: String,
    description: String,
    redirect_url: String,
    webhook_url: Option<String>,
    metadata: Value,
    method: Option<String>,
    locale: Option<String>,
    created_at: Timestamp,
    paid_at: Option<Timestamp>,
    /// Written instead of the amount's value, to show a client a malformed answer.
    corrupt_amount: Option<String>,
    sequence_type: SequenceType,
    customer_id: Option<String>,
    /// For a recurring payment the mandate collected with; for a first one the mandate it gave.
    mandate_id: Option<String>,
}

pub(crate) struct FakeRefund {
    id: String,
    payment_id: String,
    amount_cents: i64,
    currency: String,
    description: String,
    status: RefundStatus,
    created_at: Timestamp,
}

pub(crate) struct FakeChargeback {
    id: String,
    payment_id: String,
    amount_cents: i64,
    currency: String,
    created_at: Timestamp,
}

impl FakeMollie {
    /// A fake reachable at `public_base_url` (no trailing slash needed), where [`Self::router`]
    /// is served or nested.
    pub fn new(public_base_url: impl Into<String>) -> Self {
        let public_base = public_base_url.into().trim_end_matches('/').to_owned();
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mollie/FakeMollie (Loket test provider)")
            .build()
            .unwrap_or_default();
        let state = State {
            public_base,
            payments: Vec::new(),
            refunds: Vec::new(),
            chargebacks: Vec::new(),
            customers: Vec::new(),
            mandates: Vec::new(),
            idempotency: HashMap::new(),
            down: false,
            webhooks_lost: false,
            fail_next_create: None,
            refunds_at_once: false,
            page_size: 250,
            retry: WebhookRetry::default(),
            events: None,
            deliveries: Vec::new(),
        };
        let inner =
            Inner { state: Mutex::new(state), http, in_flight: AtomicUsize::new(0), settled: Notify::new(), server: Mutex::new(None) };
        FakeMollie { inner: Arc::new(inner) }
    }

    /// Binds 127.0.0.1 on a free port and serves the fake there until the runtime ends or
    /// [`Self::shutdown`]. Must be called inside a Tokio runtime.
    pub async fn start() -> std::io::Result<Self> {
        Self::serve(TcpListener::bind("127.0.0.1:0").await?)
    }

    /// Serves a fake on `listener`, its public base URL `http://<local address>`.
    pub fn serve(listener: TcpListener) -> std::io::Result<Self> {
        let fake = FakeMollie::new(format!("http://{}", listener.local_addr()?));
        let router = fake.router();
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::warn!(error = %e, "FakeMollie stopped");
            }
        });
        *lock(&fake.inner.server) = Some(task.abort_handle());
        Ok(fake)
    }

    /// Stops a fake started by [`Self::start`] or [`Self::serve`].
    pub fn shutdown(&self) {
        if let Some(task) = lock(&self.inner.server).take() {
            task.abort();
        }
    }

    /// The fake's routes: the API under `/v2` (payments, refunds, chargebacks, methods,
    /// customers, mandates), the checkout pages under `/checkout`, method
    /// icons under `/icons`, and the controls under `/_fake`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/v2/payments", post(api::create_payment))
            .route("/v2/payments/{id}", get(api::get_payment))
            .route("/v2/payments/{id}/refunds", get(api::list_refunds).post(api::create_refund))
            .route("/v2/payments/{id}/chargebacks", get(api::list_chargebacks))
            .route("/v2/methods", get(api::list_methods))
            .route("/v2/customers", post(recurring::create_customer))
            .route("/v2/customers/{id}", get(recurring::get_customer))
            .route("/v2/customers/{id}/mandates", get(recurring::list_mandates))
            .route("/v2/customers/{id}/mandates/{mandate_id}", get(recurring::get_mandate).delete(recurring::revoke_mandate))
            .route("/checkout/{id}", get(checkout::page).post(checkout::choose))
            .route("/icons/{file}", get(checkout::icon))
            .route("/_fake/payments/{id}/status", post(checkout::control_status))
            .route("/_fake/payments/{id}/chargebacks", post(checkout::control_chargeback))
            .route("/_fake/refunds/{id}/complete", post(checkout::control_refund))
            .route("/_fake/down", post(checkout::control_down))
            .route("/_fake/deliveries", get(checkout::control_deliveries))
            .with_state(self.clone())
    }

    /// Where the router is reachable, as given to [`Self::new`].
    pub fn public_base_url(&self) -> String {
        self.state().public_base.clone()
    }

    /// The base URL to give [`crate::MollieConfig::with_base_url`]: the public base + `/v2`.
    pub fn api_base_url(&self) -> String {
        format!("{}/v2", self.public_base_url())
    }

    /// Every payment's id and status, oldest first.
    pub fn payments(&self) -> Vec<(String, PaymentStatus)> {
        self.state().payments.iter().map(|p| (p.id.clone(), p.status)).collect()
    }

    /// Sets a payment's status as if the customer or the bank had, then calls its webhook (and
    /// the event subscription) with retries, returning once that is done: `true` when every
    /// webhook was answered 2xx in the end. Only open, pending and authorized payments change.
    pub async fn set_status(&self, payment_id: &str, status: PaymentStatus) -> Result<bool, FakeError> {
        self.change_status(payment_id, status, None)?;
        Ok(self.notify(payment_id, Subject::Payment(status), None).await)
    }

    /// A chargeback of `amount_cents` on a paid payment; its webhook is called as for
    /// [`Self::set_status`]. Returns the chargeback's id.
    pub async fn add_chargeback(&self, payment_id: &str, amount_cents: i64) -> Result<String, FakeError> {
        let id = {
            let mut state = self.state();
            let payment = state.payment(payment_id)?;
            if payment.status != PaymentStatus::Paid {
                return Err(FakeError::NotAllowed(format!("{payment_id} is {}, not paid", payment.status.as_str())));
            }
            let charged: i64 = state.chargebacks.iter().filter(|c| c.payment_id == payment_id).map(|c| c.amount_cents).sum();
            let payment = state.payment(payment_id)?;
            if amount_cents < 1 || amount_cents > payment.amount_cents - charged {
                return Err(FakeError::NotAllowed(format!("a chargeback of {amount_cents} on {payment_id}")));
            }
            let chargeback = FakeChargeback {
                id: new_id("chb_"),
                payment_id: payment_id.to_owned(),
                amount_cents,
                currency: payment.currency.clone(),
                created_at: Timestamp::now(),
            };
            let id = chargeback.id.clone();
            state.chargebacks.push(chargeback);
            id
        };
        self.notify(payment_id, Subject::Chargeback(id.clone()), None).await;
        Ok(id)
    }

    /// Moves a refund to `refunded` (as the bank confirming it) and calls the payment's webhook.
    pub async fn complete_refund(&self, refund_id: &str) -> Result<bool, FakeError> {
        self.set_refund_status(refund_id, RefundStatus::Refunded).await
    }

    /// Moves a refund to any status and calls the payment's webhook where Mollie would
    /// (processing, refunded, failed).
    pub async fn set_refund_status(&self, refund_id: &str, status: RefundStatus) -> Result<bool, FakeError> {
        let payment_id = {
            let mut state = self.state();
            let refund =
                state.refunds.iter_mut().find(|r| r.id == refund_id).ok_or_else(|| FakeError::UnknownRefund(refund_id.to_owned()))?;
            refund.status = status;
            refund.payment_id.clone()
        };
        Ok(self.notify(&payment_id, Subject::Refund(refund_id.to_owned(), status), None).await)
    }

    /// Whether new refunds are `refunded` at once (and their webhook called) instead of `pending`
    /// until [`Self::complete_refund`]. Off by default.
    pub fn settle_refunds_at_once(&self, at_once: bool) {
        self.state().refunds_at_once = at_once;
    }

    /// The next create-payment call answers 503 and creates nothing.
    pub fn fail_next_create(&self) {
        self.state().fail_next_create = Some(CreateFailure::Refuse);
    }

    /// The next create-payment call creates the payment but answers 503, as if the answer had
    /// been lost; the same request with the same idempotency key then gives that payment.
    pub fn lose_next_create_answer(&self) {
        self.state().fail_next_create = Some(CreateFailure::LoseAnswer);
    }

    /// While down, every API call answers 503 Service Unavailable.
    pub fn set_down(&self, down: bool) {
        self.state().down = down;
    }

    /// While lost, changes call no webhook at all (as when a firewall is in between), so the
    /// receiver only learns of them by asking the API.
    pub fn lose_webhooks(&self, lost: bool) {
        self.state().webhooks_lost = lost;
    }

    /// From now on the payment's amount is written as `value` (e.g. `"10,00"`), to show a client
    /// an answer it must refuse.
    pub fn corrupt_amount(&self, payment_id: &str, value: &str) -> Result<(), FakeError> {
        self.state().payment_mut(payment_id)?.corrupt_amount = Some(value.to_owned());
        Ok(())
    }

    /// Lists give at most `size` items per page (Mollie: 250), to exercise paging.
    pub fn set_page_size(&self, size: usize) {
        self.state().page_size = size.max(1);
    }

    /// How webhooks are retried from now on.
    pub fn set_webhook_retry(&self, retry: WebhookRetry) {
        self.state().retry = retry;
    }

    /// Sends next-gen events (signed with `secret`) to `url` for every change from now on, as a
    /// webhook subscription at Mollie does.
    pub fn subscribe_events(&self, url: impl Into<String>, secret: impl Into<String>) {
        self.state().events = Some((url.into(), secret.into()));
    }

    /// Calls the payment's webhook again, as Mollie does when a change repeats or a webhook is
    /// re-sent from the dashboard: for testing that a receiver acts once.
    pub async fn deliver_webhook(&self, payment_id: &str) -> Result<bool, FakeError> {
        self.state().payment(payment_id)?;
        Ok(self.notify(payment_id, Subject::Resend, None).await)
    }

    /// Sends one signed next-gen event of `event_type` (`payment.paid`, …) about the payment, with
    /// its current snapshot, to the subscription of [`Self::subscribe_events`].
    pub async fn deliver_signed_event(&self, payment_id: &str, event_type: &str) -> Result<bool, FakeError> {
        let job = {
            let state = self.state();
            state.payment(payment_id)?;
            deliver::event_job(&state, payment_id, event_type, payment_id)
                .ok_or_else(|| FakeError::NotAllowed("no event subscription: call subscribe_events first".into()))?
        };
        Ok(deliver::run(self, job, None).await)
    }

    /// Every webhook attempt so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.state().deliveries.clone()
    }

    /// Waits until no webhook is being sent or waiting for a retry.
    pub async fn settled(&self) {
        loop {
            let notified = self.inner.settled.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.inner.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.inner.state)
    }

    /// Applies a status the customer or a control chose; refused if the payment is already final.
    fn change_status(&self, payment_id: &str, status: PaymentStatus, method: Option<&str>) -> Result<(), FakeError> {
        let mut state = self.state();
        let payment = state.payment_mut(payment_id)?;
        if payment.status.is_final() {
            return Err(FakeError::NotAllowed(format!("{payment_id} is already {}", payment.status.as_str())));
        }
        payment.status = status;
        if let Some(method) = method {
            payment.method = Some(method.to_owned());
        }
        if matches!(status, PaymentStatus::Paid | PaymentStatus::Authorized) && payment.method.is_none() {
            payment.method = Some("ideal".into());
        }
        if status == PaymentStatus::Paid {
            payment.paid_at = Some(Timestamp::now());
            recurring::on_paid(&mut state, payment_id);
        }
        Ok(())
    }

    /// Calls the webhooks a change calls at Mollie and waits for them (all retries). With
    /// `first_attempt`, that sender is told as soon as the first attempt is over.
    async fn notify(&self, payment_id: &str, subject: Subject, first_attempt: Option<tokio::sync::oneshot::Sender<()>>) -> bool {
        let jobs = {
            let state = self.state();
            if state.webhooks_lost {
                return false;
            }
            deliver::jobs_for(&state, payment_id, &subject)
        };
        let mut first_attempt = first_attempt;
        let mut all = true;
        let runs: Vec<_> = jobs.into_iter().map(|job| deliver::run(self, job, first_attempt.take())).collect();
        for run in runs {
            all &= run.await;
        }
        all
    }
}

/// What changed, which decides the webhooks called.
pub(crate) enum Subject {
    Payment(PaymentStatus),
    Refund(String, RefundStatus),
    Chargeback(String),
    /// Nothing changed: the classic webhook again.
    Resend,
}

impl State {
    fn payment(&self, id: &str) -> Result<&FakePayment, FakeError> {
        self.payments.iter().find(|p| p.id == id).ok_or_else(|| FakeError::UnknownPayment(id.to_owned()))
    }

    fn payment_mut(&mut self, id: &str) -> Result<&mut FakePayment, FakeError> {
        self.payments.iter_mut().find(|p| p.id == id).ok_or_else(|| FakeError::UnknownPayment(id.to_owned()))
    }

    /// What was refunded so far: every refund but failed and canceled ones.
    fn refunded(&self, payment_id: &str) -> i64 {
        self.refunds.iter().filter(|r| r.payment_id == payment_id && r.status.counts()).map(|r| r.amount_cents).sum()
    }

    fn charged_back(&self, payment_id: &str) -> i64 {
        self.chargebacks.iter().filter(|c| c.payment_id == payment_id).map(|c| c.amount_cents).sum()
    }
}

/// A Mollie-style id: the prefix and ten random letters and digits.
fn new_id(prefix: &str) -> String {
    let suffix: String = rand::rng().sample_iter(Alphanumeric).take(10).map(char::from).collect();
    format!("{prefix}{suffix}")
}

/// The fake's state survives a panicking test thread: the data is still consistent, because
/// every change is made whole under the lock.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Mollie's timestamps: ISO 8601 with an explicit offset and no fraction.
fn mollie_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}
