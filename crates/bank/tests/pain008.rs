//! `write_pain008`: every file it writes passes the ISO 20022 schema of its version
//! (`validate_iso20022.sh`, needs xmllint; skipped with a note without it unless
//! `LOKET_REQUIRE_VALIDATORS=1`), has the structure of the reference library's samples, and
//! counts and sums what it carries; bad input is refused naming its field.

mod common;

use std::path::PathBuf;
use std::process::Command;

use jiff::civil::{Date, date};
use loket_bank::pain008::{
    DirectDebitBatch, DirectDebitTransaction, MAX_AMOUNT_CENTS, MandateAmendment, OriginalDebtorAccount, PaymentInfo, SequenceType,
    is_sepa_char, sepa_text,
};
use loket_bank::{Pain008Error, Pain008Version, write_pain008};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use quick_xml::Reader;
use quick_xml::events::Event;

const VERSIONS: [Pain008Version; 2] = [Pain008Version::V02, Pain008Version::V08];

fn tx(e2e: &str, cents: i64, mandate: &str, name: &str, iban: &str, bic: Option<&str>) -> DirectDebitTransaction {
    DirectDebitTransaction {
        end_to_end_id: e2e.into(),
        amount_cents: cents,
        mandate_reference: mandate.into(),
        mandate_signed_on: date(2025, 11, 3),
        amendment: None,
        debtor_name: name.into(),
        debtor_iban: iban.into(),
        debtor_bic: bic.map(str::to_string),
        remittance: format!("Factuur {e2e} hosting"),
    }
}

/// A provider's monthly run: first collections (one after the debtor moved to another bank, one
/// without a BIC) and recurrent ones (one after a move within the same bank and a new mandate
/// reference), names with accents and `&`, a name and a text too long.
fn batch() -> DirectDebitBatch {
    let mut frst = vec![
        tx("F2027-00101", 12100, "LOKET-0007", "Bäckerei Müller & Söhne", "DE89 3704 0044 0532 0130 00", Some("COBADEFFXXX")),
        tx("F2027-00102", 605, "LOKET-0008", "Zoë Ødegård", "NL20INGB0001234567", None),
    ];
    frst[1].amendment =
        Some(MandateAmendment { original_mandate_id: None, original_debtor_account: Some(OriginalDebtorAccount::NewDebtorAccount) });
    let mut rcur = vec![
        tx("F2027-00103", 4999, "LOKET-0001", "Rossi Web S.r.l.", "IT60X0542811101000000123456", Some("BPMOIT22")),
        tx(
            "F2027-00104",
            1,
            "LOKET-0002",
            &format!("Stichting {} van de Lange Namen", "Heelkunde-Genootschap-Séïne".repeat(4)),
            "NL02ABNA0123456789",
            None,
        ),
        tx("F2027-00105", 99_999_999_999, "LOKET-0003", "Jan Jansen", "NL91ABNA0417164300", Some("ABNANL2A")),
    ];
    rcur[1].amendment = Some(MandateAmendment {
        original_mandate_id: Some("OUD/2019/17".into()),
        original_debtor_account: Some(OriginalDebtorAccount::Iban("NL91 ABNA 0417 1643 00".into())),
    });
    rcur[1].remittance = format!("Factuur F2027-00104 «periode» januari–maart € 0,01 {}", "x".repeat(200));
    DirectDebitBatch {
        message_id: "LOKET-DD-2027-01-05-1".into(),
        created_at: "2027-01-05T08:30:00.123456Z".parse().unwrap(),
        initiating_party: "Hosting & Co. B.V.".into(),
        creditor_name: "Hosting & Co. B.V.".into(),
        creditor_iban: "NL39RABO0300065264".into(),
        creditor_bic: Some("RABONL2U".into()),
        creditor_id: "NL42ZZZ123456780001".into(),
        payments: vec![
            PaymentInfo {
                payment_info_id: "LOKET-DD-1-FRST".into(),
                sequence: SequenceType::First,
                collection_date: date(2027, 1, 7),
                transactions: frst,
            },
            PaymentInfo {
                payment_info_id: "LOKET-DD-1-RCUR".into(),
                sequence: SequenceType::Recurring,
                collection_date: date(2027, 1, 7),
                transactions: rcur,
            },
        ],
    }
}

/// An element of a written file: its path from the root, its attributes and its text.
struct Element {
    path: String,
    attributes: Vec<(String, String)>,
    text: String,
}

/// Every element, in document order. A reference (`&amp;`) is kept as written.
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let (mut path, mut out): (Vec<String>, Vec<Element>) = (Vec::new(), Vec::new());
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let here = path.join("/");
        let last = out.last_mut().filter(|l| l.path == here);
        match event {
            Event::Start(e) => {
                path.push(e.local_name().as_ref().to_string());
                let attributes = e.attributes().map(|a| a.unwrap()).map(|a| (a.key.as_ref().to_string(), a.value.to_string())).collect();
                out.push(Element { path: path.join("/"), attributes, text: String::new() });
            }
            Event::Text(t) => last.into_iter().for_each(|l| l.text.push_str(&t.xml10_content())),
            Event::GeneralRef(r) => last.into_iter().for_each(|l| l.text.push_str(&format!("&{};", &*r))),
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

fn texts(xml: &str, path: &str) -> Vec<String> {
    elements(xml).into_iter().filter(|e| e.path == path).map(|e| e.text).collect()
}

fn cents(decimal: &str) -> i64 {
    let (whole, frac) = decimal.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2, "{decimal}");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

/// The counts and sums a file states agree with the transactions it carries.
fn assert_counted(xml: &str, batch: &DirectDebitBatch) {
    const PMT: &str = "Document/CstmrDrctDbtInitn/PmtInf";
    let amounts: Vec<i64> = texts(xml, &format!("{PMT}/DrctDbtTxInf/InstdAmt")).iter().map(|a| cents(a)).collect();
    let expected: Vec<i64> = batch.payments.iter().flat_map(|p| p.transactions.iter().map(|t| t.amount_cents)).collect();
    assert_eq!(amounts, expected);
    assert_eq!(texts(xml, "Document/CstmrDrctDbtInitn/GrpHdr/NbOfTxs"), [expected.len().to_string()]);
    assert_eq!(
        texts(xml, "Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum").iter().map(|s| cents(s)).collect::<Vec<_>>(),
        [expected.iter().sum::<i64>()]
    );
    let counts: Vec<String> = batch.payments.iter().map(|p| p.transactions.len().to_string()).collect();
    assert_eq!(texts(xml, &format!("{PMT}/NbOfTxs")), counts);
    let sums: Vec<i64> = batch.payments.iter().map(|p| p.transactions.iter().map(|t| t.amount_cents).sum()).collect();
    assert_eq!(texts(xml, &format!("{PMT}/CtrlSum")).iter().map(|s| cents(s)).collect::<Vec<_>>(), sums);
    let currencies = elements(xml).into_iter().filter(|e| e.path.ends_with("/InstdAmt")).map(|e| e.attributes);
    assert!(currencies.into_iter().all(|a| a == [("Ccy".to_string(), "EUR".to_string())]));
}

fn validate(files: &[PathBuf]) {
    let Some(validator) = common::iso20022_validator() else { return };
    let out = Command::new("bash").arg(&validator).args(files).output().expect("run the validator");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the ISO 20022 schema refused a file:\n{text}");
    assert_eq!(text.matches(" validates").count(), files.len(), "{text}");
}

#[test]
fn a_months_collections_in_both_versions() {
    let b = batch();
    for version in VERSIONS {
        let xml = write_pain008(&b, version).unwrap();
        assert!(xml.contains(&format!("<Document xmlns=\"{}\">", version.namespace())), "{xml}");
        assert_counted(&xml, &b);
        const TX: &str = "Document/CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf";
        assert_eq!(texts(&xml, "Document/CstmrDrctDbtInitn/PmtInf/PmtTpInf/SeqTp"), ["FRST", "RCUR"]);
        assert_eq!(texts(&xml, "Document/CstmrDrctDbtInitn/GrpHdr/CreDtTm"), ["2027-01-05T08:30:00+00:00"]);
        assert_eq!(texts(&xml, "Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum"), ["1000000177.04"]);
        assert_eq!(texts(&xml, "Document/CstmrDrctDbtInitn/PmtInf/CtrlSum"), ["127.05", "1000000049.99"]);
        // Text in the SEPA character set, names cut at 70, the remittance at 140.
        let names = texts(&xml, &format!("{TX}/Dbtr/Nm"));
        assert_eq!(names[0], "Backerei Muller + Sohne");
        assert_eq!(names[1], "Zoe Odegard");
        assert_eq!(names[3].chars().count(), 70);
        assert!(names[3].starts_with("Stichting Heelkunde-Genootschap-Seine"), "{}", names[3]);
        assert_eq!(texts(&xml, "Document/CstmrDrctDbtInitn/GrpHdr/InitgPty/Nm"), ["Hosting + Co. B.V."]);
        let remittance = texts(&xml, &format!("{TX}/RmtInf/Ustrd"));
        assert_eq!(remittance[3].chars().count(), 140);
        assert!(remittance[3].starts_with("Factuur F2027-00104 'periode' januari-maart EUR 0,01 xxx"), "{}", remittance[3]);
        assert!(xml.is_ascii(), "only the SEPA character set");
        // The amendments: SMNDA for the account at another bank, the old IBAN and mandate id.
        let m = format!("{TX}/DrctDbtTx/MndtRltdInf");
        assert_eq!(texts(&xml, &format!("{m}/AmdmntInd")), ["true", "true"]);
        assert_eq!(texts(&xml, &format!("{m}/AmdmntInfDtls/OrgnlDbtrAcct/Id/Othr/Id")), ["SMNDA"]);
        assert_eq!(texts(&xml, &format!("{m}/AmdmntInfDtls/OrgnlDbtrAcct/Id/IBAN")), ["NL91ABNA0417164300"]);
        assert_eq!(texts(&xml, &format!("{m}/AmdmntInfDtls/OrgnlMndtId")), ["OUD/2019/17"]);
        // BICs by version; without one, NOTPROVIDED.
        let bic = match version {
            Pain008Version::V02 => "BIC",
            Pain008Version::V08 => "BICFI",
        };
        assert_eq!(texts(&xml, &format!("{TX}/DbtrAgt/FinInstnId/{bic}")), ["COBADEFFXXX", "BPMOIT22", "ABNANL2A"]);
        assert_eq!(texts(&xml, &format!("{TX}/DbtrAgt/FinInstnId/Othr/Id")), ["NOTPROVIDED", "NOTPROVIDED"]);
        assert_eq!(texts(&xml, &format!("Document/CstmrDrctDbtInitn/PmtInf/CdtrAgt/FinInstnId/{bic}")), ["RABONL2U", "RABONL2U"]);
        assert_eq!(texts(&xml, &format!("{TX}/DbtrAcct/Id/IBAN"))[0], "DE89370400440532013000", "IBANs compact");
    }
}

/// The reference library's samples (php-sepa-xml) and Loket's file for the same collection have
/// the same elements in the same order, but for the debtor's postal address and v08's UETR, which
/// Loket does not write.
#[test]
fn the_structure_of_the_reference_samples() {
    let Some(dir) = common::reference() else { return };
    for version in VERSIONS {
        let sample = std::fs::read_to_string(dir.join(format!("sepa/samples/pain/php-sepa-xml_{}.xml", version.name()))).expect("sample");
        let sample_paths: Vec<String> =
            elements(&sample).into_iter().map(|e| e.path).filter(|p| !p.contains("/PstlAdr") && !p.ends_with("/UETR")).collect();
        let mut one = batch();
        one.payments.truncate(1);
        one.payments[0].sequence = SequenceType::OneOff;
        one.payments[0].transactions.truncate(1);
        let ours: Vec<String> = elements(&write_pain008(&one, version).unwrap()).into_iter().map(|e| e.path).collect();
        assert_eq!(ours, sample_paths, "{}", version.name());
        assert!(sample.contains(version.namespace()));
    }
}

#[test]
fn every_file_written_passes_the_iso_20022_schema() {
    if common::iso20022_validator().is_none() {
        return;
    }
    let tmp = common::tempdir("pain008");
    let mut files = Vec::new();
    let mut write = |name: &str, b: &DirectDebitBatch| {
        for version in VERSIONS {
            let path = tmp.join(format!("{name}-{}.xml", version.name()));
            std::fs::write(&path, write_pain008(b, version).unwrap_or_else(|e| panic!("{name}: {e}"))).expect("write");
            files.push(path);
        }
    };
    write("month", &batch());
    let mut no_bics = batch();
    no_bics.creditor_bic = None;
    for p in &mut no_bics.payments {
        for t in &mut p.transactions {
            t.debtor_bic = None;
            t.remittance.clear();
        }
    }
    write("no-bics-no-text", &no_bics);
    let mut sequences = batch();
    sequences.payments[0].sequence = SequenceType::OneOff;
    sequences.payments[0].transactions[1].amendment = None;
    sequences.payments[1].sequence = SequenceType::Final;
    sequences.payments.push(PaymentInfo {
        payment_info_id: "LOKET-DD-1-RCUR-2".into(),
        sequence: SequenceType::Recurring,
        collection_date: date(2027, 1, 14),
        transactions: vec![tx("F2027-00106", 2500, "LOKET-0009", "O'Brien (Ltd.)", "BE68539007547034", Some("GEBABEBB"))],
    });
    write("ooff-fnal-three-payments", &sequences);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for i in 0..24 {
        let b = any_batch().new_tree(&mut runner).expect("a batch").current();
        write(&format!("generated-{i}"), &b);
    }
    validate(&files);
    assert_eq!(files.len(), 54);
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn bad_input_is_refused_naming_its_field() {
    let refused = |change: &dyn Fn(&mut DirectDebitBatch), field: &str| {
        let mut b = batch();
        change(&mut b);
        for version in VERSIONS {
            let e = write_pain008(&b, version).unwrap_err();
            assert_eq!(e.field(), field, "{e}");
        }
    };
    refused(&|b| b.payments.clear(), "payments");
    refused(&|b| b.payments[1].transactions.clear(), "payments[1].transactions");
    refused(&|b| b.payments[1].transactions[2].amount_cents = 0, "payments[1].transactions[2].amount_cents");
    refused(&|b| b.payments[0].transactions[0].amount_cents = -100, "payments[0].transactions[0].amount_cents");
    refused(&|b| b.payments[0].transactions[0].amount_cents = MAX_AMOUNT_CENTS + 1, "payments[0].transactions[0].amount_cents");
    refused(&|b| b.message_id = "M".repeat(36), "message_id");
    refused(&|b| b.message_id = " ".into(), "message_id");
    refused(&|b| b.payments[1].payment_info_id = "P".repeat(36), "payments[1].payment_info_id");
    refused(&|b| b.payments[1].payment_info_id = "LOKET-DD-1-FRST".into(), "payments[1].payment_info_id");
    refused(&|b| b.payments[0].transactions[1].end_to_end_id = "E".repeat(36), "payments[0].transactions[1].end_to_end_id");
    refused(&|b| b.payments[0].transactions[1].end_to_end_id = "F2027/".into(), "payments[0].transactions[1].end_to_end_id");
    refused(&|b| b.payments[0].transactions[1].mandate_reference = "Müller-1".into(), "payments[0].transactions[1].mandate_reference");
    refused(&|b| b.payments[0].transactions[1].debtor_iban = "NL20INGB0001234568".into(), "payments[0].transactions[1].debtor_iban");
    refused(&|b| b.payments[0].transactions[1].debtor_bic = Some("INGB".into()), "payments[0].transactions[1].debtor_bic");
    refused(&|b| b.payments[0].transactions[1].debtor_name = " \t ".into(), "payments[0].transactions[1].debtor_name");
    refused(&|b| b.payments[0].transactions[1].mandate_signed_on = date(2027, 1, 8), "payments[0].transactions[1].mandate_signed_on");
    refused(
        &|b| b.payments[0].transactions[1].amendment = Some(MandateAmendment { original_mandate_id: None, original_debtor_account: None }),
        "payments[0].transactions[1].amendment",
    );
    refused(
        &|b| {
            b.payments[0].transactions[1].amendment =
                Some(MandateAmendment { original_mandate_id: Some("LOKET-0008".into()), original_debtor_account: None })
        },
        "payments[0].transactions[1].amendment.original_mandate_id",
    );
    refused(&|b| b.creditor_id = "NL97ZZZ123456780000".into(), "creditor_id");
    refused(&|b| b.creditor_iban = "NL39 RABO".into(), "creditor_iban");
    refused(&|b| b.creditor_name.clear(), "creditor_name");
    refused(&|b| b.initiating_party = "\u{0}".into(), "initiating_party");
    // pain.008.001.02 cannot carry a passive BIC (location ending in O); .08 can.
    let mut passive = batch();
    passive.creditor_bic = Some("RABONL2O".into());
    assert_eq!(write_pain008(&passive, Pain008Version::V02).unwrap_err().field(), "creditor_bic");
    assert!(write_pain008(&passive, Pain008Version::V08).is_ok());
    assert!(matches!(
        write_pain008(
            &{
                let mut b = batch();
                b.payments[0].transactions[0].amount_cents = 0;
                b
            },
            Pain008Version::V02
        ),
        Err(Pain008Error::Amount { cents: 0, .. })
    ));
}

// Generated batches: any mix within what the writer accepts.

const IBANS: [&str; 6] = [
    "NL91ABNA0417164300",
    "NL20INGB0001234567",
    "DE89370400440532013000",
    "BE68539007547034",
    "IT60X0542811101000000123456",
    "FR1420041010050500013M02606",
];
const BICS: [&str; 4] = ["ABNANL2A", "INGBNL2A", "COBADEFFXXX", "GEBABEBB"];

fn identifier() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9.,:?()+-]{0,33}[A-Za-z0-9]".prop_filter("no //", |s| !s.contains("//"))
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i64..3650).prop_map(|n| date(2020, 1, 1).checked_add(jiff::Span::new().days(n)).unwrap())
}

fn any_transaction() -> impl Strategy<Value = DirectDebitTransaction> {
    (
        identifier(),
        1i64..=MAX_AMOUNT_CENTS,
        identifier(),
        prop::option::of((prop::option::of(identifier()), prop::option::of(prop::bool::ANY))),
        "\\PC{1,90}",
        (0usize..IBANS.len(), prop::option::of(0usize..BICS.len())),
        "\\PC{0,160}",
    )
        .prop_map(|(e2e, amount, mandate, amendment, name, (iban, bic), remittance)| {
            let amendment = amendment
                .map(|(id, account)| MandateAmendment {
                    original_mandate_id: id.map(|i| format!("OLD-{}", &i[..i.len().min(31)])),
                    original_debtor_account: account.map(|smnda| {
                        if smnda {
                            OriginalDebtorAccount::NewDebtorAccount
                        } else {
                            OriginalDebtorAccount::Iban(IBANS[(iban + 1) % IBANS.len()].into())
                        }
                    }),
                })
                .filter(|a| a.original_mandate_id.is_some() || a.original_debtor_account.is_some());
            let name = if sepa_text(&name, 70).is_empty() { format!("x{name}") } else { name };
            DirectDebitTransaction {
                end_to_end_id: e2e,
                amount_cents: amount,
                mandate_reference: mandate,
                mandate_signed_on: date(2019, 12, 31),
                amendment,
                debtor_name: name,
                debtor_iban: IBANS[iban].into(),
                debtor_bic: bic.map(|b| BICS[b].into()),
                remittance,
            }
        })
}

fn any_batch() -> impl Strategy<Value = DirectDebitBatch> {
    (
        identifier(),
        prop::collection::vec((any_date(), 0usize..4, prop::collection::vec(any_transaction(), 1..6)), 1..4),
        prop::option::of(0usize..BICS.len()),
        "[A-Za-zÀ-ž&' .-]{1,80}",
    )
        .prop_map(|(message_id, payments, creditor_bic, creditor_name)| DirectDebitBatch {
            message_id,
            created_at: "2027-01-05T08:30:00Z".parse().unwrap(),
            initiating_party: format!("I {creditor_name}"),
            creditor_name: format!("C {creditor_name}"),
            creditor_iban: "NL39RABO0300065264".into(),
            creditor_bic: creditor_bic.map(|b| BICS[b].into()),
            creditor_id: "IT66ZZZA1B2C3D4E5F6G7H8".into(),
            payments: payments
                .into_iter()
                .enumerate()
                .map(|(i, (collection_date, s, transactions))| PaymentInfo {
                    payment_info_id: format!("PMT-{i}"),
                    sequence: [SequenceType::First, SequenceType::Recurring, SequenceType::Final, SequenceType::OneOff][s],
                    collection_date,
                    transactions,
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `CtrlSum` is the sum of the amounts and `NbOfTxs` their number, per payment and for the
    /// file; every amount is written exactly; the file is ASCII in the SEPA set and reads back.
    #[test]
    fn counts_and_sums_are_what_the_file_carries(b in any_batch(), v in 0usize..2) {
        let xml = write_pain008(&b, VERSIONS[v]).unwrap();
        assert_counted(&xml, &b);
        prop_assert!(xml.is_ascii());
        for Element { path, text, .. } in elements(&xml) {
            if path.ends_with("/Nm") || path.ends_with("/Ustrd") {
                prop_assert!(text.chars().all(is_sepa_char), "{}", text);
                let max = if path.ends_with("/Nm") { 70 } else { 140 };
                prop_assert!(!text.is_empty() && text.chars().count() <= max, "{}", text);
            }
        }
    }
}
