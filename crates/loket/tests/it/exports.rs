//! The accountant's exports through the real program: `loket documents export` writes each
//! document of a period as the file the API serves; the journal (CSV, XLSX) holds the period's
//! invoices, credit notes and payments with totals that match the documents; the ZIP holds the
//! PDFs and the journal; bad arguments and periods are refused naming the argument or field.

use crate::support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::{Value, json};
use support::world::*;
use support::{Client, TestEnv};

async fn bytes(w: &World, path: &str) -> (u16, String, Vec<u8>) {
    let resp = w.http.get(w.server.url(path)).bearer_auth(&w.token).send().await.expect("request");
    let status = resp.status().as_u16();
    let disposition = resp.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, disposition, resp.bytes().await.expect("body").to_vec())
}

/// The documents of the API's list, oldest first.
async fn documents(w: &World) -> Vec<Value> {
    let mut docs = w.get("/api/v1/invoices?limit=1000").await.as_array().expect("documents").clone();
    docs.sort_by_key(|d| (d["issue_date"].as_str().unwrap_or("").to_string(), d["id"].as_i64()));
    docs
}

fn in_january(d: &Value) -> bool {
    d["issue_date"].as_str().is_some_and(|s| s.starts_with("2027-01"))
}

/// Reads RFC 4180 CSV: quoted fields with doubled quotes, CRLF line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "a line ends with CRLF"),
            (false, '\n') => panic!("a bare LF ends a line"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(field.is_empty() && row.is_empty() && !quoted, "the file ends with a whole line");
    rows
}

fn cents(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or_else(|| panic!("`{s}` is not a decimal with a dot"));
    assert_eq!(frac.len(), 2, "{s}");
    let v = whole.trim_start_matches('-').parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if s.starts_with('-') { -v } else { v }
}

fn unzip(data: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(data)).expect("a ZIP");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("an entry");
            let mut content = Vec::new();
            f.read_to_end(&mut content).expect("read");
            (f.name().expect("a name").to_string(), content)
        })
        .collect()
}

fn export(w: &World, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--config", &w.config, "documents", "export"];
    all.extend(args);
    w.env.run(&all)
}

/// A provider that asks for payment first (pro formas): every document of January as PDF,
/// byte for byte what the API serves; as UBL without the pro formas and the consumer.
#[tokio::test(flavor = "multi_thread")]
async fn the_cli_exports_each_document_as_the_api_serves_it() {
    let w = World::new("controlepaneel").await;
    let mut business = nl_business("Bakkerij Gerrits");
    business["coc_number"] = json!("12345678");
    let b = w.customer(business).await;
    let c = w.customer(nl_consumer("Jan Jansen")).await;
    let pending = w.customer(nl_business("Nog Niet Betaald")).await;
    for (customer, label) in [(b, "gerrits.example"), (c, "jansen.example"), (pending, "later.example")] {
        w.subscribe(customer, "vps-s", label, "2027-01-01").await;
    }
    w.run("2027-01-01", "2027-01-02");
    // Two of the three pro formas are paid, so they become invoices; one stays a pro forma.
    for p in documents(&w).await.iter().filter(|d| d["kind"] == "pro_forma" && d["customer_id"] != json!(pending)) {
        let gross = p["gross"].as_i64().unwrap();
        w.pay(p["id"].as_i64().unwrap(), &format!("{}.{:02}", gross / 100, gross % 100), "2027-01-03").await;
    }
    let docs = documents(&w).await;
    let january: Vec<&Value> = docs.iter().filter(|d| in_january(d)).collect();
    let kinds: Vec<&str> = january.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "pro_forma").count(), 3, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "invoice").count(), 2, "{kinds:?}");

    let out = w.env.path().join("pdf");
    let dir = out.to_str().unwrap();
    let started = std::time::Instant::now();
    let run = export(&w, &["--format", "pdf", "--out", dir, "--from", "2027-01-01", "--to", "2027-01-31"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    eprintln!("exported {} PDFs in {:.2} s", january.len(), started.elapsed().as_secs_f64());
    assert_eq!(stdout.trim(), format!("exported {} documents to {dir}", january.len()));
    assert!(run.stderr.is_empty(), "no progress bar when stderr is not a terminal: {}", String::from_utf8_lossy(&run.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files.len(), january.len(), "one file per document, no temporary file left: {files:?}");
    for d in &january {
        let (status, disposition, served) = bytes(&w, &format!("/api/v1/invoices/{}/pdf", d["id"])).await;
        assert_eq!(status, 200);
        let name = disposition.split('"').nth(1).expect("a file name");
        let written = std::fs::read(out.join(name)).unwrap_or_else(|_| panic!("{name} not in {files:?}"));
        assert!(written.starts_with(b"%PDF-"), "{name}");
        assert!(written == served, "{name}: the exported file is the one the API serves");
    }
    // Again into the same folder: the same files, replaced whole.
    let again = export(&w, &["--format", "pdf", "--out", dir, "--from", "2027-01-01", "--to", "2027-01-31"]);
    assert!(again.status.success());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), january.len());

    // UBL: the consumer has no Peppol address and a pro forma is no invoice; both are counted.
    let ubl_dir = w.env.path().join("ubl");
    let ubl = export(&w, &["--format", "ubl", "--out", ubl_dir.to_str().unwrap(), "--from", "2027-01-01"]);
    let stdout = String::from_utf8_lossy(&ubl.stdout);
    assert!(ubl.status.success(), "{stdout}{}", String::from_utf8_lossy(&ubl.stderr));
    assert_eq!(
        stdout.trim(),
        format!(
            "exported 1 document (4 skipped, not applicable as ubl: 3 pro formas, 1 without a Peppol address) to {}",
            ubl_dir.display()
        )
    );
    let xml: Vec<_> = std::fs::read_dir(&ubl_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(xml.len(), 1);
    assert!(std::fs::read_to_string(&xml[0]).unwrap().contains("<cbc:CustomizationID>"), "{xml:?}");

    // Bad arguments: each error names its argument; nothing is written.
    let bad = w.env.path().join("bad");
    let b = bad.to_str().unwrap();
    for (args, says) in [
        (vec!["--format", "docx", "--out", b], "--format: `docx` is not a format: use pdf, ubl or fatturapa"),
        (vec!["--format", "pdf", "--out", b, "--from", "2027-13-01"], "--from: `2027-13-01` is not a date"),
        (vec!["--format", "pdf", "--out", b, "--to", "yesterday"], "--to: `yesterday` is not a date"),
        (
            vec!["--format", "pdf", "--out", b, "--from", "2027-02-01", "--to", "2027-01-01"],
            "--to: the period ends (2027-01-01) before it starts",
        ),
        (vec!["--format", "fatturapa", "--out", b], "--format fatturapa: FatturaPA is only for an Italian provider's documents"),
    ] {
        let run = export(&w, &args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{args:?} succeeded");
        assert!(stderr.starts_with("error: ") && stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(!Path::new(b).exists(), "a refused export writes nothing");
    let file = w.env.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let run = export(&w, &["--format", "pdf", "--out", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("--out: "), "{}", String::from_utf8_lossy(&run.stderr));
}

/// The journal of January: its invoices, credit notes, payments and refunds, each once, with
/// totals equal to the documents' own; a customer named like a formula stays text.
#[tokio::test(flavor = "multi_thread")]
async fn the_journal_and_the_zip_for_the_accountant() {
    let w = World::new("ecm2").await;
    let hostile = "=HYPERLINK(\"http://evil.test/?x\",\"Klik hier\")";
    let customers = [
        w.customer(nl_business("Bakkerij Gerrits")).await,
        w.customer({
            let mut c = nl_consumer("Jan Jansen");
            c["legal_name"] = json!("Jansen, Jan");
            c
        })
        .await,
        w.customer({
            let mut c = nl_business(hostile);
            c["email"] = json!("klik@klant.test");
            c
        })
        .await,
    ];
    for (i, c) in customers.iter().enumerate() {
        w.subscribe(*c, "hosting-basis", &format!("site{i}.example"), "2027-01-01").await;
    }
    // January's invoices, and April's (the next quarter), which January's journal leaves out.
    w.run("2027-01-01", "2027-04-01");
    let docs = documents(&w).await;
    let invoices: Vec<&Value> = docs.iter().filter(|d| in_january(d)).collect();
    assert_eq!(invoices.len(), 3, "{docs:?}");
    assert!(docs.iter().any(|d| !in_january(d)), "a document outside the period");
    let gross = |d: &Value| d["gross"].as_i64().unwrap();
    let amount = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    // Paid in full, paid too much (then refunded), and credited.
    w.pay(invoices[0]["id"].as_i64().unwrap(), &amount(gross(invoices[0])), "2027-01-10").await;
    w.pay(invoices[1]["id"].as_i64().unwrap(), &amount(gross(invoices[1]) + 500), "2027-01-11").await;
    let (status, body) = w.post("/api/v1/refunds", json!({"customer_id": customers[1], "amount": "5.00", "paid_on": "2027-01-12"})).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = w
        .post(&format!("/api/v1/invoices/{}/credit-notes", invoices[2]["id"]), json!({"reason": "test", "issue_date": "2027-01-05"}))
        .await;
    assert_eq!(status, 201, "{body}");
    let docs = documents(&w).await;
    let january: Vec<&Value> = docs.iter().filter(|d| in_january(d)).collect();
    let credit = january.iter().find(|d| d["kind"] == "credit_note").expect("the credit note");

    // The CSV: a header, then the documents by date, then payments and refunds.
    let (status, disposition, csv) = bytes(&w, "/api/v1/exports/journal.csv?from=2027-01-01&to=2027-01-31").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&csv));
    assert_eq!(disposition, "attachment; filename=\"journal-2027-01-01_2027-01-31.csv\"");
    let csv = String::from_utf8(csv).expect("UTF-8");
    let rows = parse_csv(&csv);
    let header = &rows[0];
    assert_eq!(
        header.join(","),
        "date,kind,number,customer_number,customer_name,vat_number,net,vat,gross,currency,state,due_date,payment_method,payment_reference,related_invoice"
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<&Vec<String>> = rows[1..].iter().collect();
    assert!(rows.iter().all(|r| r.len() == header.len()), "every row has every column");
    let kinds: Vec<&str> = rows.iter().map(|r| r[col("kind")].as_str()).collect();
    assert_eq!(kinds, ["invoice", "invoice", "invoice", "credit_note", "payment", "payment", "refund"]);
    // The documents' sums: the journal's equals the API's list (credit notes negative).
    let journal_gross: i64 =
        rows.iter().filter(|r| r[col("kind")] != "payment" && r[col("kind")] != "refund").map(|r| cents(&r[col("gross")])).sum();
    let listed: i64 = january.iter().map(|d| if d["kind"] == "credit_note" { -gross(d) } else { gross(d) }).sum();
    assert_eq!(journal_gross, listed);
    for r in &rows {
        if let (Ok(n), Ok(v)) = (r[col("net")].parse::<f64>(), r[col("vat")].parse::<f64>()) {
            assert_eq!(cents(&r[col("net")]) + cents(&r[col("vat")]), cents(&r[col("gross")]), "{r:?} ({n} + {v})");
        }
        assert_eq!(r[col("currency")], "EUR");
        assert!(r[col("date")].starts_with("2027-01-"), "{r:?}");
    }
    let cn = rows.iter().find(|r| r[col("kind")] == "credit_note").unwrap();
    assert_eq!(
        (cn[col("number")].as_str(), cn[col("related_invoice")].as_str()),
        (credit["number"].as_str().unwrap(), invoices[2]["number"].as_str().unwrap())
    );
    assert_eq!(cents(&cn[col("gross")]), -gross(credit));
    let paid = rows
        .iter()
        .filter(|r| r[col("kind")] == "payment")
        .map(|r| (r[col("related_invoice")].clone(), cents(&r[col("gross")])))
        .collect::<Vec<_>>();
    assert_eq!(
        paid,
        [
            (invoices[0]["number"].as_str().unwrap().to_string(), gross(invoices[0])),
            (invoices[1]["number"].as_str().unwrap().to_string(), gross(invoices[1]) + 500)
        ]
    );
    let refund = rows.iter().find(|r| r[col("kind")] == "refund").unwrap();
    assert_eq!((refund[col("customer_name")].as_str(), cents(&refund[col("gross")])), ("Jansen, Jan", -500));
    // The hostile name is text: a leading apostrophe, quoted because it holds quotes and a comma.
    assert!(rows.iter().any(|r| r[col("customer_name")] == format!("'{hostile}")), "{csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.test/?x\"\",\"\"Klik hier\"\")\""), "{csv}");
    assert!(rows.iter().all(|r| !r.iter().any(|cell| cell.starts_with('='))), "no cell is a formula");

    // The XLSX: a workbook with the journal and its totals; numbers, dates and text as such.
    let (status, disposition, xlsx) = bytes(&w, "/api/v1/exports/journal.xlsx?from=2027-01-01&to=2027-01-31").await;
    assert_eq!(status, 200);
    assert!(disposition.contains("journal-2027-01-01_2027-01-31.xlsx"), "{disposition}");
    let book = unzip(&xlsx);
    let sheet = String::from_utf8(book["xl/worksheets/sheet1.xml"].clone()).unwrap();
    let workbook = String::from_utf8(book["xl/workbook.xml"].clone()).unwrap();
    assert!(workbook.contains("name=\"Journal\"") && workbook.contains("name=\"Totals\""), "{workbook}");
    assert!(!sheet.contains("<f>"), "no formula in the journal");
    assert!(sheet.contains(&format!("t=\"inlineStr\"><is><t>{hostile}</t>")), "the name is a text cell:\n{sheet}");
    assert!(sheet.contains("<v>46388</v>"), "2027-01-01 is a date (Excel day 46388)");
    let first = amount(gross(invoices[0]));
    assert!(sheet.contains(&format!("<v>{}</v>", first.trim_end_matches('0').trim_end_matches('.'))), "{first} is a number:\n{sheet}");
    let totals = String::from_utf8(book["xl/worksheets/sheet2.xml"].clone()).unwrap();
    assert!(totals.contains("<v>3</v>"), "three invoices in the totals: {totals}");

    // The ZIP: each invoice and credit note as its PDF, and the journal.
    let (status, disposition, zip) = bytes(&w, "/api/v1/exports/documents.zip?from=2027-01-01&to=2027-01-31").await;
    assert_eq!(status, 200);
    assert!(disposition.contains("documents-2027-01-01_2027-01-31.zip"), "{disposition}");
    let entries = unzip(&zip);
    assert_eq!(entries.len(), january.len() + 1, "{:?}", entries.keys());
    assert_eq!(entries["journal-2027-01-01_2027-01-31.csv"], csv.as_bytes(), "the journal inside is the CSV");
    for d in &january {
        let (_, disposition, pdf) = bytes(&w, &format!("/api/v1/invoices/{}/pdf", d["id"])).await;
        let name = disposition.split('"').nth(1).unwrap();
        assert!(entries.get(name) == Some(&pdf), "{name} in the ZIP is the served PDF");
    }

    // Bad periods name their field; nothing breaks.
    for (query, field) in [
        ("from=2027-13-01&to=2027-01-31", "from"),
        ("from=2027-01-01&to=31-01-2027", "to"),
        ("from=2027-02-01&to=2027-01-01", "to"),
        ("from=1999-12-31", "from"),
    ] {
        for file in ["journal.csv", "journal.xlsx", "documents.zip"] {
            let (status, body) = w.call(reqwest::Method::GET, &format!("/api/v1/exports/{file}?{query}"), None).await;
            assert_eq!((status, body["field"].as_str()), (400, Some(field)), "{file}?{query}: {body}");
        }
    }
    // An empty period is a header alone.
    let (status, _, empty) = bytes(&w, "/api/v1/exports/journal.csv?from=2026-01-01&to=2026-01-31").await;
    assert_eq!((status, String::from_utf8(empty).unwrap().lines().count()), (200, 1));
}

/// The staff page offers the period's three files, the same the API gives; a customer's token
/// gets no provider's journal.
#[tokio::test(flavor = "multi_thread")]
async fn the_staff_page_gives_the_same_files() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let staff_token = support::token(&env, "admin@demo.loket.test", "billing:read");
    let customer_token = support::token(&env, "eigenaar@bakkerijdevries.test", "billing:read");
    let server = env.serve(&[], &[]);
    let mut staff = Client::new(&server);
    assert_eq!(staff.sign_in("admin@demo.loket.test", "loket-demo-staff").await.status, 303);
    let page = staff.get("/staff/exports?from=2000-01-01&to=2099-12-31&lang=en").await;
    assert_eq!(page.status, 200);
    for link in ["journal.csv", "journal.xlsx", "documents.zip"] {
        assert!(page.body.contains(&format!("href=\"/staff/exports/{link}?from=2000-01-01&amp;to=2099-12-31\"")), "{link}: {}", page.body);
    }
    let wrong = staff.get("/staff/exports?from=2027-02-01&to=2027-01-01&lang=en").await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("The end of the period is before its start.") && !wrong.body.contains("journal.csv?"), "{}", wrong.body);
    let by_page = staff.get("/staff/exports/journal.csv?from=2000-01-01&to=2099-12-31").await;
    assert_eq!(by_page.status, 200);
    let (status, by_api) =
        support::call(reqwest::Method::GET, server.url("/api/v1/exports/journal.csv?from=2000-01-01&to=2099-12-31"), staff_token, None)
            .await;
    assert_eq!(status, 200);
    assert_eq!(Value::String(by_page.body.clone()), by_api, "the page and the API give the same journal");
    assert!(by_page.body.lines().count() > 3, "the demo's documents are in it:\n{}", by_page.body);
    for file in ["journal.csv", "journal.xlsx", "documents.zip"] {
        let (status, body) =
            support::call(reqwest::Method::GET, server.url(&format!("/api/v1/exports/{file}")), customer_token.clone(), None).await;
        assert_eq!(status, 403, "{file}: {body}");
    }
}
