//! The changes people make to tickets: open one (panel, phone, API), reply or note, change its
//! status, triage it (card, project, category, priority, assignee, team), merge two, add or
//! remove a watcher. Each is one transaction with its audit entry, history event and mail.

use loket_domain::access::Permission;
use loket_domain::helpdesk::ticket::{Category, Channel, EntryKind, Priority, Status, TicketRef};
use loket_domain::input;
use loket_store::Conn;
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::helpdesk::{self, NewEntry, NewTicket, Ticket};

use super::{entitled, notify, text};
use crate::{AppError, Services, audit, invalid};

/// A file attached to a ticket entry, as it came in.
#[derive(Debug, Clone)]
pub struct Attach {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A new ticket from the panel, staff (a phone call) or the API.
#[derive(Debug, Clone, Default)]
pub struct NewTicketInput {
    pub customer_id: Option<i64>,
    pub project_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub category: Option<String>,
    pub priority: Option<String>,
    /// portal (a card's user), phone (staff), api
    pub channel: Option<String>,
    /// For staff: who called (default: the card's e-mail).
    pub requester_email: Option<String>,
    pub requester_name: Option<String>,
    pub attachments: Vec<Attach>,
}

/// What staff set when they triage a ticket; `None` keeps the field as it is.
#[derive(Debug, Clone, Default)]
pub struct TriageInput {
    pub customer_id: Option<i64>,
    /// 0 takes the ticket out of its project.
    pub project_id: Option<i64>,
    pub category: Option<String>,
    pub priority: Option<String>,
    /// 0: nobody.
    pub assignee_id: Option<i64>,
    /// Empty: no team.
    pub team: Option<String>,
    /// A paid intervention's quote (of the same card); 0 takes it off.
    pub quote_id: Option<i64>,
}

fn parse_or<T: Copy>(field: &str, v: Option<&str>, default: T, parse: fn(&str) -> Option<T>, names: fn() -> String) -> Result<T, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => parse(s).ok_or_else(|| invalid(field, format!("`{}`: use one of {}", input::sample(s), names()))),
    }
}

pub(crate) fn ticket_entity(id: i64) -> (&'static str, Option<String>) {
    ("ticket", Some(id.to_string()))
}

/// The ticket `id`, or not found.
pub(crate) async fn load(tx: &mut Conn, id: i64) -> Result<Ticket, AppError> {
    helpdesk::ticket(tx, id).await?.ok_or(AppError::NotFound("ticket"))
}

/// The project `project_id` must be one of card `customer_id`'s.
async fn check_project(tx: &mut Conn, customer_id: Option<i64>, project_id: i64) -> Result<(), AppError> {
    let Some(c) = customer_id else {
        return Err(invalid("project_id", "a ticket without a card has no project: choose its card first"));
    };
    if !helpdesk::projects(tx, c).await?.iter().any(|(id, _, _)| *id == project_id) {
        return Err(invalid("project_id", format!("card {c} has no project {project_id}")));
    }
    Ok(())
}

/// Stores an entry's attachments (size-checked, outside the database) and records them.
pub(crate) async fn attach(app: &Services, tx: &mut Conn, ticket_id: i64, entry_id: i64, files: &[Attach]) -> Result<(), AppError> {
    let limit = app.helpdesk()?.max_attachment_bytes;
    let now = app.now();
    for f in files {
        if f.bytes.len() > limit {
            return Err(invalid("attachments", format!("{} is larger than {} MB", input::sample(&f.file_name), limit / (1024 * 1024))));
        }
        let stored = app.files.put(&f.bytes).await?;
        helpdesk::insert_attachment(tx, ticket_id, entry_id, &f.file_name, &f.content_type, f.bytes.len() as i64, &stored, now).await?;
    }
    Ok(())
}

/// The year of a new ticket's number: the provider's local year.
pub(crate) fn ticket_year(app: &Services) -> i16 {
    app.today().year()
}

impl Services {
    /// Opens a ticket. A card's user opens one for their card in the panel (needs the helpdesk
    /// permission and a plan that includes the helpdesk); staff open one for any card, or none,
    /// e.g. for a phone call (`channel` phone). The requester and watchers are mailed.
    pub async fn open_ticket(&self, actor: &Actor, by: &User, input: &NewTicketInput) -> Result<(i64, TicketRef), AppError> {
        let settings = self.helpdesk()?;
        let staff = by.staff_role.is_some();
        let mut errors = Vec::new();
        let subject = text("subject", &input.subject, 200).map_err(|e| errors.push(e)).ok();
        let body = text("body", &input.body, 20_000).map_err(|e| errors.push(e)).ok();
        let category = parse_or("category", input.category.as_deref(), Category::Question, Category::parse, Category::names);
        let priority = parse_or("priority", input.priority.as_deref(), Priority::Normal, Priority::parse, Priority::names);
        let channel = parse_or(
            "channel",
            input.channel.as_deref(),
            if staff { Channel::Phone } else { Channel::Portal },
            Channel::parse,
            Channel::names,
        );
        let (category, priority, channel) = match (category, priority, channel) {
            (Ok(c), Ok(p), Ok(ch)) => (Some(c), Some(p), Some(ch)),
            (c, p, ch) => {
                for e in [c.err(), p.err(), ch.err()].into_iter().flatten() {
                    errors.push(e);
                }
                (None, None, None)
            }
        };
        let flat: Vec<_> = errors
            .into_iter()
            .flat_map(|e| match e {
                AppError::Invalid(v) => v,
                other => vec![loket_domain::FieldError::new("ticket", other.to_string())],
            })
            .collect();
        if !flat.is_empty() {
            return Err(AppError::Invalid(flat));
        }
        let (subject, body, category, priority, mut channel) = (
            subject.unwrap_or_default(),
            body.unwrap_or_default(),
            category.unwrap_or(Category::Question),
            priority.unwrap_or(Priority::Normal),
            channel.unwrap_or(Channel::Portal),
        );
        if !staff {
            // A customer's ticket is always theirs, from the panel, at most high priority.
            channel = if channel == Channel::Api { Channel::Api } else { Channel::Portal };
        }
        let priority = if !staff && priority == Priority::Urgent { Priority::High } else { priority };
        let mut tx = self.store.begin().await?;
        let customer_id = match input.customer_id {
            Some(c) => {
                let card = loket_store::customers::customer(&mut tx, c)
                    .await?
                    .ok_or_else(|| invalid("customer_id", format!("no customer card {c}")))?;
                if !staff {
                    let m = self.store.membership(by.id, c).await?.ok_or(AppError::NotFound("customer"))?;
                    if !m.permissions.has(Permission::UseHelpdesk) {
                        return Err(AppError::Forbidden("your role on this card does not include the helpdesk".into()));
                    }
                    if !entitled(&mut tx, settings, c).await? {
                        return Err(AppError::Refused("this card's plan does not include the helpdesk".into()));
                    }
                }
                Some(card.id)
            }
            None if staff => None,
            None => return Err(invalid("customer_id", "choose the card this ticket is for")),
        };
        if let Some(p) = input.project_id {
            check_project(&mut tx, customer_id, p).await?;
        }
        let (requester_email, requester_name, requester_user) = if staff {
            let email = match input.requester_email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                Some(e) => loket_domain::provider::check::email(e).map_err(|m| invalid("requester_email", m))?.to_lowercase(),
                None => match customer_id {
                    Some(c) => loket_store::customers::customer(&mut tx, c).await?.map(|c| c.card.email).unwrap_or_default(),
                    None => return Err(invalid("requester_email", "give the caller's e-mail address, or choose a card")),
                },
            };
            let name =
                input.requester_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(120).collect::<String>());
            let user = helpdesk::sender(&mut tx, &email).await?.user_id;
            (email, name, user)
        } else {
            (by.email.clone(), Some(by.name.clone()).filter(|n| !n.is_empty()), Some(by.id))
        };
        let now = self.now();
        let new = NewTicket {
            customer_id,
            project_id: input.project_id,
            subject: &subject,
            status: if staff { Status::Open } else { Status::New },
            priority,
            category,
            channel,
            requester_email: &requester_email,
            requester_name: requester_name.as_deref(),
            requester_user_id: requester_user,
            assignee_id: if staff { Some(by.id) } else { None },
            team: None,
            standby_id: None,
        };
        let (id, reference) = helpdesk::insert_ticket(&mut tx, &new, ticket_year(self), now).await?;
        let entry = NewEntry {
            ticket_id: id,
            kind: EntryKind::Reply,
            channel,
            from_staff: staff,
            author_user_id: Some(by.id),
            author_email: &by.email,
            author_name: Some(by.name.as_str()).filter(|n| !n.is_empty()),
            body: &body,
            full_body: None,
            raw_file: None,
            message_id: None,
        };
        let entry_id = helpdesk::insert_entry(&mut tx, &entry, now).await?;
        attach(self, &mut tx, id, entry_id, &input.attachments).await?;
        if let Some(c) = customer_id {
            add_card_watchers(&mut tx, id, c).await?;
        }
        let after = serde_json::json!({ "reference": reference.to_string(), "customer": customer_id, "channel": channel, "priority": priority, "category": category });
        audit(&mut tx, actor, "ticket.open", ticket_entity(id), None, Some(after)).await?;
        let ticket = load(&mut tx, id).await?;
        let data = notify::data(self, &ticket, &body);
        notify::to_people(self, &mut tx, &ticket, "ticket-created", &data, &by.email).await?;
        if !staff {
            notify::to_staff(self, &mut tx, &ticket, "ticket-staff", &data).await?;
        }
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok((id, reference))
    }

    /// A ticket Loket opens itself for card `customer_id` (an incident of a monitored
    /// service): an outage, from the channel `monitor`, requested by the card's address, in the
    /// caller's transaction. Staff hear of it; the card's people only when `tell_card` (they
    /// then watch it and get its mail).
    pub(crate) async fn system_ticket_in(
        &self,
        tx: &mut Conn,
        customer_id: i64,
        subject: &str,
        body: &str,
        priority: Priority,
        tell_card: bool,
    ) -> Result<(i64, TicketRef), AppError> {
        let card = loket_store::customers::customer(&mut *tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let now = self.now();
        let new = NewTicket {
            customer_id: Some(customer_id),
            project_id: None,
            subject,
            status: Status::New,
            priority,
            category: Category::Outage,
            channel: Channel::Monitor,
            requester_email: &card.card.email,
            requester_name: None,
            requester_user_id: None,
            assignee_id: None,
            team: None,
            standby_id: None,
        };
        let (id, reference) = helpdesk::insert_ticket(&mut *tx, &new, ticket_year(self), now).await?;
        self.system_entry_in(tx, id, if tell_card { EntryKind::Reply } else { EntryKind::Note }, body).await?;
        if tell_card {
            add_card_watchers(&mut *tx, id, customer_id).await?;
        }
        let after = serde_json::json!({ "reference": reference.to_string(), "customer": customer_id, "channel": Channel::Monitor, "priority": priority });
        audit(&mut *tx, &Actor::system(), "ticket.open", ticket_entity(id), None, Some(after)).await?;
        let ticket = load(&mut *tx, id).await?;
        let data = notify::data(self, &ticket, body);
        if tell_card {
            let from = self.composer.from_address().unwrap_or_default();
            notify::to_people(self, &mut *tx, &ticket, "ticket-created", &data, &from).await?;
        }
        notify::to_staff(self, &mut *tx, &ticket, "ticket-staff", &data).await?;
        Ok((id, reference))
    }

    /// A note on ticket `id` from Loket itself (an incident's recovery), in the caller's
    /// transaction.
    pub(crate) async fn system_note_in(&self, tx: &mut Conn, id: i64, body: &str) -> Result<(), AppError> {
        self.system_entry_in(tx, id, EntryKind::Note, body).await
    }

    /// An entry Loket itself writes on ticket `id` (monitoring's alerts and recoveries).
    async fn system_entry_in(&self, tx: &mut Conn, id: i64, kind: EntryKind, body: &str) -> Result<(), AppError> {
        let from = self.composer.from_address().unwrap_or_default();
        let entry = NewEntry {
            ticket_id: id,
            kind,
            channel: Channel::Monitor,
            from_staff: true,
            author_user_id: None,
            author_email: &from,
            author_name: Some("Loket"),
            body,
            full_body: None,
            raw_file: None,
            message_id: None,
        };
        helpdesk::insert_entry(&mut *tx, &entry, self.now()).await?;
        Ok(())
    }

    /// A public reply (mailed to the requester and watchers) or an internal note (staff only) on
    /// ticket `id`; staff may set the status with it (e.g. waiting on the customer). A card's
    /// user may only reply on their card's tickets. Returns the entry's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn ticket_reply(
        &self,
        actor: &Actor,
        by: &User,
        id: i64,
        kind: EntryKind,
        body: &str,
        status: Option<&str>,
        attachments: &[Attach],
    ) -> Result<i64, AppError> {
        self.helpdesk()?;
        let staff = by.staff_role.is_some();
        let body = text("body", body, 20_000)?;
        let wanted = match status.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if staff => {
                Some(Status::parse(s).ok_or_else(|| invalid("status", format!("`{}`: use one of {}", input::sample(s), Status::names())))?)
            }
            _ => None,
        };
        if kind == EntryKind::Note && !staff {
            return Err(AppError::Forbidden("only staff write internal notes".into()));
        }
        let mut tx = self.store.begin().await?;
        let ticket = load(&mut tx, id).await?;
        if !staff {
            let c = ticket.customer_id.ok_or(AppError::NotFound("ticket"))?;
            let m = self.store.membership(by.id, c).await?.ok_or(AppError::NotFound("ticket"))?;
            if !m.permissions.has(Permission::UseHelpdesk) {
                return Err(AppError::NotFound("ticket"));
            }
        }
        if ticket.status == Status::Closed {
            return Err(AppError::Conflict(format!("{} is closed: open a new ticket", ticket.reference)));
        }
        let now = self.now();
        let entry = NewEntry {
            ticket_id: id,
            kind,
            channel: Channel::Portal,
            from_staff: staff,
            author_user_id: Some(by.id),
            author_email: &by.email,
            author_name: Some(by.name.as_str()).filter(|n| !n.is_empty()),
            body: &body,
            full_body: None,
            raw_file: None,
            message_id: None,
        };
        let entry_id = helpdesk::insert_entry(&mut tx, &entry, now).await?;
        attach(self, &mut tx, id, entry_id, attachments).await?;
        helpdesk::touch(&mut tx, id, now).await?;
        let next = if staff {
            if kind == EntryKind::Reply && !has_first_response(&mut tx, id).await? {
                helpdesk::insert_event(&mut tx, id, "first_response", None, Some(by.id), now).await?;
            }
            match (wanted, ticket.status) {
                (Some(s), _) => Some(s),
                (None, Status::New) if kind == EntryKind::Reply => Some(Status::Open),
                _ => None,
            }
        } else {
            Some(ticket.status.after_customer_reply())
        };
        let mut ticket = ticket;
        if let Some(s) = next.filter(|s| *s != ticket.status) {
            if !ticket.status.may_become(s) {
                return Err(invalid("status", format!("a {} ticket cannot become {}", ticket.status, s)));
            }
            set_status_in(&mut tx, &mut ticket, s, Some(by.id), now).await?;
        }
        let action = if kind == EntryKind::Note { "ticket.note" } else { "ticket.reply" };
        audit(&mut tx, actor, action, ticket_entity(id), None, Some(serde_json::json!({ "entry": entry_id, "status": ticket.status })))
            .await?;
        if kind == EntryKind::Reply {
            let data = notify::data(self, &ticket, &body);
            notify::to_people(self, &mut tx, &ticket, "ticket-reply", &data, &by.email).await?;
            if !staff {
                notify::to_staff(self, &mut tx, &ticket, "ticket-staff", &data).await?;
            }
        }
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(entry_id)
    }

    /// Staff change a ticket's status; the requester and watchers are told.
    pub async fn ticket_status(&self, actor: &Actor, by: &User, id: i64, status: &str) -> Result<(), AppError> {
        self.helpdesk()?;
        let to = Status::parse(status)
            .ok_or_else(|| invalid("status", format!("`{}`: use one of {}", input::sample(status), Status::names())))?;
        let mut tx = self.store.begin().await?;
        let mut ticket = load(&mut tx, id).await?;
        if !ticket.status.may_become(to) {
            return Err(invalid("status", format!("a {} ticket cannot become {}", ticket.status, to)));
        }
        let before = ticket.status;
        set_status_in(&mut tx, &mut ticket, to, Some(by.id), self.now()).await?;
        audit(
            &mut tx,
            actor,
            "ticket.status",
            ticket_entity(id),
            Some(serde_json::json!({ "status": before })),
            Some(serde_json::json!({ "status": to })),
        )
        .await?;
        let data = notify::data(self, &ticket, "");
        notify::to_people(self, &mut tx, &ticket, "ticket-status", &data, &by.email).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(())
    }

    /// Staff hang a ticket under a card and project, set its category and priority, and assign
    /// it to a person and team ("passed to the right professional").
    pub async fn ticket_triage(&self, actor: &Actor, by: &User, id: i64, t: &TriageInput) -> Result<(), AppError> {
        self.helpdesk()?;
        let mut tx = self.store.begin().await?;
        let ticket = load(&mut tx, id).await?;
        let category = parse_or("category", t.category.as_deref(), ticket.category, Category::parse, Category::names)?;
        let priority = parse_or("priority", t.priority.as_deref(), ticket.priority, Priority::parse, Priority::names)?;
        let customer_id = match t.customer_id {
            Some(c) => Some(
                loket_store::customers::customer(&mut tx, c)
                    .await?
                    .ok_or_else(|| invalid("customer_id", format!("no customer card {c}")))?
                    .id,
            ),
            None => ticket.customer_id,
        };
        let project_id = match t.project_id {
            Some(0) => None,
            Some(p) => {
                check_project(&mut tx, customer_id, p).await?;
                Some(p)
            }
            None if customer_id != ticket.customer_id => None,
            None => ticket.project_id,
        };
        let assignee_id = match t.assignee_id {
            Some(0) => None,
            Some(u) => match self.store.user(u).await? {
                Some(user) if user.staff_role.is_some() && !user.disabled => Some(u),
                _ => return Err(invalid("assignee_id", format!("no staff member {u}"))),
            },
            None => ticket.assignee_id,
        };
        let team = match t.team.as_deref().map(str::trim) {
            Some("") => None,
            Some(team) => Some(input::text("team", team, 60)?.to_string()),
            None => ticket.team.clone(),
        };
        let quote_id = match t.quote_id {
            Some(0) => None,
            Some(q) => match loket_store::quotes::quote(&mut tx, q).await? {
                Some(quote) if Some(quote.customer_id) == customer_id => Some(q),
                _ => return Err(invalid("quote_id", format!("the ticket's card has no quote {q}"))),
            },
            None => ticket.quote_id,
        };
        let now = self.now();
        let triage = helpdesk::Triage { priority, category, assignee_id, team: team.as_deref(), project_id, customer_id, quote_id };
        helpdesk::set_triage(&mut tx, id, &triage, now).await?;
        if priority != ticket.priority {
            helpdesk::insert_event(&mut tx, id, "priority", Some(priority.name()), Some(by.id), now).await?;
        }
        if assignee_id != ticket.assignee_id {
            helpdesk::insert_event(&mut tx, id, "assigned", assignee_id.map(|a| a.to_string()).as_deref(), Some(by.id), now).await?;
        }
        if customer_id != ticket.customer_id
            && let Some(c) = customer_id
        {
            add_card_watchers(&mut tx, id, c).await?;
        }
        let before = serde_json::json!({ "customer": ticket.customer_id, "project": ticket.project_id, "category": ticket.category,
            "priority": ticket.priority, "assignee": ticket.assignee_id, "team": ticket.team });
        let after = serde_json::json!({ "customer": customer_id, "project": project_id, "category": category, "priority": priority,
            "assignee": assignee_id, "team": team });
        audit(&mut tx, actor, "ticket.triage", ticket_entity(id), Some(before), Some(after)).await?;
        if let Some(a) = assignee_id.filter(|a| Some(*a) != ticket.assignee_id && *a != by.id) {
            let ticket = load(&mut tx, id).await?;
            let data = notify::data(self, &ticket, "");
            if let Some(user) = self.store.user(a).await? {
                let thread = notify::thread(self, &mut tx, id).await?;
                let m = self
                    .composer
                    .compose_thread("ticket-assigned", user.language, &[&user.email], data, &thread)
                    .map_err(|e| AppError::Mail(e.to_string()))?;
                loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(m)).await?;
            }
        }
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(())
    }

    /// Staff merge ticket `from` into `into` (the same question twice): the thread moves, `from`
    /// is closed and points to `into`.
    pub async fn ticket_merge(&self, actor: &Actor, by: &User, from: i64, into: i64) -> Result<(), AppError> {
        self.helpdesk()?;
        if from == into {
            return Err(invalid("into", "a ticket cannot be merged into itself"));
        }
        let mut tx = self.store.begin().await?;
        let a = load(&mut tx, from).await?;
        let b = load(&mut tx, into).await.map_err(|_| invalid("into", format!("no ticket {into}")))?;
        if a.merged_into.is_some() || b.status == Status::Closed {
            return Err(AppError::Conflict("merge into an open ticket, from one not merged before".into()));
        }
        if a.customer_id.is_some() && b.customer_id.is_some() && a.customer_id != b.customer_id {
            return Err(invalid("into", "both tickets must be of the same card"));
        }
        let now = self.now();
        helpdesk::merge(&mut tx, from, into, now).await?;
        helpdesk::insert_event(&mut tx, from, "merged", Some(&into.to_string()), Some(by.id), now).await?;
        helpdesk::insert_event(&mut tx, from, "status", Some(Status::Closed.name()), Some(by.id), now).await?;
        audit(
            &mut tx,
            actor,
            "ticket.merge",
            ticket_entity(from),
            None,
            Some(serde_json::json!({ "into": into, "reference": b.reference })),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(())
    }

    /// Staff add (or remove) someone involved, who then gets the ticket's mail.
    pub async fn ticket_watcher(&self, actor: &Actor, id: i64, email: &str, add: bool) -> Result<(), AppError> {
        self.helpdesk()?;
        let email = loket_domain::provider::check::email(email.trim()).map_err(|m| invalid("email", m))?.to_lowercase();
        let mut tx = self.store.begin().await?;
        load(&mut tx, id).await?;
        if add {
            let user = helpdesk::sender(&mut tx, &email).await?.user_id;
            helpdesk::add_watcher(&mut tx, id, &email, user).await?;
        } else if !helpdesk::remove_watcher(&mut tx, id, &email).await? {
            return Err(invalid("email", format!("{email} is not watching this ticket")));
        }
        audit(
            &mut tx,
            actor,
            if add { "ticket.watch" } else { "ticket.unwatch" },
            ticket_entity(id),
            None,
            Some(serde_json::json!({ "email": email })),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(())
    }
}

/// Every user of the card with the helpdesk permission watches its tickets.
pub(crate) async fn add_card_watchers(tx: &mut Conn, ticket_id: i64, customer_id: i64) -> Result<(), AppError> {
    for (user, email, _) in helpdesk::helpdesk_users(tx, customer_id).await? {
        helpdesk::add_watcher(tx, ticket_id, &email, Some(user)).await?;
    }
    Ok(())
}

async fn has_first_response(tx: &mut Conn, id: i64) -> Result<bool, AppError> {
    Ok(helpdesk::events(tx, id).await?.iter().any(|e| e.kind == "first_response"))
}

/// Sets the status and records the event the SLA clocks read.
pub(crate) async fn set_status_in(
    tx: &mut Conn,
    ticket: &mut Ticket,
    to: Status,
    by: Option<i64>,
    now: jiff::Timestamp,
) -> Result<(), AppError> {
    helpdesk::set_status(tx, ticket.id, to, now).await?;
    helpdesk::insert_event(tx, ticket.id, "status", Some(to.name()), by, now).await?;
    ticket.status = to;
    Ok(())
}
