//! How camt.053 entries become Loket's entries: booked only, batches split where the bank gives
//! each transaction's amount, the counterparty and references picked from the transaction details,
//! and keys that stay the same when a statement comes twice.

use loket_bank::{Direction, parse};

fn statement(entries: &str, closing: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ns:Document xmlns:ns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><ns:BkToCstmrStmt><ns:GrpHdr><ns:MsgId>M1</ns:MsgId><ns:CreDtTm>2024-03-31T20:00:00</ns:CreDtTm></ns:GrpHdr>
<ns:Stmt><ns:Id>2024-03</ns:Id><ns:CreDtTm>2024-03-31T20:00:00</ns:CreDtTm><ns:Acct><ns:Id><ns:IBAN>NL91 ABNA 0417 1643 00</ns:IBAN></ns:Id></ns:Acct>
<ns:Bal><ns:Tp><ns:CdOrPrtry><ns:Cd>PRCD</ns:Cd></ns:CdOrPrtry></ns:Tp><ns:Amt Ccy="EUR">100.00</ns:Amt><ns:CdtDbtInd>CRDT</ns:CdtDbtInd><ns:Dt><ns:Dt>2024-02-29</ns:Dt></ns:Dt></ns:Bal>
<ns:Bal><ns:Tp><ns:CdOrPrtry><ns:Cd>CLBD</ns:Cd></ns:CdOrPrtry></ns:Tp><ns:Amt Ccy="EUR">{closing}</ns:Amt><ns:CdtDbtInd>CRDT</ns:CdtDbtInd><ns:Dt><ns:Dt>2024-03-31</ns:Dt></ns:Dt></ns:Bal>
{}</ns:Stmt></ns:BkToCstmrStmt></ns:Document>"#,
        entries.replace('<', "<ns:").replace("<ns:/", "</ns:")
    )
}

/// An entry (camt.053.001.08 shapes: `Sts/Cd`, `Pty/Nm`, `BICFI`).
fn ntry(amount: &str, cdi: &str, status: &str, extra: &str, txs: &[String]) -> String {
    format!(
        "<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{cdi}</CdtDbtInd>{extra}<Sts><Cd>{status}</Cd></Sts><BookgDt><DtTm>2024-03-05T23:30:00+01:00</DtTm></BookgDt><ValDt><Dt>2024-03-06</Dt></ValDt><AcctSvcrRef>REF-1</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>{}</NtryDtls></Ntry>",
        txs.concat()
    )
}

fn tx(amount: Option<&str>, debtor: &str, iban: &str, remittance: &str) -> String {
    let amount = amount.map(|a| format!("<Amt Ccy=\"EUR\">{a}</Amt><CdtDbtInd>CRDT</CdtDbtInd>")).unwrap_or_default();
    format!(
        "<TxDtls><Refs><EndToEndId>E2E-{debtor}</EndToEndId></Refs>{amount}<RltdPties><Dbtr><Pty><Nm>{debtor}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct><Cdtr><Pty><Nm>Hosting BV</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></CdtrAcct></RltdPties><RltdAgts><DbtrAgt><FinInstnId><BICFI>INGBNL2A</BICFI></FinInstnId></DbtrAgt></RltdAgts><RmtInf>{remittance}</RmtInf></TxDtls>"
    )
}

#[test]
fn a_credit_with_its_details() {
    let xml = statement(
        &ntry(
            "12.10",
            "CRDT",
            "BOOK",
            "",
            &[tx(None, "Jan Jansen", "nl02 abna 0123 4567 89", "<Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>")],
        ),
        "112.10",
    );
    let s = &parse(xml.as_bytes()).expect("parses")[0];
    let with_bom = [&b"\xEF\xBB\xBF\n  "[..], xml.as_bytes()].concat();
    assert_eq!(&parse(&with_bom).expect("a byte-order mark and blank lines first")[0], s);
    assert_eq!(s.account.iban.as_deref(), Some("NL91ABNA0417164300"));
    assert_eq!(s.opening.as_ref().map(|b| b.amount), Some(10000), "PRCD stands in for a missing OPBD");
    assert_eq!(s.created.map(|t| t.to_string()).as_deref(), Some("2024-03-31T20:00:00Z"));
    let e = &s.entries[0];
    assert_eq!((e.amount, e.direction, e.currency.as_str()), (1210, Direction::Credit, "EUR"));
    assert_eq!(e.booking_date.to_string(), "2024-03-05", "the day the bank wrote, not the UTC day");
    assert_eq!(e.value_date.map(|d| d.to_string()).as_deref(), Some("2024-03-06"));
    assert_eq!(e.bank_reference.as_deref(), Some("REF-1"));
    assert_eq!(e.bank_code.as_deref(), Some("PMNT-RCDT-ESCT"));
    assert_eq!(e.end_to_end_id.as_deref(), Some("E2E-Jan Jansen"));
    assert_eq!(e.structured_reference.as_deref(), Some("RF18539007547034"));
    assert_eq!(e.counterparty.name.as_deref(), Some("Jan Jansen"));
    assert_eq!(e.counterparty.iban.as_deref(), Some("NL02ABNA0123456789"));
    assert_eq!(e.counterparty.bic.as_deref(), Some("INGBNL2A"));
    assert!(e.entry_key.starts_with("k1:") && e.entry_key.len() == 35, "{}", e.entry_key);
}

#[test]
fn pending_and_informational_entries_are_not_booked() {
    let entries = [
        ntry("5.00", "CRDT", "BOOK", "", &[]),
        ntry("7.00", "CRDT", "PDNG", "", &[]),
        ntry("9.00", "CRDT", "INFO", "", &[]),
        ntry("11.00", "CRDT", "Book", "", &[]),
    ];
    let s = &parse(statement(&entries.concat(), "116.00").as_bytes()).expect("only booked entries count")[0];
    assert_eq!(s.entries.iter().map(|e| e.amount).collect::<Vec<_>>(), [500, 1100]);
    assert_eq!(s.skipped_unbooked, 2);
}

#[test]
fn a_batch_with_amounts_per_transaction_is_split() {
    let batch = ntry(
        "30.00",
        "CRDT",
        "BOOK",
        "",
        &[
            tx(Some("10.00"), "Anna", "NL02ABNA0123456789", "<Ustrd>Factuur 2024-0001</Ustrd>"),
            tx(Some("20.00"), "Bert", "NL20INGB0001234567", "<Ustrd>Factuur 2024-0002</Ustrd><Ustrd>en 2024-0003</Ustrd>"),
        ],
    );
    let s = &parse(statement(&batch, "130.00").as_bytes()).expect("split")[0];
    let got: Vec<_> =
        s.entries.iter().map(|e| (e.amount, e.counterparty.name.as_deref().unwrap_or_default(), e.remittance.as_str())).collect();
    assert_eq!(got, [(1000, "Anna", "Factuur 2024-0001"), (2000, "Bert", "Factuur 2024-0002\nen 2024-0003")]);
    assert_eq!(s.entries[0].bank_reference, s.entries[1].bank_reference);
    assert_ne!(s.entries[0].entry_key, s.entries[1].entry_key);
}

#[test]
fn a_batch_without_amounts_per_transaction_stays_one_entry() {
    let batch = ntry(
        "30.00",
        "CRDT",
        "BOOK",
        "",
        &[
            tx(None, "Anna", "NL02ABNA0123456789", "<Ustrd>Factuur 1</Ustrd>"),
            tx(None, "Bert", "NL20INGB0001234567", "<Ustrd>Factuur 2</Ustrd>"),
        ],
    );
    let s = &parse(statement(&batch, "130.00").as_bytes()).expect("whole")[0];
    assert_eq!(s.entries.len(), 1);
    let e = &s.entries[0];
    assert_eq!((e.amount, e.remittance.as_str()), (3000, "Factuur 1\nFactuur 2"));
    assert!(e.counterparty.is_empty() && e.end_to_end_id.is_none(), "no single payer: {e:?}");
    // Amounts that do not add up to the booked entry: not split either.
    let odd = ntry(
        "30.00",
        "CRDT",
        "BOOK",
        "",
        &[tx(Some("10.00"), "Anna", "NL02ABNA0123456789", ""), tx(Some("25.00"), "Bert", "NL20INGB0001234567", "")],
    );
    assert_eq!(parse(statement(&odd, "130.00").as_bytes()).expect("whole")[0].entries.len(), 1);
}

#[test]
fn a_returned_direct_debit_names_the_customer() {
    // The customer's bank sends back a collection: a debit on our account, the parties as they were
    // in the collection (the customer is the debtor).
    let mut details = tx(None, "Klant BV", "NL02ABNA0123456789", "<Ustrd>Factuur 2024-0009</Ustrd>");
    details = details.replace("</RmtInf>", "</RmtInf><RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>");
    let s = &parse(statement(&ntry("20.00", "DBIT", "BOOK", "", &[details]), "80.00").as_bytes()).expect("return")[0];
    let e = &s.entries[0];
    assert_eq!((e.direction, e.return_reason.as_deref()), (Direction::Debit, Some("MD06")));
    assert_eq!(e.counterparty.name.as_deref(), Some("Klant BV"));
    // A reversal likewise.
    let reversed = ntry("20.00", "DBIT", "BOOK", "<RvslInd>true</RvslInd>", &[tx(None, "Klant BV", "NL02ABNA0123456789", "")]);
    let e = &parse(statement(&reversed, "80.00").as_bytes()).expect("reversal")[0].entries[0];
    assert!(e.reversal);
    assert_eq!(e.counterparty.name.as_deref(), Some("Klant BV"));
}

#[test]
fn our_own_account_is_never_the_counterparty() {
    // A bank that fills the parties the other way round: we are the debtor of a credit.
    let details = tx(None, "Hosting BV", "NL91ABNA0417164300", "")
        .replace("<Cdtr><Pty><Nm>Hosting BV", "<Cdtr><Pty><Nm>Klant BV")
        .replace("<CdtrAcct><Id><IBAN>NL91ABNA0417164300", "<CdtrAcct><Id><IBAN>NL02ABNA0123456789");
    let e = &parse(statement(&ntry("20.00", "CRDT", "BOOK", "", &[details]), "120.00").as_bytes()).expect("parses")[0].entries[0];
    assert_eq!((e.counterparty.name.as_deref(), e.counterparty.iban.as_deref()), (Some("Klant BV"), Some("NL02ABNA0123456789")));
}

#[test]
fn an_rf_reference_in_the_text_is_found() {
    let details = tx(None, "Anna", "NL02ABNA0123456789", "<Ustrd>betaling factuur rf18 5390 0754 7034 dank</Ustrd>");
    let e = &parse(statement(&ntry("20.00", "CRDT", "BOOK", "", &[details]), "120.00").as_bytes()).expect("parses")[0].entries[0];
    assert_eq!(e.structured_reference.as_deref(), Some("RF18539007547034"));
    // With wrong check digits it is just text.
    let details = tx(None, "Anna", "NL02ABNA0123456789", "<Ustrd>RF19539007547034</Ustrd>");
    let e = &parse(statement(&ntry("20.00", "CRDT", "BOOK", "", &[details]), "120.00").as_bytes()).expect("parses")[0].entries[0];
    assert_eq!(e.structured_reference, None);
}

#[test]
fn keys_stay_the_same_across_imports_and_twins_stay_apart() {
    let no_ref = |e: String| e.replace("<AcctSvcrRef>REF-1</AcctSvcrRef>", "");
    let twin = no_ref(ntry("5.00", "CRDT", "BOOK", "", &[tx(None, "Anna", "NL02ABNA0123456789", "<Ustrd>Factuur 1</Ustrd>")]));
    let other = no_ref(ntry("6.00", "CRDT", "BOOK", "", &[tx(None, "Bert", "NL20INGB0001234567", "<Ustrd>Factuur 2</Ustrd>")]));
    let first = &parse(statement(&[twin.clone(), twin.clone(), other.clone()].concat(), "116.00").as_bytes()).expect("first")[0];
    let keys: Vec<&str> = first.entries.iter().map(|e| e.entry_key.as_str()).collect();
    assert_ne!(keys[0], keys[1], "two identical payments are two entries");
    // The same day in an overlapping statement, in another order: the same keys.
    let again = &parse(statement(&[other, twin.clone(), twin].concat(), "116.00").as_bytes()).expect("again")[0];
    let mut again_keys: Vec<&str> = again.entries.iter().map(|e| e.entry_key.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    again_keys.sort_unstable();
    assert_eq!(sorted, again_keys);
}
