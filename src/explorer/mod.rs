//! The explorer's view-model: plain Rust between the model ([`crate::sim`]) and its two shells,
//! the browser app and the CLI, compiled and tested natively. What the page and the CLI could
//! disagree about lives here: the scenarios, share links, the editor's colouring, what-ifs and
//! where they write back, the kubectl panel's commands and the rules view, and the errands the
//! page sends its second module for them.

pub mod edit;
pub mod errand;
pub mod highlight;
pub mod kubectl_view;
pub mod picture;
pub mod questions;
pub mod rules_view;
pub mod scenarios;
pub mod scene;
pub mod selection;
pub mod share;
pub mod view;
pub mod what_if;
