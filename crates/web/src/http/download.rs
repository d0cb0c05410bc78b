//! A stored file as a download: its type, an attachment name, its SHA-256 as the ETag, kept out
//! of shared caches.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_app::documents::Format;
use loket_store::billing::files::StoredFile;

pub fn document(file: StoredFile, format: Format) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file.file_name.replace(['"', '\\', '\r', '\n'], "_"));
    let mut response = (StatusCode::OK, file.content).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", file.sha256)) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
