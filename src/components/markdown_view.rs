//! Markdown on screen: the safe nodes of [`crate::markdown`] built into DOM
//! nodes one by one (never `innerHTML`), for finished and streaming replies.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::markdown::{COPY_CODE_CLASS, LiveMarkdown, Node, Patch, parts, render};

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
    // A long message comes in parts the browser may skip while they are off screen.
    root.on_load(move |el| {
        let document = document();
        for part in parts(render(&text)) {
            if let Ok(div) = document.create_element("div") {
                let _ = div.set_attribute("class", "md-part");
                append_nodes(&div, &part);
                let _ = el.append_child(&div);
            }
        }
    });
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

/// Text appended to one element before the next goes to a fresh one.
const CHUNK: usize = 4096;

/// Appends streamed text to a growing paragraph or code block in chunks: a
/// block of any length then costs the browser a layout of its last chunk
/// only, not of everything before it. Code chunks split between lines, so
/// they read as one block; a paragraph without breaks shows a line break
/// between chunks until the stream ends and the reply is rendered whole.
#[derive(Default)]
struct Chunks {
    /// The element being appended to, and how much it holds.
    current: Option<(web_sys::Element, usize)>,
    /// The last text appended ended a line.
    at_line_start: bool,
}

impl Chunks {
    fn append(&mut self, tail: &web_sys::Element, text: &str) {
        let (target, len) = match self.current.take() {
            Some(current) => current,
            None => {
                // A freshly drawn tail may already hold a long block (read once per redraw).
                let target = tail_target(tail);
                let existing = target.text_content().unwrap_or_default();
                self.at_line_start = existing.is_empty() || existing.ends_with('\n');
                (target, existing.len())
            }
        };
        let code = target.tag_name() == "CODE";
        let full = len >= CHUNK && (!code || self.at_line_start);
        let (target, len) = match full.then(|| continuation(&target)).flatten() {
            Some(next) => (next, 0),
            None => (target, len),
        };
        let _ = target.append_with_str_1(text);
        self.at_line_start = text.ends_with('\n');
        self.current = Some((target, len + text.len()));
    }
}

/// A new element after `full` that continues it: `<p class="cont">` after a
/// paragraph, `<pre class="cont"><code>` after a code block's `<pre>`.
fn continuation(full: &web_sys::Element) -> Option<web_sys::Element> {
    let document = document();
    let (anchor, inner) = match full.tag_name().as_str() {
        "CODE" => {
            let pre = full.parent_element()?;
            let new_pre = document.create_element("pre").ok()?;
            let code = document.create_element("code").ok()?;
            if let Some(class) = full.get_attribute("class") {
                let _ = code.set_attribute("class", &class);
            }
            let _ = new_pre.append_child(&code);
            (pre, (new_pre, code))
        }
        tag => {
            let next = document.create_element(&tag.to_lowercase()).ok()?;
            (full.clone(), (next.clone(), next))
        }
    };
    let (outer, target) = inner;
    let _ = outer.set_attribute("class", "cont");
    let _ = anchor.after_with_node_1(&outer);
    Some(target)
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
    let chunks = StoredValue::new_local(Chunks::default());
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
                    chunks.set_value(Chunks::default());
                }
                Patch::TailText(t) => chunks.update_value(|c| c.append(&tail, &t)),
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
