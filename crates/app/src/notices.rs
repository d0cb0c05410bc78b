//! A card's messages in the panel: marking them read, and which kinds it does not want by
//! e-mail (only those [`NoticeKind::mail_optional`] allows; the rest always arrive by e-mail).

use loket_domain::billing::notice::NoticeKind;
use loket_store::audit::Actor;

use crate::{AppError, Services, audit, customer_entity};

/// Marks one notification of the card read, or all of them; returns how many changed.
pub async fn mark_read(app: &Services, customer_id: i64, id: Option<i64>) -> Result<u64, AppError> {
    Ok(app.store.mark_notifications_read(customer_id, id).await?)
}

/// Sets the kinds the card gets by e-mail: every optional kind in `mailed` is mailed, every
/// other optional kind is not.
pub async fn set_mail_preferences(app: &Services, actor: &Actor, customer_id: i64, mailed: &[NoticeKind]) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let mut after = serde_json::Map::new();
    for kind in NoticeKind::ALL.into_iter().filter(|k| k.mail_optional()) {
        let mail = mailed.contains(&kind);
        loket_store::billing::payments::set_wants_mail(&mut tx, customer_id, kind.name(), mail).await?;
        after.insert(kind.name().into(), mail.into());
    }
    audit(&mut tx, actor, "notices.mail_preferences", customer_entity(customer_id), None, Some(after.into())).await?;
    loket_store::commit(tx).await?;
    Ok(())
}
