//! What a provider sells and on which terms, as the provider writes it (in a billing file such as
//! `examples/providers/ecm2.billing.toml`, or through the API): contract terms, products, plans
//! and the provider-wide billing settings. Each `*Spec` is the written form; `validate` turns it
//! into the rules the engine uses, naming every wrong field at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Period;
use super::terms::{Anchor, Channel, InvoiceTiming, Notice, NoticeCounts, RenewalMode, Terms};
use crate::vat::VatCategory;
use crate::{Currency, FieldError, Money};

pub use super::settings::{Settings, SettingsSpec, document_number, payment_reference, valid_payment_reference};

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
    /// `received` (default) or `sent`: whether a letter meets the notice deadline by the day it
    /// arrived or the day it was sent (its postmark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_counts: Option<String>,
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
        let notice_counts = match self.notice_counts.as_deref() {
            None => Some(NoticeCounts::Received),
            Some(s) => NoticeCounts::parse(s).or_else(|| {
                e.push(FieldError::new("notice_counts", format!("`{}`: use received or sent", crate::input::sample(s))));
                None
            }),
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
                    notice_counts: notice_counts.unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
