//! What Loket accepts from people, files and API clients: every text, date, amount and quantity
//! that comes in passes one of these checks, in the API and the billing file alike, so nothing
//! stored can later break a billing run or a page. Refusals name the field and never echo more
//! than a few dozen characters of what was sent.

use jiff::civil::Date;

use crate::{Currency, FieldError, Money};

/// The earliest date Loket accepts (a contract start, a payment, a cancellation).
pub const MIN_DATE: Date = jiff::civil::date(2000, 1, 1);
/// The latest.
pub const MAX_DATE: Date = jiff::civil::date(2099, 12, 31);

/// The largest amount accepted anywhere: € 1,000,000,000.00. Sums of many such amounts still
/// fit in 64 bits.
pub const MAX_AMOUNT_MINOR: i64 = 100_000_000_000;
/// The largest quantity on a line: 1,000,000 (in thousandths).
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000;

/// A short sample of a refused value, safe to put in a message.
pub fn sample(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A longer sample (for messages that quote a whole input, such as a JSON parser's).
pub fn sample_long(s: &str) -> String {
    let mut out: String = s.chars().take(300).collect();
    if s.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// A one-line text of at most `max` characters, trimmed: no control characters (a NUL byte,
/// a line break), not empty.
pub fn text(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "fill this in"));
    }
    check_text(field, t, max, false)?;
    Ok(t.to_string())
}

/// Like [`text`], but empty is allowed (and becomes `None`).
pub fn optional_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => {
            check_text(field, t, max, false)?;
            Ok(Some(t.to_string()))
        }
    }
}

/// A text of several lines (a reason, a note): line breaks and tabs allowed, other control
/// characters not.
pub fn multiline(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "fill this in"));
    }
    check_text(field, t, max, true)?;
    Ok(t.to_string())
}

fn check_text(field: &str, t: &str, max: usize, lines: bool) -> Result<(), FieldError> {
    let count = t.chars().count();
    if count > max {
        return Err(FieldError::new(field, format!("at most {max} characters ({count} given)")));
    }
    if t.chars().any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t'))) {
        return Err(FieldError::new(field, "contains a control character (such as a NUL byte or a line break)"));
    }
    Ok(())
}

/// A calendar date `YYYY-MM-DD` between [`MIN_DATE`] and [`MAX_DATE`].
pub fn date(field: &str, s: &str) -> Result<Date, FieldError> {
    let d: Date = s.trim().parse().map_err(|_| FieldError::new(field, format!("`{}` is not a date: write YYYY-MM-DD", sample(s))))?;
    bounded_date(field, d)
}

/// `d`, if it lies between [`MIN_DATE`] and [`MAX_DATE`].
pub fn bounded_date(field: &str, d: Date) -> Result<Date, FieldError> {
    if d < MIN_DATE || d > MAX_DATE {
        return Err(FieldError::new(field, format!("{d} is out of range: dates run from {MIN_DATE} to {MAX_DATE}")));
    }
    Ok(d)
}

/// What an amount may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// More than zero (a payment, a refund).
    Positive,
    /// Zero or more (a price, a fee).
    NotNegative,
}

/// A decimal amount such as `12.50` in `currency`, at most [`MAX_AMOUNT_MINOR`].
pub fn amount(field: &str, s: &str, currency: Currency, sign: Sign) -> Result<Money, FieldError> {
    let m = Money::parse(s, currency).map_err(|e| FieldError::new(field, e.to_string()))?;
    match sign {
        Sign::Positive if m.minor <= 0 => Err(FieldError::new(field, "must be more than zero")),
        Sign::NotNegative if m.minor < 0 => Err(FieldError::new(field, format!("`{}` is negative: write zero or more", sample(s)))),
        _ => Ok(m),
    }
}

/// `1`, `1.5`, `0.25` → thousandths: more than zero, at most three decimals and
/// [`MAX_QUANTITY_MILLI`].
pub fn quantity(field: &str, s: &str) -> Result<i64, FieldError> {
    let bad =
        || FieldError::new(field, format!("`{}` is not a quantity: write e.g. 1 or 1.5 (at most 3 decimals, up to 1000000)", sample(s)));
    let t = s.trim();
    let (w, f) = t.split_once('.').unwrap_or((t, ""));
    if w.is_empty() || w.len() > 12 || !w.bytes().all(|b| b.is_ascii_digit()) || !f.bytes().all(|b| b.is_ascii_digit()) || f.len() > 3 {
        return Err(bad());
    }
    let whole: i64 = w.parse().map_err(|_| bad())?;
    let frac: i64 = if f.is_empty() { 0 } else { format!("{f:0<3}").parse().map_err(|_| bad())? };
    let q = whole.checked_mul(1000).and_then(|v| v.checked_add(frac)).ok_or_else(bad)?;
    if q <= 0 || q > MAX_QUANTITY_MILLI { Err(bad()) } else { Ok(q) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_refuse_control_characters_and_length_without_echoing() {
        assert_eq!(text("name", "  Hosting  ", 10).unwrap(), "Hosting");
        assert_eq!(text("name", "", 10).unwrap_err().field, "name");
        assert!(text("name", "a\0b", 10).unwrap_err().message.contains("control"));
        assert!(text("name", "a\nb", 10).is_err());
        assert_eq!(multiline("reason", "line\nline", 20).unwrap(), "line\nline");
        let huge = "x".repeat(1_000_000);
        let e = text("description", &huge, 300).unwrap_err();
        assert!(e.message.len() < 100, "{}", e.message);
        assert_eq!(optional_text("reference", Some("  "), 10).unwrap(), None);
        assert!(sample(&huge).chars().count() <= 41);
    }

    #[test]
    fn dates_are_bounded() {
        assert_eq!(date("start_date", "2026-11-30").unwrap(), jiff::civil::date(2026, 11, 30));
        for bad in ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "2026-02-30", "tomorrow"] {
            assert_eq!(date("start_date", bad).unwrap_err().field, "start_date", "{bad}");
        }
    }

    #[test]
    fn amounts_and_quantities_are_bounded() {
        assert_eq!(amount("amount", "121.00", Currency::Eur, Sign::Positive).unwrap(), Money::eur(12100));
        assert!(amount("amount", "0", Currency::Eur, Sign::Positive).is_err());
        assert!(amount("price", "-1", Currency::Eur, Sign::NotNegative).is_err());
        assert!(amount("amount", "92233720368547758.07", Currency::Eur, Sign::Positive).is_err());
        assert!(amount("amount", "1000000000.01", Currency::Eur, Sign::Positive).is_err());
        assert!(amount("amount", "1000000000.00", Currency::Eur, Sign::Positive).is_ok());
        assert_eq!(quantity("quantity", "1.5").unwrap(), 1500);
        for bad in ["0", "-1", "1.2345", "x", "1,5", "1000000.001", "99999999999999999999"] {
            assert!(quantity("quantity", bad).is_err(), "{bad}");
        }
    }
}

/// A length of time as people write it in configuration: `"30 minutes"`, `"2 hours"`,
/// `"1 day"`, `"90 seconds"`, or short `30m`, `2h`, `1d`, `90s`. Whole units; at most a year.
pub fn duration(field: &str, s: &str) -> Result<jiff::SignedDuration, FieldError> {
    let bad = || FieldError::new(field, format!("`{}` is not a length of time like \"30 minutes\", \"2 hours\" or \"1 day\"", sample(s)));
    let t = s.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = t.split_at(split);
    let n: i64 = n.parse().map_err(|_| bad())?;
    let seconds = match unit.trim() {
        "s" | "sec" | "second" | "seconds" => 1,
        "m" | "min" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(bad()),
    };
    let total = n.checked_mul(seconds).filter(|t| *t <= 366 * 86_400).ok_or_else(|| FieldError::new(field, "at most a year"))?;
    Ok(jiff::SignedDuration::from_secs(total))
}

#[cfg(test)]
mod duration_tests {
    #[test]
    fn durations_read_as_written() {
        assert_eq!(super::duration("x", "30 minutes").unwrap().as_secs(), 1800);
        assert_eq!(super::duration("x", "2h").unwrap().as_secs(), 7200);
        assert_eq!(super::duration("x", " 1 Day ").unwrap().as_secs(), 86_400);
        assert_eq!(super::duration("x", "60 seconds").unwrap().as_secs(), 60);
        for bad in ["", "minutes", "5 weeks", "-5 minutes", "1.5 hours", "400 days", "99999999999999999999 s"] {
            assert!(super::duration("x", bad).is_err(), "{bad}");
        }
    }
}
