//! Reading post-mortem files from disk: size limit, UTF-8, binary detection, and
//! walking folders for the file types coroner understands.

use std::path::{Path, PathBuf};

/// Files larger than this are refused (a post-mortem is a few KB; 8 MiB is generous).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Extensions read when walking a folder.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "qmd", "txt"];

/// Why a file could not be read as a post-mortem.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is {size} bytes, over the {limit}-byte limit")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: looks like a binary file (NUL byte at offset {offset})")]
    Binary { path: String, offset: usize },
    #[error("{path}:{line}: not valid UTF-8 (byte offset {offset}); save the file as UTF-8")]
    NotUtf8 {
        path: String,
        line: usize,
        offset: usize,
    },
}

/// Read one file as UTF-8 text, refusing binaries and oversized files.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    let name = path.display().to_string();
    let io = |source| InputError::Io {
        path: name.clone(),
        source,
    };
    // One path lookup (the open); size and type come from the open file.
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("is a directory")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError::TooLarge {
            path: name,
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The limit also holds for a file that grows while it is read.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::TooLarge {
            path: name,
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    decode(&name, bytes)
}

/// Decode bytes as a post-mortem text (shared by files and uploads).
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::Binary {
            path: name.to_string(),
            offset,
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A UTF-8 byte-order mark is noise, not content.
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let line = 1 + err.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(InputError::NotUtf8 {
                path: name.to_string(),
                line,
                offset,
            })
        }
    }
}

/// Expand files and folders into the post-mortem files they hold, sorted, recursively.
/// Named files are kept whatever their extension; folders contribute known extensions
/// and extension-less files whose name looks like a report (e.g. `PM2022-009 - …`).
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    Ok(find_files(paths)?.into_iter().map(|f| f.path).collect())
}

/// A file [`find_files`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    /// Whether the path is a symbolic link, when the folder listing said so
    /// (`None` for a path named by the caller).
    pub symlink: Option<bool>,
}

/// [`collect_files`], with what the folder listings told about each file (so a
/// caller need not `lstat` it again).
pub fn find_files(paths: &[PathBuf]) -> Result<Vec<FoundFile>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(FoundFile {
                path: path.clone(),
                symlink: None,
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<FoundFile>) -> Result<(), InputError> {
    let io = |source| InputError::Io {
        path: dir.display().to_string(),
        source,
    };
    // The entry's type comes with the listing on most file systems: no stat
    // per entry unless it is a symbolic link (which may point to a folder).
    let mut entries: Vec<(std::ffi::OsString, PathBuf, Option<std::fs::FileType>)> =
        std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| {
                e.ok()
                    .map(|e| (e.file_name(), e.path(), e.file_type().ok()))
            })
            .collect();
    // Same parent: ordering by name is ordering by path. The listing's names,
    // not `Path::file_name`, which splits the path again at every comparison.
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, path, kind) in entries {
        if name.to_str().unwrap_or("").starts_with('.') {
            continue;
        }
        let symlink = kind.map(|k| k.is_symlink());
        let is_dir = match kind {
            Some(k) if !k.is_symlink() => k.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
            walk(&path, out)?;
        } else if is_post_mortem_file(&path) {
            out.push(FoundFile { path, symlink });
        }
    }
    Ok(())
}

/// Whether a file found while walking a folder should be read.
pub fn is_post_mortem_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => {
            !is_notes_file(name)
        }
        // A dot inside a title (`v0.6 upgrade`) is not an extension.
        Some(ext) => ext.contains(' ') && !is_notes_file(name),
        // `PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues` has no extension:
        // accept extension-less names that read like a title (contain a space).
        None => name.contains(' ') && !is_notes_file(name),
    }
}

/// Repository notes shipped beside post-mortems, not post-mortems themselves.
fn is_notes_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["readme.", "sources.", "license", "licence", "contributing."]
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_binary_and_reports_utf8_line() {
        assert!(matches!(
            decode("x", b"a\0b".to_vec()),
            Err(InputError::Binary { offset: 1, .. })
        ));
        let err = decode("f.md", b"ok\nline two \xff\n".to_vec()).unwrap_err();
        assert!(matches!(err, InputError::NotUtf8 { line: 2, .. }));
        assert!(err.to_string().starts_with("f.md:2:"));
    }

    #[test]
    fn strips_bom() {
        assert_eq!(decode("x", b"\xef\xbb\xbf# T".to_vec()).unwrap(), "# T");
    }

    #[test]
    fn recognises_post_mortem_names() {
        assert!(is_post_mortem_file(Path::new("a/2017-02-09-x.qmd")));
        assert!(is_post_mortem_file(Path::new(
            "PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues"
        )));
        assert!(!is_post_mortem_file(Path::new("README.md")));
        assert!(!is_post_mortem_file(Path::new("image.png")));
    }
}
