//! The helpdesk's IMAP mailboxes: `helpdesk.mailboxes` read into `loket_imap` configurations,
//! and the bridge that hands fetched mail to the one ingest path of the service layer.
//!
//! A mailbox is a URL: `imaps://USER:PASSWORD@HOST:993/FOLDER` (TLS), `imap://…:143/…?tls=starttls`
//! or `imap://…?tls=none` (only to this machine); user and password percent-encoded
//! (`support%40example.nl`). Query options: `after=keyword` (default: the `$LoketIngested`
//! keyword) or `after=move:FOLDER`, `poll=2m` (without IDLE), `batch=20`, `name=support`.

use std::sync::Arc;

use loket_app::Services;
use loket_app::helpdesk::IngestOutcome;
use loket_imap::{After, BoxFuture, Deliver, Fetched, MailboxConfig, Outcome, Security};

/// Reads one mailbox URL; errors name the part at fault (never the password).
pub fn parse(text: &str) -> Result<MailboxConfig, String> {
    let u = url::Url::parse(text.trim()).map_err(|e| format!("not a mailbox URL ({e}): write imaps://USER:PASSWORD@HOST:993/INBOX"))?;
    let (mut security, default_port) = match u.scheme() {
        "imaps" => (Security::Tls, 993),
        "imap" => (Security::StartTls, 143),
        other => return Err(format!("`{other}`: the scheme is imaps or imap")),
    };
    let host = u.host_str().filter(|h| !h.is_empty()).ok_or("the URL has no host")?.to_string();
    let decode = |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
    let user = decode(u.username());
    let password = decode(u.password().unwrap_or(""));
    if user.is_empty() {
        return Err("the URL has no user: imaps://USER:PASSWORD@HOST/INBOX".into());
    }
    let folder = match u.path().trim_start_matches('/') {
        "" => "INBOX".to_string(),
        f => decode(f),
    };
    let mut cfg = MailboxConfig::new(format!("{user}@{host}/{folder}"), host, u.port().unwrap_or(default_port), security, user, password);
    cfg.folder = folder;
    for (k, v) in u.query_pairs() {
        match (k.as_ref(), v.as_ref()) {
            ("tls", "none") => security = Security::Plain,
            ("tls", "starttls") => security = Security::StartTls,
            ("tls", "tls") => security = Security::Tls,
            ("after", "keyword") => cfg.after = After::default(),
            ("after", m) if m.starts_with("move:") && m.len() > 5 => cfg.after = After::MoveTo(m[5..].to_string()),
            ("poll", p) => {
                let d = loket_domain::input::duration("poll", p).map_err(|e| e.message)?;
                cfg.poll_interval = std::time::Duration::from_secs(d.as_secs().max(1) as u64);
            }
            ("batch", b) => cfg.batch = b.parse().ok().filter(|n| (1..=500).contains(n)).ok_or("batch is a number from 1 to 500")?,
            ("name", n) if !n.is_empty() && n.len() <= 60 => cfg.name = n.to_string(),
            (k, _) => return Err(format!("`{}`: options are tls, after, poll, batch and name", loket_domain::input::sample(k))),
        }
    }
    cfg.security = security;
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
}

/// Hands fetched mail to [`Services::ingest_mail`]: a message is marked on the server only when
/// its batch committed (or it can never be read); a failed batch is offered again later.
pub struct IngestMail(pub Arc<Services>);

impl Deliver for IngestMail {
    fn deliver<'a>(&'a self, mailbox: &'a str, messages: Vec<Fetched>) -> BoxFuture<'a, Vec<Outcome>> {
        Box::pin(async move {
            let raws: Vec<Vec<u8>> = messages.into_iter().map(|m| m.raw).collect();
            match self.0.ingest_mail(&raws).await {
                Ok(outcomes) => outcomes
                    .iter()
                    .map(|o| match o {
                        IngestOutcome::Rejected(why) => {
                            tracing::warn!(mailbox, reason = %why, "a message was not readable and is left marked on the server");
                            Outcome::Reject
                        }
                        _ => Outcome::Committed,
                    })
                    .collect(),
                Err(e) => {
                    tracing::warn!(mailbox, error = %e, "ingesting mail failed; it is offered again");
                    raws.iter().map(|_| Outcome::Retry).collect()
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_urls_read_as_written_and_refuse_with_the_part_named() {
        let m = parse("imaps://support%40example.nl:s%3Acret@mail.example.nl/INBOX?after=move:Done&poll=5m").unwrap();
        assert_eq!(m.user, "support@example.nl");
        assert_eq!(m.password, "s:cret");
        assert_eq!(m.port, 993);
        assert_eq!(m.after, After::MoveTo("Done".into()));
        assert_eq!(m.poll_interval.as_secs(), 300);
        assert!(parse("imap://u:p@127.0.0.1:1143/INBOX?tls=none").is_ok());
        assert!(parse("imap://u:p@mail.example.nl/INBOX?tls=none").is_err(), "plain text only to this machine");
        assert!(parse("pop3://u:p@h/").unwrap_err().contains("pop3"));
        assert!(parse("imaps://h/INBOX").unwrap_err().contains("no user"));
        assert!(parse("imaps://u:p@h/INBOX?colour=red").unwrap_err().contains("colour"));
        let e = parse("imaps://u:secret@h/INBOX?batch=0").unwrap_err();
        assert!(!e.contains("secret"));
    }
}
