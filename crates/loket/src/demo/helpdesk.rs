//! The demo's helpdesk, made through the service layer as mail, customers and staff would:
//! Bakkerij De Vries mails the support address (a ticket), staff answer and wait, the customer
//! answers by mail (threaded to the same ticket); Rossi Web phones about a restore, which staff
//! hang under its web-design project and bill 45 minutes of; Jan Jansen asks a question in the
//! panel; and Bakkerij De Vries has standby agreed for the coming weekend.

use loket_app::helpdesk::{NewTicketInput, StandbyInput, TriageInput};
use loket_domain::helpdesk::ticket::EntryKind;
use loket_store::audit::Actor;

use crate::app::App;

fn mail(from: &str, name: &str, to: &str, id: &str, in_reply_to: Option<&str>, subject: &str, body: &str) -> Vec<u8> {
    let mut m = format!(
        "From: {name} <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Mon, 30 Nov 2026 09:12:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    );
    if let Some(r) = in_reply_to {
        m.push_str(&format!("In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n"));
    }
    m.push_str("\r\n");
    m.push_str(&body.replace('\n', "\r\n"));
    m.into_bytes()
}

pub async fn load(app: &App, bakkerij: i64, jansen: i64, rossi: i64) -> anyhow::Result<()> {
    let services = app.services();
    if services.helpdesk.is_none() {
        return Ok(());
    }
    let err = |what: &'static str| move |e: loket_app::AppError| anyhow::anyhow!("demo helpdesk, {what}: {e}");
    let staff = app.store.user_by_email("support@demo.loket.test").await?.ok_or_else(|| anyhow::anyhow!("demo support user missing"))?;
    let actor = Actor::new(loket_store::audit::ActorKind::Staff, staff.id.to_string());
    let support = services.helpdesk.as_ref().and_then(|h| h.address.clone()).unwrap_or_else(|| app.config.provider.email.clone());

    // 1. Mail to the support address becomes a ticket; staff answer; the customer answers back.
    let first = mail(
        "eigenaar@bakkerijdevries.test",
        "Anna de Vries",
        &support,
        "demo-1@bakkerijdevries.test",
        None,
        "Webwinkel geeft foutmelding 500",
        "Goedemorgen,\n\nSinds vanochtend geeft onze webwinkel een foutmelding 500 bij het afrekenen.\nKunnen jullie kijken?\n\nMet vriendelijke groet,\nAnna de Vries",
    );
    let outcome = services.ingest_mail(&[first]).await.map_err(err("mail in"))?;
    let Some(loket_app::helpdesk::IngestOutcome::Opened { ticket_id, .. }) = outcome.first().cloned() else {
        anyhow::bail!("demo helpdesk: the first mail did not open a ticket: {outcome:?}");
    };
    let triage = TriageInput {
        category: Some("outage".into()),
        priority: Some("high".into()),
        assignee_id: Some(staff.id),
        team: Some("Hosting".into()),
        ..Default::default()
    };
    services.ticket_triage(&actor, &staff, ticket_id, &triage).await.map_err(err("triage"))?;
    services
        .ticket_reply(&actor, &staff, ticket_id, EntryKind::Note, "PHP-FPM pool vol; limiet verhoogd naar 20 workers.", None, &[])
        .await
        .map_err(err("note"))?;
    services
        .ticket_reply(
            &actor,
            &staff,
            ticket_id,
            EntryKind::Reply,
            "Beste Anna,\n\nWe hebben de webserver meer capaciteit gegeven. Kunt u het afrekenen nog eens proberen?\n\nGroet,\nSupport",
            Some("waiting"),
            &[],
        )
        .await
        .map_err(err("reply"))?;
    let answer = mail(
        "eigenaar@bakkerijdevries.test",
        "Anna de Vries",
        &support,
        "demo-2@bakkerijdevries.test",
        Some("demo-1@bakkerijdevries.test"),
        "Re: Webwinkel geeft foutmelding 500",
        "Het werkt weer, dank jullie wel!\n\nOp maandag schreef Support:\n> Kunt u het afrekenen nog eens proberen?",
    );
    services.ingest_mail(&[answer]).await.map_err(err("mail reply"))?;

    // 2. A phone call, hung under the card's project; 45 minutes billed.
    let project = services
        .billing()
        .create_project(&Actor::system(), rossi, "Nuovo sito web Rossi", "2400.00", 0, None, &services.today().to_string())
        .await
        .map_err(err("project"))?;
    let phone = NewTicketInput {
        customer_id: Some(rossi),
        project_id: Some(project),
        subject: "Ripristino della cartella immagini".into(),
        body: "Il cliente ha cancellato per errore la cartella /immagini e chiede il ripristino dal backup di ieri.".into(),
        category: Some("backup_restore".into()),
        priority: Some("normal".into()),
        channel: Some("phone".into()),
        requester_email: Some("mario@rossiweb.test".into()),
        requester_name: Some("Mario Rossi".into()),
        attachments: Vec::new(),
    };
    let (phone_id, _) = services.open_ticket(&actor, &staff, &phone).await.map_err(err("phone ticket"))?;
    services
        .log_time(&actor, &staff, phone_id, 45, services.today(), Some("billable"), "Ripristino dal backup")
        .await
        .map_err(err("time"))?;

    // 3. A question in the panel (when Jan Jansen's plan includes the helpdesk here).
    let jan_entitled = services.helpdesk_entitled(jansen).await.map_err(err("entitlement"))?;
    if let Some(jan) = app.store.user_by_email("jan@jansen.test").await?.filter(|_| jan_entitled) {
        let question = NewTicketInput {
            customer_id: Some(jansen),
            subject: "Hoe stel ik mijn mail in op mijn telefoon?".into(),
            body: "Ik heb een nieuwe telefoon. Welke instellingen heb ik nodig voor mijn mail?".into(),
            category: Some("technical".into()),
            ..Default::default()
        };
        services
            .open_ticket(&Actor::new(loket_store::audit::ActorKind::User, jan.id.to_string()), &jan, &question)
            .await
            .map_err(err("panel ticket"))?;
    }

    // 4. Standby for the coming weekend (Friday 18:00 to Monday 08:30), priced by the table.
    if services.hourly_rate().await.map_err(err("rate"))?.is_some() {
        let today = services.today();
        let friday = (1..=7)
            .map(|d| loket_domain::billing::plus_days(today, d))
            .find(|d| d.weekday() == jiff::civil::Weekday::Friday)
            .unwrap_or(today);
        let monday = loket_domain::billing::plus_days(friday, 3);
        let standby = StandbyInput {
            customer_id: Some(bakkerij),
            starts: format!("{friday}T18:00"),
            ends: format!("{monday}T08:30"),
            callouts: Vec::new(),
            note: "Actieweekend webwinkel".into(),
        };
        services.agree_standby(&actor, &staff, &standby).await.map_err(err("standby"))?;
    }
    Ok(())
}
