//! The command line: bad input gets a message naming what is wrong and a non-zero exit; the
//! data commands work on the same store as `serve`.

use crate::support;

use std::process::Output;

use support::TestEnv;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn version_and_help_on_every_command() {
    let env = TestEnv::new().await;
    assert_eq!(stdout(&env.run(&["--version"])).trim(), format!("loket {}", env!("CARGO_PKG_VERSION")));
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["config", "check", "--help"],
        vec!["demo", "--help"],
        vec!["jobs", "retry", "--help"],
        vec!["audit", "list", "--help"],
        vec!["mail", "test", "--help"],
        vec!["bench", "jobs", "--help"],
    ] {
        let out = env.run(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("Usage: loket"), "{args:?}");
    }
    // Every scope a token can have is named where one is made.
    let help = stdout(&env.run(&["token", "create", "--help"]));
    for scope in loket_domain::access::API_SCOPES {
        assert!(help.contains(scope), "{scope} missing from:\n{help}");
    }
    assert_eq!(help.matches("[default: cli]").count(), 1, "{help}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_flags_and_commands_are_refused() {
    let env = TestEnv::new().await;
    let out = env.run(&["serve", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unexpected argument '--bogus'"), "{}", stderr(&out));
    let out = env.run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unrecognized subcommand 'frobnicate'"));
    let out = env.run(&["mail", "test", "--to", "a@b.nl", "--lang", "de"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown language `de`"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_configuration_names_every_field_and_line() {
    let env = TestEnv::new().await;
    let file = env.path().join("bad.toml");
    std::fs::write(
        &file,
        "[provider]\ncountry = \"Holland\"\ntime_zone = \"Europe/Amsterdm\"\niban = \"NL91ABNA0417164301\"\n\n[jobs]\nworkers = -1\n",
    )
    .unwrap();
    let out = env.run(&["--config", file.to_str().unwrap(), "migrate"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("the configuration has 4 problem(s)"), "{err}");
    for want in [
        ":2: provider.country: unknown country `Holland`",
        ":3: provider.time_zone: unknown time zone",
        ":4: provider.iban:",
        ":7: jobs.workers: must be between 0 and 256",
    ] {
        assert!(err.contains(want), "missing `{want}` in\n{err}");
    }
    // `config check` says the same, one problem a line, and exits 1.
    let out = env.run(&["config", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().filter(|l| l.contains("bad.toml:")).count(), 5);
    // A syntax error has its line too.
    std::fs::write(&file, "[server]\nlisten = \"127.0.0.1:8080\n").unwrap();
    let out = env.run(&["config", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.toml:2: syntax"), "{}", stderr(&out));
    // A missing file is named.
    let out = env.run(&["config", "check", "nope.toml"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nope.toml: no such file"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_configurations_pass_the_check() {
    let env = TestEnv::new().await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for file in ["loket.example.toml", "examples/providers/ecm2.toml", "examples/providers/gestione-internet.toml"] {
        let out = env.run(&["config", "check", root.join(file).to_str().unwrap()]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(stdout(&out).contains(": OK"), "{file}");
        // A real provider's file has its own identity; the example's is the demo's, and says so.
        let warned = stderr(&out).contains("still the demo company's");
        assert_eq!(warned, file == "loket.example.toml", "{file}: {}", stderr(&out));
    }
    // A [provider] with only a name would invoice with the demo's VAT number and IBAN: named.
    let partial = env.path().join("partial.toml");
    std::fs::write(&partial, "[provider]\ntrading_name = \"Hosting Noord\"\nlegal_name = \"Hosting Noord B.V.\"\n").unwrap();
    let out = env.run(&["config", "check", partial.to_str().unwrap()]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("provider.vat_number") && err.contains("provider.iban") && !err.contains("provider.legal_name"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_environment_values_are_named() {
    let env = TestEnv::new().await;
    let out = env.cmd().args(["migrate"]).env("LOKET_PROVIDER_COUNTRY", "XX").env("LOKET_LISTEN", "everywhere").output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("LOKET_LISTEN: server.listen: `everywhere` is not ADDRESS:PORT"), "{err}");
    assert!(err.contains("LOKET_PROVIDER_COUNTRY: provider.country: unknown country `XX`"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_or_malformed_database_is_a_clear_error() {
    let env = TestEnv::new().await;
    let out = std::process::Command::new(support::loket_bin())
        .current_dir(env.path())
        .args(["--database-url", "postgres://postgres:secret@127.0.0.1:1/loket", "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cannot connect to the database at postgres://postgres:***@127.0.0.1:1/loket"), "{err}");
    assert!(!err.contains("secret"), "the password must not be printed");
    let out = std::process::Command::new(support::loket_bin())
        .current_dir(env.path())
        .args(["--database-url", "mysql://x/y", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--database-url: `mysql://x/y` is not postgres://"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_refuses_a_bad_or_busy_address() {
    let env = TestEnv::new().await;
    let out = env.run(&["serve", "--listen", "localhost"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--listen: `localhost` is not ADDRESS:PORT"));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = env.run(&["serve", "--listen", &addr]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&format!("cannot listen on {addr}")), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_and_demo_are_idempotent_and_share_the_store_with_serve() {
    let env = TestEnv::new().await;
    assert!(env.ok(&["migrate"]).contains("up to date"));
    assert!(env.ok(&["migrate"]).contains("up to date"));
    assert!(env.ok(&["demo"]).contains("demo data loaded: foundation, accounts, billing"));
    assert!(env.ok(&["demo"]).contains("already loaded"));
    // serve --demo on the same store adds nothing either.
    let server = env.serve(&["--demo"], &[]);
    drop(server);
    let store = env.store().await;
    let mails = store.mails(1000).await.unwrap();
    assert_eq!(mails.iter().filter(|m| m.template == "welcome").count(), 1, "one welcome mail");
    let audit = env.ok(&["audit", "list", "--limit", "1000"]);
    assert_eq!(audit.matches("demo.load").count(), 2, "one entry per part: {audit}");
    assert_eq!(store.customers(None, 100).await.unwrap().len(), 3, "the demo cards once");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_never_loads_into_a_real_installation() {
    let env = TestEnv::new().await;
    env.ok(&["staff", "add", "--email", "eigen@provider.test", "--role", "admin"]);
    let out = env.run(&["demo"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("the demo loads only into a new database"), "{}", stderr(&out));
    let store = env.store().await;
    assert!(store.user_by_email("admin@demo.loket.test").await.unwrap().is_none(), "no demo staff with the published password");
    assert!(store.customers(None, 10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_commands_name_bad_arguments() {
    let env = TestEnv::new().await;
    let out = env.run(&["jobs", "retry", "99"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no job with id 99 (argument ID)"));
    let out = env.run(&["jobs", "list", "--state", "finished"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--state: unknown job state `finished`"), "{}", stderr(&out));
    let out = env.run(&["mail", "test", "--to", "not an address"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--to: invalid address `not an address`"), "{}", stderr(&out));
    // Nothing was stored by the refused commands.
    let store = env.store().await;
    assert!(store.mails(10).await.unwrap().is_empty());
    assert!(store.jobs(None, 10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dead_letters_are_listed_and_retried_with_an_audit_entry() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let job = loket_store::jobs::NewJob::new("unknown.kind", serde_json::json!({}));
    store.enqueue(&job).await.unwrap();
    assert!(env.ok(&["jobs", "run"]).contains("ran 1 jobs"));
    let list = env.ok(&["jobs", "list", "--state", "dead"]);
    assert!(list.contains("dead 1") && list.contains("no handler for job kind `unknown.kind`"), "{list}");
    let id = store.jobs(None, 1).await.unwrap()[0].id.to_string();
    assert!(env.ok(&["jobs", "retry", &id]).contains("queued again"));
    let out = env.run(&["jobs", "retry", &id]);
    assert!(stderr(&out).contains("is queued, not dead"));
    let audit = env.ok(&["audit", "list", "--entity", "job", "--id", &id]);
    assert!(audit.contains("job.retry") && audit.contains("\"state\":\"dead\""), "{audit}");
}
