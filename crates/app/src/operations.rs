//! What the people who run Loket do to it: retry a dead job, send a test mail.

use loket_domain::Language;
use loket_store::audit::Actor;

use crate::{AppError, Services, audit};

/// Queues a dead job again (attempts from zero); `Err(NotFound)` for no such job and
/// `Err(Refused)` for a job that is not dead.
pub async fn retry_job(app: &Services, actor: &Actor, id: i64) -> Result<loket_store::jobs::Job, AppError> {
    let job = app.store.job(id).await?.ok_or(AppError::NotFound("job"))?;
    if !app.store.retry_dead_job(id).await? {
        return Err(AppError::Refused(format!("job {id} is {}, not dead: only dead jobs can be retried", job.state.as_str())));
    }
    let mut tx = app.store.begin().await?;
    let before = serde_json::json!({ "state": "dead", "attempts": job.attempts, "last_error": job.last_error });
    let after = serde_json::json!({ "state": "queued", "attempts": 0 });
    audit(&mut tx, actor, "job.retry", ("job", Some(id.to_string())), Some(before), Some(after)).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(job)
}

/// Puts a test mail to `to` in the outbox; its outbox id.
pub async fn queue_test_mail(app: &Services, actor: &Actor, to: &str, lang: Language) -> Result<i64, AppError> {
    let when = loket_i18n::format_datetime(lang, &app.now().to_zoned(app.provider.tz()));
    let mail =
        app.composer.compose("test", lang, &[to], serde_json::json!({ "when": when })).map_err(|e| crate::invalid("to", e.to_string()))?;
    let mut tx = app.store.begin().await?;
    let id = loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
    let after = serde_json::json!({ "to": to, "language": lang.code() });
    audit(&mut tx, actor, "mail.test", ("outbox", Some(id.to_string())), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(id)
}
