//! Easter and the TARGET2 closing days against python-holidays, for every year Loket accepts
//! dates in: the reference's `holidays_oracle.py` (Good Friday, Easter Sunday and Monday of the
//! Dutch calendar) and the package's own ECB/TARGET2 calendar (`XECB`). Needs `PYTHON` set to the
//! reference venv's python (`../shared/reference/setup.sh`); skipped with a note without it,
//! failed with `LOKET_REQUIRE_VALIDATORS=1`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use jiff::civil::{Date, Weekday, date};
use loket_domain::billing::sepa::is_target_day;
use loket_domain::billing::{easter_sunday, plus_days};

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

fn run(python: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(python).args(args).output().expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn easter_agrees_with_the_holidays_oracle_from_2000_to_2099() {
    let Some((python, dir)) = oracle() else { return };
    let script = dir.join("holidays_oracle.py");
    let json = run(&python, &[script.to_str().expect("path"), "2000-2099", "--country", "NL", "--lang", "en_US", "--json"]);
    let mut found = [0; 3];
    for h in json["holidays"].as_array().expect("holidays") {
        let day: Date = h["date"].as_str().expect("date").parse().expect("ISO date");
        let easter = easter_sunday(day.year());
        let (i, expected) = match h["name"].as_str().expect("name") {
            "Good Friday" => (0, plus_days(easter, -2)),
            "Easter Sunday" => (1, easter),
            "Easter Monday" => (2, plus_days(easter, 1)),
            _ => continue,
        };
        assert_eq!(day, expected, "{h}");
        found[i] += 1;
    }
    // The Netherlands keep Good Friday as a holiday for some only, but python-holidays lists it.
    assert_eq!(found, [100, 100, 100], "Good Friday, Easter Sunday, Easter Monday per year");
}

#[test]
fn target_closing_days_agree_with_python_holidays_from_2002_to_2099() {
    let Some((python, _)) = oracle() else { return };
    // 31 December 1999 and 2001 were one-off closing days (the millennium, the euro notes); the
    // rules have not changed since 2002, and SEPA direct debit began in 2009.
    let code = "import holidays, json; print(json.dumps(sorted(d.isoformat() for d in holidays.financial_holidays('XECB', years=range(2002, 2100)))))";
    let json = run(&python, &["-c", code]);
    let closed: BTreeSet<Date> =
        json.as_array().expect("dates").iter().map(|d| d.as_str().expect("date").parse().expect("ISO date")).collect();
    assert!(closed.len() > 500, "{} closing days", closed.len());
    let mut d = date(2002, 1, 1);
    while d <= date(2099, 12, 31) {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        assert_eq!(is_target_day(d), !weekend && !closed.contains(&d), "{d}");
        d = plus_days(d, 1);
    }
}
