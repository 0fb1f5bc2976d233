//! Ready-made inputs taken from the source articles in `shared/seeds/`.

/// Seed 000 ("Kubernetes Headless Service的概念和应用"): the headless Service `nginx`
/// (`clusterIP: None`, port 8080, selector `app=nginx`) exactly as the article writes it, over
/// the two-replica `nginx-deployment` whose pods the article lists with `kubectl get pod -o wide`.
/// The article does not print the Deployment; this one carries the label the Service selects and
/// the port its endpoints show (`10.244.109.121:8080,10.244.140.125:8080`).
pub const HEADLESS_NGINX: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 8080
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 8080
";

/// A one-click walkthrough: the objects, what to notice, and the DNS question and connection
/// that show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Stable identifier (`?scenario=ID`).
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// Two lines on what it shows.
    pub explanation: &'static str,
    /// The manifests.
    pub yaml: &'static str,
    /// The pod that asks (`namespace/name`) and the name it asks for.
    pub dns: (&'static str, &'static str),
    /// The pod that connects (`namespace/name`) and where to (`host:port`).
    pub trace: (&'static str, &'static str),
}

/// Appends the `client` pod (busybox, in `default`) the scenarios ask and connect from.
macro_rules! with_client {
    ($yaml:expr) => {
        concat!(
            $yaml,
            "---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: client
    image: busybox
"
        )
    };
}

/// The scenarios of the source articles, in the order a reader meets them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "headless",
        title: "Headless Service with a selector (seed 000)",
        explanation: "clusterIP: None: no virtual IP and no kube-proxy rules.\nDNS answers with every ready pod's address; the client picks one and connects straight to it.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 8080
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 8080
"),
        dns: ("default/client", "nginx"),
        trace: ("default/client", "nginx:8080"),
    },
    Scenario {
        id: "headless-no-selector",
        title: "Headless Service without a selector, with its own Endpoints (seed 000)",
        explanation: "No selector: no controller makes endpoints; the Endpoints object of the same name supplies them.\nDNS returns exactly the addresses written there (mirrored into an EndpointSlice).",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  ports:
  - name: mysql
    port: 3306
---
apiVersion: v1
kind: Endpoints
metadata:
  name: db
subsets:
- addresses:
  - ip: 192.0.2.10
  - ip: 192.0.2.11
  ports:
  - name: mysql
    port: 3306
"),
        dns: ("default/client", "db"),
        trace: ("default/client", "db:3306"),
    },
    Scenario {
        id: "externalname",
        title: "ExternalName to a Service in another namespace (seeds 000, 002)",
        explanation: "An ExternalName Service is only a DNS alias: a CNAME, no IP, no endpoints, no rules.\nHere it points at nginx-svc in qa, so CoreDNS also returns that Service's ClusterIP.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: nginx-ro
spec:
  type: ExternalName
  externalName: nginx-svc.qa.svc.cluster.local
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  namespace: qa
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: nginx-svc
  namespace: qa
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
"),
        dns: ("default/client", "nginx-ro"),
        trace: ("default/client", "nginx-ro:80"),
    },
    Scenario {
        id: "clusterip-vs-headless",
        title: "ClusterIP beside headless (seed 003)",
        explanation: "Same pods, two Services: normal-nginx resolves to one virtual IP that kube-proxy spreads over the pods;\nheadless-nginx resolves to the three pod IPs themselves.",
        yaml: with_client!("apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: normal-nginx
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: headless-nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
"),
        dns: ("default/client", "normal-nginx"),
        trace: ("default/client", "normal-nginx:80"),
    },
    Scenario {
        id: "nodeport",
        title: "NodePort 30080 (seed 002)",
        explanation: "Every node opens 30080; kube-proxy sends it to a pod, maybe on another node.\nWith externalTrafficPolicy Cluster the source is masqueraded to the node, so the pod never sees the client.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: nginx-ro
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
  selector:
    app: nginx-ro
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment-ro
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx-ro
  template:
    metadata:
      labels:
        app: nginx-ro
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
"),
        dns: ("default/client", "nginx-ro"),
        trace: ("default/client", "nginx-ro:80"),
    },
    Scenario {
        id: "statefulset",
        title: "StatefulSet web with web-headless (seed 001)",
        explanation: "Each StatefulSet pod gets a stable name and its own DNS record: web-0.web-headless.awx.svc.cluster.local.\nThe headless Service name returns all three.",
        yaml: "apiVersion: v1
kind: Service
metadata:
  name: web-headless
  namespace: awx
  labels:
    app: nginx_headless
spec:
  ports:
  - port: 30088
    targetPort: 80
    name: nginx-web-headless
  clusterIP: None
  selector:
    app: web-headless
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: awx
spec:
  serviceName: web-headless
  replicas: 3
  selector:
    matchLabels:
      app: web-headless
  template:
    metadata:
      labels:
        app: web-headless
    spec:
      containers:
      - name: nginx-web
        image: nginx
        ports:
        - containerPort: 80
          name: nginx-web
---
apiVersion: v1
kind: Pod
metadata:
  name: tmp01
  namespace: awx
spec:
  containers:
  - name: tmp01
    image: tutum/dnsutils
",
        dns: ("awx/tmp01", "web-headless"),
        trace: ("awx/tmp01", "web-0.web-headless:80"),
    },
    Scenario {
        id: "loadbalancer",
        title: "LoadBalancer with externalTrafficPolicy Local",
        explanation: "The load balancer's address (status.loadBalancer.ingress) reaches only nodes with a local endpoint;\nthe client's own address is kept, and a node without one drops the traffic.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 8080
status:
  loadBalancer:
    ingress:
    - ip: 203.0.113.10
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx
        ports:
        - containerPort: 8080
"),
        dns: ("default/client", "shop"),
        trace: ("default/client", "shop:80"),
    },
    Scenario {
        id: "no-endpoints-selector",
        title: "Why no endpoints? A selector that matches no pod",
        explanation: "The Service selects app=web but the pods are labelled app=nginx: no endpoints.\nDNS still returns the ClusterIP; kube-proxy REJECTs connections to it.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
"),
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "no-endpoints-target-port",
        title: "Why no endpoints? A targetPort no container names",
        explanation: "targetPort: http, but the container's port is named web: no pod can serve it.\nThe pods are selected, yet the EndpointSlice stays empty and connections are REJECTed.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
          name: web
"),
        dns: ("default/client", "web"),
        trace: ("default/client", "web:80"),
    },
    Scenario {
        id: "no-endpoints-not-ready",
        title: "Why no endpoints? A pod that never gets ready",
        explanation: "The pods run but never pass readiness (svcscope.dev/ready: \"false\" stands for a failing probe).\nThey are endpoints, but not ready ones: the headless name does not resolve, the ClusterIP rejects.",
        yaml: with_client!("apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api-headless
spec:
  clusterIP: None
  selector:
    app: api
  ports:
  - port: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
      annotations:
        svcscope.dev/ready: \"false\"
    spec:
      containers:
      - name: api
        image: nginx
        ports:
        - containerPort: 8080
"),
        dns: ("default/client", "api-headless.default.svc.cluster.local."),
        trace: ("default/client", "api:80"),
    },
];

/// The scenario with this id.
pub fn scenario(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|scenario| scenario.id == id)
}
