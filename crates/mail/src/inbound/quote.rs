//! The new part of a reply: quoted history and signature cut off.

/// How many lines an attribution ("On …, … wrote:") may be wrapped over.
const ATTRIBUTION_LINES: usize = 3;

/// Header names that begin a quoted header block, as Outlook and others write it.
const FROM_NAMES: &[&str] = &["from", "von", "van", "da", "de", "fra", "från", "od"];
/// Header names of which one must follow a "From:" line within a few lines for it to be a
/// quoted header block.
const SENT_NAMES: &[&str] =
    &["sent", "date", "gesendet", "verzonden", "verstuurd", "datum", "inviato", "data", "envoyé", "enviado", "skickat", "sendt"];

/// Openers and closers of attribution lines: "On … wrote:" (en), "Op … schreef …:" (nl),
/// "Il giorno … ha scritto:" / "Il … ha scritto:" (it), "Am … schrieb …:" (de), "Le … a écrit :"
/// (fr), "El … escribió:" (es).
const ATTRIBUTIONS: &[(&str, &str)] = &[
    ("on ", "wrote:"),
    ("op ", "schreef"),
    ("il giorno ", "ha scritto:"),
    ("il ", "ha scritto:"),
    ("am ", "schrieb"),
    ("le ", "a écrit"),
    ("el ", "escribió:"),
];

/// "-----Original Message-----" and its translations (compared without dashes and spaces).
const ORIGINAL_MESSAGE: &[&str] = &[
    "originalmessage",
    "oorspronkelijkbericht",
    "origineelbericht",
    "messaggiooriginale",
    "ursprünglichenachricht",
    "originalnachricht",
    "messageoriginal",
    "mensajeoriginal",
];

/// "---------- Forwarded message ---------" and its translations (compared like
/// [`ORIGINAL_MESSAGE`]): what follows is the message being passed on, and kept.
const FORWARDED: &[&str] = &[
    "forwardedmessage",
    "beginforwardedmessage",
    "originalmessageforwarded",
    "doorgestuurdbericht",
    "begindoorgestuurdbericht",
    "messaggioinoltrato",
    "iniziomessaggioinoltrato",
    "weitergeleitetenachricht",
    "messagetransféré",
];

/// Closing lines phones add ("Sent from my iPhone"), dropped when they are the last line.
const DEVICE_SIGNATURES: &[&str] =
    &["sent from my ", "verzonden vanaf mijn ", "verstuurd vanaf mijn ", "inviato da ", "von meinem ", "envoyé de mon "];

/// The new text of a reply: `text` without quoted lines (`>`), without what follows an
/// attribution ("On … wrote:", "Op … schreef …:", "Il giorno … ha scritto:"), an
/// "-----Original Message-----" line, an Outlook "From: … Sent: …" header block or
/// "________________" separator, and without the signature after a "-- " line. Text answered
/// between quoted lines (inline replies) is kept; so is a forwarded message. When nothing new is
/// left, the whole text (trimmed) is the answer, so that a ticket never gets an empty entry.
pub fn reply_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.starts_with('>') {
            i += 1;
            continue;
        }
        if is_forward_marker(trimmed) {
            kept.extend(&lines[i..]);
            break;
        }
        if line == "-- " || trimmed == "--" || is_original_message(trimmed) || is_separator(trimmed) {
            break;
        }
        if is_header_block(&lines[i..]) {
            break;
        }
        if let Some(len) = attribution_len(&lines[i..]) {
            if has_text(&kept) {
                break;
            }
            // Nothing above it: an inline or bottom-posted reply. Skip the attribution only.
            i += len;
            continue;
        }
        kept.push(line);
        i += 1;
    }
    // Drop a closing "Sent from my iPhone".
    while let Some(last) = kept.last() {
        let lower = last.trim().to_lowercase();
        if lower.is_empty() || DEVICE_SIGNATURES.iter().any(|s| lower.starts_with(s)) && lower.len() < 60 {
            kept.pop();
        } else {
            break;
        }
    }
    let reply = tidy(&kept);
    if reply.is_empty() { text.trim().to_string() } else { reply }
}

fn has_text(lines: &[&str]) -> bool {
    lines.iter().any(|l| !l.trim().is_empty())
}

/// Trims blank lines at both ends and folds runs of blank lines to one.
fn tidy(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

fn squeezed(line: &str) -> String {
    line.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn is_original_message(line: &str) -> bool {
    (line.starts_with("--") || line.starts_with("__")) && line.len() < 80 && ORIGINAL_MESSAGE.contains(&squeezed(line).as_str())
}

/// "---------- Forwarded message ---------", "Begin forwarded message:", …
fn is_forward_marker(line: &str) -> bool {
    line.starts_with(['-', 'b', 'B', 'i', 'I']) && line.len() < 80 && FORWARDED.contains(&squeezed(line).as_str())
}

/// Outlook's line of underscores between the reply and the quoted message.
fn is_separator(line: &str) -> bool {
    line.len() >= 10 && line.bytes().all(|b| b == b'_')
}

/// A header name at the start of a line (`From:`, `*From:*`, `Von: `), lower case.
fn header_name(line: &str) -> Option<String> {
    let line = line.trim().trim_start_matches('*');
    let colon = line.find(':')?;
    let name = line[..colon].trim_end_matches('*').trim();
    (!name.is_empty() && name.len() <= 12 && name.chars().all(char::is_alphabetic)).then(|| name.to_lowercase())
}

/// "From: …" followed within four lines by "Sent: …" (or Date, Verzonden, Inviato, …).
fn is_header_block(lines: &[&str]) -> bool {
    let Some(first) = lines.first() else { return false };
    if !header_name(first).is_some_and(|n| FROM_NAMES.contains(&n.as_str())) {
        return false;
    }
    lines[1..].iter().take(4).any(|l| header_name(l).is_some_and(|n| SENT_NAMES.contains(&n.as_str())))
}

/// The number of lines of an attribution starting here, if one does.
fn attribution_len(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?.trim();
    if !first.starts_with(['o', 'O', 'i', 'I', 'a', 'A', 'l', 'L', 'e', 'E']) {
        return None;
    }
    let first = first.to_lowercase();
    let openers: Vec<_> = ATTRIBUTIONS.iter().filter(|(open, _)| first.starts_with(open)).collect();
    if openers.is_empty() {
        return None;
    }
    let mut joined = String::new();
    for (n, line) in lines.iter().take(ATTRIBUTION_LINES).enumerate() {
        if n > 0 && line.trim().is_empty() {
            return None;
        }
        joined.push_str(&line.trim().to_lowercase());
        joined.push(' ');
        let end = joined.trim_end();
        for (_, close) in &openers {
            // "… wrote:" at the end, or "… schreef Jan <jan@x.nl>:" / "… schrieb …:".
            let closes = if close.ends_with(':') { end.ends_with(close) } else { end.ends_with(':') && end.contains(&format!(" {close}")) };
            if closes && end.len() < 400 {
                return Some(n + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::reply_text;

    #[test]
    fn english_top_post() {
        let text = "Thanks, that works.\n\nOn Mon, 5 Jan 2026 at 10:00, Support <support@loket.example> wrote:\n> Please try again.\n> \n> Kind regards";
        assert_eq!(reply_text(text), "Thanks, that works.");
    }

    #[test]
    fn gmail_wraps_the_attribution() {
        let text = "Works now.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Loket Support <\nsupport@loket.example> wrote:\n\n> old";
        assert_eq!(reply_text(text), "Works now.");
    }

    #[test]
    fn dutch_and_italian() {
        let nl = "Het werkt weer, dank je!\n\nOp 5 jan. 2026 om 10:00 schreef Loket Support <support@loket.example>:\n\n> Kunt u het opnieuw proberen?";
        assert_eq!(reply_text(nl), "Het werkt weer, dank je!");
        let it =
            "Grazie, ora funziona.\n\nIl giorno lun 5 gen 2026 alle ore 10:00 Loket <support@loket.example> ha scritto:\n> Può riprovare?";
        assert_eq!(reply_text(it), "Grazie, ora funziona.");
        let it_apple = "Perfetto.\n\nIl 5 gen 2026, alle ore 10:00, Loket <support@loket.example> ha scritto:\n\n> Riprovi";
        assert_eq!(reply_text(it_apple), "Perfetto.");
    }

    #[test]
    fn outlook_header_blocks_and_separators() {
        let en = "See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: x\n\nold text";
        assert_eq!(reply_text(en), "See attached.");
        let nl = "Bijgevoegd.\n\n________________________________\nVan: Loket Support <support@loket.example>\nVerzonden: maandag 5 januari 2026 10:00\nAan: Jan\nOnderwerp: Re: factuur\n\noud";
        assert_eq!(reply_text(nl), "Bijgevoegd.");
        let de = "Anbei.\n\nVon: Loket <support@loket.example>\nGesendet: Montag, 5. Januar 2026 10:00\nAn: Jan\n\nalt";
        assert_eq!(reply_text(de), "Anbei.");
        let it = "In allegato.\n\nDa: Loket <support@loket.example>\nInviato: lunedì 5 gennaio 2026 10:00\nA: Mario\n\nvecchio";
        assert_eq!(reply_text(it), "In allegato.");
        let nl_dashes = "Ok.\n\n----- Oorspronkelijk bericht -----\nVan: x";
        assert_eq!(reply_text(nl_dashes), "Ok.");
    }

    #[test]
    fn signatures_and_phones() {
        assert_eq!(reply_text("Graag een nieuwe factuur.\n\n-- \nJan Jansen\nJansen BV"), "Graag een nieuwe factuur.");
        assert_eq!(reply_text("Ok, thanks!\n\nSent from my iPhone"), "Ok, thanks!");
        assert_eq!(reply_text("Va bene.\n\nInviato da iPhone\n\n> vecchio"), "Va bene.");
    }

    #[test]
    fn inline_replies_keep_the_answers() {
        let text = "On Mon, Support wrote:\n> Which domain?\nexample.nl\n> Since when?\nSince Monday.\n";
        assert_eq!(reply_text(text), "example.nl\nSince Monday.");
    }

    #[test]
    fn a_person_saying_from_or_on_is_not_cut() {
        let text = "From: my side everything is fine.\nOn Monday we moved the site.\nCan you check?";
        assert_eq!(reply_text(text), text);
        let fwd = "See below.\n\n---------- Forwarded message ---------\nFrom: Klant <k@x.nl>\nDate: Mon\nSubject: help\n\nhelp";
        assert_eq!(reply_text(fwd), fwd, "a forwarded message is what is passed on");
        let apple = "Zie hieronder.\n\nBegin doorgestuurd bericht:\n\nVan: Klant <k@x.nl>\nDatum: 5 januari 2026\n\nhulp";
        assert_eq!(reply_text(apple), apple);
    }

    #[test]
    fn only_quotes_gives_the_whole_text() {
        assert_eq!(reply_text("> just a quote\n"), "> just a quote");
        assert_eq!(reply_text(""), "");
    }
}
