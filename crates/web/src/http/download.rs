//! A stored file as a download: its type, an attachment name, its SHA-256 as the ETag, kept out
//! of shared caches.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_app::documents::Format;
use loket_app::exports::ExportFile;
use loket_store::billing::files::StoredFile;

fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{}\"", name.replace(['"', '\\', '\r', '\n'], "_"))
}

pub fn document(file: StoredFile, format: Format) -> Response {
    let disposition = attachment(&file.file_name);
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

/// An export (a journal, a ZIP of documents) streamed from its temporary file in chunks, never
/// read whole into memory; the file is gone once the answer is sent.
pub fn export(export: ExportFile) -> Response {
    let chunks = futures_util::stream::try_unfold(export.file, |mut f| async move {
        tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 256 * 1024];
            let n = f.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((n > 0).then_some((buf, f)))
        })
        .await
        .map_err(std::io::Error::other)?
    });
    let mut response = (StatusCode::OK, Body::from_stream(chunks)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(export.content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(export.len));
    if let Ok(v) = HeaderValue::from_str(&attachment(&export.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
