use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn input() -> MandateInput {
    MandateInput {
        mandate_reference: "LOKET-000042".into(),
        debtor_name: "Bakkerij De Vries B.V.".into(),
        iban: "nl91 abna 0417 1643 00".into(),
        bic: Some("abnanl2a".into()),
        signed_on: Some(date(2026, 3, 2)),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_valid_mandate_is_normalised() {
    let m = input().validate(date(2026, 3, 2)).unwrap();
    assert_eq!(m.iban, "NL91ABNA0417164300");
    assert_eq!(m.bic.as_deref(), Some("ABNANL2A"));
    assert_eq!(m.signed_on, date(2026, 3, 2), "signed today is fine");
    let without_bic = MandateInput { bic: Some("  ".into()), ..input() }.validate(date(2026, 3, 2)).unwrap();
    assert_eq!(without_bic.bic, None, "IBAN-only: the BIC is optional");
}

#[test]
fn every_bad_field_is_named_at_once() {
    let bad = MandateInput {
        mandate_reference: "A&B".into(),
        debtor_name: "x".repeat(71),
        iban: "NL91ABNA0417164301".into(),
        bic: Some("ABNA".into()),
        signed_on: Some(date(2026, 3, 3)),
    };
    let errors = bad.validate(date(2026, 3, 2)).unwrap_err();
    assert_eq!(fields(&errors), ["mandate_reference", "debtor_name", "iban", "bic", "signed_on"], "{errors:?}");
    assert!(errors[4].message.contains("in the future"), "{}", errors[4].message);
    let empty = MandateInput::default().validate(date(2026, 3, 2)).unwrap_err();
    assert_eq!(fields(&empty), ["mandate_reference", "debtor_name", "iban", "signed_on"], "{empty:?}");
    let ancient = MandateInput { signed_on: Some(date(1999, 12, 31)), ..input() }.validate(date(2026, 3, 2)).unwrap_err();
    assert_eq!(fields(&ancient), ["signed_on"]);
}

#[test]
fn mandate_references_follow_the_epc_rules() {
    for ok in ["A", "LOKET-000042", "abc/def", "MNDT 2026 (1) +x:y?z.,'", &"9".repeat(35)] {
        assert_eq!(mandate_reference(&format!(" {ok} ")).as_deref(), Ok(ok), "{ok}");
    }
    for bad in ["", "   ", "/abc", "abc/", "a//b", "Müller", "a&b", "a_b", "a\tb", &"9".repeat(36)] {
        assert!(mandate_reference(bad).is_err(), "{bad:?}");
    }
    assert!(mandate_reference(&"x".repeat(10_000)).unwrap_err().len() < 100, "no echo of long input");
}

#[test]
fn the_first_collection_is_frst_and_later_ones_rcur() {
    assert_eq!(sequence_for(false), SequenceType::First);
    assert_eq!(sequence_for(true), SequenceType::Recurring);
    for s in [SequenceType::First, SequenceType::Recurring, SequenceType::Final, SequenceType::OneOff] {
        assert_eq!(SequenceType::parse(s.code()), Some(s));
    }
    assert_eq!(
        [SequenceType::First, SequenceType::Recurring, SequenceType::Final, SequenceType::OneOff].map(SequenceType::code),
        ["FRST", "RCUR", "FNAL", "OOFF"]
    );
    assert_eq!(SequenceType::parse("RPRE"), None);
}

#[test]
fn an_account_at_another_bank_starts_over_with_smnda() {
    // ABN AMRO → ING.
    let moved = Amendment { original_iban: Some("NL91 ABNA 0417 1643 00".into()), ..Amendment::default() };
    let c = after_amendment(&moved, "M-1", "NL20INGB0001234567", true);
    assert_eq!(
        c,
        AmendedCollection {
            sequence: SequenceType::First,
            amended: true,
            original_mandate_reference: None,
            original_account: Some(OriginalAccount::NewAccount)
        }
    );
    // Across borders, and to an IBAN that cannot be read: the same.
    assert_eq!(after_amendment(&moved, "M-1", "DE89370400440532013000", true).original_account, Some(OriginalAccount::NewAccount));
    assert_eq!(after_amendment(&moved, "M-1", "XX00", true).sequence, SequenceType::First);
}

#[test]
fn an_account_at_the_same_bank_stays_recurrent_with_the_old_iban() {
    // Two ABN AMRO accounts (bank code ABNA).
    let moved = Amendment { original_iban: Some("NL02ABNA0123456789".into()), original_mandate_reference: Some("OLD-7".into()) };
    let c = after_amendment(&moved, "M-1", "nl91abna0417164300", true);
    assert_eq!(
        c,
        AmendedCollection {
            sequence: SequenceType::Recurring,
            amended: true,
            original_mandate_reference: Some("OLD-7".into()),
            original_account: Some(OriginalAccount::Iban("NL02ABNA0123456789".into()))
        }
    );
    // Italy: the bank code is the ABI (05428 here, 03069 another bank).
    let it = Amendment { original_iban: Some("IT60X0542811101000000123456".into()), ..Amendment::default() };
    assert_eq!(after_amendment(&it, "M-1", "IT07X0542811101000000654321", true).sequence, SequenceType::Recurring);
    assert_eq!(after_amendment(&it, "M-1", "IT43X0306909606100000063497", true).sequence, SequenceType::First);
}

#[test]
fn what_did_not_change_is_not_an_amendment() {
    let same = Amendment { original_iban: Some("NL91 ABNA 0417 1643 00".into()), original_mandate_reference: Some(" M-1 ".into()) };
    let c = after_amendment(&same, "M-1", "NL91ABNA0417164300", true);
    assert_eq!(
        c,
        AmendedCollection { sequence: SequenceType::Recurring, amended: false, original_mandate_reference: None, original_account: None }
    );
    let renamed = Amendment { original_mandate_reference: Some("OLD-7".into()), ..Amendment::default() };
    let c = after_amendment(&renamed, "M-1", "NL91ABNA0417164300", true);
    assert_eq!((c.sequence, c.amended, c.original_mandate_reference.as_deref()), (SequenceType::Recurring, true, Some("OLD-7")));
    // Never collected: nothing for the debtor's bank to link to.
    let moved = Amendment { original_iban: Some("NL20INGB0001234567".into()), original_mandate_reference: Some("OLD-7".into()) };
    let c = after_amendment(&moved, "M-1", "NL91ABNA0417164300", false);
    assert_eq!(
        c,
        AmendedCollection { sequence: SequenceType::First, amended: false, original_mandate_reference: None, original_account: None }
    );
}

#[test]
fn creditor_identifiers_of_real_creditors() {
    // Each computed by hand (MOD 97-10 over national id + country + "00") before relying on it:
    // the Bundesbank's example, a Dutch one (KvK 12345678 + 0001), the Italian example of the
    // Italian banks' guide, and French, Spanish, Austrian and Belgian ones.
    for ok in [
        "DE98ZZZ09999999999",
        "NL42ZZZ123456780001",
        "IT66ZZZA1B2C3D4E5F6G7H8",
        "FR72ZZZ123456",
        "ES59ZZZX1234567L",
        "AT61ZZZ01234567890",
        "BE69ZZZ050D000000008",
    ] {
        assert_eq!(check_creditor_id(ok).as_deref(), Ok(ok), "{ok}");
    }
    // The business code is not part of the check.
    assert_eq!(check_creditor_id("de98 abc 09999999999").as_deref(), Ok("DE98ABC09999999999"));
    // BG40ZZZ507778 is in a SEPA library's test data; its check digits would be 22.
    for bad in [
        "BG40ZZZ507778",
        "NL97ZZZ123456780000",
        "DE99ZZZ09999999999",
        "DE98ZZZ0999999999X",
        "",
        "DE98ZZZ",
        "9898ZZZ0999",
        "DE98ZZZ09999-99999",
    ] {
        assert!(check_creditor_id(bad).is_err(), "{bad}");
    }
    assert_eq!(creditor_id_check_digits("BG", "507778").as_deref(), Some("22"));
    assert_eq!(creditor_id_check_digits("NL", "12345678000é"), None);
}

#[test]
fn a_mandate_expires_after_36_months_without_a_collection() {
    let last = date(2023, 5, 15);
    assert!(!mandate_expired(last, date(2026, 5, 14)));
    assert!(mandate_expired(last, date(2026, 5, 15)));
    assert!(!mandate_expired(date(2024, 2, 29), date(2027, 2, 27)));
    assert!(mandate_expired(date(2024, 2, 29), date(2027, 2, 28)), "29 February + 36 months is 28 February");
    let _ = mandate_expired(Date::MAX, Date::MIN); // no panic at the ends of the calendar
}

#[test]
fn target_closing_days() {
    for closed in [
        date(2026, 1, 1),
        date(2026, 4, 3), // Good Friday
        date(2026, 4, 6), // Easter Monday
        date(2026, 5, 1), // a Friday
        date(2026, 12, 25),
        date(2026, 12, 26), // a Saturday anyway
        date(2027, 3, 26),  // Good Friday
        date(2027, 3, 29),  // Easter Monday
        date(2026, 3, 7),   // Saturday
        date(2026, 3, 8),   // Sunday
    ] {
        assert!(!is_target_day(closed), "{closed}");
    }
    // Open although national holidays elsewhere: Ascension, King's Day, Whit Monday, 24 and 31
    // December, Italy's 2 June and 15 August.
    for open in [
        date(2026, 5, 14),
        date(2026, 4, 27),
        date(2026, 5, 25),
        date(2026, 12, 24),
        date(2026, 12, 31),
        date(2026, 6, 2),
        date(2025, 8, 15),
    ] {
        assert!(is_target_day(open), "{open}");
    }
}

#[test]
fn the_earliest_collection_date_counts_target_days() {
    // Thursday 2 April 2026, before Easter: Friday and Monday are closed.
    assert_eq!(earliest_collection_date(date(2026, 4, 2), 1), date(2026, 4, 7));
    assert_eq!(earliest_collection_date(date(2026, 4, 2), 2), date(2026, 4, 8));
    // Over a weekend.
    assert_eq!(earliest_collection_date(date(2026, 3, 6), 1), date(2026, 3, 9));
    assert_eq!(earliest_collection_date(date(2026, 3, 6), 5), date(2026, 3, 13));
    // Handed in on a Sunday.
    assert_eq!(earliest_collection_date(date(2026, 3, 8), 1), date(2026, 3, 9));
    // Christmas and New Year: 24 Dec 2026 is a Thursday.
    assert_eq!(earliest_collection_date(date(2026, 12, 24), 1), date(2026, 12, 28));
    assert_eq!(earliest_collection_date(date(2026, 12, 31), 1), date(2027, 1, 4));
    // Less than the scheme's D-1 is D-1.
    assert_eq!(earliest_collection_date(date(2026, 3, 9), 0), date(2026, 3, 10));
    assert_eq!(earliest_collection_date(Date::MAX, 3), Date::MAX, "no endless loop at the end of the calendar");
}

#[test]
fn a_requested_collection_date_is_checked() {
    assert_eq!(collection_date_ok(date(2026, 4, 2), date(2026, 4, 7), 1), Ok(()));
    let early = collection_date_ok(date(2026, 4, 2), date(2026, 4, 7), 2).unwrap_err();
    assert!(early.contains("2026-04-08 at the earliest"), "{early}");
    let holiday = collection_date_ok(date(2026, 3, 2), date(2026, 4, 6), 2).unwrap_err();
    assert!(holiday.contains("the next one is 2026-04-07"), "{holiday}");
    assert!(collection_date_ok(date(2026, 3, 2), date(2026, 3, 14), 2).is_err(), "a Saturday");
    assert_eq!(collection_date_ok(date(2026, 3, 2), date(2026, 6, 1), 5), Ok(()), "later is fine");
}

#[test]
fn the_debtor_is_told_days_before() {
    assert_eq!(pre_notification_due(date(2026, 4, 7), DEFAULT_PRE_NOTIFICATION_DAYS), date(2026, 3, 24));
    assert_eq!(pre_notification_due(date(2026, 3, 2), 2), date(2026, 2, 28));
    assert_eq!(pre_notification_due(date(2026, 3, 2), 0), date(2026, 3, 2));
    assert_eq!(pre_notification_due(Date::MIN, 14), Date::MIN);
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i32..36_500).prop_map(|n| plus_days(date(2000, 1, 1), i64::from(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_earliest_date_is_exactly_lead_target_days_later(submitted in any_date(), lead in 0u8..30) {
        let earliest = earliest_collection_date(submitted, lead);
        prop_assert!(earliest > submitted);
        prop_assert!(is_target_day(earliest));
        let mut counted = 0u8;
        let mut d = plus_days(submitted, 1);
        while d <= earliest {
            counted += u8::from(is_target_day(d));
            d = plus_days(d, 1);
        }
        prop_assert_eq!(counted, lead.max(1));
        prop_assert_eq!(collection_date_ok(submitted, earliest, lead), Ok(()));
        prop_assert!(collection_date_ok(submitted, plus_days(earliest, -1), lead).is_err());
    }

    #[test]
    fn easter_is_a_sunday_in_spring_and_brackets_two_closing_days(year in 1583i16..=9999) {
        let e = easter_sunday(year);
        prop_assert_eq!(e.weekday(), Weekday::Sunday);
        prop_assert!(e >= date(year, 3, 22) && e <= date(year, 4, 25));
        prop_assert!(!is_target_day(plus_days(e, -2)) && !is_target_day(plus_days(e, 1)));
        // The Thursday before and the Tuesday after fall between 19 March and 27 April: open.
        prop_assert!(is_target_day(plus_days(e, -3)) && is_target_day(plus_days(e, 2)));
    }

    #[test]
    fn a_creditor_id_with_its_own_check_digits_passes_and_one_changed_character_fails(
        country in "[A-Z]{2}", business in "[A-Z0-9]{3}", national in "[A-Z0-9]{1,28}", at in 0usize..28, to in "[A-Z0-9]",
    ) {
        let digits = creditor_id_check_digits(&country, &national).unwrap();
        let id = format!("{country}{digits}{business}{national}");
        prop_assert_eq!(check_creditor_id(&id), Ok(id.clone()));
        let at = at % national.len();
        let mut changed: Vec<char> = national.chars().collect();
        // MOD 97-10 catches every change of one character into another of the same kind (a digit
        // for a digit, a letter for a letter).
        if changed[at] != to.chars().next().unwrap() && changed[at].is_ascii_digit() == to.chars().all(|c| c.is_ascii_digit()) {
            changed[at] = to.chars().next().unwrap();
            let changed: String = changed.into_iter().collect();
            let wrong = format!("{country}{digits}{business}{changed}");
            prop_assert!(check_creditor_id(&wrong).is_err(), "{}", wrong);
        }
    }

    #[test]
    fn any_text_is_judged_without_panicking(s in "\\PC{0,50}") {
        if let Ok(r) = mandate_reference(&s) {
            prop_assert!(r.chars().all(is_sepa_char) && !r.contains("//") && (1..=35).contains(&r.chars().count()));
        }
        let _ = check_creditor_id(&s);
        let _ = MandateInput { mandate_reference: s.clone(), debtor_name: s.clone(), iban: s.clone(), bic: Some(s), signed_on: None }.validate(date(2026, 1, 1));
    }
}
