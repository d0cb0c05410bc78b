//! Time that was up or down, cut into the buckets a report reads: UTC hours, local days and
//! local months of the provider's time zone, with the minutes of maintenance apart.
//!
//! A stretch is cut at every UTC hour, every local midnight and every edge of a maintenance
//! window, so each piece lies in exactly one hour, one day and one month; summing the pieces of
//! a month gives exactly what a count second by second gives (see the property test). A check
//! itself (its count, failure and response time) belongs to the buckets of its start.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::state::Segment;

const HOUR_MS: i64 = 3_600_000;

/// What a bucket holds. All times in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub up_ms: i64,
    pub down_ms: i64,
    /// Time inside a maintenance window (neither up nor down for the SLA).
    pub maintenance_ms: i64,
    pub checks: i64,
    pub failures: i64,
    pub latency_sum_ms: i64,
    pub latency_max_ms: i64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.up_ms += other.up_ms;
        self.down_ms += other.down_ms;
        self.maintenance_ms += other.maintenance_ms;
        self.checks += other.checks;
        self.failures += other.failures;
        self.latency_sum_ms += other.latency_sum_ms;
        self.latency_max_ms = self.latency_max_ms.max(other.latency_max_ms);
    }

    /// A check's own contribution.
    pub fn check(ok: bool, latency_ms: i64) -> Tally {
        Tally { checks: 1, failures: i64::from(!ok), latency_sum_ms: latency_ms, latency_max_ms: latency_ms, ..Tally::default() }
    }

    /// Time observed (up or down), outside maintenance.
    pub fn observed_ms(&self) -> i64 {
        self.up_ms + self.down_ms
    }
}

/// Where a piece of time (or a check) is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Buckets {
    /// The UTC hour's start, ms since the epoch.
    pub hour: i64,
    /// The provider's local date.
    pub day: Date,
}

impl Buckets {
    pub fn of(at_ms: i64, tz: &TimeZone) -> Buckets {
        Buckets { hour: at_ms.div_euclid(HOUR_MS) * HOUR_MS, day: local_date(at_ms, tz) }
    }

    /// The local month as `YYYY-MM`.
    pub fn month(&self) -> String {
        month_key(self.day)
    }
}

pub fn month_key(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

pub fn local_date(at_ms: i64, tz: &TimeZone) -> Date {
    Timestamp::from_millisecond(at_ms).map(|t| t.to_zoned(tz.clone()).date()).unwrap_or(Date::constant(1970, 1, 1))
}

/// The instant (ms) a local date begins in `tz`.
pub fn start_of_day_ms(day: Date, tz: &TimeZone) -> i64 {
    day.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or(0)
}

/// `segment` cut into pieces, each in one hour and one local day, with the part inside any of
/// `maintenance` (sorted or not, `[from, to)` ms) counted as maintenance.
pub fn cut(segment: &Segment, maintenance: &[(i64, i64)], tz: &TimeZone) -> Vec<(Buckets, Tally)> {
    let mut pieces = Vec::new();
    let mut at = segment.from;
    while at < segment.to {
        let buckets = Buckets::of(at, tz);
        let next_hour = buckets.hour + HOUR_MS;
        let next_day = buckets.day.tomorrow().map(|d| start_of_day_ms(d, tz)).unwrap_or(i64::MAX);
        let mut end = segment.to.min(next_hour).min(next_day);
        // Inside a window: up to its end; outside: up to the next window's start.
        let inside = maintenance.iter().find(|(f, t)| *f <= at && at < *t);
        match inside {
            Some((_, t)) => end = end.min(*t),
            None => {
                if let Some(f) = maintenance.iter().map(|(f, _)| *f).filter(|f| *f > at).min() {
                    end = end.min(f);
                }
            }
        }
        let span = end - at;
        let tally = match (inside.is_some(), segment.down) {
            (true, _) => Tally { maintenance_ms: span, ..Tally::default() },
            (false, true) => Tally { down_ms: span, ..Tally::default() },
            (false, false) => Tally { up_ms: span, ..Tally::default() },
        };
        match pieces.last_mut() {
            Some((b, t)) if *b == buckets => Tally::add(t, &tally),
            _ => pieces.push((buckets, tally)),
        }
        at = end;
    }
    pieces
}

#[cfg(test)]
mod tests;
