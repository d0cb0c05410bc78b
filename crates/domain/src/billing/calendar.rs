//! Calendar arithmetic for billing: months that end on the 31st, 29 February, day counts, and
//! what a part of a billing period costs. Nothing here panics, whatever the dates: arithmetic
//! that would leave jiff's range of dates saturates at its ends.

use jiff::Span;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Money;

/// A length of time in a contract: whole days or whole calendar months (a quarter is three
/// months, a year twelve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        let shown: String = s.chars().take(40).collect();
        let bad = || format!("`{shown}` is not a period: write e.g. `1 month`, `3 months`, `quarter`, `year` or `30 days`");
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
            "year" | "years" if n <= 100 => Ok(Period::Months(n * 12)),
            _ => Err(bad()),
        }
    }

    /// Whole months, or `None` for a period of days.
    pub fn months(self) -> Option<u32> {
        match self {
            Period::Months(m) => Some(m),
            Period::Days(_) => None,
        }
    }
}

/// The canonical written form, which [`Period::parse`] reads back: `month`, `quarter`, `year`,
/// `6 months`, `2 years`, `30 days`.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Period::Months(1) => f.write_str("month"),
            Period::Months(3) => f.write_str("quarter"),
            Period::Months(12) => f.write_str("year"),
            Period::Months(m) if m % 12 == 0 => write!(f, "{} years", m / 12),
            Period::Months(m) => write!(f, "{m} months"),
            Period::Days(1) => f.write_str("1 day"),
            Period::Days(d) => write!(f, "{d} days"),
        }
    }
}

/// `date` plus `n` days (negative: minus), saturating at the ends of the calendar.
pub fn plus_days(date: Date, n: i64) -> Date {
    Span::new().try_days(n).ok().and_then(|s| date.checked_add(s).ok()).unwrap_or(if n >= 0 { Date::MAX } else { Date::MIN })
}

/// `date` plus `n` calendar months (a month end stays within its month), saturating.
pub fn plus_months(date: Date, n: i64) -> Date {
    Span::new().try_months(n).ok().and_then(|s| date.checked_add(s).ok()).unwrap_or(if n >= 0 { Date::MAX } else { Date::MIN })
}

/// The end (exclusive) of `n` months that begin on `start`: the same day `n` months on, or,
/// when that month is too short to have it, the first of the month after, so the months end
/// with the short month's last day. A year from 29 February 2016 runs to 28 February 2017 and
/// a quarter from 31 January to 30 April, both included (BGB § 188, codice civile art. 2963);
/// clamping to the month's end instead would end them a day early. Negative `n` counts back as
/// [`plus_months`] does.
pub fn months_after(start: Date, n: i64) -> Date {
    let same_day = plus_months(start, n);
    if n > 0 && same_day.day() < start.day() { same_day.tomorrow().unwrap_or(same_day) } else { same_day }
}

/// `times` periods after `start`, counted from `start` each time ([`months_after`]): the 31st
/// of January plus one month is 1 March, plus two months is 31 March, never drifting.
pub fn add_period(start: Date, period: Period, times: i64) -> Date {
    match period {
        Period::Days(d) => plus_days(start, i64::from(d).saturating_mul(times)),
        Period::Months(m) => months_after(start, i64::from(m).saturating_mul(times)),
    }
}

/// How many whole `period`s fit between `start` and `date` (0 when `date` is not after
/// `start`): the `k` with `add_period(start, period, k) <= date < add_period(start, period, k + 1)`.
/// Found directly, not by counting one period at a time, so a contract of decades costs nothing.
pub fn periods_before(start: Date, period: Period, date: Date) -> i64 {
    if date <= start {
        return 0;
    }
    let estimate = match period {
        Period::Days(d) => days_between(start, date) / i64::from(d.max(1)),
        Period::Months(m) => {
            let months = (i64::from(date.year()) - i64::from(start.year())) * 12 + i64::from(date.month()) - i64::from(start.month());
            months / i64::from(m.max(1))
        }
    };
    let mut k = (estimate - 1).max(0);
    while k > 0 && add_period(start, period, k) > date {
        k -= 1;
    }
    loop {
        let next = add_period(start, period, k + 1);
        // A saturated date lies beyond every real one.
        if next > date || next == Date::MAX || next <= add_period(start, period, k) {
            break;
        }
        k += 1;
    }
    k
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of Meeus, Jones
/// and Butcher): 22 March to 25 April. Good Friday is two days before, Easter Monday the day
/// after; the TARGET2 closing days and the Dutch and Italian holidays hang on it.
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let (b, c) = (y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c.div_euclid(4), c.rem_euclid(4));
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    // h < 30, l < 7 and m < 3 make n 100..=149: a day in March (from the 7th) or April.
    let n = h + l - 7 * m + 114;
    let (month, day) = (n / 31, n % 31 + 1);
    Date::new(year, month as i8, day as i8).unwrap_or(Date::MIN)
}

/// `amount` × `used` / `total`, rounded half away from zero to the cent: what part of a
/// period's price belongs to `used` of its `total` days.
pub fn prorate(amount: Money, used: i64, total: i64) -> Money {
    if total <= 0 {
        return Money::new(0, amount.currency);
    }
    let used = used.clamp(0, total);
    Money::new(div_round(i128::from(amount.minor) * i128::from(used), i128::from(total)), amount.currency)
}

/// `num / den` rounded half away from zero, saturating into `i64` (`den` > 0).
pub(crate) fn div_round(num: i128, den: i128) -> i64 {
    let q = num / den;
    let r = num % den;
    let rounded = if 2 * r.abs() >= den { q + num.signum() } else { q };
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

/// What a price covers: the whole billing period `[from, to)` it is the price of, counted in
/// whole months from `from` (`months` > 0) or, for periods of days, by days (`months` = 0).
/// Kept with every invoice line of a period, so that a part of it can be priced (and credited)
/// later exactly as the run priced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub from: Date,
    pub to: Date,
    pub months: u32,
    pub price: Money,
}

impl Rate {
    /// What `[a, b)` costs: each whole month of the rate inside it at a `months`-th of the
    /// price, the rest of a month to the day of that month (its own length), all summed exactly
    /// and rounded once. The whole rate costs exactly its price, so a period cut to whole months
    /// costs whole months (a month of a € 30.00 quarter is € 10.00), and only the days of a
    /// broken month are counted as days. Parts outside `[from, to)` cost nothing.
    pub fn price_of(&self, a: Date, b: Date) -> Money {
        let (a, b) = (a.max(self.from), b.min(self.to));
        let zero = Money::new(0, self.price.currency);
        if a >= b {
            return zero;
        }
        if a == self.from && b == self.to {
            return self.price;
        }
        if self.months == 0 {
            return prorate(self.price, days_between(a, b), days_between(self.from, self.to));
        }
        // Σ over the month slots of overlap/length, kept as an exact fraction: whole slots add
        // one, and at most two slots (the first and the last) are broken.
        let (mut whole, mut partial): (i128, Vec<(i128, i128)>) = (0, Vec::new());
        for k in 0..i64::from(self.months) {
            let s = months_after(self.from, k);
            let e = if k + 1 == i64::from(self.months) { self.to } else { months_after(self.from, k + 1) };
            let (lo, hi) = (a.max(s), b.min(e));
            if lo >= hi {
                continue;
            }
            if lo == s && hi == e {
                whole += 1;
            } else {
                partial.push((i128::from(days_between(lo, hi)), i128::from(days_between(s, e).max(1))));
            }
        }
        let (mut num, mut den) = (whole, 1i128);
        for (o, d) in partial {
            num = num * d + o * den;
            den *= d;
        }
        let price = i128::from(self.price.minor);
        Money::new(div_round(price * num, den * i128::from(self.months)), self.price.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn month_ends_and_leap_days() {
        // Ends are exclusive: a month from 31 January runs through 28 February (BGB § 188,
        // codice civile art. 2963), so the next one starts on 1 March.
        let jan31 = date(2026, 1, 31);
        assert_eq!(add_period(jan31, Period::MONTH, 1), date(2026, 3, 1));
        assert_eq!(add_period(jan31, Period::MONTH, 2), date(2026, 3, 31), "counted from the start, not from 1 March");
        assert_eq!(add_period(date(2024, 1, 31), Period::MONTH, 1), date(2024, 3, 1));
        assert_eq!(add_period(date(2024, 1, 29), Period::MONTH, 1), date(2024, 2, 29), "a leap February has the 29th");
        assert_eq!(add_period(date(2024, 2, 29), Period::YEAR, 1), date(2025, 3, 1), "a year from 29 February ends with 28 February");
        assert_eq!(add_period(date(2024, 2, 29), Period::YEAR, 4), date(2028, 2, 29));
        assert_eq!(add_period(date(2026, 11, 30), Period::QUARTER, 1), date(2027, 3, 1));
        assert_eq!(add_period(date(2026, 3, 1), Period::MONTH, 1), date(2026, 4, 1));
        assert_eq!(months_after(date(2026, 3, 31), -1), date(2026, 2, 28), "counting back clamps");
        assert_eq!(days_between(date(2024, 2, 1), date(2024, 3, 1)), 29);
    }

    #[test]
    fn arithmetic_at_the_ends_of_the_calendar_saturates_instead_of_panicking() {
        assert_eq!(add_period(date(9999, 12, 31), Period::QUARTER, 1), Date::MAX);
        assert_eq!(add_period(date(9999, 12, 31), Period::Months(1200), i64::MAX), Date::MAX);
        assert_eq!(add_period(Date::MIN, Period::Days(30), -5), Date::MIN);
        assert_eq!(plus_days(Date::MAX, 1), Date::MAX);
        assert_eq!(periods_before(date(1, 1, 1), Period::QUARTER, date(9999, 12, 31)), 39_995);
    }

    #[test]
    fn easter_sundays() {
        // Checked against python-holidays (../shared/reference/holidays_oracle.py) and
        // python-dateutil's `easter`.
        let known = [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2029, 4, 1),
            (2030, 4, 21),
            (2038, 4, 25),
            (2285, 3, 22),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), date(y, m, d), "{y}");
        }
        for y in [i16::MIN, -9999, 0, 1, 1582, 9999, i16::MAX] {
            let _ = easter_sunday(y);
        }
    }

    #[test]
    fn parses_periods_and_writes_them_back() {
        assert_eq!(Period::parse("quarter"), Ok(Period::Months(3)));
        assert_eq!(Period::parse("1 year"), Ok(Period::Months(12)));
        assert_eq!(Period::parse("30 days"), Ok(Period::Days(30)));
        for bad in ["", "0 months", "monthly", "3 weeks", "-1 month", "99999999 years"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        for p in [Period::MONTH, Period::QUARTER, Period::YEAR, Period::Months(6), Period::Months(24), Period::Days(30), Period::Days(1)] {
            assert_eq!(Period::parse(&p.to_string()), Ok(p), "{p}");
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

    #[test]
    fn whole_months_of_a_period_cost_whole_months() {
        // ECM2: € 30.00 a quarter from 15 April; the contract ends one month in.
        let q = Rate { from: date(2026, 4, 15), to: date(2026, 7, 15), months: 3, price: Money::eur(3000) };
        assert_eq!(q.price_of(date(2026, 4, 15), date(2026, 5, 15)), Money::eur(1000), "one month, not 30/91 of the quarter");
        assert_eq!(q.price_of(date(2026, 5, 15), date(2026, 7, 15)), Money::eur(2000));
        assert_eq!(q.price_of(date(2026, 4, 15), date(2026, 7, 15)), Money::eur(3000));
        // A month and 10 of the 31 days of the next (15 May – 15 June).
        assert_eq!(q.price_of(date(2026, 4, 15), date(2026, 5, 25)), Money::eur(1000 + 323));
        // A showcase renewing on 31 December, started 15 March: nine calendar months (April –
        // December) and 17 of March's 31 days, of € 180.00 a year.
        let y = Rate { from: date(2027, 1, 1), to: date(2028, 1, 1), months: 12, price: Money::eur(18000) };
        assert_eq!(y.price_of(date(2027, 3, 15), date(2028, 1, 1)), Money::eur(13500 + 823));
        // Periods of days are priced by days.
        let d = Rate { from: date(2026, 1, 1), to: date(2026, 1, 31), months: 0, price: Money::eur(3000) };
        assert_eq!(d.price_of(date(2026, 1, 1), date(2026, 1, 11)), Money::eur(1000));
        assert_eq!(d.price_of(date(2025, 1, 1), date(2025, 2, 1)), Money::eur(0), "outside the rate");
    }

    fn any_rate() -> impl Strategy<Value = Rate> {
        (
            0i32..20_000,
            prop::sample::select(vec![Period::MONTH, Period::QUARTER, Period::Months(6), Period::YEAR, Period::Days(30), Period::Days(7)]),
            -10_000_000i64..10_000_000,
            prop::bool::ANY,
        )
            .prop_map(|(start, period, price, anchored)| {
                let from = date(1990, 1, 1).checked_add(start.days()).unwrap();
                // Anchored rates run to a fixed day (31 December): aligned to calendar months.
                let from = if anchored && period == Period::YEAR { date(from.year(), 1, 1) } else { from };
                Rate { from, to: add_period(from, period, 1), months: period.months().unwrap_or(0), price: Money::eur(price) }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn periods_are_monotonic_and_anchored(days in 0i32..40_000, months in 1u32..25, k in 0i64..60) {
            let start = date(1990, 1, 1).checked_add(days.days()).unwrap();
            let p = Period::Months(months);
            let a = add_period(start, p, k);
            let b = add_period(start, p, k + 1);
            prop_assert!(b > a);
            // The day of month is kept where the month has it, else the first of the next month.
            if start.day() <= b.days_in_month() && b.day() != 1 {
                prop_assert_eq!(b.day(), start.day());
            } else {
                prop_assert!(b.day() == start.day() || (b.day() == 1 && start.day() > b.yesterday().unwrap().days_in_month()));
            }
            prop_assert_eq!(periods_before(start, p, a), k);
            prop_assert_eq!(periods_before(start, p, b.yesterday().unwrap()), k);
        }

        #[test]
        fn proration_of_parts_adds_up_within_a_cent_per_part(amount in -10_000_000i64..10_000_000, total in 1i64..400, split in 0i64..400) {
            let split = split.min(total);
            let a = prorate(Money::eur(amount), split, total);
            let b = prorate(Money::eur(amount), total - split, total);
            prop_assert!((a.minor + b.minor - amount).abs() <= 1);
            prop_assert_eq!(prorate(Money::eur(amount), total, total), Money::eur(amount));
        }

        /// The parts of any period add up to the whole (within the one cent that rounding each
        /// part on its own may cost), the price grows with the part, and a cut after whole
        /// months costs exactly whole months.
        #[test]
        fn the_parts_of_a_period_add_up_to_the_whole(rate in any_rate(), cut in 0i64..400, cut2 in 0i64..400) {
            let len = days_between(rate.from, rate.to);
            let c = plus_days(rate.from, cut % (len + 1));
            let c2 = plus_days(rate.from, cut2 % (len + 1)).max(c);
            let (a, b, z) = (rate.price_of(rate.from, c), rate.price_of(c, c2), rate.price_of(c2, rate.to));
            prop_assert!((a.minor + b.minor + z.minor - rate.price.minor).abs() <= 2);
            prop_assert_eq!(rate.price_of(rate.from, rate.to), rate.price);
            if rate.price.minor >= 0 {
                prop_assert!(a.minor <= rate.price_of(rate.from, c2).minor);
                prop_assert!(a.minor >= 0 && a.minor <= rate.price.minor);
            }
            if rate.months > 0 {
                let k = i64::from(cut as u32 % rate.months);
                let whole = months_after(rate.from, k);
                let expected = div_round(i128::from(rate.price.minor) * i128::from(k), i128::from(rate.months));
                prop_assert_eq!(rate.price_of(rate.from, whole).minor, expected);
            }
        }
    }
}
