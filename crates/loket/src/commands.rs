//! Staff commands at the server's command line: the job queue and its dead letters, the audit
//! log, the outbox and a test mail.

use anyhow::{Context, bail};
use loket_domain::Language;
use loket_store::audit::{Actor, ActorKind, AuditQuery};
use loket_store::jobs::{JobState, WorkerConfig, drain};

use loket::app::App;
use loket::handlers;

pub async fn jobs_list(app: &App, state: Option<&str>, limit: i64) -> anyhow::Result<()> {
    let state = state.map(JobState::parse).transpose().context("--state")?;
    let jobs = app.store.jobs(state, limit).await?;
    let counts = app.store.job_counts().await?;
    println!("queued {}, running {}, dead {}", counts.queued, counts.running, counts.dead);
    for j in jobs {
        println!(
            "{:>8}  {:<8} {:<14} attempts {}/{}  run_at {}  {}{}",
            j.id,
            j.state.as_str(),
            j.kind,
            j.attempts,
            j.max_attempts,
            j.run_at,
            j.idempotency_key.as_deref().unwrap_or(""),
            j.last_error.map(|e| format!("\n          last error: {e}")).unwrap_or_default()
        );
    }
    Ok(())
}

pub async fn jobs_retry(app: &App, id: i64) -> anyhow::Result<()> {
    let job = match loket_app::operations::retry_job(&app.services(), &cli_actor(), id).await {
        Ok(job) => job,
        Err(loket_app::AppError::NotFound(_)) => bail!("no job with id {id} (argument ID)"),
        Err(e) => return Err(e.into()),
    };
    println!("job {id} ({}) queued again", job.kind);
    Ok(())
}

/// Runs every due job now, in this process, then returns.
pub async fn jobs_run(app: &App) -> anyhow::Result<usize> {
    let config = WorkerConfig {
        node: format!("cli-{}", std::process::id()),
        concurrency: app.config.jobs_workers.max(1),
        lease: app.config.jobs_lease,
        ..WorkerConfig::default()
    };
    Ok(drain(&app.store, &handlers::registry(app), &config).await?)
}

pub async fn audit_list(app: &App, entity: Option<String>, entity_id: Option<String>, limit: i64) -> anyhow::Result<()> {
    let entries = app.store.audit_entries(&AuditQuery { entity, entity_id, before_id: None, limit }).await?;
    for e in entries {
        println!(
            "{:>8}  {}  {}{}  {}  {}{}",
            e.id,
            e.at,
            e.actor_kind,
            e.actor_id.map(|a| format!(":{a}")).unwrap_or_default(),
            e.action,
            e.entity,
            e.entity_id.map(|i| format!(" {i}")).unwrap_or_default()
        );
        if let Some(b) = e.before {
            println!("          before {b}");
        }
        if let Some(a) = e.after {
            println!("          after  {a}");
        }
    }
    Ok(())
}

pub async fn mail_list(app: &App, limit: i64) -> anyhow::Result<()> {
    for m in app.store.mails(limit).await? {
        println!(
            "{:>8}  {:<7} {}  {:<8} {} → {}  {}{}",
            m.id,
            m.state,
            m.created_at,
            m.template,
            m.language,
            m.rcpt_to.join(", "),
            m.subject,
            m.last_error.map(|e| format!("\n          last error: {e}")).unwrap_or_default()
        );
    }
    Ok(())
}

/// Composes a test mail to `to`, stores it with its delivery job and (unless `queue_only`)
/// delivers it at once through the configured transport.
pub async fn mail_test(app: &App, to: &str, lang: Option<Language>, queue_only: bool) -> anyhow::Result<()> {
    let lang = lang.unwrap_or(app.config.provider.default_language);
    let id = match loket_app::operations::queue_test_mail(&app.services(), &cli_actor(), to, lang).await {
        Err(loket_app::AppError::Invalid(e)) => bail!("--to: {}", e.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")),
        other => other?,
    };
    if queue_only {
        println!("test mail queued as outbox message {id}; a running `loket serve` delivers it");
        return Ok(());
    }
    jobs_run(app).await?;
    let mail = app.store.mail(id).await?.context("outbox message vanished")?;
    match mail.state.as_str() {
        "sent" => println!("test mail {id} delivered to {to} ({})", describe_transport(app)),
        state => bail!("test mail {id} is {state}: {}", mail.last_error.unwrap_or_default()),
    }
    Ok(())
}

fn describe_transport(app: &App) -> String {
    match app.config.smtp() {
        Some(s) => format!("via SMTP {}:{}", s.host, s.port),
        None => format!("written to {}", app.config.mail_out_dir().display()),
    }
}

pub fn cli_actor() -> Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Actor::new(ActorKind::Cli, user)
}

/// Creates a staff user. The password comes from standard input or is generated and printed once.
pub async fn staff_add(
    app: &App,
    email: &str,
    role: loket_domain::access::StaffRole,
    name: Option<String>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let email = loket_domain::provider::check::email(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = match name {
        Some(n) => loket_domain::provider::check::text(&n, 200).map_err(|e| anyhow::anyhow!("--name: {e}"))?,
        None => email.split('@').next().unwrap_or(&email).to_string(),
    };
    let (password, generated) = new_password(password_stdin)?;
    loket_app::accounts::add_staff(&app.services(), &cli_actor(), &email, &name, role, &password).await.map_err(as_arguments)?;
    println!("staff user {email} ({}) created", role.name());
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// A password read from standard input, or a generated one (true: print it once).
fn new_password(password_stdin: bool) -> anyhow::Result<(String, bool)> {
    if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        loket_auth::check_new_password(&password).map_err(|e| anyhow::anyhow!("the password from standard input {e}"))?;
        Ok((password, false))
    } else {
        Ok((loket_auth::generate_password(), true))
    }
}

/// A refusal named by the command's arguments (`--email: …`).
fn as_arguments(e: loket_app::AppError) -> anyhow::Error {
    match e {
        loket_app::AppError::Invalid(errors) => {
            anyhow::anyhow!("{}", errors.iter().map(|e| format!("--{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))
        }
        e => e.into(),
    }
}

/// Prints every staff user: e-mail address, role, name, and whether disabled or without two-step sign-in.
pub async fn staff_list(app: &App) -> anyhow::Result<()> {
    for u in loket_app::staff::list(&app.services()).await? {
        let role = u.staff_role.map(|r| r.name()).unwrap_or("-");
        let state = if u.disabled {
            "disabled"
        } else if u.totp_enabled {
            "two-step"
        } else {
            "password only"
        };
        println!("{:<40} {:<8} {:<14} {}", u.email, role, state, u.name);
    }
    Ok(())
}

/// Changes a staff user's role, or disables or enables them.
pub async fn staff_set(
    app: &App,
    email: &str,
    role: Option<loket_domain::access::StaffRole>,
    disabled: Option<bool>,
) -> anyhow::Result<()> {
    if role.is_none() && disabled.is_none() {
        anyhow::bail!("say what changes: --role, --disable or --enable");
    }
    let u = loket_app::staff::change(&app.services(), &cli_actor(), email, role, disabled).await.map_err(as_arguments)?;
    let role = u.staff_role.map(|r| r.name()).unwrap_or("-");
    println!("staff user {} is {role}{}", u.email, if u.disabled { ", disabled: signed out everywhere" } else { "" });
    Ok(())
}

/// Gives a staff user a new password.
pub async fn staff_password(app: &App, email: &str, password_stdin: bool) -> anyhow::Result<()> {
    let (password, generated) = new_password(password_stdin)?;
    loket_app::staff::set_password(&app.services(), &cli_actor(), email, &password).await.map_err(as_arguments)?;
    println!("staff user {email} has a new password and is signed out everywhere");
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

async fn user_for(app: &App, email: &str) -> anyhow::Result<loket_store::accounts::User> {
    app.store.user_by_email(email).await?.ok_or_else(|| anyhow::anyhow!("--email: no user with e-mail address {email}"))
}

/// Creates a personal API token and prints it once.
pub async fn token_create(app: &App, email: &str, scope: Option<&str>, name: &str) -> anyhow::Result<()> {
    let user = user_for(app, email).await?;
    let default = if user.staff_role.is_some() { "account:read,customers:read" } else { "account:read" };
    let scopes = loket_domain::access::parse_scopes(scope.unwrap_or(default)).map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
    let name = loket_domain::provider::check::text(name, 100).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let (id, token) = loket_app::accounts::create_token(&app.services(), &cli_actor(), &user, &name, &scopes).await?;
    println!("token {id} for {} ({}), shown once:", user.email, scopes.join(","));
    println!("{token}");
    Ok(())
}

pub async fn token_list(app: &App, email: &str) -> anyhow::Result<()> {
    let user = user_for(app, email).await?;
    for t in app.store.api_tokens_of(user.id).await? {
        let state = if t.revoked_at.is_some() { "revoked" } else { "live" };
        println!("{:>6}  {state:<7} {:<20} {}  created {}", t.id, t.name, t.scopes.join(","), t.created_at);
    }
    Ok(())
}

pub async fn token_revoke(app: &App, id: i64) -> anyhow::Result<()> {
    if !loket_app::accounts::revoke_token(&app.services(), &cli_actor(), id).await? {
        bail!("no live token with id {id} (argument ID)");
    }
    println!("token {id} revoked");
    Ok(())
}

fn billing_file(file: &std::path::Path) -> anyhow::Result<loket_app::billing::file::BillingFile> {
    let text = std::fs::read_to_string(file).with_context(|| format!("{} (argument FILE)", file.display()))?;
    loket_app::billing::file::BillingFile::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// `loket billing check FILE`: every problem, one per line; exit 1 when there are any.
pub fn billing_check(file: &std::path::Path, currency: loket_domain::Currency) -> anyhow::Result<std::process::ExitCode> {
    let parsed = billing_file(file)?;
    let problems = parsed.check(currency);
    if problems.is_empty() {
        println!("{}: OK — {} terms, {} products, {} plans", file.display(), parsed.terms.len(), parsed.products.len(), parsed.plans.len());
        return Ok(std::process::ExitCode::SUCCESS);
    }
    for p in &problems {
        eprintln!("{}: {p}", file.display());
    }
    eprintln!("{}: {} problem(s)", file.display(), problems.len());
    Ok(std::process::ExitCode::FAILURE)
}

pub async fn billing_apply(app: &App, file: &std::path::Path) -> anyhow::Result<()> {
    let parsed = billing_file(file)?;
    let applied = app.billing().apply(&cli_actor(), &parsed).await.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    println!("{}: applied {} terms, {} products, {} plans", file.display(), applied.terms, applied.products, applied.plans);
    Ok(())
}

pub async fn monitors_apply(app: &App, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    let show = |e: loket_app::AppError| match e {
        loket_app::AppError::Invalid(errors) => {
            anyhow::anyhow!(
                "{}: nothing applied:\n{}",
                file.display(),
                errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
            )
        }
        other => anyhow::anyhow!("{}: {other}", file.display()),
    };
    let parsed = loket_app::monitoring::MonitorsFile::parse(&text).map_err(show)?;
    let applied = app.services().apply_monitors(&cli_actor(), &parsed).await.map_err(show)?;
    println!(
        "{}: {} new monitors, {} changed, {} maintenance windows, {} SLA rows",
        file.display(),
        applied.monitors_new,
        applied.monitors_changed,
        applied.maintenance,
        applied.sla
    );
    Ok(())
}

pub async fn monitors_report(app: &App, month: Option<&str>) -> anyhow::Result<()> {
    let services = app.services();
    let month = month.map(str::to_string).unwrap_or_else(|| services.last_month());
    loket_app::monitoring::report::month_start("--month", &month).map_err(|e| anyhow::anyhow!("{e}"))?;
    let run = services.monthly_reports(&month).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{month}: {} cards reported, {} services, {} credits", run.cards, run.services, run.credits);
    Ok(())
}

pub async fn usage_import(app: &App, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    let read = loket_domain::usage::read_csv(&text);
    let nothing = |errors: &[loket_domain::FieldError]| {
        anyhow::anyhow!("{}: nothing imported:\n{}", file.display(), errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))
    };
    let lines = read.lines.clone();
    let at = move |i: usize| format!("line {}: ", lines.get(i).copied().unwrap_or(0));
    if !read.errors.is_empty() {
        // The rows that read well are checked against the services too, so one round names
        // every problem of the file, in the order of its lines.
        let mut errors = read.errors;
        if errors.len() < 100 && !read.points.is_empty() {
            let services = app.services();
            let mut conn = services.store.acquire().await?;
            errors.extend(
                loket_app::usage::check(&mut conn, &read.points, &at).await.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
            );
        }
        errors.sort_by_key(|e| e.line().unwrap_or(usize::MAX));
        return Err(nothing(&errors));
    }
    if read.points.is_empty() {
        println!("{}: no rows", file.display());
        return Ok(());
    }
    let recorded = loket_app::usage::record(&app.services(), &cli_actor(), &read.points, &at).await.map_err(|e| match e {
        loket_app::AppError::Invalid(errors) => nothing(&errors),
        other => anyhow::anyhow!("{}: {other}", file.display()),
    })?;
    println!("{}: imported {} points for {} services", file.display(), recorded.points, recorded.services);
    Ok(())
}

pub async fn billing_run(app: &App, date: Option<&str>, until: Option<&str>, dry_run: bool, json: bool) -> anyhow::Result<()> {
    let billing = app.billing();
    let date = match date {
        Some(d) => d.parse::<jiff::civil::Date>().map_err(|_| anyhow::anyhow!("--date: `{d}` is not a date: write YYYY-MM-DD"))?,
        None => billing.today(),
    };
    let until = match until {
        Some(u) => u.parse::<jiff::civil::Date>().map_err(|_| anyhow::anyhow!("--until: `{u}` is not a date: write YYYY-MM-DD"))?,
        None => date,
    };
    anyhow::ensure!(until >= date, "--until: {until} is before --date {date}");
    anyhow::ensure!(!(dry_run && until > date), "--dry-run: runs one date only (leave out --until)");
    let mut day = date;
    while day < until {
        let report = billing.run(day, false).await?;
        print_report(app, &report, json);
        day = day.tomorrow()?;
    }
    let report = billing.run(until, dry_run).await?;
    print_report(app, &report, json);
    Ok(())
}

fn print_report(app: &App, report: &loket_app::billing::run::Report, json: bool) {
    let date = &report.date;
    let dry_run = report.dry_run;
    if json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
        return;
    }
    let eur = |m: i64| loket_domain::Money::new(m, app.config.provider.currency);
    let verb = if dry_run { "would issue" } else { "issued" };
    for d in &report.documents {
        println!("{:<14} {:<11} {:<9} {:>14}  due {}", d.number, d.kind, d.customer, eur(d.gross).to_string(), d.due_date);
        for l in &d.lines {
            println!("    {l}");
        }
    }
    println!(
        "{date}: {verb} {} invoices ({}) and {} pro formas; {} ended, {} renewal offers, {} lapsed, {} reminders, {} suspended, {} terminated",
        report.invoices,
        eur(report.invoiced_gross),
        report.pro_formas,
        report.ended,
        report.renewal_offers,
        report.lapsed,
        report.reminders,
        report.suspended_customers,
        report.terminated_customers
    );
    for p in &report.problems {
        eprintln!("problem: {p}");
    }
}

/// `loket mail ingest`: one message from the MTA's pipe. The exit code tells the MTA what to do
/// (sysexits): 0 taken, 65 never readable (bounce it), 75 not now (keep it and retry).
pub fn mail_ingest(config: anyhow::Result<loket::config::Config>) -> std::process::ExitCode {
    use std::io::Read;
    use std::process::ExitCode;
    const TEMPFAIL: u8 = 75;
    const DATAERR: u8 = 65;
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loket mail ingest: the configuration: {e:#}");
            return ExitCode::from(TEMPFAIL);
        }
    };
    let limit = 50 * 1024 * 1024;
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().take(limit as u64 + 1).read_to_end(&mut raw) {
        eprintln!("loket mail ingest: reading the message from standard input: {e}");
        return ExitCode::from(TEMPFAIL);
    }
    if raw.len() > limit {
        eprintln!("loket mail ingest: the message is larger than 50 MB");
        return ExitCode::from(DATAERR);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loket mail ingest: {e}");
            return ExitCode::from(TEMPFAIL);
        }
    };
    runtime.block_on(async move {
        let app = match App::open(config).await {
            Ok(a) => a,
            Err(e) => {
                eprintln!("loket mail ingest: the database: {e:#}");
                return ExitCode::from(TEMPFAIL);
            }
        };
        let services = app.services();
        let code = match services.ingest_mail(&[raw]).await {
            Ok(outcomes) => match outcomes.first() {
                Some(loket_app::helpdesk::IngestOutcome::Rejected(why)) => {
                    eprintln!("loket mail ingest: not taken: {why}");
                    ExitCode::from(DATAERR)
                }
                Some(o) => {
                    println!("{o:?}");
                    ExitCode::SUCCESS
                }
                None => ExitCode::from(TEMPFAIL),
            },
            Err(loket_app::AppError::Refused(why)) => {
                eprintln!("loket mail ingest: {why}");
                ExitCode::from(TEMPFAIL)
            }
            Err(e) => {
                eprintln!("loket mail ingest: not taken now, try again later: {e}");
                ExitCode::from(TEMPFAIL)
            }
        };
        app.store.close().await;
        code
    })
}

/// `loket helpdesk rate`: a card's own hourly rate, or (`None`) the standard rate again.
pub async fn helpdesk_rate(app: &App, number: &str, rate: Option<&str>) -> anyhow::Result<()> {
    let card = app
        .store
        .customer_by_number(number.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("--customer: no customer card {}", loket_domain::input::sample(number)))?;
    let actor = Actor::new(ActorKind::System, "cli");
    app.services().set_card_hourly_rate(&actor, card.id, rate).await.map_err(|e| match e {
        loket_app::AppError::Invalid(errors) => {
            anyhow::anyhow!("--rate: {}", errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    match rate {
        Some(r) => println!("{} ({}) now pays {} per hour for support, standby and call-outs", card.number, card.card.legal_name, r.trim()),
        None => println!("{} ({}) pays the standard hourly rate again", card.number, card.card.legal_name),
    }
    Ok(())
}
