//! The demo's quotes: Bakkerij De Vries has one waiting for its decision (an extra hosting
//! package and a migration), Jan Jansen one he rejected, made and decided through the service
//! layer like staff and customers would.

use loket_app::quotes::QuoteInput;
use loket_domain::quote::QuoteLineSpec;
use loket_store::audit::Actor;

use crate::app::App;

pub async fn load(app: &App, bakkerij: i64, jansen: i64) -> anyhow::Result<()> {
    let services = app.services();
    let staff = Actor::system();
    let until = loket_domain::billing::plus_days(services.today(), 21).to_string();
    let plan = |code: &str, label: &str| QuoteLineSpec { plan: Some(code.into()), label: Some(label.into()), ..Default::default() };
    let work = |what: &str, qty: &str, price: &str| QuoteLineSpec {
        description: Some(what.into()),
        quantity: Some(qty.into()),
        unit_price: Some(price.into()),
        ..Default::default()
    };
    let open = QuoteInput {
        customer_id: bakkerij,
        valid_until: until.clone(),
        note: Some("Zoals besproken: een tweede site voor de webwinkel, en wij verhuizen de bestaande bestellingen.".into()),
        lines: vec![plan("hosting-basis", "webwinkel.bakkerijdevries.nl"), work("Migratie webwinkel (uren)", "3", "85.00")],
    };
    loket_app::quotes::create(&services, &staff, &open).await.map_err(|e| anyhow::anyhow!("demo quote: {e}"))?;
    let rejected =
        QuoteInput { customer_id: jansen, valid_until: until, note: None, lines: vec![plan("hosting-start", "fotos.jansen.nl")] };
    let (id, _) = loket_app::quotes::create(&services, &staff, &rejected).await.map_err(|e| anyhow::anyhow!("demo quote: {e}"))?;
    loket_app::quotes::decide(&services, &Actor::system(), jansen, id, false, Some("Ik wacht nog even tot het voorjaar."))
        .await
        .map_err(|e| anyhow::anyhow!("demo quote decision: {e}"))?;
    Ok(())
}
