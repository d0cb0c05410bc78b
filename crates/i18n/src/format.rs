//! Dates and amounts as a reader of each language expects them.

use fluent_templates::fluent_bundle::FluentValue;
use jiff::Zoned;
use jiff::civil::Date;
use loket_domain::{Language, Money};

/// `€ 1.234,56` (nl), `1.234,56 €` (it), `€1,234.56` (en).
pub fn format_money(lang: Language, m: Money) -> String {
    let (negative, whole, frac) = m.parts();
    let (group, decimal) = match lang {
        Language::Nl | Language::It => ('.', ','),
        Language::En => (',', '.'),
    };
    let sym = m.currency.symbol();
    // Written digit by digit into one string: a page of invoices writes dozens of amounts,
    // and formatting each through `format!` three times cost more than reading them.
    let mut out = String::with_capacity(24);
    let number = |out: &mut String| {
        push_grouped(out, whole, group);
        out.push(decimal);
        let width = m.currency.exponent();
        for k in (0..width).rev() {
            out.push(char::from(b'0' + (frac / 10u64.pow(k) % 10) as u8));
        }
    };
    let sign = if negative { "-" } else { "" };
    match lang {
        Language::Nl => {
            out.push_str(sym);
            out.push(' ');
            out.push_str(sign);
            number(&mut out);
        }
        Language::It => {
            out.push_str(sign);
            number(&mut out);
            out.push(' ');
            out.push_str(sym);
        }
        Language::En => {
            out.push_str(sign);
            out.push_str(sym);
            number(&mut out);
        }
    }
    out
}

/// The decimal digits of `n`, most significant first, in a buffer: `(buffer, start)`.
fn digits(mut n: u64) -> ([u8; 20], usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return (buf, i);
        }
    }
}

/// Appends `n` in digits.
fn push_number(out: &mut String, n: u64) {
    let (buf, start) = digits(n);
    out.extend(buf[start..].iter().map(|&d| char::from(d)));
}

/// Appends `n` in digits with `group` between each three, from the right: `1.234.567`.
fn push_grouped(out: &mut String, n: u64, group: char) {
    let (buf, start) = digits(n);
    let len = buf.len() - start;
    for (k, &d) in buf[start..].iter().enumerate() {
        if k > 0 && (len - k) % 3 == 0 {
            out.push(group);
        }
        out.push(char::from(d));
    }
}

/// A quantity of megabytes as people read it: "850 MB", "1,9 GB", "2.4 TB" — a GB or TB with
/// one decimal, a half rounded up, with the language's decimal sign. Written from integers: a
/// year's usage page writes a few dozen.
pub fn format_megabytes(lang: Language, mb: i64) -> String {
    let mut out = String::with_capacity(16);
    let (unit_mb, unit) = match mb {
        m if m >= 1024 * 1024 => (1024 * 1024, " TB"),
        m if m >= 1024 => (1024, " GB"),
        m => {
            if m < 0 {
                out.push('-');
            }
            push_number(&mut out, m.unsigned_abs());
            out.push_str(" MB");
            return out;
        }
    };
    // Tenths of the unit; at most i64::MAX / 104,857.6, so it fits.
    let tenths = ((i128::from(mb) * 10 + unit_mb / 2) / unit_mb) as u64;
    push_number(&mut out, tenths / 10);
    out.push(if lang == Language::En { '.' } else { ',' });
    push_number(&mut out, tenths % 10);
    out.push_str(unit);
    out
}

const MONTHS_NL: [&str; 12] =
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
const MONTHS_IT: [&str; 12] =
    ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

fn month_name(lang: Language, d: Date) -> &'static str {
    let months = match lang {
        Language::Nl => &MONTHS_NL,
        Language::It => &MONTHS_IT,
        Language::En => &MONTHS_EN,
    };
    months[(d.month() - 1) as usize]
}

/// `21 november 2026` (nl), `21 novembre 2026` (it), `21 November 2026` (en).
pub fn format_date(lang: Language, d: Date) -> String {
    let mut out = String::with_capacity(20);
    push_date(&mut out, lang, d);
    out
}

/// Appends `d` as [`format_date`] writes it, without `format!` (a list page writes dozens).
fn push_date(out: &mut String, lang: Language, d: Date) {
    push_number(out, d.day().unsigned_abs().into());
    out.push(' ');
    out.push_str(month_name(lang, d));
    out.push(' ');
    if d.year() < 0 {
        out.push('-');
    }
    push_number(out, d.year().unsigned_abs().into());
}

/// The month of `d`: `november 2026` (nl, it), `November 2026` (en).
pub fn format_month(lang: Language, d: Date) -> String {
    format!("{} {}", month_name(lang, d), d.year())
}

/// The month `YYYY-MM` (or the month of a date `YYYY-MM-DD`) in words, as [`format_month`];
/// `None` for anything else.
fn month_of_text(lang: Language, s: &str) -> Option<String> {
    let month = s.get(..7).filter(|_| s.len() == 7 || s.as_bytes().get(7) == Some(&b'-'))?;
    let d: Date = format!("{month}-01").parse().ok()?;
    Some(format_month(lang, d))
}

/// A decimal number written with a dot (`99.977`, as Loket formats and stores them) with the
/// decimal sign of `lang`: `99,977` (nl, it), `99.977` (en).
pub fn format_decimal(lang: Language, s: &str) -> String {
    match lang {
        Language::Nl | Language::It => s.replace('.', ","),
        Language::En => s.to_string(),
    }
}

/// The functions messages may call, in `lang`'s bundle: `MONTH($month)` writes `2026-11` as
/// `november 2026` (anything else is shown as it is); `DECIMAL($n)` writes `99.977` with the
/// language's decimal sign.
pub(crate) fn add_functions<R>(bundle: &mut fluent_templates::FluentBundle<R>, lang: Language) {
    // The names are fresh in a new bundle, so adding them cannot fail.
    let _ = bundle.add_function("MONTH", move |args, _| {
        let s = first_text(args);
        FluentValue::from(month_of_text(lang, &s).unwrap_or(s))
    });
    let _ = bundle.add_function("DECIMAL", move |args, _| FluentValue::from(format_decimal(lang, &first_text(args))));
}

/// A Fluent function's first argument as text.
fn first_text(args: &[FluentValue]) -> String {
    match args.first() {
        Some(FluentValue::String(s)) => s.to_string(),
        Some(FluentValue::Number(n)) => n.as_string().to_string(),
        _ => String::new(),
    }
}

/// A date and 24-hour time in the zone of `z` (the provider's).
pub fn format_datetime(lang: Language, z: &Zoned) -> String {
    let mut out = String::with_capacity(26);
    push_date(&mut out, lang, z.date());
    for (sep, n) in [(' ', z.hour()), (':', z.minute())] {
        out.push(sep);
        let n = n.unsigned_abs();
        out.push(char::from(b'0' + n / 10));
        out.push(char::from(b'0' + n % 10));
    }
    out
}

/// How long a period lasts, in words: `1 maand`, `3 maanden`, `1 jaar`, `30 dagen` (nl);
/// `3 mesi`, `1 anno` (it); `3 months`, `1 year` (en).
pub fn format_period(lang: Language, p: loket_domain::billing::Period) -> String {
    use loket_domain::billing::Period;
    let n = |n: u32| n.to_string();
    match p {
        Period::Months(m) if m % 12 == 0 => crate::t_args(lang, "period-years", &[("n", &n(m / 12))]),
        Period::Months(m) => crate::t_args(lang, "period-months", &[("n", &n(m))]),
        Period::Days(d) => crate::t_args(lang, "period-days", &[("n", &n(d))]),
    }
}

/// A period as a frequency, after "per": `maand`, `kwartaal`, `jaar`, else as [`format_period`].
pub fn format_per(lang: Language, p: loket_domain::billing::Period) -> String {
    use loket_domain::billing::Period;
    match p {
        Period::Months(1) => crate::t(lang, "per-month"),
        Period::Months(3) => crate::t(lang, "per-quarter"),
        Period::Months(12) => crate::t(lang, "per-year"),
        other => format_period(lang, other),
    }
}

/// A price's frequency after the price: `per maand` (nl), `per year` (en).
pub fn format_per_period(lang: Language, p: loket_domain::billing::Period) -> String {
    crate::t_args(lang, "quote-per-period", &[("period", &format_per(lang, p))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn megabytes_read_as_people_write_them() {
        assert_eq!(format_megabytes(Language::En, 850), "850 MB");
        assert_eq!(format_megabytes(Language::En, 0), "0 MB");
        assert_eq!(format_megabytes(Language::En, -5), "-5 MB");
        assert_eq!(format_megabytes(Language::En, i64::MIN), "-9223372036854775808 MB");
        assert_eq!(format_megabytes(Language::En, 1946), "1.9 GB");
        assert_eq!(format_megabytes(Language::Nl, 1946), "1,9 GB");
        assert_eq!(format_megabytes(Language::It, 3 * 1024 * 1024), "3,0 TB");
        assert_eq!(format_megabytes(Language::En, 1023), "1023 MB");
        assert_eq!(format_megabytes(Language::En, 1024), "1.0 GB");
        assert_eq!(format_megabytes(Language::En, 1280), "1.3 GB", "a half is rounded up");
        assert_eq!(format_megabytes(Language::En, 1024 * 1024 - 1), "1024.0 GB");
        assert_eq!(format_megabytes(Language::Nl, i64::MAX), "8796093022208,0 TB");
        // The same as writing the float with one decimal, away from halves.
        for mb in (1024..5_000_000).step_by(997) {
            let unit = if mb >= 1024 * 1024 { 1024.0 * 1024.0 } else { 1024.0 };
            let exact = mb as f64 / unit;
            if ((exact * 100.0).round() as i64) % 10 == 5 {
                continue;
            }
            let expected = format!("{exact:.1} {}", if mb >= 1024 * 1024 { "TB" } else { "GB" });
            assert_eq!(format_megabytes(Language::En, mb), expected, "{mb}");
        }
    }

    #[test]
    fn money_per_language() {
        let m = Money::eur(123456);
        assert_eq!(format_money(Language::Nl, m), "€ 1.234,56");
        assert_eq!(format_money(Language::It, m), "1.234,56 €");
        assert_eq!(format_money(Language::En, m), "€1,234.56");
        assert_eq!(format_money(Language::Nl, Money::eur(-2000)), "€ -20,00");
        assert_eq!(format_money(Language::En, Money::eur(5)), "€0.05");
        assert_eq!(format_money(Language::It, Money::eur(100_000_000)), "1.000.000,00 €");
        assert_eq!(format_money(Language::En, Money::eur(-2000)), "-€20.00");
        // Written by hand, as `format!` wrote them before, over the widths and both extremes.
        let reference = |lang: Language, m: Money| {
            let (negative, whole, frac) = m.parts();
            let (group, decimal) = if lang == Language::En { (',', '.') } else { ('.', ',') };
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(group);
                }
                grouped.push(c);
            }
            let (sym, sign) = ("€", if negative { "-" } else { "" });
            let number = format!("{grouped}{decimal}{frac:02}");
            match lang {
                Language::Nl => format!("{sym} {sign}{number}"),
                Language::It => format!("{sign}{number} {sym}"),
                Language::En => format!("{sign}{sym}{number}"),
            }
        };
        let mut n: i64 = 1;
        let mut amounts = vec![0, i64::MAX, i64::MIN, i64::MIN + 1];
        while let Some(next) = n.checked_mul(7) {
            amounts.extend([n, -n, n + 1, n - 1, next / 3]);
            n = next;
        }
        for minor in amounts {
            for lang in [Language::Nl, Language::It, Language::En] {
                assert_eq!(format_money(lang, Money::eur(minor)), reference(lang, Money::eur(minor)), "{minor}");
            }
        }
    }

    #[test]
    fn months_and_decimals_in_messages() {
        let month = |lang| crate::t_args(lang, "pdf-availability-title", &[("month", "2026-11")]);
        assert_eq!(month(Language::Nl), "Beschikbaarheidsrapport november 2026");
        assert_eq!(month(Language::It), "Rapporto di disponibilità novembre 2026");
        assert_eq!(month(Language::En), "Availability report November 2026");
        // Not a month: shown as it came.
        assert_eq!(crate::t_args(Language::En, "pdf-availability-title", &[("month", "soon")]), "Availability report soon");
        let line = |lang| {
            crate::t_args(
                lang,
                "mail-availability-report-service",
                &[("service", "a.nl"), ("availability", "99.977"), ("target", "99.800"), ("verdict", "met")],
            )
        };
        assert_eq!(line(Language::Nl), "a.nl: 99,977 % (norm 99,800 %), norm gehaald");
        assert_eq!(line(Language::En), "a.nl: 99.977 % (target 99.800 %), target met");
        assert_eq!(format_decimal(Language::It, "99.977"), "99,977");
    }

    #[test]
    fn dates_per_language() {
        let d = date(2015, 3, 1);
        assert_eq!(format_date(Language::Nl, d), "1 maart 2015");
        assert_eq!(format_date(Language::It, d), "1 marzo 2015");
        assert_eq!(format_date(Language::En, d), "1 March 2015");
        for d in [date(2026, 12, 31), date(-44, 3, 15), date(9999, 12, 31), date(7, 10, 9)] {
            assert_eq!(format_date(Language::En, d), format!("{} {} {}", d.day(), month_name(Language::En, d), d.year()));
        }
        let z = date(2026, 11, 30).at(7, 5, 0, 0).in_tz("Europe/Amsterdam").unwrap();
        assert_eq!(format_datetime(Language::Nl, &z), "30 november 2026 07:05");
        let z = date(2026, 11, 30).at(23, 59, 59, 0).in_tz("Europe/Rome").unwrap();
        assert_eq!(format_datetime(Language::It, &z), "30 novembre 2026 23:59");
    }
}
