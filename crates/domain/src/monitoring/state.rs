//! A monitor's health from one check to the next, and the time each check accounts for.
//!
//! The time between two checks takes the health that was established at the first of them:
//! up after a good check; after a failed one it depends on the next check — a second failure
//! confirms it (the time since the *first* failure is down, and an incident opens), a good
//! retry hides it as a blip (the time stays up). After a confirmed failure the time stays down
//! until a check succeeds. A gap longer than `max_gap` (no node checked) is not counted at all:
//! only its last `max_gap` is.

use serde::{Deserialize, Serialize};

use crate::named;

named!(
    /// Where a monitor stands. `Suspect`: the last check failed and a retry will tell.
    Health {
        Unknown = "unknown",
        Up = "up",
        Suspect = "suspect",
        Down = "down",
    }
);

/// What is kept of a monitor between checks (on its row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorState {
    pub health: Health,
    /// When the last check started (ms since the epoch).
    pub last_at: Option<i64>,
    /// The first failed check of the failure going on (suspect or down).
    pub failed_since: Option<i64>,
}

impl MonitorState {
    pub const NEW: MonitorState = MonitorState { health: Health::Unknown, last_at: None, failed_since: None };
}

/// A stretch of time `[from, to)` (ms) that was up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub from: i64,
    pub to: i64,
    pub down: bool,
}

/// What a check changed beyond the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A failure was confirmed: it began at `since`.
    Failed { since: i64 },
    /// A good check after a confirmed failure.
    Recovered { at: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub state: MonitorState,
    pub segment: Option<Segment>,
    pub change: Option<Change>,
    /// Check again at this instant rather than at the next slot (the retry that confirms).
    pub retry_at: Option<i64>,
}

/// How checks are spaced for one monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// The longest stretch one check accounts for (about two intervals and a time-out).
    pub max_gap_ms: i64,
    /// How soon a failure is checked again.
    pub retry_ms: i64,
}

impl Pace {
    pub fn of(interval_secs: i64, timeout_secs: i64) -> Pace {
        Pace {
            max_gap_ms: (2 * interval_secs + timeout_secs) * 1000,
            retry_ms: (interval_secs * 1000 / 4).clamp(5_000, 30_000).min(interval_secs * 1000),
        }
    }
}

/// The state after a check that started at `at` and was `ok` or not.
///
/// A check older than the last one (a slow node's, late) changes nothing.
pub fn observe(state: MonitorState, at: i64, ok: bool, pace: Pace) -> Step {
    if state.last_at.is_some_and(|last| at <= last) {
        return Step { state, segment: None, change: None, retry_at: None };
    }
    let segment = |down: bool| state.last_at.map(|last| Segment { from: last.max(at - pace.max_gap_ms), to: at, down });
    let (health, failed_since, segment, change, retry_at) = match (state.health, ok) {
        (Health::Unknown | Health::Up, true) => (Health::Up, None, segment(false), None, None),
        (Health::Unknown | Health::Up, false) => (Health::Suspect, Some(at), segment(false), None, Some(at + pace.retry_ms)),
        (Health::Suspect, true) => (Health::Up, None, segment(false), None, None),
        (Health::Suspect, false) => {
            let since = state.failed_since.unwrap_or(at);
            (Health::Down, Some(since), segment(true), Some(Change::Failed { since }), None)
        }
        (Health::Down, false) => (Health::Down, state.failed_since, segment(true), None, None),
        (Health::Down, true) => (Health::Up, None, segment(true), Some(Change::Recovered { at }), None),
    };
    Step { state: MonitorState { health, last_at: Some(at), failed_since }, segment, change, retry_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACE: Pace = Pace { max_gap_ms: 130_000, retry_ms: 15_000 };

    fn run(checks: &[(i64, bool)]) -> (Vec<Segment>, Vec<Change>, MonitorState) {
        let mut state = MonitorState::NEW;
        let (mut segments, mut changes) = (vec![], vec![]);
        for &(at, ok) in checks {
            let step = observe(state, at, ok, PACE);
            segments.extend(step.segment);
            changes.extend(step.change);
            state = step.state;
        }
        (segments, changes, state)
    }

    #[test]
    fn a_blip_is_hidden_by_the_retry() {
        let (segments, changes, state) = run(&[(0, true), (60_000, false), (75_000, true), (135_000, true)]);
        assert!(segments.iter().all(|s| !s.down));
        assert!(changes.is_empty());
        assert_eq!(state.health, Health::Up);
    }

    #[test]
    fn a_confirmed_failure_counts_from_the_first_failed_check() {
        let (segments, changes, _) = run(&[(0, true), (60_000, false), (75_000, false), (135_000, false), (195_000, true)]);
        let down: i64 = segments.iter().filter(|s| s.down).map(|s| s.to - s.from).sum();
        assert_eq!(down, 195_000 - 60_000);
        assert_eq!(changes, [Change::Failed { since: 60_000 }, Change::Recovered { at: 195_000 }]);
    }

    #[test]
    fn a_gap_counts_only_its_last_stretch_and_late_checks_change_nothing() {
        let (segments, _, _) = run(&[(0, true), (1_000_000, true)]);
        assert_eq!(segments, [Segment { from: 1_000_000 - 130_000, to: 1_000_000, down: false }]);
        let state = MonitorState { health: Health::Up, last_at: Some(100), failed_since: None };
        assert_eq!(observe(state, 50, false, PACE).state, state);
    }

    #[test]
    fn retries_come_sooner_than_the_interval() {
        assert_eq!(Pace::of(60, 10).retry_ms, 15_000);
        assert_eq!(Pace::of(10, 5).retry_ms, 5_000);
        assert_eq!(Pace::of(3600, 30).retry_ms, 30_000);
    }
}
