//! A document's rendered files (PDF, UBL, FatturaPA): stored once with their SHA-256, never
//! replaced — a second writer of the same file keeps the first.

use sqlx::Row;

use crate::time::now_micros;
use crate::{Conn, StoreError};

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub file_name: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// The stored file of `invoice_id` in `format`, if it was rendered before.
pub async fn get(conn: &mut Conn, invoice_id: i64, format: &str) -> Result<Option<StoredFile>, StoreError> {
    let row = sqlx::query("SELECT file_name, sha256, content FROM document_files WHERE invoice_id = $1 AND format = $2")
        .bind(invoice_id)
        .bind(format)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok(StoredFile { file_name: r.try_get("file_name")?, sha256: r.try_get("sha256")?, content: r.try_get("content")? }))
        .transpose()
}

/// Stores `file` unless one is already stored for the document and format.
pub async fn put(conn: &mut Conn, invoice_id: i64, format: &str, file: &StoredFile) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO document_files (invoice_id, format, file_name, sha256, size, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (invoice_id, format) DO NOTHING",
    )
    .bind(invoice_id)
    .bind(format)
    .bind(&file.file_name)
    .bind(&file.sha256)
    .bind(file.content.len() as i64)
    .bind(&file.content)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
