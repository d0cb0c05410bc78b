//! The languages in which Loket speaks to people.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    It,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`: use nl, it or en")]
pub struct UnknownLanguage(pub String);

impl Language {
    pub const ALL: [Language; 3] = [Language::Nl, Language::It, Language::En];

    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::It => "it",
            Language::En => "en",
        }
    }

    /// The language's place in [`Language::ALL`], for tables kept per language.
    pub fn index(self) -> usize {
        match self {
            Language::Nl => 0,
            Language::It => 1,
            Language::En => 2,
        }
    }

    /// The language's own name, as shown in a language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Nl => "Nederlands",
            Language::It => "Italiano",
            Language::En => "English",
        }
    }

    /// Picks the best supported language from an HTTP `Accept-Language` header, honouring
    /// q-values; `None` when the header names none we speak.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(Language, u16)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map(parse_q).unwrap_or(1000);
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(lang) = primary.parse::<Language>()
                && q > 0
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }
}

/// q-value in thousandths; malformed values count as 0 (not acceptable).
fn parse_q(s: &str) -> u16 {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    let mut thousandths = 0u16;
    for (i, b) in frac.bytes().take(3).enumerate() {
        if !b.is_ascii_digit() {
            return 0;
        }
        thousandths += u16::from(b - b'0') * 10u16.pow(2 - i as u32);
    }
    (whole + thousandths).min(1000)
}

impl FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Without an allocation: templates parse the page's language for every text.
        match s.trim().as_bytes() {
            [a, b] => match [a.to_ascii_lowercase(), b.to_ascii_lowercase()] {
                [b'n', b'l'] => Ok(Language::Nl),
                [b'i', b't'] => Ok(Language::It),
                [b'e', b'n'] => Ok(Language::En),
                _ => Err(UnknownLanguage(s.to_string())),
            },
            _ => Err(UnknownLanguage(s.to_string())),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(Language::negotiate("it-IT,it;q=0.9,en;q=0.8"), Some(Language::It));
        assert_eq!(Language::negotiate("de-DE, en;q=0.5, nl;q=0.7"), Some(Language::Nl));
        assert_eq!(Language::negotiate("fr, de"), None);
        assert_eq!(Language::negotiate("nl;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(Language::negotiate(""), None);
        assert_eq!(Language::negotiate("en;q=abc"), None);
    }

    #[test]
    fn each_language_is_at_its_index() {
        for (i, l) in Language::ALL.iter().enumerate() {
            assert_eq!(l.index(), i, "{l}");
        }
    }

    #[test]
    fn codes_parse_in_any_case_and_nothing_else_does() {
        for (s, l) in [("nl", Language::Nl), (" IT ", Language::It), ("En", Language::En)] {
            assert_eq!(s.parse::<Language>(), Ok(l));
        }
        for bad in ["", "n", "nld", "de", "ñl", "e\u{301}n"] {
            assert!(bad.parse::<Language>().is_err(), "{bad:?}");
        }
    }
}
