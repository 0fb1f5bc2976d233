//! The YAML editor: line numbers, syntax colouring and diagnostics underlined where they point.

use leptos::html;
use leptos::prelude::*;

use super::open_file::load_files;
use crate::highlight::{highlight, Mark, Pointer};
use crate::sim::cluster::Cluster;
use crate::sim::manifest::Severity;

/// A textarea over a coloured copy of its text (the classic overlay: the textarea's own text
/// is transparent, its caret is not), with a gutter of line numbers, and each diagnostic's
/// line and column underlined (red for errors, amber for warnings).
///
/// `text` is written on every input event; when it changes from elsewhere (a scenario, a
/// share link, a what-if writing `replicas` back), the textarea follows. Typing never loses
/// the caret or the scroll position: the browser keeps them, and the coloured copy and the
/// gutter scroll with the textarea.
///
/// Files dropped on it replace the text (see [`super::open_file::load_files`]).
///
/// `cluster` supplies the diagnostics.
#[component]
pub fn ManifestEditor(
    text: RwSignal<String>,
    #[prop(into)] cluster: Signal<Cluster>,
) -> impl IntoView {
    let gutter = NodeRef::<html::Pre>::new();
    let code = NodeRef::<html::Pre>::new();
    let lines = Memo::new(move |_| {
        let pointers: Vec<Pointer> = cluster.with(|cluster| {
            cluster
                .diagnostics
                .iter()
                .filter_map(|diagnostic| {
                    Some(Pointer {
                        line: diagnostic.line?,
                        column: diagnostic.column.unwrap_or(1),
                        error: diagnostic.severity == Severity::Error,
                    })
                })
                .collect()
        });
        text.with(|text| highlight(text, &pointers))
    });
    let numbers = move || {
        let count = lines.with(Vec::len);
        let mut out = String::with_capacity(count * 4);
        for number in 1..=count {
            out.push_str(&number.to_string());
            out.push('\n');
        }
        out
    };
    // The coloured copy is written straight into the DOM (as text nodes inside spans, never
    // as HTML): one element per token is too many for the view machinery to be cheap, in
    // time and in wasm size.
    Effect::new(move |_| {
        let Some(code) = code.get() else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        lines.with(|lines| {
            code.set_text_content(None);
            for (index, spans) in lines.iter().enumerate() {
                if index > 0 {
                    let _ = code.append_with_str_1("\n");
                }
                for span in spans {
                    let Ok(element) = document.create_element("span") else {
                        continue;
                    };
                    let class = match span.mark {
                        Mark::None => span.kind.class().to_owned(),
                        Mark::Warning => format!("{} yaml--warning", span.kind.class()),
                        Mark::Error => format!("{} yaml--error", span.kind.class()),
                    };
                    element.set_class_name(&class);
                    element.set_text_content(Some(&span.text));
                    let _ = code.append_with_node_1(&element);
                }
            }
            // Room for the textarea's last line and horizontal scrollbar.
            let _ = code.append_with_str_1("\n ");
        });
    });
    let follow_scroll = move |event: leptos::ev::Event| {
        let area: web_sys::Element = event_target(&event);
        if let Some(code) = code.get() {
            code.set_scroll_top(area.scroll_top());
            code.set_scroll_left(area.scroll_left());
        }
        if let Some(gutter) = gutter.get() {
            gutter.set_scroll_top(area.scroll_top());
        }
    };
    view! {
        <div class="editor">
            <pre class="editor__gutter" aria-hidden="true" node_ref=gutter>{numbers}</pre>
            <div class="editor__area">
                <pre class="editor__code" aria-hidden="true" data-testid="yaml-colours" node_ref=code></pre>
                <textarea
                    class="editor__input"
                    data-testid="yaml-editor"
                    aria-label="Kubernetes YAML"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                    on:scroll=follow_scroll
                    on:dragover=move |event: leptos::ev::DragEvent| {
                        // Files may be dropped here (text drops keep the browser's default).
                        let files = event
                            .data_transfer()
                            .is_some_and(|transfer| transfer.types().includes(&"Files".into(), 0));
                        if files {
                            event.prevent_default();
                        }
                    }
                    on:drop=move |event: leptos::ev::DragEvent| {
                        if let Some(files) = event.data_transfer().and_then(|transfer| transfer.files()) {
                            if files.length() > 0 {
                                event.prevent_default();
                                load_files(&files, text);
                            }
                        }
                    }
                ></textarea>
            </div>
        </div>
    }
}
