//! Writing a what-if's spec change back into the YAML: only the number changes, in place;
//! anything that cannot be edited that way is left alone.
#![cfg(not(target_arch = "wasm32"))]

use svcscope::sim::edit::set_replicas;
use svcscope::sim::manifest::parse_manifests;
use svcscope::sim::scenarios::HEADLESS_NGINX;

fn deployment_index(text: &str) -> usize {
    parse_manifests(text)
        .objects
        .iter()
        .position(|object| object.kind == "Deployment")
        .expect("a Deployment")
}

#[test]
fn replicas_are_rewritten_in_place() {
    let parsed = parse_manifests(HEADLESS_NGINX);
    let object = &parsed.objects[deployment_index(HEADLESS_NGINX)];
    let edited = set_replicas(HEADLESS_NGINX, object, 3).expect("written back");
    assert_eq!(
        edited,
        HEADLESS_NGINX.replacen("replicas: 2", "replicas: 3", 1)
    );
    // Two digits and back.
    let parsed = parse_manifests(&edited);
    let object = &parsed.objects[deployment_index(&edited)];
    let twelve = set_replicas(&edited, object, 12).expect("written back");
    assert!(twelve.contains("  replicas: 12\n"));
}

#[test]
fn what_cannot_be_edited_in_place_is_left_alone() {
    for text in [
        // No replicas field (the API server defaults it to 1).
        HEADLESS_NGINX.replacen("  replicas: 2\n", "", 1),
        // Quoted: a string the API server would reject, not a number to bump.
        HEADLESS_NGINX.replacen("replicas: 2", "replicas: \"2\"", 1),
    ] {
        let parsed = parse_manifests(&text);
        let object = &parsed.objects[deployment_index(&text)];
        assert_eq!(set_replicas(&text, object, 3), None, "{text}");
    }
}
