//! The reference material beside the repository (`../shared/reference`) and its tools.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn required() -> bool {
    std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_some()
}

/// `../shared/reference` (or `LOKET_REFERENCE_DIR`), or `None` (with a note) when it is not
/// there; CI (`LOKET_REQUIRE_VALIDATORS=1`) fails instead.
pub fn reference() -> Option<PathBuf> {
    let dir = std::env::var_os("LOKET_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(!required(), "the reference material is required but {dir:?} is missing");
    eprintln!("skipped: no reference material at {}", dir.display());
    None
}

/// The files of `dir` (recursively) whose name ends in `ext`, sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The reference venv's python (`PYTHON`, made by `../shared/reference/setup.sh`), or `None` with
/// a note; with `LOKET_REQUIRE_VALIDATORS=1` its absence fails the test.
pub fn python() -> Option<String> {
    let python = std::env::var("PYTHON").ok().filter(|p| Command::new(p).arg("--version").output().is_ok());
    if python.is_none() {
        assert!(!required(), "validators required but PYTHON is not set to the reference venv's python");
        eprintln!("skipped: set PYTHON to the reference venv's python (../shared/reference/setup.sh) to compare with the oracle");
    }
    python
}

/// xmllint and the reference python, for `validate_iso20022.sh`.
pub fn xml_validator() -> Option<PathBuf> {
    let dir = reference()?;
    let python = python()?;
    let xmllint = Command::new("xmllint").arg("--version").output().is_ok();
    if !xmllint {
        assert!(!required(), "validators required but xmllint is missing");
        eprintln!("skipped: install xmllint (libxml2-utils) to validate against the ISO 20022 schemas");
        return None;
    }
    let _ = python;
    Some(dir.join("sepa/validate_iso20022.sh"))
}

/// `validate_iso20022.sh`, which needs xmllint only (not the reference python), or `None` with a
/// note; with `LOKET_REQUIRE_VALIDATORS=1` a missing xmllint fails the test.
pub fn iso20022_validator() -> Option<PathBuf> {
    let dir = reference()?;
    if Command::new("xmllint").arg("--version").output().is_err() {
        assert!(!required(), "validators required but xmllint is missing");
        eprintln!("skipped: install xmllint (apt-get install -y libxml2-utils) to validate against the ISO 20022 schemas");
        return None;
    }
    Some(dir.join("sepa/validate_iso20022.sh"))
}

pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("loket-bank-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tempdir");
    dir
}
