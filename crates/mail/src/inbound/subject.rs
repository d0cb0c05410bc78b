//! Subject lines: reply and forward prefixes, and the subjects auto-replies use.

/// Reply and forward prefixes in the languages Loket's customers write (en, nl, it, de, fr and
/// the Nordic ones mail clients use), lower case, without the colon.
const PREFIXES: &[&str] = &[
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "antw",
    "antwoord",
    "doorst",
    "doorsturen",
    "r",
    "i",
    "rif",
    "inoltro",
    "sv",
    "vs",
    "tr",
    "rv",
    "enc",
    "res",
    "odp",
    "fs",
    "vl",
];

/// Subjects that begin with one of these (then a colon or nothing) are auto-replies.
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "automatic response",
    "auto response",
    "out of office",
    "out of the office",
    "out of office reply",
    "out of office autoreply",
    "automatisch antwoord",
    "automatisch bericht",
    "afwezig",
    "afwezigheid",
    "afwezigheidsbericht",
    "risposta automatica",
    "risposta automatica fuori sede",
    "fuori sede",
    "automatische antwort",
    "abwesenheitsnotiz",
    "réponse automatique",
];

/// The subject without leading reply/forward prefixes, however many and however written:
/// `Re:`, `RE :`, `Re[2]:`, `Fwd:`, `AW:`, `R:`, `I:`, `Antw:`, `Doorst:`, `SV:` … Other
/// bracketed tags (`[Loket #12]`, list names) are kept.
pub fn subject_without_prefixes(subject: &str) -> &str {
    let mut rest = subject.trim();
    while let Some(after) = strip_prefix(rest) {
        rest = after.trim_start();
    }
    rest.trim_end()
}

fn strip_prefix(s: &str) -> Option<&str> {
    let word_len = s.chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum::<usize>();
    if word_len == 0 || word_len > 12 || !PREFIXES.contains(&s[..word_len].to_lowercase().as_str()) {
        return None;
    }
    let mut rest = &s[word_len..];
    // A count: Re[2]: or Re(2):
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && end > 0
            && inner[..end].bytes().all(|b| b.is_ascii_digit())
        {
            rest = &inner[end + 1..];
        }
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// True when the subject begins like an auto-reply's: a known marker followed by a colon or by
/// nothing at all ("Out of Office", "Afwezig: …", "Risposta automatica: …"). Conservative on
/// purpose: "Afwezigheid van de server" is a person writing.
pub(crate) fn is_auto_reply_subject(subject: &str) -> bool {
    let lower = subject.trim().to_lowercase();
    AUTO_REPLY_SUBJECTS.iter().any(|marker| {
        lower.strip_prefix(marker).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.is_empty() || rest.starts_with(':') || rest.starts_with('：')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{is_auto_reply_subject, subject_without_prefixes};

    #[test]
    fn prefixes_in_many_languages_are_removed() {
        for (subject, bare) in [
            ("Re: Factuur 2026-001", "Factuur 2026-001"),
            ("RE: RE: Fwd: Factuur", "Factuur"),
            ("AW: WG: Rechnung", "Rechnung"),
            ("R: I: Fattura scaduta", "Fattura scaduta"),
            ("Antw: Doorst: Vraag over domein", "Vraag over domein"),
            ("Re[3]: status", "status"),
            ("Re (2): status", "Re (2): status"),
            ("RE : Réponse", "Réponse"),
            ("SV: VS: hei", "hei"),
            ("Re: [Loket #123] Mijn website is stuk", "[Loket #123] Mijn website is stuk"),
            ("Reminder: payment", "Reminder: payment"),
            ("Ire: not a prefix", "Ire: not a prefix"),
            ("  re:re:   x  ", "x"),
            ("Re:", ""),
            ("", ""),
        ] {
            assert_eq!(subject_without_prefixes(subject), bare, "{subject:?}");
        }
    }

    #[test]
    fn auto_reply_subjects_are_recognised_conservatively() {
        for yes in [
            "Automatic reply: Factuur",
            "Out of Office: Re: domein",
            "Out of Office",
            "Afwezig",
            "Afwezig: vraag",
            "Automatisch antwoord: vraag",
            "Risposta automatica: fattura",
            "AUTOMATIC REPLY : x",
        ] {
            assert!(is_auto_reply_subject(yes), "{yes}");
        }
        for no in ["Re: Automatic reply: x", "Afwezigheid van de server", "Out of office hours support?", "Fattura", ""] {
            assert!(!is_auto_reply_subject(no), "{no}");
        }
    }
}
