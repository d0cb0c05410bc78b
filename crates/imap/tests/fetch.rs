//! The fetcher against a real dovecot (a private one per test, `loket_imap::testing`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use loket_imap::testing::{Dovecot, Listed};
use loket_imap::{
    After, BoxFuture, ConfigError, DEFAULT_KEYWORD, Deliver, Fetched, MailboxConfig, Outcome, Security, run_all, run_mailbox,
};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------------
// Helpers

fn init_logs() {
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).with_test_writer().try_init();
}

fn message(subject: &str) -> Vec<u8> {
    format!(
        "From: Customer <customer@example.org>\r\n\
         To: support@example.net\r\n\
         Subject: {subject}\r\n\
         Message-ID: <{subject}@example.org>\r\n\
         Date: Mon, 30 Nov 2026 10:00:00 +0100\r\n\
         \r\n\
         Hello about {subject}.\r\n"
    )
    .into_bytes()
}

fn subject(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap_or("").to_string()
}

#[derive(Clone, Debug)]
struct Seen {
    mailbox: String,
    uid: u32,
    subject: String,
    raw: Vec<u8>,
    outcome: Outcome,
    at: Instant,
}

type Policy = Box<dyn Fn(&Fetched, usize) -> Outcome + Send + Sync>;

/// A `Deliver` that records every message and answers by a policy (given the message and how
/// often its subject was delivered before).
struct Recorder {
    seen: Mutex<Vec<Seen>>,
    policy: Policy,
}

impl Recorder {
    fn new(policy: impl Fn(&Fetched, usize) -> Outcome + Send + Sync + 'static) -> Arc<Recorder> {
        Arc::new(Recorder { seen: Mutex::new(Vec::new()), policy: Box::new(policy) })
    }

    fn committing() -> Arc<Recorder> {
        Recorder::new(|_, _| Outcome::Committed)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn subjects(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.subject).collect()
    }

    async fn wait_until(&self, what: &str, limit: Duration, done: impl Fn(&[Seen]) -> bool) {
        let start = Instant::now();
        loop {
            if done(&self.seen()) {
                return;
            }
            assert!(start.elapsed() < limit, "waited {limit:?} for {what}; delivered so far: {:?}", self.subjects());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait_for(&self, subject: &str, limit: Duration) -> Seen {
        self.wait_until(subject, limit, |seen| seen.iter().any(|s| s.subject == subject)).await;
        self.seen().into_iter().find(|s| s.subject == subject).expect("seen")
    }
}

impl Deliver for Recorder {
    fn deliver<'a>(&'a self, mailbox: &'a str, messages: Vec<Fetched>) -> BoxFuture<'a, Vec<Outcome>> {
        let mut seen = self.seen.lock().unwrap();
        let mut outcomes = Vec::new();
        for m in messages {
            let subject = subject(&m.raw);
            let before = seen.iter().filter(|s| s.mailbox == mailbox && s.subject == subject).count();
            let outcome = (self.policy)(&m, before);
            seen.push(Seen { mailbox: mailbox.to_string(), uid: m.uid, subject, raw: m.raw, outcome, at: Instant::now() });
            outcomes.push(outcome);
        }
        Box::pin(std::future::ready(outcomes))
    }
}

/// A fetcher running in a task of its own.
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), ConfigError>>,
}

fn spawn(cfg: MailboxConfig, deliver: Arc<Recorder>) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run_mailbox(cfg, deliver, async move {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

impl Running {
    /// Stops it and says how long it took to return.
    async fn stop(self) -> Duration {
        let start = Instant::now();
        let _ = self.stop.send(());
        let result = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the fetcher did not stop within 10 s")
            .expect("the fetcher's task");
        assert_eq!(result, Ok(()));
        start.elapsed()
    }
}

/// Waits until the folder's listing satisfies `done`.
async fn wait_listing(dovecot: &Dovecot, user: &str, folder: &str, what: &str, done: impl Fn(&[Listed]) -> bool) -> Vec<Listed> {
    let start = Instant::now();
    loop {
        let listed = dovecot.list(user, folder).await;
        if done(&listed) {
            return listed;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "waited 10 s for {what} in {user}/{folder}; it has {listed:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn all_marked(listed: &[Listed]) -> bool {
    listed.iter().all(|l| l.has(DEFAULT_KEYWORD))
}

const WAIT: Duration = Duration::from_secs(10);

/// Long enough that only IDLE (not polling) explains a prompt delivery.
const NO_POLL: Duration = Duration::from_secs(600);

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_messages_are_delivered_marked_and_not_delivered_again() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    for s in ["one", "two", "three"] {
        dovecot.append("alice", "INBOX", &message(s)).await;
    }
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.batch = 2;
    cfg.poll_interval = NO_POLL;

    let fetcher = spawn(cfg.clone(), recorder.clone());
    recorder.wait_until("three messages", WAIT, |s| s.len() == 3).await;
    let listed = wait_listing(&dovecot, "alice", "INBOX", "the keyword", |l| l.len() == 3 && all_marked(l)).await;
    for l in &listed {
        assert!(!l.has("\\Seen"), "fetching must not set \\Seen: {l:?}");
        assert!(!l.has("\\Deleted"), "{l:?}");
    }
    let seen = recorder.seen();
    assert_eq!(recorder.subjects(), ["one", "two", "three"], "in UID order, each once");
    assert!(seen.iter().all(|s| s.mailbox == "support"));
    assert_eq!(seen[0].raw, message("one"), "the bytes as appended");
    fetcher.stop().await;

    // A new session (a reconnect) takes only what is new.
    let fetcher = spawn(cfg, recorder.clone());
    dovecot.append("alice", "INBOX", &message("four")).await;
    recorder.wait_for("four", WAIT).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["one", "two", "three", "four"]);
    let listed = wait_listing(&dovecot, "alice", "INBOX", "the keyword", |l| l.len() == 4 && all_marked(l)).await;
    assert_eq!(listed.len(), 4, "nothing deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_arriving_during_idle_is_delivered_within_moments() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("first")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("first", WAIT).await;
    wait_listing(&dovecot, "alice", "INBOX", "the keyword", all_marked).await;
    // Now it is (or is about to be) in IDLE.
    tokio::time::sleep(Duration::from_millis(300)).await;

    dovecot.append("alice", "INBOX", &message("second")).await;
    let appended = Instant::now();
    let seen = recorder.wait_for("second", WAIT).await;
    let took = seen.at.duration_since(appended);
    assert!(took < Duration::from_secs(2), "took {took:?} after APPEND");
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["first", "second"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_leaves_a_message_unmarked_and_it_comes_again() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("flaky")).await;
    // Retried the first time, stored the second.
    let recorder = Recorder::new(|_, before| if before == 0 { Outcome::Retry } else { Outcome::Committed });
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = Duration::from_secs(2);
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("flaky", WAIT).await;
    let listed = dovecot.list("alice", "INBOX").await;
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].has(DEFAULT_KEYWORD), "a retried message stays unmarked: {listed:?}");
    assert!(!listed[0].has("\\Seen"));

    recorder.wait_until("the second delivery", WAIT, |s| s.len() == 2).await;
    wait_listing(&dovecot, "alice", "INBOX", "the keyword", |l| l.len() == 1 && all_marked(l)).await;
    let seen = recorder.seen();
    assert_eq!(seen[0].outcome, Outcome::Retry);
    assert_eq!(seen[1].outcome, Outcome::Committed);
    assert_eq!(seen[0].uid, seen[1].uid);
    let gap = seen[1].at.duration_since(seen[0].at);
    assert!(gap >= Duration::from_millis(1500), "retried after the poll interval, not at once: {gap:?}");
    fetcher.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reject_marks_the_message_so_it_is_not_fetched_again() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("garbage")).await;
    let recorder = Recorder::new(|m, _| if subject(&m.raw) == "garbage" { Outcome::Reject } else { Outcome::Committed });
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = Duration::from_secs(1);
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("garbage", WAIT).await;
    wait_listing(&dovecot, "alice", "INBOX", "the keyword", |l| l.len() == 1 && all_marked(l)).await;
    // Several polls later it has not come again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    dovecot.append("alice", "INBOX", &message("fine")).await;
    recorder.wait_for("fine", WAIT).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["garbage", "fine"]);
    let listed = dovecot.list("alice", "INBOX").await;
    assert_eq!(listed.len(), 2, "a rejected message stays on the server: {listed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_to_moves_the_message_to_the_folder() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("move me")).await;
    dovecot.append("alice", "INBOX", &message("me too")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.after = After::MoveTo("Processed".into());
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg.clone(), recorder.clone());
    recorder.wait_until("both messages", WAIT, |s| s.len() == 2).await;
    wait_listing(&dovecot, "alice", "INBOX", "an empty INBOX", |l| l.is_empty()).await;
    let moved = wait_listing(&dovecot, "alice", "Processed", "two messages", |l| l.len() == 2).await;
    for l in &moved {
        assert!(!l.has("\\Deleted") && !l.has(DEFAULT_KEYWORD) && !l.has("\\Seen"), "{l:?}");
    }
    // A message arriving later is moved as well; the moved ones are not fetched again.
    dovecot.append("alice", "INBOX", &message("later")).await;
    recorder.wait_for("later", WAIT).await;
    wait_listing(&dovecot, "alice", "Processed", "three messages", |l| l.len() == 3).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["move me", "me too", "later"]);
    assert!(dovecot.list("alice", "INBOX").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_mailboxes_are_fetched_at_once() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.add_user("bob", "bob-pw");
    dovecot.append("alice", "INBOX", &message("for alice")).await;
    dovecot.append("bob", "INBOX", &message("for bob")).await;
    let recorder = Recorder::committing();
    let mut support = dovecot.mailbox("support", "alice");
    let mut billing = dovecot.mailbox("billing", "bob");
    support.poll_interval = NO_POLL;
    billing.poll_interval = NO_POLL;
    let (stop, stopped) = oneshot::channel::<()>();
    let all = tokio::spawn(run_all(vec![support, billing], recorder.clone(), async move {
        let _ = stopped.await;
    }));
    recorder.wait_until("both", WAIT, |s| s.len() == 2).await;
    dovecot.append("bob", "INBOX", &message("bob again")).await;
    dovecot.append("alice", "INBOX", &message("alice again")).await;
    recorder.wait_until("all four", WAIT, |s| s.len() == 4).await;
    let _ = stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(5), all).await.expect("run_all stops").expect("run_all's task");
    assert_eq!(result, Ok(()));
    let mut pairs: Vec<(String, String)> = recorder.seen().into_iter().map(|s| (s.mailbox, s.subject)).collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("billing".to_string(), "bob again".to_string()),
            ("billing".to_string(), "for bob".to_string()),
            ("support".to_string(), "alice again".to_string()),
            ("support".to_string(), "for alice".to_string()),
        ]
    );
    for user in ["alice", "bob"] {
        let listed = dovecot.list(user, "INBOX").await;
        assert_eq!(listed.len(), 2);
        assert!(all_marked(&listed), "{listed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fetcher_reconnects_after_the_server_restarts() {
    init_logs();
    let mut dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("before")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("before", WAIT).await;
    wait_listing(&dovecot, "alice", "INBOX", "the keyword", all_marked).await;

    tokio::task::block_in_place(|| {
        dovecot.stop();
        std::thread::sleep(Duration::from_millis(1500));
        dovecot.restart();
    });
    dovecot.append("alice", "INBOX", &message("after")).await;
    recorder.wait_for("after", WAIT).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["before", "after"]);
    assert_eq!(dovecot.list("alice", "INBOX").await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_message_is_delivered_whole() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    // About 5 MB: a base64-looking attachment in lines of 76 characters.
    let mut raw = message("large");
    raw.truncate(raw.len() - "Hello about large.\r\n".len());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x: u32 = 12345;
    while raw.len() < 5 * 1024 * 1024 {
        for _ in 0..76 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            raw.push(alphabet[(x >> 16) as usize % 64]);
        }
        raw.extend_from_slice(b"\r\n");
    }
    dovecot.append("alice", "INBOX", &raw).await;
    dovecot.append("alice", "INBOX", &message("small")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    let seen = recorder.wait_for("large", WAIT).await;
    recorder.wait_for("small", WAIT).await;
    fetcher.stop().await;
    assert_eq!(seen.raw.len(), raw.len());
    assert!(seen.raw == raw, "the large message's bytes differ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_during_idle_returns_at_once() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("one")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("one", WAIT).await;
    wait_listing(&dovecot, "alice", "INBOX", "the keyword", all_marked).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let took = fetcher.stop().await;
    // Not the IDLE period (10 minutes): at most the second it allows itself for DONE and LOGOUT.
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    // It said goodbye (DONE, LOGOUT) rather than dropping the connection.
    let start = Instant::now();
    while !dovecot.log().contains("Disconnected: Logged out") {
        assert!(start.elapsed() < WAIT, "no LOGOUT in dovecot's log:\n{}", dovecot.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_starttls_with_the_servers_ca() {
    init_logs();
    let dovecot = Dovecot::start_with_tls();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("over tls")).await;
    let recorder = Recorder::committing();

    // Without the test CA the certificate is not trusted: nothing is fetched, and shutdown
    // during the reconnect backoff is prompt.
    let mut untrusted = dovecot.mailbox_tls("support", "alice", Security::Tls);
    untrusted.ca_file = None;
    let fetcher = spawn(untrusted, recorder.clone());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let took = fetcher.stop().await;
    assert!(took < Duration::from_secs(1), "took {took:?}");
    assert!(recorder.seen().is_empty());

    let mut cfg = dovecot.mailbox_tls("support", "alice", Security::Tls);
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("over tls", WAIT).await;
    fetcher.stop().await;

    dovecot.append("alice", "INBOX", &message("over starttls")).await;
    let mut cfg = dovecot.mailbox_tls("support", "alice", Security::StartTls);
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("over starttls", WAIT).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["over tls", "over starttls"]);
    let log = dovecot.log();
    assert!(log.contains("TLS"), "dovecot logged the logins as TLS: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_rights_for_the_keyword_seen_is_used() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    // Alice may set \Seen but no keyword (like a shared mailbox with limited rights): the
    // folder's PERMANENTFLAGS are (\Seen), without \*.
    dovecot.set_rights("alice", "INBOX", "lrsi");
    dovecot.append("alice", "INBOX", &message("full")).await;
    dovecot.append("alice", "INBOX", &message("plain")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = Duration::from_secs(1);
    let fetcher = spawn(cfg.clone(), recorder.clone());
    recorder.wait_until("both", WAIT, |s| s.len() == 2).await;
    let listed = wait_listing(&dovecot, "alice", "INBOX", "\\Seen", |l| l.len() == 2 && l.iter().all(|m| m.has("\\Seen"))).await;
    assert!(listed.iter().all(|m| !m.has(DEFAULT_KEYWORD)), "{listed:?}");
    // Tracked by \Seen: not fetched again, a new one is.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    dovecot.append("alice", "INBOX", &message("third")).await;
    recorder.wait_for("third", WAIT).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["full", "plain", "third"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_server_is_polled_and_moves_are_copies() {
    init_logs();
    // No IDLE, no MOVE, no UIDPLUS.
    let dovecot = Dovecot::start_with_capabilities("IMAP4rev1 LITERAL+");
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("old one")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.after = After::MoveTo("Processed".into());
    cfg.poll_interval = Duration::from_secs(1);
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("old one", WAIT).await;
    // Copied, and left \Deleted in INBOX: without UIDPLUS an EXPUNGE could take others' too.
    wait_listing(&dovecot, "alice", "Processed", "the copy", |l| l.len() == 1).await;
    let inbox = wait_listing(&dovecot, "alice", "INBOX", "\\Deleted", |l| l.len() == 1 && l[0].has("\\Deleted")).await;
    assert_eq!(inbox.len(), 1);
    // Polled: a new message comes within the poll interval; the \Deleted one not again.
    dovecot.append("alice", "INBOX", &message("old two")).await;
    recorder.wait_for("old two", Duration::from_secs(3)).await;
    wait_listing(&dovecot, "alice", "Processed", "both copies", |l| l.len() == 2).await;
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["old one", "old two"]);
    let processed = dovecot.list("alice", "Processed").await;
    assert!(processed.iter().all(|l| !l.has("\\Deleted")), "{processed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_move_but_with_uidplus_the_copy_is_expunged_from_the_folder() {
    init_logs();
    let dovecot = Dovecot::start_with_capabilities("IMAP4rev1 LITERAL+ IDLE UIDPLUS");
    dovecot.add_user("alice", "alice-pw");
    // Another client marked this one \Deleted without expunging it: a plain EXPUNGE would
    // remove it, UID EXPUNGE of our UIDs leaves it.
    dovecot.append_with_flags("alice", "INBOX", Some("(\\Deleted)"), &message("someone else's")).await;
    dovecot.append("alice", "INBOX", &message("ours")).await;
    let recorder = Recorder::committing();
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.after = After::MoveTo("Processed".into());
    cfg.poll_interval = NO_POLL;
    let fetcher = spawn(cfg, recorder.clone());
    recorder.wait_for("ours", WAIT).await;
    let inbox = wait_listing(&dovecot, "alice", "INBOX", "one left", |l| l.len() == 1).await;
    assert!(inbox[0].has("\\Deleted"), "the other client's message is still there: {inbox:?}");
    let processed = wait_listing(&dovecot, "alice", "Processed", "the copy", |l| l.len() == 1).await;
    assert!(!processed[0].has("\\Deleted"), "{processed:?}");
    fetcher.stop().await;
    assert_eq!(recorder.subjects(), ["ours"]);
}

/// Takes its time: tells when it has started, then waits a second before recording.
struct Slow {
    inner: Arc<Recorder>,
    started: tokio::sync::Notify,
}

impl Deliver for Slow {
    fn deliver<'a>(&'a self, mailbox: &'a str, messages: Vec<Fetched>) -> BoxFuture<'a, Vec<Outcome>> {
        Box::pin(async move {
            self.started.notify_one();
            tokio::time::sleep(Duration::from_secs(1)).await;
            self.inner.deliver(mailbox, messages).await
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_while_delivering_waits_and_marks_what_was_stored() {
    init_logs();
    let dovecot = Dovecot::start();
    dovecot.add_user("alice", "alice-pw");
    dovecot.append("alice", "INBOX", &message("slow")).await;
    let recorder = Recorder::committing();
    let slow = Arc::new(Slow { inner: recorder.clone(), started: tokio::sync::Notify::new() });
    let mut cfg = dovecot.mailbox("support", "alice");
    cfg.poll_interval = NO_POLL;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(run_mailbox(cfg, slow.clone(), async move {
        let _ = stopped.await;
    }));
    slow.started.notified().await;
    let _ = stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(5), task).await.expect("stops").expect("task");
    assert_eq!(result, Ok(()));
    assert_eq!(recorder.subjects(), ["slow"]);
    let listed = dovecot.list("alice", "INBOX").await;
    assert!(all_marked(&listed) && listed.len() == 1, "marked before stopping: {listed:?}");
}

#[tokio::test]
async fn settings_that_cannot_work_are_refused_before_connecting() {
    let recorder = Recorder::committing();
    let cfg = MailboxConfig::new("support", "imap.example.org", 143, Security::Plain, "u", "p");
    let err = run_mailbox(cfg.clone(), recorder.clone(), std::future::pending::<()>()).await.unwrap_err();
    assert_eq!(err.field, "security");

    let mut missing_ca = cfg.clone();
    missing_ca.security = Security::Tls;
    missing_ca.ca_file = Some("/nonexistent/ca.pem".into());
    let err = run_mailbox(missing_ca, recorder.clone(), std::future::pending::<()>()).await.unwrap_err();
    assert_eq!(err.field, "ca_file");

    let mut a = cfg.clone();
    a.host = "127.0.0.1".into();
    let err = run_all(vec![a.clone(), a], recorder, std::future::pending::<()>()).await.unwrap_err();
    assert_eq!(err.field, "name");
}
