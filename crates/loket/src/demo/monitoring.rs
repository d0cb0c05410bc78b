//! The demo's monitoring. The provider's own panel and status page (public), and each demo
//! card's services, are watched live — the demo stands in for the customers' sites with its own
//! server (`server.listen`), so they are up while the demo runs on it; the bakery's mail server is
//! one that is not there, so the demo shows a live incident with its ticket. The months before
//! today get a history written as the checker would have rolled it up: Rossi Web's site was
//! down two hours last month (below the 99.8 % of seed 000, so a credit reaches its next
//! invoice), everything else up, with the weekly Sunday-night maintenance left out. Then last
//! month's reports go out as on the first of the month.

use loket_app::monitoring::MonitorsFile;
use loket_domain::monitoring::maintenance::merge;
use loket_domain::monitoring::rollup::{Buckets, Tally, cut, start_of_day_ms};
use loket_domain::monitoring::state::Segment;
use loket_store::audit::{Actor, ActorKind};
use loket_store::monitoring::results::{self, Rollups};

use crate::app::App;

pub async fn load(app: &App, bakkerij: i64, jansen: i64, rossi: i64) -> anyhow::Result<()> {
    let services = app.services();
    let err = |what: &'static str| move |e: loket_app::AppError| anyhow::anyhow!("demo monitoring, {what}: {e}");
    let sub_of = |card: i64| async move {
        let mut conn = app.store.acquire().await?;
        let subs = loket_store::billing::subscriptions::customer_subscriptions(&mut conn, card).await?;
        Ok::<Option<i64>, anyhow::Error>(subs.first().map(|s| s.id))
    };
    let (Some(bakery), Some(jan), Some(rossi_sub)) = (sub_of(bakkerij).await?, sub_of(jansen).await?, sub_of(rossi).await?) else {
        return Ok(());
    };
    // This server, as the checker on this machine reaches it.
    let mut listen = app.config.listen;
    if listen.ip().is_unspecified() {
        listen.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let base = format!("http://{listen}");
    let first = services.today().first_of_month();
    let previous = first.checked_sub(jiff::Span::new().months(2)).unwrap_or(first);
    let file = format!(
        r#"
[sla]
target = "99.8 %"
credit = "10 %"

[monitors.panel]
name = "Klantenpaneel"
kind = "http"
target = "{base}/health"
public = true

[monitors.status]
name = "Statuspagina"
kind = "http"
target = "{base}/status"
public = true

[monitors.platform]
name = "Hostingplatform (TCP)"
kind = "tcp"
target = "{listen}"
public = true

[monitors.bakkerij-web]
name = "bakkerijdevries.nl"
kind = "http"
target = "{base}/health"
subscription = {bakery}
notify_customer = true

[monitors.bakkerij-mail]
name = "Mail bakkerijdevries.nl"
kind = "smtp"
target = "smtp://127.0.0.1:1"
subscription = {bakery}

[monitors.jansen-web]
name = "jansen.nl"
kind = "http"
target = "{base}/health"
subscription = {jan}

[monitors.rossi-web]
name = "rossiweb.it"
kind = "http"
target = "{base}/status"
subscription = {rossi_sub}
notify_customer = true

[maintenance.sunday-updates]
starts = "{previous} 02:00"
duration = "2 hours"
repeat = "weekly"
reason = "Server updates"
monitors = ["*"]
"#,
        previous = sunday_on_or_after(previous),
    );
    let actor = Actor::new(ActorKind::System, "demo");
    services.apply_monitors(&actor, &MonitorsFile::parse(&file).map_err(err("file"))?).await.map_err(err("apply"))?;

    // The two months before this one, as the checker would have rolled them up.
    let tz = app.config.provider.tz();
    let from = start_of_day_ms(previous, &tz);
    let to = start_of_day_ms(first, &tz);
    let mut tx = app.store.begin().await?;
    let windows = loket_store::monitoring::maintenance::all(&mut tx).await?;
    let maintenance = merge(windows.iter().flat_map(|w| w.window.occurrences(&tz, from, to)).collect());
    let mut rollups = Rollups::default();
    for code in ["panel", "status", "platform", "bakkerij-web", "bakkerij-mail", "jansen-web", "rossi-web"] {
        let Some(m) = loket_store::monitoring::by_code(&mut tx, code).await? else { continue };
        // Rossi Web's site: down for two hours on the 14th of last month, 03:10 local.
        let outage = (code == "rossi-web").then(|| {
            let day =
                first.checked_sub(jiff::Span::new().months(1)).unwrap_or(first).checked_add(jiff::Span::new().days(13)).unwrap_or(first);
            let start = start_of_day_ms(day, &tz) + (3 * 60 + 10) * 60_000;
            (start, start + 2 * 3_600_000)
        });
        let mut segments = Vec::new();
        match outage {
            Some((s, e)) => {
                segments.push(Segment { from, to: s, down: false });
                segments.push(Segment { from: s, to: e, down: true });
                segments.push(Segment { from: e, to, down: false });
                let id = loket_store::monitoring::incidents::open(&mut tx, m.id, s, Some("status"), "HTTP 503").await?;
                loket_store::monitoring::incidents::close(&mut tx, id, e).await?;
            }
            None => segments.push(Segment { from, to, down: false }),
        }
        for segment in segments {
            for (b, t) in cut(&segment, &maintenance, &tz) {
                rollups.add(m.id, b.hour, b.day, &t);
            }
        }
        // One check a minute, 180 ms on average (the month's counts and response times).
        let mut at = from;
        while at < to {
            let b = Buckets::of(at, &tz);
            let day_end = b.day.tomorrow().map(|d| start_of_day_ms(d, &tz)).unwrap_or(to).min(to);
            let minutes = (day_end - at) / 60_000;
            let t = Tally { checks: minutes, latency_sum_ms: minutes * 180, latency_max_ms: 950, ..Tally::default() };
            rollups.add(m.id, b.hour, b.day, &t);
            at = day_end;
        }
    }
    results::write(&mut tx, &[], &rollups, &[]).await?;
    tx.commit().await?;

    // Last month's reports, as on the first of the month (Rossi Web's credit included).
    services.monthly_reports(&services.last_month()).await.map_err(err("reports"))?;
    Ok(())
}

/// The first Sunday on or after `day`.
fn sunday_on_or_after(day: jiff::civil::Date) -> jiff::civil::Date {
    let mut d = day;
    while d.weekday() != jiff::civil::Weekday::Sunday {
        d = d.tomorrow().unwrap_or(d);
    }
    d
}
