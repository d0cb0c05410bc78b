//! Dunning: what to do about an unpaid invoice as the days pass — reminders, suspension of the
//! customer's services (Gestione Internet: "at once"), termination — and when a customer counts
//! as repeatedly late.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::calendar::days_between;
use crate::Money;

/// A provider's dunning policy. Days count from the due date: 1 is the day after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DunningPolicy {
    /// Days overdue at which each reminder goes out, ascending.
    pub reminders: Vec<u32>,
    /// Days overdue at which the services are suspended (1: at once); `None`: never.
    pub suspend_after: Option<u32>,
    /// Days overdue at which the contract is terminated; `None`: never.
    pub terminate_after: Option<u32>,
    /// Charged (net, VAT added) when suspended services are reactivated after payment.
    pub reactivation_fee: Option<Money>,
    /// This many late payments within `late_window_days` make a customer "repeatedly late".
    pub late_payments_for_flag: u32,
    pub late_window_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step", content = "n")]
pub enum DunningStep {
    /// The n-th reminder (0 = first).
    Reminder(u8),
    Suspend,
    Terminate,
}

impl DunningPolicy {
    /// The steps to take today for an invoice due on `due` that is still unpaid, given the steps
    /// already taken. After days without a run, only the latest missed reminder is sent (never
    /// a pile of them at once); suspension and termination are taken whenever they are due.
    pub fn steps_due(&self, due: Date, today: Date, taken: &[DunningStep]) -> Vec<DunningStep> {
        let overdue = days_between(due, today);
        if overdue < 1 {
            return Vec::new();
        }
        let overdue = overdue as u64;
        let mut steps = Vec::new();
        if let Some(terminate) = self.terminate_after
            && overdue >= u64::from(terminate)
        {
            if !taken.contains(&DunningStep::Terminate) {
                steps.push(DunningStep::Terminate);
            }
            return steps;
        }
        let latest_reminder = self.reminders.iter().enumerate().rev().find(|(_, d)| overdue >= u64::from(**d)).map(|(i, _)| i as u8);
        if let Some(i) = latest_reminder
            && !taken.iter().any(|s| matches!(s, DunningStep::Reminder(n) if *n >= i))
        {
            steps.push(DunningStep::Reminder(i));
        }
        if let Some(suspend) = self.suspend_after
            && overdue >= u64::from(suspend)
            && !taken.contains(&DunningStep::Suspend)
        {
            steps.push(DunningStep::Suspend);
        }
        steps
    }

    /// The days a reminder sent on `today` for an invoice due on `due` gives the customer: until
    /// the policy's next step (another reminder, suspension, termination), or 14 days when no
    /// step follows.
    pub fn pay_within_days(&self, due: Date, today: Date) -> u32 {
        let overdue = days_between(due, today).max(0) as u64;
        let next = self
            .reminders
            .iter()
            .copied()
            .chain(self.suspend_after)
            .chain(self.terminate_after)
            .map(u64::from)
            .filter(|d| *d > overdue)
            .min();
        next.map(|d| (d - overdue).min(u64::from(u32::MAX)) as u32).unwrap_or(14)
    }

    /// Whether a customer is "repeatedly late" on `today`: enough invoices paid after their due
    /// date (or still unpaid past it) within the window. `invoices` are (due date, paid on).
    pub fn repeatedly_late(&self, invoices: &[(Date, Option<Date>)], today: Date) -> bool {
        if self.late_payments_for_flag == 0 {
            return false;
        }
        let window_start = super::calendar::plus_days(today, -i64::from(self.late_window_days));
        let late = invoices
            .iter()
            .filter(|(due, _)| *due >= window_start && *due < today)
            .filter(|(due, paid)| match paid {
                Some(p) => p > due,
                None => true,
            })
            .count();
        late as u32 >= self.late_payments_for_flag
    }
}

/// A web-design project (Gestione Internet): a deposit at signing, the balance at delivery of
/// the finished work — and if the customer has not supplied the material within `grace_days`
/// (180) of signing, the balance is due anyway. Returns the balance's due date.
pub fn project_balance_due(signed: Date, delivered: Option<Date>, grace_days: u32) -> Date {
    let latest = super::calendar::plus_days(signed, i64::from(grace_days));
    match delivered {
        Some(d) if d < latest => d,
        _ => latest,
    }
}

/// The deposit of a project: `percent` (whole percent) of `total`, rounded half away from zero.
pub fn project_deposit(total: Money, percent: u32) -> Money {
    super::calendar::prorate(total, i64::from(percent.min(100)), 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Gestione Internet: suspend at once, € 20 reactivation fee.
    fn gestione() -> DunningPolicy {
        DunningPolicy {
            reminders: vec![],
            suspend_after: Some(1),
            terminate_after: Some(90),
            reactivation_fee: Some(Money::eur(2000)),
            late_payments_for_flag: 2,
            late_window_days: 365,
        }
    }

    #[test]
    fn a_reminder_gives_the_days_until_the_next_step() {
        let p = DunningPolicy {
            reminders: vec![3, 10],
            suspend_after: Some(15),
            terminate_after: Some(60),
            reactivation_fee: None,
            late_payments_for_flag: 0,
            late_window_days: 0,
        };
        let due = date(2027, 1, 31);
        assert_eq!(p.pay_within_days(due, date(2027, 2, 3)), 7, "the first reminder, 7 days before the second");
        assert_eq!(p.pay_within_days(due, date(2027, 2, 10)), 5, "the second, 5 days before suspension");
        assert_eq!(p.pay_within_days(due, date(2027, 3, 1)), 31, "after suspension, until termination");
        let lenient = DunningPolicy { reminders: vec![7], suspend_after: None, terminate_after: None, ..p };
        assert_eq!(lenient.pay_within_days(due, date(2027, 2, 7)), 14, "nothing follows: 14 days");
    }

    fn reminders_then_suspend() -> DunningPolicy {
        DunningPolicy {
            reminders: vec![7, 14, 21],
            suspend_after: Some(30),
            terminate_after: None,
            reactivation_fee: None,
            late_payments_for_flag: 0,
            late_window_days: 0,
        }
    }

    #[test]
    fn paid_by_the_due_date_is_not_late() {
        let due = date(2026, 3, 10);
        assert!(gestione().steps_due(due, due, &[]).is_empty());
        assert_eq!(gestione().steps_due(due, date(2026, 3, 11), &[]), vec![DunningStep::Suspend], "at once");
        assert!(gestione().steps_due(due, date(2026, 3, 12), &[DunningStep::Suspend]).is_empty());
        assert_eq!(gestione().steps_due(due, date(2026, 6, 8), &[DunningStep::Suspend]), vec![DunningStep::Terminate]);
    }

    #[test]
    fn reminders_in_order_and_only_the_latest_after_a_gap() {
        let p = reminders_then_suspend();
        let due = date(2026, 1, 31);
        assert!(p.steps_due(due, date(2026, 2, 6), &[]).is_empty());
        assert_eq!(p.steps_due(due, date(2026, 2, 7), &[]), vec![DunningStep::Reminder(0)]);
        assert!(p.steps_due(due, date(2026, 2, 8), &[DunningStep::Reminder(0)]).is_empty());
        // Nothing ran for three weeks: one reminder (the third), not three.
        assert_eq!(p.steps_due(due, date(2026, 2, 25), &[]), vec![DunningStep::Reminder(2)]);
        assert_eq!(p.steps_due(due, date(2026, 3, 2), &[DunningStep::Reminder(2)]), vec![DunningStep::Suspend]);
    }

    #[test]
    fn repeatedly_late() {
        let p = gestione();
        let today = date(2026, 11, 21);
        let on_time = (date(2026, 3, 1), Some(date(2026, 3, 1)));
        let late = (date(2026, 5, 1), Some(date(2026, 5, 9)));
        let unpaid = (date(2026, 10, 1), None);
        let long_ago = (date(2024, 1, 1), Some(date(2024, 3, 1)));
        assert!(!p.repeatedly_late(&[on_time, late, long_ago], today));
        assert!(p.repeatedly_late(&[on_time, late, unpaid], today));
    }

    #[test]
    fn the_project_balance_is_due_at_delivery_or_after_180_days() {
        let signed = date(2026, 1, 10);
        assert_eq!(project_balance_due(signed, Some(date(2026, 3, 1)), 180), date(2026, 3, 1));
        assert_eq!(project_balance_due(signed, None, 180), date(2026, 7, 9));
        assert_eq!(project_balance_due(signed, Some(date(2026, 12, 1)), 180), date(2026, 7, 9), "material never came in time");
        assert_eq!(project_deposit(Money::eur(250_000), 30), Money::eur(75_000));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn steps_are_taken_once_each_as_days_pass(days in 1i32..200, gaps in prop::collection::vec(1i32..20, 1..20)) {
            let p = DunningPolicy { reminders: vec![3, 10, 20], suspend_after: Some(15), terminate_after: Some(60), reactivation_fee: None, late_payments_for_flag: 0, late_window_days: 0 };
            let due = date(2026, 1, 1);
            let mut taken: Vec<DunningStep> = Vec::new();
            let mut today = due.checked_add(days.days()).unwrap();
            for g in gaps {
                for s in p.steps_due(due, today, &taken) {
                    prop_assert!(!taken.contains(&s), "{:?} twice", s);
                    taken.push(s);
                }
                today = today.checked_add(g.days()).unwrap();
            }
            // Reminders never go backwards.
            let numbers: Vec<u8> = taken.iter().filter_map(|s| if let DunningStep::Reminder(n) = s { Some(*n) } else { None }).collect();
            prop_assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
