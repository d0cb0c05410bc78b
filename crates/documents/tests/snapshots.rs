//! The UBL and FatturaPA of every example document, pinned: a change to what Loket writes shows
//! up here line by line, including what the validators do not check (the stamp duty, the Natura
//! codes and their law, FPA12 for a public office, the corrected invoice, the payment reference).

use loket_documents::{EInvoicing, FormatError, examples, fatturapa, ubl};

#[test]
fn ubl_of_every_example() {
    let mut written = 0;
    for (name, doc) in examples::all() {
        match ubl::write(&doc) {
            Ok(xml) => {
                insta::assert_snapshot!(format!("ubl-{name}"), xml);
                written += 1;
            }
            Err(FormatError::NoPeppolAddress | FormatError::NotAnInvoice(..)) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
    assert!(written >= 10, "{written}");
}

#[test]
fn fatturapa_of_every_italian_example() {
    let mut written = 0;
    for (i, (name, doc)) in examples::all().into_iter().enumerate() {
        if doc.seller.country.as_deref() != Some("IT") {
            continue;
        }
        let xml = fatturapa::write(&doc, &EInvoicing::default(), i as u64 + 1).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("fatturapa-{name}"), format!("{}\n{xml}", fatturapa::file_name(&doc, i as u64 + 1)));
        written += 1;
    }
    assert!(written >= 6, "{written}");
}
