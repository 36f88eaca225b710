//! Hostile Markdown and HTML never reach readers as active content.
//!
//! Every case of `fixtures/hostile_markdown.txt` is imported as a guide and fetched over HTTP;
//! the body's HTML is then checked tag by tag. The sanitiser's output is canonical HTML
//! (attributes double-quoted, text `<` escaped), so a small tokenizer reads it reliably.

use crate::common::{content_tree, TestServer};

const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "svg",
    "math",
    "form",
    "base",
    "meta",
    "link",
    "frame",
    "frameset",
    "applet",
    "template",
    "textarea",
    "select",
    "button",
    "video",
    "audio",
    "source",
    "marquee",
    "noscript",
    "xmp",
    "plaintext",
    "isindex",
];
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "data",
    "cite",
];

fn cases() -> Vec<(String, String)> {
    let text = include_str!("fixtures/hostile_markdown.txt");
    let mut cases = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            if let Some(case) = current.take() {
                cases.push(case);
            }
            current = Some((name.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    cases.extend(current);
    cases
        .into_iter()
        .map(|(n, b)| (n, b.trim_end_matches('\n').to_owned()))
        .collect()
}

/// Decodes the entities ammonia's serializer writes, and numeric ones.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme a browser would see: ASCII tab and newline removed everywhere, control
/// characters and spaces trimmed at the ends, lower-cased.
fn url_scheme(value: &str) -> Option<String> {
    let cleaned: String = decode_entities(value)
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c.is_ascii_control() || c == ' ');
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    (!scheme.contains(['/', '?', '#'])).then(|| scheme.to_ascii_lowercase())
}

#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Reads the start tags of canonical serialized HTML.
fn start_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        i += offset + 1;
        if i >= bytes.len() || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j] as char).is_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'/' {
                break;
            }
            let attr_end = html[j..]
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
                .map_or(html.len(), |e| j + e);
            let attr = html[j..attr_end].to_ascii_lowercase();
            j = attr_end;
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                assert_eq!(
                    bytes.get(j),
                    Some(&b'"'),
                    "canonical HTML quotes attribute values: {}",
                    &html[j.saturating_sub(40)..]
                );
                let close = html[j + 1..].find('"').map_or(html.len(), |e| j + 1 + e);
                value = html[j + 1..close].to_owned();
                j = close + 1;
            }
            attributes.push((attr, value));
        }
        tags.push(Tag { name, attributes });
        i = j;
    }
    tags
}

/// The sanitised body of a guide page.
fn prose(page: &str) -> &str {
    let start = page.find(r#"<div class="ts-prose">"#).expect("prose block")
        + r#"<div class="ts-prose">"#.len();
    let end = page[start..]
        .find("</article>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

fn problems(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        if FORBIDDEN_TAGS.contains(&tag.name.as_str()) {
            found.push(format!("<{}> element", tag.name));
        }
        if tag.name == "input" {
            let ty = tag
                .attributes
                .iter()
                .find(|(a, _)| a == "type")
                .map(|(_, v)| v.as_str());
            if ty != Some("checkbox") || !tag.attributes.iter().any(|(a, _)| a == "disabled") {
                found.push(format!("active input {:?}", tag.attributes));
            }
        }
        for (attr, value) in &tag.attributes {
            if attr.starts_with("on") {
                found.push(format!("event handler {attr} on <{}>", tag.name));
            }
            if attr == "style" {
                found.push(format!("style attribute on <{}>", tag.name));
            }
            if attr == "id"
                && !(value.starts_with("sec-")
                    || value.starts_with("fn-")
                    || value.starts_with("fnref-"))
            {
                found.push(format!("author id {value:?}"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                for candidate in value.split(',') {
                    if let Some(scheme) =
                        url_scheme(candidate.trim_start_matches([' ', '\t', '\n', '\r']))
                    {
                        if matches!(
                            scheme.as_str(),
                            "javascript" | "vbscript" | "data" | "livescript" | "mocha"
                        ) {
                            found.push(format!("{attr}={value:?} on <{}>", tag.name));
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_fixture_corpus_is_large_enough() {
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    assert!(
        cases
            .iter()
            .filter(|(n, _)| !n.starts_with("benign-"))
            .count()
            >= 50
    );
}

#[test]
fn the_checker_itself_catches_what_it_looks_for() {
    assert!(!problems(r#"<p><a href="javascript:alert(1)">x</a></p>"#).is_empty());
    assert!(!problems(r#"<img src="x" onerror="alert(1)">"#).is_empty());
    assert!(!problems(r#"<a href="  JaVa&#x09;ScRiPt:alert(1)">x</a>"#).is_empty());
    assert!(!problems(r#"<svg></svg>"#).is_empty());
    assert!(problems(
        r#"<p><a href="https://example.nhs.uk" rel="noopener noreferrer">ok</a></p>"#
    )
    .is_empty());
}

#[tokio::test]
async fn hostile_markdown_is_neutralised_on_guide_pages() {
    let cases = cases();
    let org = "---\nname: Test Board\ncode: T1\nnation: scotland\nkind: health-board\n---\n";
    let mut files: Vec<(String, String)> = vec![("organisations/test-board.md".into(), org.into())];
    let mut slugs = Vec::new();
    for (i, (name, body)) in cases.iter().enumerate() {
        if body.trim().is_empty() {
            continue;
        }
        let slug = format!("case-{i:03}");
        files.push((
            format!("guides/{slug}.md"),
            format!("---\ntitle: \"Case {i}\"\nsummary: \"{name}\"\norganisation: test-board\nvisibility: public\n---\n{body}\n"),
        ));
        slugs.push((slug, name.clone()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = content_tree(&refs);
    let server = TestServer::start_with_content(dir.0.clone()).await;
    let client = server.client();

    let mut failures = Vec::new();
    let mut benign_checked = 0;
    for (slug, name) in &slugs {
        let (status, page) = server.get(&client, &format!("/guides/{slug}")).await;
        if status == 404 {
            // Only files the importer refused (e.g. an oversized case) may be missing.
            continue;
        }
        assert_eq!(status, 200, "{name}");
        let html = prose(&page);
        let found = problems(html);
        if !found.is_empty() {
            failures.push(format!("{name}: {found:?}"));
        }
        if name.starts_with("benign-") {
            benign_checked += 1;
            assert!(
                !html.trim().is_empty(),
                "{name}: legitimate Markdown survives"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "active content survived:\n{}",
        failures.join("\n")
    );
    assert!(benign_checked > 0);
    let rendered = slugs.len();
    assert!(rendered >= 50, "only {rendered} cases rendered");
}

#[test]
fn legitimate_markdown_keeps_its_structure() {
    let r = app::markdown::render("## Plan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1].\n\n[^1]: Source.\n\n[NHS](https://www.nhs.uk)\n");
    assert!(r.html.contains(r#"<h2 id="sec-plan">"#));
    assert!(r.html.contains("<table>"));
    assert!(
        r.html
            .contains(r#"<input type="checkbox" checked="" disabled="">"#)
            || r.html.contains("checkbox"),
        "{}",
        r.html
    );
    assert!(r.html.contains(r#"href="https://www.nhs.uk""#));
    assert!(problems(&r.html).is_empty(), "{:?}", problems(&r.html));
}

#[tokio::test]
async fn nesting_deeper_than_the_limit_reaches_readers_as_flat_text() {
    let org = "---\nname: Test Board\ncode: T1\nnation: scotland\nkind: health-board\n---\n";
    let deep = [
        ("quotes", format!("{}deep quote", "> ".repeat(20_000))),
        ("lists", format!("{}deep list", "1. ".repeat(20_000))),
        ("html", format!("{}deep html", "<div>".repeat(20_000))),
    ];
    let mut files: Vec<(String, String)> = vec![("organisations/test-board.md".into(), org.into())];
    for (slug, body) in &deep {
        files.push((
            format!("guides/{slug}.md"),
            format!("---\ntitle: Deep {slug}\nsummary: Deep.\norganisation: test-board\nvisibility: public\n---\n{body}\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = content_tree(&refs);
    let server = TestServer::start_with_content(dir.0.clone()).await;
    for (slug, tag, text) in [
        ("quotes", "<blockquote", "deep quote"),
        ("lists", "<ol", "deep list"),
        ("html", "<div", "deep html"),
    ] {
        let (status, page) = server
            .get(&server.client(), &format!("/guides/{slug}"))
            .await;
        assert_eq!(status, 200, "{slug}");
        let html = prose(&page);
        let depth = html.matches(tag).count();
        assert!(
            depth <= 128,
            "{slug}: {depth} levels of {tag} reached the page"
        );
        assert!(html.contains(text), "{slug}: the text is kept");
    }
}
