//! Online payment through the real server against FakeMollie, a Mollie-compatible provider the
//! test starts on its own port (webhooks called like Mollie does, retries included): the
//! provider down when the customer clicks "Pay now", forged and malformed webhooks, the
//! customer's return alone booking nothing, a paid payment booked once however often and in
//! whatever order the webhooks come, a failed one leaving the invoice open, a refund sent
//! from Loket and booked when the provider confirms it, and a chargeback reopening the invoice
//! with staff told.

use std::time::Duration;

use loket_payments::PaymentStatus;
use loket_payments::fake::FakeMollie;
use loket_store::billing::documents::DocState;

use crate::support::{Client, Page, TestEnv};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";
const SECRET: &str = "whsec_loket_test";

/// The first invoice of card `card` whose page offers "Pay now", with its page.
async fn payable(c: &mut Client, card: i64) -> (i64, Page) {
    let list = c.get(&format!("/customers/{card}/invoices")).await;
    let prefix = format!("href=\"/customers/{card}/invoices/");
    let mut ids: Vec<i64> = list
        .body
        .match_indices(&prefix)
        .filter_map(|(at, _)| {
            let rest = &list.body[at + prefix.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect();
    ids.dedup();
    for id in ids {
        let page = c.get(&format!("/customers/{card}/invoices/{id}")).await;
        if page.body.contains(&format!("action=\"/customers/{card}/invoices/{id}/pay\"")) {
            return (id, page);
        }
    }
    panic!("no payable invoice on card {card}:\n{}", list.body)
}

/// FakeMollie on its own port with quick webhook retries, and the demo served on `clock` with
/// Mollie at it and the `extra` settings.
async fn demo_with_fake(clock: loket_app::Clock, extra: &[(&str, String)]) -> (FakeMollie, TestEnv, crate::support::Server) {
    let fake = FakeMollie::start().await.expect("fake provider");
    fake.set_webhook_retry(loket_payments::fake::WebhookRetry::quick(3));
    let env = TestEnv::new().await;
    let mut vars = vec![
        ("LOKET_PAYMENTS_PROVIDER", "mollie".to_string()),
        ("LOKET_PAYMENTS_MOLLIE_API_KEY", "test_loket".to_string()),
        ("LOKET_PAYMENTS_MOLLIE_API_URL", fake.api_base_url()),
    ];
    vars.extend(extra.iter().cloned());
    let server = env.serve_at(&["--demo"], &vars, clock);
    (fake, env, server)
}

/// Waits (the job runs in the server) until `check` holds.
async fn eventually<F: AsyncFn() -> bool>(what: &str, check: F) {
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never: {what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_now_books_only_what_the_provider_confirms() {
    let (fake, env, server) = demo_with_fake(
        loket_app::Clock::system(),
        &[("LOKET_PAYMENTS_WEBHOOK_SECRET", SECRET.to_string()), ("LOKET_PAYMENTS_METHOD_LABELS", "ideal=iDEAL | Wero".to_string())],
    )
    .await;
    let store = env.store().await;
    let mut mario = Client::new(&server);
    mario.sign_in("mario@rossiweb.test", PW).await;
    let (invoice, page) = payable(&mut mario, 3).await;
    assert!(page.body.contains("iDEAL | Wero"), "methods from the provider, named as configured:\n{}", page.body);
    let doc = store.document(invoice).await.unwrap().unwrap();
    let open = doc.open_amount();
    let pay = format!("/customers/3/invoices/{invoice}/pay");

    // The provider down: a clear page, the bank transfer offered, nothing booked.
    fake.set_down(true);
    let down = mario.post(&pay, &[("csrf", &page.csrf()), ("method", "ideal")]).await;
    assert_eq!(down.status, 503, "{}", down.body);
    assert!(down.body.contains("NL91ABNA0417164300"), "the IBAN to pay to instead:\n{}", down.body);
    fake.set_down(false);
    // A form without its token, a method that is not one, another card's invoice: refused.
    assert_eq!(mario.post(&pay, &[("csrf", "forged")]).await.status, 403);
    assert_eq!(mario.post(&pay, &[("csrf", &page.csrf()), ("method", "<x>")]).await.status, 400);
    assert_eq!(mario.post("/customers/1/invoices/1/pay", &[("csrf", &page.csrf())]).await.status, 404);

    // Forged and malformed webhooks change nothing.
    let http = reqwest::Client::new();
    let hook = server.url("/webhooks/payments");
    let forged = http.post(&hook).form(&[("id", "tr_NotOurs123")]).send().await.unwrap();
    assert_eq!(forged.status(), 200, "an unknown payment is not an error (nothing to learn by probing)");
    assert_eq!(http.post(&hook).body("id=").send().await.unwrap().status(), 400);
    let signed = http
        .post(&hook)
        .header(loket_payments::webhook::SIGNATURE_HEADER, "sha256=00")
        .body(r#"{"resource":"event","id":"event_x","type":"payment.paid","entityId":"tr_x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 401, "a bad signature is refused");

    // Pay now: the customer goes to the checkout; the return alone books nothing.
    let started = mario.post(&pay, &[("csrf", &page.csrf()), ("method", "ideal")]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let checkout = started.location.clone().expect("checkout");
    assert!(checkout.starts_with(&fake.public_base_url()), "{checkout}");
    let tr = checkout.rsplit('/').next().unwrap().to_string();
    let again = mario.post(&pay, &[("csrf", &page.csrf())]).await;
    assert_eq!(again.location.as_deref(), Some(checkout.as_str()), "a second click offers the same checkout");
    let online_id: i64 = {
        let mut conn = store.acquire().await.unwrap();
        loket_store::billing::online::by_provider_id(&mut conn, &tr).await.unwrap().expect("recorded").id
    };
    fake.deliver_webhook(&tr).await.unwrap();
    let back = mario.get(&format!("/customers/3/invoices/{invoice}?payment={online_id}")).await;
    assert!(back.body.contains("data-state=\"waiting\""), "{}", back.body);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(store.document(invoice).await.unwrap().unwrap().state, DocState::Open, "open at the provider: nothing booked");

    // Paid: booked once, however often the webhook comes (classic and signed, replayed).
    fake.set_status(&tr, PaymentStatus::Paid).await.unwrap();
    eventually("the paid invoice", async || store.document(invoice).await.unwrap().unwrap().state == DocState::Paid).await;
    fake.subscribe_events(server.url("/webhooks/payments"), SECRET);
    fake.deliver_signed_event(&tr, "payment.paid").await.unwrap();
    fake.deliver_webhook(&tr).await.unwrap();
    fake.deliver_webhook(&tr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let payments = store.customer_payments(3).await.unwrap();
    let online: Vec<_> = payments.iter().filter(|p| p.method == "online").collect();
    assert_eq!(online.len(), 1, "{payments:?}");
    assert_eq!((online[0].amount, online[0].invoice_id), (open, Some(invoice)));
    let paid = store.document(invoice).await.unwrap().unwrap();
    assert_eq!(paid.paid, doc.paid + open, "paid once");
    let back = mario.get(&format!("/customers/3/invoices/{invoice}?payment={online_id}")).await;
    assert!(back.body.contains("data-state=\"paid\""), "{}", back.body);
    assert!(!back.body.contains(&pay), "nothing left to pay");

    // A failed payment leaves the invoice open.
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let (jans, jan_page) = payable(&mut jan, 2).await;
    let jan_open = store.document(jans).await.unwrap().unwrap().open_amount();
    let jan_pay = format!("/customers/2/invoices/{jans}/pay");
    let first = jan.post(&jan_pay, &[("csrf", &jan_page.csrf())]).await.location.expect("checkout");
    let tr_failed = first.rsplit('/').next().unwrap().to_string();
    fake.set_status(&tr_failed, PaymentStatus::Failed).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(store.document(jans).await.unwrap().unwrap().state, DocState::Open);
    // Paid on a second try, then the payer's bank takes it back: open again, staff told.
    let second = jan.post(&jan_pay, &[("csrf", &jan_page.csrf())]).await.location.expect("checkout");
    let tr_jan = second.rsplit('/').next().unwrap().to_string();
    assert_ne!(tr_jan, tr_failed, "a failed checkout is not offered again");
    fake.set_status(&tr_jan, PaymentStatus::Paid).await.unwrap();
    eventually("Jan's invoice paid", async || store.document(jans).await.unwrap().unwrap().state == DocState::Paid).await;
    fake.add_chargeback(&tr_jan, jan_open).await.unwrap();
    eventually("Jan's invoice open again", async || store.document(jans).await.unwrap().unwrap().state == DocState::Open).await;
    let mails: Vec<String> = sqlx::query_scalar("SELECT template FROM outbox").fetch_all(store.pool()).await.unwrap();
    assert!(mails.iter().any(|t| t == "payment-chargeback-staff"), "{mails:?}");

    // Refund from Loket: the invoice credited first, then the money sent back through the
    // provider, booked once the provider confirms it.
    let mut staff = Client::new(&server);
    staff.sign_in("billing@demo.loket.test", STAFF_PW).await;
    let staff_page = staff.get(&format!("/staff/customers/3/invoices/{invoice}")).await;
    assert!(staff_page.body.contains(&tr), "staff see the provider's id:\n{}", staff_page.body);
    let refund_path = format!("/staff/customers/3/invoices/{invoice}/online/{online_id}/refund");
    let too_early = staff.post(&refund_path, &[("csrf", &staff_page.csrf()), ("amount", "1.00")]).await;
    assert_eq!(too_early.status, 400, "no credit balance to pay back yet: {}", too_early.body);
    let credit = staff
        .post(
            &format!("/staff/customers/3/invoices/{invoice}/credit"),
            &[("csrf", &staff_page.csrf()), ("whole", "true"), ("reason", "Dubbel besteld"), ("issue_date", "2026-11-30")],
        )
        .await;
    assert_eq!(credit.status, 303, "{}", credit.body);
    fake.settle_refunds_at_once(false);
    let amount = format!("{}.{:02}", open / 100, open % 100);
    let sent = staff.post(&refund_path, &[("csrf", &staff_page.csrf()), ("amount", &amount)]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let refunds = || async {
        store.customer_payments(3).await.unwrap().into_iter().filter(|p| p.method == "refund").map(|p| p.amount).collect::<Vec<_>>()
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(refunds().await.is_empty(), "not booked before the provider confirms");
    let refund_id = {
        let mut conn = store.acquire().await.unwrap();
        let events = loket_store::billing::online::events(&mut conn, online_id).await.unwrap();
        events.iter().find(|e| e.kind == "refund").and_then(|e| e.provider_id.clone()).expect("the provider's refund id")
    };
    fake.complete_refund(&refund_id).await.unwrap();
    eventually("the refund booked", async || refunds().await == [-open]).await;
    fake.deliver_webhook(&tr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(refunds().await, [-open], "booked once");
    let over = staff.post(&refund_path, &[("csrf", &staff_page.csrf()), ("amount", "0.01")]).await;
    assert_eq!(over.status, 400, "nothing left to refund: {}", over.body);

    // No webhook reaches Loket: the customer's return makes it ask the provider's API, which
    // alone decides.
    let (other, other_page) = payable(&mut mario, 3).await;
    let checkout =
        mario.post(&format!("/customers/3/invoices/{other}/pay"), &[("csrf", &other_page.csrf())]).await.location.expect("checkout");
    let tr_lost = checkout.rsplit('/').next().unwrap().to_string();
    let lost_id = {
        let mut conn = store.acquire().await.unwrap();
        loket_store::billing::online::by_provider_id(&mut conn, &tr_lost).await.unwrap().expect("recorded").id
    };
    fake.lose_webhooks(true);
    fake.set_status(&tr_lost, PaymentStatus::Paid).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(store.document(other).await.unwrap().unwrap().state, DocState::Open, "no webhook, nothing known yet");
    mario.get(&format!("/customers/3/invoices/{other}?payment={lost_id}")).await;
    eventually("paid after the return", async || store.document(other).await.unwrap().unwrap().state == DocState::Paid).await;
}

/// Card 3 (Rossi Web) with automatic payment switched on at FakeMollie: Mario paid one open
/// invoice through the checkout as the first payment, which gave a valid mandate; the card's
/// other open invoices wait for the collection job.
struct MandateCard {
    fake: FakeMollie,
    _env: TestEnv,
    _server: crate::support::Server,
    store: loket_store::Store,
    mario: Client,
    /// The invoice paid through the checkout, and the others still open.
    first: i64,
    others: Vec<i64>,
}

impl MandateCard {
    async fn new(clock: loket_app::Clock) -> MandateCard {
        let (fake, env, server) = demo_with_fake(clock, &[]).await;
        let store = env.store().await;
        // The server's start runs the day's billing run, and a collection after it: both done
        // first, so that only the test's own collections meet the mandate.
        eventually("the start's billing run and its collection done", async || {
            let (done, busy): (i64, i64) = sqlx::query_as(
                "SELECT COALESCE(SUM(CASE WHEN kind = $1 AND state = 'done' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN state IN ('queued', 'running') THEN 1 ELSE 0 END), 0) FROM jobs WHERE kind IN ($1, $2)",
            )
            .bind(loket::handlers::BILLING_RUN_JOB)
            .bind(loket_app::online::COLLECT_JOB)
            .fetch_one(store.pool())
            .await
            .unwrap();
            done > 0 && busy == 0
        })
        .await;
        let mut mario = Client::new(&server);
        mario.sign_in("mario@rossiweb.test", PW).await;
        let (first, page) = payable(&mut mario, 3).await;
        assert!(page.body.contains("name=\"automatic\""), "automatic payment offered:\n{}", page.body);
        assert!(!page.body.contains("value=\"directdebit\""), "direct debit is not a checkout method");
        let others: Vec<i64> = open_invoices(&store).await.into_iter().filter(|i| *i != first).collect();
        assert!(!others.is_empty(), "the card has more open invoices to collect");
        let checkout = mario
            .post(&format!("/customers/3/invoices/{first}/pay"), &[("csrf", &page.csrf()), ("method", "ideal"), ("automatic", "true")])
            .await
            .location
            .expect("checkout");
        let tr = checkout.rsplit('/').next().unwrap().to_string();
        fake.set_status(&tr, PaymentStatus::Paid).await.unwrap();
        eventually("the mandate recorded", async || {
            online_customer(&store).await.is_some_and(|c| c.mandate_state.as_deref() == Some("valid"))
        })
        .await;
        assert_eq!(store.document(first).await.unwrap().unwrap().state, DocState::Paid);
        MandateCard { fake, _env: env, _server: server, store, mario, first, others }
    }

    /// Queues the collection job, or brings a queued one (waiting for its retry) forward to now.
    async fn collect(&self) {
        let mut conn = self.store.acquire().await.unwrap();
        loket_store::jobs::enqueue_unless_queued(&mut conn, loket_app::online::COLLECT_JOB, serde_json::json!({})).await.unwrap();
        sqlx::query("UPDATE jobs SET run_at = 0 WHERE kind = $1 AND state = 'queued'")
            .bind(loket_app::online::COLLECT_JOB)
            .execute(&mut *conn)
            .await
            .unwrap();
    }

    /// The collections with the mandate of the card's invoices.
    async fn recurring(&self) -> Vec<loket_store::billing::online::OnlinePayment> {
        let mut out = Vec::new();
        for i in self.others.iter().copied().chain([self.first]) {
            let mut conn = self.store.acquire().await.unwrap();
            out.extend(
                loket_store::billing::online::for_invoice(&mut conn, i).await.unwrap().into_iter().filter(|p| p.sequence == "recurring"),
            );
        }
        out
    }
}

/// Card 3's open invoices.
async fn open_invoices(store: &loket_store::Store) -> Vec<i64> {
    let filter = loket_store::billing::lists::DocumentFilter {
        customer_id: Some(3),
        state: Some(DocState::Open),
        kind: Some(loket_domain::billing::document::DocKind::Invoice),
        limit: 100,
        ..Default::default()
    };
    store.documents(&filter).await.unwrap().into_iter().map(|d| d.id).collect::<Vec<i64>>()
}

/// Automatic payment (Mollie's recurring payments): the customer pays one invoice through the
/// checkout as the first payment, which gives a mandate; the collection job then collects the
/// card's other open invoices with it, each once, and booked only when the provider says paid;
/// stopping revokes the mandate at the provider.
#[tokio::test(flavor = "multi_thread")]
async fn automatic_payment_collects_the_other_invoices_with_the_mandate() {
    let mut card = MandateCard::new(loket_app::Clock::system()).await;
    let billing = card.mario.get("/customers/3/billing").await;
    assert!(billing.body.contains("collected automatically") && billing.body.contains("NL55INGB0000000000"), "{}", billing.body);

    // The collection job: each other open invoice collected once, pending until the bank says
    // paid. One that did not reach the provider (a busy machine) goes again with the job's
    // retry, which `collect` brings forward.
    let reached = async || {
        card.collect().await;
        let all = card.recurring().await;
        all.len() == card.others.len() && all.iter().all(|p| p.provider_payment_id.is_some())
    };
    eventually("every other invoice collected", reached).await;
    card.collect().await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(card.recurring().await.len(), card.others.len(), "collected once");
    for i in &card.others {
        assert_eq!(card.store.document(*i).await.unwrap().unwrap().state, DocState::Open, "pending at the bank: not booked");
    }
    for p in card.recurring().await {
        card.fake.set_status(p.provider_payment_id.as_deref().unwrap(), PaymentStatus::Paid).await.unwrap();
    }
    for i in &card.others {
        eventually("a collected invoice paid", async || card.store.document(*i).await.unwrap().unwrap().state == DocState::Paid).await;
    }

    // Stopping revokes the mandate at the provider; nothing is collected with it any more.
    let billing = card.mario.get("/customers/3/billing").await;
    let stop = card.mario.post("/customers/3/automatic-payment/stop", &[("csrf", &billing.csrf())]).await;
    assert_eq!(stop.status, 303, "{}", stop.body);
    let c = online_customer(&card.store).await.expect("known");
    assert_eq!(c.mandate_state.as_deref(), Some("revoked"));
    assert!(card.fake.mandates(&c.provider_customer_id).is_empty(), "revoked at the provider");
    assert_eq!(card.mario.post("/customers/3/automatic-payment/stop", &[("csrf", &billing.csrf())]).await.status, 409);
}

/// A collection whose request never reached the provider, or whose answer was lost, is sent
/// again with the job's retry under the same idempotency key: one payment at the provider per
/// invoice, never two. Past [`loket_app::online::UNREACHED_RETRY`] it is no longer sent again,
/// since the provider may have forgotten the key. The server runs 40 days ahead, as a replay
/// does: the window is measured by the clock that stamped the collection.
#[tokio::test(flavor = "multi_thread")]
async fn a_collection_that_did_not_reach_the_provider_is_sent_again_once() {
    let ahead = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(40 * 24)).unwrap();
    let card = MandateCard::new(loket_app::Clock::manual(ahead)).await;
    // The first collection is made at the provider, but its answer is lost on the way back.
    card.fake.lose_next_create_answer();
    let before = card.fake.payments().len();
    card.collect().await;
    let unreached = async || {
        let all = card.recurring().await;
        all.len() == card.others.len() && all.iter().all(|p| p.status == "unavailable" || p.provider_payment_id.is_some())
    };
    eventually("each invoice tried once", unreached).await;
    let lost: Vec<_> = card.recurring().await.into_iter().filter(|p| p.status == "unavailable").collect();
    assert_eq!(lost.len(), 1, "only the first answer was lost");
    let lost = &lost[0];
    assert!(lost.provider_payment_id.is_none());
    let job: (String, i64, Option<String>) =
        sqlx::query_as("SELECT state, CAST(attempts AS BIGINT), last_error FROM jobs WHERE kind = $1 ORDER BY id DESC LIMIT 1")
            .bind(loket_app::online::COLLECT_JOB)
            .fetch_one(card.store.pool())
            .await
            .unwrap();
    assert_eq!((job.0.as_str(), job.1), ("queued", 1), "the job waits for its retry: {job:?}");
    assert!(job.2.as_deref().is_some_and(|e| e.contains("could not reach")), "{job:?}");

    // Started too long ago, it is left alone: its key may be forgotten at the provider.
    let age = |micros: i64| {
        sqlx::query("UPDATE online_payments SET created_at = $1 WHERE id = $2").bind(micros).bind(lost.id).execute(card.store.pool())
    };
    let long_ago = jiff::Timestamp::now().as_microsecond() - 2 * 3600 * 1_000_000;
    age(long_ago).await.unwrap();
    card.collect().await;
    eventually("the retry ran", async || {
        let state: String = sqlx::query_scalar("SELECT state FROM jobs WHERE kind = $1 ORDER BY id DESC LIMIT 1")
            .bind(loket_app::online::COLLECT_JOB)
            .fetch_one(card.store.pool())
            .await
            .unwrap();
        state == "done"
    })
    .await;
    let still: Vec<_> = card.recurring().await.into_iter().filter(|p| p.id == lost.id).collect();
    assert_eq!(still[0].status, "unavailable", "not sent again after the window");

    // Within the window it is sent again with its key, and the provider gives back the payment
    // it made: one payment per invoice.
    age(jiff::Timestamp::now().as_microsecond()).await.unwrap();
    card.collect().await;
    eventually("the lost collection found again", async || {
        card.recurring().await.iter().any(|p| p.id == lost.id && p.provider_payment_id.is_some())
    })
    .await;
    let all = card.recurring().await;
    assert_eq!(all.len(), card.others.len(), "no second collection row");
    let ids: std::collections::BTreeSet<_> = all.iter().map(|p| p.provider_payment_id.clone().unwrap()).collect();
    assert_eq!(ids.len(), card.others.len(), "one provider payment each");
    assert_eq!(card.fake.payments().len() - before, card.others.len(), "no second charge at the provider");
}

async fn online_customer(store: &loket_store::Store) -> Option<loket_store::billing::online::OnlineCustomer> {
    let mut conn = store.acquire().await.unwrap();
    loket_store::billing::online::online_customer(&mut conn, 3).await.unwrap()
}
