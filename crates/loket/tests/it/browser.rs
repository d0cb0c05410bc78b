//! Pages in a real browser (headless Chromium): the layout renders in the browser's language,
//! and the security headers do not block Loket's own stylesheet or icon.
//!
//! Chromium is found at `LOKET_TEST_BROWSER` or /usr/bin/chromium. Without one the test says so
//! and skips, unless `LOKET_REQUIRE_BROWSER=1` (as in CI), where a missing browser fails.

use crate::support;

use std::path::PathBuf;
use std::process::Command;

use support::TestEnv;

fn browser() -> Option<PathBuf> {
    let candidate = std::env::var("LOKET_TEST_BROWSER").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("/usr/bin/chromium"));
    if candidate.exists() {
        return Some(candidate);
    }
    assert!(
        std::env::var("LOKET_REQUIRE_BROWSER").is_err(),
        "LOKET_REQUIRE_BROWSER is set but there is no browser at {}",
        candidate.display()
    );
    eprintln!("SKIPPED: no Chromium at {} (set LOKET_TEST_BROWSER)", candidate.display());
    None
}

/// Runs headless Chromium on `url` with `extra` flags; returns (stdout, stderr).
fn chromium(bin: &PathBuf, profile: &std::path::Path, lang: &str, extra: &[&str], url: &str) -> (String, String) {
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--lang={lang}"))
        .arg(format!("--accept-lang={lang}"))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_layout_renders_in_a_real_browser_without_policy_violations() {
    let Some(bin) = browser() else { return };
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    let profile = env.path().join("chromium-profile");

    let (dom, log) = chromium(&bin, &profile, "it", &["--dump-dom"], &server.url("/"));
    assert!(dom.contains("<html lang=\"it\">"), "{dom}\n{log}");
    assert!(dom.contains("Benvenuti da Loket Demo Hosting"), "{dom}");
    assert!(!log.contains("Content Security Policy"), "the page broke its own policy:\n{log}");
    assert!(!log.contains("Failed to load resource"), "{log}");

    let shot = env.path().join("home.png");
    let (_, log) =
        chromium(&bin, &profile, "nl", &[&format!("--screenshot={}", shot.display()), "--window-size=1024,700"], &server.url("/"));
    assert!(!log.contains("Content Security Policy"), "{log}");
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 5_000, "a real screenshot");
    if let Ok(dir) = std::env::var("LOKET_TEST_SCREENSHOTS") {
        std::fs::copy(&shot, PathBuf::from(dir).join("home.png")).unwrap();
    }

    // The server saw the browser fetch the stylesheet and icon, not just the page.
    let metrics = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("route=\"/static/{file}\",status=\"200\""), "{metrics}");
}
