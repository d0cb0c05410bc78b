//! SEPA Core direct-debit initiation files: [`write_pain008`] writes ISO 20022 pain.008.001.02 or
//! pain.008.001.08 (the caller picks what its bank takes) with quick-xml's writer, two-space
//! indented, for the provider to upload to its bank. Pure: a batch in, the document out.
//!
//! Everything is checked before a byte is written, and every refusal names its field as a path
//! into the batch (`payments[1].transactions[0].amount_cents`):
//! - identifiers (`MsgId`, `PmtInfId`, `EndToEndId`, mandate references) are 1 to 35 characters
//!   of the SEPA character set, not starting or ending with `/` and without `//`; they are refused,
//!   never changed, because the bank reports them back;
//! - amounts are integer cents, more than zero and at most 999,999,999.99; `CtrlSum` and `NbOfTxs`
//!   are counted here with checked arithmetic, per payment and for the file;
//! - IBANs, BICs and the creditor identifier have their shape and check digits;
//! - names and the remittance text are written in the SEPA Latin character set (`ü` → `u`,
//!   `&` → `+`, anything else outside it → `.`) and cut to 70 and 140 characters.
//!
//! What the sequence type of a collection is, whether a date can be collected on, when a mandate
//! expired: `loket_domain::billing::sepa` decides; this module writes what it is given.

use std::collections::HashSet;
use std::io;

use jiff::Timestamp;
use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::values::{bic_shape, format_amount, iban_checks, iban_shape, mod97, sample};

/// The largest amount of one collection the EPC guidelines allow, in cents: 999,999,999.99.
pub const MAX_AMOUNT_CENTS: i64 = 99_999_999_999;
/// The largest `CtrlSum` the schema's decimal (18 digits) carries, in cents.
const MAX_CONTROL_SUM_CENTS: i64 = 999_999_999_999_999_999;
/// Identifiers: `Max35Text`.
pub const MAX_ID: usize = 35;
/// Names: the EPC guidelines' 70 characters.
pub const MAX_NAME: usize = 70;
/// The unstructured remittance text: one `Ustrd` of 140 characters.
pub const MAX_REMITTANCE: usize = 140;

/// The message version, from the bank's specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pain008Version {
    /// pain.008.001.02, the version of the SEPA migration (2014): the most widely accepted.
    V02,
    /// pain.008.001.08, of the EPC guidelines since November 2023 (ISO 20022 2019): `BICFI`.
    V08,
}

impl Pain008Version {
    pub fn name(self) -> &'static str {
        match self {
            Pain008Version::V02 => "pain.008.001.02",
            Pain008Version::V08 => "pain.008.001.08",
        }
    }

    pub fn namespace(self) -> &'static str {
        match self {
            Pain008Version::V02 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02",
            Pain008Version::V08 => "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08",
        }
    }

    fn bic_element(self) -> &'static str {
        match self {
            Pain008Version::V02 => "BIC",
            Pain008Version::V08 => "BICFI",
        }
    }
}

/// `SeqTp`: where the collections of a payment stand in their mandates' series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequenceType {
    First,
    Recurring,
    Final,
    OneOff,
}

impl SequenceType {
    pub fn code(self) -> &'static str {
        match self {
            SequenceType::First => "FRST",
            SequenceType::Recurring => "RCUR",
            SequenceType::Final => "FNAL",
            SequenceType::OneOff => "OOFF",
        }
    }
}

/// One file: the creditor and its payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectDebitBatch {
    /// `MsgId`: unique per file for the bank.
    pub message_id: String,
    /// `CreDtTm`, written in UTC to the second.
    pub created_at: Timestamp,
    /// `InitgPty/Nm`: who makes the file (the provider).
    pub initiating_party: String,
    pub creditor_name: String,
    pub creditor_iban: String,
    /// Optional since IBAN-only (2016): without it, `Othr/Id` `NOTPROVIDED`.
    pub creditor_bic: Option<String>,
    /// The SEPA creditor identifier (`CdtrSchmeId`).
    pub creditor_id: String,
    pub payments: Vec<PaymentInfo>,
}

/// One `PmtInf`: collections of one sequence type on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInfo {
    /// `PmtInfId`: unique within the file.
    pub payment_info_id: String,
    pub sequence: SequenceType,
    /// `ReqdColltnDt`: a TARGET2 business day, far enough ahead for the bank.
    pub collection_date: Date,
    pub transactions: Vec<DirectDebitTransaction>,
}

/// One collection from one debtor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectDebitTransaction {
    pub end_to_end_id: String,
    /// In euro cents, more than zero.
    pub amount_cents: i64,
    pub mandate_reference: String,
    pub mandate_signed_on: Date,
    /// What changed in the mandate since its last collection, told once with the next one.
    pub amendment: Option<MandateAmendment>,
    pub debtor_name: String,
    pub debtor_iban: String,
    pub debtor_bic: Option<String>,
    /// Unstructured remittance text (`RmtInf/Ustrd`); empty for none.
    pub remittance: String,
}

/// `AmdmntInfDtls`: at least one of the two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateAmendment {
    /// `OrgnlMndtId`: the reference the mandate had before.
    pub original_mandate_id: Option<String>,
    /// `OrgnlDbtrAcct`: the account collected from before.
    pub original_debtor_account: Option<OriginalDebtorAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginalDebtorAccount {
    /// The old IBAN (a new account at the same bank): `Id/IBAN`.
    Iban(String),
    /// `Id/Othr/Id` `SMNDA`, "same mandate, new debtor account": a new account at another bank
    /// (or one it cannot be told of), collected as `FRST`.
    NewDebtorAccount,
}

/// Why a batch cannot be written; `field` is the path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pain008Error {
    #[error("{field}: empty: {what}")]
    Empty { field: String, what: &'static str },
    #[error("{field}: at most {max} characters ({len} given)")]
    TooLong { field: String, max: usize, len: usize },
    #[error("{field}: {cents} cents is not an amount to collect: more than 0.00 and at most 999999999.99 EUR")]
    Amount { field: String, cents: i64 },
    #[error("{field}: the amounts add up to more than a file can carry")]
    Overflow { field: String },
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
}

impl Pain008Error {
    /// The path of the value at fault, e.g. `payments[0].transactions[2].debtor_iban`.
    pub fn field(&self) -> &str {
        match self {
            Pain008Error::Empty { field, .. }
            | Pain008Error::TooLong { field, .. }
            | Pain008Error::Amount { field, .. }
            | Pain008Error::Overflow { field }
            | Pain008Error::Invalid { field, .. } => field,
        }
    }
}

fn invalid(field: &str, problem: impl Into<String>) -> Pain008Error {
    Pain008Error::Invalid { field: field.to_string(), problem: problem.into() }
}

/// The batch as a pain.008 document of `version`, or the first thing wrong with it.
pub fn write_pain008(batch: &DirectDebitBatch, version: Pain008Version) -> Result<String, Pain008Error> {
    let (batch, sums) = checked(batch, version)?;
    let mut w = Writer::new_with_indent(Vec::with_capacity(2048 + batch.payments.len() * 1024), b' ', 2);
    document(&mut w, &batch, &sums, version).expect("writing to memory does not fail");
    Ok(String::from_utf8(w.into_inner()).expect("only UTF-8 text is written"))
}

/// Per payment and for the whole file: the number of transactions and their sum in cents.
struct Sums {
    payments: Vec<(usize, i64)>,
    count: usize,
    total: i64,
}

/// The batch with every value checked and normalised (IBANs and BICs compact and upper case, texts
/// in the SEPA character set and cut to their length), and its sums.
fn checked(b: &DirectDebitBatch, version: Pain008Version) -> Result<(DirectDebitBatch, Sums), Pain008Error> {
    let mut out = DirectDebitBatch {
        message_id: id("message_id", &b.message_id)?,
        created_at: b.created_at,
        initiating_party: name("initiating_party", &b.initiating_party)?,
        creditor_name: name("creditor_name", &b.creditor_name)?,
        creditor_iban: iban("creditor_iban", &b.creditor_iban)?,
        creditor_bic: bic("creditor_bic", b.creditor_bic.as_deref(), version)?,
        creditor_id: creditor_id("creditor_id", &b.creditor_id)?,
        payments: Vec::with_capacity(b.payments.len()),
    };
    if b.payments.is_empty() {
        return Err(Pain008Error::Empty { field: "payments".into(), what: "a file needs at least one payment" });
    }
    let mut sums = Sums { payments: Vec::with_capacity(b.payments.len()), count: 0, total: 0 };
    let mut payment_ids = HashSet::new();
    for (p, payment) in b.payments.iter().enumerate() {
        let at = format!("payments[{p}]");
        let payment_info_id = id(&format!("{at}.payment_info_id"), &payment.payment_info_id)?;
        if !payment_ids.insert(payment_info_id.clone()) {
            return Err(invalid(
                &format!("{at}.payment_info_id"),
                format!("{payment_info_id} is the id of an earlier payment in this file"),
            ));
        }
        let collection_date = date(&format!("{at}.collection_date"), payment.collection_date)?;
        if payment.transactions.is_empty() {
            return Err(Pain008Error::Empty { field: format!("{at}.transactions"), what: "a payment needs at least one transaction" });
        }
        let mut transactions = Vec::with_capacity(payment.transactions.len());
        let mut sum: i64 = 0;
        for (t, tx) in payment.transactions.iter().enumerate() {
            let tx = transaction(&format!("{at}.transactions[{t}]"), tx, collection_date, version)?;
            sum = sum
                .checked_add(tx.amount_cents)
                .filter(|s| *s <= MAX_CONTROL_SUM_CENTS)
                .ok_or_else(|| Pain008Error::Overflow { field: format!("{at}.transactions") })?;
            transactions.push(tx);
        }
        sums.count += transactions.len();
        sums.total = sums
            .total
            .checked_add(sum)
            .filter(|s| *s <= MAX_CONTROL_SUM_CENTS)
            .ok_or_else(|| Pain008Error::Overflow { field: "payments".into() })?;
        sums.payments.push((transactions.len(), sum));
        out.payments.push(PaymentInfo { payment_info_id, sequence: payment.sequence, collection_date, transactions });
    }
    Ok((out, sums))
}

fn transaction(
    at: &str,
    tx: &DirectDebitTransaction,
    collection_date: Date,
    version: Pain008Version,
) -> Result<DirectDebitTransaction, Pain008Error> {
    let field = |name: &str| format!("{at}.{name}");
    if tx.amount_cents <= 0 || tx.amount_cents > MAX_AMOUNT_CENTS {
        return Err(Pain008Error::Amount { field: field("amount_cents"), cents: tx.amount_cents });
    }
    let mandate_reference = id(&field("mandate_reference"), &tx.mandate_reference)?;
    let mandate_signed_on = date(&field("mandate_signed_on"), tx.mandate_signed_on)?;
    if mandate_signed_on > collection_date {
        return Err(invalid(&field("mandate_signed_on"), format!("{mandate_signed_on} is after the collection date {collection_date}")));
    }
    let debtor_iban = iban(&field("debtor_iban"), &tx.debtor_iban)?;
    let amendment = match &tx.amendment {
        None => None,
        Some(a) => {
            let original_mandate_id = match &a.original_mandate_id {
                Some(m) => Some(id(&field("amendment.original_mandate_id"), m)?),
                None => None,
            };
            if original_mandate_id.as_deref() == Some(mandate_reference.as_str()) {
                return Err(invalid(
                    &field("amendment.original_mandate_id"),
                    "is the mandate's reference itself: an amendment names what changed",
                ));
            }
            let original_debtor_account = match &a.original_debtor_account {
                Some(OriginalDebtorAccount::Iban(old)) => {
                    let old = iban(&field("amendment.original_debtor_account"), old)?;
                    if old == debtor_iban {
                        return Err(invalid(
                            &field("amendment.original_debtor_account"),
                            "is the debtor's IBAN itself: an amendment names what changed",
                        ));
                    }
                    Some(OriginalDebtorAccount::Iban(old))
                }
                other => other.clone(),
            };
            if original_mandate_id.is_none() && original_debtor_account.is_none() {
                return Err(Pain008Error::Empty {
                    field: field("amendment"),
                    what: "an amendment names the original mandate id, the original debtor account, or both",
                });
            }
            Some(MandateAmendment { original_mandate_id, original_debtor_account })
        }
    };
    Ok(DirectDebitTransaction {
        end_to_end_id: id(&field("end_to_end_id"), &tx.end_to_end_id)?,
        amount_cents: tx.amount_cents,
        mandate_reference,
        mandate_signed_on,
        amendment,
        debtor_name: name(&field("debtor_name"), &tx.debtor_name)?,
        debtor_iban,
        debtor_bic: bic(&field("debtor_bic"), tx.debtor_bic.as_deref(), version)?,
        remittance: sepa_text(&tx.remittance, MAX_REMITTANCE),
    })
}

/// An identifier as it is: 1 to 35 characters of the SEPA set, no `/` at either end, no `//`.
fn id(field: &str, value: &str) -> Result<String, Pain008Error> {
    let len = value.chars().count();
    if value.trim().is_empty() {
        return Err(Pain008Error::Empty { field: field.into(), what: "an identifier has 1 to 35 characters" });
    }
    if len > MAX_ID {
        return Err(Pain008Error::TooLong { field: field.into(), max: MAX_ID, len });
    }
    if let Some(c) = value.chars().find(|c| !is_sepa_char(*c)) {
        return Err(invalid(
            field,
            format!("`{}` has `{c}`, which is not in the SEPA character set (A-Z a-z 0-9 / - ? : ( ) . , ' + space)", sample(value)),
        ));
    }
    if value != value.trim() || value.starts_with('/') || value.ends_with('/') || value.contains("//") {
        return Err(invalid(field, format!("`{}` starts or ends with a space or /, or has //", sample(value))));
    }
    Ok(value.to_string())
}

fn name(field: &str, value: &str) -> Result<String, Pain008Error> {
    let text = sepa_text(value, MAX_NAME);
    if text.is_empty() {
        return Err(Pain008Error::Empty { field: field.into(), what: "a name is required" });
    }
    Ok(text)
}

fn iban(field: &str, value: &str) -> Result<String, Pain008Error> {
    match iban_shape(value) {
        Some(iban) if iban_checks(&iban) => Ok(iban),
        Some(_) => Err(invalid(field, format!("`{}` is not an IBAN: its check digits are wrong", sample(value)))),
        None => Err(invalid(field, format!("`{}` is not an IBAN", sample(value)))),
    }
}

/// A BIC the version's schema accepts: pain.008.001.02 also refuses a location code starting with
/// 0 or 1 or ending in O (test and passive BICs).
fn bic(field: &str, value: Option<&str>, version: Pain008Version) -> Result<Option<String>, Pain008Error> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let bic =
        bic_shape(value).ok_or_else(|| invalid(field, format!("`{}` is not a BIC: 8 or 11 characters, e.g. ABNANL2A", sample(value))))?;
    let b = bic.as_bytes();
    if version == Pain008Version::V02 && (matches!(b[6], b'0' | b'1') || b[7] == b'O') {
        return Err(invalid(field, format!("{bic} is a test or passive BIC, which pain.008.001.02 cannot carry")));
    }
    Ok(Some(bic))
}

/// A SEPA creditor identifier with correct check digits (MOD 97-10 over the national identifier,
/// the country code and `00`; the business code is not part of it).
fn creditor_id(field: &str, value: &str) -> Result<String, Pain008Error> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let b = v.as_bytes();
    let shape = (8..=MAX_ID).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return Err(invalid(field, format!("`{}` is not a SEPA creditor identifier (e.g. NL42ZZZ123456780001)", sample(value))));
    }
    let expected = mod97(&[&v[7..], &v[..2], "00"]).map(|rest| format!("{:02}", 98 - rest));
    if expected.as_deref() != Some(&v[2..4]) {
        return Err(invalid(field, format!("`{}` is not a SEPA creditor identifier: its check digits are wrong", sample(value))));
    }
    Ok(v)
}

/// A date an ISO date can hold.
fn date(field: &str, d: Date) -> Result<Date, Pain008Error> {
    if d.year() < 1 {
        return Err(invalid(field, format!("{d} is not a date of this era")));
    }
    Ok(d)
}

/// Whether `c` is in the SEPA Latin character set every bank accepts.
pub fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c)
}

/// `text` in the SEPA Latin character set, trimmed and cut to `max` characters: letters with
/// accents lose them (`ü` → `u`, `ß` → `ss`, `Æ` → `AE`), `&` becomes `+`, quotes `'`, white
/// space a space, control characters nothing, and anything else `.`.
pub fn sepa_text(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        transliterate(c, &mut out);
    }
    out.trim().chars().take(max).collect::<String>().trim_end().to_string()
}

const ACCENTED: &[(char, &str)] = &[
    ('A', "ÀÁÂÃÄÅĀĂĄ"),
    ('a', "àáâãäåāăąª"),
    ('C', "ÇĆĈĊČ"),
    ('c', "çćĉċč"),
    ('D', "ĎĐÐ"),
    ('d', "ďđð"),
    ('E', "ÈÉÊËĒĔĖĘĚ"),
    ('e', "èéêëēĕėęě"),
    ('G', "ĜĞĠĢ"),
    ('g', "ĝğġģ"),
    ('H', "ĤĦ"),
    ('h', "ĥħ"),
    ('I', "ÌÍÎÏĨĪĬĮİ"),
    ('i', "ìíîïĩīĭįı"),
    ('J', "Ĵ"),
    ('j', "ĵ"),
    ('K', "Ķ"),
    ('k', "ķĸ"),
    ('L', "ĹĻĽĿŁ"),
    ('l', "ĺļľŀł"),
    ('N', "ÑŃŅŇŊ"),
    ('n', "ñńņňŉŋ"),
    ('O', "ÒÓÔÕÖØŌŎŐ"),
    ('o', "òóôõöøōŏőº"),
    ('R', "ŔŖŘ"),
    ('r', "ŕŗř"),
    ('S', "ŚŜŞŠȘ"),
    ('s', "śŝşšșſ"),
    ('T', "ŢŤŦȚ"),
    ('t', "ţťŧț"),
    ('U', "ÙÚÛÜŨŪŬŮŰŲ"),
    ('u', "ùúûüũūŭůűų"),
    ('W', "Ŵ"),
    ('w', "ŵ"),
    ('Y', "ÝŶŸ"),
    ('y', "ýÿŷ"),
    ('Z', "ŹŻŽ"),
    ('z', "źżž"),
    ('\'', "‘’‚‛′`´\"“”„«»"),
    ('-', "‐‑‒–—−"),
    (' ', "\u{a0}\u{2007}\u{202f}"),
    ('+', "&"),
    ('.', "…"),
    ('(', "[{<"),
    (')', "]}>"),
    ('/', "\\"),
    (':', ";"),
    ('?', "¿"),
    ('2', "²"),
];

fn transliterate(c: char, out: &mut String) {
    if is_sepa_char(c) {
        return out.push(c);
    }
    let two = match c {
        'ß' => "ss",
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'Þ' => "TH",
        'þ' => "th",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        '€' => "EUR",
        _ => "",
    };
    if !two.is_empty() {
        return out.push_str(two);
    }
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return; // a combining accent (`u` + `\u{308}`): the letter stays, the accent goes
    }
    if c.is_whitespace() {
        return out.push(' ');
    }
    if c.is_control() {
        return; // a NUL byte, an escape: nothing to write
    }
    out.push(ACCENTED.iter().find(|(_, from)| from.contains(c)).map_or('.', |(to, _)| *to));
}

type Out = Writer<Vec<u8>>;

fn document(w: &mut Out, b: &DirectDebitBatch, sums: &Sums, version: Pain008Version) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("Document").with_attribute(("xmlns", version.namespace())).write_inner_content(|w| {
        w.create_element("CstmrDrctDbtInitn").write_inner_content(|w| {
            w.create_element("GrpHdr").write_inner_content(|w| {
                leaf(w, "MsgId", &b.message_id)?;
                leaf(w, "CreDtTm", &b.created_at.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string())?;
                leaf(w, "NbOfTxs", &sums.count.to_string())?;
                leaf(w, "CtrlSum", &format_amount(sums.total, "EUR"))?;
                party(w, "InitgPty", &b.initiating_party)
            })?;
            for (p, &(count, sum)) in b.payments.iter().zip(&sums.payments) {
                payment(w, b, p, count, sum, version)?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    w.get_mut().push(b'\n');
    Ok(())
}

fn payment(w: &mut Out, b: &DirectDebitBatch, p: &PaymentInfo, count: usize, sum: i64, version: Pain008Version) -> io::Result<()> {
    w.create_element("PmtInf").write_inner_content(|w| {
        leaf(w, "PmtInfId", &p.payment_info_id)?;
        leaf(w, "PmtMtd", "DD")?;
        leaf(w, "NbOfTxs", &count.to_string())?;
        leaf(w, "CtrlSum", &format_amount(sum, "EUR"))?;
        w.create_element("PmtTpInf").write_inner_content(|w| {
            code(w, "SvcLvl", "SEPA")?;
            code(w, "LclInstrm", "CORE")?;
            leaf(w, "SeqTp", p.sequence.code())
        })?;
        leaf(w, "ReqdColltnDt", &p.collection_date.to_string())?;
        party(w, "Cdtr", &b.creditor_name)?;
        account(w, "CdtrAcct", &b.creditor_iban)?;
        agent(w, "CdtrAgt", b.creditor_bic.as_deref(), version)?;
        leaf(w, "ChrgBr", "SLEV")?;
        w.create_element("CdtrSchmeId").write_inner_content(|w| {
            w.create_element("Id").write_inner_content(|w| {
                w.create_element("PrvtId").write_inner_content(|w| {
                    w.create_element("Othr").write_inner_content(|w| {
                        leaf(w, "Id", &b.creditor_id)?;
                        w.create_element("SchmeNm").write_inner_content(|w| leaf(w, "Prtry", "SEPA"))?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
        for tx in &p.transactions {
            transaction_xml(w, tx, version)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn transaction_xml(w: &mut Out, tx: &DirectDebitTransaction, version: Pain008Version) -> io::Result<()> {
    w.create_element("DrctDbtTxInf").write_inner_content(|w| {
        w.create_element("PmtId").write_inner_content(|w| leaf(w, "EndToEndId", &tx.end_to_end_id))?;
        w.create_element("InstdAmt")
            .with_attribute(("Ccy", "EUR"))
            .write_text_content(BytesText::from_escaped(format_amount(tx.amount_cents, "EUR")))?;
        w.create_element("DrctDbtTx").write_inner_content(|w| {
            w.create_element("MndtRltdInf").write_inner_content(|w| {
                leaf(w, "MndtId", &tx.mandate_reference)?;
                leaf(w, "DtOfSgntr", &tx.mandate_signed_on.to_string())?;
                let Some(a) = &tx.amendment else { return Ok(()) };
                leaf(w, "AmdmntInd", "true")?;
                w.create_element("AmdmntInfDtls").write_inner_content(|w| {
                    if let Some(m) = &a.original_mandate_id {
                        leaf(w, "OrgnlMndtId", m)?;
                    }
                    match &a.original_debtor_account {
                        Some(OriginalDebtorAccount::Iban(iban)) => account(w, "OrgnlDbtrAcct", iban),
                        Some(OriginalDebtorAccount::NewDebtorAccount) => w
                            .create_element("OrgnlDbtrAcct")
                            .write_inner_content(|w| {
                                w.create_element("Id").write_inner_content(|w| other_id(w, "SMNDA"))?;
                                Ok(())
                            })
                            .map(|_| ()),
                        None => Ok(()),
                    }
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
        agent(w, "DbtrAgt", tx.debtor_bic.as_deref(), version)?;
        party(w, "Dbtr", &tx.debtor_name)?;
        account(w, "DbtrAcct", &tx.debtor_iban)?;
        if !tx.remittance.is_empty() {
            w.create_element("RmtInf").write_inner_content(|w| leaf(w, "Ustrd", &tx.remittance))?;
        }
        Ok(())
    })?;
    Ok(())
}

fn leaf(w: &mut Out, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::from_escaped(partial_escape(text)))?;
    Ok(())
}

/// `<name><Cd>code</Cd></name>`.
fn code(w: &mut Out, name: &str, code: &str) -> io::Result<()> {
    w.create_element(name).write_inner_content(|w| leaf(w, "Cd", code))?;
    Ok(())
}

fn party(w: &mut Out, element: &str, name: &str) -> io::Result<()> {
    w.create_element(element).write_inner_content(|w| leaf(w, "Nm", name))?;
    Ok(())
}

fn account(w: &mut Out, element: &str, iban: &str) -> io::Result<()> {
    w.create_element(element).write_inner_content(|w| {
        w.create_element("Id").write_inner_content(|w| leaf(w, "IBAN", iban))?;
        Ok(())
    })?;
    Ok(())
}

/// `<Othr><Id>id</Id></Othr>`.
fn other_id(w: &mut Out, id: &str) -> io::Result<()> {
    w.create_element("Othr").write_inner_content(|w| leaf(w, "Id", id))?;
    Ok(())
}

/// A bank by its BIC, or `NOTPROVIDED` (IBAN-only).
fn agent(w: &mut Out, element: &str, bic: Option<&str>, version: Pain008Version) -> io::Result<()> {
    w.create_element(element).write_inner_content(|w| {
        w.create_element("FinInstnId").write_inner_content(|w| match bic {
            Some(bic) => leaf(w, version.bic_element(), bic),
            None => other_id(w, "NOTPROVIDED"),
        })?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_in_the_sepa_character_set() {
        assert_eq!(sepa_text("Müller & Söhne GmbH", 70), "Muller + Sohne GmbH");
        assert_eq!(sepa_text("Straße Œuvre Ærø", 70), "Strasse OEuvre AEro");
        assert_eq!(sepa_text("Café \"Le Zinc\" – Nîmes", 70), "Cafe 'Le Zinc' - Nimes");
        assert_eq!(sepa_text("Zoë (decomposed: Zoe\u{308})", 70), "Zoe (decomposed: Zoe)");
        assert_eq!(sepa_text("Ștefan Țiriac; 50% €", 70), "Stefan Tiriac: 50. EUR");
        assert_eq!(sepa_text("  日本  ", 70), "..");
        assert_eq!(sepa_text("a\tb\nc", 70), "a b c");
        assert_eq!(sepa_text(&"x".repeat(200), 140).len(), 140);
        assert_eq!(sepa_text("abc   def", 4), "abc", "no trailing space after the cut");
        for c in ACCENTED.iter().flat_map(|(to, from)| from.chars().map(move |f| (*to, f))) {
            assert!(is_sepa_char(c.0), "{c:?}");
            assert!(!is_sepa_char(c.1), "{c:?}");
        }
    }

    #[test]
    fn creditor_ids_and_ibans_are_checked() {
        assert_eq!(creditor_id("x", "de98 zzz 09999999999").as_deref(), Ok("DE98ZZZ09999999999"));
        assert_eq!(creditor_id("x", "NL42ZZZ123456780001").as_deref(), Ok("NL42ZZZ123456780001"));
        assert_eq!(creditor_id("x", "IT66ZZZA1B2C3D4E5F6G7H8").as_deref(), Ok("IT66ZZZA1B2C3D4E5F6G7H8"));
        assert!(creditor_id("x", "BG40ZZZ507778").is_err(), "check digits 22 expected");
        assert!(creditor_id("x", "DE98ZZZ").is_err());
        assert_eq!(iban("x", "nl91 abna 0417 1643 00").as_deref(), Ok("NL91ABNA0417164300"));
        assert!(iban("x", "NL91ABNA0417164301").is_err());
        assert_eq!(bic("x", Some(" abnanl2a "), Pain008Version::V02), Ok(Some("ABNANL2A".into())));
        assert!(bic("x", Some("ABNANL2O"), Pain008Version::V02).is_err(), "a passive BIC");
        assert!(bic("x", Some("ABNANL2O"), Pain008Version::V08).is_ok());
        assert_eq!(bic("x", Some("  "), Pain008Version::V08), Ok(None));
    }

    #[test]
    fn identifiers_are_refused_not_changed() {
        assert_eq!(id("x", "F2027-00042/1").as_deref(), Ok("F2027-00042/1"));
        for bad in ["", " a", "a ", "/a", "a/", "a//b", "a&b", "Müller", "a_b"] {
            assert!(id("x", bad).is_err(), "{bad:?}");
        }
        assert_eq!(id("x", &"a".repeat(36)), Err(Pain008Error::TooLong { field: "x".into(), max: 35, len: 36 }));
    }
}
