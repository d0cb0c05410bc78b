use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Errors a handler returns. API paths answer JSON, pages answer a translated page (the page
/// handlers render those themselves through [`crate::pages`]).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{message}")]
    BadRequest { field: Option<String>, message: String },
    /// Several fields are wrong: each is named.
    #[error("invalid input")]
    Invalid(Vec<loket_domain::FieldError>),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Valid, but not in the current state of things.
    #[error("{0}")]
    Conflict(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("template: {0}")]
    Template(String),
    #[error(transparent)]
    Store(#[from] loket_store::StoreError),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Machine-readable error kind: `bad_request`, `not_found`, `unavailable`, `internal`.
    pub error: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldErrorBody>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub message: String,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest { .. } | WebError::Invalid(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Template(_) | WebError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        match self {
            WebError::BadRequest { field, message } => {
                ErrorBody { error: "bad_request", message: message.clone(), field: field.clone(), errors: vec![] }
            }
            WebError::Invalid(errors) => ErrorBody {
                error: "invalid",
                message: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
                field: errors.first().map(|e| e.field.clone()),
                errors: errors.iter().map(|e| FieldErrorBody { field: e.field.clone(), message: e.message.clone() }).collect(),
            },
            WebError::NotFound => ErrorBody { error: "not_found", message: "not found".into(), field: None, errors: vec![] },
            WebError::Unauthorized(m) => ErrorBody { error: "unauthorized", message: m.clone(), field: None, errors: vec![] },
            WebError::Forbidden(m) => ErrorBody { error: "forbidden", message: m.clone(), field: None, errors: vec![] },
            WebError::TooManyRequests(m) => ErrorBody { error: "too_many_requests", message: m.clone(), field: None, errors: vec![] },
            WebError::Conflict(m) => ErrorBody { error: "conflict", message: m.clone(), field: None, errors: vec![] },
            WebError::Unavailable(m) => ErrorBody { error: "unavailable", message: m.clone(), field: None, errors: vec![] },
            // Internals are logged, not shown.
            WebError::Template(_) | WebError::Store(_) => {
                ErrorBody { error: "internal", message: "internal error".into(), field: None, errors: vec![] }
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (self.status(), axum::Json(self.body())).into_response()
    }
}
