//! Subscriptions and what cancelling, ending, renewing and changing their plan did.

use jiff::civil::Date;
use loket_app::billing::ops::{Cancelled, Ended, PlanChanged};
use loket_store::billing::subscriptions::Subscription;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::*;

/// A subscription: a customer's service on a plan.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub customer_id: i64,
    pub plan_id: i64,
    /// Terms that replace the plan's, if any.
    pub terms_id: Option<i64>,
    pub label: String,
    /// A net price per billing period that replaces the plan's, minor units.
    pub price: Option<i64>,
    /// pending_payment, active, renewal_offered, cancellation_requested, suspended, ended,
    /// lapsed or terminated
    pub state: String,
    pub start_date: Date,
    pub ordered_on: Date,
    /// How far it is invoiced (exclusive).
    pub invoiced_until: Option<Date>,
    /// Opt-in renewal: the end of the last confirmed term (exclusive).
    pub renewed_until: Option<Date>,
    /// The end of the service (exclusive), once known.
    pub ends_on: Option<Date>,
    /// Its last day of service.
    pub last_day: Option<Date>,
    pub suspended_since: Option<Date>,
    pub cancel_received_on: Option<Date>,
    pub cancel_channel: Option<String>,
    pub renewal_offered_for: Option<Date>,
    /// The service this one is an add-on to, invoiced with it.
    pub parent_id: Option<i64>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        SubscriptionView {
            id: s.id,
            customer_id: s.customer_id,
            plan_id: s.plan_id,
            terms_id: s.terms_id,
            state: s.state().name().into(),
            label: s.label,
            price: s.price,
            start_date: s.start_date,
            ordered_on: s.ordered_on,
            invoiced_until: s.invoiced_until,
            renewed_until: s.renewed_until,
            ends_on: s.ends_on,
            last_day: last_day(s.ends_on),
            suspended_since: s.suspended_since,
            cancel_received_on: s.cancel_received_on,
            cancel_channel: s.cancel_channel,
            renewal_offered_for: s.renewal_offered_for,
            parent_id: s.parent_id,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancellationInput {
    /// The day the cancellation reached the provider, YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub received_on: String,
    /// email, portal, letter, registered_letter or phone — the terms say which count.
    #[schema(value_type = ChannelName)]
    pub channel: String,
    /// For a letter: the day it was sent (its postmark), YYYY-MM-DD. Terms with
    /// `notice_counts = "sent"` judge the notice by it.
    #[serde(default)]
    #[schema(format = Date, example = "2026-12-30")]
    pub sent_on: Option<String>,
}

/// A recorded cancellation and when it takes effect.
#[derive(Serialize, ToSchema)]
pub struct CancellationView {
    pub subscription_id: i64,
    pub received_on: Date,
    pub channel: String,
    /// The service ends here (exclusive).
    pub effective: Date,
    /// Its last day of service.
    pub last_day: Date,
    /// The last day a cancellation could arrive to end the service on `effective`.
    pub deadline: Date,
    pub in_time_for_current_term: bool,
    /// For a late cancellation: the deadline of the current term that it missed.
    pub missed_deadline: Option<Date>,
    /// Credit notes for what was invoiced beyond the end.
    pub credit_notes: Vec<String>,
}

impl From<Cancelled> for CancellationView {
    fn from(c: Cancelled) -> Self {
        CancellationView {
            subscription_id: c.subscription_id,
            received_on: c.received_on,
            channel: c.channel,
            effective: c.cancellation.effective,
            last_day: c.last_day,
            deadline: c.cancellation.deadline,
            in_time_for_current_term: c.cancellation.in_time_for_current_term,
            missed_deadline: c.cancellation.missed_deadline,
            credit_notes: c.credit_notes,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndInput {
    /// The service ends on this day (exclusive: the day before is its last), YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub on: String,
}

/// A subscription ended at once.
#[derive(Serialize, ToSchema)]
pub struct EndedView {
    pub subscription_id: i64,
    pub ends_on: Date,
    pub last_day: Date,
    pub credit_notes: Vec<String>,
}

impl From<Ended> for EndedView {
    fn from(e: Ended) -> Self {
        EndedView { subscription_id: e.subscription_id, ends_on: e.ends_on, last_day: e.last_day, credit_notes: e.credit_notes }
    }
}

/// A renewal: the service now runs until `renewed_until` (exclusive).
#[derive(Serialize, ToSchema)]
pub struct RenewalView {
    pub renewed_until: Date,
    pub last_day: Date,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeInput {
    /// The new plan's code.
    pub plan: String,
    /// From this day, YYYY-MM-DD.
    #[schema(format = Date, example = "2027-01-01")]
    pub on: String,
}

/// What a change of plan settled.
#[derive(Serialize, ToSchema)]
pub struct PlanChangeView {
    /// The line added to the next invoice for the difference, if any.
    pub settlement_item: Option<i64>,
    pub settlement_items: Vec<i64>,
    /// Credit notes for a cheaper plan's difference on what was invoiced.
    pub credit_notes: Vec<String>,
}

impl From<PlanChanged> for PlanChangeView {
    fn from(p: PlanChanged) -> Self {
        PlanChangeView { settlement_item: p.settlement_item, settlement_items: p.settlement_items, credit_notes: p.credit_notes }
    }
}
