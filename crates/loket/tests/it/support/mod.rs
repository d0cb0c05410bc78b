//! The test harness: each test gets its own data directory and database (SQLite by default;
//! a fresh PostgreSQL database per test when `LOKET_TEST_DATABASE_URL` names a server) and
//! talks to a real SMTP server (aiosmtpd). The server runs in-process by default
//! ([`TestEnv::serve`]: the real router, worker and scheduler of `loket serve` on a real port
//! and database, in a thread of the test) and as the real binary where the process matters
//! ([`TestEnv::serve_process`]: signals, SIGKILL, logs); CLI commands always run the binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use loket_store::Store;

pub mod world;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn loket_bin() -> &'static str {
    env!("CARGO_BIN_EXE_loket")
}

/// One test's world: a temporary data directory and an empty database of its own.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub database_url: String,
    /// (server URL, database name) when on PostgreSQL, to drop the database afterwards.
    pg: Option<(String, String)>,
}

impl TestEnv {
    pub async fn new() -> TestEnv {
        let dir = tempfile::Builder::new().prefix("loket-test-").tempdir().expect("temp dir");
        match std::env::var("LOKET_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(base) if base.starts_with("postgres") => {
                let n = COUNTER.fetch_add(1, Ordering::SeqCst);
                let (server, base_db) = base.rsplit_once('/').expect("postgres URL with a database name");
                let name = format!("{base_db}_t{}_{n}", std::process::id());
                let admin = Store::connect(&base, 1).await.expect("connect to LOKET_TEST_DATABASE_URL");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                TestEnv { database_url: format!("{server}/{name}"), dir, pg: Some((base, name)) }
            }
            _ => {
                let url = format!("sqlite://{}", dir.path().join("loket.db").display());
                TestEnv { database_url: url, dir, pg: None }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `loket` with this environment's data directory and database, and no stray LOKET_* settings.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(loket_bin());
        for (k, _) in std::env::vars() {
            if k.starts_with("LOKET_") {
                c.env_remove(k);
            }
        }
        c.current_dir(self.path()).arg("--data-dir").arg(self.path()).arg("--database-url").arg(&self.database_url);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run loket")
    }

    /// Runs `loket` and insists that it succeeds; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "loket {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.database_url, 4).await.expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    /// Starts Loket's server in this process, on a free port, as `loket serve ARGS` would with
    /// `env` as its only LOKET_* environment. `args` may be `--demo` and `--config FILE`.
    pub fn serve(&self, args: &[&str], env: &[(&str, String)]) -> Server {
        self.serve_at(args, env, loket_app::Clock::system())
    }

    /// [`TestEnv::serve`] with the server's services and pages on `clock`, which the test sets
    /// and advances (the job worker's leases keep real time).
    pub fn serve_at(&self, args: &[&str], env: &[(&str, String)], clock: loket_app::Clock) -> Server {
        // Warnings and errors of in-process servers show in the failing test's output.
        let _ =
            tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("warn,sqlx=error")).with_test_writer().try_init();
        let mut vars: std::collections::HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        // Monitors are checked only where a test asks for it (the demo's would check a server
        // that is not there).
        vars.entry("LOKET_MONITORING_ENABLED".into()).or_insert_with(|| "false".into());
        let mut demo = false;
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--demo" => demo = true,
                "--config" => {
                    let file = rest.next().expect("--config FILE");
                    vars.insert("LOKET_CONFIG".into(), self.path().join(file).display().to_string());
                }
                other => panic!("serve in-process does not take {other}; use serve_process"),
            }
        }
        let file = vars.get("LOKET_CONFIG").map(PathBuf::from);
        let mut config = loket::config::load(file.as_deref(), |k| vars.get(k).cloned()).expect("configuration");
        config.data_dir = self.path().to_path_buf();
        config.database_url = Some(self.database_url.clone());
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<Result<String, String>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let started = async {
                    let mut app = loket::app::App::open(config).await.map_err(|e| format!("{e:#}"))?;
                    app.clock = clock;
                    if demo {
                        loket::demo::load(&app).await.map_err(|e| format!("{e:#}"))?;
                    }
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
                    Ok::<_, String>((app, listener))
                }
                .await;
                match started {
                    Ok((app, listener)) => {
                        let addr = listener.local_addr().expect("address");
                        let _ = addr_tx.send(Ok(addr.to_string()));
                        let stop = async move {
                            let _ = stop_rx.await;
                        };
                        if let Err(e) = loket::serve::run(app, listener, stop).await {
                            eprintln!("in-process loket serve failed: {e:#}");
                        }
                    }
                    Err(e) => {
                        let _ = addr_tx.send(Err(e));
                    }
                }
            });
        });
        let addr = match addr_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => panic!("loket serve did not start: {e}"),
            Err(_) => panic!("loket serve did not start within a minute"),
        };
        let log = self.path().join("in-process.log");
        Server { process: None, in_process: Some((stop_tx, thread)), base: format!("http://{addr}"), log }
    }

    /// Starts the real `loket serve` binary on a free port with `env` as extra environment.
    pub fn serve_process(&self, args: &[&str], env: &[(&str, String)]) -> Server {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let log = self.path().join(format!("serve-{n}.log"));
        let mut cmd = self.cmd();
        cmd.arg("serve").arg("--listen").arg("127.0.0.1:0").args(args).env("RUST_LOG", "info,sqlx=warn");
        cmd.env("LOKET_MONITORING_ENABLED", "false");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child =
            cmd.stdout(Stdio::piped()).stderr(std::fs::File::create(&log).expect("log file")).spawn().expect("spawn loket serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if let Some(addr) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(addr.trim().to_string());
                    break;
                }
            }
            for _ in lines {}
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!("loket serve did not start:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
            }
        };
        Server { process: Some(child), in_process: None, base: format!("http://{addr}"), log }
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg.take() {
            // A thread of its own: Drop may run inside a Tokio runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Store::connect(&base, 1).await {
                        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                            .execute(admin.pool())
                            .await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running `loket serve`: a process, or a thread of this test.
pub struct Server {
    process: Option<Child>,
    in_process: Option<(tokio::sync::oneshot::Sender<()>, std::thread::JoinHandle<()>)>,
    pub base: String,
    pub log: PathBuf,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn child(&mut self) -> &mut Child {
        self.process.as_mut().expect("this test needs the server as a process: start it with serve_process")
    }

    pub fn pid(&mut self) -> u32 {
        self.child().id()
    }

    /// Stops an in-process server as SIGTERM would (no new requests; running jobs finish).
    pub fn stop(&mut self) {
        if let Some((stop, thread)) = self.in_process.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGKILL: no chance to clean up, as in a crash.
    pub fn kill(&mut self) {
        let child = self.child();
        let _ = child.kill();
        let _ = child.wait();
    }

    /// SIGTERM, then wait for the process to end by itself.
    pub fn terminate(&mut self, within: Duration) -> ExitStatus {
        let _ = Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child().try_wait().expect("wait") {
                return status;
            }
            assert!(start.elapsed() < within, "loket serve did not stop within {within:?} after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        assert!(self.process.is_some(), "only a server process writes a log: start it with serve_process");
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A Python with aiosmtpd: `LOKET_TEST_PYTHON`, or a virtual environment made once under
/// the target directory (so a fresh machine needs nothing but `cargo test` and python3).
fn python() -> PathBuf {
    if let Ok(p) = std::env::var("LOKET_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let venv = root.join("smtp-venv");
    let ready = venv.join(".ready");
    let lock = root.join("smtp-venv.lock");
    let start = Instant::now();
    while !ready.exists() {
        if std::fs::create_dir(&lock).is_ok() {
            let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success())
                && Command::new(venv.join("bin/pip")).args(["install", "--quiet", "aiosmtpd==1.4.6"]).status().is_ok_and(|s| s.success());
            if made {
                std::fs::write(&ready, "").expect("mark venv ready");
            }
            let _ = std::fs::remove_dir(&lock);
            assert!(made, "could not make a Python venv with aiosmtpd in {} (python3 and network to PyPI needed)", venv.display());
        }
        assert!(start.elapsed() < Duration::from_secs(300), "timed out waiting for the aiosmtpd venv");
        std::thread::sleep(Duration::from_millis(200));
    }
    venv.join("bin/python")
}

/// A real SMTP server on 127.0.0.1 that stores accepted messages in a Maildir.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

#[derive(Default)]
pub struct SinkOptions {
    pub delay_first: Option<f64>,
    pub auth: Option<(String, String)>,
    pub tls: Option<(PathBuf, PathBuf)>,
}

impl SmtpSink {
    pub fn start(dir: &Path, options: SinkOptions) -> SmtpSink {
        // A free port can be taken by another test between asking and binding: try a few.
        for _ in 0..5 {
            if let Some(sink) = SmtpSink::try_start(dir, &options) {
                return sink;
            }
        }
        panic!("SMTP sink did not start on any of five free ports");
    }

    fn try_start(dir: &Path, options: &SinkOptions) -> Option<SmtpSink> {
        let port = free_port();
        let maildir = dir.join(format!("maildir-{port}"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/smtp_sink.py");
        let mut cmd = Command::new(python());
        cmd.arg(script).arg(port.to_string()).arg(&maildir);
        if let Some(d) = options.delay_first {
            cmd.arg("--delay-first").arg(d.to_string());
        }
        if let Some((u, p)) = &options.auth {
            cmd.arg("--auth").arg(format!("{u}:{p}"));
        }
        if let Some((cert, key)) = &options.tls {
            cmd.arg("--tls").arg(cert).arg(key);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("start smtp sink");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("sink output");
        if first.trim() != "ready" {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        Some(SmtpSink { child, port, maildir })
    }

    /// Every stored message (Maildir names do not keep the order of arrival).
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> =
            std::fs::read_dir(self.maildir.join("new")).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        files.iter().map(|f| std::fs::read_to_string(f).expect("read message")).collect()
    }

    /// Waits until at least `n` messages arrived; returns them all.
    pub fn wait_for(&self, n: usize, within: Duration) -> Vec<String> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            assert!(start.elapsed() < within, "expected {n} messages, got {} within {within:?}", m.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The settings `loket serve` needs to deliver here.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LOKET_MAIL_SMTP_HOST", "127.0.0.1".into()),
            ("LOKET_MAIL_SMTP_PORT", self.port.to_string()),
            ("LOKET_MAIL_SMTP_SECURITY", "none".into()),
        ]
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One header's value in a raw message (first occurrence, unfolded).
pub fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

pub async fn wait_until<F, Fut>(what: &str, within: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < within, "timed out after {within:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until no job is queued (due now) or running: whatever the server was going to do
/// has been done, so a test may assert that nothing more happened without sleeping.
pub async fn drained(store: &Store) {
    use loket_store::jobs::JobState;
    wait_until("the job queue drained", Duration::from_secs(60), || async {
        let now = jiff::Timestamp::now();
        let jobs = store.jobs(None, 10_000).await.expect("jobs");
        !jobs.iter().any(|j| j.state == JobState::Running || (j.state == JobState::Queued && j.run_at <= now))
    })
    .await;
}

/// A browser-like HTTP client: keeps cookies, does not follow redirects, reads CSRF tokens.
pub struct Client {
    http: reqwest::Client,
    base: String,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// The language the tests read pages in, whatever the signed-in user's profile says (sign-in
    /// sets the `loket_lang` cookie to it): English, unless [`Client::in_profile_language`].
    reading: Option<&'static str>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no csrf field in:\n{}", self.body));
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

impl Client {
    pub fn new(server: &Server) -> Client {
        Client {
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            base: server.base.clone(),
            cookies: Default::default(),
            reading: Some("en"),
        }
    }

    /// A client that reads pages in the language Loket chooses: the signed-in user's own.
    pub fn in_profile_language(mut self) -> Client {
        self.reading = None;
        self
    }

    pub fn cookie_header(&self) -> String {
        let jar = self.cookies.iter().filter(|(k, _)| self.reading.is_none() || k.as_str() != "loket_lang");
        let pinned = self.reading.map(|l| ("loket_lang".to_string(), l.to_string()));
        jar.map(|(k, v)| (k.clone(), v.clone())).chain(pinned).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn finish(&mut self, res: reqwest::Response) -> Page {
        for v in res.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (pair, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
        Page { status, location, body: res.text().await.unwrap() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// A download as (status, content type, bytes).
    pub async fn download(&self, path: &str) -> (u16, String, Vec<u8>) {
        let res = self.http.get(format!("{}{path}", self.base)).header("cookie", self.cookie_header()).send().await.unwrap();
        let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (res.status().as_u16(), kind, res.bytes().await.unwrap().to_vec())
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("accept-language", "en")
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// Posts a `multipart/form-data` body as a browser's file upload does: text fields, then
    /// files as (field, file name, content type, bytes).
    pub async fn post_multipart(&mut self, path: &str, texts: &[(&str, &str)], files: &[(&str, &str, &str, &[u8])]) -> Page {
        let boundary = "loket-test-boundary-7d3f";
        let mut body = Vec::new();
        for (name, value) in texts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        for (name, file, kind, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {kind}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("accept-language", "en")
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// Signs in through the real form; returns the answer to the POST.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/sign-in").await;
        let csrf = form.csrf();
        self.post("/sign-in", &[("email", email), ("password", password), ("csrf", &csrf)]).await
    }
}

/// The message with quoted-printable decoded (soft line breaks joined, `=XX` bytes restored),
/// as a mail client shows it. Good enough for the ASCII parts Loket's tests look at.
pub fn decode_qp(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A personal API token for `email` with `scope`, made through the CLI.
#[allow(dead_code)]
pub fn token(env: &TestEnv, email: &str, scope: &str) -> String {
    let out = env.ok(&["token", "create", "--email", email, "--scope", scope]);
    out.lines().find(|l| l.starts_with("lkt_")).expect("a token").to_string()
}

/// Calls the API with a bearer token; returns the status and the JSON answer (or its text).
#[allow(dead_code)]
pub async fn call(method: reqwest::Method, url: String, token: String, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new().request(method, url).header("authorization", format!("Bearer {token}"));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("an answer");
    let status = res.status().as_u16();
    let text = res.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}
