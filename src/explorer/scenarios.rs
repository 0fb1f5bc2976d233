//! Ready-made inputs taken from the source articles in `shared/seeds/`.

/// Seed 000 ("Kubernetes Headless Service的概念和应用"): the headless Service `nginx`
/// (`clusterIP: None`, port 8080, selector `app=nginx`) exactly as the article writes it, over
/// the two-replica `nginx-deployment` whose pods the article lists with `kubectl get pod -o wide`.
/// The article does not print the Deployment; this one carries the label the Service selects and
/// the port its endpoints show (`10.244.109.121:8080,10.244.140.125:8080`).
pub const HEADLESS_NGINX: &str = include_str!("scenarios/seed-000.yaml");

/// A one-click walkthrough: the objects, what to notice, and the DNS question and connection
/// that show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Stable identifier (`?scenario=ID`).
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// The pod that asks (`namespace/name`) and the name it asks for.
    pub dns: (&'static str, &'static str),
    /// The pod that connects (`namespace/name`) and where to (`host:port`).
    pub trace: (&'static str, &'static str),
}

/// The first scenario's explanation (see [`Scenario::explanation`]).
pub const FIRST_EXPLANATION: &str = "clusterIP: None: no virtual IP and no kube-proxy rules.\nDNS answers with every ready pod's address; the client picks one and connects straight to it.";

/// The first scenario's manifests: the page holds them, to show them at once.
pub const FIRST_YAML: &str = include_str!("scenarios/headless.yaml");

impl Scenario {
    /// The cluster's address families: the dual-stack scenario's are both, the others' IPv4.
    pub fn stack(&self) -> crate::sim::config::Stack {
        match self.id {
            "dual-stack" => crate::sim::config::Stack::DualStack,
            _ => crate::sim::config::Stack::Ipv4,
        }
    }

    /// Two lines on what it shows. The others than the first come from the second module
    /// ([`crate::explorer::errand::Errand::Scenario`]): the page's own module holds only what
    /// it needs to start.
    pub fn explanation(&self) -> &'static str {
        match self.id {
            "headless" => FIRST_EXPLANATION,
            "headless-no-selector" => "No selector: no controller makes endpoints; the Endpoints object of the same name supplies them.\nDNS returns exactly the addresses written there (mirrored into an EndpointSlice).",
            "externalname" => "An ExternalName Service is only a DNS alias: a CNAME, no IP, no endpoints, no rules.\nHere it points at nginx-svc in qa, so CoreDNS also returns that Service's ClusterIP.",
            "clusterip-vs-headless" => "Same pods, two Services: normal-nginx resolves to one virtual IP that kube-proxy spreads over the pods;\nheadless-nginx resolves to the three pod IPs themselves.",
            "nodeport" => "Every node opens 30080; kube-proxy sends it to a pod, maybe on another node.\nWith externalTrafficPolicy Cluster the source is masqueraded to the node, so the pod never sees the client.",
            "statefulset" => "Each StatefulSet pod gets a stable name and its own DNS record: web-0.web-headless.awx.svc.cluster.local.\nThe headless Service name returns all three.",
            "loadbalancer" => "The load balancer's address (status.loadBalancer.ingress) reaches only nodes with a local endpoint;\nthe client's own address is kept, and a node without one drops the traffic.",
            "topology" => "trafficDistribution: PreferClose: the EndpointSlice controller hints each endpoint with its node's zone.\nkube-proxy on the client's node, in zone-b, keeps only zone-b's endpoint: the request never crosses zones.",
            "rollout" => "The second document applies a new image: one new pod at a time, an old one removed only once the new is Ready.\nPlay the timeline: old pods stay as serving, terminating endpoints for their 10 s preStop; 3 stay ready throughout.",
            "no-endpoints-selector" => "The Service selects app=web but the pods are labelled app=nginx: no endpoints.\nDNS still returns the ClusterIP; kube-proxy REJECTs connections to it.",
            "no-endpoints-target-port" => "targetPort: http, but the container's port is named web: no pod can serve it.\nThe pods are selected, yet the EndpointSlice stays empty and connections are REJECTed.",
            "dual-stack" => "A dual-stack cluster (IPv4 and IPv6): pods get an address of each family, a PreferDualStack Service a ClusterIP of each and one EndpointSlice per family.\nCoreDNS answers A and AAAA; each family has its own kube-proxy rules (iptables and ip6tables). The client below connects over IPv6.",
            "no-endpoints-not-ready" => "The pods run but never pass readiness (svcscope.dev/ready: \"false\" stands for a failing probe).\nThey are endpoints, but not ready ones: the headless name does not resolve, the ClusterIP rejects.",
            _ => "",
        }
    }

    /// The manifests (from the second module, as [`Scenario::explanation`]).
    pub fn yaml(&self) -> &'static str {
        match self.id {
            "headless" => FIRST_YAML,
            "headless-no-selector" => include_str!("scenarios/headless-no-selector.yaml"),
            "externalname" => include_str!("scenarios/externalname.yaml"),
            "clusterip-vs-headless" => include_str!("scenarios/clusterip-vs-headless.yaml"),
            "nodeport" => include_str!("scenarios/nodeport.yaml"),
            "statefulset" => include_str!("scenarios/statefulset.yaml"),
            "loadbalancer" => include_str!("scenarios/loadbalancer.yaml"),
            "topology" => include_str!("scenarios/topology.yaml"),
            "rollout" => include_str!("scenarios/rollout.yaml"),
            "no-endpoints-selector" => include_str!("scenarios/no-endpoints-selector.yaml"),
            "no-endpoints-target-port" => include_str!("scenarios/no-endpoints-target-port.yaml"),
            "no-endpoints-not-ready" => include_str!("scenarios/no-endpoints-not-ready.yaml"),
            "dual-stack" => include_str!("scenarios/dual-stack.yaml"),
            _ => "",
        }
    }
}

/// The scenarios of the source articles, in the order a reader meets them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "headless",
        title: "Headless Service with a selector (seed 000)",
        dns: ("default/client", "nginx"),
        trace: ("default/client", "nginx:8080"),
    },
    Scenario {
        id: "headless-no-selector",
        title: "Headless Service without a selector, with its own Endpoints (seed 000)",
        dns: ("default/client", "db"),
        trace: ("default/client", "db:3306"),
    },
    Scenario {
        id: "externalname",
        title: "ExternalName to a Service in another namespace (seeds 000, 002)",
        dns: ("default/client", "nginx-ro"),
        trace: ("default/client", "nginx-ro:80"),
    },
    Scenario {
        id: "clusterip-vs-headless",
        title: "ClusterIP beside headless (seed 003)",
        dns: ("default/client", "normal-nginx"),
        trace: ("default/client", "normal-nginx:80"),
    },
    Scenario {
        id: "nodeport",
        title: "NodePort 30080 (seed 002)",
        dns: ("default/client", "nginx-ro"),
        trace: ("default/client", "nginx-ro:80"),
    },
    Scenario {
        id: "statefulset",
        title: "StatefulSet web with web-headless (seed 001)",
        dns: ("awx/tmp01", "web-headless"),
        trace: ("awx/tmp01", "web-0.web-headless:80"),
    },
    Scenario {
        id: "loadbalancer",
        title: "LoadBalancer with externalTrafficPolicy Local",
        dns: ("default/client", "shop"),
        trace: ("default/client", "shop:80"),
    },
    Scenario {
        id: "topology",
        title: "Traffic kept in the client's zone (trafficDistribution)",
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "rollout",
        title: "A rolling update, second by second (maxSurge 1, maxUnavailable 0)",
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "dual-stack",
        title: "Dual-stack: IPv4 and IPv6 side by side",
        dns: ("default/client", "web"),
        trace: ("default/client", "web-v6:80"),
    },
    Scenario {
        id: "no-endpoints-selector",
        title: "Why no endpoints? A selector that matches no pod",
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "no-endpoints-target-port",
        title: "Why no endpoints? A targetPort no container names",
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "no-endpoints-not-ready",
        title: "Why no endpoints? A pod that never gets ready",
        dns: ("default/client", "api-headless.default.svc.cluster.local."),
        trace: ("default/client", "api:80"),
    },
];

/// The scenario with this id.
pub fn scenario(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|scenario| scenario.id == id)
}
