//! E-invoices delivered: the UBL attached to the invoice mail where the card asks for it, and
//! the outbound queue that hands each issued invoice and credit note once to the SDI
//! intermediary (FatturaPA) or the Peppol access point (UBL) through the folder it collects
//! from — by the server's jobs after a billing run, and by `loket documents transmit`.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::world::*;

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn validate(script: &str, files: &[PathBuf]) {
    let Some(root) = std::env::var_os("LOKET_REFERENCE").map(PathBuf::from).or_else(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference");
        dir.exists().then_some(dir)
    }) else {
        return;
    };
    if std::env::var_os("PYTHON").is_none() {
        assert!(std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_none(), "the validators must run here: set PYTHON");
        return;
    }
    let out = Command::new("bash").arg(root.join(script)).args(files).output().expect("validator");
    assert!(out.status.success(), "{script}:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// Gestione Internet (Italian) sends every invoice and credit note to the SDI, and those to a
/// business with a Peppol address over Peppol too: each once, valid, and nothing from before
/// the configured date.
#[tokio::test(flavor = "multi_thread")]
async fn issued_documents_go_to_the_intermediaries_once() {
    let out = tempfile::tempdir().expect("tempdir");
    let (sdi, peppol) = (out.path().join("sdi"), out.path().join("peppol"));
    let vars = [
        ("LOKET_EINVOICING_TRANSMIT_FROM", "2027-01-01".to_string()),
        ("LOKET_EINVOICING_SDI_FOLDER", sdi.display().to_string()),
        ("LOKET_EINVOICING_PEPPOL_FOLDER", peppol.display().to_string()),
    ];
    let w = World::with("gestione-internet", &vars).await;
    let rossi = w.customer(it_business("Rossi Web")).await;
    let mut nl = nl_business("Bakkerij Gerrits");
    nl["coc_number"] = json!("12345678");
    let gerrits = w.customer(nl).await;
    // Billed before the date: never sent.
    let early = w.customer(it_business("Bianchi Srl")).await;
    w.subscribe(early, "hosting-base", "bianchi.example", "2026-12-01").await;
    w.run("2026-12-01", "2026-12-01");
    for (c, label) in [(rossi, "rossi.example"), (gerrits, "gerrits.example")] {
        w.subscribe(c, "hosting-base", label, "2027-01-01").await;
    }
    w.run("2027-01-01", "2027-01-02");
    for p in w.get("/api/v1/invoices?limit=100").await.as_array().expect("documents").iter().filter(|d| d["kind"] == "pro_forma") {
        let gross = p["gross"].as_i64().unwrap_or(0);
        w.pay(p["id"].as_i64().expect("id"), &format!("{}.{:02}", gross / 100, gross % 100), "2027-01-03").await;
    }
    let docs = w.get("/api/v1/invoices?limit=100").await.as_array().expect("documents").clone();
    let invoices: Vec<_> = docs.iter().filter(|d| d["kind"] == "invoice" && d["issue_date"].as_str() >= Some("2027-01-01")).collect();
    assert_eq!(invoices.len(), 2, "{docs:?}");
    let (status, body) = w
        .post(&format!("/api/v1/invoices/{}/credit-notes", invoices[0]["id"]), json!({"reason": "test", "issue_date": "2027-01-05"}))
        .await;
    assert_eq!(status, 201, "{body}");

    // The server's jobs send them: two invoices and the credit note to the SDI; over Peppol
    // the Dutch business's invoice (and the credit note if it is the Dutch one's).
    let store = w.env.store().await;
    support::wait_until("the e-invoices in the folders", Duration::from_secs(60), || async { files_in(&sdi).len() == 3 }).await;
    support::drained(&store).await;
    let sent_sdi = files_in(&sdi);
    assert!(sent_sdi.iter().all(|p| p.file_name().unwrap().to_string_lossy().starts_with("IT")), "{sent_sdi:?}");
    // Over Peppol only the Dutch business's documents: Italian ones go through the SDI alone.
    let gerrits_docs = w
        .get("/api/v1/invoices?limit=100")
        .await
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["customer_name"] == "Bakkerij Gerrits" && d["kind"] != "pro_forma")
        .count();
    let sent_peppol = files_in(&peppol);
    assert_eq!(sent_peppol.len(), gerrits_docs, "{sent_peppol:?}");
    validate("fatturapa/validate_fatturapa.sh", &sent_sdi);
    validate("ubl/validate_ubl.sh", &sent_peppol);
    // Each is the document as served.
    for f in &sent_sdi {
        let text = std::fs::read_to_string(f).expect("read");
        assert!(invoices.iter().any(|i| text.contains(i["number"].as_str().unwrap())) || text.contains("TD04"), "{}", f.display());
    }

    // Sending again sends nothing twice, and the early invoice never goes.
    let cli = |args: &[&str]| {
        let mut c = w.env.cmd();
        c.args(["--config", &w.config]).args(args);
        for (k, v) in &vars {
            c.env(k, v);
        }
        c.output().expect("loket")
    };
    let again = cli(&["documents", "transmit"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 newly queued, 0 sent"), "{}", String::from_utf8_lossy(&again.stdout));
    assert_eq!(files_in(&sdi), sent_sdi);
    let list = cli(&["documents", "transmissions"]);
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(list.contains(&format!("sent: {}", sent_sdi.len() + sent_peppol.len())), "{list}");
    let early_doc = docs.iter().find(|d| d["customer_name"] == "Bianchi Srl" && d["kind"] == "invoice");
    if let Some(e) = early_doc {
        assert!(!list.contains(e["number"].as_str().unwrap()), "an invoice from before the date went out:\n{list}");
    }

    // Staff see where the invoice went.
    let mut staff = w.staff_client("ops@provider.test", "billing").await;
    let page = staff
        .get(&format!("/staff/customers/{rossi}/invoices/{}", invoices.iter().find(|i| i["customer_name"] == "Rossi Web").unwrap()["id"]))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Fattura elettronica allo SDI") && page.body.contains("inviata")
            || page.body.contains("E-invoice to the SDI") && page.body.contains("sent"),
        "{}",
        page.body
    );
}

/// A folder the intermediary's disk refuses: the document waits and is tried again, then fails
/// for good and is named; staff queue it again once the folder is fixed.
#[tokio::test(flavor = "multi_thread")]
async fn a_transmission_that_keeps_failing_is_named_and_can_be_retried() {
    let w = World::new("gestione-internet").await;
    let c = w.customer(it_business("Rossi Web")).await;
    w.subscribe(c, "hosting-base", "rossi.example", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-02");
    for p in w.get("/api/v1/invoices?limit=100").await.as_array().expect("documents").iter().filter(|d| d["kind"] == "pro_forma") {
        let gross = p["gross"].as_i64().unwrap_or(0);
        w.pay(p["id"].as_i64().expect("id"), &format!("{}.{:02}", gross / 100, gross % 100), "2027-01-03").await;
    }
    // The "folder" is a file: it cannot be written into.
    let blocked = w.env.path().join("not-a-folder");
    std::fs::write(&blocked, "x").expect("file");
    let vars =
        [("LOKET_EINVOICING_TRANSMIT_FROM", "2027-01-01".to_string()), ("LOKET_EINVOICING_SDI_FOLDER", blocked.display().to_string())];
    let cli = |args: &[&str], vars: &[(&str, String)]| {
        let mut c = w.env.cmd();
        c.args(["--config", &w.config]).args(args);
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().expect("loket")
    };
    let text = |o: &std::process::Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let first = cli(&["documents", "transmit"], &vars);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("1 to retry"), "{}", text(&first));
    for _ in 0..4 {
        cli(&["documents", "transmit"], &vars);
    }
    let failed = cli(&["documents", "transmissions", "--state", "failed"], &vars);
    let listing = text(&failed);
    assert!(listing.contains("failed: 1") && listing.contains("not-a-folder"), "{listing}");
    let id: String = listing.lines().nth(1).expect("a row").split_whitespace().next().expect("id").to_string();

    // Hostile and wrong input is named.
    let wrong = cli(&["documents", "transmissions", "--retry", "999999"], &vars);
    assert!(!wrong.status.success() && text(&wrong).contains("--retry"), "{}", text(&wrong));
    let wrong = cli(&["documents", "transmissions", "--state", "lost"], &vars);
    assert!(!wrong.status.success() && text(&wrong).contains("--state"), "{}", text(&wrong));
    let dutch = cli(&["documents", "transmit"], &[("LOKET_EINVOICING_SDI_FOLDER", "/tmp/x".to_string())]);
    assert!(!dutch.status.success() && text(&dutch).contains("einvoicing.transmit_from"), "{}", text(&dutch));

    // Fixed: queued again, sent.
    std::fs::remove_file(&blocked).expect("rm");
    let retried = cli(&["documents", "transmissions", "--retry", &id], &vars);
    assert!(retried.status.success(), "{}", text(&retried));
    let sent = cli(&["documents", "transmit"], &vars);
    assert!(text(&sent).contains("1 sent"), "{}", text(&sent));
    assert_eq!(files_in(&blocked).len(), 1);
    let again = cli(&["documents", "transmissions", "--retry", &id], &vars);
    assert!(!again.status.success() && text(&again).contains("not failed"), "{}", text(&again));
}

/// A business that asks for it gets the UBL beside the PDF in its invoice mail; a private
/// person cannot ask for it.
#[tokio::test(flavor = "multi_thread")]
async fn the_invoice_mail_carries_the_ubl_where_the_card_asks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sink = support::SmtpSink::start(dir.path(), support::SinkOptions::default());
    let w = World::with("ecm2", &sink.env()).await;
    let mut card = nl_business("Bakkerij Post");
    card["coc_number"] = json!("12345678");
    card["wants_ubl_attachment"] = json!(true);
    let c = w.customer(card).await;
    assert_eq!(w.get(&format!("/api/v1/customers/{c}")).await["wants_ubl_attachment"], true);
    let mut consumer = nl_consumer("Jan Jansen");
    consumer["wants_ubl_attachment"] = json!(true);
    let (status, body) = w.post("/api/v1/customers", consumer).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "wants_ubl_attachment", "{body}");

    w.subscribe(c, "hosting-basis", "post.example", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let docs = w.get("/api/v1/invoices?limit=10").await;
    let invoice = &docs.as_array().expect("documents")[0];
    let number = invoice["number"].as_str().expect("number");
    let mails = sink.wait_for(1, Duration::from_secs(60));
    let raw = mails.iter().find(|m| m.contains(number) && m.contains("application/pdf")).expect("the invoice mail");
    let eml = dir.path().join("invoice.eml");
    std::fs::write(&eml, raw).expect("write mail");
    let script = "import email,sys\nm=email.message_from_binary_file(open(sys.argv[1],'rb'))\n\
                  p=[x for x in m.walk() if x.get_content_type()=='application/xml'][0]\n\
                  open(sys.argv[2],'wb').write(p.get_payload(decode=True))";
    let out_xml = dir.path().join(format!("{}.xml", number.replace('/', "-")));
    let out = Command::new("python3").args(["-c", script]).arg(&eml).arg(&out_xml).output().expect("python3");
    assert!(out.status.success(), "no UBL in the mail: {}", String::from_utf8_lossy(&out.stderr));
    let served = reqwest::Client::new()
        .get(w.server.url(&format!("/api/v1/invoices/{}/ubl", invoice["id"])))
        .bearer_auth(&w.token)
        .send()
        .await
        .expect("ubl")
        .bytes()
        .await
        .expect("body");
    assert_eq!(std::fs::read(&out_xml).expect("xml"), served.to_vec(), "the mail's UBL is the stored one");
    validate("ubl/validate_ubl.sh", &[out_xml]);
}
