//! The fetch loop of one mailbox, and of several.

use std::collections::HashSet;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use async_imap::extensions::idle::IdleResponse;
use async_imap::types::{Flag, UnsolicitedResponse};
use futures_util::{FutureExt as _, TryStreamExt as _};
use loket_domain::retry::backoff;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tracing::{Instrument as _, debug, error, info, info_span, warn};

use crate::config::{After, ConfigError, MailboxConfig, Security};
use crate::conn::{Client, Session, Stream, Tls};
use crate::{Deliver, Fetched, Outcome};

/// Extra time a fetch of message bodies gets: one second per this many bytes of the batch.
const FETCH_BYTES_PER_SECOND: u64 = 64 * 1024;

/// How long a stop during IDLE or a pause may spend saying goodbye (DONE, LOGOUT).
const GOODBYE: Duration = Duration::from_secs(1);

/// Fetches one mailbox until `shutdown` completes. Returns `Err` at once when the settings
/// cannot work ([`MailboxConfig::validate`], an unreadable `ca_file`); connection and server
/// errors never end it: they are logged and the session starts again after a backoff.
///
/// `shutdown` ends it at once while it waits (IDLE, the poll pause, the backoff) or talks to the
/// server; a running [`Deliver::deliver`] is awaited and its messages marked first.
pub async fn run_mailbox(cfg: MailboxConfig, deliver: Arc<dyn Deliver>, shutdown: impl Future) -> Result<(), ConfigError> {
    cfg.validate()?;
    let tls = Tls::for_config(&cfg)?;
    let span = info_span!("imap", mailbox = %cfg.name);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut fetcher = Fetcher {
        cfg: &cfg,
        tls: tls.as_ref(),
        deliver: deliver.as_ref(),
        shutdown: shutdown.as_mut(),
        stopped: false,
        warned_seen: false,
        warned_no_uidplus: false,
    };
    fetcher.run().instrument(span).await;
    Ok(())
}

/// Runs every mailbox in a task of its own until `shutdown` completes, then stops them all and
/// returns when they have stopped. All settings are checked first: one that cannot work returns
/// `Err` before any mailbox starts (names must be unique, too).
pub async fn run_all(cfgs: Vec<MailboxConfig>, deliver: Arc<dyn Deliver>, shutdown: impl Future) -> Result<(), ConfigError> {
    let mut names = HashSet::new();
    for cfg in &cfgs {
        cfg.validate()?;
        Tls::for_config(cfg)?;
        if !names.insert(cfg.name.as_str()) {
            return Err(ConfigError { mailbox: cfg.name.clone(), field: "name", problem: "is used by two mailboxes".into() });
        }
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = JoinSet::new();
    for cfg in cfgs {
        let deliver = deliver.clone();
        let mut stopped = stopped.clone();
        let name = cfg.name.clone();
        tasks.spawn(async move {
            let stop = async move {
                // An error means the sender is gone, which is a stop as well.
                let _ = stopped.wait_for(|s| *s).await;
            };
            if let Err(e) = run_mailbox(cfg, deliver, stop).await {
                error!(mailbox = %name, "{e}");
            }
        });
    }
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            _ = shutdown.as_mut() => break,
            Some(done) = tasks.join_next() => {
                if let Err(e) = done {
                    error!("an IMAP mailbox task ended unexpectedly: {e}");
                }
            }
        }
    }
    let _ = stop.send(true);
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done {
            error!("an IMAP mailbox task ended unexpectedly: {e}");
        }
    }
    Ok(())
}

/// Why a session ended.
enum Halt {
    Shutdown,
    Failed(anyhow::Error),
}

/// How messages are marked as taken in this session.
enum Mark {
    Keyword(String),
    /// The keyword cannot be stored in this folder: `\Seen` instead.
    Seen,
    Move {
        to: String,
        with_move: bool,
        uidplus: bool,
    },
}

impl Mark {
    fn search(&self) -> String {
        match self {
            Mark::Keyword(k) => format!("UNKEYWORD {k} UNDELETED"),
            Mark::Seen => "UNSEEN UNDELETED".to_string(),
            Mark::Move { .. } => "UNDELETED".to_string(),
        }
    }
}

/// What ended a wait.
enum Wake {
    Mail,
    Period,
    Shutdown,
    Closed,
}

struct Fetcher<'a, S: Future> {
    cfg: &'a MailboxConfig,
    tls: Option<&'a Tls>,
    deliver: &'a dyn Deliver,
    shutdown: Pin<&'a mut S>,
    /// `shutdown` has completed (and must not be polled again).
    stopped: bool,
    warned_seen: bool,
    warned_no_uidplus: bool,
}

impl<S: Future> Fetcher<'_, S> {
    async fn run(&mut self) {
        let mut attempt = 0u32;
        loop {
            let mut good = false;
            let e = match self.session(&mut good).await {
                Halt::Shutdown => break,
                Halt::Failed(e) => e,
            };
            if good {
                attempt = 0;
            }
            attempt = attempt.saturating_add(1);
            let delay = backoff(attempt, self.cfg.retry_base, self.cfg.retry_max, rand::random::<f64>());
            warn!(attempt, retry_in = ?delay, "IMAP session ended: {}", describe(&e));
            if self.pause(delay).await.is_err() {
                break;
            }
        }
        info!("IMAP fetcher stopped");
    }

    /// Sleeps, or returns `Err` when shutdown comes first.
    async fn pause(&mut self, delay: Duration) -> Result<(), ()> {
        if self.stopped {
            return Err(());
        }
        tokio::select! {
            biased;
            _ = self.shutdown.as_mut() => {
                self.stopped = true;
                Err(())
            }
            _ = tokio::time::sleep(delay) => Ok(()),
        }
    }

    /// Whether shutdown has come, without waiting for it.
    fn shutdown_now(&mut self) -> bool {
        if !self.stopped && self.shutdown.as_mut().now_or_never().is_some() {
            self.stopped = true;
        }
        self.stopped
    }

    /// A network step: within `limit`, and given up at once on shutdown.
    async fn step<T, E: Into<anyhow::Error>>(
        &mut self,
        what: &str,
        limit: Duration,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, Halt> {
        if self.stopped {
            return Err(Halt::Shutdown);
        }
        tokio::select! {
            biased;
            _ = self.shutdown.as_mut() => {
                self.stopped = true;
                Err(Halt::Shutdown)
            }
            r = tokio::time::timeout(limit, fut) => settle(what, limit, r),
        }
    }

    /// One session: connect, then fetch and wait until an error or shutdown. `good` turns true
    /// once a whole round (search, fetch, deliver, mark) has gone through.
    async fn session(&mut self, good: &mut bool) -> Halt {
        match self.session_inner(good).await {
            Ok(never) => match never {},
            Err(halt) => halt,
        }
    }

    async fn session_inner(&mut self, good: &mut bool) -> Result<std::convert::Infallible, Halt> {
        let cfg = self.cfg;
        let t = cfg.timeout;
        let mut session = self.connect().await?;
        let caps = self.step("CAPABILITY", t, session.capabilities()).await?;
        let idle = caps.has_str("IDLE");
        let selected = self.step("SELECT", t, session.select(&cfg.folder)).await?;
        let mark = match &cfg.after {
            After::Keyword(k) => {
                let permanent = &selected.permanent_flags;
                // No PERMANENTFLAGS at all means every flag is permanent (RFC 3501).
                let allowed =
                    permanent.is_empty() || permanent.iter().any(|f| *f == Flag::MayCreate || *f == Flag::Custom(k.as_str().into()));
                if allowed {
                    Mark::Keyword(k.clone())
                } else {
                    if !self.warned_seen {
                        self.warned_seen = true;
                        warn!(
                            keyword = %k,
                            folder = %cfg.folder,
                            "the folder cannot keep a new keyword (no \\* in PERMANENTFLAGS): \
                             messages are tracked with \\Seen instead, so a message someone reads \
                             in a mail program before Loket fetches it is skipped"
                        );
                    }
                    Mark::Seen
                }
            }
            After::MoveTo(to) => {
                let exists = self
                    .step("STATUS", t, async {
                        match session.status(to, "(MESSAGES)").await {
                            Ok(_) => Ok(true),
                            Err(async_imap::error::Error::No(_)) => Ok(false),
                            Err(e) => Err(e),
                        }
                    })
                    .await?;
                if !exists {
                    info!(folder = %to, "creating the folder messages are moved to");
                    self.step("CREATE", t, session.create(to)).await?;
                }
                Mark::Move { to: to.clone(), with_move: caps.has_str("MOVE"), uidplus: caps.has_str("UIDPLUS") }
            }
        };
        info!(
            host = %cfg.host,
            folder = %cfg.folder,
            messages = selected.exists,
            idle,
            "IMAP session open"
        );
        let unsolicited = session.unsolicited_responses.clone();
        loop {
            // Whatever the server announced so far is covered by the search that follows.
            while unsolicited.try_recv().is_ok() {}
            self.round(&mut session, &mark).await?;
            *good = true;
            if self.shutdown_now() {
                // Shutdown came while Deliver was busy; what it stored is marked.
                goodbye(session).await;
                return Err(Halt::Shutdown);
            }
            session = if idle {
                self.idle(session, &unsolicited).await?
            } else {
                if self.pause(cfg.poll_interval).await.is_err() {
                    goodbye(session).await;
                    return Err(Halt::Shutdown);
                }
                session
            };
        }
    }

    async fn connect(&mut self) -> Result<Session, Halt> {
        let cfg = self.cfg;
        let t = cfg.timeout;
        let host = cfg.host.trim_start_matches('[').trim_end_matches(']');
        let tcp = self.step("connect", t, TcpStream::connect((host, cfg.port))).await?;
        let _ = tcp.set_nodelay(true);
        let stream = match (cfg.security, self.tls) {
            (Security::Tls, Some(tls)) => self.step("TLS handshake", t, tls.wrap(tcp)).await?,
            _ => Stream::Plain(tcp),
        };
        let mut client = Client::new(stream);
        self.step("greeting", t, greeting(&mut client)).await?;
        if cfg.security == Security::StartTls {
            let tls = self.tls.ok_or_else(|| Halt::Failed(anyhow!("STARTTLS without a TLS setup")))?;
            self.step("STARTTLS", t, client.run_command_and_check_ok("STARTTLS", None)).await?;
            // Anything the server sent after its OK is dropped with the plain connection's buffer.
            let Stream::Plain(tcp) = client.into_inner() else {
                return Err(Halt::Failed(anyhow!("STARTTLS on a TLS connection")));
            };
            let stream = self.step("TLS handshake", t, tls.wrap(tcp)).await?;
            client = Client::new(stream);
        }
        let login = client.login(&cfg.user, &cfg.password);
        let session = self.step("LOGIN", t, async { login.await.map_err(|(e, _)| e) }).await?;
        Ok(session)
    }

    /// Searches, fetches in batches, delivers, marks.
    async fn round(&mut self, session: &mut Session, mark: &Mark) -> Result<(), Halt> {
        let cfg = self.cfg;
        let t = cfg.timeout;
        let found = self.step("UID SEARCH", t, session.uid_search(mark.search())).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        if uids.is_empty() {
            debug!("no new messages");
            return Ok(());
        }
        debug!(count = uids.len(), "new messages");
        for chunk in uids.chunks(cfg.batch) {
            if self.shutdown_now() {
                // The rest waits for the next start; the caller says goodbye.
                return Ok(());
            }
            let set = uid_set(chunk);
            let wanted: HashSet<u32> = chunk.iter().copied().collect();
            let sizes: Vec<(u32, u32)> = self
                .step("UID FETCH RFC822.SIZE", t, async {
                    let fetches = session.uid_fetch(&set, "(UID RFC822.SIZE)").await?;
                    fetches.try_filter_map(|f| async move { Ok(f.uid.zip(f.size)) }).try_collect::<Vec<_>>().await
                })
                .await?;
            let bytes: u64 = sizes.iter().filter(|(uid, _)| wanted.contains(uid)).map(|&(_, size)| u64::from(size)).sum();
            let limit = t + Duration::from_secs(bytes / FETCH_BYTES_PER_SECOND);
            let mut messages = self
                .step("UID FETCH BODY.PEEK[]", limit, async {
                    let mut fetches = session.uid_fetch(&set, "(UID BODY.PEEK[])").await?;
                    let mut out = Vec::with_capacity(chunk.len());
                    while let Some(f) = fetches.try_next().await? {
                        // The server may mix in news about other messages; only ours count.
                        if let (Some(uid), Some(raw)) = (f.uid, f.body())
                            && wanted.contains(&uid)
                        {
                            out.push(Fetched { uid, raw: raw.to_vec() });
                        }
                    }
                    Ok::<_, async_imap::error::Error>(out)
                })
                .await?;
            messages.sort_by_key(|m| m.uid);
            messages.dedup_by_key(|m| m.uid);
            if messages.is_empty() {
                // Expunged by someone else between the search and the fetch.
                continue;
            }
            let uids: Vec<u32> = messages.iter().map(|m| m.uid).collect();
            let outcomes = self.deliver_batch(messages).await;
            let mut done = Vec::new();
            let (mut committed, mut rejected, mut retried) = (0, 0, 0);
            for (i, uid) in uids.iter().enumerate() {
                match outcomes.get(i).copied().unwrap_or(Outcome::Retry) {
                    Outcome::Committed => {
                        committed += 1;
                        done.push(*uid);
                    }
                    Outcome::Reject => {
                        rejected += 1;
                        warn!(uid, "message rejected: marked on the server and not fetched again");
                        done.push(*uid);
                    }
                    Outcome::Retry => retried += 1,
                }
            }
            if !done.is_empty() {
                // Not given up on shutdown: what was stored is marked first.
                self.mark(session, mark, &done).await?;
            }
            info!(committed, rejected, retried, "messages delivered");
        }
        Ok(())
    }

    async fn deliver_batch(&self, messages: Vec<Fetched>) -> Vec<Outcome> {
        let count = messages.len();
        let delivered = AssertUnwindSafe(self.deliver.deliver(&self.cfg.name, messages)).catch_unwind().await;
        match delivered {
            Ok(outcomes) => {
                if outcomes.len() != count {
                    error!(
                        expected = count,
                        got = outcomes.len(),
                        "Deliver answered for a different number of messages; the missing ones are \
                         retried"
                    );
                }
                outcomes
            }
            Err(_) => {
                error!(count, "Deliver panicked; the batch is retried later");
                Vec::new()
            }
        }
    }

    /// Marks `uids` as taken. Bounded by the timeout but not given up on shutdown.
    async fn mark(&mut self, session: &mut Session, mark: &Mark, uids: &[u32]) -> Result<(), Halt> {
        let t = self.cfg.timeout;
        let set = uid_set(uids);
        match mark {
            Mark::Keyword(k) => bounded("UID STORE keyword", t, store(session, &set, k)).await,
            Mark::Seen => bounded("UID STORE \\Seen", t, store(session, &set, "\\Seen")).await,
            Mark::Move { to, with_move: true, .. } => bounded("UID MOVE", t, session.uid_mv(&set, to)).await,
            Mark::Move { to, uidplus, .. } => {
                bounded("UID COPY", t, session.uid_copy(&set, to)).await?;
                bounded("UID STORE \\Deleted", t, store(session, &set, "\\Deleted")).await?;
                if *uidplus {
                    bounded("UID EXPUNGE", t, async { session.uid_expunge(&set).await?.try_collect::<Vec<_>>().await }).await?;
                } else if !self.warned_no_uidplus {
                    self.warned_no_uidplus = true;
                    warn!(
                        "the server has neither MOVE nor UIDPLUS: moved messages are copied and \
                         left marked \\Deleted in the watched folder, not expunged"
                    );
                }
                Ok(())
            }
        }
    }

    /// IDLE until the server announces something, `poll_interval` passes, or shutdown.
    async fn idle(&mut self, session: Session, unsolicited: &async_channel::Receiver<UnsolicitedResponse>) -> Result<Session, Halt> {
        let t = self.cfg.timeout;
        let period = self.cfg.poll_interval;
        let mut handle = session.idle();
        self.step("IDLE", t, handle.init()).await?;
        // Mail that arrived between the search and IDLE was announced before IDLE's "+".
        let mut announced = false;
        while let Ok(news) = unsolicited.try_recv() {
            announced |= matches!(news, UnsolicitedResponse::Exists(_) | UnsolicitedResponse::Recent(_));
        }
        let wake = if announced {
            Wake::Mail
        } else {
            debug!("waiting in IDLE");
            // The library's own timer restarts with every keepalive; ours does not.
            let (wait, interrupt) = handle.wait_with_timeout(period + t);
            let mut wait = std::pin::pin!(wait);
            let wake = tokio::select! {
                biased;
                _ = self.shutdown.as_mut() => {
                    self.stopped = true;
                    Wake::Shutdown
                }
                r = wait.as_mut() => match r {
                    Ok(IdleResponse::NewData(_)) => Wake::Mail,
                    Ok(IdleResponse::Timeout) => Wake::Period,
                    Ok(IdleResponse::ManualInterrupt) => Wake::Closed,
                    Err(e) => return Err(Halt::Failed(anyhow::Error::from(e).context("IDLE"))),
                },
                _ = tokio::time::sleep(period) => Wake::Period,
            };
            drop(interrupt);
            wake
        };
        match wake {
            Wake::Shutdown => {
                let _ = tokio::time::timeout(GOODBYE, async {
                    let mut session = handle.done().await?;
                    session.logout().await
                })
                .await;
                Err(Halt::Shutdown)
            }
            Wake::Closed => Err(Halt::Failed(anyhow!("the server closed the connection during IDLE"))),
            Wake::Mail | Wake::Period => {
                if matches!(wake, Wake::Mail) {
                    debug!("the server announced news");
                }
                self.step("DONE", t, handle.done()).await
            }
        }
    }
}

async fn greeting(client: &mut Client) -> anyhow::Result<()> {
    match client.read_response().await? {
        Some(_) => Ok(()),
        None => Err(anyhow!("the server closed the connection before its greeting")),
    }
}

async fn store(session: &mut Session, set: &str, flag: &str) -> async_imap::error::Result<()> {
    session.uid_store(set, format!("+FLAGS.SILENT ({flag})")).await?.try_collect::<Vec<_>>().await?;
    Ok(())
}

/// Best-effort LOGOUT on the way out, never longer than [`GOODBYE`].
async fn goodbye(mut session: Session) {
    let _ = tokio::time::timeout(GOODBYE, session.logout()).await;
}

async fn bounded<T, E: Into<anyhow::Error>>(what: &str, limit: Duration, fut: impl Future<Output = Result<T, E>>) -> Result<T, Halt> {
    settle(what, limit, tokio::time::timeout(limit, fut).await)
}

fn settle<T, E: Into<anyhow::Error>>(what: &str, limit: Duration, r: Result<Result<T, E>, tokio::time::error::Elapsed>) -> Result<T, Halt> {
    match r {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Halt::Failed(e.into().context(what.to_string()))),
        Err(_) => Err(Halt::Failed(anyhow!("{what}: no answer within {limit:?}"))),
    }
}

/// The error with its causes, leaving out a cause its parent already quotes (async-imap's
/// "io: Broken pipe" has the io error as its source as well).
fn describe(e: &anyhow::Error) -> String {
    let mut out = String::new();
    let mut last = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if last.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
        last = text;
    }
    out
}

/// UIDs as an IMAP sequence set, runs shortened: `1:3,7,9:10`.
fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && end.checked_add(1) == Some(sorted[i + 1]) {
            i += 1;
            end = sorted[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets() {
        assert_eq!(uid_set(&[1]), "1");
        assert_eq!(uid_set(&[3, 1, 2, 7, 9, 10]), "1:3,7,9:10");
        assert_eq!(uid_set(&[5, 5, 6]), "5:6");
        assert_eq!(uid_set(&[u32::MAX - 1, u32::MAX]), format!("{}:{}", u32::MAX - 1, u32::MAX));
    }

    #[test]
    fn errors_are_described_once() {
        let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let e = anyhow::Error::from(async_imap::error::Error::Io(io)).context("DONE");
        assert_eq!(describe(&e), "DONE: io: broken pipe");
    }

    #[test]
    fn searches() {
        assert_eq!(Mark::Keyword("$LoketIngested".into()).search(), "UNKEYWORD $LoketIngested UNDELETED");
        assert_eq!(Mark::Seen.search(), "UNSEEN UNDELETED");
        let mv = Mark::Move { to: "Done".into(), with_move: true, uidplus: true };
        assert_eq!(mv.search(), "UNDELETED");
    }
}
