//! Where the index's files are read from: tantivy's memory-mapped directory,
//! except the document stores, which are read a block at a time with `pread`.
//!
//! Every page of a mapped file that a search touches counts in the server's
//! resident memory for as long as the segment is open, and the kernel maps a
//! whole page-cache folio on a fault (ext4 caches files in folios of up to
//! megabytes since Linux 6.16). At 100k incidents, the benchmark's six searches
//! left 84 MiB of the document stores mapped, to read the 20 hits of each page.
//! Read with `pread`, a store block is copied into the store reader's small
//! cache; the file's pages stay in the kernel's page cache, where they cost the
//! process nothing. The postings, positions and dictionaries stay mapped: a
//! search reads them in place, and copying them would cost every search.

use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::HasLen;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// The extension of a segment's document store.
const STORE_EXTENSION: &str = "store";

/// An index folder: [`MmapDirectory`], with document stores read by `pread`.
#[derive(Clone, Debug)]
pub(crate) struct IndexDirectory {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl IndexDirectory {
    /// Open the existing folder `root`.
    pub(crate) fn open(root: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            root: root.to_path_buf(),
            mapped: MmapDirectory::open(root)?,
        })
    }

    fn is_store(path: &Path) -> bool {
        cfg!(unix) && path.extension().is_some_and(|e| e == STORE_EXTENSION)
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !Self::is_store(path) {
            return self.mapped.get_file_handle(path);
        }
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len();
        let len = usize::try_from(len).map_err(|_| {
            let e = io::Error::new(io::ErrorKind::InvalidData, "file too large to address");
            OpenReadError::wrap_io_error(e, path.to_path_buf())
        })?;
        Ok(Arc::new(ReadAtFile {
            file,
            len,
            path: full,
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }
}

/// A file read with positioned reads, each into its own buffer. Segment files
/// are written once and never change, so the length read at open holds.
struct ReadAtFile {
    file: File,
    len: usize,
    path: PathBuf,
}

impl fmt::Debug for ReadAtFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReadAtFile({}, {} bytes)", self.path.display(), self.len)
    }
}

impl HasLen for ReadAtFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadAtFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: bytes {}..{} asked of a {}-byte file",
                    self.path.display(),
                    range.start,
                    range.end,
                    self.len
                ),
            ));
        }
        let mut buf = vec![0; range.len()];
        read_exact_at(&self.file, &mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

// Never called: `is_store` keeps every file mapped elsewhere.
#[cfg(not(unix))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{STORED, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    use super::*;

    #[test]
    fn stores_are_read_with_pread_and_the_rest_mapped() {
        let tmp = tempfile::tempdir().unwrap();
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let dir = IndexDirectory::open(tmp.path()).unwrap();
        let index = Index::create(dir.clone(), schema.build(), Default::default()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..100 {
            writer
                .add_document(doc!(body => format!("document {i} about etcd")))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = searcher.segment_reader(0);
        let store = segment.segment_id().uuid_string() + ".store";
        let handle = dir.get_file_handle(Path::new(&store)).unwrap();
        assert!(
            format!("{handle:?}").starts_with("ReadAtFile("),
            "{handle:?}"
        );
        let idx = segment.segment_id().uuid_string() + ".idx";
        let mapped = dir.get_file_handle(Path::new(&idx)).unwrap();
        assert!(!format!("{mapped:?}").starts_with("ReadAtFile("));

        let doc: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 42)).unwrap();
        let text = doc.get_first(body).and_then(|v| {
            use tantivy::schema::Value;
            v.as_str().map(str::to_string)
        });
        assert_eq!(text.as_deref(), Some("document 42 about etcd"));
    }

    #[test]
    fn reads_outside_the_file_are_errors_not_panics() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a.store"), b"0123456789").unwrap();
        let dir = IndexDirectory::open(tmp.path()).unwrap();
        let handle = dir.get_file_handle(Path::new("a.store")).unwrap();
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(handle.read_bytes(10..10).unwrap().as_slice(), b"");
        assert!(handle.read_bytes(8..12).is_err());
        assert!(matches!(
            dir.get_file_handle(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
