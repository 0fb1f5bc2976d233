//! Helpers for the end-to-end tests: a static file server for `dist/` and a headless Chromium
//! driven through chromedriver.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// How long to wait for the page to reach an expected state.
const WAIT: Duration = Duration::from_secs(20);

/// The crate root, where `target/` and `webdriver.json` are.
fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots go.
pub fn screenshot_dir() -> PathBuf {
    let dir = crate_root().join("target").join("e2e");
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

/// Appends a line to `target/e2e/timings.txt` (budgets are measured and reported, not
/// asserted: timing is the benchmarks' job, and CI machines vary).
pub fn report_timing(line: &str) {
    use std::io::Write as _;
    let path = screenshot_dir().join("timings.txt");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
    eprintln!("{line}");
}

/// A loopback HTTP server that serves the release `dist/` under one sub-path, recording every
/// request with its status so a test can fail on any 404 (a missing favicon included).
pub struct StaticSite {
    port: u16,
    requests: Arc<Mutex<Vec<(String, u16)>>>,
}

impl StaticSite {
    /// Serves `SVCSCOPE_DIST` (default `dist/`) under `sub_path` (which starts and ends with `/`).
    pub fn serve_dist(sub_path: &'static str) -> StaticSite {
        StaticSite::serve(vec![(sub_path, dist_dir())])
    }

    /// Serves each directory under its sub-path (each starts and ends with `/`; the longest
    /// matching one wins), as a documentation site would host its pages and the app.
    pub fn serve(mut mounts: Vec<(&'static str, PathBuf)>) -> StaticSite {
        mounts.sort_by_key(|(sub_path, _)| std::cmp::Reverse(sub_path.len()));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let mounts = Arc::new(mounts);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mounts = Arc::clone(&mounts);
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve_one(stream, &mounts, &log));
            }
        });
        StaticSite { port, requests }
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Fails when any request got anything but 200.
    pub fn assert_no_failed_requests(&self) {
        let requests = self.requests.lock().expect("request log").clone();
        let failed: Vec<_> = requests
            .iter()
            .filter(|(_, status)| *status != 200)
            .collect();
        assert!(
            failed.is_empty(),
            "failed requests: {failed:?} (all: {requests:?})"
        );
        assert!(!requests.is_empty(), "the page made no request at all");
    }
}

/// The release build the tests drive: `SVCSCOPE_DIST`, default `dist/`.
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("SVCSCOPE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_root().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build it first with `trunk build --release --offline`",
        dist.display()
    );
    dist
}

/// A directory of the repository (`docs`, say).
pub fn repo_dir(name: &str) -> PathBuf {
    crate_root().join(name)
}

fn serve_one(mut stream: TcpStream, mounts: &[(&str, PathBuf)], log: &Mutex<Vec<(String, u16)>>) {
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    // Keep-alive: answer requests on this connection until the browser closes it.
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_owned();
        let path_only = path.split(['?', '#']).next().unwrap_or("/");
        let file = mounts.iter().find_map(|(sub_path, dir)| {
            path_only.strip_prefix(sub_path).map(|rest| {
                if rest.is_empty() {
                    dir.join("index.html")
                } else {
                    dir.join(rest)
                }
            })
        });
        let found = file
            .filter(|file| !path_only.contains("..") && file.is_file())
            .and_then(|file| std::fs::read(&file).ok().map(|body| (file, body)));
        let (status, content_type, body) = match found {
            Some((file, body)) => (200, content_type(&file), body),
            None => (404, "text/plain", b"not found".to_vec()),
        };
        log.lock()
            .expect("request log")
            .push((path.clone(), status));
        let reason = if status == 200 { "OK" } else { "Not Found" };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&body).is_err() {
            return;
        }
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// Headless Chromium through its own chromedriver process.
pub struct Browser {
    client: Client,
    driver: Child,
    driver_port: u16,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a session with the capabilities of
    /// `webdriver.json` plus browser console logging.
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// [`Browser::start`], with Chromium's command line extended by `args`
    /// (`--blink-settings=preferredColorScheme=0`: the dark theme).
    pub async fn start_with(args: &[&str]) -> Browser {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let driver_port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("free port")
            .port();
        // Its own process group, with the Chromium it starts, so that a test that fails
        // half-way still takes both down (see `Drop`).
        let driver = Command::new(&chromedriver)
            .process_group(0)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("starting {chromedriver}: {error}"));
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", driver_port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let config = std::fs::read_to_string(crate_root().join("webdriver.json"))
            .expect("webdriver.json in the crate root");
        let mut capabilities: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&config).expect("webdriver.json is a JSON object");
        if let Some(list) = capabilities
            .get_mut("goog:chromeOptions")
            .and_then(|options| options.get_mut("args"))
            .and_then(|list| list.as_array_mut())
        {
            list.extend(args.iter().map(|arg| serde_json::Value::from(*arg)));
        }
        if let Ok(binary) = std::env::var("CHROME_BIN") {
            if let Some(options) = capabilities
                .get_mut("goog:chromeOptions")
                .and_then(|options| options.as_object_mut())
            {
                options.insert("binary".to_owned(), binary.into());
            }
        }
        capabilities.insert(
            "goog:loggingPrefs".to_owned(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("WebDriver session");
        client
            .set_window_size(1280, 860)
            .await
            .expect("window size");
        Browser {
            client,
            driver,
            driver_port,
        }
    }

    /// Makes the viewport `width` x `height` (the window is larger by the browser's own
    /// bars, measured first).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("window size");
        let inner = self
            .eval("return [window.innerWidth, window.innerHeight]")
            .await;
        let side = |index: usize, wanted: u32| {
            let got = inner[index].as_u64().unwrap_or(u64::from(wanted));
            u32::try_from(u64::from(wanted) * 2 - got.min(u64::from(wanted) * 2)).unwrap_or(wanted)
        };
        self.client
            .set_window_size(side(0, width), side(1, height))
            .await
            .expect("window size");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn refresh(&self) {
        self.client.refresh().await.expect("reload");
    }

    /// Waits until the elements matching `selector` have exactly these texts (table rows as
    /// their cells joined by single spaces).
    pub async fn wait_for_texts(&self, selector: &str, expected: &[&str]) {
        let deadline = Instant::now() + WAIT;
        loop {
            let actual = self.texts(selector).await;
            if actual == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waiting for {selector} to read {expected:?}; it reads {actual:?}; console: {:?}",
                self.console().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The texts of the elements matching `selector`, whitespace runs collapsed.
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let script = "return Array.from(document.querySelectorAll(arguments[0])).map(e => \
                      (e.querySelectorAll('td').length ? Array.from(e.querySelectorAll('td')).map(c => c.textContent).join(' ') : e.textContent))";
        let value = self
            .client
            .execute(script, vec![selector.into()])
            .await
            .expect("query texts");
        serde_json::from_value(value).expect("texts are strings")
    }

    /// The texts of the elements matching `selector`, once at least one exists.
    pub async fn texts_when_shown(&self, selector: &str) -> Vec<String> {
        self.element(selector).await;
        self.texts(selector).await
    }

    /// The element matching `selector`, once it exists.
    async fn element(&self, selector: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
            .expect("element")
    }

    /// The `value` property of the element matching `selector`.
    pub async fn value(&self, selector: &str) -> String {
        let element = self.element(selector).await;
        element
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Sends `text` to the element matching `selector` as keystrokes (to a file input:
    /// the paths of the files to choose, one per line).
    pub async fn send_keys(&self, selector: &str, text: &str) {
        let element = self.element(selector).await;
        element.send_keys(text).await.expect("send keys");
    }

    /// Clears the field matching `selector` and types `text` into it, key by key.
    pub async fn replace_text(&self, selector: &str, text: &str) {
        let element = self.element(selector).await;
        element.clear().await.expect("clear");
        element.send_keys(text).await.expect("type");
    }

    /// Saves a PNG of the element matching `selector` under `target/e2e/`.
    pub async fn screenshot_of(&self, selector: &str, name: &str) {
        let png = self
            .element(selector)
            .await
            .screenshot()
            .await
            .expect("element screenshot");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
        std::fs::write(screenshot_dir().join(name), png).expect("write screenshot");
    }

    /// Saves a PNG of the viewport under `target/e2e/`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
        std::fs::write(screenshot_dir().join(name), png).expect("write screenshot");
    }

    /// The browser console so far, as (level, message), read through chromedriver's log
    /// endpoint (enabled by `goog:loggingPrefs`).
    pub async fn console(&self) -> Vec<(String, String)> {
        let Ok(Some(session)) = self.client.session_id().await else {
            return Vec::new();
        };
        let port = self.driver_port;
        let path = format!("/session/{session}/se/log");
        tokio::task::spawn_blocking(move || post_json(port, &path, r#"{"type":"browser"}"#))
            .await
            .ok()
            .flatten()
            .and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok())
            .and_then(|json| {
                json.get("value")
                    .and_then(|value| value.as_array())
                    .cloned()
            })
            .unwrap_or_default()
            .iter()
            .map(|entry| {
                let field = |name: &str| {
                    entry
                        .get(name)
                        .and_then(|value| value.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                (field("level"), field("message"))
            })
            .collect()
    }

    /// Runs `script` in the page.
    pub async fn run_script(&self, script: &str) {
        self.client
            .execute(script, Vec::new())
            .await
            .expect("script runs");
    }

    /// Runs `script` in the page and returns what it returns.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, Vec::new())
            .await
            .expect("script runs")
    }

    /// Runs `script` with `args` (`arguments[i]`) and returns its value, allowing it up to three
    /// minutes (WebDriver's default script timeout is 30 s).
    pub async fn execute(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(180)),
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(0)),
            ))
            .await
            .expect("timeouts");
        self.client
            .execute(script, args)
            .await
            .expect("script runs")
    }

    /// Opens the inspector's panel `id` (`dns`, `trace`, `rules`, `kubectl`, ...) beside the
    /// picture, unless it is open already (its tab closes it again).
    pub async fn open_panel(&self, id: &str) {
        let tab = format!("[data-testid=tab][data-panel={id}]");
        let selected = self
            .eval(&format!(
                "return document.querySelector('{tab}').getAttribute('aria-selected')"
            ))
            .await;
        if selected != "true" {
            self.click(&tab).await;
        }
    }

    /// Clicks the element matching `selector`, once it exists.
    pub async fn click(&self, selector: &str) {
        self.element(selector).await.click().await.expect("click");
    }

    /// Chooses `value` in the `<select>` matching `selector`, as a user would.
    pub async fn select(&self, selector: &str, value: &str) {
        self.element(selector)
            .await
            .select_by_value(value)
            .await
            .expect("select an option");
    }

    /// Switches into the `index`th iframe of the page.
    pub async fn enter_frame(&self, index: u16) {
        self.element("iframe").await;
        self.client
            .clone()
            .enter_frame(index)
            .await
            .expect("enter the iframe");
    }

    /// Switches back from an iframe to the page around it.
    pub async fn leave_frame(&self) {
        self.client
            .clone()
            .enter_parent_frame()
            .await
            .expect("leave the iframe");
    }

    /// Waits until the first element matching `selector` has attribute `name` equal to `value`.
    pub async fn wait_for_attribute(&self, selector: &str, name: &str, value: &str) {
        let deadline = Instant::now() + WAIT;
        let script = format!(
            "const element = document.querySelector({}); return element && element.getAttribute({});",
            serde_json::Value::from(selector),
            serde_json::Value::from(name)
        );
        loop {
            let actual = self.eval(&script).await;
            if actual.as_str() == Some(value) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waiting for {selector}'s {name} to be {value:?}; it is {actual}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the first element matching `selector` has a non-empty `value`, and returns it.
    pub async fn wait_for_value(&self, selector: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.value(selector).await;
            if !value.is_empty() {
                return value;
            }
            assert!(Instant::now() < deadline, "{selector} stayed empty");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the session and chromedriver without checking the console.
    pub async fn abandon(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Fails on any console error or panic message, then ends the session and chromedriver.
    pub async fn finish(mut self) {
        let console = self.console().await;
        let bad: Vec<_> = console
            .iter()
            .filter(|(level, message)| {
                level == "SEVERE"
                    || message.contains("panicked")
                    || message.contains("RuntimeError")
            })
            .collect();
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        assert!(bad.is_empty(), "browser console errors: {bad:#?}");
    }
}

/// A test that panics drops its browser without `finish`: chromedriver and the Chromium it
/// started (an animated page keeps a core busy) go with it, as a process group.
impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.wait();
    }
}

/// A minimal HTTP/1.1 POST to chromedriver on loopback, returning the body.
fn post_json(port: u16, path: &str, body: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(WAIT)).ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    // chromedriver may keep the connection open: read the headers, then Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        if header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}
