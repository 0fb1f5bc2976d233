//! End-to-end: the release build (`trunk build --release`, in `dist/`) served from a sub-path on
//! loopback, driven in headless Chromium through chromedriver, as a user would use it.
//!
//! Needs the `e2e` feature, a built `dist/` (or `SVCSCOPE_DIST`), and chromedriver
//! (`/usr/bin/chromedriver`, or `CHROMEDRIVER`). The README's test command provides all three.
//! Every test fails on any browser console error, any panic message, and any failed request.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::Duration;

use support::{Browser, StaticSite};
use svcscope::sim::scenarios;

/// Where the app is mounted, as on a documentation site.
const SUB_PATH: &str = "/docs/svcscope/";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slice_from_a_sub_path_lists_objects_and_errors() {
    let site = StaticSite::serve_dist(SUB_PATH);
    let browser = Browser::start().await;
    browser.goto(&site.url(SUB_PATH)).await;

    // The app starts with seed 000's headless Service and Deployment.
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &[
                "Service default nginx created",
                "Deployment default nginx-deployment created",
            ],
        )
        .await;
    assert_eq!(
        browser.value("[data-testid=yaml-editor]").await,
        scenarios::HEADLESS_NGINX
    );
    browser
        .wait_for_texts(
            "[data-testid=service-row]",
            &["nginx ClusterIP None 8080/TCP 10.244.1.2:8080,10.244.2.2:8080"],
        )
        .await;
    browser.screenshot("e2e-slice-start.png").await;

    // Replace the YAML as a user types it.
    browser
        .replace_text(
            "[data-testid=yaml-editor]",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\n  namespace: awx\nspec:\n  clusterIP: None\n  ports:\n  - port: 30088\n",
        )
        .await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &["Service awx web-headless created"],
        )
        .await;

    // Broken YAML: no objects, one error with line and column.
    browser
        .replace_text(
            "[data-testid=yaml-editor]",
            "kind: Service\nmetadata:\n  name: b\n   bad: [\n",
        )
        .await;
    browser
        .wait_for_texts(
            "[data-testid=diagnostic]",
            &["line 4, column 7: mapping values are not allowed in this context"],
        )
        .await;
    browser
        .wait_for_texts("[data-testid=object-row]", &[])
        .await;
    browser.screenshot("e2e-slice-error.png").await;

    browser.finish().await;
    site.assert_no_failed_requests();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_survive_a_reload() {
    let site = StaticSite::serve_dist(SUB_PATH);
    let browser = Browser::start().await;
    browser.goto(&site.url(SUB_PATH)).await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &[
                "Service default nginx created",
                "Deployment default nginx-deployment created",
            ],
        )
        .await;
    let edited =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: kept\nspec:\n  ports:\n  - port: 80\n";
    browser
        .replace_text("[data-testid=yaml-editor]", edited)
        .await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &["Service default kept created"],
        )
        .await;
    browser.refresh().await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &["Service default kept created"],
        )
        .await;
    assert_eq!(browser.value("[data-testid=yaml-editor]").await, edited);
    // Give the page a moment to report anything late (a panic in an effect, say).
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser.finish().await;
    site.assert_no_failed_requests();
}

/// The console check itself can fail: an error logged by the page is seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_errors_are_collected() {
    let site = StaticSite::serve_dist(SUB_PATH);
    let browser = Browser::start().await;
    browser.goto(&site.url(SUB_PATH)).await;
    browser
        .run_script("console.error('svcscope e2e probe: ' + 6 * 7)")
        .await;
    let console = browser.console().await;
    assert!(
        console
            .iter()
            .any(|(level, message)| level == "SEVERE" && message.contains("svcscope e2e probe: 42")),
        "console: {console:?}"
    );
    browser.abandon().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_link_plays_the_seed_001_walkthrough() {
    // `?scenario=statefulset`: seed 001's StatefulSet web behind web-headless in awx, asked
    // from tmp01 (as the article does): three A records, and a connection to web-0 by its
    // own DNS name goes straight to that pod.
    let site = StaticSite::serve_dist(SUB_PATH);
    let browser = Browser::start().await;
    browser
        .goto(&site.url(&format!("{SUB_PATH}?scenario=statefulset")))
        .await;
    browser
        .wait_for_texts(
            "[data-testid=object-row]",
            &[
                "Service awx web-headless created",
                "StatefulSet awx web created",
                "Pod awx tmp01 created",
            ],
        )
        .await;
    browser
        .wait_for_texts(
            "[data-testid=dns-tried] li",
            &["web-headless.awx.svc.cluster.local. NOERROR"],
        )
        .await;
    let answer = browser.texts("[data-testid=dns-answer]").await.concat();
    assert_eq!(
        answer
            .matches("Name:\tweb-headless.awx.svc.cluster.local")
            .count(),
        3,
        "{answer}"
    );
    browser
        .wait_for_texts("[data-testid=trace-verdict]", &["delivered"])
        .await;
    let steps = browser.texts("[data-testid=trace-step]").await;
    assert!(
        steps
            .last()
            .is_some_and(|step| step.contains("delivered to awx/web-0")),
        "{steps:?}"
    );
    browser.screenshot("e2e-scenario-statefulset.png").await;
    browser.finish().await;
    site.assert_no_failed_requests();
}
