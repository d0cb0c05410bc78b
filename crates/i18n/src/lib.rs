//! The one translation mechanism of Loket: Fluent resources for nl, it and en, compiled into the
//! binary. Pages, e-mails and documents all look their text up here, and format dates and
//! amounts for the reader's language here.

mod format;
pub mod templates;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
pub use format::{
    format_date, format_datetime, format_decimal, format_megabytes, format_money, format_month, format_per, format_per_period,
    format_period,
};
use loket_domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments would end up in e-mail subjects.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let lang = bundle.locales.first().and_then(|l| l.language.as_str().parse::<Language>().ok()).unwrap_or(Language::En);
            format::add_functions(bundle, lang);
        },
    };
}

static IDS: LazyLock<[LanguageIdentifier; 3]> =
    LazyLock::new(|| ["nl", "it", "en"].map(|code| code.parse().expect("static language identifier")));

fn id(lang: Language) -> &'static LanguageIdentifier {
    match lang {
        Language::Nl => &IDS[0],
        Language::It => &IDS[1],
        Language::En => &IDS[2],
    }
}

/// The text for `key` in `lang` (falling back to English, then to the key itself).
pub fn t(lang: Language, key: &str) -> String {
    t_shared(lang, key).to_string()
}

/// Texts kept per process, by what was asked (see [`t_shared`], [`t_args`]); one per language.
type Texts = std::sync::RwLock<HashMap<String, std::sync::Arc<str>>>;

/// The text for `key` in `lang` as [`t`] gives it, shared: a message without arguments is
/// the same every time, so it is looked up once per process (pages show a hundred of them).
/// Only messages that exist are kept, so the cache holds at most every message once.
pub fn t_shared(lang: Language, key: &str) -> std::sync::Arc<str> {
    static PLAIN: LazyLock<[Texts; 3]> = LazyLock::new(Default::default);
    let cache = &PLAIN[lang.index()];
    if let Some(text) = cache.read().ok().and_then(|c| c.get(key).cloned()) {
        return text;
    }
    match LOCALES.try_lookup(id(lang), key) {
        Some(text) => {
            let text: std::sync::Arc<str> = text.into();
            if let Ok(mut c) = cache.write() {
                c.insert(key.to_string(), text.clone());
            }
            text
        }
        None => LOCALES.lookup(id(lang), key).into(),
    }
}

/// The text for `key` with named arguments, e.g. `t_args(lang, "mail-test-body", &[("name", "ECM2")])`.
/// An argument that is a plain whole number (`3`, not `003` or `3.0`) is passed as a number, so
/// that a message can choose its plural form (`[one]`, `[1]`, `*[other]`).
pub fn t_args(lang: Language, key: &str, args: &[(&str, &str)]) -> String {
    let value = |v: &str| {
        let canonical = !v.is_empty() && v.len() < 10 && v.bytes().all(|b| b.is_ascii_digit()) && (v == "0" || !v.starts_with('0'));
        match v.parse::<i64>() {
            Ok(n) if canonical => FluentValue::from(n),
            _ => FluentValue::from(v.to_string()),
        }
    };
    // A message's text is a function of its key and arguments: pages ask the same ones again
    // and again ("3 open invoices", a date), so the texts of recent calls are kept. The table
    // is emptied when it is full, which bounds it whatever the arguments are.
    const KEPT: usize = 4096;
    static RECENT: LazyLock<[Texts; 3]> = LazyLock::new(Default::default);
    let cache = &RECENT[lang.index()];
    let mut call = String::with_capacity(key.len() + args.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>());
    call.push_str(key);
    for (k, v) in args {
        // Each part after its length: no argument's text can pass for another's. Written
        // without the formatting machinery, which cost more than the lookup it keys.
        for (len, part) in [(k.len(), k), (v.len(), v)] {
            call.push('|');
            push_number(&mut call, len);
            call.push(':');
            call.push_str(part);
        }
    }
    if let Some(text) = cache.read().ok().and_then(|c| c.get(&call).cloned()) {
        return text.to_string();
    }
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args.iter().map(|(k, v)| (Cow::Owned(k.to_string()), value(v))).collect();
    match LOCALES.try_lookup_with_args(id(lang), key, &map) {
        Some(text) => {
            if let Ok(mut c) = cache.write() {
                if c.len() >= KEPT {
                    c.clear();
                }
                c.insert(call, text.as_str().into());
            }
            text
        }
        None => LOCALES.lookup_with_args(id(lang), key, &map),
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut rest = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// Countries people choose from in forms, each with a name in every language (`country-XX`):
/// the EU, its neighbours and the United States. A card may hold any other ISO code.
pub const NAMED_COUNTRIES: [&str; 33] = [
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
    "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "US", "VA",
];

/// The name of the country with ISO code `code` in `lang`, or the code itself for a country
/// without a translated name.
pub fn country_name(lang: Language, code: &str) -> String {
    if NAMED_COUNTRIES.contains(&code) { t(lang, &format!("country-{code}")) } else { code.to_string() }
}

/// The raw Fluent sources of a language (for completeness checks): `loket.ftl`, `sepa.ftl`
/// for direct debit, `helpdesk.ftl` for the helpdesk's mail, `tickets.ftl` for its pages,
/// `monitoring.ftl` for the availability report and the monitoring mail.
pub fn resources(lang: Language) -> [&'static str; 5] {
    match lang {
        Language::Nl => [
            include_str!("../locales/nl/loket.ftl"),
            include_str!("../locales/nl/sepa.ftl"),
            include_str!("../locales/nl/helpdesk.ftl"),
            include_str!("../locales/nl/tickets.ftl"),
            include_str!("../locales/nl/monitoring.ftl"),
        ],
        Language::It => [
            include_str!("../locales/it/loket.ftl"),
            include_str!("../locales/it/sepa.ftl"),
            include_str!("../locales/it/helpdesk.ftl"),
            include_str!("../locales/it/tickets.ftl"),
            include_str!("../locales/it/monitoring.ftl"),
        ],
        Language::En => [
            include_str!("../locales/en/loket.ftl"),
            include_str!("../locales/en/sepa.ftl"),
            include_str!("../locales/en/helpdesk.ftl"),
            include_str!("../locales/en/tickets.ftl"),
            include_str!("../locales/en/monitoring.ftl"),
        ],
    }
}

/// Every message id defined in a language's resources.
pub fn keys(lang: Language) -> Vec<&'static str> {
    resources(lang)
        .into_iter()
        .flat_map(str::lines)
        .filter(|l| !l.starts_with([' ', '#', '\t']) && !l.trim().is_empty())
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0usize, 7, 10, 99, 1234, usize::MAX] {
            let mut s = String::from("x");
            push_number(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    /// The kept texts are keyed by key and arguments: arguments that differ only in where one
    /// ends and the next begins get their own texts.
    #[test]
    fn kept_texts_do_not_mix_arguments() {
        let a = t_args(Language::En, "service-days", &[("days", "30")]);
        let b = t_args(Language::En, "service-days", &[("days", "90")]);
        assert_ne!(a, b);
        assert_eq!(t_args(Language::En, "service-days", &[("days", "30")]), a);
    }

    #[test]
    fn every_language_has_every_key() {
        let en = keys(Language::En);
        assert!(en.len() > 10);
        for lang in [Language::Nl, Language::It] {
            let other = keys(lang);
            for k in &en {
                assert!(other.contains(k), "{lang} lacks `{k}`");
            }
            for k in &other {
                assert!(en.contains(k), "{lang} has `{k}` that English lacks");
            }
        }
    }

    #[test]
    fn every_file_of_a_language_is_loaded_and_no_key_is_defined_twice() {
        assert_eq!(t(Language::Nl, "dd-title"), "Automatische incasso");
        assert_eq!(t(Language::It, "sepa-reason-AM04"), "fondi insufficienti");
        for lang in Language::ALL {
            let mut all = keys(lang);
            let n = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), n, "{lang}: a key is defined twice");
        }
    }

    #[test]
    fn shared_texts_are_the_texts_and_keep_only_what_exists() {
        for lang in Language::ALL {
            for key in keys(lang).iter().take(200) {
                let fluent = LOCALES.lookup(id(lang), key);
                assert_eq!(&*t_shared(lang, key), fluent, "{key}");
                // Asked again, from the cache.
                assert_eq!(&*t_shared(lang, key), fluent, "{key}");
                assert_eq!(t(lang, key), fluent, "{key}");
            }
        }
        // A key that does not exist reads as Fluent reads it, and is not kept.
        let missing = LOCALES.lookup(id(Language::Nl), "no-such-key-at-all");
        assert_eq!(&*t_shared(Language::Nl, "no-such-key-at-all"), missing);
        assert_eq!(t(Language::Nl, "no-such-key-at-all"), missing);
    }

    /// Texts with arguments kept from earlier calls are the texts Fluent makes for exactly
    /// those arguments: the plural of another count or another argument's text never answers.
    #[test]
    fn recent_texts_with_arguments_are_those_of_their_arguments() {
        let fluent = |lang: Language, key: &str, args: &[(&str, &str)]| {
            let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
                .iter()
                .map(|(k, v)| {
                    (
                        Cow::Owned(k.to_string()),
                        v.parse::<i64>().map(FluentValue::from).unwrap_or_else(|_| FluentValue::from(v.to_string())),
                    )
                })
                .collect();
            LOCALES.lookup_with_args(id(lang), key, &map)
        };
        for lang in Language::ALL {
            for count in ["0", "1", "2", "1", "0"] {
                let text = t_args(lang, "dash-open", &[("count", count)]);
                assert_eq!(text, fluent(lang, "dash-open", &[("count", count)]), "{lang:?} {count}");
            }
            // Two calls whose arguments joined naively would read alike.
            let one = t_args(lang, "dash-title", &[("name", "a|4:name1:b")]);
            let two = t_args(lang, "dash-title", &[("name", "a")]);
            assert_ne!(one, two);
            assert_eq!(one, fluent(lang, "dash-title", &[("name", "a|4:name1:b")]));
        }
        // More distinct calls than are kept: still right, and the table stays bounded.
        for i in 0..5000 {
            let name = format!("klant {i}");
            assert_eq!(t_args(Language::Nl, "dash-title", &[("name", &name)]), fluent(Language::Nl, "dash-title", &[("name", &name)]));
        }
    }

    #[test]
    fn looks_up_with_arguments() {
        assert_eq!(t(Language::Nl, "nav-home"), "Start");
        assert_eq!(t(Language::It, "nav-home"), "Inizio");
        let s = t_args(Language::En, "mail-test-subject", &[("provider", "ECM2")]);
        assert_eq!(s, "Test message from ECM2");
        assert!(!s.contains('\u{2068}'), "no isolation marks");
    }
}
