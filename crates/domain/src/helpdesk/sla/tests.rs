use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::SlaEvent::*;
use super::*;
use crate::Country;
use crate::helpdesk::calendar::WorkingWeek;
use crate::helpdesk::calendar::tests::arb_model;

fn ams() -> TimeZone {
    TimeZone::get("Europe/Amsterdam").unwrap()
}

/// An Amsterdam wall-clock time as an instant.
fn local(s: &str) -> Timestamp {
    s.parse::<jiff::civil::DateTime>().unwrap().to_zoned(ams()).unwrap().timestamp()
}

fn office() -> OfficeCalendar {
    OfficeCalendar::new(ams(), "mon-fri 08:30-18:00".parse().unwrap()).with_public_holidays(&[Country::NL]).unwrap()
}

fn hours(h: i64) -> Option<i64> {
    Some(h * 3600)
}

fn policy(first: Option<i64>, resolution: Option<i64>) -> SlaPolicy {
    SlaPolicy { first_response: first, resolution, warn_at_percent: 80 }
}

fn history(events: &[(&str, SlaEvent)]) -> Vec<(Timestamp, SlaEvent)> {
    events.iter().map(|&(t, e)| (local(t), e)).collect()
}

#[test]
fn a_running_clock_warns_and_falls_due() {
    let events = history(&[("2026-06-03T10:00", Created)]);
    let clocks = sla_clocks(&events, &policy(hours(1), None), &office(), local("2026-06-03T10:30"));
    let c = clocks.first_response;
    assert_eq!((c.elapsed, c.state, c.paused), (1800, ClockState::Running, false));
    assert_eq!(c.due_at, Some(local("2026-06-03T11:00")));
    assert_eq!(c.warn_at, Some(local("2026-06-03T10:48")));
    assert_eq!(clocks.resolution.state, ClockState::NotApplicable);
    let later = sla_clocks(&events, &policy(hours(1), None), &office(), local("2026-06-03T10:50")).first_response;
    assert_eq!((later.state, later.warn_at), (ClockState::Warning, Some(local("2026-06-03T10:48"))));
}

#[test]
fn friday_afternoon_ticket_is_due_monday_morning() {
    let created = history(&[("2026-06-05T17:00", Created)]);
    let p = policy(hours(2), None);
    let c = sla_clocks(&created, &p, &office(), local("2026-06-06T12:00")).first_response;
    assert_eq!((c.elapsed, c.due_at, c.state), (3600, Some(local("2026-06-08T09:30")), ClockState::Running));
    // Answered at 09:15 on Monday: met. Unanswered at 10:00: breached at 09:30.
    let answered = history(&[("2026-06-05T17:00", Created), ("2026-06-08T09:15", FirstResponse)]);
    let c = sla_clocks(&answered, &p, &office(), local("2026-06-08T12:00")).first_response;
    assert_eq!((c.elapsed, c.state, c.stopped_at, c.due_at), (6300, ClockState::Met, Some(local("2026-06-08T09:15")), None));
    let c = sla_clocks(&created, &p, &office(), local("2026-06-08T10:00")).first_response;
    let at = local("2026-06-08T09:30");
    assert_eq!((c.elapsed, c.state, c.breached_at), (9000, ClockState::Breached { at }, Some(at)));
}

#[test]
fn a_deadline_at_closing_time_is_kept_by_an_answer_before_opening() {
    let created = history(&[("2026-06-03T16:00", Created), ("2026-06-04T08:00", FirstResponse)]);
    let c = sla_clocks(&created, &policy(hours(2), None), &office(), local("2026-06-04T12:00")).first_response;
    assert_eq!((c.elapsed, c.state, c.breached_at), (7200, ClockState::Met, None));
}

#[test]
fn a_ticket_paused_over_the_weekend_loses_no_time() {
    // 24/7 support: only the wait on the customer stops the clock.
    let events = history(&[("2026-06-05T16:00", Created), ("2026-06-05T18:00", Paused), ("2026-06-08T09:00", Resumed)]);
    let cal = OfficeCalendar::new(ams(), WorkingWeek::always());
    let p = policy(hours(4), hours(8));
    let paused = sla_clocks(&events, &p, &cal, local("2026-06-07T12:00"));
    for c in [paused.first_response, paused.resolution] {
        assert_eq!((c.elapsed, c.state, c.paused, c.due_at), (7200, ClockState::Paused, true, None));
    }
    // Warned before the pause: the past instant stays; not yet warned: none while paused.
    assert_eq!((paused.first_response.warn_at, paused.resolution.warn_at), (None, None));
    let back = sla_clocks(&events, &p, &cal, local("2026-06-08T10:00"));
    assert_eq!((back.first_response.elapsed, back.first_response.due_at), (10_800, Some(local("2026-06-08T11:00"))));
    assert_eq!(back.resolution.due_at, Some(local("2026-06-08T15:00")));
}

#[test]
fn a_holiday_monday_is_not_office_time() {
    // Monday 27 April 2026 is King's Day.
    let events = history(&[("2026-04-24T17:00", Created)]);
    let c = sla_clocks(&events, &policy(hours(2), None), &office(), local("2026-04-27T12:00")).first_response;
    assert_eq!((c.elapsed, c.due_at), (3600, Some(local("2026-04-28T09:30"))));
}

#[test]
fn a_dst_sunday_has_23_hours() {
    let events = history(&[("2026-03-28T12:00", Created)]);
    let cal = OfficeCalendar::new(ams(), WorkingWeek::always());
    let c = sla_clocks(&events, &policy(hours(24), None), &cal, local("2026-03-29T12:30")).first_response;
    assert_eq!((c.elapsed, c.due_at), (23 * 3600 + 1800, Some(local("2026-03-29T13:00"))));
}

#[test]
fn resolution_goes_on_after_a_reopen() {
    let events = history(&[
        ("2026-06-01T09:00", Created),
        ("2026-06-01T09:30", FirstResponse),
        ("2026-06-01T12:00", Resolved),
        ("2026-06-02T09:00", Reopened),
    ]);
    let p = policy(hours(1), hours(4));
    let resolved = sla_clocks(&events[..3], &p, &office(), local("2026-06-01T15:00")).resolution;
    assert_eq!((resolved.elapsed, resolved.state, resolved.stopped_at), (10_800, ClockState::Met, Some(local("2026-06-01T12:00"))));
    let c = sla_clocks(&events, &p, &office(), local("2026-06-02T10:30"));
    assert_eq!((c.resolution.elapsed, c.resolution.state), (16_200, ClockState::Breached { at: local("2026-06-02T10:00") }));
    assert_eq!(c.first_response.state, ClockState::Met);
    // A ticket resolved unanswered needs no answer; reopened, it does again.
    let unanswered = history(&[("2026-06-01T09:00", Created), ("2026-06-01T09:20", Resolved), ("2026-06-02T09:00", Reopened)]);
    let c = sla_clocks(&unanswered[..2], &p, &office(), local("2026-06-01T15:00")).first_response;
    assert_eq!((c.elapsed, c.state), (1200, ClockState::Met));
    let c = sla_clocks(&unanswered, &p, &office(), local("2026-06-02T09:10")).first_response;
    assert_eq!((c.elapsed, c.state, c.due_at), (1800, ClockState::Running, Some(local("2026-06-02T09:40"))));
}

#[test]
fn no_history_or_no_target_is_not_applicable() {
    let c = sla_clocks(&[], &policy(hours(1), hours(8)), &office(), local("2026-06-01T10:00"));
    assert_eq!((c.first_response.state, c.first_response.elapsed), (ClockState::NotApplicable, 0));
    let events = history(&[("2026-06-01T09:00", Created)]);
    let c = sla_clocks(&events, &policy(None, None), &office(), local("2026-06-01T10:00"));
    assert_eq!((c.resolution.state, c.resolution.elapsed, c.resolution.due_at), (ClockState::NotApplicable, 3600, None));
    // Events after `now` are not looked at.
    let events = history(&[("2026-06-01T09:00", Created), ("2026-06-01T11:00", FirstResponse)]);
    let c = sla_clocks(&events, &policy(hours(1), None), &office(), local("2026-06-01T09:30")).first_response;
    assert_eq!((c.state, c.stopped_at), (ClockState::Running, None));
}

#[test]
fn escalations_are_due_once_and_only_while_the_ticket_waits_on_staff() {
    let rules = vec![
        EscalationRule {
            clock: ClockKind::FirstResponse,
            on: EscalateOn::Warning,
            action: EscalationAction::Notify("support-leads".into()),
        },
        EscalationRule { clock: ClockKind::FirstResponse, on: EscalateOn::Breach, action: EscalationAction::RaisePriority },
        EscalationRule { clock: ClockKind::Resolution, on: EscalateOn::Breach, action: EscalationAction::Reassign("second-line".into()) },
    ];
    let events = history(&[("2026-06-01T09:00", Created)]);
    let p = policy(hours(1), hours(8));
    let due = |now: &str, applied: &[usize]| -> Vec<usize> {
        let clocks = sla_clocks(&events, &p, &office(), local(now));
        due_escalations(&clocks, &rules, &applied.iter().copied().collect()).into_iter().map(|(i, _)| i).collect()
    };
    assert_eq!(due("2026-06-01T09:47", &[]), Vec::<usize>::new());
    assert_eq!(due("2026-06-01T09:48", &[]), [0]);
    assert_eq!(due("2026-06-01T10:00", &[0]), Vec::<usize>::new());
    assert_eq!(due("2026-06-01T10:01", &[0]), [1]);
    assert_eq!(due("2026-06-01T10:01", &[]), [0, 1]);
    assert_eq!(due("2026-06-02T09:00", &[0, 1]), [2]);
    assert_eq!(due("2026-06-02T09:00", &[0, 1, 2]), Vec::<usize>::new());
    // Answered late: the first-response rules have nothing left to do.
    let answered = history(&[("2026-06-01T09:00", Created), ("2026-06-01T11:00", FirstResponse)]);
    let clocks = sla_clocks(&answered, &p, &office(), local("2026-06-01T11:05"));
    assert_eq!(clocks.first_response.state, ClockState::Breached { at: local("2026-06-01T10:00") });
    assert!(due_escalations(&clocks, &rules, &BTreeSet::new()).is_empty());
}

// --- Property test: the clocks against a minute-by-minute simulation ---

/// What one clock should say, found by running the ticket a minute at a time.
#[derive(Debug)]
struct Simulated {
    elapsed: i64,
    running: bool,
    paused: bool,
    stopped_at: Option<i64>,
    /// The first instant at which `target` (and the warning share) had run, if within reach.
    due: Option<i64>,
    warned: Option<i64>,
}

fn simulate(open: &[bool], start: i64, events: &[(i64, SlaEvent)], now: i64, first: bool, target: i64, warn: Option<i64>) -> Simulated {
    let (mut paused, mut answered, mut resolved) = (false, false, false);
    let mut stopped_at = None;
    let (mut next, mut elapsed) = (0, 0);
    let mut out = Simulated { elapsed: 0, running: false, paused: false, stopped_at: None, due: None, warned: None };
    for (i, &is_open) in open.iter().enumerate() {
        let t = start + i as i64 * 60;
        while next < events.len() && events[next].0 <= t && events[next].0 <= now {
            let was_stopped = if first { answered || resolved } else { resolved };
            match events[next].1 {
                Created => {}
                Paused => paused = true,
                Resumed => paused = false,
                FirstResponse => answered = true,
                Resolved => (resolved, paused) = (true, false),
                Reopened => (resolved, paused) = (false, false),
            }
            let stopped = if first { answered || resolved } else { resolved };
            if stopped && !was_stopped {
                stopped_at = Some(events[next].0);
            } else if !stopped {
                stopped_at = None;
            }
            next += 1;
        }
        let running = !paused && !resolved && (!first || !answered);
        if out.due.is_none() && elapsed == target {
            out.due = Some(t);
        }
        if out.warned.is_none() && Some(elapsed) == warn {
            out.warned = Some(t);
        }
        if t == now {
            out = Simulated { elapsed, running, paused: paused && stopped_at.is_none(), stopped_at, ..out };
        }
        if running && is_open {
            elapsed += 60;
        }
    }
    out
}

fn arb_events() -> impl Strategy<Value = Vec<(i64, SlaEvent)>> {
    let kind = prop::sample::select(vec![Paused, Resumed, FirstResponse, Resolved, Reopened]);
    prop::collection::vec((0i64..300, kind), 0..10).prop_map(|steps| {
        let mut t = 0;
        let mut events = vec![(0, Created)];
        for (gap, e) in steps {
            t += gap;
            events.push((t, e));
        }
        events
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn clocks_agree_with_a_minute_by_minute_simulation(
        m in arb_model(), events in arb_events(), start in -1440i64..1440, now_at in 0i64..3600,
        first_target in 0i64..1200, resolution_target in 0i64..3000, pct in prop::sample::select(vec![0u8, 50, 80, 100]),
    ) {
        let (tz, cal) = (m.tz(), m.calendar());
        let start = m.base + start * 60;
        let events: Vec<(i64, SlaEvent)> = events.into_iter().map(|(t, e)| (start + t * 60, e)).collect();
        let now = start + (now_at % (events.last().unwrap().0 / 60 - start / 60 + 600)) * 60;
        // Simulate up to six days past `now` for the deadlines still ahead.
        let minutes = (now - start) / 60 + 6 * 1440;
        let open: Vec<bool> = (0..minutes).map(|i| m.open_at(&tz, start + i * 60)).collect();
        let policy = SlaPolicy { first_response: Some(first_target * 60), resolution: Some(resolution_target * 60), warn_at_percent: pct };
        let ts = |s: i64| Timestamp::from_second(s).unwrap();
        let history: Vec<(Timestamp, SlaEvent)> = events.iter().map(|&(t, e)| (ts(t), e)).collect();
        let clocks = sla_clocks(&history, &policy, &cal, ts(now));
        for (first, clock) in [(true, clocks.first_response), (false, clocks.resolution)] {
            let target = clock.target.unwrap();
            let warn = (pct > 0 && pct < 100).then(|| target * i64::from(pct) / 100);
            let sim = simulate(&open, start, &events, now, first, target, warn);
            prop_assert_eq!(clock.elapsed, sim.elapsed);
            prop_assert_eq!(clock.paused, sim.paused);
            prop_assert_eq!(clock.stopped_at, sim.stopped_at.map(ts));
            let breached = sim.elapsed > target;
            prop_assert_eq!(clock.breached_at, if breached { sim.due.map(ts) } else { None });
            let expected = if breached {
                ClockState::Breached { at: ts(sim.due.unwrap()) }
            } else if sim.stopped_at.is_some() {
                ClockState::Met
            } else if sim.paused {
                ClockState::Paused
            } else if warn.is_some_and(|w| sim.elapsed >= w) && sim.running {
                ClockState::Warning
            } else {
                ClockState::Running
            };
            prop_assert_eq!(clock.state, expected);
            // Deadlines past, or ahead within the simulated days.
            if sim.running && sim.due.is_some() {
                prop_assert_eq!(clock.due_at, sim.due.map(ts));
            }
            if !sim.running {
                prop_assert_eq!(clock.due_at, None);
            }
            // The simulation finds warnings on whole minutes only.
            if warn.is_some_and(|w| w % 60 == 0) {
                if sim.warned.is_some_and(|w| w <= now) || (sim.running && sim.warned.is_some()) {
                    prop_assert_eq!(clock.warn_at, sim.warned.map(ts));
                }
                if !sim.running && sim.warned.is_none_or(|w| w > now) {
                    prop_assert_eq!(clock.warn_at, None);
                }
            }
        }
    }
}
