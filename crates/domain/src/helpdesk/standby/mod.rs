//! The standby regime: what it costs to have the provider on call outside office hours, priced
//! to the minute in the provider's time zone.
//!
//! A standby span (local start to local end) is cut where its category changes:
//!
//! - a public holiday (per [`HolidayCalendar`]) is [`StandbyCategory::Holiday`] for the whole
//!   local day, 00:00 to 24:00, whatever the weekday;
//! - otherwise Saturday and Sunday between the office start and end (08:30–18:00) are
//!   [`StandbyCategory::Weekend`];
//! - otherwise the time from the office end to the office start (18:00–08:30), weekend nights
//!   too, is [`StandbyCategory::EveningNight`];
//! - what is left, a working day's office hours, is not standby: it is kept in the quote as a
//!   [`StandbyCategory::OfficeHours`] part priced 0, so that a span such as Friday 16:00 to
//!   Monday 08:30 can be quoted as agreed and shows where standby begins.
//!
//! A holiday does not reach into the nights next to it: the evening before it ends at 00:00
//! and the night after it starts at 00:00, each an evening/night part of its own.
//!
//! Consecutive time of one category is one part (a night running over midnight is one part; two
//! holidays in a row are one part). Each part is billed for its real elapsed minutes (a night
//! across the spring DST change is an hour shorter, across the autumn change an hour longer),
//! at least the category's minimum, at the category's percentage of the hourly rate, rounded
//! half up to the cent once per part. A call-out during the span is billed on top: the time
//! worked, at least the minimum, at the call-out percentage, rounded once per call-out. Each
//! call-out stands alone (two calls within the hour are two minimums). A call in office hours
//! is regular support, not a standby call-out, and is refused; so is one outside the span
//! (the span's end is outside it).
//!
//! Local times given (the span's start and end, a call-out's time) must be whole minutes. One
//! that does not exist (the spring gap) is refused, naming which; one that exists twice (the
//! autumn fold) is taken at its first, earlier, occurrence. A category boundary the clocks skip
//! (office hours starting at 02:30, a zone that jumps at midnight) falls at the jump; one they
//! pass twice, at its first pass.
//!
//! Only cutting a span where the category changes leaves the price alone: the two quotes have
//! exactly the parts of the whole. Cutting inside a part (a night at midnight) can cost more,
//! because each half then has its own minimum and its own rounding.

#[cfg(test)]
mod tests;

use jiff::civil::{DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use super::HolidayCalendar;
use crate::money::{Money, MoneyError};
use crate::provider::FieldError;

/// The longest span one quote covers, in local calendar days.
pub const MAX_SPAN_DAYS: i32 = 31;
/// The highest percentage of the hourly rate a regime may charge.
pub const MAX_PERCENT: u16 = 1000;
/// The longest minimum, response time or minimum worked time a regime may set: a day.
pub const MAX_TERM_MINUTES: u32 = 24 * 60;
/// The most minutes worked one call-out may bill.
pub const MAX_WORKED_MINUTES: u32 = MAX_SPAN_DAYS as u32 * 24 * 60;

/// What a stretch of the standby span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandbyCategory {
    /// A working day's office hours: regular support, not standby; priced 0.
    OfficeHours,
    /// From the office end to the office start, every day that is not a holiday.
    EveningNight,
    /// Saturday and Sunday during office hours.
    Weekend,
    /// A public holiday or closed day, 00:00 to 24:00.
    Holiday,
}

/// What one category costs: a percentage of the hourly rate, and the least minutes billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRate {
    pub percent: u16,
    pub minimum_minutes: u32,
}

/// What a call during standby brings with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalloutTerms {
    /// Action starts within this many minutes of the call.
    pub response_minutes: u32,
    /// Time worked is billed for at least this many minutes.
    pub minimum_worked_minutes: u32,
    /// Time worked is billed at this percentage of the hourly rate, on top of the standby rate.
    pub percent: u16,
}

impl CalloutTerms {
    /// The minutes to bill for `minutes` more worked on a call-out that already had
    /// `worked_before` minutes logged: the minimum applies once per call-out, not per entry
    /// (two entries of 20 minutes are one hour, not two).
    pub fn billed_minutes(&self, worked_before: u32, minutes: u32) -> u32 {
        let billed_before = if worked_before == 0 { 0 } else { worked_before.max(self.minimum_worked_minutes) };
        worked_before.saturating_add(minutes).max(self.minimum_worked_minutes).saturating_sub(billed_before)
    }
}

/// The provider's standby regime. Check it with [`StandbyRegime::validate`]; [`price`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandbyRegime {
    /// Office hours on working days (Monday to Friday, not a holiday): from `office_start`...
    pub office_start: Time,
    /// ...to `office_end`, local time.
    pub office_end: Time,
    pub weekend: CategoryRate,
    pub evening_night: CategoryRate,
    pub holiday: CategoryRate,
    pub callout: CalloutTerms,
}

impl Default for StandbyRegime {
    fn default() -> Self {
        StandbyRegime::seed_003()
    }
}

impl StandbyRegime {
    /// The regime of seed provider 003: office hours 08:30–18:00; weekend 50 % with at least
    /// 4 hours, evening/night 100 % with at least 2 hours, holiday 100 % with at least 8 hours;
    /// a call-out answered within 30 minutes, the time worked billed at 100 %, at least an hour.
    pub const fn seed_003() -> Self {
        StandbyRegime {
            office_start: Time::constant(8, 30, 0, 0),
            office_end: Time::constant(18, 0, 0, 0),
            weekend: CategoryRate { percent: 50, minimum_minutes: 4 * 60 },
            evening_night: CategoryRate { percent: 100, minimum_minutes: 2 * 60 },
            holiday: CategoryRate { percent: 100, minimum_minutes: 8 * 60 },
            callout: CalloutTerms { response_minutes: 30, minimum_worked_minutes: 60, percent: 100 },
        }
    }

    /// Every problem, each naming its field as written in the configuration.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        for (field, t) in [("office_start", self.office_start), ("office_end", self.office_end)] {
            if t.second() != 0 || t.subsec_nanosecond() != 0 {
                e.push(FieldError::new(field, "a time in whole minutes, e.g. 08:30"));
            }
        }
        if self.office_end <= self.office_start {
            e.push(FieldError::new("office_end", "must come after office_start (office hours within one day)"));
        }
        let percent = |field: &str, p: u16, e: &mut Vec<FieldError>| {
            if p > MAX_PERCENT {
                e.push(FieldError::new(field, format!("0 to {MAX_PERCENT} percent of the hourly rate, not {p}")));
            }
        };
        let minutes = |field: &str, m: u32, e: &mut Vec<FieldError>| {
            if m > MAX_TERM_MINUTES {
                e.push(FieldError::new(field, format!("at most {MAX_TERM_MINUTES} minutes (24 hours), not {m}")));
            }
        };
        for (name, rate) in [("weekend", self.weekend), ("evening_night", self.evening_night), ("holiday", self.holiday)] {
            percent(&format!("{name}.percent"), rate.percent, &mut e);
            minutes(&format!("{name}.minimum_minutes"), rate.minimum_minutes, &mut e);
        }
        percent("callout.percent", self.callout.percent, &mut e);
        minutes("callout.response_minutes", self.callout.response_minutes, &mut e);
        minutes("callout.minimum_worked_minutes", self.callout.minimum_worked_minutes, &mut e);
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    /// The rate of a category; office hours cost nothing and have no minimum.
    pub fn rate(&self, category: StandbyCategory) -> CategoryRate {
        match category {
            StandbyCategory::OfficeHours => CategoryRate { percent: 0, minimum_minutes: 0 },
            StandbyCategory::EveningNight => self.evening_night,
            StandbyCategory::Weekend => self.weekend,
            StandbyCategory::Holiday => self.holiday,
        }
    }

    /// The category of the minute starting at local time `local`.
    pub fn category_at(&self, holidays: &impl HolidayCalendar, local: DateTime) -> StandbyCategory {
        if holidays.is_holiday(local.date()) {
            return StandbyCategory::Holiday;
        }
        let time = local.time();
        if time < self.office_start || time >= self.office_end {
            return StandbyCategory::EveningNight;
        }
        match local.weekday() {
            Weekday::Saturday | Weekday::Sunday => StandbyCategory::Weekend,
            _ => StandbyCategory::OfficeHours,
        }
    }
}

/// A call during the standby span: when (local time) and how long was worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callout {
    pub at: DateTime,
    pub worked_minutes: u32,
}

/// One stretch of a single category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandbyPart {
    pub category: StandbyCategory,
    /// Local start and end, as the provider's clock shows them.
    pub start: DateTime,
    pub end: DateTime,
    /// The same moments as instants (a local time in the autumn fold is shown twice a year).
    pub start_instant: Timestamp,
    pub end_instant: Timestamp,
    /// Real elapsed minutes.
    pub minutes: u32,
    pub minimum_minutes: u32,
    /// The greater of `minutes` and `minimum_minutes`; 0 for office hours, which are not standby.
    pub billed_minutes: u32,
    pub percent: u16,
    pub price: Money,
}

/// What one call-out costs on top of the standby.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalloutCharge {
    pub at: DateTime,
    pub at_instant: Timestamp,
    /// The category of the part the call falls in.
    pub category: StandbyCategory,
    /// Action starts by then: the response time after the call, in real minutes, local time.
    pub respond_by: DateTime,
    pub respond_by_instant: Timestamp,
    pub worked_minutes: u32,
    /// The greater of `worked_minutes` and the regime's minimum.
    pub billed_minutes: u32,
    pub percent: u16,
    pub price: Money,
}

/// The price of a standby span: its parts in order, the call-outs in the order given, totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandbyQuote {
    pub hourly_rate: Money,
    pub parts: Vec<StandbyPart>,
    pub callouts: Vec<CalloutCharge>,
    /// The sum of the parts' prices.
    pub standby_total: Money,
    /// The sum of the call-outs' prices.
    pub callout_total: Money,
    /// `standby_total` plus `callout_total`.
    pub total: Money,
}

/// Which given local time an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    Start,
    End,
    /// The call-out at this index (from 0) of the list given; shown counting from 1.
    Callout(usize),
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Moment::Start => f.write_str("the start"),
            Moment::End => f.write_str("the end"),
            Moment::Callout(i) => write!(f, "call-out {}", i + 1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StandbyError {
    #[error("the standby regime is not valid: {}", field_list(.0))]
    Regime(Vec<FieldError>),
    #[error("the hourly rate must be more than zero, not {0}")]
    RateNotPositive(Money),
    #[error("the end ({end}) must come after the start ({start})")]
    EndNotAfterStart { start: DateTime, end: DateTime },
    #[error("{start} to {end} is longer than {MAX_SPAN_DAYS} days: quote it in parts")]
    TooLong { start: DateTime, end: DateTime },
    #[error("{which} ({local}) is not a whole minute: standby is priced to the minute")]
    NotWholeMinute { which: Moment, local: DateTime },
    #[error("{which} ({local}) does not exist in {zone}: the clocks skip it when daylight saving time starts")]
    InGap { which: Moment, local: DateTime, zone: String },
    #[error("{which} ({local}) is outside the standby span {start} to {end}")]
    CalloutOutsideSpan { which: Moment, local: DateTime, start: DateTime, end: DateTime },
    #[error("{which} ({local}) falls in office hours: that is regular support, not a standby call-out")]
    CalloutInOfficeHours { which: Moment, local: DateTime },
    #[error("{which}: at most {MAX_WORKED_MINUTES} minutes worked, not {worked}")]
    TooMuchWorked { which: Moment, worked: u32 },
    #[error("a date is outside the supported range")]
    OutOfRange,
    #[error("amount out of range")]
    Overflow,
    /// Every amount is in the hourly rate's currency, so sums cannot mix currencies; kept so a
    /// sum reports instead of panicking.
    #[error(transparent)]
    Money(MoneyError),
}

fn field_list(errors: &[FieldError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Prices the standby from local `start` to local `end` (in `tz`), with the call-outs made
/// during it. See the module documentation for the rules.
pub fn price(
    regime: &StandbyRegime,
    hourly_rate: Money,
    tz: &TimeZone,
    holidays: &impl HolidayCalendar,
    start: DateTime,
    end: DateTime,
    callouts: &[Callout],
) -> Result<StandbyQuote, StandbyError> {
    regime.validate().map_err(StandbyError::Regime)?;
    if hourly_rate.minor <= 0 {
        return Err(StandbyError::RateNotPositive(hourly_rate));
    }
    if end <= start {
        return Err(StandbyError::EndNotAfterStart { start, end });
    }
    let limit = start.checked_add(MAX_SPAN_DAYS.days()).map_err(|_| StandbyError::OutOfRange)?;
    if end > limit {
        return Err(StandbyError::TooLong { start, end });
    }
    let start_instant = given_instant(tz, start, Moment::Start)?;
    let end_instant = given_instant(tz, end, Moment::End)?;

    let mut parts = Vec::new();
    for (category, from, to) in stretches(regime, tz, holidays, (start, start_instant), (end, end_instant))? {
        let rate = regime.rate(category);
        let minutes = minutes_between(from, to)?;
        let billed_minutes = if category == StandbyCategory::OfficeHours { 0 } else { minutes.max(rate.minimum_minutes) };
        parts.push(StandbyPart {
            category,
            start: tz.to_datetime(from),
            end: tz.to_datetime(to),
            start_instant: from,
            end_instant: to,
            minutes,
            minimum_minutes: rate.minimum_minutes,
            billed_minutes,
            percent: rate.percent,
            price: charge(hourly_rate, billed_minutes, rate.percent)?,
        });
    }

    let mut charges = Vec::with_capacity(callouts.len());
    for (i, callout) in callouts.iter().enumerate() {
        let which = Moment::Callout(i);
        if callout.worked_minutes > MAX_WORKED_MINUTES {
            return Err(StandbyError::TooMuchWorked { which, worked: callout.worked_minutes });
        }
        let at = given_instant(tz, callout.at, which)?;
        let outside = || StandbyError::CalloutOutsideSpan { which, local: callout.at, start, end };
        let part = parts.iter().find(|p| p.start_instant <= at && at < p.end_instant).ok_or_else(outside)?;
        if part.category == StandbyCategory::OfficeHours {
            return Err(StandbyError::CalloutInOfficeHours { which, local: callout.at });
        }
        let respond_by_instant =
            at.checked_add(i64::from(regime.callout.response_minutes).minutes()).map_err(|_| StandbyError::OutOfRange)?;
        let billed_minutes = callout.worked_minutes.max(regime.callout.minimum_worked_minutes);
        charges.push(CalloutCharge {
            at: callout.at,
            at_instant: at,
            category: part.category,
            respond_by: tz.to_datetime(respond_by_instant),
            respond_by_instant,
            worked_minutes: callout.worked_minutes,
            billed_minutes,
            percent: regime.callout.percent,
            price: charge(hourly_rate, billed_minutes, regime.callout.percent)?,
        });
    }

    let zero = Money::zero(hourly_rate.currency);
    let standby_total = parts.iter().try_fold(zero, |sum, p| add(sum, p.price))?;
    let callout_total = charges.iter().try_fold(zero, |sum, c| add(sum, c.price))?;
    let total = add(standby_total, callout_total)?;
    Ok(StandbyQuote { hourly_rate, parts, callouts: charges, standby_total, callout_total, total })
}

/// The span cut into stretches of one category each, as instants, merged where the category
/// stays the same; no stretch is empty.
fn stretches(
    regime: &StandbyRegime,
    tz: &TimeZone,
    holidays: &impl HolidayCalendar,
    (start, start_instant): (DateTime, Timestamp),
    (end, end_instant): (DateTime, Timestamp),
) -> Result<Vec<(StandbyCategory, Timestamp, Timestamp)>, StandbyError> {
    // Every local time inside the span where the category may change: each day's 00:00, office
    // start and office end. Between two of them the category is that of the first.
    let mut cuts = vec![(start, start_instant)];
    let mut day = start.date();
    loop {
        for t in [Time::midnight(), regime.office_start, regime.office_end] {
            let cut = day.to_datetime(t);
            if start < cut && cut < end && cuts.last().is_none_or(|(last, _)| *last < cut) {
                cuts.push((cut, boundary_instant(tz, cut)?));
            }
        }
        if day >= end.date() {
            break;
        }
        day = day.tomorrow().map_err(|_| StandbyError::OutOfRange)?;
    }
    cuts.push((end, end_instant));

    let mut out: Vec<(StandbyCategory, Timestamp, Timestamp)> = Vec::new();
    for w in cuts.windows(2) {
        let ((from_local, from), (_, to)) = (w[0], w[1]);
        if to <= from {
            continue; // both ends in one DST gap: no real time
        }
        let category = regime.category_at(holidays, from_local);
        match out.last_mut() {
            Some((last, _, last_to)) if *last == category => *last_to = to,
            _ => out.push((category, from, to)),
        }
    }
    Ok(out)
}

/// A local time given by the user as an instant: a whole minute, not in a gap; in a fold the
/// earlier one.
fn given_instant(tz: &TimeZone, local: DateTime, which: Moment) -> Result<Timestamp, StandbyError> {
    if local.second() != 0 || local.subsec_nanosecond() != 0 {
        return Err(StandbyError::NotWholeMinute { which, local });
    }
    let ambiguous = tz.to_ambiguous_timestamp(local);
    if let AmbiguousOffset::Gap { .. } = ambiguous.offset() {
        let zone = tz.iana_name().unwrap_or("the provider's time zone").to_string();
        return Err(StandbyError::InGap { which, local, zone });
    }
    ambiguous.earlier().map_err(|_| StandbyError::OutOfRange)
}

/// A category boundary as an instant, never going back as local time goes forward: in a fold
/// the earlier one, in a gap the moment the clocks jump.
fn boundary_instant(tz: &TimeZone, local: DateTime) -> Result<Timestamp, StandbyError> {
    let ambiguous = tz.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the later offset, a time in the gap lies before the jump.
            let before_jump = after.to_timestamp(local).map_err(|_| StandbyError::OutOfRange)?;
            tz.following(before_jump).next().map(|t| t.timestamp()).ok_or(StandbyError::OutOfRange)
        }
        _ => ambiguous.earlier().map_err(|_| StandbyError::OutOfRange),
    }
}

/// Whole minutes from `from` to `to`, counted on the minute grid so that the minutes of
/// consecutive stretches add up to those of the span.
fn minutes_between(from: Timestamp, to: Timestamp) -> Result<u32, StandbyError> {
    let minutes = to.as_second().div_euclid(60) - from.as_second().div_euclid(60);
    u32::try_from(minutes).map_err(|_| StandbyError::OutOfRange)
}

/// `minutes` at `percent` of `hourly_rate`, rounded half up to the minor unit.
fn charge(hourly_rate: Money, minutes: u32, percent: u16) -> Result<Money, StandbyError> {
    const PER_HOUR_PERCENT: i128 = 60 * 100;
    let exact = i128::from(hourly_rate.minor)
        .checked_mul(i128::from(minutes))
        .and_then(|v| v.checked_mul(i128::from(percent)))
        .ok_or(StandbyError::Overflow)?;
    // `exact` is never negative: the rate is positive.
    let rounded = exact.checked_add(PER_HOUR_PERCENT / 2).ok_or(StandbyError::Overflow)? / PER_HOUR_PERCENT;
    let minor = i64::try_from(rounded).map_err(|_| StandbyError::Overflow)?;
    Ok(Money::new(minor, hourly_rate.currency))
}

fn add(a: Money, b: Money) -> Result<Money, StandbyError> {
    a.checked_add(b).map_err(|e| match e {
        MoneyError::Overflow => StandbyError::Overflow,
        other => StandbyError::Money(other),
    })
}
