//! The helpdesk's pages and API through the real server on the demo data: a customer opens a
//! ticket with attachments in the panel, staff find it in the queue, note and answer it (the
//! answer mailed to the customer, threaded; the note never shown nor mailed to the customer),
//! attachments are served only to those who may see them and only as inert downloads, another
//! card's ticket does not exist for its users; the standby preview prices Friday 18:00 to
//! Monday 08:30 at the demo's € 95 an hour part by part, and bad input is named; a card whose
//! plan lacks the helpdesk is told how to reach the provider instead of getting the form.

use crate::support;

use serde_json::json;
use support::{Client, TestEnv, call, decode_qp, header, token};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'];

/// The number after `marker` in `body` (an id in a link).
fn id_after(body: &str, marker: &str) -> i64 {
    let at = body.find(marker).unwrap_or_else(|| panic!("no `{marker}` in:\n{body}")) + marker.len();
    body[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// Every id following `marker` in `body`, in order.
fn ids_after(body: &str, marker: &str) -> Vec<i64> {
    body.match_indices(marker)
        .filter_map(|(i, _)| body[i + marker.len()..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok())
        .collect()
}

/// A GET with the client's cookies, answering its headers too.
async fn fetch(server: &support::Server, client: &Client, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = reqwest::Client::new().get(server.url(path)).header("cookie", client.cookie_header()).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_opens_a_ticket_staff_answer_and_notes_stay_inside() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;

    // The owner of the bakery opens a ticket with two attachments: a picture and a web page.
    let mut owner = Client::new(&server);
    assert_eq!(owner.sign_in("eigenaar@bakkerijdevries.test", PW).await.status, 303);
    let list = owner.get("/customers/1/tickets").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("href=\"/customers/1/tickets/new\""), "the list offers a new ticket: {}", list.body);
    assert!(list.body.contains("aria-current=\"page\">Support</a>"), "the menu marks the section");
    let form = owner.get("/customers/1/tickets/new").await;
    assert!(form.body.contains("Paid technical intervention") && form.body.contains("Backup or restore"), "categories in words");
    let csrf = form.csrf();

    // Nothing to ask: refused, the field named, what was typed kept.
    let empty = owner
        .post_multipart(
            "/customers/1/tickets/new",
            &[("csrf", &csrf), ("subject", " "), ("category", "technical"), ("priority", "high"), ("body", "Zie bijlage.")],
            &[],
        )
        .await;
    assert_eq!(empty.status, 400, "{}", empty.body);
    assert!(empty.body.contains("id=\"t-subject-e\"") && empty.body.contains("Zie bijlage."), "{}", empty.body);

    let opened = owner
        .post_multipart(
            "/customers/1/tickets/new",
            &[
                ("csrf", &csrf),
                ("subject", "Mail komt niet aan"),
                ("category", "technical"),
                ("priority", "high"),
                ("body", "Sinds gisteren komt er geen mail meer binnen op info@.\nZie de schermafdruk."),
            ],
            &[
                ("attachments", "fout melding.png", "image/png", PNG),
                ("attachments", "pagina.html", "text/html", b"<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let location = opened.location.unwrap();
    assert!(location.starts_with("/customers/1/tickets/") && location.ends_with("?done=opened"), "{location}");
    let tid = id_after(&location, "/customers/1/tickets/");
    let thread = owner.get(&location).await;
    let reference = {
        let at = thread.body.find("T-20").expect("the reference is shown");
        thread.body[at..at + 12].to_string()
    };
    assert!(thread.body.contains("Mail komt niet aan") && thread.body.contains("fout melding.png"), "{}", thread.body);
    assert!(thread.body.contains(&format!("Your ticket {reference} has been sent")), "{}", thread.body);
    let files = ids_after(&thread.body, &format!("/customers/1/tickets/{tid}/attachments/"));
    assert_eq!(files.len(), 2, "both attachments are listed: {}", thread.body);

    // Staff find it in the queue: active and unassigned; not among those assigned to them.
    let mut staff = Client::new(&server);
    assert_eq!(staff.sign_in("support@demo.loket.test", STAFF_PW).await.status, 303);
    let queue = staff.get("/staff/tickets").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert!(queue.body.contains(&reference) && queue.body.contains("Bakkerij"), "{}", queue.body);
    assert!(staff.get("/staff/tickets?assignee=unassigned&priority=high").await.body.contains(&reference));
    assert!(!staff.get("/staff/tickets?assignee=me").await.body.contains(&reference));
    assert!(!staff.get("/staff/tickets?category=outage").await.body.contains(&reference));

    // A saved view keeps the filters, for this member of staff only.
    let csrf = queue.csrf();
    let saved = staff
        .post("/staff/tickets/views", &[("csrf", &csrf), ("name", "Hoog, niemand"), ("query", "priority=high&assignee=unassigned&bogus=1")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let queue = staff.get(saved.location.as_deref().unwrap()).await;
    assert!(
        queue.body.contains("href=\"/staff/tickets?priority=high&amp;assignee=unassigned\" aria-current=\"true\">Hoog, niemand</a>"),
        "{}",
        queue.body
    );
    let mut admin = Client::new(&server);
    admin.sign_in("admin@demo.loket.test", STAFF_PW).await;
    assert!(!admin.get("/staff/tickets").await.body.contains("Hoog, niemand"), "views are each member's own");

    // Staff write an internal note with a file, then answer the customer and wait for them.
    let page = staff.get(&format!("/staff/tickets/{tid}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("first response") && page.body.contains("due "), "the SLA clocks run: {}", page.body);
    let csrf = page.csrf();
    let note = staff
        .post_multipart(
            &format!("/staff/tickets/{tid}/reply"),
            &[("csrf", &csrf), ("kind", "note"), ("body", "Interne notitie: MX-record wijst naar de oude server."), ("status", "")],
            &[("attachments", "dig.txt", "text/plain", b"MX 10 oud.example.")],
        )
        .await;
    assert_eq!(note.status, 303, "{}", note.body);
    let reply = staff
        .post_multipart(
            &format!("/staff/tickets/{tid}/reply"),
            &[
                ("csrf", &csrf),
                ("kind", "reply"),
                ("body", "Beste Els, het MX-record is hersteld. Komt de mail weer binnen?"),
                ("status", "waiting"),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let page = staff.get(&format!("/staff/tickets/{tid}")).await;
    assert!(page.body.contains("Internal note") && page.body.contains("MX-record wijst naar de oude server"), "staff see the note");
    assert!(page.body.contains("waiting on customer"), "{}", page.body);
    let staff_files = ids_after(&page.body, &format!("/staff/tickets/{tid}/attachments/"));
    let note_file = *staff_files.iter().find(|f| !files.contains(f)).expect("the note's file");

    // The answer is mailed to the customer, threaded to the ticket's earlier mail; the note is
    // mailed to nobody outside.
    let mails = store.mails(10_000).await.unwrap();
    let answer = mails
        .iter()
        .find(|m| m.template == "ticket-reply" && m.rcpt_to.iter().any(|r| r == "eigenaar@bakkerijdevries.test"))
        .expect("the answer is mailed to the customer");
    assert!(answer.subject.contains(&reference), "{}", answer.subject);
    let in_reply_to = header(&answer.raw, "In-Reply-To").expect("threaded with In-Reply-To").trim_matches(['<', '>']).to_string();
    assert!(
        mails.iter().any(|m| m.message_id.trim_matches(['<', '>']) == in_reply_to && m.id < answer.id),
        "In-Reply-To names an earlier mail of the ticket: {in_reply_to}"
    );
    assert!(decode_qp(&answer.raw).contains("het MX-record is hersteld"));
    assert!(!mails.iter().any(|m| decode_qp(&m.raw).contains("wijst naar de oude server")), "a note is never mailed");

    // The customer reads the answer and the status, never the note nor its file.
    let thread = owner.get(&format!("/customers/1/tickets/{tid}")).await;
    assert!(thread.body.contains("het MX-record is hersteld") && thread.body.contains("waiting for your answer"), "{}", thread.body);
    assert!(!thread.body.contains("wijst naar de oude server") && !thread.body.contains("dig.txt"), "{}", thread.body);
    assert!(owner.get("/customers/1/tickets").await.body.contains("waiting for your answer"));
    assert!(owner.get("/").await.body.contains("1 ticket is waiting for your answer"), "the dashboard says what waits");
    assert_eq!(fetch(&server, &owner, &format!("/customers/1/tickets/{tid}/attachments/{note_file}")).await.0, 404);
    let owner_token = token(&env, "eigenaar@bakkerijdevries.test", "helpdesk:read,helpdesk:write");
    let (status, api) = call(reqwest::Method::GET, server.url(&format!("/api/v1/tickets/{tid}")), owner_token.clone(), None).await;
    assert_eq!(status, 200, "{api}");
    assert!(api["thread"].as_array().unwrap().iter().all(|e| e["kind"] == "reply") && api["ticket"]["status"] == "waiting", "{api}");
    let staff_token = token(&env, "support@demo.loket.test", "helpdesk:read,helpdesk:write");
    let (_, api) = call(reqwest::Method::GET, server.url(&format!("/api/v1/tickets/{tid}")), staff_token.clone(), None).await;
    assert!(api["thread"].as_array().unwrap().iter().any(|e| e["kind"] == "note"), "staff read the notes: {api}");

    // The attachments: a picture as itself, the web page as bytes, both as attachments, unsniffed.
    let (status, h, bytes) = fetch(&server, &owner, &format!("/customers/1/tickets/{tid}/attachments/{}", files[0])).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PNG);
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["content-disposition"], "attachment; filename=\"fout melding.png\"");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let (status, h, _) = fetch(&server, &owner, &format!("/customers/1/tickets/{tid}/attachments/{}", files[1])).await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "application/octet-stream", "a web page is never served as one");
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(
        fetch(&server, &staff, &format!("/staff/tickets/{tid}/attachments/{note_file}")).await.0,
        200,
        "staff fetch the note's file"
    );

    // Another card's users find nothing: not the ticket, not under their own card, not its files.
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    assert_eq!(jan.get(&format!("/customers/1/tickets/{tid}")).await.status, 404);
    assert_eq!(jan.get(&format!("/customers/2/tickets/{tid}")).await.status, 404);
    assert_eq!(fetch(&server, &jan, &format!("/customers/2/tickets/{tid}/attachments/{}", files[0])).await.0, 404);
    assert!(!jan.get("/customers/2/tickets").await.body.contains(&reference));
    let jan_token = token(&env, "jan@jansen.test", "helpdesk:read,helpdesk:write");
    assert_eq!(call(reqwest::Method::GET, server.url(&format!("/api/v1/tickets/{tid}")), jan_token.clone(), None).await.0, 404);
    let (status, _) = call(reqwest::Method::GET, server.url("/api/v1/tickets?customer_id=1"), jan_token.clone(), None).await;
    assert_eq!(status, 404);
    let reply_body = json!({ "body": "Ik hoor er ook bij." });
    let status = call(reqwest::Method::POST, server.url(&format!("/api/v1/tickets/{tid}/replies")), jan_token, Some(reply_body)).await.0;
    assert_eq!(status, 404);

    // The customer answers in the panel: the ticket is open again for staff.
    let csrf = thread.csrf();
    let answered =
        owner.post_multipart(&format!("/customers/1/tickets/{tid}"), &[("csrf", &csrf), ("body", "Ja, het werkt weer!")], &[]).await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let (_, list) = call(reqwest::Method::GET, server.url("/api/v1/tickets?customer_id=1&status=open"), owner_token, None).await;
    assert!(list.as_array().unwrap().iter().any(|t| t["id"] == tid), "{list}");

    // Staff close it; the customer is told to open a new one and cannot answer any more.
    let csrf = staff.get(&format!("/staff/tickets/{tid}")).await.csrf();
    assert_eq!(staff.post(&format!("/staff/tickets/{tid}/status"), &[("csrf", &csrf), ("status", "closed")]).await.status, 303);
    let thread = owner.get(&format!("/customers/1/tickets/{tid}")).await;
    assert!(thread.body.contains("This ticket is closed") && !thread.body.contains("id=\"r-body\""), "{}", thread.body);
    let csrf = owner.get("/account").await.csrf();
    let late = owner.post_multipart(&format!("/customers/1/tickets/{tid}"), &[("csrf", &csrf), ("body", "Nog iets.")], &[]).await;
    assert_eq!(late.status, 409, "{}", late.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_open_a_phone_ticket_triage_it_and_log_time() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut staff = Client::new(&server);
    staff.sign_in("support@demo.loket.test", STAFF_PW).await;
    let form = staff.get("/staff/tickets/new?customer=C000003").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Rossi") && form.body.contains("Nuovo sito web Rossi"), "the card and its projects: {}", form.body);
    let csrf = form.csrf();
    let bad =
        staff.post_multipart("/staff/tickets/new", &[("csrf", &csrf), ("customer", "C999999"), ("subject", "x"), ("body", "y")], &[]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("id=\"n-customer-e\""), "{}", bad.body);
    let opened = staff
        .post_multipart(
            "/staff/tickets/new",
            &[
                ("csrf", &csrf),
                ("customer", "C000003"),
                ("requester_email", "mario@rossiweb.test"),
                ("requester_name", "Mario Rossi"),
                ("subject", "Upgrade del VPS"),
                ("category", "upgrade"),
                ("priority", "normal"),
                ("body", "Il cliente chiede più memoria per il VPS."),
            ],
            &[],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let tid = id_after(opened.location.as_deref().unwrap(), "/staff/tickets/");
    let page = staff.get(opened.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Phone") && page.body.contains("Mario Rossi"), "{}", page.body);
    let csrf = page.csrf();

    // Triage: the project, a team; a bad assignee is named.
    let wrong = staff
        .post(
            &format!("/staff/tickets/{tid}/triage"),
            &[
                ("csrf", &csrf),
                ("customer", "C000003"),
                ("project_id", "0"),
                ("category", "upgrade"),
                ("priority", "high"),
                ("assignee_id", "999"),
                ("team", "Hosting"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("id=\"tr-assignee-e\""), "{}", wrong.body);
    let done = staff
        .post(
            &format!("/staff/tickets/{tid}/triage"),
            &[
                ("csrf", &csrf),
                ("customer", "C000003"),
                ("project_id", "0"),
                ("category", "upgrade"),
                ("priority", "high"),
                ("assignee_id", "0"),
                ("team", "Hosting"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = staff.get(done.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The ticket has been updated") && page.body.contains("Hosting"), "{}", page.body);

    // Time: a wrong number is named; 20 minutes billable are billed as 30 (15-minute steps).
    let wrong = staff
        .post(
            &format!("/staff/tickets/{tid}/time"),
            &[("csrf", &csrf), ("minutes", "veel"), ("worked_on", "2026-12-01"), ("basis", "billable")],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("id=\"tm-minutes-e\""), "{}", wrong.body);
    let logged = staff
        .post(
            &format!("/staff/tickets/{tid}/time"),
            &[("csrf", &csrf), ("minutes", "20"), ("worked_on", "2026-12-01"), ("basis", "billable"), ("note", "")],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.body);
    let page = staff.get(logged.location.as_deref().unwrap()).await;
    assert!(page.body.contains("30 min billed") && page.body.contains("20 minutes in all, 30 minutes billed"), "{}", page.body);

    // Watchers: added and removed; merge into another ticket of the card.
    let added =
        staff.post(&format!("/staff/tickets/{tid}/watchers"), &[("csrf", &csrf), ("email", "boss@rossiweb.test"), ("action", "add")]).await;
    assert_eq!(added.status, 303);
    assert!(staff.get(&format!("/staff/tickets/{tid}")).await.body.contains("boss@rossiweb.test"));
    let removed = staff
        .post(&format!("/staff/tickets/{tid}/watchers"), &[("csrf", &csrf), ("email", "boss@rossiweb.test"), ("action", "remove")])
        .await;
    assert_eq!(removed.status, 303);
    assert!(!staff.get(&format!("/staff/tickets/{tid}")).await.body.contains("boss@rossiweb.test"));
    let into = staff.post(&format!("/staff/tickets/{tid}/merge"), &[("csrf", &csrf), ("into", "T-1999-00001")]).await;
    assert_eq!(into.status, 400);
    assert!(into.body.contains("id=\"m-into-e\""), "{}", into.body);

    // The customer sees the phone ticket and its project page shows the progress.
    let mut mario = Client::new(&server);
    mario.sign_in("mario@rossiweb.test", PW).await;
    let list = mario.get("/customers/3/tickets").await;
    assert!(list.body.contains("Upgrade del VPS") && list.body.contains("/customers/3/projects/"), "{}", list.body);
    let pid = id_after(&list.body, "/customers/3/projects/");
    let project = mario.get(&format!("/customers/3/projects/{pid}")).await;
    assert_eq!(project.status, 200, "{}", project.body);
    assert!(project.body.contains("Nuovo sito web Rossi") && project.body.contains("<progress"), "{}", project.body);
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    assert_eq!(jan.get(&format!("/customers/3/projects/{pid}")).await.status, 404);
    assert_eq!(jan.get(&format!("/customers/2/projects/{pid}")).await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_standby_preview_prices_a_weekend_part_by_part() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let staff = token(&env, "support@demo.loket.test", "helpdesk:read,helpdesk:write");
    let server = env.serve(&[], &[]);
    let preview = |body: serde_json::Value| call(reqwest::Method::POST, server.url("/api/v1/standby/preview"), staff.clone(), Some(body));

    // Friday 18:00 to Monday 08:30 at € 95 an hour: three nights at 100 %, two weekend days at
    // 50 %, each above its minimum.
    let (status, q) = preview(json!({ "customer_id": 1, "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30" })).await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["hourly_rate"]["decimal"], "95.00");
    let parts = q["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 5, "{q}");
    let summary: Vec<(String, String, String, u64, String)> = parts
        .iter()
        .map(|p| {
            (
                p["category"].as_str().unwrap().into(),
                p["start"].as_str().unwrap().into(),
                p["end"].as_str().unwrap().into(),
                p["billed_minutes"].as_u64().unwrap(),
                p["price"]["decimal"].as_str().unwrap().into(),
            )
        })
        .collect();
    let row = |c: &str, s: &str, e: &str, m: u64, p: &str| (c.to_string(), s.to_string(), e.to_string(), m, p.to_string());
    assert_eq!(
        summary,
        vec![
            row("evening_night", "2026-12-04T18:00", "2026-12-05T08:30", 870, "1377.50"),
            row("weekend", "2026-12-05T08:30", "2026-12-05T18:00", 570, "451.25"),
            row("evening_night", "2026-12-05T18:00", "2026-12-06T08:30", 870, "1377.50"),
            row("weekend", "2026-12-06T08:30", "2026-12-06T18:00", 570, "451.25"),
            row("evening_night", "2026-12-06T18:00", "2026-12-07T08:30", 870, "1377.50"),
        ]
    );
    assert_eq!((q["parts"][1]["percent"].as_u64(), q["parts"][0]["price"]["minor"].as_i64()), (Some(50), Some(137_750)));
    assert_eq!((q["total"]["decimal"].as_str(), q["total"]["minor"].as_i64()), (Some("5035.00"), Some(503_500)));
    assert_eq!(q["callout_total"]["minor"], 0);

    // A call on Saturday night: action within 30 minutes, 95 minutes worked on top.
    let (status, q) = preview(json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30",
        "callouts": [{ "at": "2026-12-05T23:10", "worked_minutes": 95 }, { "at": "2026-12-06T10:00", "worked_minutes": 20 }] }))
    .await;
    assert_eq!(status, 200, "{q}");
    assert_eq!(q["callouts"][0]["respond_by"], "2026-12-05T23:40");
    assert_eq!((q["callouts"][0]["billed_minutes"].as_u64(), q["callouts"][0]["price"]["decimal"].as_str()), (Some(95), Some("150.42")));
    assert_eq!((q["callouts"][1]["billed_minutes"].as_u64(), q["callouts"][1]["price"]["decimal"].as_str()), (Some(60), Some("95.00")));
    assert_eq!(q["total"]["decimal"], "5280.42");

    // Bad input is refused naming the field.
    for (body, field) in [
        (json!({ "starts": "vrijdagavond", "ends": "2026-12-07T08:30" }), "starts"),
        (json!({ "starts": "2026-12-07T08:30", "ends": "2026-12-04T18:00" }), "ends"),
        (json!({ "ends": "2026-12-07T08:30" }), "starts"),
        (
            json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30", "callouts": [{ "at": "2026-12-07T10:00", "worked_minutes": 5 }] }),
            "callouts",
        ),
        (
            json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30", "callouts": [{ "at": "2026-12-05T23:10", "worked_minutes": "veel" }] }),
            "callouts[0].worked_minutes",
        ),
        (json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30", "custmer_id": 1 }), "custmer_id"),
        (json!({ "customer_id": 999, "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30" }), "customer_id"),
    ] {
        let (status, e) = preview(body.clone()).await;
        assert!(status == 400 || status == 422, "{body} answered {status}: {e}");
        assert_eq!(e["field"], field, "{body}: {e}");
    }

    // Only staff who work on tickets preview, with the scope.
    let owner = token(&env, "eigenaar@bakkerijdevries.test", "helpdesk:read,helpdesk:write");
    let span = json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30" });
    assert_eq!(call(reqwest::Method::POST, server.url("/api/v1/standby/preview"), owner, Some(span.clone())).await.0, 403);
    let billing = token(&env, "billing@demo.loket.test", "helpdesk:read,helpdesk:write");
    assert_eq!(call(reqwest::Method::POST, server.url("/api/v1/standby/preview"), billing, Some(span.clone())).await.0, 403);
    let unscoped = token(&env, "support@demo.loket.test", "customers:read");
    assert_eq!(call(reqwest::Method::POST, server.url("/api/v1/standby/preview"), unscoped, Some(span)).await.0, 403);

    // Agreed with a card for a weekend to come: billed, and listed in the planner.
    let today = jiff::Zoned::now().date();
    let friday = (8..15).map(|d| loket_domain::billing::plus_days(today, d)).find(|d| d.weekday() == jiff::civil::Weekday::Friday).unwrap();
    let sunday = loket_domain::billing::plus_days(friday, 2);
    let (status, agreed) = call(
        reqwest::Method::POST,
        server.url("/api/v1/standby"),
        staff.clone(),
        Some(json!({ "customer_id": 3, "starts": format!("{friday}T18:00"), "ends": format!("{sunday}T08:30") })),
    )
    .await;
    assert_eq!(status, 201, "{agreed}");
    assert!(agreed["id"].as_i64().is_some() && agreed["quote"]["total"]["minor"].as_i64().unwrap() > 0, "{agreed}");
    let mut page = Client::new(&server);
    page.sign_in("support@demo.loket.test", STAFF_PW).await;
    let planner = page.get("/staff/standby").await;
    assert_eq!(planner.status, 200, "{}", planner.body);
    assert!(planner.body.contains("Rossi Web"), "{}", planner.body);

    // The card is mailed its confirmation (in Italian) with the PDF, which staff and the card's
    // helpdesk users download; another card's user finds nothing.
    let id = agreed["id"].as_i64().unwrap();
    let reference = format!("S-{id:06}");
    let store = env.store().await;
    let (subject, raw): (String, String) =
        sqlx::query_as("SELECT subject, raw FROM outbox WHERE template = 'standby-confirmed' ORDER BY id DESC LIMIT 1")
            .fetch_one(store.pool())
            .await
            .expect("the confirmation mail");
    assert_eq!(subject, format!("Reperibilità confermata {reference}"));
    assert!(raw.contains("application/pdf") && raw.contains(&format!("standby-{reference}.pdf")), "{raw}");
    let pdf_path = format!("/staff/standby/{id}/confirmation.pdf");
    let (status, kind, staff_bytes) = page.download(&pdf_path).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let mut mario = Client::new(&server);
    mario.sign_in("mario@rossiweb.test", PW).await;
    let list = mario.get("/customers/3/tickets").await;
    assert!(list.body.contains(&format!("/customers/3/standby/{id}/confirmation.pdf")), "{}", list.body);
    let (status, _, own) = mario.download(&format!("/customers/3/standby/{id}/confirmation.pdf")).await;
    assert_eq!(status, 200);
    assert_eq!(own, staff_bytes, "the same confirmation for staff and the card");
    let path = env.path().join("standby.pdf");
    std::fs::write(&path, &staff_bytes).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(&reference) && text.contains("Conferma reperibilità"), "{text}");
    }
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    assert_eq!(jan.get(&format!("/customers/2/standby/{id}/confirmation.pdf")).await.status, 404);

    // A call-out in that weekend, its work logged in three entries (20, 20 and 30 minutes):
    // the hour's minimum is billed once, for the call-out, then what goes beyond it (seed 003).
    let csrf = planner.csrf();
    let at = format!("{friday}T22:00");
    let called = page
        .post("/staff/standby/callout", &[("csrf", &csrf), ("callout_customer", "3"), ("at", &at), ("subject", "Sito giù"), ("body", "…")])
        .await;
    let ticket = called.location.clone().unwrap_or_else(|| panic!("{}: {}", called.status, called.body));
    let ticket = ticket.trim_start_matches("/staff/tickets/").split('?').next().unwrap().to_string();
    for minutes in ["20", "20", "30"] {
        let logged = page
            .post(&format!("/staff/tickets/{ticket}/time"), &[("csrf", &csrf), ("minutes", minutes), ("worked_on", &friday.to_string())])
            .await;
        assert_eq!(logged.status, 303, "{}", logged.body);
    }
    let admin = token(&env, "admin@demo.loket.test", "billing:read");
    let (_, billing) = call(reqwest::Method::GET, server.url("/api/v1/customers/3/billing"), admin, None).await;
    let callout_lines: Vec<String> = billing["pending"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["description"].as_str().filter(|d| d.starts_with("Standby call-out")).map(str::to_string))
        .collect();
    assert_eq!(callout_lines.len(), 2, "{billing}");
    assert!(callout_lines[0].ends_with("(60 min)") && callout_lines[1].ends_with("(10 min)"), "{callout_lines:?}");

    // The planner's preview in the page gives the same total, and names a wrong field.
    let priced = page
        .post("/staff/standby", &[("csrf", &csrf), ("action", "preview"), ("starts", "2026-12-04T18:00"), ("ends", "2026-12-07T08:30")])
        .await;
    assert_eq!(priced.status, 200, "{}", priced.body);
    assert!(priced.body.contains("id=\"standby-total\">€5,035.00</strong>") && priced.body.contains("Weekend"), "{}", priced.body);
    let wrong = page
        .post("/staff/standby", &[("csrf", &csrf), ("action", "preview"), ("starts", "2026-12-04T18:00"), ("ends", "2026-12-04T17:00")])
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("id=\"sb-ends-e\""), "{}", wrong.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_card_without_the_plan_is_told_how_to_reach_the_provider() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let contact = "Bel 030 123 45 67 (werkdagen 08:30-18:00) of mail support@demo.loket.test";
    let server = env.serve(&[], &[("LOKET_HELPDESK_ENTITLED_PLANS", "hosting-basis".into()), ("LOKET_HELPDESK_CONTACT", contact.into())]);
    let store = env.store().await;

    // Jan Jansen's plan (hosting-start) lacks the helpdesk: the explanation, not the form.
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let list = jan.get("/customers/2/tickets").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("The helpdesk is not part of your plan") && list.body.contains(contact), "{}", list.body);
    assert!(!list.body.contains("href=\"/customers/2/tickets/new\""), "no way to the form");
    assert!(list.body.contains("Hoe stel ik mijn mail in"), "the tickets it has are still listed");
    let form = jan.get("/customers/2/tickets/new").await;
    assert!(form.body.contains("The helpdesk is not part of your plan") && !form.body.contains("name=\"subject\""), "{}", form.body);
    let csrf = jan.get("/account").await.csrf();
    let mut conn = store.pool().acquire().await.unwrap();
    let before = loket_store::helpdesk::counts(&mut conn, 2, None).await.unwrap().iter().map(|(_, n)| n).sum::<i64>();
    let sent = jan.post_multipart("/customers/2/tickets/new", &[("csrf", &csrf), ("subject", "Vraag"), ("body", "Toch?")], &[]).await;
    assert_ne!(sent.status, 303);
    let after = loket_store::helpdesk::counts(&mut conn, 2, None).await.unwrap().iter().map(|(_, n)| n).sum::<i64>();
    assert_eq!(before, after, "nothing was opened");

    // The bakery's plan includes it.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let form = owner.get("/customers/1/tickets/new").await;
    assert!(form.body.contains("name=\"subject\"") && !form.body.contains("not part of your plan"), "{}", form.body);
}

/// A paid intervention (seed 004) starts once the customer accepted its quote: time on it is
/// refused until staff link an accepted quote, and is then logged against the quote (which
/// already ordered and priced the work), not billed again.
#[tokio::test(flavor = "multi_thread")]
async fn a_paid_intervention_waits_for_its_accepted_quote() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut staff = Client::new(&server);
    staff.sign_in("support@demo.loket.test", STAFF_PW).await;
    let csrf = staff.get("/staff/tickets/new?customer=C000001").await.csrf();
    let opened = staff
        .post_multipart(
            "/staff/tickets/new",
            &[
                ("csrf", &csrf),
                ("customer", "C000001"),
                ("subject", "Webwinkel verhuizen"),
                ("category", "paid_intervention"),
                ("priority", "normal"),
                ("body", "De klant wil de webwinkel naar een nieuwe server."),
            ],
            &[],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let tid = id_after(opened.location.as_deref().unwrap(), "/staff/tickets/");
    let csrf = staff.get(opened.location.as_deref().unwrap()).await.csrf();
    let time = |minutes: &'static str| [("minutes", minutes), ("worked_on", "2026-12-01"), ("basis", "billable"), ("note", "")];
    let early = staff.post(&format!("/staff/tickets/{tid}/time"), &[[("csrf", csrf.as_str())].as_slice(), &time("60")].concat()).await;
    assert!(early.status == 400 || early.status == 409, "{}", early.status);
    assert!(early.body.contains("accepted its quote"), "{}", early.body);

    // The demo's open quote for the bakery: linked, still not accepted, then accepted by the owner.
    let store = env.store().await;
    let quote =
        store.customer_quotes(1, 10).await.unwrap().into_iter().find(|q| q.status == loket_domain::quote::QuoteStatus::Sent).unwrap();
    let linked = staff
        .post(
            &format!("/staff/tickets/{tid}/triage"),
            &[
                ("csrf", &csrf),
                ("category", "paid_intervention"),
                ("priority", "normal"),
                ("team", ""),
                ("quote_id", &quote.id.to_string()),
            ],
        )
        .await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    let still = staff.post(&format!("/staff/tickets/{tid}/time"), &[[("csrf", csrf.as_str())].as_slice(), &time("60")].concat()).await;
    assert!(still.body.contains("accepted its quote"), "{}", still.body);
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let ocsrf = owner.get(&format!("/customers/1/quotes/{}", quote.id)).await.csrf();
    let accepted = owner.post(&format!("/customers/1/quotes/{}", quote.id), &[("csrf", &ocsrf), ("decision", "accept")]).await;
    assert!(accepted.status == 303 || accepted.status == 200, "{}", accepted.body);
    let logged = staff.post(&format!("/staff/tickets/{tid}/time"), &[[("csrf", csrf.as_str())].as_slice(), &time("60")].concat()).await;
    assert_eq!(logged.status, 303, "{}", logged.body);
    let mut conn = store.acquire().await.unwrap();
    let time = loket_store::helpdesk::work::time_entries(&mut conn, tid).await.unwrap();
    assert_eq!(time.len(), 1);
    assert_eq!((time[0].basis.as_str(), time[0].item_id), ("quote", None), "logged against the quote, not billed again");
}

/// A card may have its own hourly rate (issue 13: "may be overridden per card"): standby and
/// time for that card are priced from it, every other card keeps the standard rate; bad input
/// names the argument, and `--standard` takes it away.
#[tokio::test(flavor = "multi_thread")]
async fn a_card_s_own_hourly_rate_prices_its_standby() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let bad = env.run(&["helpdesk", "rate", "--customer", "C000003", "--rate", "veel"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--rate"), "{}", String::from_utf8_lossy(&bad.stderr));
    let unknown = env.run(&["helpdesk", "rate", "--customer", "C999999", "--rate", "120.00"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--customer"), "{}", String::from_utf8_lossy(&unknown.stderr));
    env.ok(&["helpdesk", "rate", "--customer", "C000003", "--rate", "120.00"]);
    let staff = token(&env, "support@demo.loket.test", "helpdesk:read,helpdesk:write");
    let server = env.serve(&[], &[]);
    let preview = |customer: i64| {
        call(
            reqwest::Method::POST,
            server.url("/api/v1/standby/preview"),
            staff.clone(),
            Some(json!({ "customer_id": customer, "starts": "2026-12-04T18:00", "ends": "2026-12-05T08:30" })),
        )
    };
    let (status, own) = preview(3).await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["hourly_rate"]["decimal"], "120.00");
    assert_eq!(own["total"]["decimal"], "1740.00", "14.5 hours of night at 100 % of 120.00: {own}");
    let (_, standard) = preview(1).await;
    assert_eq!(standard["hourly_rate"]["decimal"], "95.00");
    env.ok(&["helpdesk", "rate", "--customer", "C000003", "--standard"]);
    let (_, again) = preview(3).await;
    assert_eq!(again["hourly_rate"]["decimal"], "95.00");
}
