//! Inbound e-mail for the helpdesk: raw RFC 5322 bytes in, what a ticket needs out.
//!
//! Pure: no I/O, no clock. [`parse`] never panics on any bytes; it refuses only input that is
//! empty, larger than [`MAX_MESSAGE_BYTES`] (or the limit given to [`parse_with_limit`]), or has
//! no header fields at all. Everything else gives an [`Inbound`], however malformed the message:
//! what cannot be read is left empty.
//!
//! MIME structure, transfer encodings (quoted-printable, base64), charsets (iso-8859-*,
//! windows-125*, iso-2022-jp, …) and RFC 2047/2231 encoded words are decoded by `mail-parser`;
//! this module picks the parts a ticket needs, turns HTML into text ([`html_to_text`]), cuts the
//! quoted history off a reply ([`reply_text`]), sanitises attachment names
//! ([`sanitize_filename`]) and recognises mail that is not from a person ([`Automatic`]).

mod attachments;
mod classify;
mod html;
mod quote;
mod subject;
pub mod synthetic;

use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::Timestamp;
use mail_parser::{Address, HeaderName, HeaderValue, Message, MessageParser, PartType};
use sha2::{Digest, Sha256};

pub use attachments::sanitize_filename;
pub use html::html_to_text;
pub use quote::reply_text;
pub use subject::subject_without_prefixes;

/// The largest message [`parse`] accepts: 50 MiB, well above what mail servers pass on.
pub const MAX_MESSAGE_BYTES: usize = 50 * 1024 * 1024;

/// Message ids longer than this are replaced by a hash of themselves (see [`Inbound::message_id`]).
pub const MAX_ID_BYTES: usize = 255;

/// At most this many ids are kept of a References field: the first (the thread's root) and the
/// last ones (the nearest ancestors).
pub const MAX_REFERENCES: usize = 100;

/// What the helpdesk reads of one inbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// The Message-ID without `<>`. When the message has none, a stable synthetic id
    /// `sha256-<64 hex digits of the raw bytes>@inbound.loket.invalid`, so that the same message
    /// fetched twice is recognised. Ids longer than [`MAX_ID_BYTES`] are replaced by
    /// `sha256-<hex of the id>@long-id.loket.invalid` (here and in `in_reply_to`/`references`
    /// alike, so threading still matches).
    pub message_id: String,
    /// True when `message_id` was made up because the message had no usable Message-ID.
    pub message_id_synthetic: bool,
    /// The first id of In-Reply-To, without `<>`.
    pub in_reply_to: Option<String>,
    /// The ids of References, oldest first, without `<>` (at most [`MAX_REFERENCES`]).
    pub references: Vec<String>,
    /// The decoded subject, whitespace runs folded to one space, trimmed; empty when missing.
    pub subject: String,
    /// The first mailbox of From that has an address (`None` if none has).
    pub from: Option<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// The Date field, when it is a real date.
    pub date: Option<Timestamp>,
    /// The body as text (line ends `\n`, no NUL characters): the first inline text/plain part with any text in it,
    /// else the first HTML part made readable by [`html_to_text`]; else, for a message that is
    /// only a forwarded message/rfc822, that message's body. Empty when there is none.
    pub text: String,
    /// True when `text` was made from HTML.
    pub text_from_html: bool,
    /// The new part of `text`: quoted history and signature removed (see [`reply_text`]).
    pub reply_text: String,
    pub attachments: Vec<Attachment>,
    /// Set when the message was not written by a person (see [`Automatic`] for the rules).
    pub automatic: Option<Automatic>,
    /// True when the helpdesk must not answer this message automatically (RFC 3834 §2): it is
    /// [`automatic`](Self::automatic), or it asks for no automatic answers
    /// (X-Auto-Response-Suppress, Precedence bulk/junk/list), or its return path is null, or it
    /// comes from a no-reply / mailer-daemon / postmaster address.
    pub suppress_auto_response: bool,
}

/// A mailbox: the address in lower case, and the display name if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub address: String,
    pub name: Option<String>,
}

/// A MIME part that is not the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Safe to use as a file name (see [`sanitize_filename`]); made up from the content type
    /// (`attachment-1.pdf`) when the message gives none.
    pub filename: String,
    /// `type/subtype` in lower case. Text parts are handed over decoded to UTF-8, and their type
    /// says so: `text/plain; charset=utf-8`.
    pub content_type: String,
    /// The Content-ID without `<>`, for `cid:` references from HTML.
    pub content_id: Option<String>,
    /// Shown within the message (Content-Disposition inline, or an image in multipart/related)
    /// rather than offered as a download.
    pub inline: bool,
    /// The decoded content; for an attached message (message/rfc822) its raw bytes.
    pub bytes: Vec<u8>,
}

/// Why a message is not from a person. Checked in this order, the first that matches wins:
///
/// 1. [`Bounce`](Self::Bounce) from a delivery status report: a message/delivery-status part (in
///    a multipart/report or not), or a top-level multipart/report with
///    `report-type=delivery-status` (whose status fields are then looked for in the raw text).
///    A report that only tells of successful deliveries (Action delivered, relayed, expanded) is
///    an [`AutoReply`](Self::AutoReply) instead.
/// 2. [`AutoReply`](Self::AutoReply) on a clear sign: `Auto-Submitted: auto-replied`,
///    X-Autoreply, X-Autorespond, `Precedence: auto_reply`, a multipart/report with
///    `report-type=disposition-notification` (a read receipt), or a subject that begins with an
///    auto-reply marker ("Automatic reply:", "Out of Office:", "Afwezig:", "Automatisch
///    antwoord:", "Risposta automatica:", …, followed by a colon or nothing else).
/// 3. [`Bounce`](Self::Bounce) by its sender: From's local part MAILER-DAEMON or postmaster, or
///    a null Return-Path `<>`.
/// 4. [`List`](Self::List): List-Id, List-Unsubscribe, `Precedence: list`, or the marks of
///    older list software: X-BeenThere, X-Mailman-Version, Mailing-List, a Sender like
///    `owner-…`, `…-owner`, `…-request`, `…-bounces…`.
/// 5. [`AutoReply`](Self::AutoReply) on a weaker sign: Auto-Submitted with any value but `no`,
///    X-Auto-Response-Suppress (any value), `Precedence: bulk` or `junk`, X-Loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Automatic {
    AutoReply,
    List,
    Bounce {
        /// The Message-ID of the message that bounced (from the report's message/rfc822 or
        /// text/rfc822-headers part), without `<>`.
        original_message_id: Option<String>,
        /// The recipients that failed or are delayed (Final-Recipient, else X-Failed-Recipients),
        /// lower case, without the `rfc822;` type.
        recipients: Vec<String>,
        /// True when delivery will not be tried again: an Action `failed` or a 5.x.x Status, or,
        /// without a status report, X-Failed-Recipients or a subject that says so.
        permanent: bool,
    },
}

/// Why [`parse`] refused the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundError {
    #[error("the message is empty")]
    Empty,
    #[error("the message is {size} bytes, more than the {limit} accepted")]
    TooLarge { size: usize, limit: usize },
    #[error("the message has no header fields")]
    NoHeaders,
    /// The MIME parser failed (panicked) on the message and then on its headers alone. Not seen
    /// in fuzzing; here so that a parser bug costs one message, not the mail worker.
    #[error("the message could not be read")]
    Unreadable,
}

/// Reads a raw message of at most [`MAX_MESSAGE_BYTES`].
pub fn parse(raw: &[u8]) -> Result<Inbound, InboundError> {
    parse_with_limit(raw, MAX_MESSAGE_BYTES)
}

/// Reads a raw message of at most `max_bytes` (and never more than 4 GiB, the parser's limit).
///
/// Should the MIME parser fail on the message's structure, its headers are read alone and the
/// raw body becomes the text (no attachments): a ticket is still made.
pub fn parse_with_limit(raw: &[u8], max_bytes: usize) -> Result<Inbound, InboundError> {
    let limit = max_bytes.min(u32::MAX as usize);
    if raw.len() > limit {
        return Err(InboundError::TooLarge { size: raw.len(), limit });
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(InboundError::Empty);
    }
    // The parser drops a last header field that no line end closes (a message of headers only):
    // give it one.
    let has_body = || raw.windows(3).any(|w| w[1] == b'\n' && (w[2] == b'\n' || w[0] == b'\n') || w == b"\n\r\n");
    let terminated: std::borrow::Cow<'_, [u8]> =
        if raw.ends_with(b"\n") || has_body() { raw.into() } else { [raw, b"\r\n"].concat().into() };
    let parser = MessageParser::default();
    // mail-parser promises not to panic and returns None without headers, but its debug
    // assertions fire on some broken MIME structures (and a bug may do the same in release).
    // Then the headers alone are read, and the raw body is the text: a ticket still gets made.
    match catch_unwind(AssertUnwindSafe(|| parser.parse(terminated.as_ref()))) {
        Ok(Some(message)) if message.parts.first().is_some_and(|p| !p.headers.is_empty()) => Ok(read(raw, &message, None)),
        Ok(_) => Err(InboundError::NoHeaders),
        Err(_) => headers_only(raw, &terminated),
    }
}

/// The message read as headers and a raw text body, for when its MIME structure defeats the
/// parser: no attachments, the body's bytes as (lossy UTF-8) text.
fn headers_only(raw: &[u8], terminated: &[u8]) -> Result<Inbound, InboundError> {
    let headers = catch_unwind(AssertUnwindSafe(|| MessageParser::default().parse_headers(terminated)))
        .map_err(|_| InboundError::Unreadable)?
        .filter(|m| m.parts.first().is_some_and(|p| !p.headers.is_empty()))
        .ok_or(InboundError::NoHeaders)?;
    let text = normalize_newlines(&String::from_utf8_lossy(&raw[find_body(raw)..]));
    Ok(read(raw, &headers, Some(text)))
}

/// Where the body starts: after the first empty line (the end when there is none).
fn find_body(raw: &[u8]) -> usize {
    let mut i = 0;
    while let Some(n) = raw[i..].iter().position(|&b| b == b'\n') {
        let next = i + n + 1;
        match raw.get(next) {
            Some(b'\n') => return next + 1,
            Some(b'\r') if raw.get(next + 1) == Some(&b'\n') => return next + 2,
            _ => i = next,
        }
    }
    raw.len()
}

/// Reads what the helpdesk needs of a parsed message; `raw_text` is the body text to use when
/// the MIME structure could not be read.
fn read(raw: &[u8], message: &Message<'_>, raw_text: Option<String>) -> Inbound {
    let (message_id, message_id_synthetic) = match message.header(HeaderName::MessageId).and_then(first_id) {
        Some(id) => (id, false),
        None => (format!("sha256-{}@inbound.loket.invalid", hex::encode(Sha256::digest(raw))), true),
    };
    let in_reply_to = message.header(HeaderName::InReplyTo).and_then(first_id);
    let references = references(message);
    let subject = message.subject().map(fold_whitespace).unwrap_or_default();
    let from = mailboxes(message.header_values(HeaderName::From)).into_iter().next();
    let reply_to = mailboxes(message.header_values(HeaderName::ReplyTo));
    let to = mailboxes(message.header_values(HeaderName::To));
    let cc = mailboxes(message.header_values(HeaderName::Cc));
    let date = message.date().and_then(timestamp);
    let (text, text_from_html) = match raw_text {
        Some(text) => (text, false),
        None => body(message, 3).unwrap_or_default(),
    };
    let reply_text = reply_text(&text);
    let attachments = attachments::collect(message);
    let (automatic, suppress_auto_response) = classify::classify(message, from.as_ref(), &subject);
    Inbound {
        message_id,
        message_id_synthetic,
        in_reply_to,
        references,
        subject,
        from,
        reply_to,
        to,
        cc,
        date,
        text,
        text_from_html,
        reply_text,
        attachments,
        automatic,
        suppress_auto_response,
    }
}

/// The body text of a message and whether it came from HTML; `depth` bounds how far into
/// attached messages it looks.
fn body(message: &Message<'_>, depth: u8) -> Option<(String, bool)> {
    let part = |id: &u32| message.parts.get(*id as usize);
    let plain = message.text_body.iter().filter_map(part).find_map(|p| match &p.body {
        PartType::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    });
    if let Some(text) = plain {
        return Some((normalize_newlines(text), false));
    }
    let html = message.html_body.iter().chain(&message.text_body).filter_map(part).find_map(|p| match &p.body {
        PartType::Html(h) if !h.trim().is_empty() => Some(h),
        _ => None,
    });
    if let Some(html) = html {
        return Some((normalize_newlines(&html_to_text(html)), true));
    }
    // Blank text parts still count as "the body is empty", unless a forwarded message follows.
    let blank = message.text_body.iter().filter_map(part).any(|p| matches!(p.body, PartType::Text(_)));
    if depth > 0 && !blank {
        for p in message.attachments.iter().filter_map(part) {
            if let PartType::Message(inner) = &p.body
                && let Some(found) = body(inner, depth - 1)
            {
                return Some(found);
            }
        }
    }
    blank.then(|| (String::new(), false))
}

/// Line ends as `\n`, and no NUL characters (PostgreSQL's text cannot hold them).
fn normalize_newlines(text: &str) -> String {
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };
    if text.contains('\0') { text.replace('\0', "") } else { text }
}

/// Folds every run of whitespace and control characters to one space and trims.
pub(crate) fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An id as the helpdesk keeps it: without `<>` and whitespace, hashed when absurdly long.
pub(crate) fn normalize_id(id: &str) -> Option<String> {
    let id: String =
        id.trim().trim_start_matches('<').trim_end_matches('>').chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    if id.is_empty() {
        None
    } else if id.len() > MAX_ID_BYTES {
        Some(format!("sha256-{}@long-id.loket.invalid", hex::encode(Sha256::digest(id.as_bytes()))))
    } else {
        Some(id)
    }
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => normalize_id(t).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|t| normalize_id(t)).collect(),
        _ => Vec::new(),
    }
}

fn first_id(value: &HeaderValue<'_>) -> Option<String> {
    ids(value).into_iter().next()
}

fn references(message: &Message<'_>) -> Vec<String> {
    let mut all: Vec<String> = message.header_values(HeaderName::References).flat_map(ids).collect();
    if all.len() > MAX_REFERENCES {
        all.drain(1..all.len() - (MAX_REFERENCES - 1));
    }
    all
}

fn mailboxes<'a>(values: impl Iterator<Item = &'a HeaderValue<'a>>) -> Vec<Mailbox> {
    let mut out = Vec::new();
    for value in values {
        let Some(address) = value.as_address() else { continue };
        let list: Box<dyn Iterator<Item = _>> = match address {
            Address::List(list) => Box::new(list.iter()),
            Address::Group(groups) => Box::new(groups.iter().flat_map(|g| g.addresses.iter())),
        };
        for addr in list {
            let Some(email) = addr.address.as_deref().map(|a| a.trim().to_lowercase()) else { continue };
            if !email.contains('@') || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
                continue;
            }
            let name = addr.name.as_deref().map(fold_whitespace).filter(|n| !n.is_empty());
            out.push(Mailbox { address: email, name });
        }
    }
    out
}

fn timestamp(date: &mail_parser::DateTime) -> Option<Timestamp> {
    use jiff::civil;
    use jiff::tz::{Offset, TimeZone};
    let day = civil::Date::new(i16::try_from(date.year).ok()?, i8::try_from(date.month).ok()?, i8::try_from(date.day).ok()?).ok()?;
    // A leap second (:60) is the last second of its minute.
    let time = civil::Time::new(i8::try_from(date.hour).ok()?, i8::try_from(date.minute).ok()?, i8::try_from(date.second.min(59)).ok()?, 0)
        .ok()?;
    let seconds = (i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60) * if date.tz_before_gmt { -1 } else { 1 };
    let offset = Offset::from_seconds(seconds).ok()?;
    day.to_datetime(time).to_zoned(TimeZone::fixed(offset)).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests;
