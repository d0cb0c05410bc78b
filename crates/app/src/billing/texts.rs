//! The words the engine writes on documents itself (set-up, reactivation fee, deposit, balance,
//! credits), in the document's language through the one translation mechanism.

use jiff::civil::Date;
use loket_domain::Language;
use loket_i18n::{format_date, t, t_args};

pub fn setup(lang: Language, service: &str) -> String {
    t_args(lang, "doc-line-setup", &[("service", service)])
}

pub fn reactivation_fee(lang: Language) -> String {
    t(lang, "doc-line-reactivation-fee")
}

pub fn deposit(lang: Language, project: &str, percent: i64) -> String {
    t_args(lang, "doc-line-deposit", &[("project", project), ("percent", &percent.to_string())])
}

pub fn balance(lang: Language, project: &str) -> String {
    t_args(lang, "doc-line-balance", &[("project", project)])
}

/// A credit-note line: what it credits and why.
pub fn credit(lang: Language, line: &str, reason: &str) -> String {
    t_args(lang, "doc-line-credit", &[("line", line), ("reason", reason)])
}

/// Why the rest of a service is credited: it ends after `last_day` (inclusive).
pub fn ended(lang: Language, last_day: Date) -> String {
    t_args(lang, "doc-reason-ended", &[("date", &format_date(lang, last_day))])
}

/// Why part of a service is credited: a cheaper plan from `from`.
pub fn downgraded(lang: Language, plan: &str, from: Date) -> String {
    t_args(lang, "doc-reason-downgrade", &[("plan", plan), ("date", &format_date(lang, from))])
}

/// A service: "Plan — label", or the plan alone.
pub fn service(plan: &str, label: &str) -> String {
    if label.trim().is_empty() { plan.to_string() } else { format!("{plan} — {label}") }
}

/// A change of plan on the next invoice: "Old → New — label".
pub fn change(old: &str, new: &str, label: &str) -> String {
    service(&format!("{old} → {new}"), label)
}
