//! The demo's domain names at their registry: every demo domain gets its registrant, admin
//! and tech contact as staff record them at registration, and the bakery's owner asks for a
//! change of the technical contact (waiting for staff at `/staff/domains`). All through the
//! same services as the pages.

use loket_domain::registry::ContactInput;
use loket_store::audit::Actor;

use crate::app::App;

/// A contact from [name, email, phone, street, postal code, city, country] and an organisation.
fn contact(f: [&str; 7], organisation: Option<&str>) -> ContactInput {
    let [name, email, phone, street, postal_code, city, country] = f.map(|v| Some(v.to_string()));
    ContactInput { name, organisation: organisation.map(Into::into), email, phone, street, postal_code, city, country }
}

pub async fn load(app: &App, cards: &[loket_store::customers::Customer]) -> anyhow::Result<()> {
    let services = app.services();
    let staff = Actor::system();
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    let p = &app.config.provider;
    let a = &p.address;
    let phone = p.phone.as_deref().unwrap_or("+31 30 123 4567");
    let tech = contact(["Hostmaster", &p.email, phone, &a.street, &a.postal_code, &a.city, a.country.code()], Some(&p.legal_name));
    for card in cards {
        for s in app.store.customer_subscriptions(card.id).await? {
            let Some(plan) = catalog.plans.get(&s.plan_id) else { continue };
            if !plan.code.starts_with("domain") {
                continue;
            }
            let c = &card.card;
            let ca = &c.address;
            let phone = c.phone.as_deref().unwrap_or("+31 6 1234 5678");
            let holder = contact([&c.legal_name, &c.email, phone, &ca.street, &ca.postal_code, &ca.city, ca.country.code()], None);
            for (role, input) in [("registrant", &holder), ("admin", &holder), ("tech", &tech)] {
                loket_app::domains::put_contact(&services, &staff, card.id, s.id, role, input)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo domain contact: {e}"))?;
            }
            // The bakery's own web builder takes over the technical contact.
            if c.legal_name == "Bakkerij De Vries B.V."
                && let Some(owner) = app.store.user_by_email("eigenaar@bakkerijdevries.test").await?
            {
                let builder = contact(
                    ["Sanne Bouwman", "sanne@bouwmanweb.test", "+31 6 2345 6789", "Kerkstraat 12", "3511 AB", "Utrecht", "NL"],
                    Some("Bouwman Webdesign"),
                );
                loket_app::domains::request_change(&services, &Actor::system(), &owner, card.id, s.id, "tech", &builder)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo domain request: {e}"))?;
            }
        }
    }
    Ok(())
}
