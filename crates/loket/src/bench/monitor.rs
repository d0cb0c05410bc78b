//! `loket bench monitor`: `monitors` monitors of 1,000-odd cards' services at one interval,
//! checked by this node for `seconds` seconds against local targets — HTTP with a keyword, TCP,
//! and a flaky HTTP target (2 % of the monitors) that fails and recovers every minute — then
//! the month's report of every card. Prints the checks, their lateness, the checker's CPU (the
//! local targets' threads left out), peak RSS and what the database grew by.

use std::sync::Arc;
use std::time::{Duration, Instant};

use loket_app::monitoring::MonitorsFile;
use loket_domain::monitoring::{Kind, Spec, next_slot_ms, phase_ms};
use loket_monitor::local::{HttpTarget, TcpTarget};
use loket_store::audit::{Actor, ActorKind};
use tokio::sync::watch;

use super::{BENCH_BILLING, bench_card, peak_rss_mib};
use loket::app::App;
use loket::monitoring::{Checker, Stats};

/// CPU seconds of this process, and of its threads named `loket-*` (the local targets).
fn cpu_seconds() -> (f64, f64) {
    let ticks = 100.0; // USER_HZ on Linux
    let parse = |stat: &str| -> f64 {
        // Fields after the command name (which may hold spaces) in parentheses.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        let utime: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let stime: f64 = f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        (utime + stime) / ticks
    };
    let total = std::fs::read_to_string("/proc/self/stat").map(|s| parse(&s)).unwrap_or(0.0);
    let mut targets = 0.0;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
            if comm.starts_with("loket-") {
                targets += std::fs::read_to_string(t.path().join("stat")).map(|s| parse(&s)).unwrap_or(0.0);
            }
        }
    }
    (total, targets)
}

async fn database_bytes(app: &App) -> i64 {
    app.store.size_bytes().await.unwrap_or(0)
}

async fn counts(app: &App) -> [i64; 5] {
    match app.store.acquire().await {
        Ok(mut conn) => loket_store::monitoring::reports::row_counts(&mut conn).await.unwrap_or_default(),
        Err(_) => [0; 5],
    }
}

pub async fn monitor(app: &App, monitors: u64, interval: i64, seconds: u64) -> anyhow::Result<()> {
    use loket_app::billing::file::BillingFile;
    use loket_domain::billing::lifecycle::Life;
    use loket_store::billing::bulk;
    use loket_store::billing::subscriptions::NewSubscription;

    anyhow::ensure!(monitors > 0, "--monitors must be more than 0");
    anyhow::ensure!((10..=3600).contains(&interval), "--interval must be between 10 and 3600 seconds");
    {
        let mut conn = app.store.acquire().await?;
        if !loket_store::customers::customers_page(&mut conn, 0, 1).await?.is_empty() {
            anyhow::bail!("the database already has customers: run the benchmark on a fresh database (--data-dir or --database-url)");
        }
    }
    let services = Arc::new(app.services());
    let actor = Actor::new(ActorKind::System, "bench");
    app.billing().apply(&actor, &BillingFile::parse(BENCH_BILLING)?).await?;
    let plan = app.store.catalog(app.config.provider.currency).await?.plan_by_code("hosting-month").expect("bench plan").id;
    let sla = MonitorsFile::parse("[sla]\ntarget = \"99.8 %\"\ncredit = \"10 %\"\n")?;
    services.apply_monitors(&actor, &sla).await.map_err(|e| anyhow::anyhow!("{e}"))?;

    // The targets, on threads of their own.
    let web = HttpTarget::start("<html><body>OK loket</body></html>");
    let tcp = TcpTarget::start();
    let flaky = HttpTarget::start("OK loket");

    // Ten services per card, one monitor each.
    let started = Instant::now();
    let cards = monitors.div_ceil(10);
    let mut batch = Vec::new();
    let mut subs = Vec::new();
    for c in 0..cards {
        batch.push((format!("B{:07}", c + 1), bench_card(app, c)));
        for k in 0..10u64.min(monitors - c * 10) {
            let today = app.services().today();
            subs.push((
                NewSubscription {
                    customer_id: c as i64 + 1,
                    plan_id: plan,
                    terms_id: None,
                    label: format!("site{}.example", c * 10 + k),
                    price: None,
                    life: Life::new(false, None),
                    start_date: today.first_of_month(),
                    ordered_on: today.first_of_month(),
                    parent_id: None,
                    aligned_to: None,
                },
                None,
            ));
        }
        if batch.len() >= 2000 || c + 1 == cards {
            let mut tx = app.store.begin().await?;
            bulk::insert_customers(&mut tx, &batch).await?;
            bulk::insert_subscriptions(&mut tx, &subs).await?;
            tx.commit().await?;
            batch.clear();
            subs.clear();
        }
    }
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let mut tx = app.store.begin().await?;
    for i in 0..monitors {
        let code = format!("m{i:06}");
        let (kind, target, keyword) = match i % 50 {
            0 => (Kind::Http, flaky.url(&format!("/m/{i}")), Some("OK".to_string())),
            k if k % 2 == 1 => (Kind::Tcp, tcp.target(), None),
            _ => (Kind::Http, web.url(&format!("/m/{i}")), Some("OK loket".to_string())),
        };
        let spec = Spec {
            code: code.clone(),
            name: format!("Service {i}"),
            kind,
            target,
            interval_secs: interval,
            timeout_secs: 10.min(interval - 1),
            keyword,
            cert_days: 14,
            subscription: Some(i as i64 + 1),
            public: i < 20,
            notify_customer: false,
            active: true,
        };
        let customer = (i / 10) as i64 + 1;
        loket_store::monitoring::put(&mut tx, &spec, Some(customer), phase_ms(&code, interval), next_slot_ms(&code, interval, now_ms))
            .await?;
    }
    tx.commit().await?;
    app.store.analyze().await?;
    println!("monitor: built {cards} cards, {monitors} services and monitors in {:.1} s", started.elapsed().as_secs_f64());

    // The flaky target fails for 20 s of every minute: confirmed failures, incidents, recoveries.
    let flipping = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(40)).await;
            flaky.set_up(false);
            tokio::time::sleep(Duration::from_secs(20)).await;
            flaky.set_up(true);
        }
    });

    let bytes_before = database_bytes(app).await;
    let stats = Arc::new(Stats::default());
    let checker = Checker {
        services: services.clone(),
        prober: loket_monitor::Prober::new(),
        concurrency: app.config.monitoring_concurrency,
        stats: Some(stats.clone()),
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let (cpu0, targets0) = cpu_seconds();
    let t0 = Instant::now();
    let running = tokio::spawn(checker.run(stop_rx));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let _ = stop_tx.send(true);
    running.await?;
    let elapsed = t0.elapsed().as_secs_f64();
    let (cpu1, targets1) = cpu_seconds();
    flipping.abort();
    drop(web);
    drop(tcp);

    let checks = stats.checks.load(std::sync::atomic::Ordering::Relaxed);
    let mut lateness = stats.lateness_ms.lock().await.clone();
    lateness.sort_unstable();
    let p99 = lateness.get((lateness.len() * 99 / 100).min(lateness.len().saturating_sub(1))).copied().unwrap_or(0);
    let checker_cpu = ((cpu1 - cpu0) - (targets1 - targets0)).max(0.0);
    println!(
        "monitor: {monitors} monitors, {checks} checks, {:.0} checks/s, p99 lateness {p99} ms, cpu {:.1} %, peak RSS {} MiB",
        checks as f64 / elapsed,
        100.0 * checker_cpu / elapsed,
        peak_rss_mib()
    );
    println!(
        "monitor: {} failed checks, {} incidents, the local targets used {:.1} % cpu (left out above)",
        stats.failed.load(std::sync::atomic::Ordering::Relaxed),
        counts(app).await[4],
        100.0 * (targets1 - targets0) / elapsed
    );

    // What a month costs the database: raw results are a ring of `keep_raw`; hours (kept
    // `keep_hours`), days and months stay. Bytes per row measured per table with its indexes, compacted (PostgreSQL's dead row versions of
    // the current hour are autovacuum's).
    let grown = (database_bytes(app).await - bytes_before).max(0);
    let rows = counts(app).await;
    let mut per_row = [0.0f64; 4];
    {
        let mut conn = app.store.acquire().await?;
        for (i, table) in ["monitor_results", "monitor_hours", "monitor_days", "monitor_months"].iter().enumerate() {
            loket_store::monitoring::reports::compact(&mut conn, app.store.backend(), table).await?;
            let bytes = loket_store::monitoring::reports::table_bytes(&mut conn, app.store.backend(), table).await;
            per_row[i] =
                bytes.map(|b| b as f64 / rows[i].max(1) as f64).unwrap_or(grown as f64 / rows.iter().take(4).sum::<i64>().max(1) as f64);
        }
    }
    let mib = |b: f64| b / 1_048_576.0;
    let checks_per_day = 86_400.0 / interval as f64;
    let raw_days = app.config.monitoring.keep_raw.as_secs_f64() / 86_400.0;
    let month_growth = 10_000.0 * (720.0 * per_row[1] + 30.0 * per_row[2] + per_row[3]);
    let after_hours_expire = 10_000.0 * (30.0 * per_row[2] + per_row[3]);
    let raw_ring = 10_000.0 * raw_days * checks_per_day * per_row[0];
    println!(
        "monitor: database grew {:.1} MiB ({:.0} B per check); bytes per row: result {:.0}, hour {:.0}, day {:.0}, month {:.0}",
        mib(grown as f64),
        grown as f64 / checks.max(1) as f64,
        per_row[0],
        per_row[1],
        per_row[2],
        per_row[3]
    );
    println!(
        "monitor: per 10,000 monitor-months: {:.0} MiB of roll-ups ({:.0} MiB once hours pass keep_hours), raw ring {:.0} MiB steady ({raw_days:.0} days at {interval} s)",
        mib(month_growth),
        mib(after_hours_expire),
        mib(raw_ring)
    );

    // The month's report of every card.
    let month = {
        let today = services.today();
        format!("{:04}-{:02}", today.year(), today.month())
    };
    let t = Instant::now();
    let mut reported = 0usize;
    let mut after = 0;
    loop {
        let cards = {
            let mut conn = app.store.acquire().await?;
            loket_store::monitoring::reports::cards(&mut conn, after, 500).await?
        };
        let Some(last) = cards.last().copied() else { break };
        after = last;
        for c in cards {
            reported += services.card_report(c, &month).await.map_err(|e| anyhow::anyhow!("{e}"))?.services.len();
        }
    }
    println!("report: {reported} services, {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}
