//! Field errors in the reader's language. The domain's validators name the wrong field and
//! say what is wrong in English (the API's and the CLI's language); pages show the same
//! problem in the user's language through the message ids below. A message no rule here
//! knows is shown as the domain wrote it. The tests feed each rule a message made by the
//! validator itself, so a reworded domain message fails here rather than on a page.

use loket_domain::{FieldError, Language};

/// The first whole number in `m` ("at most 200 characters" → 200).
fn first_number(m: &str) -> Option<i64> {
    m.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).and_then(|s| s.parse().ok())
}

/// What kind of problem a domain message describes, with its number where it has one.
fn kind(message: &str) -> Option<(&'static str, Option<i64>)> {
    let m = message.trim();
    let after_sample = m.rsplit_once("` ").map(|(_, rest)| rest).unwrap_or(m);
    Some(match m {
        "is required" | "must not be empty" | "fill this in" => ("err-required", None),
        _ if m.starts_with("is required") => ("err-required", None),
        _ if m.starts_with("is longer than ") || m.starts_with("at most ") => ("err-too-long", first_number(m)),
        _ if m.starts_with("contains control characters") || m.starts_with("contains a control character") => ("err-control", None),
        _ if after_sample == "is not an e-mail address" => ("err-email", None),
        _ if after_sample == "is not a phone number" => ("err-phone", None),
        _ if after_sample.starts_with("is not a valid IBAN") => ("err-iban", None),
        _ if m.starts_with("unknown country") => ("err-country", None),
        _ if after_sample.starts_with("is not a date") => ("err-date", None),
        _ if after_sample.starts_with("is not a month like") => ("monitoring-err-month", None),
        _ if after_sample.starts_with("is not a length of time like") => ("monitoring-err-duration", None),
        "an interval is between 10 seconds and 1 day" => ("monitoring-err-interval", None),
        "a time-out is between 1 and 60 seconds and shorter than the interval" => ("monitoring-err-timeout", None),
        _ if m.contains(" is out of range: dates run from ") => ("err-date-range", None),
        _ if m.starts_with("the period ends (") => ("err-period-order", None),
        _ if after_sample.starts_with("is not a KvK number") => ("err-kvk", None),
        _ if after_sample.contains("VAT number") || m.contains("is not an EU VAT country prefix") => ("err-vat", None),
        _ if after_sample.contains("codice fiscale") => ("err-tax-code", None),
        _ if after_sample.starts_with("is not an SDI recipient code") => ("err-sdi-code", None),
        _ if m.starts_with("an SDI recipient code is only for a customer in Italy") => ("err-sdi-code-italy", None),
        loket_domain::customer::UBL_FOR_BUSINESSES => ("err-ubl-business", None),
        _ if m == "must be more than zero" => ("err-positive", None),
        _ if after_sample.starts_with("is not an amount") => ("err-amount", None),
        _ if after_sample.starts_with("is not yes or no") => ("err-yes-no", None),
        loket_app::orders::LABEL_MISSING => ("err-order-label", None),
        loket_app::orders::KEY_UNKNOWN => ("err-order-key", None),
        loket_app::orders::CHOOSE_SERVICE => ("err-choose-service", None),
        _ if m.starts_with("amount out of range") => ("err-amount-range", None),
        loket_domain::billing::sepa::CONSENT_MISSING => ("err-consent", None),
        loket_domain::helpdesk::ticket::PAID_NEEDS_QUOTE => ("err-paid-needs-quote", None),
        _ if after_sample.starts_with("is not a BIC") => ("err-bic", None),
        _ if m.contains("a mandate reference has letters") || m.contains("which SEPA references may not") => {
            ("err-mandate-reference", None)
        }
        _ if m.contains("is in the future: a mandate is signed on or before today") => ("err-signed-future", None),
        "send a PDF, JPEG or PNG file" => ("err-scan-type", None),
        _ if m.starts_with("the file is larger than ") => ("err-file-too-large", first_number(m)),
        _ => return None,
    })
}

/// `e`'s message as the user reads it in `lang`.
pub fn field_message(lang: Language, e: &FieldError) -> String {
    match kind(&e.message) {
        Some((id, Some(n))) => loket_i18n::t_args(lang, id, &[("max", &n.to_string())]),
        Some((id, None)) => loket_i18n::t(lang, id),
        None => e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use loket_domain::customer::CustomerInput;
    use loket_domain::provider::check;

    use super::*;

    /// The message of a period that ends before it starts (the accountant's exports).
    fn period_error() -> String {
        match loket_app::exports::Period::parse(Some("2027-02-01"), Some("2027-01-01"), jiff::civil::date(2027, 3, 1)) {
            Err(loket_app::AppError::Invalid(e)) => e[0].message.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// The first message of a monitor that `change` makes wrong.
    fn monitor_error(change: impl FnOnce(&mut loket_domain::monitoring::SpecInput)) -> String {
        let mut input = loket_domain::monitoring::SpecInput { kind: "tcp".into(), target: "host.test:22".into(), ..Default::default() };
        change(&mut input);
        input.check("", "m-1").unwrap_err()[0].message.clone()
    }

    /// The message of a mandate signed after today.
    fn mandate_signed_tomorrow() -> String {
        let today = jiff::civil::date(2027, 1, 4);
        let input = loket_domain::billing::sepa::MandateInput {
            mandate_reference: "C000001-M1".into(),
            debtor_name: "Els de Vries".into(),
            iban: "NL91ABNA0417164300".into(),
            bic: None,
            signed_on: Some(jiff::civil::date(2027, 1, 5)),
        };
        input.validate(today).unwrap_err().remove(0).message
    }

    fn translated(message: String) -> String {
        field_message(Language::Nl, &FieldError::new("x", message))
    }

    #[test]
    fn the_validators_messages_are_translated() {
        let messages = [
            check::text("", 10).unwrap_err(),
            check::text("abcdefghijk", 10).unwrap_err(),
            check::text("a\u{0}b", 10).unwrap_err(),
            check::email("anna").unwrap_err(),
            check::phone("call me").unwrap_err(),
            check::iban("NL00BANK0000000000").unwrap_err(),
            check::vat_number("NL123").unwrap_err(),
            loket_domain::taxid::kvk("12").unwrap_err(),
            loket_domain::taxid::codice_fiscale("XYZ").unwrap_err(),
            loket_domain::customer::sdi_code("ABC").unwrap_err(),
            loket_domain::customer::sdi_code_outside_italy(loket_domain::Country::NL),
            loket_domain::customer::UBL_FOR_BUSINESSES.to_string(),
            "XX".parse::<loket_domain::Country>().unwrap_err().to_string(),
            loket_domain::input::date("d", "morgen").unwrap_err().message,
            loket_domain::input::date("d", "1999-12-31").unwrap_err().message,
            period_error(),
            loket_domain::input::text("t", " ", 5).unwrap_err().message,
            loket_domain::input::text("t", "abcdefg", 5).unwrap_err().message,
            loket_domain::lost_access::check_scan("f", b"<html>").unwrap_err().message,
            loket_domain::billing::sepa::CONSENT_MISSING.to_string(),
            loket_domain::helpdesk::ticket::PAID_NEEDS_QUOTE.to_string(),
            check::bic("ABN").unwrap_err(),
            loket_domain::billing::sepa::mandate_reference("a&b").unwrap_err(),
            loket_domain::billing::sepa::mandate_reference("/ab").unwrap_err(),
            mandate_signed_tomorrow(),
            loket_domain::Money::parse("12.345", loket_domain::Currency::Eur).unwrap_err().to_string(),
            loket_app::orders::LABEL_MISSING.to_string(),
            loket_app::orders::KEY_UNKNOWN.to_string(),
            loket_domain::Money::parse("99999999999", loket_domain::Currency::Eur).unwrap_err().to_string(),
            monitor_error(|i| i.interval = Some("5 seconds".into())),
            monitor_error(|i| i.interval = Some("soon".into())),
            monitor_error(|i| i.timeout = Some("2 minutes".into())),
            match loket_app::monitoring::report::month_start("month", "2026-13") {
                Err(loket_app::AppError::Invalid(e)) => e[0].message.clone(),
                other => panic!("{other:?}"),
            },
            loket_domain::lost_access::check_scan("f", &vec![b'%'; loket_domain::lost_access::MAX_FILE_BYTES + 1]).unwrap_err().message,
        ];
        for m in messages {
            let nl = translated(m.clone());
            assert_ne!(nl, m, "no translation for the domain's message `{m}`");
            assert!(!nl.starts_with("err-"), "missing message id for `{m}`: {nl}");
        }
        assert_eq!(translated(check::text("abcdefghijk", 10).unwrap_err()), "Gebruik ten hoogste 10 tekens.");
    }

    #[test]
    fn a_card_with_every_field_wrong_reads_in_the_users_language() {
        let input = CustomerInput {
            kind: Some("business".into()),
            email: Some("anna".into()),
            sdi_code: Some("12".into()),
            pec: Some("pec".into()),
            ..Default::default()
        };
        let errors = input.validate(Language::Nl).unwrap_err();
        for e in &errors {
            let it = field_message(Language::It, e);
            assert_ne!(it, e.message, "{}: `{}` is not translated", e.field, e.message);
        }
    }

    #[test]
    fn an_sdi_code_reads_in_the_users_language() {
        let wrong = FieldError::new("sdi_code", loket_domain::customer::sdi_code("M5UXC").unwrap_err());
        assert_eq!(field_message(Language::It, &wrong), loket_i18n::t(Language::It, "err-sdi-code"));
        let abroad = FieldError::new("sdi_code", loket_domain::customer::sdi_code_outside_italy(loket_domain::Country::NL));
        assert_eq!(field_message(Language::Nl, &abroad), "Een SDI-code is alleen voor klanten in Italië.");
        assert_ne!(field_message(Language::Nl, &wrong), field_message(Language::Nl, &abroad));
    }

    #[test]
    fn unknown_messages_stay_as_written() {
        let e = FieldError::new("x", "a credit note cannot be dated before its invoice (2026-01-01)");
        assert_eq!(field_message(Language::It, &e), e.message);
    }
}
