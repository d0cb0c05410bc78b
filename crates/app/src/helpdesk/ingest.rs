//! Mail to the support address becomes a ticket, or a reply on one (seed 003). One path for
//! every way mail comes in — IMAP, `loket mail ingest` from the MTA, the benchmark: a batch of
//! raw messages is parsed, then written in one transaction, each message in a savepoint of its
//! own so that one bad message never stops the others.
//!
//! Rules: every Message-ID is recorded once (the same message twice makes one entry); a reply
//! is threaded by In-Reply-To / References, then by the ticket reference in its subject (only
//! from someone involved in that ticket); auto-replies, bounces and list mail never make a
//! ticket or a reply (a bounce of Loket's own mail is recorded on the address); a sender gets
//! at most one acknowledgement per window; mail from an unknown sender follows the provider's
//! rule. Nothing is acknowledged to the mailbox before the transaction commits.

use loket_domain::Language;
use loket_domain::helpdesk::ticket::{Category, Channel, EntryKind, Priority, Status, TicketRef};
use loket_mail::inbound::{self, Automatic, Inbound};
use loket_store::Conn;
use loket_store::helpdesk::mail::Direction;
use loket_store::helpdesk::{self, NewEntry, NewTicket, Sender, Ticket};

use super::tickets::{Attach, add_card_watchers, attach, load, set_status_in, ticket_year};
use super::{UnknownSenders, entitled, notify};
use crate::{AppError, Services, outgoing};

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A new ticket.
    Opened { ticket_id: i64, reference: String },
    /// A reply on a ticket.
    Replied { ticket_id: i64 },
    /// Seen before (the same Message-ID): nothing changed.
    Duplicate,
    /// An auto-reply, bounce or list message, or Loket's own mail: no ticket, no reply.
    Ignored(&'static str),
    /// From a sender the provider does not take tickets from: told so (at most once per window).
    Refused,
    /// Not a message Loket can read: the mailbox should not offer it again.
    Rejected(String),
}

impl IngestOutcome {
    /// Whether the message is done with (the mailbox may mark it).
    pub fn is_final(&self) -> bool {
        true
    }
}

/// Counts of a batch, for logs and the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ingested {
    pub messages: usize,
    pub opened: usize,
    pub replied: usize,
    pub ignored: usize,
}

impl Ingested {
    pub fn add(&mut self, outcomes: &[IngestOutcome]) {
        self.messages += outcomes.len();
        for o in outcomes {
            match o {
                IngestOutcome::Opened { .. } => self.opened += 1,
                IngestOutcome::Replied { .. } => self.replied += 1,
                _ => self.ignored += 1,
            }
        }
    }
}

struct Parsed {
    mail: Inbound,
    from: String,
    raw_file: Option<String>,
}

impl Services {
    /// Ingests `messages` (raw RFC 5322 bytes) in one transaction: one outcome per message, in
    /// order. An error means nothing was committed and every message may be offered again.
    pub async fn ingest_mail(&self, messages: &[Vec<u8>]) -> Result<Vec<IngestOutcome>, AppError> {
        let settings = self.helpdesk()?;
        let mut parsed: Vec<Result<Parsed, IngestOutcome>> = Vec::with_capacity(messages.len());
        for raw in messages {
            let mail = match inbound::parse_with_limit(raw, settings.max_message_bytes) {
                Ok(m) => m,
                Err(e) => {
                    parsed.push(Err(IngestOutcome::Rejected(e.to_string())));
                    continue;
                }
            };
            let from = mail.from.as_ref().map(|m| m.address.to_lowercase()).unwrap_or_default();
            let keep = mail.automatic.is_none() && !from.is_empty();
            // The whole message is kept beside the ticket (outside the database).
            let raw_file = if keep { Some(self.files.put(raw).await?) } else { None };
            parsed.push(Ok(Parsed { mail, from, raw_file }));
        }
        let mut tx = self.store.begin().await?;
        let mut outcomes = Vec::with_capacity(parsed.len());
        for p in parsed {
            let p = match p {
                Ok(p) => p,
                Err(o) => {
                    outcomes.push(o);
                    continue;
                }
            };
            let mut sp = loket_store::savepoint(&mut tx).await?;
            match self.ingest_one(&mut sp, &p).await {
                Ok(o) => {
                    loket_store::release(sp).await?;
                    outcomes.push(o);
                }
                // The database failing is not this message's fault: nothing is committed and
                // the whole batch is offered again.
                Err(AppError::Store(e)) => return Err(AppError::Store(e)),
                Err(e) => {
                    drop(sp);
                    tracing::warn!(message_id = %p.mail.message_id, error = %e, "an incoming message was refused");
                    outcomes.push(IngestOutcome::Rejected(e.to_string()));
                }
            }
        }
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(outcomes)
    }

    async fn ingest_one(&self, tx: &mut Conn, p: &Parsed) -> Result<IngestOutcome, AppError> {
        let settings = self.helpdesk()?;
        let now = self.now();
        let mail = &p.mail;
        let id = mail.message_id.as_str();
        if let Some(auto) = &mail.automatic {
            if !helpdesk::mail::claim(tx, id, None, Direction::Ignored, now).await? {
                return Ok(IngestOutcome::Duplicate);
            }
            return Ok(match auto {
                Automatic::Bounce { recipients, permanent, original_message_id } => {
                    for r in recipients {
                        helpdesk::mail::record_bounce(tx, r, *permanent, original_message_id.as_deref(), now).await?;
                    }
                    IngestOutcome::Ignored("bounce")
                }
                Automatic::List => IngestOutcome::Ignored("list"),
                Automatic::AutoReply => IngestOutcome::Ignored("auto-reply"),
            });
        }
        if p.from.is_empty() || self.is_own_address(&p.from) {
            if !helpdesk::mail::claim(tx, id, None, Direction::Ignored, now).await? {
                return Ok(IngestOutcome::Duplicate);
            }
            return Ok(IngestOutcome::Ignored("own or no sender"));
        }
        if !helpdesk::mail::claim(tx, id, None, Direction::In, now).await? {
            return Ok(IngestOutcome::Duplicate);
        }
        let sender = helpdesk::sender(tx, &p.from).await?;
        if let Some(ticket) = self.thread_of(tx, mail, &p.from, &sender).await? {
            return self.reply_by_mail(tx, ticket, p, &sender).await;
        }
        // A new ticket: for the sender's card, if it has the helpdesk.
        let card = sender.cards.iter().find(|(_, may)| *may).map(|(c, _)| *c);
        let language = sender.language.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or(self.provider.default_language);
        let customer_id = match card {
            Some(c) if entitled(tx, settings, c).await? => Some(c),
            Some(_) => {
                sqlx_direction(tx, id, Direction::Refused).await?;
                self.refuse(tx, &p.from, language, "plan", mail).await?;
                return Ok(IngestOutcome::Refused);
            }
            None if sender.staff => None,
            None if settings.unknown_senders == UnknownSenders::Refuse => {
                sqlx_direction(tx, id, Direction::Refused).await?;
                self.refuse(tx, &p.from, language, "unknown", mail).await?;
                return Ok(IngestOutcome::Refused);
            }
            None => None,
        };
        let subject = clip(inbound::subject_without_prefixes(&mail.subject).trim(), 200);
        let subject = if subject.is_empty() { "(no subject)".to_string() } else { subject };
        let name = mail.from.as_ref().and_then(|m| m.name.clone()).map(|n| clip(&n, 120));
        let new = NewTicket {
            customer_id,
            project_id: None,
            subject: &subject,
            status: Status::New,
            priority: Priority::Normal,
            category: Category::Question,
            channel: Channel::Email,
            requester_email: &p.from,
            requester_name: name.as_deref(),
            requester_user_id: sender.user_id,
            assignee_id: None,
            team: None,
            standby_id: None,
        };
        let (ticket_id, reference) = helpdesk::insert_ticket(tx, &new, ticket_year(self), now).await?;
        helpdesk::mail::set_ticket(tx, id, ticket_id).await?;
        self.entry_from_mail(tx, ticket_id, p, false, sender.user_id).await?;
        if let Some(c) = customer_id {
            add_card_watchers(tx, ticket_id, c).await?;
        }
        // Everyone else the message was written to is involved too.
        for m in mail.cc.iter().chain(mail.to.iter()) {
            let a = m.address.to_lowercase();
            if a != p.from && !self.is_own_address(&a) && loket_domain::provider::check::email(&a).is_ok() {
                helpdesk::add_watcher(tx, ticket_id, &a, None).await?;
            }
        }
        let ticket = load(tx, ticket_id).await?;
        let data = notify::data(self, &ticket, &mail.reply_text);
        if !mail.suppress_auto_response && helpdesk::mail::take_ack(tx, &p.from, now, settings.ack_window).await? {
            self.ack(tx, &ticket, &p.from, language, &data).await?;
        }
        notify::to_people(self, tx, &ticket, "ticket-created", &data, &p.from).await.map(|_| ())?;
        notify::to_staff(self, tx, &ticket, "ticket-staff", &data).await?;
        crate::audit(
            tx,
            &mail_actor(),
            "ticket.open",
            ("ticket", Some(ticket_id.to_string())),
            None,
            Some(serde_json::json!({
            "reference": reference.to_string(), "channel": "email", "message_id": id })),
        )
        .await?;
        Ok(IngestOutcome::Opened { ticket_id, reference: reference.to_string() })
    }

    /// The ticket a message answers: by its threading headers, else by the reference in its
    /// subject when the sender is involved in that ticket. A merged ticket leads to the one it
    /// was merged into; a closed one to none (a new ticket).
    async fn thread_of(&self, tx: &mut Conn, mail: &Inbound, from: &str, sender: &Sender) -> Result<Option<Ticket>, AppError> {
        let mut ids: Vec<&str> = Vec::new();
        if let Some(r) = &mail.in_reply_to {
            ids.push(r);
        }
        ids.extend(mail.references.iter().rev().map(String::as_str));
        let mut found = match helpdesk::mail::ticket_of(tx, &ids).await? {
            Some(t) => helpdesk::ticket(tx, t).await?,
            None => None,
        };
        if found.is_none()
            && let Some(r) = TicketRef::find_in(&mail.subject)
            && let Some(t) = helpdesk::ticket_by_ref(tx, r).await?
        {
            let involved = t.requester_email.eq_ignore_ascii_case(from)
                || sender.staff
                || t.customer_id.is_some_and(|c| sender.cards.iter().any(|(card, _)| *card == c))
                || helpdesk::watchers(tx, t.id).await?.iter().any(|(e, _)| e.eq_ignore_ascii_case(from));
            if involved {
                found = Some(t);
            }
        }
        for _ in 0..5 {
            match found.as_ref().and_then(|t| t.merged_into) {
                Some(into) => found = helpdesk::ticket(tx, into).await?,
                None => break,
            }
        }
        Ok(found.filter(|t| t.status != Status::Closed))
    }

    async fn reply_by_mail(&self, tx: &mut Conn, mut ticket: Ticket, p: &Parsed, sender: &Sender) -> Result<IngestOutcome, AppError> {
        let now = self.now();
        helpdesk::mail::set_ticket(tx, &p.mail.message_id, ticket.id).await?;
        self.entry_from_mail(tx, ticket.id, p, sender.staff, sender.user_id).await?;
        helpdesk::touch(tx, ticket.id, now).await?;
        if sender.staff {
            if !helpdesk::events(tx, ticket.id).await?.iter().any(|e| e.kind == "first_response") {
                helpdesk::insert_event(tx, ticket.id, "first_response", None, sender.user_id, now).await?;
            }
        } else {
            let next = ticket.status.after_customer_reply();
            if next != ticket.status {
                set_status_in(tx, &mut ticket, next, sender.user_id, now).await?;
            }
        }
        let data = notify::data(self, &ticket, &p.mail.reply_text);
        notify::to_people(self, tx, &ticket, "ticket-reply", &data, &p.from).await?;
        if !sender.staff {
            notify::to_staff(self, tx, &ticket, "ticket-staff", &data).await?;
        }
        Ok(IngestOutcome::Replied { ticket_id: ticket.id })
    }

    /// The message as an entry of the thread: its new part shown, the whole text kept, its
    /// attachments stored (those over the size limit are left out and said so).
    async fn entry_from_mail(
        &self,
        tx: &mut Conn,
        ticket_id: i64,
        p: &Parsed,
        from_staff: bool,
        user: Option<i64>,
    ) -> Result<i64, AppError> {
        let limit = self.helpdesk()?.max_attachment_bytes;
        let mail = &p.mail;
        let mut body = if mail.reply_text.trim().is_empty() { mail.text.trim().to_string() } else { mail.reply_text.trim().to_string() };
        let (kept, too_big): (Vec<_>, Vec<_>) =
            mail.attachments.iter().filter(|a| !a.inline || a.content_id.is_none()).partition(|a| a.bytes.len() <= limit);
        for a in &too_big {
            body.push_str(&format!(
                "\n\n[{} ({} MB) was not kept: larger than {} MB]",
                a.filename,
                a.bytes.len() / (1024 * 1024),
                limit / (1024 * 1024)
            ));
        }
        if body.is_empty() {
            body = "(empty message)".into();
        }
        let full = (mail.text.trim() != body).then(|| clip(mail.text.trim(), 1_000_000));
        let body = clip(&body, 100_000);
        let name = mail.from.as_ref().and_then(|m| m.name.clone()).map(|n| clip(&n, 120));
        let entry = NewEntry {
            ticket_id,
            kind: EntryKind::Reply,
            channel: Channel::Email,
            from_staff,
            author_user_id: user,
            author_email: &p.from,
            author_name: name.as_deref(),
            body: &body,
            full_body: full.as_deref(),
            raw_file: p.raw_file.as_deref(),
            message_id: Some(&mail.message_id),
        };
        let entry_id = helpdesk::insert_entry(tx, &entry, self.now()).await?;
        let files: Vec<Attach> = kept
            .iter()
            .map(|a| Attach { file_name: a.filename.clone(), content_type: a.content_type.clone(), bytes: a.bytes.clone() })
            .collect();
        attach(self, tx, ticket_id, entry_id, &files).await?;
        Ok(entry_id)
    }

    /// The acknowledgement of a new ticket to its sender.
    async fn ack(&self, tx: &mut Conn, ticket: &Ticket, to: &str, language: Language, data: &serde_json::Value) -> Result<(), AppError> {
        let thread = notify::thread(self, tx, ticket.id).await?;
        let m = match self.composer.compose_thread("ticket-received", language, &[to], data.clone(), &thread) {
            Ok(m) => m,
            Err(loket_mail::MailError::Address(..)) => return Ok(()),
            Err(e) => return Err(AppError::Mail(e.to_string())),
        };
        helpdesk::mail::claim(tx, m.message_id.trim_matches(['<', '>']), Some(ticket.id), Direction::Out, self.now()).await?;
        loket_store::outbox::enqueue_mail(tx, &outgoing(m)).await?;
        Ok(())
    }

    /// The polite refusal: how to reach the provider instead (at most once per window).
    async fn refuse(&self, tx: &mut Conn, to: &str, language: Language, why: &str, mail: &Inbound) -> Result<(), AppError> {
        let settings = self.helpdesk()?;
        if mail.suppress_auto_response || !helpdesk::mail::take_ack(tx, to, self.now(), settings.ack_window).await? {
            return Ok(());
        }
        let data = serde_json::json!({ "why": why, "subject": mail.subject, "contact": settings.contact,
            "login": format!("{}/login", self.public_url) });
        let thread =
            loket_mail::Thread { in_reply_to: Some(mail.message_id.clone()), references: vec![mail.message_id.clone()], reply_to: None };
        match self.composer.compose_thread("ticket-refused", language, &[to], data, &thread) {
            Ok(m) => {
                loket_store::outbox::enqueue_mail(tx, &outgoing(m)).await?;
                Ok(())
            }
            Err(loket_mail::MailError::Address(..)) => Ok(()),
            Err(e) => Err(AppError::Mail(e.to_string())),
        }
    }

    /// Loket's own addresses: mail from them is never a ticket (no loops).
    fn is_own_address(&self, a: &str) -> bool {
        let own = |x: &str| x.eq_ignore_ascii_case(a);
        own(&self.provider.email)
            || self.helpdesk.as_ref().and_then(|h| h.address.as_deref()).is_some_and(own)
            || self.composer.from_address().is_some_and(|f| own(&f))
    }
}

async fn sqlx_direction(tx: &mut Conn, id: &str, d: Direction) -> Result<(), AppError> {
    helpdesk::mail::set_direction(tx, id, d).await?;
    Ok(())
}

fn mail_actor() -> loket_store::audit::Actor {
    loket_store::audit::Actor::new(loket_store::audit::ActorKind::System, "mail")
}

fn clip(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').take(max).collect()
}
