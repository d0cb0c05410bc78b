//! The demo's billing: the plans of `billing.toml`, and for every demo card subscriptions of
//! the seed providers' kinds of terms, billed day by day over the last months through the
//! real engine — invoices paid, open and overdue with a reminder, a credit note, a cancelled
//! subscription, a renewal offer waiting for the private customer, and the notifications of
//! all of it. Nothing here writes the database itself: it calls the service layer as staff
//! would, so the demo shows what the program does.

use jiff::ToSpan;
use jiff::civil::Date;
use loket_app::billing::file::BillingFile;
use loket_app::billing::money::PaymentInput;
use loket_app::billing::ops::SubscriptionInput;
use loket_store::audit::Actor;
use loket_store::billing::documents::{DocKind, DocState, DocumentFilter};

use crate::app::App;

const FILE: &str = include_str!("billing.toml");

/// Loads the demo's billing for the cards `ids` (Bakkerij De Vries, Jan Jansen, Rossi Web).
pub async fn load(app: &App, ids: &[i64]) -> anyhow::Result<()> {
    let billing = app.billing();
    let actor = Actor::system();
    let file = BillingFile::parse(FILE).map_err(|e| anyhow::anyhow!("demo billing file: {e}"))?;
    billing.apply(&actor, &file).await.map_err(|e| anyhow::anyhow!("demo billing file: {e}"))?;

    let today = billing.today();
    let start = today.first_of_month() - 5.months();
    let &[bakkerij, jansen, rossi] = ids else { anyhow::bail!("the demo needs its three cards") };
    let subscribe = |customer_id: i64, plan: &str, label: &str, start: Date| SubscriptionInput {
        customer_id,
        plan: plan.into(),
        label: label.into(),
        start_date: start.to_string(),
        ..SubscriptionInput::default()
    };
    let vps_start = start + 10.days();
    let hosting = billing
        .subscribe(&actor, &subscribe(bakkerij, "hosting-basis", "bakkerijdevries.nl", start))
        .await
        .map_err(|e| anyhow::anyhow!("demo hosting: {e}"))?;
    let mut vps = None;
    for (input, keep) in [
        (subscribe(bakkerij, "domain-nl", "bakkerijdevries.nl", start + 3.days()), false),
        (subscribe(bakkerij, "vps-s", "vps1.bakkerijdevries.nl", vps_start), true),
        // Started eleven months ago: the renewal offer of its opt-in year is waiting.
        (subscribe(jansen, "hosting-start", "jansen.nl", today - 1.year() + 20.days()), false),
        // A domain registered five days ago: its invoice is open, not yet due.
        (subscribe(jansen, "domain-nl", "jansen.nl", today - 5.days()), false),
        (subscribe(rossi, "hosting-basis", "rossiweb.it", start + 1.month()), false),
        (subscribe(rossi, "vps-s", "vps.rossiweb.it", start + 1.month() + 5.days()), false),
    ] {
        let id = billing.subscribe(&actor, &input).await.map_err(|e| anyhow::anyhow!("demo subscription {}: {e}", input.label))?;
        if keep {
            vps = Some(id);
        }
    }
    // An extra mailbox added in the middle of the hosting's quarter: its first days are on the
    // hosting's next invoice. (Made last, so the other services keep the numbers pages and
    // tests know them by.)
    let mailbox =
        SubscriptionInput { parent_id: Some(hosting), ..subscribe(bakkerij, "mailbox", "info@bakkerijdevries.nl", start + 40.days()) };
    billing.subscribe(&actor, &mailbox).await.map_err(|e| anyhow::anyhow!("demo mailbox: {e}"))?;

    // Day by day, as the scheduler would: the billing run, and customers paying (Bakkerij De
    // Vries and Jan Jansen a week after each invoice; Rossi Web only its first invoices, so the
    // last ones are overdue and reminded).
    let mut day = start;
    while day <= today {
        if day == today - 3.days() {
            // An hour and a half of work on the site: on the next invoice.
            let item = loket_app::billing::extras::ItemInput {
                customer_id: rossi,
                description: "Negozio online: orari festivi aggiornati",
                quantity: "1.5",
                unit_price: "85.00",
                vat_category: None,
                on: day,
                source: "manual",
            };
            billing.add_item(&actor, &item).await.map_err(|e| anyhow::anyhow!("demo work item: {e}"))?;
        }
        billing.run(day, false).await.map_err(|e| anyhow::anyhow!("demo billing run {day}: {e}"))?;
        if day == start + 2.months() + 3.days()
            && let Some(vps) = vps
        {
            // The VPS is cancelled by e-mail: it ends at the end of the next calendar month.
            billing.cancel(&actor, vps, &day.to_string(), "email", None).await.map_err(|e| anyhow::anyhow!("demo cancellation: {e}"))?;
        }
        pay_due(app, &billing, &actor, day, &[(bakkerij, 10), (jansen, 7), (rossi, 7)], today - 60.days()).await?;
        day = day.tomorrow()?;
    }

    // A credit note: the VPS of Rossi Web was down for half a day; staff credit its last
    // open VPS invoice in full, so nothing is owed on it any more.
    let vps_invoice = app
        .store
        .documents(&DocumentFilter { customer_id: Some(rossi), state: Some(DocState::Open), limit: 100, ..DocumentFilter::default() })
        .await?
        .into_iter()
        .filter(|d| d.kind == DocKind::Invoice && d.gross == 1250)
        .max_by_key(|d| (d.issue_date, d.id));
    if let Some(inv) = vps_invoice {
        billing
            .credit_note(&actor, inv.id, None, "Disservizio VPS di 12 ore", &today.to_string())
            .await
            .map_err(|e| anyhow::anyhow!("demo credit note: {e}"))?;
    }
    Ok(())
}

/// Pays, on `day`, the open invoices of each (customer, days) issued `days` ago — for Rossi
/// Web only those issued before `rossi_stops`.
async fn pay_due(
    app: &App,
    billing: &loket_app::billing::Billing,
    actor: &Actor,
    day: Date,
    payers: &[(i64, i64)],
    rossi_stops: Date,
) -> anyhow::Result<()> {
    for (i, &(customer, after_days)) in payers.iter().enumerate() {
        let filter = DocumentFilter { customer_id: Some(customer), state: Some(DocState::Open), limit: 100, ..DocumentFilter::default() };
        for doc in app.store.documents(&filter).await? {
            let due = doc.issue_date + after_days.days();
            let stopped = i == 2 && doc.issue_date >= rossi_stops;
            if doc.kind != DocKind::Invoice || due != day || stopped {
                continue;
            }
            let open = loket_domain::Money::new(doc.open_amount(), doc.currency).to_string();
            let amount = open.split(' ').next().unwrap_or_default().to_string();
            let payment = PaymentInput {
                customer_id: Some(customer),
                invoice_id: Some(doc.id),
                amount: &amount,
                method: "bank_transfer",
                received_on: &day.to_string(),
                reference: Some(&doc.payment_reference),
            };
            billing.record_payment(actor, &payment).await.map_err(|e| anyhow::anyhow!("demo payment {}: {e}", doc.number))?;
        }
    }
    Ok(())
}
