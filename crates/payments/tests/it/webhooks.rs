//! Webhooks as FakeMollie sends them (retries, the log, replays, signed events) and as this
//! crate reads them.

use loket_payments::fake::{DeliveryKind, WebhookRetry};
use loket_payments::webhook::{SIGNATURE_HEADER, parse_classic_webhook, parse_signed_event, sign};
use loket_payments::{NewRefund, PaymentProvider, PaymentStatus, WebhookError, verify_signature};

use crate::{Receiver, closed_port_url, new_payment, setup};

#[tokio::test]
async fn a_failing_receiver_is_retried_until_it_answers() {
    let (fake, client) = setup().await;
    fake.set_webhook_retry(WebhookRetry::quick(5));
    let receiver = Receiver::start(2).await;
    let mut new = new_payment("k");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    assert!(fake.deliveries().is_empty(), "creating calls no webhook");

    assert!(fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap());
    let attempts: Vec<_> = fake.deliveries().into_iter().map(|d| (d.kind, d.attempt, d.status, d.payment_id)).collect();
    let id = payment.id.clone();
    assert_eq!(
        attempts,
        [
            (DeliveryKind::Classic, 1, Some(500), id.clone()),
            (DeliveryKind::Classic, 2, Some(500), id.clone()),
            (DeliveryKind::Classic, 3, Some(200), id.clone())
        ]
    );
    let calls = receiver.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[2].headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(&calls[2].body[..], format!("id={}", payment.id).as_bytes());
    // The receiver learns which payment to fetch, and fetches it.
    let named = parse_classic_webhook(&calls[2].body).unwrap();
    assert_eq!(client.get_payment(&named).await.unwrap().status, PaymentStatus::Paid);
}

#[tokio::test]
async fn retries_end_after_the_last_attempt() {
    let (fake, client) = setup().await;
    fake.set_webhook_retry(WebhookRetry::quick(3));
    let receiver = Receiver::start(usize::MAX).await;
    let mut new = new_payment("k");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    assert!(!fake.set_status(&payment.id, PaymentStatus::Failed).await.unwrap());
    let deliveries = fake.deliveries();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries.iter().all(|d| !d.succeeded()));
    fake.settled().await;
}

#[tokio::test]
async fn an_unreachable_receiver_is_logged_and_retried() {
    let (fake, client) = setup().await;
    fake.set_webhook_retry(WebhookRetry::quick(2));
    let mut new = new_payment("k");
    new.webhook_url = Some(format!("{}/hook", closed_port_url().await));
    let payment = client.create_payment(&new).await.unwrap();
    assert!(!fake.set_status(&payment.id, PaymentStatus::Expired).await.unwrap());
    let deliveries = fake.deliveries();
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d.status.is_none() && d.error.is_some()), "{deliveries:?}");
}

/// Mollie repeats webhooks; the receiver sees the same body again and must act once.
#[tokio::test]
async fn a_webhook_can_be_delivered_again() {
    let (fake, client) = setup().await;
    let receiver = Receiver::start(0).await;
    let mut new = new_payment("k");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    assert!(fake.deliver_webhook(&payment.id).await.unwrap());
    let calls = receiver.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].body, calls[1].body);
    assert!(fake.deliver_webhook("tr_unknown").await.is_err());
}

/// Refunds and chargebacks call the payment's webhook too; pending states do not.
#[tokio::test]
async fn refunds_and_chargebacks_call_the_payment_webhook() {
    let (fake, client) = setup().await;
    let receiver = Receiver::start(0).await;
    let mut new = new_payment("k");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    fake.set_status(&payment.id, PaymentStatus::Pending).await.unwrap();
    assert_eq!(receiver.calls().len(), 0, "pending calls no classic webhook");
    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    let refund = NewRefund { amount_cents: 100, currency: "EUR".into(), description: String::new(), idempotency_key: "r".into() };
    let refund = client.create_refund(&payment.id, &refund).await.unwrap();
    assert_eq!(receiver.calls().len(), 1, "a pending refund calls no webhook");
    fake.complete_refund(&refund.id).await.unwrap();
    fake.add_chargeback(&payment.id, 500).await.unwrap();
    let bodies: Vec<_> = receiver.calls().into_iter().map(|c| String::from_utf8(c.body.to_vec()).unwrap()).collect();
    assert_eq!(bodies, vec![format!("id={}", payment.id); 3]);
}

#[tokio::test]
async fn next_gen_events_are_signed_and_name_the_payment() {
    let (fake, client) = setup().await;
    let receiver = Receiver::start(0).await;
    fake.subscribe_events(&receiver.url, "whsec_loket");
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    fake.settle_refunds_at_once(true);
    let refund = NewRefund { amount_cents: 100, currency: "EUR".into(), description: String::new(), idempotency_key: "r".into() };
    client.create_refund(&payment.id, &refund).await.unwrap();
    fake.settled().await;
    assert!(fake.deliver_signed_event(&payment.id, "payment.paid").await.unwrap());

    let calls = receiver.calls();
    assert_eq!(calls.len(), 3);
    let mut types = Vec::new();
    for call in &calls {
        assert_eq!(call.headers["content-type"], "application/json");
        let header = call.headers[SIGNATURE_HEADER].to_str().unwrap();
        assert!(verify_signature("whsec_loket", &call.body, header));
        let notice = parse_signed_event("whsec_loket", &call.body, header).unwrap();
        assert_eq!(notice.payment_id.as_deref(), Some(payment.id.as_str()));
        types.push(notice.event_type);
    }
    assert_eq!(types, ["payment.paid", "refund.refunded", "payment.paid"]);
    assert!(fake.deliveries().iter().all(|d| d.kind == DeliveryKind::Event));

    // A forged or altered event is refused.
    let (body, header) = (&calls[0].body, calls[0].headers[SIGNATURE_HEADER].to_str().unwrap());
    assert!(!verify_signature("whsec_other", body, header));
    let tampered = String::from_utf8(body.to_vec()).unwrap().replace("\"paid\"", "\"open\"");
    assert_ne!(tampered.as_bytes(), &body[..]);
    assert!(!verify_signature("whsec_loket", tampered.as_bytes(), header));
    assert_eq!(parse_signed_event("whsec_loket", tampered.as_bytes(), header), Err(WebhookError::BadSignature));
    let forged =
        br#"{"resource":"event","id":"event_x","type":"payment.paid","entityId":"tr_forged","createdAt":"2026-01-01T00:00:00+00:00"}"#;
    assert!(!verify_signature("whsec_loket", forged, &sign("guessed", forged)));
    assert!(!verify_signature("whsec_loket", forged, header));
}

#[tokio::test]
async fn events_need_a_subscription() {
    let (fake, client) = setup().await;
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    assert!(fake.deliver_signed_event(&payment.id, "payment.paid").await.is_err());
}
