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
