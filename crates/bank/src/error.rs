//! What can be wrong with a statement file, said so that a provider knows what and where.

use std::fmt;

use crate::MAX_BYTES;
use crate::values::format_amount;

/// Where in the file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A camt.053 statement, by its `<Id>` (or `#2` for the second statement when it has none).
    Statement(String),
    /// A camt.053 entry: the statement and the entry's position among its `<Ntry>`, from 1.
    Entry { statement: String, entry: usize },
    /// An MT940 statement: its number (`:28C:`, else its `:20:` reference) and the line its `:20:` is on.
    Mt940Statement { statement: String, line: usize },
    /// A line of an MT940 file, from 1.
    Line(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Statement(id) => write!(f, "statement {id}"),
            Location::Entry { statement, entry } => write!(f, "statement {statement}, entry {entry}"),
            Location::Mt940Statement { statement, line } => write!(f, "statement {statement} (line {line})"),
            Location::Line(line) => write!(f, "line {line}"),
        }
    }
}

/// Why a file could not be read as bank statements. Every variant says where, where there is a where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MB ({size} bytes)", MAX_BYTES / (1024 * 1024))]
    TooLarge { size: usize },
    #[error("not a camt.053 or MT940 file")]
    UnknownFormat,
    /// XML, but another message (a camt.052 report, a camt.054 notification, a pain file …).
    #[error("an XML file, but not a camt.053 bank statement: {found}")]
    NotCamt053 { found: String },
    #[error("camt.053.001.{version} is not supported: Loket reads camt.053.001.02 to camt.053.001.08")]
    UnsupportedVersion { version: String },
    /// A `<!DOCTYPE>`: refused, because a document type can define entities that expand without
    /// bound (the "billion laughs"), and no bank statement needs one.
    #[error("line {line}: the XML has a DOCTYPE declaration, which bank statements never have; refused")]
    DocType { line: usize },
    #[error("malformed XML at line {line}, column {column}: {reason}")]
    MalformedXml { line: usize, column: usize, reason: String },
    /// A field is missing or not what the format allows.
    #[error("{at}: {problem}")]
    Invalid { at: Location, problem: String },
    /// Opening balance plus the booked entries is not the closing balance: the file is cut off,
    /// an entry was lost or altered, or the bank made a mistake. Signed minor units of `currency`.
    #[error(
        "{at}: opening {} + entries {} ≠ closing {} {currency}",
        format_amount(*opening, currency),
        format_amount(*entries, currency),
        format_amount(*closing, currency)
    )]
    Unbalanced { at: Location, opening: i64, entries: i64, closing: i64, currency: String },
}

impl ParseError {
    pub(crate) fn invalid(at: Location, problem: impl Into<String>) -> Self {
        ParseError::Invalid { at, problem: problem.into() }
    }
}
