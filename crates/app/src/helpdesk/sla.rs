//! A ticket's SLA clocks, derived from its history each time (never kept as counters), and the
//! escalation sweep: each rule acts on a ticket once, recorded as an `escalation` event.

use std::collections::BTreeSet;

use jiff::Timestamp;
use loket_domain::helpdesk::calendar::OfficeCalendar;
use loket_domain::helpdesk::sla::{EscalationAction, SlaClocks, SlaEvent, SlaPolicy, due_escalations, sla_clocks};
use loket_domain::helpdesk::ticket::{Priority, Status};
use loket_store::Conn;
use loket_store::helpdesk::{self, Event, Ticket};

use super::tickets::{load, set_status_in};
use crate::{AppError, Services, outgoing};

/// A ticket's clocks with the policy they were measured against.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SlaView {
    pub policy: SlaPolicy,
    pub clocks: SlaClocks,
    /// Counted around the clock (a standby call-out), not in office hours.
    pub around_the_clock: bool,
}

/// The SLA events of a stored history: status changes become pauses, resumes, resolutions and
/// reopenings; the first public staff reply stops the first-response clock.
pub fn sla_events(events: &[Event]) -> Vec<(Timestamp, SlaEvent)> {
    let mut out = Vec::with_capacity(events.len());
    let mut status = Status::New;
    for e in events {
        match e.kind.as_str() {
            "created" => out.push((e.at, SlaEvent::Created)),
            "first_response" => out.push((e.at, SlaEvent::FirstResponse)),
            "status" => {
                let Some(to) = e.value.as_deref().and_then(Status::parse) else { continue };
                let was_done = !status.is_active();
                let was_waiting = status == Status::WaitingOnCustomer;
                if !to.is_active() {
                    if !was_done {
                        out.push((e.at, SlaEvent::Resolved));
                    }
                } else if was_done {
                    out.push((e.at, SlaEvent::Reopened));
                    if to == Status::WaitingOnCustomer {
                        out.push((e.at, SlaEvent::Paused));
                    }
                } else if to == Status::WaitingOnCustomer && !was_waiting {
                    out.push((e.at, SlaEvent::Paused));
                } else if was_waiting && to != Status::WaitingOnCustomer {
                    out.push((e.at, SlaEvent::Resumed));
                }
                status = to;
            }
            _ => {}
        }
    }
    out
}

/// The clocks of `ticket` at `now`: a standby call-out has the regime's response time around
/// the clock; every other ticket its priority's targets in office hours.
pub async fn sla_of(app: &Services, conn: &mut Conn, ticket: &Ticket, now: Timestamp) -> Result<SlaView, AppError> {
    let settings = app.helpdesk()?;
    let events = helpdesk::events(conn, ticket.id).await?;
    let callout = helpdesk::work::callout_of(conn, ticket.id).await?;
    let (policy, always) = match callout {
        Some(_) => {
            let mut p = *settings.policy(Priority::Urgent);
            p.first_response = Some(i64::from(settings.standby.callout.response_minutes) * 60);
            (p, true)
        }
        None => (*settings.policy(ticket.priority), false),
    };
    let clocks = if always {
        sla_clocks(&sla_events(&events), &policy, &OfficeCalendar::always(), now)
    } else {
        sla_clocks(&sla_events(&events), &policy, &settings.calendar, now)
    };
    Ok(SlaView { policy, clocks, around_the_clock: always })
}

impl Services {
    /// Applies the escalation rules due on active tickets: raise the priority, hand to a team
    /// (the ticket becomes escalated), tell someone. Each rule once per ticket. Returns how many
    /// actions were taken.
    pub async fn escalate_due(&self) -> Result<usize, AppError> {
        let Some(settings) = self.helpdesk.clone() else { return Ok(0) };
        if settings.escalation.is_empty() {
            return Ok(0);
        }
        let mut after = 0;
        let mut taken = 0;
        loop {
            let mut conn = self.store.acquire().await?;
            let ids = helpdesk::active_ids(&mut conn, after, 500).await?;
            drop(conn);
            let Some(last) = ids.last() else { break };
            after = *last;
            for id in ids {
                taken += self.escalate_one(id, &settings).await.unwrap_or_else(|e| {
                    tracing::warn!(ticket = id, error = %e, "escalation of a ticket failed");
                    0
                });
            }
        }
        Ok(taken)
    }

    async fn escalate_one(&self, id: i64, settings: &super::HelpdeskSettings) -> Result<usize, AppError> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let mut ticket = load(&mut tx, id).await?;
        let view = sla_of(self, &mut tx, &ticket, now).await?;
        let applied: BTreeSet<usize> = helpdesk::events(&mut tx, id)
            .await?
            .iter()
            .filter(|e| e.kind == "escalation")
            .filter_map(|e| e.value.as_deref().and_then(|v| v.parse().ok()))
            .collect();
        let due: Vec<(usize, _)> =
            due_escalations(&view.clocks, &settings.escalation, &applied).into_iter().map(|(i, r)| (i, r.clone())).collect();
        if due.is_empty() {
            return Ok(0);
        }
        for (i, rule) in &due {
            helpdesk::insert_event(&mut tx, id, "escalation", Some(&i.to_string()), None, now).await?;
            match &rule.action {
                EscalationAction::RaisePriority => {
                    let raised = ticket.priority.raised();
                    let t = helpdesk::Triage {
                        priority: raised,
                        category: ticket.category,
                        assignee_id: ticket.assignee_id,
                        team: ticket.team.as_deref(),
                        project_id: ticket.project_id,
                        customer_id: ticket.customer_id,
                        quote_id: ticket.quote_id,
                    };
                    helpdesk::set_triage(&mut tx, id, &t, now).await?;
                    helpdesk::insert_event(&mut tx, id, "priority", Some(raised.name()), None, now).await?;
                    ticket.priority = raised;
                }
                EscalationAction::Reassign(team) => {
                    let t = helpdesk::Triage {
                        priority: ticket.priority,
                        category: ticket.category,
                        assignee_id: None,
                        team: Some(team),
                        project_id: ticket.project_id,
                        customer_id: ticket.customer_id,
                        quote_id: ticket.quote_id,
                    };
                    helpdesk::set_triage(&mut tx, id, &t, now).await?;
                    if ticket.status.may_become(Status::Escalated) && ticket.status != Status::WaitingOnCustomer {
                        set_status_in(&mut tx, &mut ticket, Status::Escalated, None, now).await?;
                    }
                }
                EscalationAction::Notify(to) => {
                    let to = match to.contains('@') {
                        true => to.clone(),
                        false => settings.address.clone().unwrap_or_else(|| self.provider.email.clone()),
                    };
                    let data = serde_json::json!({ "reference": ticket.reference, "subject": ticket.subject,
                        "clock": rule.clock, "on": rule.on, "url": format!("{}/staff/tickets/{id}", self.public_url) });
                    let m = self
                        .composer
                        .compose("ticket-escalated", self.provider.default_language, &[&to], data)
                        .map_err(|e| AppError::Mail(e.to_string()))?;
                    loket_store::outbox::enqueue_mail(&mut tx, &outgoing(m)).await?;
                }
            }
        }
        let actor = loket_store::audit::Actor::new(loket_store::audit::ActorKind::System, "sla");
        crate::audit(
            &mut tx,
            &actor,
            "ticket.escalate",
            ("ticket", Some(id.to_string())),
            None,
            Some(serde_json::json!({ "rules": due.iter().map(|(i, _)| i).collect::<Vec<_>>() })),
        )
        .await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(due.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(min: i64, kind: &str, value: Option<&str>) -> Event {
        Event { kind: kind.into(), value: value.map(str::to_string), actor_user_id: None, at: Timestamp::from_second(min * 60).unwrap() }
    }

    #[test]
    fn a_history_becomes_the_clocks_events() {
        let history = [
            ev(0, "created", Some("normal")),
            ev(5, "status", Some("open")),
            ev(10, "first_response", None),
            ev(11, "status", Some("waiting")),
            ev(20, "status", Some("open")),
            ev(30, "status", Some("resolved")),
            ev(40, "status", Some("open")),
            ev(45, "status", Some("waiting")),
            ev(50, "status", Some("closed")),
            ev(55, "priority", Some("high")),
        ];
        let got: Vec<(i64, SlaEvent)> = sla_events(&history).into_iter().map(|(t, e)| (t.as_second() / 60, e)).collect();
        assert_eq!(
            got,
            vec![
                (0, SlaEvent::Created),
                (10, SlaEvent::FirstResponse),
                (11, SlaEvent::Paused),
                (20, SlaEvent::Resumed),
                (30, SlaEvent::Resolved),
                (40, SlaEvent::Reopened),
                (45, SlaEvent::Paused),
                (50, SlaEvent::Resolved),
            ]
        );
    }

    #[test]
    fn a_ticket_reopened_straight_into_waiting_stays_paused() {
        let history = [ev(0, "created", None), ev(1, "status", Some("resolved")), ev(2, "status", Some("waiting"))];
        let got: Vec<SlaEvent> = sla_events(&history).into_iter().map(|(_, e)| e).collect();
        assert_eq!(got, vec![SlaEvent::Created, SlaEvent::Resolved, SlaEvent::Reopened, SlaEvent::Paused]);
    }
}
