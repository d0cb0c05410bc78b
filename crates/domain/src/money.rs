//! Money as an integer number of minor units (cents). Never a float.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The currencies Loket bills in. Only the euro for now: every seed provider bills in EUR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
        }
    }

    /// Digits after the decimal point.
    pub fn exponent(self) -> u32 {
        2
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency `{0}` (supported: EUR)")]
    UnknownCurrency(String),
    #[error("`{0}` is not an amount: write digits with at most {1} decimals, e.g. 12.50")]
    Malformed(String, u32),
    #[error("amount out of range: at most 1000000000.00")]
    Overflow,
    #[error("cannot combine {0} and {1}")]
    CurrencyMismatch(&'static str, &'static str),
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "EUR" => Ok(Currency::Eur),
            _ => Err(MoneyError::UnknownCurrency(crate::input::sample(s))),
        }
    }
}

/// An exact amount: `minor` units of `currency` (for EUR: cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub const fn eur(minor: i64) -> Self {
        Money::new(minor, Currency::Eur)
    }

    pub fn zero(currency: Currency) -> Self {
        Money::new(0, currency)
    }

    /// Parses a plain decimal such as `20`, `20.5`, `-1234.56` (a `.` as decimal separator,
    /// no thousands separators). More decimals than the currency has is an error, not a rounding;
    /// so is an amount beyond ± [`crate::input::MAX_AMOUNT_MINOR`].
    pub fn parse(s: &str, currency: Currency) -> Result<Self, MoneyError> {
        let malformed = || MoneyError::Malformed(crate::input::sample(s), currency.exponent());
        let t = s.trim();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let exp = currency.exponent() as usize;
        let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(frac) || frac.len() > exp {
            return Err(malformed());
        }
        if digits.contains('.') && frac.is_empty() {
            return Err(malformed());
        }
        if whole.len() > 15 {
            return Err(MoneyError::Overflow);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let mut frac_value: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| malformed())? };
        for _ in frac.len()..exp {
            frac_value *= 10;
        }
        let scale = 10i64.pow(exp as u32);
        let minor = whole.checked_mul(scale).and_then(|v| v.checked_add(frac_value)).ok_or(MoneyError::Overflow)?;
        if minor > crate::input::MAX_AMOUNT_MINOR {
            return Err(MoneyError::Overflow);
        }
        Ok(Money::new(if negative { -minor } else { minor }, currency))
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency.code(), other.currency.code()))
        }
    }

    /// Whole units and the fractional part, both non-negative, plus the sign.
    pub fn parts(self) -> (bool, u64, u64) {
        let scale = 10u64.pow(self.currency.exponent());
        let abs = self.minor.unsigned_abs();
        (self.minor < 0, abs / scale, abs % scale)
    }
}

/// Machine form: `-1234.56 EUR`. Locale formatting for people lives in `loket-i18n`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, whole, frac) = self.parts();
        let sign = if negative { "-" } else { "" };
        let width = self.currency.exponent() as usize;
        write!(f, "{sign}{whole}.{frac:0width$} {}", self.currency.code())
    }
}

/// An amount as people type it on a page, in the plain form [`Money::parse`] reads: a decimal
/// comma (`72,42`), and thousands separated by points or spaces (`1.234,56`, `1 234,56`) or by
/// commas before a decimal point (`1,234.56`). Thousands groups must have three digits each, so
/// that a typo is refused rather than read as another amount; anything else is given back as
/// typed, for `Money::parse` to refuse by name. The API and files keep the one plain spelling.
pub fn plain_amount(written: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let t = written.trim();
    if !t.contains([',', ' ', '\u{a0}', '\u{202f}']) {
        return Cow::Borrowed(written);
    }
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", t),
    };
    // The decimal separator is the last ',' or '.' followed by one or two digits and nothing else.
    let last = body.rfind([',', '.']);
    let (whole, frac) = match last {
        Some(at) if (2..=3).contains(&(body.len() - at)) && body[at + 1..].bytes().all(|b| b.is_ascii_digit()) => {
            (&body[..at], Some(&body[at + 1..]))
        }
        _ => (body, None),
    };
    let space = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}');
    let thousands: &dyn Fn(char) -> bool = match last.filter(|_| frac.is_some()).map(|at| body.as_bytes()[at]) {
        Some(b',') => &|c| c == '.' || space(c),
        Some(_) => &|c| c == ',' || space(c),
        // No decimals: only spaces group thousands (`1.234` and `1,234` are ambiguous).
        None => &space,
    };
    let groups: Vec<&str> = whole.split(thousands).collect();
    let grouped = groups.len() > 1;
    let well_grouped = groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (!grouped || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    if !well_grouped {
        return Cow::Borrowed(written);
    }
    let digits: String = groups.concat();
    Cow::Owned(match frac {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_as_people_write_them() {
        let plain = |w: &str| Money::parse(&plain_amount(w), Currency::Eur).map(|m| m.minor);
        assert_eq!(plain("72,42"), Ok(7242));
        assert_eq!(plain(" 49,9 "), Ok(4990));
        assert_eq!(plain("1.234,56"), Ok(123456));
        assert_eq!(plain("1 234,56"), Ok(123456));
        assert_eq!(plain("1\u{a0}234,56"), Ok(123456));
        assert_eq!(plain("1,234.56"), Ok(123456));
        assert_eq!(plain("12 345"), Ok(1234500));
        assert_eq!(plain("-5,00"), Ok(-500));
        assert_eq!(plain("12.50"), Ok(1250), "the plain form stays as it is");
        // Wrongly grouped, ambiguous or too precise: refused, never read as another amount.
        for wrong in ["1.2.3,4", "12,345", "1,234", "1.23.456,00", "72,425", "1 23,00", ",50", "7 2", "1,234,56", "abc,de"] {
            assert!(plain(wrong).is_err(), "{wrong} read as {:?}", plain(wrong));
        }
    }

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(Money::parse("20", Currency::Eur), Ok(Money::eur(2000)));
        assert_eq!(Money::parse("20.5", Currency::Eur), Ok(Money::eur(2050)));
        assert_eq!(Money::parse("0.10", Currency::Eur), Ok(Money::eur(10)));
        assert_eq!(Money::parse("-1234.56", Currency::Eur), Ok(Money::eur(-123456)));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in ["", "-", "1.", ".5", "1.234", "1,50", "1e3", "NaN", "12 EUR", "--1", "+1"] {
            assert!(Money::parse(bad, Currency::Eur).is_err(), "{bad:?} must be rejected");
        }
        assert_eq!(Money::parse("99999999999999999999", Currency::Eur), Err(MoneyError::Overflow));
    }

    #[test]
    fn unknown_currency_is_named() {
        let err = "USD".parse::<Currency>().unwrap_err();
        assert_eq!(err.to_string(), "unknown currency `USD` (supported: EUR)");
    }

    #[test]
    fn display_is_exact() {
        assert_eq!(Money::eur(-5).to_string(), "-0.05 EUR");
        assert_eq!(Money::eur(123456).to_string(), "1234.56 EUR");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(minor in -100_000_000_000i64..=100_000_000_000i64) {
            let m = Money::eur(minor);
            let text = m.to_string();
            let number = text.strip_suffix(" EUR").unwrap();
            prop_assert_eq!(Money::parse(number, Currency::Eur), Ok(m));
        }

        #[test]
        fn add_then_sub_is_identity(a in -1_000_000_000i64..1_000_000_000, b in -1_000_000_000i64..1_000_000_000) {
            let sum = Money::eur(a).checked_add(Money::eur(b)).unwrap();
            prop_assert_eq!(sum.checked_sub(Money::eur(b)).unwrap(), Money::eur(a));
        }
    }
}
