//! Monitoring through the real server against local servers the tests start and stop: an HTTP
//! server with a keyword, TCP, DNS, SMTP with STARTTLS and TLS with a certificate valid for a
//! day (trusted through `monitoring.ca_file`). A service going down opens an incident, a
//! helpdesk ticket for its card, an alert mail and a webhook; coming back closes it and, once it
//! held, says so. A single failed check followed by a good retry stays a blip. A failure inside
//! a maintenance window is maintenance: no incident, and its time is not downtime. Two nodes on
//! one database check each slot once, and one goes on when the other is killed.

use std::time::Duration;

use loket_monitor::local::{HttpTarget, TcpTarget};
use loket_monitor::testing::{DnsTarget, SmtpTarget, TlsTarget, pem};
use loket_store::Store;

use crate::support::{TestEnv, wait_until};

/// A monitor's health and open incident, by code.
async fn health(store: &Store, code: &str) -> (String, Option<i64>) {
    let mut conn = store.acquire().await.unwrap();
    let m = loket_store::monitoring::by_code(&mut conn, code).await.unwrap().unwrap_or_else(|| panic!("no monitor {code}"));
    (m.state.health.name().to_string(), m.incident_id)
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(store.pool()).await.unwrap()
}

async fn templates(store: &Store) -> Vec<(String, String)> {
    sqlx::query_as::<_, (String, String)>("SELECT template, rcpt_to FROM outbox ORDER BY id").fetch_all(store.pool()).await.unwrap()
}

fn write(env: &TestEnv, name: &str, text: &str) -> String {
    let path = env.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_down_opens_an_incident_and_a_ticket_and_up_closes_it() {
    let env = TestEnv::new().await;
    let web = HttpTarget::start("<h1>Bakkerij De Vries</h1> status: OK");
    let tcp = TcpTarget::start();
    let dns = DnsTarget::start(&[("www.bakkerijdevries.test", "A", "192.0.2.10")]);
    let smtp = SmtpTarget::start(true);
    let tls = TlsTarget::start(1);
    let hook = HttpTarget::start("thanks");
    let ca = write(&env, "ca.pem", &pem(&[smtp.ca(), tls.ca()]));
    let config = [
        ("LOKET_MONITORING_ENABLED", "true".to_string()),
        ("LOKET_MONITORING_CA_FILE", ca),
        ("LOKET_MONITORING_ALERT", "noc@demo.loket.test".to_string()),
        ("LOKET_MONITORING_WEBHOOK", hook.url("/incidents")),
        ("LOKET_MONITORING_WEBHOOK_SECRET", "s3cret".to_string()),
        ("LOKET_MONITORING_FLAP_WINDOW", "10 seconds".to_string()),
    ];
    let server = env.serve(&["--demo"], &config);
    let store = env.store().await;
    let sub: i64 = scalar(&store, "SELECT MIN(id) FROM subscriptions WHERE customer_id = 1").await;

    // A file with a bad field is refused whole, the field named; the good one applies.
    let bad = write(&env, "bad.toml", "[monitors.web]\nkind = \"http\"\ntarget = \"ftp://x\"\ninterval = \"5 seconds\"\n");
    let out = env.run(&["monitors", "apply", &bad]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("monitors.web.target") && err.contains("monitors.web.interval"), "{err}");
    let file = format!(
        r#"
[monitors.web]
name = "Website"
kind = "http"
target = "{web}"
keyword = "status: OK"
interval = "10 seconds"
timeout = "3 seconds"
subscription = {sub}

[monitors.db]
kind = "tcp"
target = "{tcp}"
interval = "10 seconds"
timeout = "2 seconds"

[monitors.dns]
kind = "dns"
target = "{dns}"
keyword = "192.0.2.10"
interval = "10 seconds"
timeout = "2 seconds"

[monitors.mail]
kind = "smtp"
target = "{smtp}"
interval = "10 seconds"
timeout = "3 seconds"

[monitors.cert]
kind = "tls"
target = "{tls}"
cert_days = 0
interval = "10 seconds"
timeout = "3 seconds"
"#,
        web = web.url("/"),
        tcp = tcp.target(),
        dns = dns.target("www.bakkerijdevries.test", "A"),
        smtp = smtp.target(),
        tls = tls.target(),
    );
    let good = write(&env, "monitors.toml", &file);
    let out = env.ok(&["monitors", "apply", &good]);
    assert!(out.contains("5 new monitors"), "{out}");

    // Every kind answers: all up.
    for code in ["web", "db", "dns", "mail", "cert"] {
        wait_until(&format!("{code} up"), Duration::from_secs(40), || async { health(&store, code).await.0 == "up" }).await;
    }

    // A certificate valid for one more day is a failure once cert_days asks for more.
    let stricter = write(
        &env,
        "cert.toml",
        &format!(
            "[monitors.cert]\nkind = \"tls\"\ntarget = \"{}\"\ncert_days = 14\ninterval = \"10 seconds\"\ntimeout = \"3 seconds\"\n",
            tls.target()
        ),
    );
    env.ok(&["monitors", "apply", &stricter]);
    wait_until("cert down", Duration::from_secs(40), || async { health(&store, "cert").await.0 == "down" }).await;
    let detail: String = sqlx::query_scalar("SELECT last_detail FROM monitors WHERE code = 'cert'").fetch_one(store.pool()).await.unwrap();
    assert!(detail.contains("expires"), "{detail}");

    // The website goes down: confirmed by the retry, an incident, a ticket for the card, the
    // alert and the webhook.
    web.set_up(false);
    wait_until("web down", Duration::from_secs(40), || async { health(&store, "web").await.1.is_some() }).await;
    let (_, incident) = health(&store, "web").await;
    let incident = incident.unwrap();
    let ticket: Option<i64> =
        sqlx::query_scalar("SELECT ticket_id FROM incidents WHERE id = $1").bind(incident).fetch_one(store.pool()).await.unwrap();
    let (customer, channel, category): (i64, String, String) =
        sqlx::query_as("SELECT customer_id, channel, category FROM tickets WHERE id = $1")
            .bind(ticket.expect("a ticket"))
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((customer, channel.as_str(), category.as_str()), (1, "monitor", "outage"));
    // In the bakery's language (Dutch), the cause by its name.
    let (subject, body): (String, String) = sqlx::query_as(
        "SELECT t.subject, e.body FROM tickets t JOIN ticket_entries e ON e.ticket_id = t.id WHERE t.id = $1 ORDER BY e.id LIMIT 1",
    )
    .bind(ticket.unwrap())
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(subject.contains(" — ") && !subject.contains("refused"), "{subject}");
    assert!(body.contains("Loket heeft dit ticket zelf geopend"), "{body}");
    wait_until("alert mail", Duration::from_secs(20), || async {
        templates(&store).await.iter().any(|(t, to)| t == "monitor-down" && to.contains("noc@demo.loket.test"))
    })
    .await;
    wait_until("webhook", Duration::from_secs(30), || async { hook.requests() >= 1 }).await;

    // Back up: closed at once, told once it held for the flap window.
    web.set_up(true);
    wait_until("web up", Duration::from_secs(40), || async { health(&store, "web").await == ("up".to_string(), None) }).await;
    let ended: Option<i64> =
        sqlx::query_scalar("SELECT ended_ms FROM incidents WHERE id = $1").bind(incident).fetch_one(store.pool()).await.unwrap();
    assert!(ended.is_some());
    wait_until("recovery mail", Duration::from_secs(40), || async { templates(&store).await.iter().any(|(t, _)| t == "monitor-up") }).await;
    // Each incident alerted once (the demo's own monitors, whose server is not on this port,
    // alert about themselves).
    for about in ["Website".to_string(), tls.target()] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE template = 'monitor-down' AND raw LIKE $1")
            .bind(format!("%{about}%"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(n, 1, "{about} alerted once");
    }

    // The month so far: downtime counted for the website, none for the database.
    let down: i64 =
        scalar(&store, "SELECT mm.down_ms FROM monitor_months mm JOIN monitors m ON m.id = mm.monitor_id WHERE m.code = 'web'").await;
    assert!(down >= 5_000, "the failure confirmed by its retry is downtime from the first failed check: {down}");
    let db_down: i64 =
        scalar(&store, "SELECT mm.down_ms FROM monitor_months mm JOIN monitors m ON m.id = mm.monitor_id WHERE m.code = 'db'").await;
    assert_eq!(db_down, 0);
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_hides_a_blip_and_maintenance_is_not_downtime() {
    let env = TestEnv::new().await;
    let tcp = TcpTarget::start();
    let other = TcpTarget::start();
    let server = env.serve(&[], &[("LOKET_MONITORING_ENABLED", "true".to_string())]);
    let store = env.store().await;
    // A window from a minute ago for ten minutes, in the provider's zone, for `patched` only.
    let local = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap());
    let starts = local.checked_sub(jiff::SignedDuration::from_mins(1)).unwrap().strftime("%Y-%m-%d %H:%M").to_string();
    let file = format!(
        "[monitors.blip]\nkind = \"tcp\"\ntarget = \"{}\"\ninterval = \"10 seconds\"\ntimeout = \"2 seconds\"\n\n\
         [monitors.patched]\nkind = \"tcp\"\ntarget = \"{}\"\ninterval = \"10 seconds\"\ntimeout = \"2 seconds\"\n\n\
         [maintenance.patch]\nstarts = \"{starts}\"\nduration = \"10 minutes\"\nreason = \"Kernel updates\"\nmonitors = [\"patched\"]\n",
        tcp.target(),
        other.target()
    );
    env.ok(&["monitors", "apply", &write(&env, "m.toml", &file)]);
    for code in ["blip", "patched"] {
        wait_until(&format!("{code} up"), Duration::from_secs(40), || async { health(&store, code).await.0 == "up" }).await;
    }

    // One failed check, then the service answers before the retry: no incident, no downtime.
    tcp.set_up(false);
    wait_until("blip suspect", Duration::from_secs(30), || async { health(&store, "blip").await.0 == "suspect" }).await;
    tcp.set_up(true);
    wait_until("blip up again", Duration::from_secs(30), || async { health(&store, "blip").await.0 == "up" }).await;
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM incidents").await, 0);
    let (down, failures): (i64, i64) = sqlx::query_as(
        "SELECT mm.down_ms, mm.failures FROM monitor_months mm JOIN monitors m ON m.id = mm.monitor_id WHERE m.code = 'blip'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!((down, failures), (0, 1), "the failed check is counted, its time is not downtime");

    // Down for good inside the window: maintenance, no incident, and no downtime.
    other.set_up(false);
    wait_until("patched down", Duration::from_secs(40), || async { health(&store, "patched").await.0 == "down" }).await;
    tokio::time::sleep(Duration::from_secs(11)).await;
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM incidents").await, 0);
    let (down, maintenance): (i64, i64) = sqlx::query_as(
        "SELECT mm.down_ms, mm.maintenance_ms FROM monitor_months mm JOIN monitors m ON m.id = mm.monitor_id WHERE m.code = 'patched'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(down, 0);
    assert!(maintenance >= 10_000, "{maintenance}");
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_check_each_slot_once_and_one_goes_on_when_the_other_is_killed() {
    let env = TestEnv::new().await;
    let tcp = TcpTarget::start();
    let mut file = String::new();
    for i in 0..20 {
        file.push_str(&format!(
            "[monitors.n{i:02}]\nkind = \"tcp\"\ntarget = \"{}\"\ninterval = \"10 seconds\"\ntimeout = \"2 seconds\"\n\n",
            tcp.target()
        ));
    }
    let store = env.store().await;
    env.ok(&["monitors", "apply", &write(&env, "m.toml", &file)]);
    let on = [("LOKET_MONITORING_ENABLED", "true".to_string())];
    let mut a = env.serve_process(&[], &on);
    let mut b = env.serve_process(&[], &on);
    tokio::time::sleep(Duration::from_secs(32)).await;

    // Each monitor's checks are at least half an interval apart: no slot twice. Two nodes
    // checking one slot would both start at its beginning; checks of consecutive slots are an
    // interval apart, less what a busy machine delayed the earlier one by (seen: 7.8 s).
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT monitor_id, at_ms FROM monitor_results ORDER BY monitor_id, at_ms").fetch_all(store.pool()).await.unwrap();
    assert!(rows.len() >= 40, "{} checks", rows.len());
    for w in rows.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[1].1 - w[0].1 >= 5_000, "monitor {} checked twice in a slot: {:?}", w[0].0, w);
        }
    }
    // Both nodes took part (each logs what it claimed through its checks' results; a node that
    // claims nothing would leave the other to do all).
    a.kill();
    let killed_at = jiff::Timestamp::now().as_millisecond();
    tokio::time::sleep(Duration::from_secs(14)).await;
    // Within one interval (and the check's time) of the kill, every monitor was checked again.
    let after: Vec<(i64, i64)> = sqlx::query_as("SELECT monitor_id, MIN(at_ms) FROM monitor_results WHERE at_ms > $1 GROUP BY monitor_id")
        .bind(killed_at)
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(after.len(), 20, "every monitor is checked by the node left: {after:?}");
    for (m, first) in after {
        assert!(first - killed_at <= 12_000, "monitor {m} waited {} ms", first - killed_at);
    }
    b.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missed_target_credits_the_next_invoice_once() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let store = env.store().await;
    // The demo sent last month's reports: Rossi Web's site was down two hours, below 99.8 %.
    let (amount, item): (i64, Option<i64>) =
        sqlx::query_as("SELECT amount, item_id FROM availability_credits").fetch_one(store.pool()).await.unwrap();
    assert!(amount > 0);
    let item = item.expect("a line for the next invoice");
    let (price, source): (i64, String) =
        sqlx::query_as("SELECT unit_price, source FROM billable_items WHERE id = $1").bind(item).fetch_one(store.pool()).await.unwrap();
    assert_eq!((price, source.as_str()), (-amount, "availability"));
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM availability_reports").await, 3, "one report per card with monitors");
    let reports: Vec<(String, String)> = templates(&store).await.into_iter().filter(|(t, _)| t == "availability-report").collect();
    assert_eq!(reports.len(), 3);
    let raw: String = sqlx::query_scalar("SELECT raw FROM outbox WHERE template = 'availability-report' ORDER BY id LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(raw.contains("application/pdf") && raw.contains("availability-"), "the report's PDF is attached");

    // Sent again by hand: nothing new; a bad month is named.
    let out = env.ok(&["monitors", "report"]);
    assert!(out.contains("0 cards reported"), "{out}");
    let bad = env.run(&["monitors", "report", "--month", "2026-13"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("--month"));
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM availability_credits").await, 1);

    // The billing engine puts the credit on the card's next invoice.
    let today = jiff::Zoned::now().date();
    let until = today.checked_add(jiff::Span::new().days(62)).unwrap();
    env.ok(&["billing", "run", "--date", &today.to_string(), "--until", &until.to_string()]);
    let invoiced: Option<i64> =
        sqlx::query_scalar("SELECT invoice_id FROM billable_items WHERE id = $1").bind(item).fetch_one(store.pool()).await.unwrap();
    assert!(invoiced.is_some(), "the credit reached an invoice");
}
