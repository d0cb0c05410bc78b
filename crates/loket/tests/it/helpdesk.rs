//! E-mail to tickets (seed 003), through the real thing: a private dovecot that the tests start
//! (messages appended over IMAP), Loket's server fetching two mailboxes at once with IDLE, the
//! binary killed in the middle of ingesting, `loket mail ingest` as an MTA pipes to it, and every
//! message of the reference corpus.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use loket_imap::testing::Dovecot;
use sqlx::Row;

use crate::support::{self, TestEnv};

const PASSWORD: &str = "secret-imap";

fn mailbox_url(dovecot: &Dovecot, user: &str) -> String {
    format!("imap://{user}:{PASSWORD}@127.0.0.1:{}/INBOX?tls=none&poll=10m&name={user}", dovecot.port())
}

fn message(id: &str, from: &str, subject: &str, body: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: Klant <{from}>\r\nTo: support@demo.loket.test\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn count(store: &loket_store::Store, sql: &str) -> i64 {
    let mut conn = store.acquire().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *conn).await.unwrap().try_get::<i64, _>(0).unwrap()
}

async fn text(store: &loket_store::Store, sql: &str) -> String {
    let mut conn = store.acquire().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *conn).await.unwrap().try_get::<String, _>(0).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_in_two_mailboxes_becomes_tickets_threaded_once_each() {
    let dovecot = Dovecot::start();
    dovecot.add_user("support", PASSWORD);
    dovecot.add_user("sales", PASSWORD);
    // Waiting before Loket starts: a new ticket from a card's user, an out-of-office, a bounce.
    dovecot
        .append(
            "support",
            "INBOX",
            &message(
                "m1@klant.test",
                "eigenaar@bakkerijdevries.test",
                "Mail komt niet aan",
                "Sinds gisteren komt er geen mail binnen.",
                "",
            ),
        )
        .await;
    dovecot
        .append(
            "support",
            "INBOX",
            &message(
                "ooo@klant.test",
                "jan@jansen.test",
                "Automatisch antwoord: afwezig",
                "Ik ben afwezig.",
                "Auto-Submitted: auto-replied\r\n",
            ),
        )
        .await;
    let env = TestEnv::new().await;
    let boxes = format!("{}, {}", mailbox_url(&dovecot, "support"), mailbox_url(&dovecot, "sales"));
    let server = env.serve(&["--demo"], &[("LOKET_HELPDESK_MAILBOXES", boxes)]);
    let store = env.store().await;
    let demo_tickets = 3;

    support::wait_until("the first mail became a ticket", Duration::from_secs(30), || async {
        count(&store, "SELECT COUNT(*) FROM tickets").await == demo_tickets + 1
    })
    .await;
    let ticket = count(&store, "SELECT ticket_id FROM ticket_mail WHERE message_id = 'm1@klant.test'").await;
    assert_eq!(count(&store, &format!("SELECT customer_id FROM tickets WHERE id = {ticket}")).await, 1, "hung under the sender's card");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM ticket_mail WHERE message_id = 'ooo@klant.test' AND direction = 'ignored'").await, 1);

    // The sender got one acknowledgement with the reference; answering it threads to the ticket.
    let ack = text(
        &store,
        &format!("SELECT message_id FROM ticket_mail WHERE ticket_id = {ticket} AND direction = 'out' ORDER BY created_at LIMIT 1"),
    )
    .await;
    let reference = text(&store, "SELECT subject FROM outbox WHERE template = 'ticket-received' ORDER BY id DESC LIMIT 1").await;
    assert!(reference.contains("[T-2026-"), "{reference}");
    // IDLE: appended while Loket waits (polling is set to ten minutes), it arrives in seconds.
    let reply = message(
        "m2@klant.test",
        "eigenaar@bakkerijdevries.test",
        &format!("Re: {reference}"),
        "Nu werkt het weer.\r\n\r\n> oude tekst",
        &format!("In-Reply-To: <{ack}>\r\n"),
    );
    dovecot.append("support", "INBOX", &reply).await;
    support::wait_until("the reply arrived through IDLE", Duration::from_secs(10), || async {
        count(&store, &format!("SELECT COUNT(*) FROM ticket_entries WHERE ticket_id = {ticket}")).await == 2
    })
    .await;
    let body = text(&store, &format!("SELECT body FROM ticket_entries WHERE ticket_id = {ticket} ORDER BY id DESC LIMIT 1")).await;
    assert_eq!(body, "Nu werkt het weer.", "the quoted history is kept, not shown");

    // The same message again (another copy in the other mailbox) makes no second entry; a
    // message to the second mailbox is a ticket too.
    dovecot.append("sales", "INBOX", &reply).await;
    dovecot.append("sales", "INBOX", &message("s1@elders.test", "nieuw@elders.test", "Offerte VPS", "Wat kost een VPS?", "")).await;
    support::wait_until("the second mailbox was read", Duration::from_secs(10), || async {
        count(&store, "SELECT COUNT(*) FROM ticket_mail WHERE message_id = 's1@elders.test'").await == 1
    })
    .await;
    // A bounce of Loket's own mail: recorded on the address, no ticket.
    let bounce = format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.elders.test>\r\nTo: support@demo.loket.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <b1@mx.elders.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; mx.elders.test\r\n\r\nFinal-Recipient: rfc822; weg@elders.test\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
         --B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ack}>\r\nSubject: x\r\n\r\n--B--\r\n"
    );
    dovecot.append("sales", "INBOX", bounce.as_bytes()).await;
    support::wait_until("the bounce was recorded", Duration::from_secs(10), || async {
        count(&store, "SELECT COUNT(*) FROM mail_bounces WHERE email = 'weg@elders.test' AND permanent = 1").await == 1
    })
    .await;
    support::drained(&store).await;
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM tickets").await,
        demo_tickets + 2,
        "no ticket from the auto-reply, the bounce or the copy"
    );
    assert_eq!(count(&store, &format!("SELECT COUNT(*) FROM ticket_entries WHERE ticket_id = {ticket}")).await, 2);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM outbox WHERE template = 'ticket-received' AND rcpt_to = 'jan@jansen.test'").await,
        0,
        "no answer to a robot"
    );

    // Every message is marked on the server once stored, none deleted.
    for (user, n) in [("support", 3), ("sales", 3)] {
        let listed = dovecot.list(user, "INBOX").await;
        assert_eq!(listed.len(), n, "{user}: nothing deleted");
        assert!(listed.iter().all(|m| m.has(loket_imap::DEFAULT_KEYWORD)), "{user}: {listed:?}");
    }
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_while_ingesting_loses_nothing_and_duplicates_nothing() {
    let dovecot = Dovecot::start();
    dovecot.add_user("support", PASSWORD);
    let n = 300;
    for i in 0..n {
        let m = message(&format!("k{i}@klant.test"), &format!("klant{i}@elders.test"), &format!("Vraag {i}"), "Hoe zit dat?", "");
        dovecot.append("support", "INBOX", &m).await;
    }
    let env = TestEnv::new().await;
    let url = format!("{}&batch=5", mailbox_url(&dovecot, "support"));
    let store = env.store().await;
    let mut first = env.serve_process(&[], &[("LOKET_HELPDESK_MAILBOXES", url.clone())]);
    support::wait_until("ingest began", Duration::from_secs(30), || async { count(&store, "SELECT COUNT(*) FROM tickets").await > 20 })
        .await;
    first.kill();
    let at_kill = count(&store, "SELECT COUNT(*) FROM tickets").await;
    assert!(at_kill < n, "killed before the end ({at_kill})");
    let second = env.serve_process(&[], &[("LOKET_HELPDESK_MAILBOXES", url)]);
    support::wait_until("every message was taken", Duration::from_secs(60), || async {
        count(&store, "SELECT COUNT(*) FROM ticket_mail WHERE direction = 'in'").await == n
    })
    .await;
    support::wait_until("every message is marked", Duration::from_secs(30), || async {
        dovecot.list("support", "INBOX").await.iter().all(|m| m.has(loket_imap::DEFAULT_KEYWORD))
    })
    .await;
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tickets").await, n, "one ticket per message");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM ticket_entries").await, n, "one entry per message");
    assert_eq!(count(&store, "SELECT COUNT(DISTINCT message_id) FROM ticket_entries").await, n);
    assert_eq!(dovecot.list("support", "INBOX").await.len() as i64, n, "nothing deleted");
    drop(second);
}

fn pipe(env: &TestEnv, raw: &[u8], extra: &[&str]) -> std::process::Output {
    pipe_with(env, raw, extra, &[])
}

fn pipe_with(env: &TestEnv, raw: &[u8], extra: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = if extra.is_empty() {
        env.cmd()
    } else {
        let mut c = std::process::Command::new(support::loket_bin());
        c.arg("--data-dir").arg(env.path()).args(extra);
        c
    };
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let mut child = cmd.args(["mail", "ingest"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // A command that refuses early closes its input: that is its answer, not the test's failure.
    let _ = child.stdin.take().unwrap().write_all(raw);
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mta_pipe_answers_with_exit_codes_it_understands() {
    let env = TestEnv::new().await;
    env.ok(&["migrate"]);
    let taken = pipe(&env, &message("p1@elders.test", "iemand@elders.test", "Hallo", "Een vraag.", ""), &[]);
    assert_eq!(taken.status.code(), Some(0), "{}", String::from_utf8_lossy(&taken.stderr));
    assert!(String::from_utf8_lossy(&taken.stdout).contains("Opened"));
    let again = pipe(&env, &message("p1@elders.test", "iemand@elders.test", "Hallo", "Een vraag.", ""), &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("Duplicate"));
    let store = env.store().await;
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tickets").await, 1);
    // The reference in a subject threads only for someone involved: a stranger quoting it gets a
    // ticket of their own; the requester quoting it (without threading headers) replies.
    let reference = text(&store, "SELECT subject FROM outbox WHERE template = 'ticket-received' LIMIT 1").await;
    let r = reference.split(']').next().unwrap().trim_start_matches('[').to_string();
    let stranger = pipe(&env, &message("p4@elders.test", "vreemde@elders.test", &format!("Re: [{r}] Hallo"), "Ik lees mee.", ""), &[]);
    assert!(String::from_utf8_lossy(&stranger.stdout).contains("Opened"), "{}", String::from_utf8_lossy(&stranger.stdout));
    let own = pipe(&env, &message("p5@elders.test", "iemand@elders.test", &format!("Re: [{r}] Hallo"), "Nog een vraag.", ""), &[]);
    assert!(String::from_utf8_lossy(&own.stdout).contains("Replied"), "{}", String::from_utf8_lossy(&own.stdout));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tickets").await, 2);
    // Not a message at all: permanent (the MTA bounces it rather than retrying for days).
    let junk = pipe(&env, b"", &[]);
    assert_eq!(junk.status.code(), Some(65), "{}", String::from_utf8_lossy(&junk.stderr));
    // The database cannot be reached: temporary, the MTA keeps the message and retries.
    let down = pipe(
        &env,
        &message("p2@elders.test", "iemand@elders.test", "Hallo", "x", ""),
        &["--database-url", "postgres://nobody@127.0.0.1:1/none"],
    );
    assert_eq!(down.status.code(), Some(75), "{}", String::from_utf8_lossy(&down.stderr));
    // Unknown senders refused by the provider's rule: a polite answer, no ticket, exit 0.
    let refused = pipe_with(
        &env,
        &message("p3@elders.test", "vreemd@elders.test", "Hallo", "x", ""),
        &[],
        &[("LOKET_HELPDESK_UNKNOWN_SENDERS", "refuse")],
    );
    assert_eq!(refused.status.code(), Some(0), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stdout).contains("Refused"));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM tickets").await, 2);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM outbox WHERE template = 'ticket-refused' AND rcpt_to = 'vreemd@elders.test'").await, 1);
}

/// Every message of the reference corpus (real mail from the test suites of CPython, Stalwart's
/// mail-parser and nodemailer: charsets, encodings, malformed input, a delivery report) goes in
/// without error: a ticket, a reply, or knowingly ignored — never refused as unreadable.
#[tokio::test(flavor = "multi_thread")]
async fn every_corpus_message_ingests_without_error() {
    let dir = std::env::var_os("LOKET_REFERENCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"))
        .join("email/corpus");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    assert!(files.len() >= 30, "the corpus is missing at {}", dir.display());
    let env = TestEnv::new().await;
    env.ok(&["migrate"]);
    let mut taken = 0;
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        let out = pipe(&env, &raw, &[]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", f.display(), String::from_utf8_lossy(&out.stderr));
        taken += 1;
    }
    assert_eq!(taken, files.len());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "eml") {
            out.push(p);
        }
    }
    out
}

/// The SLA clocks run from the ticket's history: a warning tells the lead, a breach raises the
/// priority, each rule once; the sweep runs on the server's clock every five minutes.
#[tokio::test(flavor = "multi_thread")]
async fn escalation_rules_act_once_when_the_first_response_clock_warns_and_breaches() {
    let env = TestEnv::new().await;
    let start = jiff::Timestamp::now();
    let clock = loket_app::Clock::manual(start);
    let vars = [
        ("LOKET_HELPDESK_HOURS", "always".to_string()),
        ("LOKET_HELPDESK_SLA", "normal=1h/8h".to_string()),
        (
            "LOKET_HELPDESK_ESCALATION",
            "first_response warning notify:lead@demo.loket.test; first_response breach raise_priority".to_string(),
        ),
    ];
    let _server = env.serve_at(&[], &vars, clock.clone());
    let store = env.store().await;
    let vars_ref: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = pipe_with(&env, &message("sla1@elders.test", "iemand@elders.test", "Server plat", "Alles ligt eruit.", ""), &[], &vars_ref);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ticket = count(&store, "SELECT ticket_id FROM ticket_mail WHERE message_id = 'sla1@elders.test'").await;
    // 50 minutes: past the 80 % warning, not yet breached.
    clock.advance(jiff::SignedDuration::from_mins(50));
    support::wait_until("the lead was told", Duration::from_secs(90), || async {
        count(&store, "SELECT COUNT(*) FROM outbox WHERE template = 'ticket-escalated' AND rcpt_to = 'lead@demo.loket.test'").await == 1
    })
    .await;
    assert_eq!(text(&store, &format!("SELECT priority FROM tickets WHERE id = {ticket}")).await, "normal");
    // 70 minutes: breached, so the priority goes up one step — once.
    clock.advance(jiff::SignedDuration::from_mins(20));
    support::wait_until("the priority was raised", Duration::from_secs(90), || async {
        text(&store, &format!("SELECT priority FROM tickets WHERE id = {ticket}")).await == "high"
    })
    .await;
    clock.advance(jiff::SignedDuration::from_mins(10));
    support::wait_until("the next sweep ran", Duration::from_secs(90), || async {
        count(&store, "SELECT COUNT(*) FROM jobs WHERE kind = 'helpdesk.escalate' AND state = 'done'").await >= 3
    })
    .await;
    assert_eq!(text(&store, &format!("SELECT priority FROM tickets WHERE id = {ticket}")).await, "high", "each rule acts once");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM outbox WHERE template = 'ticket-escalated'").await, 1);
    assert_eq!(count(&store, &format!("SELECT COUNT(*) FROM ticket_events WHERE ticket_id = {ticket} AND kind = 'escalation'")).await, 2);
}
