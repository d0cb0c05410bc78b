//! `loket bench …`: fixed-size measurements whose figures go into issue notes. They run
//! against whatever database `--data-dir` / `--database-url` name: give them a fresh one.

use std::sync::Arc;
use std::time::Instant;

use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::jobs::{NewJob, WorkerConfig, enqueue, run_worker};
use tokio::sync::{Notify, watch};

use loket::app::App;
use loket::handlers::{self, NOOP_JOB};

/// Enqueues `count` no-op jobs (in transactions of 1,000) and runs them with the real worker.
pub async fn jobs(app: &App, count: u64, workers: usize) -> anyhow::Result<()> {
    let before = app.store.job_counts().await?;
    anyhow::ensure!(before.queued == 0 && before.running == 0, "the queue is not empty: run the benchmark on a fresh database");
    let started = Instant::now();
    let mut left = count;
    let mut n = 0u64;
    while left > 0 {
        let batch = left.min(1000);
        let mut tx = app.store.begin().await?;
        for _ in 0..batch {
            n += 1;
            enqueue(&mut tx, &NewJob::new(NOOP_JOB, serde_json::json!({ "n": n })).key(format!("bench:{}:{n}", std::process::id())))
                .await?;
        }
        tx.commit().await?;
        left -= batch;
    }
    let enqueue_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let (stop_tx, stop_rx) = watch::channel(false);
    let config = WorkerConfig {
        node: "bench".into(),
        concurrency: workers.max(1),
        poll_interval: std::time::Duration::from_millis(20),
        ..WorkerConfig::default()
    };
    let worker = tokio::spawn(run_worker(app.store.clone(), handlers::registry(app), config, Arc::new(Notify::new()), stop_rx));
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let c = app.store.job_counts().await?;
        if c.queued == 0 && c.running == 0 {
            break;
        }
    }
    let run_secs = started.elapsed().as_secs_f64();
    let _ = stop_tx.send(true);
    worker.await?;
    let dead = app.store.job_counts().await?.dead;
    anyhow::ensure!(dead == 0, "{dead} jobs died");
    let backend = format!("{:?}", app.store.backend()).to_lowercase();
    println!(
        "jobs: {count} no-op jobs on {backend}: enqueued in {enqueue_secs:.2} s ({:.0} jobs/s), run in {run_secs:.2} s ({:.0} jobs/s) with {workers} workers; together {:.0} jobs/s",
        count as f64 / enqueue_secs,
        count as f64 / run_secs,
        count as f64 / (enqueue_secs + run_secs)
    );
    Ok(())
}

/// Grows the database to at least `megabytes` with audit entries of about 1 KiB (for the
/// cold-start benchmark on a large database).
pub async fn fill(app: &App, megabytes: i64) -> anyhow::Result<()> {
    let target = megabytes * 1024 * 1024;
    let actor = Actor::new(ActorKind::System, "bench");
    let filler = "x".repeat(900);
    let started = Instant::now();
    let mut rows = 0u64;
    while app.store.size_bytes().await? < target {
        let mut tx = app.store.begin().await?;
        for _ in 0..5000 {
            rows += 1;
            let change = Change {
                actor: &actor,
                action: "bench.fill",
                entity: "bench",
                entity_id: Some(rows.to_string()),
                before: None,
                after: Some(serde_json::json!({ "row": rows, "filler": filler })),
                request_id: None,
            };
            audit::record(&mut tx, &change).await?;
        }
        tx.commit().await?;
    }
    println!("fill: {rows} rows, database {} MiB, {:.1} s", app.store.size_bytes().await? / 1024 / 1024, started.elapsed().as_secs_f64());
    Ok(())
}

/// The catalog of the billing benchmark: monthly and yearly plans on one consolidated invoice,
/// quarterly-in-advance plans (ECM2-style) each on its own invoice.
const BENCH_BILLING: &str = r#"
[billing]
invoice_series = "B"

[terms.monthly]
name = "Monthly"
first_term = "1 month"
notice = "1 calendar month"
channels = ["email", "portal"]
consolidate = true

[terms.quarterly]
name = "3 months, then per month, invoiced per quarter"
first_term = "3 months"
renewal_term = "1 month"
billing_period = "quarter"
notice = "1 calendar month"
channels = ["email"]

[terms.yearly]
name = "Yearly"
first_term = "year"
notice = "30 days"
channels = ["email", "portal"]
consolidate = true

[products.hosting]
name = "Hosting"
kind = "hosting"

[products.domain]
name = "Domain"
kind = "domain"

[plans.hosting-month]
name = "Hosting S"
product = "hosting"
terms = "monthly"
prices = { "month" = "9.95" }

[plans.hosting-quarter]
name = "Hosting M"
product = "hosting"
terms = "quarterly"
prices = { "quarter" = "44.85" }

[plans.domain-year]
name = "Domain .nl"
product = "domain"
terms = "yearly"
prices = { "year" = "12.50" }

[plans.mail-year]
name = "Mail"
product = "hosting"
terms = "yearly"
prices = { "year" = "33.33" }
"#;

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map(|kib| kib / 1024)
        .unwrap_or(0)
}

/// Bench card `c` (from 0): every tenth a Belgian business (reverse charge), every tenth a
/// private customer, the rest Dutch businesses.
pub(crate) fn bench_card(app: &App, c: u64) -> loket_domain::customer::CustomerCard {
    use loket_domain::customer::{CustomerCard, CustomerKind, PaymentMethod};
    use loket_domain::provider::Address;
    let reverse = c % 10 == 3;
    let belgium: loket_domain::Country = "BE".parse().expect("a country");
    let home = app.config.provider.address.country;
    let consumer = c % 10 == 5;
    let check = 97 - (c % 97);
    CustomerCard {
        kind: if consumer { CustomerKind::Consumer } else { CustomerKind::Business },
        legal_name: format!("Bench customer {c}"),
        trading_name: None,
        address: Address {
            street: "Benchstraat 1".into(),
            postal_code: "1000".into(),
            city: "Bench".into(),
            country: if reverse { belgium } else { home },
        },
        email: format!("c{c}@bench.test"),
        invoice_email: format!("c{c}@bench.test"),
        phone: None,
        language: app.config.provider.default_language,
        vat_number: (!consumer).then(|| if reverse { format!("BE0{c:07}{check:02}") } else { format!("NL{:09}B01", c) }),
        coc_number: None,
        tax_code: None,
        sdi_code: None,
        pec: None,
        tier: "standard".into(),
        payment_method: PaymentMethod::Invoice,
        iban: None,
        wants_invoice_reminder: false,
        requires_second_factor: false,
        wants_ubl_attachment: false,
    }
}

/// `loket bench billing`: builds `customers` cards and `subscriptions` subscriptions (one in
/// ten customers a Belgian business billed by reverse charge, a quarter of the subscriptions
/// on quarterly terms with an invoice of their own, the rest consolidated), each with exactly
/// one billing period due on the run date; times one billing run; and checks the number and
/// total of the invoices against a sum computed here, independently of the engine.
pub async fn billing(app: &App, customers: u64, subscriptions: u64) -> anyhow::Result<()> {
    use jiff::civil::date;
    use loket_app::billing::file::BillingFile;
    use loket_domain::billing::lifecycle::Life;
    use loket_domain::billing::{Period, add_period};
    use loket_store::billing::bulk;
    use loket_store::billing::subscriptions::NewSubscription;

    anyhow::ensure!(customers > 0 && subscriptions >= customers, "--subscriptions must be at least --customers (> 0)");
    {
        let mut conn = app.store.acquire().await?;
        if !loket_store::customers::customers_page(&mut conn, 0, 1).await?.is_empty() {
            anyhow::bail!("the database already has customers: run the benchmark on a fresh database (--data-dir or --database-url)");
        }
    }
    let billing = app.billing();
    let actor = Actor::new(ActorKind::System, "bench");
    billing.apply(&actor, &BillingFile::parse(BENCH_BILLING)?).await?;
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    // (plan id, price in cents, billing period, consolidated)
    let plans: Vec<(i64, i64, Period, bool)> = [
        ("hosting-month", 995, Period::MONTH, true),
        ("hosting-quarter", 4485, Period::QUARTER, false),
        ("domain-year", 1250, Period::YEAR, true),
        ("mail-year", 3333, Period::YEAR, true),
    ]
    .iter()
    .map(|(code, price, period, consolidated)| (catalog.plan_by_code(code).expect("bench plan").id, *price, *period, *consolidated))
    .collect();
    let run_date = date(2026, 12, 1);

    let started = Instant::now();
    let per_customer = subscriptions / customers;
    let extra = subscriptions % customers;
    // Expected: per customer, one consolidated invoice (if any consolidated subscription) and
    // one per quarterly subscription; VAT 21 % on each invoice's net, none for reverse charge.
    let vat = |net: i64, reverse: bool| if reverse { 0 } else { (net * 21 + 50) / 100 };
    let (mut expected_count, mut expected_total) = (0i64, 0i64);
    let mut cards = Vec::new();
    let mut subs = Vec::new();
    let mut sub_index = 0u64;
    for c in 0..customers {
        let reverse = c % 10 == 3;
        let card = bench_card(app, c);
        cards.push((format!("B{:07}", c + 1), card));
        // A fresh database numbers the cards from 1.
        let customer_id = c as i64 + 1;
        let count = per_customer + u64::from(c < extra);
        let mut consolidated_net = 0i64;
        for _ in 0..count {
            let (plan_id, price, period, consolidated) = plans[(sub_index % 4) as usize];
            let k = (sub_index / 4 % 3) as i64;
            let start = add_period(run_date, period, -k);
            subs.push((
                NewSubscription {
                    customer_id,
                    plan_id,
                    terms_id: None,
                    label: format!("site{sub_index}.example"),
                    price: None,
                    life: Life::new(false, None),
                    start_date: start,
                    ordered_on: start,
                    parent_id: None,
                    aligned_to: None,
                },
                (k > 0).then_some(run_date),
            ));
            sub_index += 1;
            if consolidated {
                consolidated_net += price;
            } else {
                expected_count += 1;
                expected_total += price + vat(price, reverse);
            }
        }
        if consolidated_net > 0 {
            expected_count += 1;
            expected_total += consolidated_net + vat(consolidated_net, reverse);
        }
        if cards.len() >= 5000 || c + 1 == customers {
            let mut tx = app.store.begin().await?;
            bulk::insert_customers(&mut tx, &cards).await?;
            bulk::insert_subscriptions(&mut tx, &subs).await?;
            tx.commit().await?;
            cards.clear();
            subs.clear();
        }
    }
    // The statistics a database would have gathered by itself by the time it serves.
    app.store.analyze().await?;
    println!("billing: built {customers} customers and {subscriptions} subscriptions in {:.1} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let report = billing.run(run_date, false).await?;
    let secs = started.elapsed().as_secs_f64();
    let mut conn = app.store.acquire().await?;
    let (count, total) = bulk::document_totals(&mut conn, "invoice").await?;
    anyhow::ensure!(report.problems.is_empty(), "the run reported problems: {:?}", &report.problems[..report.problems.len().min(5)]);
    anyhow::ensure!(
        count == expected_count && total == expected_total,
        "check failed: {count} invoices totalling {total} cents stored, expected {expected_count} totalling {expected_total}"
    );
    anyhow::ensure!(report.invoices as i64 == count, "the run reported {} invoices, {count} are stored", report.invoices);
    println!(
        "billing: check OK, {count} invoices totalling {} match the independent sum",
        loket_domain::Money::new(total, app.config.provider.currency)
    );
    println!(
        "billing: {subscriptions} subscriptions, {count} invoices, {secs:.1} s, {:.0} invoices/s, peak RSS {} MiB",
        count as f64 / secs,
        peak_rss_mib()
    );
    analyze(app).await
}

/// Refreshes PostgreSQL's statistics after the run's 350,000 invoices (or the usage points), as
/// autovacuum would some time later: the page benchmark then measures the plans a live
/// database gets, not those of counts taken before the data existed.
async fn analyze(app: &App) -> anyhow::Result<()> {
    Ok(app.store.analyze().await?)
}

/// A signed-in session for the benchmark (second step done).
fn bench_session<'a>(id_hash: &'a str, user_id: i64, csrf_token: &'a str) -> loket_store::accounts::NewSession<'a> {
    loket_store::accounts::NewSession {
        id_hash,
        user_id,
        csrf_token,
        second_factor_done: true,
        ip: None,
        user_agent: Some("bench"),
        now: jiff::Timestamp::now(),
    }
}

/// The `k`-th customer the page benchmark uses: spread over all `customers` cards.
fn bench_customer(k: u64, customers: i64) -> i64 {
    1 + (k as i64 * 7919) % customers
}

/// `loket bench usage`: `points` daily usage points for the page benchmark's charts — the
/// first service of `points / days` customers (the benchmark's sessions' cards first), each with
/// `days` days up to today — written in transactions of 50,000 points.
pub async fn usage(app: &App, points: u64, days: u64) -> anyhow::Result<()> {
    use loket_domain::usage::UsagePoint;
    anyhow::ensure!(days > 0 && points >= days, "--points must be at least --days");
    let customers = {
        let mut conn = app.store.acquire().await?;
        loket_store::customers::count(&mut conn).await?
    };
    anyhow::ensure!(customers > 0, "the database has no customers: run `loket bench billing` on it first");
    let today = app.services().today();
    let services = (points / days).min(customers as u64);
    let started = Instant::now();
    let mut batch: Vec<UsagePoint> = Vec::with_capacity(50_000);
    let mut written = 0u64;
    for k in 0..services {
        let customer = bench_customer(k, customers);
        let Some(s) = app.store.customer_subscriptions(customer).await?.into_iter().next() else { continue };
        for d in 0..days {
            let day = loket_domain::billing::plus_days(today, -(d as i64));
            let n = d as i64;
            batch.push(UsagePoint {
                subscription_id: s.id,
                day,
                storage_mb: 800 + (k as i64 % 97) * 30 + (days as i64 - n) * 3,
                traffic_mb: 150 + (n * 37 + k as i64) % 400,
                storage_quota_mb: Some(10_240),
                traffic_quota_mb: Some(100_000),
            });
            if batch.len() == 50_000 {
                let mut tx = app.store.begin().await?;
                written += loket_store::usage::record(&mut tx, &batch).await?;
                tx.commit().await?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() {
        let mut tx = app.store.begin().await?;
        written += loket_store::usage::record(&mut tx, &batch).await?;
        tx.commit().await?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!("usage: {written} points for {services} services in {secs:.1} s ({:.0} points/s)", written as f64 / secs);
    analyze(app).await
}

/// `loket bench sessions`: signed-in sessions for the page benchmark (`bench/pages.sh`) on a
/// database that `bench billing` filled: `count` customers' owners (spread over the cards) and
/// one admin with an API token of every scope. Prints one line per session: `user TOKEN
/// CUSTOMER_ID INVOICE_ID SERVICE_ID`, and `staff TOKEN API_TOKEN`.
pub async fn sessions(app: &App, count: u64) -> anyhow::Result<()> {
    use loket_domain::Language;
    use loket_domain::access::{API_SCOPES, MemberRole, StaffRole};
    use loket_store::accounts::{NewUser, add_membership, create_user};
    use loket_store::billing::documents::{DocumentFilter, list};

    let customers = {
        let mut conn = app.store.acquire().await?;
        loket_store::customers::count(&mut conn).await?
    };
    anyhow::ensure!(customers > 0, "the database has no customers: run `loket bench billing` on it first");
    let stamp = jiff::Timestamp::now().as_second();
    let mut tx = app.store.begin().await?;
    let mut lines = Vec::new();
    for k in 0..count {
        let customer = bench_customer(k, customers);
        let email = format!("bench{stamp}-{k}@bench.test");
        let user =
            create_user(&mut tx, &NewUser { email: &email, name: "Bench", password_hash: None, language: Language::En, staff_role: None })
                .await?;
        add_membership(&mut tx, user, customer, MemberRole::Owner, MemberRole::Owner.default_permissions()).await?;
        let invoice =
            list(&mut tx, &DocumentFilter { customer_id: Some(customer), limit: 1, ..Default::default() }).await?.first().map(|d| d.id);
        let service = loket_store::billing::subscriptions::customer_subscriptions(&mut tx, customer).await?.first().map(|s| s.id);
        lines.push((user, format!("{customer} {} {}", invoice.unwrap_or(0), service.unwrap_or(0))));
    }
    let email = format!("bench{stamp}-staff@bench.test");
    let staff = create_user(
        &mut tx,
        &NewUser { email: &email, name: "Bench staff", password_hash: None, language: Language::En, staff_role: Some(StaffRole::Admin) },
    )
    .await?;
    let api = format!("lkt_{}", loket_auth::new_token());
    let scopes: Vec<String> = API_SCOPES.iter().map(|s| s.to_string()).collect();
    loket_store::tokens::create_api_token(&mut tx, staff, "bench", &loket_auth::token_hash(&api), &scopes).await?;
    tx.commit().await?;
    for (user, rest) in lines {
        let token = loket_auth::new_token();
        app.store.create_session(&bench_session(&loket_auth::token_hash(&token), user, &loket_auth::new_token())).await?;
        println!("user {token} {rest}");
    }
    let token = loket_auth::new_token();
    app.store.create_session(&bench_session(&loket_auth::token_hash(&token), staff, &loket_auth::new_token())).await?;
    // The users, cards' members and sessions just made are most of those tables: without fresh
    // statistics PostgreSQL's planner still thinks them empty and looked a session up by
    // scanning every session once per user (4 ms instead of 0.1), until autovacuum came by.
    app.store.analyze().await?;
    println!("staff {token} {api}");
    Ok(())
}

/// `loket bench documents`: on a fresh database, `bench billing` with one subscription per
/// customer issues `invoices` invoices; those are read back and rendered as PDF, UBL and
/// FatturaPA on every core, each format timed on its own. The bench provider is Dutch, so the
/// FatturaPA leg renders the same documents with an Italian provider as seller; documents a
/// format does not apply to (UBL for a private customer) are counted as refused.
pub async fn documents(app: &App, invoices: u64) -> anyhow::Result<()> {
    use loket_app::documents::{Format, doc_of, render};
    use loket_store::billing::documents as docs;

    anyhow::ensure!(invoices > 0, "--invoices must be above 0");
    billing(app, invoices, invoices).await?;
    let settings = app.config.document_settings();
    let started = Instant::now();
    let mut conn = app.store.acquire().await?;
    let mut loaded = Vec::with_capacity(invoices as usize);
    for id in 1..=invoices as i64 {
        if let Some(d) = docs::document(&mut conn, id).await? {
            loaded.push((id, doc_of(&mut conn, &d).await?));
        }
    }
    drop(conn);
    println!("documents: read {} invoices with their lines in {:.1} s", loaded.len(), started.elapsed().as_secs_f64());
    let italian = |doc: &loket_documents::Doc| {
        let mut d = doc.clone();
        d.seller.country = Some("IT".into());
        d.seller.vat_number = Some("IT12345678903".into());
        d.seller.postal_code = Some("20121".into());
        d
    };
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    loket_pdf::warm_up();
    let mut rates = Vec::new();
    for format in Format::ALL {
        let started = Instant::now();
        let chunk = loaded.len().div_ceil(threads).max(1);
        let (done, refused, bytes) = std::thread::scope(|s| {
            let handles: Vec<_> = loaded
                .chunks(chunk)
                .map(|part| {
                    let settings = &settings;
                    s.spawn(move || {
                        let (mut done, mut refused, mut bytes) = (0u64, 0u64, 0u64);
                        for (id, doc) in part {
                            let doc = if format == Format::FatturaPa { italian(doc) } else { doc.clone() };
                            match render(&doc, *id, format, settings) {
                                Ok(f) => {
                                    done += 1;
                                    bytes += f.content.len() as u64;
                                }
                                Err(_) => refused += 1,
                            }
                        }
                        (done, refused, bytes)
                    })
                })
                .collect();
            handles.into_iter().fold((0, 0, 0), |acc, h| {
                let (d, r, b) = h.join().unwrap_or((0, 0, 0));
                (acc.0 + d, acc.1 + r, acc.2 + b)
            })
        });
        let secs = started.elapsed().as_secs_f64();
        println!(
            "documents: {} {done} rendered, {refused} refused, {:.0} KiB each on average, {secs:.2} s on {threads} threads",
            format.name(),
            bytes as f64 / done.max(1) as f64 / 1024.0
        );
        // Only documents written count: a refusal (a consumer has no Peppol address) is cheap,
        // and its time stays in `secs`.
        rates.push(done as f64 / secs);
    }
    println!(
        "documents: {} invoices, pdf {:.0}/s, ubl {:.0}/s, fatturapa {:.0}/s, peak RSS {} MiB",
        loaded.len(),
        rates[0],
        rates[1],
        rates[2],
        peak_rss_mib()
    );
    Ok(())
}

mod bank;
mod ingest;
mod monitor;
mod tickets;
pub use bank::bank;
pub use ingest::ingest;
pub use monitor::monitor;
pub use tickets::tickets;
