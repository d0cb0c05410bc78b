//! The provider's identity: who sends the invoices. Read from configuration, validated here.

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::{Country, Currency, Language};

/// A problem with one named field, so that every caller (config check, API, forms) can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }

    /// The line of a file this error names (`line 4: date` or `line 4` → 4), for listing a
    /// file's problems in its order.
    pub fn line(&self) -> Option<usize> {
        self.field.strip_prefix("line ")?.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: Country,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderIdentity {
    pub trading_name: String,
    pub legal_name: String,
    pub address: Address,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub default_language: Language,
    pub currency: Currency,
    /// IANA time zone name, e.g. `Europe/Amsterdam`; every "at 02:00", "per day" and due date is
    /// reckoned in it.
    pub time_zone: String,
}

impl ProviderIdentity {
    /// The demo provider: what Loket uses when no configuration file names a real one.
    pub fn demo() -> Self {
        ProviderIdentity {
            trading_name: "Loket Demo Hosting".into(),
            legal_name: "Loket Demo Hosting B.V.".into(),
            address: Address {
                street: "Stationsplein 1".into(),
                postal_code: "3511 ED".into(),
                city: "Utrecht".into(),
                country: Country::NL,
            },
            vat_number: Some("NL000099998B57".into()),
            coc_number: Some("12345678".into()),
            iban: Some("NL91ABNA0417164300".into()),
            bic: Some("ABNANL2A".into()),
            email: "administratie@demo.loket.test".into(),
            phone: Some("+31 30 123 4567".into()),
            website: None,
            default_language: Language::Nl,
            currency: Currency::Eur,
            time_zone: "Europe/Amsterdam".into(),
        }
    }

    pub fn tz(&self) -> TimeZone {
        // Validated when the identity was built; fall back to UTC rather than panic.
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
    }
}

/// Validators for single fields. Each returns the normalised value or a message for people.
pub mod check {
    use super::*;

    pub fn text(value: &str, max: usize) -> Result<String, String> {
        let v = value.trim();
        if v.is_empty() {
            return Err("must not be empty".into());
        }
        if v.chars().count() > max {
            return Err(format!("is longer than {max} characters"));
        }
        if v.chars().any(|c| c.is_control()) {
            return Err("contains control characters".into());
        }
        Ok(v.to_string())
    }

    pub fn time_zone(value: &str) -> Result<String, String> {
        TimeZone::get(value.trim())
            .map(|_| value.trim().to_string())
            .map_err(|_| format!("unknown time zone `{value}`: use an IANA name such as Europe/Amsterdam"))
    }

    pub fn iban(value: &str) -> Result<String, String> {
        let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        compact
            .parse::<iban::Iban>()
            .map(|_| compact.clone())
            .map_err(|e| format!("`{}` is not a valid IBAN ({e})", crate::input::sample(value)))
    }

    pub fn bic(value: &str) -> Result<String, String> {
        let v = value.trim().to_ascii_uppercase();
        let b = v.as_bytes();
        let ok =
            (b.len() == 8 || b.len() == 11) && b[..6].iter().all(u8::is_ascii_uppercase) && b[6..].iter().all(u8::is_ascii_alphanumeric);
        if ok { Ok(v) } else { Err(format!("`{}` is not a BIC: 8 or 11 characters, e.g. ABNANL2A", crate::input::sample(value))) }
    }

    /// An EU VAT number, checked by format and check digits (see [`crate::taxid`]).
    pub fn vat_number(value: &str) -> Result<String, String> {
        crate::taxid::vat_number(value)
    }

    /// A phone number as people write it: digits with `+ - ( ) .` and spaces.
    pub fn phone(value: &str) -> Result<String, String> {
        let v = value.trim();
        let ok = v.len() <= 40 && v.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) && v.chars().any(|c| c.is_ascii_digit());
        if ok { Ok(v.to_string()) } else { Err(format!("`{}` is not a phone number", crate::input::sample(v))) }
    }

    pub fn email(value: &str) -> Result<String, String> {
        let v = value.trim();
        let valid = v.len() <= 254
            && v.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !v.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
                    && domain.matches('@').count() == 0
            });
        if valid { Ok(v.to_string()) } else { Err(format!("`{}` is not an e-mail address", crate::input::sample(value))) }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use super::*;

    #[test]
    fn a_field_error_names_its_line() {
        assert_eq!(FieldError::new("line 12: date", "x").line(), Some(12));
        assert_eq!(FieldError::new("line 3", "x").line(), Some(3));
        assert_eq!(FieldError::new("file", "x").line(), None);
    }

    #[test]
    fn demo_identity_is_valid() {
        let p = ProviderIdentity::demo();
        assert!(check::iban(p.iban.as_deref().unwrap()).is_ok());
        assert!(check::bic(p.bic.as_deref().unwrap()).is_ok());
        assert!(check::time_zone(&p.time_zone).is_ok());
        assert_eq!(p.tz().iana_name(), Some("Europe/Amsterdam"));
    }

    #[test]
    fn a_long_wrong_value_is_quoted_short() {
        let long = "9".repeat(100_000) + "x";
        for message in [check::phone(&long), check::email(&long), check::iban(&long), check::bic(&long)].map(Result::unwrap_err) {
            assert!(message.len() < 200, "{} bytes", message.len());
        }
    }

    #[test]
    fn field_checks() {
        assert_eq!(check::iban("nl91 abna 0417 1643 00"), Ok("NL91ABNA0417164300".into()));
        assert!(check::iban("NL91ABNA0417164301").unwrap_err().contains("not a valid IBAN"));
        assert!(check::iban("IT60X0542811101000000123456").is_ok());
        assert!(check::time_zone("Europe/Rome").is_ok());
        assert!(check::time_zone("Mars/Olympus").is_err());
        assert!(check::bic("ABNANL2").is_err());
        assert!(check::email("a@b.nl").is_ok());
        for bad in ["", "a@b", "@b.nl", "a b@c.nl", "a@b@c.nl", "a@.nl"] {
            assert!(check::email(bad).is_err(), "{bad}");
        }
        assert!(check::text(&"x".repeat(201), 200).is_err());
        assert!(check::text("  ", 10).is_err());
        assert_eq!(check::vat_number("IT 0123456789 7"), Ok("IT01234567897".into()));
        assert!(check::vat_number("123").is_err());
    }
}
