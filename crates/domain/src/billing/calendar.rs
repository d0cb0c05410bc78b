//! Calendar arithmetic for billing: months that end on the 31st, 29 February, day counts.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Money;

/// A length of time in a contract: whole days or whole calendar months (a quarter is three
/// months, a year twelve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Days(u32),
    Months(u32),
}

impl Period {
    pub const MONTH: Period = Period::Months(1);
    pub const QUARTER: Period = Period::Months(3);
    pub const YEAR: Period = Period::Months(12);

    /// Parses `1 month`, `3 months`, `quarter`, `year`, `30 days`.
    pub fn parse(s: &str) -> Result<Period, String> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || format!("`{s}` is not a period: write e.g. `1 month`, `3 months`, `quarter`, `year` or `30 days`");
        match t.as_str() {
            "month" => return Ok(Period::MONTH),
            "quarter" => return Ok(Period::QUARTER),
            "year" => return Ok(Period::YEAR),
            _ => {}
        }
        let (n, unit) = t.split_once(' ').ok_or_else(bad)?;
        let n: u32 = n.parse().map_err(|_| bad())?;
        if n == 0 || n > 1200 {
            return Err(bad());
        }
        match unit.trim() {
            "day" | "days" => Ok(Period::Days(n)),
            "month" | "months" => Ok(Period::Months(n)),
            "year" | "years" => Ok(Period::Months(n * 12)),
            _ => Err(bad()),
        }
    }
}

/// `times` periods after `start`, counted from `start` each time: the 31st of January plus one
/// month is 28 (or 29) February, plus two months is 31 March, never drifting to the 28th.
pub fn add_period(start: Date, period: Period, times: i64) -> Date {
    let result = match period {
        Period::Days(d) => start.checked_add((i64::from(d) * times).days()),
        Period::Months(m) => start.checked_add((i64::from(m) * times).months()),
    };
    result.unwrap_or(if times >= 0 { Date::MAX } else { Date::MIN })
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// `amount` × `used` / `total`, rounded half away from zero to the cent: what part of a
/// period's price belongs to `used` of its `total` days.
pub fn prorate(amount: Money, used: i64, total: i64) -> Money {
    if total <= 0 {
        return Money::new(0, amount.currency);
    }
    let used = used.clamp(0, total);
    let num = i128::from(amount.minor) * i128::from(used);
    let den = i128::from(total);
    let q = num / den;
    let r = num % den;
    let rounded = if 2 * r.abs() >= den { q + num.signum() } else { q };
    Money::new(rounded as i64, amount.currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn month_ends_and_leap_days() {
        let jan31 = date(2026, 1, 31);
        assert_eq!(add_period(jan31, Period::MONTH, 1), date(2026, 2, 28));
        assert_eq!(add_period(jan31, Period::MONTH, 2), date(2026, 3, 31), "counted from the start, not from 28 February");
        assert_eq!(add_period(date(2024, 1, 31), Period::MONTH, 1), date(2024, 2, 29));
        assert_eq!(add_period(date(2024, 2, 29), Period::YEAR, 1), date(2025, 2, 28));
        assert_eq!(add_period(date(2024, 2, 29), Period::YEAR, 4), date(2028, 2, 29));
        assert_eq!(add_period(date(2026, 11, 30), Period::QUARTER, 1), date(2027, 2, 28));
        assert_eq!(days_between(date(2024, 2, 1), date(2024, 3, 1)), 29);
    }

    #[test]
    fn parses_periods() {
        assert_eq!(Period::parse("quarter"), Ok(Period::Months(3)));
        assert_eq!(Period::parse("1 year"), Ok(Period::Months(12)));
        assert_eq!(Period::parse("30 days"), Ok(Period::Days(30)));
        for bad in ["", "0 months", "monthly", "3 weeks", "-1 month"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn proration_rounds_half_away_from_zero() {
        assert_eq!(prorate(Money::eur(1000), 1, 3), Money::eur(333));
        assert_eq!(prorate(Money::eur(1000), 2, 3), Money::eur(667));
        assert_eq!(prorate(Money::eur(-1000), 2, 3), Money::eur(-667));
        assert_eq!(prorate(Money::eur(5), 1, 2), Money::eur(3));
        assert_eq!(prorate(Money::eur(1000), 5, 0), Money::eur(0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn periods_are_monotonic_and_anchored(days in 0i32..40_000, months in 1u32..25, k in 0i64..60) {
            let start = date(1990, 1, 1).checked_add(days.days()).unwrap();
            let p = Period::Months(months);
            let a = add_period(start, p, k);
            let b = add_period(start, p, k + 1);
            prop_assert!(b > a);
            // The day of month is kept where the month has it, else the month's last day.
            let expect_day = start.day().min(b.days_in_month());
            prop_assert_eq!(b.day(), expect_day);
        }

        #[test]
        fn proration_of_parts_adds_up_within_a_cent_per_part(amount in -10_000_000i64..10_000_000, total in 1i64..400, split in 0i64..400) {
            let split = split.min(total);
            let a = prorate(Money::eur(amount), split, total);
            let b = prorate(Money::eur(amount), total - split, total);
            prop_assert!((a.minor + b.minor - amount).abs() <= 1);
            prop_assert_eq!(prorate(Money::eur(amount), total, total), Money::eur(amount));
        }
    }
}
