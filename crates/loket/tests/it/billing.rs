//! The billing engine through the real program: each seed provider's example configuration and
//! billing file, customers and subscriptions made through the HTTP API, and the days replayed
//! with `loket billing run --date … --until …`, asserting the exact documents. Plus bad input,
//! a run repeated, a dry run, and two runs at once.

use crate::support;

use serde_json::json;
use support::world::*;

#[tokio::test]
async fn ecm2_quarterly_in_advance_with_an_upgrade_payments_and_monthly_notice() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let hosting = w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    let mailbox = w.subscribe(c, "mailbox", "info@jansen.nl", "2027-01-01").await;

    // A dry run shows the invoices and issues nothing.
    let dry = w.env.ok(&["--config", &w.config, "billing", "run", "--date", "2027-01-01", "--dry-run"]);
    assert!(dry.contains("would issue 2 invoices"), "{dry}");
    // Each line's net amount reads as money (`… 2027-01-01..2027-03-31 30.00 EUR`), not as cents.
    let line = dry.lines().find(|l| l.starts_with("    ") && l.contains("..")).unwrap_or_else(|| panic!("no invoice line: {dry}"));
    let amount = line.trim_end().strip_suffix(" EUR").and_then(|l| l.rsplit(' ').next()).unwrap_or_else(|| panic!("{line}"));
    assert!(amount.split_once('.').is_some_and(|(_, cents)| cents.len() == 2), "{line}");
    assert!(w.documents().await.is_empty());

    w.run("2026-12-01", "2027-02-14");
    // Upgrade in the middle of the quarter: € 30 a quarter more for 45 of 90 days = € 15.00.
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/plan-change"), json!({"plan": "hosting-plus", "on": "2027-02-15"})).await;
    assert_eq!(status, 200, "{body}");
    // Timely notice for the mailbox (deadline 1 March for the term ending 1 April).
    let (status, timely) =
        w.post(&format!("/api/v1/subscriptions/{mailbox}/cancellation"), json!({"received_on": "2027-02-20", "channel": "email"})).await;
    assert_eq!(status, 200, "{timely}");
    assert_eq!((timely["effective"].as_str(), timely["in_time_for_current_term"].as_bool()), (Some("2027-04-01"), Some(true)));
    // Only e-mail counts; and no cancellation before the start.
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/cancellation"), json!({"received_on": "2027-02-20", "channel": "phone"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("channel")), "{body}");
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/cancellation"), json!({"received_on": "2026-12-20", "channel": "email"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("received_on")), "{body}");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "active", "nothing stored");

    w.run("2027-02-15", "2027-05-09");
    // Late notice: after the 1 May deadline for the term ending 1 June, so it ends 1 July.
    let (status, late) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/cancellation"), json!({"received_on": "2027-05-10", "channel": "email"})).await;
    assert_eq!(status, 200, "{late}");
    assert_eq!((late["effective"].as_str(), late["in_time_for_current_term"].as_bool()), (Some("2027-07-01"), Some(false)));
    w.run("2027-05-10", "2027-12-31");

    let docs = w.documents().await;
    let numbers: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(numbers, ["F2027-00001", "F2027-00002", "F2027-00003"], "{docs:?}");
    // € 29.85 + 21 % = 36.12; € 6.00 + 1.26; (€ 59.85 + € 15.00) + 15.72 = 90.57.
    assert_eq!(docs[0], doc("F2027-00001", "2027-01-01", "2027-01-15", 3612, "open"));
    assert_eq!(docs[1], doc("F2027-00002", "2027-01-01", "2027-01-15", 726, "open"));
    assert_eq!(docs[2], doc("F2027-00003", "2027-04-01", "2027-04-15", 9057, "open"));
    let third = w.invoice("F2027-00003").await;
    let l = lines(&third);
    assert_eq!(l[0], ("Hosting Plus — jansen.nl".into(), Some("2027-04-01".into()), Some("2027-07-01".into()), 5985));
    assert_eq!((l[1].1.as_deref(), l[1].2.as_deref(), l[1].3), (Some("2027-02-15"), Some("2027-04-01"), 1500));
    assert_eq!((third["net"].as_i64(), third["vat"].as_i64()), (Some(7485), Some(1572)));
    assert!(third["payment_reference"].as_str().unwrap().starts_with("RF"));
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "ended");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{mailbox}")).await["state"], "ended");

    // Payments: one in full, one more than is open — the rest is credit (used by the next
    // invoice; here refunded); a payment on a credit note is refused, nothing stored.
    let first = w.invoice("F2027-00001").await;
    w.pay(first["id"].as_i64().unwrap(), "36.12", "2027-01-10").await;
    let second = w.invoice("F2027-00002").await;
    let paid = w.pay(second["id"].as_i64().unwrap(), "10.00", "2027-01-12").await;
    assert_eq!(paid["to_credit"], 274);
    let overview = w.get(&format!("/api/v1/customers/{c}/billing")).await;
    assert_eq!(overview["credit_balance"], 274);
    let (status, cn) = w
        .post(
            &format!("/api/v1/invoices/{}/credit-notes", third["id"]),
            json!({"reason": "goodwill", "lines": [2], "issue_date": "2027-05-01"}),
        )
        .await;
    assert_eq!(status, 201, "{cn}");
    assert_eq!(cn["number"], "C2027-00001");
    let credit_note = w.invoice(cn["number"].as_str().unwrap()).await;
    assert_eq!(credit_note["gross"], 1815, "€ 15.00 + 21 %");
    let (status, body) = w
        .post(
            "/api/v1/payments",
            json!({"invoice_id": credit_note["id"], "amount": "5.00", "method": "bank_transfer", "received_on": "2027-05-01"}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("invoice_id")), "{body}");
    assert_eq!(w.invoice("F2027-00003").await["open"], 9057 - 1815);
    let (status, body) = w.post("/api/v1/refunds", json!({"customer_id": c, "amount": "2.75", "paid_on": "2027-05-01"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("amount")), "more than the credit: {body}");
    let (status, _) = w.post("/api/v1/refunds", json!({"customer_id": c, "amount": "2.74", "paid_on": "2027-05-01"})).await;
    assert_eq!(status, 201);
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"], 0);

    // Running a date again issues nothing; the notifications are mailed (files transport).
    assert!(w.run("2027-04-01", "2027-04-01").contains("issued 0 invoices"));
    w.env.ok(&["--config", &w.config, "jobs", "run"]);
    // The server's own worker may hold a job this command did not get: wait for it too.
    support::drained(&w.env.store().await).await;
    let mails: Vec<String> =
        std::fs::read_dir(w.env.path().join("mail-out")).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert!(mails.iter().any(|m| m.contains("F2027-00003") && m.contains("Content-Language: nl")), "{} mails", mails.len());
}

#[tokio::test]
async fn pingweb_invoices_on_the_first_a_month_ahead_consolidates_and_lets_consumers_opt_in() {
    let w = World::new("pingweb").await;
    let mut card = nl_business("Hoveniers Groen");
    card["wants_invoice_reminder"] = json!(true);
    let business = w.customer(card).await;
    let consumer = w.customer(nl_consumer("Piet Klaassen")).await;
    let renewer = w.customer(nl_consumer("Anna de Boer")).await;
    w.subscribe(business, "hosting-start", "groen.nl", "2014-04-18").await;
    w.subscribe(business, "domain-nl", "groen.nl", "2014-04-25").await;
    let lapsing = w.subscribe(consumer, "hosting-start", "klaassen.nl", "2014-05-10").await;
    let renewing = w.subscribe(renewer, "hosting-start", "deboer.nl", "2014-06-01").await;

    w.run("2014-04-01", "2015-02-28");
    let docs = w.documents().await;
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert_eq!(docs[0], doc("PW2014-00001", "2014-04-18", "2014-05-02", 7139, "open"));
    // Nothing for the next year yet on 28 February …
    w.run("2015-03-01", "2015-03-01");
    let docs = w.documents().await;
    // … and on 1 March 2015 both April renewals on one invoice: (59.00 + 9.95) + 21 % = 83.43.
    assert_eq!(docs[4], doc("PW2015-00001", "2015-03-01", "2015-03-15", 8343, "open"));
    let inv = w.invoice("PW2015-00001").await;
    let periods: Vec<_> = lines(&inv).into_iter().map(|l| (l.1.unwrap(), l.2.unwrap())).collect();
    assert_eq!(periods, [("2015-04-18".into(), "2016-04-18".into()), ("2015-04-25".into(), "2016-04-25".into())]);
    // The reminder the business asked for went out 30 days before that invoice.
    let store = w.env.store().await;
    let notes = store.notifications(business, 100).await.unwrap();
    let upcoming: Vec<_> = notes.iter().filter(|n| n.kind() == "upcoming_invoice").collect();
    assert!(upcoming.iter().any(|n| n.data()["date"] == "2015-03-01"), "{notes:?}");

    // Wet Van Dam: the consumers get a renewal offer 30 days ahead; one renews, one does not.
    w.run("2015-03-02", "2015-05-04");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{lapsing}")).await["state"], "renewal_offered");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{renewing}")).await["state"], "renewal_offered");
    let (status, body) = w.post(&format!("/api/v1/subscriptions/{renewing}/renewal"), json!({})).await;
    assert_eq!((status, body["renewed_until"].as_str()), (200, Some("2016-06-01")), "{body}");
    let (status, body) = w.post(&format!("/api/v1/subscriptions/{renewing}/renewal"), json!({})).await;
    assert_eq!((status, body["renewed_until"].as_str()), (200, Some("2016-06-01")), "sent twice, renewed once: {body}");
    w.run("2015-05-05", "2015-07-01");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{lapsing}")).await["state"], "lapsed");
    let docs = w.documents().await;
    let numbers: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(numbers, ["PW2014-00001", "PW2014-00002", "PW2014-00003", "PW2014-00004", "PW2015-00001", "PW2015-00002"]);
    assert_eq!(docs[5], doc("PW2015-00002", "2015-05-05", "2015-05-19", 7139, "open"), "the renewed year, invoiced at once");
    let kinds: Vec<String> = store.notifications(consumer, 100).await.unwrap().into_iter().map(|n| n.kind().to_string()).collect();
    assert!(kinds.contains(&"renewal_offer".to_string()) && kinds.contains(&"lapsed".to_string()), "{kinds:?}");
}

#[tokio::test]
async fn ecm2_a_mailbox_added_mid_quarter_is_settled_on_the_packages_next_invoice() {
    // "Tussentijdse wijzigingen worden op de volgende factuur verrekend": an extra mailbox on a
    // hosting package that runs per quarter from 1 January, added on 10 February.
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let hosting = w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    let other = w.customer(nl_business("Slagerij Vos")).await;
    let elsewhere = w.subscribe(other, "hosting-basis", "vos.nl", "2027-01-01").await;
    w.run("2026-12-01", "2027-02-09");
    let add = |parent: i64, start: &str| json!({"customer_id": c, "plan": "mailbox", "label": "info@jansen.nl", "start_date": start, "parent_id": parent});
    // The main service must be this card's, running, and started by then.
    for (parent, start) in [(elsewhere, "2027-02-10"), (hosting, "2026-12-31"), (999, "2027-02-10")] {
        let (status, body) = w.post("/api/v1/subscriptions", add(parent, start)).await;
        assert_eq!((status, body["field"].as_str()), (400, Some("parent_id")), "{body}");
    }
    let (status, mailbox) = w.post("/api/v1/subscriptions", add(hosting, "2027-02-10")).await;
    assert_eq!(status, 201, "{mailbox}");
    let mailbox = mailbox["id"].as_i64().unwrap();
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{mailbox}")).await["parent_id"], hosting);
    // An add-on cannot carry add-ons.
    let (status, body) = w.post("/api/v1/subscriptions", add(mailbox, "2027-02-11")).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("parent_id")), "{body}");
    // The card's overview says what the next invoice brings for it: € 3.36 + € 6.00 on 1 April.
    let overview = w.get(&format!("/api/v1/customers/{c}/billing")).await;
    let shown = overview["subscriptions"].as_array().unwrap().iter().find(|s| s["id"] == mailbox).cloned().unwrap();
    assert_eq!((shown["next_invoice_date"].as_str(), shown["next_invoice_amount"].as_i64()), (Some("2027-04-01"), Some(936)), "{shown}");

    // Nothing of its own in the running quarter.
    w.run("2027-02-10", "2027-03-31");
    let numbers = |docs: Vec<(String, String, String, i64, String)>| docs.into_iter().map(|d| d.0).collect::<Vec<_>>();
    assert_eq!(numbers(w.documents().await), ["F2027-00001", "F2027-00002"]);
    // On 1 April the package's invoice carries the mailbox: 10 February to 31 March pro rata
    // (€ 2.00 for March, 19/28 of € 2.00 for February), then the quarter whole.
    w.run("2027-04-01", "2027-04-01");
    let docs = w.documents().await;
    assert_eq!(numbers(docs.clone()), ["F2027-00001", "F2027-00002", "F2027-00003", "F2027-00004"]);
    let mine = w.invoice("F2027-00003").await;
    let mine = if mine["customer_id"] == c { mine } else { w.invoice("F2027-00004").await };
    let got: Vec<(String, Option<String>, Option<String>, i64)> = lines(&mine);
    assert_eq!(
        got.iter().map(|l| (l.1.clone().unwrap(), l.2.clone().unwrap(), l.3)).collect::<Vec<_>>(),
        [
            ("2027-04-01".to_string(), "2027-07-01".to_string(), 2985),
            ("2027-02-10".to_string(), "2027-04-01".to_string(), 336),
            ("2027-04-01".to_string(), "2027-07-01".to_string(), 600),
        ],
        "{mine}"
    );
    // (29.85 + 3.36 + 6.00) + 21 % = 39.21 + 8.23
    assert_eq!(mine["gross"], 4744, "{mine}");
    // The panel shows the next invoice of both on 1 July.
    let sub = w.get(&format!("/api/v1/subscriptions/{mailbox}")).await;
    assert_eq!(sub["invoiced_until"], "2027-07-01");

    // The package is cancelled on 20 April, too late for May: it ends on 1 June, and the mailbox
    // on it with it (its own notice would have run to 10 June). June is credited for both:
    // € 9.95 + € 2.00, + 21 %.
    let (status, cancelled) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/cancellation"), json!({"received_on": "2027-04-20", "channel": "email"})).await;
    assert_eq!((status, cancelled["effective"].as_str()), (200, Some("2027-06-01")), "{cancelled}");
    let sub = w.get(&format!("/api/v1/subscriptions/{mailbox}")).await;
    assert_eq!((sub["state"].as_str(), sub["ends_on"].as_str()), (Some("cancellation_requested"), Some("2027-06-01")), "{sub}");
    let credited: i64 = w.documents().await.iter().filter(|d| d.0.starts_with('C')).map(|d| d.3).sum();
    assert_eq!(credited, 1446);
    w.run("2027-04-02", "2027-09-30");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{mailbox}")).await["state"], "ended");
    for d in w.documents().await.into_iter().filter(|d| d.1.as_str() > "2027-04-20") {
        assert_ne!(w.invoice(&d.0).await["customer_id"], c, "nothing more is invoiced to the card: {d:?}");
    }

    // The provider ends a package at once: its mailbox is switched off with it.
    let (status, vos_mailbox) = w
        .post(
            "/api/v1/subscriptions",
            json!({"customer_id": other, "plan": "mailbox", "label": "info@vos.nl", "start_date": "2027-10-01", "parent_id": elsewhere}),
        )
        .await;
    assert_eq!(status, 201, "{vos_mailbox}");
    let (status, ended) = w.post(&format!("/api/v1/subscriptions/{elsewhere}/end"), json!({"on": "2027-10-05"})).await;
    assert_eq!(status, 200, "{ended}");
    let sub = w.get(&format!("/api/v1/subscriptions/{}", vos_mailbox["id"])).await;
    assert_eq!((sub["state"].as_str(), sub["ends_on"].as_str()), (Some("terminated"), Some("2027-10-05")), "{sub}");
}

#[tokio::test]
async fn controlepaneel_services_ordered_together_get_one_payment_request() {
    // Terms that consolidate ("one invoice for all services") make one pro forma of the services
    // that wait for payment on the same day; paying it starts them all.
    let w = World::new("controlepaneel").await;
    let c = w.customer(nl_business("Drukkerij Vos")).await;
    let vps = w.subscribe(c, "vps-s", "vps1.vos.nl", "2027-03-10").await;
    let domain = w.subscribe(c, "domain-com", "vos.com", "2027-03-10").await;
    w.run("2027-03-01", "2027-03-10");
    // VPS € 12.50 + set-up € 25.00 + domain € 14.95 = 52.45 + 21 % = 63.46.
    assert_eq!(w.documents().await, [doc("PRO2027-00001", "2027-03-10", "2027-03-24", 6346, "open")]);
    let pro_forma = w.invoice("PRO2027-00001").await;
    assert_eq!(lines(&pro_forma).len(), 3, "{pro_forma}");
    let paid = w.pay(pro_forma["id"].as_i64().unwrap(), "63.46", "2027-03-12").await;
    assert_eq!(paid["converted"], json!(["INV2027-00001"]), "{paid}");
    for s in [vps, domain] {
        assert_eq!(w.get(&format!("/api/v1/subscriptions/{s}")).await["state"], "active");
    }

    // Two more ordered together; one is cancelled before paying: the request is voided and the
    // other gets a request of its own on the next run.
    let vps2 = w.subscribe(c, "vps-s", "vps2.vos.nl", "2027-04-05").await;
    let domain2 = w.subscribe(c, "domain-com", "vos.eu", "2027-04-05").await;
    w.run("2027-03-13", "2027-04-05");
    let request = w.documents().await.into_iter().find(|d| d.0.starts_with("PRO") && d.4 == "open").unwrap();
    assert_eq!(request.3, 6346, "{request:?}");
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{domain2}/cancellation"), json!({"received_on": "2027-04-06", "channel": "email"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(w.invoice(&request.0).await["state"], "void");
    w.run("2027-04-06", "2027-04-06");
    let again: Vec<_> = w.documents().await.into_iter().filter(|d| d.0.starts_with("PRO") && d.4 == "open").collect();
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].3, 4538, "the VPS with its set-up: {again:?}");
    let paid = w.pay(w.invoice(&again[0].0).await["id"].as_i64().unwrap(), "45.38", "2027-04-07").await;
    assert_eq!(paid["converted"].as_array().map(Vec::len), Some(1), "{paid}");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{vps2}")).await["state"], "active");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{domain2}")).await["state"], "ended");
}

#[tokio::test]
async fn pingweb_an_add_on_ends_when_its_package_is_not_renewed() {
    // Wet Van Dam: a private customer's package not renewed ends at its term; the extra service
    // on it (a provider's own add-on product, added by its billing file) ends with it, and what
    // was invoiced for it beyond that day is credited.
    let w = World::new("pingweb").await;
    let extra = w.env.dir.path().join("mailbox.toml");
    std::fs::write(
        &extra,
        "[products.mailbox]\nname = \"Extra mailbox\"\nkind = \"add_on\"\n\n\
         [plans.mailbox]\nname = \"Extra mailbox\"\nproduct = \"mailbox\"\nterms = \"pingweb-yearly\"\nprices = { \"year\" = \"12.00\" }\n",
    )
    .unwrap();
    w.env.ok(&["--config", &w.config, "billing", "apply", extra.to_str().unwrap()]);
    let c = w.customer(nl_consumer("Piet Klaassen")).await;
    let package = w.subscribe(c, "hosting-start", "klaassen.nl", "2027-01-10").await;
    let (status, mailbox) = w
        .post(
            "/api/v1/subscriptions",
            json!({"customer_id": c, "plan": "mailbox", "label": "piet@klaassen.nl", "start_date": "2027-03-05", "parent_id": package}),
        )
        .await;
    assert_eq!(status, 201, "{mailbox}");
    let mailbox = mailbox["id"].as_i64().unwrap();
    w.run("2027-01-01", "2028-01-31");
    let p = w.get(&format!("/api/v1/subscriptions/{package}")).await;
    assert_eq!((p["state"].as_str(), p["ends_on"].as_str()), (Some("lapsed"), Some("2028-01-10")), "{p}");
    let m = w.get(&format!("/api/v1/subscriptions/{mailbox}")).await;
    assert_eq!((m["state"].as_str(), m["ends_on"].as_str()), (Some("ended"), Some("2028-01-10")), "{m}");
    // Its days from 10 January were invoiced ahead, with its first days, on 1 December; they
    // are credited.
    let credits: Vec<_> = w.documents().await.into_iter().filter(|d| d.0.starts_with("PWC")).collect();
    assert_eq!(credits.len(), 1, "{credits:?}");
    let note = w.invoice(&credits[0].0).await;
    let credited = lines(&note);
    assert_eq!(
        credited.iter().map(|l| (l.1.as_deref(), l.2.as_deref())).collect::<Vec<_>>(),
        [(Some("2028-01-10"), Some("2028-03-05"))],
        "{note}"
    );
}

#[tokio::test]
async fn controlepaneel_a_pro_forma_paid_after_a_new_card_is_invoiced_to_the_new_card() {
    // Seed 002: a new tax identity needs a new customer card with the services moved to it, and
    // "if you already received a payment request (pro forma), you can pay it; the official
    // invoice will carry the updated data".
    let w = World::new("controlepaneel").await;
    let c = w.customer(nl_consumer("Jan Jansen")).await;
    let vps = w.subscribe(c, "vps-s", "vps1.jansen.nl", "2027-03-10").await;
    w.run("2027-03-01", "2027-03-10");
    let pro_forma = w.invoice("PRO2027-00001").await;
    assert_eq!(pro_forma["state"], "open");
    // Jan starts a company before paying: a new card with a VAT number.
    let (status, new) = w
        .post(
            &format!("/api/v1/customers/{c}/replacement"),
            json!({"changes": {"kind": "business", "legal_name": "Jansen Webdesign", "vat_number": "NL123456789B13"}}),
        )
        .await;
    assert_eq!(status, 201, "{new}");
    let new_id = new["id"].as_i64().unwrap();
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{vps}")).await["customer_id"], new_id, "the service moved");
    // The pro forma stays as it was sent; paying it makes the invoice on the new card.
    let gross = pro_forma["gross"].as_i64().unwrap();
    let paid = w.pay(pro_forma["id"].as_i64().unwrap(), &format!("{}.{:02}", gross / 100, gross % 100), "2027-03-12").await;
    assert_eq!(paid["converted"], json!(["INV2027-00001"]), "{paid}");
    let invoice = w.invoice("INV2027-00001").await;
    assert_eq!(invoice["customer_id"], new_id, "{invoice}");
    assert_eq!(
        (invoice["customer"]["legal_name"].as_str(), invoice["customer"]["vat_number"].as_str(), invoice["state"].as_str()),
        (Some("Jansen Webdesign"), Some("NL123456789B13"), Some("paid")),
        "{invoice}"
    );
    let old = w.invoice("PRO2027-00001").await;
    assert_eq!(
        (old["customer_id"].as_i64(), old["customer"]["legal_name"].as_str()),
        (Some(c), Some("Jan Jansen")),
        "the pro forma keeps what it said"
    );
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{vps}")).await["state"], "active");
    // The new card's users are told of the invoice, in the panel and by mail.
    let store = w.env.store().await;
    let kinds: Vec<String> = store.notifications(new_id, 100).await.unwrap().into_iter().map(|n| n.kind().to_string()).collect();
    assert!(kinds.contains(&"invoice_issued".to_string()), "{kinds:?}");
}

#[tokio::test]
async fn controlepaneel_pro_forma_becomes_an_invoice_with_todays_customer_data() {
    let w = World::new("controlepaneel").await;
    let c = w.customer(nl_business("Drukkerij Vos")).await;
    let vps = w.subscribe(c, "vps-s", "vps1.vos.nl", "2027-03-10").await;
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{vps}")).await["state"], "pending_payment");
    w.run("2027-03-01", "2027-03-20");
    let docs = w.documents().await;
    // VPS € 12.50 + set-up € 25.00 = 37.50 + 21 % = 45.38, as a payment request, not an invoice.
    assert_eq!(docs, [doc("PRO2027-00001", "2027-03-10", "2027-03-24", 4538, "open")]);
    // The customer moves before paying; the paid pro forma becomes an invoice with the new address.
    let store = w.env.store().await;
    let mut card = store.customer(c).await.unwrap().unwrap().card;
    card.address.city = "Tilburg".into();
    let mut tx = store.begin().await.unwrap();
    loket_store::customers::update_customer(&mut tx, c, &card).await.unwrap();
    loket_store::commit(tx).await.unwrap();
    let pro_forma = w.invoice("PRO2027-00001").await;
    let paid = w.pay(pro_forma["id"].as_i64().unwrap(), "45.38", "2027-03-21").await;
    assert_eq!(paid["converted"], json!(["INV2027-00001"]));
    let invoice = w.invoice("INV2027-00001").await;
    assert_eq!((invoice["customer"]["city"].as_str(), invoice["state"].as_str()), (Some("Tilburg"), Some("paid")));
    assert_eq!(w.invoice("PRO2027-00001").await["customer"]["city"], "Eindhoven", "the pro forma keeps what it said");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{vps}")).await["state"], "active");
    w.run("2027-03-21", "2027-04-10");
    let docs = w.documents().await;
    assert_eq!(docs.last().unwrap(), &doc("INV2027-00002", "2027-04-10", "2027-04-24", 1513, "open"));

    // A VPS paid four months after the month it ordered: it runs, and is paid, from then on; the
    // months it waited are not billed, and its anniversary (the 1st) stays.
    let late = w.subscribe(c, "vps-s", "vps2.vos.nl", "2027-05-01").await;
    w.run("2027-04-11", "2027-05-01");
    let request = w.documents().await.last().unwrap().0.clone();
    assert!(request.starts_with("PRO2027-"), "{request}");
    let pro_forma = w.invoice(&request).await;
    let paid = w.pay(pro_forma["id"].as_i64().unwrap(), "45.38", "2027-09-01").await;
    let invoice = w.invoice(paid["converted"][0].as_str().unwrap()).await;
    let vps_line = lines(&invoice).into_iter().find(|l| l.1.is_some()).unwrap();
    assert_eq!((vps_line.1.as_deref(), vps_line.2.as_deref()), (Some("2027-09-01"), Some("2027-10-02")), "31 days, as May had");
    w.run("2027-05-02", "2027-10-01");
    // Its next lines run from the end of the days paid for to its anniversary, a part of October.
    let mut periods = Vec::new();
    for d in w.documents().await.into_iter().filter(|d| d.1.as_str() > "2027-09-01") {
        let inv = w.invoice(&d.0).await;
        for l in inv["lines"].as_array().unwrap().iter().filter(|l| l["subscription_id"].as_i64() == Some(late)) {
            periods.push((l["period_from"].as_str().unwrap().to_string(), l["period_to"].as_str().unwrap().to_string(), l["net"].as_i64()));
        }
    }
    assert_eq!(
        periods,
        [("2027-10-02".to_string(), "2027-11-01".to_string(), Some(1210))],
        "nothing for May to August; 30 of October's 31 days"
    );
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{late}")).await["start_date"], "2027-05-01");
    // An issued invoice cannot be changed, not even in the database.
    let changed = sqlx::query("UPDATE invoices SET net = 1 WHERE number = 'INV2027-00001'").execute(store.pool()).await;
    assert!(changed.is_err(), "the database refused the change");
}

#[tokio::test]
async fn webbureau_bills_extra_hours_on_the_next_invoice() {
    let w = World::new("webbureau").await;
    let c = w.customer(nl_business("Tandarts Smit")).await;
    w.subscribe(c, "managed-hosting", "smit.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-19");
    let (status, body) = w
        .post("/api/v1/items", json!({"customer_id": c, "description": "Support buiten contract", "quantity": "1.5", "unit_price": "85.00", "on": "2027-01-20"}))
        .await;
    assert_eq!(status, 201, "{body}");
    for (field, item) in [
        ("unit_price", json!({"customer_id": c, "description": "x", "quantity": "1", "unit_price": "-5.00"})),
        ("quantity", json!({"customer_id": c, "description": "x", "quantity": "abc", "unit_price": "5.00"})),
        ("customer_id", json!({"customer_id": 999, "description": "x", "quantity": "1", "unit_price": "5.00"})),
    ] {
        let (status, body) = w.post("/api/v1/items", item).await;
        assert_eq!((status, body["field"].as_str()), (400, Some(field)), "{body}");
    }
    // Until then it waits, for the customer and staff to see, with and without VAT.
    let pending = w.get(&format!("/api/v1/customers/{c}/billing")).await["pending"].clone();
    assert_eq!(pending.as_array().map(Vec::len), Some(1), "{pending}");
    assert_eq!(
        (pending[0]["net"].as_i64(), pending[0]["gross"].as_i64(), pending[0]["quantity_milli"].as_i64()),
        (Some(12750), Some(15428), Some(1500))
    );
    let mut staff = w.staff_client("anna@provider.test", "billing").await;
    let page = staff.get(&format!("/staff/customers/{c}/billing")).await;
    assert!(page.body.contains("Waiting for the next invoice") && page.body.contains("Support buiten contract (1.5)"), "{}", page.body);
    w.run("2027-01-20", "2027-02-01");
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["pending"], serde_json::json!([]), "invoiced: no longer waiting");
    let docs = w.documents().await;
    assert_eq!(docs[0], doc("WB2027-00001", "2027-01-01", "2027-01-31", 5445, "open"));
    // € 45.00 + 1.5 × € 85.00 = 172.50 + 21 % = 208.73.
    assert_eq!(docs[1], doc("WB2027-00002", "2027-02-01", "2027-03-03", 20873, "open"));
    let l = lines(&w.invoice("WB2027-00002").await);
    assert_eq!(l[1], ("Support buiten contract".into(), None, None, 12750));
}

#[tokio::test]
async fn gestione_internet_prepays_suspends_charges_reactivation_and_bills_the_project_balance() {
    let w = World::new("gestione-internet").await;
    let a = w.customer(it_business("Ristorante Da Mario")).await;
    let b = w.customer(it_business("Studio Rossi")).await;
    let hosting = w.subscribe(a, "hosting-base", "damario.it", "2027-02-01").await;
    let (status, body) = w
        .post(
            "/api/v1/projects",
            json!({"customer_id": b, "description": "Sito web", "total": "0.00", "deposit_percent": 30, "signed_on": "2027-02-01"}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("total")), "a project of nothing: {body}");
    let (status, body) = w
        .post(
            "/api/v1/projects",
            json!({"customer_id": b, "description": "Sito web", "total": "2400.00", "deposit_percent": 30, "signed_on": "2027-02-01"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    w.run("2027-02-01", "2027-02-04");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "pending_payment");
    let first = w.invoice("FT2027-00001").await;
    assert_eq!((first["gross"].as_i64(), first["due_date"].as_str()), (Some(14640), Some("2027-02-16")), "€ 120 + 22 %");
    assert_eq!(w.invoice("FT2027-00002").await["gross"], 87840, "deposit 30 % of € 2,400 + 22 %");
    w.pay(first["id"].as_i64().unwrap(), "146.40", "2027-02-05").await;
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "active", "paid, so activated");

    // The showcase renews on 31 December: the first invoice covers 15 March – 31 December.
    let vetrina = w.subscribe(a, "vetrina", "Vetrina Da Mario", "2027-03-15").await;
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{vetrina}/cancellation"), json!({"received_on": "2027-03-20", "channel": "email"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("channel")), "only a raccomandata counts: {body}");
    w.run("2027-02-05", "2027-04-14");
    let third = w.invoice("FT2027-00003").await;
    assert_eq!(lines(&third)[0].1.as_deref(), Some("2027-03-15"));
    assert_eq!(lines(&third)[0].2.as_deref(), Some("2028-01-01"));
    assert_eq!(third["gross"], 17474, "€ 180 for nine months (April – December) and 17 of March's 31 days = € 143.23 + 22 %");
    // Not paid by the due date (30 March): suspended at once, reminded on day 10.
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "suspended");
    let store = w.env.store().await;
    let kinds: Vec<String> = store.notifications(a, 100).await.unwrap().into_iter().map(|n| n.kind().to_string()).collect();
    assert!(kinds.contains(&"suspended".to_string()) && kinds.contains(&"reminder".to_string()), "{kinds:?}");
    // Paid: reactivated, with the € 20.00 + VAT fee invoiced.
    let paid = w.pay(third["id"].as_i64().unwrap(), "174.74", "2027-04-15").await;
    assert_eq!((paid["reactivated"].as_bool(), paid["fee_invoice"].as_str()), (Some(true), Some("FT2027-00004")));
    assert_eq!(w.invoice("FT2027-00004").await["gross"], 2440);
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "active");
    let fee = w.invoice("FT2027-00004").await;
    w.pay(fee["id"].as_i64().unwrap(), "24.40", "2027-04-15").await;

    // A late raccomandata (deadline 3 December for the term ending 1 February) ends a year later.
    let (status, late) = w
        .post(
            &format!("/api/v1/subscriptions/{hosting}/cancellation"),
            json!({"received_on": "2027-12-10", "channel": "registered_letter"}),
        )
        .await;
    assert_eq!(status, 200, "{late}");
    assert_eq!(late["effective"], "2029-02-01");
    w.run("2027-04-15", "2028-02-01");
    let docs = w.documents().await;
    let numbers: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
    // The project balance falls due 180 days after signing (31 July) although nothing was delivered.
    assert_eq!(numbers, ["FT2027-00001", "FT2027-00002", "FT2027-00003", "FT2027-00004", "FT2027-00005", "FT2028-00001", "FT2028-00002"]);
    assert_eq!(docs[4], doc("FT2027-00005", "2027-07-31", "2027-08-14", 204960, "open"));
    assert_eq!(docs[5], doc("FT2028-00001", "2028-01-01", "2028-01-16", 21960, "open"));
    assert_eq!(docs[6], doc("FT2028-00002", "2028-02-01", "2028-02-16", 14640, "open"));
    // Studio Rossi never paid: repeatedly late; Da Mario was late once.
    assert_eq!(w.get(&format!("/api/v1/customers/{b}/billing?on=2028-01-10")).await["repeatedly_late"], true);
    assert_eq!(w.get(&format!("/api/v1/customers/{a}/billing?on=2028-01-10")).await["repeatedly_late"], false);
}

#[tokio::test]
async fn two_runs_at_once_issue_each_invoice_once_without_gaps() {
    let w = World::new("ecm2").await;
    let mut ids = Vec::new();
    for i in 0..30 {
        let c = w.customer(nl_business(&format!("Klant {i}"))).await;
        ids.push(w.subscribe(c, "hosting-basis", &format!("k{i}.nl"), "2027-01-01").await);
    }
    let spawn =
        || w.env.cmd().args(["--config", &w.config, "billing", "run", "--date", "2027-01-01", "--until", "2027-12-31"]).spawn().unwrap();
    let (mut one, mut two) = (spawn(), spawn());
    assert!(one.wait().unwrap().success() && two.wait().unwrap().success());
    let docs = w.documents().await;
    // Each subscription: 1 Jan, 1 Apr, 1 Jul, 1 Oct (three months, then monthly; billed quarterly).
    assert_eq!(docs.len(), 30 * 4, "{}", docs.len());
    let mut numbers: Vec<String> = docs.iter().map(|d| d.0.clone()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=120).map(|n| format!("F2027-{n:05}")).collect();
    assert_eq!(numbers, expected, "gap-free, each once");
}

/// Months end as the law counts them (BGB § 188, codice civile art. 2963): ECM2's first quarter
/// from 31 January runs through 30 April, and Pingweb's year from 29 February 2028 through 28
/// February 2029; the next period starts the day after, and no day is lost or paid twice.
#[tokio::test]
async fn periods_from_a_month_end_lose_no_day() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bloemist Jansen")).await;
    w.subscribe(c, "hosting-basis", "bloem.nl", "2027-01-31").await;
    w.run("2027-01-31", "2027-01-31");
    let first = w.invoice(&w.documents().await[0].0).await;
    let l = lines(&first).into_iter().find(|l| l.1.is_some()).unwrap();
    assert_eq!((l.1.as_deref(), l.2.as_deref()), (Some("2027-01-31"), Some("2027-05-01")), "through 30 April: {first}");

    let w = World::new("pingweb").await;
    let c = w.customer(nl_business("Schrikkel B.V.")).await;
    w.subscribe(c, "hosting-start", "schrikkel.nl", "2028-02-29").await;
    w.run("2028-02-29", "2028-02-29");
    let first = w.invoice(&w.documents().await[0].0).await;
    let l = lines(&first).into_iter().find(|l| l.1.is_some()).unwrap();
    assert_eq!((l.1.as_deref(), l.2.as_deref()), (Some("2028-02-29"), Some("2029-03-01")), "through 28 February 2029: {first}");
}
