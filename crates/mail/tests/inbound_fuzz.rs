//! The inbound parser on hostile input: arbitrary bytes, and real and synthetic messages with
//! flipped bytes, cut short, with header fields repeated, boundaries and line ends mangled. It
//! must never panic, and refuse only what has no headers (or is empty). The text helpers must
//! never panic either, and sanitised file names must keep their promises.

use std::path::PathBuf;

use loket_mail::inbound::{
    self, InboundError, html_to_text, reply_text, sanitize_filename, subject_without_prefixes,
    synthetic::{self, Synthetic},
};
use proptest::prelude::*;

/// The number of cases: small enough for a debug test run of a few seconds;
/// `INBOUND_FUZZ_CASES=100000` searches deeper.
fn cases(default: u32) -> u32 {
    std::env::var("INBOUND_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Seeds to mutate: synthetic messages of every kind, and the reference corpus when it is there.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = (0..8).map(synthetic::mixed).collect();
    seeds.push(synthetic::message(3, Synthetic::WithAttachment));
    seeds.push(synthetic::message(5, Synthetic::Bounce { original_message_id: "o@x", recipient: "r@x.nl" }));
    let dir = std::env::var_os("LOKET_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"))
        .join("email/corpus");
    if let Ok(folders) = std::fs::read_dir(&dir) {
        for folder in folders.flatten() {
            for file in std::fs::read_dir(folder.path()).into_iter().flatten().flatten() {
                if file.path().extension().is_some_and(|e| e == "eml")
                    && let Ok(raw) = std::fs::read(file.path())
                {
                    seeds.push(raw);
                }
            }
        }
    }
    seeds
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, xor: u8 },
    Truncate { at: usize },
    DuplicateHeader { line: usize, times: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    StripCarriageReturns,
    BreakBoundaries { keep: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        Just(b"\r\n\r\n".to_vec()),
        Just(b"\n--".to_vec()),
        Just(b"=?utf-8?B?".to_vec()),
        Just(b"=\r\n".to_vec()),
        Just(b"\r\nContent-Type: message/rfc822\r\n\r\n".to_vec()),
        Just(b"\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n".to_vec()),
        Just(b"\r\nContent-Transfer-Encoding: base64\r\n".to_vec()),
        Just(b"<blockquote><script>".to_vec()),
        Just(b"&#x110000;&#".to_vec()),
        Just(vec![0, 0xFF, 0xFE, 0x80]),
        proptest::collection::vec(any::<u8>(), 1..32),
    ];
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(at, xor)| Mutation::Flip { at, xor }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..50).prop_map(|(line, times)| Mutation::DuplicateHeader { line, times }),
        (any::<usize>(), interesting).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        Just(Mutation::StripCarriageReturns),
        any::<usize>().prop_map(|keep| Mutation::BreakBoundaries { keep }),
    ]
}

fn apply(raw: &mut Vec<u8>, m: &Mutation) {
    let len = raw.len().max(1);
    match m {
        Mutation::Flip { at, xor } => {
            if let Some(b) = raw.get_mut(at % len) {
                *b ^= xor;
            }
        }
        Mutation::Truncate { at } => raw.truncate(at % len),
        Mutation::DuplicateHeader { line, times } => {
            let header_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
            let starts: Vec<usize> =
                std::iter::once(0).chain(raw[..header_end].iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
            let start = starts[line % starts.len()].min(raw.len());
            let end = raw[start..].iter().position(|b| *b == b'\n').map_or(raw.len(), |n| start + n + 1);
            let field = raw[start..end].to_vec();
            for _ in 0..*times {
                raw.splice(start..start, field.iter().copied());
            }
        }
        Mutation::Insert { at, bytes } => {
            let at = at % (raw.len() + 1);
            raw.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete { at, len: n } => {
            let at = at % len;
            let end = (at + n).min(raw.len());
            if at < end {
                raw.drain(at..end);
            }
        }
        Mutation::StripCarriageReturns => raw.retain(|b| *b != b'\r'),
        Mutation::BreakBoundaries { keep } => {
            // Cut every MIME boundary line after `keep % 4` characters of its name.
            let text = String::from_utf8_lossy(raw).into_owned();
            let cut = keep % 4;
            let broken: Vec<String> = text
                .split('\n')
                .map(|l| if l.starts_with("--") { l.get(..2 + cut).unwrap_or(l).to_string() } else { l.to_string() })
                .collect();
            *raw = broken.join("\n").into_bytes();
        }
    }
}

fn check(raw: &[u8]) -> Result<(), TestCaseError> {
    match inbound::parse(raw) {
        Ok(m) => {
            prop_assert!(!m.message_id.is_empty());
            prop_assert!(m.message_id.len() <= inbound::MAX_ID_BYTES);
            prop_assert!(m.references.len() <= inbound::MAX_REFERENCES);
            for a in &m.attachments {
                prop_assert!(!a.filename.is_empty() && !a.filename.contains(['/', '\\', '\0']), "{:?}", a.filename);
            }
        }
        Err(InboundError::Empty | InboundError::NoHeaders) => {}
        Err(e) => prop_assert!(false, "refused with {e:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&raw)?;
    }

    #[test]
    fn header_like_noise_never_panics(lines in proptest::collection::vec("[A-Za-z-]{0,12}:[ -~\t]{0,60}(\r?\n[ \t][ -~]{0,20})?", 0..20), body in "[ -~\r\n]{0,400}") {
        let raw = format!("{}\r\n\r\n{body}", lines.join("\r\n"));
        check(raw.as_bytes())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(3000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_messages_never_panic(seed in any::<prop::sample::Index>(), mutations in proptest::collection::vec(mutation(), 1..6)) {
        thread_local!(static SEEDS: Vec<Vec<u8>> = seeds());
        let mut raw = SEEDS.with(|s| s[seed.index(s.len())].clone());
        for m in &mutations {
            apply(&mut raw, m);
        }
        check(&raw)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn text_helpers_never_panic(text in "(<[/!?a-z]{0,10}[^>]{0,20}>?|&#?[xX]?[0-9a-zA-Z]{0,9};?|[^<&]{0,20}|\n> |\n-- \n|\nOn x wrote:\n)*") {
        let plain = html_to_text(&text);
        prop_assert!(!plain.contains("<script"));
        let _ = reply_text(&text);
        let _ = reply_text(&plain);
        let _ = subject_without_prefixes(&text);
    }

    #[test]
    fn sanitised_names_keep_their_promises(name in "\\PC{0,300}|[./\\\\\0\u{202E} a-zA-Z]{0,40}") {
        let clean = sanitize_filename(&name);
        prop_assert!(!clean.is_empty());
        prop_assert!(clean.len() <= 150, "{} bytes", clean.len());
        prop_assert!(!clean.contains(['/', '\\', '<', '>', ':', '"', '|', '?', '*']), "{clean:?}");
        prop_assert!(!clean.chars().any(char::is_control), "{clean:?}");
        prop_assert!(!clean.starts_with('.') && !clean.ends_with('.') && clean != "..", "{clean:?}");
        prop_assert_eq!(sanitize_filename(&clean), clean.clone(), "sanitising is idempotent");
    }
}
