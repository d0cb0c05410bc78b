//! ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08, read as a stream
//! of XML events: one pass, memory for one entry at a time plus the statements made so far.
//!
//! Defences: a DOCTYPE is refused (so no entity can be defined, let alone expanded), only the
//! five predefined entities and character references are resolved, nesting is capped, and a file
//! that ends inside an element is an error, not a shorter statement.
//!
//! Elements are matched by local name, so any namespace prefix works; the version comes from the
//! root element's namespace. The differences between versions that matter here are covered:
//! `Sts` as text (001.02–001.07) or `Sts/Cd` (001.08), party names as `Dbtr/Nm` or `Dbtr/Pty/Nm`,
//! `BIC` or `BICFI`, a transaction's amount as `AmtDtls/TxAmt/Amt` (001.02) or `Amt` (later).

use std::borrow::Cow;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::values::{self, iban_shape, is_currency, parse_amount};
use crate::{Account, Balance, Entry, Format, Location, ParseError, Parsed, Statement};

mod entry;

use entry::{Ntry, Tx};

const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";
const STMT_PATH: &str = "/Document/BkToCstmrStmt/Stmt";
const MAX_DEPTH: usize = 64;

pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<Parsed>, ParseError> {
    let text = xml_text(bytes)?;
    let mut p = Parser {
        text: &text,
        reader: Reader::from_str(&text),
        path: String::with_capacity(256),
        marks: Vec::with_capacity(32),
        buf: Cow::Borrowed(""),
        amt_ccy: None,
        version: String::new(),
        root_closed: false,
        stmt: None,
        bal: None,
        ntry: None,
        tx: None,
        txs: Vec::new(),
        done: Vec::new(),
    };
    p.run()?;
    Ok(p.done)
}

/// UTF-8 (or UTF-16 with a byte-order mark), or Latin-1/Windows-1252 when the declaration says so.
fn xml_text(bytes: &[u8]) -> Result<Cow<'_, str>, ParseError> {
    match values::decode(bytes) {
        Ok(text) => Ok(text),
        Err(offset) => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
            let declared = head.split_once("encoding=").and_then(|(_, rest)| {
                let quote = rest.chars().next()?;
                rest[quote.len_utf8()..].split(quote).next()
            });
            if matches!(declared, Some("iso-8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252")) {
                return Ok(Cow::Owned(values::windows_1252(bytes)));
            }
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            let (line, column) = values::line_column(valid, offset);
            Err(ParseError::MalformedXml { line, column, reason: "the text is not UTF-8 and declares no other encoding".into() })
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// `/Document/BkToCstmrStmt/Stmt/Ntry/…` of the element being read.
    path: String,
    /// The length of `path` before each open element.
    marks: Vec<usize>,
    /// The text of the element being read: a slice of the input unless it had to be pieced together.
    buf: Cow<'a, str>,
    /// The `Ccy` of the `Amt` being read.
    amt_ccy: Option<String>,
    version: String,
    root_closed: bool,
    /// Each context with the length of `path` at which it starts.
    stmt: Option<(usize, Stmt<'a>)>,
    bal: Option<(usize, Bal<'a>)>,
    ntry: Option<(usize, Ntry<'a>)>,
    tx: Option<(usize, Tx<'a>)>,
    /// The transactions of the entry being read (kept here, so that entries share one allocation).
    txs: Vec<Tx<'a>>,
    done: Vec<Parsed>,
}

impl<'a> Parser<'a> {
    /// A problem quick-xml found, where it found it.
    fn malformed(&self, reason: impl Into<String>) -> ParseError {
        let offset = usize::try_from(self.reader.error_position()).unwrap_or(usize::MAX);
        let (line, column) = values::line_column(self.text, offset);
        let mut reason = reason.into();
        if usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX) >= self.text.len() {
            reason.push_str(" (the file ends there: it is cut off)");
        }
        ParseError::MalformedXml { line, column, reason }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            let event = self.reader.read_event().map_err(|e| self.malformed(e.to_string()))?;
            match event {
                Event::Start(e) => self.start(&e, false)?,
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(_) => self.end()?,
                Event::Text(t) => self.push_text(t.xml10_content()),
                Event::CData(t) => self.push_text(t.xml10_content()),
                Event::GeneralRef(r) => {
                    let c = match r.resolve_char_ref().map_err(|e| self.malformed(e.to_string()))? {
                        Some(c) => c,
                        None => match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => return Err(self.malformed(format!("undefined entity &{};", values::sample(other)))),
                        },
                    };
                    self.buf.to_mut().push(c);
                }
                Event::DocType(_) => {
                    let offset = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
                    return Err(ParseError::DocType { line: values::line_column(self.text, offset).0 });
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(&open) = self.marks.last() {
            let name = self.path[open + 1..].to_string();
            let (line, column) = values::line_column(self.text, self.text.len());
            return Err(ParseError::MalformedXml { line, column, reason: format!("the file ends inside <{name}>: it is cut off") });
        }
        if !self.root_closed {
            return Err(ParseError::NotCamt053 { found: "there is no XML element in it".into() });
        }
        Ok(())
    }

    fn push_text(&mut self, piece: Cow<'a, str>) {
        if self.buf.is_empty() {
            self.buf = piece;
        } else {
            self.buf.to_mut().push_str(&piece);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ParseError> {
        if self.root_closed {
            return Err(self.malformed("an element after the end of the document"));
        }
        if self.marks.is_empty() {
            self.version = root_version(e)?;
        }
        if self.marks.len() >= MAX_DEPTH {
            return Err(self.malformed(format!("elements nested deeper than {MAX_DEPTH} levels")));
        }
        let name = local_name(e.name().0);
        let parent = self.path.len();
        self.marks.push(parent);
        self.path.push('/');
        self.path.push_str(name);
        self.buf = Cow::Borrowed("");
        let at = self.path.len();
        let stmt_child = matches!(&self.stmt, Some((start, _)) if *start == parent);
        match name {
            "Stmt" if self.path == STMT_PATH => {
                let index = self.done.len() + 1;
                self.stmt = Some((at, Stmt { index, ..Stmt::default() }));
            }
            "Bal" if stmt_child => self.bal = Some((at, Bal::default())),
            "Ntry" if stmt_child => {
                if let Some((_, stmt)) = self.stmt.as_mut() {
                    stmt.ntry_count += 1;
                    self.ntry = Some((at, Ntry::new(stmt.ntry_count)));
                    self.txs.clear();
                }
            }
            "TxDtls" if matches!(&self.ntry, Some((start, _)) if &self.path[*start..] == "/NtryDtls/TxDtls") => {
                self.tx = Some((at, Tx::default()));
            }
            "Amt" => {
                self.amt_ccy = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "Ccy").map(|a| a.value.trim().to_string());
            }
            _ => {}
        }
        if empty { self.end() } else { Ok(()) }
    }

    fn end(&mut self) -> Result<(), ParseError> {
        let value = match std::mem::take(&mut self.buf) {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
        };
        let len = self.path.len();
        let ccy = if self.path.ends_with("/Amt") { self.amt_ccy.take() } else { None };
        if let Some((start, tx)) = self.tx.as_mut().filter(|(start, _)| len > *start) {
            tx.field(&self.path[*start..], value, ccy);
        } else if let Some((start, ntry)) = self.ntry.as_mut().filter(|(start, _)| len > *start) {
            if let Some((_, tx)) = self.tx.take_if(|ctx| ctx.0 == len) {
                self.txs.push(tx);
            } else {
                ntry.field(&self.path[*start..], value, ccy);
            }
        } else if let Some((start, bal)) = self.bal.as_mut().filter(|(start, _)| len > *start) {
            bal.field(&self.path[*start..], value, ccy);
        } else if let Some((start, stmt)) = self.stmt.as_mut().filter(|(start, _)| len > *start) {
            if let Some((_, ntry)) = self.ntry.take_if(|ctx| ctx.0 == len) {
                let mut entries = std::mem::take(&mut stmt.entries);
                let booked = ntry.finish(stmt, &mut self.txs, &mut entries);
                stmt.entries = entries;
                if !booked? {
                    stmt.skipped += 1;
                }
            } else if let Some((_, bal)) = self.bal.take_if(|ctx| ctx.0 == len) {
                bal.finish(stmt)?;
            } else {
                stmt.field(&self.path[*start..], value);
            }
        } else if let Some((_, stmt)) = self.stmt.take_if(|ctx| ctx.0 == len) {
            let version = format!("camt.053.001.{}", self.version);
            self.done.push(stmt.finish(version)?);
        }
        let mark = self.marks.pop().unwrap_or(0);
        self.path.truncate(mark);
        self.root_closed = self.marks.is_empty();
        Ok(())
    }
}

/// `Stmt` of `ns:Stmt`.
fn local_name(qname: &str) -> &str {
    qname.bytes().position(|b| b == b':').map_or(qname, |i| &qname[i + 1..])
}

/// The version (`02` … `08`) from the root `<Document>`'s namespace, or why it is not camt.053.
fn root_version(e: &BytesStart<'_>) -> Result<String, ParseError> {
    let qname = e.name().0;
    let (prefix, local) = qname.split_once(':').map_or(("", qname), |(p, l)| (p, l));
    if local != "Document" {
        return Err(ParseError::NotCamt053 { found: format!("its root element is <{}>", values::sample(qname)) });
    }
    let wanted = if prefix.is_empty() { "xmlns".to_string() } else { format!("xmlns:{prefix}") };
    let ns = e.attributes().flatten().find(|a| a.key.as_ref() == wanted.as_str()).map(|a| a.value.trim().to_string());
    let Some(ns) = ns else { return Err(ParseError::NotCamt053 { found: "its root <Document> has no namespace".into() }) };
    match ns.strip_prefix(NAMESPACE) {
        Some(v) if matches!(v, "02" | "03" | "04" | "05" | "06" | "07" | "08") => Ok(v.to_string()),
        Some(v) => Err(ParseError::UnsupportedVersion { version: values::sample(v) }),
        None => Err(ParseError::NotCamt053 { found: format!("its namespace is {}", values::sample_n(&ns, 100)) }),
    }
}

pub(super) type Text<'a> = Option<Cow<'a, str>>;

pub(super) fn set<'a>(slot: &mut Text<'a>, value: Cow<'a, str>) {
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value);
    }
}

pub(super) fn owned(v: Text<'_>) -> Option<String> {
    v.map(Cow::into_owned)
}

#[derive(Default)]
pub(super) struct Stmt<'a> {
    index: usize,
    ntry_count: usize,
    id: Text<'a>,
    electronic_seq: Text<'a>,
    legal_seq: Text<'a>,
    created: Text<'a>,
    from: Text<'a>,
    to: Text<'a>,
    /// Normalised, so that entries can compare their parties' accounts with it.
    pub iban: Option<String>,
    other_id: Text<'a>,
    currency: Text<'a>,
    account_name: Text<'a>,
    owner_name: Text<'a>,
    opening: Option<Balance>,
    previous_closing: Option<Balance>,
    closing: Option<Balance>,
    entries: Vec<Entry>,
    skipped: usize,
}

impl<'a> Stmt<'a> {
    pub(super) fn label(&self) -> String {
        self.id.as_deref().map_or_else(|| format!("#{}", self.index), str::to_string)
    }

    fn field(&mut self, rel: &str, value: Cow<'a, str>) {
        let slot = match rel {
            "/Id" => &mut self.id,
            "/ElctrncSeqNb" => &mut self.electronic_seq,
            "/LglSeqNb" => &mut self.legal_seq,
            "/CreDtTm" => &mut self.created,
            "/FrToDt/FrDtTm" => &mut self.from,
            "/FrToDt/ToDtTm" => &mut self.to,
            "/Acct/Id/IBAN" => {
                if self.iban.is_none() && !value.is_empty() {
                    self.iban = Some(iban_shape(&value).unwrap_or_else(|| value.into_owned()));
                }
                return;
            }
            "/Acct/Id/Othr/Id" => &mut self.other_id,
            "/Acct/Ccy" => &mut self.currency,
            "/Acct/Nm" => &mut self.account_name,
            "/Acct/Ownr/Nm" | "/Acct/Ownr/Pty/Nm" => &mut self.owner_name,
            _ => return,
        };
        set(slot, value);
    }

    fn finish(self, version: String) -> Result<Parsed, ParseError> {
        let at = Location::Statement(self.label());
        let Some(id) = owned(self.id) else { return Err(ParseError::invalid(at, "the statement has no <Id>")) };
        if self.iban.is_none() && self.other_id.is_none() {
            return Err(ParseError::invalid(at, "the statement names no account (Acct/Id)"));
        }
        let stamp = |v: Text<'_>, what: &str| -> Result<Option<Timestamp>, ParseError> {
            v.map(|v| {
                timestamp_of(&v)
                    .ok_or_else(|| ParseError::invalid(at.clone(), format!("{what} \"{}\" is not a date and time", values::sample(&v))))
            })
            .transpose()
        };
        let day = |v: Text<'_>, what: &str| -> Result<Option<Date>, ParseError> {
            v.map(|v| {
                date_of(&v).ok_or_else(|| ParseError::invalid(at.clone(), format!("{what} \"{}\" is not a date", values::sample(&v))))
            })
            .transpose()
        };
        let opening = self.opening.or(self.previous_closing);
        let currency = owned(self.currency).or_else(|| opening.as_ref().or(self.closing.as_ref()).map(|b| b.currency.clone()));
        let statement = Statement {
            format: Format::Camt053 { version },
            id,
            sequence: owned(self.electronic_seq.or(self.legal_seq)),
            account: Account {
                iban: self.iban,
                other_id: owned(self.other_id),
                currency,
                owner_name: owned(self.owner_name.or(self.account_name)),
            },
            created: stamp(self.created, "CreDtTm")?,
            from: day(self.from, "FrDtTm")?,
            to: day(self.to, "ToDtTm")?,
            opening,
            closing: self.closing,
            entries: self.entries,
            skipped_unbooked: self.skipped,
        };
        Ok(Parsed { statement, at })
    }
}

/// `2014-12-31`, `2014-12-31T13:15:00+01:00`, `2025-07-23T00:00:00.000000000`: the date as written.
pub(super) fn date_of(v: &str) -> Option<Date> {
    let (day, rest) = (v.get(..10)?, &v[10..]);
    let ok_rest = rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-']);
    day.parse().ok().filter(|_| ok_rest)
}

/// A date and time with an offset, or without one taken as UTC.
fn timestamp_of(v: &str) -> Option<Timestamp> {
    v.parse::<Timestamp>()
        .ok()
        .or_else(|| v.parse::<DateTime>().ok().and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok()).map(|z| z.timestamp()))
}

#[derive(Default)]
struct Bal<'a> {
    code: Text<'a>,
    amount: Option<(Cow<'a, str>, Option<String>)>,
    cdi: Text<'a>,
    date: Text<'a>,
}

impl<'a> Bal<'a> {
    fn field(&mut self, rel: &str, value: Cow<'a, str>, ccy: Option<String>) {
        match rel {
            "/Tp/CdOrPrtry/Cd" | "/Tp/CdOrPrtry/Prtry" => set(&mut self.code, value),
            "/Amt" if self.amount.is_none() => self.amount = Some((value, ccy)),
            "/CdtDbtInd" => set(&mut self.cdi, value),
            "/Dt/Dt" | "/Dt/DtTm" => set(&mut self.date, value),
            _ => {}
        }
    }

    /// Keeps the booked opening (`OPBD`, `PRCD`) and closing (`CLBD`) balances; others are not needed.
    fn finish(self, stmt: &mut Stmt<'_>) -> Result<(), ParseError> {
        let code = self.code.as_deref().unwrap_or_default().to_ascii_uppercase();
        let at = Location::Statement(stmt.label());
        let slot = match code.as_str() {
            "OPBD" => &mut stmt.opening,
            "PRCD" => &mut stmt.previous_closing,
            "CLBD" => &mut stmt.closing,
            _ => return Ok(()),
        };
        if slot.is_some() {
            return Ok(());
        }
        let bad = |what: String| ParseError::invalid(at.clone(), format!("balance {code}: {what}"));
        let (text, ccy) = self.amount.ok_or_else(|| bad("no amount".into()))?;
        let ccy = ccy.filter(|c| is_currency(c)).ok_or_else(|| bad("the amount has no currency".into()))?;
        let amount = parse_amount(&text, '.', &ccy).map_err(|e| bad(e.explain(&text, &ccy)))?;
        let amount = match self.cdi.as_deref() {
            Some("CRDT") => amount,
            Some("DBIT") => -amount,
            other => return Err(bad(format!("CdtDbtInd is {}, not CRDT or DBIT", other.unwrap_or("missing")))),
        };
        let date = self.date.as_deref().and_then(date_of).ok_or_else(|| bad("no valid date".into()))?;
        *slot = Some(Balance { date, amount, currency: ccy });
        Ok(())
    }
}
