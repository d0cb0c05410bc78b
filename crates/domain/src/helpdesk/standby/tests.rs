use std::collections::BTreeSet;

use jiff::civil::{Date, date, time};
use proptest::prelude::*;

use super::*;
use crate::helpdesk::NoHolidays;

use StandbyCategory::{EveningNight, Holiday, OfficeHours, Weekend};

fn ams() -> TimeZone {
    TimeZone::get("Europe/Amsterdam").unwrap()
}

fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> DateTime {
    date(y, m, d).at(h, min, 0, 0)
}

fn eur(s: &str) -> Money {
    Money::parse(s, crate::Currency::Eur).unwrap()
}

fn rate() -> Money {
    eur("95")
}

fn quote(start: DateTime, end: DateTime) -> StandbyQuote {
    price(&StandbyRegime::seed_003(), rate(), &ams(), &NoHolidays, start, end, &[]).unwrap()
}

fn quote_with(holidays: &BTreeSet<Date>, start: DateTime, end: DateTime, callouts: &[Callout]) -> Result<StandbyQuote, StandbyError> {
    price(&StandbyRegime::seed_003(), rate(), &ams(), holidays, start, end, callouts)
}

/// (category, local start, local end, real minutes, billed minutes, price)
fn summary(q: &StandbyQuote) -> Vec<(StandbyCategory, DateTime, DateTime, u32, u32, String)> {
    q.parts.iter().map(|p| (p.category, p.start, p.end, p.minutes, p.billed_minutes, p.price.to_string())).collect()
}

fn no_minimums() -> StandbyRegime {
    let mut r = StandbyRegime::seed_003();
    r.weekend.minimum_minutes = 0;
    r.evening_night.minimum_minutes = 0;
    r.holiday.minimum_minutes = 0;
    r
}

// Dates used (2026): Fri 8 May, Sat 9, Sun 10, Mon 11, Tue 12, Wed 13, Thu 14 (Ascension Day),
// Fri 15; DST starts Sun 29 March, ends Sun 25 October.
#[test]
fn the_dates_are_the_weekdays_the_tests_say() {
    assert_eq!(date(2026, 5, 8).weekday(), Weekday::Friday);
    assert_eq!(date(2026, 5, 14).weekday(), Weekday::Thursday);
    assert_eq!(date(2026, 3, 29).weekday(), Weekday::Sunday);
    assert_eq!(date(2026, 10, 25).weekday(), Weekday::Sunday);
}

// --- The regime ---

#[test]
fn the_seed_regime_is_the_table_and_valid() {
    let r = StandbyRegime::default();
    assert_eq!(r, StandbyRegime::seed_003());
    assert_eq!((r.office_start, r.office_end), (time(8, 30, 0, 0), time(18, 0, 0, 0)));
    assert_eq!(r.weekend, CategoryRate { percent: 50, minimum_minutes: 240 });
    assert_eq!(r.evening_night, CategoryRate { percent: 100, minimum_minutes: 120 });
    assert_eq!(r.holiday, CategoryRate { percent: 100, minimum_minutes: 480 });
    assert_eq!(r.callout, CalloutTerms { response_minutes: 30, minimum_worked_minutes: 60, percent: 100 });
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn an_invalid_regime_names_each_field() {
    let mut r = StandbyRegime::seed_003();
    r.office_start = time(18, 0, 0, 0);
    r.weekend.percent = 1001;
    r.holiday.minimum_minutes = 24 * 60 + 1;
    r.callout.percent = 2000;
    r.callout.response_minutes = 5000;
    let fields: Vec<String> = r.validate().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["office_end", "weekend.percent", "holiday.minimum_minutes", "callout.percent", "callout.response_minutes"]);

    let mut r = StandbyRegime::seed_003();
    r.office_start = time(8, 30, 15, 0);
    assert_eq!(r.validate().unwrap_err()[0].field, "office_start");

    let mut r = StandbyRegime::seed_003();
    r.evening_night.percent = 1000;
    r.evening_night.minimum_minutes = 1440;
    r.callout.minimum_worked_minutes = 0;
    assert_eq!(r.validate(), Ok(()), "the bounds themselves are allowed");
}

#[test]
fn price_refuses_an_invalid_regime() {
    let mut r = StandbyRegime::seed_003();
    r.evening_night.percent = 5000;
    let err = price(&r, rate(), &ams(), &NoHolidays, at(2026, 5, 12, 20, 0), at(2026, 5, 12, 21, 0), &[]).unwrap_err();
    assert!(matches!(&err, StandbyError::Regime(e) if e[0].field == "evening_night.percent"));
    assert!(err.to_string().contains("evening_night.percent"), "{err}");
}

#[test]
fn the_regime_reads_from_configuration() {
    let json = r#"{
        "office_start": "08:30", "office_end": "18:00",
        "weekend": {"percent": 50, "minimum_minutes": 240},
        "evening_night": {"percent": 100, "minimum_minutes": 120},
        "holiday": {"percent": 100, "minimum_minutes": 480},
        "callout": {"response_minutes": 30, "minimum_worked_minutes": 60, "percent": 100}
    }"#;
    let r: StandbyRegime = serde_json::from_str(json).unwrap();
    assert_eq!(r, StandbyRegime::seed_003());
}

#[test]
fn category_at_follows_the_table() {
    let r = StandbyRegime::seed_003();
    let holidays = BTreeSet::from([date(2026, 5, 14)]);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 12, 8, 29)), EveningNight);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 12, 8, 30)), OfficeHours);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 12, 17, 59)), OfficeHours);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 12, 18, 0)), EveningNight);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 9, 8, 30)), Weekend);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 9, 18, 0)), EveningNight);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 14, 0, 0)), Holiday);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 14, 12, 0)), Holiday);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 14, 23, 59)), Holiday);
    assert_eq!(r.category_at(&holidays, at(2026, 5, 15, 0, 0)), EveningNight);
}

// --- The table's cases ---

#[test]
fn a_weekend_day_is_half_the_rate() {
    let q = quote(at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0));
    assert_eq!(summary(&q), [(Weekend, at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), 570, 570, "451.25 EUR".into())]);
    assert_eq!(q.total, eur("451.25"));
}

#[test]
fn a_short_weekend_stretch_bills_four_hours() {
    let q = quote(at(2026, 5, 9, 10, 0), at(2026, 5, 9, 11, 0));
    assert_eq!(summary(&q), [(Weekend, at(2026, 5, 9, 10, 0), at(2026, 5, 9, 11, 0), 60, 240, "190.00 EUR".into())]);
}

#[test]
fn a_night_is_one_part_over_midnight() {
    let q = quote(at(2026, 5, 12, 18, 0), at(2026, 5, 13, 8, 30));
    assert_eq!(summary(&q), [(EveningNight, at(2026, 5, 12, 18, 0), at(2026, 5, 13, 8, 30), 870, 870, "1377.50 EUR".into())]);
}

#[test]
fn a_short_evening_bills_two_hours() {
    let q = quote(at(2026, 5, 12, 20, 0), at(2026, 5, 12, 21, 0));
    assert_eq!(summary(&q), [(EveningNight, at(2026, 5, 12, 20, 0), at(2026, 5, 12, 21, 0), 60, 120, "190.00 EUR".into())]);
}

#[test]
fn two_minutes_around_office_closing_cost_the_evening_minimum() {
    let q = quote(at(2026, 5, 12, 17, 59), at(2026, 5, 12, 18, 1));
    assert_eq!(
        summary(&q),
        [
            (OfficeHours, at(2026, 5, 12, 17, 59), at(2026, 5, 12, 18, 0), 1, 0, "0.00 EUR".into()),
            (EveningNight, at(2026, 5, 12, 18, 0), at(2026, 5, 12, 18, 1), 1, 120, "190.00 EUR".into()),
        ]
    );
    assert_eq!(q.total, eur("190"));
}

#[test]
fn office_hours_alone_cost_nothing_and_say_so() {
    let q = quote(at(2026, 5, 12, 9, 0), at(2026, 5, 12, 17, 0));
    assert_eq!(summary(&q), [(OfficeHours, at(2026, 5, 12, 9, 0), at(2026, 5, 12, 17, 0), 480, 0, "0.00 EUR".into())]);
    assert_eq!(q.parts[0].percent, 0);
    assert_eq!(q.total, eur("0"));
}

#[test]
fn friday_evening_to_monday_morning() {
    let q = quote(at(2026, 5, 8, 18, 0), at(2026, 5, 11, 8, 30));
    assert_eq!(
        summary(&q),
        [
            (EveningNight, at(2026, 5, 8, 18, 0), at(2026, 5, 9, 8, 30), 870, 870, "1377.50 EUR".into()),
            (Weekend, at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), 570, 570, "451.25 EUR".into()),
            (EveningNight, at(2026, 5, 9, 18, 0), at(2026, 5, 10, 8, 30), 870, 870, "1377.50 EUR".into()),
            (Weekend, at(2026, 5, 10, 8, 30), at(2026, 5, 10, 18, 0), 570, 570, "451.25 EUR".into()),
            (EveningNight, at(2026, 5, 10, 18, 0), at(2026, 5, 11, 8, 30), 870, 870, "1377.50 EUR".into()),
        ]
    );
    assert_eq!(q.standby_total, eur("5035"));
    assert_eq!(q.callout_total, eur("0"));
    assert_eq!(q.total, eur("5035"));
}

#[test]
fn friday_afternoon_shows_the_office_hours_before_standby() {
    let q = quote(at(2026, 5, 8, 16, 0), at(2026, 5, 11, 8, 30));
    assert_eq!(q.parts.len(), 6);
    assert_eq!(summary(&q)[0], (OfficeHours, at(2026, 5, 8, 16, 0), at(2026, 5, 8, 18, 0), 120, 0, "0.00 EUR".into()));
    assert_eq!(q.parts[1..], quote(at(2026, 5, 8, 18, 0), at(2026, 5, 11, 8, 30)).parts[..]);
    assert_eq!(q.total, eur("5035"));
}

// --- Public holidays ---

#[test]
fn a_weekday_holiday_is_the_whole_day_and_cuts_the_nights_beside_it() {
    let holidays = BTreeSet::from([date(2026, 5, 14)]);
    let q = quote_with(&holidays, at(2026, 5, 13, 18, 0), at(2026, 5, 15, 8, 30), &[]).unwrap();
    assert_eq!(
        summary(&q),
        [
            (EveningNight, at(2026, 5, 13, 18, 0), at(2026, 5, 14, 0, 0), 360, 360, "570.00 EUR".into()),
            (Holiday, at(2026, 5, 14, 0, 0), at(2026, 5, 15, 0, 0), 1440, 1440, "2280.00 EUR".into()),
            (EveningNight, at(2026, 5, 15, 0, 0), at(2026, 5, 15, 8, 30), 510, 510, "807.50 EUR".into()),
        ]
    );
    assert_eq!(q.total, eur("3657.50"));
}

#[test]
fn a_short_holiday_stretch_bills_eight_hours() {
    let holidays = BTreeSet::from([date(2026, 5, 14)]);
    let q = quote_with(&holidays, at(2026, 5, 14, 10, 0), at(2026, 5, 14, 12, 0), &[]).unwrap();
    assert_eq!(summary(&q), [(Holiday, at(2026, 5, 14, 10, 0), at(2026, 5, 14, 12, 0), 120, 480, "760.00 EUR".into())]);
}

#[test]
fn a_night_into_a_holiday_has_two_minimums() {
    // The holiday begins at 00:00: the hour before is evening (minimum 2 h), the hour after is
    // holiday (minimum 8 h).
    let holidays = BTreeSet::from([date(2026, 5, 14)]);
    let q = quote_with(&holidays, at(2026, 5, 13, 23, 0), at(2026, 5, 14, 1, 0), &[]).unwrap();
    assert_eq!(
        summary(&q),
        [
            (EveningNight, at(2026, 5, 13, 23, 0), at(2026, 5, 14, 0, 0), 60, 120, "190.00 EUR".into()),
            (Holiday, at(2026, 5, 14, 0, 0), at(2026, 5, 14, 1, 0), 60, 480, "760.00 EUR".into()),
        ]
    );
    assert_eq!(q.total, eur("950"));
}

#[test]
fn a_holiday_on_saturday_is_holiday_not_weekend() {
    let holidays = BTreeSet::from([date(2026, 5, 9)]);
    let q = quote_with(&holidays, at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), &[]).unwrap();
    assert_eq!(summary(&q), [(Holiday, at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), 570, 570, "902.50 EUR".into())]);
}

#[test]
fn holidays_in_a_row_are_one_part() {
    let holidays = BTreeSet::from([date(2026, 5, 14), date(2026, 5, 15)]);
    let q = quote_with(&holidays, at(2026, 5, 14, 0, 0), at(2026, 5, 16, 0, 0), &[]).unwrap();
    assert_eq!(summary(&q), [(Holiday, at(2026, 5, 14, 0, 0), at(2026, 5, 16, 0, 0), 2880, 2880, "4560.00 EUR".into())]);
}

// --- Daylight saving time (Europe/Amsterdam) ---

#[test]
fn the_night_of_the_spring_change_is_an_hour_shorter() {
    let q = quote(at(2026, 3, 28, 18, 0), at(2026, 3, 29, 8, 30));
    assert_eq!(summary(&q), [(EveningNight, at(2026, 3, 28, 18, 0), at(2026, 3, 29, 8, 30), 810, 810, "1282.50 EUR".into())]);
}

#[test]
fn the_night_of_the_autumn_change_is_an_hour_longer() {
    let q = quote(at(2026, 10, 24, 18, 0), at(2026, 10, 25, 8, 30));
    assert_eq!(summary(&q), [(EveningNight, at(2026, 10, 24, 18, 0), at(2026, 10, 25, 8, 30), 930, 930, "1472.50 EUR".into())]);
}

#[test]
fn a_weekend_across_the_spring_change() {
    let q = quote(at(2026, 3, 27, 18, 0), at(2026, 3, 30, 8, 30));
    let minutes: Vec<u32> = q.parts.iter().map(|p| p.minutes).collect();
    assert_eq!(minutes, [870, 570, 810, 570, 870]);
    assert_eq!(q.total, eur("4940")); // 5035.00 less an hour of night
}

#[test]
fn a_time_the_clocks_skip_is_refused_naming_which() {
    let gap = at(2026, 3, 29, 2, 30);
    let err = quote_with(&BTreeSet::new(), gap, at(2026, 3, 29, 8, 30), &[]).unwrap_err();
    assert_eq!(err, StandbyError::InGap { which: Moment::Start, local: gap, zone: "Europe/Amsterdam".into() });
    assert_eq!(
        err.to_string(),
        "the start (2026-03-29T02:30:00) does not exist in Europe/Amsterdam: the clocks skip it when daylight saving time starts"
    );
    let err = quote_with(&BTreeSet::new(), at(2026, 3, 28, 20, 0), gap, &[]).unwrap_err();
    assert!(matches!(err, StandbyError::InGap { which: Moment::End, .. }));
    let call = Callout { at: gap, worked_minutes: 10 };
    let err = quote_with(&BTreeSet::new(), at(2026, 3, 28, 20, 0), at(2026, 3, 29, 8, 0), &[call]).unwrap_err();
    assert!(matches!(err, StandbyError::InGap { which: Moment::Callout(0), .. }));
    assert!(err.to_string().starts_with("call-out 1 (2026-03-29T02:30:00) does not exist"), "{err}");
}

#[test]
fn a_time_the_clocks_pass_twice_is_the_first() {
    // 02:30 happens twice on 25 October: the span starts at the first (CEST), so 02:30 to 03:30
    // is two real hours.
    let q = quote(at(2026, 10, 25, 2, 30), at(2026, 10, 25, 3, 30));
    assert_eq!(q.parts[0].start_instant.to_string(), "2026-10-25T00:30:00Z");
    assert_eq!(q.parts[0].end_instant.to_string(), "2026-10-25T02:30:00Z");
    assert_eq!((q.parts[0].minutes, q.parts[0].billed_minutes), (120, 120));
}

#[test]
fn a_category_boundary_the_clocks_skip_falls_at_the_jump() {
    // A regime whose office day starts at 02:30: on 29 March that time does not exist, so the
    // night ends when the clocks jump to 03:00.
    let mut r = StandbyRegime::seed_003();
    r.office_start = time(2, 30, 0, 0);
    let q = price(&r, rate(), &ams(), &NoHolidays, at(2026, 3, 28, 20, 0), at(2026, 3, 29, 12, 0), &[]).unwrap();
    assert_eq!(
        summary(&q),
        [
            (EveningNight, at(2026, 3, 28, 20, 0), at(2026, 3, 29, 3, 0), 360, 360, "570.00 EUR".into()),
            (Weekend, at(2026, 3, 29, 3, 0), at(2026, 3, 29, 12, 0), 540, 540, "427.50 EUR".into()),
        ]
    );
}

// --- Call-outs ---

#[test]
fn a_callout_bills_at_least_an_hour_on_top() {
    let calls = [Callout { at: at(2026, 5, 9, 23, 10), worked_minutes: 20 }, Callout { at: at(2026, 5, 10, 2, 0), worked_minutes: 95 }];
    let q = quote_with(&BTreeSet::new(), at(2026, 5, 9, 18, 0), at(2026, 5, 10, 8, 30), &calls).unwrap();
    assert_eq!(q.standby_total, eur("1377.50"));
    let first = &q.callouts[0];
    assert_eq!(first.at, at(2026, 5, 9, 23, 10));
    assert_eq!(first.category, EveningNight);
    assert_eq!(first.respond_by, at(2026, 5, 9, 23, 40));
    assert_eq!((first.worked_minutes, first.billed_minutes, first.percent), (20, 60, 100));
    assert_eq!(first.price, eur("95"));
    let second = &q.callouts[1];
    assert_eq!((second.worked_minutes, second.billed_minutes), (95, 95));
    assert_eq!(second.price, eur("150.42")); // 95 × 95 / 60 = 150.4166…
    assert_eq!(q.callout_total, eur("245.42"));
    assert_eq!(q.total, eur("1622.92"));
}

#[test]
fn a_weekend_callout_is_at_the_full_rate_and_names_its_category() {
    let calls = [Callout { at: at(2026, 5, 9, 10, 0), worked_minutes: 0 }];
    let q = quote_with(&BTreeSet::new(), at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), &calls).unwrap();
    assert_eq!(q.callouts[0].category, Weekend);
    assert_eq!((q.callouts[0].billed_minutes, q.callouts[0].price), (60, eur("95")));
    assert_eq!(q.total, eur("546.25"));
}

#[test]
fn respond_by_is_thirty_real_minutes_even_across_the_jump() {
    let calls = [Callout { at: at(2026, 3, 29, 1, 50), worked_minutes: 60 }];
    let q = quote_with(&BTreeSet::new(), at(2026, 3, 28, 18, 0), at(2026, 3, 29, 8, 30), &calls).unwrap();
    assert_eq!(q.callouts[0].respond_by, at(2026, 3, 29, 3, 20));
    assert_eq!(q.callouts[0].respond_by_instant.as_second() - q.callouts[0].at_instant.as_second(), 30 * 60);
}

#[test]
fn a_callout_outside_the_span_is_refused() {
    let (start, end) = (at(2026, 5, 9, 18, 0), at(2026, 5, 10, 8, 30));
    let call = |t| [Callout { at: t, worked_minutes: 30 }];
    assert!(quote_with(&BTreeSet::new(), start, end, &call(start)).is_ok(), "the first minute is in the span");
    for outside in [at(2026, 5, 9, 17, 59), end, at(2026, 5, 11, 9, 0)] {
        let err = quote_with(&BTreeSet::new(), start, end, &call(outside)).unwrap_err();
        assert_eq!(err, StandbyError::CalloutOutsideSpan { which: Moment::Callout(0), local: outside, start, end });
    }
    let err = quote_with(&BTreeSet::new(), start, end, &call(end)).unwrap_err();
    assert_eq!(err.to_string(), "call-out 1 (2026-05-10T08:30:00) is outside the standby span 2026-05-09T18:00:00 to 2026-05-10T08:30:00");
}

#[test]
fn a_callout_in_office_hours_is_refused() {
    let calls = [Callout { at: at(2026, 5, 8, 20, 0), worked_minutes: 30 }, Callout { at: at(2026, 5, 8, 17, 0), worked_minutes: 30 }];
    let err = quote_with(&BTreeSet::new(), at(2026, 5, 8, 16, 0), at(2026, 5, 11, 8, 30), &calls).unwrap_err();
    assert_eq!(err, StandbyError::CalloutInOfficeHours { which: Moment::Callout(1), local: at(2026, 5, 8, 17, 0) });
}

#[test]
fn a_callout_with_too_much_work_is_refused() {
    let calls = [Callout { at: at(2026, 5, 9, 20, 0), worked_minutes: MAX_WORKED_MINUTES + 1 }];
    let err = quote_with(&BTreeSet::new(), at(2026, 5, 9, 18, 0), at(2026, 5, 10, 8, 30), &calls).unwrap_err();
    assert!(matches!(err, StandbyError::TooMuchWorked { which: Moment::Callout(0), .. }));
}

// --- Refusals and arithmetic ---

#[test]
fn an_empty_or_backward_span_is_refused() {
    let t = at(2026, 5, 9, 18, 0);
    assert_eq!(quote_with(&BTreeSet::new(), t, t, &[]), Err(StandbyError::EndNotAfterStart { start: t, end: t }));
    let earlier = at(2026, 5, 9, 17, 0);
    assert!(matches!(quote_with(&BTreeSet::new(), t, earlier, &[]), Err(StandbyError::EndNotAfterStart { .. })));
}

#[test]
fn a_span_is_at_most_31_days() {
    let start = at(2026, 5, 1, 18, 0);
    let q = quote_with(&BTreeSet::new(), start, at(2026, 6, 1, 18, 0), &[]).unwrap();
    assert_eq!(q.parts.iter().map(|p| p.minutes).sum::<u32>(), 31 * 24 * 60);
    let err = quote_with(&BTreeSet::new(), start, at(2026, 6, 1, 18, 1), &[]).unwrap_err();
    assert!(matches!(err, StandbyError::TooLong { .. }));
}

#[test]
fn the_rate_must_be_positive() {
    for bad in [eur("0"), eur("-95")] {
        let err =
            price(&StandbyRegime::seed_003(), bad, &ams(), &NoHolidays, at(2026, 5, 9, 18, 0), at(2026, 5, 9, 20, 0), &[]).unwrap_err();
        assert_eq!(err, StandbyError::RateNotPositive(bad));
    }
}

#[test]
fn times_are_whole_minutes() {
    let start = date(2026, 5, 9).at(18, 0, 30, 0);
    let err = quote_with(&BTreeSet::new(), start, at(2026, 5, 9, 20, 0), &[]).unwrap_err();
    assert_eq!(err, StandbyError::NotWholeMinute { which: Moment::Start, local: start });
}

#[test]
fn an_amount_too_large_is_an_error_not_a_wrap() {
    let err =
        price(&StandbyRegime::seed_003(), Money::eur(i64::MAX), &ams(), &NoHolidays, at(2026, 5, 9, 18, 0), at(2026, 5, 9, 20, 0), &[])
            .unwrap_err();
    assert_eq!(err, StandbyError::Overflow);
}

#[test]
fn each_part_is_rounded_half_up_once() {
    let r = no_minimums();
    let tz = ams();
    // 10 minutes at € 0.03/hour = 0.5 cent: up to 1 cent.
    let q = price(&r, Money::eur(3), &tz, &NoHolidays, at(2026, 5, 12, 20, 0), at(2026, 5, 12, 20, 10), &[]).unwrap();
    assert_eq!(q.total, Money::eur(1));
    // 10 minutes at € 0.02/hour = 0.33 cent: down to 0.
    let q = price(&r, Money::eur(2), &tz, &NoHolidays, at(2026, 5, 12, 20, 0), at(2026, 5, 12, 20, 10), &[]).unwrap();
    assert_eq!(q.total, Money::eur(0));
    // An hour over midnight at € 0.01/hour is one part: 1 cent, not half a cent rounded up twice.
    let q = price(&r, Money::eur(1), &tz, &NoHolidays, at(2026, 5, 12, 23, 30), at(2026, 5, 13, 0, 30), &[]).unwrap();
    assert_eq!((q.parts.len(), q.total), (1, Money::eur(1)));
}

#[test]
fn percentages_are_the_providers() {
    let mut r = StandbyRegime::seed_003();
    r.weekend.percent = 75;
    let q = price(&r, rate(), &ams(), &NoHolidays, at(2026, 5, 9, 8, 30), at(2026, 5, 9, 18, 0), &[]).unwrap();
    assert_eq!(q.total, eur("676.88")); // 9.5 h × 95 × 0.75 = 676.875
}

// --- Properties ---

/// A span in 2026 (both DST changes) of up to 31 days, some holidays, and where call-outs go.
#[allow(clippy::type_complexity)]
fn scenario() -> impl Strategy<Value = (DateTime, DateTime, BTreeSet<Date>, Vec<(u32, u32, u32)>)> {
    let length = prop_oneof![1i64..=3 * 24 * 60, 1i64..=MAX_SPAN_DAYS as i64 * 24 * 60];
    (
        0i64..400 * 24 * 60,
        length,
        prop::collection::btree_set(0i64..440, 0..12),
        prop::collection::vec((any::<u32>(), any::<u32>(), 0u32..300), 0..5),
    )
        .prop_map(|(offset, length, days, calls)| {
            let base = at(2026, 1, 1, 0, 0);
            let start = base.checked_add(offset.minutes()).unwrap();
            let end = start.checked_add(length.minutes()).unwrap();
            let holidays = days.into_iter().map(|d| date(2026, 1, 1).checked_add(d.days()).unwrap()).collect();
            (start, end, holidays, calls)
        })
}

/// Call-outs at standby minutes of `q` picked by `picks`, each a local time that means that minute.
fn callouts_in(q: &StandbyQuote, tz: &TimeZone, picks: &[(u32, u32, u32)]) -> Vec<Callout> {
    let standby: Vec<&StandbyPart> = q.parts.iter().filter(|p| p.category != OfficeHours).collect();
    if standby.is_empty() {
        return Vec::new();
    }
    picks
        .iter()
        .filter_map(|&(which, minute, worked)| {
            let part = standby[which as usize % standby.len()];
            let instant = part.start_instant.checked_add(i64::from(minute % part.minutes).minutes()).unwrap();
            let local = tz.to_datetime(instant);
            // The second pass through an autumn hour cannot be named by its local time.
            (given_instant(tz, local, Moment::Start).ok() == Some(instant)).then_some(Callout { at: local, worked_minutes: worked })
        })
        .collect()
}

fn sum(prices: impl Iterator<Item = Money>) -> i64 {
    prices.map(|m| m.minor).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_below_a_minimum_and_deterministic((start, end, holidays, picks) in scenario(), cents in 1i64..100_000) {
        let (r, tz, hourly) = (StandbyRegime::seed_003(), ams(), Money::eur(cents));
        let Ok(bare) = price(&r, hourly, &tz, &holidays, start, end, &[]) else { return Ok(()) }; // a time in the gap
        let calls = callouts_in(&bare, &tz, &picks);
        let q = price(&r, hourly, &tz, &holidays, start, end, &calls).unwrap();
        prop_assert_eq!(&q, &price(&r, hourly, &tz, &holidays, start, end, &calls).unwrap());
        for p in &q.parts {
            let minimum = r.rate(p.category).minimum_minutes;
            prop_assert_eq!(p.minimum_minutes, minimum);
            let billed = if p.category == OfficeHours { 0 } else { p.minutes.max(minimum) };
            prop_assert_eq!(p.billed_minutes, billed);
            prop_assert!(p.price.minor >= charge(hourly, minimum, p.percent).unwrap().minor);
            prop_assert_eq!(p.price, charge(hourly, p.billed_minutes, p.percent).unwrap());
        }
        for c in &q.callouts {
            prop_assert!(c.billed_minutes >= 60 && c.billed_minutes >= c.worked_minutes);
            prop_assert!(c.price.minor >= hourly.minor);
            prop_assert_eq!(c.respond_by_instant.as_second() - c.at_instant.as_second(), 30 * 60);
        }
    }

    #[test]
    fn the_total_is_the_parts_plus_the_callouts((start, end, holidays, picks) in scenario(), cents in 1i64..100_000) {
        let (r, tz, hourly) = (StandbyRegime::seed_003(), ams(), Money::eur(cents));
        let Ok(bare) = price(&r, hourly, &tz, &holidays, start, end, &[]) else { return Ok(()) };
        let calls = callouts_in(&bare, &tz, &picks);
        let q = price(&r, hourly, &tz, &holidays, start, end, &calls).unwrap();
        prop_assert_eq!(q.callouts.len(), calls.len());
        prop_assert_eq!(q.standby_total.minor, sum(q.parts.iter().map(|p| p.price)));
        prop_assert_eq!(q.callout_total.minor, sum(q.callouts.iter().map(|c| c.price)));
        prop_assert_eq!(q.total.minor, q.standby_total.minor + q.callout_total.minor);
        prop_assert_eq!(q.parts, bare.parts, "call-outs do not change the standby");
    }

    /// Every minute of the span is in exactly one part, and that part has the category of the
    /// minute's local time; the parts are contiguous, none empty, and no two neighbours share a
    /// category.
    #[test]
    fn every_minute_is_in_exactly_one_part(
        (start, end, holidays, _) in scenario(),
        zone in prop::sample::select(vec!["Europe/Amsterdam", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "UTC"]),
        samples in prop::collection::vec(any::<u32>(), 1..40),
    ) {
        let (r, tz) = (StandbyRegime::seed_003(), TimeZone::get(zone).unwrap());
        let Ok(q) = price(&r, rate(), &tz, &holidays, start, end, &[]) else { return Ok(()) };
        let (first, last) = (q.parts.first().unwrap(), q.parts.last().unwrap());
        prop_assert_eq!(first.start, start);
        prop_assert_eq!(last.end, end);
        prop_assert_eq!(first.start_instant, given_instant(&tz, start, Moment::Start).unwrap());
        prop_assert_eq!(last.end_instant, given_instant(&tz, end, Moment::End).unwrap());
        for w in q.parts.windows(2) {
            prop_assert_eq!(w[0].end_instant, w[1].start_instant);
            prop_assert_ne!(w[0].category, w[1].category);
        }
        let span = (last.end_instant.as_second() - first.start_instant.as_second()) / 60;
        prop_assert_eq!(q.parts.iter().map(|p| i64::from(p.minutes)).sum::<i64>(), span);
        for p in &q.parts {
            prop_assert!(p.minutes > 0);
            prop_assert_eq!(i64::from(p.minutes), (p.end_instant.as_second() - p.start_instant.as_second()) / 60);
        }
        for s in samples {
            let minute = first.start_instant.checked_add(i64::from(s % span as u32).minutes()).unwrap();
            let holding: Vec<&StandbyPart> = q.parts.iter().filter(|p| p.start_instant <= minute && minute < p.end_instant).collect();
            prop_assert_eq!(holding.len(), 1);
            prop_assert_eq!(holding[0].category, r.category_at(&holidays, tz.to_datetime(minute)), "at {}", minute);
        }
    }

    /// Cutting a span where its category changes (at the start of any part but the first) gives
    /// two quotes whose parts are exactly the whole's, so the total is the same; the call-outs go
    /// with the half they fall in.
    #[test]
    fn cutting_where_the_category_changes_keeps_the_price(
        (start, end, holidays, picks) in scenario(),
        cut in any::<usize>(),
        zone in prop::sample::select(vec!["Europe/Amsterdam", "America/New_York"]),
    ) {
        let (r, tz) = (StandbyRegime::seed_003(), TimeZone::get(zone).unwrap());
        let Ok(bare) = price(&r, rate(), &tz, &holidays, start, end, &[]) else { return Ok(()) };
        prop_assume!(bare.parts.len() >= 2);
        let calls = callouts_in(&bare, &tz, &picks);
        let whole = price(&r, rate(), &tz, &holidays, start, end, &calls).unwrap();
        let boundary = &whole.parts[1 + cut % (whole.parts.len() - 1)];
        let (before, after): (Vec<Callout>, Vec<Callout>) =
            calls.iter().partition(|c| given_instant(&tz, c.at, Moment::Start).unwrap() < boundary.start_instant);
        let a = price(&r, rate(), &tz, &holidays, start, boundary.start, &before).unwrap();
        let b = price(&r, rate(), &tz, &holidays, boundary.start, end, &after).unwrap();
        prop_assert_eq!([a.parts, b.parts].concat(), whole.parts);
        prop_assert_eq!([a.callouts, b.callouts].concat().len(), whole.callouts.len());
        prop_assert_eq!(a.total.minor + b.total.minor, whole.total.minor);
    }
}

/// The property above holds only at category changes: cut inside a part, each half has its
/// own minimum.
#[test]
fn cutting_inside_a_part_can_cost_more() {
    let whole = quote(at(2026, 5, 12, 23, 0), at(2026, 5, 13, 1, 0));
    let a = quote(at(2026, 5, 12, 23, 0), at(2026, 5, 13, 0, 0));
    let b = quote(at(2026, 5, 13, 0, 0), at(2026, 5, 13, 1, 0));
    assert_eq!(whole.total, eur("190"));
    assert_eq!(a.total.checked_add(b.total).unwrap(), eur("380"));
}

#[test]
fn a_callout_minimum_is_billed_once_however_the_time_is_logged() {
    let t = CalloutTerms { response_minutes: 30, minimum_worked_minutes: 60, percent: 100 };
    assert_eq!(t.billed_minutes(0, 20), 60);
    assert_eq!(t.billed_minutes(20, 20), 0, "still within the hour billed");
    assert_eq!(t.billed_minutes(40, 30), 10);
    assert_eq!(t.billed_minutes(0, 97), 97);
    assert_eq!(t.billed_minutes(97, 3), 3);
}

proptest! {
    #[test]
    fn a_callout_is_billed_its_total_or_the_minimum(entries in proptest::collection::vec(1u32..600, 1..8), minimum in 0u32..240) {
        let t = CalloutTerms { response_minutes: 30, minimum_worked_minutes: minimum, percent: 100 };
        let mut before = 0;
        let mut billed = 0;
        for m in &entries {
            billed += t.billed_minutes(before, *m);
            before += m;
        }
        prop_assert_eq!(billed, before.max(minimum));
    }
}
