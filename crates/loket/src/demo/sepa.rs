//! The demo's direct debit: the bakery's owner gives a SEPA mandate in the panel (so its card
//! pays by direct debit from now on), staff record the paper mandate Jan Jansen signed a few
//! days ago, and the file collecting his open domain invoice is made for the first collection
//! date allowed — through the same services as the panel, the staff page and `loket sepa
//! export`, so `/staff/direct-debits` shows mandates and a file to download, and Jan Jansen the
//! pre-notification. No document is added or changed: the pages the rest of the demo shows
//! (and the tests pin) stay as they are.

use loket_app::billing::sepa::{GivenBy, MandateForm, SepaSettings};
use loket_domain::Language;
use loket_domain::billing::sepa;
use loket_store::audit::{Actor, ActorKind};
use loket_store::billing::documents::{DocKind, DocState, DocumentFilter};

use crate::app::App;

/// A creditor identifier for the demo provider (KvK 12345678), valid by its check digits.
pub const DEMO_CREDITOR_ID: &str = "NL69ZZZ123456780000";

/// The configured direct-debit settings, with the demo's creditor identifier where none is set.
pub fn settings(app: &App) -> SepaSettings {
    let mut s = app.config.sepa.clone();
    s.creditor_id.get_or_insert_with(|| DEMO_CREDITOR_ID.to_string());
    s
}

pub async fn load(app: &App, bakkerij: i64, jansen: i64) -> anyhow::Result<()> {
    let settings = settings(app);
    let billing = app.billing().with_sepa(settings.clone());
    let owner =
        app.store.user_by_email("eigenaar@bakkerijdevries.test").await?.ok_or_else(|| anyhow::anyhow!("the demo's bakery owner"))?;
    let form = MandateForm {
        debtor_name: "Bakkerij De Vries B.V.",
        iban: "NL44RABO0123456789",
        bic: Some("RABONL2U"),
        consent: true,
        ..MandateForm::default()
    };
    let actor = Actor::new(ActorKind::User, owner.id.to_string());
    billing
        .give_mandate(&actor, bakkerij, GivenBy::Customer { user_id: owner.id }, Language::Nl, &form)
        .await
        .map_err(|e| anyhow::anyhow!("demo mandate: {e}"))?;

    // Jan Jansen's paper mandate, signed three days ago.
    let today = billing.today();
    let signed = loket_domain::billing::plus_days(today, -3).to_string();
    let paper = MandateForm { debtor_name: "J. Jansen", iban: "NL36INGB0007654321", signed_on: Some(&signed), ..MandateForm::default() };
    let staff = Actor::new(ActorKind::System, "demo");
    billing
        .give_mandate(&staff, jansen, GivenBy::Staff, Language::Nl, &paper)
        .await
        .map_err(|e| anyhow::anyhow!("demo paper mandate: {e}"))?;

    // The file collecting his open invoice, on the first day allowed (or when it is due).
    let filter = DocumentFilter { customer_id: Some(jansen), state: Some(DocState::Open), limit: 100, ..DocumentFilter::default() };
    let due = app.store.documents(&filter).await?.into_iter().filter(|d| d.kind == DocKind::Invoice).map(|d| d.due_date).max();
    let mut date = settings.first_collection_date(today);
    if let Some(due) = due.filter(|d| *d > date) {
        date = if sepa::is_target_day(due) { due } else { sepa::next_target_day(due) };
    }
    // A provider without an account, in another currency than the euro, or with nothing open
    // collects nothing: the demo goes on without a file.
    if let Err(e) = billing.export_direct_debits(&staff, date, None).await {
        tracing::warn!(error = %e, "demo: no direct-debit file");
    }
    Ok(())
}
