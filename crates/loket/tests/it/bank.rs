//! Bank statements through the real binary and server: invoices issued by the billing run, a
//! camt.053 (and an MT940) on the provider's account imported with `loket bank import` — paid
//! in full by reference, in part by the number in the text, twice, with a wrong reference —
//! then the invoices' states over the API, nothing booked twice on a second import, the
//! credit left for staff booked from the back office, and bad files refused, nothing booked.

use crate::support;

use jiff::civil::Date;
use loket_bank::{Account, Balance, Direction, Entry, Format, Party, Statement};
use serde_json::json;
use support::world::*;

const ACCOUNT: &str = "NL20INGB0001234567";

fn credit(amount: i64, reference: Option<&str>, text: &str, n: usize) -> Entry {
    Entry {
        amount,
        direction: Direction::Credit,
        currency: "EUR".into(),
        booking_date: Date::new(2027, 1, 20).expect("date"),
        value_date: None,
        bank_reference: Some(format!("TEST{n:06}")),
        end_to_end_id: None,
        structured_reference: reference.map(str::to_string),
        remittance: text.into(),
        counterparty: Party { name: Some(format!("Payer {n}")), iban: Some("NL91ABNA0417164300".into()), bic: None },
        reversal: false,
        return_reason: None,
        bank_code: Some("PMNT-RCDT-ESCT".into()),
        entry_key: String::new(),
    }
}

fn statement(account: &str, id: &str, entries: Vec<Entry>) -> String {
    let day = Date::new(2027, 1, 20).expect("date");
    let total: i64 = entries.iter().map(Entry::signed_amount).sum();
    let balance = |amount| Some(Balance { date: day, amount, currency: "EUR".into() });
    loket_bank::write_camt053(&Statement {
        format: Format::Camt053 { version: "camt.053.001.02".into() },
        id: id.into(),
        sequence: Some("1".into()),
        account: Account { iban: Some(account.into()), other_id: None, currency: Some("EUR".into()), owner_name: None },
        created: None,
        from: Some(day),
        to: Some(day),
        opening: balance(10_000),
        closing: balance(10_000 + total),
        entries,
        skipped_unbooked: 0,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_pays_invoices_once_and_leaves_the_rest_for_staff() {
    let w = World::new("ecm2").await;
    let mut ids = Vec::new();
    for (name, domain) in [
        ("Bakkerij Een", "een.example"),
        ("Bakkerij Twee", "twee.example"),
        ("Bakkerij Drie", "drie.example"),
        ("Bakkerij Vier", "vier.example"),
    ] {
        let c = w.customer(nl_business(name)).await;
        w.subscribe(c, "hosting-basis", domain, "2027-01-01").await;
        ids.push(c);
    }
    w.run("2027-01-01", "2027-01-02");
    let invoice_of = |name: &str, docs: &serde_json::Value| {
        docs.as_array().expect("documents").iter().find(|d| d["customer_name"] == name && d["kind"] == "invoice").cloned().expect("invoice")
    };
    let docs = w.get("/api/v1/invoices?limit=100").await;
    let [a, b, c, d] = ["Bakkerij Een", "Bakkerij Twee", "Bakkerij Drie", "Bakkerij Vier"].map(|n| invoice_of(n, &docs));
    let gross = |i: &serde_json::Value| i["gross"].as_i64().expect("gross");
    let text = |i: &serde_json::Value, k: &str| i[k].as_str().expect(k).to_string();

    let mut bank_costs = credit(250, None, "Kosten betalingsverkeer", 99);
    bank_costs.direction = Direction::Debit;
    let xml = statement(
        ACCOUNT,
        "2027-01-20",
        vec![
            credit(gross(&a), Some(&text(&a, "payment_reference")), "", 1),
            credit(gross(&b) / 2, None, &format!("betaling factuur {} deel 1", text(&b, "number")), 2),
            credit(gross(&c), Some(&text(&c, "payment_reference")), "", 3),
            credit(gross(&c), Some(&text(&c, "payment_reference")), "nogmaals", 4),
            credit(gross(&d), Some("RF00WRONG"), "hosting", 5),
            bank_costs,
        ],
    );
    let file = w.env.path().join("statement.xml");
    std::fs::write(&file, &xml).expect("write");
    let out = w.env.ok(&["--config", &w.config, "bank", "import", file.to_str().expect("path")]);
    assert!(out.contains("5 credits: 4 booked") && out.contains("1 waiting for staff"), "{out}");

    let docs = w.get("/api/v1/invoices?limit=100").await;
    let state = |name: &str| invoice_of(name, &docs)["state"].as_str().unwrap_or_default().to_string();
    assert_eq!(state("Bakkerij Een"), "paid");
    assert_eq!(state("Bakkerij Twee"), "open", "half paid stays open");
    assert_eq!(invoice_of("Bakkerij Twee", &docs)["paid"].as_i64(), Some(gross(&b) / 2));
    assert_eq!(state("Bakkerij Drie"), "paid");
    assert_eq!(state("Bakkerij Vier"), "open", "a wrong reference books nothing");
    // Paid twice: the second payment is the customer's credit.
    let overview = w.get(&format!("/api/v1/customers/{}/billing", ids[2])).await;
    assert_eq!(overview["credit_balance"].as_i64(), Some(gross(&c)), "{overview}");

    // The same file again books nothing.
    let again = w.env.ok(&["--config", &w.config, "bank", "import", file.to_str().expect("path")]);
    assert!(again.contains("0 booked") && again.contains("5 imported before"), "{again}");
    let unchanged = w.get("/api/v1/invoices?limit=100").await;
    assert_eq!(invoice_of("Bakkerij Twee", &unchanged)["paid"].as_i64(), Some(gross(&b) / 2));

    // The credit waiting for staff suggests the invoice of its amount.
    let waiting = w.env.ok(&["--config", &w.config, "bank", "unmatched"]);
    assert!(waiting.starts_with("1 credit(s) waiting") && waiting.contains(&format!("[{}]", d["id"])), "{waiting}");

    // Staff see it on /staff/bank with the suggested invoice, and book it there.
    let mut staff = w.staff_client("geld@provider.test", "billing").await;
    let page = staff.get("/staff/bank").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&text(&d, "number")) && page.body.contains("hosting"), "{}", page.body);
    let entry_id: String =
        page.body.split("/staff/bank/entries/").nth(1).expect("a waiting credit").split('/').next().expect("id").to_string();
    let csrf = page.csrf();
    // A number that is no invoice is named.
    let wrong = staff.post(&format!("/staff/bank/entries/{entry_id}/book"), &[("csrf", &csrf), ("invoice", "F1999-99999")]).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    let booked = staff.post(&format!("/staff/bank/entries/{entry_id}/book"), &[("csrf", &csrf), ("invoice", &d["id"].to_string())]).await;
    assert_eq!(booked.location.as_deref(), Some("/staff/bank?done=booked"), "{}", booked.body);
    assert_eq!(invoice_of("Bakkerij Vier", &w.get("/api/v1/invoices?limit=100").await)["state"], "paid");
    // Booked once: a second click is refused.
    let twice = staff.post(&format!("/staff/bank/entries/{entry_id}/book"), &[("csrf", &csrf), ("invoice", &d["id"].to_string())]).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    // An upload through the page: the same file again books nothing.
    let upload = staff
        .post_multipart("/staff/bank/import", &[("csrf", &csrf)], &[("statement", "statement.xml", "application/xml", xml.as_bytes())])
        .await;
    assert_eq!(upload.status, 200, "{}", upload.body);
    assert!(upload.body.contains("5 imported before") || upload.body.contains("5 eerder ingelezen"), "{}", upload.body);

    // Bad files: refused whole, nothing booked.
    let other = w.env.path().join("other.xml");
    std::fs::write(&other, statement("NL91ABNA0417164300", "X", vec![credit(gross(&d), Some(&text(&d, "payment_reference")), "", 7)]))
        .expect("write");
    let refused = w.env.run(&["--config", &w.config, "bank", "import", other.to_str().expect("path")]);
    let msg = String::from_utf8_lossy(&refused.stderr).to_string();
    assert!(!refused.status.success() && msg.contains("NL91ABNA0417164300") && msg.contains("nothing imported"), "{msg}");
    let broken = w.env.path().join("broken.xml");
    std::fs::write(&broken, &xml[..xml.len() / 2]).expect("write");
    let refused = w.env.run(&["--config", &w.config, "bank", "import", broken.to_str().expect("path")]);
    assert!(!refused.status.success(), "a cut-off file is refused");
    let big = w.env.path().join("big.xml");
    std::fs::write(&big, vec![b' '; loket_bank::MAX_BYTES + 1]).expect("write");
    let refused = w.env.run(&["--config", &w.config, "bank", "import", big.to_str().expect("path")]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("larger than 50 MB"), "{}", String::from_utf8_lossy(&refused.stderr));

    // An MT940 of the same account pays the fourth invoice by its reference.
    let mt940 = format!(
        ":20:STMT0121\r\n:25:{ACCOUNT}\r\n:28C:21/1\r\n:60F:C270121EUR100,00\r\n:61:2701210121C{},{:02}NTRFNONREF//B7A21\r\n:86:/EREF/NOTPROVIDED/REMI/STRD/CUR/{}/NAME/Bakkerij Vier\r\n:62F:C270121EUR{},{:02}\r\n-",
        gross(&d) / 100,
        gross(&d) % 100,
        text(&d, "payment_reference"),
        (10_000 + gross(&d)) / 100,
        (10_000 + gross(&d)) % 100
    );
    let sta = w.env.path().join("statement.sta");
    std::fs::write(&sta, mt940).expect("write");
    let out = w.env.ok(&["--config", &w.config, "bank", "import", sta.to_str().expect("path")]);
    assert!(out.contains("1 credits: 1 booked"), "{out}");
    // Paid already by staff: this money is the customer's credit.
    let overview = w.get(&format!("/api/v1/customers/{}/billing", ids[3])).await;
    assert_eq!(overview["credit_balance"].as_i64(), Some(gross(&d)), "{overview}");
}

/// The slow ways through the same import (Gestione Internet: paid before activation, suspended
/// when late): a payment that starts a service waiting for it, and one that lifts a suspension
/// and invoices the reactivation fee, beside a plain payment booked with the rest.
#[tokio::test(flavor = "multi_thread")]
async fn a_statement_starts_waiting_services_and_lifts_suspensions() {
    const ITALIAN: &str = "IT61X0306909606100000012345";
    let w = World::new("gestione-internet").await;
    let a = w.customer(it_business("Ristorante Da Mario")).await;
    let b = w.customer(it_business("Studio Rossi")).await;
    let hosting = w.subscribe(a, "hosting-base", "damario.it", "2027-02-01").await;
    let (status, body) = w
        .post(
            "/api/v1/projects",
            json!({"customer_id": b, "description": "Sito web", "total": "2400.00", "deposit_percent": 30, "signed_on": "2027-02-01"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    w.run("2027-02-01", "2027-02-04");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "pending_payment");
    let import = |n: &str, entries: Vec<Entry>| {
        let file = w.env.path().join(format!("{n}.xml"));
        std::fs::write(&file, statement(ITALIAN, n, entries)).expect("write");
        w.env.ok(&["--config", &w.config, "bank", "import", file.to_str().expect("path")])
    };
    let out =
        import("s1", vec![credit(14640, None, "Saldo fattura FT2027-00001", 1), credit(87840, None, "Acconto FT2027-00002 sito web", 2)]);
    assert!(out.contains("2 credits: 2 booked"), "{out}");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "active", "paid, so activated");
    assert_eq!(w.invoice("FT2027-00002").await["state"], "paid");

    w.subscribe(a, "vetrina", "Vetrina Da Mario", "2027-03-15").await;
    w.run("2027-02-05", "2027-04-14");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "suspended");
    let out = import("s2", vec![credit(17474, None, "FT2027-00003", 3)]);
    assert!(out.contains("1 credits: 1 booked"), "{out}");
    assert_eq!(w.get(&format!("/api/v1/subscriptions/{hosting}")).await["state"], "active", "reactivated");
    assert_eq!(w.invoice("FT2027-00003").await["state"], "paid");
    assert_eq!(w.invoice("FT2027-00004").await["gross"], 2440, "the reactivation fee invoiced");
    let store = w.env.store().await;
    let kinds: Vec<String> = store.notifications(a, 100).await.unwrap().into_iter().map(|n| n.kind().to_string()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "payment_received").count(), 2, "{kinds:?}");
}
