//! Loket's domain rules. Pure code: no I/O, no clock, no database, no network.
//!
//! Everything that decides *what* Loket does (money arithmetic, which country and language,
//! when a periodic task is due in the provider's time zone, how long to wait before retrying)
//! lives here and is tested in milliseconds. Storage, mail and web call into this crate, never
//! the other way round.

pub mod access;
pub mod billing;
pub mod card_edit;
pub mod country;
mod csvfile;
pub mod customer;
pub mod helpdesk;
pub mod history;
pub mod input;
pub mod language;
pub mod lost_access;
pub mod money;
pub mod monitoring;
mod named;
pub mod provider;
pub mod quote;
pub mod registry;
pub mod retry;
pub mod schedule;
pub mod taxid;
pub mod usage;
pub mod vat;

pub use country::Country;
pub use language::Language;
pub use money::{Currency, Money};
pub use provider::{FieldError, ProviderIdentity};
