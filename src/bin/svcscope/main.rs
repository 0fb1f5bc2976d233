//! `svcscope`: the command-line face of the model in `svcscope::sim`.
//!
//! Exit codes: 0 success, 1 invalid input, 2 usage error (clap's own code for bad arguments).
//! The tool is native only; on wasm32 (where `cargo build --tests` also builds it for
//! wasm-pack) it compiles to a stub.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod dns;
#[cfg(not(target_arch = "wasm32"))]
mod failure;
#[cfg(not(target_arch = "wasm32"))]
mod json;
#[cfg(not(target_arch = "wasm32"))]
mod proxy;
#[cfg(not(target_arch = "wasm32"))]
mod serve_dns;

/// The model allocates many small strings and maps; mimalloc builds a 10,000-Service
/// cluster markedly faster than the system allocator (medians in the README).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
extern "C" {
    /// mimalloc's `mi_collect` (mimalloc.h): frees what the calling thread's heap holds
    /// unused and, with `force`, gives the freed pages back to the system at once.
    fn mi_collect(force: bool);
}

/// Transparent huge pages off for what the process touches from now on (Linux; elsewhere
/// nothing). mimalloc commits its arenas eagerly, and where the kernel gives huge pages on
/// request (`madvise`, this machine's setting) as 2 MiB pages: a server that keeps a few
/// bytes here and there would hold whole ones (`serve-dns` on 10,000 Services under load:
/// 22 MB resident with them, 17 MB without, measured).
#[cfg(not(target_arch = "wasm32"))]
pub fn small_pages_from_now() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Gives the memory freed so far back to the system. mimalloc keeps freed pages for reuse
/// until its purge delay passes and the thread allocates again; a server that built a large
/// cluster, kept its answers and dropped the rest would hold the whole build for ever
/// (`serve-dns` on 10,000 Services: 184 MB resident before its first question; 15 MB with
/// this, the copy below and small pages, measured).
#[cfg(not(target_arch = "wasm32"))]
pub fn give_back_freed_memory() {
    // SAFETY: `mi_collect` takes a plain bool and may be called from any thread at any time;
    // the symbol is mimalloc's own, linked in by the `mimalloc` crate (the global allocator).
    unsafe { mi_collect(true) }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
