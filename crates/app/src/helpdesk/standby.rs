//! The confirmation of a standby period agreed with a card (seed 003): a PDF with the price of
//! each part and the call-out terms, and the mail that carries it to the card. Rendered from the
//! period as it was priced and stored, so the same period always gives the same bytes, whatever
//! the regime or the rate became later.

use loket_domain::Language;
use loket_domain::helpdesk::standby::StandbyQuote;
use loket_mail::Attachment;
use loket_pdf::StandbyConfirmation;
use loket_pdf::standby::spoken_time;
use loket_store::customers::Customer;
use loket_store::{Conn, Tx};

use crate::{AppError, Services};

/// A period's reference on its confirmation: `S-000042`.
pub fn reference(id: i64) -> String {
    format!("S-{id:06}")
}

impl Services {
    /// The confirmation of standby period `id` as (file name, PDF). `customer`: the card the
    /// reader looks at; another card's period is not found.
    pub async fn standby_confirmation_pdf(&self, id: i64, customer: Option<i64>) -> Result<(String, Vec<u8>), AppError> {
        let mut conn = self.store.acquire().await?;
        let (c, card) = self.standby_confirmation(&mut conn, id).await?;
        if customer.is_some_and(|wanted| wanted != card.id) {
            return Err(AppError::NotFound("standby"));
        }
        Ok((file_name(&c), loket_pdf::render_standby(&c, &self.documents.letterhead)))
    }

    /// Period `id` as its confirmation, with its card.
    async fn standby_confirmation(&self, conn: &mut Conn, id: i64) -> Result<(StandbyConfirmation, Customer), AppError> {
        let period = loket_store::helpdesk::work::standby(conn, id).await?.ok_or(AppError::NotFound("standby"))?;
        let card = loket_store::customers::customer(conn, period.customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let quote: StandbyQuote = serde_json::from_value(period.quote)
            .map_err(|e| AppError::Unavailable(format!("standby {id}: its stored price cannot be read: {e}")))?;
        let tz = self.provider.tz();
        let confirmation = StandbyConfirmation {
            reference: reference(id),
            date: period.created_at.to_zoned(tz).date(),
            language: card.card.language,
            customer: crate::billing::snapshot::customer(&card),
            provider: crate::billing::snapshot::provider(&self.provider),
            quote,
            callout: self.helpdesk()?.standby.callout,
            phone: self.provider.phone.clone().filter(|p| !p.trim().is_empty()),
            time_zone: self.provider.time_zone.clone(),
            note: period.note,
        };
        Ok((confirmation, card))
    }

    /// Mails the card the confirmation of period `id`, its PDF attached, inside the agreeing
    /// transaction `tx`: the confirmation goes out exactly when the period exists.
    pub(crate) async fn mail_standby_confirmation(&self, tx: &mut Tx, id: i64) -> Result<(), AppError> {
        let (c, card) = self.standby_confirmation(tx, id).await?;
        let lang: Language = c.language;
        let (starts, ends) = c.span().ok_or(AppError::NotFound("standby"))?;
        let data = serde_json::json!({
            "reference": c.reference,
            "customer": card.card.legal_name,
            "starts": spoken_time(lang, starts),
            "ends": spoken_time(lang, ends),
            "zone": c.time_zone,
            "total": loket_i18n::format_money(lang, c.quote.total),
            "response_minutes": c.callout.response_minutes,
            "phone": c.phone.clone().unwrap_or_default(),
        });
        let pdf = Attachment::pdf(file_name(&c), loket_pdf::render_standby(&c, &self.documents.letterhead));
        self.mail_with(tx, "standby-confirmed", lang, &card.card.email, data, &[pdf]).await
    }
}

/// `standby-S-000042.pdf`.
fn file_name(c: &StandbyConfirmation) -> String {
    format!("standby-{}.pdf", c.reference)
}
