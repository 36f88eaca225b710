//! Live references from documents to the rule catalogue: a guide's `{{rule WS-01}}` shows each
//! reader their own organisation's result (and only theirs), a shortcode naming nothing is
//! refused with its line by the editor and the importer, lessons name the rules they concern,
//! and each rule's page lists the lessons its reader may read.

use crate::common::{content_tree, post_form, unescaped as text, TestServer, PASSWORD};

const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const FIFE_EDITOR: &str = "callum.sampleton@fife.nhs.example";
const LEEDS_EDITOR: &str = "jordan.stubworth@leeds.nhs.example";
const TAYSIDE_READER: &str = "duncan.trialford@tayside.nhs.example";
/// The demo guide that shows WS-01 and WS-02 with the reader's result.
const GUIDE: &str = "/guides/walk-away-security-inactivity-timeouts";
/// The demo lesson (network) naming ADM-01, ADM-02 and ADM-03.
const LESSON_TITLE: &str = "SSO admin consoles reachable from everyday desktops";

async fn start() -> TestServer {
    let server = TestServer::start().await;
    for user in [FIFE_READER, FIFE_EDITOR, LEEDS_EDITOR, TAYSIDE_READER] {
        server.set_password(user, PASSWORD);
    }
    server
}

/// The words of the tag in a rule's scorecard row on the organisation's configuration page.
async fn scorecard_words(
    server: &TestServer,
    client: &reqwest::Client,
    org: &str,
    code: &str,
) -> String {
    let (status, page) = server.get(client, &format!("/orgs/{org}/access")).await;
    assert_eq!(status, 200);
    let row = page
        .split(&format!("id=\"rule-{code}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no {code} row"))
        .to_owned();
    let tag = row
        .split("<strong class=\"nhsuk-tag")
        .nth(1)
        .expect("a tag in the row");
    tag.split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_guide_shows_each_reader_their_own_organisations_result_for_a_rule() {
    let server = start().await;

    let (status, page) = server.get(&server.client(), GUIDE).await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("<a href=\"/access/rules/WS-01\" rel=\"noopener noreferrer\">WS-01 "),
        "{page}"
    );
    assert!(
        page.contains("sign in to see your organisation's result"),
        "{page}"
    );
    assert!(
        !page.contains("{{rule"),
        "every shortcode is resolved: {page}"
    );

    for (user, org, name) in [
        (FIFE_READER, "nhs-fife", "NHS Fife"),
        (
            LEEDS_EDITOR,
            "leeds-teaching-hospitals",
            "Leeds Teaching Hospitals",
        ),
    ] {
        let client = server.signed_in(user, PASSWORD).await;
        let words = scorecard_words(&server, &client, org, "WS-01").await;
        let (_, page) = server.get(&client, GUIDE).await;
        let page = text(&page);
        let shown = format!("<a href=\"/orgs/{org}/access#rule-WS-01\" rel=");
        let at = page
            .find(&shown)
            .unwrap_or_else(|| panic!("{user} sees {org}'s result: {page}"));
        let after = &page[at..at + 300];
        assert!(after.contains(name), "{after}");
        assert!(
            after.contains(&format!(">{words}</strong>")),
            "{words} in {after}"
        );
        // Never another organisation's result.
        let results = page.matches("/access#rule-WS-01\" rel=").count();
        assert_eq!(results, 1, "{page}");
    }

    // An organisation with no configuration says so.
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let (_, page) = server.get(&tayside, GUIDE).await;
    assert!(text(&page).contains("has no configuration on Trustshare yet"));
}

#[tokio::test]
async fn a_shortcode_that_names_no_rule_is_refused_with_its_line_and_nothing_is_saved() {
    let server = start().await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let before = server.count("SELECT COUNT(*) FROM documents").await;
    let body = "## Our results\n\n- {{rule WS-01}}\n- {{rule ZZ-99}}\n- {{setting colour}}\n\n`{{rule NOT-01}}` is how to write one.\n";
    let fields = [
        ("form[kind]", "guide"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", "Our lock timers against the rules"),
        ("form[summary]", "How our lock timers compare."),
        ("form[body]", body),
        ("form[tags]", "walk-away-security"),
        ("form[visibility]", "public"),
        ("form[owner]", FIFE_EDITOR),
        ("form[review_by]", "2027-06-30"),
        ("form[comment]", "First version"),
        ("form[intent]", "save"),
    ];
    let (status, location) = post_form(&server, &editor, "/api/documents/save", &fields).await;
    assert_eq!((status, location.as_str()), (302, "/guides/new"));
    let (_, page) = server.get(&editor, &location).await;
    let page = text(&page);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(
        page.contains(
            "Line 4 of the text: {{rule ZZ-99}}: there is no rule ZZ-99 in the catalogue"
        ),
        "{page}"
    );
    assert!(
        page.contains("Line 5 of the text: {{setting colour}}: there is no setting colour"),
        "{page}"
    );
    assert!(
        !page.contains("NOT-01 in the catalogue"),
        "a shortcode in code is text: {page}"
    );
    // The text is kept as typed.
    assert!(page.contains("- {{rule ZZ-99}}"), "{page}");
    assert_eq!(server.count("SELECT COUNT(*) FROM documents").await, before);
}

#[tokio::test]
async fn the_importer_names_the_file_line_of_a_shortcode_that_refers_to_nothing() {
    let server = start().await;
    let dir = content_tree(&[(
        "guides/bad-reference.md",
        "---\ntitle: A guide with a bad reference\norganisation: nhs-fife\nvisibility: public\n---\n## Results\n\nSee {{rule MFA-42}}.\n",
    )]);
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2, "{}", out.stderr);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("bad-reference.md:8"))
        .unwrap_or_else(|| panic!("no report on line 8 in:\n{}", out.stderr));
    assert!(line.contains("no rule MFA-42"), "{line}");
}

#[tokio::test]
async fn a_lesson_names_rules_and_each_rules_page_lists_it_to_those_who_may_read_it() {
    let server = start().await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM rule_mentions WHERE rule_code = 'ADM-01'")
            .await,
        1
    );
    let reader = server.signed_in(TAYSIDE_READER, PASSWORD).await;

    // The lesson links the rules it concerns.
    let (status, page) = server
        .get(
            &reader,
            "/lessons/admin-consoles-reachable-from-everyday-desktops",
        )
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(page.contains("Rules this lesson concerns"), "{page}");
    assert!(
        page.contains("<a href=\"/access/rules/ADM-01\">ADM-01 "),
        "{page}"
    );

    // The rule's page lists the lesson to members, never to anonymous visitors (it is shared
    // with the network only).
    let (status, page) = server.get(&reader, "/access/rules/ADM-01").await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(page.contains(LESSON_TITLE), "{page}");
    assert!(
        page.contains("{{rule ADM-01}}"),
        "the shortcode to copy: {page}"
    );
    let (status, page) = server.get(&server.client(), "/access/rules/ADM-01").await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(!page.contains(LESSON_TITLE), "{page}");
    assert!(
        page.contains("No lesson learned shared with you names this rule yet"),
        "{page}"
    );
    assert!(
        page.contains("Sign in to see your organisation's result"),
        "{page}"
    );

    // No such rule: not found.
    let (status, _) = server.get(&server.client(), "/access/rules/ZZ-99").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_lesson_naming_a_rule_that_does_not_exist_is_refused() {
    let server = start().await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let before = server.count("SELECT COUNT(*) FROM documents").await;
    let fields = [
        ("form[kind]", "lesson"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", "Consoles on the ward network"),
        ("form[summary]", "What we found."),
        ("form[body]", ""),
        ("form[visibility]", "network"),
        ("form[owner]", FIFE_EDITOR),
        ("form[review_by]", "2027-06-30"),
        ("form[phase]", "rollout"),
        ("form[context]", "A review."),
        ("form[what_happened]", "Consoles were reachable."),
        ("form[recommendation]", "Use admin workstations."),
        ("form[rules]", "ADM-01, ADM-77"),
        ("form[comment]", "First version"),
        ("form[intent]", "save"),
    ];
    let (status, location) = post_form(&server, &editor, "/api/documents/save", &fields).await;
    assert_eq!((status, location.as_str()), (302, "/lessons/new"));
    let (_, page) = server.get(&editor, &location).await;
    let page = text(&page);
    assert!(
        page.contains("ADM-77 is not a rule of the catalogue"),
        "{page}"
    );
    assert!(
        page.contains("value=\"ADM-01, ADM-77\""),
        "kept as typed: {page}"
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM documents").await, before);
}

#[tokio::test]
async fn the_catalogue_lists_every_rule_with_the_readers_own_results() {
    let server = start().await;
    let (status, page) = server.get(&server.client(), "/access/rules").await;
    assert_eq!(status, 200);
    let page = text(&page);
    for code in ["MFA-01", "ADM-03", "WS-04", "SUP-01"] {
        assert!(
            page.contains(&format!("href=\"/access/rules/{code}\"")),
            "{code}"
        );
    }
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let words = scorecard_words(&server, &fife, "nhs-fife", "MFA-01").await;
    let (_, page) = server.get(&fife, "/access/rules").await;
    let page = text(&page);
    assert!(page.contains("with NHS Fife's results"), "{page}");
    let row = page
        .split("id=\"rule-MFA-01\"")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(row.contains(&format!(">{words}</strong>")), "{row}");
}
