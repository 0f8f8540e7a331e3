//! The generated corpus on disk and in memory.

use std::path::{Path, PathBuf};

/// Every file under `dir`, sorted (the same order on every run).
pub fn list(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// All files read into memory: (path, text).
pub fn load(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    list(dir)?
        .into_iter()
        .map(|p| Ok((p.display().to_string(), std::fs::read_to_string(&p)?)))
        .collect()
}

pub fn total_bytes(docs: &[(String, String)]) -> usize {
    docs.iter().map(|(_, t)| t.len()).sum()
}
