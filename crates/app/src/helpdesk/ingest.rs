//! Mail to the support address becomes a ticket, or a reply on one (seed 003). One path for
//! every way mail comes in — IMAP, `loket mail ingest` from the MTA, the benchmark: a batch of
//! raw messages is parsed, its whole messages stored as files, then read and written in one
//! transaction with a handful of multi-row statements (`store::helpdesk::batch`), so a batch
//! of 500 costs about as many round trips as one message. Should the database refuse the batch,
//! its messages are taken one at a time, so that one bad message never stops the others.
//!
//! Rules: every Message-ID is recorded once (the same message twice makes one entry); a reply
//! is threaded by In-Reply-To / References (also to a message earlier in the same batch), then
//! by the ticket reference in its subject (only from someone involved in that ticket);
//! auto-replies, bounces and list mail never make a ticket or a reply (a bounce is recorded on
//! the address); a sender gets at most one acknowledgement per window; mail from an unknown
//! sender follows the provider's rule; cards without the helpdesk are told how to reach the
//! provider. Nothing is acknowledged to the mailbox before the transaction commits.

mod plan;

use loket_mail::inbound::{self, Inbound};

use crate::{AppError, Services};

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
    /// Not a message Loket can read (or one the database refused on its own): the mailbox
    /// should not offer it again.
    Rejected(String),
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

/// A message read, with its sender's address and the whole message's file.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub mail: Inbound,
    pub from: String,
    pub raw_file: Option<String>,
    /// The attachments kept, stored: (file name, content type, size, stored name).
    pub files: Vec<(String, String, i64, String)>,
}

impl Services {
    /// Ingests `messages` (raw RFC 5322 bytes): one outcome per message, in order. An error means
    /// nothing was committed and every message may be offered again.
    pub async fn ingest_mail(&self, messages: &[Vec<u8>]) -> Result<Vec<IngestOutcome>, AppError> {
        let settings = self.helpdesk()?;
        let mut items: Vec<Result<Parsed, IngestOutcome>> = Vec::with_capacity(messages.len());
        let mut keep: Vec<(usize, &[u8])> = Vec::new();
        let mut attached: Vec<(usize, usize)> = Vec::new();
        let mut attachment_bytes: Vec<Vec<u8>> = Vec::new();
        for (i, raw) in messages.iter().enumerate() {
            match inbound::parse_with_limit(raw, settings.max_message_bytes) {
                Ok(mail) => {
                    let from = mail.from.as_ref().map(|m| m.address.to_lowercase()).unwrap_or_default();
                    if mail.automatic.is_none() && !from.is_empty() {
                        keep.push((i, raw.as_slice()));
                        for (k, a) in mail.attachments.iter().enumerate() {
                            if plan::kept(a, settings.max_attachment_bytes) {
                                attached.push((i, k));
                                attachment_bytes.push(a.bytes.clone());
                            }
                        }
                    }
                    items.push(Ok(Parsed { mail, from, raw_file: None, files: Vec::new() }));
                }
                Err(e) => items.push(Err(IngestOutcome::Rejected(e.to_string()))),
            }
        }
        // The whole message is kept beside its ticket (outside the database). A file written for
        // a batch that then fails is an orphan, never a loss.
        // The batch's whole messages share one file; each entry knows its place in it.
        let mut blob = Vec::with_capacity(keep.iter().map(|(_, r)| r.len()).sum());
        let mut places = Vec::with_capacity(keep.len());
        for (i, raw) in &keep {
            places.push((*i, blob.len() as u64, raw.len()));
            blob.extend_from_slice(raw);
        }
        if !places.is_empty() {
            let name = self.files.put_many(vec![blob]).await?.pop().unwrap_or_default();
            for (i, offset, len) in places {
                if let Ok(p) = &mut items[i] {
                    p.raw_file = Some(loket_store::helpdesk::raw_location(&name, offset, len));
                }
            }
        }
        let names = self.files.put_many(attachment_bytes).await?;
        for ((i, k), name) in attached.into_iter().zip(names) {
            if let Ok(p) = &mut items[i] {
                let a = &p.mail.attachments[k];
                p.files.push((a.filename.clone(), a.content_type.clone(), a.bytes.len() as i64, name));
            }
        }
        match self.ingest_batch(&items).await {
            Ok(outcomes) => Ok(outcomes),
            Err(e) if items.len() > 1 => {
                tracing::warn!(error = %e, messages = items.len(), "a batch of mail was refused; taking its messages one at a time");
                let mut outcomes = Vec::with_capacity(items.len());
                let mut failed = 0;
                for item in &items {
                    match self.ingest_batch(std::slice::from_ref(item)).await {
                        Ok(mut o) => outcomes.append(&mut o),
                        Err(e) => {
                            failed += 1;
                            tracing::warn!(error = %e, "an incoming message was refused by the database");
                            outcomes.push(IngestOutcome::Rejected(e.to_string()));
                        }
                    }
                }
                // Every message failing alone is the database, not the messages: offer them again.
                if failed == items.len() { Err(e) } else { Ok(outcomes) }
            }
            Err(e) => Err(e),
        }
    }
}
