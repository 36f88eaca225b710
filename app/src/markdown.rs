//! Markdown to safe HTML: pulldown-cmark for the syntax, then an allow-list sanitiser (ammonia),
//! so that whatever an author writes, no script, event handler, style or active URL survives.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{
    html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
    TextMergeWithOffset,
};

use crate::components::toc::TocEntry;
use crate::limits::{MAX_ANCHORED_HEADINGS, MAX_MARKDOWN_NESTING};

/// Rendered Markdown: sanitised HTML and the table of contents taken from its headings.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Prefix of every heading anchor id; ids that do not start with a known prefix are removed so
/// that author HTML cannot clobber ids the page relies on.
const SECTION_ID_PREFIX: &str = "sec-";
const FOOTNOTE_ID_PREFIX: &str = "fn-";
const FOOTNOTE_REF_ID_PREFIX: &str = "fnref-";
/// Task-list markers, written as the sanitiser serialises them so they can be swapped afterwards.
const TASK_DONE: &str = "<span class=\"ts-task-done\"></span>";
const TASK_TODO: &str = "<span class=\"ts-task-todo\"></span>";
/// Schemes that run code; refused even when disguised by characters a browser would skip.
const ACTIVE_SCHEMES: [&str; 5] = ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown to sanitised HTML with heading anchors, footnotes and a table of contents.
///
/// The work is bounded by the size of the input, which the editor and the importer limit: the
/// parser is linear, every heading id is found in amortised constant time, and nesting (of
/// lists, quotes, emphasis or the author's own HTML) deeper than [`MAX_MARKDOWN_NESTING`] is
/// flattened to its text before the sanitiser sees it, since building deeply nested HTML costs
/// time in the square of its depth.
pub fn render(markdown: &str) -> Rendered {
    render_resolving(markdown, &Resolved::default())
}

/// Like [`render`], with each shortcode of `resolved` (`{{rule MFA-01}}`) replaced by its HTML,
/// which is sanitised with the rest. Shortcodes it does not hold, and any in code, stay as
/// typed.
pub fn render_resolving(markdown: &str, resolved: &Resolved) -> Rendered {
    let events = flatten_deep(TextMergeStream::new(Parser::new_ext(markdown, options())));
    let mut toc = Vec::new();
    let mut used_ids = Ids::default();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut code_blocks = 0usize;

    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::CodeBlock(_)) => {
                code_blocks += 1;
                out.push(events[i].clone());
            }
            Event::End(TagEnd::CodeBlock) => {
                code_blocks = code_blocks.saturating_sub(1);
                out.push(events[i].clone());
            }
            Event::Text(text) if code_blocks == 0 && !resolved.0.is_empty() => {
                for piece in pieces(text, &resolved.names()) {
                    out.push(match piece {
                        Piece::Text(t) => Event::Text(CowStr::from(t.to_owned())),
                        Piece::Shortcode(code, typed) => match resolved.0.get(&code) {
                            Some(html) => Event::InlineHtml(CowStr::from(html.clone())),
                            None => Event::Text(CowStr::from(typed.to_owned())),
                        },
                    });
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                // Collect the heading's own text for its id and the contents list.
                let level = demote(*level);
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let id = unique_id(&text, &mut used_ids);
                // Past the limit a heading keeps its id but gets no link and no contents entry,
                // so that the page stays in proportion to the text.
                let anchored = used_ids.used.len() <= MAX_ANCHORED_HEADINGS;
                if anchored
                    && matches!(level, HeadingLevel::H2 | HeadingLevel::H3)
                    && !text.trim().is_empty()
                {
                    toc.push(TocEntry {
                        id: id.clone(),
                        text: text.trim().to_owned(),
                        level: if level == HeadingLevel::H2 { 2 } else { 3 },
                    });
                }
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id.clone())),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                out.extend(events[i + 1..j].iter().cloned());
                if anchored {
                    out.push(Event::Html(CowStr::from(format!(
                        " <a class=\"ts-anchor\" href=\"#{id}\">#<span class=\"nhsuk-u-visually-hidden\"> link to this section</span></a>"
                    ))));
                }
                out.push(Event::End(TagEnd::Heading(level)));
                i = j + 1;
                continue;
            }
            Event::FootnoteReference(label) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(label.to_string()).or_insert(next);
                let slug = slugify(label);
                out.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-reference\" id=\"{FOOTNOTE_REF_ID_PREFIX}{slug}\"><a href=\"#{FOOTNOTE_ID_PREFIX}{slug}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(label.to_string()).or_insert(next);
                let slug = slugify(label);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{FOOTNOTE_ID_PREFIX}{slug}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::from("</div>")));
            }
            Event::TaskListMarker(done) => {
                // A placeholder the sanitiser keeps; it becomes a disabled checkbox afterwards,
                // so no author-written <input> is ever allowed through.
                out.push(Event::Html(CowStr::from(if *done {
                    TASK_DONE
                } else {
                    TASK_TODO
                })));
            }
            // Raw HTML written by the author passes through here and is cleaned below.
            other => out.push(other.clone()),
        }
        i += 1;
    }

    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, out.into_iter());
    let html = sanitise(&cap_html_nesting(&unsafe_html, MAX_HTML_NESTING))
        .replace(
            TASK_DONE,
            "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\"> ",
        )
        .replace(
            TASK_TODO,
            "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\"> ",
        );
    Rendered { html, toc }
}

/// Renders Markdown and keeps only the text, for summaries and the search index.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// A shortcode in a text, `{{rule MFA-01}}`: a live reference that each reader sees resolved
/// for themselves. Names are given by whoever resolves them; anything else between braces is
/// text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shortcode {
    /// `rule`.
    pub name: String,
    /// `MFA-01`.
    pub argument: String,
}

impl std::fmt::Display for Shortcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{{{} {}}}}}", self.name, self.argument)
    }
}

/// Longest shortcode argument.
const MAX_SHORTCODE_ARGUMENT: usize = 64;

/// The HTML each shortcode stands for, for one reader; its names are the shortcode names
/// looked for.
#[derive(Clone, Debug, Default)]
pub struct Resolved(pub HashMap<Shortcode, String>);

impl Resolved {
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.0.keys().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Part of a text: as it is, or a shortcode and the text it was typed as.
enum Piece<'t> {
    Text(&'t str),
    Shortcode(Shortcode, &'t str),
}

/// `text` cut at each shortcode with one of `names`: `{{`, the name, spaces, an argument of
/// letters, digits, `-`, `_` and `.`, and `}}`, spaces allowed inside the braces.
fn pieces<'t>(text: &'t str, names: &[&str]) -> Vec<Piece<'t>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut plain = 0; // bytes of `rest` already known to be text
    while let Some(open) = rest[plain..].find("{{").map(|at| at + plain) {
        match shortcode_at(&rest[open + 2..], names) {
            Some((code, len)) => {
                if open > 0 {
                    out.push(Piece::Text(&rest[..open]));
                }
                let end = open + 2 + len;
                out.push(Piece::Shortcode(code, &rest[open..end]));
                rest = &rest[end..];
                plain = 0;
            }
            None => plain = open + 1,
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The shortcode that `after` (what follows `{{`) starts with, and its length to the end of `}}`.
fn shortcode_at(after: &str, names: &[&str]) -> Option<(Shortcode, usize)> {
    let close = after.find("}}")?;
    let inside = &after[..close];
    let (name, argument) = inside.trim().split_once(' ')?;
    let argument = argument.trim();
    let argument_ok = !argument.is_empty()
        && argument.len() <= MAX_SHORTCODE_ARGUMENT
        && argument
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (names.contains(&name) && argument_ok).then(|| {
        (
            Shortcode {
                name: name.to_owned(),
                argument: argument.to_owned(),
            },
            close + 2,
        )
    })
}

/// Every shortcode with one of `names` in a Markdown text, outside code, with the line (from 1)
/// it starts on, in the order written.
pub fn shortcodes(markdown: &str, names: &[&str]) -> Vec<(Shortcode, usize)> {
    if !markdown.contains("{{") {
        return Vec::new();
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let mut found = Vec::new();
    let mut code_blocks = 0usize;
    let events = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in TextMergeWithOffset::new(events) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_blocks += 1,
            Event::End(TagEnd::CodeBlock) => code_blocks = code_blocks.saturating_sub(1),
            Event::Text(text) if code_blocks == 0 && text.contains("{{") => {
                let line = line_starts.partition_point(|&start| start <= range.start);
                for piece in pieces(&text, names) {
                    if let Piece::Shortcode(code, _) = piece {
                        found.push((code, line));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Cleans HTML with the portal's allow-list.
pub fn sanitise(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("noopener noreferrer"))
            .add_generic_attributes(["id"])
            .add_allowed_classes("a", ["ts-anchor"])
            .add_allowed_classes(
                "span",
                ["nhsuk-u-visually-hidden", "ts-task-done", "ts-task-todo"],
            )
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            // The tags resolved shortcodes show a result with (in words as well as colour).
            .add_allowed_classes(
                "strong",
                [
                    "nhsuk-tag",
                    "nhsuk-tag--green",
                    "nhsuk-tag--red",
                    "nhsuk-tag--yellow",
                    "nhsuk-tag--grey",
                    "nhsuk-tag--blue",
                ],
            )
            .add_allowed_classes("div", ["footnote-definition"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                (_, "id") => {
                    let ok = [
                        SECTION_ID_PREFIX,
                        FOOTNOTE_ID_PREFIX,
                        FOOTNOTE_REF_ID_PREFIX,
                    ]
                    .iter()
                    .any(|p| value.starts_with(p));
                    ok.then(|| value.into())
                }
                (_, "href" | "src" | "cite") if looks_active(value) => None,
                _ => Some(value.into()),
            });
        b
    })
}

/// Whether a URL would run code once every space, control and invisible character is ignored;
/// stricter than browsers, so no consumer of the HTML can be tricked.
fn looks_active(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
        })
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ACTIVE_SCHEMES.iter().any(|s| squeezed.starts_with(s))
}

/// The portal's pages have one `h1` (the title), so Markdown `#` headings become `h2`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    if level == HeadingLevel::H1 {
        HeadingLevel::H2
    } else {
        level
    }
}

/// Heading ids given so far, and for each base the next number to try.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

/// A heading id not used before in the document: `sec-plan`, then `sec-plan-2`, `sec-plan-3`…
/// Each base remembers where its numbering got to, so a thousand equal headings cost a
/// thousand steps, not half a million.
fn unique_id(text: &str, ids: &mut Ids) -> String {
    let base = format!("{SECTION_ID_PREFIX}{}", slugify(text));
    if ids.used.insert(base.clone()) {
        return base;
    }
    let n = ids.next.entry(base.clone()).or_insert(2);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if ids.used.insert(id.clone()) {
            return id;
        }
    }
}

/// The parser's events with every element nested deeper than [`MAX_MARKDOWN_NESTING`] left
/// out and its text kept: a list in a quote in a list… a thousand levels deep reads as text.
fn flatten_deep<'a>(parser: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut kept_starts: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut events = Vec::new();
    for event in parser {
        match event {
            Event::Start(tag) => {
                let keep = depth < MAX_MARKDOWN_NESTING;
                kept_starts.push(keep);
                if keep {
                    depth += 1;
                    events.push(Event::Start(tag));
                }
            }
            Event::End(tag) => {
                if kept_starts.pop().unwrap_or(true) {
                    depth = depth.saturating_sub(1);
                    events.push(Event::End(tag));
                }
            }
            // Markers that only mean something inside the elements left out.
            Event::TaskListMarker(_) | Event::FootnoteReference(_)
                if depth >= MAX_MARKDOWN_NESTING =>
            {
                events.push(Event::Text(CowStr::from(" ")));
            }
            other => events.push(other),
        }
    }
    events
}

/// Elements that never have content, so never nest.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose start tag closes an open element of the same group (an unclosed `<li>` before
/// the next `<li>`), so a long list of them does not nest.
const SELF_CLOSING_GROUPS: [&[&str]; 6] = [
    &["li"],
    &["p"],
    &["dt", "dd"],
    &["td", "th"],
    &["tr"],
    &["option", "optgroup"],
];

/// Deepest nesting of HTML elements passed to the sanitiser. Generous beside
/// [`MAX_MARKDOWN_NESTING`]: it counts the elements the Markdown makes as well as the author's
/// own HTML, and it may count an element the browser would close by itself as still open.
const MAX_HTML_NESTING: usize = 4 * MAX_MARKDOWN_NESTING;

/// `html` with the `<` of every start tag that would open an element deeper than `max` written
/// as `&lt;`, so the sanitiser reads it as text. Escaping is always safe; the reading of the
/// tags is deliberately simple (comments are skipped, an end tag closes up to the nearest open
/// element of its name, void elements never nest), erring towards escaping.
fn cap_html_nesting(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut escape_at: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let at = i + offset;
        let rest = &html[at + 1..];
        if rest.starts_with("!--") {
            i = rest.find("-->").map_or(html.len(), |end| at + 1 + end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = html[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = at + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        i = tag_end(html, name_start + name_len);
        // `<div/>` opens a div in HTML: only void elements never nest.
        if VOID_ELEMENTS.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if let Some(pos) = open.iter().rposition(|n| *n == name) {
                open.truncate(pos);
            }
            continue;
        }
        let group = SELF_CLOSING_GROUPS
            .iter()
            .find(|g| g.contains(&name.as_str()));
        if let (Some(group), Some(top)) = (group, open.last()) {
            if group.contains(&top.as_str()) {
                open.pop();
            }
        }
        if open.len() >= max {
            escape_at.push(at);
        } else {
            open.push(name);
        }
    }
    if escape_at.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + escape_at.len() * 3);
    let mut from = 0;
    for at in escape_at {
        out.push_str(&html[from..at]);
        out.push_str("&lt;");
        from = at + 1;
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// Where a tag whose name ends at `from` ends: after its `>`, skipping quoted attribute values
/// (a quote opens one only straight after `=`, as in HTML).
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    for (i, &b) in html.as_bytes()[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return from + i + 1,
            None if after_equals && (b == b'"' || b == b'\'') => quote = Some(b),
            None => {}
        }
        if !b.is_ascii_whitespace() {
            after_equals = quote.is_none() && b == b'=';
        }
    }
    html.len()
}

/// Lower-case ASCII letters and digits joined by single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_anchors_and_a_contents_list() {
        let r = render("# Intro\n\n## Plan\n\ntext\n\n## Plan\n\n### Detail `code`\n");
        assert!(r.html.contains("<h2 id=\"sec-intro\">"), "{}", r.html);
        assert!(r.html.contains("id=\"sec-plan-2\""), "{}", r.html);
        let ids: Vec<_> = r.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["sec-intro", "sec-plan", "sec-plan-2", "sec-detail-code"]
        );
        assert_eq!(r.toc[3].level, 3);
    }

    #[test]
    fn tables_footnotes_and_task_lists_render() {
        let r = render(
            "|a|b|\n|-|-|\n|1|2|\n\nSee[^n].\n\n[^n]: The note.\n\n- [x] done\n- [ ] todo\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("href=\"#fn-n\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-n\""), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
        assert!(r.html.contains("checked"), "{}", r.html);
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let r = render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> <a id=location href=\"#\">y</a>");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("id=\"location\""), "{}", r.html);
    }

    #[test]
    fn author_inputs_are_not_allowed() {
        for input in [
            "<input type=text name=password>",
            "<input autofocus onfocus=alert(1)>",
            "<input type=checkbox>",
        ] {
            let r = render(input);
            assert!(!r.html.contains("<input"), "{input}: {}", r.html);
        }
    }

    #[test]
    fn disguised_active_urls_are_dropped() {
        let r = render("<a href=\"\u{2028}javascript:alert(1)\">x</a> <a href=\"java\u{200b}script:alert(1)\">y</a>");
        assert!(!r.html.contains("javascript"), "{}", r.html);
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_flattened_to_its_text() {
        for (input, tag) in [
            (format!("{} deep", ">".repeat(5000)), "<blockquote>"),
            (format!("{}deep", "1. ".repeat(5000)), "<ol>"),
            (format!("{}deep", "> - ".repeat(2500)), "<li>"),
        ] {
            let html = render(&input).html;
            let depth = html.matches(tag).count();
            assert!(
                (1..=MAX_MARKDOWN_NESTING).contains(&depth),
                "{tag}: {depth} levels"
            );
            assert!(html.contains("deep"), "the text is kept");
        }
    }

    #[test]
    fn the_authors_html_nested_deeper_than_the_limit_is_shown_as_text() {
        let html = render(&format!("{}inside", "<div>".repeat(5000))).html;
        let depth = html.matches("<div>").count();
        assert!((1..=MAX_HTML_NESTING).contains(&depth), "{depth} levels");
        assert!(html.contains("&lt;div&gt;") && html.contains("inside"));
        // Tricks that would hide the nesting from a simpler count.
        for input in [
            "<div/>".repeat(5000),
            format!("<div title=a'b>{}'", "<div>".repeat(5000)),
            format!("<span title=\"x>\">{}", "<b>".repeat(5000)),
        ] {
            let html = render(&input).html;
            let tags = html.matches("<div").count() + html.matches("<b>").count();
            assert!(tags <= MAX_HTML_NESTING + 1, "{tags} levels");
        }
    }

    #[test]
    fn long_lists_of_elements_the_browser_closes_itself_are_not_nesting() {
        let input = format!("<ul>{}</ul>", "<li>item ".repeat(1000));
        let html = render(&input).html;
        assert_eq!(html.matches("<li>").count(), 1000, "{}", &html[..200]);
        assert!(!html.contains("&lt;li"));
    }

    #[test]
    fn repeated_headings_get_numbered_ids_without_clashes() {
        let r = render(&"## Same\n\n".repeat(MAX_ANCHORED_HEADINGS));
        let ids: HashSet<&str> = r.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), MAX_ANCHORED_HEADINGS);
        assert!(ids.contains(format!("sec-same-{MAX_ANCHORED_HEADINGS}").as_str()));
        // Past the limit, headings keep unique ids but get no link or contents entry.
        let r = render(&"## Same\n\n".repeat(MAX_ANCHORED_HEADINGS + 10));
        assert_eq!(r.toc.len(), MAX_ANCHORED_HEADINGS);
        assert_eq!(r.html.matches("ts-anchor").count(), MAX_ANCHORED_HEADINGS);
        let last = format!("id=\"sec-same-{}\"", MAX_ANCHORED_HEADINGS + 10);
        assert!(r.html.contains(&last));
        let r = render("## A\n\n## A 2\n\n## A\n");
        let ids: Vec<_> = r.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["sec-a", "sec-a-2", "sec-a-3"]);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Title\n\nSome **bold** `code`."),
            "Title Some bold code."
        );
    }

    fn code(name: &str, argument: &str) -> Shortcode {
        Shortcode {
            name: name.into(),
            argument: argument.into(),
        }
    }

    #[test]
    fn shortcodes_are_found_with_their_lines_outside_code_only() {
        let text = "Intro {{rule MFA-01}} and {{ setting training-coverage }}.\n\n\
                    `{{rule CODE-01}}` in code\n\n```\n{{rule BLOCK-01}}\n```\n\n\
                    - item {{rule ADM-02}}\n\n{{other thing}} {{rule}} {{rule a b}} {{rule <x>}}\n";
        let found = shortcodes(text, &["rule", "setting"]);
        assert_eq!(
            found,
            [
                (code("rule", "MFA-01"), 1),
                (code("setting", "training-coverage"), 1),
                (code("rule", "ADM-02"), 9),
            ]
        );
        assert!(shortcodes("no braces here", &["rule"]).is_empty());
    }

    #[test]
    fn resolved_shortcodes_become_sanitised_html_and_others_stay_as_typed() {
        let mut resolved = Resolved::default();
        resolved.0.insert(
            code("rule", "MFA-01"),
            "<a href=\"/access/rules/MFA-01\">MFA-01</a> <strong class=\"nhsuk-tag nhsuk-tag--green\" onclick=\"x()\">Pass</strong><script>bad()</script>".into(),
        );
        let html = render_resolving(
            "See {{rule MFA-01}}, not {{rule ZZZ-99}}, and `{{rule MFA-01}}`.",
            &resolved,
        )
        .html;
        assert!(html.contains("<a href=\"/access/rules/MFA-01\""), "{html}");
        assert!(
            html.contains("<strong class=\"nhsuk-tag nhsuk-tag--green\">Pass</strong>"),
            "{html}"
        );
        assert!(
            !html.contains("onclick") && !html.contains("<script"),
            "{html}"
        );
        assert!(html.contains("{{rule ZZZ-99}}"), "{html}");
        assert!(html.contains("<code>{{rule MFA-01}}</code>"), "{html}");
        // Without anything resolved the text is the same as typed.
        assert!(render("See {{rule MFA-01}}.")
            .html
            .contains("{{rule MFA-01}}"));
    }
}
