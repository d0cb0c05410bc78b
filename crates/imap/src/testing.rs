//! A private dovecot IMAP server for tests (cargo feature `testing`).
//!
//! [`Dovecot::start`] runs `dovecot -F` with a configuration of its own in a temporary folder:
//! listening on 127.0.0.1 on a free port, users in a passwd-file ([`Dovecot::add_user`]), mail as
//! maildir under the same folder, its base and state directories there too, and its log in
//! `dovecot.log` there ([`Dovecot::log`]). It never touches the system's dovecot. It runs as the
//! current user; as root, dovecot refuses root for its login and mail processes, so those run as
//! the users the Debian package made (`dovenull`, `dovecot`). [`Dovecot::start_with_tls`] also
//! makes a test CA and a certificate for `localhost` with `openssl` and offers IMAPS on a second
//! port and STARTTLS on the first. [`Dovecot::set_rights`] limits a user's rights on a folder
//! (dovecot's ACL plugin with a global ACL file). The server stops on drop; [`Dovecot::stop`] and
//! [`Dovecot::restart`] stop and start it again with the same port and mail.
//!
//! Needs `dovecot-imapd` 2.3 (`apt-get install dovecot-imapd`); without it `start` panics saying so.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_imap::types::Flag;
use futures_util::TryStreamExt as _;
use tokio::net::TcpStream;

use crate::config::{MailboxConfig, Security};

const GREETING: &str = "loket-test-dovecot ready";

/// A running private dovecot. Stopped on drop.
pub struct Dovecot {
    dir: tempfile::TempDir,
    binary: PathBuf,
    port: u16,
    tls_port: Option<u16>,
    child: Option<Child>,
    users: Mutex<HashMap<String, String>>,
    /// Lines of the global ACL file: folder, `user=name`, rights.
    rights: Mutex<Vec<String>>,
}

/// A message in a folder: its UID and flags as IMAP writes them (`\Seen`, `$LoketIngested`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub uid: u32,
    pub flags: Vec<String>,
}

impl Listed {
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
}

impl Dovecot {
    /// Plain IMAP only.
    pub fn start() -> Dovecot {
        Dovecot::launch(false, None)
    }

    /// Plain IMAP announcing only `capabilities` after login (dovecot's `imap_capability`), to
    /// play an older server: `"IMAP4rev1"` has no IDLE, MOVE or UIDPLUS. dovecot still accepts
    /// the commands; a client that reads the capabilities does not send them.
    pub fn start_with_capabilities(capabilities: &str) -> Dovecot {
        Dovecot::launch(false, Some(capabilities))
    }

    /// Also IMAPS on [`Dovecot::tls_port`] and STARTTLS on [`Dovecot::port`], with a certificate
    /// for `localhost` signed by the CA in [`Dovecot::ca_file`].
    pub fn start_with_tls() -> Dovecot {
        Dovecot::launch(true, None)
    }

    fn launch(tls: bool, capabilities: Option<&str>) -> Dovecot {
        let binary = find_dovecot();
        let dir = tempfile::Builder::new().prefix("loket-dovecot-").tempdir().expect("a temporary folder for dovecot");
        let path = dir.path();
        // dovecot's login processes (another user when we are root) must reach the sockets.
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
        for sub in ["run", "state", "mail", "home"] {
            fs::create_dir(path.join(sub)).expect("dovecot's folders");
        }
        let who = Who::detect(path);
        if who.root {
            for sub in ["mail", "home"] {
                std::os::unix::fs::chown(path.join(sub), Some(who.mail_uid), Some(who.mail_gid))
                    .expect("chown the mail folder to dovecot's mail user");
            }
        }
        let port = free_port();
        let tls_port = if tls {
            make_certificates(path);
            Some(free_port())
        } else {
            None
        };
        let mut config = config_text(path, &who, port, tls_port);
        if let Some(capabilities) = capabilities {
            config.push_str(&format!("imap_capability = {capabilities}\n"));
        }
        fs::write(path.join("dovecot.conf"), config).expect("write dovecot.conf");
        let dovecot =
            Dovecot { dir, binary, port, tls_port, child: None, users: Mutex::new(HashMap::new()), rights: Mutex::new(Vec::new()) };
        dovecot.write_users();
        dovecot.write_rights();
        let mut dovecot = dovecot;
        dovecot.spawn();
        dovecot
    }

    /// The plain IMAP port on 127.0.0.1 (STARTTLS offered there with TLS).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The IMAPS port; panics unless started with [`Dovecot::start_with_tls`].
    pub fn tls_port(&self) -> u16 {
        self.tls_port.expect("dovecot was started without TLS")
    }

    /// The PEM file of the CA that signed the server's certificate (with TLS).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The temporary folder with the configuration, mail and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// dovecot's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Adds (or changes) a user; dovecot re-reads the file at the next login.
    pub fn add_user(&self, name: &str, password: &str) {
        assert!(
            !name.contains([':', '\n']) && !password.contains([':', '\n']),
            "test user names and passwords may not contain ':' or newlines"
        );
        self.users.lock().expect("users").insert(name.to_string(), password.to_string());
        self.write_users();
    }

    /// Limits what `user` may do in `folder`, with RFC 4314 rights letters through dovecot's
    /// ACL plugin: `"lrsi"` is look up, read, set `\Seen` (no other flags or keywords), and
    /// append. Takes effect at once, also for sessions already open.
    pub fn set_rights(&self, user: &str, folder: &str, rights: &str) {
        assert!(!folder.contains(char::is_whitespace) && !user.contains(char::is_whitespace), "folder and user without spaces");
        self.rights.lock().expect("rights").push(format!("{folder} user={user} {rights}"));
        self.write_rights();
    }

    /// A mailbox on this server for `user` (added before): plain IMAP to 127.0.0.1, keyword
    /// tracking, and short times for tests — poll every 30 s, 10 s per step, reconnect after
    /// 200 ms doubling up to 2 s.
    pub fn mailbox(&self, name: &str, user: &str) -> MailboxConfig {
        let mut cfg = MailboxConfig::new(name, "127.0.0.1", self.port, Security::Plain, user, self.password(user));
        cfg.poll_interval = Duration::from_secs(30);
        cfg.timeout = Duration::from_secs(10);
        cfg.retry_base = Duration::from_millis(200);
        cfg.retry_max = Duration::from_secs(2);
        cfg
    }

    /// [`Dovecot::mailbox`] over TLS (IMAPS) or STARTTLS to `localhost`, trusting the test CA.
    pub fn mailbox_tls(&self, name: &str, user: &str, security: Security) -> MailboxConfig {
        let mut cfg = self.mailbox(name, user);
        cfg.host = "localhost".to_string();
        cfg.security = security;
        cfg.port = match security {
            Security::Tls => self.tls_port(),
            _ => self.port,
        };
        cfg.ca_file = Some(self.ca_file());
        cfg
    }

    /// Appends a message over IMAP (APPEND), creating the folder when it is missing.
    pub async fn append(&self, user: &str, folder: &str, raw: &[u8]) {
        self.append_with_flags(user, folder, None, raw).await;
    }

    /// [`Dovecot::append`] with flags, written as IMAP wants them: `(\Seen $Label)`.
    pub async fn append_with_flags(&self, user: &str, folder: &str, flags: Option<&str>, raw: &[u8]) {
        let mut session = self.login(user).await;
        if !folder.eq_ignore_ascii_case("INBOX") {
            // NO when it exists already.
            let _ = session.create(folder).await;
        }
        session.append(folder, flags, None, raw).await.unwrap_or_else(|e| panic!("APPEND to {user}/{folder} failed: {e}\n{}", self.log()));
        let _ = session.logout().await;
    }

    /// The messages in a folder with their flags, by UID; empty when the folder does not exist.
    /// Read with EXAMINE, so nothing changes.
    pub async fn list(&self, user: &str, folder: &str) -> Vec<Listed> {
        let mut session = self.login(user).await;
        let mailbox = match session.examine(folder).await {
            Ok(mailbox) => mailbox,
            Err(async_imap::error::Error::No(_)) => return Vec::new(),
            Err(e) => panic!("EXAMINE {user}/{folder} failed: {e}"),
        };
        let mut listed = Vec::new();
        if mailbox.exists > 0 {
            let fetches: Vec<_> = session.uid_fetch("1:*", "(UID FLAGS)").await.expect("UID FETCH").try_collect().await.expect("UID FETCH");
            for f in fetches {
                let Some(uid) = f.uid else { continue };
                let flags = f.flags().map(|flag| flag_text(&flag)).collect();
                listed.push(Listed { uid, flags });
            }
        }
        let _ = session.logout().await;
        listed.sort_by_key(|l| l.uid);
        listed
    }

    /// Stops the server: dovecot and all its processes, so its clients' connections drop. The
    /// mail stays for [`Dovecot::restart`].
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // dovecot runs in a process group of its own (its id is the master's): stopping the
        // master alone leaves its imap processes serving open connections for a while.
        let group = format!("-{}", child.id());
        let signal = |sig: &str| {
            Command::new("kill").args([sig, "--", &group]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
        };
        signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut reaped = false;
        while Instant::now() < deadline {
            reaped = reaped || matches!(child.try_wait(), Ok(Some(_)));
            // With the master reaped, `kill -0` finds the group only while others live.
            if reaped && !signal("-0") {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal("-KILL");
        let _ = child.wait();
    }

    /// Starts a stopped server again, on the same ports with the same users and mail.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    fn password(&self, user: &str) -> String {
        self.users.lock().expect("users").get(user).unwrap_or_else(|| panic!("no test user {user:?}: call add_user first")).clone()
    }

    fn write_users(&self) {
        let users = self.users.lock().expect("users");
        let mut text = String::new();
        for (name, password) in users.iter() {
            text.push_str(&format!("{name}:{{PLAIN}}{password}::::::\n"));
        }
        write_replacing(&self.dir.path().join("passwd"), &text);
    }

    fn write_rights(&self) {
        let mut text = self.rights.lock().expect("rights").join("\n");
        text.push('\n');
        write_replacing(&self.dir.path().join("global-acl"), &text);
    }

    fn spawn(&mut self) {
        let path = self.dir.path();
        // The previous run's listener may linger for a moment after a stop: try a few times.
        for attempt in 1..=10 {
            let out = fs::File::create(path.join("dovecot.out")).expect("dovecot.out");
            let err = out.try_clone().expect("dovecot.out");
            let mut child = Command::new(&self.binary)
                .process_group(0)
                .arg("-F")
                .arg("-c")
                .arg(path.join("dovecot.conf"))
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.binary.display()));
            match wait_ready(&mut child, self.port, self.tls_port) {
                Ok(()) => {
                    self.child = Some(child);
                    return;
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let output = fs::read_to_string(path.join("dovecot.out")).unwrap_or_default();
                    if attempt == 10 || !output.contains("Address already in use") {
                        panic!(
                            "the test dovecot did not start: {why}\n--- its output:\n{output}\n\
                             --- its log:\n{}",
                            self.log()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        }
    }

    async fn login(&self, user: &str) -> async_imap::Session<TcpStream> {
        let password = self.password(user);
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.expect("connect to the test dovecot");
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.expect("the test dovecot's greeting").expect("the test dovecot's greeting");
        client.login(user, &password).await.map_err(|(e, _)| e).unwrap_or_else(|e| panic!("login as {user} failed: {e}\n{}", self.log()))
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Written beside and renamed, so dovecot never reads half a file.
fn write_replacing(path: &Path, text: &str) {
    let part = path.with_extension("part");
    fs::write(&part, text).unwrap_or_else(|e| panic!("write {}: {e}", part.display()));
    fs::set_permissions(&part, fs::Permissions::from_mode(0o644)).expect("chmod");
    fs::rename(&part, path).unwrap_or_else(|e| panic!("rename to {}: {e}", path.display()));
}

fn flag_text(flag: &Flag<'_>) -> String {
    match flag {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Recent => "\\Recent".into(),
        Flag::MayCreate => "\\*".into(),
        Flag::Custom(s) => s.to_string(),
    }
}

fn find_dovecot() -> PathBuf {
    for dir in ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"] {
        let path = Path::new(dir).join("dovecot");
        if path.is_file() {
            return path;
        }
    }
    if let Ok(out) = Command::new("sh").args(["-c", "command -v dovecot"]).output()
        && out.status.success()
    {
        let found = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !found.is_empty() {
            return PathBuf::from(found);
        }
    }
    panic!(
        "dovecot is not installed: these tests run a private dovecot IMAP server. Install it with \
         `apt-get install -y dovecot-imapd` (.ci/run does this)."
    );
}

/// Who dovecot's processes run as.
struct Who {
    root: bool,
    login_user: String,
    internal_user: String,
    internal_group: String,
    mail_uid: u32,
    mail_gid: u32,
}

impl Who {
    fn detect(dir: &Path) -> Who {
        // A folder we just made is owned by who we are.
        let meta = fs::metadata(dir).expect("stat the temporary folder");
        if meta.uid() == 0 {
            let id = |args: &[&str]| -> String {
                let out = Command::new("id").args(args).output().expect("run id");
                assert!(
                    out.status.success(),
                    "running as root, the test dovecot needs the users dovenull and dovecot that \
                     the dovecot-core package makes: `id {}` failed",
                    args.join(" ")
                );
                String::from_utf8_lossy(&out.stdout).trim().to_string()
            };
            let _ = id(&["-u", "dovenull"]);
            Who {
                root: true,
                login_user: "dovenull".into(),
                internal_user: "dovecot".into(),
                internal_group: id(&["-gn", "dovecot"]),
                mail_uid: id(&["-u", "dovecot"]).parse().expect("dovecot's uid"),
                mail_gid: id(&["-g", "dovecot"]).parse().expect("dovecot's gid"),
            }
        } else {
            let id = |flag: &str| -> String {
                let out = Command::new("id").arg(flag).output().expect("run id");
                String::from_utf8_lossy(&out.stdout).trim().to_string()
            };
            Who {
                root: false,
                login_user: id("-un"),
                internal_user: id("-un"),
                internal_group: id("-gn"),
                mail_uid: meta.uid(),
                mail_gid: meta.gid(),
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn config_text(dir: &Path, who: &Who, port: u16, tls_port: Option<u16>) -> String {
    let d = dir.display();
    let ssl = if tls_port.is_some() {
        format!(
            "ssl = yes\nssl_cert = <{d}/server.pem\nssl_key = <{d}/server.key\n\
             ssl_min_protocol = TLSv1.2\n"
        )
    } else {
        "ssl = no\n".to_string()
    };
    format!(
        "# A private dovecot for loket-imap's tests (dovecot 2.3 syntax).
base_dir = {d}/run
state_dir = {d}/state
instance_name = loket-test-{port}
listen = 127.0.0.1
protocols = imap
login_greeting = {GREETING}
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {d}/dovecot.log
log_timestamp = \"%H:%M:%S \"
default_login_user = {login}
default_internal_user = {internal}
default_internal_group = {group}
first_valid_uid = 1
first_valid_gid = 0
mail_location = maildir:{d}/mail/%u
mailbox_idle_check_interval = 1 secs
mail_plugins = acl
plugin {{
  acl = vfile:{d}/global-acl
  acl_cache_secs = 0
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/passwd
  default_fields = uid={uid} gid={gid} home={d}/home/%u
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
",
        login = who.login_user,
        internal = who.internal_user,
        group = who.internal_group,
        uid = who.mail_uid,
        gid = who.mail_gid,
        tls_port = tls_port.unwrap_or(0),
    )
}

/// A CA and a certificate for localhost/127.0.0.1 signed by it (EC P-256, two days).
fn make_certificates(dir: &Path) {
    let ext = dir.join("server.ext");
    fs::write(
        &ext,
        "basicConstraints = critical, CA:FALSE\n\
         keyUsage = critical, digitalSignature\n\
         extendedKeyUsage = serverAuth\n\
         subjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .expect("write server.ext");
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Loket test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("the TLS test dovecot needs openssl (apt-get install openssl): {e}"));
        assert!(out.status.success(), "openssl {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    }
    for key in ["ca.key", "server.key"] {
        // dovecot reads its key as root (config process); others need not.
        let _ = fs::set_permissions(dir.join(key), fs::Permissions::from_mode(0o600));
    }
}

/// Waits until dovecot greets on its port (and the TLS port accepts connections).
fn wait_ready(child: &mut Child, port: u16, tls_port: Option<u16>) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("dovecot exited: {status}"));
        }
        if Instant::now() > deadline {
            return Err("no greeting within 15 s".into());
        }
        if greets(port) && tls_port.is_none_or(accepts) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn greets(port: u16) -> bool {
    let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    // "* OK Waiting for authentication process to respond.." may come first.
    let reader = BufReader::new(stream);
    for line in reader.lines() {
        match line {
            Ok(line) if line.contains(GREETING) => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    false
}

fn accepts(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}
