//! The files an ingest reads, each with its canonical path (what identifies it
//! between runs), found with one `lstat` per file rather than a full
//! `realpath` (a syscall per path component) per file.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::IngestFailure;
use super::prepare::{canonical, failure};
use crate::input;

/// A file to ingest: as named or found, and canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct File {
    pub path: PathBuf,
    pub canonical: String,
}

/// What walking the paths found.
pub(crate) struct Walked {
    /// The files to ingest, each once, in order.
    pub files: Vec<File>,
    /// The folders walked whole.
    pub folders: Vec<PathBuf>,
    /// Paths that could not be walked: nothing under them is archived.
    pub failed: Vec<IngestFailure>,
}

/// The files to ingest and the folders walked whole. A folder that cannot be
/// walked is a failure, and nothing under it is archived.
pub(crate) fn walk(paths: &[PathBuf]) -> Walked {
    let (mut files, mut folders, mut unique) = (Vec::new(), Vec::new(), HashSet::new());
    let mut failed = Vec::new();
    let mut canon = Canonical::default();
    for path in paths {
        match input::find_files(std::slice::from_ref(path)) {
            Ok(found) => {
                if path.is_dir() {
                    folders.push(PathBuf::from(canonical(path)));
                }
                for input::FoundFile { path, symlink } in found {
                    let canonical = canon.of(&path, symlink);
                    if unique.insert(canonical.clone()) {
                        files.push(File { path, canonical });
                    }
                }
            }
            Err(err) => failed.push(failure(err)),
        }
    }
    Walked {
        files,
        folders,
        failed,
    }
}

/// Canonical paths with the folders' resolved once: a file that is not a
/// symbolic link is its canonical folder joined with its name.
#[derive(Default)]
struct Canonical {
    folders: HashMap<PathBuf, Option<PathBuf>>,
}

impl Canonical {
    /// `symlink`: whether `path` is a link, when already known (else `lstat`).
    fn of(&mut self, path: &Path, symlink: Option<bool>) -> String {
        self.fast(path, symlink)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|| canonical(path))
    }

    fn fast(&mut self, path: &Path, symlink: Option<bool>) -> Option<PathBuf> {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
        let name = match path.components().next_back()? {
            Component::Normal(name) => name,
            _ => return None,
        };
        let linked = match symlink {
            Some(linked) => linked,
            None => std::fs::symlink_metadata(path)
                .ok()?
                .file_type()
                .is_symlink(),
        };
        if linked {
            return None;
        }
        let folder = self
            .folders
            .entry(parent.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(parent).ok())
            .as_ref()?;
        Some(folder.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths_match_realpath() {
        let dir = tempfile::tempdir().expect("dir");
        let sub = dir.path().join("a");
        std::fs::create_dir_all(&sub).expect("dir");
        std::fs::write(sub.join("x.md"), "# x\n").expect("write");
        let mut canon = Canonical::default();
        let dotted = dir.path().join("a/../a/./x.md");
        for path in [sub.join("x.md"), dotted, dir.path().join("a/missing.md")] {
            assert_eq!(
                canon.of(&path, None),
                canonical(&path),
                "{}",
                path.display()
            );
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(sub.join("x.md"), &link).expect("symlink");
            let linked_dir = dir.path().join("b");
            std::os::unix::fs::symlink(&sub, &linked_dir).expect("symlink");
            for path in [link, linked_dir.join("x.md")] {
                assert_eq!(
                    canon.of(&path, None),
                    canonical(&path),
                    "{}",
                    path.display()
                );
            }
            assert!(
                canon
                    .of(&linked_dir.join("x.md"), None)
                    .ends_with("/a/x.md")
            );
            // What a folder listing says about each file gives the same answers.
            let files = walk(&[dir.path().to_path_buf()]).files;
            for file in &files {
                assert_eq!(
                    file.canonical,
                    canonical(&file.path),
                    "{}",
                    file.path.display()
                );
            }
            assert_eq!(
                files.len(),
                1,
                "a/x.md, b/x.md and link.md are one file: {files:?}"
            );
        }
    }

    #[test]
    fn files_are_found_once_each() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("x.md"), "# x\n").expect("write");
        let paths = [dir.path().join("x.md"), dir.path().to_path_buf()];
        let walked = walk(&paths);
        assert_eq!(walked.files.len(), 1);
        assert_eq!(walked.folders, [PathBuf::from(canonical(dir.path()))]);
        assert!(walked.failed.is_empty());
    }
}
