//! The demo's bank statement: yesterday's camt.053 of the provider's account, imported through
//! the same service as `loket bank import` — a payment with a mistyped reference for the amount
//! of one of Rossi Web's overdue invoices (waiting for staff, that invoice suggested), a
//! transfer nobody can place, and the bank's own costs (money out, not booked). It books
//! nothing by itself: the demo's customers keep the states the rest of the demo shows (Jan
//! Jansen's invoice open, the bakery without credit, Rossi Web overdue), and staff book the
//! waiting payment on `/staff/bank` to see it happen.

use loket_bank::{Account, Balance, Direction, Entry, Format, Party, Statement};
use loket_store::audit::Actor;
use loket_store::billing::documents::DocState;

use crate::app::App;

pub async fn load(app: &App, rossi: i64) -> anyhow::Result<()> {
    let Some(iban) = app.config.provider.iban.clone() else { return Ok(()) };
    let billing = app.billing();
    let day = billing.today().yesterday().map_err(|e| anyhow::anyhow!("demo bank date: {e}"))?;
    let currency = app.config.provider.currency.code();
    let open = |customer: i64| async move {
        let mut conn = app.store.acquire().await?;
        let docs = loket_store::billing::documents::open_documents(&mut conn, customer).await?;
        anyhow::Ok(docs.into_iter().filter(|d| d.state == DocState::Open).collect::<Vec<_>>())
    };
    let entry = |n: usize, amount: i64, reference: Option<String>, text: &str, name: &str, from: &str| Entry {
        amount,
        direction: Direction::Credit,
        currency: currency.into(),
        booking_date: day,
        value_date: None,
        bank_reference: Some(format!("DEMO{}{n:04}", day.strftime("%Y%m%d"))),
        end_to_end_id: None,
        structured_reference: reference,
        remittance: text.into(),
        counterparty: Party { name: Some(name.into()), iban: Some(from.into()), bic: None },
        reversal: false,
        return_reason: None,
        bank_code: Some("PMNT-RCDT-ESCT".into()),
        entry_key: String::new(),
    };
    let mut entries = Vec::new();
    if let Some(d) = open(rossi).await?.into_iter().next() {
        entries.push(entry(2, d.open_amount(), None, "pagamento fattura hosting", "Rossi Web S.r.l.", "IT60X0542811101000000123456"));
    }
    entries.push(entry(3, 2500, None, "Bijdrage evenement", "Stichting Buurtfeest", "NL39RABO0300065264"));
    let mut costs = entry(4, 1250, None, "Kosten zakelijk betalingsverkeer", "Bank", "NL91ABNA0417164300");
    costs.direction = Direction::Debit;
    entries.push(costs);
    let total: i64 = entries.iter().map(Entry::signed_amount).sum();
    let balance = |amount| Some(Balance { date: day, amount, currency: currency.into() });
    let statement = Statement {
        format: Format::Camt053 { version: "camt.053.001.02".into() },
        id: format!("DEMO-{day}"),
        sequence: Some("1".into()),
        account: Account { iban: Some(iban), other_id: None, currency: Some(currency.into()), owner_name: None },
        created: None,
        from: Some(day),
        to: Some(day),
        opening: balance(1_250_000),
        closing: balance(1_250_000 + total),
        entries,
        skipped_unbooked: 0,
    };
    let xml = loket_bank::write_camt053(&statement);
    billing
        .import_statement(&Actor::system(), Some(&format!("afschrift-{day}.xml")), xml.as_bytes())
        .await
        .map_err(|e| anyhow::anyhow!("demo bank statement: {e}"))?;
    Ok(())
}
