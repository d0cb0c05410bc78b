//! `loket sepa export` and `loket sepa mandates`: the direct-debit file for the bank made from
//! the command line (written to a temporary file beside `--out`, then renamed), and the mandates
//! listed. Every refusal names the argument at fault.

use std::io::Write;
use std::path::Path;

use loket::app::App;
use loket_app::AppError;
use loket_domain::{FieldError, Money};

use crate::commands::cli_actor;

/// An error of the service as the command line says it: each wrong field as the option it
/// came from.
fn cli_error(e: AppError) -> anyhow::Error {
    let option = |f: &FieldError| match f.field.as_str() {
        "collection_date" => "--collection-date".to_string(),
        other => other.to_string(),
    };
    match e {
        AppError::Invalid(errors) => {
            anyhow::anyhow!("{}", errors.iter().map(|f| format!("{}: {}", option(f), f.message)).collect::<Vec<_>>().join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn export(app: &App, collection_date: &str, out: &Path, version: Option<&str>) -> anyhow::Result<()> {
    let date: jiff::civil::Date = collection_date.trim().parse().map_err(|_| {
        anyhow::anyhow!("--collection-date: `{}` is not a date: write YYYY-MM-DD", loket_domain::input::sample(collection_date))
    })?;
    let version =
        version.map(loket_app::billing::sepa::parse_pain_version).transpose().map_err(|e| anyhow::anyhow!("--pain-version: {e}"))?;
    if out.is_dir() {
        anyhow::bail!("--out: {} is a folder: name the file to write, e.g. {}/incasso.xml", out.display(), out.display());
    }
    if out.exists() {
        anyhow::bail!("--out: {} exists already: nothing is overwritten", out.display());
    }
    let dir = match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    // Writable before anything is recorded: a file made is a file the bank must get.
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "sepa.xml".into());
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| anyhow::anyhow!("--out: cannot write in {}: {e}", dir.display()))?;
    let made = app.billing().export_direct_debits(&cli_actor(), date, version).await.map_err(cli_error);
    let (bytes, summary) = match made {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let kept = |e: std::io::Error| {
        anyhow::anyhow!("--out: writing {}: {e} (the file is kept: download {} on /staff/direct-debits)", out.display(), summary.message_id)
    };
    file.write_all(&bytes).and_then(|_| file.sync_all()).map_err(kept)?;
    std::fs::rename(&tmp, out).map_err(kept)?;
    let money = loket_i18n::format_money(app.config.provider.default_language, Money::new(summary.total, app.config.provider.currency));
    println!(
        "{}: {} ({}), {} collections ({} FRST, {} RCUR), {money}, collection date {}; {} debtors told by e-mail",
        out.display(),
        summary.message_id,
        summary.pain_version,
        summary.collections,
        summary.first,
        summary.recurring,
        summary.collection_date,
        summary.debtors
    );
    if summary.expired_mandates > 0 {
        println!("{} open invoices left out: their mandate expired (36 months without a collection)", summary.expired_mandates);
    }
    Ok(())
}

pub async fn mandates(app: &App, state: Option<&str>, limit: i64) -> anyhow::Result<()> {
    if !(1..=10_000).contains(&limit) {
        anyhow::bail!("--limit: give 1 to 10000");
    }
    let state = match state {
        None => None,
        Some(s @ ("active" | "revoked" | "expired")) => Some(s),
        Some(other) => anyhow::bail!("--state: `{other}` is not active, revoked or expired"),
    };
    let mut conn = app.store.acquire().await?;
    let rows = loket_store::billing::sepa::mandates(&mut conn, state, 0, limit).await?;
    println!("{} mandate(s)", rows.len());
    for m in rows {
        println!(
            "{:<20} {:<8} {:<8} {:<34} {}  signed {}  last collected {}  {} ({})",
            m.reference,
            m.state,
            m.given_by,
            m.iban,
            m.bic.as_deref().unwrap_or("-"),
            m.signed_on,
            m.last_collected_on.map(|d| d.to_string()).unwrap_or_else(|| "never".into()),
            m.customer_name,
            m.customer_number
        );
    }
    Ok(())
}
