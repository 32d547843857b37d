//! Model output as Markdown, made safe: parser events (pulldown-cmark) become
//! a small tree of whitelisted elements and text, which the view turns into
//! DOM nodes one by one. Nothing here ever produces HTML to be parsed.
//!
//! - Raw HTML in the text is shown as text.
//! - Links become links only for `http:`, `https:` and `mailto:`, and open in
//!   a new tab with `rel="noopener noreferrer"`; other links are plain text.
//! - Images are never loaded: they show as a link with their alt text.
//!
//! [`LiveMarkdown`] renders a reply while it streams: blocks that are complete
//! are rendered once and never parsed again; only the growing last block is.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A node of rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element from a fixed set of tags and attributes.
    Element(Element),
    /// Text, always inserted as a text node.
    Text(String),
}

/// An element: a whitelisted tag, checked attributes and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The tag name.
    pub tag: &'static str,
    /// Attribute names are fixed; values are checked (URLs) or built here.
    pub attrs: Vec<(&'static str, String)>,
    /// The content.
    pub children: Vec<Node>,
}

impl Element {
    fn new(tag: &'static str) -> Self {
        Self {
            tag,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }
}

/// The class of the copy button placed in every code block.
pub const COPY_CODE_CLASS: &str = "copy-code";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// True for URLs that may become links: `http:`, `https:` and `mailto:`.
/// Tabs and newlines are removed and leading controls trimmed first, as
/// browsers do, so `java\tscript:` cannot slip through.
pub fn is_safe_link(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_start_matches(|c: char| c <= ' ');
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto")
}

/// Keeps a fence's language only if it is a plain word, for a class name.
fn language_class(info: &str) -> Option<String> {
    let lang = info.split_whitespace().next()?;
    let plain = lang.len() <= 32
        && lang
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '#' | '.'));
    plain.then(|| format!("language-{lang}"))
}

/// Builds the tree from parser events.
struct Builder {
    stack: Vec<Element>,
    in_table_head: bool,
}

impl Builder {
    fn new() -> Self {
        Self {
            stack: vec![Element::new("div")],
            in_table_head: false,
        }
    }

    fn push_node(&mut self, node: Node) {
        if let Some(top) = self.stack.last_mut() {
            // Adjacent text merges into one node.
            if let (Node::Text(new), Some(Node::Text(last))) = (&node, top.children.last_mut()) {
                last.push_str(new);
                return;
            }
            top.children.push(node);
        }
    }

    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.push_node(Node::Text(text.to_owned()));
        }
    }

    fn open(&mut self, element: Element) {
        self.stack.push(element);
    }

    /// Closes `n` open elements.
    fn close(&mut self, n: usize) {
        for _ in 0..n {
            if self.stack.len() > 1
                && let Some(done) = self.stack.pop()
            {
                self.push_node(Node::Element(done));
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.open(Element::new("p")),
            Tag::Heading { level, .. } => self.open(Element::new(match level as u8 {
                1 => "h1",
                2 => "h2",
                3 => "h3",
                4 => "h4",
                5 => "h5",
                _ => "h6",
            })),
            Tag::BlockQuote(_) => self.open(Element::new("blockquote")),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language_class(&info),
                    CodeBlockKind::Indented => None,
                };
                self.open(Element::new("div").attr("class", "code-block"));
                self.push_node(Node::Element(
                    Element::new("button")
                        .attr("type", "button")
                        .attr("class", COPY_CODE_CLASS)
                        .attr("aria-label", "Copy code")
                        .attr("title", "Copy code"),
                ));
                self.open(Element::new("pre"));
                let code = Element::new("code");
                self.open(match lang {
                    Some(class) => code.attr("class", class),
                    None => code,
                });
            }
            // Raw HTML is shown as the text it is.
            Tag::HtmlBlock => self.open(Element::new("p").attr("class", "raw-html")),
            Tag::List(None) => self.open(Element::new("ul")),
            Tag::List(Some(start)) => {
                let list = Element::new("ol");
                self.open(if start == 1 {
                    list
                } else {
                    list.attr("start", start.to_string())
                });
            }
            Tag::Item => self.open(Element::new("li")),
            Tag::FootnoteDefinition(label) => {
                self.open(Element::new("div").attr("class", "footnote"));
                self.open(Element::new("sup"));
                self.text(&label);
                self.close(1);
                self.text(" ");
            }
            Tag::Table(_) => self.open(Element::new("table")),
            Tag::TableHead => {
                self.in_table_head = true;
                self.open(Element::new("thead"));
                self.open(Element::new("tr"));
            }
            Tag::TableRow => self.open(Element::new("tr")),
            Tag::TableCell => self.open(Element::new(if self.in_table_head { "th" } else { "td" })),
            Tag::Emphasis => self.open(Element::new("em")),
            Tag::Strong => self.open(Element::new("strong")),
            Tag::Strikethrough => self.open(Element::new("del")),
            Tag::Superscript => self.open(Element::new("sup")),
            Tag::Subscript => self.open(Element::new("sub")),
            Tag::Link { dest_url, .. } => self.open(if is_safe_link(&dest_url) {
                Element::new("a")
                    .attr("href", dest_url.to_string())
                    .attr("target", "_blank")
                    .attr("rel", "noopener noreferrer")
            } else {
                Element::new("span")
            }),
            // Never loaded: a link to the image (or plain text), labelled with its alt text.
            Tag::Image { dest_url, .. } => {
                let element = if is_safe_link(&dest_url) {
                    Element::new("a")
                        .attr("href", dest_url.to_string())
                        .attr("target", "_blank")
                        .attr("rel", "noopener noreferrer")
                        .attr("class", "image-link")
                } else {
                    Element::new("span").attr("class", "image-link")
                };
                self.open(element);
                self.text("Image: ");
            }
            Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.open(Element::new("div")),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::CodeBlock => self.close(3),
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.close(2);
            }
            TagEnd::FootnoteDefinition => self.close(1),
            _ => self.close(1),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            Event::Code(code) => {
                self.open(Element::new("code"));
                self.text(&code);
                self.close(1);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::FootnoteReference(label) => {
                self.open(Element::new("sup"));
                self.text(&format!("[{label}]"));
                self.close(1);
            }
            Event::SoftBreak => self.text("\n"),
            Event::HardBreak => self.push_node(Node::Element(Element::new("br"))),
            Event::Rule => self.push_node(Node::Element(Element::new("hr"))),
            Event::TaskListMarker(checked) => {
                let input = Element::new("input")
                    .attr("type", "checkbox")
                    .attr("disabled", "");
                self.push_node(Node::Element(if checked {
                    input.attr("checked", "")
                } else {
                    input
                }));
            }
        }
    }

    fn finish(mut self) -> Vec<Node> {
        self.close(self.stack.len());
        self.stack
            .pop()
            .map(|root| root.children)
            .unwrap_or_default()
    }
}

/// Renders Markdown to safe nodes.
pub fn render(text: &str) -> Vec<Node> {
    let mut builder = Builder::new();
    for event in Parser::new_ext(text, options()) {
        builder.event(event);
    }
    builder.finish()
}

/// Text in a part of a long rendered message, at least (characters).
pub const PART_CHARS: usize = 2048;

/// Groups top-level nodes into parts of at least [`PART_CHARS`] characters
/// of text each (the last may be shorter), so that the view can let the
/// browser skip laying out the parts of a long message that are off screen.
pub fn parts(nodes: Vec<Node>) -> Vec<Vec<Node>> {
    fn chars(node: &Node) -> usize {
        match node {
            Node::Text(t) => t.len(),
            Node::Element(e) => e.children.iter().map(chars).sum(),
        }
    }
    let mut parts = Vec::new();
    let mut part = Vec::new();
    let mut size = 0;
    for node in nodes {
        size += chars(&node);
        part.push(node);
        if size >= PART_CHARS {
            parts.push(std::mem::take(&mut part));
            size = 0;
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    parts
}

/// What the last, growing block of a streaming reply is, when new text can
/// be appended to it without parsing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Growing {
    /// A fenced code block: only a line of at least `len` × `fence` ends it.
    Code { fence: u8, len: usize },
    /// A paragraph: a blank line, or a line that may start another block, ends it.
    Paragraph,
    /// Anything else: re-parsed as it grows.
    #[default]
    Other,
}

impl Growing {
    /// The kind of the block starting at the beginning of `block`, given its tag.
    fn of(tag: &Tag<'_>, block: &str) -> Self {
        match tag {
            Tag::Paragraph => Self::Paragraph,
            Tag::CodeBlock(CodeBlockKind::Fenced(_)) => {
                let line = block.trim_start_matches(' ');
                match line.bytes().next() {
                    Some(fence @ (b'`' | b'~')) => Self::Code {
                        fence,
                        len: line.bytes().take_while(|&b| b == fence).count(),
                    },
                    _ => Self::Other,
                }
            }
            _ => Self::Other,
        }
    }

    /// True when a line of `lines` (the text appended, from the start of the
    /// line it began in) may end the block, so that a parse is needed.
    fn may_end(self, lines: &str) -> bool {
        match self {
            Self::Code { fence, len } => lines.split_inclusive('\n').any(|line| {
                let Some(line) = line.strip_suffix('\n') else {
                    return false;
                };
                let line = line.trim_start();
                let run = line.bytes().take_while(|&b| b == fence).count();
                run >= len && line[run..].trim().is_empty()
            }),
            Self::Paragraph => lines.split_inclusive('\n').skip(1).any(|line| {
                let start = line.trim_start();
                start.is_empty() && line.ends_with('\n')
                    || start.starts_with(|c: char| "#>-*+=|`~<".contains(c) || c.is_ascii_digit())
            }),
            Self::Other => true,
        }
    }
}

/// Byte offsets where the top-level blocks of `text` start, and what the
/// last one is.
fn blocks(text: &str) -> (Vec<usize>, Growing) {
    let mut depth = 0usize;
    let mut starts = Vec::new();
    let mut last = Growing::Other;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    starts.push(range.start);
                    last = Growing::of(&tag, &text[range.start..]);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => {
                starts.push(range.start);
                last = Growing::Other;
            }
            _ => {}
        }
    }
    (starts, last)
}

/// A change to apply to a streaming message's DOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patch {
    /// Append these nodes after the settled ones: they will not change again.
    Settle(Vec<Node>),
    /// Replace the live tail with these nodes.
    Tail(Vec<Node>),
    /// Append this text to the live tail as it is (to its last paragraph or code block).
    TailText(String),
}

/// A tail up to this size is re-parsed on every update.
pub const REPARSE_LIMIT: usize = 2048;

/// Renders a reply while it streams, at a cost per update that does not grow
/// with the reply.
///
/// Complete top-level blocks are settled: rendered once, never parsed again.
/// The last block (the tail) is re-parsed while it is short. Past
/// [`REPARSE_LIMIT`], new text is appended as it is: to a long code block
/// until a line could close it, to a long paragraph until a line could end
/// it (then one parse settles it), and to anything else with a parse each
/// time the tail has grown by a quarter, so the total work stays linear. When
/// the stream ends, the view renders the whole text once with [`render`],
/// which is exact.
#[derive(Debug, Default)]
pub struct LiveMarkdown {
    text: String,
    settled: usize,
    parsed_tail_len: usize,
    growing: Growing,
}

impl LiveMarkdown {
    /// Adds streamed text and returns what to change on screen.
    pub fn push(&mut self, delta: &str) -> Vec<Patch> {
        if delta.is_empty() {
            return Vec::new();
        }
        let before = self.text.len();
        self.text.push_str(delta);
        let tail_len = self.text.len() - self.settled;
        if tail_len > REPARSE_LIMIT {
            // The new text, from the start of the line it continues.
            let line_start = self.text[self.settled..before]
                .rfind('\n')
                .map_or(self.settled, |i| self.settled + i + 1);
            let append = match self.growing {
                Growing::Other => tail_len * 4 < self.parsed_tail_len * 5,
                growing => !growing.may_end(&self.text[line_start..]),
            };
            if append {
                return vec![Patch::TailText(delta.to_owned())];
            }
        }
        let mut patches = Vec::new();
        let tail = &self.text[self.settled..];
        let (starts, growing) = blocks(tail);
        if let Some(&last) = starts.last()
            && last > 0
        {
            patches.push(Patch::Settle(render(&tail[..last])));
            self.settled += last;
        }
        let tail = &self.text[self.settled..];
        self.parsed_tail_len = tail.len();
        self.growing = growing;
        patches.push(Patch::Tail(render(tail)));
        patches
    }

    /// All the text so far.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(tag: &'static str, attrs: &[(&'static str, &str)], children: Vec<Node>) -> Node {
        Node::Element(Element {
            tag,
            attrs: attrs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            children,
        })
    }

    fn text(t: &str) -> Node {
        Node::Text(t.to_owned())
    }

    /// The text content of nodes, as the DOM would report it.
    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) => t.clone(),
                Node::Element(e) => text_of(&e.children),
            })
            .collect()
    }

    /// Every tag and attribute in a tree.
    fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Element>) {
        for n in nodes {
            if let Node::Element(e) = n {
                out.push(e);
                walk(&e.children, out);
            }
        }
    }

    #[test]
    fn renders_common_markdown() {
        assert_eq!(
            render("# Title\n\nSome *em* and **strong** with `code`."),
            vec![
                el("h1", &[], vec![text("Title")]),
                el(
                    "p",
                    &[],
                    vec![
                        text("Some "),
                        el("em", &[], vec![text("em")]),
                        text(" and "),
                        el("strong", &[], vec![text("strong")]),
                        text(" with "),
                        el("code", &[], vec![text("code")]),
                        text("."),
                    ]
                ),
            ]
        );
    }

    #[test]
    fn code_blocks_get_a_copy_button_and_a_safe_language_class() {
        let nodes = render("```rust\nfn main() {}\n```\n\n```x\" onclick=\"alert(1)\ny\n```");
        assert_eq!(
            nodes[0],
            el(
                "div",
                &[("class", "code-block")],
                vec![
                    el(
                        "button",
                        &[
                            ("type", "button"),
                            ("class", COPY_CODE_CLASS),
                            ("aria-label", "Copy code"),
                            ("title", "Copy code")
                        ],
                        vec![]
                    ),
                    el(
                        "pre",
                        &[],
                        vec![el(
                            "code",
                            &[("class", "language-rust")],
                            vec![text("fn main() {}\n")]
                        )]
                    ),
                ]
            )
        );
        let mut all = Vec::new();
        walk(&nodes[1..], &mut all);
        assert!(
            all.iter()
                .all(|e| e.attrs.iter().all(|(_, v)| !v.contains("onclick")))
        );
    }

    #[test]
    fn raw_html_is_text() {
        let nodes = render("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        let mut all = Vec::new();
        walk(&nodes, &mut all);
        assert!(
            all.iter()
                .all(|e| !matches!(e.tag, "script" | "img" | "iframe"))
        );
        let shown = text_of(&nodes);
        assert!(shown.contains("<script>alert(1)</script>"));
        assert!(shown.contains("<img src=x onerror=alert(1)>"));
    }

    #[test]
    fn only_web_and_mail_links_become_links() {
        for (md, linked) in [
            ("[a](https://example.com/x)", true),
            ("[a](http://example.com)", true),
            ("[a](mailto:me@example.com)", true),
            ("[a](javascript:alert(1))", false),
            ("[a](JavaScript:alert(1))", false),
            ("[a](java\tscript:alert(1))", false),
            ("[a](data:text/html,<script>alert(1)</script>)", false),
            ("[a](vbscript:x)", false),
            ("[a](/relative)", false),
            ("[a](//evil.example/x)", false),
            ("<javascript:alert(1)>", false),
            ("<https://example.com>", true),
        ] {
            let nodes = render(md);
            let mut all = Vec::new();
            walk(&nodes, &mut all);
            let links: Vec<_> = all.iter().filter(|e| e.tag == "a").collect();
            assert_eq!(links.len(), usize::from(linked), "{md}");
            for a in links {
                assert!(a.attrs.contains(&("target", "_blank".into())));
                assert!(a.attrs.contains(&("rel", "noopener noreferrer".into())));
            }
        }
    }

    #[test]
    fn images_are_never_loaded() {
        let nodes =
            render("![secret data](https://evil.example/leak?d=abc) ![x](javascript:alert(1))");
        let mut all = Vec::new();
        walk(&nodes, &mut all);
        assert!(all.iter().all(|e| e.tag != "img"));
        assert_eq!(text_of(&nodes), "Image: secret data Image: x");
        let link = all
            .iter()
            .find(|e| e.tag == "a")
            .expect("a link to the image");
        assert!(
            link.attrs
                .contains(&("href", "https://evil.example/leak?d=abc".into()))
        );
        assert_eq!(all.iter().filter(|e| e.tag == "a").count(), 1);
    }

    #[test]
    fn only_whitelisted_tags_and_attributes_appear() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n> quote\n\n1. one\n2. two\n\n---\n\n~~gone~~ footnote[^1]\n\n[^1]: note\n\n3. three";
        let nodes = render(md);
        let mut all = Vec::new();
        walk(&nodes, &mut all);
        const TAGS: &[&str] = &[
            "p",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "div",
            "button",
            "pre",
            "code",
            "ul",
            "ol",
            "li",
            "sup",
            "sub",
            "table",
            "thead",
            "tr",
            "th",
            "td",
            "em",
            "strong",
            "del",
            "a",
            "span",
            "br",
            "hr",
            "input",
        ];
        const ATTRS: &[&str] = &[
            "class",
            "type",
            "aria-label",
            "title",
            "start",
            "href",
            "target",
            "rel",
            "disabled",
            "checked",
        ];
        for e in &all {
            assert!(TAGS.contains(&e.tag), "{}", e.tag);
            for (name, _) in &e.attrs {
                assert!(ATTRS.contains(name), "{name}");
            }
        }
        assert!(all.iter().any(|e| e.tag == "th") && all.iter().any(|e| e.tag == "td"));
        assert!(
            all.iter()
                .any(|e| e.tag == "ol" && e.attrs.contains(&("start", "3".into())))
        );
    }

    /// Streams `text` in pieces and checks the settled blocks plus the tail
    /// always show exactly the text so far (ignoring Markdown syntax, which
    /// only the final render may interpret differently).
    fn stream(text: &str, piece: usize) -> (Vec<Node>, Vec<Node>, usize) {
        let mut live = LiveMarkdown::default();
        let mut settled = Vec::new();
        let mut tail = Vec::new();
        let mut parses = 0;
        let chars: Vec<char> = text.chars().collect();
        for chunk in chars.chunks(piece) {
            let delta: String = chunk.iter().collect();
            for patch in live.push(&delta) {
                match patch {
                    Patch::Settle(nodes) => settled.extend(nodes),
                    Patch::Tail(nodes) => {
                        parses += 1;
                        tail = nodes;
                    }
                    Patch::TailText(t) => tail.push(Node::Text(t)),
                }
            }
        }
        assert_eq!(live.text(), text);
        (settled, tail, parses)
    }

    #[test]
    fn streaming_settles_blocks_and_matches_the_full_render() {
        let text = "# Plan\n\nFirst paragraph with *emphasis*.\n\n- one\n- two\n\n```rust\nlet x = 1;\n```\n\nLast words.";
        for piece in [1, 3, 7, 50] {
            let (settled, tail, _) = stream(text, piece);
            let mut shown = settled.clone();
            shown.extend(tail);
            assert_eq!(shown, render(text), "piece {piece}");
            assert!(settled.len() >= 4, "earlier blocks settle (piece {piece})");
        }
    }

    #[test]
    fn long_blocks_settle_exactly_once_they_end() {
        let code = format!(
            "Intro.\n\n```rust\n{}```\n\nAfter the code.",
            "let x = 1;\n".repeat(400)
        );
        let para = format!("{}\n\nNext paragraph.\n\n- a list", "word ".repeat(1000));
        for text in [code, para] {
            for piece in [7, 64] {
                let (settled, tail, _) = stream(&text, piece);
                let mut shown = settled;
                shown.extend(tail);
                assert_eq!(shown, render(&text), "piece {piece}");
            }
        }
    }

    #[test]
    fn long_messages_come_in_parts() {
        let text = "word ".repeat(150).trim_end().to_owned() + "\n\n";
        let nodes = render(&text.repeat(20));
        assert_eq!(nodes.len(), 20);
        let grouped = parts(nodes.clone());
        assert_eq!(
            grouped.len(),
            7,
            "three paragraphs of 749 characters per part"
        );
        assert_eq!(grouped.concat(), nodes, "nothing lost or reordered");
        assert_eq!(parts(render("short")).len(), 1);
        assert!(parts(Vec::new()).is_empty());
    }

    #[test]
    fn growing_blocks_know_what_may_end_them() {
        let code = Growing::Code {
            fence: b'`',
            len: 3,
        };
        assert!(!code.may_end("let x = 1;\nlet y = 2;\n"));
        assert!(!code.may_end("``` not a close\n"));
        assert!(
            !code.may_end("```"),
            "an unfinished line decides nothing yet"
        );
        assert!(code.may_end("x\n```\n"));
        assert!(code.may_end("  ````  \n"));
        assert!(
            !Growing::Code {
                fence: b'~',
                len: 4
            }
            .may_end("~~~\n")
        );
        let para = Growing::Paragraph;
        assert!(!para.may_end("more words\nand more words"));
        assert!(para.may_end("end.\n\n"));
        assert!(para.may_end("end.\n# Heading"));
        assert!(para.may_end("end.\n- item"));
        assert!(para.may_end("end.\n1. item"));
        assert!(para.may_end("end.\n==="));
        assert!(!para.may_end("no newline at all # here"));
    }

    #[test]
    fn a_block_that_never_ends_is_parsed_a_bounded_number_of_times() {
        // A long unclosed code fence and a long paragraph without breaks.
        for text in [
            format!("```\n{}", "let x = 1;\n".repeat(20_000)),
            "word ".repeat(50_000),
        ] {
            let (settled, tail, parses) = stream(&text, 16);
            assert!(settled.is_empty());
            // Re-parsed while short, then appended to as it is.
            assert!(
                parses <= REPARSE_LIMIT / 16 + 2,
                "{parses} full parses of the tail"
            );
            let mut shown_text = text_of(&tail);
            shown_text.retain(|c| c != '\n');
            let mut expected = text.replace("```\n", "");
            expected.retain(|c| c != '\n');
            assert_eq!(shown_text.trim_end(), expected.trim_end());
        }
    }
}
