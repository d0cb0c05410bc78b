//! The life of a subscription: which events may happen in which state, and where they lead.
//!
//! pending payment → active → (renewal offered → renewed | lapsed) → cancellation requested →
//! ended; and suspended / terminated. Ended, lapsed and terminated are final.

use serde::{Deserialize, Serialize};

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
    /// Ended by the provider (e.g. long unpaid).
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first invoice (or the overdue one) was paid.
    PaymentReceived,
    /// Activated without waiting for payment (plans that do not require it).
    Activate,
    OfferRenewal,
    Renew,
    /// A cancellation was received (the engine keeps its effective date).
    RequestCancellation,
    /// The effective date of a cancellation arrived.
    CancellationTakesEffect,
    /// The current term ended (and a new one began, or the contract lapses).
    TermEnded,
    Suspend,
    Terminate,
}

impl SubscriptionState {
    pub fn is_final(self) -> bool {
        matches!(self, SubscriptionState::Ended | SubscriptionState::Lapsed | SubscriptionState::Terminated)
    }

    /// Whether the customer's services run (and are billed) in this state.
    pub fn is_running(self) -> bool {
        matches!(self, SubscriptionState::Active | SubscriptionState::RenewalOffered | SubscriptionState::CancellationRequested)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a subscription that is {from:?} cannot take the event {event:?}")]
pub struct TransitionError {
    pub from: SubscriptionState,
    pub event: Event,
}

/// The state after `event`. A tacitly renewing subscription stays active at the end of a term;
/// an offered renewal not taken lapses; a cancellation ends the subscription on its effective
/// date (`CancellationTakesEffect`), which may be a later term's end after a late notice. A
/// suspended subscription stays off whatever else happens, until it is paid or ends.
pub fn next(state: SubscriptionState, event: Event) -> Result<SubscriptionState, TransitionError> {
    use Event::*;
    use SubscriptionState::*;
    let to = match (state, event) {
        (s, _) if s.is_final() => None,
        (_, Terminate) => Some(Terminated),
        (PendingPayment, PaymentReceived | Activate) => Some(Active),
        (PendingPayment, RequestCancellation) => Some(Ended),
        (Suspended, PaymentReceived) => Some(Active),
        (Active, OfferRenewal) => Some(RenewalOffered),
        (RenewalOffered, Renew) => Some(Active),
        (Active | RenewalOffered, RequestCancellation) => Some(CancellationRequested),
        (Suspended, RequestCancellation) => Some(Suspended),
        (CancellationRequested | Suspended, CancellationTakesEffect) => Some(Ended),
        (Active | CancellationRequested | Suspended, TermEnded) => Some(state),
        (RenewalOffered, TermEnded) => Some(Lapsed),
        (Active | RenewalOffered | CancellationRequested, Suspend) => Some(Suspended),
        (Active | RenewalOffered | CancellationRequested, PaymentReceived) => Some(state),
        _ => None,
    };
    to.ok_or(TransitionError { from: state, event })
}

#[cfg(test)]
mod tests {
    use super::Event::*;
    use super::SubscriptionState::*;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_usual_paths() {
        let walk = |events: &[Event]| events.iter().try_fold(PendingPayment, |s, e| next(s, *e));
        assert_eq!(walk(&[PaymentReceived, TermEnded, TermEnded]), Ok(Active), "tacit renewal");
        assert_eq!(walk(&[Activate, OfferRenewal, TermEnded]), Ok(Lapsed), "Wet Van Dam: not renewed");
        assert_eq!(walk(&[Activate, OfferRenewal, Renew, TermEnded]), Ok(Active));
        assert_eq!(walk(&[Activate, RequestCancellation, TermEnded]), Ok(CancellationRequested), "a late notice runs one more term");
        assert_eq!(walk(&[Activate, RequestCancellation, TermEnded, CancellationTakesEffect]), Ok(Ended));
        assert_eq!(walk(&[Activate, Suspend, PaymentReceived]), Ok(Active), "reactivated after payment");
        assert_eq!(walk(&[Activate, Suspend, Terminate]), Ok(Terminated));
        assert_eq!(walk(&[Activate, Suspend, RequestCancellation]), Ok(Suspended), "cancelling does not switch services back on");
        assert_eq!(walk(&[Activate, Suspend, RequestCancellation, CancellationTakesEffect]), Ok(Ended));
        assert!(walk(&[Activate, RequestCancellation, CancellationTakesEffect, PaymentReceived]).is_err(), "ended is final");
        assert!(walk(&[Renew]).is_err());
    }

    fn any_event() -> impl Strategy<Value = Event> {
        prop::sample::select(vec![
            PaymentReceived,
            Activate,
            OfferRenewal,
            Renew,
            RequestCancellation,
            CancellationTakesEffect,
            TermEnded,
            Suspend,
            Terminate,
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn final_states_stay_final_and_running_needs_a_start(events in prop::collection::vec(any_event(), 0..30)) {
            let mut state = PendingPayment;
            let mut was_final = false;
            for e in events {
                match next(state, e) {
                    Ok(s) => {
                        prop_assert!(!was_final, "left a final state");
                        // Nothing runs without payment or an explicit activation first, and
                        // suspended services only come back by payment.
                        if matches!(state, PendingPayment | Suspended) && s.is_running() {
                            prop_assert!(matches!(e, PaymentReceived | Activate));
                            prop_assert!(state != Suspended || e == PaymentReceived);
                        }
                        state = s;
                        was_final = s.is_final();
                    }
                    Err(err) => prop_assert_eq!(err.from, state),
                }
            }
        }
    }
}
