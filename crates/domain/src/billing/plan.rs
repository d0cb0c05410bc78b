//! What a billing run invoices: the billing periods of a subscription that are due on a run
//! date, each once. The run keeps, per subscription, how far it has invoiced (`invoiced_until`);
//! replaying any date again finds nothing new, and runs on sparse dates invoice exactly what
//! daily runs would have, only later.

use jiff::civil::Date;
use serde::Serialize;

use super::calendar::Rate;
use super::terms::Terms;
use crate::Money;

/// At most this many periods are invoiced for one subscription in one run; the next run takes
/// the rest. (Bounded start dates keep real catch-ups far below it.)
pub const MAX_PERIODS_AT_ONCE: usize = 500;

/// A subscription as the billing plan needs it.
#[derive(Debug, Clone, Copy)]
pub struct Schedule<'a> {
    pub terms: &'a Terms,
    /// When the service began (the contract's start).
    pub start: Date,
    /// When it ends (exclusive), once a cancellation or lapse is known.
    pub ends: Option<Date>,
    /// When it was ordered: no invoice is dated earlier.
    pub ordered: Date,
    /// The price of one full billing period.
    pub price: Money,
    /// The start of the service this one is an add-on to (an extra mailbox on a hosting
    /// package): its billing periods follow that service's, so both are invoiced together. The
    /// first runs from its own start to that service's next period and is priced for its part
    /// of it; where the terms settle changes on the next invoice (`prorate_changes`) it waits
    /// for that invoice, otherwise it is invoiced at once.
    pub aligned_to: Option<Date>,
}

/// One billing period to invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DuePeriod {
    pub from: Date,
    /// Exclusive; earlier than the period's natural end when the subscription ends inside it.
    pub to: Date,
    /// The date the terms planned the invoice for (the run may be later).
    pub planned: Date,
    pub amount: Money,
    /// The whole billing period and price the amount is a part of (kept on the invoice line).
    pub rate: Rate,
}

/// The periods of `s` not yet invoiced (`invoiced_until`: the exclusive end of what was) whose
/// planned invoice date is on or before `run_date`. A period cut short (by the end of the
/// contract, or by an anchor day for the first one) is priced by [`Rate::price_of`]: whole
/// months as months, the rest to the day.
pub fn periods_due(s: &Schedule<'_>, invoiced_until: Option<Date>, run_date: Date) -> Vec<DuePeriod> {
    let (from_date, first) = first_index(s, invoiced_until);
    let mut due = Vec::new();
    let mut k = first;
    while due.len() < MAX_PERIODS_AT_ONCE
        && let Some(p) = period(s, from_date, k, run_date)
    {
        due.push(p);
        k += 1;
    }
    due
}

/// The first of [`periods_due`], without working out the others: what a page shows as the next
/// invoice (a year of monthly periods ahead is a dozen calendar sums it does not need).
pub fn first_period_due(s: &Schedule<'_>, invoiced_until: Option<Date>, run_date: Date) -> Option<DuePeriod> {
    let (from_date, k) = first_index(s, invoiced_until);
    period(s, from_date, k, run_date)
}

/// Where the periods not yet invoiced begin, and the index of the billing period holding it.
fn first_index(s: &Schedule<'_>, invoiced_until: Option<Date>) -> (Date, i64) {
    let from_date = invoiced_until.unwrap_or(s.start).max(s.start);
    let k = match origin(s) {
        Some(o) => s.terms.billing_index_at(o, from_date).saturating_sub(s.terms.billing_index_at(o, s.start)),
        None => s.terms.billing_index_at(s.start, from_date),
    };
    (from_date, k)
}

/// The start whose billing periods an add-on follows, when it started after it.
fn origin(s: &Schedule<'_>) -> Option<Date> {
    s.aligned_to.filter(|o| *o < s.start)
}

/// Billing period `k`'s bounds and the whole period its price covers. An aligned add-on's
/// period `k` is its main service's period holding its start, `k` periods on; the first begins
/// at its own start.
fn bounds(s: &Schedule<'_>, k: i64) -> ((Date, Date), (Date, Date)) {
    match origin(s) {
        None => (s.terms.billing_bounds(s.start, k), s.terms.billing_full(s.start, k)),
        Some(o) => {
            let j = s.terms.billing_index_at(o, s.start).saturating_add(k);
            let (from, to) = s.terms.billing_bounds(o, j);
            ((if k == 0 { from.max(s.start) } else { from }, to), s.terms.billing_full(o, j))
        }
    }
}

/// Billing period `k` from `from_date` on, if it is due on `run_date` and not empty.
fn period(s: &Schedule<'_>, from_date: Date, k: i64, run_date: Date) -> Option<DuePeriod> {
    let ((natural_from, natural_to), (full_from, full_to)) = bounds(s, k);
    let from = natural_from.max(from_date);
    let to = match s.ends {
        Some(end) => natural_to.min(end),
        None => natural_to,
    };
    if from >= to || natural_to == Date::MAX {
        return None;
    }
    // An add-on's first days, cut short by its main service's next period, wait for that
    // period's invoice where changes are settled on the next one.
    let deferred = k == 0 && origin(s).is_some() && s.terms.prorate_changes && natural_from > full_from;
    let planned = s.terms.invoice_date(if deferred { natural_to } else { natural_from }, s.ordered);
    if planned > run_date {
        return None;
    }
    let months = s.terms.billing_period.months().unwrap_or(0);
    let rate = Rate { from: full_from, to: full_to, months, price: s.price };
    Some(DuePeriod { from, to, planned, amount: rate.price_of(from, to), rate })
}

#[cfg(test)]
mod tests {
    use super::super::calendar::Rate;
    use super::super::terms::{Anchor, Channel, InvoiceTiming, Notice, RenewalMode};
    use super::super::{Period, Terms};
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn terms(billing: Period, lead: u32, first: bool) -> Terms {
        Terms {
            first_term: Period::YEAR,
            renewal_term: Period::YEAR,
            anchor: Anchor::Start,
            renewal_business: RenewalMode::Tacit,
            renewal_consumer: RenewalMode::Tacit,
            notice: Notice::Days(30),
            channels: vec![Channel::Email],
            billing_period: billing,
            invoice: InvoiceTiming { lead_days: lead, on_first_of_month: first },
            payment_term_days: 14,
            consolidate: true,
            prorate_changes: true,
            refund_on_early_cancellation: false,
            notice_counts: Default::default(),
        }
    }

    #[test]
    fn quarterly_in_advance_and_a_cut_last_period() {
        let t = terms(Period::QUARTER, 0, false);
        let s = Schedule {
            terms: &t,
            start: date(2026, 1, 15),
            ends: Some(date(2026, 5, 15)),
            ordered: date(2026, 1, 10),
            price: Money::eur(3000),
            aligned_to: None,
        };
        let first = periods_due(&s, None, date(2026, 1, 15));
        assert_eq!(
            (first.len(), first[0].from, first[0].to, first[0].planned),
            (1, date(2026, 1, 15), date(2026, 4, 15), date(2026, 1, 15))
        );
        assert_eq!(first[0].amount, Money::eur(3000));
        assert!(periods_due(&s, Some(date(2026, 4, 15)), date(2026, 4, 14)).is_empty());
        let last = periods_due(&s, Some(date(2026, 4, 15)), date(2026, 4, 15));
        // One whole month of the quarter: € 10.00, not 30/91 of it (€ 9.89).
        assert_eq!((last.len(), last[0].from, last[0].to, last[0].amount), (1, date(2026, 4, 15), date(2026, 5, 15), Money::eur(1000)));
        assert_eq!(last[0].rate, Rate { from: date(2026, 4, 15), to: date(2026, 7, 15), months: 3, price: Money::eur(3000) });
        assert!(periods_due(&s, Some(date(2026, 5, 15)), date(2027, 1, 1)).is_empty(), "nothing after the end");
    }

    #[test]
    fn pingweb_invoices_a_year_ahead_on_the_first() {
        let t = terms(Period::YEAR, 30, true);
        let s = Schedule {
            terms: &t,
            start: date(2014, 4, 18),
            ends: None,
            ordered: date(2014, 4, 1),
            price: Money::eur(12000),
            aligned_to: None,
        };
        assert!(periods_due(&s, Some(date(2015, 4, 18)), date(2015, 2, 28)).is_empty());
        let due = periods_due(&s, Some(date(2015, 4, 18)), date(2015, 3, 1));
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].from, due[0].to, due[0].planned), (date(2015, 4, 18), date(2016, 4, 18), date(2015, 3, 1)));
    }

    #[test]
    fn a_showcase_renewing_on_31_december_is_charged_pro_rata_to_the_first_anchor() {
        let mut t = terms(Period::YEAR, 0, false);
        t.anchor = super::super::terms::Anchor::YearlyOn { month: 12, day: 31 };
        let s = Schedule {
            terms: &t,
            start: date(2027, 3, 15),
            ends: None,
            ordered: date(2027, 3, 15),
            price: Money::eur(18000),
            aligned_to: None,
        };
        let first = periods_due(&s, None, date(2027, 3, 15));
        assert_eq!(first.len(), 1);
        // Nine calendar months (April – December) and 17 of March's 31 days of € 180 a year.
        assert_eq!((first[0].from, first[0].to, first[0].amount), (date(2027, 3, 15), date(2028, 1, 1), Money::eur(14323)));
        let next = periods_due(&s, Some(first[0].to), date(2028, 1, 1));
        assert_eq!((next[0].from, next[0].to, next[0].amount), (date(2028, 1, 1), date(2029, 1, 1), Money::eur(18000)));
        // Starting on the day after the anchor: whole years at once.
        let s = Schedule { start: date(2027, 1, 1), ordered: date(2027, 1, 1), ..s };
        assert_eq!(periods_due(&s, None, date(2027, 1, 1))[0].amount, Money::eur(18000));
    }

    #[test]
    fn ecm2_a_mailbox_added_mid_quarter_is_settled_on_the_packages_next_invoice() {
        let t = terms(Period::QUARTER, 0, false);
        let hosting = date(2027, 1, 1);
        let s = Schedule {
            terms: &t,
            start: date(2027, 2, 10),
            ends: None,
            ordered: date(2027, 2, 10),
            price: Money::eur(600),
            aligned_to: Some(hosting),
        };
        assert!(periods_due(&s, None, date(2027, 3, 31)).is_empty(), "nothing of its own in the quarter");
        let due = periods_due(&s, None, date(2027, 4, 1));
        // 19 of February's 28 days and March of € 2.00 a month; then the second quarter whole.
        assert_eq!(
            due.iter().map(|p| (p.from, p.to, p.planned, p.amount)).collect::<Vec<_>>(),
            [
                (date(2027, 2, 10), date(2027, 4, 1), date(2027, 4, 1), Money::eur(336)),
                (date(2027, 4, 1), date(2027, 7, 1), date(2027, 4, 1), Money::eur(600)),
            ]
        );
        assert_eq!(due[0].rate, Rate { from: hosting, to: date(2027, 4, 1), months: 3, price: Money::eur(600) });
        // Where changes are not left for the next invoice, its first days are invoiced at once.
        let mut now = t.clone();
        now.prorate_changes = false;
        let first = periods_due(&Schedule { terms: &now, ..s }, None, date(2027, 2, 10));
        assert_eq!((first.len(), first[0].to, first[0].planned), (1, date(2027, 4, 1), date(2027, 2, 10)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn replaying_days_invoices_each_day_of_service_exactly_once(
            start_days in 0i32..3000,
            billing in prop::sample::select(vec![Period::MONTH, Period::QUARTER, Period::YEAR, Period::Days(30)]),
            lead in prop::sample::select(vec![0u32, 14, 30]),
            first in prop::bool::ANY,
            ends_after in prop::option::of(1i32..900),
            step in 1i32..40,
            anchored in prop::bool::ANY,
            add_on_after in prop::option::of(1i32..800),
            settle_later in prop::bool::ANY,
        ) {
            let mut t = terms(billing, lead, first);
            if anchored && billing == Period::YEAR {
                t.anchor = super::super::terms::Anchor::YearlyOn { month: 12, day: 31 };
            }
            let start = date(2020, 1, 1).checked_add(start_days.days()).unwrap();
            let ends = ends_after.map(|d| start.checked_add(d.days()).unwrap());
            t.prorate_changes = settle_later;
            // An add-on follows the periods of a service that started before it.
            let aligned_to = add_on_after.map(|d| start.checked_sub(d.days()).unwrap());
            let s = Schedule { terms: &t, start, ends, ordered: start.checked_sub(10.days()).unwrap(), price: Money::eur(9_999), aligned_to };
            let horizon = start.checked_add(1000.days()).unwrap();
            // Daily runs, and runs every `step` days: the same periods.
            let run = |every: i32| {
                let mut invoiced: Option<Date> = None;
                let mut out: Vec<DuePeriod> = Vec::new();
                let mut day = start.checked_sub(40.days()).unwrap();
                while day <= horizon {
                    let due = periods_due(&s, invoiced, day);
                    assert_eq!(first_period_due(&s, invoiced, day), due.first().copied());
                    // Running the same date again finds nothing new.
                    if let Some(last) = due.last() {
                        assert!(periods_due(&s, Some(last.to), day).is_empty());
                        invoiced = Some(last.to);
                    }
                    out.extend(due);
                    day = day.checked_add(every.days()).unwrap();
                }
                out
            };
            let daily = run(1);
            let sparse = run(step);
            let pairs = |v: &[DuePeriod]| v.iter().map(|p| (p.from, p.to)).collect::<Vec<_>>();
            // Sparse runs invoice the same periods as daily ones (the last few may still wait
            // for the next run after the horizon).
            prop_assert!(sparse.len() <= daily.len());
            prop_assert_eq!(pairs(&daily)[..sparse.len()].to_vec(), pairs(&sparse));
            // Periods tile the service from its start without gaps or overlaps.
            let mut cursor = start;
            for p in &daily {
                prop_assert_eq!(p.from, cursor);
                prop_assert!(p.to > p.from);
                // In advance; an add-on's first days at the latest with the next period.
                let deferred = aligned_to.is_some() && settle_later && p.from == start;
                let latest = if deferred { p.rate.to.max(s.ordered) } else { p.from.max(s.ordered) };
                prop_assert!(p.planned <= latest);
                if let Some(o) = aligned_to && p.from > start {
                    // Later periods are the main service's own.
                    let k = t.billing_index_at(o, p.from);
                    prop_assert_eq!(t.billing_bounds(o, k).0, p.from);
                }
                // A full period costs the price; a cut one a positive part of it.
                prop_assert!(p.amount.minor > 0 && p.amount.minor <= s.price.minor);
                cursor = p.to;
            }
            if let Some(end) = ends {
                prop_assert!(cursor <= end);
            }
        }
    }
}
