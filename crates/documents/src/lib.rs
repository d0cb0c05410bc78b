//! An issued document (invoice, credit note, pro forma) as the machines that receive it want
//! it: Peppol BIS Billing 3.0 UBL ([`ubl`]), FatturaPA for the Italian SDI ([`fatturapa`]) and
//! the EPC069-12 payment QR payload ([`girocode`]). Everything here is pure: a [`Doc`] in, text
//! out, the same bytes for the same document. The PDF lives in `loket-pdf`, which builds on
//! [`Doc`] too.

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::Language;
pub use loket_domain::billing::document::{DocKind, Party, VatRow};

pub mod examples;
pub mod fatturapa;
pub mod girocode;
pub mod ubl;
mod xml;

/// A document as issued, with everything a rendering needs and nothing it must look up.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: DocKind,
    pub number: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: Currency,
    pub language: Language,
    /// The provider, as frozen on the document.
    pub seller: Party,
    /// The customer, as frozen on the document.
    pub buyer: Party,
    pub lines: Vec<DocLine>,
    pub breakdown: Vec<VatRow>,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    /// The ISO 11649 (RF) reference the customer pays with.
    pub payment_reference: String,
    /// The invoice a credit note corrects.
    pub corrects: Option<Corrected>,
    /// A quote (not an invoice): the last day it can be accepted, and its note to the customer.
    pub quote: Option<QuoteTerms>,
}

#[derive(Debug, Clone)]
pub struct QuoteTerms {
    pub valid_until: Date,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DocLine {
    pub description: String,
    /// From the first day up to (not including) the second.
    pub period: Option<(Date, Date)>,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub net: i64,
    /// S, Z, E, AE or O.
    pub vat_code: String,
    /// Basis points: 2100 is 21 %.
    pub vat_rate: i64,
}

#[derive(Debug, Clone)]
pub struct Corrected {
    pub number: String,
    pub issue_date: Date,
}

/// The provider's settings that only e-invoices carry.
#[derive(Debug, Clone)]
pub struct EInvoicing {
    /// FatturaPA RegimeFiscale of the provider (RF01 ordinary regime …).
    pub regime_fiscale: String,
    /// FatturaPA schema version written: "1.2.2" (what the SDI's published XSD validates) or
    /// "1.2.3" (adds TipoDocumento TD29 and RegimeFiscale RF20). The file is written the same
    /// for both; the version decides which of those codes are accepted.
    pub fatturapa_version: FatturaVersion,
}

impl Default for EInvoicing {
    fn default() -> Self {
        EInvoicing { regime_fiscale: "RF01".into(), fatturapa_version: FatturaVersion::V122 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatturaVersion {
    V122,
    V123,
}

/// Why a document cannot be written in a format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The format has no place for this kind of document (a pro forma is a payment request).
    #[error("a {0} is not an invoice: it has no {1}; its invoice follows on payment")]
    NotAnInvoice(&'static str, &'static str),
    /// The customer cannot be addressed on the Peppol network (a private person outside Italy,
    /// or a business with no KvK, enterprise or VAT number): their invoice is the PDF.
    #[error(
        "the customer has no address on the Peppol network (a KvK, enterprise or VAT number, or an Italian codice fiscale): their invoice is the PDF"
    )]
    NoPeppolAddress,
    /// A value the format requires is missing from the frozen data.
    #[error("{0}")]
    Missing(String),
}

/// `minor` units as a plain decimal with the currency's digits: 12345 → "123.45".
pub fn decimal(minor: i64, digits: u32) -> String {
    let scale = 10u64.pow(digits);
    let abs = minor.unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
}

/// A decimal with at most `digits` digits after the point and no trailing zeros: 1500, 3 → "1.5".
pub fn trimmed(value: i64, digits: u32) -> String {
    let s = decimal(value, digits);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// A money amount of `doc`'s currency.
pub(crate) fn amount(doc: &Doc, minor: i64) -> String {
    decimal(minor, doc.currency.exponent())
}

/// The digits and letters of an identifier, upper case, without the country prefix `cc`.
pub(crate) fn bare(id: &str, cc: &str) -> String {
    let s: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    s.strip_prefix(cc).map(str::to_string).unwrap_or(s)
}

impl Doc {
    /// The last day of a line's period (periods are stored up to the day after).
    pub fn last_day(to: Date) -> Date {
        to.yesterday().unwrap_or(to)
    }

    pub(crate) fn seller_country(&self) -> &str {
        self.seller.country.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(12345, 2), "123.45");
        assert_eq!(decimal(-5, 2), "-0.05");
        assert_eq!(decimal(0, 2), "0.00");
        assert_eq!(decimal(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(trimmed(1500, 3), "1.5");
        assert_eq!(trimmed(1000, 3), "1");
        assert_eq!(trimmed(2100, 2), "21");
        assert_eq!(trimmed(550, 2), "5.5");
    }

    #[test]
    fn identifiers_lose_prefix_and_spacing() {
        assert_eq!(bare("NL 8537.71.245.B01", "NL"), "853771245B01");
        assert_eq!(bare("be0123456749", "BE"), "0123456749");
    }
}
