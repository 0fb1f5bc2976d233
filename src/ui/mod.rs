//! The browser app: Leptos 0.8 components over the explorer's view types, one component per
//! file. The model itself runs in the page's second module ([`crate::explorer::errand`]);
//! `errands.rs` is the link to it.
//!
//! Invariant: components derive what they show from the answers of the second module (the
//! [`crate::explorer::scene::Scene`] and the views asked for) with closures and memos; effects
//! only talk to the outside world (the second module, localStorage, the page's URL). Every
//! element a test looks for has a `data-testid`.

mod app;
mod choice;
mod cluster_canvas;
mod deflate;
mod dns_panel;
mod errands;
mod event_list;
mod export;
mod history;
mod kubectl_panel;
mod manifest_editor;
mod object_list;
mod open_file;
mod page;
mod rows;
mod rules_panel;
mod scenario_picker;
mod selection_panel;
mod share_bar;
pub mod state;
mod timeline;
mod trace_panel;
mod what_if;
mod workbench;

pub use app::App;
pub use choice::Choice;
pub use cluster_canvas::ClusterCanvas;
pub use dns_panel::DnsPanel;
pub use event_list::EventList;
pub use history::History;
pub use kubectl_panel::KubectlPanel;
pub use manifest_editor::ManifestEditor;
pub use object_list::ObjectList;
pub use open_file::OpenFile;
pub use rules_panel::RulesPanel;
pub use scenario_picker::ScenarioPicker;
pub use selection_panel::SelectionPanel;
pub use share_bar::ShareBar;
pub use state::Explorer;
pub use timeline::Timeline;
pub use trace_panel::TracePanel;
pub use what_if::WhatIf;
pub use workbench::Workbench;
