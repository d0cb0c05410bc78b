//! Every seed provider's documents through the real program: customers of every VAT case billed
//! by `loket billing run`, then each document fetched over the API as PDF, UBL and FatturaPA.
//! The PDFs parse (poppler), read in the customer's language and come back byte-identical; the
//! UBL passes the Peppol BIS 3 validator and the FatturaPA its schema (with the reference venv
//! in `PYTHON`; CI sets `LOKET_REQUIRE_VALIDATORS=1` so they cannot be skipped there).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support::world::*;

struct Fetched {
    status: u16,
    content_type: String,
    disposition: String,
    etag: String,
    body: Vec<u8>,
}

async fn fetch(w: &World, path: &str) -> Fetched {
    let resp = w.http.get(w.server.url(path)).bearer_auth(&w.token).send().await.expect("request");
    let h = |n: &str| resp.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (content_type, disposition, etag) = (h("content-type"), h("content-disposition"), h("etag"));
    Fetched { status: resp.status().as_u16(), content_type, disposition, etag, body: resp.bytes().await.expect("body").to_vec() }
}

fn reference() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
    let ready = dir.is_dir() && std::env::var_os("PYTHON").is_some() && Command::new("xmllint").arg("--version").output().is_ok();
    if !ready {
        assert!(std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_none(), "validators required: PYTHON, xmllint, {dir:?}");
        eprintln!("validators skipped: set PYTHON to the reference venv's python and install xmllint");
    }
    ready.then_some(dir)
}

fn validate(script: &str, files: &[PathBuf]) {
    let Some(dir) = reference() else { return };
    if files.is_empty() {
        return;
    }
    let out = Command::new("bash").arg(dir.join(script)).args(files).output().expect("validator");
    assert!(out.status.success(), "{script}:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output();
    match out {
        Ok(o) => {
            assert!(o.status.success(), "pdftotext cannot read {}", pdf.display());
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(_) => {
            assert!(std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_none(), "pdftotext required (poppler-utils)");
            None
        }
    }
}

fn be_business(name: &str) -> Value {
    json!({"kind": "business", "legal_name": name, "street": "Meir 1", "postal_code": "2000", "city": "Antwerpen", "country": "BE",
           "email": "boekhouding@brasserie.test", "vat_number": "BE0123456749", "language": "nl"})
}

fn de_consumer(name: &str) -> Value {
    json!({"kind": "consumer", "legal_name": name, "street": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin",
           "country": "DE", "email": "juergen@privat.test", "language": "en"})
}

/// Bills one customer of each kind at `provider` on the first plan of its billing file and
/// checks every document in every format.
async fn documents_of(provider: &str, plan: &str, italian: bool) {
    let w = World::new(provider).await;
    let mut nl = nl_business("Bakkerij Gerrits");
    nl["coc_number"] = json!("12345678");
    let mut customers = vec![("nl-business", w.customer(nl).await), ("nl-consumer", w.customer(nl_consumer("Jan Jansen")).await)];
    customers.push(("be-business", w.customer(be_business("Brasserie Anvers")).await));
    customers.push(("de-consumer", w.customer(de_consumer("Jürgen Groß")).await));
    if italian {
        customers.push(("it-business", w.customer(it_business("Rossi Web")).await));
    }
    for (name, c) in &customers {
        w.subscribe(*c, plan, &format!("{name}.example"), "2027-01-01").await;
    }
    w.run("2027-01-01", "2027-01-02");
    let docs = w.get("/api/v1/invoices?limit=1000").await;
    let docs = docs.as_array().expect("documents").clone();
    assert!(docs.len() >= customers.len(), "{provider}: {docs:?}");
    // A provider that bills in advance issues pro formas: paid, each becomes an invoice.
    for p in docs.iter().filter(|d| d["kind"] == "pro_forma") {
        let amount = format!("{}.{:02}", p["gross"].as_i64().unwrap_or(0) / 100, p["gross"].as_i64().unwrap_or(0) % 100);
        w.pay(p["id"].as_i64().expect("id"), &amount, "2027-01-03").await;
    }
    let docs = w.get("/api/v1/invoices?limit=1000").await.as_array().expect("documents").clone();
    // A credit note for the first invoice, so the correction is checked too.
    let first = docs.iter().find(|d| d["kind"] == "invoice").expect("an invoice");
    let (status, body) =
        w.post(&format!("/api/v1/invoices/{}/credit-notes", first["id"]), json!({"reason": "test", "issue_date": "2027-01-05"})).await;
    assert_eq!(status, 201, "{body}");
    let docs = w.get("/api/v1/invoices?limit=1000").await.as_array().expect("documents").clone();

    let dir = w.env.path().join("documents");
    std::fs::create_dir_all(&dir).expect("dir");
    let (mut ubl, mut fattura) = (Vec::new(), Vec::new());
    for d in &docs {
        let id = d["id"].as_i64().expect("id");
        let kind = d["kind"].as_str().unwrap_or_default();
        let number = d["number"].as_str().unwrap_or_default();
        let consumer_abroad = d["customer_name"].as_str().is_some_and(|n| n == "Jan Jansen" || n == "Jürgen Groß");

        let pdf = fetch(&w, &format!("/api/v1/invoices/{id}/pdf")).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (200, "application/pdf"), "{provider} {number}");
        assert!(pdf.body.starts_with(b"%PDF-"), "{number}");
        assert!(pdf.disposition.starts_with("attachment; filename=\"") && pdf.disposition.ends_with(".pdf\""), "{}", pdf.disposition);
        let again = fetch(&w, &format!("/api/v1/invoices/{id}/pdf")).await;
        assert!(again.body == pdf.body && again.etag == pdf.etag, "the same document gives the same bytes");
        let path = dir.join(format!("{id}.pdf"));
        std::fs::write(&path, &pdf.body).expect("write pdf");
        if let Some(text) = pdftotext(&path) {
            assert!(text.contains(number), "{number} not in its PDF:\n{text}");
            let total = d["gross"].as_i64().unwrap_or(0);
            let whole = (total / 100).to_string();
            assert!(text.contains(&whole), "the total {total} is not in the PDF of {number}:\n{text}");
        }

        let u = fetch(&w, &format!("/api/v1/invoices/{id}/ubl")).await;
        match (kind, consumer_abroad) {
            ("pro_forma", _) | (_, true) => assert_eq!(u.status, 409, "{provider} {number} {kind}"),
            _ => {
                assert_eq!(
                    (u.status, u.content_type.as_str()),
                    (200, "application/xml"),
                    "{provider} {number}: {}",
                    String::from_utf8_lossy(&u.body)
                );
                let path = dir.join(format!("{id}.xml"));
                std::fs::write(&path, &u.body).expect("write ubl");
                ubl.push(path);
            }
        }
        let f = fetch(&w, &format!("/api/v1/invoices/{id}/fatturapa")).await;
        if italian && kind != "pro_forma" {
            assert_eq!(f.status, 200, "{provider} {number}: {}", String::from_utf8_lossy(&f.body));
            let name = f.disposition.split('"').nth(1).expect("file name").to_string();
            assert!(name.starts_with("IT") && name.ends_with(".xml"), "{name}");
            let path = dir.join(name);
            std::fs::write(&path, &f.body).expect("write fatturapa");
            fattura.push(path);
        } else {
            assert_eq!(f.status, 409, "{provider} {number}");
        }
    }
    assert!(!ubl.is_empty(), "{provider}: no UBL at all");
    validate("ubl/validate_ubl.sh", &ubl);
    validate("fatturapa/validate_fatturapa.sh", &fattura);
    assert_eq!(fetch(&w, "/api/v1/invoices/999999/pdf").await.status, 404);
    // A file once served is what was sent: not even the database changes or removes it.
    let store = w.env.store().await;
    let changed = sqlx::query("UPDATE document_files SET content = content || content").execute(store.pool()).await;
    assert!(changed.is_err(), "{provider}: a stored document file was changed");
    let removed = sqlx::query("DELETE FROM document_files").execute(store.pool()).await;
    assert!(removed.is_err(), "{provider}: a stored document file was deleted");
}

/// Every document the demo issued has its files: each a PDF that reads back with its number,
/// each business invoice and credit note a UBL that passes the Peppol validator; what a format
/// is not for answers 409 with the reason, never a 5xx.
#[tokio::test(flavor = "multi_thread")]
async fn the_demos_documents_all_have_their_files() {
    let env = support::TestEnv::new().await;
    env.ok(&["demo"]);
    let token = support::token(&env, "admin@demo.loket.test", "billing:read");
    let server = env.serve(&[], &[]);
    let http = reqwest::Client::new();
    let get = |path: String| {
        let (http, token, url) = (http.clone(), token.clone(), server.url(&path));
        async move {
            let resp = http.get(url).bearer_auth(token).send().await.expect("request");
            (resp.status().as_u16(), resp.bytes().await.expect("body").to_vec())
        }
    };
    let (status, list) = get("/api/v1/invoices?limit=1000".into()).await;
    assert_eq!(status, 200);
    let docs: Vec<Value> = serde_json::from_slice(&list).expect("documents");
    assert!(docs.len() >= 5, "the demo issues documents: {docs:?}");
    let dir = env.path().join("demo-documents");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut ubl = Vec::new();
    for d in &docs {
        let (id, number) = (d["id"].as_i64().expect("id"), d["number"].as_str().unwrap_or_default());
        let (status, pdf) = get(format!("/api/v1/invoices/{id}/pdf")).await;
        assert_eq!(status, 200, "{number}: {}", String::from_utf8_lossy(&pdf));
        let path = dir.join(format!("{id}.pdf"));
        std::fs::write(&path, &pdf).expect("write pdf");
        if let Some(text) = pdftotext(&path) {
            assert!(text.contains(number), "{number} not in its PDF:\n{text}");
        }
        for format in ["ubl", "fatturapa"] {
            let (status, body) = get(format!("/api/v1/invoices/{id}/{format}")).await;
            match status {
                200 if format == "ubl" => {
                    let path = dir.join(format!("{id}.xml"));
                    std::fs::write(&path, &body).expect("write ubl");
                    ubl.push(path);
                }
                409 => {
                    let why: Value = serde_json::from_slice(&body).expect("a JSON error");
                    assert!(why["message"].as_str().is_some_and(|m| !m.is_empty()), "{number} {format}: {why}");
                }
                other => panic!("{number} {format}: {other} {}", String::from_utf8_lossy(&body)),
            }
        }
    }
    assert!(!ubl.is_empty(), "the demo's business invoices have UBL");
    validate("ubl/validate_ubl.sh", &ubl);
}

#[tokio::test]
async fn ecm2_documents_in_every_format() {
    documents_of("ecm2", "hosting-basis", false).await;
}

#[tokio::test]
async fn controlepaneel_documents_in_every_format() {
    documents_of("controlepaneel", "vps-s", false).await;
}

#[tokio::test]
async fn pingweb_documents_in_every_format() {
    documents_of("pingweb", "hosting-start", false).await;
}

#[tokio::test]
async fn webbureau_documents_in_every_format() {
    documents_of("webbureau", "managed-hosting", false).await;
}

#[tokio::test]
async fn gestione_internet_documents_in_every_format() {
    documents_of("gestione-internet", "hosting-base", true).await;
}

/// The invoice e-mail carries the invoice's PDF: the same bytes the panel and API serve.
#[tokio::test(flavor = "multi_thread")]
async fn the_invoice_mail_carries_its_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = support::SmtpSink::start(dir.path(), support::SinkOptions::default());
    let w = World::with("ecm2", &sink.env()).await;
    let c = w.customer(nl_business("Bakkerij Post")).await;
    w.subscribe(c, "hosting-basis", "post.example", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let docs = w.get("/api/v1/invoices?limit=10").await;
    let invoice = &docs.as_array().expect("documents")[0];
    let number = invoice["number"].as_str().expect("number");
    let mails = sink.wait_for(1, std::time::Duration::from_secs(60));
    let raw = mails
        .iter()
        .find(|m| m.contains(number) && m.contains("application/pdf"))
        .unwrap_or_else(|| panic!("no invoice mail with a PDF: {mails:?}"));
    let eml = dir.path().join("invoice.eml");
    std::fs::write(&eml, raw).expect("write mail");
    // Python's e-mail package reads the attachment back, as a mail program would.
    let script = "import email,sys\nm=email.message_from_binary_file(open(sys.argv[1],'rb'))\n\
                  p=[x for x in m.walk() if x.get_content_type()=='application/pdf'][0]\n\
                  print(p.get_filename())\nsys.stdout.flush()\nopen(sys.argv[2],'wb').write(p.get_payload(decode=True))";
    let out_pdf = dir.path().join("attached.pdf");
    let out = Command::new("python3").args(["-c", script]).arg(&eml).arg(&out_pdf).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(name, format!("invoice-{}.pdf", number.replace('/', "-")));
    let served = fetch(&w, &format!("/api/v1/invoices/{}/pdf", invoice["id"])).await;
    assert_eq!(std::fs::read(&out_pdf).expect("attached pdf"), served.body, "the mail's PDF is the stored one");
    // The mail links to the invoice's own page, where it is paid.
    let link = format!("/customers/{c}/invoices/{}", invoice["id"]);
    assert!(support::decode_qp(raw).contains(&link), "{link} in the mail:\n{}", support::decode_qp(raw));
}

/// A payment reminder's mail carries the reminder letter as PDF (in the customer's language,
/// naming the invoice, what is open and how to pay) and the invoice it is about.
#[tokio::test(flavor = "multi_thread")]
async fn the_reminder_mail_carries_its_letter_and_the_invoice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = support::SmtpSink::start(dir.path(), support::SinkOptions::default());
    let w = World::with("ecm2", &sink.env()).await;
    let c = w.customer(nl_business("Bakkerij Laat")).await;
    w.subscribe(c, "hosting-basis", "laat.example", "2027-01-01").await;
    // Never paid: the dunning steps of ECM2's terms send reminders.
    w.run("2027-01-01", "2027-03-31");
    let docs = w.get("/api/v1/invoices?limit=10").await;
    let invoice = docs.as_array().expect("documents").iter().find(|d| d["kind"] == "invoice").expect("an invoice").clone();
    let number = invoice["number"].as_str().expect("number").to_string();
    let letter_name = format!("reminder-1-{}.pdf", number.replace('/', "-"));
    let mut raw = None;
    for _ in 0..600 {
        raw = sink.messages().into_iter().find(|m| m.contains(&letter_name));
        if raw.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let raw = raw.unwrap_or_else(|| panic!("no reminder mail with {letter_name}: {:?}", sink.messages().len()));
    let eml = dir.path().join("reminder.eml");
    std::fs::write(&eml, &raw).expect("write mail");
    let script = "import email,sys,os\nm=email.message_from_binary_file(open(sys.argv[1],'rb'))\n\
                  for p in m.walk():\n    if p.get_content_type()=='application/pdf':\n        \
                  print(p.get_filename())\n        open(os.path.join(sys.argv[2],p.get_filename()),'wb').write(p.get_payload(decode=True))";
    let out = Command::new("python3").args(["-c", script]).arg(&eml).arg(dir.path()).output().expect("python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let names = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(names.contains(&letter_name) && names.contains(&format!("invoice-{}.pdf", number.replace('/', "-"))), "{names}");
    if let Some(text) = pdftotext(&dir.path().join(&letter_name)) {
        assert!(text.contains(&number), "{text}");
        assert!(text.contains("Betalingsherinnering"), "the letter reads in Dutch: {text}");
        assert!(text.contains(invoice["payment_reference"].as_str().unwrap_or("RF")), "{text}");
    }
}
