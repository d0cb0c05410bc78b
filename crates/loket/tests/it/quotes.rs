//! Quotes: staff make one (API or page), the customer accepts or rejects it online with a
//! comment; accepting orders its services and work in one go, a quote past its date cannot be
//! accepted, and only users who manage the card's services decide.

use crate::support;

use serde_json::json;
use support::{Client, TestEnv, call, token};

const PW: &str = "loket-demo-klant";

#[tokio::test(flavor = "multi_thread")]
async fn a_quote_is_made_accepted_online_and_becomes_the_order() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let staff = token(&env, "billing@demo.loket.test", "billing:write,billing:read");
    let owner_token = token(&env, "eigenaar@bakkerijdevries.test", "billing:read,orders:write");
    let clock = loket_app::Clock::manual(jiff::Timestamp::now());
    let server = env.serve_at(&[], &[], clock.clone());
    let today = clock.today(&jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap());
    let until = loket_domain::billing::plus_days(today, 14).to_string();

    // Bad quotes are refused field by field.
    let (status, e) = call(
        reqwest::Method::POST,
        server.url("/api/v1/quotes"),
        staff.clone(),
        Some(json!({"customer_id": 1, "valid_until": "2001-01-01", "lines": [{"plan": "no-such-plan"}, {"plan": "hosting-basis", "description": "both"}]})),
    )
    .await;
    assert_eq!(status, 400, "{e}");
    let text = e.to_string();
    assert!(text.contains("valid_until") && text.contains("lines[1].plan"), "{text}");

    let (status, q) = call(
        reqwest::Method::POST,
        server.url("/api/v1/quotes"),
        staff.clone(),
        Some(json!({"customer_id": 1, "valid_until": until, "note": "Zoals besproken.", "lines": [
            {"plan": "hosting-basis", "label": "shop.bakkerijdevries.nl"},
            {"description": "Migratie (uren)", "quantity": "2.5", "unit_price": "85.00"}
        ]})),
    )
    .await;
    assert_eq!(status, 201, "{q}");
    let id = q["id"].as_i64().unwrap();
    assert_eq!(q["status"], "sent");
    assert!(q["number"].as_str().unwrap().starts_with('Q'));
    assert_eq!(q["lines"][1]["quantity_milli"], 2500);
    assert_eq!(q["lines"][0]["plan"], "hosting-basis");
    assert!(q["gross"].as_i64().unwrap() > q["net"].as_i64().unwrap(), "VAT is added for a Dutch business: {q}");
    let store = env.store().await;
    let mails = store.mails(10_000).await.unwrap();
    assert!(mails.iter().any(|m| m.template == "quote-sent" && m.rcpt_to == ["info@bakkerijdevries.test"]), "the customer is mailed");
    let number = q["number"].as_str().unwrap();
    let (raw,): (String,) = sqlx::query_as("SELECT raw FROM outbox WHERE template = 'quote-sent' ORDER BY id DESC LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(raw.contains("application/pdf") && raw.contains(&format!("quote-{number}.pdf")), "the mail carries the quote's PDF:\n{raw}");

    // The card's own users read it; another card's users do not find it.
    let (status, list) = call(reqwest::Method::GET, server.url("/api/v1/customers/1/quotes"), owner_token.clone(), None).await;
    assert!(status == 200 && list.as_array().unwrap().iter().any(|x| x["id"] == id), "{list}");
    let rossi = token(&env, "mario@rossiweb.test", "billing:read,orders:write");
    assert_eq!(call(reqwest::Method::GET, server.url(&format!("/api/v1/quotes/{id}")), rossi.clone(), None).await.0, 404);
    let decision = json!({"accept": true});
    assert_eq!(call(reqwest::Method::POST, server.url(&format!("/api/v1/quotes/{id}/decision")), rossi, Some(decision)).await.0, 404);

    // A contact person (who does not manage the card's services) cannot order.
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    let page = contact.get(&format!("/customers/1/quotes/{id}")).await;
    assert!(!page.body.contains("Accept and order"), "no decision form for a contact person");
    let csrf = contact.get("/account").await.csrf();
    assert_eq!(contact.post(&format!("/customers/1/quotes/{id}"), &[("csrf", &csrf), ("decision", "accept")]).await.status, 403);

    // The owner accepts on the page, with a comment: the services and the work are ordered.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let page = owner.get(&format!("/customers/1/quotes/{id}")).await;
    assert!(page.body.contains("Accept and order") && page.body.contains("Zoals besproken."), "{}", page.body);
    let csrf = page.csrf();
    let done = owner
        .post(&format!("/customers/1/quotes/{id}"), &[("csrf", &csrf), ("decision", "accept"), ("comment", "Graag zo snel mogelijk.")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = owner.get(&format!("/customers/1/quotes/{id}")).await;
    assert!(
        after.body.contains("Accepted") && after.body.contains("Graag zo snel mogelijk.") && after.body.contains("See the service"),
        "{}",
        after.body
    );
    let subs = store.customer_subscriptions(1).await.unwrap();
    let made = subs.iter().find(|s| s.label == "shop.bakkerijdevries.nl").expect("the service was ordered");
    assert_eq!(made.start_date, today);
    let (_, q) = call(reqwest::Method::GET, server.url(&format!("/api/v1/quotes/{id}")), owner_token.clone(), None).await;
    assert_eq!(q["status"], "accepted");
    assert_eq!(q["lines"][0]["subscription_id"], made.id);
    assert!(q["lines"][1]["item_id"].as_i64().is_some(), "the work waits for the next invoice: {q}");
    // Deciding twice is a conflict, not a second order.
    let again = call(
        reqwest::Method::POST,
        server.url(&format!("/api/v1/quotes/{id}/decision")),
        owner_token.clone(),
        Some(json!({"accept": true})),
    )
    .await;
    assert_eq!(again.0, 409, "{}", again.1);
    assert_eq!(store.customer_subscriptions(1).await.unwrap().len(), subs.len());
    support::drained(&store).await;
    let mails = store.mails(10_000).await.unwrap();
    assert!(mails.iter().any(|m| m.template == "quote-decided" && m.rcpt_to == ["administratie@demo.loket.test"]), "staff are told");

    // A quote past its last valid day can be rejected, not accepted.
    let (_, late) = call(
        reqwest::Method::POST,
        server.url("/api/v1/quotes"),
        staff.clone(),
        Some(json!({"customer_id": 1, "valid_until": until, "lines": [{"description": "Advies", "unit_price": "100"}]})),
    )
    .await;
    let late = late["id"].as_i64().unwrap();
    clock.advance(jiff::SignedDuration::from_hours(24 * 16));
    let (status, e) = call(
        reqwest::Method::POST,
        server.url(&format!("/api/v1/quotes/{late}/decision")),
        owner_token.clone(),
        Some(json!({"accept": true})),
    )
    .await;
    assert_eq!(status, 409, "{e}");
    assert!(e.to_string().contains("can no longer be accepted"), "{e}");
    let (status, q) = call(
        reqwest::Method::POST,
        server.url(&format!("/api/v1/quotes/{late}/decision")),
        owner_token,
        Some(json!({"accept": false, "comment": "Te laat gezien."})),
    )
    .await;
    assert_eq!((status, &q["status"]), (200, &json!("rejected")), "{q}");
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_make_a_quote_on_the_page() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut staff = Client::new(&server);
    staff.sign_in("billing@demo.loket.test", "loket-demo-staff").await;
    let form = staff.get("/staff/customers/3/quotes").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf();
    let bad = staff
        .post("/staff/customers/3/quotes", &[("csrf", &csrf), ("valid_until", "2001-01-01"), ("lines[0].description", "Advies")])
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("valid_until") && bad.body.contains("lines[0].unit_price") && bad.body.contains("value=\"Advies\""),
        "what was typed stays"
    );
    let until = loket_domain::billing::plus_days(jiff::Zoned::now().date(), 10).to_string();
    let ok = staff
        .post(
            "/staff/customers/3/quotes",
            &[
                ("csrf", &csrf),
                ("valid_until", &until),
                ("lines[0].plan", "vps-s"),
                ("lines[0].label", "vps2.rossiweb.it"),
                ("lines[0].price", "10.00"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = staff.get(ok.location.as_deref().unwrap()).await;
    assert!(page.body.contains("vps2.rossiweb.it") && page.body.contains("Awaiting decision"), "{}", page.body);
    // Support staff may look, not make quotes.
    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", "loket-demo-staff").await;
    let csrf = support.get("/staff/customers/3/quotes").await.csrf();
    assert_eq!(support.post("/staff/customers/3/quotes", &[("csrf", &csrf), ("valid_until", &until)]).await.status, 403);
}
