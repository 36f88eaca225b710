//! Full-text search over HTTP: the `/search` page and `/api/v1/search` on a small corpus written
//! for each relevance case, permissions, hostile queries, and the index's life: changes found
//! soon after they are made, rebuilds, the `reindex` command, a killed process, and two
//! instances sharing one PostgreSQL database.

use std::time::{Duration, Instant};

use crate::common::{
    content_tree, eventually, input_value, post_form, TempDir, TestServer, PASSWORD,
};

const ALPHA_EDITOR: &str = "edna.editor@alpha.nhs.example";
const ALPHA_READER: &str = "rory.reader@alpha.nhs.example";
const BETA_READER: &str = "bea.reader@beta.nhs.example";

fn org(name: &str, nation: &str) -> String {
    format!(
        "---\nname: {name}\ncode: X{}\nnation: {nation}\nkind: trust\n---\n{name}.\n",
        name.len()
    )
}

fn user(email: &str, name: &str, org: &str, role: &str) -> String {
    format!("---\nemail: {email}\nname: {name}\norganisation: {org}\nrole: {role}\n---\n")
}

/// A document file: front matter lines, then the text.
fn doc(org: &str, title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nsummary: {title}.\norganisation: {org}\n{extra}---\n{body}\n")
}

/// The corpus: each document is there for one of the cases below.
fn corpus() -> TempDir {
    let public = "visibility: public\nupdated: 2026-03-01\n";
    let files: Vec<(String, String)> = vec![
        ("organisations/alpha.md".into(), org("Alpha Health Board", "scotland")),
        ("organisations/beta.md".into(), org("Beta Hospitals Trust", "england")),
        ("users/edna.md".into(), user(ALPHA_EDITOR, "Edna Editor", "alpha", "editor")),
        ("users/rory.md".into(), user(ALPHA_READER, "Rory Reader", "alpha", "reader")),
        ("users/bea.md".into(), user(BETA_READER, "Bea Reader", "beta", "reader")),
        (
            "guides/deployment-notes.md".into(),
            doc("alpha", "Badge reader deployment notes", "visibility: public\nupdated: 2025-01-01\ntags: [badges, rollout]\n", "The deployment of readers went to plan across two sites."),
        ),
        (
            "guides/kiosk-lessons.md".into(),
            doc("beta", "Kiosk lessons", "visibility: public\nupdated: 2026-06-01\n", "We are deploying kiosks in outpatient clinics."),
        ),
        (
            "guides/smartcard-middleware.md".into(),
            doc("alpha", "Middleware for smartcards", public, "Pin the smartcard middleware version in the build."),
        ),
        (
            "guides/shared-pcs.md".into(),
            doc("beta", "Shared PCs", public, "Fast user switching on shared PCs keeps sessions open."),
        ),
        (
            "guides/scattered-words.md".into(),
            doc("alpha", "Scattered words", public, "Switching fast between tasks helps the user."),
        ),
        (
            "guides/emergency-access.md".into(),
            doc("alpha", "Access in the emergency department", public, "Single sign-on for the emergency department."),
        ),
        (
            "guides/printer-queues.md".into(),
            doc("beta", "Printer queues", public, "Staff tap their badges to release print jobs."),
        ),
        (
            "guides/escaping.md".into(),
            doc("beta", "Escaping", public, "Never run `<script>alert(1)</script>` & friends: the alert is a trap."),
        ),
        (
            "plans/alpha-rollout.md".into(),
            doc("alpha", "Alpha tap and go", &format!("{public}initiative: Tap and go rollout\nproduct: OneSign\nscope:\n  sites: [Victoria Hospital]\n"), "The plan."),
        ),
        (
            "lessons/alpha-pilot.md".into(),
            doc("alpha", "Readers arrived late", &format!("{public}phase: pilot\ncontext: Readers came late.\nwhat_happened: Queues formed at the enrolment table.\nrecommendation: Order readers early.\n"), ""),
        ),
        (
            "guides/network-only.md".into(),
            doc("beta", "Network guide", "visibility: network\n", "A quokka for members."),
        ),
        (
            "guides/org-only.md".into(),
            doc("beta", "Beta guide", "visibility: organisation\n", "A wombat for Beta."),
        ),
        (
            "guides/draft-doc.md".into(),
            doc("alpha", "Alpha draft", "visibility: public\nstatus: draft\n", "A platypus not yet approved."),
        ),
        (
            "guides/archived-doc.md".into(),
            doc("alpha", "Alpha archive", "visibility: public\nstatus: archived\n", "A numbat from the past."),
        ),
    ];
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    content_tree(&refs)
}

/// A server on the corpus, its index caught up, the corpus users with passwords.
async fn start() -> (TestServer, TempDir) {
    let content = corpus();
    let server = TestServer::start_with_content(content.0.clone()).await;
    for email in [ALPHA_EDITOR, ALPHA_READER, BETA_READER] {
        server.set_password(email, PASSWORD);
    }
    server.search_ready().await;
    (server, content)
}

/// The JSON answer of `/api/v1/search?{query}`.
async fn api(server: &TestServer, client: &reqwest::Client, query: &str) -> serde_json::Value {
    let response = client
        .get(server.url(&format!("/api/v1/search?{query}")))
        .header("accept", "application/json")
        .send()
        .await
        .expect("search");
    assert_eq!(response.status(), 200, "/api/v1/search?{query}");
    serde_json::from_str(&response.text().await.unwrap()).expect("JSON")
}

/// The addresses of the results, in order.
fn hrefs(json: &serde_json::Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["href"].as_str().unwrap().to_owned())
        .collect()
}

async fn found(server: &TestServer, client: &reqwest::Client, query: &str) -> Vec<String> {
    hrefs(&api(server, client, query).await)
}

fn q(text: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    format!("q={encoded}")
}

#[tokio::test]
async fn words_match_in_any_form_despite_typos_and_through_synonyms() {
    let (server, _content) = start().await;
    let c = server.client();
    let both = ["/guides/deployment-notes", "/guides/kiosk-lessons"];
    for word in ["deployment", "deploying", "deploys"] {
        let mut hits = found(&server, &c, &q(word)).await;
        hits.sort();
        assert_eq!(hits, both, "stemming: {word}");
    }
    for typo in ["smartcrad", "middlewre", "smartcard middlware"] {
        assert_eq!(
            found(&server, &c, &q(typo)).await,
            ["/guides/smartcard-middleware"],
            "typo: {typo}"
        );
    }
    // Words under five letters are taken as typed.
    assert!(found(&server, &c, &q("pcz")).await.is_empty());
    for (word, doc) in [
        ("SSO", "/guides/emergency-access"),
        ("A&E", "/guides/emergency-access"),
        ("FUS", "/guides/shared-pcs"),
    ] {
        assert_eq!(found(&server, &c, &q(word)).await, [doc], "synonym: {word}");
    }
    // The kinds' own fields are searched too.
    assert_eq!(
        found(&server, &c, &q("Victoria")).await,
        ["/plans/alpha-rollout"]
    );
    assert_eq!(
        found(&server, &c, &q("OneSign")).await,
        ["/plans/alpha-rollout"]
    );
    assert_eq!(
        found(&server, &c, &q("enrolment table")).await,
        ["/lessons/alpha-pilot"]
    );
}

#[tokio::test]
async fn phrases_exclusions_and_the_word_being_typed() {
    let (server, _content) = start().await;
    let c = server.client();
    let mut words = found(&server, &c, &q("fast user switching")).await;
    words.sort();
    assert_eq!(words, ["/guides/scattered-words", "/guides/shared-pcs"]);
    assert_eq!(
        found(&server, &c, &q("\"fast user switching\"")).await,
        ["/guides/shared-pcs"]
    );
    assert_eq!(
        found(&server, &c, &q("switching -shared")).await,
        ["/guides/scattered-words"]
    );
    assert_eq!(
        found(&server, &c, &q("switching -\"shared pcs\"")).await,
        ["/guides/scattered-words"]
    );
    // The last word matches as a prefix while it is being typed, not once a space follows.
    assert_eq!(
        found(&server, &c, &q("middlew")).await,
        ["/guides/smartcard-middleware"]
    );
    assert!(found(&server, &c, &q("middlew ")).await.is_empty());
}

#[tokio::test]
async fn titles_and_tags_weigh_more_than_the_text() {
    let (server, _content) = start().await;
    let c = server.client();
    assert_eq!(
        found(&server, &c, &q("badges")).await,
        ["/guides/deployment-notes", "/guides/printer-queues"]
    );
}

#[tokio::test]
async fn filters_facets_and_sorting() {
    let (server, _content) = start().await;
    let c = server.client();
    // Newest first on request.
    assert_eq!(
        found(&server, &c, "q=deploy&sort=date").await,
        ["/guides/kiosk-lessons", "/guides/deployment-notes"]
    );
    // Typed filters.
    assert_eq!(
        found(&server, &c, &q("deploy org:alpha")).await,
        ["/guides/deployment-notes"]
    );
    assert_eq!(
        found(&server, &c, &q("deploy org:\"Beta Hospitals\"")).await,
        ["/guides/kiosk-lessons"]
    );
    assert_eq!(
        found(&server, &c, &q("deploy nation:england")).await,
        ["/guides/kiosk-lessons"]
    );
    assert_eq!(
        found(&server, &c, &q("tag:badges")).await,
        ["/guides/deployment-notes"]
    );
    assert_eq!(
        found(&server, &c, &q("kind:plans")).await,
        ["/plans/alpha-rollout"]
    );
    // Facet counts, and choosing one keeps the words; the chosen facet still counts the others.
    let json = api(&server, &c, "q=deploy").await;
    let facet = |json: &serde_json::Value, name: &str| -> Vec<(String, u64, bool)> {
        json["facets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["name"] == name)
            .flat_map(|g| g["values"].as_array().unwrap().iter())
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["count"].as_u64().unwrap(),
                    v["selected"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(facet(&json, "kind"), [("guide".to_owned(), 2, false)]);
    let mut orgs = facet(&json, "org");
    orgs.sort();
    assert_eq!(
        orgs,
        [
            ("alpha".to_owned(), 1, false),
            ("beta".to_owned(), 1, false)
        ]
    );
    let json = api(&server, &c, "q=deploy&org=alpha").await;
    assert_eq!(hrefs(&json), ["/guides/deployment-notes"]);
    let mut orgs = facet(&json, "org");
    orgs.sort();
    assert_eq!(
        orgs,
        [("alpha".to_owned(), 1, true), ("beta".to_owned(), 1, false)]
    );
    assert_eq!(facet(&json, "nation"), [("scotland".to_owned(), 1, false)]);
    // The kinds' own facets.
    let json = api(&server, &c, "q=readers").await;
    assert_eq!(facet(&json, "phase"), [("pilot".to_owned(), 1, false)]);
    assert_eq!(
        hrefs(&api(&server, &c, "q=readers&phase=pilot").await),
        ["/lessons/alpha-pilot"]
    );
    // The page shows the facets as links that keep the words.
    let (status, page) = server.get(&c, "/search?q=deploy").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"href="/search?q=deploy&amp;org=alpha""#),
        "{page}"
    );
    assert!(page.contains("Alpha Health Board (1)"));
}

#[tokio::test]
async fn no_results_suggest_a_spelling_and_removing_a_filter() {
    let (server, _content) = start().await;
    let c = server.client();
    let json = api(&server, &c, &q("pcz")).await;
    assert_eq!(json["total"], 0);
    assert_eq!(json["did_you_mean"]["text"], "pcs");
    let (_, page) = server.get(&c, &format!("/search?{}", q("pcz"))).await;
    assert!(page.contains("Did you mean"), "{page}");
    assert!(page.contains(r#"href="/search?q=pcs""#), "{page}");

    let json = api(&server, &c, &q("deploy kind:plan")).await;
    assert_eq!(json["total"], 0);
    assert_eq!(json["without_filters"][0]["text"], "kind:plan");
    assert_eq!(json["without_filters"][0]["total"], 2);
    let json = api(&server, &c, "q=smartcard&org=beta").await;
    assert_eq!(json["total"], 0);
    assert_eq!(
        json["without_filters"][0]["text"],
        "Organisation: Beta Hospitals Trust"
    );
    let (_, page) = server.get(&c, "/search?q=smartcard&org=beta").await;
    assert!(page.contains(r#"href="/search?q=smartcard""#), "{page}");
}

#[tokio::test]
async fn snippets_mark_the_matching_words_and_escape_the_text() {
    let (server, _content) = start().await;
    let c = server.client();
    let json = api(&server, &c, &q("alert")).await;
    let html = json["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(html.contains("<mark>alert</mark>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>"),
        "{html}"
    );
    let (_, page) = server.get(&c, &format!("/search?{}", q("alert"))).await;
    assert!(page.contains("<mark>alert</mark>"));
    assert!(!page.contains("<script>alert"));
    // Stemmed and misspelt matches are marked too.
    let json = api(&server, &c, &q("deploying")).await;
    let all: String = hrefs(&json).join(" ");
    assert!(all.contains("deployment-notes"));
    let htmls: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["snippet_html"].as_str().unwrap())
        .collect();
    assert!(
        htmls.iter().any(|h| h.contains("<mark>deployment</mark>")),
        "{htmls:?}"
    );
    let json = api(&server, &c, &q("smartcrad")).await;
    assert!(json["hits"][0]["snippet_html"]
        .as_str()
        .unwrap()
        .contains("<mark>smartcard</mark>"));
}

#[tokio::test]
async fn only_documents_the_viewer_may_open_are_found() {
    let (server, _content) = start().await;
    let anonymous = server.client();
    let alpha_reader = server.signed_in(ALPHA_READER, PASSWORD).await;
    let beta_reader = server.signed_in(BETA_READER, PASSWORD).await;
    let editor = server.signed_in(ALPHA_EDITOR, PASSWORD).await;
    let admin = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    let cases: [(&str, &reqwest::Client, bool); 20] = [
        ("quokka", &anonymous, false),
        ("quokka", &alpha_reader, true),
        ("quokka", &beta_reader, true),
        ("quokka", &editor, true),
        ("wombat", &anonymous, false),
        ("wombat", &alpha_reader, false),
        ("wombat", &beta_reader, true),
        ("wombat", &editor, false),
        ("platypus", &anonymous, false),
        ("platypus", &alpha_reader, false),
        ("platypus", &beta_reader, false),
        ("platypus", &editor, false),
        ("platypus drafts:yes", &editor, true),
        ("platypus drafts:yes", &alpha_reader, false),
        ("platypus drafts:yes", &beta_reader, false),
        ("numbat", &editor, false),
        ("numbat drafts:yes", &editor, true),
        ("numbat drafts:yes", &anonymous, false),
        ("numbat", &admin, false),
        ("numbat drafts:yes", &admin, true),
    ];
    for (i, (words, client, expected)) in cases.into_iter().enumerate() {
        let json = api(&server, client, &q(words)).await;
        assert_eq!(json["total"] == 1, expected, "case {i}: {words}: {json}");
        let (status, page) = server.get(client, &format!("/search?{}", q(words))).await;
        assert_eq!(status, 200);
        assert_eq!(
            page.contains("1 result"),
            expected,
            "case {i}: page for {words}"
        );
    }
    // The checkbox asks for drafts too.
    let json = api(&server, &editor, "q=platypus&drafts=yes").await;
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["status"], "draft");
    let (_, page) = server.get(&editor, "/search?q=platypus").await;
    assert!(
        page.contains(r#"name="drafts""#),
        "editors are offered drafts"
    );
    let (_, page) = server.get(&alpha_reader, "/search?q=platypus").await;
    assert!(!page.contains(r#"name="drafts""#), "readers are not");
}

#[tokio::test]
async fn the_json_api_and_the_preview_answer_as_the_page_does() {
    let (server, _content) = start().await;
    let c = server.client();
    let json = api(&server, &c, &q("deploy")).await;
    assert_eq!(json["total"], 2);
    let hit = &json["hits"][0];
    for field in [
        "kind",
        "slug",
        "href",
        "title",
        "org",
        "updated",
        "snippet",
        "snippet_html",
    ] {
        assert!(!hit[field].is_null(), "{field} in {hit}");
    }
    let (_, page) = server.get(&c, "/search?q=deploy").await;
    assert!(page.contains("2 results"));
    for href in hrefs(&json) {
        assert!(page.contains(&format!(r#"href="{href}""#)), "{href}");
    }
    let response = c
        .post(server.url("/api/search/preview"))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(&[("q", "middlew")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let preview: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(preview[0]["href"], "/guides/smartcard-middleware");
    assert_eq!(preview[0]["org_name"], "Alpha Health Board");
}

#[tokio::test]
async fn hostile_queries_never_give_an_error() {
    let (server, _content) = start().await;
    let c = server.client();
    let mut queries: Vec<String> = [
        "- *",
        "\"",
        "\"\"\"",
        "(",
        ")",
        ":",
        "-",
        "--",
        "*:*",
        "org:",
        "org:\"",
        "kind:",
        "-\"",
        "a AND (b OR",
        "title:x^2~3",
        "\\",
        "%",
        "%00",
        "\u{0}",
        "\u{202e}evil",
        "🦀🦀",
        "null",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "drafts:yes drafts:no",
        "year:abcd",
        "nation:atlantis",
        "phase:",
        "tag:\"\"",
        "page=-1",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    queries.push("smart ".repeat(5000));
    queries.push("\"".repeat(300));
    queries.push("a".repeat(10_000));
    queries.push("-".repeat(1000));
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..40 {
        let len = (seed % 60) as usize;
        let mut s = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pool = "-\"*:() abcxyz&|^~\\!{}[]/'ü😀\u{301}";
            let chars: Vec<char> = pool.chars().collect();
            s.push(chars[(seed % chars.len() as u64) as usize]);
        }
        queries.push(s);
    }
    // A request that never answers fails the test, naming it, instead of hanging it.
    let answer = |request: reqwest::RequestBuilder, what: String| async move {
        match tokio::time::timeout(Duration::from_secs(60), async {
            let response = request.send().await.expect("send");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        })
        .await
        {
            Ok(answer) => answer,
            Err(_) => panic!("no answer within 60 s: {what}"),
        }
    };
    for text in &queries {
        let query = q(text);
        let (status, page) = answer(
            c.get(server.url(&format!("/search?{query}"))),
            format!("/search for {text:?}"),
        )
        .await;
        assert_eq!(status, 200, "/search for {text:?}");
        assert!(!page.contains("problem with the service"), "{text:?}");
        for extra in ["", "&page=999999", "&page=-3", "&sort=nonsense", "&org=%22"] {
            let (status, _) = answer(
                c.get(server.url(&format!("/api/v1/search?{query}{extra}"))),
                format!("api for {text:?}{extra}"),
            )
            .await;
            assert_eq!(status, 200, "api for {text:?}{extra}");
        }
        let (status, _) = answer(
            c.post(server.url("/api/search/preview"))
                .header("accept", "application/json")
                .header("origin", &server.base)
                .form(&[("q", text.as_str())]),
            format!("preview for {text:?}"),
        )
        .await;
        assert_eq!(status, 200, "preview for {text:?}");
    }
    let json = api(&server, &c, &q(&"smart ".repeat(100))).await;
    let notices = json["notices"].to_string();
    assert!(notices.contains("256 characters"), "{notices}");
}

/// Saves a public guide for Alpha as the editor, and has the administrator (whose password is
/// `admin_password`) approve it.
async fn publish_guide(
    server: &TestServer,
    admin_password: &str,
    title: &str,
    body: &str,
) -> String {
    let editor = server.signed_in(ALPHA_EDITOR, PASSWORD).await;
    let admin = server
        .signed_in("admin@trustshare.localhost", admin_password)
        .await;
    let (status, location) = post_form(
        server,
        &editor,
        "/api/documents/save",
        &[
            ("form[kind]", "guide"),
            ("form[slug]", ""),
            ("form[base_revision]", "0"),
            ("form[org]", "alpha"),
            ("form[title]", title),
            ("form[summary]", "A new guide."),
            ("form[body]", body),
            ("form[tags]", "testing"),
            ("form[visibility]", "public"),
            ("form[owner]", ALPHA_EDITOR),
            ("form[review_by]", "2027-06-30"),
            ("form[comment]", "First version"),
            ("form[intent]", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 302, "save {title}");
    let (_, page) = server.get(&admin, &location).await;
    let revision = input_value(&page, "revision").expect("workflow form");
    let slug = location.rsplit('/').next().unwrap().to_owned();
    let (status, _) = post_form(
        server,
        &admin,
        "/api/documents/step",
        &[
            ("kind", "guide"),
            ("slug", &slug),
            ("step", "approve"),
            ("revision", &revision),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(status, 302, "approve {title}");
    location
}

/// Waits until a search for `word` finds `href`; returns how long that took.
async fn until_found(server: &TestServer, word: &str, href: &str) -> Duration {
    let started = Instant::now();
    let client = server.client();
    eventually(|| {
        let client = client.clone();
        async move {
            found(server, &client, &q(word))
                .await
                .contains(&href.to_owned())
        }
    })
    .await;
    started.elapsed()
}

#[tokio::test]
async fn a_published_document_is_found_and_a_draft_of_it_is_not() {
    let (server, _content) = start().await;
    let c = server.client();
    let href = publish_guide(
        &server,
        &server.admin_password,
        "Capybara handling",
        "How to handle a capybara.",
    )
    .await;
    let took = until_found(&server, "capybara", &href).await;
    println!("published → found in {} ms", took.as_millis());
    // A newer draft of it changes nothing readers find.
    let editor = server.signed_in(ALPHA_EDITOR, PASSWORD).await;
    let (_, page) = server.get(&editor, &format!("{href}/edit")).await;
    let base = input_value(&page, "form[base_revision]").expect("base revision");
    let slug = href.rsplit('/').next().unwrap();
    let (status, _) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &[
            ("form[kind]", "guide"),
            ("form[slug]", slug),
            ("form[base_revision]", &base),
            ("form[title]", "Capybara handling"),
            ("form[summary]", "A new guide."),
            ("form[body]", "How to handle an axolotl."),
            ("form[tags]", "testing"),
            ("form[visibility]", "public"),
            ("form[owner]", ALPHA_EDITOR),
            ("form[review_by]", "2027-06-30"),
            ("form[intent]", "save"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    server.search_ready().await;
    assert!(found(&server, &c, &q("axolotl")).await.is_empty());
    assert_eq!(found(&server, &c, &q("capybara")).await, [href]);
}

#[tokio::test]
async fn a_change_made_by_another_process_is_found_through_the_change_log() {
    let (server, content) = start().await;
    let c = server.client();
    std::fs::write(
        content.0.join("guides/imported-later.md"),
        doc(
            "beta",
            "Imported later",
            "visibility: public\n",
            "An okapi arrives.",
        ),
    )
    .unwrap();
    let out = server.command(&["import", content.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let took = until_found(&server, "okapi", "/guides/imported-later").await;
    println!(
        "imported by another process → found in {} ms",
        took.as_millis()
    );
    // Renaming its organisation reindexes its documents.
    std::fs::write(
        content.0.join("organisations/beta.md"),
        org("Gamma Hospitals Trust", "wales"),
    )
    .unwrap();
    let out = server.command(&["import", content.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually(|| {
        let c = c.clone();
        let server = &server;
        async move {
            found(server, &c, &q("okapi org:gamma nation:wales"))
                .await
                .len()
                == 1
        }
    })
    .await;
}

#[tokio::test]
async fn a_damaged_index_is_rebuilt_while_pages_keep_serving() {
    let (mut server, _content) = start().await;
    let c = server.client();
    assert_eq!(found(&server, &c, &q("quokka")).await.len(), 0);
    assert_eq!(found(&server, &c, &q("smartcard")).await.len(), 1);
    server
        .restart(|data| {
            std::fs::write(data.join("search/index/meta.json"), "{ not json").unwrap();
        })
        .await;
    let (status, _) = server.get(&c, "/search?q=smartcard").await;
    assert_eq!(status, 200, "search answers while the index is rebuilt");
    assert_eq!(server.get(&c, "/guides").await.0, 200);
    server.search_ready().await;
    assert_eq!(
        found(&server, &c, &q("smartcard")).await,
        ["/guides/smartcard-middleware"]
    );
    // An index from another version of the schema is rebuilt too.
    server
        .restart(|data| {
            std::fs::write(data.join("search/index/trustshare-search-version"), "0\n").unwrap();
        })
        .await;
    server.search_ready().await;
    assert_eq!(
        found(&server, &c, &q("smartcard")).await,
        ["/guides/smartcard-middleware"]
    );
}

#[tokio::test]
async fn reindex_rebuilds_the_index_on_demand() {
    let (mut server, _content) = start().await;
    let c = server.client();
    // While the server runs, it is asked to rebuild its own index.
    let out = server.command(&["reindex"], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("running server"), "{}", out.stdout);
    let request = server.data_dir.0.join("search/rebuild-requested");
    eventually(|| {
        let request = request.clone();
        async move { !request.exists() }
    })
    .await;
    server.search_ready().await;
    assert_eq!(found(&server, &c, &q("smartcard")).await.len(), 1);
    // With the server stopped, the command rebuilds it itself, and the server starts on it.
    let url = server.database.url.clone();
    let mut built = None;
    server
        .restart(|data| {
            std::fs::remove_dir_all(data.join("search")).unwrap();
            let out = std::process::Command::new(crate::common::bin())
                .args(["reindex", "--data-dir"])
                .arg(data)
                .args(["--database-url", &url])
                .env("RUST_LOG", "warn")
                .output()
                .expect("run reindex");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(stdout.contains("Rebuilt the search index"), "{stdout}");
            assert!(stdout.contains("14 documents"), "{stdout}");
            built = Some(inode(&data.join("search/index")));
        })
        .await;
    server.search_ready().await;
    assert_eq!(
        Some(inode(&server.data_dir.0.join("search/index"))),
        built,
        "the server kept the index the command built"
    );
    assert_eq!(
        found(&server, &c, &q("smartcard")).await,
        ["/guides/smartcard-middleware"]
    );
}

/// Which file a path is; a rebuilt index is a new folder moved into place.
fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).expect("index folder").ino()
}

#[tokio::test]
async fn a_killed_server_finds_its_changes_after_it_restarts() {
    let mut server = TestServer::start_binary().await;
    server.search_ready().await;
    let c = server.client();
    let content = content_tree(&[
        (
            "organisations/nhs-fife.md",
            &std::fs::read_to_string(
                crate::common::repo_root().join("content/organisations/nhs-fife.md"),
            )
            .unwrap(),
        ),
        (
            "guides/killed.md",
            &doc(
                "nhs-fife",
                "Written before a crash",
                "visibility: public\n",
                "A pangolin survives.",
            ),
        ),
    ]);
    let out = server.command(&["import", content.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    // Killed at once: the change may or may not have reached the index.
    server.kill_and_restart_binary().await;
    until_found(&server, "pangolin", "/guides/killed").await;
    assert_eq!(
        found(&server, &c, &q("pangolin")).await.len(),
        1,
        "found once"
    );
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_find_each_others_changes() {
    if std::env::var("TRUSTSHARE_TEST_POSTGRES").map_or(true, |v| v.is_empty()) {
        eprintln!("skipped: set TRUSTSHARE_TEST_POSTGRES to run against PostgreSQL");
        return;
    }
    let (first, _content) = start().await;
    let second = TestServer::builder().database_of(&first).start().await;
    assert!(second.database.is_postgres());
    assert_ne!(
        first.data_dir.0, second.data_dir.0,
        "each keeps its own index"
    );
    second.search_ready().await;
    let c = second.client();
    assert_eq!(found(&second, &c, &q("smartcard")).await.len(), 1);
    let admin = first.admin_password.clone();
    let href = publish_guide(&first, &admin, "Tapir care", "Tapir notes.").await;
    let took = until_found(&second, "tapir", &href).await;
    println!(
        "published on one instance → found on the other in {} ms",
        took.as_millis()
    );
    let href = publish_guide(&second, &admin, "Ibex care", "Ibex notes.").await;
    until_found(&first, "ibex", &href).await;
}

#[tokio::test]
async fn the_header_and_home_page_search_every_kind() {
    let server = TestServer::start().await;
    server.search_ready().await;
    let c = server.client();
    let (_, home) = server.get(&c, "/").await;
    assert_eq!(
        home.matches(r#"action="/search""#).count(),
        2,
        "header and home page"
    );
    let (status, page) = server.get(&c, "/search?q=single+sign-on+rollout").await;
    assert_eq!(status, 200);
    for kind in ["/guides/", "/plans/", "/lessons/"] {
        assert!(page.contains(&format!(r#"href="{kind}"#)), "{kind} found");
    }
    // Many results come in pages that do not overlap.
    let json = api(&server, &c, "q=sso").await;
    assert!(json["pages"].as_u64().unwrap() >= 2, "{json}");
    let first = hrefs(&json);
    let second = hrefs(&api(&server, &c, "q=sso&page=2").await);
    assert_eq!(first.len(), 10);
    assert!(!second.is_empty());
    assert!(first.iter().all(|h| !second.contains(h)));
    let (_, page) = server.get(&c, "/search?q=sso").await;
    assert!(page.contains(r#"aria-label="Pagination""#));
}

#[tokio::test]
async fn a_document_whose_access_changed_before_the_index_caught_up_is_not_shown() {
    let (server, _content) = start().await;
    let c = server.client();
    assert_eq!(
        found(&server, &c, &q("smartcard")).await,
        ["/guides/smartcard-middleware"]
    );
    // Changed behind the change log's back: the index still holds it as public.
    sqlx::query(
        "UPDATE documents SET visibility = 'organisation' WHERE slug = 'smartcard-middleware'",
    )
    .execute(&server.tamper().await)
    .await
    .unwrap();
    let json = api(&server, &c, &q("smartcard")).await;
    assert!(hrefs(&json).is_empty(), "{json}");
    let (_, page) = server.get(&c, "/search?q=smartcard").await;
    assert!(!page.contains("/guides/smartcard-middleware"));
    let alpha_reader = server.signed_in(ALPHA_READER, PASSWORD).await;
    assert_eq!(
        found(&server, &alpha_reader, &q("smartcard")).await,
        ["/guides/smartcard-middleware"]
    );
}

#[tokio::test]
async fn starting_another_server_never_stalls_a_page_being_rendered() {
    let small = content_tree(&[
        (
            "organisations/alpha.md",
            &org("Alpha Health Board", "scotland"),
        ),
        (
            "guides/one.md",
            &doc("alpha", "One guide", "visibility: public\n", "Some text."),
        ),
    ]);
    let server = TestServer::start_with_content(small.0.clone()).await;
    server.search_ready().await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hammer = {
        let (stop, client, base) = (stop.clone(), server.client(), server.base.clone());
        tokio::spawn(async move {
            let mut served = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                for path in ["/search?q=guide", "/guides", "/"] {
                    let request = client.get(format!("{base}{path}")).send();
                    match tokio::time::timeout(Duration::from_secs(20), request).await {
                        Ok(response) => assert_eq!(response.unwrap().status(), 200),
                        Err(_) => panic!("{path} stalled while another server started"),
                    }
                    served += 1;
                }
            }
            served
        })
    };
    for _ in 0..8 {
        drop(TestServer::start_with_content(small.0.clone()).await);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let served = hammer.await.expect("pages answered");
    assert!(served > 0);
}

#[tokio::test]
async fn a_second_server_on_the_same_data_folder_stops_and_says_why() {
    let server = TestServer::start().await;
    server.search_ready().await;
    let out = server.command(&["serve", "--listen", "127.0.0.1:0"], None);
    assert_ne!(out.status, 0, "a second server started: {}", out.stderr);
    assert!(
        out.stderr.contains("is in use by another process")
            && out.stderr.contains("each server needs its own --data-dir"),
        "{}",
        out.stderr
    );
    // The first server still searches.
    let (status, _) = server.get(&server.client(), "/search?q=guide").await;
    assert_eq!(status, 200);
}
