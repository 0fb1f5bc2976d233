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
mod json;
#[cfg(not(target_arch = "wasm32"))]
mod proxy;
#[cfg(not(target_arch = "wasm32"))]
mod serve_dns;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
