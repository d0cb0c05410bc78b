//! MollieClient against FakeMollie: every call, each kind of error.

use std::sync::Arc;
use std::time::Duration;

use loket_payments::fake::FakeMollie;
use loket_payments::{MollieClient, MollieConfig, NewRefund, PaymentProvider, PaymentStatus, ProviderError, RefundStatus};

use crate::{closed_port_url, new_payment, setup};

fn refund(cents: i64, key: &str) -> NewRefund {
    NewRefund { amount_cents: cents, currency: "EUR".into(), description: "Credit note 2026-0007".into(), idempotency_key: key.into() }
}

fn field_of(error: ProviderError) -> (u16, Option<String>) {
    match error {
        ProviderError::Rejected { status, field, .. } => (status, field),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The app holds the provider as a trait object.
#[tokio::test]
async fn creates_a_payment_through_the_trait_object() {
    let (fake, client) = setup().await;
    let provider: Arc<dyn PaymentProvider> = Arc::new(client);
    let payment = provider.create_payment(&new_payment("invoice-42-1")).await.unwrap();
    assert_eq!(payment.status, PaymentStatus::Open);
    assert_eq!((payment.amount_cents, payment.currency.as_str()), (12_100, "EUR"));
    assert_eq!((payment.amount_refunded_cents, payment.amount_charged_back_cents), (0, 0));
    assert_eq!(payment.metadata, serde_json::json!({ "invoice_id": 42 }));
    assert_eq!(payment.method, None);
    assert_eq!(payment.paid_at, None);
    let checkout = payment.checkout_url.expect("a checkout link while open");
    assert_eq!(checkout, format!("{}/checkout/{}", fake.public_base_url(), payment.id));
    assert!(payment.id.starts_with("tr_"));
}

#[tokio::test]
async fn the_same_idempotency_key_gives_the_same_payment() {
    let (fake, client) = setup().await;
    let first = client.create_payment(&new_payment("invoice-42-1")).await.unwrap();
    let again = client.create_payment(&new_payment("invoice-42-1")).await.unwrap();
    assert_eq!(first.id, again.id);
    let other = client.create_payment(&new_payment("invoice-42-2")).await.unwrap();
    assert_ne!(first.id, other.id);
    assert_eq!(fake.payments().len(), 2);

    let mut changed = new_payment("invoice-42-1");
    changed.amount_cents = 1;
    let (status, field) = field_of(client.create_payment(&changed).await.unwrap_err());
    assert_eq!((status, field.as_deref()), (422, Some("Idempotency-Key")));
}

/// A create whose answer was lost is repeated with its key: one payment, not two.
#[tokio::test]
async fn a_lost_answer_is_recovered_with_the_same_key() {
    let (fake, client) = setup().await;
    fake.lose_next_create_answer();
    let lost = client.create_payment(&new_payment("invoice-7")).await.unwrap_err();
    assert!(lost.is_temporary(), "{lost:?}");
    let payment = client.create_payment(&new_payment("invoice-7")).await.unwrap();
    assert_eq!(fake.payments(), vec![(payment.id, PaymentStatus::Open)]);
}

#[tokio::test]
async fn get_payment_follows_the_status() {
    let (fake, client) = setup().await;
    let created = client.create_payment(&new_payment("k")).await.unwrap();
    assert_eq!(client.get_payment(&created.id).await.unwrap(), created);

    fake.set_status(&created.id, PaymentStatus::Paid).await.unwrap();
    let paid = client.get_payment(&created.id).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert!(paid.paid_at.is_some());
    assert_eq!(paid.method.as_deref(), Some("ideal"));
    assert_eq!(paid.checkout_url, None);

    // A final status stays final.
    assert!(fake.set_status(&created.id, PaymentStatus::Failed).await.is_err());
}

#[tokio::test]
async fn methods_depend_on_amount_currency_and_language() {
    let (fake, client) = setup().await;
    let dutch = client.list_methods(1000, "EUR", Some("nl_NL")).await.unwrap();
    let ids: Vec<&str> = dutch.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["ideal", "creditcard", "bancontact", "paypal", "directdebit"]);
    assert_eq!(dutch[0].description, "iDEAL | Wero");
    assert_eq!(dutch[1].description, "Kaart");
    assert_eq!(dutch[0].image_svg_url, format!("{}/icons/ideal.svg", fake.public_base_url()));
    let svg = reqwest::get(&dutch[0].image_svg_url).await.unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");

    let italian = client.list_methods(1000, "EUR", Some("it_IT")).await.unwrap();
    assert_eq!(italian[4].description, "Addebito diretto SEPA");

    let dollars: Vec<String> = client.list_methods(1000, "USD", None).await.unwrap().into_iter().map(|m| m.id).collect();
    assert_eq!(dollars, ["creditcard", "paypal"]);
    let large: Vec<String> = client.list_methods(6_000_000, "EUR", None).await.unwrap().into_iter().map(|m| m.id).collect();
    assert_eq!(large, ["directdebit"]);
    assert_eq!(field_of(client.list_methods(1000, "EUR", Some("xx_XX")).await.unwrap_err()).1.as_deref(), Some("locale"));
}

#[tokio::test]
async fn refunds_are_created_listed_and_completed() {
    let (fake, client) = setup().await;
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    let (status, field) = field_of(client.create_refund(&payment.id, &refund(100, "r0")).await.unwrap_err());
    assert_eq!((status, field.as_deref()), (422, Some("amount")), "an open payment cannot be refunded");

    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    let first = client.create_refund(&payment.id, &refund(2_100, "r1")).await.unwrap();
    assert_eq!((first.status, first.amount_cents, first.payment_id.as_str()), (RefundStatus::Pending, 2_100, payment.id.as_str()));
    let repeated = client.create_refund(&payment.id, &refund(2_100, "r1")).await.unwrap();
    assert_eq!(repeated.id, first.id, "a repeated refund is not paid twice");
    assert_eq!(client.get_payment(&payment.id).await.unwrap().amount_refunded_cents, 2_100);

    let (status, field) = field_of(client.create_refund(&payment.id, &refund(10_001, "r2")).await.unwrap_err());
    assert_eq!((status, field.as_deref()), (422, Some("amount")), "more than remains");
    let mut dollars = refund(100, "r3");
    dollars.currency = "USD".into();
    assert_eq!(field_of(client.create_refund(&payment.id, &dollars).await.unwrap_err()).0, 422);

    fake.complete_refund(&first.id).await.unwrap();
    let second = client.create_refund(&payment.id, &refund(10_000, "r4")).await.unwrap();
    let listed = client.list_refunds(&payment.id).await.unwrap();
    let seen: Vec<_> = listed.iter().map(|r| (r.id.as_str(), r.status, r.amount_cents)).collect();
    assert_eq!(seen, [(first.id.as_str(), RefundStatus::Refunded, 2_100), (second.id.as_str(), RefundStatus::Pending, 10_000)]);
    assert_eq!(client.get_payment(&payment.id).await.unwrap().amount_refunded_cents, 12_100);
}

#[tokio::test]
async fn refunds_can_settle_at_once() {
    let (fake, client) = setup().await;
    fake.settle_refunds_at_once(true);
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    let refund = client.create_refund(&payment.id, &refund(500, "r")).await.unwrap();
    assert_eq!(refund.status, RefundStatus::Refunded);
}

#[tokio::test]
async fn lists_follow_the_next_pages() {
    let (fake, client) = setup().await;
    fake.set_page_size(2);
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    for i in 0..5 {
        client.create_refund(&payment.id, &refund(100, &format!("r{i}"))).await.unwrap();
    }
    assert_eq!(client.list_refunds(&payment.id).await.unwrap().len(), 5);
}

#[tokio::test]
async fn chargebacks_are_listed_with_the_bank_reason() {
    let (fake, client) = setup().await;
    let mut new = new_payment("k");
    new.method = Some("directdebit".into());
    let payment = client.create_payment(&new).await.unwrap();
    assert!(client.list_chargebacks(&payment.id).await.unwrap().is_empty());
    assert!(fake.add_chargeback(&payment.id, 500).await.is_err(), "only paid payments are charged back");

    fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap();
    let id = fake.add_chargeback(&payment.id, 12_100).await.unwrap();
    let chargebacks = client.list_chargebacks(&payment.id).await.unwrap();
    assert_eq!(chargebacks.len(), 1);
    let chargeback = &chargebacks[0];
    assert_eq!(
        (chargeback.id.as_str(), chargeback.amount_cents, chargeback.payment_id.as_str()),
        (id.as_str(), 12_100, payment.id.as_str())
    );
    assert_eq!(chargeback.reason.as_deref(), Some("Refund request by end customer (MD06)"));
    assert_eq!(chargeback.reversed_at, None);
    let after = client.get_payment(&payment.id).await.unwrap();
    assert_eq!((after.status, after.amount_charged_back_cents), (PaymentStatus::Paid, 12_100));
}

#[tokio::test]
async fn a_provider_that_is_down_is_unavailable() {
    let (fake, client) = setup().await;
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    fake.set_down(true);
    for error in [
        client.get_payment(&payment.id).await.unwrap_err(),
        client.create_payment(&new_payment("k2")).await.unwrap_err(),
        client.list_methods(100, "EUR", None).await.unwrap_err(),
    ] {
        assert!(matches!(error, ProviderError::Unavailable { .. }), "{error:?}");
        assert_eq!(error.customer_message(), "the payment provider cannot be reached");
    }
    fake.set_down(false);
    client.get_payment(&payment.id).await.unwrap();

    fake.fail_next_create();
    assert!(client.create_payment(&new_payment("k3")).await.unwrap_err().is_temporary());
    assert_eq!(fake.payments().len(), 1, "the refused create made nothing");
    client.create_payment(&new_payment("k3")).await.unwrap();
}

#[tokio::test]
async fn no_server_and_a_slow_server_are_unavailable() {
    let client = MollieClient::new(MollieConfig::new("test_x").with_base_url(format!("{}/v2", closed_port_url().await))).unwrap();
    assert!(matches!(client.get_payment("tr_x").await, Err(ProviderError::Unavailable { .. })));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "late"
    });
    tokio::spawn(async move { axum::serve(listener, slow).await });
    let mut config = MollieConfig::new("test_x").with_base_url(base);
    config.timeout = Duration::from_millis(200);
    let client = MollieClient::new(config).unwrap();
    assert!(matches!(client.get_payment("tr_x").await, Err(ProviderError::Unavailable { .. })));
}

#[tokio::test]
async fn refusals_name_the_field_at_fault() {
    let (_fake, client) = setup().await;
    let mut zero = new_payment("a");
    zero.amount_cents = 0;
    let error = client.create_payment(&zero).await.unwrap_err();
    assert_eq!(error.customer_message(), "the payment provider refused the payment");
    let ProviderError::Rejected { status, title, detail, field } = error else { panic!() };
    assert_eq!((status, title.as_str(), field.as_deref()), (422, "Unprocessable Entity", Some("amount")));
    assert!(detail.contains("minimum"), "{detail}");

    let mut nameless = new_payment("b");
    nameless.description = " ".into();
    assert_eq!(field_of(client.create_payment(&nameless).await.unwrap_err()).1.as_deref(), Some("description"));
    let mut odd_method = new_payment("c");
    odd_method.method = Some("cash".into());
    assert_eq!(field_of(client.create_payment(&odd_method).await.unwrap_err()).1.as_deref(), Some("method"));
    let mut no_return = new_payment("d");
    no_return.redirect_url = "javascript:alert(1)".into();
    assert_eq!(field_of(client.create_payment(&no_return).await.unwrap_err()).1.as_deref(), Some("redirectUrl"));
    let mut bad_currency = new_payment("e");
    bad_currency.currency = "XYZ".into();
    assert_eq!(field_of(client.create_payment(&bad_currency).await.unwrap_err()).1.as_deref(), Some("amount"));
}

#[tokio::test]
async fn unknown_keys_and_ids_are_refused() {
    let (fake, _client) = setup().await;
    let live = MollieClient::new(MollieConfig::new("live_abc").with_base_url(fake.api_base_url())).unwrap();
    let ProviderError::Rejected { status, title, .. } = live.get_payment("tr_x").await.unwrap_err() else { panic!() };
    assert_eq!((status, title.as_str()), (401, "Unauthorized Request"));

    let (_fake, client) = setup().await;
    assert_eq!(field_of(client.get_payment("tr_doesnotexist").await.unwrap_err()).0, 404);
    // Not an id: refused without being put into a URL.
    for bad in ["../methods", "tr_a/refunds", "re_abc", "", "tr_"] {
        assert_eq!(field_of(client.get_payment(bad).await.unwrap_err()).0, 404, "{bad:?}");
    }
}

#[tokio::test]
async fn a_malformed_amount_from_the_provider_is_invalid() {
    let (fake, client) = setup().await;
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    for bad in ["10,00", "121", "121.000", "1.21e2", ""] {
        fake.corrupt_amount(&payment.id, bad).unwrap();
        let error = client.get_payment(&payment.id).await.unwrap_err();
        assert!(matches!(error, ProviderError::Invalid(_)), "{bad:?}: {error:?}");
    }
}

#[tokio::test]
async fn a_fake_mounted_under_a_path_links_to_itself() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public = format!("http://{}/fake-mollie", listener.local_addr().unwrap());
    let fake = FakeMollie::new(&public);
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "Loket" })).nest("/fake-mollie", fake.router());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = MollieClient::new(MollieConfig::new("test_demo").with_base_url(fake.api_base_url())).unwrap();
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    let checkout = payment.checkout_url.unwrap();
    assert_eq!(checkout, format!("{public}/checkout/{}", payment.id));
    let page = reqwest::get(&checkout).await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("action=\"{public}/checkout/{}\"", payment.id)), "{page}");
}

/// What goes over the wire, checked against a server that records it and answers with the
/// payment example of Mollie's documentation (not FakeMollie's rendering of it).
#[tokio::test]
async fn requests_carry_the_key_agent_and_idempotency_key() {
    use axum::http::HeaderMap;
    use std::sync::Mutex;

    const DOCUMENTED: &str = r#"{
        "resource": "payment", "id": "tr_PSj7b45bkj", "mode": "test", "createdAt": "2018-03-12T10:56:15+00:00",
        "amount": { "value": "1.00", "currency": "EUR" }, "description": "Order #66", "method": null, "metadata": null,
        "status": "open", "isCancelable": false, "expiresAt": "2018-03-12T11:11:15+00:00", "details": null,
        "profileId": "pfl_7N5qjbu42V", "sequenceType": "oneoff", "redirectUrl": "https://www.example.org/payment/completed",
        "_links": {
            "self": { "href": "https://api.mollie.com/v2/payments/tr_PSj7b45bkj", "type": "application/hal+json" },
            "checkout": { "href": "https://www.mollie.com/payscreen/select-method/PSj7b45bkj", "type": "text/html" },
            "documentation": { "href": "https://docs.mollie.com/reference/v2/payments-api/create-payment", "type": "text/html" }
        }
    }"#;
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let recorded = seen.clone();
    let server = axum::Router::new().fallback(move |headers: HeaderMap| {
        let recorded = recorded.clone();
        async move {
            recorded.lock().unwrap().push(headers);
            (axum::http::StatusCode::CREATED, [("content-type", "application/hal+json")], DOCUMENTED)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server).await });
    let client = MollieClient::new(MollieConfig::new("test_secretkey").with_base_url(&base)).unwrap();
    assert!(!format!("{client:?} {:?}", MollieConfig::new("test_secretkey")).contains("secretkey"), "keys stay out of logs");

    let payment = client.create_payment(&new_payment("invoice-66")).await.unwrap();
    assert_eq!(payment.id, "tr_PSj7b45bkj");
    assert_eq!((payment.amount_cents, payment.status, payment.metadata.clone()), (100, PaymentStatus::Open, serde_json::Value::Null));
    assert_eq!(payment.checkout_url.as_deref(), Some("https://www.mollie.com/payscreen/select-method/PSj7b45bkj"));
    client.get_payment("tr_PSj7b45bkj").await.unwrap();

    let seen = seen.lock().unwrap();
    let (post, get) = (&seen[0], &seen[1]);
    for headers in [post, get] {
        assert_eq!(headers["authorization"], "Bearer test_secretkey");
        assert_eq!(headers["user-agent"], concat!("Loket/", env!("CARGO_PKG_VERSION")));
    }
    assert_eq!(post["idempotency-key"], "invoice-66");
    assert_eq!(post["content-type"], "application/json");
    assert!(!get.contains_key("idempotency-key"));
}
