//! Markdown on screen: the safe nodes of [`crate::markdown`] built into DOM
//! nodes one by one (never `innerHTML`), for finished and streaming replies.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::markdown::{COPY_CODE_CLASS, LiveMarkdown, Node, Patch, render};

/// Appends `nodes` to `parent` as DOM nodes.
pub fn append_nodes(parent: &web_sys::Node, nodes: &[Node]) {
    let document = document();
    for node in nodes {
        let child: Option<web_sys::Node> = match node {
            Node::Text(text) => Some(document.create_text_node(text).into()),
            Node::Element(e) => document.create_element(e.tag).ok().map(|el| {
                for (name, value) in &e.attrs {
                    let _ = el.set_attribute(name, value);
                }
                append_nodes(&el, &e.children);
                el.into()
            }),
        };
        if let Some(child) = child {
            let _ = parent.append_child(&child);
        }
    }
}

/// Copies a code block when its copy button is clicked (one listener per message).
fn copy_code(ev: leptos::ev::MouseEvent) {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if !target.class_list().contains(COPY_CODE_CLASS) {
        return;
    }
    let code = target
        .parent_element()
        .and_then(|block| block.query_selector("pre").ok().flatten())
        .and_then(|pre| pre.text_content());
    if let Some(code) = code {
        browser::copy_text(&code);
        let _ = target.set_attribute("data-copied", "true");
    }
}

/// A finished Markdown text, rendered once.
#[component]
pub fn MarkdownView(
    /// The Markdown.
    text: String,
) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    root.on_load(move |el| append_nodes(&el, &render(&text)));
    view! { <div class="markdown" node_ref=root on:click=copy_code></div> }
}

/// Where streamed text goes inside the tail: the deepest open paragraph,
/// list item or code element at its end, so it reads on from the last word.
fn tail_target(tail: &web_sys::Element) -> web_sys::Element {
    let mut at = tail.clone();
    while let Some(last) = at.last_element_child() {
        let open = matches!(
            last.tag_name().as_str(),
            "P" | "LI" | "UL" | "OL" | "BLOCKQUOTE" | "PRE" | "CODE"
        ) || last.class_list().contains("code-block");
        // Only descend into an element that ends the tail (no text after it).
        let ends = at.last_child().is_some_and(|c| c.is_same_node(Some(&last)));
        if !(open && ends) {
            break;
        }
        at = last;
    }
    at
}

/// A reply while it streams: settled blocks are appended once, the live tail
/// is redrawn or extended. Reads only the new part of `text` on each update.
#[component]
pub fn LiveMarkdownView(
    /// The reply so far; it only ever grows.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    let settled = NodeRef::<leptos::html::Div>::new();
    let tail = NodeRef::<leptos::html::Div>::new();
    let live = StoredValue::new_local(LiveMarkdown::default());
    Effect::new(move || {
        let (Some(settled), Some(tail)) = (settled.get(), tail.get()) else {
            return;
        };
        let delta = text
            .with(|t| live.with_value(|l| t.get(l.text().len()..).unwrap_or_default().to_owned()));
        let patches = live
            .try_update_value(|l| l.push(&delta))
            .unwrap_or_default();
        for patch in patches {
            match patch {
                Patch::Settle(nodes) => append_nodes(&settled, &nodes),
                Patch::Tail(nodes) => {
                    tail.set_text_content(None);
                    append_nodes(&tail, &nodes);
                }
                Patch::TailText(t) => {
                    let _ = tail_target(&tail).append_with_str_1(&t);
                }
            }
        }
    });
    view! {
        <div class="markdown" on:click=copy_code>
            <div class="md-settled" node_ref=settled></div>
            <div class="md-tail" node_ref=tail></div>
        </div>
    }
}
