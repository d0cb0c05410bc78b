//! Opening Loket: configuration → database (migrated) → mail composer and transport. Every
//! command that touches data goes through [`App::open`], so all of them use the same store.

use anyhow::Context;
use loket_mail::{Composer, Transport};
use loket_store::Store;

use crate::config::Config;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub composer: Composer,
    pub transport: Transport,
    /// "Now" for the services and pages: the system clock, or a test's.
    pub clock: loket_app::Clock,
    /// The payment provider, when online payment is configured.
    pub online: Option<std::sync::Arc<loket_app::online::OnlineSettings>>,
    /// The helpdesk, unless `helpdesk.enabled = false`.
    pub helpdesk: Option<std::sync::Arc<loket_app::helpdesk::HelpdeskSettings>>,
}

impl App {
    pub async fn open(config: Config) -> anyhow::Result<App> {
        let url = config.database_url();
        let store = Store::connect(&url, config.database_max_connections).await?;
        let report = store.migrate().await.context("migrating the database")?;
        for (version, name) in &report.applied {
            tracing::info!(version, name, "applied migration");
        }
        let composer = Composer::new(config.provider.clone(), &config.mail_from()).context("mail.from")?;
        let transport = match config.smtp() {
            Some(s) => Transport::smtp(s).map_err(|e| anyhow::anyhow!("mail.smtp_*: {e}"))?,
            None => Transport::files(config.mail_out_dir()),
        };
        let online = config.payments.settings(&config.public_url)?;
        let helpdesk = config.helpdesk.settings(&config.provider)?;
        Ok(App { config, store, composer, transport, clock: loket_app::Clock::system(), online, helpdesk })
    }

    /// The service layer, for commands that change something. Its job wake-ups go nowhere: a
    /// command's jobs run in `loket serve` (or `loket jobs run`).
    pub fn services(&self) -> loket_app::Services {
        self.services_with_wake(std::sync::Arc::new(tokio::sync::Notify::new()))
    }

    /// The service layer for `loket serve`: the jobs it enqueues wake this node's worker.
    pub fn services_with_wake(&self, wake: std::sync::Arc<tokio::sync::Notify>) -> loket_app::Services {
        loket_app::Services::new(
            self.store.clone(),
            self.config.provider.clone(),
            self.composer.clone(),
            self.config.public_url.clone(),
            wake,
        )
        .with_reviewed_fields(self.config.reviewed_fields.clone())
        .with_clock(self.clock.clone())
        .with_files(loket_store::files::FileStore::new(self.config.files_dir()))
        .with_documents(self.config.document_settings())
        .with_online(self.online.clone())
        .with_sepa(self.config.sepa.clone())
        .with_helpdesk(self.helpdesk.clone())
        .with_monitoring(self.config.monitoring.clone())
    }

    /// The billing engine for this provider.
    pub fn billing(&self) -> loket_app::billing::Billing {
        loket_app::billing::Billing::new(self.store.clone(), self.config.provider.clone())
            .with_clock(self.clock.clone())
            .with_sepa(self.config.sepa.clone())
    }
}
