//! Loket's service layer: every change a person or a job makes goes through one function
//! here, which opens the transaction, checks the rules in `loket-domain`, writes through
//! `loket-store`, records the audit entry and enqueues the jobs (mail) it causes. Web
//! handlers and CLI commands parse their input, call one of these functions and render the
//! result; they never open a write transaction themselves.
//!
//! One module per area, named as the provider names it: [`billing`] (the billing run, dunning,
//! subscriptions, payments, the catalog and the billing file), [`accounts`] (a user's own
//! profile, password and two-step sign-in), [`members`] (who may use a customer card),
//! [`cards`] (customer cards and the change requests staff review). Later areas (helpdesk,
//! documents, payments in, monitoring) add theirs beside them.

pub mod accounts;
pub mod billing;
pub mod cards;
mod clock;
pub mod documents;
pub mod domains;
pub mod exports;
pub mod helpdesk;
pub mod history;
pub mod lost_access;
pub mod members;
pub mod monitoring;
pub mod notices;
pub mod online;
pub mod operations;
pub mod orders;
pub mod quotes;
pub mod staff;
pub mod transmit;
pub mod usage;

use std::sync::Arc;

use loket_domain::{FieldError, ProviderIdentity};
use loket_mail::Composer;
use loket_store::outbox::OutgoingMail;
use loket_store::{Store, StoreError, Tx};
use tokio::sync::Notify;

pub use clock::Clock;

/// Why a service refused or failed. Web and CLI turn it into their own answers.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Wrong input, every problem named by field.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// A request the rules refuse that no single field is at fault for ("a card keeps at
    /// least one owner").
    #[error("{0}")]
    Refused(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request is valid but not now (e.g. a cancelled subscription cannot be upgraded).
    #[error("{0}")]
    Conflict(String),
    /// A mail template failed to render: a defect, not the caller's fault.
    #[error("mail template: {0}")]
    Mail(String),
    /// Something outside Loket's data failed (e.g. the password hasher's thread).
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One wrong field.
pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
}

/// What the services need: the database, who the provider is, how mail is composed, the
/// address customers use, and a way to wake this node's job worker. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub provider: Arc<ProviderIdentity>,
    pub composer: Composer,
    /// The address customers use to reach Loket, e.g. `https://mijn.example.nl`; links in mail.
    pub public_url: String,
    /// Customer-card fields whose change staff review first.
    pub reviewed_fields: Arc<Vec<String>>,
    /// "Now" for every rule that depends on it (links' validity, throttles, today's date).
    pub clock: Clock,
    /// Where uploaded files (lost-access scans) are kept, outside the database.
    pub files: loket_store::files::FileStore,
    /// How documents are rendered (letterhead, e-invoicing settings).
    pub documents: Arc<documents::DocumentSettings>,
    /// The payment provider for online payment, when one is configured.
    pub online: Option<Arc<online::OnlineSettings>>,
    /// Direct debit: the creditor identifier and the rules of the provider's collections.
    pub sepa: Arc<billing::sepa::SepaSettings>,
    /// The helpdesk, when configured (`[helpdesk]`).
    pub helpdesk: Option<Arc<helpdesk::HelpdeskSettings>>,
    /// Monitoring's alerts, keeping times and flap window (`[monitoring]`).
    pub monitoring: Arc<monitoring::MonitoringSettings>,
    wake: Arc<Notify>,
}

impl Services {
    pub fn new(store: Store, provider: ProviderIdentity, composer: Composer, public_url: String, wake: Arc<Notify>) -> Services {
        Services {
            store,
            provider: Arc::new(provider),
            composer,
            public_url,
            reviewed_fields: Arc::new(loket_domain::card_edit::DEFAULT_REVIEWED_FIELDS.iter().map(|f| f.to_string()).collect()),
            clock: Clock::system(),
            files: loket_store::files::FileStore::new("loket-data/files"),
            documents: Arc::new(documents::DocumentSettings::default()),
            online: None,
            sepa: Arc::new(billing::sepa::SepaSettings::default()),
            helpdesk: None,
            monitoring: Arc::new(monitoring::MonitoringSettings::default()),
            wake,
        }
    }

    /// Collects by direct debit with `settings` (the `[sepa]` section).
    pub fn with_sepa(mut self, settings: billing::sepa::SepaSettings) -> Self {
        self.sepa = Arc::new(settings);
        self
    }

    /// Monitors with `settings` (the `[monitoring]` section).
    pub fn with_monitoring(mut self, settings: monitoring::MonitoringSettings) -> Self {
        self.monitoring = Arc::new(settings);
        self
    }

    /// Runs the helpdesk with `settings` (the `[helpdesk]` section).
    pub fn with_helpdesk(mut self, settings: Option<Arc<helpdesk::HelpdeskSettings>>) -> Self {
        self.helpdesk = settings;
        self
    }

    pub fn with_documents(mut self, settings: documents::DocumentSettings) -> Self {
        self.documents = Arc::new(settings);
        self
    }

    /// The file of document `id` in `format`, rendered and stored the first time.
    pub async fn document_file(&self, id: i64, format: documents::Format) -> Result<loket_store::billing::files::StoredFile, AppError> {
        documents::file(&self.store, &self.documents, id, format).await
    }

    /// Takes online payments through `settings`' provider.
    pub fn with_online(mut self, settings: Option<Arc<online::OnlineSettings>>) -> Self {
        self.online = settings;
        self
    }

    /// Keeps uploaded files in `files` (normally `files/` in the data directory).
    pub fn with_files(mut self, files: loket_store::files::FileStore) -> Self {
        self.files = files;
        self
    }

    pub fn with_reviewed_fields(mut self, fields: Vec<String>) -> Self {
        self.reviewed_fields = Arc::new(fields);
        self
    }

    /// Runs every service on `clock` instead of the system clock (tests, replays).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Now, by this service layer's clock.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Today in the provider's time zone, by this service layer's clock.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.today(&self.provider.tz())
    }

    /// The billing engine for this provider.
    pub fn billing(&self) -> billing::Billing {
        billing::Billing::new(self.store.clone(), (*self.provider).clone()).with_clock(self.clock.clone()).with_sepa((*self.sepa).clone())
    }

    /// Tells this node's job worker that work was enqueued, so it need not wait for its poll.
    pub fn wake_jobs(&self) {
        self.wake.notify_one();
    }

    /// Composes `template` in `language` to `to` and puts it in the outbox within `tx`: the
    /// mail goes out exactly when the change it reports commits.
    pub(crate) async fn mail(
        &self,
        tx: &mut Tx,
        template: &str,
        language: loket_domain::Language,
        to: &str,
        data: serde_json::Value,
    ) -> Result<(), AppError> {
        self.mail_with(tx, template, language, to, data, &[]).await
    }

    /// [`Services::mail`] with files attached (a quote's or a confirmation's PDF).
    pub(crate) async fn mail_with(
        &self,
        tx: &mut Tx,
        template: &str,
        language: loket_domain::Language,
        to: &str,
        data: serde_json::Value,
        attachments: &[loket_mail::Attachment],
    ) -> Result<(), AppError> {
        let message =
            self.composer.compose_with(template, language, &[to], data, attachments).map_err(|e| AppError::Mail(e.to_string()))?;
        loket_store::outbox::enqueue_mail(tx, &outgoing(message)).await?;
        Ok(())
    }
}

/// A composed message as the outbox stores it.
pub fn outgoing(m: loket_mail::Message) -> OutgoingMail {
    OutgoingMail {
        message_id: m.message_id,
        template: m.template,
        language: m.language.code().to_string(),
        mail_from: m.from,
        rcpt_to: m.to,
        subject: m.subject,
        raw: m.raw,
    }
}

/// The audit entity of a customer card.
pub(crate) fn customer_entity(id: i64) -> (&'static str, Option<String>) {
    ("customer", Some(id.to_string()))
}

/// Records `action` on `entity` by `actor` in `tx`, with the request the actor acts in. The
/// one way services write the audit log (billing's `ops::audit` is its short form).
pub(crate) async fn audit(
    tx: &mut loket_store::Conn,
    actor: &loket_store::audit::Actor,
    action: &str,
    entity: (&str, Option<String>),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let change = loket_store::audit::Change {
        actor,
        action,
        entity: entity.0,
        entity_id: entity.1,
        before,
        after,
        request_id: actor.request_id.as_deref(),
    };
    loket_store::audit::record(tx, &change).await?;
    Ok(())
}

/// Hashes a new password off the async threads (argon2 takes tens of milliseconds).
pub(crate) async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || loket_auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?
        .map_err(AppError::Unavailable)
}

/// Whether `password` matches `hash` (a dummy hash when the user has none, to take as long).
pub async fn password_matches(password: &str, hash: Option<&str>) -> bool {
    let hash = hash.unwrap_or(loket_auth::dummy_hash()).to_string();
    let password = password.to_string();
    tokio::task::spawn_blocking(move || loket_auth::verify_password(&password, &hash)).await.unwrap_or(false)
}
