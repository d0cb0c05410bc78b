//! Made-up but realistic inbound mail for tests and the benchmark: deterministic for a given
//! `i`, CRLF line ends, Received and DKIM-Signature fields, and bodies in several charsets and
//! transfer encodings (quoted-printable Dutch and Italian with accents in UTF-8 and ISO-8859-1,
//! base64 UTF-8, multipart/alternative with HTML).

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use sha2::{Digest, Sha256};

/// The helpdesk address synthetic mail is sent to.
pub const SUPPORT_ADDRESS: &str = "support@loket.example";

/// What kind of message to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synthetic<'a> {
    /// A first message from a customer.
    NewTicket { from: &'a str, subject: &'a str },
    /// A customer's answer to `in_reply_to` (a Message-ID without `<>`), quoting it below the
    /// new text; the subject is `Re: ` (or the nl/it prefix) and `subject_with_ref`.
    Reply { from: &'a str, in_reply_to: &'a str, subject_with_ref: &'a str },
    /// A customer's message with the files of [`attachments`] (some tens of KB, base64).
    WithAttachment,
    /// An out-of-office answer (Auto-Submitted: auto-replied, translated subject).
    AutoReply,
    /// A delivery status report (RFC 3464) for a message to `recipient` that failed permanently.
    Bounce { original_message_id: &'a str, recipient: &'a str },
}

/// The body text the customer wrote in message `i` (what `reply_text` should give back).
pub fn body_text(i: u64) -> String {
    let lang = i % 3;
    let sentences: &[&str] = match lang {
        0 => &[
            "Goedemiddag,",
            "Sinds vanochtend geeft mijn website een foutmelding (500) en de webmail ook.",
            "Kunt u kijken of er iets mis is met de server? Het gaat om café-één.nl.",
            "De factuur van € 12,50 heb ik overigens al betaald.",
            "Met vriendelijke groet, Chloë",
        ],
        1 => &[
            "Buongiorno,",
            "da stamattina il sito non è più raggiungibile e la posta non arriva.",
            "Potete verificare? Il dominio è perché-sì.it, la fattura è già pagata.",
            "Così non possiamo lavorare: è urgente.",
            "Cordiali saluti, Niccolò",
        ],
        _ => &[
            "Hello,",
            "since this morning our website shows an error (500).",
            "Could you have a look? The domain is example-shop.nl.",
            "Thanks in advance — Zoë",
        ],
    };
    let mut rng = Rng::new(i ^ 0xB0D7);
    let extra = rng.below(3) as usize;
    let mut text = String::new();
    for (n, s) in sentences.iter().enumerate() {
        text.push_str(s);
        text.push_str(if n == 0 || n + 1 == sentences.len() - 1 { "\n\n" } else { "\n" });
        if n == 1 {
            for k in 0..extra {
                let label = ["Referentie", "Riferimento", "Reference"][lang as usize];
                text.push_str(&format!("{label} {i}-{k}: order {}.\n", rng.below(1_000_000)));
            }
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// The Message-ID (without `<>`) that [`message`] gives message `i`.
pub fn message_id(i: u64) -> String {
    format!("{}.{:08x}@mail.example.nl", 1_767_600_000u64.wrapping_add(i.wrapping_mul(97)), Rng::new(i).next() as u32)
}

/// The Date of message `i`: from 5 January 2026, 97 seconds apart.
pub fn date(i: u64) -> Timestamp {
    Timestamp::from_second(1_767_600_000 + (i as i64 % 10_000_000) * 97).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The files a [`Synthetic::WithAttachment`] message `i` carries: (file name, content type, bytes).
pub fn attachments(i: u64) -> Vec<(String, String, Vec<u8>)> {
    let mut rng = Rng::new(i ^ 0xA77A);
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let len = 20_000 + rng.below(30_000) as usize;
    pdf.extend(rng.bytes(len));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let len = 10_000 + rng.below(20_000) as usize;
    png.extend(rng.bytes(len));
    let mut out = vec![
        (format!("factuur-{i}.pdf"), "application/pdf".to_string(), pdf),
        (format!("schermafbeelding {i}.png"), "image/png".to_string(), png),
    ];
    if !i.is_multiple_of(2) {
        let csv = format!("dominio;scadenza\nperché-sì.it;2026-0{}-01\n", 1 + i % 9).into_bytes();
        out.push((format!("elenco domìni {i}.csv"), "text/csv".to_string(), csv));
    }
    out
}

/// A display name for a sender address, deterministic for `i`.
fn display_name(i: u64) -> &'static str {
    ["Jan de Vries", "Chloë van Dijk", "Mario Rossi", "Niccolò Ferrari", "Sofie Jansen", "Zoë O'Brien"][(i % 6) as usize]
}

/// Message `i` of the given kind, as raw RFC 5322 bytes.
pub fn message(i: u64, kind: Synthetic<'_>) -> Vec<u8> {
    let mut rng = Rng::new(i);
    let lang = i % 3;
    let customer = format!("klant{}@example.nl", i % 1000);
    let mut head = Headers::default();
    let body = match kind {
        Synthetic::NewTicket { from, subject } => {
            head.common(i, &mut rng, from, display_name(i), subject);
            text_body(i, &mut head, &body_text(i))
        }
        Synthetic::Reply { from, in_reply_to, subject_with_ref } => {
            let prefix = ["Antw: ", "R: ", "Re: "][lang as usize];
            head.common(i, &mut rng, from, display_name(i), &format!("{prefix}{subject_with_ref}"));
            head.push("In-Reply-To", &format!("<{in_reply_to}>"));
            head.push("References", &format!("<root.{i}@loket.example>\r\n <{in_reply_to}>"));
            let when = "ma 5 jan. 2026 om 10:00";
            let attribution = match lang {
                0 => format!("Op {when} schreef Loket Support <{SUPPORT_ADDRESS}>:"),
                1 => format!("Il giorno lun 5 gen 2026 alle ore 10:00 Loket Support <{SUPPORT_ADDRESS}> ha scritto:"),
                _ => format!("On Mon, 5 Jan 2026 at 10:00, Loket Support <{SUPPORT_ADDRESS}> wrote:"),
            };
            let quoted = [
                "> Dank voor uw bericht. Wij kijken ernaar.\n>\n> Met vriendelijke groet,\n> Loket Support",
                "> Grazie per il messaggio. Lo stiamo verificando.\n>\n> Cordiali saluti,\n> Loket Support",
                "> Thank you for your message. We are looking into it.\n>\n> Kind regards,\n> Loket Support",
            ][lang as usize];
            let text = format!("{}\n\n{attribution}\n{quoted}\n", body_text(i));
            text_body(i, &mut head, &text)
        }
        Synthetic::WithAttachment => {
            head.common(i, &mut rng, &customer, display_name(i), &format!("Bijlagen bij mijn vraag {i}"));
            let boundary = format!("----=_Part_{i}_{:x}", rng.next());
            head.push("Content-Type", &format!("multipart/mixed;\r\n boundary=\"{boundary}\""));
            let mut inner = Headers::default();
            let text = text_body(i, &mut inner, &body_text(i));
            let mut out = format!("This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n").into_bytes();
            out.extend(inner.0.as_bytes());
            out.extend(b"\r\n");
            out.extend(text);
            for (name, content_type, bytes) in attachments(i) {
                out.extend(format!("\r\n--{boundary}\r\n").as_bytes());
                let encoded_name =
                    if name.is_ascii() { format!("filename=\"{name}\"") } else { format!("filename*=utf-8''{}", percent(&name)) };
                out.extend(
                    format!(
                        "Content-Type: {content_type}; name=\"{}\"\r\nContent-Disposition: attachment;\r\n {encoded_name}\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                        name.replace(|c: char| !c.is_ascii(), "_")
                    )
                    .as_bytes(),
                );
                out.extend(base64_lines(&bytes).as_bytes());
            }
            out.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            out
        }
        Synthetic::AutoReply => {
            let subject = ["Automatisch antwoord: Uw vraag", "Risposta automatica: La sua richiesta", "Automatic reply: Your question"]
                [lang as usize];
            head.common(i, &mut rng, &customer, display_name(i), subject);
            head.push("Auto-Submitted", "auto-replied");
            if i.is_multiple_of(2) {
                head.push("X-Auto-Response-Suppress", "All");
            }
            let text = [
                "Ik ben afwezig tot en met 12 januari en lees mijn e-mail niet. Voor dringende zaken: bel 020-1234567.",
                "Sarò assente fino al 12 gennaio. Per questioni urgenti può chiamare lo 02-1234567.",
                "I am out of the office until 12 January with limited access to e-mail.",
            ][lang as usize];
            text_body(i, &mut head, text)
        }
        Synthetic::Bounce { original_message_id, recipient } => {
            head.push("Return-Path", "<>");
            head.received(i, &mut rng, "mx.example.net");
            head.push("Date", &rfc2822(date(i)));
            head.push("From", "Mail Delivery System <MAILER-DAEMON@mx.example.net>");
            head.push("Subject", "Undelivered Mail Returned to Sender");
            head.push("To", &format!("Loket Support <{SUPPORT_ADDRESS}>"));
            head.push("Auto-Submitted", "auto-replied");
            head.push("Message-ID", &format!("<{}>", message_id(i).replace("@mail.example.nl", "@mx.example.net")));
            head.push("MIME-Version", "1.0");
            let boundary = format!("{:X}.{i}/mx.example.net", rng.next());
            head.push("Content-Type", &format!("multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\""));
            let original = format!(
                "Return-Path: <{SUPPORT_ADDRESS}>\r\nFrom: Loket Support <{SUPPORT_ADDRESS}>\r\nTo: <{recipient}>\r\nSubject: Uw factuur\r\nMessage-ID: <{original_message_id}>\r\nDate: {}\r\n",
                rfc2822(date(i.saturating_sub(1)))
            );
            let (original_type, original_part) = if i.is_multiple_of(2) {
                ("text/rfc822-headers", original)
            } else {
                (
                    "message/rfc822",
                    format!("{original}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nUw factuur staat klaar.\r\n"),
                )
            };
            format!(
                "This is a MIME-encapsulated message.\r\n\r\n--{boundary}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n\
                 This is the mail system at host mx.example.net.\r\n\r\nI'm sorry to have to inform you that your message could not\r\n\
                 be delivered to one or more recipients.\r\n\r\n<{recipient}>: host mx.{domain} said: 550 5.1.1 User unknown\r\n\r\n\
                 --{boundary}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n\
                 Reporting-MTA: dns; mx.example.net\r\nX-Postfix-Queue-ID: {qid:X}\r\nArrival-Date: {arrival}\r\n\r\n\
                 Final-Recipient: rfc822; {recipient}\r\nOriginal-Recipient: rfc822;{recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\
                 Remote-MTA: dns; mx.{domain}\r\nDiagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected:\r\n    User unknown\r\n\r\n\
                 --{boundary}\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: {original_type}\r\n\r\n{original_part}\r\n--{boundary}--\r\n",
                domain = recipient.rsplit_once('@').map_or("example.com", |(_, d)| d),
                qid = rng.next() & 0xFFFF_FFFF,
                arrival = rfc2822(date(i)),
            )
            .into_bytes()
        }
    };
    let mut raw = head.0.into_bytes();
    raw.extend(b"\r\n");
    raw.extend(body);
    raw
}

/// A mix for benchmarks: message `i` of the kind `i` picks (new tickets and replies most, then
/// attachments, auto-replies, bounces).
pub fn mixed(i: u64) -> Vec<u8> {
    let from = format!("klant{}@example.nl", i % 1000);
    let subject = ["Website geeft foutmelding 500", "Il sito non è raggiungibile", "Question about invoice 2026-0042"][(i % 3) as usize];
    let parent = message_id(i.saturating_sub(1));
    let with_ref = format!("[Loket #{}] {subject}", 1000 + i / 3);
    match i % 10 {
        0..=3 => message(i, Synthetic::NewTicket { from: &from, subject }),
        4..=6 => message(i, Synthetic::Reply { from: &from, in_reply_to: &parent, subject_with_ref: &with_ref }),
        7 => message(i, Synthetic::WithAttachment),
        8 => message(i, Synthetic::AutoReply),
        _ => message(i, Synthetic::Bounce { original_message_id: &parent, recipient: &from }),
    }
}

/// The body part of a single-part text message, in the charset and encoding `i` picks; adds
/// its Content-Type (and -Transfer-Encoding) to `head`.
fn text_body(i: u64, head: &mut Headers, text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    match i % 4 {
        0 => {
            head.push("Content-Type", "text/plain; charset=utf-8; format=flowed");
            head.push("Content-Transfer-Encoding", "quoted-printable");
            quoted_printable(crlf.as_bytes()).into_bytes()
        }
        1 if text.chars().all(|c| (c as u32) < 0x100) => {
            head.push("Content-Type", "text/plain; charset=\"iso-8859-1\"");
            head.push("Content-Transfer-Encoding", "quoted-printable");
            let latin1: Vec<u8> = crlf.chars().map(|c| c as u32 as u8).collect();
            quoted_printable(&latin1).into_bytes()
        }
        2 | 1 => {
            head.push("Content-Type", "text/plain; charset=UTF-8");
            head.push("Content-Transfer-Encoding", "base64");
            base64_lines(crlf.as_bytes()).into_bytes()
        }
        _ => {
            let boundary = format!("alt-{i:x}");
            head.push("Content-Type", &format!("multipart/alternative; boundary=\"{boundary}\""));
            let html: String = text
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;").replace('\n', "<br>\n")))
                .collect::<Vec<_>>()
                .join("\n");
            let html = format!("<html><head><style>p {{ margin: 0 }}</style></head><body>\n{html}\n</body></html>");
            format!(
                "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{crlf}\r\n\
                 --{boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\r\n--{boundary}--\r\n",
                quoted_printable(html.replace('\n', "\r\n").as_bytes())
            )
            .into_bytes()
        }
    }
}

#[derive(Default)]
struct Headers(String);

impl Headers {
    fn push(&mut self, name: &str, value: &str) {
        self.0.push_str(name);
        self.0.push_str(": ");
        self.0.push_str(value);
        self.0.push_str("\r\n");
    }

    fn received(&mut self, i: u64, rng: &mut Rng, host: &str) {
        let stamp = rfc2822(date(i));
        self.push(
            "Received",
            &format!(
                "from {host} ({host} [192.0.2.{}])\r\n\tby mx1.loket.example (Postfix) with ESMTPS id {:X}\r\n\tfor <{SUPPORT_ADDRESS}>; {stamp}",
                rng.below(250) + 1,
                rng.next() & 0x00FF_FFFF_FFFF
            ),
        );
        self.push(
            "Received",
            &format!(
                "from [10.0.{}.{}] (unknown [198.51.100.{}])\r\n\tby {host} with ESMTPSA id {:x}; {stamp}",
                i % 200,
                rng.below(250),
                rng.below(250),
                rng.next()
            ),
        );
    }

    /// Return-Path, Received, DKIM-Signature, Message-ID, Date, From, To, Subject, MIME-Version.
    fn common(&mut self, i: u64, rng: &mut Rng, from: &str, name: &str, subject: &str) {
        let domain = from.rsplit_once('@').map_or("example.nl", |(_, d)| d);
        self.push("Return-Path", &format!("<{from}>"));
        self.received(i, rng, &format!("mail{}.{domain}", i % 7));
        let digest: [u8; 32] = Sha256::digest(format!("{i}{from}{subject}").as_bytes()).into();
        let signature = base64(&digest.repeat(4));
        let folded: Vec<&str> = signature.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        self.push(
            "DKIM-Signature",
            &format!(
                "v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=sel{};\r\n\th=from:to:subject:date:message-id:mime-version;\r\n\tbh={};\r\n\tb={}",
                i % 3,
                base64(&digest),
                folded.join("\r\n\t ")
            ),
        );
        self.push("Message-ID", &format!("<{}>", message_id(i)));
        self.push("Date", &rfc2822(date(i)));
        self.push("From", &format!("{} <{from}>", encode_phrase(name, i)));
        self.push("To", &format!("Loket Support <{SUPPORT_ADDRESS}>"));
        self.push("Subject", &encode_words(subject, i));
        self.push("MIME-Version", "1.0");
    }
}

fn rfc2822(ts: Timestamp) -> String {
    let offset = Offset::from_hours(1).unwrap_or(Offset::UTC);
    jiff::fmt::rfc2822::to_string(&ts.to_zoned(TimeZone::fixed(offset))).unwrap_or_default()
}

/// A display name as a quoted string, or as encoded words when it is not ASCII.
fn encode_phrase(name: &str, i: u64) -> String {
    if name.is_ascii() { format!("\"{}\"", name.replace(['\\', '"'], "")) } else { encode_words(name, i) }
}

/// RFC 2047 encoded words when the text is not ASCII: Q for even `i`, B for odd, each word at
/// most 75 characters, split at character boundaries.
fn encode_words(text: &str, i: u64) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let q = i.is_multiple_of(2);
    let mut words = Vec::new();
    let mut chunk = String::new();
    let encoded_len = |s: &str| if q { q_encode(s).len() } else { s.len().div_ceil(3) * 4 };
    for c in text.chars() {
        let mut next = chunk.clone();
        next.push(c);
        if encoded_len(&next) > 75 - "=?utf-8?Q??=".len() {
            words.push(std::mem::take(&mut chunk));
            chunk.push(c);
        } else {
            chunk = next;
        }
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| if q { format!("=?utf-8?Q?{}?=", q_encode(w)) } else { format!("=?utf-8?B?{}?=", base64(w.as_bytes())) })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn q_encode(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push('_'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Quoted-printable (RFC 2045 §6.7) of CRLF text: lines of at most 76 characters.
fn quoted_printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    let mut line_len = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            out.push_str("\r\n");
            line_len = 0;
            i += 2;
            continue;
        }
        let at_line_end = matches!(bytes.get(i + 1), None | Some(b'\r'));
        let literal = (b == b' ' || b == b'\t') && !at_line_end || (33..=126).contains(&b) && b != b'=';
        let piece = if literal { (b as char).to_string() } else { format!("={b:02X}") };
        if line_len + piece.len() > 75 {
            out.push_str("=\r\n");
            line_len = 0;
        }
        line_len += piece.len();
        out.push_str(&piece);
        i += 1;
    }
    out
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 in lines of 76 characters, CRLF after each.
fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_1E55_C0FF_EE00)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend(self.next().to_le_bytes());
        }
        out.truncate(len);
        out
    }
}
