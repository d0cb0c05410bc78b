//! The checkout page as a customer's browser sees it.

use loket_payments::{PaymentProvider, PaymentStatus};

use crate::{Receiver, new_payment, setup};

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_checkout_page_shows_the_payment_and_its_choices() {
    let (_fake, client) = setup().await;
    let mut new = new_payment("k");
    new.description = "Invoice <script>alert(1)</script> & co".into();
    let payment = client.create_payment(&new).await.unwrap();
    let page = browser().get(payment.checkout_url.unwrap()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("no real money"), "labelled as a test provider");
    assert!(html.contains("EUR 121.00"));
    assert!(html.contains("Invoice &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<script>"));
    for choice in ["paid", "failed", "canceled", "expired"] {
        assert!(html.contains(&format!("name=\"status\" value=\"{choice}\"")), "{choice}");
    }
}

/// Choosing "Paid": the status is set, the webhook called, and only then is the browser sent
/// back to the shop.
#[tokio::test]
async fn paying_calls_the_webhook_then_returns_to_the_shop() {
    let (fake, client) = setup().await;
    let receiver = Receiver::start(0).await;
    let mut new = new_payment("k");
    new.webhook_url = Some(receiver.url.clone());
    let payment = client.create_payment(&new).await.unwrap();
    let checkout = payment.checkout_url.clone().unwrap();

    let answer = browser().post(&checkout).form(&[("status", "paid"), ("method", "creditcard")]).send().await.unwrap();
    assert_eq!(answer.status(), 303);
    assert_eq!(answer.headers()["location"], "https://loket.example/invoices/42/paid");
    assert_eq!(receiver.calls().len(), 1, "the webhook came before the customer");
    let paid = client.get_payment(&payment.id).await.unwrap();
    assert_eq!((paid.status, paid.method.as_deref()), (PaymentStatus::Paid, Some("creditcard")));

    // The back button and a second click change nothing.
    let again = browser().post(&checkout).form(&[("status", "failed")]).send().await.unwrap();
    assert_eq!(again.status(), 303);
    assert_eq!(client.get_payment(&payment.id).await.unwrap().status, PaymentStatus::Paid);
    assert_eq!(receiver.calls().len(), 1);
    let page = browser().get(&checkout).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("This payment is <strong>paid</strong>"));
    fake.settled().await;
}

#[tokio::test]
async fn every_outcome_can_be_chosen() {
    let (_fake, client) = setup().await;
    for (i, (choice, status)) in
        [("failed", PaymentStatus::Failed), ("canceled", PaymentStatus::Canceled), ("expired", PaymentStatus::Expired)]
            .into_iter()
            .enumerate()
    {
        let payment = client.create_payment(&new_payment(&format!("k{i}"))).await.unwrap();
        let answer = browser().post(payment.checkout_url.unwrap()).form(&[("status", choice)]).send().await.unwrap();
        assert_eq!(answer.status(), 303);
        assert_eq!(client.get_payment(&payment.id).await.unwrap().status, status);
    }
    let payment = client.create_payment(&new_payment("k9")).await.unwrap();
    let refused = browser().post(payment.checkout_url.unwrap()).form(&[("status", "open")]).send().await.unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn the_demo_controls_work_over_http() {
    let (fake, client) = setup().await;
    let payment = client.create_payment(&new_payment("k")).await.unwrap();
    let base = fake.public_base_url();
    let http = browser();
    let paid = http.post(format!("{base}/_fake/payments/{}/status", payment.id)).form(&[("status", "paid")]).send().await.unwrap();
    assert_eq!(paid.status(), 200);
    let charged = http.post(format!("{base}/_fake/payments/{}/chargebacks", payment.id)).form(&[("amount", "1.00")]).send().await.unwrap();
    assert_eq!(charged.status(), 200);
    assert_eq!(client.get_payment(&payment.id).await.unwrap().amount_charged_back_cents, 100);
    let down = http.post(format!("{base}/_fake/down")).form(&[("down", "true")]).send().await.unwrap();
    assert_eq!(down.status(), 200);
    assert!(client.get_payment(&payment.id).await.unwrap_err().is_temporary());
    let unknown = http.post(format!("{base}/_fake/refunds/re_nope/complete")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}
