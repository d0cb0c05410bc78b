//! Two-step sign-in through the real server. Codes are made by an independent TOTP
//! implementation (Python's hmac), not by Loket's own.

use crate::support;

use support::{Client, TestEnv};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";

/// The current RFC 6238 time step.
fn now_step() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 30
}

/// The RFC 6238 code for `secret` (base32) at time step `step`.
fn code(secret: &str, step: u64) -> String {
    let script = "import hmac,hashlib,struct,time,base64,sys\n\
                  s=sys.argv[1]; k=base64.b32decode(s+'='*((8-len(s)%8)%8))\n\
                  t=int(sys.argv[2])\n\
                  h=hmac.new(k,struct.pack('>Q',t),hashlib.sha1).digest(); o=h[19]&15\n\
                  print('%06d'%((struct.unpack('>I',h[o:o+4])[0]&0x7fffffff)%1000000))";
    let out = std::process::Command::new("python3").args(["-c", script, secret, &step.to_string()]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let at = body.find(start).unwrap_or_else(|| panic!("`{start}` not in\n{body}")) + start.len();
    &body[at..at + body[at..].find(end).unwrap()]
}

/// Sets up two-step sign-in for a signed-in client with the code of step `step`; returns (secret,
/// recovery codes).
async fn enable(c: &mut Client, password: &str, step: u64) -> (String, Vec<String>) {
    let setup = c.get("/account/2fa").await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    let secret = between(&setup.body, "id=\"secret\">", "<").to_string();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert!(setup.body.contains("otpauth:&#x2f;&#x2f;totp&#x2f;"), "the otpauth address, HTML-escaped");
    let csrf = setup.csrf();
    let wrong = c.post("/account/2fa/enable", &[("csrf", &csrf), ("password", password), ("code", "000000")]).await;
    assert_eq!(wrong.status, 400);
    let done = c.post("/account/2fa/enable", &[("csrf", &csrf), ("password", password), ("code", &code(&secret, step))]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes: Vec<String> = done.body.split("<code>").skip(1).map(|s| s[..s.find('<').unwrap()].to_string()).collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_step_sign_in_with_an_authenticator_and_recovery_codes() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut c = Client::new(&server);
    c.sign_in("jan@jansen.test", PW).await;
    // Steps are fixed up front, so that a 30-second boundary during the test changes nothing.
    let step0 = now_step();
    let (secret, recovery) = enable(&mut c, PW, step0).await;

    // The password alone no longer opens the account.
    let mut next = Client::new(&server);
    assert_eq!(next.sign_in("jan@jansen.test", PW).await.status, 303);
    assert_eq!(next.get("/account").await.location.as_deref(), Some("/sign-in/2fa"));
    let form = next.get("/sign-in/2fa").await;
    let csrf = form.csrf();
    // The code used to switch it on cannot be used again; the next one can.
    assert_eq!(next.post("/sign-in/2fa", &[("csrf", &csrf), ("code", &code(&secret, step0))]).await.status, 401);
    let step = next.post("/sign-in/2fa", &[("csrf", &csrf), ("code", &code(&secret, step0 + 1))]).await;
    assert_eq!((step.status, step.location.as_deref()), (303, Some("/")));
    assert_eq!(next.get("/account").await.status, 200);

    // A recovery code works once, in any case and spacing.
    let mut third = Client::new(&server);
    third.sign_in("jan@jansen.test", PW).await;
    let csrf = third.get("/sign-in/2fa").await.csrf();
    assert_eq!(third.post("/sign-in/2fa", &[("csrf", &csrf), ("code", &recovery[0].to_uppercase())]).await.status, 303);
    let mut fourth = Client::new(&server);
    fourth.sign_in("jan@jansen.test", PW).await;
    let csrf = fourth.get("/sign-in/2fa").await.csrf();
    assert_eq!(fourth.post("/sign-in/2fa", &[("csrf", &csrf), ("code", &recovery[0])]).await.status, 401);
    // Wrong codes are throttled.
    for _ in 0..4 {
        assert_eq!(fourth.post("/sign-in/2fa", &[("csrf", &csrf), ("code", "123456")]).await.status, 401);
    }
    assert_eq!(fourth.post("/sign-in/2fa", &[("csrf", &csrf), ("code", &recovery[1])]).await.status, 429);
    let audit = env.ok(&["audit", "list", "--entity", "user"]);
    assert!(audit.contains("2fa.enable") && audit.contains("2fa.recovery_code_used"), "{audit}");

    // Switching it off needs the password and a code.
    let setup = next.get("/account/2fa").await;
    assert!(setup.body.contains("9 unused recovery codes"), "{}", setup.body);
    let csrf = setup.csrf();
    assert_eq!(next.post("/account/2fa/disable", &[("csrf", &csrf), ("password", PW), ("code", "000000")]).await.status, 400);
    assert_eq!(next.post("/account/2fa/disable", &[("csrf", &csrf), ("password", PW), ("code", &recovery[2])]).await.status, 303);
    let mut after = Client::new(&server);
    after.sign_in("jan@jansen.test", PW).await;
    assert_eq!(after.get("/account").await.status, 200, "one step again");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_provider_can_require_it_for_staff_and_a_card_for_its_users() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[("LOKET_ACCOUNTS_STAFF_REQUIRE_SECOND_FACTOR", "true".into())]);
    let mut staff = Client::new(&server);
    staff.sign_in("support@demo.loket.test", STAFF_PW).await;
    assert_eq!(staff.get("/staff/customers").await.location.as_deref(), Some("/account/2fa"));
    assert!(staff.get("/account/2fa").await.body.contains("required for your account"));
    enable(&mut staff, STAFF_PW, now_step()).await;
    assert_eq!(staff.get("/staff/customers").await.status, 200);
    // Required: it cannot be switched off.
    let csrf = staff.get("/account/2fa").await.csrf();
    assert_eq!(staff.post("/account/2fa/disable", &[("csrf", &csrf), ("password", STAFF_PW), ("code", "000000")]).await.status, 403);

    // Customers are not affected by the staff rule…
    let mut agency = Client::new(&server);
    agency.sign_in("bureau@webbureau.test", PW).await;
    assert_eq!(agency.get("/account").await.status, 200);
    // …until a card they are on asks for it (a setting its owner changes at once).
    let store = env.store().await;
    sqlx::query("UPDATE customers SET requires_second_factor = 1 WHERE id = 3").execute(store.pool()).await.unwrap();
    assert_eq!(agency.get("/account").await.location.as_deref(), Some("/account/2fa"));
    let mut owner_of_other_card = Client::new(&server);
    owner_of_other_card.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    assert_eq!(owner_of_other_card.get("/account").await.status, 200);
}
