//! Webhook calls as Mollie makes them. Classic: `POST webhookUrl` with the form body
//! `id=tr_…`, for a payment that became paid, authorized, failed, canceled or expired, a refund
//! that became processing, refunded or failed, and a chargeback received. Next-gen: a JSON event
//! with the object's snapshot, signed in `X-Mollie-Signature`, to the subscription's URL.
//!
//! Anything but a 2xx answer (a redirect included) or no answer at all is a failure, retried
//! after a delay that doubles each time, up to [`WebhookRetry::attempts`] tries. Mollie retries
//! ten times over 26 hours; the fake does the same thing faster. Every attempt is logged.

use std::sync::atomic::Ordering;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::oneshot;

use super::api::{chargeback_json, payment_json, refund_json};
use super::{FakeMollie, Inner, State, Subject, mollie_time, new_id};
use crate::{PaymentStatus, RefundStatus};

/// How webhooks are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookRetry {
    /// Tries in all, the first included (at least 1).
    pub attempts: u32,
    /// The wait before the second try; each later wait doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for WebhookRetry {
    /// Ten tries like Mollie, a second apart at first and at most a minute: a demo whose
    /// receiver was briefly down still gets its webhook.
    fn default() -> Self {
        WebhookRetry { attempts: 10, first_delay: Duration::from_secs(1), max_delay: Duration::from_secs(60) }
    }
}

impl WebhookRetry {
    /// Quick retries for tests: `attempts` tries, 10 ms apart at first.
    pub fn quick(attempts: u32) -> Self {
        WebhookRetry { attempts, first_delay: Duration::from_millis(10), max_delay: Duration::from_millis(200) }
    }

    fn delay_after(&self, attempt: u32) -> Duration {
        let doubled = self.first_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        doubled.min(self.max_delay)
    }
}

/// Which kind of webhook an attempt was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    /// `id=tr_…` to the payment's `webhookUrl`.
    Classic,
    /// A signed next-gen event to the subscription.
    Event,
}

/// One attempt to call a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub kind: DeliveryKind,
    pub payment_id: String,
    /// For events: `payment.paid`, `refund.refunded`, …; for classic webhooks empty.
    pub event_type: String,
    pub url: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why there was no answer (refused connection, time-out).
    pub error: Option<String>,
    pub at: Timestamp,
}

impl Delivery {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

pub(crate) struct Job {
    kind: DeliveryKind,
    payment_id: String,
    event_type: String,
    url: String,
    body: Vec<u8>,
    content_type: &'static str,
    signature: Option<String>,
}

/// The webhooks Mollie calls for a change.
pub(crate) fn jobs_for(state: &State, payment_id: &str, subject: &Subject) -> Vec<Job> {
    let classic = match subject {
        Subject::Payment(status) => !matches!(status, PaymentStatus::Open | PaymentStatus::Pending),
        Subject::Refund(_, status) => matches!(status, RefundStatus::Processing | RefundStatus::Refunded | RefundStatus::Failed),
        Subject::Chargeback(_) | Subject::Resend => true,
    };
    let mut jobs = Vec::new();
    let webhook_url = state.payment(payment_id).ok().and_then(|p| p.webhook_url.clone());
    if let (true, Some(url)) = (classic, webhook_url) {
        jobs.push(Job {
            kind: DeliveryKind::Classic,
            payment_id: payment_id.to_owned(),
            event_type: String::new(),
            url,
            body: format!("id={payment_id}").into_bytes(),
            content_type: "application/x-www-form-urlencoded",
            signature: None,
        });
    }
    let event = match subject {
        Subject::Payment(status) => Some((format!("payment.{}", status.as_str()), payment_id.to_owned())),
        Subject::Refund(id, status) => Some((format!("refund.{}", status.as_str()), id.clone())),
        Subject::Chargeback(id) => Some(("chargeback.received".to_owned(), id.clone())),
        Subject::Resend => None,
    };
    if let Some(job) = event.and_then(|(event_type, entity_id)| event_job(state, payment_id, &event_type, &entity_id)) {
        jobs.push(job);
    }
    jobs
}

/// A next-gen event about `entity_id` (the payment, one of its refunds or chargebacks), with a
/// full snapshot, signed for the subscription; `None` without a subscription.
pub(crate) fn event_job(state: &State, payment_id: &str, event_type: &str, entity_id: &str) -> Option<Job> {
    let (url, secret) = state.events.clone()?;
    let api = format!("{}/v2", state.public_base);
    let (entity, entity_href) = if let Some(refund) = state.refunds.iter().find(|r| r.id == entity_id) {
        (refund_json(state, refund), format!("{api}/payments/{payment_id}/refunds/{entity_id}"))
    } else if let Some(chargeback) = state.chargebacks.iter().find(|c| c.id == entity_id) {
        (chargeback_json(state, chargeback), format!("{api}/payments/{payment_id}/chargebacks/{entity_id}"))
    } else {
        (payment_json(state, state.payment(payment_id).ok()?), format!("{api}/payments/{payment_id}"))
    };
    let event_id = new_id("event_");
    let body = json!({
        "resource": "event",
        "id": event_id,
        "type": event_type,
        "entityId": entity_id,
        "createdAt": mollie_time(Timestamp::now()),
        "_embedded": { "entity": entity },
        "_links": {
            "self": { "href": format!("{api}/events/{event_id}"), "type": "application/hal+json" },
            "documentation": { "href": "https://docs.mollie.com/reference/webhooks-new", "type": "text/html" },
            "entity": { "href": entity_href, "type": "application/hal+json" },
        },
    });
    let body = serde_json::to_vec(&body).ok()?;
    let signature = crate::webhook::sign(&secret, &body);
    Some(Job {
        kind: DeliveryKind::Event,
        payment_id: payment_id.to_owned(),
        event_type: event_type.to_owned(),
        url,
        body,
        content_type: "application/json",
        signature: Some(signature),
    })
}

/// Calls one webhook until it is answered 2xx or the tries run out; true if it was.
pub(crate) async fn run(fake: &FakeMollie, job: Job, mut first_attempt: Option<oneshot::Sender<()>>) -> bool {
    let inner = &fake.inner;
    inner.in_flight.fetch_add(1, Ordering::SeqCst);
    let _in_flight = InFlight(inner);
    let retry = fake.state().retry;
    let attempts = retry.attempts.max(1);
    let mut delivered = false;
    for attempt in 1..=attempts {
        let mut request = inner.http.post(&job.url).header("Content-Type", job.content_type).body(job.body.clone());
        if let Some(signature) = &job.signature {
            request = request.header(crate::webhook::SIGNATURE_HEADER, signature);
        }
        let (status, error) = match request.send().await {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(e) => (None, Some(e.without_url().to_string())),
        };
        let delivery = Delivery {
            kind: job.kind,
            payment_id: job.payment_id.clone(),
            event_type: job.event_type.clone(),
            url: job.url.clone(),
            attempt,
            status,
            error,
            at: Timestamp::now(),
        };
        delivered = delivery.succeeded();
        tracing::debug!(url = %job.url, attempt, ?status, delivered, "FakeMollie webhook");
        fake.state().deliveries.push(delivery);
        if let Some(sender) = first_attempt.take() {
            let _ = sender.send(());
        }
        if delivered {
            break;
        }
        if attempt < attempts {
            tokio::time::sleep(retry.delay_after(attempt)).await;
        }
    }
    delivered
}

/// Counts a webhook as sent once it is over, however it ends (a dropped future included), so
/// [`FakeMollie::settled`] never waits forever.
struct InFlight<'a>(&'a Inner);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.settled.notify_waiters();
        }
    }
}
