//! What a document is and where it stands, with the one text each is stored and shown as.

use serde::{Deserialize, Serialize};

/// Where a document stands. Only these change after issue; the content never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocState {
    /// Something is still to be paid.
    Open,
    /// Paid in full (from money, credit or both).
    Paid,
    /// Credited in full: nothing is owed, and nothing was paid.
    Credited,
    /// A pro forma that was paid and became an invoice.
    Converted,
    /// A credit note (it is settled when issued).
    Settled,
    /// A pro forma whose service was cancelled before it was paid.
    Void,
}

impl DocState {
    pub const ALL: [DocState; 6] =
        [DocState::Open, DocState::Paid, DocState::Credited, DocState::Converted, DocState::Settled, DocState::Void];

    pub fn name(self) -> &'static str {
        match self {
            DocState::Open => "open",
            DocState::Paid => "paid",
            DocState::Credited => "credited",
            DocState::Converted => "converted",
            DocState::Settled => "settled",
            DocState::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<DocState> {
        DocState::ALL.into_iter().find(|k| k.name() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Invoice,
    CreditNote,
    ProForma,
}

impl DocKind {
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Invoice => "invoice",
            DocKind::CreditNote => "credit_note",
            DocKind::ProForma => "pro_forma",
        }
    }
    pub fn parse(s: &str) -> Option<DocKind> {
        [DocKind::Invoice, DocKind::CreditNote, DocKind::ProForma].into_iter().find(|k| k.name() == s)
    }
}

/// A party to a document (the customer, the provider) as frozen on it when it was issued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Party {
    pub number: Option<String>,
    /// business | consumer
    pub kind: Option<String>,
    pub legal_name: Option<String>,
    pub trading_name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub tax_code: Option<String>,
    pub payment_method: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// The Italian SDI recipient code (Codice Destinatario: 7 characters, 6 for a public
    /// administration's office), where the customer gave one.
    pub sdi_code: Option<String>,
    /// The certified e-mail (PEC) Italian e-invoices are delivered to when there is no SDI code.
    pub pec: Option<String>,
}

/// One row of a document's VAT breakdown (EN 16931 BG-23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRow {
    /// S, Z, E, AE or O.
    pub code: String,
    /// Basis points: 2100 is 21 %.
    pub rate: i64,
    pub taxable: i64,
    pub vat: i64,
}
