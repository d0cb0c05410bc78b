//! `loket bench ingest --messages N`: generated mail — new tickets, replies threaded to them,
//! messages with attachments, auto-replies and bounces — ingested through the one path IMAP and
//! `loket mail ingest` use (`Services::ingest_mail`), in batches of 500. Generating the messages
//! is not timed; the rate of the first and the last 10 % shows whether ingest slows as the
//! tables grow.

use std::time::Instant;

use loket_mail::inbound::synthetic::{self, Synthetic};

use loket::app::App;

const BATCH: u64 = 500;

/// Message `i` of the benchmark's mix: 40 % new tickets (from 5,000 senders), 30 % replies by
/// their sender to an earlier new ticket (by In-Reply-To), 10 % with attachments, 10 %
/// auto-replies, 10 % bounces.
fn message(i: u64) -> Vec<u8> {
    let from = format!("klant{}@example.nl", i % 5000);
    let subjects = ["Website geeft foutmelding 500", "Il sito non è raggiungibile", "Question about invoice F2026-00042", "Mailbox vol"];
    let subject = subjects[(i % 4) as usize];
    // The latest earlier new ticket (i % 10 in 0..=3); its sender answers on it.
    let parent_index = (0..i).rev().take(10).find(|j| j % 10 <= 3);
    let parent = parent_index.map(synthetic::message_id).unwrap_or_default();
    let parent_from = parent_index.map(|j| format!("klant{}@example.nl", j % 5000)).unwrap_or_else(|| from.clone());
    match i % 10 {
        0..=3 => synthetic::message(i, Synthetic::NewTicket { from: &from, subject }),
        4..=6 if !parent.is_empty() => synthetic::message(
            i,
            Synthetic::Reply { from: &parent_from, in_reply_to: &parent, subject_with_ref: &format!("Re: {subject}") },
        ),
        4..=7 => synthetic::message(i, Synthetic::WithAttachment),
        8 => synthetic::message(i, Synthetic::AutoReply),
        _ => synthetic::message(i, Synthetic::Bounce { original_message_id: &parent, recipient: &from }),
    }
}

pub async fn ingest(app: &App, messages: u64) -> anyhow::Result<()> {
    anyhow::ensure!(messages > 0, "--messages: give at least 1");
    let services = app.services();
    anyhow::ensure!(services.helpdesk.is_some(), "the helpdesk is off (helpdesk.enabled = false)");
    let tenth = (messages / 10).max(1);
    let (mut total, mut first, mut last) = (0f64, 0f64, 0f64);
    let mut tickets = 0u64;
    let mut counts = loket_app::helpdesk::Ingested::default();
    let mut i = 0u64;
    while i < messages {
        let n = BATCH.min(messages - i);
        let batch: Vec<Vec<u8>> = (i..i + n).map(message).collect();
        let started = Instant::now();
        let outcomes = services.ingest_mail(&batch).await?;
        let secs = started.elapsed().as_secs_f64();
        total += secs;
        // Attribute the batch's time to the first or last tenth by its messages.
        let in_first = (i..i + n).filter(|k| *k < tenth).count() as f64;
        let in_last = (i..i + n).filter(|k| *k >= messages - tenth).count() as f64;
        first += secs * in_first / n as f64;
        last += secs * in_last / n as f64;
        counts.add(&outcomes);
        tickets += outcomes.iter().filter(|o| matches!(o, loket_app::helpdesk::IngestOutcome::Opened { .. })).count() as u64;
        if let Some(bad) = outcomes.iter().find(|o| matches!(o, loket_app::helpdesk::IngestOutcome::Rejected(_))) {
            anyhow::bail!("a generated message was rejected: {bad:?}");
        }
        i += n;
    }
    let backend = format!("{:?}", app.store.backend()).to_lowercase();
    eprintln!(
        "{backend}: {} opened, {} replies, {} ignored (auto-replies, bounces); batches of {BATCH}; generating the mail not timed",
        counts.opened, counts.replied, counts.ignored
    );
    println!(
        "ingest: {messages} messages, {tickets} tickets, {total:.2} s, {:.0} msgs/s, first 10 % {:.0}, last 10 % {:.0}",
        messages as f64 / total,
        tenth as f64 / first.max(1e-9),
        tenth as f64 / last.max(1e-9)
    );
    Ok(())
}
