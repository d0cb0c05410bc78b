//! SEPA direct debit through the real binary and server, on ECM2 (seed 000: "op factuur, of via
//! automatische incasso"): a customer gives a mandate in the panel (a wrong IBAN or no consent
//! is refused, naming the field), staff record a paper one; `loket sepa export` refuses a
//! collection date too early, writes a pain.008 that passes the ISO 20022 schema and tells every
//! debtor; a second export collects nothing twice; the bank's credit of the file books the
//! invoices paid, once however often the statement is imported; a return (MD06) reopens its
//! invoice and tells the customer, and the next file collects it again as FRST — beside a
//! collection after an account moved to another bank (FRST, SMNDA).

use crate::support;

use jiff::civil::Date;
use loket_bank::{Account, Balance, Direction, Entry, Format, Party, Statement};
use loket_domain::access::MemberRole;
use loket_domain::billing::sepa;
use loket_store::accounts::{NewUser, add_membership, create_user};
use serde_json::json;
use support::Client;
use support::world::*;

const ACCOUNT: &str = "NL20INGB0001234567";
const PW: &str = "incasso-wachtwoord-2027";

/// Today where ECM2 is: the day the CLI and the server count from.
fn today() -> Date {
    jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("Europe/Amsterdam").expect("zone")).date()
}

fn entry(amount: i64, direction: Direction, n: usize, set: impl FnOnce(&mut Entry)) -> Entry {
    let mut e = Entry {
        amount,
        direction,
        currency: "EUR".into(),
        booking_date: today(),
        value_date: None,
        bank_reference: Some(format!("SDD{n:06}")),
        end_to_end_id: None,
        structured_reference: None,
        remittance: String::new(),
        counterparty: Party::default(),
        reversal: false,
        return_reason: None,
        bank_code: Some("PMNT-RDDT-ESDD".into()),
        entry_key: String::new(),
    };
    set(&mut e);
    e
}

fn statement(id: &str, entries: Vec<Entry>) -> String {
    let day = today();
    let total: i64 = entries.iter().map(Entry::signed_amount).sum();
    let balance = |amount| Some(Balance { date: day, amount, currency: "EUR".into() });
    loket_bank::write_camt053(&Statement {
        format: Format::Camt053 { version: "camt.053.001.02".into() },
        id: id.into(),
        sequence: Some("1".into()),
        account: Account { iban: Some(ACCOUNT.into()), other_id: None, currency: Some("EUR".into()), owner_name: None },
        created: None,
        from: Some(day),
        to: Some(day),
        opening: balance(100_000),
        closing: balance(100_000 + total),
        entries,
        skipped_unbooked: 0,
    })
}

/// `validate_iso20022.sh` of the reference material, or `None` (with a note) without xmllint,
/// unless `LOKET_REQUIRE_VALIDATORS` insists.
fn validator() -> Option<std::path::PathBuf> {
    let required = std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_some_and(|v| v == "1");
    let dir = std::env::var_os("LOKET_REFERENCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    let xmllint = std::process::Command::new("xmllint").arg("--version").output().is_ok();
    if !dir.is_dir() || !xmllint {
        assert!(!required, "validators required, but xmllint or {} is missing", dir.display());
        eprintln!("skipped: the ISO 20022 schema check needs xmllint and {}", dir.display());
        return None;
    }
    Some(dir.join("sepa/validate_iso20022.sh"))
}

fn assert_valid(file: &std::path::Path) {
    let Some(script) = validator() else { return };
    let out = std::process::Command::new("bash").arg(&script).arg(file).output().expect("validate_iso20022.sh");
    assert!(out.status.success(), "{}: {}{}", file.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// A user who owns card `customer` and signs in with [`PW`].
async fn owner(w: &World, store: &loket_store::Store, email: &str, customer: i64) -> Client {
    let hash = loket_auth::hash_password(PW).expect("hash");
    let mut tx = store.begin().await.expect("tx");
    let new = NewUser { email, name: "Eigenaar", password_hash: Some(&hash), language: loket_domain::Language::En, staff_role: None };
    let id = create_user(&mut tx, &new).await.expect("user");
    add_membership(&mut tx, id, customer, MemberRole::Owner, MemberRole::Owner.default_permissions()).await.expect("member");
    loket_store::commit(tx).await.expect("commit");
    let mut c = Client::new(&w.server);
    assert_eq!(c.sign_in(email, PW).await.status, 303);
    c
}

async fn staff(w: &World) -> Client {
    let mut add = w.env.cmd();
    add.args(["--config", &w.config, "staff", "add", "--email", "incasso@provider.test", "--role", "billing", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = add.spawn().expect("staff add");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), format!("{PW}\n").as_bytes()).expect("write");
    assert!(child.wait_with_output().expect("staff add").status.success());
    let mut c = Client::new(&w.server);
    c.sign_in("incasso@provider.test", PW).await;
    c
}

/// The panel's mandate form, sent.
async fn give(panel: &mut Client, path: &str, csrf: &str, iban: &str, consent: bool) -> support::Page {
    let mut form = vec![("csrf", csrf), ("debtor_name", "Incasso Een B.V."), ("iban", iban)];
    if consent {
        form.push(("consent", "on"));
    }
    panel.post(path, &form).await
}

fn export(w: &World, date: Date, out: &std::path::Path) -> std::process::Output {
    w.env.run(&["--config", &w.config, "sepa", "export", "--collection-date", &date.to_string(), "--out", out.to_str().expect("path")])
}

fn import(w: &World, name: &str, xml: &str) -> String {
    let file = w.env.path().join(name);
    std::fs::write(&file, xml).expect("write");
    w.env.ok(&["--config", &w.config, "bank", "import", file.to_str().expect("path")])
}

#[tokio::test(flavor = "multi_thread")]
async fn mandates_collections_and_returns_from_the_panel_to_the_bank_statement() {
    let w = World::new("ecm2").await;
    let store = w.env.store().await;
    let today = today();
    let a = w.customer(nl_business("Incasso Een")).await;
    let b = w.customer(nl_business("Incasso Twee")).await;
    let transfer = w.customer(nl_business("Overmaker")).await;
    for (c, domain) in [(a, "een.example"), (b, "twee.example"), (transfer, "drie.example")] {
        w.subscribe(c, "hosting-basis", domain, &today.to_string()).await;
    }
    w.run(&today.to_string(), &today.to_string());

    // The customer's page: the SEPA wording with the creditor, its identifier and the reference.
    let mut panel = owner(&w, &store, "eigenaar@incasso-een.test", a).await;
    let page = panel.get(&format!("/customers/{a}/direct-debit")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for text in ["ECM2 B.V.", "NL12ZZZ341234560000", "-M1", "within 8 weeks", "name=\"consent\""] {
        assert!(page.body.contains(text), "the mandate form lacks `{text}`:\n{}", page.body);
    }
    let csrf = page.csrf();
    let path = format!("/customers/{a}/direct-debit");
    let bad = give(&mut panel, &path, &csrf, "NL00BANK0000000000", true).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("id=\"dd-e-iban\"") && !bad.body.contains("id=\"dd-e-consent\""), "the IBAN is named:\n{}", bad.body);
    let unticked = give(&mut panel, &path, &csrf, "NL44RABO0123456789", false).await;
    assert_eq!(unticked.status, 400, "{}", unticked.body);
    assert!(unticked.body.contains("id=\"dd-e-consent\"") && unticked.body.contains("Tick the box"), "{}", unticked.body);
    assert!(unticked.body.contains("value=\"NL44RABO0123456789\""), "what was typed stays");
    let given = give(&mut panel, &path, &csrf, "NL44RABO0123456789", true).await;
    assert_eq!(given.location.as_deref(), Some(format!("/customers/{a}/direct-debit?done=given").as_str()), "{}", given.body);
    let card = w.get(&format!("/api/v1/customers/{a}")).await;
    assert_eq!((card["payment_method"].as_str(), card["iban"].as_str()), (Some("direct_debit"), Some("NL44RABO0123456789")));
    assert_eq!(give(&mut panel, &path, &csrf, "NL44RABO0123456789", true).await.status, 409, "one active mandate per card");

    // Staff record the second customer's signed paper mandate.
    let mut back = staff(&w).await;
    let page = back.get(&format!("/staff/customers/{b}/direct-debit")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let signed = (today - jiff::Span::new().days(10)).to_string();
    let paper = [
        ("csrf", page.csrf()),
        ("debtor_name", "Incasso Twee B.V.".into()),
        ("iban", "NL36INGB0007654321".into()),
        ("signed_on", signed.clone()),
    ];
    let paper: Vec<(&str, &str)> = paper.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let recorded = back.post(&format!("/staff/customers/{b}/direct-debit"), &paper).await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);

    // A collection date too early is refused, naming the field on the page and the argument on
    // the command line.
    let page = back.get("/staff/direct-debits").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let tomorrow = today.tomorrow().expect("date").to_string();
    let early = back.post("/staff/direct-debits/export", &[("csrf", &page.csrf()), ("collection_date", &tomorrow)]).await;
    assert_eq!(early.status, 400, "{}", early.body);
    assert!(early.body.contains("id=\"sdd-e-date\"") && early.body.contains(&tomorrow), "{}", early.body);
    let file = w.env.path().join("incasso-1.xml");
    let early = export(&w, today.tomorrow().expect("date"), &file);
    let says = String::from_utf8_lossy(&early.stderr).to_string();
    assert!(!early.status.success() && says.contains("--collection-date") && says.contains("TARGET"), "{says}");
    let mut short = today + jiff::Span::new().days(5);
    while sepa::collection_date_ok(today, short, 2).is_err() {
        short = sepa::next_target_day(short);
    }
    let early = export(&w, short, &file);
    let says = String::from_utf8_lossy(&early.stderr).to_string();
    assert!(!early.status.success() && says.contains("--collection-date") && says.contains("14 days"), "{says}");
    assert!(!file.exists(), "a refused export writes nothing");

    // The file: both invoices, first collections, valid against the schema.
    let date = sepa::first_collection_date(today, 2, 14);
    let out = export(&w, date, &file);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("2 collections (2 FRST, 0 RCUR)") && said.contains("2 debtors told"), "{said}");
    assert_valid(&file);
    let xml = std::fs::read_to_string(&file).expect("file");
    let message_id = xml.split("<MsgId>").nth(1).and_then(|r| r.split('<').next()).expect("MsgId").to_string();
    assert!(xml.contains(&format!("<DtOfSgntr>{signed}</DtOfSgntr>")) && xml.contains("<SeqTp>FRST</SeqTp>"), "{xml}");
    // Exported again: nothing is collected twice.
    let again = export(&w, date, &w.env.path().join("incasso-again.xml"));
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("nothing to collect"), "a second file");

    // Every debtor is told, with amount, date, mandate reference and creditor identifier.
    support::drained(&store).await;
    let mails = store.mails(1000).await.expect("mails");
    let told: Vec<_> = mails.iter().filter(|m| m.template == "billing-direct-debit").collect();
    assert_eq!(told.len(), 2, "{:?}", mails.iter().map(|m| &m.template).collect::<Vec<_>>());
    let to_a = told.iter().find(|m| m.rcpt_to == ["incassoeen@klant.test"]).expect("A's pre-notification");
    let text = support::decode_qp(&to_a.raw);
    assert!(text.contains("NL12ZZZ341234560000") && text.contains("-M1") && text.contains(&date.year().to_string()), "{text}");
    assert!(mails.iter().any(|m| m.template == "billing-mandate" && m.rcpt_to == ["incassoeen@klant.test"]), "the mandate confirmed");

    // Dunning waits for invoices under collection: a week past their due date the customer who
    // pays by transfer is reminded, those whose invoice the bank is collecting are not.
    let due =
        w.get(&format!("/api/v1/invoices?customer_id={a}")).await[0]["due_date"].as_str().expect("due").parse::<Date>().expect("date");
    let late = (due + jiff::Span::new().days(8)).to_string();
    w.run(&late, &late);
    let reminded = |notes: Vec<serde_json::Value>| notes.iter().any(|n| n["kind"] == "reminder");
    assert!(reminded(w.notes(transfer).await), "the customer paying by transfer is reminded");
    assert!(!reminded(w.notes(a).await) && !reminded(w.notes(b).await), "no reminder while the bank collects");

    // The bank credits the file in one amount: both invoices paid, by direct debit, once.
    let mut conn = store.acquire().await.expect("conn");
    let debits_a = loket_store::billing::sepa::debits::of_customer(&mut conn, a, 10).await.expect("debits");
    let debits_b = loket_store::billing::sepa::debits::of_customer(&mut conn, b, 10).await.expect("debits");
    drop(conn);
    let (da, db) = (debits_a[0].clone(), debits_b[0].clone());
    assert_eq!((da.sequence.as_str(), db.sequence.as_str()), ("FRST", "FRST"));
    let credit = entry(da.amount + db.amount, Direction::Credit, 1, |e| e.remittance = format!("SEPA Incasso batch {message_id}"));
    let xml = statement("SDD-1", vec![credit]);
    let out = import(&w, "credit.xml", &xml);
    assert!(out.contains("1 credits: 1 booked") && out.contains("2 collections credited"), "{out}");
    for d in [&da, &db] {
        assert_eq!(w.get(&format!("/api/v1/invoices/{}", d.invoice_id)).await["state"], "paid");
    }
    let paid = store.customer_payments(a).await.expect("payments");
    assert_eq!(paid.iter().map(|p| (p.method.as_str(), p.amount)).collect::<Vec<_>>(), [("direct_debit", da.amount)]);
    let twice = import(&w, "credit-again.xml", &xml);
    assert!(twice.contains("0 booked") && twice.contains("1 imported before"), "{twice}");
    assert_eq!(store.customer_payments(a).await.expect("payments").len(), 1, "booked once");

    // A's bank returns its collection (MD06): the invoice is open again and A is told.
    let back_a = entry(da.amount, Direction::Debit, 2, |e| {
        e.end_to_end_id = Some(da.end_to_end_id.clone());
        e.return_reason = Some("MD06".into());
        e.counterparty = Party { name: Some("Incasso Een B.V.".into()), iban: Some("NL44RABO0123456789".into()), bic: None };
    });
    let xml = statement("SDD-2", vec![back_a]);
    assert!(import(&w, "return.xml", &xml).contains("1 came back"), "the return is booked");
    assert!(import(&w, "return-again.xml", &xml).contains("1 imported before"), "once");
    let inv = w.get(&format!("/api/v1/invoices/{}", da.invoice_id)).await;
    assert_eq!((inv["state"].as_str(), inv["paid"].as_i64()), (Some("open"), Some(0)), "{inv}");
    let paid = store.customer_payments(a).await.expect("payments");
    assert_eq!(paid.iter().map(|p| p.amount).sum::<i64>(), 0, "one payment and its reversal: {paid:?}");
    support::drained(&store).await;
    let returned =
        store.mails(1000).await.expect("mails").into_iter().find(|m| m.template == "billing-direct-debit-returned").expect("mail");
    let text = support::decode_qp(&returned.raw);
    assert!(text.contains("the account holder asked for a refund") || text.contains("laten terugboeken"), "{text}");
    let page = back.get("/staff/direct-debits").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&message_id) && page.body.contains("MD06") && page.body.contains(&da.number), "{}", page.body);
    let download = back.get(&format!("/staff/direct-debits/batches/{}/file", da.batch_id)).await;
    assert_eq!(download.body, std::fs::read_to_string(&file).expect("file"), "the file as handed to the bank");

    // B moves to another bank and gets an extra invoice; the next file collects A's invoice again
    // (FRST: its first collection came back) and B's new one (FRST with SMNDA: a new bank).
    let page = back.get(&format!("/staff/customers/{b}/direct-debit")).await;
    let moved = [("csrf", page.csrf()), ("debtor_name", "Incasso Twee B.V.".into()), ("iban", "NL02ABNA0123456789".into())];
    let moved: Vec<(&str, &str)> = moved.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(back.post(&format!("/staff/customers/{b}/direct-debit/amend"), &moved).await.status, 303);
    let (status, body) =
        w.post("/api/v1/items", json!({"customer_id": b, "description": "Extra mailbox", "quantity": "1", "unit_price": "10.00"})).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = w.post(&format!("/api/v1/customers/{b}/invoice-now"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let file2 = w.env.path().join("incasso-2.xml");
    let out = export(&w, date, &file2);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("2 collections (2 FRST, 0 RCUR)"), "{said}");
    assert_valid(&file2);
    let xml2 = std::fs::read_to_string(&file2).expect("file");
    assert!(xml2.contains(&format!("<EndToEndId>DD-{}-2</EndToEndId>", da.number)), "A's invoice, a second attempt:\n{xml2}");
    assert!(xml2.contains("<AmdmntInd>true</AmdmntInd>") && xml2.contains("<Id>SMNDA</Id>"), "{xml2}");
    assert!(!xml2.contains(&format!("DD-{}-1", db.number)), "B's first invoice is not collected again");
}

/// A mandate revoked in the panel ends its collections and the card pays by invoice again; a
/// new one, unused for 36 months, expires in the daily housekeeping.
#[tokio::test(flavor = "multi_thread")]
async fn mandates_are_revoked_in_the_panel_and_expire_unused() {
    let w = World::new("ecm2").await;
    let store = w.env.store().await;
    let c = w.customer(nl_business("Opzegger")).await;
    let mut panel = owner(&w, &store, "eigenaar@opzegger.test", c).await;
    let path = format!("/customers/{c}/direct-debit");
    let csrf = panel.get(&path).await.csrf();
    assert_eq!(give(&mut panel, &path, &csrf, "NL44RABO0123456789", true).await.status, 303);
    let revoked = panel.post(&format!("{path}/revoke"), &[("csrf", &csrf)]).await;
    assert_eq!(revoked.location.as_deref(), Some(format!("{path}?done=revoked").as_str()), "{}", revoked.body);
    assert_eq!(w.get(&format!("/api/v1/customers/{c}")).await["payment_method"], "invoice");
    assert_eq!(panel.post(&format!("{path}/revoke"), &[("csrf", &csrf)]).await.status, 409, "nothing left to revoke");
    let page = panel.get(&path).await;
    assert!(page.body.contains("-M1") && page.body.contains("Revoked") && page.body.contains("name=\"consent\""), "{}", page.body);

    // A second mandate, never used: 36 months on it is no longer valid.
    assert_eq!(give(&mut panel, &path, &csrf, "NL36INGB0007654321", true).await.status, 303);
    let config = loket::config::load(Some(std::path::Path::new(&w.config)), |_| None).expect("configuration");
    let later: jiff::Timestamp = (jiff::Zoned::now() + jiff::Span::new().months(36).days(1)).timestamp();
    let billing = loket_app::billing::Billing::new(store.clone(), config.provider.clone()).with_clock(loket_app::Clock::manual(later));
    let housekeeping = loket_store::audit::Actor::system();
    assert_eq!(billing.expire_mandates(&housekeeping).await.expect("expire"), 1);
    assert_eq!(billing.expire_mandates(&housekeeping).await.expect("expire"), 0, "once");
    let mut conn = store.acquire().await.expect("conn");
    let states: Vec<String> =
        loket_store::billing::sepa::mandates_of(&mut conn, c).await.expect("mandates").into_iter().map(|m| m.state).collect();
    assert_eq!(states, ["expired", "revoked"]);
    drop(conn);
    assert_eq!(w.get(&format!("/api/v1/customers/{c}")).await["payment_method"], "invoice");
    let audit = w.env.ok(&["--config", &w.config, "audit", "list", "--entity", "sepa_mandate"]);
    for action in ["sepa.mandate.give", "sepa.mandate.revoke", "sepa.mandate.expire"] {
        assert!(audit.contains(action), "{action} in {audit}");
    }
}
