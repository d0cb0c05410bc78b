//! The accountant's exports: a period's journal of invoices, credit notes and payments as CSV
//! and XLSX, and a ZIP of the period's invoices and credit notes as PDF with the journal inside
//! (the journal deflated, the PDFs stored as they are). The journal's rows, columns and totals
//! are built here once, so the API and the staff page give the same file.
//!
//! Everything is read in pages and written to a temporary file as it is read (the XLSX sheet
//! through the writer's constant-memory mode, the ZIP entry by entry), so a period of a million
//! documents never sits in memory. Documents come first, oldest first (issue date, then id),
//! then payments in the order they were recorded. Credit notes and refunds count negative, so
//! a column's sum is what the period brought in.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use jiff::civil::Date;
use loket_domain::{Currency, Money};
use loket_store::Store;
use loket_store::billing::documents::DocKind;
use loket_store::billing::journal::{self, IssuedDocument, Kinds, PaymentEntry};

use crate::documents::Format;
use crate::{AppError, Services, invalid};

/// How many documents or payments one page reads.
const PAGE: i64 = 500;

/// The days an export covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// The calendar month before the one `today` is in: what an accountant asks for most.
    pub fn previous_month(today: Date) -> Period {
        let first = today.first_of_month();
        let last = first.yesterday().unwrap_or(first);
        Period { from: last.first_of_month(), to: last }
    }

    /// The period `from`–`to` as given (`YYYY-MM-DD`; empty is not given). Neither given: the
    /// previous month. Only `from`: up to `today`. Only `to`: from the first of its month.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: Date) -> Result<Period, AppError> {
        let (from, to) = (given(from), given(to));
        let parse = |field: &str, s: &str| loket_domain::input::date(field, s);
        let period = match (from, to) {
            (None, None) => Period::previous_month(today),
            (Some(f), None) => Period { from: parse("from", f)?, to: today },
            (None, Some(t)) => {
                let to = parse("to", t)?;
                Period { from: to.first_of_month(), to }
            }
            (Some(f), Some(t)) => {
                let (from, to) = match (parse("from", f), parse("to", t)) {
                    (Ok(a), Ok(b)) => (a, b),
                    (a, b) => return Err(AppError::Invalid(a.err().into_iter().chain(b.err()).collect())),
                };
                Period { from, to }
            }
        };
        if period.from > period.to {
            return Err(invalid("to", format!("the period ends ({}) before it starts ({})", period.to, period.from)));
        }
        Ok(period)
    }

    /// `2027-01-01_2027-01-31`, for file names.
    pub fn slug(&self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// What a journal row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    Invoice,
    CreditNote,
    Payment,
    /// Money paid back: a payment with a negative amount.
    Refund,
}

impl EntryKind {
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Invoice => "invoice",
            EntryKind::CreditNote => "credit_note",
            EntryKind::Payment => "payment",
            EntryKind::Refund => "refund",
        }
    }
}

/// The journal's columns, in order.
pub const COLUMNS: [&str; 15] = [
    "date",
    "kind",
    "number",
    "customer_number",
    "customer_name",
    "vat_number",
    "net",
    "vat",
    "gross",
    "currency",
    "state",
    "due_date",
    "payment_method",
    "payment_reference",
    "related_invoice",
];

/// One line of the journal. Amounts in minor units, negative for credit notes and refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    /// The issue date of a document, the day a payment was received.
    pub date: Date,
    pub kind: EntryKind,
    /// A document's number (a payment has none).
    pub number: String,
    pub customer_number: String,
    /// The customer's name as on the document (as frozen at issue); a payment's current card.
    pub customer_name: String,
    pub vat_number: String,
    /// Net and VAT of a document; a payment has neither.
    pub net: Option<i64>,
    pub vat: Option<i64>,
    pub gross: i64,
    pub currency: Currency,
    /// A document's state (open, paid, credited, settled, …); empty for a payment.
    pub state: String,
    pub due_date: Option<Date>,
    /// How a payment came in (bank_transfer, direct_debit, online, credit, refund).
    pub payment_method: String,
    /// A document's payment reference, or the reference a payment came with.
    pub payment_reference: String,
    /// The invoice a credit note corrects, or a payment paid.
    pub related_invoice: String,
    /// The document the row is, for its PDF (not a column).
    pub document_id: Option<i64>,
}

impl JournalRow {
    pub fn from_document(d: &IssuedDocument) -> JournalRow {
        let doc = &d.doc;
        let credit = doc.kind == DocKind::CreditNote;
        let sign = if credit { -1 } else { 1 };
        JournalRow {
            date: doc.issue_date,
            kind: if credit { EntryKind::CreditNote } else { EntryKind::Invoice },
            number: doc.number.clone(),
            customer_number: doc.customer.number.clone().unwrap_or_default(),
            customer_name: doc.customer.legal_name.clone().unwrap_or_default(),
            vat_number: doc.customer.vat_number.clone().unwrap_or_default(),
            net: Some(sign * doc.net),
            vat: Some(sign * doc.vat),
            gross: sign * doc.gross,
            currency: doc.currency,
            state: doc.state.name().to_string(),
            due_date: (!credit).then_some(doc.due_date),
            payment_method: String::new(),
            payment_reference: if credit { String::new() } else { doc.payment_reference.clone() },
            related_invoice: d.corrects_number.clone().unwrap_or_default(),
            document_id: Some(doc.id),
        }
    }

    pub fn from_payment(p: &PaymentEntry) -> JournalRow {
        JournalRow {
            date: p.received_on,
            kind: if p.amount < 0 { EntryKind::Refund } else { EntryKind::Payment },
            number: String::new(),
            customer_number: p.customer_number.clone(),
            customer_name: p.customer_name.clone(),
            vat_number: p.vat_number.clone().unwrap_or_default(),
            net: None,
            vat: None,
            gross: p.amount,
            currency: p.currency,
            state: String::new(),
            due_date: None,
            payment_method: p.method.clone(),
            payment_reference: p.reference.clone().unwrap_or_default(),
            related_invoice: p.invoice_number.clone().unwrap_or_default(),
            document_id: None,
        }
    }

    /// The row's cells as text, in [`COLUMNS`] order: dates ISO, amounts as decimals with a dot.
    pub fn texts(&self) -> [String; 15] {
        let amount = |m: Option<i64>| m.map(|m| decimal(m, self.currency)).unwrap_or_default();
        [
            self.date.to_string(),
            self.kind.name().to_string(),
            self.number.clone(),
            self.customer_number.clone(),
            self.customer_name.clone(),
            self.vat_number.clone(),
            amount(self.net),
            amount(self.vat),
            amount(Some(self.gross)),
            self.currency.code().to_string(),
            self.state.clone(),
            self.due_date.map(|d| d.to_string()).unwrap_or_default(),
            self.payment_method.clone(),
            self.payment_reference.clone(),
            self.related_invoice.clone(),
        ]
    }
}

/// `-1234.50`: minor units as a decimal with a dot, as accounting software reads it.
pub fn decimal(minor: i64, currency: Currency) -> String {
    let (negative, whole, frac) = Money::new(minor, currency).parts();
    let width = currency.exponent() as usize;
    format!("{}{whole}.{frac:0width$}", if negative { "-" } else { "" })
}

/// The sums of one kind of entry in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub kind: EntryKind,
    pub currency: Currency,
    pub count: u64,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
}

/// The journal's sums per kind and currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub rows: Vec<Total>,
}

impl Totals {
    pub fn add(&mut self, r: &JournalRow) {
        let i = match self.rows.iter().position(|t| t.kind == r.kind && t.currency == r.currency) {
            Some(i) => i,
            None => {
                self.rows.push(Total { kind: r.kind, currency: r.currency, count: 0, net: 0, vat: 0, gross: 0 });
                self.rows.sort_by_key(|t| (t.kind, t.currency.code()));
                self.rows.iter().position(|t| t.kind == r.kind && t.currency == r.currency).unwrap_or(0)
            }
        };
        let t = &mut self.rows[i];
        t.count += 1;
        // Every stored amount is bounded (domain::input), so sums of billions of them fit.
        t.net = t.net.saturating_add(r.net.unwrap_or(0));
        t.vat = t.vat.saturating_add(r.vat.unwrap_or(0));
        t.gross = t.gross.saturating_add(r.gross);
    }

    /// How many rows were added.
    pub fn count(&self) -> u64 {
        self.rows.iter().map(|t| t.count).sum()
    }
}

/// The journal of a period, read page by page: its documents, then its payments.
pub struct Journal {
    store: Store,
    period: Period,
    after_doc: Option<(Date, i64)>,
    docs_done: bool,
    after_payment: i64,
    payments_done: bool,
}

impl Journal {
    pub fn new(store: Store, period: Period) -> Journal {
        Journal { store, period, after_doc: None, docs_done: false, after_payment: 0, payments_done: false }
    }

    /// The next rows; `None` when every row was read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<JournalRow>>, AppError> {
        let Period { from, to } = self.period;
        let mut conn = self.store.acquire().await?;
        if !self.docs_done {
            let docs = journal::issued(&mut conn, from, to, Kinds::Booked, self.after_doc, PAGE).await?;
            self.docs_done = (docs.len() as i64) < PAGE;
            if let Some(last) = docs.last() {
                self.after_doc = Some((last.doc.issue_date, last.doc.id));
                return Ok(Some(docs.iter().map(JournalRow::from_document).collect()));
            }
        }
        if !self.payments_done {
            let payments = journal::payments(&mut conn, from, to, self.after_payment, PAGE).await?;
            self.payments_done = (payments.len() as i64) < PAGE;
            if let Some(last) = payments.last() {
                self.after_payment = last.id;
                return Ok(Some(payments.iter().map(JournalRow::from_payment).collect()));
            }
        }
        Ok(None)
    }
}

/// A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
/// return) gets a leading apostrophe; amounts are written by Loket and never are.
pub fn csv_cell(s: &str, text: bool) -> String {
    let guarded = if text && s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// Columns holding amounts Loket formatted (not guarded against formulas).
const AMOUNT_COLUMNS: [usize; 3] = [6, 7, 8];

/// One CSV line of cells, ended by CRLF.
pub fn csv_line(cells: &[String], amounts: &[usize]) -> String {
    let mut line = cells.iter().enumerate().map(|(i, c)| csv_cell(c, !amounts.contains(&i))).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The header line of the CSV journal.
pub fn csv_header() -> String {
    csv_line(&COLUMNS.map(String::from), &[])
}

/// A row as a CSV line.
pub fn csv_row(r: &JournalRow) -> String {
    csv_line(&r.texts(), &AMOUNT_COLUMNS)
}

/// An export written to a temporary file (gone once closed), rewound to its start.
pub struct ExportFile {
    pub file: File,
    pub len: u64,
    /// The name to save it as, e.g. `journal-2027-01-01_2027-01-31.csv`.
    pub name: String,
    pub content_type: &'static str,
    pub totals: Totals,
    /// Documents in it as files (the ZIP).
    pub documents: u64,
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("export file: {e}"))
}

fn finish(mut file: File, name: String, content_type: &'static str, totals: Totals, documents: u64) -> Result<ExportFile, AppError> {
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(ExportFile { file, len, name, content_type, totals, documents })
}

/// Writes the journal of `period` as CSV to `out`, page by page; returns its totals.
async fn write_csv(store: &Store, period: Period, out: &mut impl Write) -> Result<Totals, AppError> {
    let mut totals = Totals::default();
    out.write_all(csv_header().as_bytes()).map_err(io)?;
    let mut journal = Journal::new(store.clone(), period);
    while let Some(rows) = journal.next_page().await? {
        for r in &rows {
            totals.add(r);
            out.write_all(csv_row(r).as_bytes()).map_err(io)?;
        }
    }
    Ok(totals)
}

/// The journal of `period` as CSV (UTF-8, comma-separated, CRLF, a header line).
pub async fn journal_csv(store: &Store, period: Period) -> Result<ExportFile, AppError> {
    let mut out = BufWriter::new(tempfile::tempfile().map_err(io)?);
    let totals = write_csv(store, period, &mut out).await?;
    let file = out.into_inner().map_err(io)?;
    finish(file, format!("journal-{}.csv", period.slug()), "text/csv; charset=utf-8", totals, 0)
}

/// The most rows a spreadsheet's sheet holds (one is the header).
const XLSX_MAX_ROWS: u64 = 1_048_575;

fn xlsx(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Unavailable(format!("spreadsheet: {e}"))
}

/// The journal of `period` as an XLSX workbook: the journal sheet (dates as dates, amounts as
/// numbers, text as text — never a formula) and a sheet of totals per kind and currency.
pub async fn journal_xlsx(store: &Store, period: Period) -> Result<ExportFile, AppError> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Cell, FormatAlign, Workbook};
    let header = Cell::new().set_bold().set_align(FormatAlign::Center);
    let date = Cell::new().set_num_format("yyyy-mm-dd");
    let money = Cell::new().set_num_format("#,##0.00");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    sheet.set_name("Journal").map_err(xlsx)?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header).map_err(xlsx)?;
        sheet.set_column_width(c as u16, if c == 4 { 32 } else { 14 }).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut totals = Totals::default();
    let mut journal = Journal::new(store.clone(), period);
    let mut row: u32 = 0;
    while let Some(rows) = journal.next_page().await? {
        if totals.count() + rows.len() as u64 > XLSX_MAX_ROWS {
            return Err(AppError::Conflict(format!(
                "the period {} – {} has more than {XLSX_MAX_ROWS} entries, more than a spreadsheet holds: take a shorter period or the CSV",
                period.from, period.to
            )));
        }
        let sheet = book.worksheet_from_index(0).map_err(xlsx)?;
        for r in &rows {
            totals.add(r);
            row += 1;
            let day = |d: Date| ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8);
            let scale = 10f64.powi(r.currency.exponent() as i32);
            let texts = r.texts();
            sheet.write_datetime_with_format(row, 0, day(r.date).map_err(xlsx)?, &date).map_err(xlsx)?;
            for (c, m) in [(6u16, r.net), (7, r.vat), (8, Some(r.gross))] {
                if let Some(m) = m {
                    sheet.write_number_with_format(row, c, m as f64 / scale, &money).map_err(xlsx)?;
                }
            }
            if let Some(d) = r.due_date {
                sheet.write_datetime_with_format(row, 11, day(d).map_err(xlsx)?, &date).map_err(xlsx)?;
            }
            for c in [1usize, 2, 3, 4, 5, 9, 10, 12, 13, 14] {
                if !texts[c].is_empty() {
                    sheet.write_string(row, c as u16, &texts[c]).map_err(xlsx)?;
                }
            }
        }
    }
    let sums = book.add_worksheet();
    sums.set_name("Totals").map_err(xlsx)?;
    for (c, name) in ["kind", "currency", "count", "net", "vat", "gross"].iter().enumerate() {
        sums.write_string_with_format(0, c as u16, *name, &header).map_err(xlsx)?;
        sums.set_column_width(c as u16, 14).map_err(xlsx)?;
    }
    for (i, t) in totals.rows.iter().enumerate() {
        let (row, scale) = (i as u32 + 1, 10f64.powi(t.currency.exponent() as i32));
        sums.write_string(row, 0, t.kind.name()).map_err(xlsx)?;
        sums.write_string(row, 1, t.currency.code()).map_err(xlsx)?;
        sums.write_number(row, 2, t.count as f64).map_err(xlsx)?;
        for (c, m) in [(3u16, t.net), (4, t.vat), (5, t.gross)] {
            sums.write_number_with_format(row, c, m as f64 / scale, &money).map_err(xlsx)?;
        }
    }
    // Writing the workbook compresses every sheet: CPU work, off the async threads.
    let file = tokio::task::spawn_blocking(move || -> Result<File, AppError> {
        let mut out = BufWriter::new(tempfile::tempfile().map_err(io)?);
        book.save_to_writer(&mut out).map_err(xlsx)?;
        out.into_inner().map_err(io)
    })
    .await
    .map_err(io)??;
    finish(file, format!("journal-{}.xlsx", period.slug()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", totals, 0)
}

/// A ZIP entry's time: the day of the document, so the same period zips to the same entries.
fn zip_time(d: Date) -> zip::DateTime {
    zip::DateTime::from_date_and_time(d.year().clamp(1980, 2107) as u16, d.month() as u8, d.day() as u8, 0, 0, 0).unwrap_or_default()
}

/// The invoices and credit notes issued in `period` as their PDFs (the stored files, rendered
/// now where they were not yet) in one ZIP, with the period's journal as CSV beside them.
pub async fn documents_zip(services: &Services, period: Period) -> Result<ExportFile, AppError> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(BufWriter::new(tempfile::tempfile().map_err(io)?));
    let mut csv = BufWriter::new(tempfile::tempfile().map_err(io)?);
    let mut totals = Totals::default();
    let mut documents = 0u64;
    csv.write_all(csv_header().as_bytes()).map_err(io)?;
    let mut journal = Journal::new(services.store.clone(), period);
    while let Some(rows) = journal.next_page().await? {
        let mut files = Vec::new();
        for r in &rows {
            totals.add(r);
            csv.write_all(csv_row(r).as_bytes()).map_err(io)?;
            if let Some(id) = r.document_id {
                files.push((services.document_file(id, Format::Pdf).await?, r.date));
            }
        }
        documents += files.len() as u64;
        // A PDF is stored as it is: its fonts are compressed already, and deflating it again
        // saved 5 % of the size for eight times the time (3,000 PDFs: 108 against 114 MiB).
        // File writes block: off the async threads, a page at a time.
        zip = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
            for (f, day) in files {
                let options =
                    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).last_modified_time(zip_time(day));
                zip.start_file(&f.file_name, options).map_err(io)?;
                zip.write_all(&f.content).map_err(io)?;
            }
            Ok(zip)
        })
        .await
        .map_err(io)??;
    }
    let mut csv = csv.into_inner().map_err(io)?;
    csv.seek(SeekFrom::Start(0)).map_err(io)?;
    let name = format!("journal-{}.csv", period.slug());
    let file = tokio::task::spawn_blocking(move || -> Result<File, AppError> {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(zip_time(period.to));
        zip.start_file(&name, options).map_err(io)?;
        std::io::copy(&mut csv, &mut zip).map_err(io)?;
        zip.finish().map_err(io)?.into_inner().map_err(io)
    })
    .await
    .map_err(io)??;
    finish(file, format!("documents-{}.zip", period.slug()), "application/zip", totals, documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_defaults_to_the_previous_month() {
        let today = d("2027-03-15");
        assert_eq!(Period::parse(None, None, today).unwrap(), Period { from: d("2027-02-01"), to: d("2027-02-28") });
        assert_eq!(Period::parse(Some(""), Some(" "), d("2027-01-05")).unwrap(), Period { from: d("2026-12-01"), to: d("2026-12-31") });
        assert_eq!(Period::parse(Some("2027-01-10"), None, today).unwrap(), Period { from: d("2027-01-10"), to: today });
        assert_eq!(Period::parse(None, Some("2027-01-20"), today).unwrap(), Period { from: d("2027-01-01"), to: d("2027-01-20") });
        assert_eq!(Period::parse(Some("2027-01-01"), Some("2027-12-31"), today).unwrap().slug(), "2027-01-01_2027-12-31");
    }

    #[test]
    fn a_bad_period_names_its_field() {
        let today = d("2027-03-15");
        let fields = |r: Result<Period, AppError>| match r {
            Err(AppError::Invalid(e)) => e.iter().map(|e| e.field.clone()).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(Period::parse(Some("2027-13-01"), Some("2027-01-01"), today)), ["from"]);
        assert_eq!(fields(Period::parse(Some("x"), Some("y"), today)), ["from", "to"]);
        assert_eq!(fields(Period::parse(Some("2027-02-01"), Some("2027-01-01"), today)), ["to"]);
        assert_eq!(fields(Period::parse(Some("1900-01-01"), None, today)), ["from"]);
    }

    #[test]
    fn amounts_are_decimals_with_a_dot() {
        assert_eq!(decimal(123456, Currency::Eur), "1234.56");
        assert_eq!(decimal(-5, Currency::Eur), "-0.05");
        assert_eq!(decimal(0, Currency::Eur), "0.00");
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("Bakkerij", true), "Bakkerij");
        assert_eq!(csv_cell("Jansen, Jan", true), "\"Jansen, Jan\"");
        assert_eq!(csv_cell("De \"Kroon\"", true), "\"De \"\"Kroon\"\"\"");
        assert_eq!(csv_cell("a\nb", true), "\"a\nb\"");
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\",\"y\")", true), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for bad in ["+31", "-1+1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(bad, true).trim_start_matches('"').starts_with('\''), "{bad:?}");
        }
        assert_eq!(csv_cell("-12.10", false), "-12.10", "an amount stays a number");
    }

    #[test]
    fn a_row_has_every_column_and_totals_add_up() {
        let row = JournalRow {
            date: d("2027-01-01"),
            kind: EntryKind::CreditNote,
            number: "C2027-00001".into(),
            customer_number: "K1".into(),
            customer_name: "=cmd".into(),
            vat_number: String::new(),
            net: Some(-1000),
            vat: Some(-210),
            gross: -1210,
            currency: Currency::Eur,
            state: "settled".into(),
            due_date: None,
            payment_method: String::new(),
            payment_reference: String::new(),
            related_invoice: "F2027-00001".into(),
            document_id: Some(1),
        };
        assert_eq!(csv_header().split(',').count(), COLUMNS.len());
        assert_eq!(csv_row(&row), "2027-01-01,credit_note,C2027-00001,K1,'=cmd,,-10.00,-2.10,-12.10,EUR,settled,,,,F2027-00001\r\n");
        let mut totals = Totals::default();
        totals.add(&row);
        totals.add(&JournalRow { kind: EntryKind::Invoice, gross: 2420, net: Some(2000), vat: Some(420), ..row.clone() });
        totals.add(&row);
        assert_eq!(totals.count(), 3);
        assert_eq!(totals.rows[0].kind, EntryKind::Invoice, "sorted by kind");
        assert_eq!((totals.rows[1].count, totals.rows[1].gross, totals.rows[1].vat), (2, -2420, -420));
    }
}
