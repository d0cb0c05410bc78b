//! Fetching e-mail from IMAP mailboxes.
//!
//! [`run_mailbox`] keeps one mailbox's session: it connects (TLS, STARTTLS, or plain to this
//! machine), logs in, selects the folder, searches for messages not yet taken, fetches them in
//! batches with `BODY.PEEK[]` (never setting `\Seen` by itself), hands each batch to a
//! [`Deliver`], and marks on the server what was stored or rejected — a keyword, by default
//! `$LoketIngested`, or a move to another folder. Nothing is ever deleted by default. Then it
//! waits in IDLE (re-issued every `poll_interval`) or, without IDLE, sleeps `poll_interval`. Any
//! error ends the session; it reconnects with exponential backoff and jitter. [`run_all`] runs
//! several mailboxes, one task each.
//!
//! Delivery is at least once: a message stored by [`Deliver`] whose mark did not reach the
//! server (the connection dropped in between, the process stopped) is fetched again, so
//! [`Deliver`] must recognise a message it already has (by Message-ID, or a hash of the bytes).
//!
//! The crate knows nothing of tickets. `testing` (a cargo feature) has a private dovecot server
//! for tests.

mod config;
mod conn;
mod fetcher;
#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

pub use config::{After, ConfigError, DEFAULT_KEYWORD, MAX_POLL_INTERVAL, MailboxConfig, Security};
pub use fetcher::{run_all, run_mailbox};

/// A boxed future that can be sent between threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One fetched message: its UID in the watched folder and its bytes exactly as on the server.
#[derive(Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
}

impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetched").field("uid", &self.uid).field("bytes", &self.raw.len()).finish()
    }
}

/// What became of one delivered message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored durably: the message is marked on the server and not fetched again.
    Committed,
    /// A passing problem (the database is away): left as it is, fetched again later.
    Retry,
    /// It can never be stored (not a message at all, too large…): marked too, so it is not
    /// fetched forever, and logged. [`Deliver`] logs the reason.
    Reject,
}

/// Where fetched messages go. Called with one batch at a time for a mailbox (the
/// [`MailboxConfig::name`]); answers one [`Outcome`] per message, in the same order. A missing
/// answer counts as [`Outcome::Retry`], and so does a panic. It is not cancelled on shutdown: the
/// fetcher waits for it and marks what it stored before stopping.
pub trait Deliver: Send + Sync {
    fn deliver<'a>(&'a self, mailbox: &'a str, messages: Vec<Fetched>) -> BoxFuture<'a, Vec<Outcome>>;
}
