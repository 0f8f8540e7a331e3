//! A file's signature: its size, modification and change times (and inode),
//! read with one `stat`. When the stored signature matches, ingest knows the
//! file is unchanged without reading or hashing it, as git's index does.
//!
//! A signature is only recorded once the file has settled: a file modified in
//! the last [`SETTLE`] may be modified again within the same timestamp tick
//! (coarse on some file systems) without its signature changing, so it is
//! read and hashed again next time instead ("racy git").

use std::fs::Metadata;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a file must have gone unmodified before its signature is trusted
/// (FAT's timestamps have 2 s granularity).
pub(crate) const SETTLE: Duration = Duration::from_secs(2);

/// The times and identity a signature is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    len: u64,
    /// Nanoseconds since the epoch.
    modified: i128,
    /// Inode change time (unix; `modified` elsewhere): moves on every write and
    /// when a tool such as `rsync -a` or `touch -d` sets the modification time back.
    changed: i128,
    inode: u64,
}

/// The signature of the file at `path` as it is now, `None` when it cannot be
/// read or has not settled.
pub(crate) fn of_path(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let stat = stat(&meta)?;
    signature(stat, nanos(SystemTime::now())?)
}

fn signature(stat: Stat, now: i128) -> Option<String> {
    let settled = |t: i128| now.saturating_sub(t) >= SETTLE.as_nanos() as i128;
    (settled(stat.modified) && settled(stat.changed)).then(|| {
        format!(
            "{}:{}:{}:{}",
            stat.len, stat.modified, stat.changed, stat.inode
        )
    })
}

fn nanos(t: SystemTime) -> Option<i128> {
    Some(t.duration_since(UNIX_EPOCH).ok()?.as_nanos() as i128)
}

#[cfg(unix)]
fn stat(meta: &Metadata) -> Option<Stat> {
    use std::os::unix::fs::MetadataExt;
    let at = |secs: i64, ns: i64| i128::from(secs) * 1_000_000_000 + i128::from(ns);
    Some(Stat {
        len: meta.len(),
        modified: at(meta.mtime(), meta.mtime_nsec()),
        changed: at(meta.ctime(), meta.ctime_nsec()),
        inode: meta.ino(),
    })
}

#[cfg(not(unix))]
fn stat(meta: &Metadata) -> Option<Stat> {
    let modified = nanos(meta.modified().ok()?)?;
    Some(Stat {
        len: meta.len(),
        modified,
        changed: modified,
        inode: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i128 = 1_000_000_000;

    fn stat(modified: i128, changed: i128) -> Stat {
        Stat {
            len: 120,
            modified,
            changed,
            inode: 7,
        }
    }

    #[test]
    fn settled_file_has_a_signature_of_all_its_parts() {
        let now = 1_000 * SEC;
        let sig = signature(stat(10 * SEC, 20 * SEC + 5), now);
        assert_eq!(sig.as_deref(), Some("120:10000000000:20000000005:7"));
    }

    #[test]
    fn recently_modified_or_changed_file_has_none() {
        let now = 1_000 * SEC;
        assert_eq!(signature(stat(now - SEC, 10 * SEC), now), None);
        assert_eq!(signature(stat(10 * SEC, now - SEC), now), None);
        // In the future (a clock set back, a file from another machine).
        assert_eq!(signature(stat(now + SEC, now + SEC), now), None);
        assert!(signature(stat(now - 2 * SEC, now - 2 * SEC), now).is_some());
    }

    #[test]
    fn any_change_of_size_time_or_inode_changes_it() {
        let now = 1_000 * SEC;
        let base = stat(10 * SEC, 10 * SEC);
        let sig = |s| signature(s, now);
        assert_ne!(sig(base), sig(Stat { len: 121, ..base }));
        assert_ne!(sig(base), sig(stat(10 * SEC + 1, 10 * SEC)));
        assert_ne!(sig(base), sig(stat(10 * SEC, 10 * SEC + 1)));
        assert_ne!(sig(base), sig(Stat { inode: 8, ..base }));
    }

    #[test]
    fn missing_file_has_none() {
        assert_eq!(of_path(Path::new("/nonexistent/coroner/file.md")), None);
    }

    #[test]
    fn a_file_just_written_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.md");
        std::fs::write(&path, "# New\n").unwrap();
        assert_eq!(of_path(&path), None);
    }
}
