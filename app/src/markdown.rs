//! Markdown to safe HTML: pulldown-cmark for the syntax, then an allow-list sanitiser (ammonia),
//! so that whatever an author writes, no script, event handler, style or active URL survives.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::components::toc::TocEntry;

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
pub fn render(markdown: &str) -> Rendered {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let mut toc = Vec::new();
    let mut used_ids = HashSet::new();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());

    let mut i = 0;
    while i < events.len() {
        match &events[i] {
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
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) && !text.trim().is_empty() {
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
                out.push(Event::Html(CowStr::from(format!(
                    " <a class=\"ts-anchor\" href=\"#{id}\">#<span class=\"nhsuk-u-visually-hidden\"> link to this section</span></a>"
                ))));
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
    let html = sanitise(&unsafe_html)
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

fn unique_id(text: &str, used: &mut HashSet<String>) -> String {
    let base = format!("{SECTION_ID_PREFIX}{}", slugify(text));
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
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
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Title\n\nSome **bold** `code`."),
            "Title Some bold code."
        );
    }
}
