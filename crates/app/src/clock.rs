//! The one source of "now" for the services, the pages and the scheduler, so that tests can
//! set and advance time instead of waiting for it. Production uses the system clock.

use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Cheap to clone; every clone reads the same time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that stands at `at` until it is set or advanced.
    pub fn manual(at: Timestamp) -> Clock {
        Clock { manual: Some(Arc::new(Mutex::new(at))) }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            None => Timestamp::now(),
            Some(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// The date `now` falls on in `tz`.
    pub fn today(&self, tz: &TimeZone) -> Date {
        self.now().to_zoned(tz.clone()).date()
    }

    /// Moves a manual clock to `at`; the system clock cannot be moved (returns false).
    pub fn set(&self, at: Timestamp) -> bool {
        match &self.manual {
            None => false,
            Some(now) => {
                *now.lock().unwrap_or_else(|e| e.into_inner()) = at;
                true
            }
        }
    }

    /// Moves a manual clock forward (or back) by `by`; the system clock cannot be moved.
    pub fn advance(&self, by: SignedDuration) -> bool {
        let Some(now) = &self.manual else { return false };
        let mut at = now.lock().unwrap_or_else(|e| e.into_inner());
        match at.checked_add(by) {
            Ok(next) => {
                *at = next;
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved_and_clones_share_it() {
        let at: Timestamp = "2026-03-31T22:30:00Z".parse().unwrap();
        let clock = Clock::manual(at);
        let other = clock.clone();
        assert_eq!(clock.now(), at);
        let amsterdam = TimeZone::get("Europe/Amsterdam").unwrap();
        assert_eq!(clock.today(&amsterdam).to_string(), "2026-04-01");
        assert!(other.advance(SignedDuration::from_hours(24)));
        assert_eq!(clock.now(), at + SignedDuration::from_hours(24));
        assert!(clock.set(at));
        assert_eq!(other.now(), at);
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.set(Timestamp::UNIX_EPOCH));
        assert!(!clock.advance(SignedDuration::from_hours(1)));
        assert!(clock.now() > Timestamp::UNIX_EPOCH);
    }
}
