//! One batch of mail in one transaction: claim every Message-ID, read what the batch needs
//! (threads, tickets, senders, plans, acknowledgements) in a few statements, decide each
//! message in order in memory, then write tickets, entries, events, watchers and activity with
//! multi-row statements, and queue the mail it causes.

use std::collections::{HashMap, HashSet};

use loket_domain::Language;
use loket_domain::helpdesk::ticket::{Status, TicketRef};
use loket_mail::inbound::{self, Automatic};
use loket_store::Conn;
use loket_store::helpdesk::batch::{self, MailEntry, NewMailTicket};
use loket_store::helpdesk::{self, Sender, Ticket};

use super::{IngestOutcome, Parsed};
use crate::helpdesk::tickets::ticket_year;
use crate::helpdesk::{UnknownSenders, notify};
use crate::{AppError, Services, outgoing};

/// Where a message goes: a ticket that exists, or one this batch opens (by its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Existing(i64),
    New(usize),
}

/// What to do with one message that is neither a duplicate nor automatic.
enum Decision {
    Open { new: usize, ack: Option<Language> },
    Reply { target: Target, staff: bool },
    Refuse { why: &'static str, language: Language, answer: bool },
}

fn clip(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').take(max).collect()
}

impl Services {
    pub(super) async fn ingest_batch(&self, items: &[Result<Parsed, IngestOutcome>]) -> Result<Vec<IngestOutcome>, AppError> {
        let settings = self.helpdesk()?.clone();
        let now = self.now();
        let mut out: Vec<Option<IngestOutcome>> = items.iter().map(|r| r.as_ref().err().cloned()).collect();
        let mut tx = self.store.begin().await?;

        // 1. Every Message-ID once: within the batch, then against everything seen before.
        let mut seen = HashSet::new();
        let mut claims: Vec<(String, &'static str)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Ok(p) = item else { continue };
            if !seen.insert(p.mail.message_id.clone()) {
                out[i] = Some(IngestOutcome::Duplicate);
                continue;
            }
            let ignored = p.mail.automatic.is_some() || p.from.is_empty() || self.is_own_address(&p.from);
            claims.push((p.mail.message_id.clone(), if ignored { "ignored" } else { "in" }));
        }
        let claimed = batch::claim_many(&mut tx, &claims, now).await?;
        let mut bounces = Vec::new();
        let mut live: Vec<usize> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Ok(p) = item else { continue };
            if out[i].is_some() {
                continue;
            }
            if !claimed.contains(&p.mail.message_id) {
                out[i] = Some(IngestOutcome::Duplicate);
                continue;
            }
            out[i] = match &p.mail.automatic {
                Some(Automatic::Bounce { recipients, permanent, original_message_id }) => {
                    bounces.extend(recipients.iter().map(|r| (r.clone(), *permanent, original_message_id.clone())));
                    Some(IngestOutcome::Ignored("bounce"))
                }
                Some(Automatic::List) => Some(IngestOutcome::Ignored("list")),
                Some(Automatic::AutoReply) => Some(IngestOutcome::Ignored("auto-reply")),
                None if p.from.is_empty() || self.is_own_address(&p.from) => Some(IngestOutcome::Ignored("own or no sender")),
                None => {
                    live.push(i);
                    None
                }
            };
        }
        let p = |i: usize| items[i].as_ref().expect("live items are parsed");

        // 2. What the batch needs to know, read at once.
        let thread_ids: Vec<String> = live
            .iter()
            .flat_map(|&i| p(i).mail.in_reply_to.iter().chain(p(i).mail.references.iter()).cloned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let known = batch::mail_tickets(&mut tx, &thread_ids).await?;
        let refs: Vec<TicketRef> =
            live.iter().filter_map(|&i| TicketRef::find_in(&p(i).mail.subject)).collect::<HashSet<_>>().into_iter().collect();
        let mut tickets: HashMap<i64, Ticket> = HashMap::new();
        let mut by_ref: HashMap<TicketRef, i64> = HashMap::new();
        for t in batch::tickets_by_refs(&mut tx, &refs).await? {
            if let Some(r) = TicketRef::parse(&t.reference) {
                by_ref.insert(r, t.id);
            }
            tickets.insert(t.id, t);
        }
        let mut wanted: Vec<i64> = known.values().copied().filter(|id| !tickets.contains_key(id)).collect();
        // Merged tickets lead on to the ticket they were merged into (a few steps at most).
        for _ in 0..5 {
            wanted.sort_unstable();
            wanted.dedup();
            if wanted.is_empty() {
                break;
            }
            for t in batch::tickets_by_ids(&mut tx, &wanted).await? {
                tickets.insert(t.id, t);
            }
            wanted = tickets.values().filter_map(|t| t.merged_into).filter(|id| !tickets.contains_key(id)).collect();
        }
        let ref_tickets: Vec<i64> = by_ref.values().copied().collect();
        let mut watching: HashMap<i64, Vec<String>> = HashMap::new();
        for (t, e, _) in batch::watchers_of(&mut tx, &ref_tickets).await? {
            watching.entry(t).or_default().push(e);
        }
        let emails: Vec<String> = live.iter().map(|&i| p(i).from.clone()).collect::<HashSet<_>>().into_iter().collect();
        let senders = batch::senders(&mut tx, &emails).await?;
        let cards: Vec<i64> = senders.values().flat_map(|s| s.cards.iter().map(|(c, _)| *c)).collect::<HashSet<_>>().into_iter().collect();
        let entitled: Option<HashSet<i64>> = if settings.entitled_plans.is_empty() {
            None
        } else {
            Some(batch::entitled_cards(&mut tx, &cards, &settings.entitled_plans).await?)
        };
        let mut acked = batch::acks(&mut tx, &emails).await?;
        let window = settings.ack_window.as_micros().clamp(0, i64::MAX as i128) as i64;
        let now_us = now.as_microsecond();
        let may_ack = |email: &str, acked: &mut HashMap<String, i64>| -> bool {
            let ok = acked.get(email).is_none_or(|last| now_us.saturating_sub(*last) >= window);
            if ok {
                acked.insert(email.to_string(), now_us);
            }
            ok
        };

        // 3. Each message decided in order, knowing what the batch did before it.
        let nobody = Sender::default();
        let mut new_tickets: Vec<NewMailTicket> = Vec::new();
        let mut opened_by: HashMap<String, Target> = HashMap::new();
        let mut decisions: Vec<(usize, Decision)> = Vec::new();
        let mut acks_given: Vec<String> = Vec::new();
        for &i in &live {
            let m = &p(i).mail;
            let from = p(i).from.as_str();
            let sender = senders.get(from).unwrap_or(&nobody);
            let language = sender.language.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or(self.provider.default_language);
            let mut target = None;
            for id in m.in_reply_to.iter().chain(m.references.iter().rev()) {
                if let Some(t) = known.get(id) {
                    target = Some(Target::Existing(*t));
                } else if let Some(t) = opened_by.get(id) {
                    target = Some(*t);
                }
                if target.is_some() {
                    break;
                }
            }
            if target.is_none()
                && let Some(id) = TicketRef::find_in(&m.subject).and_then(|r| by_ref.get(&r))
                && let Some(t) = tickets.get(id)
            {
                let involved = t.requester_email.eq_ignore_ascii_case(from)
                    || sender.staff
                    || t.customer_id.is_some_and(|c| sender.cards.iter().any(|(card, _)| *card == c))
                    || watching.get(&t.id).is_some_and(|w| w.iter().any(|e| e.eq_ignore_ascii_case(from)));
                if involved {
                    target = Some(Target::Existing(t.id));
                }
            }
            // A merged ticket's mail goes to the ticket it was merged into; a closed one's opens a new one.
            if let Some(Target::Existing(mut id)) = target {
                for _ in 0..5 {
                    match tickets.get(&id).and_then(|t| t.merged_into) {
                        Some(into) => id = into,
                        None => break,
                    }
                }
                target = match tickets.get(&id) {
                    Some(t) if t.status != Status::Closed => Some(Target::Existing(id)),
                    _ => None,
                };
            }
            if let Some(target) = target {
                opened_by.insert(m.message_id.clone(), target);
                decisions.push((i, Decision::Reply { target, staff: sender.staff }));
                continue;
            }
            let card = sender.cards.iter().find(|(_, may)| *may).map(|(c, _)| *c);
            let refuse = match card {
                Some(c) if entitled.as_ref().is_some_and(|e| !e.contains(&c)) => Some("plan"),
                None if !sender.staff && settings.unknown_senders == UnknownSenders::Refuse => Some("unknown"),
                _ => None,
            };
            if let Some(why) = refuse {
                let answer = !m.suppress_auto_response && may_ack(from, &mut acked);
                if answer {
                    acks_given.push(from.to_string());
                }
                decisions.push((i, Decision::Refuse { why, language, answer }));
                continue;
            }
            let subject = clip(inbound::subject_without_prefixes(&m.subject).trim(), 200);
            new_tickets.push(NewMailTicket {
                customer_id: card,
                subject: if subject.is_empty() { "(no subject)".into() } else { subject },
                requester_email: from.to_string(),
                requester_name: m.from.as_ref().and_then(|f| f.name.clone()).map(|n| clip(&n, 120)),
                requester_user_id: sender.user_id,
            });
            let new = new_tickets.len() - 1;
            opened_by.insert(m.message_id.clone(), Target::New(new));
            let ack = (!m.suppress_auto_response && may_ack(from, &mut acked)).then_some(language);
            if ack.is_some() {
                acks_given.push(from.to_string());
            }
            decisions.push((i, Decision::Open { new, ack }));
        }

        // 4. The writes.
        let opened = batch::open_tickets(&mut tx, ticket_year(self), &new_tickets, now).await?;
        let id_of = |t: Target| match t {
            Target::Existing(id) => id,
            Target::New(k) => opened[k].0,
        };
        let mut set: Vec<(String, i64)> = Vec::new();
        let mut entries: Vec<(MailEntry, Option<usize>)> = Vec::new();
        let mut events: Vec<(i64, &'static str, Option<String>, Option<i64>)> = Vec::new();
        let mut watchers: Vec<(i64, String, Option<i64>)> = Vec::new();
        let mut activity: HashMap<i64, Status> = HashMap::new();
        let mut card_users: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
        let mut refused: Vec<(usize, &'static str, Language)> = Vec::new();
        let mut replies: Vec<(usize, i64)> = Vec::new();
        for (i, d) in &decisions {
            let (i, parsed) = (*i, p(*i));
            let sender = senders.get(&parsed.from).unwrap_or(&nobody);
            match d {
                Decision::Refuse { why, language, answer } => {
                    helpdesk::mail::set_direction(&mut tx, &parsed.mail.message_id, helpdesk::mail::Direction::Refused).await?;
                    if *answer {
                        refused.push((i, why, *language));
                    }
                    out[i] = Some(IngestOutcome::Refused);
                    continue;
                }
                Decision::Open { new, .. } => {
                    let (ticket_id, reference) = opened[*new];
                    out[i] = Some(IngestOutcome::Opened { ticket_id, reference: reference.to_string() });
                    if let Some(c) = new_tickets[*new].customer_id {
                        if let std::collections::hash_map::Entry::Vacant(v) = card_users.entry(c) {
                            v.insert(helpdesk::helpdesk_users(&mut tx, c).await?);
                        }
                        watchers.extend(card_users[&c].iter().map(|(u, e, _)| (ticket_id, e.clone(), Some(*u))));
                    }
                    // Everyone else the message was copied to is involved too.
                    for cc in &parsed.mail.cc {
                        let a = cc.address.to_lowercase();
                        if a != parsed.from && !self.is_own_address(&a) && loket_domain::provider::check::email(&a).is_ok() {
                            watchers.push((ticket_id, a, None));
                        }
                    }
                    set.push((parsed.mail.message_id.clone(), ticket_id));
                }
                Decision::Reply { target, staff } => {
                    let ticket_id = id_of(*target);
                    out[i] = Some(IngestOutcome::Replied { ticket_id });
                    set.push((parsed.mail.message_id.clone(), ticket_id));
                    replies.push((i, ticket_id));
                    if let Target::Existing(id) = target {
                        let current = activity.get(id).copied().or_else(|| tickets.get(id).map(|t| t.status)).unwrap_or(Status::Open);
                        let next = if *staff { current } else { current.after_customer_reply() };
                        if next != current {
                            events.push((*id, "status", Some(next.name().to_string()), sender.user_id));
                        }
                        if *staff && !helpdesk::events(&mut tx, *id).await?.iter().any(|e| e.kind == "first_response") {
                            events.push((*id, "first_response", None, sender.user_id));
                        }
                        activity.insert(*id, next);
                    }
                }
            }
            let ticket_id = set.last().map(|(_, t)| *t).unwrap_or_default();
            let staff = matches!(d, Decision::Reply { staff: true, .. });
            let files = (!parsed.files.is_empty()).then_some(i);
            entries.push((self.mail_entry(ticket_id, parsed, staff, sender.user_id, &settings), files));
        }
        batch::set_tickets(&mut tx, &set).await?;
        // Entries in message order in one statement; attachments named by their entry's id.
        let with_files: Vec<(String, usize)> = entries.iter().filter_map(|(e, files)| files.map(|i| (e.message_id.clone(), i))).collect();
        let entries: Vec<MailEntry> = entries.into_iter().map(|(e, _)| e).collect();
        let entry_ids = batch::insert_entries(&mut tx, &entries, now).await?;
        let mut attachments: Vec<(i64, i64, String, String, i64, String)> = Vec::new();
        for (message_id, i) in with_files {
            let entry_id = *entry_ids.get(&message_id).ok_or(AppError::NotFound("ticket entry"))?;
            let ticket_id = entries.iter().find(|e| e.message_id == message_id).map(|e| e.ticket_id).unwrap_or_default();
            attachments.extend(
                p(i).files
                    .iter()
                    .map(|(name, kind, size, stored)| (ticket_id, entry_id, name.clone(), kind.clone(), *size, stored.clone())),
            );
        }
        batch::insert_attachments(&mut tx, &attachments, now).await?;
        batch::insert_events(&mut tx, &events, now).await?;
        batch::insert_watchers(&mut tx, &watchers).await?;
        let touched: Vec<(i64, Status)> = activity.into_iter().collect();
        batch::touch_many(&mut tx, &touched, now).await?;
        batch::insert_bounces(&mut tx, &bounces, now).await?;
        batch::put_acks(&mut tx, &acks_given, now).await?;

        // 5. The mail it causes: acknowledgements and the card's other users (written together),
        // the staff, the people involved in replies, refusals.
        let mut mails: Vec<(loket_mail::Message, i64)> = Vec::new();
        for (i, d) in &decisions {
            let parsed = p(*i);
            if let Decision::Open { new, ack } = d {
                let (ticket_id, reference) = opened[*new];
                let ticket = self.opened_ticket(ticket_id, reference, &new_tickets[*new], now);
                let data = notify::data(self, &ticket, &parsed.mail.reply_text);
                if let Some(language) = ack {
                    mails.extend(self.ack_like(&ticket, &parsed.mail.message_id, &parsed.from, *language, "ticket-received", &data)?);
                }
                if let Some(c) = ticket.customer_id {
                    for (_, email, lang) in card_users.get(&c).into_iter().flatten() {
                        if !email.eq_ignore_ascii_case(&parsed.from) {
                            let lang = lang.parse().unwrap_or(self.provider.default_language);
                            mails.extend(self.ack_like(&ticket, &parsed.mail.message_id, email, lang, "ticket-created", &data)?);
                        }
                    }
                }
                notify::to_staff(self, &mut tx, &ticket, "ticket-staff", &data).await?;
            }
        }
        let out_ids: Vec<(String, i64)> = mails.iter().map(|(m, t)| (m.message_id.trim_matches(['<', '>']).to_string(), *t)).collect();
        batch::record_out(&mut tx, &out_ids, now).await?;
        let outgoing_mail: Vec<_> = mails.into_iter().map(|(m, _)| outgoing(m)).collect();
        loket_store::outbox::enqueue_many(&mut tx, &outgoing_mail).await?;
        let reply_tickets: Vec<i64> = replies.iter().map(|(_, t)| *t).collect::<HashSet<_>>().into_iter().collect();
        let mut involved: HashMap<i64, Vec<String>> = HashMap::new();
        for (t, e, _) in batch::watchers_of(&mut tx, &reply_tickets).await? {
            involved.entry(t).or_default().push(e);
        }
        for (i, ticket_id) in replies {
            let parsed = p(i);
            let requester = tickets.get(&ticket_id).map(|t| t.requester_email.as_str());
            let assigned = tickets.get(&ticket_id).is_some_and(|t| t.assignee_id.is_some());
            let others = requester.is_some_and(|r| !r.eq_ignore_ascii_case(&parsed.from))
                || involved.get(&ticket_id).is_some_and(|w| w.iter().any(|e| !e.eq_ignore_ascii_case(&parsed.from)));
            // Nobody else to tell (the requester answering on a ticket without watchers): no mail.
            if tickets.contains_key(&ticket_id) && !others && !assigned && settings.staff_notify.is_none() {
                continue;
            }
            let ticket = helpdesk::ticket(&mut tx, ticket_id).await?.ok_or(AppError::NotFound("ticket"))?;
            let data = notify::data(self, &ticket, &parsed.mail.reply_text);
            notify::to_people(self, &mut tx, &ticket, "ticket-reply", &data, &parsed.from).await?;
            if !senders.get(&parsed.from).is_some_and(|s| s.staff) {
                notify::to_staff(self, &mut tx, &ticket, "ticket-staff", &data).await?;
            }
        }
        for (i, why, language) in refused {
            self.refuse(&mut tx, &p(i).from, language, why, &p(i).mail).await?;
        }
        let opened_refs: Vec<String> = opened.iter().map(|(_, r)| r.to_string()).collect();
        if !decisions.is_empty() || !bounces.is_empty() {
            let actor = loket_store::audit::Actor::new(loket_store::audit::ActorKind::System, "mail");
            let after = serde_json::json!({ "messages": items.len(), "opened": opened_refs, "replies": set.len() - opened.len() });
            crate::audit(&mut tx, &actor, "mail.ingest", ("ticket", None), None, Some(after)).await?;
        }
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(out.into_iter().map(|o| o.unwrap_or(IngestOutcome::Rejected("not decided".into()))).collect())
    }

    /// The entry a mail makes: its new part shown, the whole text kept, attachments over the
    /// limit named in the text.
    fn mail_entry(
        &self,
        ticket_id: i64,
        p: &Parsed,
        from_staff: bool,
        user: Option<i64>,
        settings: &crate::helpdesk::HelpdeskSettings,
    ) -> MailEntry {
        let mail = &p.mail;
        let mut body = if mail.reply_text.trim().is_empty() { mail.text.trim().to_string() } else { mail.reply_text.trim().to_string() };
        let limit = settings.max_attachment_bytes;
        for a in mail.attachments.iter().filter(|a| a.bytes.len() > limit) {
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
        MailEntry {
            ticket_id,
            from_staff,
            author_user_id: user,
            author_email: p.from.clone(),
            author_name: mail.from.as_ref().and_then(|m| m.name.clone()).map(|n| clip(&n, 120)),
            body: clip(&body, 100_000),
            full_body: full,
            raw_file: p.raw_file.clone(),
            message_id: mail.message_id.clone(),
        }
    }

    /// A ticket this batch opened, as the mail about it needs it (without reading it back).
    fn opened_ticket(&self, id: i64, reference: TicketRef, t: &NewMailTicket, at: jiff::Timestamp) -> Ticket {
        Ticket {
            id,
            reference: reference.to_string(),
            customer_id: t.customer_id,
            customer_name: None,
            project_id: None,
            subject: t.subject.clone(),
            status: Status::New,
            priority: loket_domain::helpdesk::ticket::Priority::Normal,
            category: loket_domain::helpdesk::ticket::Category::Question,
            channel: loket_domain::helpdesk::ticket::Channel::Email,
            requester_email: t.requester_email.clone(),
            requester_name: t.requester_name.clone(),
            requester_user_id: t.requester_user_id,
            assignee_id: None,
            assignee_email: None,
            team: None,
            standby_id: None,
            merged_into: None,
            quote_id: None,
            last_activity_at: at,
            created_at: at,
        }
    }

    /// A mail about a ticket this batch opened (the acknowledgement to its sender, the news to
    /// the card's other users), in reply to the message that opened it; none for an address the
    /// mail library refuses.
    fn ack_like(
        &self,
        ticket: &Ticket,
        in_reply_to: &str,
        to: &str,
        language: Language,
        template: &str,
        data: &serde_json::Value,
    ) -> Result<Option<(loket_mail::Message, i64)>, AppError> {
        let reply_to = self.helpdesk.as_ref().and_then(|h| h.address.clone());
        let thread = loket_mail::Thread { in_reply_to: Some(in_reply_to.to_string()), references: vec![in_reply_to.to_string()], reply_to };
        match self.composer.compose_thread(template, language, &[to], data.clone(), &thread) {
            Ok(m) => Ok(Some((m, ticket.id))),
            Err(loket_mail::MailError::Address(..)) => Ok(None),
            Err(e) => Err(AppError::Mail(e.to_string())),
        }
    }

    /// The polite refusal: how to reach the provider instead.
    async fn refuse(&self, tx: &mut Conn, to: &str, language: Language, why: &str, mail: &inbound::Inbound) -> Result<(), AppError> {
        let settings = self.helpdesk()?;
        let data = serde_json::json!({ "why": why, "subject": mail.subject, "contact": settings.contact,
            "login": format!("{}/sign-in", self.public_url) });
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
    pub(crate) fn is_own_address(&self, a: &str) -> bool {
        let own = |x: &str| x.eq_ignore_ascii_case(a);
        own(&self.provider.email)
            || self.helpdesk.as_ref().and_then(|h| h.address.as_deref()).is_some_and(own)
            || self.composer.from_address().is_some_and(|f| own(&f))
    }
}

/// Whether an attachment is kept: not an inline image of the body, within the size limit.
pub(super) fn kept(a: &inbound::Attachment, limit: usize) -> bool {
    (!a.inline || a.content_id.is_none()) && a.bytes.len() <= limit
}
