//! The public holidays of the Netherlands and Italy, computed by rule: fixed dates, the days that
//! hang on Easter, and the few that depend on the weekday or the year. Each has a stable English
//! key (`kings_day`, `liberation_day`, `san_francesco`) that the panel translates and that never
//! changes with the wording of a law.
//!
//! The rules follow python-holidays (`../shared/reference/holidays_oracle.py`), which
//! `tests/helpdesk_holidays.rs` compares day by day for 2000–2099. Other years follow the same
//! rules; they were not checked and no ticket lives there.

use jiff::civil::{Date, Weekday};

use crate::Country;
use crate::billing::{easter_sunday, plus_days};

/// One public holiday: the day and its key. Two holidays can fall on one day (Ascension Day
/// and the Dutch Liberation Day in 2005): they are two entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicHoliday {
    pub date: Date,
    pub key: &'static str,
}

/// The countries whose public holidays Loket knows.
pub const HOLIDAY_COUNTRIES: [Country; 2] = [Country::NL, Country::IT];

/// Whether Loket knows the public holidays of `country`.
pub fn knows_public_holidays(country: Country) -> bool {
    HOLIDAY_COUNTRIES.contains(&country)
}

/// The public holidays of `country` in `year`, sorted by date (then key); empty for a country
/// Loket does not know (see [`knows_public_holidays`]).
pub fn public_holidays(country: Country, year: i16) -> Vec<PublicHoliday> {
    let mut days = if country == Country::NL {
        netherlands(year)
    } else if country == Country::IT {
        italy(year)
    } else {
        Vec::new()
    };
    days.sort();
    days
}

fn on(year: i16, month: i8, day: i8, key: &'static str) -> Option<PublicHoliday> {
    Date::new(year, month, day).ok().map(|date| PublicHoliday { date, key })
}

fn after_easter(year: i16, days: i64, key: &'static str) -> Option<PublicHoliday> {
    Some(PublicHoliday { date: plus_days(easter_sunday(year), days), key })
}

fn netherlands(year: i16) -> Vec<PublicHoliday> {
    // The monarch's birthday: Queen's Day on 30 April until 2013, King's Day on 27 April since
    // 2014; never on a Sunday, when it is kept the day before.
    let royal = if year >= 2014 { on(year, 4, 27, "kings_day") } else { on(year, 4, 30, "queens_day") };
    let royal = royal.map(|h| if h.date.weekday() == Weekday::Sunday { PublicHoliday { date: plus_days(h.date, -1), ..h } } else { h });
    // Liberation Day is a national holiday every year, but most collective labour agreements
    // give the day off only in a lustrum year (2025, 2030, …); python-holidays lists it then.
    let liberation = if year % 5 == 0 { on(year, 5, 5, "liberation_day") } else { None };
    [
        on(year, 1, 1, "new_years_day"),
        after_easter(year, -2, "good_friday"),
        after_easter(year, 0, "easter_sunday"),
        after_easter(year, 1, "easter_monday"),
        royal,
        liberation,
        after_easter(year, 39, "ascension_day"),
        after_easter(year, 49, "whit_sunday"),
        after_easter(year, 50, "whit_monday"),
        on(year, 12, 25, "christmas_day"),
        on(year, 12, 26, "second_christmas_day"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn italy(year: i16) -> Vec<PublicHoliday> {
    // Since 1977 National Unity Day is kept on the first Sunday of November; python-holidays
    // lists it, so an office open on Sundays closes then. Republic Day was a first Sunday of
    // June too, from 1977 until it went back to 2 June in 2001.
    let first_sunday = |month: i8, key| (1..=7).filter_map(|d| on(year, month, d, key)).find(|h| h.date.weekday() == Weekday::Sunday);
    let republic = if year <= 2000 { first_sunday(6, "republic_day") } else { on(year, 6, 2, "republic_day") };
    [
        on(year, 1, 1, "new_years_day"),
        on(year, 1, 6, "epiphany"),
        // 150 years of the unified kingdom: a one-off holiday on 17 March 2011.
        if year == 2011 { on(year, 3, 17, "unification_anniversary") } else { None },
        after_easter(year, 0, "easter_sunday"),
        after_easter(year, 1, "easter_monday"),
        on(year, 4, 25, "liberation_day"),
        on(year, 5, 1, "labour_day"),
        republic,
        on(year, 8, 15, "assumption_day"),
        // Saint Francis of Assisi, patron saint of Italy: a national holiday from 2026 (Law 151
        // of 8 October 2025).
        if year >= 2026 { on(year, 10, 4, "san_francesco") } else { None },
        on(year, 11, 1, "all_saints_day"),
        first_sunday(11, "national_unity_day"),
        on(year, 12, 8, "immaculate_conception"),
        on(year, 12, 25, "christmas_day"),
        on(year, 12, 26, "st_stephens_day"),
    ]
    .into_iter()
    .flatten()
    .collect()
}
