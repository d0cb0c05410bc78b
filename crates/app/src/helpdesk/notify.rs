//! The mail a ticket sends: to its requester and watchers, each in their own language, never to
//! the person who made the change, with threading headers so that answers come back to the
//! same ticket; and to the provider's support address (or the assignee) when a customer wrote.

use loket_domain::Language;
use loket_mail::Thread;
use loket_store::Conn;
use loket_store::helpdesk::{self, Ticket, mail::Direction};

use crate::{AppError, Services, outgoing};

/// Who gets a ticket's mail: (address, language).
pub(crate) async fn recipients(app: &Services, tx: &mut Conn, ticket: &Ticket, except: &str) -> Result<Vec<(String, Language)>, AppError> {
    let card_language = match ticket.customer_id {
        Some(c) => loket_store::customers::customer(tx, c).await?.map(|c| c.card.language),
        None => None,
    };
    let fallback = card_language.unwrap_or(app.provider.default_language);
    let mut out: Vec<(String, Language)> = Vec::new();
    let mut add = |email: String, lang: Option<Language>| {
        if !email.eq_ignore_ascii_case(except) && !out.iter().any(|(e, _)| e.eq_ignore_ascii_case(&email)) {
            out.push((email, lang.unwrap_or(fallback)));
        }
    };
    let requester = helpdesk::sender(tx, &ticket.requester_email).await?;
    add(ticket.requester_email.clone(), requester.language.as_deref().and_then(|l| l.parse::<Language>().ok()));
    for (email, user_id) in helpdesk::watchers(tx, ticket.id).await? {
        let lang = match user_id {
            Some(_) => helpdesk::sender(tx, &email).await?.language.as_deref().and_then(|l| l.parse::<Language>().ok()),
            None => None,
        };
        add(email, lang);
    }
    Ok(out)
}

/// The threading headers of the next mail of `ticket`: in reply to its latest message, with
/// the first and the latest few as references.
pub(crate) async fn thread(app: &Services, tx: &mut Conn, ticket_id: i64) -> Result<Thread, AppError> {
    let ids = helpdesk::mail::thread_ids(tx, ticket_id).await?;
    let mut references: Vec<String> = Vec::new();
    if let Some(first) = ids.first() {
        references.push(first.clone());
    }
    references.extend(ids.iter().skip(1).rev().take(8).rev().cloned());
    let reply_to = app.helpdesk.as_ref().and_then(|h| h.address.clone());
    Ok(Thread { in_reply_to: ids.last().cloned(), references, reply_to })
}

/// Mails `template` about `ticket` to its requester and watchers (except `except`), one message
/// each in their language, and records each Message-ID on the ticket for threading.
pub(crate) async fn to_people(
    app: &Services,
    tx: &mut Conn,
    ticket: &Ticket,
    template: &str,
    data: &serde_json::Value,
    except: &str,
) -> Result<usize, AppError> {
    let people = recipients(app, tx, ticket, except).await?;
    if people.is_empty() {
        return Ok(0);
    }
    let thread = thread(app, tx, ticket.id).await?;
    let now = app.now();
    let mut sent = 0;
    for (email, lang) in people {
        if helpdesk::mail::bounced_permanently(tx, &email).await? {
            continue;
        }
        let message = match app.composer.compose_thread(template, lang, &[&email], data.clone(), &thread) {
            Ok(m) => m,
            // An address the mail library refuses (a card-less sender's odd address) is skipped,
            // never a reason to lose the change.
            Err(loket_mail::MailError::Address(..)) => continue,
            Err(e) => return Err(AppError::Mail(e.to_string())),
        };
        helpdesk::mail::claim(tx, message.message_id.trim_matches(['<', '>']), Some(ticket.id), Direction::Out, now).await?;
        loket_store::outbox::enqueue_mail(tx, &outgoing(message)).await?;
        sent += 1;
    }
    Ok(sent)
}

/// Tells the provider: the assignee if there is one, else the `staff_notify` address if set
/// (else nobody: staff work from the queue).
pub(crate) async fn to_staff(
    app: &Services,
    tx: &mut Conn,
    ticket: &Ticket,
    template: &str,
    data: &serde_json::Value,
) -> Result<(), AppError> {
    let to = match (&ticket.assignee_email, app.helpdesk.as_ref().and_then(|h| h.staff_notify.clone())) {
        (Some(a), _) => a.clone(),
        (None, Some(a)) => a,
        (None, None) => return Ok(()),
    };
    let thread = thread(app, tx, ticket.id).await?;
    let message = app
        .composer
        .compose_thread(template, app.provider.default_language, &[&to], data.clone(), &thread)
        .map_err(|e| AppError::Mail(e.to_string()))?;
    helpdesk::mail::claim(tx, message.message_id.trim_matches(['<', '>']), Some(ticket.id), Direction::Out, app.now()).await?;
    loket_store::outbox::enqueue_mail(tx, &outgoing(message)).await?;
    Ok(())
}

/// The data every ticket template gets.
pub(crate) fn data(app: &Services, ticket: &Ticket, body: &str) -> serde_json::Value {
    serde_json::json!({
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.status.name(),
        "body": body,
        "url": match ticket.customer_id {
            Some(c) => format!("{}/customers/{c}/tickets/{}", app.public_url, ticket.id),
            None => String::new(),
        },
        "staff_url": format!("{}/staff/tickets/{}", app.public_url, ticket.id),
        "customer": ticket.customer_name.clone().unwrap_or_default(),
        "requester": ticket.requester_email,
    })
}
