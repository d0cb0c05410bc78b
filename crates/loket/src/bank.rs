//! `loket bank import FILE` and `loket bank unmatched`: a bank statement booked from the
//! command line, and the credits it left for staff.

use std::path::Path;

use loket::app::App;

use crate::commands::cli_actor;

pub async fn import(app: &App, file: &Path) -> anyhow::Result<()> {
    let meta = std::fs::metadata(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    if meta.len() > loket_bank::MAX_BYTES as u64 {
        anyhow::bail!("{}: the file is larger than {} MB: nothing imported", file.display(), loket_bank::MAX_BYTES / 1024 / 1024);
    }
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string());
    let report = app.billing().import_statement(&cli_actor(), name.as_deref(), &bytes).await.map_err(|e| match e {
        loket_app::AppError::Invalid(errors) => {
            anyhow::anyhow!("{}: {}", file.display(), errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        }
        other => anyhow::anyhow!("{}: {other}", file.display()),
    })?;
    let money = loket_i18n::format_money(
        app.config.provider.default_language,
        loket_domain::Money::new(report.amount_booked, app.config.provider.currency),
    );
    println!(
        "{}: {} statement(s), {} credits: {} booked ({money}), {} waiting for staff, {} imported before; {} entries not for booking (money out, other currencies)",
        file.display(),
        report.statements,
        report.credits,
        report.booked,
        report.unmatched,
        report.already_imported,
        report.not_for_booking
    );
    if report.collections_credited > 0 || report.collections_returned > 0 {
        println!(
            "direct debits: {} collections credited and booked paid, {} came back (their invoices are open again; see /staff/direct-debits)",
            report.collections_credited, report.collections_returned
        );
    }
    if report.unmatched > 0 {
        println!("see them with: loket bank unmatched (or on /staff/bank)");
    }
    Ok(())
}

pub async fn unmatched(app: &App, limit: i64) -> anyhow::Result<()> {
    if !(1..=10_000).contains(&limit) {
        anyhow::bail!("--limit: give 1 to 10000");
    }
    let mut conn = app.store.acquire().await?;
    let total = loket_store::billing::bank::count_unmatched(&mut conn).await?;
    let rows = loket_store::billing::bank::unmatched(&mut conn, 0, limit).await?;
    println!("{total} credit(s) waiting for staff");
    for e in rows {
        let money = loket_i18n::format_money(
            app.config.provider.default_language,
            loket_domain::Money::new(e.amount, app.config.provider.currency),
        );
        let suggestions = if e.suggestions.is_empty() { String::new() } else { format!("  suggested invoice ids: {:?}", e.suggestions) };
        println!(
            "{:>6}  {}  {:>12}  {}  {}{}",
            e.id,
            e.booking_date,
            money,
            e.counterparty_name.as_deref().unwrap_or("-"),
            e.reference.as_deref().unwrap_or(e.remittance.lines().next().unwrap_or("")),
            suggestions
        );
    }
    Ok(())
}
