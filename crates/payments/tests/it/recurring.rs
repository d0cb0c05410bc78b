//! Recurring payments: a customer, a first payment through the checkout that gives a mandate,
//! recurring payments collected with it, and the mandate revoked.

use jiff::Timestamp;
use loket_payments::fake::{FakeError, FakeMollie};
use loket_payments::{
    MandateStatus, MollieClient, MollieConfig, NewCustomer, NewPayment, Payment, PaymentProvider, PaymentStatus, ProviderError,
    SequenceType,
};
use serde_json::json;

use crate::{Receiver, new_payment, setup};

fn customer(key: &str) -> NewCustomer {
    NewCustomer {
        name: "Hosting Klant B.V.".into(),
        email: "billing@klant.example".into(),
        locale: Some("nl_NL".into()),
        metadata: json!({ "customer_id": 7 }),
        idempotency_key: key.into(),
    }
}

fn first_payment(customer_id: &str, key: &str) -> NewPayment {
    NewPayment { sequence_type: SequenceType::First, customer_id: Some(customer_id.into()), ..new_payment(key) }
}

/// A recurring payment as Loket sends one: no checkout, so no redirect URL.
fn recurring_payment(customer_id: &str, mandate_id: Option<&str>, key: &str) -> NewPayment {
    NewPayment {
        amount_cents: 2_420,
        description: "Invoice 2026-0043".into(),
        redirect_url: String::new(),
        locale: None,
        sequence_type: SequenceType::Recurring,
        customer_id: Some(customer_id.into()),
        mandate_id: mandate_id.map(str::to_owned),
        ..new_payment(key)
    }
}

fn refusal(error: ProviderError) -> (u16, Option<String>) {
    match error {
        ProviderError::Rejected { status, field, .. } => (status, field),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A first payment for a new customer, paid on the checkout page with `method`.
async fn paid_first_payment(client: &MollieClient, method: &str) -> (String, Payment) {
    let customer = client.create_customer(&customer(&format!("customer-{method}"))).await.unwrap();
    let payment = client.create_payment(&first_payment(&customer.id, &format!("first-{method}"))).await.unwrap();
    let answer = browser().post(payment.checkout_url.unwrap()).form(&[("status", "paid"), ("method", method)]).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    (customer.id, client.get_payment(&payment.id).await.unwrap())
}

#[tokio::test]
async fn a_customer_is_created_once_per_idempotency_key() {
    let (_fake, client) = setup().await;
    let provider: &dyn PaymentProvider = &client;
    let created = provider.create_customer(&customer("customer-7")).await.unwrap();
    assert!(created.id.starts_with("cst_"), "{}", created.id);
    assert_eq!((created.name.as_str(), created.email.as_str()), ("Hosting Klant B.V.", "billing@klant.example"));
    assert_eq!(client.create_customer(&customer("customer-7")).await.unwrap(), created, "a repeated request makes no second customer");
    assert_ne!(client.create_customer(&customer("customer-8")).await.unwrap().id, created.id);

    let mut changed = customer("customer-7");
    changed.name = "Someone else".into();
    assert_eq!(refusal(client.create_customer(&changed).await.unwrap_err()), (422, Some("Idempotency-Key".into())));
    let mut bad_email = customer("customer-9");
    bad_email.email = "billing at klant".into();
    assert_eq!(refusal(client.create_customer(&bad_email).await.unwrap_err()), (422, Some("email".into())));
    // Name and email are optional at Mollie; empty ones are not sent and come back empty.
    let nameless = client.create_customer(&NewCustomer { idempotency_key: "customer-10".into(), ..Default::default() }).await.unwrap();
    assert_eq!((nameless.name.as_str(), nameless.email.as_str()), ("", ""));
}

#[tokio::test]
async fn a_paid_first_payment_gives_a_valid_mandate() {
    let (fake, client) = setup().await;
    let customer = client.create_customer(&customer("c")).await.unwrap();
    let first = client.create_payment(&first_payment(&customer.id, "first")).await.unwrap();
    assert_eq!((first.status, first.sequence_type), (PaymentStatus::Open, SequenceType::First));
    assert_eq!((first.customer_id.as_deref(), first.mandate_id.as_deref()), (Some(customer.id.as_str()), None));
    assert!(client.list_mandates(&customer.id).await.unwrap().is_empty(), "no mandate before it is paid");

    // SEPA Direct Debit cannot pay a first payment; the bank methods give that mandate.
    let page = browser().get(first.checkout_url.clone().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("first payment"), "{page}");
    assert!(page.contains("value=\"ideal\"") && !page.contains("value=\"directdebit\""), "{page}");

    let answer = browser().post(first.checkout_url.unwrap()).form(&[("status", "paid"), ("method", "ideal")]).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    let paid = client.get_payment(&first.id).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);

    let mandates = client.list_mandates(&customer.id).await.unwrap();
    assert_eq!(mandates.len(), 1);
    let mandate = &mandates[0];
    assert_eq!(paid.mandate_id.as_deref(), Some(mandate.id.as_str()), "the first payment names the mandate it gave");
    assert!(mandate.id.starts_with("mdt_"));
    assert_eq!(
        (mandate.status, mandate.method.as_str(), mandate.customer_id.as_str()),
        (MandateStatus::Valid, "directdebit", customer.id.as_str())
    );
    assert_eq!(mandate.consumer_name.as_deref(), Some("T. TEST"));
    assert_eq!((mandate.consumer_account.as_deref(), mandate.consumer_bic.as_deref()), (Some("NL55INGB0000000000"), Some("INGBNL2A")));
    let today = Timestamp::now().in_tz("Europe/Amsterdam").unwrap().date();
    assert_eq!(mandate.signature_date, Some(today));
    assert!(mandate.mandate_reference.as_deref().is_some_and(|r| r.starts_with("FAKE-")));
    assert_eq!(fake.mandates(&customer.id), mandates, "the control shows what the API lists");
}

#[tokio::test]
async fn a_card_or_paypal_first_payment_gives_a_mandate_of_that_method() {
    let (_fake, client) = setup().await;
    let (card_customer, _) = paid_first_payment(&client, "creditcard").await;
    let card = client.list_mandates(&card_customer).await.unwrap().remove(0);
    assert_eq!((card.method.as_str(), card.consumer_account.as_deref(), card.consumer_bic), ("creditcard", Some("6787"), None));
    let (paypal_customer, _) = paid_first_payment(&client, "paypal").await;
    assert_eq!(client.list_mandates(&paypal_customer).await.unwrap()[0].method, "paypal");
}

#[tokio::test]
async fn a_recurring_direct_debit_is_pending_until_the_bank_settles_it() {
    let (fake, client) = setup().await;
    let (customer_id, first) = paid_first_payment(&client, "ideal").await;
    let mandate_id = first.mandate_id.unwrap();
    let receiver = Receiver::start(0).await;
    let mut new = recurring_payment(&customer_id, None, "invoice-43");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    assert_eq!((payment.status, payment.sequence_type), (PaymentStatus::Pending, SequenceType::Recurring));
    assert_eq!(payment.checkout_url, None, "nobody is sent anywhere");
    assert_eq!(payment.mandate_id.as_deref(), Some(mandate_id.as_str()), "the customer's valid mandate was taken");
    assert_eq!((payment.method.as_deref(), payment.amount_cents), (Some("directdebit"), 2_420));
    assert!(receiver.calls().is_empty(), "pending calls no webhook");

    assert!(fake.set_status(&payment.id, PaymentStatus::Paid).await.unwrap());
    let calls = receiver.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(&calls[0].body[..], format!("id={}", payment.id).as_bytes());
    let paid = client.get_payment(&payment.id).await.unwrap();
    assert_eq!((paid.status, paid.mandate_id.as_deref()), (PaymentStatus::Paid, Some(mandate_id.as_str())));

    // Naming the mandate works the same; a failed collection is reported like any other.
    let named = client.create_payment(&recurring_payment(&customer_id, Some(&mandate_id), "invoice-44")).await.unwrap();
    assert_eq!(named.status, PaymentStatus::Pending);
    fake.set_status(&named.id, PaymentStatus::Failed).await.unwrap();
    assert_eq!(client.get_payment(&named.id).await.unwrap().status, PaymentStatus::Failed);
    assert_eq!(client.list_mandates(&customer_id).await.unwrap()[0].status, MandateStatus::Valid);
}

#[tokio::test]
async fn a_recurring_card_payment_is_paid_at_once_and_reported() {
    let (fake, client) = setup().await;
    let (customer_id, _) = paid_first_payment(&client, "creditcard").await;
    let receiver = Receiver::start(0).await;
    let mut new = recurring_payment(&customer_id, None, "invoice-45");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    assert_eq!((payment.status, payment.method.as_deref()), (PaymentStatus::Paid, Some("creditcard")));
    assert!(payment.paid_at.is_some());
    fake.settled().await;
    assert_eq!(receiver.calls().len(), 1, "the webhook reports the payment");
}

#[tokio::test]
async fn recurring_without_a_valid_mandate_is_refused() {
    let (fake, client) = setup().await;
    let customer = client.create_customer(&customer("c")).await.unwrap();
    let none = client.create_payment(&recurring_payment(&customer.id, None, "r1")).await.unwrap_err();
    assert_eq!(refusal(none), (422, Some("customerId".into())));
    let ProviderError::Rejected { detail, .. } = client.create_payment(&recurring_payment(&customer.id, None, "r2")).await.unwrap_err()
    else {
        panic!()
    };
    assert!(detail.contains("No suitable mandates"), "{detail}");

    let (customer_id, first) = paid_first_payment(&client, "ideal").await;
    let mut by_card = recurring_payment(&customer_id, None, "r3");
    by_card.method = Some("creditcard".into());
    assert_eq!(refusal(client.create_payment(&by_card).await.unwrap_err()), (422, Some("method".into())));
    let mut no_customer = recurring_payment(&customer_id, None, "r4");
    no_customer.customer_id = None;
    assert_eq!(refusal(client.create_payment(&no_customer).await.unwrap_err()), (422, Some("customerId".into())));
    let someone_elses = recurring_payment(&customer.id, first.mandate_id.as_deref(), "r5");
    assert_eq!(refusal(client.create_payment(&someone_elses).await.unwrap_err()), (422, Some("mandateId".into())));

    // A mandate the bank made invalid stays listed but cannot be collected with.
    let mandate_id = first.mandate_id.unwrap();
    fake.invalidate_mandate(&customer_id, &mandate_id).unwrap();
    assert_eq!(client.list_mandates(&customer_id).await.unwrap()[0].status, MandateStatus::Invalid);
    assert_eq!(refusal(client.create_payment(&recurring_payment(&customer_id, None, "r6")).await.unwrap_err()).0, 422);
    let named = recurring_payment(&customer_id, Some(&mandate_id), "r7");
    assert_eq!(refusal(client.create_payment(&named).await.unwrap_err()), (422, Some("mandateId".into())));
    assert_eq!(fake.invalidate_mandate(&customer_id, "mdt_nope"), Err(FakeError::UnknownMandate("mdt_nope".into())));
    assert_eq!(fake.invalidate_mandate("cst_nope", &mandate_id), Err(FakeError::UnknownCustomer("cst_nope".into())));
}

#[tokio::test]
async fn a_revoked_mandate_is_gone() {
    let (fake, client) = setup().await;
    let (customer_id, first) = paid_first_payment(&client, "bancontact").await;
    let mandate_id = first.mandate_id.unwrap();
    client.revoke_mandate(&customer_id, &mandate_id).await.unwrap();
    assert!(client.list_mandates(&customer_id).await.unwrap().is_empty());
    assert!(fake.mandates(&customer_id).is_empty());
    let fetched = browser()
        .get(format!("{}/customers/{customer_id}/mandates/{mandate_id}", fake.api_base_url()))
        .bearer_auth("test_loket")
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 410, "Mollie answers Gone for a revoked mandate");

    let named = client.create_payment(&recurring_payment(&customer_id, Some(&mandate_id), "r1")).await.unwrap_err();
    assert_eq!(refusal(named), (410, Some("mandateId".into())));
    let unnamed = client.create_payment(&recurring_payment(&customer_id, None, "r2")).await.unwrap_err();
    assert_eq!(refusal(unnamed), (422, Some("customerId".into())));
    assert_eq!(fake.payments().len(), 1, "only the first payment exists");

    // Revoking again is what was wanted (a retried DELETE); an unknown mandate is not.
    client.revoke_mandate(&customer_id, &mandate_id).await.unwrap();
    assert_eq!(refusal(client.revoke_mandate(&customer_id, "mdt_doesnotexist").await.unwrap_err()).0, 404);
    assert_eq!(refusal(client.list_mandates("cst_doesnotexist").await.unwrap_err()).0, 404);
}

#[tokio::test]
async fn first_and_one_off_payments_are_checked() {
    let (_fake, client) = setup().await;
    let customer = client.create_customer(&customer("c")).await.unwrap();
    let mut no_customer = first_payment(&customer.id, "f1");
    no_customer.customer_id = None;
    assert_eq!(refusal(client.create_payment(&no_customer).await.unwrap_err()), (422, Some("customerId".into())));
    let unknown = first_payment("cst_doesnotexist", "f2");
    assert_eq!(refusal(client.create_payment(&unknown).await.unwrap_err()), (422, Some("customerId".into())));
    let mut direct_debit = first_payment(&customer.id, "f3");
    direct_debit.method = Some("directdebit".into());
    assert_eq!(refusal(client.create_payment(&direct_debit).await.unwrap_err()), (422, Some("method".into())));
    let mut without_return = first_payment(&customer.id, "f4");
    without_return.redirect_url = String::new();
    assert_eq!(refusal(client.create_payment(&without_return).await.unwrap_err()), (422, Some("redirectUrl".into())));
    let mut one_off_with_mandate = new_payment("f5");
    one_off_with_mandate.mandate_id = Some("mdt_abc".into());
    assert_eq!(refusal(client.create_payment(&one_off_with_mandate).await.unwrap_err()), (422, Some("mandateId".into())));

    // A one-off payment may name its customer.
    let one_off = client.create_payment(&NewPayment { customer_id: Some(customer.id.clone()), ..new_payment("f6") }).await.unwrap();
    assert_eq!((one_off.sequence_type, one_off.customer_id), (SequenceType::OneOff, Some(customer.id)));
}

/// Ids go into URL paths only when they are ids: refused without a request (the fake is down,
/// so a request sent would come back unavailable, not refused).
#[tokio::test]
async fn customer_and_mandate_ids_are_checked_before_a_url_is_made() {
    let (fake, client) = setup().await;
    fake.set_down(true);
    for bad in ["../payments", "cst_a/mandates", "tr_abc", "", "cst_", "cst_a?b"] {
        assert_eq!(refusal(client.list_mandates(bad).await.unwrap_err()).0, 404, "{bad:?}");
        assert_eq!(refusal(client.revoke_mandate(bad, "mdt_abc").await.unwrap_err()).0, 404, "{bad:?}");
    }
    for bad in ["../x", "mdt_a/b", "cst_abc", "", "mdt_", "mdt_a#b"] {
        assert_eq!(refusal(client.revoke_mandate("cst_abc", bad).await.unwrap_err()).0, 404, "{bad:?}");
    }
    assert!(client.list_mandates("cst_abc").await.unwrap_err().is_temporary(), "a good id is sent");
}

#[tokio::test]
async fn mandates_are_listed_newest_first_across_pages() {
    let (fake, client) = setup().await;
    let customer = client.create_customer(&customer("c")).await.unwrap();
    let mut given = Vec::new();
    for (i, method) in ["ideal", "creditcard", "paypal"].into_iter().enumerate() {
        let payment = client.create_payment(&first_payment(&customer.id, &format!("f{i}"))).await.unwrap();
        browser().post(payment.checkout_url.unwrap()).form(&[("status", "paid"), ("method", method)]).send().await.unwrap();
        given.push(client.get_payment(&payment.id).await.unwrap().mandate_id.unwrap());
    }
    fake.set_page_size(1);
    let listed: Vec<String> = client.list_mandates(&customer.id).await.unwrap().into_iter().map(|m| m.id).collect();
    given.reverse();
    assert_eq!(listed, given);
    // Without a mandate named, the newest valid one is collected with.
    let recurring = client.create_payment(&recurring_payment(&customer.id, None, "r")).await.unwrap();
    assert_eq!((recurring.mandate_id.as_ref(), recurring.method.as_deref()), (Some(&given[0]), Some("paypal")));
}

/// Mollie's test mode links a recurring payment to a page where its outcome is chosen; there is
/// no shop to send the browser back to.
#[tokio::test]
async fn a_recurring_payment_can_be_settled_on_its_test_page() {
    let (fake, client) = setup().await;
    let (customer_id, _) = paid_first_payment(&client, "ideal").await;
    let payment = client.create_payment(&recurring_payment(&customer_id, None, "r")).await.unwrap();
    let raw: serde_json::Value = browser()
        .get(format!("{}/payments/{}", fake.api_base_url(), payment.id))
        .bearer_auth("test_loket")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["redirectUrl"], serde_json::Value::Null);
    assert_eq!(raw["_links"]["customer"]["href"], format!("{}/customers/{customer_id}", fake.api_base_url()));
    let page = raw["_links"]["changePaymentState"]["href"].as_str().unwrap().to_owned();
    let answer = browser().post(&page).form(&[("status", "failed")]).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.unwrap().contains("<strong>failed</strong>"));
    assert_eq!(client.get_payment(&payment.id).await.unwrap().status, PaymentStatus::Failed);
}

/// What goes over the wire, against a server that records it and answers with the examples of
/// Mollie's documentation (not FakeMollie's rendering of them).
#[tokio::test]
async fn requests_and_answers_are_mollies() {
    use std::sync::{Arc, Mutex};

    use axum::body::Bytes;
    use axum::http::{Method, StatusCode, Uri};

    const PAYMENT: &str = r#"{
        "resource": "payment", "id": "tr_7UhSN1zuXS", "mode": "test", "createdAt": "2018-03-20T09:13:37+00:00",
        "amount": { "value": "10.00", "currency": "EUR" }, "description": "Background payment", "method": "directdebit",
        "metadata": null, "status": "pending", "profileId": "pfl_QkEhN94Ba", "sequenceType": "recurring",
        "redirectUrl": null, "customerId": "cst_Ok2DlrJe5", "mandateId": "mdt_h3gAaD5zP",
        "_links": { "self": { "href": "https://api.mollie.com/v2/payments/tr_7UhSN1zuXS", "type": "application/hal+json" } }
    }"#;
    const MANDATES: &str = r#"{
        "count": 2,
        "_embedded": { "mandates": [
            { "resource": "mandate", "id": "mdt_AcQl5fdL4h", "mode": "test", "status": "valid", "method": "directdebit",
              "details": { "consumerName": "John Doe", "consumerAccount": "NL55INGB0000000000", "consumerBic": "INGBNL2A" },
              "mandateReference": null, "signatureDate": "2018-05-07", "createdAt": "2018-05-07T10:49:08+00:00",
              "_links": { "self": { "href": "https://api.mollie.com/v2/customers/cst_8wmqcHMN4U/mandates/mdt_AcQl5fdL4h", "type": "application/hal+json" } } },
            { "resource": "mandate", "id": "mdt_pO2m5jVgMa", "mode": "test", "status": "pending", "method": "creditcard",
              "details": { "cardHolder": "John Doe", "cardNumber": "1234", "cardLabel": "Mastercard", "cardFingerprint": "fHB3CCKx9REkz8fPplT8N4nq", "cardExpiryDate": "2016-03-31" },
              "mandateReference": "YOUR-COMPANY-MD1380", "signatureDate": null, "createdAt": "2018-05-07T10:40:00+00:00",
              "_links": { "self": { "href": "https://api.mollie.com/v2/customers/cst_8wmqcHMN4U/mandates/mdt_pO2m5jVgMa", "type": "application/hal+json" } } }
        ] },
        "_links": { "self": { "href": "https://api.mollie.com/v2/customers/cst_8wmqcHMN4U/mandates", "type": "application/hal+json" }, "previous": null, "next": null }
    }"#;
    let seen: Arc<Mutex<Vec<(Method, String, Bytes)>>> = Arc::default();
    let recorded = seen.clone();
    let server = axum::Router::new().fallback(move |method: Method, uri: Uri, body: Bytes| {
        let recorded = recorded.clone();
        async move {
            recorded.lock().unwrap().push((method.clone(), uri.path().to_owned(), body));
            let (status, answer) = match (method, uri.path()) {
                (Method::DELETE, _) => (StatusCode::NO_CONTENT, ""),
                (_, path) if path.ends_with("/mandates") => (StatusCode::OK, MANDATES),
                _ => (StatusCode::CREATED, PAYMENT),
            };
            (status, [("content-type", "application/hal+json")], answer)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server).await });
    let client = MollieClient::new(MollieConfig::new("test_x").with_base_url(&base)).unwrap();

    let payment = client.create_payment(&recurring_payment("cst_Ok2DlrJe5", Some("mdt_h3gAaD5zP"), "k")).await.unwrap();
    assert_eq!(
        (payment.status, payment.sequence_type, payment.checkout_url.as_deref()),
        (PaymentStatus::Pending, SequenceType::Recurring, None)
    );
    assert_eq!((payment.customer_id.as_deref(), payment.mandate_id.as_deref()), (Some("cst_Ok2DlrJe5"), Some("mdt_h3gAaD5zP")));
    client.create_payment(&new_payment("one-off")).await.unwrap();

    let mandates = client.list_mandates("cst_8wmqcHMN4U").await.unwrap();
    assert_eq!(mandates.len(), 2);
    let (sepa, card) = (&mandates[0], &mandates[1]);
    assert_eq!(sepa.customer_id, "cst_8wmqcHMN4U", "an answer without customerId is the customer asked about");
    assert_eq!((sepa.consumer_bic.as_deref(), sepa.mandate_reference.as_deref()), (Some("INGBNL2A"), None));
    assert_eq!(sepa.signature_date, Some(jiff::civil::date(2018, 5, 7)));
    assert_eq!(
        (card.status, card.consumer_name.as_deref(), card.consumer_account.as_deref()),
        (MandateStatus::Pending, Some("John Doe"), Some("1234"))
    );
    assert_eq!((card.signature_date, card.mandate_reference.as_deref()), (None, Some("YOUR-COMPANY-MD1380")));
    client.revoke_mandate("cst_8wmqcHMN4U", "mdt_AcQl5fdL4h").await.unwrap();

    let seen = seen.lock().unwrap();
    let body = |i: usize| serde_json::from_slice::<serde_json::Value>(&seen[i].2).unwrap();
    let recurring = body(0);
    assert_eq!((recurring["sequenceType"].as_str(), recurring["customerId"].as_str()), (Some("recurring"), Some("cst_Ok2DlrJe5")));
    assert_eq!(recurring["mandateId"], "mdt_h3gAaD5zP");
    assert!(recurring.get("redirectUrl").is_none(), "no redirect URL for a recurring payment: {recurring}");
    let one_off = body(1);
    assert!(one_off.get("sequenceType").is_none() && one_off.get("customerId").is_none(), "{one_off}");
    assert_eq!(one_off["redirectUrl"], "https://loket.example/invoices/42/paid");
    assert_eq!((&seen[3].0, seen[3].1.as_str()), (&Method::DELETE, "/v2/customers/cst_8wmqcHMN4U/mandates/mdt_AcQl5fdL4h"));
}

#[tokio::test]
async fn unknown_customers_and_mandates_are_not_found_by_the_fake() {
    let fake = FakeMollie::start().await.unwrap();
    let http = browser();
    let get = |path: String| http.get(format!("{}{path}", fake.api_base_url())).bearer_auth("test_x").send();
    assert_eq!(get("/customers/cst_nope".into()).await.unwrap().status(), 404);
    let client = MollieClient::new(MollieConfig::new("test_x").with_base_url(fake.api_base_url())).unwrap();
    let customer = client.create_customer(&customer("c")).await.unwrap();
    let fetched: serde_json::Value = get(format!("/customers/{}", customer.id)).await.unwrap().json().await.unwrap();
    assert_eq!((fetched["resource"].as_str(), fetched["metadata"]["customer_id"].as_i64()), (Some("customer"), Some(7)));
    assert_eq!(get(format!("/customers/{}/mandates/mdt_nope", customer.id)).await.unwrap().status(), 404);
}
