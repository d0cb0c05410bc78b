//! When a periodic task is due: "every day at 02:00 in Europe/Amsterdam", reckoned in the
//! provider's time zone so that it keeps its local time across daylight-saving changes.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// A local wall-clock time at which something happens once per calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyAt(pub Time);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time of day: write HH:MM, e.g. 02:00")]
pub struct BadTimeOfDay(pub String);

impl FromStr for DailyAt {
    type Err = BadTimeOfDay;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadTimeOfDay(s.to_string());
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: i8 = h.parse().map_err(|_| bad())?;
        let m: i8 = m.parse().map_err(|_| bad())?;
        Time::new(h, m, 0, 0).map(DailyAt).map_err(|_| bad())
    }
}

impl fmt::Display for DailyAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// One occurrence: the provider's calendar date it belongs to, and the instant it falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: Date,
    pub at: Timestamp,
}

impl DailyAt {
    /// The instant of the occurrence on local `date`. A time that does not exist that day
    /// (skipped by the spring DST change) falls due just after the gap; a time that exists twice
    /// (autumn) falls due at its first occurrence. So the task runs exactly once every day.
    pub fn on(&self, date: Date, tz: &TimeZone) -> Occurrence {
        let at = date
            .to_datetime(self.0)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            // Only out-of-range dates fail (year ±9999); treat them as the day's start in UTC.
            .unwrap_or_else(|_| date.to_datetime(self.0).to_zoned(TimeZone::UTC).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH));
        Occurrence { date, at }
    }

    /// The most recent occurrence at or before `now`.
    pub fn latest(&self, now: Timestamp, tz: &TimeZone) -> Occurrence {
        let today = now.to_zoned(tz.clone()).date();
        let occ = self.on(today, tz);
        if occ.at <= now { occ } else { self.on(previous_day(today), tz) }
    }

    /// The first occurrence strictly after `now`.
    pub fn next(&self, now: Timestamp, tz: &TimeZone) -> Occurrence {
        let latest = self.latest(now, tz);
        self.on(next_day(latest.date), tz)
    }
}

fn previous_day(d: Date) -> Date {
    d.checked_sub(1.day()).unwrap_or(d)
}

fn next_day(d: Date) -> Date {
    d.checked_add(1.day()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn ams() -> TimeZone {
        TimeZone::get("Europe/Amsterdam").unwrap()
    }

    #[test]
    fn parses_times_of_day() {
        assert_eq!("02:00".parse::<DailyAt>().unwrap().to_string(), "02:00");
        for bad in ["2:00", "24:00", "12:60", "noon", "", "12-00"] {
            assert!(bad.parse::<DailyAt>().is_err(), "{bad}");
        }
    }

    #[test]
    fn keeps_local_time_across_dst() {
        let at = "02:00".parse::<DailyAt>().unwrap();
        // Winter: CET = UTC+1.
        assert_eq!(at.on(date(2026, 1, 15), &ams()).at.to_string(), "2026-01-15T01:00:00Z");
        // Summer: CEST = UTC+2.
        assert_eq!(at.on(date(2026, 7, 15), &ams()).at.to_string(), "2026-07-15T00:00:00Z");
    }

    #[test]
    fn time_in_the_spring_gap_runs_just_after_it() {
        // 2026-03-29 02:30 does not exist in Amsterdam: clocks jump from 02:00 to 03:00.
        let at = "02:30".parse::<DailyAt>().unwrap();
        let occ = at.on(date(2026, 3, 29), &ams());
        assert_eq!(occ.at.to_string(), "2026-03-29T01:30:00Z"); // 03:30 CEST
    }

    #[test]
    fn time_in_the_autumn_fold_runs_once_at_the_first() {
        // 2026-10-25 02:30 happens twice in Amsterdam.
        let at = "02:30".parse::<DailyAt>().unwrap();
        let occ = at.on(date(2026, 10, 25), &ams());
        assert_eq!(occ.at.to_string(), "2026-10-25T00:30:00Z"); // 02:30 CEST, the first
        let second_0230 = "2026-10-25T01:30:00Z".parse::<Timestamp>().unwrap();
        assert_eq!(at.latest(second_0230, &ams()).date, date(2026, 10, 25));
        assert_eq!(at.next(second_0230, &ams()).date, date(2026, 10, 26));
    }

    #[test]
    fn latest_before_the_time_is_yesterday() {
        let at = "02:00".parse::<DailyAt>().unwrap();
        let now = "2026-11-21T00:30:00Z".parse::<Timestamp>().unwrap(); // 01:30 local
        assert_eq!(at.latest(now, &ams()).date, date(2026, 11, 20));
        let now = "2026-11-21T01:00:00Z".parse::<Timestamp>().unwrap(); // exactly 02:00 local
        assert_eq!(at.latest(now, &ams()).date, date(2026, 11, 21));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn exactly_one_occurrence_per_local_day(
            secs in 946_684_800i64..4_102_444_800i64, // 2000..2100
            hour in 0i8..24, minute in 0i8..60,
            zone in prop::sample::select(vec!["Europe/Amsterdam", "Europe/Rome", "UTC", "America/New_York", "Australia/Lord_Howe"]),
        ) {
            let tz = TimeZone::get(zone).unwrap();
            let at = DailyAt(Time::new(hour, minute, 0, 0).unwrap());
            let now = Timestamp::from_second(secs).unwrap();
            let latest = at.latest(now, &tz);
            let next = at.next(now, &tz);
            prop_assert!(latest.at <= now);
            prop_assert!(next.at > now);
            prop_assert_eq!(next.date, latest.date.checked_add(1.day()).unwrap());
            // Occurrences belong to their local date (the gap shifts forward, never into another day
            // for zones whose DST changes do not cross midnight).
            let local = latest.at.to_zoned(tz.clone());
            prop_assert!(local.date() == latest.date || zone == "Australia/Lord_Howe");
            // Between two consecutive occurrences lie 22.5 to 25.5 hours.
            let gap = next.at.as_second() - latest.at.as_second();
            prop_assert!((81_000..=91_800).contains(&gap), "gap {gap}");
        }
    }
}
