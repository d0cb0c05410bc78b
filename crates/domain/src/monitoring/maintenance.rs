//! Maintenance windows: a local start in the provider's time zone and a length, once or
//! repeated daily, weekly or monthly (on the same day of the month; a month without that day
//! has none). A start that falls in a DST gap moves forward as the clock does.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::named;

named!(
    /// How often a window comes back.
    Repeat {
        Once = "once",
        Daily = "daily",
        Weekly = "weekly",
        Monthly = "monthly",
    }
);

/// The longest a single window may last.
pub const MAX_WINDOW_SECS: i64 = 7 * 86_400;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Local date and time of the (first) start.
    pub starts: DateTime,
    pub duration_secs: i64,
    pub repeat: Repeat,
    /// The last local date an occurrence may start on.
    pub until: Option<Date>,
}

/// A window as written: `starts = "2026-12-06 02:00"`, `duration = "2 hours"`,
/// `repeat = "weekly"`, `until = "2027-06-30"`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WindowInput {
    pub starts: String,
    pub duration: String,
    pub repeat: Option<String>,
    pub until: Option<String>,
}

impl WindowInput {
    pub fn check(&self, prefix: &str) -> Result<Window, Vec<FieldError>> {
        let f = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        let mut errors = Vec::new();
        let starts = self.starts.trim().replace('T', " ");
        let starts = match DateTime::strptime("%Y-%m-%d %H:%M", &starts) {
            Ok(d) if (2000..=2099).contains(&d.year()) => Some(d),
            _ => {
                errors.push(FieldError::new(f("starts"), "a local date and time like \"2026-12-06 02:00\""));
                None
            }
        };
        let duration = match crate::input::duration(&f("duration"), &self.duration) {
            Ok(d) if d.as_secs() >= 60 && d.as_secs() <= MAX_WINDOW_SECS => Some(d.as_secs()),
            Ok(_) => {
                errors.push(FieldError::new(f("duration"), "a window lasts between 1 minute and 7 days"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let repeat = match self.repeat.as_deref() {
            None => Some(Repeat::Once),
            Some(r) => Repeat::parse(r).or_else(|| {
                errors.push(FieldError::new(f("repeat"), format!("one of {}", Repeat::names())));
                None
            }),
        };
        let until = match self.until.as_deref() {
            None => None,
            Some(u) => match crate::input::date(&f("until"), u) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if let (Some(s), Some(u)) = (starts, until)
            && u < s.date()
        {
            errors.push(FieldError::new(f("until"), "the last day is on or after the first start"));
        }
        match (starts, duration, repeat) {
            (Some(starts), Some(duration_secs), Some(repeat)) if errors.is_empty() => Ok(Window { starts, duration_secs, repeat, until }),
            _ => Err(errors),
        }
    }
}

impl Window {
    fn step(&self, n: i64) -> Option<DateTime> {
        let span: Span = match self.repeat {
            Repeat::Once => return (n == 0).then_some(self.starts),
            Repeat::Daily => n.days(),
            Repeat::Weekly => (n * 7).days(),
            Repeat::Monthly => n.months(),
        };
        let next = self.starts.checked_add(span).ok()?;
        // A month without the day (31 January + 1 month) has no occurrence.
        (self.repeat != Repeat::Monthly || next.day() == self.starts.day()).then_some(next)
    }

    /// The occurrences `[from, to)` (ms since the epoch) that overlap `[from_ms, to_ms)`.
    pub fn occurrences(&self, tz: &TimeZone, from_ms: i64, to_ms: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let first_ms = local_ms(self.starts, tz);
        if first_ms >= to_ms {
            return out;
        }
        let period_days = match self.repeat {
            Repeat::Once => 0,
            Repeat::Daily => 1,
            Repeat::Weekly => 7,
            Repeat::Monthly => 28,
        };
        // Skip ahead close to `from_ms` without stepping one by one through years.
        let mut n = if period_days == 0 || from_ms <= first_ms {
            0
        } else {
            ((from_ms - first_ms - self.duration_secs * 1000) / (period_days * 86_400_000 + 3_600_000) - 1).max(0)
        };
        if self.repeat == Repeat::Monthly {
            n /= 2; // months are longer than 28 days: err on the early side
        }
        for _ in 0..10_000 {
            let Some(start) = self.step(n) else {
                if self.repeat == Repeat::Once || n > 1_200 {
                    break;
                }
                n += 1;
                continue;
            };
            if self.until.is_some_and(|u| start.date() > u) {
                break;
            }
            let s = local_ms(start, tz);
            if s >= to_ms {
                break;
            }
            let e = s + self.duration_secs * 1000;
            if e > from_ms {
                out.push((s.max(from_ms), e.min(to_ms)));
            }
            if self.repeat == Repeat::Once {
                break;
            }
            n += 1;
        }
        out
    }
}

fn local_ms(at: DateTime, tz: &TimeZone) -> i64 {
    tz.to_ambiguous_zoned(at).compatible().map(|z| z.timestamp().as_millisecond()).unwrap_or(i64::MAX)
}

/// Windows merged where they overlap, sorted.
pub fn merge(mut spans: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    spans.sort();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (f, t) in spans {
        match out.last_mut() {
            Some((_, end)) if f <= *end => *end = (*end).max(t),
            _ => out.push((f, t)),
        }
    }
    out
}

/// Now as ms, for callers holding a `Timestamp`.
pub fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ams() -> TimeZone {
        TimeZone::get("Europe/Amsterdam").unwrap()
    }

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn weekly_windows_keep_local_time_across_dst() {
        let w = WindowInput { starts: "2026-10-18 02:00".into(), duration: "2 hours".into(), repeat: Some("weekly".into()), until: None }
            .check("")
            .unwrap();
        let got = w.occurrences(&ams(), at("2026-10-01T00:00:00Z"), at("2026-11-02T00:00:00Z"));
        assert_eq!(
            got,
            [
                (at("2026-10-18T00:00:00Z"), at("2026-10-18T02:00:00Z")),
                // 25 October: summer time ends at 03:00; 02:00 happens twice, compatible = the first.
                (at("2026-10-25T00:00:00Z"), at("2026-10-25T02:00:00Z")),
                (at("2026-11-01T01:00:00Z"), at("2026-11-01T03:00:00Z")),
            ]
        );
    }

    #[test]
    fn monthly_windows_skip_months_without_the_day_and_stop_at_until() {
        let w = WindowInput {
            starts: "2026-01-31 23:00".into(),
            duration: "1 hour".into(),
            repeat: Some("monthly".into()),
            until: Some("2026-06-30".into()),
        }
        .check("")
        .unwrap();
        let got = w.occurrences(&ams(), at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
        let starts: Vec<String> =
            got.iter().map(|(s, _)| Timestamp::from_millisecond(*s).unwrap().to_zoned(ams()).date().to_string()).collect();
        assert_eq!(starts, ["2026-01-31", "2026-03-31", "2026-05-31"]);
        // Asked about a late year only, the skip-ahead still finds each occurrence.
        let daily =
            WindowInput { starts: "2026-01-01 03:00".into(), duration: "30 minutes".into(), repeat: Some("daily".into()), until: None }
                .check("")
                .unwrap();
        assert_eq!(daily.occurrences(&ams(), at("2029-03-01T00:00:00Z"), at("2029-03-04T00:00:00Z")).len(), 3);
    }

    #[test]
    fn bad_windows_are_named() {
        let e =
            WindowInput { starts: "tomorrow".into(), duration: "9 days".into(), repeat: Some("yearly".into()), until: Some("x".into()) }
                .check("maintenance.0")
                .unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["maintenance.0.starts", "maintenance.0.duration", "maintenance.0.repeat", "maintenance.0.until"]);
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(merge(vec![(5, 9), (1, 3), (2, 6), (10, 11)]), [(1, 9), (10, 11)]);
    }
}
