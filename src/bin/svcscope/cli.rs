//! The command line: arguments, input files, and the output of each subcommand.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use svcscope::explorer::kubectl_view::{self, Describe};
use svcscope::sim::config::{parse_cluster_cidrs, parse_service_cidrs, ClusterConfig};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::control::scheduler::{milli_value, value};
use svcscope::sim::input::diagnostic::{Diagnostic, Severity};
use svcscope::sim::input::field::GoQuoted;
use svcscope::sim::input::objects::WorkloadKind;
use svcscope::sim::kubectl::{get, tabwriter};

use crate::failure::{exit_code, Failure, Outcome};

/// See how Kubernetes Services work: the API server, the controllers, EndpointSlices, cluster
/// DNS and kube-proxy, modelled from your YAML.
#[derive(Parser)]
#[command(name = "svcscope", version, about)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct GlobalArgs {
    /// Manifest file to read (repeatable); `-` reads standard input, a directory loads its
    /// *.yaml, *.yml and *.json files in name order. Without -f, standard input is read.
    #[arg(short = 'f', long = "filename", global = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// The cluster's DNS domain.
    #[arg(long, global = true, default_value = "cluster.local")]
    cluster_domain: String,

    /// The Service IP range (kube-apiserver's --service-cluster-ip-range): one CIDR, or two
    /// of different families for a dual-stack cluster (10.96.0.0/12,fd00:10:96::/108); the
    /// first is the primary family.
    #[arg(long, global = true, default_value = "10.96.0.0/12")]
    service_cidr: String,

    /// The pod IP range (--cluster-cidr), cut into one /24 per node (one /64 for IPv6); two
    /// CIDRs of different families for a dual-stack cluster (10.244.0.0/16,fd00:10:244::/56).
    #[arg(long, global = true, default_value = "10.244.0.0/16")]
    cluster_cidr: String,

    /// The NodePort range (--service-node-port-range).
    #[arg(long, global = true, default_value = "30000-32767")]
    node_port_range: String,

    /// Worker nodes to simulate when the input has no Node objects.
    #[arg(long, global = true, default_value_t = 2)]
    nodes: usize,

    /// The cluster DNS address (the kubelets' --cluster-dns and kube-dns's ClusterIP);
    /// default: the tenth address of the service range.
    #[arg(long, global = true, value_name = "IP")]
    cluster_dns: Option<std::net::IpAddr>,

    /// The kubelets' --max-pods on the simulated nodes (their allocatable pods).
    #[arg(long, global = true, default_value_t = 110)]
    max_pods: i64,

    /// The allocatable CPU of the simulated nodes (a quantity: 4, 3500m).
    #[arg(long, global = true, default_value = "4")]
    node_cpu: String,

    /// The allocatable memory of the simulated nodes (a quantity: 8Gi, 16G).
    #[arg(long, global = true, default_value = "8Gi")]
    node_memory: String,

    /// Show the cluster at this simulated moment (seconds since it was created, or with a
    /// unit: 1.5s, 250ms, 2m), for every command; default: once it has settled.
    #[arg(long, global = true, value_name = "SECONDS")]
    at: Option<String>,

    /// `kubectl rollout restart [NS/]KIND/NAME` (deployment or statefulset), a second after
    /// the cluster has settled; repeatable, applied in order, after any --delete-pod.
    #[arg(long, global = true, value_name = "[NS/]KIND/NAME")]
    restart: Vec<String>,

    /// `kubectl delete pod [NS/]POD`, a second after the cluster has settled; repeatable.
    #[arg(long, global = true, value_name = "[NS/]POD")]
    delete_pod: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// List the objects found in the input (KIND, NAMESPACE, NAME) and any problems reading it.
    Objects,
    /// Print simulated objects as `kubectl get` does (all, pods, services, endpoints, endpointslices, nodes, deployments, replicasets, statefulsets, daemonsets).
    Get(GetArgs),
    /// Print what `kubectl describe` prints (service, endpoints, endpointslice, pod, node).
    Describe {
        /// The kind: service (svc), endpoints (ep), endpointslice, pod (po) or node (no).
        kind: String,
        /// The object's name.
        name: String,
        /// Namespace (default: default).
        #[arg(short = 'n', long = "namespace")]
        namespace: Option<String>,
    },
    /// Print the convergence, one event per line.
    Events,
    /// Ask cluster DNS a question, as CoreDNS answers it (optionally through a pod's
    /// resolver), printed as nslookup, dig or JSON.
    Dns(crate::dns::DnsArgs),
    /// Answer real DNS queries (UDP and TCP) from the model, as CoreDNS would; runs until
    /// stopped.
    ServeDns {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:5353")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        plugin: crate::dns::PluginArgs,
    },
    /// Print the rules kube-proxy writes on a node, as iptables-save prints them there
    /// (-o restore: as kube-proxy hands them to iptables-restore).
    Iptables(crate::proxy::IptablesArgs),
    /// Print the table kube-proxy's nftables mode writes on a node, as
    /// `nft list table ip kube-proxy` does (-o dump: as `add` commands for `nft -f`).
    Nft(crate::proxy::NftArgs),
    /// Print the virtual servers kube-proxy's IPVS mode creates on a node, as `ipvsadm -Ln`
    /// does (its iptables rules: `iptables --proxy-mode ipvs`; its ipsets: `ipset`).
    Ipvs(crate::proxy::ProxyArgs),
    /// Print the ipsets kube-proxy's IPVS mode fills on a node, as `ipset save` does.
    Ipset(crate::proxy::ProxyArgs),
    /// Trace a connection hop by hop: DNS, kube-proxy's rules on each node, the network.
    Trace(crate::proxy::TraceArgs),
    /// Print a pod's /etc/resolv.conf.
    Resolv {
        /// The pod (`[NS/]POD`).
        #[arg(long)]
        from: String,
    },
    /// Print a share link that opens the input (and a DNS question and a packet) in the
    /// browser explorer; with --decode, print the YAML a share link holds.
    Share(ShareArgs),
    /// Check the input as the API server would: exit 0 when nothing is rejected, 1 otherwise.
    Validate {
        /// Output format.
        #[arg(short = 'o', long = "output", value_enum, default_value_t = ValidateOutput::Text)]
        output: ValidateOutput,
    },
}

#[derive(Args)]
struct GetArgs {
    /// The kind to list: all, services (svc), pods (po), endpoints (ep), endpointslices,
    /// deployments (deploy), replicasets (rs), statefulsets (sts), daemonsets (ds).
    kind: String,
    /// Namespace to list (default: default).
    #[arg(short = 'n', long = "namespace")]
    namespace: Option<String>,
    /// List every namespace.
    #[arg(short = 'A', long = "all-namespaces")]
    all_namespaces: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum)]
    output: Option<GetOutput>,
}

#[derive(Args)]
struct ShareArgs {
    /// Where the explorer is served; the link is this URL with the state in its fragment.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    base: String,
    /// The DNS question to preset.
    #[arg(long, value_name = "NAME", default_value = "")]
    dns: String,
    /// The pod that asks it (`NS/POD`).
    #[arg(long, value_name = "NS/POD", default_value = "")]
    dns_from: String,
    /// Where the packet starts (`pod/NS/NAME`, `node/NAME`, `external:IP`).
    #[arg(long, value_name = "SOURCE", default_value = "")]
    trace_from: String,
    /// Where it goes (`HOST[:PORT]`).
    #[arg(long, value_name = "DEST", default_value = "")]
    trace_to: String,
    /// Print the YAML that this share link (or fragment) holds instead; reads no input.
    #[arg(long, value_name = "LINK")]
    decode: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum GetOutput {
    Wide,
    Json,
    Yaml,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ValidateOutput {
    Text,
    Json,
}

use crate::json;

/// Most worker nodes `--nodes` may ask for.
const MAX_NODES: usize = 5000;

/// One input text and where it came from.
struct Input {
    origin: String,
    text: String,
}

/// All inputs joined into one stream, remembering where each file starts, so that diagnostics
/// can name the file and the line in it.
struct Joined {
    text: String,
    /// (origin, first line of the file in the joined text).
    starts: Vec<(String, usize)>,
}

impl Joined {
    fn new(inputs: &[Input]) -> Joined {
        let mut text = String::new();
        let mut starts = Vec::new();
        let mut line = 1usize;
        for input in inputs {
            if !text.is_empty() {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("---\n");
                line = text.lines().count() + 1;
            }
            starts.push((input.origin.clone(), line));
            text.push_str(&input.text);
        }
        Joined { text, starts }
    }

    /// (file, line in that file) of a line of the joined text.
    fn locate(&self, line: usize) -> (String, usize) {
        let (origin, start) = self
            .starts
            .iter()
            .rev()
            .find(|(_, start)| *start <= line)
            .cloned()
            .unwrap_or_default();
        (origin, line + 1 - start.max(1))
    }
}

/// Writes to standard output; a closed pipe (`svcscope ... | head`) is not an error.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes a line to standard error, ignoring a closed pipe.
pub(crate) fn err(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Share(ShareArgs {
        decode: Some(link), ..
    }) = &cli.command
    {
        return exit_code(share_decode(link));
    }
    let config = match cluster_config(&cli.global) {
        Ok(config) => config,
        Err(message) => return Failure::Usage(message).report(),
    };
    let inputs = match read_inputs(&cli.global.files) {
        Ok(inputs) => inputs,
        Err(message) => return Failure::Input(message).report(),
    };
    let joined = Joined::new(&inputs);
    let mut cluster = Cluster::build(&joined.text, &config);
    if let Err(message) = what_ifs(&mut cluster, &cli.global) {
        return Failure::Usage(message).report();
    }
    if let Some(at) = &cli.global.at {
        match svcscope::sim::control::clock::parse_duration(at) {
            Some(at) => cluster = cluster.as_of(at),
            None => {
                return Failure::Usage(format!(
                    "--at {at:?}: not a moment (seconds, or 1.5s, 250ms, 2m)"
                ))
                .report()
            }
        }
    }
    if let Command::ServeDns { listen, plugin } = &cli.command {
        // A server runs for long: keep only what DNS answers from. The cluster (pods, events,
        // every controller's objects), the input text and the rest go back before it starts.
        let server =
            svcscope::sim::dns::plugin::Dns::new(&cluster, crate::dns::options(plugin, &config));
        drop(cluster);
        drop(joined);
        drop(inputs);
        // Built among the cluster's objects, the answers' indexes sit in pages that the
        // freed cluster leaves mostly empty: a copy made now, in small pages, is packed
        // together, and the pages of the original go back whole.
        crate::small_pages_from_now();
        crate::give_back_freed_memory();
        let packed = server.clone();
        drop(server);
        crate::give_back_freed_memory();
        return exit_code(crate::serve_dns::serve(&packed, *listen));
    }
    let outcome = run(cli.command, &cluster, &config, &joined);
    // The process ends here: freeing a large cluster piece by piece would only cost time (a
    // quarter of a 10,000-Service run), so its memory goes back with the process.
    std::mem::forget(cluster);
    exit_code(outcome)
}

/// Runs one subcommand over the built cluster.
fn run(command: Command, cluster: &Cluster, config: &ClusterConfig, joined: &Joined) -> Outcome {
    match command {
        Command::Objects => objects(cluster, joined),
        Command::Get(args) => get(cluster, &args),
        Command::Validate { output } => validate(cluster, joined, output),
        Command::Describe {
            kind,
            name,
            namespace,
        } => describe(
            cluster,
            &kind,
            &name,
            namespace.as_deref().unwrap_or("default"),
        ),
        Command::Dns(args) => crate::dns::dns(cluster, config, &args),
        // Served from `main`, without the cluster.
        Command::ServeDns { .. } => Ok(()),
        Command::Iptables(args) => crate::proxy::iptables(cluster, config, &args),
        Command::Nft(args) => crate::proxy::nft(cluster, config, &args),
        Command::Ipvs(args) => crate::proxy::ipvs(cluster, config, &args),
        Command::Ipset(args) => crate::proxy::ipset(cluster, config, &args),
        Command::Trace(args) => crate::proxy::trace_command(cluster, config, &args),
        Command::Share(args) => share(joined, &args),
        Command::Resolv { from } => crate::dns::resolv(cluster, config, &from),
        Command::Events => {
            // Each event after the simulated moment it happened at.
            for (event, at) in cluster.events.iter().zip(&cluster.times) {
                out(&format!(
                    "{:>7}  {}\n",
                    svcscope::sim::control::clock::moment(*at),
                    event.message()
                ));
            }
            Ok(())
        }
    }
}

/// Applies the what-ifs the flags ask for: pod deletions, then restarts.
fn what_ifs(cluster: &mut Cluster, args: &GlobalArgs) -> Result<(), String> {
    use svcscope::sim::control::cluster::Command as WhatIf;
    use svcscope::sim::input::objects::WorkloadKind;
    use svcscope::sim::key::ObjectKey;
    for pod in &args.delete_pod {
        let (namespace, name) = pod.split_once('/').unwrap_or(("default", pod));
        let key = ObjectKey::new(namespace, name);
        if cluster.pod(&key).is_none() {
            return Err(format!("--delete-pod {pod}: no pod {namespace}/{name}"));
        }
        cluster.apply(&WhatIf::DeletePod { pod: key });
    }
    for target in &args.restart {
        let parts: Vec<&str> = target.split('/').collect();
        let (namespace, kind, name) = match parts.as_slice() {
            [kind, name] => ("default", *kind, *name),
            [namespace, kind, name] => (*namespace, *kind, *name),
            _ => return Err(format!("--restart {target}: not [NS/]KIND/NAME")),
        };
        let kind = match kind.to_ascii_lowercase().as_str() {
            "deployment" | "deployments" | "deploy" => WorkloadKind::Deployment,
            "statefulset" | "statefulsets" | "sts" => WorkloadKind::StatefulSet,
            "daemonset" | "daemonsets" | "ds" => {
                return Err(format!(
                    "--restart {target}: a DaemonSet's rolling update is not simulated"
                ))
            }
            _ => {
                return Err(format!(
                    "--restart {target}: not a deployment or statefulset"
                ))
            }
        };
        let workload = ObjectKey::new(namespace, name);
        if cluster.workload(kind, &workload).is_none() {
            return Err(format!(
                "--restart {target}: no {} {namespace}/{name}",
                kind.as_str()
            ));
        }
        cluster.apply(&WhatIf::Restart { workload, kind });
    }
    Ok(())
}

/// `svcscope share`: the input as a link to the explorer.
fn share(joined: &Joined, args: &ShareArgs) -> Outcome {
    let state = svcscope::explorer::share::SharedState {
        yaml: joined.text.clone(),
        dns_name: args.dns.clone(),
        dns_from: args.dns_from.clone(),
        dns_type: "A".to_owned(),
        trace_from: args.trace_from.clone(),
        trace_to: args.trace_to.clone(),
        ..Default::default()
    };
    let base = args.base.split('#').next().unwrap_or_default();
    out(&format!(
        "{base}#{}\n",
        svcscope::explorer::share::encode(&state)
    ));
    Ok(())
}

/// `svcscope share --decode LINK`: the YAML a link holds, on standard output.
fn share_decode(link: &str) -> Outcome {
    let fragment = link.split_once('#').map_or(link, |(_, fragment)| fragment);
    let state = svcscope::explorer::share::decode(fragment)
        .map_err(|error| Failure::Input(error.to_string()))?;
    out(&state.yaml);
    if !state.yaml.is_empty() && !state.yaml.ends_with('\n') {
        out("\n");
    }
    Ok(())
}

fn cluster_config(args: &GlobalArgs) -> Result<ClusterConfig, String> {
    let (low, high) = args
        .node_port_range
        .split_once('-')
        .and_then(|(low, high)| Some((low.parse::<u16>().ok()?, high.parse::<u16>().ok()?)))
        .filter(|(low, high)| low <= high)
        .ok_or_else(|| {
            format!(
                "invalid --node-port-range {}",
                GoQuoted(&args.node_port_range)
            )
        })?;
    if args.nodes > MAX_NODES {
        return Err(format!(
            "--nodes {} is more than svcscope simulates ({MAX_NODES})",
            args.nodes
        ));
    }
    let (service_cidr, secondary_service_cidr) = parse_service_cidrs(&args.service_cidr)
        .map_err(|error| format!("--service-cidr {}: {error}", args.service_cidr))?;
    let (cluster_cidr, secondary_cluster_cidr) = parse_cluster_cidrs(&args.cluster_cidr)
        .map_err(|error| format!("--cluster-cidr {}: {error}", args.cluster_cidr))?;
    if let Some(ip) = args.cluster_dns {
        if !std::iter::once(service_cidr)
            .chain(secondary_service_cidr)
            .any(|cidr| cidr.contains(ip))
        {
            return Err(format!(
                "--cluster-dns {ip} is not in the service range {}",
                args.service_cidr
            ));
        }
    }
    if args.max_pods < 0 {
        return Err(format!("--max-pods {} is negative", args.max_pods));
    }
    if milli_value(&args.node_cpu).is_none_or(|cpu| cpu < 0) {
        return Err(format!("invalid --node-cpu {}", GoQuoted(&args.node_cpu)));
    }
    if value(&args.node_memory).is_none_or(|memory| memory < 0) {
        return Err(format!(
            "invalid --node-memory {}",
            GoQuoted(&args.node_memory)
        ));
    }
    Ok(ClusterConfig {
        max_pods: args.max_pods,
        node_cpu: args.node_cpu.clone(),
        node_memory: args.node_memory.clone(),
        cluster_domain: args.cluster_domain.trim_end_matches('.').to_owned(),
        cluster_dns: args.cluster_dns,
        service_cidr,
        secondary_service_cidr,
        cluster_cidr,
        secondary_cluster_cidr,
        node_port_range: (low, high),
        nodes: args.nodes,
    })
}

fn print_diagnostics(cluster: &Cluster, joined: &Joined) -> bool {
    let mut invalid = false;
    for diagnostic in &cluster.diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => {
                invalid = true;
                "error"
            }
            Severity::Warning => "warning",
        };
        err(&format!(
            "{severity}: {}",
            describe_diagnostic(diagnostic, joined)
        ));
    }
    invalid
}

/// `FILE: line L, column C: [OBJECT: ]message`.
fn describe_diagnostic(diagnostic: &Diagnostic, joined: &Joined) -> String {
    let object = if diagnostic.object.is_empty() {
        String::new()
    } else {
        format!("{}: ", diagnostic.object)
    };
    match diagnostic.line {
        Some(line) => {
            let (origin, line) = joined.locate(line);
            let column = diagnostic
                .column
                .map(|column| format!(", column {column}"))
                .unwrap_or_default();
            format!(
                "{origin}: line {line}{column}: {object}{}",
                diagnostic.message
            )
        }
        None => format!(
            "document {}: {object}{}",
            diagnostic.document + 1,
            diagnostic.message
        ),
    }
}

fn objects(cluster: &Cluster, joined: &Joined) -> Outcome {
    let rows: Vec<Vec<String>> = cluster
        .objects
        .iter()
        .map(|object| {
            let namespace = if object.namespace.is_empty() {
                "<none>".to_owned()
            } else {
                object.namespace.clone()
            };
            vec![object.kind.clone(), namespace, object.name.clone()]
        })
        .collect();
    out(&tabwriter::render_table(
        &["KIND", "NAMESPACE", "NAME"],
        &rows,
    ));
    if print_diagnostics(cluster, joined) {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

fn get(cluster: &Cluster, args: &GetArgs) -> Outcome {
    match args.kind.as_str() {
        "services" | "service" | "svc" => {
            let namespace = args.namespace.as_deref().unwrap_or("default");
            let services: Vec<_> = cluster
                .services
                .iter()
                .filter(|service| args.all_namespaces || service.meta.namespace == namespace)
                .collect();
            if services.is_empty() {
                err(&format!("No resources found in {namespace} namespace."));
                return Ok(());
            }
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let items = services
                    .iter()
                    .map(|service| json::service(service))
                    .collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            let wide = matches!(args.output, Some(GetOutput::Wide));
            out(&get::get_services(
                &services,
                wide,
                args.all_namespaces,
                cluster.now,
            ));
            Ok(())
        }
        "all" => get_all(cluster, args),
        "nodes" | "node" | "no" => {
            let nodes: Vec<_> = cluster.nodes.iter().collect();
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let items = nodes.iter().map(|node| json::node(node)).collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            let wide = matches!(args.output, Some(GetOutput::Wide));
            out(&get::get_nodes(&nodes, wide, cluster.now));
            Ok(())
        }
        "pods" | "pod" | "po" => {
            let namespace = args.namespace.as_deref().unwrap_or("default");
            let pods: Vec<_> = cluster
                .pods
                .iter()
                .filter(|pod| args.all_namespaces || pod.namespace == namespace)
                .collect();
            if pods.is_empty() {
                err(&format!("No resources found in {namespace} namespace."));
                return Ok(());
            }
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let node = |pod: &&svcscope::sim::control::workloads::SimPod| {
                    let name = pod.node_name.as_deref()?;
                    cluster.nodes.iter().find(|node| node.name == name)
                };
                let items = pods.iter().map(|pod| json::pod(pod, node(pod))).collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            let wide = matches!(args.output, Some(GetOutput::Wide));
            out(&get::get_pods(
                &pods,
                wide,
                args.all_namespaces,
                cluster.now,
            ));
            Ok(())
        }
        "endpoints" | "ep" => {
            let namespace = args.namespace.as_deref().unwrap_or("default");
            let objects: Vec<_> = cluster
                .endpoints
                .iter()
                .filter(|object| args.all_namespaces || object.namespace == namespace)
                .collect();
            if objects.is_empty() {
                err(&format!("No resources found in {namespace} namespace."));
                return Ok(());
            }
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let items = objects
                    .iter()
                    .map(|object| json::endpoints(object))
                    .collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            out(&get::get_endpoints(
                &objects,
                args.all_namespaces,
                cluster.now,
            ));
            Ok(())
        }
        "endpointslices" | "endpointslice" => {
            let namespace = args.namespace.as_deref().unwrap_or("default");
            let slices: Vec<_> = cluster
                .endpoint_slices
                .iter()
                .filter(|slice| args.all_namespaces || slice.namespace == namespace)
                .collect();
            if slices.is_empty() {
                err(&format!("No resources found in {namespace} namespace."));
                return Ok(());
            }
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let items = slices
                    .iter()
                    .map(|slice| json::endpoint_slice(slice))
                    .collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            out(&get::get_endpoint_slices(
                &slices,
                args.all_namespaces,
                cluster.now,
            ));
            Ok(())
        }
        other => {
            let kind = match other {
                "deployments" | "deployment" | "deploy" => WorkloadKind::Deployment,
                "replicasets" | "replicaset" | "rs" => WorkloadKind::ReplicaSet,
                "statefulsets" | "statefulset" | "sts" | "statefulsets.apps" => {
                    WorkloadKind::StatefulSet
                }
                "daemonsets" | "daemonset" | "ds" => WorkloadKind::DaemonSet,
                _ => {
                    return Err(Failure::Usage(format!(
                        "svcscope get {other}: not simulated yet (services, pods, endpoints, \
                         endpointslices, nodes, deployments, replicasets, statefulsets and \
                         daemonsets are)"
                    )));
                }
            };
            let namespace = args.namespace.as_deref().unwrap_or("default");
            let workloads: Vec<_> = cluster
                .workloads
                .iter()
                .filter(|workload| workload.kind == kind)
                .filter(|workload| args.all_namespaces || workload.namespace == namespace)
                .collect();
            if workloads.is_empty() {
                err(&format!("No resources found in {namespace} namespace."));
                return Ok(());
            }
            if matches!(args.output, Some(GetOutput::Json | GetOutput::Yaml)) {
                let items = workloads
                    .iter()
                    .map(|workload| json::workload(workload, &cluster.pods))
                    .collect();
                print_list(json::list(items), args.output);
                return Ok(());
            }
            let wide = matches!(args.output, Some(GetOutput::Wide));
            out(&get::get_workloads(
                kind,
                &workloads,
                &cluster.pods,
                wide,
                args.all_namespaces,
                cluster.now,
            ));
            Ok(())
        }
    }
}

/// `kubectl get all`: pods, services, then the workloads, each table with `kind/name` names
/// and a blank line between tables.
fn get_all(cluster: &Cluster, args: &GetArgs) -> Outcome {
    let namespace = args.namespace.as_deref().unwrap_or("default");
    let in_scope = |candidate: &str| args.all_namespaces || candidate == namespace;
    let mut tables: Vec<String> = Vec::new();
    let pods: Vec<_> = cluster
        .pods
        .iter()
        .filter(|pod| in_scope(&pod.namespace))
        .map(|pod| {
            let mut pod = pod.clone();
            pod.name = format!("pod/{}", pod.name);
            pod
        })
        .collect();
    if !pods.is_empty() {
        let refs: Vec<_> = pods.iter().collect();
        tables.push(get::get_pods(
            &refs,
            false,
            args.all_namespaces,
            cluster.now,
        ));
    }
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|service| in_scope(&service.meta.namespace))
        .map(|service| {
            let mut service = service.clone();
            service.meta.name = format!("service/{}", service.meta.name);
            service
        })
        .collect();
    if !services.is_empty() {
        let refs: Vec<_> = services.iter().collect();
        tables.push(get::get_services(
            &refs,
            false,
            args.all_namespaces,
            cluster.now,
        ));
    }
    for (kind, prefix) in [
        (WorkloadKind::DaemonSet, "daemonset.apps"),
        (WorkloadKind::Deployment, "deployment.apps"),
        (WorkloadKind::ReplicaSet, "replicaset.apps"),
        (WorkloadKind::StatefulSet, "statefulset.apps"),
    ] {
        let workloads: Vec<_> = cluster
            .workloads
            .iter()
            .filter(|workload| workload.kind == kind && in_scope(&workload.namespace))
            .map(|workload| {
                let mut workload = workload.clone();
                workload.name = format!("{prefix}/{}", workload.name);
                workload
            })
            .collect();
        if !workloads.is_empty() {
            let refs: Vec<_> = workloads.iter().collect();
            tables.push(get::get_workloads(
                kind,
                &refs,
                &cluster.pods,
                false,
                args.all_namespaces,
                cluster.now,
            ));
        }
    }
    if tables.is_empty() {
        err(&format!("No resources found in {namespace} namespace."));
    } else {
        out(&tables.join("\n"));
    }
    Ok(())
}

/// Prints a `v1` `List` as JSON or YAML.
fn print_list(list: serde_json::Value, output: Option<GetOutput>) {
    if matches!(output, Some(GetOutput::Yaml)) {
        out(&json::to_yaml(&list));
    } else {
        out(&format!("{list:#}\n"));
    }
}

fn describe(cluster: &Cluster, kind: &str, name: &str, namespace: &str) -> Outcome {
    let Some(kind) = Describe::parse(kind) else {
        return Err(Failure::Usage(format!(
            "svcscope describe {kind}: not simulated yet (service, endpoints, endpointslice, pod \
             and node are)"
        )));
    };
    out(&kubectl_view::describe(cluster, kind, namespace, name).map_err(Failure::NotFound)?);
    Ok(())
}

fn validate(cluster: &Cluster, joined: &Joined, output: ValidateOutput) -> Outcome {
    let invalid = cluster.has_errors();
    if output == ValidateOutput::Json {
        let entry = |diagnostic: &Diagnostic| {
            let (line, column) = match diagnostic.line {
                Some(line) => (
                    serde_json::Value::from(joined.locate(line).1),
                    serde_json::Value::from(diagnostic.column),
                ),
                None => (serde_json::Value::Null, serde_json::Value::Null),
            };
            let file = diagnostic
                .line
                .map(|line| joined.locate(line).0)
                .unwrap_or_default();
            serde_json::json!({
                "object": diagnostic.object,
                "field": diagnostic.field,
                "type": diagnostic.error_type,
                "detail": diagnostic.message,
                "file": file,
                "line": line,
                "column": column,
            })
        };
        let pick = |severity: Severity| -> Vec<serde_json::Value> {
            cluster
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.severity == severity)
                .map(entry)
                .collect()
        };
        let report = serde_json::json!({
            "errors": pick(Severity::Error),
            "warnings": pick(Severity::Warning),
        });
        out(&format!("{report:#}\n"));
    } else {
        print_diagnostics(cluster, joined);
        if !invalid {
            out(&format!("valid: {} objects\n", cluster.objects.len()));
        }
    }
    if invalid {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

/// Reads every `-f` argument; no argument means standard input.
fn read_inputs(files: &[PathBuf]) -> Result<Vec<Input>, String> {
    if files.is_empty() {
        return Ok(vec![read_stdin()?]);
    }
    let mut inputs = Vec::new();
    for file in files {
        if file.as_os_str() == "-" {
            inputs.push(read_stdin()?);
        } else if file.is_dir() {
            for path in manifest_files_in(file)? {
                inputs.push(read_file(&path)?);
            }
        } else {
            inputs.push(read_file(file)?);
        }
    }
    Ok(inputs)
}

fn read_stdin() -> Result<Input, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| format!("reading standard input: {error}"))?;
    Ok(Input {
        origin: "<stdin>".to_owned(),
        text,
    })
}

fn read_file(path: &Path) -> Result<Input, String> {
    let bytes =
        std::fs::read(path).map_err(|error| format!("reading {}: {error}", path.display()))?;
    Ok(Input {
        origin: path.display().to_string(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// The *.yaml, *.yml and *.json files directly inside `directory`, sorted by name.
fn manifest_files_in(directory: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(directory)
        .map_err(|error| format!("reading {}: {error}", directory.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && matches!(
                    path.extension().and_then(|extension| extension.to_str()),
                    Some("yaml" | "yml" | "json")
                )
        })
        .collect();
    svcscope::small::order::sort(&mut paths);
    Ok(paths)
}
