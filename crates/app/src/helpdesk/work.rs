//! Time and money of the helpdesk (seed 003): time staff log on a ticket — billable time outside
//! a contract or project becomes a line of the card's next invoice at the standard hourly rate,
//! rounded up to the provider's increment and minimum —; standby periods priced by the table and
//! billed when agreed; a call-out during standby as an urgent ticket with a 30-minute response
//! clock, its worked time (at least an hour) billed on top.

use jiff::civil::{Date, DateTime};
use jiff::{Timestamp, ToSpan};
use loket_domain::Money;
use loket_domain::helpdesk::standby::{Callout, StandbyQuote, price};
use loket_domain::helpdesk::ticket::{Category, Channel, EntryKind, Priority, Status, TicketRef, billed_minutes};
use loket_domain::input;
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::helpdesk::{self, NewEntry, NewTicket};

use super::tickets::{add_card_watchers, load, ticket_entity, ticket_year};
use super::{notify, text};
use crate::billing::extras::ItemInput;
use crate::{AppError, Services, audit, invalid};

/// A standby span as staff type it: local date-times in the provider's time zone.
#[derive(Debug, Clone, Default)]
pub struct StandbyInput {
    pub customer_id: Option<i64>,
    /// `2026-12-04T18:00` (or with a space).
    pub starts: String,
    pub ends: String,
    pub callouts: Vec<CalloutInput>,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct CalloutInput {
    pub at: String,
    pub worked_minutes: u32,
}

fn local(field: &str, s: &str) -> Result<DateTime, AppError> {
    let t = s.trim().replace(' ', "T");
    let dt: DateTime =
        t.parse().map_err(|_| invalid(field, format!("`{}` is not a local date and time like 2026-12-04T18:00", input::sample(s))))?;
    input::bounded_date(field, dt.date())?;
    Ok(dt)
}

/// An amount as the billing engine reads it: "95.00".
fn plain(m: Money) -> String {
    let (negative, whole, frac) = m.parts();
    let width = m.currency.exponent() as usize;
    format!("{}{whole}.{frac:0width$}", if negative { "-" } else { "" })
}

/// `minutes` at `percent` of the hourly `rate`, priced to the minute and rounded half up to
/// the cent once (as the standby table prices its parts).
fn priced(minutes: u32, rate: Money, percent: u16) -> Option<Money> {
    let num = i128::from(minutes).checked_mul(i128::from(rate.minor))?.checked_mul(i128::from(percent))?;
    let minor = (num + 3000).div_euclid(6000);
    Some(Money { minor: i64::try_from(minor).ok()?, currency: rate.currency })
}

impl Services {
    /// The standard hourly rate: the billing settings' `hourly_rate`.
    pub async fn hourly_rate(&self) -> Result<Option<Money>, AppError> {
        let catalog = self.store.catalog(self.provider.currency).await?;
        Ok(catalog.settings(self.provider.currency).hourly_rate)
    }

    /// The hourly rate of card `customer_id`: its own if it has one, else the standard rate.
    pub async fn hourly_rate_for(&self, customer_id: Option<i64>) -> Result<Option<Money>, AppError> {
        if let Some(c) = customer_id {
            let mut conn = self.store.acquire().await?;
            if let Some(minor) = helpdesk::work::card_hourly_rate(&mut conn, c).await? {
                return Ok(Some(Money::new(minor, self.provider.currency)));
            }
        }
        self.hourly_rate().await
    }

    /// Staff give card `customer_id` its own hourly rate (`"110.00"`), or take it away (`None`):
    /// the standard rate applies again.
    pub async fn set_card_hourly_rate(&self, actor: &Actor, customer_id: i64, rate: Option<&str>) -> Result<(), AppError> {
        let minor = match rate.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                let m = input::amount("rate", r, self.provider.currency, input::Sign::NotNegative)?;
                if m.minor == 0 {
                    return Err(invalid("rate", "give a rate above zero, or take the card's own rate away"));
                }
                Some(m.minor)
            }
            None => None,
        };
        let mut tx = self.store.begin().await?;
        let before = helpdesk::work::card_hourly_rate(&mut tx, customer_id).await?;
        if !helpdesk::work::set_card_hourly_rate(&mut tx, customer_id, minor).await? {
            return Err(invalid("customer", format!("no customer card {customer_id}")));
        }
        audit(
            &mut tx,
            actor,
            "customer.hourly_rate",
            crate::customer_entity(customer_id),
            Some(serde_json::json!({ "hourly_rate": before })),
            Some(serde_json::json!({ "hourly_rate": minor })),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(())
    }

    /// Staff log `minutes` worked on ticket `id` on `worked_on`. `basis`: contract or project
    /// (covered: logged, not billed), billable (a line on the next invoice at the hourly rate,
    /// rounded up to the increment and minimum) or, on a standby call-out, the call-out's worked
    /// time (at least the regime's minimum, on top of the standby). Default: project when the
    /// ticket has one, the call-out for a call-out ticket, else billable.
    #[allow(clippy::too_many_arguments)]
    pub async fn log_time(
        &self,
        actor: &Actor,
        by: &User,
        id: i64,
        minutes: u32,
        worked_on: Date,
        basis: Option<&str>,
        note: &str,
    ) -> Result<i64, AppError> {
        let settings = self.helpdesk()?;
        if minutes == 0 || minutes > 24 * 60 {
            return Err(invalid("minutes", "between 1 and 1440 minutes"));
        }
        input::bounded_date("worked_on", worked_on)?;
        let note = input::optional_text("note", Some(note), 300)?.unwrap_or_default();
        let mut tx = self.store.begin().await?;
        let ticket = load(&mut tx, id).await?;
        let callout = helpdesk::work::callout_of(&mut tx, id).await?;
        // A paid intervention is quoted and accepted before work starts (seed 004): its time
        // is logged against the accepted quote, which already ordered and priced the work.
        if ticket.category == Category::PaidIntervention {
            let accepted = match ticket.quote_id {
                Some(q) => {
                    loket_store::quotes::quote(&mut tx, q).await?.is_some_and(|q| q.status == loket_domain::quote::QuoteStatus::Accepted)
                }
                None => false,
            };
            if !accepted {
                return Err(invalid("basis", loket_domain::helpdesk::ticket::PAID_NEEDS_QUOTE));
            }
        }
        let basis = match basis.map(str::trim).filter(|b| !b.is_empty()) {
            _ if ticket.category == Category::PaidIntervention => "quote",
            Some(b @ ("contract" | "project" | "billable" | "standby_callout")) => b,
            Some(b) => return Err(invalid("basis", format!("`{}`: use contract, project, billable or standby_callout", input::sample(b)))),
            None if callout.is_some() => "standby_callout",
            None if ticket.project_id.is_some() => "project",
            None => "billable",
        };
        let now = self.now();
        let (billed, item) = match basis {
            "billable" | "standby_callout" => {
                let Some(customer_id) = ticket.customer_id else {
                    return Err(invalid("basis", "a ticket without a card cannot be billed: choose its card first"));
                };
                let Some(rate) = self.hourly_rate_for(Some(customer_id)).await? else {
                    return Err(invalid("basis", "no hourly_rate in the billing settings: set it, or log the time as contract"));
                };
                let (billed, percent, what) = if basis == "standby_callout" {
                    let Some((callout_id, ..)) = callout else {
                        return Err(invalid("basis", "this ticket is not a standby call-out"));
                    };
                    // The minimum is the call-out's, not each entry's: later entries add only
                    // what the call-out's total adds.
                    let before =
                        u32::try_from(helpdesk::work::callout_worked(&mut tx, self.store.backend(), callout_id).await?).unwrap_or(u32::MAX);
                    (settings.standby.callout.billed_minutes(before, minutes), settings.standby.callout.percent, Some(callout_id))
                } else {
                    (billed_minutes(minutes, settings.time_increment, settings.time_minimum), 100, None)
                };
                let item_id = if billed == 0 {
                    // Within the call-out's minimum, already billed.
                    None
                } else {
                    let price = priced(billed, rate, percent).ok_or_else(|| invalid("minutes", "too large an amount"))?;
                    let unit_text = plain(price);
                    let description = format!(
                        "{} {}: {} ({} min)",
                        if what.is_some() { "Standby call-out" } else { "Support" },
                        ticket.reference,
                        ticket.subject.chars().take(120).collect::<String>(),
                        billed
                    );
                    // One line of the exact price: the minutes are in the description, so no
                    // quantity of hours is ever rounded.
                    let qty = "1".to_string();
                    let item = ItemInput {
                        customer_id,
                        description: &description,
                        quantity: &qty,
                        unit_price: &unit_text,
                        vat_category: None,
                        on: worked_on,
                        source: "helpdesk",
                    };
                    Some(self.billing().add_item_in(&mut tx, actor, &item).await?)
                };
                if let Some(c) = what {
                    helpdesk::work::set_callout_billed(&mut tx, c, i64::from(minutes), item_id).await?;
                }
                (billed, item_id)
            }
            _ => (minutes, None),
        };
        let entry =
            helpdesk::work::insert_time(&mut tx, id, by.id, worked_on, i64::from(minutes), i64::from(billed), basis, &note, item, now)
                .await?;
        audit(
            &mut tx,
            actor,
            "ticket.time",
            ticket_entity(id),
            None,
            Some(serde_json::json!({ "minutes": minutes, "billed": billed, "basis": basis, "item": item })),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(entry)
    }

    /// What a standby span costs, part by part, with any call-outs: the preview staff see
    /// before they agree it.
    pub async fn standby_preview(&self, s: &StandbyInput) -> Result<StandbyQuote, AppError> {
        let settings = self.helpdesk()?;
        let starts = local("starts", &s.starts)?;
        let ends = local("ends", &s.ends)?;
        let mut callouts = Vec::new();
        for (i, c) in s.callouts.iter().enumerate() {
            callouts.push(Callout { at: local(&format!("callouts[{i}].at"), &c.at)?, worked_minutes: c.worked_minutes });
        }
        let Some(rate) = self.hourly_rate_for(s.customer_id).await? else {
            return Err(AppError::Refused("set hourly_rate in the billing settings first: standby is priced from it".into()));
        };
        price(&settings.standby, rate, &self.provider.tz(), &*settings.calendar, starts, ends, &callouts)
            .map_err(|e| invalid(standby_field(&e), e.to_string()))
    }

    /// Staff agree a standby period with card `customer_id`: priced as previewed and billed on
    /// its next invoice. Returns the period's id.
    pub async fn agree_standby(&self, actor: &Actor, by: &User, s: &StandbyInput) -> Result<i64, AppError> {
        let customer_id = s.customer_id.ok_or_else(|| invalid("customer_id", "choose the card the standby is agreed with"))?;
        let StandbyInput { callouts, .. } = s;
        if !callouts.is_empty() {
            return Err(invalid("callouts", "call-outs are recorded when they happen, not agreed in advance"));
        }
        let quote = self.standby_preview(s).await?;
        let note = input::optional_text("note", Some(&s.note), 300)?.unwrap_or_default();
        let first = quote.parts.first().ok_or_else(|| invalid("ends", "an empty span"))?;
        let last = quote.parts.last().ok_or_else(|| invalid("ends", "an empty span"))?;
        if last.end_instant <= self.now() {
            return Err(invalid("ends", "this span is over: standby is agreed in advance"));
        }
        let mut tx = self.store.begin().await?;
        loket_store::customers::customer(&mut tx, customer_id)
            .await?
            .ok_or_else(|| invalid("customer_id", format!("no customer card {customer_id}")))?;
        let json = serde_json::to_value(&quote).map_err(|e| AppError::Unavailable(e.to_string()))?;
        let (starts_local, ends_local) = (first.start.to_string(), last.end.to_string());
        let now = self.now();
        let id = helpdesk::work::insert_standby(
            &mut tx,
            customer_id,
            &starts_local,
            &ends_local,
            first.start_instant,
            last.end_instant,
            &json,
            quote.total.minor,
            self.provider.currency.code(),
            &note,
            Some(by.id),
            now,
        )
        .await?;
        let description = format!("Standby {} – {}", starts_local.replace('T', " "), ends_local.replace('T', " "));
        let amount = plain(quote.standby_total);
        let item = ItemInput {
            customer_id,
            description: &description,
            quantity: "1",
            unit_price: &amount,
            vat_category: None,
            on: first.start.date(),
            source: "standby",
        };
        let item_id = self.billing().add_item_in(&mut tx, actor, &item).await?;
        helpdesk::work::set_standby_item(&mut tx, id, item_id).await?;
        audit(
            &mut tx,
            actor,
            "standby.agree",
            crate::customer_entity(customer_id),
            None,
            Some(serde_json::json!({ "standby": id, "total": quote.total.minor, "item": item_id })),
        )
        .await?;
        self.mail_standby_confirmation(&mut tx, id).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    /// A customer calls during agreed standby: an urgent ticket (channel standby) with the
    /// regime's response time around the clock. `at` is when they called (default now).
    pub async fn standby_callout(
        &self,
        actor: &Actor,
        by: &User,
        customer_id: i64,
        at: Option<Timestamp>,
        subject: &str,
        body: &str,
    ) -> Result<(i64, TicketRef), AppError> {
        let settings = self.helpdesk()?;
        let subject = text("subject", subject, 200)?;
        let body = text("body", body, 20_000)?;
        let at = at.unwrap_or_else(|| self.now());
        let mut tx = self.store.begin().await?;
        let card = loket_store::customers::customer(&mut tx, customer_id)
            .await?
            .ok_or_else(|| invalid("customer_id", format!("no customer card {customer_id}")))?;
        let standby = helpdesk::work::standby_at(&mut tx, customer_id, at)
            .await?
            .ok_or_else(|| invalid("at", "this card has no standby agreed at that time: open a normal ticket"))?;
        let respond_by =
            at.checked_add(i64::from(settings.standby.callout.response_minutes).minutes()).map_err(|e| invalid("at", e.to_string()))?;
        let now = self.now();
        let new = NewTicket {
            customer_id: Some(customer_id),
            project_id: None,
            subject: &subject,
            status: Status::Open,
            priority: Priority::Urgent,
            category: Category::Outage,
            channel: Channel::Standby,
            requester_email: &card.card.email,
            requester_name: None,
            requester_user_id: None,
            assignee_id: Some(by.id),
            team: None,
            standby_id: Some(standby.id),
        };
        let (id, reference) = helpdesk::insert_ticket(&mut tx, &new, ticket_year(self), at.min(now)).await?;
        let entry = NewEntry {
            ticket_id: id,
            kind: EntryKind::Reply,
            channel: Channel::Standby,
            from_staff: true,
            author_user_id: Some(by.id),
            author_email: &by.email,
            author_name: Some(by.name.as_str()),
            body: &body,
            full_body: None,
            raw_file: None,
            message_id: None,
        };
        helpdesk::insert_entry(&mut tx, &entry, now).await?;
        helpdesk::work::insert_callout(&mut tx, standby.id, id, at, respond_by, now).await?;
        add_card_watchers(&mut tx, id, customer_id).await?;
        audit(
            &mut tx,
            actor,
            "standby.callout",
            ticket_entity(id),
            None,
            Some(serde_json::json!({ "standby": standby.id, "respond_by": respond_by.to_string() })),
        )
        .await?;
        let ticket = load(&mut tx, id).await?;
        let data = notify::data(self, &ticket, &body);
        notify::to_people(self, &mut tx, &ticket, "ticket-created", &data, &by.email).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok((id, reference))
    }
}

/// The field a standby error is about.
fn standby_field(e: &loket_domain::helpdesk::standby::StandbyError) -> &'static str {
    use loket_domain::helpdesk::standby::{Moment, StandbyError as E};
    match e {
        E::EndNotAfterStart { .. } | E::TooLong { .. } => "ends",
        E::NotWholeMinute { which, .. } | E::InGap { which, .. } => match which {
            Moment::Start => "starts",
            Moment::End => "ends",
            Moment::Callout(_) => "callouts",
        },
        E::CalloutOutsideSpan { .. } | E::CalloutInOfficeHours { .. } | E::TooMuchWorked { .. } => "callouts",
        _ => "standby",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_is_priced_to_the_minute_and_rounded_once() {
        let rate = Money::eur(9500);
        assert_eq!(priced(60, rate, 100), Some(Money::eur(9500)));
        assert_eq!(priced(95, rate, 100), Some(Money::eur(15042)), "as the standby table prices a call-out");
        assert_eq!(priced(20, rate, 100), Some(Money::eur(3167)));
        assert_eq!(priced(15, rate, 50), Some(Money::eur(1188)));
        assert_eq!(priced(u32::MAX, Money::eur(i64::MAX), 1000), None);
        assert_eq!(plain(Money::eur(9500)), "95.00");
        assert_eq!(plain(Money::eur(-5)), "-0.05");
    }
}
