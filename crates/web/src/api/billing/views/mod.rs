//! The shapes of `/api/v1` billing requests and answers, each its own type with its schema in
//! the OpenAPI document, built from the engine's and the store's values. Amounts are integers in
//! minor units (cents) unless a field says otherwise; dates are `YYYY-MM-DD`; an end date is
//! exclusive (the service runs up to the day before), and `last_day` gives that day.

mod catalog;
mod documents;
mod extras;
mod subscriptions;

pub use catalog::*;
pub use documents::*;
pub use extras::*;
pub use subscriptions::*;

use jiff::civil::Date;

pub(super) fn last_day(end: Option<Date>) -> Option<Date> {
    end.map(|e| e.yesterday().unwrap_or(e))
}
