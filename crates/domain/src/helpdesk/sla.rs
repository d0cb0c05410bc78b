//! SLA clocks: how much of the promised office time a ticket has used for its first answer and
//! for its resolution, when it falls due, and whether the promise was kept.
//!
//! The clocks are derived from the ticket's history every time, never kept as counters: a
//! changed office calendar, a correction in the history or a late-running job cannot make them
//! drift. A clock runs in office time only ([`OfficeCalendar`]) and stands still while the
//! ticket waits on the customer.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::calendar::OfficeCalendar;

#[cfg(test)]
mod tests;

/// What happened to a ticket, as far as its SLA clocks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaEvent {
    Created,
    /// The status became "waiting on customer": both clocks stand still.
    Paused,
    /// The status left "waiting on customer".
    Resumed,
    /// The first public reply by staff: the first-response clock stops for good.
    FirstResponse,
    /// The ticket was resolved (which ends a wait on the customer too).
    Resolved,
    /// A resolved ticket was opened again: its resolution clock goes on from where it stopped.
    Reopened,
}

/// What the provider promises on a ticket, in seconds of office time; `None`: no promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub first_response: Option<i64>,
    pub resolution: Option<i64>,
    /// A clock warns once it has used this share of its target (80: at 80 %); 0 or 100 and
    /// more: no warning.
    pub warn_at_percent: u8,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ClockState {
    /// No target for this clock in the policy (or no history yet).
    NotApplicable,
    Running,
    /// Running, and past the warning share of its target.
    Warning,
    /// Standing still while the ticket waits on the customer.
    Paused,
    /// Stopped within its target.
    Met,
    /// More office time used than promised; `at` is the deadline it passed.
    Breached {
        at: Timestamp,
    },
}

/// One SLA clock as it stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// The promise, in seconds of office time.
    pub target: Option<i64>,
    /// The seconds of office time at which the clock warns.
    pub warn_after: Option<i64>,
    /// Seconds of office time the clock has run (pauses excluded), up to its stop or `now`.
    pub elapsed: i64,
    /// The ticket waits on the customer now and the clock has not stopped.
    pub paused: bool,
    /// When the clock stopped (the first answer, the resolution); `None` while it can run.
    pub stopped_at: Option<Timestamp>,
    /// The deadline while the clock runs: when the target is (or was) used up if the ticket
    /// is not paused any more. `None` while paused or stopped, or without a target.
    pub due_at: Option<Timestamp>,
    /// When the warning share is (or was) reached: the past instant once reached, the
    /// expected one while running, `None` otherwise.
    pub warn_at: Option<Timestamp>,
    /// The deadline that was passed, once more office time has run than promised.
    pub breached_at: Option<Timestamp>,
    pub state: ClockState,
}

/// The two clocks of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlaClocks {
    pub first_response: Clock,
    pub resolution: Clock,
}

impl SlaClocks {
    pub fn clock(&self, kind: ClockKind) -> &Clock {
        match kind {
            ClockKind::FirstResponse => &self.first_response,
            ClockKind::Resolution => &self.resolution,
        }
    }
}

/// The SLA clocks of a ticket at `now`, from its `events` in time order (events after `now`
/// are not looked at). The clocks start at the first event, normally [`SlaEvent::Created`].
///
/// The first-response clock runs while the ticket is neither waiting on the customer nor
/// answered nor resolved; the resolution clock while it is neither waiting nor resolved, and a
/// reopened ticket's clock goes on from where it stopped. A clock breaches when it has run more
/// office time than its target; its deadline (`breached_at`) is the instant the target was used
/// up, exactly, found with [`OfficeCalendar::add_open_seconds`] within the stretch it ran in.
/// So an answer given before the office reopens, after a deadline at closing time, is in time:
/// the customer lost no office time.
pub fn sla_clocks(events: &[(Timestamp, SlaEvent)], policy: &SlaPolicy, calendar: &OfficeCalendar, now: Timestamp) -> SlaClocks {
    let now = now.as_second();
    let mut first = Runs::default();
    let mut resolution = Runs::default();
    let (mut started, mut paused, mut answered, mut resolved) = (false, false, false, false);
    for &(at, event) in events {
        let t = at.as_second();
        if t > now {
            break;
        }
        if !started {
            started = true;
            first.start = Some(t);
            resolution.start = Some(t);
        }
        match event {
            SlaEvent::Created => {}
            SlaEvent::Paused => paused = true,
            SlaEvent::Resumed => paused = false,
            SlaEvent::FirstResponse => answered = true,
            SlaEvent::Resolved => (resolved, paused) = (true, false),
            SlaEvent::Reopened => (resolved, paused) = (false, false),
        }
        first.set(t, !paused && !answered && !resolved, answered || resolved);
        resolution.set(t, !paused && !resolved, resolved);
    }
    first.finish(now, paused);
    resolution.finish(now, paused);
    let pct = (1..100).contains(&policy.warn_at_percent).then_some(i64::from(policy.warn_at_percent));
    SlaClocks {
        first_response: first.clock(policy.first_response, pct, calendar, now),
        resolution: resolution.clock(policy.resolution, pct, calendar, now),
    }
}

/// The stretches of time a clock ran, in Unix seconds `[start, end)`.
#[derive(Default)]
struct Runs {
    start: Option<i64>,
    done: Vec<(i64, i64)>,
    open: Option<i64>,
    stopped_at: Option<i64>,
    running_now: bool,
    paused_now: bool,
}

impl Runs {
    fn set(&mut self, t: i64, running: bool, stopped: bool) {
        match (running, self.open) {
            (true, None) => self.open = Some(t),
            (false, Some(s)) => {
                self.done.push((s, t));
                self.open = None;
            }
            _ => {}
        }
        self.stopped_at = if stopped { self.stopped_at.or(Some(t)) } else { None };
    }

    fn finish(&mut self, now: i64, paused: bool) {
        if let Some(s) = self.open.take() {
            self.done.push((s, now));
            self.running_now = true;
        }
        self.paused_now = paused && self.start.is_some() && self.stopped_at.is_none();
    }

    /// The earliest instant at which the clock had run `need` seconds of office time, if it has.
    fn reached(&self, need: i64, calendar: &OfficeCalendar) -> Option<i64> {
        if need <= 0 {
            return self.start;
        }
        let mut used = 0;
        for &(s, e) in &self.done {
            let (from, to) = (at(s), at(e));
            let here = calendar.open_seconds_between(from, to);
            if used + here >= need {
                return calendar.add_open_seconds(from, need - used).map(|t| t.as_second());
            }
            used += here;
        }
        None
    }

    fn clock(&self, target: Option<i64>, pct: Option<i64>, calendar: &OfficeCalendar, now: i64) -> Clock {
        let elapsed = self.done.iter().map(|&(s, e)| calendar.open_seconds_between(at(s), at(e))).sum();
        let target = target.map(|t| t.max(0));
        let mut clock = Clock {
            target,
            warn_after: None,
            elapsed,
            paused: self.paused_now,
            stopped_at: self.stopped_at.map(at),
            due_at: None,
            warn_at: None,
            breached_at: None,
            state: ClockState::NotApplicable,
        };
        let (Some(target), Some(_)) = (target, self.start) else { return clock };
        let warn_after = pct.map(|p| target * p / 100);
        // Where the clock has not got to yet: the instant it will, if it keeps running from now.
        let ahead = |need: i64| calendar.add_open_seconds(at(now), need - elapsed).map(|t| t.as_second());
        let due = self.reached(target, calendar).or_else(|| if self.running_now { ahead(target) } else { None });
        let warned = warn_after.and_then(|w| self.reached(w, calendar).or_else(|| if self.running_now { ahead(w) } else { None }));
        clock.warn_after = warn_after;
        clock.due_at = if self.running_now { due.map(at) } else { None };
        clock.warn_at = warned.map(at);
        clock.breached_at = if elapsed > target { due.map(at) } else { None };
        clock.state = match clock.breached_at {
            Some(at) => ClockState::Breached { at },
            None if self.stopped_at.is_some() => ClockState::Met,
            None if self.paused_now => ClockState::Paused,
            None if warn_after.is_some_and(|w| elapsed >= w) && self.running_now => ClockState::Warning,
            None => ClockState::Running,
        };
        clock
    }
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap_or(if second < 0 { Timestamp::MIN } else { Timestamp::MAX })
}

/// Which clock a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    Resolution,
}

/// When a rule acts: at the clock's warning, or once it has breached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalateOn {
    Warning,
    Breach,
}

/// What a rule does to the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationAction {
    RaisePriority,
    /// Hand the ticket to this team.
    Reassign(String),
    /// Tell this person or team.
    Notify(String),
}

/// "When the first-response clock breaches, hand the ticket to the second line."
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EscalationRule {
    pub clock: ClockKind,
    pub on: EscalateOn,
    pub action: EscalationAction,
}

impl Clock {
    /// Whether the clock has reached the point `on` while the ticket still needs it: a clock
    /// that stopped (answered, resolved) escalates nothing, whatever it reached. A breached
    /// clock has also reached its warning, also without a warning share.
    pub fn has_reached(&self, on: EscalateOn) -> bool {
        let Some(target) = self.target else { return false };
        let breached = self.elapsed > target;
        self.stopped_at.is_none()
            && match on {
                EscalateOn::Breach => breached,
                EscalateOn::Warning => breached || self.warn_after.is_some_and(|w| self.elapsed >= w),
            }
    }
}

/// The rules due on a ticket now, by their index in `rules`, leaving out those in `applied`
/// (each rule acts on a ticket once; the caller records the indices it applies). In the order
/// of `rules`.
pub fn due_escalations<'r>(clocks: &SlaClocks, rules: &'r [EscalationRule], applied: &BTreeSet<usize>) -> Vec<(usize, &'r EscalationRule)> {
    rules.iter().enumerate().filter(|(i, rule)| !applied.contains(i) && clocks.clock(rule.clock).has_reached(rule.on)).collect()
}
