//! One mailbox's settings, checked before anything connects.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The keyword a fetched message gets by default once it is stored (or rejected).
pub const DEFAULT_KEYWORD: &str = "$LoketIngested";

/// The longest `poll_interval`: RFC 2177 asks a client to re-issue IDLE at least every 29 minutes.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(29 * 60);

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (IMAPS), usually port 993.
    Tls,
    /// A plain connection upgraded with STARTTLS before logging in (required), usually port 143.
    StartTls,
    /// No encryption: only for a server on this machine (127.0.0.1, ::1, localhost).
    Plain,
}

/// What marks a message as taken on the server, so it is not fetched again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// Set this keyword (an IMAP flag without a backslash) and leave the message where it is.
    /// The fetcher takes every undeleted message without it. If the folder cannot keep a new
    /// keyword (its PERMANENTFLAGS lack `\*`), `\Seen` is used instead, with a warning.
    Keyword(String),
    /// Move the message to this folder (created when missing). The fetcher takes every undeleted
    /// message in the watched folder. With a server without MOVE: COPY, `\Deleted`, and UID
    /// EXPUNGE of exactly those messages (or only `\Deleted` when the server lacks UIDPLUS).
    MoveTo(String),
}

impl Default for After {
    fn default() -> Self {
        After::Keyword(DEFAULT_KEYWORD.to_string())
    }
}

/// One IMAP mailbox to fetch from.
#[derive(Clone)]
pub struct MailboxConfig {
    /// The mailbox's name in Loket: in logs, and passed to [`crate::Deliver`]. Unique per run.
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: String,
    /// The folder watched, `INBOX` by default.
    pub folder: String,
    pub after: After,
    /// How often to look for mail when the server has no IDLE; with IDLE, how often IDLE is
    /// re-issued (and the folder searched again, which also brings back messages left for a
    /// retry). At most 29 minutes.
    pub poll_interval: Duration,
    /// At most this many messages are fetched and handed to [`crate::Deliver`] at once.
    pub batch: usize,
    /// Every network step (connect, TLS, greeting, login, each command) must finish within this.
    /// Fetching message bodies gets one more second per 64 KiB of the batch's size.
    pub timeout: Duration,
    /// The first wait before reconnecting after an error; it doubles per failed attempt (with up
    /// to 25 % jitter) up to `retry_max`, and starts again from here after a good session.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Further trusted roots (a PEM file), for a server with a private CA; the public web roots
    /// (webpki-roots) are always trusted.
    pub ca_file: Option<PathBuf>,
}

impl MailboxConfig {
    /// A mailbox with the defaults: folder `INBOX`, keyword `$LoketIngested`, poll every 2
    /// minutes, batches of 20, 60 s per network step, reconnect after 2 s doubling up to 5 min.
    pub fn new(
        name: impl Into<String>,
        host: impl Into<String>,
        port: u16,
        security: Security,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        MailboxConfig {
            name: name.into(),
            host: host.into(),
            port,
            security,
            user: user.into(),
            password: password.into(),
            folder: "INBOX".to_string(),
            after: After::default(),
            poll_interval: Duration::from_secs(120),
            batch: 20,
            timeout: Duration::from_secs(60),
            retry_base: Duration::from_secs(2),
            retry_max: Duration::from_secs(300),
            ca_file: None,
        }
    }

    /// Checks the settings without connecting; [`crate::run_mailbox`] does this first.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |field: &'static str, problem: String| Err(ConfigError { mailbox: self.name.clone(), field, problem });
        if self.name.trim().is_empty() {
            return fail("name", "is empty".into());
        }
        if self.host.trim().is_empty() {
            return fail("host", "is empty".into());
        }
        if self.security == Security::Plain && !is_local(&self.host) {
            return fail(
                "security",
                format!(
                    "plain (unencrypted) IMAP is only allowed to this machine (127.0.0.1, ::1, \
                     localhost), not to {}: use tls or starttls",
                    self.host
                ),
            );
        }
        if self.port == 0 {
            return fail("port", "is 0".into());
        }
        if self.user.is_empty() {
            return fail("user", "is empty".into());
        }
        if has_control(&self.user) {
            return fail("user", "contains a control character".into());
        }
        if has_control(&self.password) {
            return fail("password", "contains a control character".into());
        }
        if let Err(problem) = check_folder(&self.folder) {
            return fail("folder", problem);
        }
        match &self.after {
            After::Keyword(k) => {
                if let Err(problem) = check_keyword(k) {
                    return fail("after", problem);
                }
            }
            After::MoveTo(to) => {
                if let Err(problem) = check_folder(to) {
                    return fail("after", problem);
                }
                if to == &self.folder {
                    return fail("after", "moves to the folder it watches".into());
                }
            }
        }
        if self.poll_interval.is_zero() || self.poll_interval > MAX_POLL_INTERVAL {
            return fail("poll_interval", format!("{:?} is not between 0 and 29 minutes", self.poll_interval));
        }
        if self.batch == 0 {
            return fail("batch", "is 0".into());
        }
        if self.timeout.is_zero() {
            return fail("timeout", "is 0".into());
        }
        if self.retry_base.is_zero() || self.retry_max < self.retry_base {
            return fail("retry_base", "must be above 0 and not above retry_max".into());
        }
        Ok(())
    }
}

/// Never shows the password.
impl fmt::Debug for MailboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailboxConfig")
            .field("name", &self.name)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &"…")
            .field("folder", &self.folder)
            .field("after", &self.after)
            .field("poll_interval", &self.poll_interval)
            .field("batch", &self.batch)
            .field("timeout", &self.timeout)
            .field("retry_base", &self.retry_base)
            .field("retry_max", &self.retry_max)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// A setting that cannot work, named by mailbox and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("IMAP mailbox {mailbox:?}: {field} {problem}")]
pub struct ConfigError {
    pub mailbox: String,
    pub field: &'static str,
    pub problem: String,
}

fn is_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

fn check_folder(folder: &str) -> Result<(), String> {
    if folder.is_empty() {
        return Err("is empty".into());
    }
    if has_control(folder) {
        return Err(format!("{folder:?} contains a control character"));
    }
    if folder.contains(['*', '%']) {
        return Err(format!("{folder:?} contains a wildcard (* or %)"));
    }
    Ok(())
}

/// An IMAP keyword is an atom: no space, no `( ) { % * " \ ]`, no control character, and not
/// starting with a backslash (those are system flags).
fn check_keyword(k: &str) -> Result<(), String> {
    if k.is_empty() {
        return Err("keyword is empty".into());
    }
    if k.len() > 100 {
        return Err("keyword is longer than 100 characters".into());
    }
    let bad = |c: char| !c.is_ascii() || c.is_ascii_control() || " (){%*\"\\]".contains(c);
    if k.chars().any(bad) {
        return Err(format!("keyword {k:?} is not an IMAP atom (ASCII without spaces, ( ) {{ % * \" \\ ])"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(host: &str, security: Security) -> MailboxConfig {
        MailboxConfig::new("support", host, 143, security, "u", "p")
    }

    #[test]
    fn plain_only_to_this_machine() {
        for host in ["127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.2"] {
            assert_eq!(cfg(host, Security::Plain).validate(), Ok(()), "{host}");
        }
        for host in ["imap.example.org", "10.0.0.1", "192.168.1.2", "localhost.example.org"] {
            let err = cfg(host, Security::Plain).validate().unwrap_err();
            assert_eq!(err.field, "security", "{host}");
            assert!(err.to_string().contains(host));
        }
        assert_eq!(cfg("imap.example.org", Security::Tls).validate(), Ok(()));
        assert_eq!(cfg("imap.example.org", Security::StartTls).validate(), Ok(()));
    }

    #[test]
    fn keywords_and_folders() {
        let mut c = cfg("localhost", Security::Plain);
        for bad in ["", "\\Seen", "two words", "a(b", "x]"] {
            c.after = After::Keyword(bad.into());
            assert_eq!(c.validate().unwrap_err().field, "after", "{bad:?}");
        }
        c.after = After::Keyword("$Done-1".into());
        assert_eq!(c.validate(), Ok(()));
        c.after = After::MoveTo("INBOX".into());
        assert_eq!(c.validate().unwrap_err().field, "after");
        c.after = After::MoveTo("Archive/Loket".into());
        assert_eq!(c.validate(), Ok(()));
        c.folder = "Inbox*".into();
        assert_eq!(c.validate().unwrap_err().field, "folder");
    }

    #[test]
    fn intervals_and_sizes() {
        let mut c = cfg("localhost", Security::Plain);
        c.poll_interval = Duration::from_secs(30 * 60);
        assert_eq!(c.validate().unwrap_err().field, "poll_interval");
        c.poll_interval = MAX_POLL_INTERVAL;
        assert_eq!(c.validate(), Ok(()));
        c.batch = 0;
        assert_eq!(c.validate().unwrap_err().field, "batch");
        c.batch = 1;
        c.retry_max = Duration::from_secs(1);
        assert_eq!(c.validate().unwrap_err().field, "retry_base");
    }

    #[test]
    fn debug_hides_the_password() {
        let c = MailboxConfig::new("m", "localhost", 143, Security::Plain, "u", "hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
