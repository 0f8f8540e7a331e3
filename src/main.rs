//! The `coroner` command line: thin; parses arguments and dispatches to `cli/`.

mod cli;

// mimalloc (without transparent huge pages) instead of glibc's malloc: a
// 100k ingest took 50 s instead of 61-70 s; the choices are in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
