//! SWIFT MT940 (customer statement) and MT942 (interim report) as banks export them.
//!
//! A file is a run of fields: a line starting `:NN:` or `:NNa:` opens one, the lines after it
//! until the next field continue it. Lines outside fields (bank headers such as `ABNANL2A`, `940`,
//! SWIFT blocks `{1:…}`, control characters) are skipped; `-` ends a message. A statement runs
//! from its `:20:` to the next `:20:`, a `-` line or the end of the file.
//!
//! `:61:` is `YYMMDD[MMDD](C|D|RC|RD)[funds code]amount[type code][customer ref][//bank ref]`
//! with optional supplementary details after it; the entry date (`MMDD`) takes the year that puts
//! it nearest the value date, so a booking on 2 January of a payment valued 31 December lands in the
//! new year. RC (reversal of a credit) moves money out and RD money in. The `:86:` that follows an
//! entry describes it (see [`details`]); an `:86:` after the closing balance is about the statement
//! and is not glued onto the last entry.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};

use crate::values::{self, iban_checks, iban_shape, is_currency, parse_amount};
use crate::{Account, Balance, Direction, Entry, Format, Location, ParseError, Parsed, Statement};

mod details;

/// Whether the text has the fields of an MT940/MT942 statement.
pub(crate) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| matches!(tag_of(&clean(l)), Some(("20" | "25" | "28C" | "60F" | "61", _))))
}

pub(crate) fn parse(text: &str) -> Result<Vec<Parsed>, ParseError> {
    let mut done = Vec::new();
    let mut current: Option<Builder> = None;
    for field in fields(text) {
        let at = Location::Line(field.line);
        match field.tag.as_str() {
            "20" => {
                if let Some(b) = current.take() {
                    done.push(b.finish()?);
                }
                let id = field.first.trim().to_string();
                current = Some(Builder { id, line: field.line, ..Builder::default() });
                continue;
            }
            "-" => {
                if let Some(b) = current.take() {
                    done.push(b.finish()?);
                }
                continue;
            }
            _ => {}
        }
        let Some(b) = current.as_mut() else {
            return Err(ParseError::invalid(at, format!(":{}: comes before any :20: (the statement's reference)", field.tag)));
        };
        let after_entry = b.after_entry;
        b.after_entry = false;
        match field.tag.as_str() {
            "25" => b.account = Some(field.first.trim().to_string()),
            "28" | "28C" => b.sequence = Some(field.first.trim().to_string()).filter(|s| !s.is_empty()),
            "60F" | "60M" => b.opening = Some(balance(&field.first, &field.tag, field.line)?),
            "62F" | "62M" => b.closing = Some(balance(&field.first, &field.tag, field.line)?),
            "61" => {
                b.entries.push(statement_line(&field.first, &field.more, field.line)?);
                b.after_entry = true;
            }
            "86" if after_entry => {
                if let Some(entry) = b.entries.last_mut() {
                    entry.details.push(field.first);
                    entry.details.extend(field.more);
                }
                b.after_entry = true;
            }
            "13" | "13D" => {
                let created =
                    date_time(&field.first).ok_or_else(|| ParseError::invalid(at, ":13D: is not a date and time (YYMMDDhhmm±hhmm)"))?;
                b.created = Some(created);
            }
            "34F" => b.floor_currency = field.first.trim().get(..3).filter(|c| is_currency(c)).map(str::to_string),
            "90D" | "90C" => b.sums.push((field.tag.ends_with('C'), field.first.trim().to_string(), field.line)),
            _ => {}
        }
    }
    if let Some(b) = current.take() {
        done.push(b.finish()?);
    }
    Ok(done)
}

struct Field {
    tag: String,
    line: usize,
    first: String,
    more: Vec<String>,
}

/// Control characters (SOH/ETX around bank messages) out, tabs kept.
fn clean(line: &str) -> String {
    line.chars().filter(|c| *c == '\t' || !c.is_control()).collect()
}

/// `:61:rest` → `("61", "rest")`: two digits and an optional letter between colons.
fn tag_of(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 4 || b[0] != b':' || !b[1].is_ascii_digit() || !b[2].is_ascii_digit() {
        return None;
    }
    let end = if b[3] == b':' {
        3
    } else if b.len() > 4 && b[3].is_ascii_uppercase() && b[4] == b':' {
        4
    } else {
        return None;
    };
    Some((&line[1..end], &line[end + 1..]))
}

fn is_terminator(line: &str) -> bool {
    line == "-" || line.starts_with("-}") || (line.len() <= 4 && line.starts_with('-') && line[1..].bytes().all(|b| b.is_ascii_uppercase()))
}

fn fields(text: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut open = false;
    for (i, raw) in text.lines().enumerate() {
        let mut line = clean(raw);
        if let Some(pos) = line.find("{4:") {
            line.drain(..pos + 3);
        }
        if let Some((tag, rest)) = tag_of(&line) {
            fields.push(Field { tag: tag.to_string(), line: i + 1, first: rest.to_string(), more: Vec::new() });
            open = true;
        } else if is_terminator(line.trim()) {
            fields.push(Field { tag: "-".into(), line: i + 1, first: String::new(), more: Vec::new() });
            open = false;
        } else if open && let Some(last) = fields.last_mut() {
            last.more.push(line);
        }
    }
    fields
}

#[derive(Default)]
struct Builder {
    id: String,
    line: usize,
    account: Option<String>,
    sequence: Option<String>,
    opening: Option<Balance>,
    closing: Option<Balance>,
    created: Option<Timestamp>,
    floor_currency: Option<String>,
    /// `:90C:`/`:90D:` (credit?, value, line): number and sum of the credits or debits.
    sums: Vec<(bool, String, usize)>,
    entries: Vec<RawEntry>,
    after_entry: bool,
}

#[derive(Debug)]
struct RawEntry {
    line: usize,
    value_date: Date,
    booking_date: Date,
    direction: Direction,
    reversal: bool,
    amount: String,
    bank_code: Option<String>,
    bank_reference: Option<String>,
    supplementary: String,
    details: Vec<String>,
}

impl Builder {
    fn finish(self) -> Result<Parsed, ParseError> {
        let label = self.sequence.clone().unwrap_or_else(|| self.id.clone());
        let at = Location::Mt940Statement { statement: label, line: self.line };
        let bad = |what: &str| ParseError::invalid(at.clone(), what);
        let raw_account = self.account.ok_or_else(|| bad("the statement has no account (:25:)"))?;
        let mut account = account(&raw_account);
        let mt942 = self.opening.is_none() && self.closing.is_none() && (self.floor_currency.is_some() || !self.sums.is_empty());
        if !mt942 {
            self.opening.as_ref().ok_or_else(|| bad("the statement has no opening balance (:60F:)"))?;
            self.closing.as_ref().ok_or_else(|| bad("the statement has no closing balance (:62F:): the file may be cut off"))?;
        }
        let currency = [&self.opening, &self.closing].into_iter().flatten().map(|b| b.currency.clone()).next();
        let currency = currency.or(self.floor_currency).or(account.currency.clone());
        let currency = currency.ok_or_else(|| bad("the statement says in no balance which currency it is in"))?;
        account.currency = Some(currency.clone());
        let mut entries = Vec::with_capacity(self.entries.len());
        for raw in self.entries {
            let amount = parse_amount(&raw.amount, ',', &currency)
                .map_err(|e| ParseError::invalid(Location::Line(raw.line), format!(":61: {}", e.explain(&raw.amount, &currency))))?;
            let mut d = details::parse(&raw.details);
            if d.counterparty.iban.is_none() {
                d.counterparty.iban = iban_shape(&raw.supplementary).filter(|i| iban_checks(i));
            }
            entries.push(Entry {
                amount,
                direction: raw.direction,
                currency: currency.clone(),
                booking_date: raw.booking_date,
                value_date: Some(raw.value_date),
                bank_reference: raw.bank_reference,
                end_to_end_id: d.end_to_end_id,
                structured_reference: d.structured_reference,
                remittance: d.remittance,
                counterparty: d.counterparty,
                reversal: raw.reversal,
                return_reason: d.return_reason,
                bank_code: raw.bank_code,
                entry_key: String::new(),
            });
        }
        for (credit, value, line) in &self.sums {
            check_sum(*credit, value, *line, &currency, &entries)?;
        }
        let statement = Statement {
            format: if mt942 { Format::Mt942 } else { Format::Mt940 },
            id: self.id,
            sequence: self.sequence,
            account,
            created: self.created,
            from: None,
            to: None,
            opening: self.opening,
            closing: self.closing,
            entries,
            skipped_unbooked: 0,
        };
        Ok(Parsed { statement, at })
    }
}

/// `:25:` as the bank wrote it, with the IBAN found in it: the whole value, the part after a
/// `BIC/` or bank-code prefix, either without a trailing currency (`NL…EUR`). Check digits decide
/// between readings; without them the IBAN-shaped whole is taken.
fn account(raw: &str) -> Account {
    let tail = raw.rsplit('/').next().unwrap_or(raw).trim();
    let suffix =
        |s: &str| s.get(s.len().saturating_sub(3)..).filter(|c| is_currency(c)).map(|c| (s[..s.len() - 3].to_string(), c.to_string()));
    let mut readings: Vec<(String, Option<String>)> = vec![(raw.to_string(), None), (tail.to_string(), None)];
    readings.extend([raw, tail].into_iter().filter_map(suffix).map(|(s, c)| (s, Some(c))));
    let shaped: Vec<(String, Option<String>)> = readings.into_iter().filter_map(|(s, c)| iban_shape(&s).map(|i| (i, c))).collect();
    let found = shaped.iter().find(|(i, _)| iban_checks(i)).or(shaped.first()).cloned();
    let (iban, currency) = found.map_or((None, None), |(i, c)| (Some(i), c));
    let currency = currency.or_else(|| suffix(tail).map(|(_, c)| c));
    let other_id = (iban.as_deref() != Some(raw)).then(|| raw.to_string());
    Account { iban, other_id, currency, owner_name: None }
}

fn yymmdd(s: &str) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| s.get(r).filter(|d| d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse::<i16>().ok());
    let yy = n(0..2)?;
    let year = if yy < 80 { 2000 + yy } else { 1900 + yy };
    Date::new(year, i8::try_from(n(2..4)?).ok()?, i8::try_from(n(4..6)?).ok()?).ok()
}

/// `C110522EUR3236,28`: mark, date, currency, amount.
fn balance(value: &str, tag: &str, line: usize) -> Result<Balance, ParseError> {
    let v = value.trim();
    let bad = || {
        ParseError::invalid(
            Location::Line(line),
            format!(":{tag}: is not a balance (C or D, YYMMDD, currency, amount, e.g. C240131EUR1234,56)"),
        )
    };
    let sign = match v.get(..1) {
        Some("C") => 1,
        Some("D") => -1,
        _ => return Err(bad()),
    };
    let date = v.get(1..7).and_then(yymmdd).ok_or_else(bad)?;
    let currency = v.get(7..10).filter(|c| is_currency(c)).ok_or_else(bad)?;
    let text = &v[10..];
    let amount = parse_amount(text, ',', currency)
        .map_err(|e| ParseError::invalid(Location::Line(line), format!(":{tag}: {}", e.explain(text, currency))))?;
    Ok(Balance { date, amount: sign * amount, currency: currency.to_string() })
}

/// `:13D:1701191815+0100`.
fn date_time(value: &str) -> Option<Timestamp> {
    let v = value.trim();
    let date = yymmdd(v.get(..6)?)?;
    let num = |r: std::ops::Range<usize>| v.get(r).filter(|d| d.bytes().all(|b| b.is_ascii_digit())).and_then(|d| d.parse::<i8>().ok());
    let time = Time::new(num(6..8)?, num(8..10)?, 0, 0).ok()?;
    let offset = match v.get(10..11) {
        None | Some("") => 0,
        Some(sign) => {
            let secs = i32::from(num(11..13)?) * 3600 + i32::from(num(13..15)?) * 60;
            if sign == "-" { -secs } else { secs }
        }
    };
    let tz = TimeZone::fixed(Offset::from_seconds(offset).ok()?);
    date.to_datetime(time).to_zoned(tz).ok().map(|z| z.timestamp())
}

/// A small cursor over a `:61:` line.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a str> {
        let end = self.rest.char_indices().nth(n).map_or(self.rest.len(), |(i, _)| i);
        let (head, tail) = self.rest.split_at(end);
        (head.chars().count() == n).then(|| {
            self.rest = tail;
            head
        })
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let end = self.rest.char_indices().find(|(_, c)| !f(*c)).map_or(self.rest.len(), |(i, _)| i);
        let (head, tail) = self.rest.split_at(end);
        self.rest = tail;
        head
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest.starts_with(s);
        if found {
            self.rest = &self.rest[s.len()..];
        }
        found
    }

    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }
}

fn statement_line(first: &str, more: &[String], line: usize) -> Result<RawEntry, ParseError> {
    let bad = |what: &str| ParseError::invalid(Location::Line(line), format!(":61: {what}"));
    let mut c = Cursor { rest: first.trim_start() };
    let value_date = c.take(6).and_then(yymmdd).ok_or_else(|| bad("has no value date (YYMMDD)"))?;
    let mut booking_date = value_date;
    if c.rest.len() >= 4 && c.rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        let md = c.take(4).unwrap_or_default();
        booking_date = entry_date(value_date, md).ok_or_else(|| bad(&format!("has an entry date {md} that is no date")))?;
    } else if c.rest.starts_with("    ") {
        c.take(4);
    }
    let (direction, reversal) = if c.eat("RC") {
        (Direction::Debit, true)
    } else if c.eat("RD") {
        (Direction::Credit, true)
    } else if c.eat("C") {
        (Direction::Credit, false)
    } else if c.eat("D") {
        (Direction::Debit, false)
    } else {
        return Err(bad("has no debit/credit mark (C, D, RC or RD)"));
    };
    if c.peek().is_some_and(|ch| ch.is_ascii_alphabetic()) {
        c.take(1);
    }
    let mut more = more.iter();
    let next_line;
    if c.rest.trim().is_empty()
        && let Some(l) = more.next()
    {
        next_line = l.trim_start().to_string();
        c = Cursor { rest: &next_line };
    }
    let amount = c.take_while(|ch| ch.is_ascii_digit() || ch == ',');
    if !amount.bytes().any(|b| b.is_ascii_digit()) {
        return Err(bad("has no amount"));
    }
    if amount.matches(',').count() > 1 {
        return Err(bad(&format!("amount {amount} is not an amount")));
    }
    if c.rest.starts_with('.') && c.rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
        // `1234.56` would otherwise read as 1234 with `.56` as reference: MT940 writes `1234,56`.
        return Err(bad(&format!(
            "amount {amount}{} has a decimal point where MT940 has a comma",
            c.take_while(|ch| ch == '.' || ch.is_ascii_digit())
        )));
    }
    let bank_code = if c.peek().is_some_and(|ch| ch.is_ascii_alphabetic()) { c.take(4).map(|s| s.trim().to_string()) } else { None };
    let customer_len = c.rest.find("//").unwrap_or(c.rest.len()).min(c.rest.char_indices().nth(16).map_or(c.rest.len(), |(i, _)| i));
    c.rest = &c.rest[customer_len..];
    let mut bank_reference = None;
    let mut supplementary = Vec::new();
    if c.eat("//") {
        bank_reference = Some(c.rest.trim().to_string());
    } else if !c.rest.trim().is_empty() {
        supplementary.push(c.rest.trim().to_string());
    }
    supplementary.extend(more.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()));
    Ok(RawEntry {
        line,
        value_date,
        booking_date,
        direction,
        reversal,
        amount: amount.to_string(),
        bank_code: bank_code.filter(|s| !s.is_empty()),
        bank_reference: bank_reference.filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF")),
        supplementary: supplementary.join(" "),
        details: Vec::new(),
    })
}

/// `MMDD` in the year (of the value date's, the one before or after) nearest the value date.
fn entry_date(value: Date, md: &str) -> Option<Date> {
    let month = md.get(..2)?.parse::<i8>().ok()?;
    let day = md.get(2..4)?.parse::<i8>().ok()?;
    [value.year() - 1, value.year(), value.year() + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok())
        .min_by_key(|d| d.since(value).map_or(i32::MAX, |s| s.get_days().abs()))
}

/// `:90C:3PLN0,03`: the number and sum of the credits (or debits) must be those of the entries.
fn check_sum(credit: bool, value: &str, line: usize, currency: &str, entries: &[Entry]) -> Result<(), ParseError> {
    let tag = if credit { "90C" } else { "90D" };
    let bad = |what: String| ParseError::invalid(Location::Line(line), format!(":{tag}: {what}"));
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let count: usize = value[..digits].parse().map_err(|_| bad("has no number of entries".into()))?;
    let ccy = value.get(digits..digits + 3).filter(|c| *c == currency).ok_or_else(|| bad(format!("is not in {currency}")))?;
    let text = &value[digits + 3..];
    let sum = parse_amount(text, ',', ccy).map_err(|e| bad(e.explain(text, ccy)))?;
    let want = if credit { Direction::Credit } else { Direction::Debit };
    let mine: Vec<i64> = entries.iter().filter(|e| e.direction == want).map(|e| e.amount).collect();
    let total = mine.iter().try_fold(0i64, |a, b| a.checked_add(*b)).unwrap_or(i64::MAX);
    if mine.len() != count || total != sum {
        let side = if credit { "credits" } else { "debits" };
        let (stated, found) = (values::format_amount(sum, ccy), values::format_amount(total, ccy));
        return Err(bad(format!("says {count} {side} of {stated} {ccy}, the entries have {} of {found}", mine.len())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_dates_roll_over_the_year() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(entry_date(d("2011-12-31"), "0102"), Some(d("2012-01-02")));
        assert_eq!(entry_date(d("2012-01-02"), "1230"), Some(d("2011-12-30")));
        assert_eq!(entry_date(d("2011-05-21"), "0523"), Some(d("2011-05-23")));
        assert_eq!(entry_date(d("2023-03-01"), "0229"), Some(d("2024-02-29")));
        assert_eq!(entry_date(d("2011-05-21"), "1340"), None);
    }

    #[test]
    fn accounts_with_and_without_prefixes() {
        let a = account("INGBNL2A/NL91ABNA0417164300");
        assert_eq!(a.iban.as_deref(), Some("NL91ABNA0417164300"));
        assert_eq!(a.other_id.as_deref(), Some("INGBNL2A/NL91ABNA0417164300"));
        let a = account("NL91ABNA0417164300EUR");
        assert_eq!((a.iban.as_deref(), a.currency.as_deref()), (Some("NL91ABNA0417164300"), Some("EUR")));
        let a = account("NL91ABNA0417164300");
        assert_eq!((a.iban.as_deref(), a.other_id), (Some("NL91ABNA0417164300"), None));
        let a = account("1291.99.348EUR");
        assert_eq!((a.iban, a.currency.as_deref()), (None, Some("EUR")));
        assert_eq!(account("TRIODOSBANK/0390123456").iban, None);
    }

    #[test]
    fn statement_lines() {
        let e = statement_line("0709070904CR50990,05NTRFNONREF//0724710333343453", &[], 1).unwrap();
        assert_eq!((e.direction, e.reversal, e.amount.as_str()), (Direction::Credit, false, "50990,05"));
        assert_eq!(e.booking_date.to_string(), "2007-09-04");
        assert_eq!(e.bank_reference.as_deref(), Some("0724710333343453"));
        let e = statement_line("110527D000000001213,28N0440121470966      W.P. Jansen", &[], 1).unwrap();
        assert_eq!((e.bank_code.as_deref(), e.supplementary.as_str()), (Some("N044"), "W.P. Jansen"));
        let e = statement_line("1201020102RC5,00NTRFNONREF", &[], 1).unwrap();
        assert_eq!((e.direction, e.reversal), (Direction::Debit, true));
        let e = statement_line("1811261126CR", &["30,00N062NONREF".to_string()], 1).unwrap();
        assert_eq!(e.amount, "30,00");
        assert!(statement_line("1105240524DNTRF", &[], 7).unwrap_err().to_string().contains("line 7: :61: has no amount"));
    }
}
