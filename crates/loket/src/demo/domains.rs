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

/// A one-page PDF saying what the signed request says (the demo's "scan").
const DEMO_FORM: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 88 >> stream
BT /F1 14 Tf 72 760 Td (Verzoek: e-mailadres wijzigen naar els@nieuwadres.test - getekend) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

/// A 1 × 1 grey PNG standing in for the identity document's scan.
const DEMO_ID: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
    0x82,
];

/// A lost-access request from the bakery's owner, who lost her old mailbox: it waits for staff
/// at `/staff/access` with its two scans.
pub async fn lost_access(app: &App) -> anyhow::Result<()> {
    let submission = loket_app::lost_access::Submission {
        name: "Els de Vries",
        email: "els@nieuwadres.test",
        customer_number: "C000001",
        message: "Mijn oude e-mailadres bestaat niet meer; graag toegang via mijn nieuwe adres.",
        form: DEMO_FORM,
        identity: DEMO_ID,
    };
    loket_app::lost_access::submit(&app.services(), &submission, None).await.map_err(|e| anyhow::anyhow!("demo lost access: {e}"))?;
    Ok(())
}
