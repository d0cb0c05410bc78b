//! A provider's invoice history brought into Loket (`loket documents import FILE.csv`), so its
//! customers find "all invoices since 2014" in one place (seed 001). Each row is one issued
//! invoice or credit note with its original number, dates and amounts; the file is checked
//! whole and every bad row named by its line, so nothing is imported half.
//!
//! Columns (a header row names them, in any order): `number`, `kind` (invoice | credit_note,
//! default invoice), `issue_date`, `due_date` (default the issue date), `customer_number`,
//! `net`, `vat`, `gross` (decimal amounts, positive for both kinds), `vat_rate` (percent,
//! optional), `state` (paid | open, default paid), `paid_on` (optional), `description`
//! (optional) and `pdf` (optional: the original PDF's file name in the `--pdf-dir` folder).

use std::collections::HashMap;

use jiff::civil::Date;

use crate::billing::document::DocKind;
use crate::csvfile;
use crate::input::{self, Sign};
use crate::{Currency, FieldError};

/// The series imported documents are kept under; no configured series may take it.
pub const HISTORY_SERIES: &str = "history";

/// At most this many problems are listed: the first hundred say what is wrong with a file.
const MAX_ERRORS: usize = 100;

/// One imported document, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoricalDocument {
    /// The line of the file it came from.
    pub line: usize,
    pub number: String,
    pub kind: DocKind,
    pub issue_date: Date,
    pub due_date: Date,
    pub customer_number: String,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    /// Basis points, given or derived from the amounts.
    pub vat_rate: i64,
    pub paid: bool,
    pub paid_on: Option<Date>,
    pub description: Option<String>,
    pub pdf: Option<String>,
}

/// Whether `number` has the form Loket gives the documents of `series` (`F2026-00042`): an
/// imported number of that form could one day be issued again.
pub fn looks_like_series(number: &str, series: &str) -> bool {
    let Some(rest) = number.strip_prefix(series) else { return false };
    let Some((year, seq)) = rest.split_once('-') else { return false };
    year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && seq.len() >= 5 && seq.bytes().all(|b| b.is_ascii_digit())
}

/// Reads and checks the whole file. `series` are the provider's own series, whose numbers an
/// imported document may not take.
pub fn parse_csv(text: &str, currency: Currency, series: &[&str]) -> Result<Vec<HistoricalDocument>, Vec<FieldError>> {
    let (rows, errors) = read_csv(text, currency, series);
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// [`parse_csv`] that also gives the rows that read well when others did not, so the caller
/// can check those further (customers, numbers, PDFs) and name every problem in one round.
pub fn read_csv(text: &str, currency: Currency, series: &[&str]) -> (Vec<HistoricalDocument>, Vec<FieldError>) {
    let mut reader = csvfile::reader(text);
    let header = match csvfile::header(&mut reader) {
        Ok(h) => h,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let mut lines = csvfile::Lines::new(text);
    let required = ["number", "issue_date", "customer_number", "net", "vat", "gross"];
    let missing: Vec<&str> = required.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return (Vec::new(), vec![FieldError::new("line 1", format!("the header lacks the column(s) {}", missing.join(", ")))]);
    }
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        if errors.len() >= MAX_ERRORS {
            errors.push(FieldError::new("file", "more problems follow: correct these first"));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
                errors.push(FieldError::new(format!("line {line}"), format!("cannot read this row: {e}")));
                continue;
            }
        };
        // The line in the file (the reader's own count skips blank lines).
        let line = record.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        match row(line, &record, &header, currency, series) {
            Ok(doc) => {
                if let Some(first) = seen.insert(doc.number.clone(), line) {
                    errors.push(FieldError::new(format!("line {line}: number"), format!("{} is also on line {first}", doc.number)));
                } else {
                    rows.push(doc);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    (rows, errors)
}

/// The value of a checked field, or its error kept (named by line) for the report.
fn take<T>(errors: &mut Vec<FieldError>, line: usize, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|err| errors.push(FieldError::new(format!("line {line}: {}", err.field), err.message))).ok()
}

fn row(
    line: usize,
    record: &csv::StringRecord,
    header: &[String],
    currency: Currency,
    series: &[&str],
) -> Result<HistoricalDocument, Vec<FieldError>> {
    let get = |name: &str| header.iter().position(|h| h == name).and_then(|i| record.get(i)).unwrap_or("");
    let at = |f: &str| format!("line {line}: {f}");
    let mut e = Vec::new();
    let number = take(&mut e, line, input::text("number", get("number"), 40));
    let kind = match get("kind") {
        "" | "invoice" => Some(DocKind::Invoice),
        "credit_note" => Some(DocKind::CreditNote),
        other => take(&mut e, line, Err(FieldError::new("kind", format!("`{}` is not invoice or credit_note", input::sample(other))))),
    };
    let issue_date = take(&mut e, line, input::date("issue_date", get("issue_date")));
    let due_date = match get("due_date") {
        "" => issue_date,
        d => take(&mut e, line, input::date("due_date", d)),
    };
    let customer_number = take(&mut e, line, input::text("customer_number", get("customer_number"), 40));
    let net = take(&mut e, line, input::amount("net", get("net"), currency, Sign::NotNegative));
    let vat = take(&mut e, line, input::amount("vat", get("vat"), currency, Sign::NotNegative));
    let gross = take(&mut e, line, input::amount("gross", get("gross"), currency, Sign::NotNegative));
    let vat_rate = match get("vat_rate") {
        "" => None,
        r => take(
            &mut e,
            line,
            crate::Money::parse(r, currency)
                .ok()
                .filter(|m| (0..=10_000).contains(&m.minor))
                .map(|m| m.minor)
                .ok_or_else(|| FieldError::new("vat_rate", format!("`{}` is not a percentage from 0 to 100", input::sample(r)))),
        ),
    };
    let paid = match get("state") {
        "" | "paid" => Some(true),
        "open" => Some(false),
        other => take(&mut e, line, Err(FieldError::new("state", format!("`{}` is not paid or open", input::sample(other))))),
    };
    let paid_on = match get("paid_on") {
        "" => None,
        d => take(&mut e, line, input::date("paid_on", d)),
    };
    let description = match get("description") {
        "" => None,
        d => take(&mut e, line, input::text("description", d, 500)),
    };
    let pdf = match get("pdf") {
        "" => None,
        p if p.contains(['/', '\\']) || p.starts_with('.') || p.chars().any(char::is_control) || p.len() > 200 => {
            take(&mut e, line, Err(FieldError::new("pdf", "give the file's name inside --pdf-dir, without folders")))
        }
        p => Some(p.to_string()),
    };
    let (Some(number), Some(kind), Some(issue_date), Some(due_date), Some(customer_number), Some(net), Some(vat), Some(gross), Some(paid)) =
        (number, kind, issue_date, due_date, customer_number, net, vat, gross, paid)
    else {
        return Err(e);
    };
    if let Some(s) = series.iter().find(|s| looks_like_series(&number, s)) {
        e.push(FieldError::new(
            at("number"),
            format!("{number} has the form of Loket's own numbers in series {s}: it could collide with a document Loket issues later"),
        ));
    }
    if net.checked_add(vat).ok() != Some(gross) {
        e.push(FieldError::new(at("gross"), format!("net {net} plus VAT {vat} is not the gross {gross}")));
    }
    if due_date < issue_date {
        e.push(FieldError::new(at("due_date"), "is before the issue date"));
    }
    if paid_on.is_some() && !paid {
        e.push(FieldError::new(at("paid_on"), "an open invoice has no payment date"));
    }
    if paid_on.is_some_and(|p| p < issue_date) {
        e.push(FieldError::new(at("paid_on"), "is before the issue date"));
    }
    if !e.is_empty() {
        return Err(e);
    }
    let vat_rate = vat_rate.unwrap_or_else(|| {
        if net.minor == 0 { 0 } else { ((i128::from(vat.minor) * 10_000 + i128::from(net.minor) / 2) / i128::from(net.minor)) as i64 }
    });
    Ok(HistoricalDocument {
        line,
        number,
        kind,
        issue_date,
        due_date,
        customer_number,
        net: net.minor,
        vat: vat.minor,
        gross: gross.minor,
        vat_rate,
        paid,
        paid_on,
        description,
        pdf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "number,kind,issue_date,due_date,customer_number,net,vat,gross,state,paid_on,description,pdf\n";

    #[test]
    fn reads_a_good_file() {
        let text = format!(
            "{HEADER}2014-0001,invoice,2014-01-31,2014-02-14,K1,100.00,21.00,121.00,paid,2014-02-10,\"Hosting, jan\",2014-0001.pdf\n\
             \n2014-0002,credit_note,2014-02-01,,K1,10,2.10,12.10,,,,\n"
        );
        let rows = parse_csv(&text, Currency::Eur, &["F", "C"]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].gross, rows[0].vat_rate, rows[0].description.as_deref()), (2, 12100, 2100, Some("Hosting, jan")));
        assert_eq!((rows[1].line, rows[1].kind, rows[1].due_date, rows[1].paid), (4, DocKind::CreditNote, rows[1].issue_date, true));
    }

    #[test]
    fn names_every_bad_line() {
        let text = format!(
            "{HEADER}2014-0001,invoice,2014-13-01,,K1,100,21,121,,,,\n\
             2014-0002,invoice,2014-01-01,,K1,100,21,120,,,,\n\
             2014-0002,invoice,2014-01-01,,K1,100,21,121,,,,\n\
             F2026-00001,invoice,2026-01-01,,K1,1,0,1,open,2026-01-02,,../x.pdf\n"
        );
        let errors = parse_csv(&text, Currency::Eur, &["F"]).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(text.iter().any(|e| e.contains("line 2: issue_date")), "{text:?}");
        assert!(text.iter().any(|e| e.contains("line 3: gross")), "{text:?}");
        assert!(!text.iter().any(|e| e.contains("line 4")), "line 4 is fine on its own: {text:?}");
        assert!(text.iter().any(|e| e.contains("line 5: number") && e.contains("series F")), "{text:?}");
        assert!(text.iter().any(|e| e.contains("line 5: paid_on")), "{text:?}");
        assert!(text.iter().any(|e| e.contains("line 5: pdf")), "{text:?}");
    }

    #[test]
    fn a_number_twice_is_named_with_both_lines() {
        let text = format!("{HEADER}A1,,2014-01-01,,K1,1,0,1,,,,\nA1,,2014-01-02,,K1,1,0,1,,,,\n");
        let errors = parse_csv(&text, Currency::Eur, &[]).unwrap_err();
        assert_eq!(errors[0].to_string(), "line 3: number: A1 is also on line 2");
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors = parse_csv("number,issue_date\nA,2014-01-01\n", Currency::Eur, &[]).unwrap_err();
        assert!(errors[0].to_string().contains("customer_number, net, vat, gross"), "{errors:?}");
    }

    #[test]
    fn series_form() {
        assert!(looks_like_series("F2026-00042", "F"));
        assert!(looks_like_series("F2026-123456", "F"));
        assert!(!looks_like_series("F2026-0042", "F"));
        assert!(!looks_like_series("2026-00042", "F"));
        assert!(!looks_like_series("FA2026-00042", "F"));
    }
}
