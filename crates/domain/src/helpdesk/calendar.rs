//! The provider's office calendar: when the helpdesk is staffed, in the provider's time zone.
//! A working week of opening hours (`mon-fri 08:30-18:00`), the public holidays of the countries
//! the office keeps, the provider's own closed days and longer closures (Christmas week).
//!
//! SLA targets count office time: "a first answer within 4 office hours" means four hours in
//! which the office was open. So the questions asked here are "how much office time lies between
//! these two instants" and "when will this much office time have passed", for spans of minutes
//! and of years alike. They are answered a local day at a time, never a minute at a time.
//!
//! Opening hours are wall-clock hours: the office is open whenever the clock on its wall shows a
//! time within them on an open day. On the Sunday clocks go forward the hour from 02:00 to 03:00
//! does not exist, so a 24/7 office has 23 hours that day; in autumn the hour from 02:00 to 03:00
//! is shown twice and counts twice (25 hours). Office hours by day never notice.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::ControlFlow;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

use super::HolidayCalendar;
use crate::Country;

mod holidays;
#[cfg(test)]
pub(crate) mod tests;

pub use holidays::{HOLIDAY_COUNTRIES, PublicHoliday, knows_public_holidays, public_holidays};

const DAY: i64 = 86_400;

/// An office without a single open second for ten years on end is taken to be closed for good:
/// asking it when some office time will have passed gives no answer instead of searching on to
/// the year 9999.
const GIVE_UP_AFTER: i64 = 3_653 * DAY;

/// What is wrong with a piece of the office calendar's configuration; each names the bad part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("unknown time zone `{0}`: use an IANA name such as Europe/Amsterdam or Europe/Rome")]
    TimeZone(String),
    #[error("opening hours `{part}`: {problem}")]
    Hours { part: String, problem: String },
    #[error("public holidays of `{0}` are not known: Loket knows those of NL and IT")]
    Country(String),
    #[error("closed day `{0}` is not a date: write YYYY-MM-DD, e.g. 2026-12-24")]
    ClosedDay(String),
    #[error("closure `{part}`: {problem}")]
    Closure { part: String, problem: String },
}

/// One span of opening hours within a day, in seconds after local midnight: it starts at
/// `start` and the office closes at `end` (24:00 at the latest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpenSpan {
    start: u32,
    end: u32,
}

impl OpenSpan {
    pub const WHOLE_DAY: OpenSpan = OpenSpan { start: 0, end: DAY as u32 };

    /// A span from `start_second` up to (not including) `end_second` after local midnight;
    /// `None` unless `start_second < end_second <= 86400`.
    pub fn new(start_second: u32, end_second: u32) -> Option<OpenSpan> {
        (start_second < end_second && i64::from(end_second) <= DAY).then_some(OpenSpan { start: start_second, end: end_second })
    }

    pub fn start_second(self) -> u32 {
        self.start
    }

    pub fn end_second(self) -> u32 {
        self.end
    }
}

/// Reads `08:30-18:00` (`24:00` as the end: open until midnight).
impl FromStr for OpenSpan {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s.split_once('-').ok_or_else(|| format!("`{s}` is not a span of hours: write e.g. 08:30-18:00"))?;
        let (start, end) = (clock_time(a)?, clock_time(b)?);
        OpenSpan::new(start, end).ok_or_else(|| format!("`{s}` ends before it starts: write e.g. 08:30-18:00 (24:00 for midnight)"))
    }
}

fn clock_time(s: &str) -> Result<u32, String> {
    let bad = || format!("`{s}` is not a time: write HH:MM, from 00:00 to 24:00");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let secs = h * 3600 + m * 60;
    if m < 60 && i64::from(secs) <= DAY { Ok(secs) } else { Err(bad()) }
}

fn write_clock(f: &mut fmt::Formatter<'_>, secs: u32) -> fmt::Result {
    write!(f, "{:02}:{:02}", secs / 3600, secs / 60 % 60)?;
    if !secs.is_multiple_of(60) { write!(f, ":{:02}", secs % 60) } else { Ok(()) }
}

/// Shows `08:30-18:00`, the form [`OpenSpan::from_str`] reads back (seconds only when set).
impl fmt::Display for OpenSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clock(f, self.start)?;
        f.write_str("-")?;
        write_clock(f, self.end)
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_index(name: &str) -> Option<usize> {
    let name = name.to_ascii_lowercase();
    const FULL: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    DAY_NAMES.iter().position(|d| *d == name).or_else(|| FULL.iter().position(|d| *d == name))
}

fn weekday_index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

/// The opening hours of each day of the week: none, one or more spans that do not overlap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WorkingWeek {
    days: [Vec<OpenSpan>; 7],
}

impl WorkingWeek {
    /// Closed every day: add spans with [`WorkingWeek::add`].
    pub fn closed() -> WorkingWeek {
        WorkingWeek::default()
    }

    /// Open day and night, every day.
    pub fn always() -> WorkingWeek {
        WorkingWeek { days: std::array::from_fn(|_| vec![OpenSpan::WHOLE_DAY]) }
    }

    /// Opens `span` on `day`; refused, with the span already there that it overlaps, when it
    /// overlaps one. Spans that only touch (12:00-13:00 and 13:00-17:00) are fine.
    pub fn add(&mut self, day: Weekday, span: OpenSpan) -> Result<(), OpenSpan> {
        let spans = &mut self.days[weekday_index(day)];
        if let Some(other) = spans.iter().find(|o| o.start < span.end && span.start < o.end) {
            return Err(*other);
        }
        spans.push(span);
        spans.sort();
        Ok(())
    }

    /// The spans of `day`, in order.
    pub fn spans(&self, day: Weekday) -> &[OpenSpan] {
        &self.days[weekday_index(day)]
    }

    /// No opening hours on any day.
    pub fn is_closed(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

/// Reads the opening hours as the provider writes them: parts separated by commas (or
/// semicolons), each a day or a range of days in week order and one or more spans:
/// `mon-fri 08:30-18:00`, `mon-thu 08:30-18:00, fri 08:30-17:00`,
/// `mon-fri 08:30-12:30 13:30-18:00, sat 10:00-14:00`, `sat-sun closed`. Days not named are
/// closed. `24/7` (or `always`) is open day and night; `closed` alone is never open.
impl FromStr for WorkingWeek {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, CalendarError> {
        let text = s.trim();
        match text.to_ascii_lowercase().as_str() {
            "24/7" | "always" => return Ok(WorkingWeek::always()),
            "closed" => return Ok(WorkingWeek::closed()),
            "" => {
                let problem = "no opening hours: write e.g. `mon-fri 08:30-18:00`, or `24/7`".to_string();
                return Err(CalendarError::Hours { part: String::new(), problem });
            }
            _ => {}
        }
        let mut week = WorkingWeek::closed();
        for part in text.split([',', ';']).map(str::trim) {
            let bad = |problem: String| CalendarError::Hours { part: part.chars().take(60).collect(), problem };
            let mut words = part.split_whitespace();
            let Some(days_word) = words.next() else {
                return Err(bad("nothing between two commas: write days and hours, e.g. `fri 08:30-17:00`".into()));
            };
            let days = days_of(days_word).map_err(bad)?;
            let spans: Vec<&str> = words.collect();
            if spans.is_empty() {
                return Err(bad(format!("no hours after `{days_word}`: write e.g. `{days_word} 08:30-18:00` or `{days_word} closed`")));
            }
            if spans.len() == 1 && spans[0].eq_ignore_ascii_case("closed") {
                continue;
            }
            for word in spans {
                let span: OpenSpan = word.parse().map_err(bad)?;
                for &day in &days {
                    week.add(day, span).map_err(|other| bad(format!("{span} overlaps {other} on {}", DAY_NAMES[weekday_index(day)])))?;
                }
            }
        }
        Ok(week)
    }
}

fn days_of(word: &str) -> Result<Vec<Weekday>, String> {
    let unknown = |w: &str| format!("`{w}` is not a day: write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri");
    if word.eq_ignore_ascii_case("daily") {
        return Ok((0..7).filter_map(|i| Weekday::from_monday_zero_offset(i).ok()).collect());
    }
    let (first, last) = match word.split_once('-') {
        Some((a, b)) => (day_index(a).ok_or_else(|| unknown(a))?, day_index(b).ok_or_else(|| unknown(b))?),
        None => {
            let d = day_index(word).ok_or_else(|| unknown(word))?;
            (d, d)
        }
    };
    if first > last {
        return Err(format!("`{word}` runs backwards: write the days in week order, mon to sun (e.g. sat-sun)"));
    }
    Ok((first..=last).filter_map(|i| Weekday::from_monday_zero_offset(i as i8).ok()).collect())
}

/// Shows the canonical form [`WorkingWeek::from_str`] reads back: consecutive days with the
/// same hours as one range (`mon-fri 08:30-18:00, sat 10:00-14:00`), `24/7`, or `closed`.
impl fmt::Display for WorkingWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == WorkingWeek::always() {
            return f.write_str("24/7");
        }
        if self.is_closed() {
            return f.write_str("closed");
        }
        let mut first_part = true;
        let mut i = 0;
        while i < 7 {
            let mut j = i;
            while j + 1 < 7 && self.days[j + 1] == self.days[i] {
                j += 1;
            }
            if !self.days[i].is_empty() {
                f.write_str(if first_part { "" } else { ", " })?;
                first_part = false;
                f.write_str(DAY_NAMES[i])?;
                if j > i {
                    write!(f, "-{}", DAY_NAMES[j])?;
                }
                for span in &self.days[i] {
                    write!(f, " {span}")?;
                }
            }
            i = j + 1;
        }
        Ok(())
    }
}

/// Reads a date written `YYYY-MM-DD`, and nothing else.
fn iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    Date::new(s[0..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?).ok()
}

/// One of the provider's own closed days, written `2026-12-24`.
pub fn parse_closed_day(s: &str) -> Result<Date, CalendarError> {
    iso_date(s.trim()).ok_or_else(|| CalendarError::ClosedDay(s.chars().take(40).collect()))
}

/// A closure: the office is closed from `first` up to and including `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Closure {
    pub first: Date,
    pub last: Date,
}

impl Closure {
    pub fn contains(&self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }
}

/// Reads `2026-12-24..2027-01-01` (both days closed) or a single day `2026-12-24`.
impl FromStr for Closure {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, CalendarError> {
        let part = s.trim();
        let bad = |problem: &str| CalendarError::Closure { part: part.chars().take(40).collect(), problem: problem.to_string() };
        let (a, b) = part.split_once("..").unwrap_or((part, part));
        let how = "write the first and the last closed day, e.g. 2026-12-24..2027-01-01";
        let (first, last) = (iso_date(a.trim()).ok_or_else(|| bad(how))?, iso_date(b.trim()).ok_or_else(|| bad(how))?);
        if last < first {
            return Err(bad("the last day comes before the first"));
        }
        Ok(Closure { first, last })
    }
}

impl fmt::Display for Closure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last { write!(f, "{}", self.first) } else { write!(f, "{}..{}", self.first, self.last) }
    }
}

/// The office calendar as the provider writes it (`[helpdesk.office]` in a configuration file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeSpec {
    /// The office's IANA time zone, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// Opening hours, e.g. `mon-thu 08:30-18:00, fri 08:30-17:00`, or `24/7`.
    pub hours: String,
    /// Countries whose public holidays close the office: `["NL"]`, `["NL", "IT"]`.
    #[serde(default)]
    pub public_holidays: Vec<String>,
    /// The provider's own closed days: `["2026-12-24", "2026-12-31"]`.
    #[serde(default)]
    pub closed_days: Vec<String>,
    /// Longer closures, both ends closed: `["2026-12-24..2027-01-01"]`.
    #[serde(default)]
    pub closures: Vec<String>,
}

/// Why the office stays closed all day, whatever its opening hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedBecause {
    PublicHoliday { country: Country, key: &'static str },
    ClosedDay,
    Closure(Closure),
}

/// The provider's office calendar: time zone, working week, public holidays, own closed days
/// and closures. All instants are counted to the second; parts of a second are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeCalendar {
    tz: TimeZone,
    week: WorkingWeek,
    countries: Vec<Country>,
    closed_days: BTreeSet<Date>,
    closures: Vec<Closure>,
}

impl OfficeCalendar {
    /// An office in `tz` open `week`, with no holidays yet.
    pub fn new(tz: TimeZone, week: WorkingWeek) -> OfficeCalendar {
        OfficeCalendar { tz, week, countries: Vec::new(), closed_days: BTreeSet::new(), closures: Vec::new() }
    }

    /// Open day and night, every day of the year (24/7 plans): office time is plain time.
    pub fn always() -> OfficeCalendar {
        OfficeCalendar::new(TimeZone::UTC, WorkingWeek::always())
    }

    /// Closes the office on the public holidays of `countries`; refused for a country whose
    /// holidays Loket does not know.
    pub fn with_public_holidays(mut self, countries: &[Country]) -> Result<OfficeCalendar, CalendarError> {
        for &c in countries {
            if !knows_public_holidays(c) {
                return Err(CalendarError::Country(c.to_string()));
            }
            if !self.countries.contains(&c) {
                self.countries.push(c);
            }
        }
        Ok(self)
    }

    /// Closes the office on each of `days`.
    pub fn with_closed_days(mut self, days: impl IntoIterator<Item = Date>) -> OfficeCalendar {
        self.closed_days.extend(days);
        self
    }

    /// Closes the office during each of `closures`.
    pub fn with_closures(mut self, closures: impl IntoIterator<Item = Closure>) -> OfficeCalendar {
        self.closures.extend(closures);
        self.closures.sort();
        self
    }

    /// Reads the calendar as configured; the first bad part is named in the error.
    pub fn from_spec(spec: &OfficeSpec) -> Result<OfficeCalendar, CalendarError> {
        let tz = TimeZone::get(spec.time_zone.trim()).map_err(|_| CalendarError::TimeZone(spec.time_zone.chars().take(60).collect()))?;
        let week: WorkingWeek = spec.hours.parse()?;
        let countries = spec
            .public_holidays
            .iter()
            .map(|c| c.parse::<Country>().map_err(|_| CalendarError::Country(c.chars().take(20).collect())))
            .collect::<Result<Vec<_>, _>>()?;
        let days = spec.closed_days.iter().map(|d| parse_closed_day(d)).collect::<Result<Vec<_>, _>>()?;
        let closures = spec.closures.iter().map(|c| c.parse()).collect::<Result<Vec<Closure>, _>>()?;
        Ok(OfficeCalendar::new(tz, week).with_public_holidays(&countries)?.with_closed_days(days).with_closures(closures))
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    pub fn week(&self) -> &WorkingWeek {
        &self.week
    }

    pub fn public_holiday_countries(&self) -> &[Country] {
        &self.countries
    }

    pub fn closed_days(&self) -> &BTreeSet<Date> {
        &self.closed_days
    }

    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// Why the office is closed all of `date` (whatever its opening hours): a public holiday of
    /// one of its countries, one of its own closed days, or a closure; `None` on a normal day.
    pub fn closed_because(&self, date: Date) -> Option<ClosedBecause> {
        for &country in &self.countries {
            if let Some(h) = public_holidays(country, date.year()).into_iter().find(|h| h.date == date) {
                return Some(ClosedBecause::PublicHoliday { country, key: h.key });
            }
        }
        if self.closed_days.contains(&date) {
            return Some(ClosedBecause::ClosedDay);
        }
        self.closures.iter().find(|c| c.contains(date)).map(|c| ClosedBecause::Closure(*c))
    }

    /// Whether the office is open at `at`.
    pub fn is_open(&self, at: Timestamp) -> bool {
        let local = self.tz.to_datetime(at);
        let t = local.time();
        let secs = t.hour() as u32 * 3600 + t.minute() as u32 * 60 + t.second() as u32;
        let open_hours = self.week.spans(local.date().weekday()).iter().any(|s| s.start <= secs && secs < s.end);
        open_hours && self.closed_because(local.date()).is_none()
    }

    /// Seconds of office time from `from` to `to`; 0 when `to` is not after `from`.
    pub fn open_seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        let mut total = 0;
        self.walk(from.as_second(), to.as_second(), |start, end| {
            total += end - start;
            ControlFlow::Continue(())
        });
        total
    }

    /// The instant at which `seconds` of office time have passed after `from`: the earliest `t`
    /// with `open_seconds_between(from, t) == seconds`. So a deadline falls at the close of the
    /// office when its time runs out just then, not at the next opening. `from` itself for 0 (or
    /// less); `None` when the office will not be open long enough (closed for good).
    pub fn add_open_seconds(&self, from: Timestamp, seconds: i64) -> Option<Timestamp> {
        let from_second = from.as_second();
        if seconds <= 0 {
            return Some(to_timestamp(from_second));
        }
        let mut left = seconds;
        let mut found = None;
        self.walk(from_second, Timestamp::MAX.as_second(), |start, end| {
            if end - start >= left {
                found = Some(start + left);
                return ControlFlow::Break(());
            }
            left -= end - start;
            ControlFlow::Continue(())
        });
        found.map(to_timestamp)
    }

    /// The first instant at or after `at` at which the office is open; `None` when it never
    /// opens again.
    pub fn next_open(&self, at: Timestamp) -> Option<Timestamp> {
        let mut found = None;
        self.walk(at.as_second(), Timestamp::MAX.as_second(), |start, _| {
            found = Some(start);
            ControlFlow::Break(())
        });
        found.map(to_timestamp)
    }

    /// Calls `f` with each stretch of office time within `[from, until)`, in order, as Unix
    /// seconds `[start, end)`, until `f` breaks.
    ///
    /// The timeline is cut at the zone's offset changes; within one piece local time is the
    /// instant plus a fixed offset, so each local day's spans become instants by arithmetic and
    /// the stretches come out in order even when a change moves the clock back over midnight.
    fn walk(&self, from: i64, until: i64, mut f: impl FnMut(i64, i64) -> ControlFlow<()>) {
        if self.week.is_closed() {
            return;
        }
        let until = until.min(Timestamp::MAX.as_second());
        let mut holidays: Option<(i16, Vec<Date>)> = None;
        let mut last_open = from;
        let mut piece_start = from;
        while piece_start < until {
            let at = to_timestamp(piece_start);
            let offset = i64::from(self.tz.to_offset(at).seconds());
            // A transition comes strictly after `at` (`piece_start < until`, so the clamp is sound).
            let piece_end = self.tz.following(at).next().map_or(until, |t| t.timestamp().as_second().clamp(piece_start + 1, until));
            let mut day = (piece_start + offset).div_euclid(DAY);
            let Some(mut date) = date_of_day(day) else { return };
            loop {
                let day_start = day * DAY - offset;
                if day_start >= piece_end {
                    break;
                }
                if day_start - last_open > GIVE_UP_AFTER {
                    return;
                }
                let spans = self.week.spans(date.weekday());
                if !spans.is_empty() && !self.closed_cached(date, &mut holidays) {
                    for span in spans {
                        let start = (day_start + i64::from(span.start)).max(piece_start);
                        let end = (day_start + i64::from(span.end)).min(piece_end);
                        if start < end {
                            last_open = end;
                            if f(start, end).is_break() {
                                return;
                            }
                        }
                    }
                }
                day += 1;
                let Ok(next) = date.tomorrow() else { return };
                date = next;
            }
            piece_start = piece_end;
        }
    }

    /// [`OfficeCalendar::closed_because`] as a yes or no, computing a year's public holidays
    /// once for all its days.
    fn closed_cached(&self, date: Date, holidays: &mut Option<(i16, Vec<Date>)>) -> bool {
        if !self.countries.is_empty() {
            if holidays.as_ref().is_none_or(|(year, _)| *year != date.year()) {
                let days = self.countries.iter().flat_map(|&c| public_holidays(c, date.year())).map(|h| h.date).collect();
                *holidays = Some((date.year(), days));
            }
            if holidays.as_ref().is_some_and(|(_, days)| days.contains(&date)) {
                return true;
            }
        }
        self.closed_days.contains(&date) || self.closures.iter().any(|c| c.contains(date))
    }
}

/// Closed on public holidays, own closed days and closures (the helpdesk's other rules ask this).
impl HolidayCalendar for OfficeCalendar {
    fn is_holiday(&self, date: Date) -> bool {
        self.closed_because(date).is_some()
    }
}

/// The calendar date of day number `day` since 1970-01-01.
fn date_of_day(day: i64) -> Option<Date> {
    let at = Timestamp::from_second(day.checked_mul(DAY)?).ok()?;
    Some(Offset::UTC.to_datetime(at).date())
}

fn to_timestamp(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap_or(if second < 0 { Timestamp::MIN } else { Timestamp::MAX })
}
