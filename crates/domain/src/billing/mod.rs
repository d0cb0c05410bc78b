//! The billing calendar and contract terms: pure rules over calendar dates, in the provider's
//! time zone's dates (the caller turns instants into dates). No clock, no storage.
//!
//! Dates are half-open: a term or billing period runs from `start` (inclusive) to `end`
//! (exclusive), so the end of one is the start of the next and nothing is counted twice.

mod calendar;
pub mod catalog;
pub mod document;
pub mod dunning;
pub mod invoicing;
pub mod lifecycle;
pub mod notice;
pub mod plan;
pub mod reconcile;
pub mod sepa;
pub mod settings;
pub mod settlement;
mod terms;

pub use calendar::{Period, Rate, add_period, days_between, easter_sunday, months_after, periods_before, plus_days, plus_months, prorate};
pub use terms::{Anchor, CancelError, Cancellation, Channel, InvoiceTiming, Notice, NoticeCounts, RenewalMode, Term, Terms};
