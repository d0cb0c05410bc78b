//! What happens to money when a contract ends or changes after it was invoiced ahead, replayed
//! through the real program with the seed providers' own billing files (issue 8, defects 1–5):
//! the part beyond the end is credited exactly and never dunned, cut periods cost whole months,
//! one suspension brings at most one reactivation fee, `pro_rata` refunds are real, and a
//! recorded cancellation survives a suspension.

use crate::support;

use serde_json::{Value, json};
use support::world::*;

async fn cancel(w: &World, sub: i64, received: &str, channel: &str) -> Value {
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{sub}/cancellation"), json!({"received_on": received, "channel": channel})).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn ecm2_a_cancellation_after_the_quarter_was_invoiced_credits_the_months_after_the_end() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let hosting = w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-04-01");
    let docs = w.documents().await;
    assert_eq!(docs[1], doc("F2027-00002", "2027-04-01", "2027-04-15", 3612, "open"), "the second quarter, invoiced ahead");

    // 20 April: too late for the term ending 1 May (deadline 1 April), in time for 1 June.
    let late = cancel(&w, hosting, "2027-04-20", "email").await;
    assert_eq!(late["effective"], "2027-06-01");
    assert_eq!(late["last_day"], "2027-05-31");
    assert_eq!(late["missed_deadline"], "2027-04-01", "the message names the deadline it missed");
    assert_eq!(late["credit_notes"], json!(["C2027-00001"]));
    // June of the invoiced quarter: one month of € 29.85 a quarter = € 9.95 + 21 % = € 12.04.
    let cn = w.invoice("C2027-00001").await;
    assert_eq!(
        (cn["gross"].as_i64(), cn["net"].as_i64(), cn["credits_invoice_id"].clone()),
        (Some(1204), Some(995), w.invoice("F2027-00002").await["id"].clone())
    );
    let l = &cn["lines"][0];
    assert_eq!(
        (l["period_from"].as_str(), l["period_to"].as_str(), l["credits_position"].as_i64()),
        (Some("2027-06-01"), Some("2027-07-01"), Some(1))
    );
    assert_eq!(w.invoice("F2027-00002").await["open"], 3612 - 1204, "the credit lowers what is open");

    // Nothing is invoiced after the end, the subscription ends on its date, and dunning chases
    // only what is really owed.
    w.run("2027-04-21", "2027-08-01");
    assert_eq!(w.state(hosting).await, "ended");
    let docs = w.documents().await;
    assert_eq!(docs.iter().filter(|d| d.0.starts_with("F2027")).count(), 2, "{docs:?}");
    let reminders: Vec<Value> = w.notes(c).await.into_iter().filter(|n| n["kind"] == "reminder").collect();
    assert!(!reminders.is_empty());
    for r in &reminders {
        let amount = r["data"]["amount"].as_i64().unwrap();
        assert!(amount == 3612 || amount == 2408, "{r}");
        if r["data"]["number"] == "F2027-00002" {
            assert_eq!(amount, 2408, "never the credited month: {r}");
        }
    }
    // Invoices minus credit notes: exactly January to May, five months of € 9.95.
    let invoiced = w.invoice("F2027-00001").await["net"].as_i64().unwrap() + w.invoice("F2027-00002").await["net"].as_i64().unwrap();
    assert_eq!(invoiced - cn["net"].as_i64().unwrap(), 5 * 995);
}

#[tokio::test]
async fn ecm2_a_quarter_cut_by_the_end_costs_whole_months() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Slagerij Bos")).await;
    let hosting = w.subscribe(c, "hosting-basis", "bos.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-03-19");
    // 20 March: late for 1 April (deadline 1 March), so it ends 1 May — one month into the
    // quarter that the run invoices on 1 April.
    let c1 = cancel(&w, hosting, "2027-03-20", "email").await;
    assert_eq!((c1["effective"].as_str(), c1["credit_notes"].clone()), (Some("2027-05-01"), json!([])));
    w.run("2027-03-20", "2027-06-01");
    let second = w.invoice("F2027-00002").await;
    let l = lines(&second);
    assert_eq!(l[0].1.as_deref(), Some("2027-04-01"));
    assert_eq!(l[0].2.as_deref(), Some("2027-05-01"));
    assert_eq!(l[0].3, 995, "one month of € 29.85 a quarter: € 9.95, not 30/91 of it (€ 9.84)");
    assert_eq!(w.state(hosting).await, "ended");
}

#[tokio::test]
async fn pingweb_a_timely_cancellation_credits_the_year_invoiced_on_the_first_and_dunning_leaves_it_alone() {
    let w = World::new("pingweb").await;
    let c = w.customer(nl_business("Hoveniers Groen")).await;
    let hosting = w.subscribe(c, "hosting-start", "groen.nl", "2014-04-18").await;
    w.subscribe(c, "domain-nl", "groen.nl", "2014-04-25").await;
    w.run("2014-04-18", "2015-03-01");
    assert_eq!(w.invoice("PW2015-00001").await["gross"], 8343, "both renewals on the 1st, a month and a half ahead");
    // 10 March: in time for 18 April (30 days' notice). The hosting's year on the invoice is
    // credited in full; the domain stays due.
    let c1 = cancel(&w, hosting, "2015-03-10", "portal").await;
    assert_eq!((c1["effective"].as_str(), c1["in_time_for_current_term"].as_bool()), (Some("2015-04-18"), Some(true)));
    assert_eq!(c1["credit_notes"], json!(["PWC2015-00001"]));
    assert_eq!(w.invoice("PWC2015-00001").await["gross"], 7139, "€ 59.00 + 21 %");
    assert_eq!(w.invoice("PW2015-00001").await["open"], 8343 - 7139);
    w.run("2015-03-02", "2015-05-01");
    let reminders: Vec<Value> =
        w.notes(c).await.into_iter().filter(|n| n["kind"] == "reminder" && n["data"]["number"] == "PW2015-00001").collect();
    assert!(!reminders.is_empty() && reminders.iter().all(|r| r["data"]["amount"] == 1204), "only the domain is chased: {reminders:?}");
    assert_eq!(w.state(hosting).await, "ended");
}

#[tokio::test]
async fn gestione_a_cancellation_survives_suspension_and_one_suspension_brings_one_fee() {
    let w = World::new("gestione-internet").await;
    let a = w.customer(it_business("Ristorante Da Mario")).await;
    let hosting = w.subscribe(a, "hosting-base", "damario.it", "2027-02-01").await;
    w.run("2027-02-01", "2027-02-04");
    w.pay(w.invoice("FT2027-00001").await["id"].as_i64().unwrap(), "146.40", "2027-02-05").await;
    // Cancelled in time by raccomandata: it ends with its year, on 1 February 2028.
    assert_eq!(cancel(&w, hosting, "2027-03-01", "registered_letter").await["effective"], "2028-02-01");
    let vetrina = w.subscribe(a, "vetrina", "Vetrina Da Mario", "2027-03-15").await;
    w.run("2027-02-05", "2027-03-31");
    // The showcase's invoice (due 30 March) is unpaid: services off at once.
    assert_eq!(w.state(hosting).await, "suspended");
    let sub = w.get(&format!("/api/v1/subscriptions/{hosting}")).await;
    assert_eq!((sub["ends_on"].as_str(), sub["suspended_since"].as_str()), (Some("2028-02-01"), Some("2027-03-31")), "both facts kept");

    // Paid: back on, with the one € 20.00 + IVA fee, due with the payment term of the invoice
    // that caused the suspension (15 days), not the same day.
    let paid = w.pay(w.invoice("FT2027-00002").await["id"].as_i64().unwrap(), "174.74", "2027-04-02").await;
    assert_eq!((paid["reactivated"].as_bool(), paid["fee_invoice"].as_str()), (Some(true), Some("FT2027-00003")));
    let fee = w.invoice("FT2027-00003").await;
    assert_eq!((fee["gross"].as_i64(), fee["due_date"].as_str()), (Some(2440), Some("2027-04-17")));
    assert_eq!(fee["lines"][0]["description"], "Riattivazione dei servizi sospesi", "in the customer's language");
    assert_eq!(w.state(hosting).await, "cancellation_requested", "the cancellation was not forgotten");
    w.run("2027-04-01", "2027-04-17");
    assert_eq!(w.state(vetrina).await, "active", "a fee with a normal term does not suspend at once");
    // The fee itself paid late: suspended again; paying it brings no new fee.
    w.run("2027-04-18", "2027-04-18");
    assert_eq!(w.state(vetrina).await, "suspended");
    let paid = w.pay(fee["id"].as_i64().unwrap(), "24.40", "2027-04-20").await;
    assert_eq!(
        (paid["reactivated"].as_bool(), paid["fee_invoice"].clone()),
        (Some(true), Value::Null),
        "paying a fee never produces a fee"
    );

    // The year runs out: the showcase renews on 1 January (unpaid: suspended again), the hosting
    // ends on its date all the same.
    w.run("2027-04-20", "2028-02-02");
    assert_eq!(w.state(hosting).await, "ended");
    let docs = w.documents().await;
    let numbers: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(numbers, ["FT2027-00001", "FT2027-00002", "FT2027-00003", "FT2028-00001"], "no hosting year after the end, no second fee");
}

#[tokio::test]
async fn ended_at_once_credits_what_the_terms_refund() {
    let w = World::new("gestione-internet").await;
    // Gestione's own terms: "no refund for the remaining period" of a begun year.
    let a = w.customer(it_business("Bar Sport")).await;
    let plain = w.subscribe(a, "hosting-base", "barsport.it", "2027-02-01").await;
    w.run("2027-02-01", "2027-02-01");
    w.pay(w.invoice("FT2027-00001").await["id"].as_i64().unwrap(), "146.40", "2027-02-02").await;
    let (status, ended) = w.post(&format!("/api/v1/subscriptions/{plain}/end"), json!({"on": "2027-07-01"})).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!((ended["last_day"].as_str(), ended["credit_notes"].clone()), (Some("2027-06-30"), json!([])));
    assert_eq!(w.state(plain).await, "terminated");
    // The same plan on terms that refund pro rata: July 2027 – January 2028, seven whole months
    // of € 120.00 a year = € 70.00 + 22 % = € 85.40, to the customer's credit (it was paid).
    let mut terms = w.get("/api/v1/terms").await.as_array().unwrap().iter().find(|t| t["code"] == "annuale").unwrap()["spec"].clone();
    terms["refund_on_early_cancellation"] = json!("pro_rata");
    terms["name"] = json!("Annuale, rimborso pro rata");
    assert_eq!(w.put("/api/v1/terms/annuale-rimborso", terms).await.0, 200);
    let (status, body) = w
        .put(
            "/api/v1/plans/hosting-rimborso",
            json!({"name": "Hosting Base (rimborso)", "product": "hosting", "terms": "annuale-rimborso", "prices": {"year": "120.00"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let b = w.customer(it_business("Pasticceria Dolce")).await;
    let refunded = w.subscribe(b, "hosting-rimborso", "dolce.it", "2027-02-01").await;
    w.run("2027-02-02", "2027-02-02");
    let first = w.documents().await.into_iter().find(|d| d.1 == "2027-02-02").unwrap();
    w.pay(w.invoice(&first.0).await["id"].as_i64().unwrap(), "146.40", "2027-02-03").await;
    let (status, ended) = w.post(&format!("/api/v1/subscriptions/{refunded}/end"), json!({"on": "2027-07-01"})).await;
    assert_eq!(status, 200, "{ended}");
    let cn = w.invoice(ended["credit_notes"][0].as_str().unwrap()).await;
    assert_eq!((cn["net"].as_i64(), cn["gross"].as_i64()), (Some(7000), Some(8540)));
    assert_eq!(w.get(&format!("/api/v1/customers/{b}/billing")).await["credit_balance"], 8540);
    // Ending it again is refused; nothing more is credited.
    let (status, _) = w.post(&format!("/api/v1/subscriptions/{refunded}/end"), json!({"on": "2027-06-01"})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn ecm2_ended_at_once_keeps_the_begun_month_and_credits_the_rest_of_the_quarter() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Fietsen Smit")).await;
    let hosting = w.subscribe(c, "hosting-basis", "smit.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-04-01");
    // Ended on 10 April: the monthly term to 1 May stays due, May and June are credited.
    let (status, ended) = w.post(&format!("/api/v1/subscriptions/{hosting}/end"), json!({"on": "2027-04-10"})).await;
    assert_eq!(status, 200, "{ended}");
    let cn = w.invoice(ended["credit_notes"][0].as_str().unwrap()).await;
    assert_eq!(cn["net"], 1990);
    assert_eq!((cn["lines"][0]["period_from"].as_str(), cn["lines"][0]["period_to"].as_str()), (Some("2027-05-01"), Some("2027-07-01")));
}

#[tokio::test]
async fn a_cheaper_plan_credits_the_difference_a_dearer_one_adds_it_and_both_settle_again_at_the_end() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Drukkerij Vos")).await;
    let hosting = w.subscribe(c, "hosting-plus", "vos.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    // € 59.85 → € 29.85 a quarter from 1 February: two months of € 10.00 less, credited now.
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/plan-change"), json!({"plan": "hosting-basis", "on": "2027-02-01"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["credit_notes"], json!(["C2027-00001"]));
    assert_eq!(w.invoice("C2027-00001").await["net"], 2000);
    // A change dated before the last one is refused.
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/plan-change"), json!({"plan": "hosting-plus", "on": "2027-01-15"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("on")), "{body}");
    // Cancelled for 1 May: the second quarter is cut to April at the new price.
    let c1 = cancel(&w, hosting, "2027-03-01", "email").await;
    assert_eq!(c1["effective"], "2027-04-01");
    w.run("2027-01-02", "2027-05-01");
    let invoiced: i64 = w.documents().await.iter().filter(|d| d.0.starts_with('F')).map(|d| d.3).sum();
    assert_eq!(invoiced, w.invoice("F2027-00001").await["gross"].as_i64().unwrap(), "nothing after the end");
    // Served: January at € 59.85 a quarter, February and March at € 29.85 a quarter.
    assert_eq!(w.invoice("F2027-00001").await["net"].as_i64().unwrap() - 2000, 1995 + 2 * 995);
}

/// ECM2: "Tussentijdse wijzigingen worden op de volgende factuur verrekend." A cheaper plan in a
/// quarter already invoiced and paid is credited by a credit note (the correction an invoice
/// needs), whose money waits on the customer's balance and pays the next invoice: that invoice
/// is open only for the rest.
#[tokio::test]
async fn ecm2_a_cheaper_plan_in_a_paid_quarter_is_settled_on_the_next_invoice() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Drukkerij Mol")).await;
    let hosting = w.subscribe(c, "hosting-plus", "mol.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let first = w.invoice("F2027-00001").await;
    let paid = first["gross"].as_i64().unwrap();
    w.pay(first["id"].as_i64().unwrap(), &format!("{}.{:02}", paid / 100, paid % 100), "2027-01-10").await;
    let (status, body) =
        w.post(&format!("/api/v1/subscriptions/{hosting}/plan-change"), json!({"plan": "hosting-basis", "on": "2027-02-01"})).await;
    assert_eq!((status, body["credit_notes"].clone()), (200, json!(["C2027-00001"])), "{body}");
    // February and March at € 10.00 less a month, with 21 % VAT, wait on the balance.
    assert_eq!(w.invoice("C2027-00001").await["gross"], 2420);
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"], 2420);
    w.run("2027-01-02", "2027-04-01");
    let next = w.invoice("F2027-00002").await;
    let gross = next["gross"].as_i64().unwrap();
    assert_eq!(next["net"], 2985, "the next quarter at the new price: {next}");
    assert_eq!(next["open"].as_i64(), Some(gross - 2420), "the credit pays part of it: {next}");
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"], 0);
}

/// Hostile input found money made out of nothing: a payment "from the credit balance" that
/// never took from it (and put the rest on it), the same invoice line credited again and
/// again, and an invoice that could not be credited in full line by line (each credit note
/// rounds its own VAT).
#[tokio::test]
async fn credit_is_spent_once_and_a_line_is_credited_once() {
    let w = World::new("webbureau").await;
    let c = w.customer(nl_business("Drukkerij Kok")).await;
    // Seven one-off lines on one invoice: € 101.50 + 21 % VAT (€ 21.32); a note for one line
    // rounds its VAT up (€ 3.045 → € 3.05), so seven notes come to € 0.03 more than the invoice.
    for i in 1..=7 {
        let item =
            json!({"customer_id": c, "description": format!("Werk {i}"), "quantity": "1", "unit_price": "14.50", "on": "2027-01-05"});
        assert_eq!(w.post("/api/v1/items", item).await.0, 201);
    }
    w.run("2027-02-01", "2027-02-01");
    let inv = w.invoice("WB2027-00001").await;
    let (id, gross) = (inv["id"].as_i64().unwrap(), inv["gross"].as_i64().unwrap());
    assert_eq!(gross, 12282);
    let pay = |amount: &str, method: &str| json!({"invoice_id": id, "amount": amount, "method": method, "received_on": "2027-02-03"});

    // No credit balance: nothing is paid from it.
    let (status, body) = w.post("/api/v1/payments", pay("100.00", "credit")).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("amount")), "{body}");
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"], 0);
    assert_eq!(w.invoice("WB2027-00001").await["open"], gross, "nothing changed");

    // A line credited once; again is refused, by name; an unknown line too.
    let credit = |lines: Value| json!({"reason": "dubbel", "lines": lines, "issue_date": "2027-02-04"});
    let (status, cn) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), credit(json!([1]))).await;
    assert_eq!(status, 201, "{cn}");
    let (status, body) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), credit(json!([1]))).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("lines")), "{body}");
    let (status, body) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), credit(json!([2, 99]))).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("lines")), "{body}");
    // Paying the invoice in full puts the first note's credit on the balance...
    let open = w.invoice("WB2027-00001").await["open"].as_i64().unwrap();
    w.pay(id, &format!("{}.{:02}", open / 100, open % 100), "2027-02-05").await;
    // ...and the other lines, credited one by one, all go: the last takes what its rounding needs.
    for line in 2..=7 {
        let (status, body) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), credit(json!([line]))).await;
        assert_eq!(status, 201, "line {line}: {body}");
    }
    let (status, body) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), credit(json!(null))).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("lines")), "nothing left to credit: {body}");
    let credited: i64 = w.documents().await.iter().filter(|d| d.0.starts_with("WBC")).map(|d| d.3).sum();
    assert_eq!(credited, 7 * 1755, "every line, each with its own VAT (€ 14.50 + € 3.05)");
    let balance = w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"].as_i64().unwrap();
    assert_eq!(balance, 6 * 1755, "what was paid and then credited is the customer's credit");

    // The balance pays an invoice, never more than it holds, never more than is open. Two
    // invoices of € 60.50; the first overpaid by € 10.00.
    let d = w.customer(nl_business("Drukkerij Kok 2")).await;
    let item = json!({"customer_id": d, "description": "Werk", "quantity": "1", "unit_price": "50.00", "on": "2027-02-10"});
    assert_eq!(w.post("/api/v1/items", item.clone()).await.0, 201);
    w.run("2027-03-01", "2027-03-01");
    let mut again = item.clone();
    again["on"] = json!("2027-03-10");
    assert_eq!(w.post("/api/v1/items", again).await.0, 201);
    w.run("2027-04-01", "2027-04-01");
    let docs: Vec<_> = w.documents().await.into_iter().filter(|x| x.3 == 6050).collect();
    let (first, second) = (w.invoice(&docs[0].0).await, w.invoice(&docs[1].0).await);
    let (first_id, second_id) = (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap());
    assert_eq!(w.pay(first_id, "70.50", "2027-04-02").await["to_credit"], 1000);
    let from_credit = |amount: &str| json!({"invoice_id": second_id, "amount": amount, "method": "credit", "received_on": "2027-04-03"});
    let (status, body) = w.post("/api/v1/payments", from_credit("10.01")).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("amount")), "more than the balance: {body}");
    let (status, body) = w.post("/api/v1/payments", from_credit("4.00")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(w.get(&format!("/api/v1/customers/{d}/billing")).await["credit_balance"], 600, "taken from the balance");
    assert_eq!(w.invoice(&docs[1].0).await["open"], 6050 - 400);
    let (status, _) = w.post("/api/v1/payments", from_credit("6.01")).await;
    assert_eq!(status, 400, "the balance holds € 6.00");
    let (status, _) = w.post("/api/v1/refunds", json!({"customer_id": d, "amount": "6.01", "paid_on": "2027-04-03"})).await;
    assert_eq!(status, 400, "nor can more be paid out");
}

/// A credit note is never "open": the lists said "open € 12.50" beside "settled".
#[tokio::test]
async fn a_credit_note_has_nothing_open() {
    let w = World::new("webbureau").await;
    let c = w.customer(nl_business("Drukkerij Vos")).await;
    let item = json!({"customer_id": c, "description": "Werk", "quantity": "1", "unit_price": "10.00", "on": "2027-01-05"});
    assert_eq!(w.post("/api/v1/items", item).await.0, 201);
    w.run("2027-02-01", "2027-02-01");
    let id = w.invoice("WB2027-00001").await["id"].as_i64().unwrap();
    let (status, cn) = w.post(&format!("/api/v1/invoices/{id}/credit-notes"), json!({"reason": "fout", "issue_date": "2027-02-02"})).await;
    assert_eq!(status, 201, "{cn}");
    let note = w.invoice(cn["number"].as_str().unwrap()).await;
    assert_eq!((note["gross"].as_i64(), note["open"].as_i64()), (Some(1210), Some(0)), "{note}");
    let list = w.get(&format!("/api/v1/invoices?customer_id={c}")).await;
    let listed = list["items"].as_array().or(list.as_array()).unwrap().iter().find(|d| d["number"] == cn["number"]).cloned().unwrap();
    assert_eq!(listed["open"], 0, "{listed}");
}

/// A card whose only overdue invoice is a project deposit, and whose showcase has not started
/// (it waits for its payment), has nothing running: nothing is suspended, and paying brings no
/// reactivation fee (seed 004: the fee is for services switched on again).
#[tokio::test]
async fn gestione_charges_no_reactivation_fee_when_nothing_was_switched_off() {
    let w = World::new("gestione-internet").await;
    let c = w.customer(it_business("Studio Bianchi")).await;
    let vetrina = w.subscribe(c, "vetrina", "Vetrina Bianchi", "2027-12-31").await;
    assert_eq!(w.state(vetrina).await, "pending_payment", "paid before it is switched on");
    let (status, body) = w
        .post(
            "/api/v1/projects",
            json!({"customer_id": c, "description": "Logo", "total": "500.00", "deposit_percent": 40, "signed_on": "2027-06-01"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let report = w.run("2027-06-01", "2027-06-03");
    assert!(report.contains("0 suspended") && !report.contains(" 1 suspended"), "{report}");
    let deposit = w.documents().await.into_iter().find(|d| d.3 == 24400).expect("the deposit: 40 % of € 500 + 22 %");
    let paid = w.pay(w.invoice(&deposit.0).await["id"].as_i64().unwrap(), "244.00", "2027-06-05").await;
    assert_eq!((paid["reactivated"].as_bool(), &paid["fee_invoice"]), (Some(false), &Value::Null), "{paid}");
}

/// Seed 004: a raccomandata "dovrà essere inviata … almeno 60 giorni prima della scadenza": its
/// postmark meets the deadline even when it arrives after it; a postmark after the day it
/// arrived is refused by name.
#[tokio::test]
async fn gestione_judges_a_raccomandata_by_the_day_it_was_sent() {
    let w = World::new("gestione-internet").await;
    let c = w.customer(it_business("Ferramenta Neri")).await;
    let hosting = w.subscribe(c, "hosting-base", "neri.it", "2027-03-10").await;
    w.run("2027-03-10", "2027-03-10");
    w.pay(w.invoice("FT2027-00001").await["id"].as_i64().unwrap(), "146.40", "2027-03-10").await;
    let path = format!("/api/v1/subscriptions/{hosting}/cancellation");
    let (status, body) = w.post(&path, json!({"received_on": "2028-01-12", "sent_on": "2028-01-13", "channel": "registered_letter"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("sent_on")), "{body}");
    // The deadline is 10 January 2028; sent that day, it arrived on the 12th: in time.
    let (status, body) = w.post(&path, json!({"received_on": "2028-01-12", "sent_on": "2028-01-10", "channel": "registered_letter"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["effective"].as_str(), body["in_time_for_current_term"].as_bool()), (Some("2028-03-10"), Some(true)), "{body}");
}
