//! Whole-message tests: charsets and encodings, classification, replies, attachments, ids, and
//! the synthetic generator read back.

use super::synthetic::{self, Synthetic};
use super::*;

/// Builds a message from header lines and a body, with CRLF line ends.
fn mail(headers: &[&str], body: &str) -> Vec<u8> {
    let mut raw = headers.join("\r\n");
    raw.push_str("\r\n\r\n");
    raw.push_str(&body.replace('\n', "\r\n"));
    raw.into_bytes()
}

fn person(extra: &[&str], subject: &str) -> Vec<u8> {
    let mut headers = vec!["From: Jan de Vries <Jan@Example.NL>", "To: support@loket.example", "Message-ID: <a1@example.nl>"];
    let subject = format!("Subject: {subject}");
    headers.push(&subject);
    headers.extend(extra);
    mail(&headers, "Hallo,\n\nmijn site is stuk.\n")
}

fn automatic(extra: &[&str], subject: &str) -> Option<Automatic> {
    parse(&person(extra, subject)).expect("parse").automatic
}

#[test]
fn a_plain_message_is_read() {
    let raw = mail(
        &[
            "From: \"de Vries, Jan\" <Jan.de.Vries@Example.NL>",
            "Reply-To: facturen@example.nl",
            "To: Loket <support@loket.example>, other@example.org",
            "Cc: a@example.nl",
            "Cc: b@example.nl",
            "Subject: Re: [Loket #12]\r\n  mijn   website",
            "Date: Mon, 5 Jan 2026 10:15:00 +0100",
            "Message-ID: <  abc.123@mail.example.nl >",
            "In-Reply-To: <t12.1@loket.example>",
            "References: <t12.0@loket.example>\r\n <t12.1@loket.example>",
        ],
        "Het werkt niet.\n",
    );
    let m = parse(&raw).expect("parse");
    assert_eq!(m.message_id, "abc.123@mail.example.nl");
    assert!(!m.message_id_synthetic);
    assert_eq!(m.in_reply_to.as_deref(), Some("t12.1@loket.example"));
    assert_eq!(m.references, ["t12.0@loket.example", "t12.1@loket.example"]);
    assert_eq!(m.subject, "Re: [Loket #12] mijn website");
    assert_eq!(m.from, Some(Mailbox { address: "jan.de.vries@example.nl".into(), name: Some("de Vries, Jan".into()) }));
    assert_eq!(m.reply_to, [Mailbox { address: "facturen@example.nl".into(), name: None }]);
    assert_eq!(m.to.iter().map(|t| t.address.as_str()).collect::<Vec<_>>(), ["support@loket.example", "other@example.org"]);
    assert_eq!(m.cc.len(), 2, "both Cc fields");
    assert_eq!(m.date, Some("2026-01-05T09:15:00Z".parse().expect("ts")));
    assert_eq!(m.text, "Het werkt niet.\n");
    assert!(!m.text_from_html);
    assert_eq!(m.automatic, None);
    assert!(!m.suppress_auto_response);
}

#[test]
fn refusals() {
    assert_eq!(parse(b""), Err(InboundError::Empty));
    assert_eq!(parse(b" \r\n\t\n"), Err(InboundError::Empty));
    assert_eq!(parse(b"just some text without any header\n"), Err(InboundError::NoHeaders));
    let raw = person(&[], "x");
    assert_eq!(parse_with_limit(&raw, 10), Err(InboundError::TooLarge { size: raw.len(), limit: 10 }));
    assert!(parse_with_limit(&raw, raw.len()).is_ok());
    // Headers without a body are a message.
    assert_eq!(parse(b"Subject: only a subject").expect("parse").subject, "only a subject");
}

#[test]
fn a_missing_message_id_gets_a_stable_synthetic_one() {
    let raw = mail(&["From: a@example.nl", "Subject: no id"], "text");
    let first = parse(&raw).expect("parse");
    assert!(first.message_id_synthetic);
    assert!(first.message_id.starts_with("sha256-") && first.message_id.ends_with("@inbound.loket.invalid"), "{}", first.message_id);
    assert_eq!(first.message_id.len(), "sha256-".len() + 64 + "@inbound.loket.invalid".len());
    assert_eq!(parse(&raw).expect("again").message_id, first.message_id);
    let other = mail(&["From: a@example.nl", "Subject: no id"], "other text");
    assert_ne!(parse(&other).expect("parse").message_id, first.message_id);
    // An empty Message-ID counts as missing.
    assert!(parse(&mail(&["From: a@example.nl", "Message-ID: <>"], "x")).expect("parse").message_id_synthetic);
    // An absurdly long id is hashed, the same way wherever it appears.
    let long = "x".repeat(5000);
    let raw = mail(&[&format!("Message-ID: <{long}@example.nl>"), &format!("In-Reply-To: <{long}@example.nl>")], "x");
    let m = parse(&raw).expect("parse");
    assert!(m.message_id.len() <= MAX_ID_BYTES && m.message_id.ends_with("@long-id.loket.invalid"));
    assert_eq!(m.in_reply_to.as_deref(), Some(m.message_id.as_str()));
}

#[test]
fn references_are_capped_keeping_root_and_parents() {
    let refs: Vec<String> = (0..500).map(|n| format!("<r{n}@x>")).collect();
    let raw = mail(&[&format!("References: {}", refs.join("\r\n ")), "From: a@b.nl"], "x");
    let m = parse(&raw).expect("parse");
    assert_eq!(m.references.len(), MAX_REFERENCES);
    assert_eq!(m.references[0], "r0@x");
    assert_eq!(m.references[1], "r401@x");
    assert_eq!(m.references.last().map(String::as_str), Some("r499@x"));
}

#[test]
fn encoded_word_subjects_and_names_are_decoded() {
    for (header, expected) in [
        ("=?utf-8?Q?Factuur_=E2=82=AC_12,50_betaald?=", "Factuur € 12,50 betaald"),
        ("=?UTF-8?B?Q2Fmw6kgw6lsw6luIMOoIHBlcmNow6k=?=", "Café élén è perché"),
        ("=?iso-8859-1?Q?Perch=E9_non_funziona=3F?=", "Perché non funziona?"),
        ("=?windows-1252?Q?=93Quotes=94_=80?=", "“Quotes” €"),
        // Adjacent encoded words: the whitespace between them is not part of the text.
        ("=?utf-8?Q?Een_?=\r\n =?utf-8?Q?twee?=", "Een twee"),
        ("Re: =?iso-8859-15?Q?=A4uro?= ok", "Re: €uro ok"),
        ("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
    ] {
        let m = parse(&mail(&["From: a@example.nl", &format!("Subject: {header}")], "x")).expect("parse");
        assert_eq!(m.subject, expected, "{header}");
    }
    let m = parse(&mail(&["From: =?utf-8?Q?Chlo=C3=AB_van_Dijk?= <chloe@example.nl>"], "x")).expect("parse");
    assert_eq!(m.from.and_then(|f| f.name).as_deref(), Some("Chloë van Dijk"));
}

#[test]
fn charsets_and_transfer_encodings_of_bodies_are_decoded() {
    let cases: &[(&str, &str, &[u8], &str)] = &[
        ("text/plain; charset=iso-8859-1", "quoted-printable", b"Perch=E9 =E8 cos=EC? Caf=E9=\r\n au lait", "Perché è così? Café au lait"),
        ("text/plain; charset=windows-1252", "quoted-printable", b"=93Prijs=94 =80 12 =96 ok", "“Prijs” € 12 – ok"),
        ("text/plain; charset=utf-8", "base64", b"SGV0IGtvc3QgwqMgMTAg4oKsIOKAkyBkw6nDqcOpbg==", "Het kost £ 10 € – dééén"),
        ("text/plain; charset=utf-8", "8bit", "Più già così".as_bytes(), "Più già così"),
        ("text/plain; charset=iso-2022-jp", "7bit", b"\x1b$B$3$s$K$A$O\x1b(B", "こんにちは"),
        ("text/plain; charset=iso-8859-15", "8bit", b"\xa4 5", "€ 5"),
        ("text/plain; charset=\"ISO-8859-1\"", "QUOTED-PRINTABLE", b"gro=DFe Gr=FC=DFe", "große Grüße"),
    ];
    for (content_type, encoding, body, expected) in cases {
        let mut raw =
            format!("From: a@example.nl\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n").into_bytes();
        raw.extend_from_slice(body);
        let m = parse(&raw).expect("parse");
        assert_eq!(m.text, *expected, "{content_type} {encoding}");
    }
}

#[test]
fn html_only_mail_becomes_readable_text() {
    let html =
        "<html><head><style>.x{}</style></head><body><p>Beste support,</p><p>De site &amp; mail zijn stuk.<br>Groet, Jan</p></body></html>";
    let raw = mail(&["From: a@example.nl", "Content-Type: text/html; charset=utf-8"], html);
    let m = parse(&raw).expect("parse");
    assert!(m.text_from_html);
    assert_eq!(m.text, "Beste support,\n\nDe site & mail zijn stuk.\nGroet, Jan");
    // In multipart/alternative the plain part wins, unless it is empty.
    let alt = |plain: &str| {
        mail(
            &["From: a@example.nl", "Content-Type: multipart/alternative; boundary=b"],
            &format!("--b\nContent-Type: text/plain\n\n{plain}\n--b\nContent-Type: text/html\n\n<p>From <b>HTML</b></p>\n--b--\n"),
        )
    };
    assert_eq!(parse(&alt("From plain")).expect("parse").text.trim(), "From plain");
    let blank = parse(&alt("  ")).expect("parse");
    assert_eq!((blank.text.as_str(), blank.text_from_html), ("From HTML", true));
}

#[test]
fn outlook_html_reply_keeps_only_the_new_text() {
    let html = "<html><body><div>Dat klopt, dank u.</div><div><br></div>\
        <hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\"><font face=\"Calibri\"><b>Van:</b> Loket Support &lt;support@loket.example&gt;<br>\
        <b>Verzonden:</b> maandag 5 januari 2026 10:00<br><b>Aan:</b> Jan<br><b>Onderwerp:</b> Re: factuur</font></div>\
        <div>Kunt u dit bevestigen?</div></body></html>";
    let m = parse(&mail(&["From: a@example.nl", "Content-Type: text/html; charset=utf-8"], html)).expect("parse");
    assert_eq!(m.reply_text, "Dat klopt, dank u.");
    let gmail = "<div dir=\"ltr\">Grazie!</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">Il giorno lun 5 gen 2026 alle ore 10:00 Loket &lt;support@loket.example&gt; ha scritto:<br></div><blockquote class=\"gmail_quote\">Può confermare?</blockquote></div>";
    let m = parse(&mail(&["From: a@example.nl", "Content-Type: text/html; charset=utf-8"], gmail)).expect("parse");
    assert_eq!(m.reply_text, "Grazie!");
}

#[test]
fn replies_in_three_languages_lose_their_history() {
    for (body, new) in [
        (
            "Top, het werkt.\n\nOp ma 5 jan. 2026 om 10:00 schreef Loket Support <support@loket.example>:\n> Probeert u het nog eens?\n",
            "Top, het werkt.",
        ),
        (
            "Funziona, grazie.\n\nIl giorno lun 5 gen 2026 alle ore 10:00 Loket <support@loket.example> ha scritto:\n\n> Riprovi?\n",
            "Funziona, grazie.",
        ),
        ("It works.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Loket <support@loket.example> wrote:\n> Try again?\n", "It works."),
        ("Klopt.\n\n-----Original Message-----\nFrom: Loket\nSent: Monday\n\nold\n", "Klopt."),
        ("Ok.\n-- \nJan de Vries\nwww.example.nl\n", "Ok."),
    ] {
        let m = parse(&mail(&["From: a@example.nl", "Subject: Re: x"], body)).expect("parse");
        assert_eq!(m.reply_text, new, "{body}");
        assert_eq!(m.text.replace("\r\n", "\n"), body, "the text keeps everything");
    }
}

#[test]
fn attachment_names_are_sanitised() {
    let raw = mail(
        &["From: a@example.nl", "Content-Type: multipart/mixed; boundary=XX"],
        "--XX\nContent-Type: text/plain\n\nsee attached\n\
         --XX\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\nContent-Transfer-Encoding: base64\n\ncm9vdDp4OjA6MA==\n\
         --XX\nContent-Type: application/x-msdownload\nContent-Disposition: attachment; filename*=utf-8''evil%00name%0A.exe\n\nMZ\n\
         --XX\nContent-Type: image/png; name=\"=?utf-8?Q?sch=C3=A9ma.png?=\"\nContent-Disposition: inline\nContent-ID: <img1@example.nl>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n\
         --XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0x\n\
         --XX--\n",
    );
    let m = parse(&raw).expect("parse");
    assert_eq!(m.text.trim(), "see attached");
    let a = &m.attachments;
    assert_eq!(a.len(), 4, "{a:?}");
    assert_eq!((a[0].filename.as_str(), a[0].bytes.as_slice(), a[0].inline), ("passwd", &b"root:x:0:0"[..], false));
    assert_eq!(a[1].filename, "evilname.exe");
    assert_eq!(a[1].content_type, "application/x-msdownload");
    assert_eq!(a[2].filename, "schéma.png");
    assert_eq!(a[2].content_id.as_deref(), Some("img1@example.nl"));
    assert!(a[2].inline);
    assert_eq!(a[2].bytes, b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        (a[3].filename.as_str(), a[3].content_type.as_str(), a[3].bytes.as_slice()),
        ("attachment-4.pdf", "application/pdf", &b"%PDF-1"[..])
    );
}

// --- classification -------------------------------------------------------------------------

#[test]
fn auto_replies_by_header() {
    for extra in [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "Auto-Submitted: auto-notified (vacation)",
        "X-Autoreply: yes",
        "X-Autorespond: Out of office",
        "X-Auto-Response-Suppress: OOF, AutoReply",
        "X-Auto-Response-Suppress: All",
        "Precedence: auto_reply",
        "Precedence: bulk",
        "Precedence: junk",
        "X-Loop: helpdesk@example.nl",
    ] {
        let m = parse(&person(&[extra], "Vraag")).expect("parse");
        assert_eq!(m.automatic, Some(Automatic::AutoReply), "{extra}");
        assert!(m.suppress_auto_response, "{extra}");
    }
    assert_eq!(automatic(&["Auto-Submitted: no"], "Vraag"), None);
    assert_eq!(automatic(&["Auto-Submitted: No"], "Vraag"), None);
    assert_eq!(automatic(&["Precedence: normal"], "Vraag"), None);
}

#[test]
fn auto_replies_by_subject_are_conservative() {
    for subject in
        ["Automatic reply: Vraag", "Out of Office: Re: factuur", "Afwezig", "Risposta automatica: fattura", "Automatisch antwoord: Vraag"]
    {
        assert_eq!(automatic(&[], subject), Some(Automatic::AutoReply), "{subject}");
    }
    for subject in ["Re: Automatic reply: Vraag", "Afwezigheid van e-mail sinds gisteren", "Out of office hours?", "Vraag"] {
        assert_eq!(automatic(&[], subject), None, "{subject}");
    }
}

#[test]
fn mailing_lists() {
    for extra in [
        "List-Id: Klanten <klanten.lists.example.nl>",
        "List-Unsubscribe: <mailto:leave@lists.example.nl>",
        "Precedence: list",
        "X-Mailman-Version: 2.1.39",
        "Sender: owner-klanten@lists.example.nl",
        "Sender: klanten-bounces@lists.example.nl",
    ] {
        let m = parse(&person(&[extra], "Nieuwsbrief")).expect("parse");
        assert_eq!(m.automatic, Some(Automatic::List), "{extra}");
        assert!(m.suppress_auto_response, "{extra}");
    }
    // A list's Precedence: bulk is still list mail; a clear auto-reply sign wins over the list.
    assert_eq!(automatic(&["List-Id: <x.example.nl>", "Precedence: bulk"], "x"), Some(Automatic::List));
    assert_eq!(automatic(&["List-Id: <x.example.nl>", "Auto-Submitted: auto-replied"], "x"), Some(Automatic::AutoReply));
}

#[test]
fn no_reply_senders_are_not_answered_but_are_people_mail() {
    let raw = mail(&["From: Webshop <noreply@shop.example>", "Subject: Uw bestelling"], "Bedankt");
    let m = parse(&raw).expect("parse");
    assert_eq!(m.automatic, None);
    assert!(m.suppress_auto_response);
}

fn dsn(action: &str, status: &str, original: &str) -> Vec<u8> {
    mail(
        &[
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
            "To: support@loket.example",
            "Subject: Undelivered Mail Returned to Sender",
            "Message-ID: <dsn1@mx.example.net>",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"",
        ],
        &format!(
            "--R\nContent-Type: text/plain\n\nYour message could not be delivered.\n\
             --R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n\
             Final-Recipient: rfc822; Klant@Example.NL\nAction: {action}\nStatus: {status}\n\n\
             Final-Recipient: rfc822;<second@example.nl>\nAction: {action}\nStatus: {status}\n\n\
             --R\n{original}\n--R--\n"
        ),
    )
}

#[test]
fn delivery_status_reports_are_bounces() {
    let headers =
        "Content-Type: text/rfc822-headers\n\nFrom: support@loket.example\nMessage-ID: <orig.1@loket.example>\nSubject: Factuur\n";
    let m = parse(&dsn("failed", "5.1.1", headers)).expect("parse");
    assert_eq!(
        m.automatic,
        Some(Automatic::Bounce {
            original_message_id: Some("orig.1@loket.example".into()),
            recipients: vec!["klant@example.nl".into(), "second@example.nl".into()],
            permanent: true
        })
    );
    assert!(m.suppress_auto_response);
    assert_eq!(m.text.trim(), "Your message could not be delivered.");

    let message = "Content-Type: message/rfc822\n\nFrom: support@loket.example\nMessage-ID: <orig.2@loket.example>\n\nHallo\n";
    let Some(Automatic::Bounce { original_message_id, permanent, .. }) = parse(&dsn("delayed", "4.4.1", message)).expect("parse").automatic
    else {
        panic!("not a bounce")
    };
    assert_eq!(original_message_id.as_deref(), Some("orig.2@loket.example"));
    assert!(!permanent, "a delay will be retried");

    // A report of successful delivery is automatic mail, not a bounce.
    assert_eq!(parse(&dsn("delivered", "2.0.0", headers)).expect("parse").automatic, Some(Automatic::AutoReply));
}

#[test]
fn bounces_without_a_report() {
    // Exim: no multipart/report, but X-Failed-Recipients and the original quoted in the text.
    let raw = mail(
        &[
            "Return-Path: <>",
            "From: Mail Delivery System <Mailer-Daemon@mail.example.net>",
            "Subject: Mail delivery failed: returning message to sender",
            "X-Failed-Recipients: gone@example.nl, Also@Example.NL",
        ],
        "This message was created automatically by mail delivery software.\n\n\
         A message that you sent could not be delivered.\n\n  gone@example.nl\n    mailbox unavailable\n\n\
         ------ This is a copy of the message, including all the headers. ------\n\n\
         From: support@loket.example\nMessage-Id: <orig.3@loket.example>\nSubject: hi\n",
    );
    assert_eq!(
        parse(&raw).expect("parse").automatic,
        Some(Automatic::Bounce {
            original_message_id: Some("orig.3@loket.example".into()),
            recipients: vec!["gone@example.nl".into(), "also@example.nl".into()],
            permanent: true
        })
    );
    // postmaster, delayed: not permanent.
    let raw = mail(&["From: postmaster@example.net", "Subject: Delivery delayed: Factuur"], "Will retry for 4 days.");
    assert_eq!(
        parse(&raw).expect("parse").automatic,
        Some(Automatic::Bounce { original_message_id: None, recipients: vec![], permanent: false })
    );
    // A null return path alone.
    let raw = mail(&["Return-Path: < >", "From: someone@example.net", "Subject: Undeliverable: Factuur"], "x");
    assert!(matches!(parse(&raw).expect("parse").automatic, Some(Automatic::Bounce { permanent: true, .. })));
    // An auto-reply with a null return path (as RFC 3834 asks) stays an auto-reply.
    let raw = mail(&["Return-Path: <>", "From: jan@example.nl", "Auto-Submitted: auto-replied", "Subject: Afwezig"], "x");
    assert_eq!(parse(&raw).expect("parse").automatic, Some(Automatic::AutoReply));
}

#[test]
fn read_receipts_are_auto_replies() {
    let raw = mail(
        &[
            "From: jan@example.nl",
            "Subject: Gelezen: Factuur",
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=M",
        ],
        "--M\nContent-Type: text/plain\n\nGelezen.\n--M\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822; jan@example.nl\nDisposition: manual-action/MDN-sent-manually; displayed\n--M--\n",
    );
    assert_eq!(parse(&raw).expect("parse").automatic, Some(Automatic::AutoReply));
}

// --- robustness ------------------------------------------------------------------------------

#[test]
fn deeply_nested_messages_do_not_overflow_the_stack() {
    let mut raw = Vec::new();
    for _ in 0..20_000 {
        raw.extend(b"Content-Type: message/rfc822\r\n\r\n");
    }
    raw.extend(b"Subject: inner\r\n\r\nbody\r\n");
    assert!(parse(&raw).is_ok());
    let mut raw = Vec::new();
    for n in 0..5_000 {
        raw.extend(format!("Content-Type: multipart/mixed; boundary=b{n}\r\n\r\n--b{n}\r\n").as_bytes());
    }
    raw.extend(b"Content-Type: text/plain\r\n\r\ndeep\r\n");
    assert!(parse(&raw).is_ok());
}

#[test]
fn a_message_right_inside_an_attached_message_is_read() {
    // mail-parser's debug assertions fired on this; the workspace turns them off for it, as
    // release builds have them.
    let raw = b"Subject: x\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n\
        Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nbody\r\n--B--\r\n";
    let m = parse(raw).expect("parse");
    assert_eq!((m.subject.as_str(), m.text.as_str()), ("x", "body"));
}

#[test]
fn without_its_mime_structure_a_message_keeps_headers_and_raw_text() {
    let raw = mail(
        &["From: Jan <jan@example.nl>", "Subject: Kapot", "Message-ID: <k@x>", "Content-Type: multipart/mixed; boundary=B"],
        "--B\nContent-Type: text/plain\n\nHallo\0 daar\n--B--\n",
    );
    let m = headers_only(&raw, &raw).expect("headers");
    assert_eq!((m.subject.as_str(), m.message_id.as_str()), ("Kapot", "k@x"));
    assert_eq!(m.from.map(|f| f.address).as_deref(), Some("jan@example.nl"));
    assert_eq!(m.text, "--B\nContent-Type: text/plain\n\nHallo daar\n--B--\n", "raw, without NUL, with \\n line ends");
    assert!(m.attachments.is_empty());
    assert_eq!(find_body(b"A: b\r\n\r\nbody"), 8);
    assert_eq!(find_body(b"A: b\n\nbody"), 6);
    assert_eq!(find_body(b"A: b\n"), 5);
}

// --- the synthetic generator, read back -------------------------------------------------------

#[test]
fn synthetic_new_tickets_read_back() {
    for i in 0..24 {
        let subject =
            ["Website geeft foutmelding", "Il sito non è raggiungibile – perché?", "Factuur € 12,50 dubbel betaald"][(i % 3) as usize];
        let raw = synthetic::message(i, Synthetic::NewTicket { from: "Klant@Example.nl", subject });
        assert_eq!(raw, synthetic::message(i, Synthetic::NewTicket { from: "Klant@Example.nl", subject }), "deterministic");
        let m = parse(&raw).expect("parse");
        assert_eq!(m.message_id, synthetic::message_id(i));
        assert_eq!(m.subject, subject, "{i}");
        assert_eq!(m.from.as_ref().map(|f| f.address.as_str()), Some("klant@example.nl"));
        assert!(m.from.and_then(|f| f.name).is_some_and(|n| !n.is_empty()));
        assert_eq!(m.date, Some(synthetic::date(i)));
        assert_eq!(m.text.trim_end(), synthetic::body_text(i), "{i}");
        assert_eq!(m.reply_text, synthetic::body_text(i), "{i}");
        assert_eq!(m.automatic, None);
        assert!(!m.suppress_auto_response);
        assert!(m.attachments.is_empty(), "{i}: {:?}", m.attachments);
    }
}

#[test]
fn synthetic_replies_read_back() {
    for i in 0..24 {
        let parent = synthetic::message_id(1000 + i);
        let raw = synthetic::message(
            i,
            Synthetic::Reply { from: "klant@example.nl", in_reply_to: &parent, subject_with_ref: "[Loket #77] Site stuk" },
        );
        let m = parse(&raw).expect("parse");
        assert_eq!(m.in_reply_to.as_deref(), Some(parent.as_str()));
        assert_eq!(m.references.last(), Some(&parent));
        assert_eq!(subject_without_prefixes(&m.subject), "[Loket #77] Site stuk", "{}", m.subject);
        assert_eq!(m.reply_text, synthetic::body_text(i), "{i}");
        assert!(m.text.contains("> Loket Support"));
    }
}

#[test]
fn synthetic_attachments_read_back() {
    for i in 0..8 {
        let raw = synthetic::message(i, Synthetic::WithAttachment);
        assert!(raw.len() > 40_000, "{}", raw.len());
        let m = parse(&raw).expect("parse");
        assert_eq!(m.reply_text, synthetic::body_text(i));
        let expected = synthetic::attachments(i);
        assert_eq!(m.attachments.len(), expected.len());
        for (got, (name, content_type, bytes)) in m.attachments.iter().zip(&expected) {
            assert_eq!(&got.filename, name);
            let bare = got.content_type.split(';').next().unwrap_or_default();
            assert_eq!(bare, content_type);
            if !content_type.starts_with("text/") {
                assert!(got.bytes == *bytes, "{name}: {} bytes, expected {}", got.bytes.len(), bytes.len());
            } else {
                assert_eq!(String::from_utf8_lossy(&got.bytes), String::from_utf8_lossy(bytes));
            }
            assert!(!got.inline);
        }
    }
}

#[test]
fn synthetic_auto_replies_and_bounces_are_classified() {
    for i in 0..12 {
        let m = parse(&synthetic::message(i, Synthetic::AutoReply)).expect("parse");
        assert_eq!(m.automatic, Some(Automatic::AutoReply), "{i}");
        assert!(m.suppress_auto_response);
        let original = synthetic::message_id(500 + i);
        let m = parse(&synthetic::message(i, Synthetic::Bounce { original_message_id: &original, recipient: "Weg@Example.NL" }))
            .expect("parse");
        assert_eq!(
            m.automatic,
            Some(Automatic::Bounce {
                original_message_id: Some(original.clone()),
                recipients: vec!["weg@example.nl".into()],
                permanent: true
            }),
            "{i}"
        );
    }
}

#[test]
fn the_synthetic_mix_parses() {
    let mut kinds = std::collections::BTreeMap::new();
    for i in 0..100 {
        let m = parse(&synthetic::mixed(i)).expect("parse");
        let kind = match m.automatic {
            None if m.attachments.is_empty() => "person",
            None => "attachments",
            Some(Automatic::AutoReply) => "auto-reply",
            Some(Automatic::List) => "list",
            Some(Automatic::Bounce { .. }) => "bounce",
        };
        *kinds.entry(kind).or_insert(0) += 1;
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), [("attachments", 10), ("auto-reply", 10), ("bounce", 10), ("person", 70)]);
}
