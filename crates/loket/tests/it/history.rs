//! A provider's invoice history through the real binary: `loket documents import FILE.csv
//! --pdf-dir DIR` brings in old invoices with their original numbers and PDFs, so a customer
//! finds them beside Loket's own; a file with a bad row imports nothing and names every line.

use crate::support;

use support::world::*;

async fn count(w: &World) -> usize {
    w.get("/api/v1/invoices?limit=1000").await.as_array().map(Vec::len).unwrap_or(0)
}

fn import(w: &World, csv: &str, pdf_dir: &std::path::Path) -> std::process::Output {
    let file = w.env.path().join("history.csv");
    std::fs::write(&file, csv).expect("write csv");
    w.env.run(&["--config", &w.config, "documents", "import", file.to_str().unwrap(), "--pdf-dir", pdf_dir.to_str().unwrap()])
}

#[tokio::test]
async fn old_invoices_are_found_beside_lokets_own_and_bad_files_import_nothing() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Historie")).await;
    let number = w.get(&format!("/api/v1/customers/{c}")).await["number"].as_str().expect("customer number").to_string();
    let pdfs = w.env.path().join("originals");
    std::fs::create_dir_all(&pdfs).unwrap();
    let original = b"%PDF-1.4\n% an invoice as the old system printed it\n%%EOF\n".to_vec();
    std::fs::write(pdfs.join("2014-0001.pdf"), &original).unwrap();
    std::fs::write(pdfs.join("not-a-pdf.pdf"), b"<html>").unwrap();
    let header = "number,kind,issue_date,due_date,customer_number,net,vat,gross,vat_rate,state,paid_on,description,pdf\n";

    // Bad rows: nothing is imported and every line is named.
    let bad = format!(
        "{header}2014-0001,invoice,2014-01-31,2014-02-14,{number},100.00,21.00,121.00,21,paid,2014-02-10,\"Hosting, januari\",2014-0001.pdf\n\
         2014-0002,invoice,2014-02-30,,{number},10,2.10,12.10,,,,,\n\
         2014-0003,invoice,2014-03-01,,K-DOES-NOT-EXIST,10,2.10,12.10,,,,,\n\
         2014-0004,invoice,2014-03-01,,{number},10,2.10,12.10,,,,,not-a-pdf.pdf\n\
         F2027-00001,invoice,2014-03-01,,{number},10,2.10,12.10,,,,,\n"
    );
    let out = import(&w, &bad, &pdfs);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("nothing imported") && err.contains("line 3: issue_date") && err.contains("line 6: number"), "{err}");
    // All in one round, in the order of the lines: the unknown customer and the file that is no
    // PDF are named beside the row that does not read.
    let at = |needle: &str| err.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {err}"));
    assert!(at("line 3: issue_date") < at("line 4: customer_number: there is no customer K-DOES-NOT-EXIST"), "{err}");
    assert!(at("line 4: customer_number") < at("line 5: pdf") && at("line 5: pdf") < at("line 6: number"), "{err}");
    assert_eq!(count(&w).await, 0, "nothing half-imported");
    // The rows that parse but name an unknown customer or a file that is no PDF: still nothing.
    let bad = format!(
        "{header}2014-0003,invoice,2014-03-01,,K-DOES-NOT-EXIST,10,2.10,12.10,,,,,\n\
         2014-0004,invoice,2014-03-01,,{number},10,2.10,12.10,,,,,not-a-pdf.pdf\n"
    );
    let out = import(&w, &bad, &pdfs);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("line 3: pdf") && err.contains("is not a PDF"), "{err}");
    let bad = format!("{header}2014-0003,invoice,2014-03-01,,K-DOES-NOT-EXIST,10,2.10,12.10,,,,,\n");
    let out = import(&w, &bad, &pdfs);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("line 2: customer_number: there is no customer K-DOES-NOT-EXIST"), "{err}");
    assert_eq!(count(&w).await, 0);

    // A good file.
    let good = format!(
        "{header}2014-0001,invoice,2014-01-31,2014-02-14,{number},100.00,21.00,121.00,21,paid,2014-02-10,\"Hosting, januari\",2014-0001.pdf\n\
         2014-0002,credit_note,2014-02-28,,{number},10,2.10,12.10,,,,Correctie,\n\
         2019-0417,invoice,2019-06-01,2019-06-15,{number},50,10.50,60.50,,open,,,\n"
    );
    let out = import(&w, &good, &pdfs);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 3 documents (1 with their original PDF)"));
    let found = w.get("/api/v1/invoices?q=2014-0001").await;
    let first = &found.as_array().expect("list")[0];
    assert_eq!(
        (first["number"].as_str(), first["state"].as_str(), first["gross"].as_i64()),
        (Some("2014-0001"), Some("paid"), Some(12100))
    );
    let pdf = w.http.get(w.server.url(&format!("/api/v1/invoices/{}/pdf", first["id"]))).bearer_auth(&w.token).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.bytes().await.unwrap().to_vec(), original, "the original PDF is served as it was");
    let ubl = w.http.get(w.server.url(&format!("/api/v1/invoices/{}/ubl", first["id"]))).bearer_auth(&w.token).send().await.unwrap();
    assert_eq!(ubl.status(), 409, "an imported invoice was not sent as UBL by Loket");
    // One without an original PDF gets one made from its data.
    let open = &w.get("/api/v1/invoices?q=2019-0417").await.as_array().expect("list")[0].clone();
    assert_eq!(open["state"], "open");
    let made = w.http.get(w.server.url(&format!("/api/v1/invoices/{}/pdf", open["id"]))).bearer_auth(&w.token).send().await.unwrap();
    assert!(made.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Importing the same number again is refused; Loket's own series carries on undisturbed.
    let out = import(&w, &good, &pdfs);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("line 2: number: 2014-0001 is already in Loket"), "{err}");
    assert_eq!(count(&w).await, 3);
    w.subscribe(c, "hosting-basis", "historie.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let numbers: Vec<String> = w.documents().await.into_iter().map(|d| d.0).collect();
    assert!(numbers.contains(&"F2027-00001".to_string()), "{numbers:?}");
    // The series imported documents live under cannot become one of Loket's own.
    let file = w.env.path().join("series.billing.toml");
    std::fs::write(&file, "[billing]\ninvoice_series = \"history\"\n").unwrap();
    let out = w.env.run(&["--config", &w.config, "billing", "apply", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("invoice_series") && err.contains("imported invoices"), "{err}");
}
