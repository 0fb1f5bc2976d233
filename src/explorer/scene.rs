//! Everything the page's first screen shows of a cluster, as plain data: the objects and
//! diagnostics, the event stream, the picture (at the timeline's step), the what-if rows, the
//! DNS question's answer and the traced packet. The page's second module computes it
//! ([`crate::explorer::errand`]) and the page only draws it, so the page itself carries no
//! model code.

use serde::{Deserialize, Serialize};

use crate::explorer::picture::{layout_moving, motion_at, Picture};
use crate::explorer::questions::{
    ask, client_pod_choices, spread_from_pod, trace_from_pod, Asked, DnsQuestion,
};
use crate::explorer::selection::{describe, rows, Row, Selected};
use crate::explorer::what_if::{pod_rows, scalable, PodRow, Scalable};
use crate::sim::control::clock::moment;
use crate::sim::control::cluster::Cluster;
use crate::sim::input::diagnostic::Diagnostic;
use crate::sim::input::manifest::ReadStatus;
use crate::sim::proxy::trace::Trace;

/// What the page asks to see, besides the text and its what-ifs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SceneQuestion {
    /// The timeline's position (`None`: the cluster now).
    pub step: Option<usize>,
    /// The DNS question.
    pub dns: DnsQuestion,
    /// Where the packet starts (`namespace/name` of a pod; empty: the first client pod).
    pub trace_from: String,
    /// Where it goes (`HOST[:PORT]`).
    pub trace_to: String,
    /// Whether 20 connections are sent too.
    pub spread: bool,
    /// What the picture is narrowed to: the Services whose `namespace/name` has it and their
    /// pods (empty: everything, aggregated at scale).
    pub focus: String,
    /// What is selected on the picture ([`Selected::id`]; empty: nothing).
    #[serde(default)]
    pub selected: String,
}

/// One object of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRow {
    /// `kind` as written.
    pub kind: String,
    /// Its namespace (empty: cluster-scoped).
    pub namespace: String,
    /// Its name (empty: missing).
    pub name: String,
    /// What became of it.
    pub status: ReadStatus,
}

/// The first screen's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    /// The timeline's position the picture is at (`None`: now), as asked.
    pub step: Option<usize>,
    /// The input's objects, in order.
    pub objects: Vec<ObjectRow>,
    /// What the API server, the controllers and the model said about them.
    pub diagnostics: Vec<Diagnostic>,
    /// Every event, in one line of plain words each, after its simulated moment (`12.0s`; the
    /// timeline plays and scrubs by it, [`moment_of`]).
    pub events: Vec<String>,
    /// The picture at the asked step.
    pub picture: Picture,
    /// The workloads a reader can scale.
    pub workloads: Vec<Scalable>,
    /// The input's pods.
    pub pods: Vec<PodRow>,
    /// The pods a question or a packet can start from (`namespace/name`).
    pub client_pods: Vec<String>,
    /// The DNS question and its answer.
    pub asked: Asked,
    /// The traced packet, or why there is none.
    pub traced: Result<Trace, String>,
    /// Where 20 connections end (`ending ×count`, joined), when asked.
    pub spread: Option<String>,
    /// What the inspector says about it, a line each ([`rows`] of its [`SelectionView`]).
    pub selection: Vec<Row>,
}

impl Default for Scene {
    /// Nothing yet (before the second module's first answer): no trace and no error either.
    fn default() -> Self {
        Scene {
            step: None,
            objects: Vec::new(),
            diagnostics: Vec::new(),
            events: Vec::new(),
            picture: Picture::default(),
            workloads: Vec::new(),
            pods: Vec::new(),
            client_pods: Vec::new(),
            asked: Asked::default(),
            traced: Err(String::new()),
            spread: None,
            selection: Vec::new(),
        }
    }
}

/// The simulated moment, in milliseconds, an event line of [`Scene::events`] starts with
/// (`12.5s pod ... is Ready` is 12,500); 0 when it has none.
pub fn moment_of(line: &str) -> u32 {
    let head = line.split(' ').next().unwrap_or_default();
    let Some(number) = head.strip_suffix('s') else {
        return 0;
    };
    let (whole, tenths) = number.split_once('.').unwrap_or((number, "0"));
    let whole: u32 = whole.parse().unwrap_or(0);
    let tenths: u32 = tenths.parse().unwrap_or(0);
    whole
        .saturating_mul(1000)
        .saturating_add(tenths.saturating_mul(100))
}

/// The moment the timeline stands at after its first `step` lines of [`Scene::events`] (0
/// before any): the page's time slider shows it.
pub fn moment_at(events: &[String], step: usize) -> u32 {
    step.checked_sub(1)
        .and_then(|last| events.get(last))
        .map_or(0, |line| moment_of(line))
}

/// How many lines of [`Scene::events`] had happened by moment `at`: the step the page's time
/// slider goes to (the page's twin of [`Cluster::step_at`]).
pub fn step_at(events: &[String], at: u32) -> usize {
    events.partition_point(|line| moment_of(line) <= at)
}

/// The scene of `cluster` for `question`.
pub fn scene(cluster: &Cluster, question: &SceneQuestion) -> Scene {
    let traced = trace_from_pod(cluster, &question.trace_from, &question.trace_to);
    let asked = ask(cluster, &question.dns);
    // The picture and the selection show the timeline's step; the questions the cluster now.
    let past = question.step.map(|step| cluster.at(step));
    let shown = past.as_ref().unwrap_or(cluster);
    let selected = Selected::parse(&question.selected);
    let counts = question
        .spread
        .then(|| spread_from_pod(cluster, &question.trace_from, &question.trace_to));
    let mut motion = question
        .step
        .map(|step| motion_at(cluster, step))
        .unwrap_or_default();
    if let Some(Ok(counts)) = &counts {
        motion.spread = counts.clone();
    }
    let picture = layout_moving(
        shown,
        traced.as_ref().ok(),
        Some(&asked),
        &question.focus,
        selected.as_ref(),
        &motion,
    );
    let described = selected
        .as_ref()
        .and_then(|selected| describe(shown, selected));
    let spread = counts.map(|counts| match counts {
        Ok(counts) => counts
            .into_iter()
            .map(|(ending, count)| format!("{ending} ×{count}"))
            .collect::<Vec<_>>()
            .join("   "),
        Err(message) => message,
    });
    Scene {
        step: question.step,
        objects: cluster
            .objects
            .iter()
            .map(|object| ObjectRow {
                kind: object.kind.clone(),
                namespace: object.namespace.clone(),
                name: object.name.clone(),
                status: object.status,
            })
            .collect(),
        diagnostics: cluster.diagnostics.clone(),
        events: cluster
            .events
            .iter()
            .zip(&cluster.times)
            .map(|(event, at)| format!("{} {}", moment(*at), event.message()))
            .collect(),
        picture,
        workloads: scalable(cluster),
        pods: pod_rows(cluster),
        client_pods: client_pod_choices(cluster),
        asked,
        traced,
        spread,
        selection: rows(described.as_ref()),
    }
}
