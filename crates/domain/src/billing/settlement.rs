//! Settling what was invoiced ahead when a contract changes. Invoices go out before the period
//! they are for (lead days, "on the 1st", a quarter in advance), so a contract can end, or its
//! price change, inside or before a period that is already invoiced. Then the engine credits the
//! invoiced part beyond the end (or the price difference) exactly: every line of a period keeps
//! the [`Rate`] it was priced at, and what a part of it costs is always [`Rate::price_of`] — the
//! same rule the billing run used — so invoices minus credit notes equal what was served.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::calendar::{Rate, days_between, prorate};
use super::terms::Terms;
use crate::Money;

/// A part of a service on a document: an invoice line for a period, or a credit-note line that
/// corrects part of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodPart {
    pub from: Date,
    /// Exclusive.
    pub to: Date,
    /// What the line charged (or credited), net.
    pub net: Money,
    /// The period and price it was priced at; `None` for lines from before rates were kept (they
    /// are priced by days).
    pub rate: Option<Rate>,
}

impl PeriodPart {
    /// What this part charges for service before `upto`: all of it when `upto` is at or after
    /// its end, nothing before its start, and in between the part of its rate (never more than
    /// the whole, never less than nothing).
    pub fn until(&self, upto: Date) -> Money {
        let zero = Money::new(0, self.net.currency);
        if upto >= self.to {
            return self.net;
        }
        if upto <= self.from {
            return zero;
        }
        let part = match self.rate {
            Some(r) => r.price_of(self.from, upto),
            None => prorate(self.net, days_between(self.from, upto), days_between(self.from, self.to)),
        };
        let (lo, hi) = if self.net.minor >= 0 { (0, self.net.minor) } else { (self.net.minor, 0) };
        Money::new(part.minor.clamp(lo, hi), self.net.currency)
    }

    /// What this part charges for service on and after `end`.
    pub fn beyond(&self, end: Date) -> Money {
        Money::new(self.net.minor - self.until(end).minor, self.net.currency)
    }

    /// Its rate, or for old lines without one a rate of its own days.
    pub fn rate_or_days(&self) -> Rate {
        self.rate.unwrap_or(Rate { from: self.from, to: self.to, months: 0, price: self.net })
    }
}

/// An invoiced period of a subscription and the credit-note lines that corrected it so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicedPeriod {
    pub line: PeriodPart,
    pub credited: Vec<PeriodPart>,
}

impl InvoicedPeriod {
    /// What is left of the line after its credits.
    pub fn remaining(&self) -> Money {
        let credited: i64 = self.credited.iter().map(|c| c.net.minor).sum();
        Money::new(self.line.net.minor - credited, self.line.net.currency)
    }

    /// What to credit so that this line, with what was credited on it before, charges only the
    /// service before `end`. Credits telescope: ending on D1 and then earlier on D2 credits in
    /// total exactly what ending on D2 at once would have.
    pub fn credit_beyond(&self, end: Date) -> Money {
        let credited_beyond: i64 = self.credited.iter().map(|c| c.beyond(end).minor).sum();
        let due = self.line.beyond(end).minor - credited_beyond;
        Money::new(due.clamp(0, self.remaining().minor.max(0)), self.line.net.currency)
    }

    /// The service the line still charges for: from its start to the first credited part.
    fn charged_until(&self) -> Date {
        self.credited.iter().map(|c| c.from).min().unwrap_or(self.line.to).min(self.line.to)
    }

    /// What changing the price of one whole billing period to `new_price` from `on` means for
    /// this line: the part `[on, …)` it still charges for, re-priced at the difference. `Some`
    /// with a positive amount: the customer pays that much more (on the next invoice); negative:
    /// that much is credited. The returned rate is the difference's (always positive for a
    /// credit), so that the settlement itself can be credited later like any other part.
    pub fn price_change(&self, on: Date, new_price: Money) -> Option<PriceChange> {
        let rate = self.line.rate_or_days();
        let (from, to) = (on.max(self.line.from), self.charged_until());
        if from >= to {
            return None;
        }
        let diff = Money::new(new_price.minor.checked_sub(rate.price.minor)?, rate.price.currency);
        let positive = Rate { price: Money::new(diff.minor.checked_abs()?, diff.currency), ..rate };
        let amount = positive.price_of(from, to);
        if amount.minor == 0 {
            return None;
        }
        Some(PriceChange { from, to, rate: positive, more: diff.minor > 0, amount })
    }
}

/// A price difference for part of an invoiced period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceChange {
    pub from: Date,
    pub to: Date,
    /// The difference per whole billing period, positive.
    pub rate: Rate,
    /// True: the customer pays more (an upgrade); false: money is returned.
    pub more: bool,
    /// Positive.
    pub amount: Money,
}

/// How a service came to its end, as far as crediting what was invoiced beyond it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// By its own cancellation, lapse or the provider's end.
    Own,
    /// Before it was ever served (it still waited for its first payment): everything invoiced
    /// for it is credited, set-up fees too.
    NothingServed,
    /// With the service it is an add-on to, not early by its own choice: credited from its end
    /// whatever its own terms say of an early end.
    WithMain,
}

impl Ending {
    /// A service in `phase` before it ended: never served while it waited for its first
    /// payment, else ended `otherwise`.
    pub fn after(phase: super::lifecycle::Phase, otherwise: Ending) -> Ending {
        if phase == super::lifecycle::Phase::PendingPayment { Ending::NothingServed } else { otherwise }
    }
}

/// Where crediting starts when the service ends on `end`. A contract that ends on a term's end
/// (a cancellation, a lapse), with its main service, or was never served is credited from
/// `end`; one ended early — by the provider, inside a term — is credited from `end` when the
/// terms refund the unused part (`pro_rata`), otherwise from the end of the term in which it
/// stopped: the rest of a begun term stays due ("no refund for the remaining period", seed 004),
/// what was invoiced for the terms after it never is.
pub fn credit_from(terms: &Terms, start: Date, end: Date, ending: Ending) -> Date {
    if ending != Ending::Own || terms.refund_on_early_cancellation || end <= start {
        return end;
    }
    let last_day = end.yesterday().unwrap_or(end).max(start);
    terms.term_at(start, last_day).end.max(end)
}

#[cfg(test)]
mod tests {
    use super::super::calendar::{Period, add_period};
    use super::super::terms::{Anchor, Channel, InvoiceTiming, Notice, RenewalMode};
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn quarter(from: Date, price: i64) -> InvoicedPeriod {
        let rate = Rate { from, to: add_period(from, Period::QUARTER, 1), months: 3, price: Money::eur(price) };
        InvoicedPeriod { line: PeriodPart { from, to: rate.to, net: rate.price, rate: Some(rate) }, credited: vec![] }
    }

    fn credit_line(line: &InvoicedPeriod, end: Date, amount: Money) -> PeriodPart {
        PeriodPart { from: end.max(line.line.from), to: line.line.to, net: amount, rate: line.line.rate }
    }

    #[test]
    fn a_cancelled_month_of_an_invoiced_quarter_is_credited_as_a_month() {
        // ECM2: € 30.00 a quarter from 15 April, invoiced ahead; the contract ends 15 May.
        let q = quarter(date(2026, 4, 15), 3000);
        assert_eq!(q.credit_beyond(date(2026, 5, 15)), Money::eur(2000));
        assert_eq!(q.credit_beyond(date(2026, 4, 15)), Money::eur(3000), "nothing served: all of it");
        assert_eq!(q.credit_beyond(date(2026, 8, 1)), Money::eur(0), "ends after the period: nothing");
        // First ended on 15 June, then terminated on 15 May: the two credits add up to one.
        let mut q2 = q.clone();
        let first = q2.credit_beyond(date(2026, 6, 15));
        q2.credited.push(credit_line(&q, date(2026, 6, 15), first));
        let second = q2.credit_beyond(date(2026, 5, 15));
        assert_eq!((first, second), (Money::eur(1000), Money::eur(1000)));
        q2.credited.push(credit_line(&q, date(2026, 5, 15), second));
        assert_eq!(q2.credit_beyond(date(2026, 5, 15)), Money::eur(0), "crediting twice credits nothing more");
    }

    #[test]
    fn price_changes_for_the_invoiced_rest() {
        // € 30 → € 60 a quarter, from the second month: two months at € 10 more.
        let q = quarter(date(2026, 1, 1), 3000);
        let up = q.price_change(date(2026, 2, 1), Money::eur(6000)).unwrap();
        assert_eq!((up.more, up.amount, up.from, up.to), (true, Money::eur(2000), date(2026, 2, 1), date(2026, 4, 1)));
        let down = q.price_change(date(2026, 3, 1), Money::eur(1500)).unwrap();
        assert_eq!((down.more, down.amount), (false, Money::eur(500)));
        // After a downgrade credit, ending the contract credits only what is left.
        let mut q2 = q.clone();
        q2.credited.push(PeriodPart { from: down.from, to: down.to, net: down.amount, rate: Some(down.rate) });
        assert_eq!(q2.credit_beyond(date(2026, 3, 1)), Money::eur(500), "the last month at the new € 5.00");
        assert!(q.price_change(date(2026, 5, 1), Money::eur(6000)).is_none(), "after the period: nothing to settle");
    }

    fn terms(refund: bool) -> Terms {
        Terms {
            first_term: Period::YEAR,
            renewal_term: Period::YEAR,
            anchor: Anchor::Start,
            renewal_business: RenewalMode::Tacit,
            renewal_consumer: RenewalMode::Tacit,
            notice: Notice::Days(60),
            channels: vec![Channel::RegisteredLetter],
            billing_period: Period::YEAR,
            invoice: InvoiceTiming { lead_days: 0, on_first_of_month: false },
            payment_term_days: 15,
            consolidate: false,
            prorate_changes: false,
            refund_on_early_cancellation: refund,
            notice_counts: Default::default(),
        }
    }

    #[test]
    fn an_early_end_keeps_the_begun_term_unless_the_terms_refund_it() {
        let start = date(2026, 3, 10);
        // Gestione Internet: "no refund for the remaining period" of the begun year.
        assert_eq!(credit_from(&terms(false), start, date(2026, 7, 1), Ending::Own), date(2027, 3, 10));
        assert_eq!(credit_from(&terms(true), start, date(2026, 7, 1), Ending::Own), date(2026, 7, 1));
        assert_eq!(credit_from(&terms(false), start, date(2027, 3, 10), Ending::Own), date(2027, 3, 10), "on a term's end");
        assert_eq!(credit_from(&terms(false), start, date(2026, 7, 1), Ending::NothingServed), date(2026, 7, 1), "never served");
        assert_eq!(credit_from(&terms(false), start, date(2026, 7, 1), Ending::WithMain), date(2026, 7, 1), "with its main service");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Whatever ends come one after another, the line minus its credits charges exactly the
        /// service before the last end, each credit is positive, and nothing is credited twice.
        #[test]
        fn invoices_minus_credits_equal_the_service_before_the_end(
            start in 0i32..5000,
            months in prop::sample::select(vec![1u32, 3, 12]),
            price in 1i64..1_000_000,
            ends in prop::collection::vec(0i32..500, 1..5),
        ) {
            let from = date(2000, 1, 1).checked_add(start.days()).unwrap();
            let rate = Rate { from, to: add_period(from, Period::Months(months), 1), months, price: Money::eur(price) };
            let mut line = InvoicedPeriod { line: PeriodPart { from, to: rate.to, net: rate.price, rate: Some(rate) }, credited: vec![] };
            let mut last = rate.to;
            for e in ends {
                let end = from.checked_add(e.days()).unwrap().min(last);
                let credit = line.credit_beyond(end);
                prop_assert!(credit.minor >= 0);
                if credit.minor > 0 {
                    line.credited.push(PeriodPart { from: end, to: last, net: credit, rate: Some(rate) });
                }
                last = end;
                prop_assert_eq!(line.remaining(), rate.price_of(from, end));
                prop_assert_eq!(line.credit_beyond(end), Money::eur(0));
            }
        }
    }
}
