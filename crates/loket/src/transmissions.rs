//! `loket documents transmit` and `loket documents transmissions`: the e-invoice queue from
//! the command line — send what waits now, see what went where, queue a failed one again.

use loket::app::App;
use loket_store::billing::transmissions as queue;

pub async fn transmit(app: &App) -> anyhow::Result<()> {
    let settings = app.config.transmit_settings();
    if !settings.is_on() {
        anyhow::bail!("no e-invoices are sent: set einvoicing.transmit_from and einvoicing.sdi_folder or einvoicing.peppol_folder");
    }
    let documents = app.config.document_settings();
    let mut total = loket_app::transmit::Round::default();
    loop {
        let round = loket_app::transmit::transmit(&app.store, &settings, &documents).await?;
        total.queued += round.queued;
        total.sent += round.sent;
        total.failed += round.failed;
        total.retrying = round.retrying;
        if !round.more {
            break;
        }
    }
    println!("e-invoices: {} newly queued, {} sent, {} failed, {} to retry", total.queued, total.sent, total.failed, total.retrying);
    if total.failed > 0 {
        println!("see them with: loket documents transmissions --state failed");
    }
    Ok(())
}

pub async fn list(app: &App, state: Option<&str>, retry: Option<i64>, limit: i64) -> anyhow::Result<()> {
    let mut conn = app.store.acquire().await?;
    if let Some(id) = retry {
        let Some(t) = queue::get(&mut conn, id).await? else { anyhow::bail!("--retry: there is no transmission {id}") };
        if !queue::retry(&mut conn, id).await? {
            anyhow::bail!("--retry: transmission {id} ({} over {}) is {}, not failed", t.number, t.channel, t.state);
        }
        println!(
            "transmission {id} ({} over {}) is queued again; it goes with the next round (loket documents transmit)",
            t.number, t.channel
        );
        return Ok(());
    }
    if !(1..=10_000).contains(&limit) {
        anyhow::bail!("--limit: give 1 to 10000");
    }
    let rows = match state {
        Some(s @ ("queued" | "sending" | "sent" | "failed")) => queue::in_state(&mut conn, s, limit).await?,
        Some(other) => anyhow::bail!("--state: `{other}` is not queued, sending, sent or failed"),
        None => queue::latest(&mut conn, limit).await?,
    };
    let counts = queue::counts(&mut conn).await?;
    println!("{}", counts.iter().map(|(s, n)| format!("{s}: {n}")).collect::<Vec<_>>().join(", "));
    for t in rows {
        println!(
            "{:>6}  {:<12} {:<7} {:<8} attempts {}  {}  {}",
            t.id,
            t.number,
            t.channel,
            t.state,
            t.attempts,
            t.updated_at.strftime("%Y-%m-%d %H:%M"),
            t.detail.unwrap_or_default()
        );
    }
    Ok(())
}
