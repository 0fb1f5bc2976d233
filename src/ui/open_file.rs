//! Opening manifest files from disk: a file picker, and files dropped on the editor.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// An "Open files" button (a file input behind a label): the chosen files replace the editor's
/// text, as one multi-document YAML stream in name order, the way `kubectl apply -f DIR`
/// reads a directory.
#[component]
pub fn OpenFile(text: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="open-file">
            "Open files"
            <input
                type="file"
                multiple=true
                accept=".yaml,.yml,.json,text/yaml,application/json,text/plain"
                data-testid="open-file"
                on:change=move |event| {
                    let input: web_sys::HtmlInputElement = event_target(&event);
                    if let Some(files) = input.files() {
                        load_files(&files, text);
                    }
                    input.set_value("");
                }
            />
        </label>
    }
}

/// Reads `files` as text (the browser's `Blob.text()`, UTF-8) and puts them into `text`,
/// separated by `---` lines and ordered by name. A file that cannot be read is skipped.
pub fn load_files(files: &web_sys::FileList, text: RwSignal<String>) {
    let mut files: Vec<web_sys::File> = (0..files.length())
        .filter_map(|index| files.item(index))
        .collect();
    if files.is_empty() {
        return;
    }
    crate::small::order::sort_by_key(&mut files, web_sys::File::name);
    leptos::task::spawn_local(async move {
        let mut out = String::new();
        for file in files {
            let Ok(value) = JsFuture::from(file.text()).await else {
                continue;
            };
            let Some(content) = value.as_string() else {
                continue;
            };
            if !out.is_empty() {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("---\n");
            }
            out.push_str(&content);
        }
        if !out.is_empty() {
            text.set(out);
        }
    });
}
