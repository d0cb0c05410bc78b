//! Servers that send garbage, too much, or one endless line: an outcome every time, quickly,
//! with bounded reads.

use std::time::Duration;

use loket_monitor::testing::RawTarget;
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, check, probe};

const TEN_MB: usize = 10 * 1024 * 1024;

#[tokio::test]
async fn garbage_banners() {
    let prober = Prober::new();
    for garbage in [&b"HELLO there\r\n"[..], b"\x00\x01\x02\xff\xfe\r\n", b"220", b"* NO go away\r\n", b"\r\n\r\n"] {
        let server = RawTarget::sending(garbage);
        for (kind, scheme) in [(Kind::Smtp, "smtp"), (Kind::Imap, "imap")] {
            let mut p = probe(kind, &format!("{scheme}://localhost:{}", server.port()), None);
            p.timeout = Duration::from_secs(2);
            let outcome = check(&prober, &p).await;
            assert!(!outcome.ok, "{outcome:?}");
            // `220` without a line end waits for more: a time-out; the rest are protocol errors.
            let expected = if garbage == b"220" { Cause::Timeout } else { Cause::Protocol };
            assert_eq!(outcome.cause, Some(expected), "{kind} {garbage:?}: {outcome:?}");
        }
    }
}

#[tokio::test]
async fn an_endless_line() {
    let server = RawTarget::flood(&b"220 "[..], b'a', TEN_MB);
    let prober = Prober::new();
    for (kind, scheme) in [(Kind::Smtp, "smtp"), (Kind::Imap, "imap")] {
        let outcome = check(&prober, &probe(kind, &format!("{scheme}://localhost:{}", server.port()), None)).await;
        assert_fails(&outcome, Cause::Protocol);
        assert!(outcome.detail.contains("longer than 4096 bytes"), "{outcome:?}");
    }
    // An HTTP header that never ends.
    let header = RawTarget::answering(&b"HTTP/1.1 200 OK\r\nX-Long: "[..], b'a', TEN_MB);
    let outcome = check(&prober, &probe(Kind::Http, &format!("http://127.0.0.1:{}/", header.port()), None)).await;
    assert_fails(&outcome, Cause::Protocol);
}

#[tokio::test]
async fn endless_multi_line_replies() {
    let lines: Vec<u8> = b"220-more\r\n".repeat(10_000);
    let server = RawTarget::sending(lines);
    let outcome = check(&Prober::new(), &probe(Kind::Smtp, &format!("smtp://localhost:{}", server.port()), None)).await;
    assert_fails(&outcome, Cause::Protocol);
    assert!(outcome.detail.contains("more than 100 lines"), "{outcome:?}");
}

#[tokio::test]
async fn ten_megabytes_of_body() {
    let prefix = format!("HTTP/1.1 200 OK\r\nContent-Length: {TEN_MB}\r\n\r\n");
    let server = RawTarget::answering(prefix.into_bytes(), b'x', TEN_MB);
    let url = format!("http://127.0.0.1:{}/", server.port());
    let prober = Prober::new();
    // Only the first MiB is read for the keyword.
    let outcome = check(&prober, &probe(Kind::Http, &url, Some("needle"))).await;
    assert_fails(&outcome, Cause::Keyword);
    assert!(outcome.detail.contains("in the first MiB"), "{outcome:?}");
    let outcome = check(&prober, &probe(Kind::Http, &url, None)).await;
    assert!(outcome.ok, "{outcome:?}");
}

#[tokio::test]
async fn garbage_over_tls_and_http() {
    let server = RawTarget::flood(&b"\x16\x03\x01\xff\xff"[..], 0xAB, TEN_MB);
    let prober = Prober::new();
    let tls = check(&prober, &probe(Kind::Tls, &format!("localhost:{}", server.port()), None)).await;
    assert_fails(&tls, Cause::Tls);
    let server = RawTarget::answering(&b"\x16\x03\x01\xff\xff"[..], 0xAB, TEN_MB);
    let http = check(&prober, &probe(Kind::Http, &format!("http://127.0.0.1:{}/", server.port()), None)).await;
    assert_fails(&http, Cause::Protocol);
}

#[tokio::test]
async fn a_dns_server_sending_garbage() {
    // A UDP "server" answering every datagram with junk that echoes the id.
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            let mut junk = buf[..2.min(n)].to_vec();
            junk.extend_from_slice(&[0x81, 0x80, 0xff, 0xff, 0xff, 0xff]);
            let _ = socket.send_to(&junk, from);
        }
    });
    let mut p = probe(Kind::Dns, &format!("example.test A @127.0.0.1:{port}"), None);
    p.timeout = Duration::from_secs(2);
    let outcome = check(&Prober::new(), &p).await;
    assert_fails(&outcome, Cause::Protocol);
    thread.join().unwrap();
}
