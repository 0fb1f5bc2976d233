//! The `svcscope` binary's contract: output, exit codes (0 ok, 1 invalid input, 2 usage error).
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

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `svcscope args` with `stdin`, returning (exit code, stdout, stderr).
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("svcscope starts");
    // A usage error exits before reading standard input: a broken pipe is expected then.
    let _ = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes());
    let output = child.wait_with_output().expect("svcscope finishes");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn cli_table() {
    let seed = svcscope::explorer::scenarios::HEADLESS_NGINX;
    // (args, stdin, expected exit code, expected stdout, expected stderr)
    let cases: &[(&[&str], &str, i32, &str, &str)] = &[
        (
            &["objects"],
            seed,
            0,
            "KIND         NAMESPACE   NAME\nService      default     nginx\nDeployment   default     nginx-deployment\n",
            "",
        ),
        (
            &["objects", "-f", "-"],
            "apiVersion: v1\nkind: Node\nmetadata: {name: k8s-node-1}\n",
            0,
            "KIND   NAMESPACE   NAME\nNode   <none>      k8s-node-1\n",
            "",
        ),
        (
            &["objects"],
            "kind: Service\nspec:\n  ports: [1, 2\n",
            1,
            "KIND   NAMESPACE   NAME\n",
            "error: <stdin>: line 4, column 1: while parsing a flow sequence, expected ',' or ']'\n",
        ),
        // kubectl's printNode (pkg/printers/internalversion/printers.go): roles from the
        // node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted; the empty
        // VERSION of a node without kubelet still leaves AGE's tab-padding behind.
        (
            &["get", "nodes"],
            seed,
            0,
            "NAME            STATUS   ROLES           AGE   VERSION\n\
             control-plane   Ready    control-plane   0s    \n\
             node-1          Ready    <none>          0s    \n\
             node-2          Ready    <none>          0s    \n",
            "",
        ),
        (
            &["get", "no", "-o", "wide"],
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: w1\n  labels:\n    kubernetes.io/role: worker\n    node-role.kubernetes.io/edge: \"\"\n    node-role.kubernetes.io/: \"\"\nspec: {unschedulable: true}\nstatus:\n  addresses: [{type: InternalIP, address: 10.0.0.7}]\n",
            0,
            "NAME   STATUS                     ROLES         AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME\n\
             w1     Ready,SchedulingDisabled   edge,worker   0s              10.0.0.7      <none>        <unknown>   <unknown>        <unknown>\n",
            "",
        ),
        // `describe pod` (src/sim/describe_pod.rs; tests/describe_pod.rs has the full table).
        (
            &["describe", "pod", "web"],
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: web, image: nginx}]\n",
            0,
            "Name:             web\n\
             Namespace:        default\n\
             Priority:         0\n\
             Service Account:  default\n\
             Node:             node-1/192.168.0.11\n\
             Labels:           app=web\n\
             Annotations:      <none>\n\
             Status:           Running\n\
             IP:               10.244.1.2\n\
             IPs:\n  IP:  10.244.1.2\n\
             Containers:\n  web:\n\
             \x20   Image:        nginx\n\
             \x20   Port:         <none>\n\
             \x20   Host Port:    <none>\n\
             \x20   Environment:  <none>\n\
             \x20   Mounts:       <none>\n\
             Conditions:\n\
             \x20 Type                        Status\n\
             \x20 PodReadyToStartContainers   True \n\
             \x20 Initialized                 True \n\
             \x20 Ready                       True \n\
             \x20 ContainersReady             True \n\
             \x20 PodScheduled                True \n\
             Volumes:                      <none>\n\
             QoS Class:                    BestEffort\n\
             Node-Selectors:               <none>\n\
             Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n\
             \x20                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n\
             Events:                       <none>\n",
            "",
        ),
        (
            &["describe", "po", "missing"],
            "",
            1,
            "",
            "Error from server (NotFound): pods \"missing\" not found\n",
        ),
        (
            &["objects", "-f", "/nonexistent/x.yaml"],
            "",
            1,
            "",
            "error: reading /nonexistent/x.yaml: No such file or directory (os error 2)\n",
        ),
    ];
    let mut failures = Vec::new();
    for (args, stdin, code, stdout, stderr) in cases {
        let actual = run(args, stdin);
        let expected = (*code, stdout.to_string(), stderr.to_string());
        if actual != expected {
            failures.push(format!(
                "svcscope {args:?}:\nexpected {expected:#?}\nactual   {actual:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let (code, _, stderr) = run(&["no-such-command"], "");
    assert_eq!(code, 2, "unknown subcommand is a usage error: {stderr}");
    assert!(
        stderr.contains("unrecognized subcommand 'no-such-command'"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&["--help"], "");
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("See how Kubernetes Services work"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Usage: svcscope [OPTIONS] <COMMAND>"),
        "{stdout}"
    );
}

#[test]
fn get_and_describe_through_the_binary() {
    let seed = svcscope::explorer::scenarios::HEADLESS_NGINX;
    let (code, stdout, stderr) = run(&["get", "svc", "nginx-ignored", "-o", "json"], seed);
    // Extra positional arguments are a usage error (kubectl would filter by name; svcscope
    // lists the namespace).
    assert_eq!(code, 2, "{stdout}{stderr}");

    let (code, stdout, stderr) = run(&["get", "svc", "-o", "json"], seed);
    assert_eq!(code, 0, "{stderr}");
    let list: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(list["kind"], "List");
    let nginx = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["metadata"]["name"] == "nginx")
        .expect("nginx");
    assert_eq!(nginx["spec"]["clusterIP"], "None");
    assert_eq!(nginx["spec"]["ipFamilyPolicy"], "SingleStack");
    assert_eq!(nginx["spec"]["ports"][0]["targetPort"], 8080);
    assert_eq!(nginx["spec"]["ports"][0]["protocol"], "TCP");

    // Workloads as apps/v1 objects, their status counted from the simulated pods; zero
    // counts omitted as DeploymentStatus's `omitempty` tags omit them (apps/v1 types.go).
    let (code, stdout, stderr) = run(&["get", "deploy", "-o", "json"], seed);
    assert_eq!(code, 0, "{stderr}");
    let list: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let deployment = &list["items"][0];
    assert_eq!(deployment["apiVersion"], "apps/v1");
    assert_eq!(deployment["kind"], "Deployment");
    assert_eq!(deployment["metadata"]["name"], "nginx-deployment");
    assert_eq!(
        deployment["spec"]["selector"]["matchLabels"]["app"],
        "nginx"
    );
    assert_eq!(
        deployment["status"],
        serde_json::json!({"availableReplicas": 2, "readyReplicas": 2, "replicas": 2})
    );
    let not_ready = seed.replace(
        "labels:\n        app: nginx\n",
        "labels:\n        app: nginx\n      annotations:\n        svcscope.dev/ready: \"false\"\n",
    );
    assert_ne!(not_ready, seed, "the seed's template labels moved");
    let (_, stdout, _) = run(&["get", "deploy", "-o", "json"], &not_ready);
    let list: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        list["items"][0]["status"],
        serde_json::json!({"replicas": 2})
    );
    let (_, stdout, _) = run(&["get", "nodes", "-o", "json"], seed);
    let list: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        list["items"][0]["spec"]["taints"][0]["key"],
        "node-role.kubernetes.io/control-plane"
    );
    assert_eq!(list["items"][1]["spec"]["podCIDR"], "10.244.1.0/24");
    assert_eq!(
        list["items"][1]["status"]["addresses"][0]["address"],
        "192.168.0.11"
    );

    let (code, stdout, _) = run(&["describe", "svc", "nginx"], seed);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Name:              nginx\n"), "{stdout}");
    assert!(
        stdout.contains("Endpoints:         10.244.1.2:8080,10.244.2.2:8080\n"),
        "{stdout}"
    );

    let (code, _, stderr) = run(&["describe", "svc", "missing"], seed);
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "Error from server (NotFound): services \"missing\" not found\n"
        )
    );

    // `kubectl get all`: pods, services, deployments, replicasets, as kind/name, one table each.
    let (code, stdout, _) = run(&["get", "all"], seed);
    assert_eq!(code, 0);
    let heads: Vec<&str> = stdout
        .split("\n\n")
        .filter_map(|table| table.lines().nth(1))
        .map(|line| line.split('/').next().unwrap_or(""))
        .collect();
    assert_eq!(
        heads,
        vec!["pod", "service", "deployment.apps", "replicaset.apps"]
    );
    assert!(
        stdout.contains(
            "\nservice/nginx        ClusterIP   None         <none>        8080/TCP   0s\n"
        ),
        "{stdout}"
    );

    let (code, stdout, _) = run(&["events"], seed);
    assert_eq!(code, 0);
    assert!(
        stdout
            .lines()
            .any(|line| line == "   0.0s  Service default/nginx created, no cluster IP"),
        "{stdout}"
    );
}

#[test]
fn get_o_yaml_round_trips() {
    // Pasting `get -o yaml` output back reproduces the cluster: pods keep their node, IP and
    // readiness, Services their addresses.
    let seed = svcscope::explorer::scenarios::HEADLESS_NGINX;
    let (code, pods_yaml, _) = run(&["get", "pods", "-o", "yaml"], seed);
    assert_eq!(code, 0);
    assert!(
        pods_yaml.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"),
        "{pods_yaml}"
    );
    let (_, services_yaml_all, _) = run(&["get", "svc", "-o", "yaml"], seed);
    let pasted = format!("{pods_yaml}---\n{services_yaml_all}");
    let (_, original, _) = run(&["get", "pods", "-o", "wide"], seed);
    let (code, replayed, stderr) = run(&["get", "pods", "-o", "wide"], &pasted);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(replayed, original);
    let (_, original, _) = run(&["describe", "svc", "nginx"], seed);
    let (_, replayed, _) = run(&["describe", "svc", "nginx"], &pasted);
    assert_eq!(replayed, original);
}

#[test]
fn dns_and_resolv_through_the_binary() {
    let seed = format!(
        "{}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: tmp01}}\nspec: {{containers: [{{name: c, image: tutum/dnsutils}}]}}\n",
        svcscope::explorer::scenarios::HEADLESS_NGINX
    );
    // The JSON contract: question, rcode, answer/authority/additional in zone-file
    // presentation, and every query the resolver sent.
    let (code, stdout, stderr) = run(
        &["dns", "nginx", "--from", "default/tmp01", "-o", "json"],
        &seed,
    );
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        value["question"]["name"],
        "nginx.default.svc.cluster.local."
    );
    assert_eq!(value["question"]["type"], "A");
    assert_eq!(value["rcode"], "NOERROR");
    let answers = value["answer"].as_array().expect("answer");
    assert_eq!(answers.len(), 2, "{stdout}");
    assert!(answers.iter().all(|line| line
        .as_str()
        .is_some_and(|line| line.starts_with("nginx.default.svc.cluster.local. 5 IN A 10.244."))));
    assert_eq!(
        value["tried"][0]["name"],
        "nginx.default.svc.cluster.local."
    );
    assert_eq!(value["tried"][0]["rcode"], "NOERROR");
    // The exchange as events, for the browser to animate: question, then answer.
    assert_eq!(
        value["events"][0],
        "default/tmp01 asks 10.96.0.10 for nginx.default.svc.cluster.local. A"
    );
    assert!(value["events"][1]
        .as_str()
        .is_some_and(|event| event.starts_with(
            "nginx.default.svc.cluster.local.: nginx.default.svc.cluster.local. 5 IN A 10.244."
        )));

    let (code, stdout, _) = run(
        &["dns", "nope.default.svc.cluster.local", "-o", "dig"],
        &seed,
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains(";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 0\n")
    );
    assert!(stdout.contains(
        "cluster.local.\t\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5\n"
    ));

    // Every search domain gives NXDOMAIN; the last query, `web.`, leaves the cluster zone.
    let (code, stdout, _) = run(&["dns", "web", "--from", "tmp01"], &seed);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n;; web: forwarded upstream by CoreDNS (not simulated)\n\n"
    );
    let (_, stdout, _) = run(&["dns", "nope.default.svc.cluster.local."], &seed);
    assert_eq!(
        stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n"
    );
    let (code, stdout, _) = run(
        &["--cluster-dns", "10.96.0.53", "resolv", "--from", "tmp01"],
        &seed,
    );
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.53\noptions ndots:5\n"
    );
    let (code, _, stderr) = run(&["dns", "web", "--type", "BOGUS"], &seed);
    assert_eq!(code, 2, "{stderr}");
    // A type the plugin has no records for is answered (handler.go's `default` branch: NODATA
    // for a name that exists), not refused by the CLI.
    let (code, stdout, stderr) = run(
        &["dns", "nginx.default.svc.cluster.local", "--type", "MX"],
        &seed,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.ends_with("*** Can't find nginx.default.svc.cluster.local: No answer\n\n"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["dns", "web", "--from", "ghost"], &seed);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = run(
        &["--cluster-dns", "192.168.1.1", "resolv", "--from", "tmp01"],
        &seed,
    );
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn iptables_and_trace_through_the_binary() {
    let seed = format!(
        "{}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: tmp01}}\nspec: {{containers: [{{name: c, image: tutum/dnsutils}}]}}\n",
        svcscope::explorer::scenarios::HEADLESS_NGINX
    );
    let (code, stdout, stderr) = run(&["iptables", "--node", "node-1", "-o", "restore"], &seed);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("*filter\n:KUBE-NODEPORTS - [0:0]\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("COMMIT\n"));
    // By default as iptables-save prints the node's tables: mangle's canary first.
    let (code, saved, _) = run(&["iptables", "--node", "node-1"], &seed);
    assert_eq!(code, 0);
    assert!(
        saved.starts_with("*mangle\n:PREROUTING ACCEPT [0:0]\n"),
        "{saved}"
    );
    assert!(
        saved.contains(
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n"
        ),
        "{saved}"
    );
    // The headless nginx Service gets no rules (ShouldSkipService).
    assert!(!stdout.contains("default/nginx"), "{stdout}");
    let (code, _, stderr) = run(&["iptables", "--node", "ghost"], &seed);
    assert_eq!(code, 1, "{stderr}");
    // IPVS mode's rules; nftables mode writes no iptables rules at all.
    let (code, stdout, _) = run(
        &["iptables", "--proxy-mode", "ipvs", "-o", "restore"],
        &seed,
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("*nat\n:KUBE-SERVICES - [0:0]\n"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["iptables", "--proxy-mode", "nftables"], &seed);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("svcscope nft"), "{stderr}");

    // The JSON contract for traces.
    let (code, stdout, stderr) = run(
        &[
            "trace",
            "--from",
            "pod/default/tmp01",
            "--to",
            "nginx:8080",
            "-o",
            "json",
        ],
        &seed,
    );
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(value["verdict"], "delivered");
    assert_eq!(value["steps"][0]["component"], "dns");
    assert_eq!(value["steps"][1]["component"], "client");
    assert_eq!(value["backends"].as_array().map(Vec::len), Some(2));
    assert_eq!(value["backends"][0]["probability"], 0.5);
    let (code, _, _) = run(&["trace", "--from", "somewhere", "--to", "nginx"], &seed);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["trace", "--from", "pod/ghost", "--to", "nginx"], &seed);
    assert_eq!(code, 1);
}

#[test]
fn share_links_round_trip_through_the_binary() {
    let yaml = svcscope::explorer::scenarios::HEADLESS_NGINX;
    let (code, link, stderr) = run(
        &[
            "share",
            "--base",
            "https://docs.example/svcscope/",
            "--dns",
            "nginx",
        ],
        yaml,
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    let link = link.trim_end();
    assert!(
        link.starts_with("https://docs.example/svcscope/#s2."),
        "{link}"
    );
    let state =
        svcscope::explorer::share::decode(link.split_once('#').map(|(_, f)| f).unwrap_or(""))
            .expect("the printed link decodes");
    assert_eq!(
        (state.yaml.as_str(), state.dns_name.as_str()),
        (yaml, "nginx")
    );
    // --decode reads no input and prints the YAML back.
    let (code, decoded, _) = run(&["share", "--decode", link], "");
    assert_eq!((code, decoded.as_str()), (0, yaml));
    let (code, _, stderr) = run(&["share", "--decode", "https://x/#s1.AAAA"], "");
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: the link"), "{stderr}");
}
