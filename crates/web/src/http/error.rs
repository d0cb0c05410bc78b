use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong in a request, whatever answers it: API routes return it as [`ApiError`]
/// (JSON), pages as [`PageError`] (a translated page).
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
    /// The request's body is larger than the route reads.
    #[error("{0}")]
    TooLarge(String),
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
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
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
            WebError::TooLarge(m) => ErrorBody { error: "too_large", message: m.clone(), field: None, errors: vec![] },
            WebError::Conflict(m) => ErrorBody { error: "conflict", message: m.clone(), field: None, errors: vec![] },
            WebError::Unavailable(m) => ErrorBody { error: "unavailable", message: m.clone(), field: None, errors: vec![] },
            // Internals are logged, not shown.
            WebError::Template(_) | WebError::Store(_) => {
                ErrorBody { error: "internal", message: "internal error".into(), field: None, errors: vec![] }
            }
        }
    }
}

impl From<loket_app::AppError> for WebError {
    fn from(e: loket_app::AppError) -> Self {
        use loket_app::AppError;
        match e {
            AppError::Invalid(errors) => WebError::Invalid(errors),
            AppError::Refused(m) => WebError::BadRequest { field: None, message: m },
            AppError::NotFound(_) => WebError::NotFound,
            AppError::Forbidden(m) => WebError::Forbidden(m),
            AppError::Conflict(m) => WebError::Conflict(m),
            AppError::Mail(m) => WebError::Template(m),
            AppError::Unavailable(m) => WebError::Unavailable(m),
            AppError::Store(loket_store::StoreError::Invalid(m)) => WebError::BadRequest { field: None, message: m },
            AppError::Store(s) => WebError::Store(s),
        }
    }
}

impl From<loket_domain::FieldError> for WebError {
    fn from(e: loket_domain::FieldError) -> Self {
        WebError::Invalid(vec![e])
    }
}

/// An API route's error: JSON ([`ErrorBody`]) with the status of its kind.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status().is_server_error() {
            tracing::error!(error = %e, "request failed");
        }
        (e.status(), axum::Json(e.body())).into_response()
    }
}

/// A page's error: the status of its kind, rendered as the translated error page (in the
/// reader's language, with the request id as reference) by [`crate::http::middleware::observe`],
/// which knows both.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

/// Marks a response as a page error still to render.
#[derive(Debug, Clone, Copy)]
pub struct PageFailure;

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = e.status();
        if status.is_server_error() {
            tracing::error!(error = %e, "page failed");
        }
        let mut res = status.into_response();
        res.extensions_mut().insert(PageFailure);
        res
    }
}
