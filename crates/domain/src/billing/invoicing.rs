//! Which invoices a customer gets on an issue date: the charges due (subscription periods,
//! one-off lines, project instalments) grouped into documents — one per consolidating
//! customer and payment term, one per subscription otherwise, a pro forma for each service that
//! must be paid before activation — with VAT treatment per line and totals per EN 16931.

use jiff::civil::Date;
use serde::Serialize;

use super::calendar::Rate;
use crate::money::MoneyError;
use crate::vat::{self, Buyer, Line, Totals, Treatment, UnknownRate, VatCategory};
use crate::{Country, Money};

/// Why a customer's documents could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error(transparent)]
    UnknownRate(#[from] UnknownRate),
    #[error("amounts too large for one document: {0}")]
    Amount(#[from] MoneyError),
}

/// Where a charge goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// On the customer's one invoice of the day (terms with `consolidate`).
    Consolidated,
    /// On an invoice of its own; charges with the same key share it.
    Alone(i64),
    /// On a pro forma of its own: a payment request that becomes an invoice when paid.
    ProForma(i64),
    /// A one-off line: on the first invoice of the day, or alone when `loose_alone` allows it.
    Follow,
}

/// One thing to charge. `S` says where it came from, so the caller can record it as invoiced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge<S> {
    pub source: S,
    pub description: String,
    /// The period of use the line is for (printed on the invoice).
    pub period: Option<(Date, Date)>,
    /// Thousandths: 1500 is 1.5 (hours).
    pub quantity_milli: i64,
    pub unit_price: Money,
    pub category: VatCategory,
    pub payment_term_days: u32,
    pub group: Group,
    /// For a period of service: the whole period and price it is part of.
    pub rate: Option<Rate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftLine<S> {
    #[serde(skip)]
    pub source: S,
    pub description: String,
    pub period: Option<(Date, Date)>,
    pub quantity_milli: i64,
    pub unit_price: Money,
    pub net: Money,
    pub treatment: Treatment,
    pub rate: Option<Rate>,
}

/// A document to issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft<S> {
    pub pro_forma: bool,
    pub issue_date: Date,
    pub due_date: Date,
    pub lines: Vec<DraftLine<S>>,
    pub totals: Totals,
}

/// The documents to issue, and the one-off charges left for a later invoice.
pub type Composed<S> = (Vec<Draft<S>>, Vec<Charge<S>>);
type Keyed<S> = ((Group, u32), Vec<Charge<S>>);

/// The documents for one customer on `issue_date`. One-off lines (`Group::Follow`) go on the
/// first invoice; when there is none they are returned unissued unless `loose_alone`, in which
/// case they make an invoice of their own.
pub fn compose<S: Clone>(
    issue_date: Date,
    seller: Country,
    buyer: Buyer,
    charges: Vec<Charge<S>>,
    loose_alone: bool,
) -> Result<Composed<S>, ComposeError> {
    let mut keyed: Vec<Keyed<S>> = Vec::new();
    let mut follow = Vec::new();
    for c in charges {
        if c.group == Group::Follow {
            follow.push(c);
            continue;
        }
        let key = (c.group, if matches!(c.group, Group::Consolidated) { c.payment_term_days } else { 0 });
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(c),
            None => keyed.push((key, vec![c])),
        }
    }
    keyed.sort_by_key(|(k, _)| *k);
    let first_invoice = keyed.iter().position(|((g, _), _)| !matches!(g, Group::ProForma(_)));
    let mut unissued = Vec::new();
    match first_invoice {
        Some(i) => keyed[i].1.append(&mut follow),
        None if loose_alone && !follow.is_empty() => keyed.push(((Group::Follow, 0), std::mem::take(&mut follow))),
        None => unissued = follow,
    }
    let mut drafts = Vec::with_capacity(keyed.len());
    for ((group, _), charges) in keyed {
        // One-off lines follow the invoice they land on; they set its term only when alone.
        let term = charges
            .iter()
            .filter(|c| c.group != Group::Follow)
            .map(|c| c.payment_term_days)
            .min()
            .or_else(|| charges.iter().map(|c| c.payment_term_days).min())
            .unwrap_or(0);
        let mut lines = Vec::with_capacity(charges.len());
        for c in charges {
            let treatment = vat::treatment(seller, buyer, c.category)?;
            let line = Line { quantity_milli: c.quantity_milli, unit_price: c.unit_price, treatment };
            lines.push(DraftLine {
                source: c.source,
                description: c.description,
                period: c.period,
                quantity_milli: c.quantity_milli,
                unit_price: c.unit_price,
                net: line.net()?,
                treatment,
                rate: c.rate,
            });
        }
        let Some(currency) = lines.first().map(|l| l.unit_price.currency) else { continue };
        let vat_lines: Vec<Line> =
            lines.iter().map(|l| Line { quantity_milli: l.quantity_milli, unit_price: l.unit_price, treatment: l.treatment }).collect();
        let totals = vat::totals(&vat_lines, currency)?;
        let due_date = super::calendar::plus_days(issue_date, i64::from(term));
        drafts.push(Draft { pro_forma: matches!(group, Group::ProForma(_)), issue_date, due_date, lines, totals });
    }
    Ok((drafts, unissued))
}

/// How much of `gross` a credit balance pays, and what is left of the balance.
pub fn apply_credit(gross: Money, credit: Money) -> (Money, Money) {
    let used = if gross.minor <= 0 || credit.minor <= 0 { 0 } else { gross.minor.min(credit.minor) };
    (Money::new(used, gross.currency), Money::new(credit.minor - used, credit.currency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn nl() -> Country {
        "NL".parse().unwrap()
    }

    fn charge(source: u32, cents: i64, group: Group, term: u32) -> Charge<u32> {
        Charge {
            source,
            description: format!("line {source}"),
            period: None,
            quantity_milli: 1000,
            unit_price: Money::eur(cents),
            category: VatCategory::Standard,
            payment_term_days: term,
            group,
            rate: None,
        }
    }

    #[test]
    fn consolidates_and_keeps_others_apart() {
        let buyer = Buyer { country: nl(), business: true, has_valid_vat_number: true };
        let charges = vec![
            charge(1, 1000, Group::Consolidated, 14),
            charge(2, 2000, Group::Alone(7), 14),
            charge(3, 3000, Group::Consolidated, 14),
            charge(4, 500, Group::Follow, 0),
            charge(5, 9900, Group::ProForma(9), 0),
        ];
        let (drafts, unissued) = compose(date(2026, 3, 1), nl(), buyer, charges, false).unwrap();
        assert!(unissued.is_empty());
        assert_eq!(drafts.len(), 3);
        let sources: Vec<Vec<u32>> = drafts.iter().map(|d| d.lines.iter().map(|l| l.source).collect()).collect();
        assert_eq!(sources, vec![vec![1, 3, 4], vec![2], vec![5]]);
        assert_eq!(drafts[0].totals.net, Money::eur(4500));
        assert_eq!(drafts[0].totals.vat, Money::eur(945));
        assert_eq!(drafts[0].due_date, date(2026, 3, 15));
        assert!(drafts[2].pro_forma);
    }

    #[test]
    fn reverse_charge_for_an_eu_business_abroad() {
        let be: Country = "BE".parse().unwrap();
        let buyer = Buyer { country: be, business: true, has_valid_vat_number: true };
        let (drafts, _) = compose(date(2026, 3, 1), nl(), buyer, vec![charge(1, 1000, Group::Consolidated, 14)], false).unwrap();
        assert_eq!(drafts[0].lines[0].treatment, Treatment::ReverseCharge);
        assert_eq!(drafts[0].totals.vat, Money::eur(0));
    }

    #[test]
    fn loose_lines_wait_for_an_invoice() {
        let buyer = Buyer { country: nl(), business: false, has_valid_vat_number: false };
        let (drafts, unissued) = compose(date(2026, 3, 1), nl(), buyer, vec![charge(4, 500, Group::Follow, 14)], false).unwrap();
        assert!(drafts.is_empty());
        assert_eq!(unissued.len(), 1);
        let (drafts, _) = compose(date(2026, 3, 1), nl(), buyer, vec![charge(4, 500, Group::Follow, 14)], true).unwrap();
        assert_eq!(drafts.len(), 1);
    }

    #[test]
    fn credit_pays_what_it_can() {
        assert_eq!(apply_credit(Money::eur(1000), Money::eur(300)), (Money::eur(300), Money::eur(0)));
        assert_eq!(apply_credit(Money::eur(1000), Money::eur(3000)), (Money::eur(1000), Money::eur(2000)));
        assert_eq!(apply_credit(Money::eur(-500), Money::eur(3000)), (Money::eur(0), Money::eur(3000)));
    }

    proptest! {
        #[test]
        fn every_charge_lands_once_and_totals_add_up(specs in proptest::collection::vec((1i64..100_000, 0u8..4, 0u32..3), 1..30)) {
            let buyer = Buyer { country: nl(), business: true, has_valid_vat_number: true };
            let charges: Vec<Charge<u32>> = specs.iter().enumerate().map(|(i, (cents, g, term))| {
                let group = match g { 0 => Group::Consolidated, 1 => Group::Alone(i as i64 % 3), 2 => Group::ProForma(i as i64), _ => Group::Follow };
                charge(i as u32, *cents, group, term * 7)
            }).collect();
            let (drafts, unissued) = compose(date(2026, 1, 1), nl(), buyer, charges.clone(), true).unwrap();
            prop_assert!(unissued.is_empty());
            let mut seen: Vec<u32> = drafts.iter().flat_map(|d| d.lines.iter().map(|l| l.source)).collect();
            seen.sort();
            prop_assert_eq!(seen, (0..charges.len() as u32).collect::<Vec<_>>());
            let net: i64 = drafts.iter().map(|d| d.totals.net.minor).sum();
            prop_assert_eq!(net, specs.iter().map(|s| s.0).sum::<i64>());
            for d in &drafts {
                // VAT per rate on the sum: within half a cent per line of the per-line VAT.
                let per_line: i64 = d.lines.iter().map(|l| l.net.minor * 21).sum::<i64>();
                prop_assert!((d.totals.vat.minor * 100 - per_line).abs() <= 50);
            }
        }
    }
}
