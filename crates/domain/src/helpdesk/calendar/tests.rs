use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn ams() -> TimeZone {
    TimeZone::get("Europe/Amsterdam").unwrap()
}

fn office(hours: &str) -> OfficeCalendar {
    OfficeCalendar::new(ams(), hours.parse().unwrap())
}

/// An Amsterdam wall-clock time as an instant.
fn local(s: &str) -> Timestamp {
    s.parse::<jiff::civil::DateTime>().unwrap().to_zoned(ams()).unwrap().timestamp()
}

fn shown(t: Timestamp) -> String {
    t.to_zoned(ams()).strftime("%a %Y-%m-%d %H:%M").to_string()
}

#[test]
fn reads_and_shows_opening_hours() {
    for (text, canonical) in [
        ("mon-fri 08:30-18:00", "mon-fri 08:30-18:00"),
        ("mon-thu 08:30-18:00, fri 08:30-17:00", "mon-thu 08:30-18:00, fri 08:30-17:00"),
        ("Mon-Fri 08:30-12:30 13:30-18:00; sat 10:00-14:00, sun closed", "mon-fri 08:30-12:30 13:30-18:00, sat 10:00-14:00"),
        (
            "mon-fri 09:00-12:00, mon-fri 12:00-17:00, wednesday 18:00-24:00",
            "mon-tue 09:00-12:00 12:00-17:00, wed 09:00-12:00 12:00-17:00 18:00-24:00, thu-fri 09:00-12:00 12:00-17:00",
        ),
        ("daily 00:00-24:00", "24/7"),
        ("24/7", "24/7"),
        ("closed", "closed"),
    ] {
        let week: WorkingWeek = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(week.to_string(), canonical, "{text}");
        assert_eq!(canonical.parse::<WorkingWeek>().unwrap(), week, "{canonical}");
    }
    let week: WorkingWeek = "mon-fri 08:30-18:00".parse().unwrap();
    assert_eq!(week.spans(Weekday::Friday), [OpenSpan::new(30_600, 64_800).unwrap()]);
    assert!(week.spans(Weekday::Saturday).is_empty());
}

#[test]
fn bad_opening_hours_name_the_bad_part() {
    for (text, says) in [
        ("", "no opening hours"),
        ("mon-fri", "opening hours `mon-fri`: no hours after `mon-fri`"),
        ("mon-fri 08:30-18:00, fri 08:30-25:00", "opening hours `fri 08:30-25:00`: `25:00` is not a time"),
        ("mon-fri 8:30-18:00", "`8:30` is not a time"),
        ("mon-fri 18:00-08:30", "`18:00-08:30` ends before it starts"),
        ("mon-fry 08:30-18:00", "`fry` is not a day"),
        ("fri-mon 08:30-18:00", "`fri-mon` runs backwards"),
        ("mon-fri 08:30-18:00,, sat 10:00-12:00", "nothing between two commas"),
        ("mon-fri 08:30-18:00, wed 17:00-20:00", "opening hours `wed 17:00-20:00`: 17:00-20:00 overlaps 08:30-18:00 on wed"),
        ("mon-fri 08:30 18:00", "`08:30` is not a span of hours"),
    ] {
        let err = text.parse::<WorkingWeek>().unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[test]
fn reads_closed_days_closures_and_the_whole_spec() {
    assert_eq!(parse_closed_day(" 2026-12-24 ").unwrap(), date(2026, 12, 24));
    for bad in ["24-12-2026", "2026-12-32", "2026-2-4", "tomorrow"] {
        assert_eq!(
            parse_closed_day(bad).unwrap_err().to_string(),
            format!("closed day `{bad}` is not a date: write YYYY-MM-DD, e.g. 2026-12-24")
        );
    }
    let c: Closure = "2026-12-24..2027-01-01".parse().unwrap();
    assert_eq!((c.first, c.last), (date(2026, 12, 24), date(2027, 1, 1)));
    assert_eq!(c.to_string(), "2026-12-24..2027-01-01");
    assert_eq!("2026-08-03".parse::<Closure>().unwrap().to_string(), "2026-08-03");
    let err = "2027-01-01..2026-12-24".parse::<Closure>().unwrap_err().to_string();
    assert_eq!(err, "closure `2027-01-01..2026-12-24`: the last day comes before the first");
    assert!("2026-12-24...2027-01-01".parse::<Closure>().unwrap_err().to_string().starts_with("closure `2026-12-24...2027-01-01`: write"));

    let spec = OfficeSpec {
        time_zone: "Europe/Amsterdam".into(),
        hours: "mon-thu 08:30-18:00, fri 08:30-17:00".into(),
        public_holidays: vec!["NL".into()],
        closed_days: vec!["2026-12-31".into()],
        closures: vec!["2026-07-27..2026-08-07".into()],
    };
    let cal = OfficeCalendar::from_spec(&spec).unwrap();
    assert_eq!(cal.closed_because(date(2026, 4, 27)), Some(ClosedBecause::PublicHoliday { country: Country::NL, key: "kings_day" }));
    assert_eq!(cal.closed_because(date(2026, 12, 31)), Some(ClosedBecause::ClosedDay));
    assert!(matches!(cal.closed_because(date(2026, 8, 3)), Some(ClosedBecause::Closure(_))));
    assert_eq!(cal.closed_because(date(2026, 4, 28)), None);
    assert!(cal.is_holiday(date(2026, 12, 25)) && !cal.is_holiday(date(2026, 10, 4)));

    let bad = |f: fn(&mut OfficeSpec)| {
        let mut s = spec.clone();
        f(&mut s);
        OfficeCalendar::from_spec(&s).unwrap_err().to_string()
    };
    assert!(bad(|s| s.time_zone = "Europe/Amsterdm".into()).starts_with("unknown time zone `Europe/Amsterdm`"));
    assert!(bad(|s| s.public_holidays.push("DE".into())).starts_with("public holidays of `DE` are not known"));
    assert!(bad(|s| s.public_holidays.push("XX".into())).starts_with("public holidays of `XX` are not known"));
    assert!(bad(|s| s.closed_days.push("2026-13-01".into())).starts_with("closed day `2026-13-01`"));
    assert!(bad(|s| s.closures.push("christmas".into())).starts_with("closure `christmas`"));
    assert!(bad(|s| s.hours = "weekdays 9-5".into()).starts_with("opening hours `weekdays 9-5`: `weekdays` is not a day"));
}

#[test]
fn friday_five_pm_plus_two_office_hours_is_monday_half_past_nine() {
    let cal = office("mon-fri 08:30-18:00");
    let due = cal.add_open_seconds(local("2026-06-05T17:00"), 2 * 3600).unwrap();
    assert_eq!(shown(due), "Mon 2026-06-08 09:30");
    assert_eq!(cal.open_seconds_between(local("2026-06-05T17:00"), due), 7200);
    // Office time runs out at closing time: the deadline is then, not the next opening.
    assert_eq!(shown(cal.add_open_seconds(local("2026-06-05T17:00"), 3600).unwrap()), "Fri 2026-06-05 18:00");
    assert!(cal.is_open(local("2026-06-05T08:30")) && cal.is_open(local("2026-06-05T17:59:59")));
    assert!(!cal.is_open(local("2026-06-05T18:00")) && !cal.is_open(local("2026-06-06T12:00")));
    assert_eq!(shown(cal.next_open(local("2026-06-05T18:00")).unwrap()), "Mon 2026-06-08 08:30");
    assert_eq!(cal.next_open(local("2026-06-05T12:00")), Some(local("2026-06-05T12:00")));
}

#[test]
fn a_holiday_monday_moves_the_deadline_to_tuesday() {
    // Monday 27 April 2026 is King's Day.
    let cal = office("mon-fri 08:30-18:00").with_public_holidays(&[Country::NL]).unwrap();
    assert_eq!(shown(cal.add_open_seconds(local("2026-04-24T17:00"), 7200).unwrap()), "Tue 2026-04-28 09:30");
    // An Italian office works that day, and closes on Saturday 25 April only (closed anyway).
    let rome = OfficeCalendar::new(TimeZone::get("Europe/Rome").unwrap(), "mon-fri 08:30-18:00".parse().unwrap());
    let rome = rome.with_public_holidays(&[Country::IT]).unwrap();
    let friday = "2026-04-24T17:00:00+02:00[Europe/Rome]".parse::<jiff::Zoned>().unwrap().timestamp();
    assert_eq!(rome.add_open_seconds(friday, 7200).unwrap().to_string(), "2026-04-27T07:30:00Z");
}

#[test]
fn the_dst_sundays_have_23_and_25_hours() {
    let cal = office("24/7");
    assert_eq!(cal.open_seconds_between(local("2026-03-29T00:00"), local("2026-03-30T00:00")), 23 * 3600);
    assert_eq!(cal.open_seconds_between(local("2026-10-25T00:00"), local("2026-10-26T00:00")), 25 * 3600);
    // 24 hours after Saturday noon is Sunday 13:00 in spring, 11:00 in autumn.
    assert_eq!(shown(cal.add_open_seconds(local("2026-03-28T12:00"), 86_400).unwrap()), "Sun 2026-03-29 13:00");
    assert_eq!(shown(cal.add_open_seconds(local("2026-10-24T12:00"), 86_400).unwrap()), "Sun 2026-10-25 11:00");
    // Wall-clock hours across the change: 01:00-02:30 skips the missing hour in spring and
    // counts 02:00-02:30 twice in autumn.
    let night = office("sun 01:00-02:30");
    assert_eq!(night.open_seconds_between(local("2026-03-29T00:00"), local("2026-03-30T00:00")), 3600);
    assert_eq!(night.open_seconds_between(local("2026-10-25T00:00"), local("2026-10-26T00:00")), 7200);
    let second_0215 = "2026-10-25T01:15:00Z".parse().unwrap();
    assert!(night.is_open(second_0215));
    assert_eq!(night.add_open_seconds(local("2026-10-25T00:00"), 6300).unwrap(), second_0215);
    // Office hours by day never notice: Friday and Monday are 9.5 hours each.
    let day = office("mon-fri 08:30-18:00");
    assert_eq!(day.open_seconds_between(local("2026-03-27T00:00"), local("2026-03-31T00:00")), 2 * 34_200);
}

#[test]
fn a_year_of_office_time_is_counted_day_by_day() {
    let cal = office("mon-fri 08:30-18:00").with_public_holidays(&[Country::NL]).unwrap();
    // 261 weekdays in 2026, 7 of them Dutch public holidays (1 Jan, Good Friday, Easter Monday,
    // King's Day, Ascension Day, Whit Monday, Christmas Day), 9.5 hours each.
    let year = 254 * 34_200;
    assert_eq!(cal.open_seconds_between(local("2026-01-01T00:00"), local("2027-01-01T00:00")), year);
    assert_eq!(shown(cal.add_open_seconds(local("2026-01-01T00:00"), year).unwrap()), "Thu 2026-12-31 18:00");
    // Decades do not take long either.
    let decades = cal.open_seconds_between(local("2026-01-01T00:00"), local("2076-01-01T00:00"));
    assert!((49 * year..51 * year).contains(&decades), "{decades}");
    assert_eq!(cal.open_seconds_between(local("2076-01-01T00:00"), local("2026-01-01T00:00")), 0);
    let end = cal.add_open_seconds(local("2026-01-01T00:00"), decades).unwrap();
    assert_eq!(shown(end), "Tue 2075-12-31 18:00");
}

#[test]
fn closures_and_own_days_close_the_office() {
    let cal = office("mon-fri 08:30-18:00").with_closures(["2026-12-24..2027-01-01".parse().unwrap()]).with_closed_days([date(2027, 1, 4)]);
    assert_eq!(shown(cal.next_open(local("2026-12-23T18:00")).unwrap()), "Tue 2027-01-05 08:30");
    assert!(!cal.is_open(local("2026-12-28T10:00")));
}

#[test]
fn an_office_that_never_opens_gives_no_deadline() {
    for cal in [office("closed"), office("mon-fri 09:00-17:00").with_closures(["2026-01-01..2099-12-31".parse().unwrap()])] {
        assert_eq!(cal.add_open_seconds(local("2026-06-01T12:00"), 60), None);
        assert_eq!(cal.next_open(local("2026-06-01T12:00")), None);
        assert_eq!(cal.open_seconds_between(local("2026-06-01T12:00"), local("2030-06-01T12:00")), 0);
        assert_eq!(cal.add_open_seconds(local("2026-06-01T12:00"), 0), Some(local("2026-06-01T12:00")));
    }
    let always = OfficeCalendar::always();
    let t: Timestamp = "2026-06-01T12:00:00.75Z".parse().unwrap();
    assert_eq!(always.add_open_seconds(t, 90).unwrap().to_string(), "2026-06-01T12:01:30Z");
    assert!(always.open_seconds_between(t, Timestamp::MAX) > 200 * 365 * 86_400);
}

// --- Property tests against a brute-force count, one minute at a time ---

/// A random office for the property tests (here and in `sla`), described plainly so that the
/// brute force can answer "is it open at this minute" without the calendar's own code.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub zone: &'static str,
    /// Per weekday (Monday first), open spans in minutes after midnight.
    pub week: Vec<Vec<(u32, u32)>>,
    pub countries: Vec<Country>,
    pub own_days: Vec<Date>,
    pub closure: Option<(Date, Date)>,
    /// A minute-aligned instant within a few days of a DST change.
    pub base: i64,
}

impl Model {
    pub fn tz(&self) -> TimeZone {
        TimeZone::get(self.zone).unwrap()
    }

    pub fn calendar(&self) -> OfficeCalendar {
        let mut week = WorkingWeek::closed();
        for (i, spans) in self.week.iter().enumerate() {
            for &(a, b) in spans {
                week.add(Weekday::from_monday_zero_offset(i as i8).unwrap(), OpenSpan::new(a * 60, b * 60).unwrap()).unwrap();
            }
        }
        let closures = self.closure.map(|(first, last)| Closure { first, last });
        OfficeCalendar::new(self.tz(), week)
            .with_public_holidays(&self.countries)
            .unwrap()
            .with_closed_days(self.own_days.clone())
            .with_closures(closures)
    }

    /// Whether the wall clock at minute-aligned `t` shows an open time on an open day.
    pub fn open_at(&self, tz: &TimeZone, t: i64) -> bool {
        let local = tz.to_datetime(Timestamp::from_second(t).unwrap());
        let d = local.date();
        let minute = local.hour() as u32 * 60 + local.minute() as u32;
        let holiday = self.countries.iter().any(|&c| public_holidays(c, d.year()).iter().any(|h| h.date == d));
        let closed = holiday || self.own_days.contains(&d) || self.closure.is_some_and(|(a, b)| a <= d && d <= b);
        !closed && self.week[d.weekday().to_monday_zero_offset() as usize].iter().any(|&(a, b)| a <= minute && minute < b)
    }
}

fn arb_day() -> impl Strategy<Value = Vec<(u32, u32)>> {
    // Breakpoints favour the small hours, where the clocks change.
    let point = prop_oneof![0u32..=1440, prop::sample::select(vec![0, 60, 120, 150, 180, 210, 240, 1440])];
    prop_oneof![
        1 => Just(vec![(0, 1440)]),
        6 => prop::collection::vec(point, 0..7).prop_map(|mut p| {
            p.sort();
            p.dedup();
            p.chunks_exact(2).map(|c| (c[0], c[1])).collect()
        }),
    ]
}

pub(crate) fn arb_model() -> impl Strategy<Value = Model> {
    (
        prop::sample::select(vec!["Europe/Amsterdam", "Europe/Rome"]),
        prop::collection::vec(arb_day(), 7),
        prop::sample::select(vec![vec![], vec![Country::NL], vec![Country::IT], vec![Country::NL, Country::IT]]),
        (2024i16..2034, any::<bool>(), -3 * 1440i64..3 * 1440),
        prop::collection::vec(-4i64..8, 0..4),
        prop::option::of((-4i64..8, 0i64..3)),
    )
        .prop_map(|(zone, week, countries, (year, autumn, minutes), own, closure)| {
            let tz = TimeZone::get(zone).unwrap();
            let jan = date(year, 1, 1).to_zoned(tz.clone()).unwrap().timestamp();
            let change = tz.following(jan).nth(usize::from(autumn)).unwrap().timestamp().as_second();
            let base = change + minutes * 60;
            let day0 = tz.to_datetime(Timestamp::from_second(base).unwrap()).date();
            let day = |n: i64| crate::billing::plus_days(day0, n);
            let own_days = own.into_iter().map(day).collect();
            let closure = closure.map(|(s, len)| (day(s), day(s + len)));
            Model { zone, week, countries, own_days, closure, base }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn office_time_agrees_with_a_minute_by_minute_count(
        m in arb_model(), start in -1440i64..1440, minutes in 0i64..3 * 1440, picks in prop::collection::vec(any::<prop::sample::Index>(), 4),
    ) {
        let (tz, cal) = (m.tz(), m.calendar());
        let from = m.base + start * 60;
        let to = from + minutes * 60;
        let open: Vec<i64> = (0..minutes).map(|i| from + i * 60).filter(|&t| m.open_at(&tz, t)).collect();
        let ts = |s: i64| Timestamp::from_second(s).unwrap();
        prop_assert_eq!(cal.open_seconds_between(ts(from), ts(to)), open.len() as i64 * 60);
        prop_assert_eq!(cal.open_seconds_between(ts(to), ts(from)), 0);
        for p in &picks {
            let t = from + p.index(minutes.max(1) as usize) as i64 * 60;
            prop_assert_eq!(cal.is_open(ts(t)), m.open_at(&tz, t), "at {}", ts(t));
        }
        // The j-th open minute ends when j minutes of office time have passed.
        for (j, &minute) in open.iter().enumerate() {
            if j % 37 == 0 || j + 1 == open.len() {
                prop_assert_eq!(cal.add_open_seconds(ts(from), (j as i64 + 1) * 60), Some(ts(minute + 60)));
            }
        }
        if let Some(&first) = open.first() {
            prop_assert_eq!(cal.next_open(ts(from)), Some(ts(first)));
        }
    }

    #[test]
    fn adding_office_time_inverts_counting_it(
        m in arb_model(), start in -1440i64..1440, a in 0i64..200_000, b in 0i64..200_000, c in 0i64..200_000,
    ) {
        // To the second, not only the minute.
        let cal = m.calendar();
        let ts = |s: i64| Timestamp::from_second(s).unwrap();
        let from = m.base + start * 60 + a % 60;
        let to = from + b;
        let between = cal.open_seconds_between(ts(from), ts(to));
        let back = cal.add_open_seconds(ts(from), between).unwrap();
        prop_assert!(back <= ts(to));
        prop_assert_eq!(cal.open_seconds_between(ts(from), back), between);
        prop_assert_eq!(cal.open_seconds_between(back, ts(to)), 0);
        if let Some(t) = cal.add_open_seconds(ts(from), c % 50_000) {
            prop_assert_eq!(cal.open_seconds_between(ts(from), t), c % 50_000);
            if c % 50_000 > 0 {
                // The earliest such instant: the second before it was still office time.
                prop_assert_eq!(cal.open_seconds_between(ts(from), ts(t.as_second() - 1)), c % 50_000 - 1);
            }
        }
        let mid = from + a % (b + 1);
        prop_assert_eq!(cal.open_seconds_between(ts(from), ts(mid)) + cal.open_seconds_between(ts(mid), ts(to)), between);
    }
}
