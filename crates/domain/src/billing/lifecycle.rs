//! The life of a subscription: what is known about it (the facts), which events may happen,
//! and what its state is as a consequence.
//!
//! The *phase* runs pending payment → active → (renewal offered → renewed | lapsed) →
//! cancellation requested → ended, or ends by termination. Beside the phase Loket keeps facts
//! that outlive a change of phase: since when the services are suspended for an unpaid invoice,
//! and when the service ends (a cancellation's effective date, a lapse, a termination). A
//! suspension never erases a cancellation: whatever happens in between, a recorded cancellation
//! ends the subscription on its effective date. The state shown to people ([`SubscriptionState`])
//! follows from phase and facts. Every change of a subscription's life goes through
//! [`Life::apply`].

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The state as people see it: the phase, or `Suspended` while services are off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionState {
    /// Ordered; services that must be paid before activation wait here (Gestione Internet).
    PendingPayment,
    Active,
    /// An opt-in renewal was offered (Wet Van Dam) and not yet taken.
    RenewalOffered,
    /// Cancelled; runs until the effective date.
    CancellationRequested,
    /// Services off because of an unpaid invoice.
    Suspended,
    /// Ended by cancellation.
    Ended,
    /// Ended because an opt-in renewal was not taken.
    Lapsed,
    /// Ended by the provider (long unpaid, or ended at once by staff).
    Terminated,
}

impl SubscriptionState {
    pub const ALL: [SubscriptionState; 8] = [
        SubscriptionState::PendingPayment,
        SubscriptionState::Active,
        SubscriptionState::RenewalOffered,
        SubscriptionState::CancellationRequested,
        SubscriptionState::Suspended,
        SubscriptionState::Ended,
        SubscriptionState::Lapsed,
        SubscriptionState::Terminated,
    ];

    /// The one text form, in the API, the database and the translation keys.
    pub fn name(self) -> &'static str {
        use SubscriptionState::*;
        match self {
            PendingPayment => "pending_payment",
            Active => "active",
            RenewalOffered => "renewal_offered",
            CancellationRequested => "cancellation_requested",
            Suspended => "suspended",
            Ended => "ended",
            Lapsed => "lapsed",
            Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionState> {
        SubscriptionState::ALL.into_iter().find(|st| st.name() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, SubscriptionState::Ended | SubscriptionState::Lapsed | SubscriptionState::Terminated)
    }

    /// Whether the customer's services run in this state.
    pub fn is_running(self) -> bool {
        matches!(self, SubscriptionState::Active | SubscriptionState::RenewalOffered | SubscriptionState::CancellationRequested)
    }
}

/// Where a subscription is in its contract, apart from suspension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    PendingPayment,
    Active,
    RenewalOffered,
    CancellationRequested,
    Ended,
    Lapsed,
    Terminated,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::PendingPayment,
        Phase::Active,
        Phase::RenewalOffered,
        Phase::CancellationRequested,
        Phase::Ended,
        Phase::Lapsed,
        Phase::Terminated,
    ];

    /// The phases after which nothing more happens.
    pub const FINAL: [Phase; 3] = [Phase::Ended, Phase::Lapsed, Phase::Terminated];

    pub fn name(self) -> &'static str {
        self.shown().name()
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn is_final(self) -> bool {
        Phase::FINAL.contains(&self)
    }

    fn shown(self) -> SubscriptionState {
        match self {
            Phase::PendingPayment => SubscriptionState::PendingPayment,
            Phase::Active => SubscriptionState::Active,
            Phase::RenewalOffered => SubscriptionState::RenewalOffered,
            Phase::CancellationRequested => SubscriptionState::CancellationRequested,
            Phase::Ended => SubscriptionState::Ended,
            Phase::Lapsed => SubscriptionState::Lapsed,
            Phase::Terminated => SubscriptionState::Terminated,
        }
    }
}

/// What is known about a subscription's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Life {
    pub phase: Phase,
    /// Services off for an unpaid invoice since this day.
    pub suspended_since: Option<Date>,
    /// The end of the service (exclusive) once known: a cancellation's effective date, a
    /// lapse, a termination.
    pub ends_on: Option<Date>,
    /// Opt-in renewal: the end of the last confirmed term.
    pub renewed_until: Option<Date>,
    /// Opt-in renewal: the end of the term whose renewal was offered (or, once renewed, taken):
    /// a renewal is offered once per term, and confirmed once.
    pub renewal_offered_for: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first invoice (or pro forma) was paid: services that waited for it start.
    PaymentReceived,
    /// Activated without waiting for payment (products that do not require it).
    Activate,
    /// An opt-in renewal is offered for the term that ends on this day.
    OfferRenewal { term_end: Date },
    /// The customer confirmed one more term, until this day.
    Renew { until: Date },
    /// A cancellation was received; the terms said when it takes effect.
    RequestCancellation { received: Date, effective: Date },
    /// The service it is an add-on to was cancelled on `received` and ends on `effective`: it
    /// ends then too, unless it was going to end earlier.
    MainEnds { received: Date, effective: Date },
    /// Services off for an unpaid invoice.
    Suspend { on: Date },
    /// Services back on after payment.
    Reactivate,
    /// The provider ends the service on this day (long unpaid, or staff end it at once).
    Terminate { on: Date },
    /// A new day begins: a cancellation takes effect on its date, an offered renewal that was
    /// not taken lapses at the end of its term.
    DayBegins(Date),
}

impl Event {
    /// What happened, in words (for messages).
    pub fn describe(&self) -> &'static str {
        match self {
            Event::PaymentReceived => "a payment",
            Event::Activate => "activation",
            Event::OfferRenewal { .. } => "a renewal offer",
            Event::Renew { .. } => "a renewal",
            Event::RequestCancellation { .. } | Event::MainEnds { .. } => "a cancellation",
            Event::Suspend { .. } => "suspension",
            Event::Reactivate => "reactivation",
            Event::Terminate { .. } => "an end",
            Event::DayBegins(_) => "a new day",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a subscription that is {} cannot take {}", .from.name(), .event.describe())]
pub struct TransitionError {
    pub from: SubscriptionState,
    pub event: Event,
}

impl Life {
    /// A new subscription: waiting for payment when its product must be paid first.
    pub fn new(pending_payment: bool, renewed_until: Option<Date>) -> Life {
        Life {
            phase: if pending_payment { Phase::PendingPayment } else { Phase::Active },
            suspended_since: None,
            ends_on: None,
            renewed_until,
            renewal_offered_for: None,
        }
    }

    pub fn state(&self) -> SubscriptionState {
        if self.suspended_since.is_some() && !self.phase.is_final() { SubscriptionState::Suspended } else { self.phase.shown() }
    }

    pub fn is_final(&self) -> bool {
        self.phase.is_final()
    }

    /// Whether the term up to `renewed_until` was renewed already (opt-in): then a renewal
    /// sent again changes nothing.
    pub fn renewal_taken(&self) -> bool {
        matches!((self.renewal_offered_for, self.renewed_until), (Some(offered), Some(until)) if until > offered)
    }

    /// Whether the customer's services are on.
    pub fn is_running(&self) -> bool {
        self.state().is_running()
    }

    /// Whether the run invoices it: running, suspended (the contract goes on while services
    /// are off), or waiting for its first payment.
    pub fn is_billed(&self) -> bool {
        !self.is_final()
    }

    /// The life after `event`, or why the event cannot happen now.
    pub fn apply(&self, event: Event) -> Result<Life, TransitionError> {
        use Phase::*;
        let refuse = Err(TransitionError { from: self.state(), event });
        let mut next = *self;
        if self.phase.is_final() {
            // Days pass and a payment may still arrive for an ended service; nothing changes.
            return match event {
                Event::DayBegins(_) | Event::PaymentReceived => Ok(next),
                _ => refuse,
            };
        }
        match (self.phase, event) {
            (PendingPayment, Event::PaymentReceived | Event::Activate) => next.phase = Active,
            (_, Event::PaymentReceived) if self.phase != PendingPayment => {}
            (Active, Event::OfferRenewal { term_end }) => {
                next.phase = RenewalOffered;
                next.renewal_offered_for = Some(term_end);
            }
            (Active | RenewalOffered, Event::Renew { until }) => {
                next.phase = Active;
                // The term it renews stays marked, so the same renewal is not taken twice.
                next.renewal_offered_for = self.renewed_until.or(self.renewal_offered_for);
                next.renewed_until = Some(until);
            }
            // Nothing was served yet: it ends the day the cancellation arrived.
            (PendingPayment, Event::RequestCancellation { received, .. }) => {
                next.phase = Ended;
                next.ends_on = Some(received);
            }
            (Active | RenewalOffered, Event::RequestCancellation { effective, .. }) => {
                next.phase = CancellationRequested;
                next.ends_on = Some(effective);
                next.renewal_offered_for = None;
            }
            (PendingPayment, Event::MainEnds { received, .. }) => {
                next.phase = Ended;
                next.ends_on = Some(received);
            }
            (Active | RenewalOffered | CancellationRequested, Event::MainEnds { effective, .. }) => {
                next.phase = CancellationRequested;
                next.ends_on = Some(self.ends_on.filter(|e| self.phase == CancellationRequested && *e < effective).unwrap_or(effective));
                next.renewal_offered_for = None;
            }
            (Active | RenewalOffered | CancellationRequested, Event::Suspend { on }) => {
                next.suspended_since = Some(self.suspended_since.unwrap_or(on));
            }
            (_, Event::Reactivate) if self.suspended_since.is_some() => next.suspended_since = None,
            (_, Event::Terminate { on }) => {
                next.phase = Terminated;
                next.ends_on = Some(match self.ends_on {
                    Some(e) if e < on => e,
                    _ => on,
                });
                next.suspended_since = None;
            }
            (_, Event::DayBegins(day)) => {
                if self.phase == CancellationRequested && self.ends_on.is_some_and(|e| e <= day) {
                    next.phase = Ended;
                    next.suspended_since = None;
                } else if self.phase == RenewalOffered
                    && let Some(until) = self.renewed_until.filter(|u| *u <= day)
                {
                    next.phase = Lapsed;
                    next.ends_on = Some(until);
                    next.suspended_since = None;
                }
            }
            _ => return refuse,
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn walk(start: Life, events: &[Event]) -> Result<Life, TransitionError> {
        events.iter().try_fold(start, |l, e| l.apply(*e))
    }

    #[test]
    fn the_usual_paths() {
        use Event::*;
        let d = |day| date(2026, 1, day);
        let pending = Life::new(true, None);
        let active = Life::new(false, None);
        assert_eq!(walk(pending, &[PaymentReceived, DayBegins(d(2))]).unwrap().state(), SubscriptionState::Active, "tacit renewal");
        let opt_in = Life::new(false, Some(d(20)));
        let offered = walk(opt_in, &[OfferRenewal { term_end: d(20) }]).unwrap();
        assert_eq!(offered.state(), SubscriptionState::RenewalOffered);
        let lapsed = offered.apply(DayBegins(d(20))).unwrap();
        assert_eq!((lapsed.state(), lapsed.ends_on), (SubscriptionState::Lapsed, Some(d(20))), "Wet Van Dam: not renewed");
        let renewed = walk(offered, &[Renew { until: date(2027, 1, 20) }, DayBegins(d(20))]).unwrap();
        assert_eq!(renewed.state(), SubscriptionState::Active);
        assert!(renewed.renewal_taken() && !offered.renewal_taken(), "renewed once");
        let cancelled = active.apply(RequestCancellation { received: d(3), effective: d(10) }).unwrap();
        assert_eq!(cancelled.apply(DayBegins(d(9))).unwrap().state(), SubscriptionState::CancellationRequested);
        assert_eq!(cancelled.apply(DayBegins(d(10))).unwrap().state(), SubscriptionState::Ended);
        // Cancel, then suspended for an unpaid invoice, then paid: still ends on its date.
        let l = walk(cancelled, &[Suspend { on: d(5) }, Reactivate]).unwrap();
        assert_eq!(l.state(), SubscriptionState::CancellationRequested, "the cancellation is not forgotten");
        assert_eq!(l.apply(DayBegins(d(10))).unwrap().state(), SubscriptionState::Ended);
        // Suspended, cancelled while off: it ends on the effective date even if never paid.
        let l = walk(active, &[Suspend { on: d(2) }, RequestCancellation { received: d(3), effective: d(10) }]).unwrap();
        assert_eq!(l.state(), SubscriptionState::Suspended, "cancelling does not switch services back on");
        assert_eq!(l.apply(DayBegins(d(10))).unwrap().state(), SubscriptionState::Ended);
        assert_eq!(walk(active, &[Suspend { on: d(2) }, Terminate { on: d(4) }]).unwrap().state(), SubscriptionState::Terminated);
        assert!(walk(cancelled, &[DayBegins(d(10)), Reactivate]).is_err(), "ended is final");
        assert!(active.apply(Renew { until: d(5) }).is_ok());
        assert!(pending.apply(Suspend { on: d(5) }).is_err(), "nothing runs yet to suspend");
        // An add-on whose main service is cancelled ends with it, or earlier as it was going to.
        let with_main = active.apply(MainEnds { received: d(3), effective: d(20) }).unwrap();
        assert_eq!((with_main.state(), with_main.ends_on), (SubscriptionState::CancellationRequested, Some(d(20))));
        assert_eq!(cancelled.apply(MainEnds { received: d(3), effective: d(20) }).unwrap().ends_on, Some(d(10)), "its own end is earlier");
        assert_eq!(with_main.apply(MainEnds { received: d(4), effective: d(15) }).unwrap().ends_on, Some(d(15)));
        let not_paid = pending.apply(RequestCancellation { received: d(4), effective: d(30) }).unwrap();
        assert_eq!((not_paid.state(), not_paid.ends_on), (SubscriptionState::Ended, Some(d(4))), "nothing served: ends at once");
    }

    #[test]
    fn states_and_phases_have_one_text_form_each() {
        for s in SubscriptionState::ALL {
            assert_eq!(SubscriptionState::parse(s.name()), Some(s));
        }
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.name()), Some(p));
        }
        assert_eq!(Phase::parse("suspended"), None, "suspension is a fact, not a phase");
    }

    /// Random events on days that go forward.
    fn any_step() -> impl Strategy<Value = (u8, i32, i32)> {
        (0u8..10, 0i32..40, 1i32..200)
    }

    fn event(kind: u8, today: Date, later: i32) -> Event {
        let after = today.checked_add(later.days()).unwrap();
        match kind {
            0 => Event::PaymentReceived,
            1 => Event::Activate,
            2 => Event::OfferRenewal { term_end: after },
            3 => Event::Renew { until: after },
            4 => Event::RequestCancellation { received: today, effective: after },
            5 => Event::Suspend { on: today },
            6 => Event::Reactivate,
            7 => Event::Terminate { on: today },
            8 => Event::MainEnds { received: today, effective: after },
            _ => Event::DayBegins(today),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Whatever happens after it — suspensions, payments, renewals, days — a recorded
        /// cancellation ends the subscription on its effective date (unless the provider
        /// terminated it first), and final states stay final.
        #[test]
        fn a_recorded_cancellation_always_ends_the_subscription_on_its_date(
            pending in prop::bool::ANY,
            opt_in in prop::bool::ANY,
            steps in prop::collection::vec(any_step(), 0..40),
        ) {
            let mut today = date(2026, 1, 1);
            let mut life = Life::new(pending, opt_in.then(|| date(2027, 1, 1)));
            let mut cancelled_for: Option<Date> = None;
            let mut terminated = false;
            for (kind, gap, later) in steps {
                today = today.checked_add(gap.days()).unwrap();
                // Every day that passes is a day the run sees.
                if let Ok(l) = life.apply(Event::DayBegins(today)) { life = l; }
                let was_final = life.is_final();
                let e = event(kind, today, later);
                match life.apply(e) {
                    Ok(next) => {
                        prop_assert!(!was_final || next == life || matches!(e, Event::DayBegins(_) | Event::PaymentReceived), "left a final state");
                        if let Event::RequestCancellation { effective, .. } = e && next.phase == Phase::CancellationRequested {
                            cancelled_for = Some(effective);
                        }
                        // Its main service ending moves its end earlier, never later.
                        if let Event::MainEnds { effective, .. } = e && next.phase == Phase::CancellationRequested {
                            cancelled_for = Some(cancelled_for.map_or(effective, |c| c.min(effective)));
                        }
                        if matches!(e, Event::Terminate { .. }) { terminated = true; }
                        // Suspended services only come back by payment (Reactivate).
                        if life.state() == SubscriptionState::Suspended && next.is_running() {
                            prop_assert!(e == Event::Reactivate);
                        }
                        life = next;
                    }
                    Err(err) => prop_assert_eq!(err.from, life.state()),
                }
                if let Some(effective) = cancelled_for && !terminated {
                    prop_assert_eq!(life.ends_on, Some(effective));
                    if today >= effective {
                        prop_assert_eq!(life.state(), SubscriptionState::Ended);
                    } else {
                        prop_assert!(matches!(life.state(), SubscriptionState::CancellationRequested | SubscriptionState::Suspended));
                    }
                }
            }
        }
    }
}
