//! `loket bench bank --entries N`: N customers billed through the real run, then one camt.053
//! statement with N credits against their N open invoices — most by RF reference, some by the
//! invoice number in the text, some for less than is open, some matching nothing — imported
//! through the service the CLI and the staff page use.

use std::time::Instant;

use loket::app::App;
use loket_bank::{Account, Balance, Direction, Entry, Format, Party, Statement};
use loket_store::audit::{Actor, ActorKind};

pub async fn bank(app: &App, entries: u64) -> anyhow::Result<()> {
    anyhow::ensure!(entries > 0, "--entries must be above 0");
    let iban =
        app.config.provider.iban.clone().ok_or_else(|| anyhow::anyhow!("provider.iban is needed: the statement is of that account"))?;
    super::billing(app, entries, entries).await?;
    let currency = app.config.provider.currency.code();
    let mut conn = app.store.acquire().await?;
    let open = loket_store::billing::bank::open_payables(&mut conn, currency).await?;
    drop(conn);
    let run_date = app.billing().today();
    let mut list = Vec::with_capacity(open.len());
    for (i, p) in open.iter().enumerate() {
        let mut e = Entry {
            amount: p.open,
            direction: Direction::Credit,
            currency: currency.into(),
            booking_date: run_date,
            value_date: None,
            bank_reference: Some(format!("BENCH{i:09}")),
            end_to_end_id: None,
            structured_reference: None,
            remittance: String::new(),
            counterparty: Party { name: Some(format!("Bench customer {}", p.customer_id)), iban: None, bic: None },
            reversal: false,
            return_reason: None,
            bank_code: Some("PMNT-RCDT-ESCT".into()),
            entry_key: String::new(),
        };
        match i % 20 {
            0 => e.remittance = format!("invoice {}", p.number),
            1 => {
                e.structured_reference = Some(p.payment_reference.clone());
                e.amount = (p.open / 2).max(1);
            }
            2 => e.remittance = "donation".into(),
            _ => e.structured_reference = Some(p.payment_reference.clone()),
        }
        list.push(e);
    }
    let total: i64 = list.iter().map(|e| e.amount).sum();
    let balance = |amount| Some(Balance { date: run_date, amount, currency: currency.into() });
    let statement = Statement {
        format: Format::Camt053 { version: "camt.053.001.02".into() },
        id: format!("BENCH-{entries}"),
        sequence: Some("1".into()),
        account: Account { iban: Some(iban), other_id: None, currency: Some(currency.into()), owner_name: None },
        created: None,
        from: Some(run_date),
        to: Some(run_date),
        opening: balance(0),
        closing: balance(total),
        entries: list,
        skipped_unbooked: 0,
    };
    let xml = loket_bank::write_camt053(&statement);
    println!("bank: wrote a camt.053 of {} entries ({:.1} MB)", statement.entries.len(), xml.len() as f64 / 1_048_576.0);

    let actor = Actor::new(ActorKind::Cli, "bench");
    let started = Instant::now();
    let report = app.billing().import_statement(&actor, Some("bench.xml"), xml.as_bytes()).await?;
    let secs = started.elapsed().as_secs_f64();
    let n = statement.entries.len();
    anyhow::ensure!(report.booked + report.unmatched == n, "check failed: {report:?}");
    println!(
        "bank: {n} entries, {} matched, {secs:.1} s, {:.0} entries/s (peak RSS {} MiB)",
        report.booked,
        n as f64 / secs,
        super::peak_rss_mib()
    );
    Ok(())
}
