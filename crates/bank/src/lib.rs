//! A provider's bank statements, read into one small model so that Loket can match incoming
//! credits to open invoices (by the RF payment reference Loket prints, then an invoice number in
//! the remittance text, then amount and counter-IBAN).
//!
//! [`parse`] takes the bytes of a file and detects the format: ISO 20022 camt.053 (versions
//! 001.02 to 001.08, by namespace; read with a streaming XML reader that refuses any DOCTYPE) or
//! SWIFT MT940/MT942 (with the `:86:` dialects of Dutch, German and other banks). Everything here
//! is pure: no I/O, no clock, no database. [`write_camt053`] writes a statement back out as
//! camt.053.001.02, for tests and the benchmark. [`pain008`] goes the other way: SEPA Core
//! direct-debit initiation files (pain.008.001.02 and .08) for the provider to hand to its bank.
//!
//! Rules that hold for every statement [`parse`] returns:
//! - amounts are integer minor units of their ISO currency, never floats; an amount with more
//!   decimals than its currency has (`8.855` EUR) is refused, trailing zeros (`8.850`) are not;
//! - only booked entries are entries; pending and informational ones are counted in
//!   [`Statement::skipped_unbooked`];
//! - opening balance + entries = closing balance wherever both balances are given.
//!
//! Amounts are kept as `i64` + currency code rather than `loket_domain::Money`: a bank account can
//! be in any currency (the reference samples have CHF, PLN, SEK, JPY, RON), while the domain's
//! `Currency` is the set Loket bills in. The import decides what to do with an entry in a currency
//! it cannot book.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

mod camt053;
mod error;
pub mod examples;
mod key;
mod mt940;
pub mod pain008;
mod values;
mod write;

pub use error::{Location, ParseError};
pub use pain008::{Pain008Error, Pain008Version, write_pain008};
pub use write::write_camt053;

/// The largest file [`parse`] reads: 50 MB. Checked before anything else.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// One account's statement for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub format: Format,
    /// camt.053 `Stmt/Id`; MT940 `:20:` (which banks do not always make unique).
    pub id: String,
    /// camt.053 `ElctrncSeqNb` (else `LglSeqNb`); MT940 `:28C:` as written, e.g. `19322/1`.
    pub sequence: Option<String>,
    pub account: Account,
    /// When the bank made the statement (camt.053 `CreDtTm`, MT942 `:13D:`). A time without an
    /// offset is taken as UTC.
    pub created: Option<Timestamp>,
    /// The period covered (camt.053 `FrToDt`, the dates as the bank wrote them); MT940 has none.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Booked opening balance: camt.053 `OPBD` (else `PRCD`), MT940 `:60F:`/`:60M:`.
    pub opening: Option<Balance>,
    /// Booked closing balance: camt.053 `CLBD`, MT940 `:62F:`/`:62M:`.
    pub closing: Option<Balance>,
    /// Booked entries, in the file's order.
    pub entries: Vec<Entry>,
    /// camt.053 entries whose status is not booked (`PDNG`, `INFO`, `FUTR`): left out of `entries`.
    pub skipped_unbooked: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// `version` as in the namespace: `camt.053.001.02` … `camt.053.001.08`.
    Camt053 {
        version: String,
    },
    Mt940,
    /// An interim transaction report: entries so far, no balances.
    Mt942,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Normalised: upper case, no spaces.
    pub iban: Option<String>,
    /// The account as the bank wrote it when that is not exactly an IBAN: a domestic number
    /// (`517852257`), `BIC/IBAN`, `TRIODOSBANK/0390123456`, `1291.99.348EUR`.
    pub other_id: Option<String>,
    pub currency: Option<String>,
    /// camt.053 `Acct/Ownr/Nm`, else the account's name `Acct/Nm`.
    pub owner_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub date: Date,
    /// Signed minor units: negative is a debit balance (overdrawn).
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Money in.
    Credit,
    /// Money out.
    Debit,
}

/// One booked movement of money. A camt.053 batch entry whose transactions carry their own
/// amounts is split into one entry per transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Minor units, never negative; [`Entry::direction`] says which way.
    pub amount: i64,
    /// Which way the money moved on this account. A reversal is booked in the direction it moves
    /// the money: the reversal of a credit is a debit.
    pub direction: Direction,
    pub currency: String,
    pub booking_date: Date,
    pub value_date: Option<Date>,
    /// The bank's reference: camt.053 `AcctSvcrRef` (the transaction's, else the entry's); MT940
    /// the `//` reference in `:61:`. `NONREF` is none.
    pub bank_reference: Option<String>,
    /// The payer's end-to-end reference (camt.053 `EndToEndId`, MT940 `/EREF/`, `EREF+`).
    /// `NOTPROVIDED` is none.
    pub end_to_end_id: Option<String>,
    /// A structured payment reference: camt.053 `CdtrRefInf/Ref`, MT940 `/REMI/STRD/…`,
    /// `/CDTRREF/` or a Dutch betalingskenmerk; otherwise an RF reference with correct check digits
    /// found in the remittance text.
    pub structured_reference: Option<String>,
    /// The free text for the payee: camt.053 `Ustrd` lines, MT940 `:86:` text (`/REMI/`, `SVWZ+`,
    /// or the whole field), lines joined with `\n`.
    pub remittance: String,
    /// The other side: for a credit the payer, for a debit the payee, for a return or reversal
    /// the party of the original payment.
    pub counterparty: Party,
    pub reversal: bool,
    /// Why a payment came back: the ISO code (`AC04`, `MD06`) from camt.053 `RtrInf/Rsn` or MT940
    /// `/RTRN/`, or a German bank's own code from `?34`.
    pub return_reason: Option<String>,
    /// camt.053 `Domn-Fmly-SubFmly` (`PMNT-RCDT-ESCT`) else the proprietary code; MT940 the
    /// transaction type of `:61:` (`NTRF`, `N426`).
    pub bank_code: Option<String>,
    /// Stable across imports of the same or an overlapping statement, for a unique index that
    /// stops double booking: `k1:` and 32 hex digits of a SHA-256 over the account, currency,
    /// booking date, direction and amount, with the bank reference where there is one, else the
    /// value date, counterparty, references and remittance text; and, for the second and later of
    /// entries alike in all that, their position among them.
    pub entry_key: String,
}

impl Entry {
    /// The amount with its sign: positive for money in.
    pub fn signed_amount(&self) -> i64 {
        match self.direction {
            Direction::Credit => self.amount,
            Direction::Debit => -self.amount,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: Option<String>,
    /// Normalised: upper case, no spaces.
    pub iban: Option<String>,
    pub bic: Option<String>,
}

impl Party {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.iban.is_none() && self.bic.is_none()
    }
}

/// A statement as a format parser made it, with the place to name in a balance error.
pub(crate) struct Parsed {
    pub statement: Statement,
    pub at: Location,
}

/// Reads camt.053 or MT940/MT942 bytes into statements, checking that every statement's
/// balances add up. Never panics; every problem is a [`ParseError`] that says where.
pub fn parse(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
    let parsed = parse_all(bytes)?;
    for p in &parsed {
        check_balance(p)?;
    }
    Ok(parsed.into_iter().map(|p| p.statement).collect())
}

/// [`parse`] without the balance check: for showing a provider what a statement that does not
/// add up contains, never for booking it.
pub fn parse_unchecked(bytes: &[u8]) -> Result<Vec<Statement>, ParseError> {
    Ok(parse_all(bytes)?.into_iter().map(|p| p.statement).collect())
}

fn parse_all(bytes: &[u8]) -> Result<Vec<Parsed>, ParseError> {
    if bytes.len() > MAX_BYTES {
        return Err(ParseError::TooLarge { size: bytes.len() });
    }
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(start) = unmarked.iter().position(|b| !b.is_ascii_whitespace()) else { return Err(ParseError::Empty) };
    let xml = unmarked[start] == b'<' || bytes.starts_with(b"\xFF\xFE<") || bytes.starts_with(b"\xFE\xFF\0<");
    let mut parsed = if xml {
        camt053::parse(bytes)?
    } else {
        // MT940 comes from banks in UTF-8 or in Windows-1252 (of which Latin-1 is a part).
        let mut text = values::decode(bytes).unwrap_or_else(|_| values::windows_1252(bytes).into());
        if !text.contains('\n') {
            // Lines ended by a lone CR (old Mac exports).
            text = text.replace('\r', "\n").into();
        }
        if !mt940::looks_like(&text) {
            return Err(ParseError::UnknownFormat);
        }
        mt940::parse(&text)?
    };
    for p in &mut parsed {
        key::assign(&mut p.statement);
    }
    Ok(parsed)
}

fn check_balance(p: &Parsed) -> Result<(), ParseError> {
    let s = &p.statement;
    let (Some(opening), Some(closing)) = (&s.opening, &s.closing) else { return Ok(()) };
    if opening.currency != closing.currency {
        let problem = format!("the opening balance is in {} but the closing balance in {}", opening.currency, closing.currency);
        return Err(ParseError::invalid(p.at.clone(), problem));
    }
    let mut sum: i64 = 0;
    for (i, e) in s.entries.iter().enumerate() {
        if e.currency != opening.currency {
            let problem = format!("entry {} is in {} but the balances are in {}", i + 1, e.currency, opening.currency);
            return Err(ParseError::invalid(p.at.clone(), problem));
        }
        sum = sum
            .checked_add(e.signed_amount())
            .ok_or_else(|| ParseError::invalid(p.at.clone(), "the entries add up beyond any real amount"))?;
    }
    let balanced = opening.amount.checked_add(sum) == Some(closing.amount);
    if balanced {
        return Ok(());
    }
    Err(ParseError::Unbalanced {
        at: p.at.clone(),
        opening: opening.amount,
        entries: sum,
        closing: closing.amount,
        currency: opening.currency.clone(),
    })
}
