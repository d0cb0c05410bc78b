//! The provider-wide billing settings (`[billing]` in a billing file) and how documents are
//! numbered and referenced for payment.

use serde::{Deserialize, Serialize};

use super::catalog::parse_price;
use super::dunning::DunningPolicy;
use crate::{Currency, FieldError};

/// The provider-wide billing settings as written (`[billing]` in a billing file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsSpec {
    /// Prefix of invoice numbers; numbers run per year: `F2026-00001`.
    pub invoice_series: String,
    pub credit_note_series: String,
    pub pro_forma_series: String,
    /// Days overdue at which reminders go out.
    pub reminders: Vec<u32>,
    /// Days overdue at which services are suspended (1: at once); absent or `"never"`: never.
    #[serde(deserialize_with = "days_or_never", skip_serializing_if = "Option::is_none")]
    pub suspend_after: Option<u32>,
    /// Days overdue at which the contract is terminated; absent or `"never"`: never.
    #[serde(deserialize_with = "days_or_never", skip_serializing_if = "Option::is_none")]
    pub terminate_after: Option<u32>,
    /// Net fee for reactivating suspended services, e.g. "20.00"; VAT is added. `"none"`: no fee.
    #[serde(deserialize_with = "amount_or_none", skip_serializing_if = "Option::is_none")]
    pub reactivation_fee: Option<String>,
    /// Days to pay the reactivation fee; absent: the payment term of the invoice that caused
    /// the suspension.
    #[serde(deserialize_with = "days_or_never", skip_serializing_if = "Option::is_none")]
    pub reactivation_fee_payment_days: Option<u32>,
    pub late_payments_for_flag: u32,
    pub late_window_days: u32,
    /// What a service that needs payment before activation gets first: pro_forma or invoice.
    pub prepayment_document: String,
    /// A project's balance is due at delivery, or this many days after signing at the latest.
    pub project_balance_days: u32,
    /// Days before an opt-in renewal that the offer (with its link) goes out.
    pub renewal_offer_days: u32,
    /// Days before the next invoice that customers who asked for it are reminded.
    pub upcoming_invoice_days: u32,
    /// The standard hourly rate (net, e.g. "95.00"): support outside a contract or project,
    /// standby and call-outs are priced from it. Absent: that time is logged but not billed.
    #[serde(deserialize_with = "amount_or_none", skip_serializing_if = "Option::is_none")]
    pub hourly_rate: Option<String>,
}

impl Default for SettingsSpec {
    fn default() -> Self {
        SettingsSpec {
            invoice_series: "F".into(),
            credit_note_series: "C".into(),
            pro_forma_series: "PF".into(),
            reminders: vec![7, 21],
            suspend_after: None,
            terminate_after: None,
            reactivation_fee: None,
            reactivation_fee_payment_days: None,
            late_payments_for_flag: 3,
            late_window_days: 365,
            prepayment_document: "pro_forma".into(),
            project_balance_days: 180,
            renewal_offer_days: 30,
            upcoming_invoice_days: 30,
            hourly_rate: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub invoice_series: String,
    pub credit_note_series: String,
    pub pro_forma_series: String,
    pub dunning: DunningPolicy,
    pub reactivation_fee_payment_days: Option<u32>,
    pub prepay_with_pro_forma: bool,
    pub project_balance_days: u32,
    pub renewal_offer_days: u32,
    pub upcoming_invoice_days: u32,
    pub hourly_rate: Option<crate::Money>,
}

/// Reads a number of days, or `"never"` (also `"none"`, `false`) for none.
fn days_or_never<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Days {
        N(u32),
        Word(String),
        Flag(bool),
    }
    match Option::<Days>::deserialize(d)? {
        None | Some(Days::Flag(false)) => Ok(None),
        Some(Days::N(n)) => Ok(Some(n)),
        Some(Days::Word(w)) if matches!(w.trim(), "never" | "none") => Ok(None),
        Some(_) => Err(serde::de::Error::custom("write a number of days, or \"never\"")),
    }
}

/// Reads an amount as text, or `"none"` for none.
fn amount_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !matches!(s.trim(), "none" | "never" | "")))
}

fn series(field: &str, s: &str, e: &mut Vec<FieldError>) -> String {
    let ok = !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/');
    if !ok {
        e.push(FieldError::new(field, "1 to 10 letters, digits, - or /"));
    } else if s.eq_ignore_ascii_case(crate::history::HISTORY_SERIES) {
        e.push(FieldError::new(field, "this series is kept for imported invoices: choose another"));
    }
    s.to_string()
}

impl SettingsSpec {
    pub fn validate(&self, currency: Currency) -> Result<Settings, Vec<FieldError>> {
        let mut e = Vec::new();
        let invoice_series = series("invoice_series", &self.invoice_series, &mut e);
        let credit_note_series = series("credit_note_series", &self.credit_note_series, &mut e);
        let pro_forma_series = series("pro_forma_series", &self.pro_forma_series, &mut e);
        let mut distinct = vec![&invoice_series, &credit_note_series, &pro_forma_series];
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 3 {
            e.push(FieldError::new("credit_note_series", "invoices, credit notes and pro formas need three different series"));
        }
        if self.reminders.windows(2).any(|w| w[0] >= w[1]) || self.reminders.first() == Some(&0) {
            e.push(FieldError::new("reminders", "days after the due date, ascending, from 1"));
        }
        if self.suspend_after == Some(0) {
            e.push(FieldError::new("suspend_after", "1 suspends on the first day overdue; 0 is not a day overdue"));
        }
        if let (Some(s), Some(t)) = (self.suspend_after, self.terminate_after)
            && t <= s
        {
            e.push(FieldError::new("terminate_after", "must come after suspend_after"));
        }
        let fee = self.reactivation_fee.as_deref().and_then(|f| parse_price("reactivation_fee", f, currency, &mut e));
        let hourly_rate = self.hourly_rate.as_deref().and_then(|f| parse_price("hourly_rate", f, currency, &mut e));
        if hourly_rate.is_some_and(|r| r.minor == 0) {
            e.push(FieldError::new("hourly_rate", "give a rate above zero, or leave it out"));
        }
        for (field, days) in [
            ("suspend_after", self.suspend_after),
            ("terminate_after", self.terminate_after),
            ("reactivation_fee_payment_days", self.reactivation_fee_payment_days),
        ] {
            if days.is_some_and(|d| d > 3650) {
                e.push(FieldError::new(field, "at most 3650 days"));
            }
        }
        for (field, days) in [("project_balance_days", self.project_balance_days), ("late_window_days", self.late_window_days)] {
            if days > 3650 {
                e.push(FieldError::new(field, "at most 3650 days"));
            }
        }
        for (field, days) in [("renewal_offer_days", self.renewal_offer_days), ("upcoming_invoice_days", self.upcoming_invoice_days)] {
            if days > 366 {
                e.push(FieldError::new(field, "at most 366 days"));
            }
        }
        if self.reminders.len() > 10 || self.reminders.iter().any(|d| *d > 3650) {
            e.push(FieldError::new("reminders", "at most ten reminders, each within 3650 days"));
        }
        let prepay_with_pro_forma = match self.prepayment_document.as_str() {
            "pro_forma" => true,
            "invoice" => false,
            other => {
                e.push(FieldError::new("prepayment_document", format!("`{other}`: use pro_forma or invoice")));
                true
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Settings {
            invoice_series,
            credit_note_series,
            pro_forma_series,
            dunning: DunningPolicy {
                reminders: self.reminders.clone(),
                suspend_after: self.suspend_after,
                terminate_after: self.terminate_after,
                reactivation_fee: fee,
                late_payments_for_flag: self.late_payments_for_flag,
                late_window_days: self.late_window_days,
            },
            reactivation_fee_payment_days: self.reactivation_fee_payment_days,
            prepay_with_pro_forma,
            project_balance_days: self.project_balance_days,
            renewal_offer_days: self.renewal_offer_days,
            upcoming_invoice_days: self.upcoming_invoice_days,
            hourly_rate,
        })
    }
}

/// The number printed on a document: series, year and a sequence without gaps, `F2026-00042`.
pub fn document_number(series: &str, year: i16, seq: i64) -> String {
    format!("{series}{year}-{seq:05}")
}

/// A structured creditor reference (ISO 11649, "RF…") for `number`: the bank checks it, so a
/// payment can be matched to its invoice. Letters and digits of `number` are kept.
pub fn payment_reference(number: &str) -> String {
    let body: String = number.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).take(21).collect();
    let check = 98 - mod97(&format!("{body}RF00"));
    format!("RF{check:02}{body}")
}

/// Whether `reference` is a valid ISO 11649 creditor reference.
pub fn valid_payment_reference(reference: &str) -> bool {
    let r: String = reference.chars().filter(|c| !c.is_whitespace()).collect();
    r.len() >= 5 && r.len() <= 25 && r.starts_with("RF") && r.chars().all(|c| c.is_ascii_alphanumeric()) && {
        let (head, body) = r.split_at(4);
        mod97(&format!("{body}{head}")) == 1
    }
}

fn mod97(s: &str) -> u32 {
    let mut rem = 0u32;
    for c in s.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn settings_check_series_and_dunning_order() {
        let spec: SettingsSpec =
            serde_json::from_str(r#"{"suspend_after": "never", "terminate_after": 90, "reactivation_fee": "none"}"#).unwrap();
        assert_eq!((spec.suspend_after, spec.terminate_after, spec.reactivation_fee), (None, Some(90), None));
        assert!(serde_json::from_str::<SettingsSpec>(r#"{"suspend_after": "soon"}"#).is_err());
        let spec = SettingsSpec { credit_note_series: "F".into(), reminders: vec![14, 7], ..Default::default() };
        let errors = spec.validate(Currency::Eur).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "credit_note_series"));
        assert!(errors.iter().any(|e| e.field == "reminders"));
        assert!(SettingsSpec::default().validate(Currency::Eur).is_ok());
    }

    #[test]
    fn creditor_references() {
        // The example of ISO 11649 itself.
        assert!(valid_payment_reference("RF18539007547034"));
        assert!(valid_payment_reference("RF18 5390 0754 7034"));
        assert!(!valid_payment_reference("RF19539007547034"));
        assert_eq!(payment_reference("539007547034"), "RF18539007547034");
        assert_eq!(document_number("F", 2026, 42), "F2026-00042");
    }

    proptest! {
        #[test]
        fn every_document_number_gets_a_valid_reference(series in "[A-Z]{0,3}", year in 2000i16..2100, seq in 1i64..99_999) {
            let r = payment_reference(&document_number(&series, year, seq));
            prop_assert!(valid_payment_reference(&r), "{}", r);
        }
    }
}
