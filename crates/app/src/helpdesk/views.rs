//! Staff's saved views of the ticket queue: a name for a set of filters, each member's own.

use loket_domain::input;
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::helpdesk::views;

use crate::{AppError, Services, audit, invalid};

/// The longest filter query a view keeps.
const MAX_QUERY: usize = 1000;

impl Services {
    /// Saves the queue's filters `query` (as the queue page reads them) under `name` for the
    /// staff member `by`; a view of the same name is replaced. Returns its id.
    pub async fn save_ticket_view(&self, actor: &Actor, by: &User, name: &str, query: &str) -> Result<i64, AppError> {
        self.helpdesk()?;
        if by.staff_role.is_none() {
            return Err(AppError::Forbidden("saved views are for the provider's staff".into()));
        }
        let name = input::text("name", name, 60)?;
        let query = query.trim().trim_start_matches('?');
        if query.len() > MAX_QUERY || query.chars().any(char::is_control) {
            return Err(invalid("query", format!("at most {MAX_QUERY} characters of filters")));
        }
        let mut tx = self.store.begin().await?;
        let id = views::save_view(&mut tx, by.id, &name, query, self.now()).await?;
        audit(
            &mut tx,
            actor,
            "ticket_view.save",
            ("ticket_view", Some(id.to_string())),
            None,
            Some(serde_json::json!({ "name": name, "query": query })),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    /// Deletes the staff member's own view `id`.
    pub async fn delete_ticket_view(&self, actor: &Actor, by: &User, id: i64) -> Result<(), AppError> {
        self.helpdesk()?;
        let mut tx = self.store.begin().await?;
        let view = views::delete_view(&mut tx, by.id, id).await?.ok_or(AppError::NotFound("view"))?;
        audit(
            &mut tx,
            actor,
            "ticket_view.delete",
            ("ticket_view", Some(id.to_string())),
            Some(serde_json::json!({ "name": view.name, "query": view.query })),
            None,
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(())
    }
}
