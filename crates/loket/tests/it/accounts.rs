//! Sign-in, sessions, CSRF, throttling, password reset through real SMTP, and who may see what.

use crate::support;

use std::time::Duration;

use support::{Client, SinkOptions, SmtpSink, TestEnv, header};

const STAFF_PW: &str = "loket-demo-staff";
const CUSTOMER_PW: &str = "loket-demo-klant";

#[tokio::test(flavor = "multi_thread")]
async fn staff_and_customers_sign_in_and_out() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut staff = Client::new(&server);
    let res = staff.sign_in("ADMIN@demo.loket.test ", STAFF_PW).await;
    assert_eq!((res.status, res.location.as_deref()), (303, Some("/staff")), "e-mail addresses match without regard to case");
    let cookie = staff.cookies["loket_session"].clone();
    assert_eq!(cookie.len(), 64);
    let list = staff.get("/staff/customers?q=rossi").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Rossi Web S.r.l.") && !list.body.contains("Jan Jansen"), "{}", list.body);

    let mut owner = Client::new(&server);
    assert_eq!(owner.sign_in("eigenaar@bakkerijdevries.test", CUSTOMER_PW).await.location.as_deref(), Some("/"));
    let account = owner.get("/account").await;
    assert!(account.body.contains("Bakkerij De Vries B.V.") && account.body.contains("Owner"), "{}", account.body);
    assert!(!account.body.contains("Rossi"), "only the user's own cards");
    // An agency user sees both cards it manages.
    let mut agency = Client::new(&server);
    agency.sign_in("bureau@webbureau.test", CUSTOMER_PW).await;
    let cards = agency.get("/account").await.body;
    assert!(cards.contains("Bakkerij De Vries B.V.") && cards.contains("Rossi Web S.r.l.") && cards.contains("Technical contact"));

    // Signing out needs the session's CSRF token, and ends only this session.
    let csrf = owner.get("/account").await.csrf();
    assert_eq!(owner.post("/sign-out", &[("csrf", "forged")]).await.status, 403);
    assert_eq!(owner.post("/sign-out", &[("csrf", &csrf)]).await.location.as_deref(), Some("/sign-in"));
    assert_eq!(owner.get("/account").await.location.as_deref(), Some("/sign-in?next=/account"));
    assert_eq!(staff.get("/staff/customers").await.status, 200, "other sessions live on");

    // Sign out everywhere ends every session of that user.
    let mut second = Client::new(&server);
    second.sign_in("admin@demo.loket.test", STAFF_PW).await;
    let csrf = staff.get("/account").await.csrf();
    staff.post("/sign-out/everywhere", &[("csrf", &csrf)]).await;
    assert_eq!(second.get("/staff/customers").await.status, 303);
    // A planted or stale cookie gives no access.
    let mut stale = Client::new(&server);
    stale.cookies.insert("loket_session".into(), cookie);
    assert_eq!(stale.get("/account").await.status, 303);
}

#[tokio::test(flavor = "multi_thread")]
async fn forms_without_the_right_csrf_token_are_refused() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut c = Client::new(&server);
    // No token cookie at all.
    let res = c.post("/sign-in", &[("email", "admin@demo.loket.test"), ("password", STAFF_PW), ("csrf", "x")]).await;
    assert_eq!(res.status, 403);
    // A cookie, but a different token in the form.
    c.get("/sign-in").await;
    let res = c.post("/sign-in", &[("email", "admin@demo.loket.test"), ("password", STAFF_PW), ("csrf", &"0".repeat(64))]).await;
    assert_eq!(res.status, 403);
    assert!(!c.cookies.contains_key("loket_session"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_sign_ins_are_throttled_per_account() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut c = Client::new(&server);
    for _ in 0..5 {
        let res = c.sign_in("jan@jansen.test", "wrong password").await;
        assert_eq!(res.status, 401);
        assert!(res.body.contains("The e-mail address or password is not correct."));
    }
    // Now even the right password is refused for a while, with a clear message.
    let res = c.sign_in("jan@jansen.test", CUSTOMER_PW).await;
    assert_eq!(res.status, 429);
    assert!(res.body.contains("Too many failed attempts for this account. Try again in 15 minutes"), "{}", res.body);
    // Other accounts are not affected.
    assert_eq!(c.sign_in("mario@rossiweb.test", CUSTOMER_PW).await.status, 303);
    // An unknown account fails the same way as a wrong password.
    let unknown = Client::new(&server).sign_in("nobody@example.test", "whatever it is").await;
    assert_eq!(unknown.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn password_reset_by_email_works_once_and_ends_every_session() {
    let env = TestEnv::new().await;
    let sink = SmtpSink::start(env.path(), SinkOptions::default());
    let server = env.serve(&["--demo"], &sink.env());
    // The demo's mail (welcome, billing notifications) is out before the test counts.
    sink.wait_for(1, Duration::from_secs(30));
    support::drained(&env.store().await).await;
    let welcome = sink.messages().len();

    // A session from before the reset.
    let mut before = Client::new(&server);
    before.sign_in("mario@rossiweb.test", CUSTOMER_PW).await;
    assert_eq!(before.get("/account").await.status, 200);

    let mut c = Client::new(&server);
    let form = c.get("/password/forgot").await;
    let known = c.post("/password/forgot", &[("email", "Mario@RossiWeb.test"), ("csrf", &form.csrf())]).await;
    let unknown = c.post("/password/forgot", &[("email", "nobody@rossiweb.test"), ("csrf", &form.csrf())]).await;
    assert_eq!(known.status, 200);
    assert_eq!(unknown.status, 200);
    let strip = |b: &str, email: &str| b.replace(email, "EMAIL").replace(&form.csrf(), "");
    assert_eq!(strip(&known.body, "mario@rossiweb.test"), strip(&unknown.body, "nobody@rossiweb.test"), "the same answer either way");

    let mails = sink.wait_for(welcome + 1, Duration::from_secs(30));
    support::drained(&env.store().await).await;
    assert_eq!(sink.messages().len(), welcome + 1, "no mail for an unknown address");
    // Mario has other mail from the demo (his ticket): the reset mail is the one with the link.
    let mail = mails
        .iter()
        .find(|m| header(m, "X-Sink-Rcpt-To") == Some("mario@rossiweb.test") && support::decode_qp(m).contains("/password/reset/"))
        .expect("the reset mail");
    assert_eq!(header(mail, "X-Sink-Rcpt-To"), Some("mario@rossiweb.test"));
    assert_eq!(header(mail, "Subject"), Some("Nuova password per Loket Demo Hosting"), "in the user's language");
    let text = support::decode_qp(mail);
    let link = text.lines().find(|l| l.contains("/password/reset/")).expect("a link").trim();
    let path = &link[link.find("/password/reset/").unwrap()..];
    let path = &path[..16 + 64];

    let form = c.get(path).await;
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let short = c.post(path, &[("password", "short"), ("csrf", &csrf)]).await;
    assert_eq!(short.status, 400);
    assert!(short.body.contains("at least 10 characters"));
    let done = c.post(path, &[("password", "a brand new secret"), ("csrf", &csrf)]).await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains("Your password has been changed"));
    // Once only.
    assert_eq!(c.post(path, &[("password", "another new secret"), ("csrf", &csrf)]).await.status, 410);
    assert_eq!(c.get(path).await.status, 410);
    // Every session ended; the old password is gone, the new one works.
    assert_eq!(before.get("/account").await.status, 303);
    assert_eq!(Client::new(&server).sign_in("mario@rossiweb.test", CUSTOMER_PW).await.status, 401);
    assert_eq!(Client::new(&server).sign_in("mario@rossiweb.test", "a brand new secret").await.status, 303);
    let audit = env.ok(&["audit", "list", "--entity", "user"]);
    assert!(audit.contains("password.reset_requested") && audit.contains("password.reset"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_reset_link_is_refused() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual(jiff::Timestamp::now());
    let server = env.serve_at(&["--demo"], &[], clock.clone());
    let mut c = Client::new(&server);
    let form = c.get("/password/forgot").await;
    c.post("/password/forgot", &[("email", "jan@jansen.test"), ("csrf", &form.csrf())]).await;
    let store = env.store().await;
    let mail = store.mails(10_000).await.unwrap().into_iter().find(|m| m.template == "password-reset").unwrap();
    let text = support::decode_qp(&mail.raw);
    let at = text.find("/password/reset/").unwrap();
    let path = text[at..at + 16 + 64].to_string();
    assert_eq!(c.get(&path).await.status, 200);
    // The link holds for an hour by the server's clock, and not a second longer.
    clock.advance(jiff::SignedDuration::from_secs(3599));
    assert_eq!(c.get(&path).await.status, 200);
    clock.advance(jiff::SignedDuration::from_secs(2));
    let page = c.get(&path).await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("This link has expired or has been used already"));
}

/// Every page route, for every kind of visitor: what each gets.
#[tokio::test(flavor = "multi_thread")]
async fn who_may_see_which_page() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let visitors: [(&str, Option<(&str, &str)>); 6] = [
        ("anonymous", None),
        ("contact person", Some(("medewerker@bakkerijdevries.test", CUSTOMER_PW))),
        ("owner", Some(("eigenaar@bakkerijdevries.test", CUSTOMER_PW))),
        ("staff support", Some(("support@demo.loket.test", STAFF_PW))),
        ("staff sales", Some(("sales@demo.loket.test", STAFF_PW))),
        ("staff admin", Some(("admin@demo.loket.test", STAFF_PW))),
    ];
    // (path, expected status per visitor in the order above; 303 = to the sign-in page, or for
    // staff at `/` to the back office)
    let matrix: [(&str, [u16; 6]); 5] = [
        ("/", [200, 200, 200, 303, 303, 303]),
        ("/account", [303, 200, 200, 200, 200, 200]),
        ("/staff/customers", [303, 403, 403, 200, 200, 200]),
        ("/staff/customers/1", [303, 403, 403, 200, 200, 200]),
        ("/staff/customers/999", [303, 403, 403, 404, 404, 404]),
    ];
    for (i, (who, login)) in visitors.iter().enumerate() {
        let mut c = Client::new(&server);
        if let Some((email, pw)) = login {
            assert_eq!(c.sign_in(email, pw).await.status, 303, "{who} signs in");
        }
        for (path, expected) in &matrix {
            let page = c.get(path).await;
            assert_eq!(page.status, expected[i], "{who} GET {path}");
            if page.status == 303 && *path == "/" {
                assert_eq!(page.location.as_deref(), Some("/staff"), "{who}");
            } else if page.status == 303 {
                assert!(page.location.as_deref().unwrap().starts_with("/sign-in?next="), "{who} {path}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_staff_user_comes_from_the_command_line() {
    let env = TestEnv::new().await;
    let out = env.ok(&["staff", "add", "--email", "boss@provider.test", "--role", "admin", "--name", "The Boss"]);
    assert!(out.contains("staff user boss@provider.test (admin) created"), "{out}");
    let password = out.lines().find_map(|l| l.strip_prefix("password (shown once): ")).expect("a generated password").to_string();
    assert!(password.len() >= 20);
    // Taken address, bad role, weak password from stdin: clear errors naming the argument.
    let again = env.run(&["staff", "add", "--email", "BOSS@provider.test", "--role", "admin"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("--email: a user with e-mail address boss@provider.test exists already"));
    let role = env.run(&["staff", "add", "--email", "x@provider.test", "--role", "king"]);
    assert_eq!(role.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&role.stderr).contains("unknown staff role `king`"));
    let mut weak = env.cmd();
    weak.args(["staff", "add", "--email", "y@provider.test", "--role", "support", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = weak.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the password from standard input must be at least 10 characters"));

    let server = env.serve(&[], &[]);
    let mut c = Client::new(&server);
    assert_eq!(c.sign_in("boss@provider.test", &password).await.location.as_deref(), Some("/staff"));
    assert!(env.ok(&["audit", "list", "--entity", "user"]).contains("staff.add"));
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_are_listed_changed_disabled_and_given_a_new_password() {
    let env = TestEnv::new().await;
    let shown = |out: String| out.lines().find_map(|l| l.strip_prefix("password (shown once): ")).expect("a password").to_string();
    let boss = shown(env.ok(&["staff", "add", "--email", "boss@provider.test", "--role", "admin"]));
    let anna = shown(env.ok(&["staff", "add", "--email", "anna@provider.test", "--role", "billing", "--name", "Anna"]));
    let list = env.ok(&["staff", "list"]);
    assert!(list.contains("anna@provider.test") && list.contains("billing") && list.contains("boss@provider.test"), "{list}");
    let server = env.serve(&[], &[]);
    let mut signed_in = Client::new(&server);
    assert_eq!(signed_in.sign_in("anna@provider.test", &anna).await.status, 303);
    assert_eq!(signed_in.get("/staff").await.status, 200);

    // Anna leaves: disabled, she is signed out and cannot sign in again.
    let out = env.ok(&["staff", "set", "--email", "anna@provider.test", "--disable"]);
    assert!(out.contains("disabled"), "{out}");
    assert_eq!(signed_in.get("/staff").await.status, 303, "her session ended");
    assert_eq!(Client::new(&server).sign_in("anna@provider.test", &anna).await.status, 401);
    assert!(env.ok(&["staff", "list"]).lines().any(|l| l.starts_with("anna@provider.test") && l.contains("disabled")));
    // The last admin who can sign in stays one.
    let last = env.run(&["staff", "set", "--email", "boss@provider.test", "--role", "support"]);
    assert!(!last.status.success());
    assert!(String::from_utf8_lossy(&last.stderr).contains("--email: boss@provider.test is the last admin"), "{last:?}");
    let unknown = env.run(&["staff", "set", "--email", "nobody@provider.test", "--enable"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--email: no staff user"), "{unknown:?}");

    // Back, as support, with a new password: the old one no longer works.
    env.ok(&["staff", "set", "--email", "anna@provider.test", "--enable", "--role", "support"]);
    let new = shown(env.ok(&["staff", "password", "--email", "anna@provider.test"]));
    assert_eq!(Client::new(&server).sign_in("anna@provider.test", &anna).await.status, 401);
    assert_eq!(Client::new(&server).sign_in("anna@provider.test", &new).await.status, 303);
    assert_eq!(Client::new(&server).sign_in("boss@provider.test", &boss).await.status, 303);
    let audit = env.ok(&["audit", "list", "--entity", "user"]);
    assert!(audit.contains("staff.change") && audit.contains("staff.password"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_and_a_password_change() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut c = Client::new(&server);
    c.sign_in("jan@jansen.test", CUSTOMER_PW).await;
    let mut other_device = Client::new(&server);
    other_device.sign_in("jan@jansen.test", CUSTOMER_PW).await;
    let csrf = c.get("/account").await.csrf();
    assert_eq!(c.post("/account/profile", &[("csrf", &csrf), ("name", "Jan J. Jansen"), ("language", "it")]).await.status, 303);
    let page = c.get("/account").await;
    assert!(page.body.contains("Jan J. Jansen"));
    assert_eq!(c.post("/account/profile", &[("csrf", &csrf), ("name", ""), ("language", "it")]).await.status, 400);
    assert_eq!(c.post("/account/profile", &[("csrf", &csrf), ("name", "Jan"), ("language", "fr")]).await.status, 400);
    // A wrong current password or a weak new one changes nothing.
    assert_eq!(
        c.post("/account/password", &[("csrf", &csrf), ("current", "wrong password"), ("new", "een nieuw wachtwoord")]).await.status,
        400
    );
    assert_eq!(c.post("/account/password", &[("csrf", &csrf), ("current", CUSTOMER_PW), ("new", "short")]).await.status, 400);
    assert_eq!(
        c.post("/account/password", &[("csrf", &csrf), ("current", CUSTOMER_PW), ("new", "een nieuw wachtwoord")]).await.status,
        303
    );
    assert_eq!(c.get("/account").await.status, 200, "this session stays");
    assert_eq!(other_device.get("/account").await.status, 303, "the others end");
    assert_eq!(Client::new(&server).sign_in("jan@jansen.test", "een nieuw wachtwoord").await.status, 303);
    let audit = env.ok(&["audit", "list", "--entity", "user"]);
    assert!(audit.contains("user.profile") && audit.contains("password.change"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_panel_speaks_the_language_of_the_profile() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    // Mario's profile says Italian; his browser asks for English.
    let mut c = Client::new(&server).in_profile_language();
    assert_eq!(c.sign_in("mario@rossiweb.test", CUSTOMER_PW).await.status, 303);
    assert_eq!(c.cookies.get("loket_lang").map(String::as_str), Some("it"));
    let home = c.get("/").await;
    assert!(home.body.contains("<html lang=\"it\">"), "{}", home.body);
    // The language switch still wins, for this browser.
    assert!(c.get("/?lang=nl").await.body.contains("<html lang=\"nl\">"));
    assert!(c.get("/").await.body.contains("<html lang=\"nl\">"));
    // Saving another language in the profile turns the panel to it at once.
    let csrf = c.get("/account").await.csrf();
    let saved = c.post("/account/profile", &[("csrf", &csrf), ("name", "Mario Rossi"), ("language", "en")]).await;
    assert_eq!(saved.status, 303);
    assert!(c.get("/").await.body.contains("<html lang=\"en\">"));
    // And on the next sign-in, on another device.
    let mut other = Client::new(&server).in_profile_language();
    other.sign_in("mario@rossiweb.test", CUSTOMER_PW).await;
    assert!(other.get("/account").await.body.contains("<html lang=\"en\">"));
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_sign_ins_are_throttled_per_address_too() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    // Twenty failures spread over many accounts (none reaches its own limit)…
    for i in 0..20 {
        let res = Client::new(&server).sign_in(&format!("guess{i}@example.test"), "wrong password").await;
        assert_eq!(res.status, 401);
    }
    // …and this address is paused, even for a right password.
    let res = Client::new(&server).sign_in("mario@rossiweb.test", CUSTOMER_PW).await;
    assert_eq!(res.status, 429);
    assert!(res.body.contains("Too many failed attempts from your network"), "{}", res.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[("LOKET_SERVER_TRUST_FORWARDED_FOR", "true".into())]);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let csrf = "a".repeat(64);
    let attempt = |from: &'static str, email: String, password: &'static str| {
        http.post(server.url("/sign-in"))
            .header("cookie", format!("loket_csrf={csrf}"))
            .header("x-forwarded-for", format!("203.0.113.9, {from}"))
            .form(&[("email", email.as_str()), ("password", password), ("csrf", csrf.as_str())])
            .send()
    };
    for i in 0..20 {
        assert_eq!(attempt("198.51.100.7", format!("guess{i}@example.test"), "wrong password").await.unwrap().status(), 401);
    }
    assert_eq!(attempt("198.51.100.7", "mario@rossiweb.test".into(), CUSTOMER_PW).await.unwrap().status(), 429);
    // Another client behind the same proxy is not affected.
    assert_eq!(attempt("198.51.100.8", "mario@rossiweb.test".into(), CUSTOMER_PW).await.unwrap().status(), 303);
}
