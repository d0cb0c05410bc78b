//! Contract terms: a named, reusable policy that says how long a contract runs, how it renews,
//! how late it can be cancelled, and when its invoices are made. Every seed provider's rules are
//! a value of [`Terms`]; nothing here knows a provider by name.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::calendar::{Period, add_period, days_between, months_after, periods_before, plus_days, plus_months};

/// Where terms end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// Counted from the start (registration or transfer date): the first term, then renewals.
    Start,
    /// Every term ends on this day of the year, e.g. 31 December; the first runs until the
    /// first such day after the start.
    YearlyOn { month: i8, day: i8 },
}

/// What happens at the end of a term without a cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalMode {
    /// Renewed unless cancelled in time.
    Tacit,
    /// Renewed only when the customer says so (Wet Van Dam for private customers); otherwise it
    /// lapses at the end of the term.
    OptIn,
}

/// How long before a term's end a cancellation must arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Days(u32),
    CalendarMonths(u32),
}

/// How a cancellation may reach the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Portal,
    Letter,
    RegisteredLetter,
    Phone,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Portal => "portal",
            Channel::Letter => "letter",
            Channel::RegisteredLetter => "registered_letter",
            Channel::Phone => "phone",
        }
    }
}

/// When a billing period's invoice is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceTiming {
    /// Days before the period starts.
    pub lead_days: u32,
    /// Counted from the first of the period's month and then moved back to the first of that
    /// month (Pingweb: "30 days ahead, on the 1st"): every period that starts in one month is
    /// invoiced on the same day, so they share one invoice, each at least `lead_days` ahead.
    pub on_first_of_month: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub first_term: Period,
    pub renewal_term: Period,
    pub anchor: Anchor,
    pub renewal_business: RenewalMode,
    pub renewal_consumer: RenewalMode,
    pub notice: Notice,
    pub channels: Vec<Channel>,
    /// Invoiced per this period in advance, whatever the renewal term (ECM2: per quarter).
    pub billing_period: Period,
    pub invoice: InvoiceTiming,
    /// Days after the invoice date that payment is due.
    pub payment_term_days: u32,
    /// One invoice per customer per invoice date.
    pub consolidate: bool,
    /// Changes during a period are settled to the day on the next invoice.
    pub prorate_changes: bool,
    /// Whether the unused rest of a period is refunded after an early cancellation.
    pub refund_on_early_cancellation: bool,
    /// Which day of a letter meets the notice deadline: the day it arrived (default) or the day
    /// it was sent (Gestione Internet: "dovrà essere inviata via Raccomandata … almeno 60 giorni
    /// prima", the postmark counts).
    #[serde(default)]
    pub notice_counts: NoticeCounts,
}

/// Which day of a cancellation by letter the notice deadline is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeCounts {
    /// The day it reached the provider.
    #[default]
    Received,
    /// The day it was sent (a letter's postmark); e-mail, phone and the portal arrive the day
    /// they are sent.
    Sent,
}

impl NoticeCounts {
    pub fn parse(s: &str) -> Option<NoticeCounts> {
        match s.trim() {
            "received" => Some(NoticeCounts::Received),
            "sent" => Some(NoticeCounts::Sent),
            _ => None,
        }
    }
}

/// One term of a contract: from `start` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    /// 0 for the first term.
    pub index: u32,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CancelError {
    #[error("the cancellation is dated {received}, before the subscription began on {start}")]
    BeforeStart { received: Date, start: Date },
    #[error("a cancellation by {channel} is not accepted: use {accepted}")]
    Channel { channel: &'static str, accepted: String },
}

/// The outcome of a cancellation: when it takes effect, and the deadline it was judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cancellation {
    /// The contract ends here (exclusive: the last day of service is the day before).
    pub effective: Date,
    /// The last day a cancellation could arrive to end the contract at `effective`.
    pub deadline: Date,
    /// False when it came after the deadline of the current term and so ends the next one.
    pub in_time_for_current_term: bool,
    /// For a late cancellation: the deadline of the current term that it missed.
    pub missed_deadline: Option<Date>,
}

impl Terms {
    /// The anchor day in `year` (a day past the month's end, such as 29 February in a common
    /// year, becomes the month's last day).
    fn anchor_day(month: i8, day: i8, year: i16) -> Option<Date> {
        let first = Date::new(year, month.clamp(1, 12), 1).ok()?;
        Date::new(year, first.month(), day.clamp(1, first.days_in_month())).ok()
    }

    /// The end (exclusive) of term `index` for a contract that started on `start`.
    pub fn term_end(&self, start: Date, index: u32) -> Date {
        let index = i64::from(index);
        match self.anchor {
            Anchor::Start => match (self.first_term, self.renewal_term) {
                // Counted from the start in whole months, so a contract that began on the 31st
                // ends on the 31st wherever a month has one (and on the 1st after a shorter one).
                (Period::Months(f), Period::Months(r)) => months_after(start, i64::from(f) + index * i64::from(r)),
                (first, renewal) => add_period(add_period(start, first, 1), renewal, index),
            },
            Anchor::YearlyOn { .. } => add_period(self.first_anchored_end(start), self.renewal_term, index),
        }
    }

    /// The end of the first term of an anchored contract: the day after the first anchor day
    /// on or after the start ("…renew each year on 31 December").
    fn first_anchored_end(&self, start: Date) -> Date {
        let Anchor::YearlyOn { month, day } = self.anchor else { return add_period(start, self.first_term, 1) };
        for year in [start.year(), start.year().saturating_add(1)] {
            let end = Self::anchor_day(month, day, year).map(|d| plus_days(d, 1)).unwrap_or(Date::MAX);
            if end > start {
                return end;
            }
        }
        Date::MAX
    }

    /// The term that contains `date` (the first term for dates before the start). Found by
    /// arithmetic, not by walking the terms one by one.
    pub fn term_at(&self, start: Date, date: Date) -> Term {
        let first_end = self.term_end(start, 0);
        let mut index: u32 = if date < first_end {
            0
        } else {
            u32::try_from(periods_before(first_end, self.renewal_term, date).saturating_add(1)).unwrap_or(u32::MAX)
        };
        while index > 0 && self.term_end(start, index - 1) > date {
            index -= 1;
        }
        let mut guard = 0;
        while self.term_end(start, index) <= date && index < u32::MAX && guard < 1000 {
            index += 1;
            guard += 1;
        }
        let term_start = if index == 0 { start } else { self.term_end(start, index - 1) };
        Term { index, start: term_start, end: self.term_end(start, index) }
    }

    /// The day of a cancellation received on `received` (sent on `sent`, when known) that its
    /// notice is judged by: the day a letter was sent when the terms count that, else the day
    /// it arrived.
    pub fn notice_day(&self, received: Date, sent: Option<Date>, channel: Channel) -> Date {
        match (self.notice_counts, channel, sent) {
            (NoticeCounts::Sent, Channel::Letter | Channel::RegisteredLetter, Some(sent)) => sent.min(received),
            _ => received,
        }
    }

    /// The last day a cancellation may arrive to end the term that ends on `term_end`
    /// (exclusive). The notice is counted back from the day the contract names: the anniversary
    /// for terms from the start (10 March), the anchor day itself for anchored terms ("renewed
    /// on 31.12 unless cancelled 60 days before": 1 November, not 2).
    pub fn notice_deadline(&self, term_end: Date) -> Date {
        let named = match self.anchor {
            Anchor::Start => term_end,
            Anchor::YearlyOn { .. } => term_end.yesterday().unwrap_or(term_end),
        };
        match self.notice {
            Notice::Days(n) => plus_days(named, -i64::from(n)),
            Notice::CalendarMonths(n) => plus_months(named, -i64::from(n)),
        }
    }

    pub fn renewal_mode(&self, consumer: bool) -> RenewalMode {
        if consumer { self.renewal_consumer } else { self.renewal_business }
    }

    /// When a cancellation received on `received` through `channel` takes effect: the end of
    /// the first term whose notice deadline it met — the current term's if it came in time,
    /// else a later one (more than one when the notice is longer than a renewal term). An
    /// opt-in (consumer) contract simply ends with its current term.
    pub fn cancel(&self, start: Date, received: Date, channel: Channel, consumer: bool) -> Result<Cancellation, CancelError> {
        if received < start {
            return Err(CancelError::BeforeStart { received, start });
        }
        if !self.channels.contains(&channel) {
            let accepted: Vec<_> = self.channels.iter().map(|c| c.name()).collect();
            return Err(CancelError::Channel { channel: channel.name(), accepted: accepted.join(", ") });
        }
        let term = self.term_at(start, received);
        let deadline = self.notice_deadline(term.end);
        if self.renewal_mode(consumer) == RenewalMode::OptIn || received <= deadline {
            return Ok(Cancellation { effective: term.end, deadline, in_time_for_current_term: true, missed_deadline: None });
        }
        let missed = deadline;
        let mut index = term.index.saturating_add(1);
        loop {
            let end = self.term_end(start, index);
            let deadline = self.notice_deadline(end);
            if received <= deadline || index > term.index.saturating_add(10_000) || end == Date::MAX {
                return Ok(Cancellation { effective: end, deadline, in_time_for_current_term: false, missed_deadline: Some(missed) });
            }
            index += 1;
        }
    }

    /// The `k`-th billing period (0 = first) of a subscription that started on `start`. With a
    /// fixed anchor (31 December) the first period runs to the first anchor day, the later ones
    /// from anchor to anchor; otherwise they run from the start date.
    pub fn billing_bounds(&self, start: Date, k: i64) -> (Date, Date) {
        match self.anchor {
            Anchor::Start => (add_period(start, self.billing_period, k), add_period(start, self.billing_period, k + 1)),
            Anchor::YearlyOn { .. } => {
                let first_end = self.first_anchored_end(start);
                if k == 0 {
                    (start, first_end)
                } else {
                    (add_period(first_end, self.billing_period, k - 1), add_period(first_end, self.billing_period, k))
                }
            }
        }
    }

    /// The whole billing period the `k`-th one is part of, as its price covers it: for an
    /// anchored first period, the full period that ends on the anchor day (so the first one is
    /// charged for its part of it); otherwise the period itself.
    pub fn billing_full(&self, start: Date, k: i64) -> (Date, Date) {
        let (from, to) = self.billing_bounds(start, k);
        match self.anchor {
            Anchor::YearlyOn { .. } if k == 0 => (add_period(to, self.billing_period, -1), to),
            _ => (from, to),
        }
    }

    /// The index of the billing period that contains `date` (0 for dates before the start).
    pub fn billing_index_at(&self, start: Date, date: Date) -> i64 {
        let mut k = match self.anchor {
            Anchor::Start => periods_before(start, self.billing_period, date),
            Anchor::YearlyOn { .. } => {
                let first_end = self.first_anchored_end(start);
                if date < first_end { 0 } else { periods_before(first_end, self.billing_period, date).saturating_add(1) }
            }
        };
        while k > 0 && self.billing_bounds(start, k).0 > date {
            k -= 1;
        }
        let mut guard = 0;
        while self.billing_bounds(start, k).1 <= date && guard < 1000 {
            k += 1;
            guard += 1;
        }
        k
    }

    /// The billing period (in advance) that contains `date`.
    pub fn billing_period_at(&self, start: Date, date: Date) -> (Date, Date) {
        self.billing_bounds(start, self.billing_index_at(start, date))
    }

    /// The invoice date of the billing period starting on `period_start`: `lead_days` before it,
    /// or with `on_first_of_month` the first of the month on or before `lead_days` before the
    /// first of the period's month (Pingweb: a renewal on 18 April is invoiced on 1 March, one
    /// on 2 or 31 March on 1 January: renewals in one month on one invoice, all in time to
    /// cancel), but never before `not_before` (the day the subscription was ordered: new
    /// services are invoiced at once).
    pub fn invoice_date(&self, period_start: Date, not_before: Date) -> Date {
        let d = if self.invoice.on_first_of_month {
            plus_days(period_start.first_of_month(), -i64::from(self.invoice.lead_days)).first_of_month()
        } else {
            plus_days(period_start, -i64::from(self.invoice.lead_days))
        };
        d.max(not_before)
    }

    /// A service that waits for payment before it runs (prepaid), invoiced from `start` up to
    /// `invoiced_until` and paid on `paid`: when the payment came after all of that had passed,
    /// it runs from `paid`, and what was paid covers as many days from then as it was to cover.
    /// Its anniversary stays: the next invoice runs from the end of those days to the next
    /// period boundary. Returns the days paid for, `None` when it was paid before they ended
    /// (it waited part of a period it had ordered: nothing moves).
    pub fn paid_late(&self, start: Date, invoiced_until: Option<Date>, paid: Date) -> Option<(Date, Date)> {
        let until = invoiced_until?;
        if paid < until || until <= start {
            return None;
        }
        Some((paid, plus_days(paid, days_between(start, until))))
    }

    pub fn due_date(&self, invoice_date: Date) -> Date {
        plus_days(invoice_date, i64::from(self.payment_term_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// ECM2 (seed 000): quarterly in advance, 14 days to pay, first term three months, then
    /// monthly, one calendar month's notice by e-mail.
    fn ecm2() -> Terms {
        Terms {
            first_term: Period::Months(3),
            renewal_term: Period::MONTH,
            anchor: Anchor::Start,
            renewal_business: RenewalMode::Tacit,
            renewal_consumer: RenewalMode::Tacit,
            notice: Notice::CalendarMonths(1),
            channels: vec![Channel::Email],
            billing_period: Period::QUARTER,
            invoice: InvoiceTiming { lead_days: 0, on_first_of_month: false },
            payment_term_days: 14,
            consolidate: false,
            prorate_changes: true,
            refund_on_early_cancellation: false,
            notice_counts: NoticeCounts::Received,
        }
    }

    /// Pingweb (seed 001): yearly, invoiced 30 days ahead on the 1st, 30 days' notice, opt-in
    /// renewal for private customers.
    fn pingweb() -> Terms {
        Terms {
            first_term: Period::YEAR,
            renewal_term: Period::YEAR,
            anchor: Anchor::Start,
            renewal_business: RenewalMode::Tacit,
            renewal_consumer: RenewalMode::OptIn,
            notice: Notice::Days(30),
            channels: vec![Channel::Email, Channel::Portal],
            billing_period: Period::YEAR,
            invoice: InvoiceTiming { lead_days: 30, on_first_of_month: true },
            payment_term_days: 14,
            consolidate: true,
            prorate_changes: true,
            refund_on_early_cancellation: false,
            notice_counts: NoticeCounts::Received,
        }
    }

    /// Gestione Internet (seed 004): yearly from registration, 60 days' notice by registered
    /// letter; showcases and banners renew on 31 December.
    fn gestione(anchor: Anchor) -> Terms {
        Terms {
            first_term: Period::YEAR,
            renewal_term: Period::YEAR,
            anchor,
            renewal_business: RenewalMode::Tacit,
            renewal_consumer: RenewalMode::Tacit,
            notice: Notice::Days(60),
            channels: vec![Channel::RegisteredLetter],
            billing_period: Period::YEAR,
            invoice: InvoiceTiming { lead_days: 0, on_first_of_month: false },
            payment_term_days: 0,
            consolidate: false,
            prorate_changes: false,
            refund_on_early_cancellation: false,
            notice_counts: NoticeCounts::Received,
        }
    }

    #[test]
    fn a_prepaid_service_paid_after_its_period_gets_the_days_it_paid_for() {
        let t = ecm2();
        // Ordered to start 10 March, its first quarter invoiced (92 days); paid 1 July, after
        // that quarter: 92 days from 1 July.
        assert_eq!(t.paid_late(date(2027, 3, 10), Some(date(2027, 6, 10)), date(2027, 7, 1)), Some((date(2027, 7, 1), date(2027, 10, 1))));
        assert_eq!(
            t.paid_late(date(2027, 3, 10), Some(date(2027, 6, 10)), date(2027, 6, 10)),
            Some((date(2027, 6, 10), date(2027, 9, 10)))
        );
        assert_eq!(t.paid_late(date(2027, 3, 10), Some(date(2027, 6, 10)), date(2027, 5, 1)), None, "paid within its quarter");
        assert_eq!(t.paid_late(date(2027, 3, 10), None, date(2027, 7, 1)), None, "nothing invoiced");
    }

    #[test]
    fn pingweb_invoices_on_the_first_of_the_month_before() {
        // "Als uw abonnement loopt van 18-04-2014 tot 18-04-2015 dan ontvangt u op 01-03-2015 de
        // volgende factuur."
        let t = pingweb();
        let start = date(2014, 4, 18);
        let next_period = t.term_end(start, 0);
        assert_eq!(next_period, date(2015, 4, 18));
        assert_eq!(t.invoice_date(next_period, start), date(2015, 3, 1));
        // "Indien er meerdere abonnementen in dezelfde maand verlengen, ontvangt u slechts één
        // factuur": every renewal in March on one day, at least 30 days before each.
        for day in [1, 2, 20, 31] {
            assert_eq!(t.invoice_date(date(2015, 3, day), date(2014, 1, 1)), date(2015, 1, 1), "renewal on 2015-03-{day}");
        }
        assert_eq!(t.invoice_date(date(2016, 3, 1), date(2014, 1, 1)), date(2016, 1, 1), "30 days before 1 March 2016 is 31 January");
        // A private customer who does not renew simply lapses at the end of the term.
        let c = t.cancel(start, date(2015, 4, 10), Channel::Portal, true).unwrap();
        assert_eq!(c.effective, date(2015, 4, 18));
        // A business cancelling 30 days before is in time; a day later is not.
        assert_eq!(t.cancel(start, date(2015, 3, 19), Channel::Email, false).unwrap().effective, date(2015, 4, 18));
        assert_eq!(t.cancel(start, date(2015, 3, 20), Channel::Email, false).unwrap().effective, date(2016, 4, 18));
    }

    #[test]
    fn ecm2_three_months_then_monthly() {
        let t = ecm2();
        let start = date(2026, 1, 15);
        assert_eq!(t.term_end(start, 0), date(2026, 4, 15));
        assert_eq!(t.term_end(start, 1), date(2026, 5, 15));
        // At least one calendar month before the end: by 15 March for 15 April.
        let timely = t.cancel(start, date(2026, 3, 15), Channel::Email, false).unwrap();
        assert_eq!((timely.effective, timely.deadline), (date(2026, 4, 15), date(2026, 3, 15)));
        let late = t.cancel(start, date(2026, 3, 16), Channel::Email, false).unwrap();
        assert_eq!((late.effective, late.in_time_for_current_term), (date(2026, 5, 15), false));
        assert_eq!((late.missed_deadline, late.deadline), (Some(date(2026, 3, 15)), date(2026, 4, 15)), "it missed 15 March");
        assert!(matches!(t.cancel(start, date(2026, 3, 1), Channel::Phone, false), Err(CancelError::Channel { .. })));
        // Three months' notice on a monthly contract: a late cancellation skips several terms.
        let long = Terms { notice: Notice::CalendarMonths(3), ..ecm2() };
        assert_eq!(long.cancel(start, date(2026, 4, 20), Channel::Email, false).unwrap().effective, date(2026, 8, 15));
        assert!(matches!(t.cancel(start, date(2025, 12, 1), Channel::Email, false), Err(CancelError::BeforeStart { .. })));
        // Invoiced per quarter in advance, due 14 days after the invoice date.
        assert_eq!(t.billing_period_at(start, date(2026, 5, 1)), (date(2026, 4, 15), date(2026, 7, 15)));
        assert_eq!(t.due_date(t.invoice_date(date(2026, 4, 15), start)), date(2026, 4, 29));
    }

    #[test]
    fn a_letter_counts_from_its_postmark_when_the_terms_say_so() {
        let mut t = gestione(Anchor::Start);
        let (received, sent) = (date(2026, 1, 12), Some(date(2026, 1, 9)));
        assert_eq!(t.notice_day(received, sent, Channel::RegisteredLetter), received, "by default the day it arrived");
        t.notice_counts = NoticeCounts::Sent;
        assert_eq!(t.notice_day(received, sent, Channel::RegisteredLetter), date(2026, 1, 9));
        assert_eq!(t.notice_day(received, None, Channel::RegisteredLetter), received, "no postmark given");
        assert_eq!(t.notice_day(received, sent, Channel::Email), received, "an e-mail arrives when sent");
        assert_eq!(t.notice_day(received, Some(date(2026, 1, 20)), Channel::Letter), received, "never after it arrived");
    }

    #[test]
    fn gestione_yearly_and_on_31_december() {
        let hosting = gestione(Anchor::Start);
        let start = date(2025, 3, 10);
        // 60 days before 10 March 2026 is 9 January.
        assert_eq!(hosting.cancel(start, date(2026, 1, 9), Channel::RegisteredLetter, false).unwrap().effective, date(2026, 3, 10));
        assert_eq!(hosting.cancel(start, date(2026, 1, 10), Channel::RegisteredLetter, false).unwrap().effective, date(2027, 3, 10));
        assert!(hosting.cancel(start, date(2026, 1, 1), Channel::Email, false).unwrap_err().to_string().contains("registered_letter"));

        let showcase = gestione(Anchor::YearlyOn { month: 12, day: 31 });
        let start = date(2025, 6, 1);
        assert_eq!(showcase.term_end(start, 0), date(2026, 1, 1), "the first term runs to 31 December");
        assert_eq!(showcase.term_end(start, 1), date(2027, 1, 1));
        // "al 31.12 salvo disdetta … almeno 60 giorni prima della scadenza": 60 days before 31
        // December is 1 November.
        assert_eq!(showcase.notice_deadline(date(2026, 1, 1)), date(2025, 11, 1));
        // Starting on 31 December itself, the first term ends that day.
        assert_eq!(showcase.term_end(date(2025, 12, 31), 0), date(2026, 1, 1));
        assert_eq!(showcase.term_end(date(2026, 1, 1), 0), date(2027, 1, 1));
    }

    #[test]
    fn a_contract_from_the_31st_keeps_month_ends() {
        let t = ecm2();
        let start = date(2026, 1, 31);
        // Three months from 31 January run through 30 April; the month after through 31 May.
        assert_eq!(t.term_end(start, 0), date(2026, 5, 1));
        assert_eq!(t.term_end(start, 1), date(2026, 5, 31));
        assert_eq!(t.term_end(start, 2), date(2026, 7, 1));
        assert_eq!(t.term_end(date(2024, 2, 29), 9), date(2025, 3, 1));
    }

    fn any_terms() -> impl Strategy<Value = Terms> {
        (
            prop::sample::select(vec![Period::MONTH, Period::QUARTER, Period::YEAR, Period::Days(30), Period::Months(2)]),
            prop::sample::select(vec![Period::MONTH, Period::QUARTER, Period::YEAR, Period::Days(14)]),
            prop::sample::select(vec![
                Anchor::Start,
                Anchor::YearlyOn { month: 12, day: 31 },
                Anchor::YearlyOn { month: 2, day: 28 },
                Anchor::YearlyOn { month: 6, day: 30 },
            ]),
            prop::sample::select(vec![
                Notice::Days(0),
                Notice::Days(30),
                Notice::Days(60),
                Notice::CalendarMonths(1),
                Notice::CalendarMonths(3),
            ]),
            prop::bool::ANY,
        )
            .prop_map(|(first, renewal, anchor, notice, opt_in)| Terms {
                first_term: first,
                renewal_term: if matches!(anchor, Anchor::YearlyOn { .. }) { Period::YEAR } else { renewal },
                anchor,
                renewal_business: RenewalMode::Tacit,
                renewal_consumer: if opt_in { RenewalMode::OptIn } else { RenewalMode::Tacit },
                notice,
                channels: vec![Channel::Email],
                billing_period: Period::QUARTER,
                invoice: InvoiceTiming { lead_days: 30, on_first_of_month: true },
                payment_term_days: 14,
                consolidate: false,
                prorate_changes: true,
                refund_on_early_cancellation: false,
                notice_counts: NoticeCounts::Received,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn cancellations_end_a_term_and_respect_the_notice(
            terms in any_terms(),
            start_days in 0i32..20_000,
            after in 0i32..1500,
            consumer in prop::bool::ANY,
        ) {
            let start = date(2000, 1, 1).checked_add(start_days.days()).unwrap();
            let received = start.checked_add(after.days()).unwrap();
            let c = terms.cancel(start, received, Channel::Email, consumer).unwrap();
            // It takes effect at the end of a term, after it was received.
            prop_assert!(c.effective > received);
            let term = terms.term_at(start, received);
            let ends: Vec<Date> = (term.index..term.index + 40).map(|i| terms.term_end(start, i)).collect();
            prop_assert!(ends.contains(&c.effective));
            if terms.renewal_mode(consumer) == RenewalMode::Tacit {
                // The notice is respected, and it is the earliest term end that respects it.
                prop_assert!(received <= terms.notice_deadline(c.effective));
                let earliest = ends.iter().copied().find(|e| received <= terms.notice_deadline(*e));
                prop_assert_eq!(Some(c.effective), earliest);
            } else {
                prop_assert_eq!(c.effective, term.end);
            }
        }

        #[test]
        fn terms_tile_time_without_gaps(terms in any_terms(), start_days in 0i32..20_000, probe in 0i32..3000) {
            let start = date(2000, 1, 1).checked_add(start_days.days()).unwrap();
            let d = start.checked_add(probe.days()).unwrap();
            let t = terms.term_at(start, d);
            prop_assert!(t.start <= d && d < t.end);
            if t.index > 0 {
                prop_assert_eq!(terms.term_end(start, t.index - 1), t.start);
            }
            let (from, to) = terms.billing_period_at(start, d);
            prop_assert!(from <= d && d < to);
            let inv = terms.invoice_date(from, start);
            prop_assert!(inv <= from.max(start));
            prop_assert!(inv >= start);
            prop_assert_eq!(inv.day() == 1 || inv == start, true);
        }
    }
}
