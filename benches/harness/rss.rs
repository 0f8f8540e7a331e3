//! Peak resident memory from /proc: `VmHWM` of this process (reset between
//! stages through `clear_refs`) or of a server process.

/// A `Name:   123 kB` field of a /proc status file, in KiB.
pub fn field_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Peak RSS of process `pid` ("self" for this one), in MiB.
pub fn peak_mib(pid: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    field_kib(&status, "VmHWM:").map(|k| k as f64 / 1024.0)
}

/// Start a new peak for this process (Linux: writing 5 to clear_refs resets VmHWM).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn mib(v: Option<f64>) -> String {
    v.map_or("?".into(), |m| format!("{m:.0} MiB"))
}
