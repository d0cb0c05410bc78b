//! `write_camt053`: what it writes passes the ISO 20022 schema (`validate_iso20022.sh`, with
//! `PYTHON` and xmllint; skipped with a note without them unless `LOKET_REQUIRE_VALIDATORS=1`) and
//! reads back to the same statement: for made-up statements, every sample, and generated ones.

mod common;

use std::process::Command;

use loket_bank::{Account, Balance, Direction, Entry, Party, Statement, examples, parse, parse_unchecked, write_camt053};
use proptest::prelude::*;

/// What survives a trip through camt.053.001.02: the statement without what that version cannot
/// hold (the format, a sequence that is not a number, `other_id` beside an IBAN).
fn comparable(s: &Statement) -> Statement {
    let mut s = s.clone();
    s.format = loket_bank::Format::Camt053 { version: "camt.053.001.02".into() };
    s.sequence = s.sequence.filter(|q| q.bytes().all(|b| b.is_ascii_digit()) && !q.is_empty());
    if s.account.iban.is_some() {
        s.account.other_id = None;
    }
    if s.from.is_none() || s.to.is_none() {
        (s.from, s.to) = (None, None);
    }
    s.skipped_unbooked = 0;
    s
}

fn round_trip(s: &Statement) -> Statement {
    let xml = write_camt053(s);
    let mut back = parse_unchecked(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(back.len(), 1);
    back.remove(0)
}

fn assert_same(original: &Statement, back: &Statement, what: &str) {
    let mut want = comparable(original);
    let mut got = back.clone();
    if want.created.is_none() {
        got.created = None;
    }
    if want.account.currency.is_none() {
        got.account.currency = None;
    }
    if want.entries.iter().all(|e| e.entry_key.is_empty()) {
        for (w, g) in want.entries.iter_mut().zip(&got.entries) {
            w.entry_key.clone_from(&g.entry_key);
        }
    }
    assert_eq!(want.entries.len(), got.entries.len(), "{what}");
    for (i, (w, g)) in want.entries.iter().zip(&got.entries).enumerate() {
        assert_eq!(w, g, "{what}: entry {i}");
    }
    want.entries.clear();
    got.entries.clear();
    assert_eq!(want, got, "{what}");
}

#[test]
fn made_up_statements_read_back_the_same() {
    for seed in 0..20 {
        let s = examples::statement(300, seed);
        let back = round_trip(&s);
        assert_same(&s, &back, &format!("seed {seed}"));
        assert!(parse(write_camt053(&s).as_bytes()).is_ok(), "seed {seed}: balanced");
        assert_eq!(round_trip(&back), back, "seed {seed}: the keys are stable");
    }
}

#[test]
fn every_sample_reads_back_the_same() {
    let Some(dir) = common::reference() else { return };
    let files =
        common::files(&dir.join("sepa/samples/camt053"), ".xml").into_iter().chain(common::files(&dir.join("sepa/samples/mt940"), ".sta"));
    let mut n = 0;
    for file in files.filter(|f| !f.ends_with("sparkassen.sta")) {
        for s in parse_unchecked(&std::fs::read(&file).expect("read")).unwrap_or_else(|e| panic!("{}: {e}", file.display())) {
            assert_same(&s, &round_trip(&s), &file.display().to_string());
            n += 1;
        }
    }
    assert!(n >= 25, "{n} statements");
}

#[test]
fn what_it_writes_passes_the_iso_20022_schema() {
    let Some(validator) = common::xml_validator() else { return };
    let Some(dir) = common::reference() else { return };
    let tmp = common::tempdir("write");
    let mut files = Vec::new();
    let mut write = |name: String, s: &Statement| {
        let path = tmp.join(format!("{name}.xml"));
        std::fs::write(&path, write_camt053(s)).expect("write");
        files.push(path);
    };
    for seed in 0..3 {
        write(format!("made-up-{seed}"), &examples::statement(500, seed));
    }
    let mut bare = examples::statement(3, 9);
    (bare.opening, bare.closing, bare.created, bare.sequence, bare.account.owner_name) = (None, None, None, None, None);
    bare.account = Account { iban: None, other_id: Some("0123456789".into()), ..bare.account };
    write("no-balances".into(), &bare);
    for file in common::files(&dir.join("sepa/samples/camt053"), ".xml") {
        for (i, s) in parse_unchecked(&std::fs::read(&file).expect("read")).expect("sample").iter().enumerate() {
            write(format!("{}-{i}", file.file_stem().expect("stem").to_string_lossy()), s);
        }
    }
    let out = Command::new("bash").arg(&validator).args(&files).output().expect("run the validator");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(files.len() >= 15, "{} files", files.len());
}

// Generated statements: any mix of the model's fields within what camt.053.001.02 can carry.

const IBANS: [&str; 4] = ["NL02ABNA0123456789", "NL20INGB0001234567", "DE89370400440532013000", "BE68539007547034"];

fn text(max: usize) -> impl Strategy<Value = String> {
    // No `r`: free text that happened to hold a valid RF reference would (rightly) gain one.
    proptest::string::string_regex(&format!("[a-qs-zA-QS-Z0-9&<>\"'/.,:;()+-][ a-qs-zA-QS-Z0-9&<>\"'/.,:;()+-é€ü]{{0,{}}}", max - 1))
        .expect("regex")
        .prop_map(|s| s.trim().to_string())
        .prop_filter("not empty", |s| !s.is_empty())
}

fn reference() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9/&-]{1,35}")
        .expect("regex")
        .prop_filter("a reference", |s| !s.eq_ignore_ascii_case("NOTPROVIDED"))
}

prop_compose! {
    fn entry(currency: &'static str)(
        amount in 0i64..1_000_000_000,
        credit in any::<bool>(),
        day in 0i64..3000,
        value in proptest::option::of(0i64..5),
        bank_reference in proptest::option::of(reference()),
        end_to_end_id in proptest::option::of(reference()),
        structured_reference in proptest::option::of(prop_oneof![Just("RF18539007547034".to_string()), reference()]),
        lines in proptest::collection::vec(text(140), 0..4),
        name in proptest::option::of(text(70)),
        iban in proptest::option::of(proptest::sample::select(&IBANS[..])),
        bic in proptest::option::of(proptest::sample::select(&["INGBNL2A", "ABNANL2AXXX", "DEUTDEFF"][..])),
        reversal in any::<bool>(),
        return_reason in proptest::option::of(proptest::sample::select(&["AC04", "MD06", "AM04", "914", "NARR-LONGER"][..])),
        bank_code in proptest::option::of(proptest::sample::select(&["PMNT-RCDT-ESCT", "NTRF", "544"][..])),
    ) -> Entry {
        let booking = jiff::civil::date(2020, 1, 1).checked_add(jiff::Span::new().days(day)).expect("date");
        Entry {
            amount,
            direction: if credit { Direction::Credit } else { Direction::Debit },
            currency: currency.to_string(),
            booking_date: booking,
            value_date: value.map(|v| booking.checked_add(jiff::Span::new().days(v)).expect("date")),
            bank_reference,
            end_to_end_id,
            structured_reference,
            remittance: lines.join("\n"),
            counterparty: Party { name, iban: iban.map(str::to_string), bic: bic.map(str::to_string) },
            reversal,
            return_reason: return_reason.map(str::to_string),
            bank_code: bank_code.map(str::to_string),
            entry_key: String::new(),
        }
    }
}

fn generated() -> impl Strategy<Value = Statement> {
    proptest::sample::select(&["EUR", "JPY", "KWD", "CHF"][..]).prop_flat_map(|currency| {
        (
            proptest::collection::vec(entry(currency), 0..12),
            -1_000_000_000i64..1_000_000_000,
            reference(),
            any::<bool>(),
            proptest::option::of(text(60)),
        )
            .prop_map(move |(entries, opening, id, with_iban, owner)| {
                let date = jiff::civil::date(2019, 12, 31);
                let closing = opening + entries.iter().map(Entry::signed_amount).sum::<i64>();
                Statement {
                    format: loket_bank::Format::Camt053 { version: "camt.053.001.02".into() },
                    id,
                    sequence: Some("7".into()),
                    account: Account {
                        iban: with_iban.then(|| "NL91ABNA0417164300".to_string()),
                        other_id: (!with_iban).then(|| "1291.99.348".to_string()),
                        currency: Some(currency.to_string()),
                        owner_name: owner,
                    },
                    created: Some(jiff::Timestamp::from_second(1_700_000_000).expect("time")),
                    from: Some(date),
                    to: Some(date),
                    opening: Some(Balance { date, amount: opening, currency: currency.to_string() }),
                    closing: Some(Balance { date, amount: closing, currency: currency.to_string() }),
                    entries,
                    skipped_unbooked: 0,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_statements_read_back_the_same(s in generated()) {
        let xml = write_camt053(&s);
        let back = parse(xml.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        prop_assert_eq!(back.len(), 1);
        assert_same(&s, &back[0], "generated");
        prop_assert_eq!(&round_trip(&back[0]), &back[0]);
    }
}
