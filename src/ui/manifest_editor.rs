//! The YAML editor: line numbers, syntax colouring and diagnostics underlined where they point.

use leptos::html;
use leptos::prelude::*;

use super::open_file::load_files;
use crate::explorer::highlight::{highlight, LineChange, Mark, Pointer, Span};
use crate::explorer::scene::Scene;
use crate::explorer::view::{visible_rows, WHOLE_LIST_ROWS};
use wasm_bindgen::JsCast;

/// A line of the editor in half pixels (13 px at line-height 1.5: 19.5 px, app.css).
const LINE_HALF_PX: usize = 39;

/// The height a long text is drawn for, in half pixels: lines beyond it are not in the page.
const VIEW_HALF_PX: usize = 2 * 1600;
use crate::sim::input::diagnostic::Severity;

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
/// `scene` supplies the diagnostics (from the second module). `marked` lines (first, last;
/// 1-based) are shaded, and scrolled into view when they change: what is selected on the
/// picture, or a line a reason points at.
#[component]
pub fn ManifestEditor(
    text: RwSignal<String>,
    #[prop(into)] scene: Signal<Scene>,
    #[prop(into)] marked: Signal<Option<(usize, usize)>>,
) -> impl IntoView {
    let gutter = NodeRef::<html::Pre>::new();
    let code = NodeRef::<html::Pre>::new();
    let input = NodeRef::<html::Textarea>::new();
    let lines = Memo::new(move |_| {
        let pointers: Vec<Pointer> = scene.with(|scene| {
            scene
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
    // time and in wasm size. One element per line, and only the lines that changed are
    // replaced (typing touches one line: the rest keep their elements, so the browser has no
    // style or layout work for them).
    //
    // A long text (more than `WHOLE_LIST_ROWS` lines) keeps only the lines in view in the
    // coloured copy, between two spacers, and redraws them as it scrolls.
    let scrolled = RwSignal::new(0usize);
    Effect::new(move |previous: Option<Vec<Vec<Span>>>| {
        let (Some(code), Some(document)) = (
            code.get(),
            web_sys::window().and_then(|window| window.document()),
        ) else {
            return Vec::new();
        };
        if lines.with(Vec::len) > WHOLE_LIST_ROWS {
            let top = scrolled.get();
            lines.with(|lines| {
                // Half pixels: a line is 19.5 px (13 px at line-height 1.5, app.css).
                let range = visible_rows(lines.len(), LINE_HALF_PX, VIEW_HALF_PX, top * 2);
                code.set_text_content(Some(""));
                let spacer = |half_px: usize| {
                    let element = document.create_element("span").ok()?;
                    element.set_class_name("editor__spacer");
                    let style = element.dyn_ref::<web_sys::HtmlElement>()?.style();
                    let fraction = if half_px % 2 == 1 { ".5" } else { "" };
                    let _ = style.set_property("height", &format!("{}{fraction}px", half_px / 2));
                    let _ = code.append_child(&element);
                    Some(())
                };
                let _ = spacer(range.start * LINE_HALF_PX);
                for spans in lines.get(range.clone()).unwrap_or_default() {
                    if let Some(line) = line_element(&document, spans) {
                        let _ = code.append_child(&line);
                    }
                }
                let _ = spacer(lines.len().saturating_sub(range.end) * LINE_HALF_PX);
            });
            code.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
            // Nothing kept: a short text after this one is drawn whole.
            return Vec::new();
        }
        lines.with(|lines| {
            let shown = code.children();
            let mut old = previous.as_deref().unwrap_or_default();
            if previous.is_none() || shown.length() as usize != old.len() {
                // First run (or a copy out of step): start from nothing. The text node at
                // the end is room for the textarea's last line and horizontal scrollbar.
                code.set_text_content(Some(" "));
                old = &[];
            }
            let change = LineChange::between(old, lines);
            let prefix = change.prefix;
            for _ in 0..change.changed(old).len() {
                if let Some(line) = shown.item(prefix as u32) {
                    line.remove();
                }
            }
            let before = shown
                .item(prefix as u32)
                .map(web_sys::Node::from)
                .or_else(|| code.last_child());
            for spans in change.changed(lines) {
                if let Some(line) = line_element(&document, spans) {
                    let _ = code.insert_before(&line, before.as_ref());
                }
            }
            lines.clone()
        })
    });
    let follow_scroll = move |event: leptos::ev::Event| {
        let area: web_sys::Element = event_target(&event);
        scrolled.set(usize::try_from(area.scroll_top()).unwrap_or(0));
        if let Some(code) = code.get() {
            code.set_scroll_top(area.scroll_top());
            code.set_scroll_left(area.scroll_left());
        }
        if let Some(gutter) = gutter.get() {
            gutter.set_scroll_top(area.scroll_top());
        }
    };
    // Marked lines come into view (a third from the top) unless they are in view already,
    // and the shading follows them and the scroll. Set through the CSSOM, which the page's CSP
    // allows (a `style` attribute it does not), in one effect: a reactive attribute each would
    // cost the page's module more.
    let mark = NodeRef::<html::Div>::new();
    Effect::new(move |before: Option<Option<(usize, usize)>>| {
        let now = marked.get();
        let top = scrolled.get();
        let (Some(area), Some(element)) = (input.get_untracked(), mark.get_untracked()) else {
            return now;
        };
        let Some((first, last)) = now else {
            let _ = element.set_attribute("hidden", "");
            let _ = element.remove_attribute("data-lines");
            return now;
        };
        let (first, last) = (first.max(1), last.max(first.max(1)));
        let line_top = (first - 1) * LINE_HALF_PX / 2;
        if before != Some(now) {
            let (shown, height) = (area.scroll_top(), area.client_height());
            let at = i32::try_from(line_top).unwrap_or(i32::MAX);
            if at < shown || at > shown + height - 40 {
                area.set_scroll_top((at - height / 3).max(0));
            }
        }
        let style = web_sys::HtmlElement::style(&element);
        let _ = style.set_property(
            "top",
            &format!("calc(var(--space-2) + {line_top}px - {top}px)"),
        );
        let _ = style.set_property(
            "height",
            &format!("{}px", (last - first + 1) * LINE_HALF_PX / 2),
        );
        let _ = element.set_attribute("data-lines", &format!("{first}-{last}"));
        let _ = element.remove_attribute("hidden");
        now
    });
    view! {
        <div class="editor">
            <pre
                class="editor__gutter"
                aria-hidden="true"
                node_ref=gutter
                style:min-width=move || {
                    let digits = lines.with(Vec::len).to_string().len().max(3);
                    format!("calc({digits}ch + 2 * var(--space-2))")
                }
            >
                {numbers}
            </pre>
            <div class="editor__area">
                <div class="editor__mark" aria-hidden="true" data-testid="yaml-marked" node_ref=mark hidden></div>
                <pre class="editor__code" aria-hidden="true" data-testid="yaml-colours" node_ref=code></pre>
                <textarea
                    class="editor__input"
                    data-testid="yaml-editor"
                    node_ref=input
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

/// One line of the coloured copy: a span per token, then the newline.
fn line_element(document: &web_sys::Document, spans: &[Span]) -> Option<web_sys::Element> {
    let line = document.create_element("span").ok()?;
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
        let _ = line.append_with_node_1(&element);
    }
    let _ = line.append_with_str_1("\n");
    Some(line)
}
