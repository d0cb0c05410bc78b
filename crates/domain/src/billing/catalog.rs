//! What a provider sells and on which terms, as the provider writes it (in a billing file such as
//! `examples/providers/ecm2.billing.toml`, or through the API): contract terms, products, plans
//! and the provider-wide billing settings. Each `*Spec` is the written form; `validate` turns it
//! into the rules the engine uses, naming every wrong field at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Period;
use super::dunning::DunningPolicy;
use super::terms::{Anchor, Channel, InvoiceTiming, Notice, RenewalMode, Terms};
use crate::vat::VatCategory;
use crate::{Currency, FieldError, Money};

/// Contract terms as written: every rule of the seed providers' pages is one of these fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsSpec {
    /// Shown to staff, e.g. "Hosting: 3 months, then per month".
    #[serde(default)]
    pub name: String,
    /// The first contract period: `3 months`, `year`, `30 days`.
    #[serde(default)]
    pub first_term: String,
    /// Each renewal after the first term; default: as long as the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_term: Option<String>,
    /// `start` (the start, registration or transfer date) or a fixed day `DD-MM` such as `31-12`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// `tacit` or `opt_in`, for everyone; `renewal_business` / `renewal_consumer` override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_business: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_consumer: Option<String>,
    /// Before the end of a term: `30 days`, `60 days`, `1 calendar month`.
    #[serde(default)]
    pub notice: String,
    /// How a cancellation may reach the provider: email, portal, letter, registered_letter, phone.
    #[serde(default)]
    pub channels: Vec<String>,
    /// How much is invoiced at once; default: the renewal term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<String>,
    /// Days before a billing period starts that its invoice is issued.
    #[serde(default)]
    pub invoice_lead_days: u32,
    /// Issue on the 1st of the month in which the lead time falls (Pingweb).
    #[serde(default)]
    pub invoice_on_first_of_month: bool,
    /// Days after the invoice date that payment is due; 0: on receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_term_days: Option<u32>,
    /// Put every consolidating subscription of a customer due the same day on one invoice.
    #[serde(default)]
    pub consolidate: bool,
    /// Settle changes during a period to the day on the next invoice (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prorate_changes: Option<bool>,
    /// `none` or `pro_rata`: what an early cancellation refunds of a paid period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_on_early_cancellation: Option<String>,
}

/// The longest name of terms, a product or a plan.
pub const NAME_MAX: usize = 200;

fn period(field: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<Period> {
    Period::parse(s).map_err(|e| errors.push(FieldError::new(field, e))).ok()
}

fn renewal_mode(field: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<RenewalMode> {
    match s.trim() {
        "tacit" => Some(RenewalMode::Tacit),
        "opt_in" | "opt-in" => Some(RenewalMode::OptIn),
        other => {
            errors.push(FieldError::new(field, format!("`{}` is not a renewal mode: use tacit or opt_in", crate::input::sample(other))));
            None
        }
    }
}

pub fn parse_channel(s: &str) -> Option<Channel> {
    Some(match s.trim() {
        "email" => Channel::Email,
        "portal" => Channel::Portal,
        "letter" => Channel::Letter,
        "registered_letter" => Channel::RegisteredLetter,
        "phone" => Channel::Phone,
        _ => return None,
    })
}

fn notice(s: &str) -> Result<Notice, String> {
    let bad = || format!("`{}` is not a notice period: write e.g. `30 days` or `1 calendar month`", crate::input::sample(s));
    let t = s.trim().to_ascii_lowercase();
    let (n, unit) = t.split_once(' ').ok_or_else(bad)?;
    let n: u32 = n.parse().map_err(|_| bad())?;
    if n > 3650 {
        return Err(bad());
    }
    match unit.trim() {
        "day" | "days" => Ok(Notice::Days(n)),
        "calendar month" | "calendar months" | "month" | "months" => Ok(Notice::CalendarMonths(n)),
        _ => Err(bad()),
    }
}

fn anchor(s: &str) -> Result<Anchor, String> {
    let t = s.trim();
    if t == "start" {
        return Ok(Anchor::Start);
    }
    let bad = || format!("`{}` is not an anchor: write `start` or a day such as `31-12`", crate::input::sample(s));
    let (d, m) = t.split_once('-').ok_or_else(bad)?;
    let (day, month): (i8, i8) = (d.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    jiff::civil::Date::new(2024, month, day).map_err(|_| bad())?;
    Ok(Anchor::YearlyOn { month, day })
}

impl TermsSpec {
    pub fn validate(&self) -> Result<Terms, Vec<FieldError>> {
        let mut e = Vec::new();
        if self.name.trim().is_empty() {
            e.push(FieldError::new("name", "give the terms a name"));
        } else if let Err(err) = crate::input::text("name", &self.name, NAME_MAX) {
            e.push(err);
        }
        let first = period("first_term", &self.first_term, &mut e);
        let renewal = match &self.renewal_term {
            Some(r) => period("renewal_term", r, &mut e),
            None => first,
        };
        let billing = match &self.billing_period {
            Some(b) => period("billing_period", b, &mut e),
            None => renewal,
        };
        let anchor = anchor(self.anchor.as_deref().unwrap_or("start")).map_err(|m| e.push(FieldError::new("anchor", m))).ok();
        let both = self.renewal.as_deref().unwrap_or("tacit");
        let business = renewal_mode(
            if self.renewal_business.is_some() { "renewal_business" } else { "renewal" },
            self.renewal_business.as_deref().unwrap_or(both),
            &mut e,
        );
        let consumer = renewal_mode(
            if self.renewal_consumer.is_some() { "renewal_consumer" } else { "renewal" },
            self.renewal_consumer.as_deref().unwrap_or(both),
            &mut e,
        );
        let notice = notice(&self.notice).map_err(|m| e.push(FieldError::new("notice", m))).ok();
        let mut channels = Vec::new();
        for c in &self.channels {
            match parse_channel(c) {
                Some(ch) if !channels.contains(&ch) => channels.push(ch),
                Some(_) => {}
                None => e.push(FieldError::new(
                    "channels",
                    format!(
                        "`{}` is not a cancellation channel: use email, portal, letter, registered_letter or phone",
                        crate::input::sample(c)
                    ),
                )),
            }
        }
        if self.channels.is_empty() {
            e.push(FieldError::new("channels", "name at least one way to cancel, e.g. [\"email\"]"));
        }
        if self.invoice_lead_days > 366 {
            e.push(FieldError::new("invoice_lead_days", "at most 366 days"));
        }
        let payment_term_days = self.payment_term_days.unwrap_or(14);
        if payment_term_days > 365 {
            e.push(FieldError::new("payment_term_days", "at most 365 days"));
        }
        let refund = match self.refund_on_early_cancellation.as_deref().unwrap_or("none") {
            "none" => false,
            "pro_rata" => true,
            other => {
                e.push(FieldError::new("refund_on_early_cancellation", format!("`{}`: use none or pro_rata", crate::input::sample(other))));
                false
            }
        };
        match (first, renewal, billing, anchor, business, consumer, notice) {
            (Some(first_term), Some(renewal_term), Some(billing_period), Some(anchor), Some(b), Some(c), Some(notice)) if e.is_empty() => {
                Ok(Terms {
                    first_term,
                    renewal_term,
                    anchor,
                    renewal_business: b,
                    renewal_consumer: c,
                    notice,
                    channels,
                    billing_period,
                    invoice: InvoiceTiming { lead_days: self.invoice_lead_days, on_first_of_month: self.invoice_on_first_of_month },
                    payment_term_days,
                    consolidate: self.consolidate,
                    prorate_changes: self.prorate_changes.unwrap_or(true),
                    refund_on_early_cancellation: refund,
                })
            }
            _ => Err(e),
        }
    }
}

/// What kind of thing a product is; it decides nothing by itself but is shown and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Hosting,
    Domain,
    Mail,
    Showcase,
    Banner,
    Project,
    Support,
    Standby,
    AddOn,
}

impl ProductKind {
    pub const ALL: [ProductKind; 9] = [
        ProductKind::Hosting,
        ProductKind::Domain,
        ProductKind::Mail,
        ProductKind::Showcase,
        ProductKind::Banner,
        ProductKind::Project,
        ProductKind::Support,
        ProductKind::Standby,
        ProductKind::AddOn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProductKind::Hosting => "hosting",
            ProductKind::Domain => "domain",
            ProductKind::Mail => "mail",
            ProductKind::Showcase => "showcase",
            ProductKind::Banner => "banner",
            ProductKind::Project => "project",
            ProductKind::Support => "support",
            ProductKind::Standby => "standby",
            ProductKind::AddOn => "add_on",
        }
    }

    pub fn parse(s: &str) -> Option<ProductKind> {
        ProductKind::ALL.into_iter().find(|k| k.name() == s.trim())
    }
}

pub fn parse_vat_category(s: &str) -> Option<VatCategory> {
    Some(match s.trim() {
        "standard" => VatCategory::Standard,
        "reduced" => VatCategory::Reduced,
        "super_reduced" => VatCategory::SuperReduced,
        "zero" => VatCategory::Zero,
        "exempt" => VatCategory::Exempt,
        _ => return None,
    })
}

pub fn vat_category_name(c: VatCategory) -> &'static str {
    match c {
        VatCategory::Standard => "standard",
        VatCategory::Reduced => "reduced",
        VatCategory::SuperReduced => "super_reduced",
        VatCategory::Zero => "zero",
        VatCategory::Exempt => "exempt",
    }
}

/// A product as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSpec {
    #[serde(default)]
    pub name: String,
    /// hosting, domain, mail, showcase, banner, project, support, standby or add_on.
    #[serde(default)]
    pub kind: String,
    /// standard (default), reduced, super_reduced, zero or exempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_category: Option<String>,
    /// New services are paid before they are activated (Gestione Internet).
    #[serde(default)]
    pub requires_prepayment: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub name: String,
    pub kind: ProductKind,
    pub vat_category: VatCategory,
    pub requires_prepayment: bool,
}

impl ProductSpec {
    pub fn validate(&self) -> Result<Product, Vec<FieldError>> {
        let mut e = Vec::new();
        if self.name.trim().is_empty() {
            e.push(FieldError::new("name", "give the product a name"));
        } else if let Err(err) = crate::input::text("name", &self.name, NAME_MAX) {
            e.push(err);
        }
        let kind = ProductKind::parse(&self.kind);
        if kind.is_none() {
            let all: Vec<_> = ProductKind::ALL.iter().map(|k| k.name()).collect();
            e.push(FieldError::new(
                "kind",
                format!("`{}` is not a product kind: use {}", crate::input::sample(&self.kind), all.join(", ")),
            ));
        }
        let vat = parse_vat_category(self.vat_category.as_deref().unwrap_or("standard"));
        if vat.is_none() {
            e.push(FieldError::new("vat_category", "use standard, reduced, super_reduced, zero or exempt"));
        }
        match (kind, vat) {
            (Some(kind), Some(vat_category)) if e.is_empty() => {
                Ok(Product { name: self.name.trim().to_string(), kind, vat_category, requires_prepayment: self.requires_prepayment })
            }
            _ => Err(e),
        }
    }
}

/// A plan as written: a product sold on named terms at a price per billing period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSpec {
    #[serde(default)]
    pub name: String,
    /// The product's code.
    #[serde(default)]
    pub product: String,
    /// The terms' code.
    #[serde(default)]
    pub terms: String,
    /// ISO 4217; only EUR is supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Net price per billing period: `{ "month" = "10.00", "quarter" = "27.00", "year" = "100.00" }`.
    #[serde(default)]
    pub prices: BTreeMap<String, String>,
    /// Net, once, on the first invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_fee: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub name: String,
    pub product: String,
    pub terms: String,
    pub prices: Vec<(Period, Money)>,
    pub setup_fee: Money,
}

impl Plan {
    /// The price of one billing period of this length.
    pub fn price_for(&self, period: Period) -> Option<Money> {
        self.prices.iter().find(|(p, _)| *p == period).map(|(_, m)| *m)
    }
}

/// A non-negative amount in `currency`, named by `field`.
pub fn parse_price(field: &str, s: &str, currency: Currency, errors: &mut Vec<FieldError>) -> Option<Money> {
    crate::input::amount(field, s, currency, crate::input::Sign::NotNegative).map_err(|e| errors.push(e)).ok()
}

pub fn parse_currency(field: &str, s: Option<&str>, errors: &mut Vec<FieldError>) -> Currency {
    match s.map(str::parse::<Currency>) {
        None => Currency::Eur,
        Some(Ok(c)) => c,
        Some(Err(err)) => {
            errors.push(FieldError::new(field, err.to_string()));
            Currency::Eur
        }
    }
}

impl PlanSpec {
    pub fn validate(&self) -> Result<Plan, Vec<FieldError>> {
        let mut e = Vec::new();
        if self.name.trim().is_empty() {
            e.push(FieldError::new("name", "give the plan a name"));
        } else if let Err(err) = crate::input::text("name", &self.name, NAME_MAX) {
            e.push(err);
        }
        if self.product.trim().is_empty() {
            e.push(FieldError::new("product", "name the product's code"));
        }
        if self.terms.trim().is_empty() {
            e.push(FieldError::new("terms", "name the terms' code"));
        }
        let currency = parse_currency("currency", self.currency.as_deref(), &mut e);
        let mut prices = Vec::new();
        for (p, amount) in &self.prices {
            let field = format!("prices.{p}");
            if let (Some(period), Some(m)) = (period(&field, p, &mut e), parse_price(&field, amount, currency, &mut e)) {
                prices.push((period, m));
            }
        }
        if self.prices.is_empty() {
            e.push(FieldError::new("prices", "give at least one price, e.g. { \"year\" = \"120.00\" }"));
        }
        let setup_fee = parse_price("setup_fee", self.setup_fee.as_deref().unwrap_or("0"), currency, &mut e);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Plan {
            name: self.name.trim().to_string(),
            product: self.product.trim().to_string(),
            terms: self.terms.trim().to_string(),
            prices,
            setup_fee: setup_fee.unwrap_or(Money::zero(currency)),
        })
    }
}

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
    fn terms_spec_names_every_wrong_field() {
        let spec = TermsSpec {
            name: String::new(),
            first_term: "3 weeks".into(),
            anchor: Some("31-02".into()),
            renewal_consumer: Some("maybe".into()),
            notice: "soon".into(),
            channels: vec!["pigeon".into()],
            refund_on_early_cancellation: Some("all".into()),
            ..Default::default()
        };
        let fields: Vec<_> = spec.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        for f in ["name", "first_term", "anchor", "renewal_consumer", "notice", "channels", "refund_on_early_cancellation"] {
            assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
        }
    }

    #[test]
    fn ecm2_terms_read_as_written() {
        let spec = TermsSpec {
            name: "ECM2".into(),
            first_term: "3 months".into(),
            renewal_term: Some("1 month".into()),
            notice: "1 calendar month".into(),
            channels: vec!["email".into()],
            billing_period: Some("quarter".into()),
            payment_term_days: Some(14),
            ..Default::default()
        };
        let t = spec.validate().unwrap();
        assert_eq!((t.first_term, t.renewal_term, t.billing_period), (Period::QUARTER, Period::MONTH, Period::QUARTER));
        assert_eq!(t.notice, Notice::CalendarMonths(1));
        assert_eq!(t.renewal_consumer, RenewalMode::Tacit);
    }

    #[test]
    fn plans_refuse_negative_prices_and_unknown_currencies() {
        let spec = PlanSpec {
            name: "Basic".into(),
            product: "hosting".into(),
            terms: "std".into(),
            currency: Some("USD".into()),
            prices: [("year".to_string(), "-10.00".to_string())].into(),
            setup_fee: Some("1.234".into()),
        };
        let errors = spec.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"currency"), "{errors:?}");
        assert!(fields.contains(&"setup_fee"), "{errors:?}");
        let spec = PlanSpec { currency: None, ..spec };
        let errors = spec.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.field == "prices.year" && e.message.contains("negative")), "{errors:?}");
    }

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
