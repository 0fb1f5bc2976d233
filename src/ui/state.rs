//! The explorer's state: every signal that a share link, a scenario or a reload restores.

use leptos::prelude::*;

use crate::explorer::errand::{Errand, Reply, Request};
use crate::explorer::questions::{DnsFormat, DnsQuestion};
use crate::explorer::rules_view::RulesFormat;
use crate::explorer::scenarios::{self, Scenario};
use crate::explorer::share::SharedState;
use crate::explorer::view::{restored_zoom, Panel, ZOOM_DEFAULT};
use crate::explorer::what_if::WhatIfs;
use crate::sim::dns::plugin::QType;
use crate::sim::dns::resolver::ResolverKind;

/// A choice among named values (a panel, a rules format, a record type) as the page holds it.
pub trait Named: Copy + PartialEq + 'static {
    /// Its name in links and choices.
    fn name(self) -> &'static str;
    /// The value named `name`; the default for anything else.
    fn named(name: &str) -> Self;
}

impl Named for Panel {
    fn name(self) -> &'static str {
        self.id()
    }
    fn named(name: &str) -> Panel {
        Panel::from_id(name).unwrap_or_default()
    }
}

impl Named for RulesFormat {
    fn name(self) -> &'static str {
        self.id()
    }
    fn named(name: &str) -> RulesFormat {
        RulesFormat::from_id(name)
    }
}

impl Named for QType {
    fn name(self) -> &'static str {
        self.as_str()
    }
    fn named(name: &str) -> QType {
        QType::parse(name).unwrap_or(QType::A)
    }
}

/// A signal of a [`Named`] value: typed to read and write, held as its name. (Each signal type
/// is its own code in the browser build, about 500 B gzipped apiece; the name shares the
/// string signals' code.)
pub struct NamedSignal<T: Named>(RwSignal<String>, std::marker::PhantomData<T>);

impl<T: Named> Clone for NamedSignal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Named> Copy for NamedSignal<T> {}

impl<T: Named> NamedSignal<T> {
    /// A signal holding `value`.
    pub fn new(value: T) -> Self {
        NamedSignal(
            RwSignal::new(value.name().to_owned()),
            std::marker::PhantomData,
        )
    }

    /// The value, tracked.
    pub fn get(&self) -> T {
        self.0.with(|name| T::named(name))
    }

    /// Sets the value.
    pub fn set(&self, value: T) {
        self.0.set(value.name().to_owned());
    }

    /// The value's name, tracked.
    pub fn name(&self) -> String {
        self.0.get()
    }

    /// Sets the value named `name` (the default when no value has that name).
    pub fn set_named(&self, name: &str) {
        self.set(T::named(name));
    }
}

/// All of the explorer's inputs as signals (copyable handles), shared by its panels.
#[derive(Clone, Copy)]
pub struct Explorer {
    /// The editor's text.
    pub text: RwSignal<String>,
    /// The scenario last chosen, if any.
    pub scenario: RwSignal<Option<&'static str>>,
    /// The scenario last asked for (its YAML may be on its way from the second module).
    pub asked_scenario: RwSignal<Option<&'static str>>,
    /// The chosen scenario's explanation (empty when none is chosen).
    pub explanation: RwSignal<String>,
    /// The what-ifs applied on top of the text.
    pub what_ifs: RwSignal<WhatIfs>,
    /// The pod that asks DNS (`namespace/name`; empty: the first pod).
    pub dns_from: RwSignal<String>,
    /// The name asked.
    pub dns_name: RwSignal<String>,
    /// The record type asked.
    pub dns_type: NamedSignal<QType>,
    /// musl's resolver instead of glibc's.
    pub dns_musl: RwSignal<bool>,
    /// The answer as dig prints it instead of nslookup.
    pub dns_dig: RwSignal<bool>,
    /// The pod a packet starts from.
    pub trace_from: RwSignal<String>,
    /// Where the packet goes (`HOST[:PORT]`).
    pub trace_to: RwSignal<String>,
    /// The node whose kube-proxy rules are shown (empty: the first node).
    pub rules_node: RwSignal<String>,
    /// How they are shown.
    pub rules_format: NamedSignal<RulesFormat>,
    /// The open panel.
    pub panel: NamedSignal<Panel>,
    /// The cluster picture's zoom, in percent.
    pub zoom: RwSignal<u16>,
    /// What the picture is narrowed to (a Service's or pod's name, or part of it).
    pub focus: RwSignal<String>,
    /// The state that the share link in the address bar holds, if there is one.
    pub linked: RwSignal<Option<SharedState>>,
    /// What is selected on the picture ([`crate::explorer::selection::Selected::id`]; empty:
    /// nothing).
    pub selected: RwSignal<String>,
    /// The YAML lines a reason pointed at (first, last), shown instead of the selection's.
    pub pointed: RwSignal<Option<(usize, usize)>>,
    /// Whether the editor pane is folded away.
    pub editor_folded: RwSignal<bool>,
    /// The cluster's address families, by [`crate::sim::config::Stack::id`] (a string signal:
    /// no typed signal's code for one choice).
    pub stack: RwSignal<String>,
}

impl Explorer {
    /// A fresh explorer on `text`, asking seed 000's questions.
    pub fn new(text: &str) -> Explorer {
        Explorer {
            text: RwSignal::new(text.to_owned()),
            scenario: RwSignal::new(None),
            asked_scenario: RwSignal::new(None),
            explanation: RwSignal::new(String::new()),
            what_ifs: RwSignal::new(WhatIfs::default()),
            dns_from: RwSignal::new(String::new()),
            dns_name: RwSignal::new("nginx".to_owned()),
            dns_type: NamedSignal::new(QType::A),
            dns_musl: RwSignal::new(false),
            dns_dig: RwSignal::new(false),
            trace_from: RwSignal::new(String::new()),
            trace_to: RwSignal::new("nginx:8080".to_owned()),
            rules_node: RwSignal::new(String::new()),
            rules_format: NamedSignal::new(RulesFormat::Save),
            panel: NamedSignal::new(Panel::Cluster),
            zoom: RwSignal::new(ZOOM_DEFAULT),
            focus: RwSignal::new(String::new()),
            linked: RwSignal::new(None),
            selected: RwSignal::new(String::new()),
            pointed: RwSignal::new(None),
            editor_folded: RwSignal::new(false),
            stack: RwSignal::new(crate::sim::config::Stack::Ipv4.id().to_owned()),
        }
    }

    /// Loads a scenario: its YAML, its explanation, its DNS question and its packet. The first
    /// scenario's YAML and explanation are in the page; another's come from the second module,
    /// and the scenario loads, all at once, when they have come (if no other was chosen
    /// meanwhile).
    pub fn load_scenario(&self, scenario: &'static Scenario) {
        if scenario.id == scenarios::SCENARIOS.first().map_or("", |first| first.id) {
            self.explanation
                .set(scenarios::FIRST_EXPLANATION.to_owned());
            self.show_scenario(scenario, scenarios::FIRST_YAML.to_owned());
            return;
        }
        self.ask_scenario(scenario.id, move |state, yaml| {
            state.show_scenario(scenario, yaml)
        });
    }

    /// Asks the second module for scenario `id`; when it answers (and `id` is still the one
    /// asked for), shows its explanation and hands its YAML to `then`.
    fn ask_scenario(&self, id: &'static str, then: impl FnOnce(Explorer, String) + 'static) {
        let state = *self;
        self.asked_scenario.set(Some(id));
        let mut request = self.errand_untracked(Errand::Scenario(id.to_owned()));
        request.yaml.clear();
        request.commands.clear();
        super::errands::ask_each("scenario", request, move |reply| {
            if let Reply::Scenario(yaml, explanation) = reply {
                if state.asked_scenario.get_untracked() == Some(id) {
                    state.explanation.set(explanation);
                    then(state, yaml);
                }
            }
        });
    }

    fn show_scenario(&self, scenario: &'static Scenario, yaml: String) {
        self.asked_scenario.set(Some(scenario.id));
        self.stack.set(scenario.stack().id().to_owned());
        self.text.set(yaml);
        self.dns_from.set(scenario.dns.0.to_owned());
        self.dns_name.set(scenario.dns.1.to_owned());
        self.dns_type.set(QType::A);
        self.trace_from.set(scenario.trace.0.to_owned());
        self.trace_to.set(scenario.trace.1.to_owned());
        self.scenario.set(Some(scenario.id));
    }

    /// The DNS question as the inputs state it. Tracked.
    pub fn dns_question(&self) -> DnsQuestion {
        DnsQuestion {
            from: self.dns_from.get(),
            name: self.dns_name.get(),
            qtype: self.dns_type.name(),
            resolver: if self.dns_musl.get() {
                ResolverKind::Musl
            } else {
                ResolverKind::Glibc
            },
            format: if self.dns_dig.get() {
                DnsFormat::Dig
            } else {
                DnsFormat::Nslookup
            },
        }
    }

    /// A request for the second module about the cluster in view (the text, its what-ifs and
    /// the traced packet) asking `errand`. Tracked.
    pub fn errand(&self, errand: Errand) -> Request {
        let yaml = self.text.get();
        let commands = self
            .what_ifs
            .with(|what_ifs| what_ifs.for_text(&yaml).to_vec());
        Request {
            id: 0,
            yaml,
            commands,
            trace_from: self.trace_from.get(),
            trace_to: self.trace_to.get(),
            errand,
            stack: self.stack.get(),
        }
    }

    /// [`Explorer::errand`], untracked (for an event handler).
    pub fn errand_untracked(&self, errand: Errand) -> Request {
        untrack(|| self.errand(errand))
    }

    /// Everything, for a share link or storage. Tracked: an effect calling it reruns on any
    /// change.
    pub fn snapshot(&self) -> SharedState {
        let text = self.text.get();
        let commands = self
            .what_ifs
            .with(|what_ifs| what_ifs.for_text(&text).to_vec());
        SharedState {
            scenario: self.scenario.get().unwrap_or_default().to_owned(),
            commands,
            dns_from: self.dns_from.get(),
            dns_name: self.dns_name.get(),
            dns_type: self.dns_type.get().as_str().to_owned(),
            dns_musl: self.dns_musl.get(),
            dns_dig: self.dns_dig.get(),
            trace_from: self.trace_from.get(),
            trace_to: self.trace_to.get(),
            rules_node: self.rules_node.get(),
            // The default is left out of links.
            rules_format: Some(self.rules_format.get())
                .filter(|format| *format != RulesFormat::Save)
                .map(|format| format.id().to_owned())
                .unwrap_or_default(),
            panel: self.panel.get().id().to_owned(),
            // The default is left out of links.
            zoom: Some(self.zoom.get())
                .filter(|zoom| *zoom != ZOOM_DEFAULT)
                .unwrap_or(0),
            focus: self.focus.get(),
            selected: self.selected.get(),
            editor_folded: self.editor_folded.get(),
            // IPv4, the default, is left out of links.
            stack: Some(self.stack.get())
                .filter(|id| id != crate::sim::config::Stack::Ipv4.id())
                .unwrap_or_default(),
            yaml: text,
        }
    }

    /// [`Explorer::snapshot`] without tracking, for event handlers.
    pub fn snapshot_untracked(&self) -> SharedState {
        untrack(|| self.snapshot())
    }

    /// Puts back a state from a share link or storage. An unknown scenario id or panel is
    /// dropped; everything else is taken as it is (the panels cope with any text).
    pub fn restore(&self, state: SharedState) {
        let scenario = scenarios::scenario(&state.scenario).map(|scenario| scenario.id);
        self.what_ifs.set(WhatIfs {
            text: state.yaml.clone(),
            commands: state.commands,
        });
        // Empty in links of IPv4 clusters; an id this build does not know is IPv4 to the
        // model too (`Stack::from_id`).
        self.stack.set(if state.stack.is_empty() {
            crate::sim::config::Stack::Ipv4.id().to_owned()
        } else {
            state.stack
        });
        self.text.set(state.yaml);
        self.scenario.set(scenario);
        // The scenario's explanation (the text is the link's own).
        self.explanation.set(String::new());
        match scenario {
            Some(id) if Some(id) == scenarios::SCENARIOS.first().map(|first| first.id) => {
                self.asked_scenario.set(Some(id));
                self.explanation
                    .set(scenarios::FIRST_EXPLANATION.to_owned());
            }
            Some(id) => self.ask_scenario(id, |_, _| {}),
            None => self.asked_scenario.set(None),
        }
        self.dns_from.set(state.dns_from);
        self.dns_name.set(state.dns_name);
        if !state.dns_type.is_empty() {
            self.dns_type.set_named(&state.dns_type);
        }
        self.dns_musl.set(state.dns_musl);
        self.dns_dig.set(state.dns_dig);
        self.trace_from.set(state.trace_from);
        self.trace_to.set(state.trace_to);
        self.rules_node.set(state.rules_node);
        self.rules_format.set_named(&state.rules_format);
        if let Some(panel) = Panel::from_id(&state.panel) {
            self.panel.set(panel);
        }
        self.zoom.set(restored_zoom(state.zoom));
        self.focus.set(state.focus);
        self.selected.set(state.selected);
        self.pointed.set(None);
        self.editor_folded.set(state.editor_folded);
    }
}
