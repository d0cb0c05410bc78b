//! Files kept outside the database (uploaded identity documents and signed forms): one
//! directory, each file under a random 32-byte hex name that says nothing about its content,
//! written to a temporary name first and renamed, so a crash never leaves half a file under a
//! real name. Readable by the owner only (Unix).

use std::path::{Path, PathBuf};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

fn valid_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("file store: {e}"))
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, name: &str) -> Result<PathBuf, StoreError> {
        if valid_name(name) { Ok(self.root.join(name)) } else { Err(StoreError::Corrupt(format!("file name `{name}`"))) }
    }

    /// Stores `bytes` and returns the file's name.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, StoreError> {
        tokio::fs::create_dir_all(&self.root).await.map_err(io)?;
        let name = hex::encode(rand::random::<[u8; 32]>());
        let tmp = self.root.join(format!(".{name}.part"));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tokio::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).await.map_err(io)?;
        }
        tokio::fs::rename(&tmp, self.path(&name)?).await.map_err(io)?;
        Ok(name)
    }

    /// Stores each of `files` (one hop to a blocking thread for all of them, not four each) and
    /// returns their names in order.
    pub async fn put_many(&self, files: Vec<Vec<u8>>) -> Result<Vec<String>, StoreError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || -> Result<Vec<String>, StoreError> {
            std::fs::create_dir_all(&root).map_err(io)?;
            let mut names = Vec::with_capacity(files.len());
            for bytes in files {
                let name = hex::encode(rand::random::<[u8; 32]>());
                let tmp = root.join(format!(".{name}.part"));
                std::fs::write(&tmp, &bytes).map_err(io)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
                }
                std::fs::rename(&tmp, root.join(&name)).map_err(io)?;
                names.push(name);
            }
            Ok(names)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("writing files: {e}")))?
    }

    /// `len` bytes from `offset` of a file (one message of a batch's file of messages), or `None`
    /// when the file is gone or shorter.
    pub async fn get_range(&self, name: &str, offset: u64, len: usize) -> Result<Option<Vec<u8>>, StoreError> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut f = match tokio::fs::File::open(self.path(name)?).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        f.seek(std::io::SeekFrom::Start(offset)).await.map_err(io)?;
        let mut buf = vec![0; len];
        match f.read_exact(&mut buf).await {
            Ok(_) => Ok(Some(buf)),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    /// The file's bytes, or `None` when it is gone (deleted after its retention).
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match tokio::fs::read(self.path(name)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    /// Deletes the file; a file already gone is not an error.
    pub async fn delete(&self, name: &str) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path(name)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_get_delete() {
        let dir = std::env::temp_dir().join(format!("loket-files-{}", std::process::id()));
        let files = FileStore::new(&dir);
        let name = files.put(b"%PDF-1.7 x").await.unwrap();
        assert_eq!(files.get(&name).await.unwrap().as_deref(), Some(&b"%PDF-1.7 x"[..]));
        files.delete(&name).await.unwrap();
        files.delete(&name).await.unwrap();
        assert_eq!(files.get(&name).await.unwrap(), None);
        assert!(files.get("../etc/passwd").await.is_err(), "only its own names are read");
        let _ = std::fs::remove_dir_all(dir);
    }
}
