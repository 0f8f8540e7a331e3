//! A deterministic generator of realistic post-mortems at any scale: the shapes
//! of the shipped corpus (timelines, zones, action-item styles, occasional
//! errors) recombined with varied technical text. Document `i` of seed `s` is
//! always the same bytes, whatever the count.

mod actions;
mod document;
mod prose;
mod rng;
mod timeline;
mod vocab;

use std::path::Path;

pub use document::generate;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub files: u64,
    pub bytes: u64,
}

/// Write documents `0..count` of `seed` under `out` (created; existing files
/// with the same names are overwritten, others left alone).
pub fn write_corpus(out: &Path, count: u64, seed: u64) -> std::io::Result<Written> {
    let mut written = Written::default();
    for i in 0..count {
        let doc = generate(seed, i);
        let path = out.join(&doc.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &doc.text)?;
        written.files += 1;
        written.bytes += doc.text.len() as u64;
    }
    Ok(written)
}
