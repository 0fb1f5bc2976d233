//! End-to-end: the README's first command, `./scripts/serve`, as a newcomer runs it. It is
//! started on a free loopback port in a copy of the tree (a change is made there, never in the
//! working tree), the page loads in headless Chromium with a clean console (no CSP error from
//! Trunk's live-reload client), and a change to a style token makes the page reload itself and
//! show the change.
//!
//! Needs the `e2e` feature, chromedriver, and the tools `scripts/tools.sh` installs (the README's
//! test command provides them). The build shares this crate's target directory, so only the
//! debug wasm of the app itself is compiled.
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

#[allow(dead_code)]
mod support;

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::Browser;

/// How long the first build may take (tools present, dependencies compiled or not).
const FIRST_BUILD: Duration = Duration::from_secs(900);
/// How long a rebuild after a style change may take.
const REBUILD: Duration = Duration::from_secs(300);

/// `scripts/serve` in its own process group, taken down with everything it started.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The server's output so far, for failure messages.
    fn log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = text.len().saturating_sub(4000);
        text.get(start..).unwrap_or_default().to_owned()
    }
}

/// Copies the crate's sources (everything but `target/`, `dist/` and `.git/`) to `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the tree") {
        let entry = entry.expect("directory entry");
        let name = entry.file_name();
        if from == crate_root() && ["target", "dist", ".git"].iter().any(|skip| name == *skip) {
            continue;
        }
        let kind = entry.file_type().expect("file type");
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A GET of `/` on loopback `port`; the body when it answers 200.
fn get_page(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response
        .starts_with("HTTP/1.1 200")
        .then(|| {
            response
                .split_once("\r\n\r\n")
                .map(|(_, body)| body.to_owned())
        })
        .flatten()
}

/// The accent colour token as the page computes it, and the marker a reload clears.
async fn token(browser: &Browser) -> String {
    browser
        .eval(
            "return getComputedStyle(document.documentElement)\
             .getPropertyValue('--color-accent').trim() + '|' + (window.svcscopeMarker || '')",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reloads_the_page_without_a_console_error() {
    // Outside the target directory, which Trunk's watcher ignores (the build shares it).
    let work = std::env::temp_dir().join(format!("svcscope-serve-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let tree = work.join("tree");
    copy_tree(&crate_root(), &tree);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let log = work.join("serve.log");
    let output = std::fs::File::create(&log).expect("serve log");
    let started = Instant::now();
    let child = Command::new(tree.join("scripts").join("serve"))
        .current_dir(&tree)
        .process_group(0)
        .env("SVCSCOPE_PORT", port.to_string())
        .env("CARGO_TARGET_DIR", crate_root().join("target"))
        .stdin(Stdio::null())
        .stdout(output.try_clone().expect("log handle"))
        .stderr(output)
        .spawn()
        .expect("start scripts/serve");
    let server = Server { child, log };

    // The first build: the page answers once Trunk has built it.
    let page = loop {
        if let Some(page) = get_page(port) {
            break page;
        }
        assert!(
            started.elapsed() < FIRST_BUILD,
            "scripts/serve did not answer within {FIRST_BUILD:?}:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    support::report_timing(&format!(
        "scripts/serve, first build until the page answers (tools installed): {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    // The live-reload client is a file of the page's own, and the page's CSP is today's.
    assert!(page.contains("trunk-autoreload.js"), "{page}");
    assert!(
        page.contains("script-src 'self' 'wasm-unsafe-eval'") && !page.contains("unsafe-inline"),
        "{page}"
    );

    let browser = Browser::start().await;
    browser.goto(&format!("http://127.0.0.1:{port}/")).await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &[
                "Service default nginx created",
                "Deployment default nginx-deployment created",
                // The page opens on the first scenario, with its client pod.
                "Pod default client created",
            ],
        )
        .await;
    // The reload client connects (the server logs nothing we could wait on, so give it a moment),
    // and nothing in the console complains.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let console = browser.console().await;
    assert!(
        !console
            .iter()
            .any(|(level, message)| level == "SEVERE" || message.contains("Content Security")),
        "console: {console:#?}"
    );

    // A style token changes in the copy: the page reloads by itself and shows it.
    browser
        .run_script("window.svcscopeMarker = 'before';")
        .await;
    assert_eq!(token(&browser).await, "#2c62d4|before");
    let tokens = tree.join("styles").join("tokens.css");
    let css = std::fs::read_to_string(&tokens).expect("tokens.css");
    assert!(
        css.contains("--color-accent: #2c62d4;"),
        "the token to change"
    );
    let changed_at = Instant::now();
    std::fs::write(
        &tokens,
        css.replacen("--color-accent: #2c62d4;", "--color-accent: #0a7d5a;", 1),
    )
    .expect("change tokens.css");
    loop {
        // A reload clears the marker; the new stylesheet carries the new token.
        if token(&browser).await == "#0a7d5a|" {
            break;
        }
        assert!(
            changed_at.elapsed() < REBUILD,
            "the page did not reload with the new token within {REBUILD:?} (it reads {:?}):\n{}",
            token(&browser).await,
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    support::report_timing(&format!(
        "scripts/serve, a style token changed until the page shows it: {:.1} s",
        changed_at.elapsed().as_secs_f64()
    ));
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &[
                "Service default nginx created",
                "Deployment default nginx-deployment created",
                // The page opens on the first scenario, with its client pod.
                "Pod default client created",
            ],
        )
        .await;
    browser.screenshot("e2e-serve-reloaded.png").await;
    // The whole session: no console error before or after the reload.
    browser.finish().await;
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
}
