//! `loket`: one program for a hosting provider's customer side. See README.md and
//! ARCHITECTURE.md at the top of the repository.

mod bank;
mod bench;
mod commands;
mod exports;
mod imports;
mod sepa;
mod transmissions;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use loket_domain::Language;

use loket::app::App;
use loket::config::{self, Config, LogFormat};
use loket::{demo, serve};

#[derive(Parser)]
#[command(name = "loket", version, about = "Billing, customer panel and helpdesk for web-hosting providers", propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Configuration file [default: ./loket.toml if it exists]
    #[arg(long, global = true, env = "LOKET_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Folder for the SQLite database, mail-out and attachments [default: ./loket-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL (postgres://USER@HOST:PORT/DB) instead of SQLite in the data directory
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server, job worker and scheduler
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<String>,
        /// Load the demo provider's data first (once; idempotent)
        #[arg(long)]
        demo: bool,
    },
    /// Create or update the database schema, then exit
    Migrate,
    /// Configuration
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Load the demo data (idempotent)
    Demo,
    /// The durable job queue
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Outgoing mail
    #[command(subcommand)]
    Mail(MailCommand),
    /// The provider's staff
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Personal API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Billing: apply a billing file, run billing for a date
    #[command(subcommand)]
    Billing(BillingCommand),
    /// The use of hosting services (storage, traffic)
    #[command(subcommand)]
    Usage(UsageCommand),
    /// Documents: export them for the accountant, import a provider's invoice history
    #[command(subcommand)]
    Documents(DocumentsCommand),
    /// Bank statements: import camt.053 or MT940, see the credits waiting for staff
    #[command(subcommand)]
    Bank(BankCommand),
    /// SEPA direct debit: the file of collections for the bank, the mandates
    #[command(subcommand)]
    Sepa(SepaCommand),
    /// The helpdesk: a card's own hourly rate
    #[command(subcommand)]
    Helpdesk(HelpdeskCommand),
    /// Monitoring: apply a monitors file, send a month's availability reports
    #[command(subcommand)]
    Monitors(MonitorsCommand),
    /// Benchmarks with fixed data sizes (use a fresh database)
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum MonitorsCommand {
    /// Apply a monitors file: [sla], [monitors.CODE] and [maintenance.CODE]; changes only what
    /// it names, all or nothing (every bad field named)
    Apply {
        /// The TOML file
        file: PathBuf,
    },
    /// Send every card its availability report for a month and give the credits of missed
    /// targets (each once; the daily job does this on the first of the month)
    Report {
        /// The month, e.g. 2026-11 (default: last month)
        #[arg(long)]
        month: Option<String>,
    },
}

#[derive(Subcommand)]
enum UsageCommand {
    /// Import daily usage points from a CSV file with the columns
    /// subscription_id,date,storage_mb,traffic_mb[,storage_quota_mb,traffic_quota_mb]; all rows
    /// or none (a bad row is named by its line); a day imported again replaces its figures
    Import {
        /// The CSV file
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate a configuration file and the LOKET_* environment; name every wrong field
    Check {
        /// The file to check [default: --config, or ./loket.toml]
        file: Option<PathBuf>,
    },
    /// List every option with its environment variable
    Options,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Show jobs, newest first
    List {
        /// queued, running, done or dead (dead letters)
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Give a dead job a fresh set of attempts
    Retry {
        /// The job's id
        id: i64,
    },
    /// Run every due job now in this process, then exit
    Run,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Show entries, newest first
    List {
        /// Only this kind of entity (e.g. job, outbox, customer)
        #[arg(long)]
        entity: Option<String>,
        /// Only this entity id (with --entity)
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send a test message through the configured transport
    Test {
        /// Recipient address
        #[arg(long)]
        to: String,
        /// nl, it or en [default: the provider's language]
        #[arg(long)]
        lang: Option<Language>,
        /// Only queue it for a running `loket serve` to deliver
        #[arg(long)]
        queue_only: bool,
    },
    /// Show the outbox, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Turn one message on standard input into a ticket or a reply (for the MTA's pipe).
    /// Exit 0: taken (also a duplicate or an auto-reply); 65: not a readable message (do not
    /// retry); 75: Loket cannot take it now (the MTA retries later)
    Ingest,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff user; prints a generated password once unless --password-stdin
    Add {
        /// The staff member's e-mail address (their sign-in name)
        #[arg(long)]
        email: String,
        /// admin, billing, support or sales
        #[arg(long)]
        role: loket_domain::access::StaffRole,
        /// Full name [default: the part of the e-mail address before @]
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (first line) instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the staff users with their role, and whether they are disabled
    List,
    /// Change a staff user's role, or disable one who left (their sessions end, their API tokens stop)
    Set {
        /// The staff member's e-mail address
        #[arg(long)]
        email: String,
        /// admin, billing, support or sales
        #[arg(long)]
        role: Option<loket_domain::access::StaffRole>,
        /// Disable the account: it can no longer sign in or use its API tokens
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Enable a disabled account again
        #[arg(long)]
        enable: bool,
    },
    /// Give a staff user a new password (printed once unless --password-stdin); their sessions end
    Password {
        /// The staff member's e-mail address
        #[arg(long)]
        email: String,
        /// Read the password from standard input (first line) instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for a user and print it once
    Create {
        /// The user's e-mail address
        #[arg(long)]
        email: String,
        /// Comma-separated, any of: customers:read, customers:write, account:read, members:write,
        /// changes:review, billing:read, billing:write, usage:write, orders:write, helpdesk:read,
        /// helpdesk:write, monitoring:read, monitoring:write [default: account:read, plus
        /// customers:read for staff]
        #[arg(long)]
        scope: Option<String>,
        /// What the token is for
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List a user's tokens (never the tokens themselves)
    List {
        /// The user's e-mail address
        #[arg(long)]
        email: String,
    },
    /// Revoke a token
    Revoke {
        /// The token's id (from `token list`)
        id: i64,
    },
}

#[derive(Subcommand)]
enum BillingCommand {
    /// Check a billing file (settings, terms, products, plans); name every wrong field
    Check {
        /// e.g. examples/providers/ecm2.billing.toml
        file: PathBuf,
    },
    /// Apply a billing file to the database (create or update by code)
    Apply {
        /// e.g. examples/providers/ecm2.billing.toml
        file: PathBuf,
    },
    /// Run billing for a date: lives of subscriptions, invoices due, dunning
    Run {
        /// YYYY-MM-DD [default: today in the provider's time zone]
        #[arg(long)]
        date: Option<String>,
        /// Run every day from --date up to and including this one, in order (replay, catch up)
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: Option<String>,
        /// Show what would be issued, change nothing
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DocumentsCommand {
    /// Write every document issued in a period as one file each (PDF, UBL or FatturaPA)
    Export {
        /// pdf, ubl or fatturapa
        #[arg(long)]
        format: String,
        /// The folder to write into (made if missing)
        #[arg(long)]
        out: PathBuf,
        /// First issue date (YYYY-MM-DD) [default: the first document]
        #[arg(long)]
        from: Option<String>,
        /// Last issue date (YYYY-MM-DD) [default: the last document]
        #[arg(long)]
        to: Option<String>,
    },
    /// Import historical invoices from a CSV file, all rows or none (see README)
    Import {
        /// The CSV file
        file: PathBuf,
        /// The folder holding the invoices' original PDFs (named in the file's `pdf` column)
        #[arg(long)]
        pdf_dir: Option<PathBuf>,
    },
    /// Send the e-invoices waiting now (FatturaPA to the SDI, UBL over Peppol; see einvoicing.*)
    Transmit,
    /// The e-invoices sent or waiting, newest first; --retry ID queues a failed one again
    Transmissions {
        /// Only those in this state: queued, sending, sent or failed
        #[arg(long)]
        state: Option<String>,
        /// Queue this failed transmission again (after fixing its cause)
        #[arg(long)]
        retry: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum BankCommand {
    /// Import a statement (camt.053 or MT940): credits matched to invoices and booked, the rest
    /// left for staff; a file imported again books nothing twice
    Import {
        /// The statement file
        file: PathBuf,
    },
    /// The credits waiting for staff, oldest first
    Unmatched {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum SepaCommand {
    /// Write the pain.008 file collecting the open invoices of customers paying by direct debit
    /// (each debtor is told by e-mail); the file is kept, for /staff/direct-debits too
    Export {
        /// The day the money is collected (YYYY-MM-DD): a TARGET2 business day, sepa.lead_days
        /// TARGET days and sepa.pre_notification_days calendar days ahead
        #[arg(long, value_name = "YYYY-MM-DD")]
        collection_date: String,
        /// The file to write (not overwritten if it exists)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 001.02 or 001.08 [default: sepa.pain_version]
        #[arg(long)]
        pain_version: Option<String>,
    },
    /// The mandates, newest first
    Mandates {
        /// Only those in this state: active, revoked or expired
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum HelpdeskCommand {
    /// Give a card its own hourly rate for support, standby and call-outs, or take it away
    Rate {
        /// The card's number, e.g. C000001
        #[arg(long)]
        customer: String,
        /// The net rate, e.g. 110.00
        #[arg(long, conflicts_with = "standard", required_unless_present = "standard")]
        rate: Option<String>,
        /// Back to the standard rate (the billing file's hourly_rate)
        #[arg(long)]
        standard: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Check that many monitors at one interval against local targets for a while, then build
    /// every card's month report (fresh database)
    Monitor {
        #[arg(long, default_value_t = 10_000)]
        monitors: u64,
        /// Seconds between two checks of a monitor
        #[arg(long, default_value_t = 60)]
        interval: i64,
        /// How long to check
        #[arg(long, default_value_t = 300)]
        seconds: u64,
    },
    /// Import a camt.053 with that many credits against as many open invoices (fresh database)
    Bank {
        #[arg(long, default_value_t = 100_000)]
        entries: u64,
    },
    /// Ingest that many generated messages (new tickets, replies, attachments, auto-replies,
    /// bounces) through the same path as IMAP and `loket mail ingest` (fresh database)
    Ingest {
        #[arg(long, default_value_t = 100_000)]
        messages: u64,
    },
    /// Add that many tickets over the cards `bench billing` made (for bench/pages.sh)
    Tickets {
        #[arg(long, default_value_t = 1_000_000)]
        tickets: u64,
    },
    /// Enqueue and run no-op jobs
    Jobs {
        #[arg(long, default_value_t = 100_000)]
        count: u64,
        #[arg(long, default_value_t = 8)]
        workers: usize,
    },
    /// Build customers and subscriptions in a fresh database and time one billing run
    Billing {
        #[arg(long, default_value_t = 100_000)]
        customers: u64,
        #[arg(long, default_value_t = 1_000_000)]
        subscriptions: u64,
    },
    /// Sessions and an API token for the page benchmark (bench/pages.sh), on a `bench billing` database
    Sessions {
        #[arg(long, default_value_t = 64)]
        count: u64,
    },
    /// Daily usage points for the services of a `bench billing` database (the page benchmark's
    /// usage charts)
    Usage {
        #[arg(long, default_value_t = 1_000_000)]
        points: u64,
        /// Days of history per service (the services are points / days)
        #[arg(long, default_value_t = 365)]
        days: u64,
    },
    /// Issue invoices in a fresh database and time rendering them as PDF, UBL and FatturaPA
    Documents {
        #[arg(long, default_value_t = 10_000)]
        invoices: u64,
    },
    /// Grow the database to a size (for the cold-start benchmark)
    Fill {
        #[arg(long, default_value_t = 1024)]
        megabytes: i64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(global: &Global, listen: Option<&str>) -> anyhow::Result<Config> {
    let file = global.config.clone().or_else(|| Some(PathBuf::from("loket.toml")).filter(|p| p.exists()));
    let mut config = config::load(file.as_deref(), |k| std::env::var(k).ok()).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        anyhow::anyhow!("the configuration has {} problem(s):\n{}", problems.len(), lines.join("\n"))
    })?;
    if let Some(dir) = &global.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(url) = &global.database_url {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:")) {
            anyhow::bail!("--database-url: `{}` is not postgres://USER@HOST:PORT/DB or sqlite://PATH", loket_store::redact(url));
        }
        config.database_url = Some(url.clone());
    }
    if let Some(listen) = listen {
        config.listen = listen.parse().map_err(|_| anyhow::anyhow!("--listen: `{listen}` is not ADDRESS:PORT, e.g. 127.0.0.1:8080"))?;
    }
    Ok(config)
}

fn init_logging(format: LogFormat, default_level: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    // Colours only for a person at a terminal: a log file or journal gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Config(cmd) = &cli.command {
        return config_command(&cli.global, cmd);
    }
    if let Command::Billing(BillingCommand::Check { file }) = &cli.command {
        let config = load_config(&cli.global, None)?;
        return commands::billing_check(file, config.provider.currency);
    }
    if let Command::Mail(MailCommand::Ingest) = &cli.command {
        return Ok(commands::mail_ingest(load_config(&cli.global, None)));
    }
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.as_deref(),
        _ => None,
    };
    let mut config = load_config(&cli.global, listen)?;
    if let Command::Serve { demo: true, .. } = &cli.command {
        demo::configure(&mut config);
    }
    let level = if matches!(cli.command, Command::Serve { .. }) { "info,sqlx=warn" } else { "warn" };
    init_logging(config.log_format, level);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let app = App::open(config).await?;
        match cli.command {
            Command::Serve { demo, .. } => serve::serve(app, demo).await?,
            Command::Migrate => println!("database is up to date ({} migrations)", loket_store::MIGRATIONS.len()),
            Command::Demo => {
                let loaded = demo::load(&app).await?;
                if loaded.is_empty() {
                    println!("demo data was already loaded");
                } else {
                    println!("demo data loaded: {}", loaded.join(", "));
                }
            }
            Command::Jobs(JobsCommand::List { state, limit }) => commands::jobs_list(&app, state.as_deref(), limit).await?,
            Command::Jobs(JobsCommand::Retry { id }) => commands::jobs_retry(&app, id).await?,
            Command::Jobs(JobsCommand::Run) => println!("ran {} jobs", commands::jobs_run(&app).await?),
            Command::Audit(AuditCommand::List { entity, id, limit }) => commands::audit_list(&app, entity, id, limit).await?,
            Command::Mail(MailCommand::Test { to, lang, queue_only }) => commands::mail_test(&app, &to, lang, queue_only).await?,
            Command::Mail(MailCommand::List { limit }) => commands::mail_list(&app, limit).await?,
            Command::Mail(MailCommand::Ingest) => unreachable!("handled before the database is opened"),
            Command::Staff(StaffCommand::Add { email, role, name, password_stdin }) => {
                commands::staff_add(&app, &email, role, name, password_stdin).await?
            }
            Command::Staff(StaffCommand::List) => commands::staff_list(&app).await?,
            Command::Staff(StaffCommand::Set { email, role, disable, enable }) => {
                let disabled = if disable {
                    Some(true)
                } else if enable {
                    Some(false)
                } else {
                    None
                };
                commands::staff_set(&app, &email, role, disabled).await?
            }
            Command::Staff(StaffCommand::Password { email, password_stdin }) => {
                commands::staff_password(&app, &email, password_stdin).await?
            }
            Command::Token(TokenCommand::Create { email, scope, name }) => {
                commands::token_create(&app, &email, scope.as_deref(), &name).await?
            }
            Command::Token(TokenCommand::List { email }) => commands::token_list(&app, &email).await?,
            Command::Token(TokenCommand::Revoke { id }) => commands::token_revoke(&app, id).await?,
            Command::Bench(BenchCommand::Jobs { count, workers }) => bench::jobs(&app, count, workers).await?,
            Command::Bench(BenchCommand::Fill { megabytes }) => bench::fill(&app, megabytes).await?,
            Command::Documents(DocumentsCommand::Export { format, out, from, to }) => {
                exports::export_files(&app, &format, &out, from.as_deref(), to.as_deref()).await?
            }
            Command::Documents(DocumentsCommand::Import { file, pdf_dir }) => {
                imports::import_history(&app, &file, pdf_dir.as_deref()).await?
            }
            Command::Documents(DocumentsCommand::Transmit) => transmissions::transmit(&app).await?,
            Command::Documents(DocumentsCommand::Transmissions { state, retry, limit }) => {
                transmissions::list(&app, state.as_deref(), retry, limit).await?
            }
            Command::Bench(BenchCommand::Documents { invoices }) => bench::documents(&app, invoices).await?,
            Command::Bench(BenchCommand::Bank { entries }) => bench::bank(&app, entries).await?,
            Command::Bench(BenchCommand::Ingest { messages }) => bench::ingest(&app, messages).await?,
            Command::Bench(BenchCommand::Tickets { tickets }) => bench::tickets(&app, tickets).await?,
            Command::Bench(BenchCommand::Monitor { monitors, interval, seconds }) => {
                bench::monitor(&app, monitors, interval, seconds).await?
            }
            Command::Monitors(MonitorsCommand::Apply { file }) => commands::monitors_apply(&app, &file).await?,
            Command::Monitors(MonitorsCommand::Report { month }) => commands::monitors_report(&app, month.as_deref()).await?,
            Command::Helpdesk(HelpdeskCommand::Rate { customer, rate, standard: _ }) => {
                commands::helpdesk_rate(&app, &customer, rate.as_deref()).await?
            }
            Command::Bank(BankCommand::Import { file }) => bank::import(&app, &file).await?,
            Command::Bank(BankCommand::Unmatched { limit }) => bank::unmatched(&app, limit).await?,
            Command::Sepa(SepaCommand::Export { collection_date, out, pain_version }) => {
                sepa::export(&app, &collection_date, &out, pain_version.as_deref()).await?
            }
            Command::Sepa(SepaCommand::Mandates { state, limit }) => sepa::mandates(&app, state.as_deref(), limit).await?,
            Command::Bench(BenchCommand::Sessions { count }) => bench::sessions(&app, count).await?,
            Command::Bench(BenchCommand::Usage { points, days }) => bench::usage(&app, points, days).await?,
            Command::Bench(BenchCommand::Billing { customers, subscriptions }) => bench::billing(&app, customers, subscriptions).await?,
            Command::Billing(BillingCommand::Apply { file }) => commands::billing_apply(&app, &file).await?,
            Command::Billing(BillingCommand::Run { date, until, dry_run, json }) => {
                commands::billing_run(&app, date.as_deref(), until.as_deref(), dry_run, json).await?
            }
            Command::Billing(BillingCommand::Check { .. }) => unreachable!("handled above"),
            Command::Usage(UsageCommand::Import { file }) => commands::usage_import(&app, &file).await?,
            Command::Config(_) => unreachable!("handled above"),
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn config_command(global: &Global, cmd: &ConfigCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCommand::Options => {
            for f in config::FIELDS {
                println!("{:<34} {:<36} {}", f.key, f.env_var(), f.doc);
            }
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Check { file } => {
            let file = file.clone().or_else(|| global.config.clone()).unwrap_or_else(|| PathBuf::from("loket.toml"));
            if !file.exists() {
                anyhow::bail!("{}: no such file (argument FILE)", file.display());
            }
            match config::load(Some(&file), |k| std::env::var(k).ok()) {
                Ok(c) => {
                    for warning in config::unknown_env_warnings() {
                        eprintln!("warning: {warning}");
                    }
                    let demo = config::demo_provider_fields(&c.provider);
                    if !demo.is_empty() {
                        eprintln!(
                            "{}: warning: {} still the demo company's: invoices would carry them; set your own under [provider]",
                            file.display(),
                            demo.join(", ") + if demo.len() == 1 { " is" } else { " are" }
                        );
                    }
                    println!(
                        "{}: OK — {} ({}), {}, time zone {}, database {}",
                        file.display(),
                        c.provider.trading_name,
                        c.provider.address.country,
                        c.provider.currency.code(),
                        c.provider.time_zone,
                        loket_store::redact(&c.database_url())
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    eprintln!("{}: {} problem(s)", file.display(), problems.len());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
