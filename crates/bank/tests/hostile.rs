//! Files that are broken, cut off, too big or made to hurt: each is a [`ParseError`] that says what
//! and where, never a panic.

mod common;

use loket_bank::{Location, MAX_BYTES, ParseError, parse, parse_unchecked};

const NS: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";

/// A camt.053.001.02 statement around `entries` (XML of `<Ntry>` elements), opening at 100.00.
fn camt(entries: &str, closing: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-31T20:00:00+01:00</CreDtTm></GrpHdr>
<Stmt><Id>2024-03</Id><CreDtTm>2024-03-31T20:00:00+01:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-02-29</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-31</Dt></Dt></Bal>
{entries}</Stmt></BkToCstmrStmt></Document>
"#
    )
}

fn ntry(amount: &str, cdi: &str, status: &str, details: &str) -> String {
    format!(
        r#"<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{cdi}</CdtDbtInd><Sts>{status}</Sts><BookgDt><Dt>2024-03-05</Dt></BookgDt><BkTxCd/><NtryDtls>{details}</NtryDtls></Ntry>"#
    )
}

#[test]
fn empty_files() {
    assert_eq!(parse(b""), Err(ParseError::Empty));
    assert_eq!(parse(b" \r\n\t "), Err(ParseError::Empty));
    assert_eq!(parse(b"\xEF\xBB\xBF\n"), Err(ParseError::Empty));
    assert_eq!(ParseError::Empty.to_string(), "the file is empty");
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let big = vec![b' '; MAX_BYTES + 1];
    let err = parse(&big).expect_err("too big");
    assert_eq!(err, ParseError::TooLarge { size: MAX_BYTES + 1 });
    assert_eq!(err.to_string(), format!("the file is larger than 50 MB ({} bytes)", MAX_BYTES + 1));
    assert!(parse(&vec![b' '; MAX_BYTES]).is_err_and(|e| e == ParseError::Empty));
}

#[test]
fn neither_camt_nor_mt940() {
    assert_eq!(parse(b"Datum;Bedrag;Omschrijving\n2024-03-01;12,50;Factuur 1\n"), Err(ParseError::UnknownFormat));
    assert_eq!(parse(&[0u8, 159, 146, 150, 255, 1, 2]), Err(ParseError::UnknownFormat));
    assert_eq!(parse(b"%PDF-1.7\n"), Err(ParseError::UnknownFormat));
    assert_eq!(ParseError::UnknownFormat.to_string(), "not a camt.053 or MT940 file");
    let camt054 = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn/></Document>"#;
    let err = parse(camt054.as_bytes()).expect_err("camt.054");
    assert_eq!(
        err.to_string(),
        "an XML file, but not a camt.053 bank statement: its namespace is urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
    );
    let html = parse(b"<html><body>Bank</body></html>").expect_err("html");
    assert_eq!(html.to_string(), "an XML file, but not a camt.053 bank statement: its root element is <html>");
    let v9 = parse(br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.09"/>"#).expect_err("v9");
    assert_eq!(v9, ParseError::UnsupportedVersion { version: "09".into() });
}

#[test]
fn malformed_xml_says_where() {
    let xml = camt(&ntry("5.00", "CRDT", "BOOK", "</Oops>"), "105.00");
    let err = parse(xml.as_bytes()).expect_err("malformed");
    let ParseError::MalformedXml { line, column, reason } = &err else { panic!("{err:?}") };
    assert_eq!(*line, 6, "{err}");
    assert!(*column > 100 && reason.contains("Oops"), "{err}");
    assert!(err.to_string().starts_with("malformed XML at line 6, column "), "{err}");
    let err =
        parse(b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt attr=>").expect_err("bad attribute");
    assert!(matches!(err, ParseError::MalformedXml { line: 1, .. }), "{err:?}");
}

#[test]
fn a_doctype_is_refused_so_entities_never_expand() {
    let bomb = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>&lol3;</MsgId></GrpHdr></BkToCstmrStmt></Document>"#
    );
    let err = parse(bomb.as_bytes()).expect_err("DOCTYPE");
    assert_eq!(err, ParseError::DocType { line: 2 });
    assert_eq!(err.to_string(), "line 2: the XML has a DOCTYPE declaration, which bank statements never have; refused");
    // Without a DOCTYPE no entity can be defined: an unknown one is an error, not an expansion.
    let xml = camt(&ntry("5.00", "CRDT", "BOOK", "<TxDtls><RmtInf><Ustrd>&xxe;</Ustrd></RmtInf></TxDtls>"), "105.00");
    let err = parse(xml.as_bytes()).expect_err("entity");
    assert!(err.to_string().contains("undefined entity &xxe;"), "{err}");
    // The five predefined entities and character references are text.
    let xml =
        camt(&ntry("5.00", "CRDT", "BOOK", "<TxDtls><RmtInf><Ustrd>A &amp; B &lt;3 &#x20AC;5 &#233;</Ustrd></RmtInf></TxDtls>"), "105.00");
    assert_eq!(parse(xml.as_bytes()).expect("entities")[0].entries[0].remittance, "A & B <3 €5 é");
}

#[test]
fn a_cut_off_file_is_an_error_not_a_shorter_statement() {
    let xml = camt(&format!("{}{}", ntry("5.00", "CRDT", "BOOK", ""), ntry("7.00", "CRDT", "BOOK", "")), "112.00");
    assert_eq!(parse(xml.as_bytes()).expect("whole")[0].entries.len(), 2);
    let cut = &xml[..xml.find("<Ntry>").expect("entry") + 150];
    let err = parse(cut.as_bytes()).expect_err("cut off");
    assert!(err.to_string().contains("it is cut off"), "{err}");
    // Cut between two entries: still an error, the document is not closed.
    let between = &xml[..xml.rfind("<Ntry>").expect("second")];
    assert!(matches!(parse(between.as_bytes()), Err(ParseError::MalformedXml { .. })));
}

#[test]
fn a_camt_statement_that_does_not_add_up_names_the_statement() {
    let xml = camt(&ntry("50.00", "CRDT", "BOOK", ""), "160.00");
    let err = parse(xml.as_bytes()).expect_err("unbalanced");
    assert_eq!(err.to_string(), "statement 2024-03: opening 100.00 + entries 50.00 ≠ closing 160.00 EUR");
    assert_eq!(
        err,
        ParseError::Unbalanced {
            at: Location::Statement("2024-03".into()),
            opening: 10000,
            entries: 5000,
            closing: 16000,
            currency: "EUR".into()
        }
    );
    assert_eq!(parse_unchecked(xml.as_bytes()).expect("unchecked")[0].entries.len(), 1);
}

#[test]
fn amounts_that_cannot_be_booked_exactly_are_refused() {
    let xml = camt(&format!("{}{}", ntry("5.00", "CRDT", "BOOK", ""), ntry("8.855", "CRDT", "BOOK", "")), "113.85");
    let err = parse_unchecked(xml.as_bytes()).expect_err("five decimals");
    assert_eq!(
        err.to_string(),
        "statement 2024-03, entry 2: amount 8.855 EUR has more decimals than EUR has (2), so it cannot be booked exactly"
    );
    // Trailing zeros are exact.
    let xml = camt(&ntry("8.85000", "CRDT", "BOOK", ""), "108.850");
    assert_eq!(parse(xml.as_bytes()).expect("zeros")[0].entries[0].amount, 885);
    let xml = camt(&ntry("-5.00", "CRDT", "BOOK", ""), "95.00");
    assert_eq!(parse(xml.as_bytes()).expect_err("negative").to_string(), "statement 2024-03, entry 1: \"-5.00\" is not an amount");
    let xml = camt(&ntry("5.00", "CREDIT", "BOOK", ""), "105.00");
    assert!(parse(xml.as_bytes()).expect_err("indicator").to_string().starts_with("statement 2024-03, entry 1: CdtDbtInd is"));
}

const MT940: &str = ":20:STMT-0324
:25:NL91ABNA0417164300
:28C:12/1
:60F:C240229EUR100,00
:61:2403050305C50,00NTRFNONREF//B1
:86:/EREF/E1/REMI/Factuur 2024-0001/
:61:2403060306D7,5NTRFNONREF//B2
:62F:C240306EUR142,50
-
";

#[test]
fn an_mt940_statement_that_does_not_add_up_names_the_statement() {
    assert_eq!(parse(MT940.as_bytes()).expect("balanced")[0].entries.len(), 2);
    assert_eq!(parse(MT940.replace('\n', "\r\n").as_bytes()).expect("CRLF")[0].entries.len(), 2);
    assert_eq!(parse(MT940.replace('\n', "\r").as_bytes()).expect("CR")[0].entries.len(), 2);
    let broken = MT940.replace("C240306EUR142,50", "C240306EUR152,50");
    let err = parse(broken.as_bytes()).expect_err("unbalanced");
    assert_eq!(err.to_string(), "statement 12/1 (line 1): opening 100.00 + entries 42.50 ≠ closing 152.50 EUR");
}

#[test]
fn mt940_problems_name_the_line() {
    let no_amount = MT940.replace("2403060306D7,5NTRF", "2403060306DNTRF");
    assert_eq!(parse(no_amount.as_bytes()).expect_err("no amount").to_string(), "line 7: :61: has no amount");
    let cut = &MT940[..MT940.find(":62F:").expect("closing")];
    assert_eq!(
        parse(cut.as_bytes()).expect_err("cut off").to_string(),
        "statement 12/1 (line 1): the statement has no closing balance (:62F:): the file may be cut off"
    );
    let bad_date = MT940.replace(":61:2403050305", ":61:2413050305");
    assert_eq!(parse(bad_date.as_bytes()).expect_err("date").to_string(), "line 5: :61: has no value date (YYMMDD)");
    let precise = MT940.replace("D7,5NTRF", "D7,505NTRF");
    assert!(parse(precise.as_bytes()).expect_err("decimals").to_string().starts_with("line 7: :61: amount 7,505 EUR has more decimals"));
    let point = MT940.replace("D7,5NTRF", "D7.50NTRF");
    assert_eq!(
        parse(point.as_bytes()).expect_err("point").to_string(),
        "line 7: :61: amount 7.50 has a decimal point where MT940 has a comma"
    );
    let no_account = MT940.replace(":25:NL91ABNA0417164300\n", "");
    assert_eq!(
        parse(no_account.as_bytes()).expect_err("account").to_string(),
        "statement 12/1 (line 1): the statement has no account (:25:)"
    );
    let bad_balance = MT940.replace(":60F:C240229EUR100,00", ":60F:X240229EUR100,00");
    assert!(parse(bad_balance.as_bytes()).expect_err("balance").to_string().starts_with("line 4: :60F: is not a balance"));
}

/// A deterministic stream of numbers, for mutating files.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Every sample (and a written statement) cut at many places and with bytes changed: an answer each
/// time, never a panic; a camt.053 cut before its end is never taken for a whole statement.
#[test]
fn cut_and_mangled_files_never_panic() {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("written".into(), loket_bank::write_camt053(&loket_bank::examples::statement(40, 7)).into_bytes()),
        ("mt940".into(), MT940.as_bytes().to_vec()),
    ];
    if let Some(dir) = common::reference() {
        for path in
            common::files(&dir.join("sepa/samples"), ".xml").into_iter().chain(common::files(&dir.join("sepa/samples/mt940"), ".sta"))
        {
            files.push((path.display().to_string(), std::fs::read(&path).expect("sample")));
        }
    }
    let mut rng = Lcg(42);
    let mut runs = 0;
    for (name, bytes) in &files {
        let xml = bytes.starts_with(b"<");
        let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
        let step = bytes.len().div_ceil(3000);
        for cut in (0..bytes.len()).step_by(step) {
            let result = parse_unchecked(&bytes[..cut]);
            if xml && cut < end && bytes.starts_with(b"<?xml") {
                assert!(result.is_err(), "{name} cut at {cut} parsed");
            }
            runs += 1;
        }
        for _ in 0..600 {
            let mut m = bytes.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = rng.next() % m.len().max(1);
                match rng.next() % 3 {
                    0 if !m.is_empty() => m[at] = (rng.next() % 256) as u8,
                    1 if !m.is_empty() => {
                        m.remove(at);
                    }
                    _ => m.insert(at.min(m.len()), b"<>:/?&;\n-1C,"[rng.next() % 12]),
                }
            }
            let _ = parse(&m);
            runs += 1;
        }
    }
    assert!(runs > 30_000, "{runs} runs");
}
