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
