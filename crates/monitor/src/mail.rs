//! `smtp` and `imap`: greeting, capabilities, STARTTLS when offered (or TLS at once for `smtps`
//! and `imaps`), then QUIT or LOGOUT.

use std::time::Duration;

use loket_domain::monitoring::{Kind, mail_target};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::conn::{Lines, connect};
use crate::tls::{Setup, judge};
use crate::{Cause, Checked, Fail, Pass, Probe, quote};

/// The most lines one SMTP reply or one IMAP command's answer may have.
const MAX_REPLY_LINES: usize = 100;
/// How long QUIT / LOGOUT may take to be answered before the connection is just dropped.
const GOODBYE: Duration = Duration::from_millis(500);

pub(crate) async fn check(tls: &Setup, probe: &Probe) -> Checked {
    let target = mail_target(probe.kind, probe.target.trim()).map_err(|e| Fail::new(Cause::Protocol, e))?;
    let smtp = probe.kind == Kind::Smtp;
    let stream = connect(&target.host, target.port).await?;
    if target.implicit_tls {
        let (stream, at) = tls.handshake(&target.host, stream).await?;
        let mut lines = Lines::new(stream);
        let banner =
            if smtp { smtp_plain(&mut lines).await } else { imap_plain(&mut lines).await }.map_err(|f| f.with_cert(Some(at)))?.banner;
        goodbye(&mut lines, smtp).await;
        return finish(probe, &banner, Some(at), "TLS");
    }
    let mut lines = Lines::new(stream);
    let plain = if smtp { smtp_plain(&mut lines).await } else { imap_plain(&mut lines).await }?;
    if !plain.starttls {
        goodbye(&mut lines, smtp).await;
        return finish(probe, &plain.banner, None, "no STARTTLS");
    }
    starttls(&mut lines, smtp).await?;
    let (stream, at) = tls.handshake(&target.host, lines.into_inner()?).await?;
    let mut lines = Lines::new(stream);
    goodbye(&mut lines, smtp).await;
    finish(probe, &plain.banner, Some(at), "STARTTLS")
}

/// The keyword in the banner, then the certificate's expiry.
fn finish(probe: &Probe, banner: &str, cert: Option<i64>, how: &str) -> Checked {
    if let Some(keyword) = probe.keyword.as_deref()
        && !banner.contains(keyword)
    {
        return Err(
            Fail::new(Cause::Keyword, format!("keyword `{keyword}` not in the banner `{}`", quote(banner.as_bytes()))).with_cert(cert)
        );
    }
    let detail = match cert {
        Some(at) => format!("{how}, {}", judge(at, probe.cert_days)?),
        None => how.to_string(),
    };
    Ok(Pass { detail, cert_not_after: cert })
}

/// What the plain part of the conversation found.
struct Plain {
    banner: String,
    starttls: bool,
}

/// The 220 greeting and EHLO.
async fn smtp_plain<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>) -> Result<Plain, Fail> {
    let (code, text) = smtp_reply(lines).await?;
    if code != 220 {
        return Err(Fail::new(Cause::Protocol, format!("greeting {code} {}", quote(text.join(" ").as_bytes()))));
    }
    let banner = text.join(" ");
    lines.send("EHLO loket-monitor").await?;
    let (code, text) = smtp_reply(lines).await?;
    if code != 250 {
        return Err(Fail::new(Cause::Protocol, format!("EHLO answered {code} {}", quote(text.join(" ").as_bytes()))));
    }
    let starttls = text.iter().skip(1).any(|l| l.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("STARTTLS")));
    Ok(Plain { banner, starttls })
}

/// One SMTP reply: its code and the text of each line.
async fn smtp_reply<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>) -> Result<(u16, Vec<String>), Fail> {
    let mut code = None;
    let mut text = Vec::new();
    loop {
        let line = lines.line().await?;
        let bytes = line.as_bytes();
        let this: Option<u16> = (bytes.len() >= 3 && bytes[..3].iter().all(u8::is_ascii_digit)).then(|| line[..3].parse().ok()).flatten();
        let (Some(this), sep) = (this, bytes.get(3).copied()) else {
            return Err(Fail::new(Cause::Protocol, format!("not an SMTP reply: `{}`", quote(bytes))));
        };
        if !matches!(sep, None | Some(b' ') | Some(b'-')) || code.is_some_and(|c| c != this) {
            return Err(Fail::new(Cause::Protocol, format!("not an SMTP reply: `{}`", quote(bytes))));
        }
        code = Some(this);
        text.push(line.get(4..).unwrap_or("").to_string());
        if sep != Some(b'-') {
            return Ok((this, text));
        }
        if text.len() >= MAX_REPLY_LINES {
            return Err(Fail::new(Cause::Protocol, format!("an SMTP reply of more than {MAX_REPLY_LINES} lines")));
        }
    }
}

/// The `* OK` greeting and `a1 CAPABILITY`.
async fn imap_plain<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>) -> Result<Plain, Fail> {
    let greeting = lines.line().await?;
    let upper = greeting.to_ascii_uppercase();
    let banner = if upper.starts_with("* OK") || upper.starts_with("* PREAUTH") {
        greeting.split_once(' ').map(|(_, rest)| rest).unwrap_or("").split_once(' ').map(|(_, rest)| rest).unwrap_or("").to_string()
    } else {
        return Err(Fail::new(Cause::Protocol, format!("not an IMAP greeting: `{}`", quote(greeting.as_bytes()))));
    };
    lines.send("a1 CAPABILITY").await?;
    let untagged = imap_tagged(lines, "a1").await?;
    let starttls = untagged
        .iter()
        .filter(|l| l.to_ascii_uppercase().starts_with("* CAPABILITY "))
        .flat_map(|l| l.split_whitespace().skip(2))
        .any(|w| w.eq_ignore_ascii_case("STARTTLS"));
    Ok(Plain { banner, starttls })
}

/// The untagged lines up to the tagged `OK` for `tag`; a NO or BAD is a protocol error.
async fn imap_tagged<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>, tag: &str) -> Result<Vec<String>, Fail> {
    let mut untagged = Vec::new();
    loop {
        let line = lines.line().await?;
        if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
            if rest.len() >= 2 && rest[..2].eq_ignore_ascii_case("OK") {
                return Ok(untagged);
            }
            return Err(Fail::new(Cause::Protocol, format!("`{}`", quote(line.as_bytes()))));
        }
        if !line.starts_with('*') {
            return Err(Fail::new(Cause::Protocol, format!("not an IMAP response: `{}`", quote(line.as_bytes()))));
        }
        untagged.push(line);
        if untagged.len() >= MAX_REPLY_LINES {
            return Err(Fail::new(Cause::Protocol, format!("more than {MAX_REPLY_LINES} lines for one command")));
        }
    }
}

async fn starttls<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>, smtp: bool) -> Result<(), Fail> {
    if smtp {
        lines.send("STARTTLS").await?;
        let (code, text) = smtp_reply(lines).await?;
        if code != 220 {
            return Err(Fail::new(Cause::Protocol, format!("STARTTLS refused: {code} {}", quote(text.join(" ").as_bytes()))));
        }
    } else {
        lines.send("a2 STARTTLS").await?;
        imap_tagged(lines, "a2").await.map_err(|f| Fail::new(Cause::Protocol, format!("STARTTLS refused: {}", f.detail)))?;
    }
    Ok(())
}

/// QUIT or LOGOUT, its answer awaited briefly; failures here do not matter.
async fn goodbye<S: AsyncRead + AsyncWrite + Unpin>(lines: &mut Lines<S>, smtp: bool) {
    let said = async {
        if smtp {
            lines.send("QUIT").await?;
            smtp_reply(lines).await.map(|_| ())
        } else {
            lines.send("a3 LOGOUT").await?;
            imap_tagged(lines, "a3").await.map(|_| ())
        }
    };
    let _ = tokio::time::timeout(GOODBYE, said).await;
    let _ = tokio::time::timeout(GOODBYE, lines.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use loket_domain::monitoring::MailTarget;
    use tokio::io::AsyncWriteExt;

    use super::*;

    async fn lines_from(script: &'static [u8]) -> Lines<tokio::io::DuplexStream> {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            server.write_all(script).await.unwrap();
            // Keep the server side open until the client is done.
            let mut sink = Vec::new();
            let _ = tokio::io::AsyncReadExt::read_to_end(&mut server, &mut sink).await;
        });
        Lines::new(client)
    }

    #[tokio::test]
    async fn smtp_replies() {
        let mut l = lines_from(b"220-mx.example.nl ESMTP\r\n220 ready\r\n250-mx\r\n250-SIZE 1\r\n250 STARTTLS\r\n").await;
        let plain = smtp_plain(&mut l).await.unwrap();
        assert_eq!(plain.banner, "mx.example.nl ESMTP ready");
        assert!(plain.starttls);
        let mut l = lines_from(b"220 a\r\n250-mx\r\n250 8BITMIME\r\n").await;
        assert!(!smtp_plain(&mut l).await.unwrap().starttls);
        for bad in [&b"554 go away\r\n"[..], b"HELLO\r\n", b"220-a\r\n221 b\r\n", b"22\r\n", b"220x\r\n"] {
            let (client, mut server) = tokio::io::duplex(1024);
            server.write_all(bad).await.unwrap();
            drop(server);
            let fail = smtp_plain(&mut Lines::new(client)).await.err().unwrap();
            assert_eq!(fail.cause, Cause::Protocol, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[tokio::test]
    async fn imap_greetings() {
        let mut l = lines_from(b"* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n").await;
        let plain = imap_plain(&mut l).await.unwrap();
        assert_eq!(plain.banner, "[CAPABILITY IMAP4rev1] Dovecot ready.");
        assert!(plain.starttls);
        let mut l = lines_from(b"* BYE too many\r\n").await;
        assert_eq!(imap_plain(&mut l).await.err().unwrap().cause, Cause::Protocol);
        let mut l = lines_from(b"* OK hi\r\na1 BAD no\r\n").await;
        assert_eq!(imap_plain(&mut l).await.err().unwrap().cause, Cause::Protocol);
    }

    #[test]
    fn mail_target_is_the_domain_one() {
        let t: MailTarget = mail_target(Kind::Imap, "imaps://mail.example.nl").unwrap();
        assert_eq!((t.port, t.implicit_tls), (993, true));
    }
}
