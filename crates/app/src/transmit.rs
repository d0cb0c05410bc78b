//! Sending issued documents out as e-invoices: FatturaPA to the SDI, UBL to a Peppol access
//! point. Both go through an intermediary, so the sending itself is a [`Transmitter`] plugged
//! in per channel; the one Loket ships drops each file in a folder the intermediary collects
//! from (its SFTP or sync directory). Everything else is here and the same for any transmitter:
//! which documents go out ([`channels`]), the queue that takes each document once per channel
//! from a configured date on, claiming before sending so two nodes never send the same file,
//! retries with a limit, and the state staff see.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use jiff::civil::Date;
use loket_store::Store;
use loket_store::billing::documents::{self as docs, DocKind, Document};
use loket_store::billing::files::StoredFile;
use loket_store::billing::transmissions as tx_store;

use crate::AppError;
use crate::documents::{DocumentSettings, Format, file_in};

/// Documents looked at per transaction when finding new ones.
const SCAN_BATCH: i64 = 500;
/// Transmissions sent per job run.
const SEND_BATCH: i64 = 200;
/// A transmitter that failed this often (temporarily) fails the document for good.
pub const MAX_ATTEMPTS: i64 = 5;

/// Where an e-invoice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The Italian Sistema di Interscambio: FatturaPA.
    Sdi,
    /// The Peppol network: UBL (Peppol BIS Billing 3).
    Peppol,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Sdi, Channel::Peppol];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Sdi => "sdi",
            Channel::Peppol => "peppol",
        }
    }

    pub fn format(self) -> Format {
        match self {
            Channel::Sdi => Format::FatturaPa,
            Channel::Peppol => Format::Ubl,
        }
    }
}

/// The channels `d` goes out through: every invoice and credit note of an Italian provider to
/// the SDI (foreign customers included, with recipient code XXXXXXX, as Italian law wants);
/// those to a customer with a Peppol address over Peppol — except between two Italian parties,
/// whose invoices the SDI alone delivers. Not pro formas (payment requests, not invoices) nor
/// documents imported from the provider's history (sent long ago).
pub fn channels(d: &Document) -> Vec<Channel> {
    let offered = crate::documents::offered(d);
    if d.kind == DocKind::ProForma || d.imported {
        return Vec::new();
    }
    let domestic_italian = d.provider.country.as_deref() == Some("IT") && d.customer.country.as_deref() == Some("IT");
    Channel::ALL.into_iter().filter(|c| offered.contains(&c.format())).filter(|c| !(domestic_italian && *c == Channel::Peppol)).collect()
}

/// Why a transmitter could not send a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransmitError {
    /// Try again later (the intermediary is unreachable, the disk is full).
    Transient(String),
    /// Trying again will not help (the intermediary refused the file).
    Permanent(String),
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Hands a document's file to an intermediary. `key` names the document and channel once and
/// for all (the same key may come twice after a crash: a transmitter must treat that as one
/// document). Returns a receipt for staff: where the file went, the intermediary's id.
pub trait Transmitter: Send + Sync {
    fn send<'a>(&'a self, key: &'a str, file: &'a StoredFile) -> BoxFuture<'a, Result<String, TransmitError>>;
}

/// Writes each file into a folder an intermediary collects from, under its own name (written
/// to a temporary name first and renamed, so the collector never sees half a file). The same
/// file sent twice is the same file in the folder.
#[derive(Debug, Clone)]
pub struct FolderTransmitter {
    pub dir: PathBuf,
}

impl Transmitter for FolderTransmitter {
    fn send<'a>(&'a self, key: &'a str, file: &'a StoredFile) -> BoxFuture<'a, Result<String, TransmitError>> {
        Box::pin(async move {
            let dir = self.dir.clone();
            let name = file.file_name.clone();
            let content = file.content.clone();
            let key = key.to_string();
            tokio::task::spawn_blocking(move || {
                let fail = |e: std::io::Error| TransmitError::Transient(format!("{}: {e}", dir.display()));
                std::fs::create_dir_all(&dir).map_err(fail)?;
                let tmp = dir.join(format!(".{key}.part"));
                std::fs::write(&tmp, &content).map_err(fail)?;
                let path = dir.join(&name);
                std::fs::rename(&tmp, &path).map_err(fail)?;
                Ok(path.display().to_string())
            })
            .await
            .map_err(|e| TransmitError::Transient(e.to_string()))?
        })
    }
}

/// The provider's transmission set-up: from which issue date documents go out, and the
/// transmitter of each channel in use.
#[derive(Clone, Default)]
pub struct TransmitSettings {
    pub from: Option<Date>,
    pub transmitters: Vec<(Channel, Arc<dyn Transmitter>)>,
}

impl std::fmt::Debug for TransmitSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let channels: Vec<_> = self.transmitters.iter().map(|(c, _)| c.name()).collect();
        f.debug_struct("TransmitSettings").field("from", &self.from).field("channels", &channels).finish()
    }
}

impl TransmitSettings {
    pub fn is_on(&self) -> bool {
        self.from.is_some() && !self.transmitters.is_empty()
    }

    /// The channel named `channel` and its transmitter, when it is in use.
    fn transmitter(&self, channel: &str) -> Option<(Channel, &Arc<dyn Transmitter>)> {
        self.transmitters.iter().find(|(c, _)| c.name() == channel).map(|(c, t)| (*c, t))
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub queued: usize,
    pub sent: usize,
    pub failed: usize,
    /// Left in the queue after a temporary failure.
    pub retrying: usize,
    /// More is waiting than one round takes.
    pub more: bool,
}

/// Queues the documents issued since each channel last looked, on or after `settings.from`.
pub async fn queue_new(store: &Store, settings: &TransmitSettings) -> Result<usize, AppError> {
    let Some(from) = settings.from else { return Ok(0) };
    let mut queued = 0;
    for (channel, _) in &settings.transmitters {
        loop {
            let mut tx = store.begin().await?;
            let after = tx_store::cursor(&mut tx, channel.name()).await?;
            let ids = tx_store::documents_after(&mut tx, after, SCAN_BATCH).await?;
            let Some(&last) = ids.last() else { break };
            for id in ids {
                let Some(d) = docs::document(&mut tx, id).await? else { continue };
                if d.issue_date >= from && channels(&d).contains(channel) && tx_store::queue(&mut tx, id, channel.name()).await? {
                    queued += 1;
                }
            }
            tx_store::set_cursor(&mut tx, channel.name(), last).await?;
            loket_store::commit(tx).await?;
        }
    }
    Ok(queued)
}

/// Sends up to a round of queued transmissions, each claimed first and its outcome recorded.
/// One document that cannot be written or sent never holds up the others.
pub async fn send_queued(store: &Store, settings: &TransmitSettings, documents: &DocumentSettings) -> Result<Round, AppError> {
    let mut round = Round::default();
    let mut conn = store.acquire().await?;
    // A node that stopped mid-send left its claims behind: after ten minutes they are queued again.
    tx_store::release_stale(&mut conn, jiff::Timestamp::now() - jiff::SignedDuration::from_mins(10)).await?;
    let queue = tx_store::in_state(&mut conn, "queued", SEND_BATCH + 1).await?;
    drop(conn);
    round.more = queue.len() as i64 > SEND_BATCH;
    for t in queue.into_iter().take(SEND_BATCH as usize) {
        let Some((channel, transmitter)) = settings.transmitter(&t.channel) else { continue };
        let mut conn = store.acquire().await?;
        if !tx_store::claim(&mut conn, t.id).await? {
            continue;
        }
        let outcome = match file_in(&mut conn, documents, t.invoice_id, channel.format()).await {
            Ok(file) => transmitter.send(&format!("{}-{}", t.channel, t.invoice_id), &file).await,
            Err(AppError::Store(e)) => Err(TransmitError::Transient(e.to_string())),
            Err(e) => Err(TransmitError::Permanent(e.to_string())),
        };
        let attempts = t.attempts + 1;
        let (state, detail) = match &outcome {
            Ok(receipt) => ("sent", receipt.as_str()),
            Err(TransmitError::Transient(e)) if attempts < MAX_ATTEMPTS => ("queued", e.as_str()),
            Err(TransmitError::Transient(e) | TransmitError::Permanent(e)) => ("failed", e.as_str()),
        };
        tx_store::finish(&mut conn, t.id, state, detail).await?;
        match state {
            "sent" => round.sent += 1,
            "failed" => {
                tracing::warn!(document = %t.number, channel = %t.channel, error = detail, "e-invoice not transmitted");
                round.failed += 1;
            }
            _ => round.retrying += 1,
        }
    }
    Ok(round)
}

/// One round: queue what is new, send what is queued.
pub async fn transmit(store: &Store, settings: &TransmitSettings, documents: &DocumentSettings) -> Result<Round, AppError> {
    if !settings.is_on() {
        return Ok(Round::default());
    }
    let queued = queue_new(store, settings).await?;
    let mut round = send_queued(store, settings, documents).await?;
    round.queued = queued;
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_transmitter_writes_the_file_whole_under_its_name_and_twice_is_once() {
        let dir = std::env::temp_dir().join(format!("loket-transmit-{}", std::process::id()));
        let t = FolderTransmitter { dir: dir.clone() };
        let file =
            StoredFile { file_name: "IT01234567890_00001.xml".into(), sha256: String::new(), content: b"<p:FatturaElettronica/>".to_vec() };
        let receipt = t.send("sdi-1", &file).await.unwrap();
        assert!(receipt.ends_with("IT01234567890_00001.xml"));
        t.send("sdi-1", &file).await.unwrap();
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names, ["IT01234567890_00001.xml"]);
        assert_eq!(std::fs::read(dir.join("IT01234567890_00001.xml")).unwrap(), file.content);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_folder_that_cannot_be_written_is_a_temporary_failure() {
        let t = FolderTransmitter { dir: PathBuf::from("/proc/loket-cannot-write-here") };
        let file = StoredFile { file_name: "x.xml".into(), sha256: String::new(), content: vec![1] };
        assert!(matches!(t.send("peppol-1", &file).await, Err(TransmitError::Transient(_))));
    }
}
