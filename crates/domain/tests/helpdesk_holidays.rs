//! The office calendar's public holidays of the Netherlands and Italy against python-holidays,
//! day by day and name by name, for every year Loket computes them for (2000–2099): the
//! reference's `holidays_oracle.py`. Needs `PYTHON` set to the reference venv's python
//! (`../shared/reference/setup.sh`); skipped with a note without it, failed with
//! `LOKET_REQUIRE_VALIDATORS=1`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use jiff::civil::{Date, date};
use loket_domain::Country;
use loket_domain::helpdesk::calendar::{HOLIDAY_COUNTRIES, public_holidays};

fn oracle() -> Option<(String, PathBuf)> {
    let required = std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_some();
    let dir = std::env::var_os("LOKET_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    let python = std::env::var("PYTHON").ok().filter(|p| Command::new(p).arg("--version").output().is_ok());
    match python {
        Some(p) if dir.is_dir() => Some((p, dir)),
        _ => {
            assert!(!required, "the holidays oracle is required: set PYTHON to the reference venv's python ({} must exist)", dir.display());
            eprintln!("skipped: set PYTHON to the reference venv's python (../shared/reference/setup.sh) to compare with python-holidays");
            None
        }
    }
}

/// python-holidays' English name of each holiday (`--lang en_US`) and Loket's key for it.
const NAMES: [(&str, &str, &str); 27] = [
    ("NL", "New Year's Day", "new_years_day"),
    ("NL", "Good Friday", "good_friday"),
    ("NL", "Easter Sunday", "easter_sunday"),
    ("NL", "Easter Monday", "easter_monday"),
    ("NL", "Queen's Day", "queens_day"),
    ("NL", "King's Day", "kings_day"),
    ("NL", "Liberation Day", "liberation_day"),
    ("NL", "Ascension Day", "ascension_day"),
    ("NL", "Pentecost", "whit_sunday"),
    ("NL", "Pentecost Monday", "whit_monday"),
    ("NL", "Christmas Day", "christmas_day"),
    ("NL", "Second Day of Christmas", "second_christmas_day"),
    ("IT", "New Year's Day", "new_years_day"),
    ("IT", "Epiphany", "epiphany"),
    ("IT", "Anniversary of the Unification of Italy", "unification_anniversary"),
    ("IT", "Easter Sunday", "easter_sunday"),
    ("IT", "Easter Monday", "easter_monday"),
    ("IT", "Liberation Day", "liberation_day"),
    ("IT", "Labor Day", "labour_day"),
    ("IT", "Republic Day", "republic_day"),
    ("IT", "Assumption Of Mary Day", "assumption_day"),
    ("IT", "Saint Francis of Assisi, Patron Saint of Italy", "san_francesco"),
    ("IT", "All Saints' Day", "all_saints_day"),
    ("IT", "National Unity Day", "national_unity_day"),
    ("IT", "Immaculate Conception", "immaculate_conception"),
    ("IT", "Christmas Day", "christmas_day"),
    ("IT", "Saint Stephen's Day", "st_stephens_day"),
];

#[test]
fn public_holidays_agree_with_the_holidays_oracle_from_2000_to_2099() {
    let Some((python, dir)) = oracle() else { return };
    let script = dir.join("holidays_oracle.py");
    let out = Command::new(&python)
        .args([script.to_str().expect("path"), "2000-2099", "--country", "NL", "--country", "IT", "--lang", "en_US", "--json"])
        .output()
        .expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut expected = BTreeSet::new();
    for h in json["holidays"].as_array().expect("holidays") {
        let country = h["country"].as_str().expect("country");
        let day: Date = h["date"].as_str().expect("date").parse().expect("ISO date");
        // Two holidays on one day come as one entry, their names joined with "; ".
        for name in h["name"].as_str().expect("name").split("; ") {
            let key = NAMES.iter().find(|(c, n, _)| *c == country && *n == name).map(|(_, _, k)| *k);
            let key = key.unwrap_or_else(|| panic!("python-holidays has a holiday Loket does not know: {country} {day} {name}"));
            expected.insert((country.to_string(), day, key));
        }
    }
    let mut ours = BTreeSet::new();
    for country in HOLIDAY_COUNTRIES {
        for year in 2000..=2099 {
            for h in public_holidays(country, year) {
                assert_eq!(h.date.year(), year, "{country} {h:?}");
                ours.insert((country.to_string(), h.date, h.key));
            }
        }
    }
    let missing: Vec<_> = expected.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing in Loket: {missing:?}\nnot in python-holidays: {extra:?}");
    assert!(expected.len() > 2000, "{} holidays from python-holidays", expected.len());
}

/// The days whose rules have exceptions, as python-holidays has them; also without Python.
#[test]
fn the_days_with_exceptions() {
    let has = |country: Country, d: Date, key: &str| public_holidays(country, d.year()).iter().any(|h| h.date == d && h.key == key);
    // King's Day moves to Saturday when 27 April is a Sunday; Queen's Day (until 2013) did too.
    assert!(has(Country::NL, date(2025, 4, 26), "kings_day") && has(Country::NL, date(2026, 4, 27), "kings_day"));
    assert!(has(Country::NL, date(2006, 4, 29), "queens_day") && has(Country::NL, date(2013, 4, 30), "queens_day"));
    assert!(!public_holidays(Country::NL, 2013).iter().any(|h| h.key == "kings_day"));
    // Liberation Day: every five years in the Netherlands, every year in Italy.
    assert!(has(Country::NL, date(2025, 5, 5), "liberation_day") && has(Country::NL, date(2030, 5, 5), "liberation_day"));
    assert!(!public_holidays(Country::NL, 2026).iter().any(|h| h.key == "liberation_day"));
    assert!(has(Country::IT, date(2026, 4, 25), "liberation_day"));
    // San Francesco from 2026.
    assert!(has(Country::IT, date(2026, 10, 4), "san_francesco") && !has(Country::IT, date(2025, 10, 4), "san_francesco"));
    assert!(public_holidays("DE".parse().expect("country"), 2026).is_empty());
}
