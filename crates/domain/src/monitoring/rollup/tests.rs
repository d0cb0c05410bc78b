//! The roll-ups against a count second by second over the raw results.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::monitoring::state::{MonitorState, Pace, observe};

/// Month ends, DST changes and a leap day: 2024-02-29 (leap), 2024-03-31 (summer time begins on
/// the month's last day), 2026-10-25 (summer time ends), 2026-12-31 (year end).
const ANCHORS: [&str; 4] = ["2024-02-29T12:00:00Z", "2024-03-31T00:30:00Z", "2026-10-25T01:00:00Z", "2026-12-31T23:00:00Z"];

fn zones() -> [TimeZone; 3] {
    [TimeZone::get("Europe/Amsterdam").unwrap(), TimeZone::get("Europe/Rome").unwrap(), TimeZone::get("Asia/Kolkata").unwrap()]
}

/// Checks (second, ok) from random gaps and an outage pattern.
type Case = (usize, usize, Vec<(i64, bool)>, Vec<(i64, i64)>, i64);

fn checks() -> impl Strategy<Value = Case> {
    (
        0..ANCHORS.len(),
        0..3usize,
        prop::collection::vec((1..400i64, prop::bool::weighted(0.7)), 1..300),
        prop::collection::vec((-40_000..40_000i64, 60..7_200i64), 0..3),
        -50_000..0i64,
    )
        .prop_map(|(a, z, gaps, windows, start)| {
            let mut t = start;
            let checks = gaps
                .into_iter()
                .map(|(gap, ok)| {
                    t += gap;
                    (t, ok)
                })
                .collect();
            let windows = windows.into_iter().map(|(s, len)| (s, s + len)).collect();
            (a, z, checks, windows, 0)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn month_from_rollups_equals_a_count_second_by_second((anchor, zone, checks, windows, _) in checks()) {
        let tz = zones()[zone].clone();
        let base = ANCHORS[anchor].parse::<Timestamp>().unwrap().as_millisecond() / 1000;
        let checks: Vec<(i64, bool)> = checks.into_iter().map(|(s, ok)| (base + s, ok)).collect();
        let windows: Vec<(i64, i64)> = windows.into_iter().map(|(f, t)| ((base + f) * 1000, (base + t) * 1000)).collect();
        let pace = Pace { max_gap_ms: 500_000, retry_ms: 15_000 };

        // The roll-ups, as the checker writes them.
        let merged = crate::monitoring::maintenance::merge(windows.clone());
        let mut hours: BTreeMap<i64, Tally> = BTreeMap::new();
        let mut days: BTreeMap<jiff::civil::Date, Tally> = BTreeMap::new();
        let mut months: BTreeMap<String, Tally> = BTreeMap::new();
        let mut state = MonitorState::NEW;
        for &(at, ok) in &checks {
            let step = observe(state, at * 1000, ok, pace);
            state = step.state;
            if let Some(segment) = step.segment {
                for (b, t) in cut(&segment, &merged, &tz) {
                    hours.entry(b.hour).or_default().add(&t);
                    days.entry(b.day).or_default().add(&t);
                    months.entry(b.month()).or_default().add(&t);
                }
            }
        }

        // The brute force: second s in [c_i, c_i+1) is down when c_i failed and so did a
        // neighbour (a failure confirmed by its retry), up otherwise; only the last max_gap of a
        // long gap counts; a second inside a window is maintenance.
        let mut expect: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
        for i in 0..checks.len().saturating_sub(1) {
            let (c, ok) = checks[i];
            let next = checks[i + 1].0;
            let confirmed = !ok && ((i > 0 && !checks[i - 1].1) || !checks[i + 1].1);
            for s in c.max(next - pace.max_gap_ms / 1000)..next {
                let month = month_key(local_date(s * 1000, &tz));
                let e = expect.entry(month).or_default();
                if windows.iter().any(|(f, t)| *f <= s * 1000 && s * 1000 < *t) {
                    e.2 += 1000;
                } else if confirmed {
                    e.1 += 1000;
                } else {
                    e.0 += 1000;
                }
            }
        }
        let got: BTreeMap<String, (i64, i64, i64)> = months.iter().map(|(m, t)| (m.clone(), (t.up_ms, t.down_ms, t.maintenance_ms))).filter(|(_, v)| *v != (0, 0, 0)).collect();
        expect.retain(|_, v| *v != (0, 0, 0));
        prop_assert_eq!(&got, &expect);

        // Days and hours add up to the same months.
        let mut from_days: BTreeMap<String, Tally> = BTreeMap::new();
        for (d, t) in &days {
            from_days.entry(month_key(*d)).or_default().add(t);
        }
        for (m, t) in &months {
            prop_assert_eq!(from_days.get(m), Some(t));
        }
        let total = |it: &mut dyn Iterator<Item = &Tally>| it.fold(Tally::default(), |mut a, t| { a.add(t); a });
        prop_assert_eq!(total(&mut hours.values()), total(&mut months.values()));
    }
}

#[test]
fn a_stretch_is_cut_at_local_midnight_and_utc_hours() {
    let tz = TimeZone::get("Asia/Kolkata").unwrap();
    // 18:00Z–19:00Z is 23:30–00:30 in Kolkata: two days, one UTC hour.
    let from = "2026-05-31T18:00:00Z".parse::<Timestamp>().unwrap().as_millisecond();
    let pieces = cut(&Segment { from, to: from + 3_600_000, down: true }, &[], &tz);
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0].0.month(), "2026-05");
    assert_eq!(pieces[1].0.month(), "2026-06");
    assert_eq!(pieces[0].0.hour, pieces[1].0.hour);
    assert_eq!(pieces[0].1.down_ms + pieces[1].1.down_ms, 3_600_000);
}
