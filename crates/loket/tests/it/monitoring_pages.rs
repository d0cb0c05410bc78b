//! Monitoring's pages and API through the real server (issue 14). Monitors are made through the
//! API (`put_monitor`); their states and roll-ups are written through the store as the checker
//! would, never by the checker itself. The public status page says only what is true; a card's
//! users see their card's monitors and report (99,99 % in Dutch), its PDF, never another
//! card's; a bad month is named; staff list, read and change monitors (a bad interval named
//! beside its field, a good change audited); tokens need the monitoring scopes; `/metrics`
//! gives each monitor's state.

use crate::support;

use jiff::ToSpan;
use jiff::civil::date;
use loket_domain::monitoring::rollup::Tally;
use loket_domain::monitoring::state::{Health, MonitorState};
use loket_store::Store;
use loket_store::monitoring::results::{self, NewState, Rollups};
use serde_json::json;
use support::{Client, TestEnv, call, token};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";
const DAY_MS: i64 = 86_400_000;

/// Sets monitor `id`'s state as a batch of checks would.
async fn set_health(store: &Store, id: i64, health: Health, at_ms: i64) {
    let failed = matches!(health, Health::Down | Health::Suspect).then_some(at_ms - 60_000);
    let state = NewState {
        monitor_id: id,
        state: MonitorState { health, last_at: Some(at_ms), failed_since: failed },
        latency_ms: 120,
        detail: Some(if health == Health::Up { "HTTP 200".into() } else { "HTTP 503".into() }),
        cert_not_after: Some(1_900_000_000),
        incident_id: None,
        retry_at_ms: None,
    };
    let mut conn = store.acquire().await.unwrap();
    results::write(&mut conn, &[], &Rollups::default(), &[state]).await.unwrap();
}

/// Makes monitor `code` through the API as staff; returns its id.
async fn put(server: &support::Server, staff: &str, code: &str, body: serde_json::Value) -> i64 {
    let (status, monitor) = call(reqwest::Method::PUT, server.url(&format!("/api/v1/monitors/{code}")), staff.into(), Some(body)).await;
    assert_eq!(status, 200, "{monitor}");
    monitor["id"].as_i64().unwrap()
}

/// A form's fields as the client posts them.
fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_page_claims_only_what_is_true() {
    let env = TestEnv::new().await;
    env.ok(&["staff", "add", "--email", "ops@example.test", "--role", "support"]);
    let server = env.serve(&[], &[]);
    let store = env.store().await;
    let staff = token(&env, "ops@example.test", "monitoring:read,monitoring:write");
    let mut visitor = Client::new(&server);

    let page = visitor.get("/status").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Not measured yet") && page.body.contains("There are no public services"), "{}", page.body);

    let web =
        put(&server, &staff, "web-1", json!({ "name": "Website", "kind": "http", "target": "https://example.test/", "public": true }))
            .await;
    let mail =
        put(&server, &staff, "mail-1", json!({ "name": "Mail", "kind": "imap", "target": "imaps://mail.example.test", "public": true }))
            .await;
    put(&server, &staff, "secret-1", json!({ "name": "Internal DB", "kind": "tcp", "target": "db.example.test:5432" })).await;
    let page = visitor.get("/status").await;
    assert!(page.body.contains("Not measured yet") && page.body.contains("Website"), "none measured: {}", page.body);
    assert!(!page.body.contains("Internal DB"), "a monitor that is not public is not shown");
    assert!(page.body.contains("not measured yet</span>"), "the state is said in words");

    let t = now_ms();
    set_health(&store, web, Health::Up, t).await;
    set_health(&store, mail, Health::Up, t).await;
    let page = visitor.get("/status").await;
    assert!(page.body.contains("All services are up"), "{}", page.body);
    let res = reqwest::get(server.url("/status")).await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=30");

    set_health(&store, mail, Health::Down, t + 1000).await;
    let page = visitor.get("/status").await;
    assert!(page.body.contains("1 of 2 services have a problem") && !page.body.contains("All services are up"), "{}", page.body);
    let nl = visitor.get("/status?lang=nl").await;
    assert!(nl.body.contains("1 van 2 diensten hebben een storing") && nl.body.contains("onbereikbaar"), "{}", nl.body);

    // /metrics: each monitor's state, its response time and certificate; nothing for one never checked.
    let metrics = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("loket_monitor_up{monitor=\"web-1\"} 1"), "{metrics}");
    assert!(metrics.contains("loket_monitor_up{monitor=\"mail-1\"} 0"), "{metrics}");
    assert!(!metrics.contains("loket_monitor_up{monitor=\"secret-1\"}"), "unknown is absent: {metrics}");
    assert!(metrics.contains("loket_monitor_response_ms{monitor=\"web-1\"} 120"), "{metrics}");
    assert!(metrics.contains("loket_monitor_certificate_expiry_seconds{monitor=\"web-1\"} 1900000000"), "{metrics}");
    assert!(metrics.contains("loket_monitor_incidents_open 0"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_card_sees_its_monitors_and_report_staff_manage_them() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let staff = token(&env, "support@demo.loket.test", "monitoring:read,monitoring:write");
    let first_sub = |card: i64| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT MIN(id) FROM subscriptions WHERE customer_id = $1")
                .bind(card)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    let (bakery_sub, jansen_sub) = (first_sub(1).await, first_sub(2).await);
    let bakery = put(
        &server,
        &staff,
        "t-web-bakery",
        json!({ "name": "Bakkerij website", "kind": "http", "target": "https://bakkerij.test/", "subscription": bakery_sub }),
    )
    .await;
    put(
        &server,
        &staff,
        "t-web-jansen",
        json!({ "name": "Jansen website", "kind": "http", "target": "https://jansen.test/", "subscription": jansen_sub }),
    )
    .await;
    set_health(&store, bakery, Health::Up, now_ms()).await;

    // October 2026: up but for two minutes, against the default target of 99.8 %.
    {
        let mut conn = store.acquire().await.unwrap();
        loket_store::monitoring::maintenance::put_sla(
            &mut conn,
            "",
            loket_domain::monitoring::availability::Sla { target: 998_000, credit_percent: 10 },
        )
        .await
        .unwrap();
        let mut rollups = Rollups::default();
        let first = date(2026, 10, 1);
        let start_ms = first.to_zoned(jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap()).unwrap().timestamp().as_millisecond();
        for n in 0..31i64 {
            let day = first.checked_add(n.days()).unwrap();
            let down = if n == 14 { 120_000 } else { 0 };
            let t = Tally {
                up_ms: DAY_MS - down,
                down_ms: down,
                checks: 1440,
                failures: i64::from(down > 0) * 2,
                latency_sum_ms: 1440 * 150,
                latency_max_ms: 900,
                ..Tally::default()
            };
            rollups.add(bakery, start_ms + n * DAY_MS, day, &t);
        }
        results::write(&mut conn, &[], &rollups, &[]).await.unwrap();
    }

    let mut owner = Client::new(&server);
    assert_eq!(owner.sign_in("eigenaar@bakkerijdevries.test", PW).await.status, 303);
    let page = owner.get("/customers/1/monitoring").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Bakkerij website") && !page.body.contains("Jansen website"), "only the card's monitors: {}", page.body);
    assert!(page.body.contains("aria-current=\"page\">Monitoring</a>"), "the card's menu has the section");
    assert!(owner.get("/").await.body.contains("monitored service"), "the overview shows the monitoring block");
    assert_eq!(owner.get("/customers/2/monitoring").await.status, 404, "another card's monitoring does not exist");
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    assert_eq!(contact.get("/customers/1/monitoring").await.status, 403, "a contact person does not see the services");

    let report = owner.get("/customers/1/monitoring?month=2026-10&lang=nl").await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(report.body.contains("99,995 %") && report.body.contains("gehaald"), "the month's availability in Dutch: {}", report.body);
    assert!(report.body.contains("/customers/1/monitoring/report.pdf?month=2026-10"), "{}", report.body);
    let res = reqwest::Client::new()
        .get(server.url("/customers/1/monitoring/report.pdf?month=2026-10"))
        .header("cookie", owner.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"availability-2026-10"));
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let bad = owner.get("/customers/1/monitoring?month=2026-13&lang=en").await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("id=\"m-month-e\">Choose a month like 2026-11.") && bad.body.contains("aria-invalid=\"true\""),
        "the month is named: {}",
        bad.body
    );
    assert_eq!(owner.get("/customers/1/monitoring/report.pdf?month=2026-13").await.status, 400);

    // The API: the same report; another card's is not there; a read-only token cannot change.
    let owner_token = token(&env, "eigenaar@bakkerijdevries.test", "monitoring:read");
    let (status, body) =
        call(reqwest::Method::GET, server.url("/api/v1/customers/1/availability?month=2026-10"), owner_token.clone(), None).await;
    assert_eq!(status, 200, "{body}");
    let service = body["services"].as_array().unwrap().iter().find(|s| s["subscription_id"] == bakery_sub).unwrap().clone();
    assert_eq!((service["availability_ppm"].as_i64(), service["met"].as_bool()), (Some(999_955), Some(true)), "{body}");
    let (status, _) = call(reqwest::Method::GET, server.url("/api/v1/customers/2/availability"), owner_token.clone(), None).await;
    assert_eq!(status, 404);
    let (status, _) = call(reqwest::Method::GET, server.url("/api/v1/monitors/t-web-jansen"), owner_token.clone(), None).await;
    assert_eq!(status, 404, "another card's monitor does not exist for the owner");
    let (status, body) = call(reqwest::Method::GET, server.url("/api/v1/monitors/t-web-bakery"), owner_token.clone(), None).await;
    assert_eq!((status, body["health"].as_str()), (200, Some("up")), "{body}");
    let reader = token(&env, "support@demo.loket.test", "monitoring:read");
    let (status, _) =
        call(reqwest::Method::PUT, server.url("/api/v1/monitors/t-x"), reader, Some(json!({ "kind": "tcp", "target": "x.test:1" }))).await;
    assert_eq!(status, 403, "monitoring:read cannot change a monitor");
    let (status, body) = call(
        reqwest::Method::PUT,
        server.url("/api/v1/monitors/t-x"),
        staff.clone(),
        Some(json!({ "kind": "tcp", "target": "x.test:1", "interval": "5 seconds" })),
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("interval")), "{body}");
    let (status, body) = call(reqwest::Method::GET, server.url("/api/v1/monitors?limit=1"), staff.clone(), None).await;
    assert_eq!((status, body.as_array().map(Vec::len)), (200, Some(1)), "{body}");
    let (status, body) = call(reqwest::Method::GET, server.url("/api/v1/incidents?open=true"), staff.clone(), None).await;
    assert_eq!((status, body.is_array()), (200, true), "{body}");

    // Staff: the list with its counts, the monitor, its form.
    let mut support = Client::new(&server);
    assert_eq!(support.sign_in("support@demo.loket.test", STAFF_PW).await.status, 303);
    let list = support.get("/staff/monitors").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&format!("href=\"/staff/monitors/{bakery}\"")) && list.body.contains("t-web-jansen"), "{}", list.body);
    let trouble = support.get("/staff/monitors?trouble=1").await;
    assert!(trouble.body.contains("t-web-jansen") && !trouble.body.contains("t-web-bakery"), "only those not up: {}", trouble.body);
    assert!(support.get("/staff/monitors?customer=C000001").await.body.contains("t-web-bakery"));
    assert!(support.get("/staff").await.body.contains("monitored services"), "the back office shows the monitoring block");
    let detail = support.get(&format!("/staff/monitors/{bakery}")).await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    assert!(
        detail.body.contains("bakkerij.test") && detail.body.contains("HTTP 200") && detail.body.contains("expires "),
        "{}",
        detail.body
    );
    assert_eq!(support.get("/staff/incidents").await.status, 200);
    let form = support.get(&format!("/staff/monitors/{bakery}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf();
    let fields = |interval: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("code", "t-web-bakery".to_string()),
            ("name", "Bakkerij website".to_string()),
            ("kind", "http".to_string()),
            ("target", "https://bakkerij.test/".to_string()),
            ("interval", interval.to_string()),
            ("timeout", "10 seconds".to_string()),
            ("cert_days", "14".to_string()),
            ("subscription", bakery_sub.to_string()),
            ("active", "1".to_string()),
        ]
    };
    let wrong = fields("5 seconds");
    let refused = support.post(&format!("/staff/monitors/{bakery}/edit"), &as_refs(&wrong)).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("id=\"f-interval-e\">An interval is between 10 seconds and 1 day.")
            && refused.body.contains("value=\"5 seconds\""),
        "{}",
        refused.body
    );
    let right = fields("5 minutes");
    let saved = support.post(&format!("/staff/monitors/{bakery}/edit"), &as_refs(&right)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some(format!("/staff/monitors/{bakery}?done=saved").as_str()));
    assert!(support.get(saved.location.as_deref().unwrap()).await.body.contains("300 seconds"));
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'monitor.update' AND entity_id = $1")
        .bind(bakery.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(audited, 1, "the change is audited");
    let new = support.get("/staff/monitors/new").await;
    assert_eq!(new.status, 200, "{}", new.body);
    let mut billing = Client::new(&server);
    billing.sign_in("billing@demo.loket.test", STAFF_PW).await;
    assert_eq!(billing.get("/staff/monitors").await.status, 200, "billing sees monitors");
    assert_eq!(billing.get(&format!("/staff/monitors/{bakery}/edit")).await.status, 403, "billing does not change them");
    // The dashboard counts the card's active monitors per health, in the order of `Health::ALL`,
    // as counting them one health at a time does; a second health on the card shows apart.
    let down = put(
        &server,
        &staff,
        "t-mail-bakery",
        json!({ "name": "Bakkerij mail", "kind": "tcp", "target": "bakkerij.test:25", "subscription": bakery_sub }),
    )
    .await;
    set_health(&store, down, Health::Down, now_ms()).await;
    let attention = store.card_attention(1, date(2026, 12, 1)).await.unwrap().unwrap();
    let mut expected = Vec::new();
    for h in Health::ALL {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM monitors WHERE customer_id = 1 AND active = 1 AND health = $1")
            .bind(h.name())
            .fetch_one(store.pool())
            .await
            .unwrap();
        if n > 0 {
            expected.push((h.name().to_string(), n));
        }
    }
    assert!(expected.len() >= 2, "{expected:?}");
    assert_eq!(attention.monitors, expected);
    assert!(owner.get("/").await.body.contains("<span aria-hidden=\"true\">✕</span> 1 "), "the overview shows the monitor that is down");
}
