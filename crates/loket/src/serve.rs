//! `loket serve`: the web server, the job worker and the scheduler in one process, stopped
//! gracefully by SIGTERM or Ctrl-C.

use std::sync::Arc;

use anyhow::Context;
use loket_store::jobs::{WorkerConfig, run_worker};
use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::{demo, handlers, scheduler};

pub async fn serve(app: App, load_demo: bool) -> anyhow::Result<()> {
    if load_demo {
        demo::load(&app).await?;
    } else {
        let demo = crate::config::demo_provider_fields(&app.config.provider);
        if !demo.is_empty() {
            tracing::warn!(
                fields = %demo.join(", "),
                "the provider's identity is still partly the demo company's: invoices carry these fields; set your own under [provider]"
            );
        }
    }
    for warning in crate::config::unknown_env_warnings() {
        tracing::warn!("{warning}");
    }
    let listen = app.config.listen;
    let listener =
        tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen} (--listen / LOKET_LISTEN)"))?;
    run(app, listener, shutdown_signal()).await
}

/// Serves on `listener` — HTTP, the job worker and the scheduler — until `shutdown`
/// completes; then no new requests are taken and running jobs finish.
pub async fn run(
    mut app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    if !app.config.public_url_set {
        // Links (mail, the payment provider's way back) lead to where this server listens.
        let host = if addr.ip().is_unspecified() { std::net::SocketAddr::from(([127, 0, 0, 1], addr.port())) } else { addr };
        app.config.public_url = format!("http://{host}");
        app.online = app.config.payments.settings(&app.config.public_url)?;
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let state = loket_web::AppState::new(
        app.store.clone(),
        app.config.provider.clone(),
        app.config.public_url.clone(),
        app.composer.clone(),
        wake.clone(),
    )?
    .with_reviewed_fields(app.config.reviewed_fields.clone())
    .with_staff_second_factor(app.config.staff_require_second_factor)
    .with_trusted_proxy(app.config.trust_forwarded_for)
    .with_clock(app.clock.clone())
    .with_files(loket_store::files::FileStore::new(app.config.files_dir()))
    .with_sepa(app.config.sepa.clone())
    .with_brand(loket_web::brand::Brand::new(app.config.branding_accent.clone(), app.config.branding_logo_file.clone()))
    .with_documents(app.config.document_settings())
    .with_online(app.online.clone())
    .with_helpdesk(app.helpdesk.clone());
    // The demo's payment provider answers in this server, where its checkout pages are.
    let demo_psp = (app.config.payments.provider == crate::config::payments::Provider::Demo).then(|| {
        let base = format!("{}{}", app.config.public_url.trim_end_matches('/'), crate::config::payments::DEMO_PSP_PATH);
        loket_payments::fake::FakeMollie::new(base).router()
    });

    let mut background = Vec::new();
    if app.config.jobs_workers > 0 {
        let config = WorkerConfig {
            node: node_name(addr),
            concurrency: app.config.jobs_workers,
            lease: app.config.jobs_lease,
            poll_interval: app.config.jobs_poll_interval,
            ..WorkerConfig::default()
        };
        background.push(tokio::spawn(run_worker(app.store.clone(), handlers::registry(&app), config, wake.clone(), stop_rx.clone())));
    }
    background.push(tokio::spawn(scheduler::run(
        app.store.clone(),
        app.clock.clone(),
        scheduler::tasks(&app.config),
        app.helpdesk.as_ref().is_some_and(|h| !h.escalation.is_empty()),
        app.config.provider.tz(),
        wake.clone(),
        stop_rx.clone(),
    )));

    // Mail to the support address becomes tickets: every node fetches the mailboxes (a message
    // taken twice makes one entry, by its Message-ID).
    if app.helpdesk.is_some() && !app.config.helpdesk.mailboxes.is_empty() {
        let boxes: Vec<_> = app.config.helpdesk.mailboxes.iter().filter_map(|b| crate::mailboxes::parse(b).ok()).collect();
        let deliver = std::sync::Arc::new(crate::mailboxes::IngestMail(std::sync::Arc::new(app.services_with_wake(wake.clone()))));
        let mut stop = stop_rx.clone();
        background.push(tokio::spawn(async move {
            if let Err(e) = loket_imap::run_all(boxes, deliver, async move {
                let _ = stop.changed().await;
            })
            .await
            {
                tracing::error!(error = %e, "helpdesk mailboxes not started");
            }
        }));
    }

    // Every node checks monitors; the claim gives each slot to one of them.
    if app.config.monitoring_enabled {
        let checker = crate::monitoring::Checker {
            services: Arc::new(app.services_with_wake(wake.clone())),
            prober: loket_monitor::Prober::with_roots(
                app.config.monitoring_roots.iter().map(|c| rustls_pki_types::CertificateDer::from(c.clone())).collect(),
            ),
            concurrency: app.config.monitoring_concurrency,
            stats: None,
        };
        background.push(tokio::spawn(checker.run(stop_rx.clone())));
    }

    if !addr.ip().is_loopback() && points_to_this_machine(&app.config.public_url) {
        tracing::warn!(
            listen = %addr,
            public_url = %app.config.public_url,
            "server.public_url points to this machine ({}) while Loket listens beyond it: every link in e-mails (invoices, \
             reminders, renewal offers, password resets) leads there; set server.public_url (LOKET_SERVER_PUBLIC_URL) to the \
             address customers use",
            app.config.public_url
        );
    }
    // The one line tests and scripts wait for.
    println!("Loket {} listening on http://{addr}", env!("CARGO_PKG_VERSION"));
    tracing::info!(%addr, database = %loket_store::redact(&app.config.database_url()), "serving");

    let stop = stop_tx.clone();
    let extra = demo_psp.map(|r| (crate::config::payments::DEMO_PSP_PATH, r));
    loket_web::serve(listener, state, extra, app.config.header_timeout, async move {
        shutdown.await;
        tracing::info!("shutting down: no new requests; finishing running jobs");
        let _ = stop.send(true);
    })
    .await
    .context("HTTP server")?;
    let _ = stop_tx.send(true);
    for task in background {
        let _ = task.await;
    }
    app.store.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn node_name(addr: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "localhost".into());
    format!("{host}:{}:{}", addr.port(), std::process::id())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Whether `url` leads to the machine it is opened on (127.0.0.1, localhost, ::1): the default,
/// and the example configuration's value, neither of which a customer can reach.
fn points_to_this_machine(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_to_this_machine() {
        for local in ["http://127.0.0.1:8080", "http://localhost", "https://LOCALHOST:8443/x", "http://[::1]:8080/", "http://127.0.1.1"] {
            assert!(super::points_to_this_machine(local), "{local}");
        }
        for public in ["https://mijn.pingweb.nl", "http://10.0.0.5:8080", "https://localhost.example.nl"] {
            assert!(!super::points_to_this_machine(public), "{public}");
        }
    }
}
