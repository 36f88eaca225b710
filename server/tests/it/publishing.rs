//! Drafts, review, publishing, history, comparison, restore, concurrency and export of
//! documents, driven through the same forms a browser without JavaScript posts.

use crate::common::{content_tree, input_value, post_form, TestServer, PASSWORD};

const EDITOR: &str = "callum.sampleton@fife.nhs.example";
const PUBLISHER: &str = "morag.testwell@fife.nhs.example";
const READER: &str = "isla.placeholder@fife.nhs.example";
const OTHER_READER: &str = "duncan.trialford@tayside.nhs.example";

async fn start() -> TestServer {
    let server = TestServer::start().await;
    for user in [EDITOR, PUBLISHER, READER, OTHER_READER] {
        server.set_password(user, PASSWORD);
    }
    server
}

fn guide_form<'a>(title: &'a str, body: &'a str, visibility: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", "guide"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", title),
        ("form[summary]", "How we test workstation lock timers."),
        ("form[body]", body),
        ("form[tags]", "testing, walk-away-security"),
        ("form[visibility]", visibility),
        ("form[owner]", EDITOR),
        ("form[review_by]", "2027-06-30"),
        ("form[comment]", "First version"),
        ("form[intent]", "save"),
    ]
}

/// Saves a new public draft guide for NHS Fife.
async fn create_guide(server: &TestServer, client: &reqwest::Client, title: &str, body: &str) {
    let (status, _) = post_form(
        server,
        client,
        "/api/documents/save",
        &guide_form(title, body, "public"),
    )
    .await;
    assert_eq!(status, 302, "saving {title}");
}

/// The editor's current form values for a document, as a browser would send them back.
async fn edit_form(server: &TestServer, client: &reqwest::Client, path: &str) -> (String, String) {
    let (status, page) = server.get(client, &format!("{path}/edit")).await;
    assert_eq!(status, 200, "editor of {path}");
    (
        input_value(&page, "form[base_revision]").expect("base revision"),
        page,
    )
}

fn edit_fields<'a>(
    slug: &'a str,
    base: &'a str,
    title: &'a str,
    body: &'a str,
    intent: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", "guide"),
        ("form[slug]", slug),
        ("form[base_revision]", base),
        ("form[title]", title),
        ("form[summary]", "How we test workstation lock timers."),
        ("form[body]", body),
        ("form[tags]", "testing"),
        ("form[visibility]", "public"),
        ("form[owner]", EDITOR),
        ("form[review_by]", "2027-06-30"),
        ("form[intent]", intent),
    ]
}

async fn step(
    server: &TestServer,
    client: &reqwest::Client,
    slug: &str,
    step: &str,
    revision: &str,
    comment: &str,
) -> (u16, String) {
    post_form(
        server,
        client,
        "/api/documents/step",
        &[
            ("kind", "guide"),
            ("slug", slug),
            ("step", step),
            ("revision", revision),
            ("comment", comment),
        ],
    )
    .await
}

/// The id of the revision the page shows, as its workflow buttons send it.
fn shown_revision(page: &str) -> String {
    input_value(page, "revision").expect("workflow form on the page")
}

async fn audit_actions(server: &TestServer, target: &str) -> Vec<String> {
    let db = server.db().await;
    sqlx::query_scalar::<_, String>("SELECT action FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(target)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_draft_is_reviewed_approved_and_then_read_by_everyone() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let reader = server.signed_in(READER, PASSWORD).await;
    let anonymous = server.client();

    let (status, location) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &guide_form(
            "Zebra lock timer testing",
            "## Steps\n\nTap out and wait.",
            "public",
        ),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/guides/zebra-lock-timer-testing")
    );
    let path = "/guides/zebra-lock-timer-testing";

    // A draft: its organisation's editors and publishers see it, nobody else.
    let (status, page) = server.get(&editor, path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Draft saved"), "notice after saving");
    let (_, page) = server.get(&editor, path).await;
    assert!(!page.contains("Draft saved"), "a notice is shown once");
    assert_eq!(server.get(&publisher, path).await.0, 200);
    assert_eq!(
        server.get(&reader, path).await.0,
        404,
        "readers do not see drafts"
    );
    assert_eq!(server.get(&anonymous, path).await.0, 404);
    let (_, list) = server.get(&anonymous, "/guides?q=zebra").await;
    assert!(list.contains("No guides found"), "drafts are not listed");

    // The editor sends it for review; the publisher approves it.
    let revision = shown_revision(&page);
    assert_eq!(
        step(
            &server,
            &editor,
            "zebra-lock-timer-testing",
            "submit",
            &revision,
            ""
        )
        .await
        .0,
        302
    );
    let (_, page) = server.get(&publisher, path).await;
    assert!(page.contains("Approve and publish"));
    assert_eq!(
        step(
            &server,
            &publisher,
            "zebra-lock-timer-testing",
            "approve",
            &revision,
            ""
        )
        .await
        .0,
        302
    );

    let (status, page) = server.get(&anonymous, path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Zebra lock timer testing") && page.contains("Tap out and wait."));
    let (_, list) = server.get(&anonymous, "/guides?q=zebra").await;
    assert!(list.contains("/guides/zebra-lock-timer-testing"));

    let actions = audit_actions(&server, path).await;
    for expected in [
        "document-created",
        "document-submitted",
        "document-approved",
    ] {
        assert!(
            actions.contains(&expected.to_owned()),
            "{expected} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn nobody_but_an_admin_approves_their_own_change() {
    let server = start().await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let mut form = guide_form("Own change", "Body text.", "public");
    form.retain(|(k, _)| *k != "form[owner]" && *k != "form[intent]");
    form.push(("form[owner]", PUBLISHER));
    form.push(("form[intent]", "submit"));
    assert_eq!(
        post_form(&server, &publisher, "/api/documents/save", &form)
            .await
            .0,
        302
    );
    let (_, page) = server.get(&publisher, "/guides/own-change").await;
    assert!(
        !page.contains("Approve and publish"),
        "no approve button for one's own revision"
    );
    let revision = shown_revision(&page);
    step(&server, &publisher, "own-change", "approve", &revision, "").await;
    let (_, page) = server.get(&publisher, "/guides/own-change").await;
    assert!(
        page.contains("another publisher must approve it"),
        "refusal explained"
    );
    assert_eq!(
        server.get(&server.client(), "/guides/own-change").await.0,
        404,
        "still unpublished"
    );

    let admin = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    assert_eq!(
        step(&server, &admin, "own-change", "approve", &revision, "")
            .await
            .0,
        302
    );
    assert_eq!(
        server.get(&server.client(), "/guides/own-change").await.0,
        200,
        "an admin may approve anything"
    );
}

#[tokio::test]
async fn editors_cannot_approve_and_other_organisations_cannot_act() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    create_guide(&server, &editor, "Needs approval", "Body.").await;
    let (_, page) = server.get(&editor, "/guides/needs-approval").await;
    let revision = shown_revision(&page);
    step(&server, &editor, "needs-approval", "submit", &revision, "").await;
    step(&server, &editor, "needs-approval", "approve", &revision, "").await;
    assert_eq!(
        server
            .get(&server.client(), "/guides/needs-approval")
            .await
            .0,
        404,
        "an editor's approval does nothing"
    );

    // Another organisation's publisher cannot even see the document in review.
    server.set_password("kirsty.dummett@tayside.nhs.example", PASSWORD);
    let other = server
        .signed_in("kirsty.dummett@tayside.nhs.example", PASSWORD)
        .await;
    let (status, _) = step(&server, &other, "needs-approval", "approve", &revision, "").await;
    assert_eq!(status, 404);
    let (status, _) = post_form(
        &server,
        &other,
        "/api/documents/save",
        &edit_fields("needs-approval", &revision, "Hijacked", "x", "save"),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        server.get(&other, "/guides/needs-approval/edit").await.0,
        404
    );
}

#[tokio::test]
async fn editing_a_published_document_leaves_readers_on_the_published_revision() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let path = "/guides/fast-user-switching-shared-ae-workstations";
    // A Fife editor cannot edit Newcastle's guide.
    assert_eq!(server.get(&editor, &format!("{path}/edit")).await.0, 403);

    let path = "/guides/pilot-board-sso-smart-card-blueprint";
    let (base, page) = edit_form(&server, &editor, path).await;
    let title = input_value(&page, "form[title]").unwrap();
    let fields = edit_fields(
        "pilot-board-sso-smart-card-blueprint",
        &base,
        &title,
        "A completely new body, not yet approved.",
        "submit",
    );
    assert_eq!(
        post_form(&server, &editor, "/api/documents/save", &fields)
            .await
            .0,
        302
    );

    let (_, public) = server.get(&server.client(), path).await;
    assert!(
        !public.contains("not yet approved"),
        "readers keep the published text"
    );
    let (_, staff) = server.get(&publisher, path).await;
    assert!(
        staff.contains("Revision 2 by Callum Sampleton is in review"),
        "staff see the pending revision"
    );
    let (status, revision_page) = server.get(&publisher, &format!("{path}/history/2")).await;
    assert_eq!(status, 200);
    assert!(revision_page.contains("not yet approved"));
    assert_eq!(
        server
            .get(&server.client(), &format!("{path}/history/2"))
            .await
            .0,
        404,
        "unapproved revisions are not public"
    );

    let revision = shown_revision(&revision_page);
    assert_eq!(
        step(
            &server,
            &publisher,
            "pilot-board-sso-smart-card-blueprint",
            "approve",
            &revision,
            ""
        )
        .await
        .0,
        302
    );
    let (_, public) = server.get(&server.client(), path).await;
    assert!(
        public.contains("not yet approved"),
        "approved text reaches readers"
    );
}

#[tokio::test]
async fn sending_back_needs_a_comment_and_records_it() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let mut form = guide_form("Sent back guide", "Body.", "public");
    form.retain(|(k, _)| *k != "form[intent]");
    form.push(("form[intent]", "submit"));
    post_form(&server, &editor, "/api/documents/save", &form).await;
    let (_, page) = server.get(&publisher, "/guides/sent-back-guide").await;
    let revision = shown_revision(&page);

    step(
        &server,
        &publisher,
        "sent-back-guide",
        "send-back",
        &revision,
        "",
    )
    .await;
    let (_, page) = server.get(&publisher, "/guides/sent-back-guide").await;
    assert!(
        page.contains("Say what needs to change"),
        "a comment is required"
    );
    assert!(page.contains("In review"));

    step(
        &server,
        &publisher,
        "sent-back-guide",
        "send-back",
        &revision,
        "Add the Citrix timeout figures",
    )
    .await;
    let (_, page) = server.get(&editor, "/guides/sent-back-guide").await;
    assert!(
        page.contains("Add the Citrix timeout figures"),
        "the author sees the comment"
    );
    assert!(page.contains(">Draft<"));
    let (_, history) = server.get(&editor, "/guides/sent-back-guide/history").await;
    assert!(history.contains("sent back") && history.contains("Add the Citrix timeout figures"));
    assert!(audit_actions(&server, "/guides/sent-back-guide")
        .await
        .contains(&"document-sent-back".to_owned()));
}

#[tokio::test]
async fn history_compares_revisions_word_by_word_and_restores_an_old_one() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    create_guide(&server, &editor, "Diff guide", "Tap your card to log in.").await;
    let path = "/guides/diff-guide";
    let (base, _) = edit_form(&server, &editor, path).await;
    post_form(
        &server,
        &editor,
        "/api/documents/save",
        &edit_fields(
            "diff-guide",
            &base,
            "Diff guide",
            "Tap your badge to log in quickly.",
            "save",
        ),
    )
    .await;

    let (status, history) = server.get(&editor, &format!("{path}/history")).await;
    assert_eq!(status, 200);
    assert!(history.contains("Revision 1") && history.contains("Revision 2"));
    let (status, diff) = server
        .get(&editor, &format!("{path}/diff?from=1&to=2"))
        .await;
    assert_eq!(status, 200);
    assert!(
        diff.contains(r#"<del class="ts-del">"#) && diff.contains("card"),
        "removed word marked"
    );
    assert!(
        diff.contains(r#"<ins class="ts-ins">"#) && diff.contains("badge"),
        "added word marked"
    );

    let (status, location) = post_form(
        &server,
        &editor,
        "/api/documents/restore",
        &[("kind", "guide"), ("slug", "diff-guide"), ("number", "1")],
    )
    .await;
    assert_eq!((status, location.as_str()), (302, path));
    let (_, page) = server.get(&editor, &format!("{path}/history/3")).await;
    assert!(
        page.contains("Tap your card to log in."),
        "revision 3 is revision 1 again"
    );
    let (_, history) = server.get(&editor, &format!("{path}/history")).await;
    assert!(history.contains("Restored revision 1"));
    assert!(audit_actions(&server, path)
        .await
        .contains(&"document-restored".to_owned()));
}

#[tokio::test]
async fn saving_over_a_newer_revision_keeps_your_text_and_shows_both() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    create_guide(&server, &editor, "Busy guide", "Original text.").await;
    let path = "/guides/busy-guide";
    let (base_a, _) = edit_form(&server, &editor, path).await;
    let (base_b, _) = edit_form(&server, &publisher, path).await;
    assert_eq!(base_a, base_b);

    post_form(
        &server,
        &publisher,
        "/api/documents/save",
        &edit_fields(
            "busy-guide",
            &base_b,
            "Busy guide",
            "Publisher's wording.",
            "save",
        ),
    )
    .await;
    let (status, location) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &edit_fields(
            "busy-guide",
            &base_a,
            "Busy guide",
            "Editor's wording.",
            "save",
        ),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/guides/busy-guide/edit"),
        "back to the editor, not saved"
    );

    let (_, page) = server.get(&editor, &location).await;
    assert!(page.contains("Someone else saved a newer version"));
    assert!(
        page.contains(">Editor's wording.</textarea>"),
        "your text is kept in the editor"
    );
    assert!(page.contains("Publisher"), "their version is shown");
    let db = server.db().await;
    let revisions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM document_revisions r JOIN documents d ON d.id = r.document_id WHERE d.slug = 'busy-guide'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(revisions, 2, "the conflicting save wrote nothing");

    // Saving again from the conflict page deliberately replaces their version.
    let base = input_value(&page, "form[base_revision]").unwrap();
    assert_ne!(base, base_a);
    let (_, location) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &edit_fields(
            "busy-guide",
            &base,
            "Busy guide",
            "Editor's wording.",
            "save",
        ),
    )
    .await;
    assert_eq!(location, path);
    let (_, page) = server.get(&editor, path).await;
    // Rendered with typographic apostrophes.
    assert!(
        page.contains("Editor’s wording."),
        "the second save replaced their version"
    );
}

#[tokio::test]
async fn a_refused_form_names_each_field_keeps_the_input_and_stores_nothing() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let fields = vec![
        ("form[kind]", "plan"),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", ""),
        ("form[summary]", "Kept summary text"),
        ("form[body]", "Kept body text"),
        ("form[visibility]", "network"),
        ("form[owner]", EDITOR),
        ("form[review_by]", "2027-02-30"),
        ("form[initiative]", "Single sign-on rollout"),
        ("form[product]", "OneSign"),
        ("form[milestones][0][phase]", "Pilot"),
        ("form[milestones][0][name]", "Ward go-live"),
        ("form[milestones][0][baseline]", "2026-13-01"),
        ("form[milestones][0][forecast]", "2026-03-01"),
        ("form[milestones][0][status]", "done"),
        ("form[intent]", "save"),
    ];
    let (status, location) = post_form(&server, &editor, "/api/documents/save", &fields).await;
    assert_eq!((status, location.as_str()), (302, "/plans/new"));
    let (status, page) = server.get(&editor, &location).await;
    assert_eq!(status, 200);
    assert!(page.contains("There is a problem"));
    for message in [
        "Enter a title",
        "Review-by date",
        "The baseline date of milestone 1",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains(r##"href="#title""##) && page.contains(r##"href="#milestones-0-baseline""##),
        "summary links to fields"
    );
    assert!(
        page.contains("Kept summary text")
            && page.contains("Kept body text")
            && page.contains("Ward go-live"),
        "typed input kept"
    );
    assert!(
        page.contains(r#"value="2027-02-30""#),
        "even the wrong date is kept"
    );
    let db = server.db().await;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE kind = 'plan' AND summary = 'Kept summary text'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn preview_renders_the_draft_without_saving_it() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let mut form = guide_form(
        "Preview guide",
        "## Heading\n\n<script>alert(1)</script>\n\n**bold** text",
        "public",
    );
    form.retain(|(k, _)| *k != "form[intent]");
    form.push(("form[intent]", "preview"));
    let (_, location) = post_form(&server, &editor, "/api/documents/save", &form).await;
    assert_eq!(location, "/guides/new#preview");
    let (_, page) = server.get(&editor, "/guides/new").await;
    assert!(page.contains(r#"id="preview""#) && page.contains("<strong>bold</strong>"));
    let preview = &page[page.find(r#"id="preview""#).unwrap()..];
    let preview = &preview[..preview.find("</section>").unwrap()];
    assert!(
        !preview.contains("<script"),
        "the preview is sanitised: {preview}"
    );
    assert_eq!(
        server.get(&editor, "/guides/preview-guide").await.0,
        404,
        "nothing saved"
    );
}

#[tokio::test]
async fn a_text_over_512_kib_gets_a_clear_413_page_and_nothing_is_stored() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let big = "word ".repeat(120_000);
    let form = guide_form("Huge guide", &big, "public");
    let response = editor
        .post(server.url("/api/documents/save"))
        .header("origin", &server.base)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let page = response.text().await.unwrap();
    assert!(page.contains("The text is too long") && page.contains("512 KiB"));
    assert_eq!(server.get(&editor, "/guides/huge-guide").await.0, 404);
}

#[tokio::test]
async fn exported_markdown_imports_back_as_the_same_document() {
    let server = start().await;
    // Signed-in members get the owner's email address, which the importer needs.
    let member = server.signed_in(READER, PASSWORD).await;
    let plan = "/plans/nhs-fife-sso-rollout";
    let response = member
        .get(server.url(&format!("{plan}/export.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let exported = response.text().await.unwrap();
    assert!(exported.starts_with("---\ntitle: "));
    assert!(
        exported.contains("phases:")
            && exported.contains("risks:")
            && exported.contains("milestones:")
    );

    // Import it into a fresh portal with the same organisations and people, and export again.
    let root = crate::common::repo_root().join("content");
    let copy = |dir: &str| -> Vec<(String, String)> {
        std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect()
    };
    let mut files = copy("organisations");
    files.extend(copy("users"));
    files.push(("plans/nhs-fife-sso-rollout.md".into(), exported.clone()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = content_tree(&refs);
    let second = TestServer::start_with_content(dir.0.clone()).await;
    second.set_password(READER, PASSWORD);
    let again = second
        .signed_in(READER, PASSWORD)
        .await
        .get(second.url(&format!("{plan}/export.md")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(exported, again);
    assert!(
        exported.contains("owner: morag.testwell@fife.nhs.example"),
        "{exported}"
    );

    for lesson in ["badge-enrolment-queues-on-go-live-day"] {
        let text = member
            .get(server.url(&format!("/lessons/{lesson}/export.md")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.contains("phase: ") && text.contains("what_happened: "),
            "{text}"
        );
    }
}

#[tokio::test]
async fn exports_and_the_json_api_hide_what_pages_hide() {
    let server = start().await;
    let hidden = "emergency-access-security-questions-policy";
    let anonymous = server.client();
    assert_eq!(
        server
            .get(&anonymous, &format!("/guides/{hidden}/export.md"))
            .await
            .0,
        404
    );
    assert_eq!(
        server
            .get(&anonymous, &format!("/api/v1/guides/{hidden}"))
            .await
            .0,
        404
    );
    let (status, list) = server.get(&anonymous, "/api/v1/guides?org=nhs-fife").await;
    assert_eq!(status, 200);
    assert!(!list.contains(hidden));
    let member = server.signed_in(READER, PASSWORD).await;
    assert_eq!(
        server
            .get(&member, &format!("/guides/{hidden}/export.md"))
            .await
            .0,
        200
    );
    let (status, doc) = server
        .get(&member, &format!("/api/v1/guides/{hidden}"))
        .await;
    assert_eq!(status, 200);
    assert!(doc.contains("\"slug\":\"emergency-access-security-questions-policy\""));
}

#[tokio::test]
async fn overdue_documents_warn_readers_and_wait_on_the_review_page() {
    let server = start().await;
    server.set_password("niamh.sampleby@belfasttrust.hscni.example", PASSWORD);
    let belfast = server
        .signed_in("niamh.sampleby@belfasttrust.hscni.example", PASSWORD)
        .await;
    let (_, page) = server
        .get(&belfast, "/plans/belfast-hsc-sso-mixed-approach")
        .await;
    assert!(page.contains("overdue for review"));
    let (status, review) = server.get(&belfast, "/review").await;
    assert_eq!(status, 200);
    assert!(review.contains("Due for review"));
    assert!(review.contains("/plans/belfast-hsc-sso-mixed-approach") && review.contains("Overdue"));
    assert!(
        review.contains("/guides/testing-the-backup-policy"),
        "overdue guide of the same organisation"
    );
    assert!(
        !review.contains("/guides/supplier-assurance-checks"),
        "other organisations' documents are not listed"
    );

    let reader = server.signed_in(READER, PASSWORD).await;
    assert_eq!(server.get(&reader, "/review").await.0, 403);
    assert_eq!(server.get(&server.client(), "/review").await.0, 401);
}

#[tokio::test]
async fn archiving_takes_a_document_away_from_readers_and_changing_visibility_is_audited() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let path = "/plans/nhs-fife-sso-rollout";
    let (_, page) = server.get(&publisher, path).await;
    let revision = shown_revision(&page);
    post_form(
        &server,
        &publisher,
        "/api/documents/step",
        &[
            ("kind", "plan"),
            ("slug", "nhs-fife-sso-rollout"),
            ("step", "archive"),
            ("revision", &revision),
        ],
    )
    .await;
    assert_eq!(server.get(&server.client(), path).await.0, 404);
    assert_eq!(
        server.get(&editor, path).await.0,
        200,
        "its organisation still sees it"
    );
    assert!(audit_actions(&server, path)
        .await
        .contains(&"document-archived".to_owned()));

    // Visibility changes are audited as such.
    create_guide(&server, &editor, "Visible guide", "Body.").await;
    let (base, _) = edit_form(&server, &editor, "/guides/visible-guide").await;
    let mut fields = edit_fields("visible-guide", &base, "Visible guide", "Body.", "save");
    fields.retain(|(k, _)| *k != "form[visibility]");
    fields.push(("form[visibility]", "organisation"));
    post_form(&server, &editor, "/api/documents/save", &fields).await;
    assert!(audit_actions(&server, "/guides/visible-guide")
        .await
        .contains(&"visibility-changed".to_owned()));
}

#[tokio::test]
async fn unreadable_stored_fields_are_an_error_page_and_are_never_overwritten() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let path = "/plans/nhs-fife-sso-rollout";
    let (_, page) = server.get(&editor, &format!("{path}/edit")).await;
    let base = input_value(&page, "form[base_revision]").expect("editor opens");

    // A milestone date that no longer parses, as a bad manual fix or an old bug would leave it.
    let damaged = r#"{"initiative":"SSO","product":"OneSign","phases":[{"name":"Pilot","milestones":[{"name":"Go-live","baseline":"2026-02-30","forecast":"2026-03-01"}]}]}"#;
    let raw = server.tamper().await;
    sqlx::query("UPDATE document_revisions SET fields = $1 WHERE id = $2")
        .bind(damaged)
        .bind(base.parse::<i64>().unwrap())
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE documents SET fields = $1 WHERE slug = 'nhs-fife-sso-rollout'")
        .bind(damaged)
        .execute(&raw)
        .await
        .unwrap();

    let (status, page) = server.get(&editor, &format!("{path}/edit")).await;
    assert_eq!(status, 500, "no editor over unreadable fields");
    assert!(page.contains("stored data cannot be read"), "{page}");
    assert!(!page.contains("form[initiative]"), "no empty form to save");
    let (status, _) = server.get(&editor, path).await;
    assert_eq!(status, 500);

    // A save sent anyway (an old tab) is refused before anything is written.
    let (_, location) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &[
            ("form[kind]", "plan"),
            ("form[slug]", "nhs-fife-sso-rollout"),
            ("form[base_revision]", &base),
            ("form[title]", "Overwritten"),
            ("form[summary]", "S"),
            ("form[body]", "B"),
            ("form[visibility]", "public"),
            ("form[owner]", EDITOR),
            ("form[review_by]", "2027-06-30"),
            ("form[intent]", "save"),
        ],
    )
    .await;
    assert!(!location.ends_with(path), "not saved: {location}");
    let stored: String = sqlx::query_scalar("SELECT fields FROM document_revisions WHERE id = $1")
        .bind(base.parse::<i64>().unwrap())
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(stored, damaged, "the stored fields are untouched");
}

#[tokio::test]
async fn an_unknown_stored_workflow_step_is_an_error_not_a_guess() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    create_guide(&server, &editor, "Step guide", "Body.").await;
    sqlx::query("UPDATE workflow_steps SET step = 'teleported'")
        .execute(&server.tamper().await)
        .await
        .unwrap();
    let (status, page) = server.get(&editor, "/guides/step-guide/history").await;
    assert_eq!(status, 500, "{page}");
    assert!(!page.contains("teleported"));
}

#[tokio::test]
async fn every_write_leaves_one_change_log_row_per_entity_with_its_organisation() {
    let server = start().await;
    let db = server.db().await;
    let rows = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (String, Option<i64>)>(sql)
                .fetch_all(db.pool())
                .await
                .unwrap()
        }
    };
    // The first start imported organisations, users, documents, events and contacts: each is
    // in the change log.
    let entities = rows("SELECT DISTINCT entity, NULL FROM change_log ORDER BY entity").await;
    let names: Vec<&str> = entities.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        names,
        ["contact", "document", "event", "organisation", "user"]
    );
    let orphans = rows("SELECT entity, org_id FROM change_log WHERE org_id IS NULL").await;
    assert!(
        orphans.is_empty(),
        "every change names its organisation: {orphans:?}"
    );

    // Saving and sending for review in one post is one change of one document.
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM change_log")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let mut form = guide_form("Logged guide", "Body.", "public");
    form.retain(|(k, _)| *k != "form[intent]");
    form.push(("form[intent]", "submit"));
    post_form(&server, &editor, "/api/documents/save", &form).await;
    let after: Vec<(String, i64, Option<i64>)> =
        sqlx::query_as("SELECT c.entity, c.entity_id, c.org_id FROM change_log c WHERE c.id > $1")
            .bind(before)
            .fetch_all(db.pool())
            .await
            .unwrap();
    let fife: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'nhs-fife'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!((after[0].0.as_str(), after[0].2), ("document", Some(fife)));
    let audited = audit_actions(&server, "/guides/logged-guide").await;
    assert_eq!(audited, ["document-created", "document-submitted"]);
}

#[tokio::test]
async fn two_editors_taking_one_address_at_once_get_a_field_error_never_a_server_error() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let form = guide_form("Same address", "Body.", "public");
    let (a, b) = tokio::join!(
        post_form(&server, &editor, "/api/documents/save", &form),
        post_form(&server, &publisher, "/api/documents/save", &form),
    );
    assert_eq!((a.0, b.0), (302, 302), "no server error");
    let mut locations = [a.1, b.1];
    locations.sort();
    assert_eq!(locations, ["/guides/new", "/guides/same-address"]);
    // Whoever lost sees the form again with the reason beside the web address.
    let message = "There is already a guide at /guides/same-address";
    let (_, first) = server.get(&editor, "/guides/new").await;
    let (_, second) = server.get(&publisher, "/guides/new").await;
    assert!(
        first.contains(message) != second.contains(message),
        "exactly one author is told why"
    );
}

/// Saves a new revision of a guide through the editor, as `client`, with these changes to the
/// form the editor shows.
async fn save_guide(
    server: &TestServer,
    client: &reqwest::Client,
    slug: &str,
    changes: &[(&str, &str)],
) -> (u16, String) {
    let path = format!("/guides/{slug}");
    let (base, page) = edit_form(server, client, &path).await;
    let title = input_value(&page, "form[title]").unwrap();
    let mut fields = edit_fields(slug, &base, &title, "Body.", "save");
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push((name, value));
    }
    post_form(server, client, "/api/documents/save", &fields).await
}

/// Posts a read-only server function as a browser's script would; returns status and body.
async fn server_fn(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(server.url(path))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The publisher approves the newest revision of a guide, reading it first as they must.
async fn approve_newest(server: &TestServer, publisher: &reqwest::Client, slug: &str, n: u32) {
    let (status, page) = server
        .get(publisher, &format!("/guides/{slug}/history/{n}"))
        .await;
    assert_eq!(status, 200, "revision {n} of {slug}");
    let (status, _) = step(
        server,
        publisher,
        slug,
        "approve",
        &shown_revision(&page),
        "",
    )
    .await;
    assert_eq!(status, 302);
}

#[tokio::test]
async fn an_organisation_only_revision_stays_hidden_after_the_guide_is_made_public() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let reader = server.signed_in(READER, PASSWORD).await;
    let other = server.signed_in(OTHER_READER, PASSWORD).await;
    let anonymous = server.client();

    let mut form = guide_form(
        "Internal first",
        "Our internal lock-out numbers.",
        "organisation",
    );
    form.retain(|(k, _)| *k != "form[intent]");
    form.push(("form[intent]", "submit"));
    post_form(&server, &editor, "/api/documents/save", &form).await;
    approve_newest(&server, &publisher, "internal-first", 1).await;
    let (status, _) = save_guide(
        &server,
        &editor,
        "internal-first",
        &[
            ("form[visibility]", "public"),
            ("form[body]", "The public version."),
            ("form[intent]", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    approve_newest(&server, &publisher, "internal-first", 2).await;

    let path = "/guides/internal-first";
    let (status, page) = server.get(&anonymous, path).await;
    assert_eq!(status, 200);
    assert!(page.contains("The public version."));
    for outsider in [&anonymous, &other] {
        for hidden in [
            format!("{path}/history/1"),
            format!("{path}/diff?from=1&to=2"),
            format!("{path}/diff?from=2&to=1"),
        ] {
            assert_eq!(server.get(outsider, &hidden).await.0, 404, "{hidden}");
        }
        let (status, history) = server.get(outsider, &format!("{path}/history")).await;
        assert_eq!(status, 200);
        assert!(
            history.contains("Revision 2") && !history.contains("Revision 1"),
            "the history lists only what they may read"
        );
        let revision = [
            ("kind", "guide"),
            ("slug", "internal-first"),
            ("number", "1"),
        ];
        let (status, body) =
            server_fn(&server, outsider, "/api/documents/revision", &revision).await;
        assert_eq!(status, 404, "{body}");
        assert!(!body.contains("internal lock-out"));
        let diff = [
            ("kind", "guide"),
            ("slug", "internal-first"),
            ("from", "1"),
            ("to", "2"),
        ];
        let (status, body) = server_fn(&server, outsider, "/api/documents/diff", &diff).await;
        assert_eq!(status, 404, "{body}");
        assert!(!body.contains("internal lock-out"));
    }
    assert_eq!(
        server.get(&anonymous, &format!("{path}/history/2")).await.0,
        200
    );
    // Its own organisation could read it then and can now.
    let (status, page) = server.get(&reader, &format!("{path}/history/1")).await;
    assert_eq!(status, 200);
    assert!(page.contains("internal lock-out"));
    assert_eq!(
        server
            .get(&reader, &format!("{path}/diff?from=1&to=2"))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn an_archived_document_stays_archived_through_new_drafts_until_a_publisher_approves() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let reader = server.signed_in(READER, PASSWORD).await;
    let anonymous = server.client();
    let slug = "pilot-board-sso-smart-card-blueprint";
    let path = format!("/guides/{slug}");

    let (_, page) = server.get(&publisher, &path).await;
    let (status, _) = step(
        &server,
        &publisher,
        slug,
        "archive",
        &shown_revision(&page),
        "",
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(server.get(&anonymous, &path).await.0, 404);

    // An editor saves a draft, then restores the old text: neither brings it back.
    let (status, _) = save_guide(&server, &editor, slug, &[("form[body]", "A new draft.")]).await;
    assert_eq!(status, 302);
    for viewer in [&anonymous, &reader] {
        assert_eq!(server.get(viewer, &path).await.0, 404, "after a draft");
    }
    let (_, list) = server.get(&anonymous, "/guides?org=nhs-fife").await;
    assert!(!list.contains(&path), "not listed");
    let (_, page) = server.get(&editor, &path).await;
    assert!(
        page.contains("Archived: readers no longer see it"),
        "its organisation is told where it stands"
    );
    let (status, _) = post_form(
        &server,
        &editor,
        "/api/documents/restore",
        &[("kind", "guide"), ("slug", slug), ("number", "1")],
    )
    .await;
    assert_eq!(status, 302);
    for viewer in [&anonymous, &reader] {
        assert_eq!(server.get(viewer, &path).await.0, 404, "after a restore");
        assert_eq!(
            server.get(viewer, &format!("{path}/export.md")).await.0,
            404
        );
        assert_eq!(
            server
                .get(viewer, &format!("/api/v1/guides/{slug}"))
                .await
                .0,
            404
        );
    }
    let (_, page) = server.get(&editor, &path).await;
    assert!(page.contains("Archived: readers no longer see it"));

    // Sending it for review does not either; a publisher's approval does.
    let (status, _) = save_guide(
        &server,
        &editor,
        slug,
        &[
            ("form[body]", "Back, reviewed."),
            ("form[intent]", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(server.get(&anonymous, &path).await.0, 404, "in review");
    approve_newest(&server, &publisher, slug, 4).await;
    let (status, page) = server.get(&anonymous, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Back, reviewed."));
    let (_, page) = server.get(&editor, &path).await;
    assert!(!page.contains("Archived"), "approval ends the archiving");
}

#[tokio::test]
async fn a_publisher_cannot_approve_their_own_text_after_a_colleagues_small_edit() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let mut form = guide_form("Publisher text", "The publisher's own text.", "public");
    form.retain(|(k, _)| *k != "form[owner]");
    form.push(("form[owner]", PUBLISHER));
    post_form(&server, &publisher, "/api/documents/save", &form).await;
    // A colleague fixes a comma and sends it for review.
    let (status, _) = save_guide(
        &server,
        &editor,
        "publisher-text",
        &[
            ("form[body]", "The publisher's own text, fixed."),
            ("form[owner]", PUBLISHER),
            ("form[intent]", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 302);

    let path = "/guides/publisher-text";
    let (_, page) = server.get(&publisher, &format!("{path}/history/2")).await;
    assert!(!page.contains("Approve and publish"), "no approve button");
    step(
        &server,
        &publisher,
        "publisher-text",
        "approve",
        &shown_revision(&page),
        "",
    )
    .await;
    let (_, page) = server.get(&publisher, path).await;
    assert!(
        page.contains("another publisher must approve it"),
        "refusal explained"
    );
    assert_eq!(server.get(&server.client(), path).await.0, 404);

    let admin = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    let (_, page) = server.get(&admin, &format!("{path}/history/2")).await;
    step(
        &server,
        &admin,
        "publisher-text",
        "approve",
        &shown_revision(&page),
        "",
    )
    .await;
    assert_eq!(server.get(&server.client(), path).await.0, 200);
}

#[tokio::test]
async fn anonymous_readers_get_owners_names_never_their_email_addresses() {
    let server = start().await;
    let email = "morag.testwell@fife.nhs.example";
    let plan = "/plans/nhs-fife-sso-rollout";
    let anonymous = server.client();
    let (status, exported) = server.get(&anonymous, &format!("{plan}/export.md")).await;
    assert_eq!(status, 200);
    assert!(
        exported.contains("owner_name: Morag Testwell"),
        "{exported}"
    );
    assert!(!exported.contains('@'), "{exported}");
    for path in [
        plan.to_owned(),
        "/api/v1/plans/nhs-fife-sso-rollout".to_owned(),
    ] {
        let (status, body) = server.get(&anonymous, &path).await;
        assert_eq!(status, 200);
        assert!(body.contains("Morag Testwell"), "{path}");
        assert!(!body.contains(email), "{path}");
    }
    let member = server.signed_in(OTHER_READER, PASSWORD).await;
    let (_, exported) = server.get(&member, &format!("{plan}/export.md")).await;
    assert!(exported.contains(&format!("owner: {email}")), "{exported}");
}

#[tokio::test]
async fn editor_messages_reveal_neither_accounts_nor_hidden_documents() {
    let server = start().await;
    let tayside = "kirsty.dummett@tayside.nhs.example";
    server.set_password(tayside, PASSWORD);
    let editor = server.signed_in(tayside, PASSWORD).await;
    let hidden = "guides/emergency-access-security-questions-policy";
    for owner in ["nobody@nowhere.example", EDITOR] {
        let related = format!(
            "{hidden}\nguides/no-such-guide\nguides/fast-user-switching-shared-ae-workstations"
        );
        let form = [
            ("form[kind]", "lesson"),
            ("form[slug]", ""),
            ("form[base_revision]", "0"),
            ("form[org]", "nhs-tayside"),
            ("form[title]", "Linking lesson"),
            ("form[summary]", "A lesson with links."),
            ("form[body]", ""),
            ("form[phase]", "pilot"),
            ("form[context]", "Context."),
            ("form[what_happened]", "It happened."),
            ("form[recommendation]", "Do it."),
            ("form[related]", &related),
            ("form[visibility]", "network"),
            ("form[owner]", owner),
            ("form[review_by]", "2027-06-30"),
            ("form[intent]", "save"),
        ];
        let (_, location) = post_form(&server, &editor, "/api/documents/save", &form).await;
        assert_eq!(location, "/lessons/new", "refused");
        let (_, page) = server.get(&editor, "/lessons/new").await;
        assert!(
            page.contains(&format!(
                "{owner} is not the email address of a member of the document&#x27;s organisation"
            )) || page.contains(&format!(
                "{owner} is not the email address of a member of the document's organisation"
            )),
            "the same answer whether or not {owner} has an account"
        );
        assert!(!page.contains("No user has") && !page.contains("must be a member"));
        // A document the author may not read is answered exactly as a missing one.
        assert!(
            page.contains(&format!("There is no guide at /{hidden}")),
            "hidden"
        );
        assert!(
            page.contains("There is no guide at /guides/no-such-guide"),
            "missing"
        );
        assert!(
            !page.contains("There is no guide at /guides/fast-user-switching"),
            "a readable link is fine"
        );
    }
}

#[tokio::test]
async fn readers_learn_nothing_about_unpublished_revisions() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let other = server.signed_in(OTHER_READER, PASSWORD).await;
    let slug = "pilot-board-sso-smart-card-blueprint";
    let readers = [server.client(), other];
    let mut before = Vec::new();
    for reader in &readers {
        let (_, api) = server.get(reader, &format!("/api/v1/guides/{slug}")).await;
        let (_, get) = server_fn(
            &server,
            reader,
            "/api/documents/get",
            &[("kind", "guide"), ("slug", slug)],
        )
        .await;
        before.push((api, get));
    }
    let (status, _) = save_guide(
        &server,
        &editor,
        slug,
        &[
            ("form[body]", "Unpublished words."),
            ("form[intent]", "submit"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    for (reader, (api_before, get_before)) in readers.iter().zip(before) {
        let (_, api) = server.get(reader, &format!("/api/v1/guides/{slug}")).await;
        let (_, get) = server_fn(
            &server,
            reader,
            "/api/documents/get",
            &[("kind", "guide"), ("slug", slug)],
        )
        .await;
        assert_eq!(api, api_before, "the JSON API says the same as before");
        assert_eq!(get, get_before, "the page's data says the same as before");
        for body in [&api, &get] {
            assert!(!body.contains("in_review") && !body.contains("\"pending\":{"));
            assert!(body.contains("\"head_revision_id\":null"), "{body}");
        }
        let (_, page) = server.get(reader, &format!("/guides/{slug}")).await;
        assert!(!page.contains("In review") && !page.contains("name=\"revision\""));
    }
    // The organisation's editors still see it all.
    let (_, page) = server.get(&editor, &format!("/guides/{slug}")).await;
    assert!(page.contains("is in review"));
}

#[tokio::test]
async fn every_field_has_a_size_limit_with_a_clear_message_and_the_form_is_kept() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let topic = "t".repeat(101);
    let tags = (0..21)
        .map(|i| format!("tag-{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let comment = "c".repeat(1001);
    let owner = format!("{}@fife.nhs.example", "o".repeat(300));
    let visibility = "v".repeat(5000);
    let review_by = format!("2027-01-01{}", "9".repeat(5000));
    let new_slug = "s".repeat(101);
    let initiative = "i".repeat(201);
    let milestone = "m".repeat(201);
    let sites = (0..101)
        .map(|i| format!("Site {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let form = [
        ("form[kind]", "plan"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[new_slug]", new_slug.as_str()),
        ("form[title]", "Limits plan"),
        ("form[summary]", "Kept summary."),
        ("form[body]", "Kept body."),
        ("form[topic]", topic.as_str()),
        ("form[tags]", tags.as_str()),
        ("form[visibility]", visibility.as_str()),
        ("form[owner]", owner.as_str()),
        ("form[review_by]", review_by.as_str()),
        ("form[comment]", comment.as_str()),
        ("form[initiative]", initiative.as_str()),
        ("form[product]", "OneSign"),
        ("form[sites]", sites.as_str()),
        ("form[milestones][0][phase]", "Pilot"),
        ("form[milestones][0][name]", milestone.as_str()),
        ("form[milestones][0][baseline]", "2026-01-05"),
        ("form[milestones][0][forecast]", "2026-01-19"),
        ("form[intent]", "save"),
    ];
    let (_, location) = post_form(&server, &editor, "/api/documents/save", &form).await;
    assert_eq!(location, "/plans/new");
    let (_, page) = server.get(&editor, "/plans/new").await;
    for message in [
        "The topic must be 100 characters or fewer",
        "Tags: give at most 20 tags",
        "What you changed must be 1000 characters or fewer",
        "The owner&#x27;s email address must be 254 characters or fewer",
        "Choose who can see it: public, network or organisation",
        "Review-by date: write it as YYYY-MM-DD",
        "Web address: it must be 100 characters or fewer",
        "The initiative must be 200 characters or fewer",
        "Sites: give at most 100",
        "The name of milestone 1 must be 200 characters or fewer",
    ] {
        let alt = message.replace("&#x27;", "'");
        assert!(
            page.contains(message) || page.contains(&alt),
            "message: {message}"
        );
    }
    assert!(
        !page.contains("unknown visibility") && !page.contains("is not a real date"),
        "an over-long value is not echoed back in a message"
    );
    for kept in [
        &topic,
        &comment,
        &initiative,
        &milestone,
        &"Kept summary.".to_owned(),
    ] {
        assert!(page.contains(kept.as_str()), "typed text kept");
    }
    let db = server.db().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE title = 'Limits plan'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing stored");

    // Rows beyond the most a plan may have are refused with one message.
    let mut rows: Vec<(String, String)> = Vec::new();
    for i in 0..201 {
        for (col, value) in [
            ("phase", "Pilot".to_owned()),
            ("name", format!("Step {i}")),
            ("baseline", "2026-01-05".to_owned()),
            ("forecast", "2026-01-05".to_owned()),
        ] {
            rows.push((format!("form[milestones][{i}][{col}]"), value));
        }
    }
    let mut form: Vec<(&str, &str)> = vec![
        ("form[kind]", "plan"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", "Many milestones"),
        ("form[intent]", "save"),
    ];
    form.extend(rows.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    post_form(&server, &editor, "/api/documents/save", &form).await;
    let (_, page) = server.get(&editor, "/plans/new").await;
    assert!(page.contains("A plan can have at most 200 milestones"));

    // A lesson's sections and links.
    let context = "x".repeat(20_001);
    let related = (0..51)
        .map(|i| format!("guides/g-{i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let form = [
        ("form[kind]", "lesson"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-fife"),
        ("form[title]", "Long lesson"),
        ("form[phase]", "pilot"),
        ("form[context]", context.as_str()),
        ("form[related]", related.as_str()),
        ("form[intent]", "save"),
    ];
    post_form(&server, &editor, "/api/documents/save", &form).await;
    let (_, page) = server.get(&editor, "/lessons/new").await;
    assert!(page.contains("Context must be 20000 characters or fewer"));
    assert!(page.contains("Related plans and guides: give at most 50"));
    assert!(page.contains(&context), "typed text kept");
}

#[tokio::test]
async fn workflow_comments_and_server_function_arguments_have_size_limits() {
    let server = start().await;
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let publisher = server.signed_in(PUBLISHER, PASSWORD).await;
    let mut form = guide_form("Long comment", "Body.", "public");
    form.retain(|(k, _)| *k != "form[intent]");
    form.push(("form[intent]", "submit"));
    post_form(&server, &editor, "/api/documents/save", &form).await;
    let (_, page) = server.get(&publisher, "/guides/long-comment").await;
    let revision = shown_revision(&page);
    step(
        &server,
        &publisher,
        "long-comment",
        "send-back",
        &revision,
        &"c".repeat(1001),
    )
    .await;
    let (_, page) = server.get(&publisher, "/guides/long-comment").await;
    assert!(page.contains("The comment must be 1000 characters or fewer"));
    assert!(page.contains("In review"), "not sent back");

    let long_slug = "s".repeat(101);
    for (path, args) in [
        ("/api/documents/get", vec![]),
        ("/api/documents/history", vec![]),
        ("/api/documents/revision", vec![("number", "1")]),
        ("/api/documents/diff", vec![("from", "1"), ("to", "1")]),
    ] {
        let mut form = vec![("kind", "guide"), ("slug", long_slug.as_str())];
        form.extend(args);
        let (status, body) = server_fn(&server, &editor, path, &form).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body.contains("web address is too long"), "{path}: {body}");
    }
    let (status, body) = server
        .get(
            &server.client(),
            &format!("/api/v1/guides?q={}", "q".repeat(201)),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("The search words must be 200 characters or fewer"),
        "{body}"
    );
}
