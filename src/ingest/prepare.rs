//! The part of ingesting a file that needs no database: read it, hash it, and
//! analyze it unless the stored copy is already current (known from the file's
//! signature without reading it, else from its hash). Runs on worker threads,
//! several files at once, while earlier files are written.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{IngestFailure, signature};
use crate::AnalyzeOptions;
use crate::input::{self, InputError};
use crate::model::Document;

/// What the database holds for a path, as far as skipping is concerned.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub slug: String,
    pub hash: String,
    pub analyzer: String,
    pub active: bool,
    /// The file's signature when it was last read (see `signature`).
    pub signature: Option<String>,
}

/// A file ready to store, or known to be current already.
pub(crate) enum Prepared {
    /// `signature`: a new signature to record for the stored file (it was read
    /// and its text is the stored one); `None` when there is nothing to record.
    Unchanged {
        slug: String,
        read: bool,
        signature: Option<String>,
    },
    Analyzed(Box<Analyzed>),
}

pub(crate) struct Analyzed {
    pub canonical: String,
    pub hash: String,
    pub raw: String,
    pub document: Document,
    pub signature: Option<String>,
}

/// Read `path` and decide; `stored` is looked up by its `canonical` path.
pub(crate) fn prepare(
    path: &Path,
    canonical: &str,
    lookup: impl Fn(&str) -> Option<Stored>,
    analyzer: &str,
    force: bool,
    opts: &AnalyzeOptions,
) -> Result<Prepared, IngestFailure> {
    let stored = lookup(canonical).filter(|s| !force && s.active && s.analyzer == analyzer);
    // Taken before the read: a write after it changes the signature next time.
    let signature = signature::of_path(path);
    if let Some(stored) = &stored {
        if signature.is_some() && stored.signature == signature {
            return Ok(Prepared::Unchanged {
                slug: stored.slug.clone(),
                read: false,
                signature: None,
            });
        }
    }
    let raw = input::read_text(path).map_err(failure)?;
    let hash = content_hash(&raw);
    if let Some(stored) = stored.filter(|s| s.hash == hash) {
        return Ok(Prepared::Unchanged {
            slug: stored.slug,
            read: true,
            signature,
        });
    }
    let document = crate::analyze(&path.display().to_string(), &raw, opts);
    Ok(Prepared::Analyzed(Box::new(Analyzed {
        canonical: canonical.to_string(),
        hash,
        raw,
        document,
        signature,
    })))
}

/// The path that identifies a file between runs: absolute, links resolved.
pub(crate) fn canonical(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| PathBuf::from(path));
    absolute.to_string_lossy().into_owned()
}

/// `sha256:` and the hex digest of the text.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

/// A file or folder that could not be read, as a summary line.
pub(crate) fn failure(err: InputError) -> IngestFailure {
    let (line, message) = match &err {
        InputError::Io { source, .. } => (None, format!("cannot read: {source}")),
        InputError::TooLarge { size, limit, .. } => (
            None,
            format!("file is {size} bytes, over the {limit}-byte limit"),
        ),
        InputError::Binary { offset, .. } => (
            None,
            format!("looks like a binary file (NUL byte at offset {offset})"),
        ),
        InputError::NotUtf8 { line, offset, .. } => (
            Some(*line),
            format!("not valid UTF-8 (byte offset {offset}); save the file as UTF-8"),
        ),
    };
    let path = match err {
        InputError::Io { path, .. }
        | InputError::TooLarge { path, .. }
        | InputError::Binary { path, .. }
        | InputError::NotUtf8 { path, .. } => path,
    };
    IngestFailure {
        path,
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_prefixed() {
        let h = content_hash("abc");
        assert_eq!(
            h,
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn unreadable_files_become_failures_with_lines() {
        let dir = tempfile::tempdir().expect("ok");
        let bad = dir.path().join("bad.md");
        std::fs::write(&bad, b"# ok\nline \xff\n").expect("ok");
        let opts = AnalyzeOptions::default();
        let Err(f) = prepare(&bad, "bad.md", |_| None, "a", false, &opts) else {
            panic!("expected a failure");
        };
        assert_eq!(f.line, Some(2));
        assert!(
            f.to_string()
                .ends_with("bad.md:2: not valid UTF-8 (byte offset 10); save the file as UTF-8"),
            "{f}"
        );
    }
}
