//! Mollie's webhooks, read only far enough to know which payment to fetch again.
//!
//! Mollie has two kinds:
//! - **classic**: a POST to the payment's `webhookUrl` whose form-encoded body is only
//!   `id=tr_…`. It is not signed; it cannot lie, because it says nothing but an id.
//! - **next-gen** (subscriptions made in the dashboard or the Webhooks API): a JSON *event*
//!   (`resource: "event"`, `id: "event_…"`, `type: "payment.paid"`, `entityId`, `createdAt`,
//!   maybe `_embedded.entity` — a snapshot of the object — and `_links`), signed with
//!   HMAC-SHA256 of the raw body under the subscription's secret, in the header
//!   `X-Mollie-Signature: sha256=<hex>`. During a secret rotation Mollie sends the header twice.
//!
//! Either way the receiver must fetch the payment from the API and act on what the API says:
//! nothing here returns a status or an amount from a webhook body, so there is nothing to trust
//! by mistake. A webhook only says "look again at tr_…".

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The header next-gen webhooks carry their signature in.
pub const SIGNATURE_HEADER: &str = "X-Mollie-Signature";

const PREFIX: &str = "sha256=";

/// Why a webhook body names no payment to fetch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the webhook's signature does not match its body")]
    BadSignature,
    #[error("the webhook body is not one Mollie sends: {0}")]
    Malformed(String),
}

/// Whether `header` (the value of [`SIGNATURE_HEADER`]) is the HMAC-SHA256 of `body` under
/// `secret`. `header` may hold several signatures separated by commas (two headers joined, as
/// during a rotation); one match is enough. Each is `sha256=<64 hex digits>` or the bare hex.
/// The comparison takes the same time however many bytes match. An empty secret verifies nothing.
pub fn verify_signature(secret: &str, body: &[u8], header: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    let mac = mac.chain_update(body);
    header.split(',').map(str::trim).filter(|s| !s.is_empty()).any(|candidate| {
        let hex_digits = candidate.strip_prefix(PREFIX).unwrap_or(candidate);
        let mut expected = [0u8; 32];
        hex::decode_to_slice(hex_digits, &mut expected).is_ok() && mac.clone().verify_slice(&expected).is_ok()
    })
}

/// The [`SIGNATURE_HEADER`] value Mollie would send for `body` under `secret`: `sha256=<hex>`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map(|mac| mac.chain_update(body));
    match mac {
        Ok(mac) => format!("{PREFIX}{}", hex::encode(mac.finalize().into_bytes())),
        Err(_) => String::new(),
    }
}

/// The payment a classic webhook names: its form-encoded body `id=tr_…`.
pub fn parse_classic_webhook(body: &[u8]) -> Result<String, WebhookError> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| WebhookError::Malformed("not a form-encoded body".into()))?;
    let mut ids = fields.into_iter().filter(|(name, _)| name == "id").map(|(_, value)| value);
    match (ids.next(), ids.next()) {
        (Some(id), None) if is_payment_id(&id) => Ok(id),
        (Some(id), None) => Err(WebhookError::Malformed(format!("not a payment id: {:?}", sample(&id)))),
        (Some(_), Some(_)) => Err(WebhookError::Malformed("more than one id".into())),
        (None, _) => Err(WebhookError::Malformed("no id".into())),
    }
}

/// What a next-gen event says, minus anything that would be tempting to trust: which event, of
/// what type, about which object, and so which payment to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventNotice {
    /// `event_…`: the same event may be delivered more than once.
    pub event_id: String,
    /// `payment.paid`, `refund.refunded`, `chargeback.received`, `sales-invoice.paid`, …
    pub event_type: String,
    /// The object the event is about: `tr_…`, `re_…`, `chb_…`, …
    pub entity_id: String,
    /// The payment to fetch again: the entity itself for `payment.*`; for refunds and chargebacks
    /// the payment they belong to (from the snapshot's `paymentId` or the entity link). `None`
    /// for events about something else, which a payments receiver acknowledges and ignores.
    pub payment_id: Option<String>,
}

/// Reads a next-gen event's body. Call it only on a body whose signature
/// [`verify_signature`] accepted, or use [`parse_signed_event`], which does both.
pub fn parse_event(body: &[u8]) -> Result<EventNotice, WebhookError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Event {
        resource: String,
        id: String,
        #[serde(rename = "type")]
        event_type: String,
        entity_id: String,
        #[serde(rename = "_embedded")]
        embedded: Option<Embedded>,
        #[serde(rename = "_links")]
        links: Option<Links>,
    }
    #[derive(Deserialize)]
    struct Embedded {
        entity: Option<Entity>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Entity {
        payment_id: Option<String>,
    }
    #[derive(Deserialize)]
    struct Links {
        entity: Option<Link>,
    }
    #[derive(Deserialize)]
    struct Link {
        href: String,
    }

    let event: Event = serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(format!("not an event: {e}")))?;
    if event.resource != "event" || event.id.is_empty() || event.event_type.is_empty() || event.entity_id.is_empty() {
        return Err(WebhookError::Malformed("not an event".into()));
    }
    let payment_id = if is_payment_id(&event.entity_id) {
        Some(event.entity_id.clone())
    } else if event.event_type.starts_with("refund.") || event.event_type.starts_with("chargeback.") {
        let from_snapshot = event.embedded.and_then(|e| e.entity).and_then(|e| e.payment_id);
        let from_link = || event.links.and_then(|l| l.entity).and_then(|l| payment_in_url(&l.href));
        let found = from_snapshot.or_else(from_link);
        match found {
            Some(id) if is_payment_id(&id) => Some(id),
            _ => return Err(WebhookError::Malformed(format!("a {} event without its payment", event.event_type))),
        }
    } else {
        None
    };
    Ok(EventNotice { event_id: event.id, event_type: event.event_type, entity_id: event.entity_id, payment_id })
}

/// [`verify_signature`], then [`parse_event`]: the one call a next-gen receiver needs.
pub fn parse_signed_event(secret: &str, body: &[u8], signature_header: &str) -> Result<EventNotice, WebhookError> {
    if !verify_signature(secret, body, signature_header) {
        return Err(WebhookError::BadSignature);
    }
    parse_event(body)
}

/// Whether `id` has the shape of a Mollie payment id: `tr_` and then letters and digits.
pub fn is_payment_id(id: &str) -> bool {
    id.strip_prefix("tr_").is_some_and(is_token)
}

/// Letters, digits and underscores, 1 to 64 of them: what Mollie's ids are made of, and so what
/// may be put into a URL path without escaping.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `…/payments/tr_abc/refunds/re_def` → `tr_abc`.
fn payment_in_url(href: &str) -> Option<String> {
    let mut segments = href.split(['/', '?', '#']);
    segments.find(|s| *s == "payments")?;
    segments.next().filter(|id| is_payment_id(id)).map(str::to_owned)
}

fn sample(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_with_the_right_secret_only() {
        let body = br#"{"resource":"event","id":"event_1"}"#;
        let header = sign("whsec", body);
        assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
        assert!(verify_signature("whsec", body, &header));
        assert!(verify_signature("whsec", body, header.trim_start_matches("sha256=")));
        assert!(verify_signature("whsec", body, &format!("sha256={}, {header}", "0".repeat(64))));
        assert!(!verify_signature("other", body, &header));
        assert!(!verify_signature("", body, &sign("", body)));
        assert!(!verify_signature("whsec", br#"{"resource":"event","id":"event_2"}"#, &header));
        assert!(!verify_signature("whsec", body, ""));
        assert!(!verify_signature("whsec", body, "sha256="));
        assert!(!verify_signature("whsec", body, &header[..header.len() - 2]));
        assert!(!verify_signature("whsec", body, &header.to_uppercase().replace("SHA256=", "sha1=")));
    }

    #[test]
    fn classic_webhooks_name_one_payment() {
        assert_eq!(parse_classic_webhook(b"id=tr_d0b0E3EA3v"), Ok("tr_d0b0E3EA3v".into()));
        assert!(parse_classic_webhook(b"").is_err());
        assert!(parse_classic_webhook(b"id=ord_123").is_err());
        assert!(parse_classic_webhook(b"id=tr_..%2F..%2Fadmin").is_err());
        assert!(parse_classic_webhook(b"id=tr_a&id=tr_b").is_err());
        assert!(parse_classic_webhook(b"status=paid").is_err());
    }

    #[test]
    fn events_name_the_payment_to_fetch() {
        let paid = br#"{"resource":"event","id":"event_1","type":"payment.paid","entityId":"tr_abc","createdAt":"2026-01-01T00:00:00+00:00","_links":{}}"#;
        let notice = parse_event(paid).unwrap();
        assert_eq!(notice.payment_id.as_deref(), Some("tr_abc"));
        assert_eq!(notice.event_type, "payment.paid");

        let refund = br#"{"resource":"event","id":"event_2","type":"refund.refunded","entityId":"re_x","createdAt":"2026-01-01T00:00:00+00:00","_embedded":{"entity":{"resource":"refund","id":"re_x","paymentId":"tr_abc"}}}"#;
        assert_eq!(parse_event(refund).unwrap().payment_id.as_deref(), Some("tr_abc"));

        let simple = br#"{"resource":"event","id":"event_3","type":"chargeback.received","entityId":"chb_x","createdAt":"2026-01-01T00:00:00+00:00","_links":{"entity":{"href":"https://api.mollie.com/v2/payments/tr_abc/chargebacks/chb_x","type":"application/hal+json"}}}"#;
        assert_eq!(parse_event(simple).unwrap().payment_id.as_deref(), Some("tr_abc"));

        let unrelated = br#"{"resource":"event","id":"event_4","type":"sales-invoice.paid","entityId":"invoice_x","createdAt":"2026-01-01T00:00:00+00:00"}"#;
        assert_eq!(parse_event(unrelated).unwrap().payment_id, None);

        let orphan =
            br#"{"resource":"event","id":"event_5","type":"refund.failed","entityId":"re_x","createdAt":"2026-01-01T00:00:00+00:00"}"#;
        assert!(parse_event(orphan).is_err());
        assert!(parse_event(b"id=tr_abc").is_err());
        assert!(parse_event(br#"{"resource":"payment","id":"tr_abc","type":"x","entityId":"tr_abc"}"#).is_err());
    }

    #[test]
    fn signed_events_are_checked_before_they_are_read() {
        let body =
            br#"{"resource":"event","id":"event_1","type":"payment.paid","entityId":"tr_abc","createdAt":"2026-01-01T00:00:00+00:00"}"#;
        assert!(parse_signed_event("s", body, &sign("s", body)).is_ok());
        assert_eq!(parse_signed_event("s", body, &sign("t", body)), Err(WebhookError::BadSignature));
    }
}
