//! Mail not written by a person: auto-replies, mailing lists, bounces (see [`Automatic`] for the
//! order of the rules).

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::subject::is_auto_reply_subject;
use super::{Automatic, Mailbox, fold_whitespace, normalize_id};

/// Local parts of addresses that never read answers.
const NO_REPLY: &[&str] =
    &["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "mailer-daemon", "postmaster", "bounce", "bounces"];

/// Subject words of a bounce that will not be retried, and of one that will.
const FAILED_SUBJECTS: &[&str] = &[
    "undeliver",
    "delivery status notification (failure)",
    "delivery failure",
    "failure notice",
    "returned mail",
    "mail delivery failed",
    "delivery has failed",
    "could not be delivered",
    "unzustellbar",
    "onbestelbaar",
    "niet bezorgd",
    "kan niet worden bezorgd",
    "non recapitabile",
    "mancato recapito",
    "non consegnato",
];
const DELAYED_SUBJECTS: &[&str] = &["delay", "warning", "vertraagd", "ritardo", "verzögert", "will retry"];

/// The classification and whether automatic answers must be suppressed.
pub(super) fn classify(message: &Message<'_>, from: Option<&Mailbox>, subject: &str) -> (Option<Automatic>, bool) {
    let value = |name: &str| raw_values(message, name).next();
    let has = |name: &str| value(name).is_some();
    let auto_submitted = value("Auto-Submitted").map(|v| token(&v)).filter(|t| !t.is_empty());
    let precedence = value("Precedence").map(|v| token(&v)).unwrap_or_default();
    let report_type = message
        .root_part()
        .content_type()
        .filter(|ct| ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report")))
        .and_then(|ct| ct.attribute("report-type").map(|r| r.trim().to_ascii_lowercase()));
    let null_return_path = value("Return-Path").is_some_and(|v| v.chars().filter(|c| !c.is_whitespace()).eq("<>".chars()));
    let local_part = from.and_then(|f| f.address.rsplit_once('@')).map(|(local, _)| local.to_string()).unwrap_or_default();
    let daemon = matches!(local_part.as_str(), "mailer-daemon" | "postmaster");

    let strong_auto_reply = auto_submitted.as_deref() == Some("auto-replied")
        || has("X-Autoreply")
        || has("X-Autorespond")
        || precedence == "auto_reply"
        || report_type.as_deref() == Some("disposition-notification")
        || is_auto_reply_subject(subject);
    let list_owner = message.sender().and_then(|s| s.first()).and_then(|a| a.address.as_deref()).is_some_and(|a| {
        let local = a.rsplit_once('@').map_or(a, |(l, _)| l).to_ascii_lowercase();
        local.starts_with("owner-") || local.ends_with("-owner") || local.ends_with("-request") || local.contains("-bounces")
    });
    let list = has("List-Id")
        || has("List-Unsubscribe")
        || precedence == "list"
        || has("X-BeenThere")
        || has("X-Mailman-Version")
        || has("Mailing-List")
        || list_owner;
    let weak_auto_reply = auto_submitted.as_deref().is_some_and(|v| v != "no")
        || has("X-Auto-Response-Suppress")
        || matches!(precedence.as_str(), "bulk" | "junk")
        || has("X-Loop");

    let automatic = match delivery_report(message, report_type.as_deref()) {
        Some(report) => Some(report),
        None if strong_auto_reply => Some(Automatic::AutoReply),
        None if daemon || null_return_path => Some(sender_bounce(message, subject)),
        None if list => Some(Automatic::List),
        None if weak_auto_reply => Some(Automatic::AutoReply),
        None => None,
    };
    let suppress = automatic.is_some()
        || has("X-Auto-Response-Suppress")
        || matches!(precedence.as_str(), "bulk" | "junk" | "list" | "auto_reply")
        || null_return_path
        || NO_REPLY.contains(&local_part.as_str())
        || local_part.starts_with("noreply")
        || local_part.starts_with("no-reply");
    (automatic, suppress)
}

/// The values of a top-level header field, unfolded and trimmed, in the order they appear.
fn raw_values<'a>(message: &'a Message<'_>, name: &'a str) -> impl Iterator<Item = String> + 'a {
    message.root_part().headers.iter().filter(move |h| h.name.as_str().eq_ignore_ascii_case(name)).map(move |h| {
        let raw = message.raw_message.get(h.offset_start as usize..h.offset_end as usize).unwrap_or_default();
        fold_whitespace(&String::from_utf8_lossy(raw))
    })
}

/// The first word of a field value, lower case: `auto-generated (failure)` → `auto-generated`.
fn token(value: &str) -> String {
    value.split([';', '(', ' ', '\t']).next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// One per-recipient block of a delivery status report.
#[derive(Default)]
struct RecipientStatus {
    recipient: Option<String>,
    action: String,
    status: String,
}

/// A bounce from a delivery status report (RFC 3464), if the message is one; an auto-reply when
/// the report only tells of successful deliveries.
fn delivery_report(message: &Message<'_>, report_type: Option<&str>) -> Option<Automatic> {
    let is_report = matches!(report_type, Some("delivery-status" | "global-delivery-status"));
    let status_parts: Vec<&[u8]> = message
        .parts
        .iter()
        .filter(|p| has_type(p, &["message/delivery-status", "message/global-delivery-status"]))
        .map(|p| p.contents())
        .collect();
    if status_parts.is_empty() && !is_report {
        return None;
    }
    let body = raw_body(message);
    let blocks = if status_parts.is_empty() {
        // A report whose MIME structure is broken: look for the fields in its raw text.
        status_blocks(body)
    } else {
        status_parts.into_iter().flat_map(status_blocks).collect()
    };
    let failed_or_delayed: Vec<&RecipientStatus> =
        blocks.iter().filter(|b| b.action.is_empty() || b.action == "failed" || b.action == "delayed").collect();
    if !blocks.is_empty() && failed_or_delayed.is_empty() {
        return Some(Automatic::AutoReply); // "delivered", "relayed", "expanded": a receipt, not a bounce
    }
    let permanent = failed_or_delayed.iter().any(|b| b.action == "failed" || b.status.starts_with('5'));
    let mut recipients: Vec<String> = failed_or_delayed.iter().filter_map(|b| b.recipient.clone()).collect();
    recipients.dedup();
    Some(Automatic::Bounce { original_message_id: original_message_id(message, body), recipients, permanent })
}

/// A bounce recognised by its sender (MAILER-DAEMON, postmaster, null return path) only.
fn sender_bounce(message: &Message<'_>, subject: &str) -> Automatic {
    let failed: Vec<String> =
        raw_values(message, "X-Failed-Recipients").flat_map(|v| v.split(',').filter_map(address).collect::<Vec<_>>()).collect();
    let lower = subject.to_lowercase();
    let delayed = DELAYED_SUBJECTS.iter().any(|w| lower.contains(w));
    let permanent = !delayed && (!failed.is_empty() || FAILED_SUBJECTS.iter().any(|w| lower.contains(w)));
    let body = raw_body(message);
    Automatic::Bounce { original_message_id: original_message_id(message, body), recipients: failed, permanent }
}

/// How much of a bounce's raw body is searched for status fields and the original's Message-ID
/// when its MIME structure does not give them: they come early.
const RAW_SCAN_BYTES: usize = 256 * 1024;

fn raw_body<'a>(message: &'a Message<'_>) -> &'a [u8] {
    let body = message.raw_message.get(message.root_part().offset_body as usize..).unwrap_or_default();
    &body[..body.len().min(RAW_SCAN_BYTES)]
}

fn has_type(part: &mail_parser::MessagePart<'_>, types: &[&str]) -> bool {
    part.content_type().is_some_and(|ct| {
        let sub = ct.subtype().unwrap_or_default();
        types.iter().any(|t| t.split_once('/').is_some_and(|(a, b)| ct.ctype().eq_ignore_ascii_case(a) && sub.eq_ignore_ascii_case(b)))
    })
}

/// The per-recipient blocks of delivery status fields: blocks of `Name: value` lines separated
/// by blank lines, those with a Final-Recipient (or Original-Recipient) kept.
fn status_blocks(bytes: &[u8]) -> Vec<RecipientStatus> {
    let text = String::from_utf8_lossy(bytes);
    let mut blocks = Vec::new();
    let mut current = RecipientStatus::default();
    let mut original = None;
    let mut flush = |current: &mut RecipientStatus, original: &mut Option<String>| {
        let mut block = std::mem::take(current);
        if block.recipient.is_none() {
            block.recipient = original.take();
        }
        *original = None;
        if block.recipient.is_some() {
            blocks.push(block);
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut current, &mut original);
            continue;
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        match name.trim().to_ascii_lowercase().as_str() {
            "final-recipient" => current.recipient = address(value.split_once(';').map_or(value, |(_, a)| a)),
            "original-recipient" => original = address(value.split_once(';').map_or(value, |(_, a)| a)),
            "action" => current.action = token(value.trim()),
            "status" => current.status = value.trim().to_string(),
            _ => {}
        }
    }
    flush(&mut current, &mut original);
    blocks
}

/// An address from a status field or X-Failed-Recipients: trimmed, without `<>`, lower case.
fn address(value: &str) -> Option<String> {
    let a = value.trim().trim_start_matches('<').trim_end_matches('>').trim().to_lowercase();
    (a.contains('@') && a.len() <= 320 && !a.chars().any(|c| c.is_whitespace() || c.is_control())).then_some(a)
}

/// The Message-ID of the bounced message: from an attached message/rfc822 or its headers
/// (text/rfc822-headers), else from a Message-ID line in the body's raw text.
fn original_message_id(message: &Message<'_>, body: &[u8]) -> Option<String> {
    for part in &message.parts {
        let id = match &part.body {
            PartType::Message(inner) => inner.message_id().and_then(normalize_id),
            _ if has_type(part, &["text/rfc822-headers", "message/global-headers", "message/rfc822"]) => {
                MessageParser::default().parse_headers(part.contents()).and_then(|h| h.message_id().and_then(normalize_id))
            }
            _ => None,
        };
        if id.is_some() {
            return id;
        }
    }
    // Broken MIME or a plain-text bounce: the first Message-ID line after the headers, preferring
    // one after a copy of the original's content type.
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let start = ["text/rfc822-headers", "message/rfc822"].iter().filter_map(|m| lower.find(m)).min().unwrap_or(0);
    let from = |start: usize| {
        let mut offset = start;
        for line in lower[start..].split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with("message-id:") {
                let at = offset + (line.len() - trimmed.len()) + "message-id:".len();
                let value = text[at..].lines().next().unwrap_or_default();
                let inner = value.split_once('<').and_then(|(_, r)| r.split_once('>')).map_or(value, |(id, _)| id);
                return normalize_id(inner);
            }
            offset += line.len();
        }
        None
    };
    from(start).or_else(|| if start > 0 { from(0) } else { None })
}
