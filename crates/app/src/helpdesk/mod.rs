//! The helpdesk (seeds 003 and 004): tickets opened by e-mail, in the panel, by phone or by a
//! standby call-out; the thread of replies and internal notes mailed to everyone involved;
//! triage (project, category, priority, assignee, team), merging; SLA clocks and escalation in
//! office hours; time worked billed through the billing engine; standby priced by the table.
//!
//! `tickets.rs` has the changes people make, `ingest.rs` the mail that comes in (IMAP, piped,
//! the benchmark: one path), `notify.rs` the mail that goes out, `work.rs` time and standby,
//! `sla.rs` the clocks and the escalation sweep.

mod ingest;
mod notify;
mod sla;
mod standby;
mod tickets;
mod views;
mod work;

use std::sync::Arc;

use jiff::SignedDuration;
use loket_domain::helpdesk::calendar::OfficeCalendar;
use loket_domain::helpdesk::sla::{EscalationRule, SlaPolicy};
use loket_domain::helpdesk::standby::StandbyRegime;
use loket_domain::helpdesk::ticket::Priority;
use loket_domain::input;
use loket_store::Conn;

pub use ingest::{IngestOutcome, Ingested};

pub use sla::{SlaView, sla_of};
pub use standby::reference as standby_reference;
pub use tickets::{Attach, NewTicketInput, TriageInput};
pub use work::{CalloutInput, StandbyInput};

use crate::{AppError, invalid};

/// What a message from an address Loket does not know becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownSenders {
    /// A ticket without a card, for staff to hang under the right one.
    #[default]
    Ticket,
    /// No ticket: a polite reply says how to reach the provider.
    Refuse,
}

impl UnknownSenders {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "ticket" => Ok(UnknownSenders::Ticket),
            "refuse" => Ok(UnknownSenders::Refuse),
            other => Err(format!("`{}`: use ticket or refuse", input::sample(other))),
        }
    }
}

/// The provider's helpdesk settings (`[helpdesk]`).
#[derive(Debug, Clone)]
pub struct HelpdeskSettings {
    /// The support address: Reply-To of every ticket mail; staff are told of new tickets there.
    pub address: Option<String>,
    /// Where staff hear of new tickets and of customers' answers on tickets nobody is assigned
    /// to (an assigned ticket's mail goes to its assignee); none: staff work from the queue.
    pub staff_notify: Option<String>,
    pub unknown_senders: UnknownSenders,
    /// At most one acknowledgement per sender within this window (no loops with robots).
    pub ack_window: SignedDuration,
    /// Plan codes that include the helpdesk (GOLD); empty: every card.
    pub entitled_plans: Vec<String>,
    /// How the provider can be reached otherwise, shown to cards without the helpdesk.
    pub contact: String,
    /// Time is billed in steps of this many minutes, at least `time_minimum`.
    pub time_increment: u32,
    pub time_minimum: u32,
    /// The largest attachment kept, and the most per message.
    pub max_attachment_bytes: usize,
    pub max_message_bytes: usize,
    /// Office hours, holidays and closures in the provider's time zone.
    pub calendar: Arc<OfficeCalendar>,
    /// SLA targets per priority, counted in office hours (`low`, `normal`, `high`, `urgent`).
    pub sla: [SlaPolicy; 4],
    pub escalation: Vec<EscalationRule>,
    pub standby: StandbyRegime,
}

impl HelpdeskSettings {
    /// Defaults for a provider in `tz` with the public holidays of `country`: office hours
    /// Monday–Friday 08:30–18:00 (seed 003), the seed's standby table.
    pub fn new(calendar: OfficeCalendar) -> Self {
        let hours = |h: i64| Some(h * 3600);
        HelpdeskSettings {
            address: None,
            staff_notify: None,
            unknown_senders: UnknownSenders::Ticket,
            ack_window: SignedDuration::from_hours(24),
            entitled_plans: Vec::new(),
            contact: String::new(),
            time_increment: 15,
            time_minimum: 15,
            max_attachment_bytes: 10 * 1024 * 1024,
            max_message_bytes: 30 * 1024 * 1024,
            calendar: Arc::new(calendar),
            sla: [
                SlaPolicy { first_response: hours(16), resolution: hours(80), warn_at_percent: 80 },
                SlaPolicy { first_response: hours(8), resolution: hours(40), warn_at_percent: 80 },
                SlaPolicy { first_response: hours(2), resolution: hours(16), warn_at_percent: 80 },
                SlaPolicy { first_response: Some(30 * 60), resolution: hours(4), warn_at_percent: 80 },
            ],
            escalation: Vec::new(),
            standby: StandbyRegime::seed_003(),
        }
    }

    pub fn policy(&self, p: Priority) -> &SlaPolicy {
        &self.sla[match p {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
            Priority::Urgent => 3,
        }]
    }
}

/// Whether card `customer_id` has the helpdesk: every card when no plan is named, else a card
/// with a running subscription on one of the named plans.
pub(crate) async fn entitled(conn: &mut Conn, settings: &HelpdeskSettings, customer_id: i64) -> Result<bool, AppError> {
    if settings.entitled_plans.is_empty() {
        return Ok(true);
    }
    Ok(loket_store::helpdesk::entitled(conn, customer_id, &settings.entitled_plans).await?)
}

impl crate::Services {
    /// The helpdesk settings, or a refusal when this provider has no helpdesk configured.
    pub(crate) fn helpdesk(&self) -> Result<&HelpdeskSettings, AppError> {
        self.helpdesk.as_deref().ok_or_else(|| AppError::Refused("the helpdesk is not set up".into()))
    }

    /// Whether card `customer_id` may use the helpdesk (for pages).
    pub async fn helpdesk_entitled(&self, customer_id: i64) -> Result<bool, AppError> {
        let settings = self.helpdesk()?;
        let mut conn = self.store.acquire().await?;
        entitled(&mut conn, settings, customer_id).await
    }
}

/// A subject or body checked: trimmed, not empty, within `max` characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        // The words of `input::text`, so that pages say it in the reader's language.
        return Err(invalid(field, "fill this in"));
    }
    input::multiline(field, v, max)?;
    Ok(v.to_string())
}
