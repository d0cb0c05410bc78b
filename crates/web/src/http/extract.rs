//! Reading a request's JSON body and query string so that a bad one is a 400 naming what is
//! wrong (axum's own rejections answer in plain text).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json, Query};

use crate::WebError;

/// The body, or a 400 naming what is wrong with it.
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(t)| t).map_err(|e| WebError::BadRequest { field: None, message: loket_domain::input::sample_long(&e.body_text()) })
}

/// The query, or a 400 naming what is wrong with it.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(t)| t).map_err(|e| WebError::BadRequest { field: None, message: loket_domain::input::sample_long(&e.body_text()) })
}

/// A submitted form as its pairs, in order (a name may repeat, e.g. checkboxes).
pub(crate) type Fields = Vec<(String, String)>;

/// The first value of `name` in a submitted form, or "" when it was not sent.
pub(crate) fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}
