//! Hostile input everywhere: property-based tests over the Markdown renderer and sanitiser, the
//! front-matter splitter and the importer, and every parser of what a form or a file sends.
//! Inputs mix Markdown syntax, HTML tags and attribute fragments, disguised URLs, entities and
//! awkward Unicode, with their sizes capped so that each property runs in bounded time.
//! Properties: nothing panics, and the sanitised HTML never carries script-capable markup.

#![cfg(feature = "ssr")]

use std::path::PathBuf;

use app::documents::api::{DocumentStep, SaveDocument};
use app::kind::Kind;
use app::lessons::{LessonForm, Lessons};
use app::plans::form::{MilestoneRow, PlanForm, RiskRow};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// Generators

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "\n",
    "\n\n",
    "**",
    "_",
    "*",
    "~~",
    "`",
    "```\n",
    "    ",
    "> ",
    "- ",
    "1. ",
    "- [ ] ",
    "- [x] ",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[x](",
    "[^1]",
    "[^1]: ",
    "[r]: ",
    "|a|b|\n|-|-|\n|",
    "---\n",
    "***",
    "\\",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?",
    "?>",
    "<!DOCTYPE html>",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "=",
    " ",
    "\t",
];

const TAGS: &[&str] = &[
    "<script>",
    "</script>",
    "<script src=x>",
    "<SCRIPT>",
    "<scr<script>ipt>",
    "<img",
    "<svg",
    "<svg><script>",
    "<math",
    "<math><mi xlink:href=",
    "<iframe",
    "<iframe srcdoc=",
    "<style>",
    "</style>",
    "<a",
    "</a>",
    "<div",
    "</div>",
    "<input",
    "<form",
    "<object",
    "<embed",
    "<base",
    "<meta",
    "<link",
    "<template>",
    "<noscript>",
    "<xmp>",
    "<textarea>",
    "<select>",
    "<button",
    "<details open ontoggle=",
    "<body",
    "<video",
    "<audio",
    "<source",
    "<marquee",
    "<table",
    "<td",
    "<p",
    "<span",
    "<sup",
    "<input type=checkbox",
    "<frameset",
    "<applet",
    "<plaintext>",
    "<isindex",
    "<annotation-xml encoding=\"text/html\">",
    "<foreignObject>",
    "<set",
    "<animate",
    "<use href=",
    "</",
    "/>",
    ">",
];

const ATTRIBUTES: &[&str] = &[
    " onerror=",
    " onload=\"",
    " OnClick='",
    " onmouseover=",
    " on\u{0}error=",
    " style=",
    " style=\"background:url(javascript:alert(1))\"",
    " href=",
    " src=",
    " srcset=",
    " xlink:href=",
    " formaction=",
    " action=",
    " id=",
    " id=location",
    " class=",
    " data=",
    " poster=",
    " background=",
    " cite=",
    " name=",
    " rel=",
    " target=_blank",
    " type=",
    " autofocus",
    " dynsrc=",
    " lowsrc=",
    " =",
    "\"",
    "'",
    "`",
    "/",
];

const URLS: &[&str] = &[
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java\nscript:",
    "java&#x09;script:",
    "java&#9;script:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "&#0000106avascript:",
    "jav&#97;script:",
    "javascript&colon;",
    "javascript&#58;",
    " javascript:",
    "\u{1}javascript:",
    "\u{200b}javascript:",
    "java\u{200b}script:",
    "\u{2028}javascript:",
    "\u{feff}javascript:",
    "vbscript:",
    "VBScript:",
    "livescript:",
    "mocha:",
    "data:text/html,",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,",
    "DATA:",
    "http://",
    "https://example.nhs.uk/",
    "//evil.example",
    "#",
    "/relative",
    "mailto:a@b.c",
    "tel:123",
    "alert(1)",
    "alert`1`",
    "%0a",
    "%00",
    "&#x0A;",
    "\\u0061",
];

const UNICODE: &[&str] = &[
    "é",
    "漢字",
    "\u{202e}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{0}",
    "\r",
    "\r\n",
    "\u{b}",
    "\u{c}",
    "🙂",
    "e\u{301}",
    "\u{fffd}",
    "\u{200d}",
    "\u{00a0}",
    "ﬁ",
    "İ",
    "\u{e000}",
    "\u{1d4b6}",
    "ｊａｖａｓｃｒｉｐｔ：",
    "＜script＞",
];

const ENTITIES: &[&str] = &[
    "&lt;",
    "&gt;",
    "&#60;",
    "&#x3c;",
    "&#X3C;",
    "&amp;lt;",
    "&quot;",
    "&apos;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&NotAnEntity;",
    "&#",
    "&#x",
    "&lt",
    "&Tab;",
    "&NewLine;",
    "&colon;",
    "&lpar;",
    "&rpar;",
    "&#x6a;&#x61;&#x76;&#x61;",
    "&#99999999999;",
];

/// One piece of hostile text.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(MARKDOWN).prop_map(str::to_owned),
        3 => select(TAGS).prop_map(str::to_owned),
        3 => select(ATTRIBUTES).prop_map(str::to_owned),
        3 => select(URLS).prop_map(str::to_owned),
        1 => select(UNICODE).prop_map(str::to_owned),
        2 => select(ENTITIES).prop_map(str::to_owned),
        2 => "[a-z]{1,6}",
        1 => "\\PC{0,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Hostile text of at most 60 pieces (a few hundred bytes).
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

/// Text that nests deeply or repeats one construct many times.
fn deep_text() -> impl Strategy<Value = String> {
    (
        select(
            &[
                "> ",
                "- ",
                "  - ",
                "[",
                "*",
                "_",
                "<div>",
                "<a href=x>",
                "<table><tr><td>",
                "((",
                "`",
                "[a](",
                "![",
                "<svg>",
                "<math>",
                "&lt;",
                "|",
                "\\",
                "#",
            ][..],
        ),
        0..1500usize,
        hostile_text(),
    )
        .prop_map(|(unit, n, tail)| format!("{}{tail}", unit.repeat(n)))
}

/// Short strings as a person or a script would type into one form field.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(fragment(), 0..8).prop_map(|p| p.concat()),
        2 => "[ -~]{0,24}",
        1 => "\\PC{0,24}",
        1 => "[0-9-]{0,12}",
        1 => select(&[
            "", " ", "2027-03-31", "2027-02-30", "0000-00-00", "+999-01-01", "9999-12-31",
            "-001-01-01", "2027-3-31", "２０２７-03-31", "99999999999999999999", "-1", "0",
            "1e9", "NaN", "high", "low", "medium", "planned", "done", "pilot", "public",
            "guides/a", "plans/nhs-fife-sso-rollout", "/guides/../plans/x", "name: role",
        ][..])
        .prop_map(str::to_owned),
    ]
}

// ---------------------------------------------------------------------------------------------
// What safe HTML means

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
    "body",
    "html",
    "head",
    "title",
    "set",
    "animate",
    "use",
    "foreignobject",
    "annotation-xml",
    "dialog",
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
    "dynsrc",
    "lowsrc",
    "ping",
];
const ACTIVE_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "livescript", "mocha"];

/// Decodes numeric entities and the few named ones a serializer writes.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|end| match &rest[1..end] {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme of a URL as the most lenient reader would see it: entities decoded, every space,
/// control and invisible character dropped, lower-cased.
fn scheme(url: &str) -> Option<String> {
    let squeezed: String = decode_entities(url)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
                )
        })
        .collect::<String>()
        .to_ascii_lowercase();
    let colon = squeezed.find(':')?;
    let scheme = &squeezed[..colon];
    (!scheme.contains(['/', '?', '#'])).then(|| scheme.to_owned())
}

/// A start tag: its name and its attributes with their values.
type Tag = (String, Vec<(String, String)>);

/// Every start tag of serialized HTML, with its attributes. Fails on an unquoted attribute
/// value: the sanitiser always writes them double-quoted, and anything else could hide one.
fn start_tags(html: &str) -> Result<Vec<Tag>, String> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
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
            while j < bytes.len() && (bytes[j] as char).is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'/' {
                break;
            }
            let attr_end = html[j..]
                .find(|c: char| c == '=' || c.is_ascii_whitespace() || c == '>')
                .map_or(html.len(), |e| j + e);
            let attr = html[j..attr_end].to_ascii_lowercase();
            j = attr_end;
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if bytes.get(j) != Some(&b'"') {
                    return Err(format!("unquoted value of {attr} in <{name}>"));
                }
                let close = html[j + 1..]
                    .find('"')
                    .map(|e| j + 1 + e)
                    .ok_or_else(|| format!("unclosed value of {attr} in <{name}>"))?;
                value = html[j + 1..close].to_owned();
                j = close + 1;
            }
            attributes.push((attr, value));
        }
        tags.push((name, attributes));
        i = j;
    }
    Ok(tags)
}

/// What makes this HTML able to run script or restyle the page; empty when it is safe.
fn problems(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for raw in [
        "<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed",
    ] {
        if lower.contains(raw) {
            found.push(format!("{raw} in the text"));
        }
    }
    let tags = match start_tags(html) {
        Ok(tags) => tags,
        Err(e) => {
            found.push(e);
            return found;
        }
    };
    for (name, attributes) in tags {
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            found.push(format!("<{name}> element"));
        }
        if name == "input" {
            let checkbox = attributes
                .iter()
                .any(|(a, v)| a == "type" && v == "checkbox");
            let disabled = attributes.iter().any(|(a, _)| a == "disabled");
            if !(checkbox && disabled) {
                found.push(format!("active <input> {attributes:?}"));
            }
        }
        for (attr, value) in &attributes {
            if attr.starts_with("on") {
                found.push(format!("event handler {attr} on <{name}>"));
            }
            if attr == "style" || attr == "srcdoc" {
                found.push(format!("{attr} attribute on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let candidates: Vec<&str> = if attr == "srcset" {
                    value.split(',').collect()
                } else {
                    vec![value.as_str()]
                };
                for candidate in candidates {
                    if let Some(s) = scheme(candidate) {
                        if ACTIVE_SCHEMES.contains(&s.as_str()) {
                            found.push(format!("{attr}={value:?} on <{name}>"));
                        }
                    }
                }
            }
            if attr == "id"
                && !["sec-", "fn-", "fnref-"]
                    .iter()
                    .any(|p| value.starts_with(p))
            {
                found.push(format!("author id {value:?}"));
            }
        }
    }
    found
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    for bad in [
        r#"<p><a href="javascript:alert(1)">x</a></p>"#,
        r#"<a href="  JaVa&#x09;ScRiPt:alert(1)">x</a>"#,
        r#"<a href="&#106;avascript:alert(1)">x</a>"#,
        r#"<a href="java&#8203;script:x">x</a>"#,
        r#"<img src="x" onerror="alert(1)">"#,
        r#"<img src=x>"#,
        r#"<p style="color: red">x</p>"#,
        r#"<svg></svg>"#,
        r#"<math></math>"#,
        "<input type=\"text\">",
        r#"<img srcset="a.png 1x, data:image/svg+xml,x 2x">"#,
        r#"<h2 id="location">x</h2>"#,
    ] {
        assert!(!problems(bad).is_empty(), "not caught: {bad}");
    }
    for good in [
        r#"<p><a href="https://example.nhs.uk" rel="noopener noreferrer">ok</a></p>"#,
        r#"<h2 id="sec-plan">Plan</h2><p>&lt;script&gt; as text</p>"#,
        r#"<input type="checkbox" disabled="">"#,
        r#"<a href="/guides/x">x</a><a href="mailto:a@b.c">m</a>"#,
    ] {
        assert!(problems(good).is_empty(), "{good}: {:?}", problems(good));
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendered_markdown_never_carries_script_capable_markup(text in hostile_text()) {
        let rendered = app::markdown::render(&text);
        let found = problems(&rendered.html);
        prop_assert!(found.is_empty(), "{found:?}\ninput: {text:?}\nhtml: {}", rendered.html);
        for entry in &rendered.toc {
            prop_assert!(entry.id.starts_with("sec-"), "{:?}", entry.id);
            prop_assert!(
                entry.id[4..].chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{:?}",
                entry.id
            );
        }
    }

    #[test]
    fn deeply_nested_or_repeated_markdown_renders_safely(text in deep_text()) {
        let rendered = app::markdown::render(&text);
        let found = problems(&rendered.html);
        prop_assert!(found.is_empty(), "{found:?}\ninput starts {:?}", &text.chars().take(200).collect::<String>());
        let _ = app::markdown::plain_text(&text);
    }

    #[test]
    fn sanitising_any_html_leaves_it_safe(text in hostile_text()) {
        let html = app::markdown::sanitise(&text);
        let found = problems(&html);
        prop_assert!(found.is_empty(), "{found:?}\ninput: {text:?}\nhtml: {html}");
        // Cleaning is stable: cleaning the output again changes nothing that matters.
        let again = app::markdown::sanitise(&html);
        prop_assert!(problems(&again).is_empty());
    }

    #[test]
    fn plain_text_reads_any_markdown(text in hostile_text()) {
        let plain = app::markdown::plain_text(&text);
        prop_assert_eq!(plain.trim(), plain.as_str());
        prop_assert!(plain.len() <= text.len() * 4 + 4, "{} bytes from {}", plain.len(), text.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Front matter and the importer

fn front_matter_lines() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => select(&[
                "---", "--- ", "---\r", "----", " ---", "\u{feff}---", "title: x", "title:",
                "summary: \"", "tags: [a, b", "visibility: public", "status: published",
                "review_by: 2027-02-30", "organisation: test-board", ": :", "- - -", "",
                "  nested: 1", "? complex", "&anchor x", "*anchor", "!!binary x", "%YAML 1.2",
                "...", "key: |", "key: >", "\t", "# comment",
            ][..]).prop_map(str::to_owned),
            1 => hostile_text(),
        ],
        0..14,
    )
    .prop_flat_map(|lines| select(&["\n", "\r\n", "\r"][..]).prop_map(move |eol| lines.join(eol)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_front_matter_splitter_returns_parts_of_the_file_or_a_located_error(text in front_matter_lines()) {
        match app::content::split_front_matter(&text) {
            Ok(fm) => {
                prop_assert!(text.contains(fm.yaml));
                prop_assert!(text.ends_with(fm.body));
                prop_assert_eq!(fm.yaml_first_line, 2);
                prop_assert!(fm.body_first_line >= 3);
                for field in ["title", "tags", "", ":", "\u{feff}"] {
                    if let Some(line) = fm.line_of(field) {
                        prop_assert!(line >= 2 && line < fm.body_first_line);
                    }
                }
            }
            Err((line, message)) => {
                prop_assert!(line >= 1);
                prop_assert!(!message.is_empty());
            }
        }
    }
}

/// A guide file whose front-matter values are hostile, YAML-quoted or not.
fn guide_file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (
                select(
                    &[
                        "title",
                        "summary",
                        "organisation",
                        "owner",
                        "tags",
                        "topic",
                        "visibility",
                        "status",
                        "review_by",
                        "updated",
                        "initiative",
                        "phase",
                        "related",
                        "unknown_field",
                    ][..],
                ),
                field_text(),
                any::<bool>(),
            ),
            0..8,
        ),
        hostile_text(),
    )
        .prop_map(|(fields, body)| {
            let mut text = String::from("---\ntitle: \"A guide\"\norganisation: test-board\n");
            for (name, value, quoted) in fields {
                if quoted {
                    // A YAML double-quoted string: the value, escaped.
                    let escaped: String = value
                        .chars()
                        .flat_map(|c| match c {
                            '"' => vec!['\\', '"'],
                            '\\' => vec!['\\', '\\'],
                            c if c.is_control() => {
                                format!("\\u{:04x}", c as u32 & 0xffff).chars().collect()
                            }
                            c => vec![c],
                        })
                        .collect();
                    text.push_str(&format!("{name}: \"{escaped}\"\n"));
                } else {
                    text.push_str(&format!("{name}: {}\n", value.replace(['\n', '\r'], " ")));
                }
            }
            text.push_str("---\n");
            text.push_str(&body);
            text
        })
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(label: &str) -> Scratch {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "trustshare-hostile-{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

const ORG: &str = "---\nname: Test Board\ncode: T1\nnation: scotland\nkind: health-board\n---\n";

proptest! {
    // Each case imports into a fresh database, so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn importing_hostile_files_stores_safe_documents_or_reports_each_file(
        files in prop::collection::vec(guide_file(), 1..4),
    ) {
        let dir = scratch("import");
        let content = dir.0.join("content");
        std::fs::create_dir_all(content.join("organisations")).unwrap();
        std::fs::create_dir_all(content.join("guides")).unwrap();
        std::fs::write(content.join("organisations/test-board.md"), ORG).unwrap();
        for (i, text) in files.iter().enumerate() {
            std::fs::write(content.join(format!("guides/case-{i}.md")), text).unwrap();
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (report, bodies) = runtime.block_on(async {
            let url = format!("sqlite://{}", dir.0.join("t.db").display());
            let db = app::db::Db::connect(&url).await.unwrap();
            db.migrate().await.unwrap();
            let report = app::content::import_dir(&db, &content).await.expect("import runs");
            let bodies: Vec<(String, String)> =
                sqlx::query_as("SELECT slug, body FROM documents")
                    .fetch_all(db.pool())
                    .await
                    .unwrap();
            db.pool().close().await;
            (report, bodies)
        });
        let imported: usize = report.created.get("guides").copied().unwrap_or(0)
            + report.updated.get("guides").copied().unwrap_or(0)
            + report.unchanged.get("guides").copied().unwrap_or(0);
        prop_assert_eq!(imported + report.errors.len(), files.len(), "{:?}", report.errors);
        prop_assert_eq!(bodies.len(), imported);
        for error in &report.errors {
            prop_assert!(error.path.starts_with(&content), "{error}");
            prop_assert!(!error.message.is_empty(), "{error}");
        }
        for (slug, body) in bodies {
            let found = problems(&app::markdown::render(&body).html);
            prop_assert!(found.is_empty(), "{slug}: {found:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Form and file parsers

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dates_parse_to_real_dates_that_print_back(text in field_text()) {
        match app::dates::Date::parse(&text) {
            Ok(date) => {
                let printed = date.to_string();
                prop_assert_eq!(app::dates::Date::parse(&printed), Ok(date));
                prop_assert_eq!(printed.len(), 10, "{}", printed);
            }
            Err(message) => prop_assert!(message.contains("YYYY-MM-DD")),
        }
        let _ = app::dates::Date::of_timestamp(&text);
    }

    #[test]
    fn slugs_and_tags_accept_only_address_safe_names(text in field_text()) {
        let address_safe = |s: &str| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        if app::slugs::validate_slug(&text).is_ok() {
            prop_assert!(address_safe(&text), "{text:?}");
        }
        match app::slugs::normalise_tag(&text) {
            Ok(tag) => {
                prop_assert!(address_safe(&tag), "{tag:?}");
                prop_assert_eq!(app::slugs::normalise_tag(&tag), Ok(tag.clone()));
            }
            Err(message) => prop_assert!(!message.is_empty()),
        }
        let _ = app::lessons::parse_related(&text);
        let _ = app::plans::form::parse_contact(&text);
    }

    #[test]
    fn emails_are_one_address_without_spaces_or_controls(text in field_text()) {
        match app::users::validate_email(&text) {
            Ok(email) => {
                prop_assert_eq!(email.matches('@').count(), 1, "{}", email);
                prop_assert!(!email.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert_eq!(app::users::validate_email(&email), Ok(email.clone()));
            }
            Err(message) => prop_assert!(!message.is_empty()),
        }
        let _ = app::users::parse_role(&text);
    }

    #[test]
    fn coded_values_parse_only_their_own_codes(text in field_text()) {
        fn check<T: app::coded::Coded + std::fmt::Debug + PartialEq>(text: &str) -> Result<(), TestCaseError> {
            match T::parse(text) {
                Ok(v) => prop_assert_eq!(v.code(), text.trim()),
                Err(message) => prop_assert!(message.contains("expected one of"), "{}", message),
            }
            Ok(())
        }
        check::<app::documents::steps::Transition>(&text)?;
        check::<app::documents::steps::WorkflowStep>(&text)?;
        check::<app::documents::model::Intent>(&text)?;
        check::<app::permissions::Visibility>(&text)?;
        check::<app::permissions::DocStatus>(&text)?;
        check::<app::users::Role>(&text)?;
        check::<app::plans::fields::MilestoneStatus>(&text)?;
        check::<app::plans::fields::Level>(&text)?;
        check::<app::lessons::LessonPhase>(&text)?;
        check::<app::orgs::Nation>(&text)?;
        check::<app::orgs::OrgKind>(&text)?;
        let _ = app::kinds::DocKind::from_code(&text);
        let _ = app::kinds::DocKind::from_path(&text);
    }
}

fn milestone_row() -> impl Strategy<Value = MilestoneRow> {
    (
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        field_text(),
    )
        .prop_map(|(phase, name, baseline, forecast, status)| MilestoneRow {
            phase,
            name,
            baseline,
            forecast,
            status,
        })
}

fn risk_row() -> impl Strategy<Value = RiskRow> {
    (
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        field_text(),
    )
        .prop_map(
            |(description, likelihood, impact, owner, mitigation)| RiskRow {
                description,
                likelihood,
                impact,
                owner,
                mitigation,
            },
        )
}

fn plan_form() -> impl Strategy<Value = PlanForm> {
    (
        (
            field_text(),
            field_text(),
            field_text(),
            field_text(),
            field_text(),
        ),
        (field_text(), field_text(), field_text()),
        prop::collection::vec(milestone_row(), 0..5),
        prop::collection::vec(risk_row(), 0..5),
    )
        .prop_map(
            |(
                (initiative, product, product_version, sites, departments),
                (users, workstations, contacts),
                milestones,
                risks,
            )| PlanForm {
                initiative,
                product,
                product_version,
                sites,
                departments,
                users,
                workstations,
                milestones,
                risks,
                contacts,
            },
        )
}

fn lesson_form() -> impl Strategy<Value = LessonForm> {
    (
        field_text(),
        hostile_text(),
        hostile_text(),
        hostile_text(),
        hostile_text(),
        hostile_text(),
        field_text(),
        field_text(),
    )
        .prop_map(
            |(
                phase,
                context,
                what_happened,
                what_worked,
                do_differently,
                recommendation,
                related,
                rules,
            )| {
                LessonForm {
                    phase,
                    context,
                    what_happened,
                    what_worked,
                    do_differently,
                    recommendation,
                    related,
                    rules,
                }
            },
        )
}

/// A field error must say where and what.
fn well_formed(errors: &[app::components::form::FormError]) -> Result<(), TestCaseError> {
    for e in errors {
        prop_assert!(!e.field.is_empty() && !e.message.is_empty(), "{:?}", e);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_plan_form_reads_any_input_into_fields_or_field_errors(form in plan_form()) {
        let mut errors = Vec::new();
        let fields = app::plans::form::read_form(&form, &mut errors);
        well_formed(&errors)?;
        let _ = <app::plans::Plans as Kind>::check(&fields, Default::default());
        let _ = <app::plans::Plans as Kind>::links(&fields);
        let _ = <app::plans::Plans as Kind>::diff_text(&fields);
        let _ = fields.timeline();
        // What was read is what the form shows again.
        let again = <app::plans::Plans as Kind>::to_form(&fields);
        let mut errors_again = Vec::new();
        let _ = app::plans::form::read_form(&again, &mut errors_again);
    }

    #[test]
    fn the_lesson_form_reads_any_input_into_fields_or_field_errors(form in lesson_form()) {
        let mut errors = Vec::new();
        let fields = <Lessons as Kind>::read_form(&form, &mut errors);
        well_formed(&errors)?;
        let _ = <Lessons as Kind>::check(&fields, Default::default());
        let _ = <Lessons as Kind>::links(&fields);
        let _ = <Lessons as Kind>::diff_text(&fields);
        let page = <Lessons as Kind>::page(fields, Vec::new(), app::dates::Date::parse("2026-03-15").unwrap());
        for (_, html) in &page.sections {
            let found = problems(html);
            prop_assert!(found.is_empty(), "{found:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Server-function arguments, decoded exactly as the server decodes a posted form

const FORM_KEYS: &[&str] = &[
    "form[kind]",
    "form[slug]",
    "form[new_slug]",
    "form[base_revision]",
    "form[intent]",
    "form[org]",
    "form[title]",
    "form[summary]",
    "form[body]",
    "form[topic]",
    "form[tags]",
    "form[visibility]",
    "form[review_by]",
    "form[owner]",
    "form[comment]",
    "form[initiative]",
    "form[phase]",
    "form[related]",
    "form[configuration]",
    "form[users]",
    "form[milestones][0][name]",
    "form[milestones][1][status]",
    "form[milestones][99999999999][phase]",
    "form[milestones][-1][name]",
    "form[milestones][][name]",
    "form[risks][0][likelihood]",
    "form[risks][x][impact]",
    "form[a][b][c][d][e][f][g]",
    "form",
    "form[]",
    "form[[",
    "form]]",
    "form[kind][x]",
    "form[title][]",
    "kind",
    "slug",
    "step",
    "revision",
    "comment",
    "[",
    "]",
    "%5B",
    "form%5Bkind%5D",
    "",
];

fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(&["guide", "plan", "lesson", "access", "save", "submit", "preview", "approve", "0", "1",
            "-1", "9223372036854775808", "nhs-fife", "public", "2027-06-30", ""][..])
            .prop_map(str::to_owned),
        2 => field_text().prop_map(|v| form_urlencoded::byte_serialize(v.as_bytes()).collect()),
        1 => field_text(),
        1 => "[%&=+;a-z0-9\\[\\]]{0,12}",
    ]
}

fn query_string() -> impl Strategy<Value = String> {
    prop::collection::vec((select(FORM_KEYS), query_value(), any::<bool>()), 0..24).prop_map(
        |pairs| {
            pairs
                .into_iter()
                .map(|(k, v, with_value)| {
                    if with_value {
                        format!("{k}={v}")
                    } else {
                        k.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("&")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn posted_editor_forms_decode_or_fail_without_panicking(qs in query_string()) {
        // server_fn's PostUrl decoding: serde_qs::Config::new(5, false).
        let config = serde_qs::Config::new(5, false);
        if let Ok(SaveDocument { form }) = config.deserialize_str::<SaveDocument>(&qs) {
            let spec = form.kind.spec();
            let mut errors = Vec::new();
            let fields = spec.read_form(&form.fields, &mut errors);
            well_formed(&errors)?;
            let _ = spec.check(&fields, Default::default());
            let _ = spec.describe(&fields);
            let _ = spec.links(&fields);
            let _ = app::markdown::render(&form.body);
            let _ = app::dates::Date::parse(&form.review_by);
            let _ = app::permissions::Visibility::parse(&form.visibility);
            for tag in form.tags.split(',') {
                let _ = app::slugs::normalise_tag(tag);
            }
        }
        let _ = config.deserialize_str::<DocumentStep>(&qs.replace("form[", "").replace(']', ""));
    }
}

#[test]
fn a_well_formed_editor_form_decodes() {
    let qs = "form[kind]=plan&form[base_revision]=0&form[title]=T&form[intent]=submit\
              &form[milestones][0][phase]=Pilot&form[milestones][0][name]=Go-live\
              &form[milestones][0][baseline]=2027-01-31&form[milestones][0][forecast]=2027-02-28\
              &form[milestones][0][status]=planned";
    let SaveDocument { form } = serde_qs::Config::new(5, false)
        .deserialize_str::<SaveDocument>(qs)
        .expect("decodes");
    assert_eq!(form.kind.code(), "plan");
    assert_eq!(form.intent, app::documents::model::Intent::Submit);
    let mut errors = Vec::new();
    let fields = form.kind.spec().read_form(&form.fields, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(fields.to_string().contains("Go-live"), "{fields}");
}

/// Text shaped like a configuration: sometimes valid, mostly not, often not YAML at all.
fn configuration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => field_text(),
        3 => (
            prop::bool::ANY,
            "([a-z_]{1,14}:( [a-z0-9\\-\\[\\]{}:,'\"]{0,10})?\n(( {2}| {4}|  - )[a-z_]{1,12}: [a-z0-9\\-]{0,8}\n){0,3}){0,6}",
        )
            .prop_map(|(head, rest)| if head {
                format!("schema_version: 1\norganisation: nhs-fife\n{rest}")
            } else {
                rest
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_configuration_text_is_refused_with_located_problems_or_read(text in configuration_text()) {
        use app::configurations::{ConfigurationFields, Configurations};
        let mut errors = Vec::new();
        let fields = <Configurations as Kind>::read_form(
            &ConfigurationFields { configuration: text },
            &mut errors,
        );
        prop_assert!(errors.is_empty());
        let problems = <Configurations as Kind>::check(&fields, Default::default());
        let described = <Configurations as Kind>::describe(&fields);
        // Saved only when it reads, and then it says what it is about.
        prop_assert_eq!(problems.is_empty(), described.is_some(), "{:?}", problems);
        for p in &problems {
            prop_assert_eq!(p.field.as_str(), "configuration");
            let lines = fields.configuration.lines().count().max(1);
            prop_assert!(p.line.is_none_or(|l| l >= 1 && l <= lines + 1), "{:?} in {} lines", p, lines);
        }
        let _ = <Configurations as Kind>::page(fields, Vec::new(), app::dates::Date::parse("2026-03-15").unwrap());
    }
}
