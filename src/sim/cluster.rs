//! The simulated cluster: what a control plane makes of the input.
//!
//! [`Cluster::build`] reads the manifests, then creates the objects through the API server
//! model (defaulting, validation, allocation). Objects the API server rejects are marked
//! rejected and explained by diagnostics that carry upstream's field paths and error types.
//!
//! Not modelled yet: the workload controllers, the scheduler and the EndpointSlice controller
//! (Deployments and Pods are read and kept, but no pods or endpoints are derived from them).

use super::apiserver::{builtin_services, create_services, Admission, Allocators};
use super::config::ClusterConfig;
use super::manifest::{parse_manifests, Diagnostic, ObjectRef, ReadStatus, Severity};
use super::objects::{Object, Service};
use super::yaml;

/// The cluster after applying the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The configuration it was built with.
    pub config: ClusterConfig,
    /// Every object of the input, in input order, with what became of it.
    pub objects: Vec<ObjectRef>,
    /// Problems, in input order; API validation errors follow the reading problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The Services stored by the API server (defaulted and allocated): the cluster's own
    /// `default/kubernetes` and `kube-system/kube-dns` first, then the input's.
    pub services: Vec<Service>,
}

impl Cluster {
    /// Builds the cluster from manifest text.
    pub fn build(text: &str, config: &ClusterConfig) -> Cluster {
        let parsed = parse_manifests(text);
        let mut objects = parsed.objects;
        let mut diagnostics = parsed.diagnostics;
        let mut allocators = Allocators::new(config);

        let builtins = builtin_services(config);
        let builtin_ids: Vec<String> = builtins.iter().map(service_key).collect();
        let mut services = Vec::new();
        for admission in create_services(&mut allocators, builtins) {
            if let Admission::Created(service) = admission {
                services.push(*service);
            }
        }

        // The input's Services, with their index in `objects`.
        let mut inputs: Vec<(usize, Service)> = Vec::new();
        for (index, object) in objects.iter().enumerate() {
            if let Some(Object::Service(service)) = &object.decoded {
                let mut service = service.clone();
                if service.meta.namespace.is_empty() {
                    service.meta.namespace = "default".to_owned();
                }
                inputs.push((index, service));
            }
        }
        // Applying a built-in Service again (say, kube-dns from CoreDNS's own manifests) updates
        // it; updates are not modelled, so the input's copy is kept as given (see README).
        let (updates, creates): (Vec<_>, Vec<_>) = inputs
            .into_iter()
            .partition(|(_, service)| builtin_ids.contains(&service_key(service)));
        for (index, _) in &updates {
            if let Some(object) = objects.get(*index) {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    document: object.document,
                    line: object.source.as_ref().map(|node| node.line),
                    column: object.source.as_ref().map(|node| node.column),
                    object: object.id(),
                    field: String::new(),
                    error_type: String::new(),
                    message: format!(
                        "{} already exists in every cluster; svcscope keeps the built-in one \
                         (updates of existing objects are not simulated)",
                        object.id()
                    ),
                });
            }
        }
        let (indices, create): (Vec<usize>, Vec<Service>) = creates.into_iter().unzip();
        for (index, admission) in indices
            .into_iter()
            .zip(create_services(&mut allocators, create))
        {
            match admission {
                Admission::Created(service) => services.push(*service),
                Admission::Rejected(errors) => {
                    let Some(object) = objects.get_mut(index) else {
                        continue;
                    };
                    object.status = ReadStatus::Rejected;
                    for error in errors {
                        let node = object
                            .source
                            .as_ref()
                            .map(|root| yaml::locate(root, &error.field));
                        diagnostics.push(Diagnostic {
                            severity: Severity::Error,
                            document: object.document,
                            line: node.map(|node| node.line),
                            column: node.map(|node| node.column),
                            object: object.id(),
                            field: error.field.clone(),
                            error_type: error.error_type.as_str().to_owned(),
                            message: error.to_kubectl_string(),
                        });
                    }
                }
            }
        }
        Cluster {
            config: config.clone(),
            objects,
            diagnostics,
            services,
        }
    }

    /// True when the API server would reject something, or something could not be read.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

fn service_key(service: &Service) -> String {
    format!("{}/{}", service.meta.namespace, service.meta.name)
}
