use super::*;

fn input(kind: &str, target: &str) -> SpecInput {
    SpecInput { kind: kind.into(), target: target.into(), ..SpecInput::default() }
}

#[test]
fn targets_are_read_per_kind() {
    for (kind, target) in [
        ("http", "https://www.example.nl/health?x=1"),
        ("http", "http://127.0.0.1:8080/"),
        ("tcp", "db.example.nl:5432"),
        ("tcp", "[::1]:22"),
        ("tls", "www.example.nl"),
        ("tls", "www.example.nl:8443"),
        ("dns", "example.nl A"),
        ("dns", "example.nl mx @127.0.0.1:5353"),
        ("smtp", "smtp://mail.example.nl:587"),
        ("smtp", "mail.example.nl"),
        ("imap", "imaps://mail.example.nl"),
    ] {
        let spec = input(kind, target).check("", "m-1").unwrap_or_else(|e| panic!("{kind} {target}: {e:?}"));
        assert_eq!(spec.interval_secs, 60);
        assert_eq!(spec.timeout_secs, 10);
    }
    for (kind, target) in [
        ("http", "ftp://x"),
        ("http", "https://"),
        ("tcp", "db.example.nl"),
        ("tcp", "db:99999"),
        ("dns", "example.nl"),
        ("dns", "example.nl SOA"),
        ("dns", "exa mple.nl A"),
        ("smtp", "imap://x"),
        ("imap", "x:0"),
        ("ping", "x"),
    ] {
        assert!(input(kind, target).check("", "m").is_err(), "{kind} {target}");
    }
}

#[test]
fn bad_fields_are_named() {
    let bad = SpecInput {
        kind: "http".into(),
        target: "https://x.nl".into(),
        interval: Some("5 seconds".into()),
        timeout: Some("2 minutes".into()),
        ..SpecInput::default()
    };
    let errors = bad.check("monitors.web", "web").unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["monitors.web.interval", "monitors.web.timeout"]);
    let errors = input("http", "https://x.nl").check("", "bad code!").unwrap_err();
    assert_eq!(errors[0].field, "code");
    let mut k = input("tcp", "x:1");
    k.keyword = Some("hello".into());
    assert_eq!(k.check("", "t").unwrap_err()[0].field, "keyword");
}

#[test]
fn slots_are_spread_and_strictly_later() {
    let mut phases: Vec<i64> = (0..1000).map(|i| phase_ms(&format!("mon-{i}"), 60)).collect();
    phases.sort();
    // Spread: no second of the minute holds more than 3 % of them.
    let mut per_second = [0; 60];
    for p in &phases {
        per_second[(*p / 1000) as usize] += 1;
    }
    assert!(per_second.iter().all(|n| *n < 30), "{per_second:?}");
    for after in [0, 59_999, 60_000, 1_700_000_000_123] {
        let next = next_slot_ms("web", 60, after);
        assert!(next > after && next - after <= 60_000);
        assert_eq!((next - phase_ms("web", 60)).rem_euclid(60_000), 0);
    }
}
