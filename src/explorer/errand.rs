//! The page's errands to its second module. The model (parsing, the API server, the
//! controllers, DNS, kube-proxy) runs in a second wasm module, a web worker: the page's own
//! module only draws, so its first load carries no model code and no simulation ever holds up
//! the main thread.
//!
//! The page sends a [`Request`] (the editor's text and what-ifs, and what it asks) and the
//! worker answers it with [`Worker::answer`], from the same functions the CLI calls. Both
//! travel as postcard bytes ([`Request::to_bytes`], [`Reply::from_bytes`]). Pure: the worker
//! shell only moves bytes, so everything here is tested natively.

use serde::{Deserialize, Serialize};

use crate::explorer::kubectl_view::{self, KubectlView};
use crate::explorer::questions::trace_from_pod;
use crate::explorer::rules_view::{rules_view, RulesFormat, RulesView};
use crate::explorer::scene::{scene, Scene, SceneQuestion};
use crate::explorer::what_if::{cluster_with, node_commands, written_back, WhatIfs};
use crate::sim::control::cluster::{Cluster, Command};
use crate::sim::key::ObjectKey;
use crate::sim::kubectl::label::kubectl_label;

/// What the page asks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Errand {
    /// The first screen ([`scene`]).
    Scene(SceneQuestion),
    /// A node's kube-proxy rules ([`rules_view`]).
    Rules {
        /// The node (empty: the one the trace follows).
        node: String,
        /// The Service whose chains stand out (empty: the traced one).
        service: String,
        /// The mode and spelling.
        format: RulesFormat,
    },
    /// What a `kubectl` command prints ([`kubectl_view::view`]).
    Kubectl {
        /// The command wanted (empty or not offered: the first one offered).
        command: String,
    },
    /// A what-if: where it goes ([`written_back`]).
    WhatIf(Action),
    /// A scenario's manifests, by its id ([`crate::explorer::scenarios::Scenario::yaml`]).
    Scenario(String),
}

/// A what-if the reader made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// A change by button (scale, delete, readiness).
    Run(Command),
    /// `kubectl label --overwrite pod NAME ARGS` typed into a pod's labels.
    Label {
        /// The pod.
        pod: ObjectKey,
        /// What was typed.
        args: String,
    },
}

/// What became of a what-if: the commands it makes, each with the text it was written into
/// (when it is written into the YAML), and what kubectl printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// The commands, in order, each with the edited text (`None`: replayed as a command).
    pub commands: Vec<(Command, Option<String>)>,
    /// What kubectl printed (for `Label`).
    pub said: String,
}

/// An errand with the cluster it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Echoed in the reply, so that the page can drop answers to questions it no longer asks.
    pub id: u32,
    /// The editor's text.
    pub yaml: String,
    /// The what-ifs replayed on its cluster.
    pub commands: Vec<Command>,
    /// The traced packet's start (`namespace/name`; empty: the first client pod).
    pub trace_from: String,
    /// Its destination (`HOST[:PORT]`).
    pub trace_to: String,
    /// What is asked.
    pub errand: Errand,
    /// The cluster's address families ([`crate::sim::config::Stack::id`]: its
    /// `--service-cluster-ip-range` and `--cluster-cidr`; empty or unknown: IPv4). Text, so
    /// that the page serializes no enum for it.
    #[serde(default)]
    pub stack: String,
}

/// The worker's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The first screen.
    Scene(Box<Scene>),
    /// A node's rules.
    Rules(RulesView),
    /// A kubectl command's output.
    Kubectl(KubectlView),
    /// A what-if's outcome.
    WhatIf(Done),
    /// A scenario's manifests and explanation (empty for an unknown id).
    Scenario(String, String),
    /// The request could not be read (it came from another build, or was damaged).
    Failed(String),
}

impl Request {
    /// The request as the page posts it.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// The request `bytes` hold.
    pub fn from_bytes(bytes: &[u8]) -> Result<Request, String> {
        postcard::from_bytes(bytes)
            .map_err(|error| format!("a request that cannot be read: {error}"))
    }
}

/// A reply with the id of its request, as the worker posts it.
pub fn reply_bytes(id: u32, reply: &Reply) -> Vec<u8> {
    postcard::to_allocvec(&(id, reply)).unwrap_or_default()
}

/// The id and the reply that `bytes` (a worker's answer) hold.
/// (The page's own module reads it: postcard's error is not spelled out, which would link
/// every one of its messages into that module.)
pub fn reply(bytes: &[u8]) -> (u32, Reply) {
    postcard::from_bytes(bytes).unwrap_or_else(|_| {
        (
            0,
            Reply::Failed(
                "an answer that cannot be read (the second module is from another build?)"
                    .to_owned(),
            ),
        )
    })
}

/// The worker's side: it keeps the last cluster it built, so that questions about the same
/// text and what-ifs do not build it again.
#[derive(Default)]
pub struct Worker {
    /// The text and what-ifs of `cluster`.
    key: Option<(String, Vec<Command>, crate::sim::config::Stack)>,
    /// The cluster built for `key`.
    cluster: Option<Cluster>,
}

impl Worker {
    /// The answer to the request in `bytes`, as the worker posts it back.
    pub fn answer(&mut self, bytes: &[u8]) -> Vec<u8> {
        match Request::from_bytes(bytes) {
            Ok(request) => reply_bytes(request.id, &self.errand(&request)),
            Err(why) => reply_bytes(0, &Reply::Failed(why)),
        }
    }

    /// What `request` asks, from the same functions as the CLI.
    pub fn errand(&mut self, request: &Request) -> Reply {
        if let Errand::Scenario(id) = &request.errand {
            let scenario = crate::explorer::scenarios::scenario(id);
            return Reply::Scenario(
                scenario.map_or("", |scenario| scenario.yaml()).to_owned(),
                scenario
                    .map_or("", |scenario| scenario.explanation())
                    .to_owned(),
            );
        }
        let stack = crate::sim::config::Stack::from_id(&request.stack).unwrap_or_default();
        let cluster = self.cluster(&request.yaml, &request.commands, stack);
        match &request.errand {
            Errand::Scene(question) => Reply::Scene(Box::new(scene(cluster, question))),
            Errand::Rules {
                node,
                service,
                format,
            } => {
                let traced = trace_from_pod(cluster, &request.trace_from, &request.trace_to).ok();
                Reply::Rules(rules_view(cluster, node, service, traced.as_ref(), *format))
            }
            Errand::Kubectl { command } => Reply::Kubectl(kubectl_view::view(cluster, command)),
            Errand::WhatIf(action) => Reply::WhatIf(what_if(cluster, &request.yaml, action)),
            Errand::Scenario(_) => Reply::Scenario(String::new(), String::new()),
        }
    }

    /// The cluster of `yaml` with `commands` replayed, built once per text and what-ifs.
    fn cluster(
        &mut self,
        yaml: &str,
        commands: &[Command],
        stack: crate::sim::config::Stack,
    ) -> &Cluster {
        let same = self.key.as_ref().is_some_and(|(text, replayed, built)| {
            text == yaml && replayed == commands && *built == stack
        });
        if !same {
            self.cluster = None;
            self.key = Some((yaml.to_owned(), commands.to_vec(), stack));
        }
        self.cluster.get_or_insert_with(|| {
            let what_ifs = WhatIfs {
                text: yaml.to_owned(),
                commands: commands.to_vec(),
            };
            let config = stack.config();
            cluster_with(yaml, &what_ifs, |text| Cluster::build(text, &config))
        })
    }
}

/// Where `action`, made on the cluster of `text`, goes.
pub fn what_if(cluster: &Cluster, text: &str, action: &Action) -> Done {
    let (commands, said) = match action {
        Action::Run(command) => (
            node_commands(cluster, command).unwrap_or_else(|| vec![command.clone()]),
            String::new(),
        ),
        Action::Label { pod, args } => {
            let labeled = kubectl_label(cluster, &pod.namespace, &pod.name, args);
            let said = format!(
                "$ kubectl label --overwrite -n {} pod {} {args}\n{}{}",
                pod.namespace, pod.name, labeled.stdout, labeled.stderr
            );
            (labeled.commands, said)
        }
    };
    // Each command is written into the text as the one before left it.
    let mut current = text.to_owned();
    let commands = commands
        .into_iter()
        .map(|command| {
            let written = written_back(&current, cluster, &command);
            if let Some(edited) = &written {
                current = edited.clone();
            }
            (command, written)
        })
        .collect();
    Done { commands, said }
}
