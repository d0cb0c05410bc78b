//! Mollie's amounts: `{"currency": "EUR", "value": "10.00"}`, the value a string with exactly as
//! many decimals as the currency has. Loket keeps money as integer minor units, so every amount
//! crossing the wire is parsed and formatted here, with checked arithmetic and no floats: a
//! value with the wrong number of decimals, a sign where none belongs, a space or an exponent is
//! refused rather than guessed at.

use std::fmt;

/// Why an amount or a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not an ISO 4217 currency code: {0:?}")]
    Currency(String),
    #[error("not an amount in {currency} (expected {decimals} decimals, like {example}): {value:?}")]
    Malformed { value: String, currency: String, decimals: u32, example: &'static str },
    #[error("amount out of range: {0:?}")]
    Overflow(String),
}

/// How many decimals Mollie writes for a currency. Mollie's multicurrency table lists two for
/// every currency it supports except the Japanese yen and the Icelandic króna, which have none.
pub fn decimals(currency: &str) -> Result<u32, AmountError> {
    check_currency(currency)?;
    Ok(match currency {
        "JPY" | "ISK" => 0,
        _ => 2,
    })
}

/// A currency code as Mollie takes it: three upper-case ASCII letters.
pub fn check_currency(currency: &str) -> Result<(), AmountError> {
    if currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(AmountError::Currency(sample(currency)))
    }
}

/// Parses Mollie's `value` into minor units: `"10.00"` EUR is 1000, `"-0.50"` is -50 (Mollie
/// writes settlement amounts negative), `"1500"` JPY is 1500. Leading zeros (`"01.00"`), a plus
/// sign, missing or extra decimals and anything but ASCII digits are refused.
pub fn parse_amount(value: &str, currency: &str) -> Result<i64, AmountError> {
    let decimals = decimals(currency)?;
    let malformed = || AmountError::Malformed {
        value: sample(value),
        currency: currency.to_owned(),
        decimals,
        example: if decimals == 0 { "1500" } else { "10.00" },
    };
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = match (decimals, unsigned.split_once('.')) {
        (0, None) => (unsigned, ""),
        (0, Some(_)) => return Err(malformed()),
        (_, Some((whole, fraction))) if fraction.len() == decimals as usize => (whole, fraction),
        _ => return Err(malformed()),
    };
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || (decimals > 0 && !digits_only(fraction)) || (whole.len() > 1 && whole.starts_with('0')) {
        return Err(malformed());
    }
    let overflow = || AmountError::Overflow(sample(value));
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        let digit = i64::from(b - b'0');
        // Built negative so that i64::MIN itself parses; negated at the end for positives.
        minor = minor.checked_mul(10).and_then(|m| m.checked_sub(digit)).ok_or_else(overflow)?;
    }
    if negative {
        if minor == 0 {
            // "-0.00" is not an amount Mollie writes; refusing it keeps one spelling per value.
            return Err(malformed());
        }
        Ok(minor)
    } else {
        minor.checked_neg().ok_or_else(overflow)
    }
}

/// Formats minor units as Mollie's `value`: 1000 EUR is `"10.00"`, -5 is `"-0.05"`.
pub fn format_amount(minor: i64, currency: &str) -> Result<String, AmountError> {
    let decimals = decimals(currency)?;
    Ok(Formatted { minor, decimals }.to_string())
}

struct Formatted {
    minor: i64,
    decimals: u32,
}

impl fmt::Display for Formatted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        if self.decimals == 0 {
            return write!(f, "{sign}{magnitude}");
        }
        let unit = 10u64.pow(self.decimals);
        let width = self.decimals as usize;
        write!(f, "{sign}{}.{:0width$}", magnitude / unit, magnitude % unit)
    }
}

/// At most 40 characters of what was refused: an error message never echoes a whole body.
fn sample(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_mollie_values() {
        assert_eq!(parse_amount("10.00", "EUR"), Ok(1000));
        assert_eq!(parse_amount("0.01", "EUR"), Ok(1));
        assert_eq!(parse_amount("0.00", "EUR"), Ok(0));
        assert_eq!(parse_amount("-0.50", "EUR"), Ok(-50));
        assert_eq!(parse_amount("1000.00", "USD"), Ok(100_000));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1500));
        assert_eq!(parse_amount("92233720368547758.07", "EUR"), Ok(i64::MAX));
        assert_eq!(parse_amount("-92233720368547758.08", "EUR"), Ok(i64::MIN));
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "10",
            "10.0",
            "10.000",
            "10,00",
            " 10.00",
            "10.00 ",
            "+10.00",
            "01.00",
            "1e3",
            ".50",
            "10.",
            "-",
            "-0.00",
            "--1.00",
            "1.5e2",
            "NaN",
            "١٠.٠٠",
            "10.0a",
        ] {
            assert!(parse_amount(bad, "EUR").is_err(), "accepted {bad:?}");
        }
        assert!(parse_amount("15.00", "JPY").is_err());
        assert!(matches!(parse_amount("92233720368547758.08", "EUR"), Err(AmountError::Overflow(_))));
        assert!(matches!(parse_amount("10.00", "eur"), Err(AmountError::Currency(_))));
        assert!(matches!(parse_amount("10.00", "EURO"), Err(AmountError::Currency(_))));
    }

    #[test]
    fn formats_with_the_currency_decimals() {
        assert_eq!(format_amount(1000, "EUR").unwrap(), "10.00");
        assert_eq!(format_amount(5, "EUR").unwrap(), "0.05");
        assert_eq!(format_amount(-5, "EUR").unwrap(), "-0.05");
        assert_eq!(format_amount(0, "EUR").unwrap(), "0.00");
        assert_eq!(format_amount(1500, "JPY").unwrap(), "1500");
        assert_eq!(format_amount(i64::MIN, "EUR").unwrap(), "-92233720368547758.08");
        assert!(format_amount(1, "").is_err());
    }

    #[test]
    fn error_messages_show_a_sample_only() {
        let long = "9".repeat(500);
        let message = parse_amount(&long, "EUR").unwrap_err().to_string();
        assert!(message.len() < 200, "{message}");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_identity(minor in any::<i64>(), currency in prop::sample::select(vec!["EUR", "USD", "JPY", "ISK", "GBP"])) {
            let value = format_amount(minor, currency).unwrap();
            prop_assert_eq!(parse_amount(&value, currency), Ok(minor));
        }

        #[test]
        fn parse_then_format_gives_back_the_text(value in "-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}") {
            prop_assume!(value != "-0.00");
            let minor = parse_amount(&value, "EUR").unwrap();
            prop_assert_eq!(format_amount(minor, "EUR").unwrap(), value);
        }

        #[test]
        fn arbitrary_text_never_panics(value in "\\PC{0,30}") {
            let _ = parse_amount(&value, "EUR");
        }
    }
}
