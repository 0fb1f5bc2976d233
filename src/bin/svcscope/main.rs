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
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
