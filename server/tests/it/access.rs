//! Access-management configurations as documents: the editor refuses a configuration that does
//! not read (naming line, column and field) and stores nothing; review and publishing by
//! another publisher; comparisons; who may see one; the page with its scorecard; exports;
//! uploads; import of `content/access/{organisation}.yaml`; search.

use crate::common::{
    content_tree, input_value, location, post_form, repo_root, unescaped as text, TestServer,
    PASSWORD,
};

const FIFE_EDITOR: &str = "callum.sampleton@fife.nhs.example";
const FIFE_PUBLISHER: &str = "morag.testwell@fife.nhs.example";
const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const TAYSIDE_EDITOR: &str = "kirsty.dummett@tayside.nhs.example";
const TAYSIDE_READER: &str = "duncan.trialford@tayside.nhs.example";
/// Added by [`start`]: the demo content has no publisher at NHS Tayside.
const TAYSIDE_PUBLISHER: &str = "tess.publisher@tayside.nhs.example";
const LEEDS_EDITOR: &str = "jordan.stubworth@leeds.nhs.example";
const NEWCASTLE_EDITOR: &str = "sam.mockett@newcastle.nhs.example";

async fn start() -> TestServer {
    start_with(TestServer::builder()).await
}

/// The rules that depend on dates are judged as of the server's today: a fixed one here.
async fn start_on_15_march_2026() -> TestServer {
    let clock = app::state::ManualClock::new(time::macros::datetime!(2026-03-15 10:00 UTC));
    start_with(TestServer::builder().clock(clock)).await
}

async fn start_with(builder: crate::common::TestServerBuilder) -> TestServer {
    let server = builder.start().await;
    server.add_user(
        TAYSIDE_PUBLISHER,
        "Tess Publisher",
        "nhs-tayside",
        "publisher",
    );
    for user in [
        FIFE_EDITOR,
        FIFE_PUBLISHER,
        FIFE_READER,
        TAYSIDE_EDITOR,
        TAYSIDE_READER,
        LEEDS_EDITOR,
        NEWCASTLE_EDITOR,
    ] {
        server.set_password(user, PASSWORD);
    }
    server
}

/// A small configuration for NHS Tayside: organisation-only unless `extra` says otherwise.
fn tayside(extra: &str) -> String {
    format!(
        "# NHS Tayside, first draft.\nschema_version: 1\norganisation: nhs-tayside\n{extra}\
         computer_policies:\n  - name: Ward kiosks\n    workstation: shared-kiosk\n    location: clinical-area\n    inactivity_lock_s: 600\n"
    )
}

/// The editor form of a new configuration for NHS Tayside.
fn new_form<'a>(yaml: &'a str, intent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", "access"),
        ("form[slug]", ""),
        ("form[base_revision]", "0"),
        ("form[org]", "nhs-tayside"),
        (
            "form[title]",
            "Access-management configuration: NHS Tayside",
        ),
        (
            "form[summary]",
            "How NHS Tayside has set up single sign-on.",
        ),
        ("form[configuration]", yaml),
        ("form[body]", ""),
        ("form[owner]", TAYSIDE_EDITOR),
        ("form[review_by]", "2027-06-30"),
        ("form[intent]", intent),
    ]
}

/// The editor form of a new revision of an existing configuration.
fn edit_form<'a>(
    slug: &'a str,
    base: &'a str,
    owner: &'a str,
    yaml: &'a str,
    intent: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", "access"),
        ("form[slug]", slug),
        ("form[base_revision]", base),
        ("form[title]", "Access-management configuration"),
        ("form[summary]", "How we set up single sign-on."),
        ("form[configuration]", yaml),
        ("form[owner]", owner),
        ("form[review_by]", "2027-06-30"),
        ("form[intent]", intent),
    ]
}

/// The newest revision id, as the editor sends it back.
async fn base_revision(server: &TestServer, client: &reqwest::Client, slug: &str) -> String {
    let (status, page) = server.get(client, &format!("/access/{slug}/edit")).await;
    assert_eq!(status, 200, "editor of {slug}");
    input_value(&page, "form[base_revision]").expect("base revision")
}

async fn revisions_of(server: &TestServer, slug: &str) -> i64 {
    server
        .count(&format!(
            "SELECT COUNT(*) FROM document_revisions r JOIN documents d ON d.id = r.document_id \
             WHERE d.kind = 'access' AND d.slug = '{slug}'"
        ))
        .await
}

async fn step(
    server: &TestServer,
    client: &reqwest::Client,
    slug: &str,
    step: &str,
    revision: &str,
) -> u16 {
    post_form(
        server,
        client,
        "/api/documents/step",
        &[
            ("kind", "access"),
            ("slug", slug),
            ("step", step),
            ("revision", revision),
            ("comment", ""),
        ],
    )
    .await
    .0
}

/// The decoded text of a page, for finding what a person reads.
#[tokio::test]
async fn invalid_yaml_is_refused_with_line_column_and_field_and_nothing_is_stored() {
    let server = start().await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let before = revisions_of(&server, "nhs-fife").await;
    let base = base_revision(&server, &editor, "nhs-fife").await;
    let broken = "schema_version: 1\norganisation: nhs-fife\noperations:\n  backup_last_tesetd: 2025-01-01\n  training_coverage_percent: lots\n";
    let (status, next) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &edit_form("nhs-fife", &base, FIFE_EDITOR, broken, "save"),
    )
    .await;
    assert_eq!((status, next.as_str()), (302, "/access/nhs-fife/edit"));
    let (_, page) = server.get(&editor, "/access/nhs-fife/edit").await;
    let page = text(&page);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("The configuration has 2 problems:"), "{page}");
    assert!(
        page.contains(
            "Line 4, column 3, operations.backup_last_tesetd: unknown field `backup_last_tesetd`"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "Line 5, column 30, operations.training_coverage_percent: expected a whole number, found text"
        ),
        "{page}"
    );
    // The text is kept as typed, next to its errors.
    assert!(page.contains("  training_coverage_percent: lots"), "{page}");
    assert!(page.contains("nhsuk-textarea--error"), "{page}");
    assert_eq!(revisions_of(&server, "nhs-fife").await, before);

    // A new configuration that does not read creates no document at all.
    let tayside_editor = server.signed_in(TAYSIDE_EDITOR, PASSWORD).await;
    let (status, next) = post_form(
        &server,
        &tayside_editor,
        "/api/documents/save",
        &new_form("schema_version: 1\norganisation: [nhs-tayside\n", "save"),
    )
    .await;
    assert_eq!((status, next.as_str()), (302, "/access/new"));
    let (_, page) = server.get(&tayside_editor, "/access/new").await;
    assert!(
        text(&page).contains("Line 3, column 1: did not find expected ',' or ']'"),
        "{page}"
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM documents WHERE kind = 'access' AND slug = 'nhs-tayside'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_configuration_belongs_to_its_organisation_and_each_has_one() {
    let server = start().await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    // Saying it is another organisation's is refused, at the line that says so.
    let base = base_revision(&server, &editor, "nhs-fife").await;
    let lothian = "schema_version: 1\norganisation: nhs-lothian\n";
    post_form(
        &server,
        &editor,
        "/api/documents/save",
        &edit_form("nhs-fife", &base, FIFE_EDITOR, lothian, "save"),
    )
    .await;
    let (_, page) = server.get(&editor, "/access/nhs-fife/edit").await;
    assert!(
        text(&page).contains("Line 2, column 15, organisation: this configuration is \"nhs-lothian\"'s, but it is saved as \"nhs-fife\"'s"),
        "{page}"
    );
    // A second one for the same organisation is refused: there is one, at its address.
    let mut form = new_form("schema_version: 1\norganisation: nhs-fife\n", "save");
    form.retain(|(k, _)| *k != "form[org]" && *k != "form[owner]");
    form.extend([("form[org]", "nhs-fife"), ("form[owner]", FIFE_EDITOR)]);
    let (status, next) = post_form(&server, &editor, "/api/documents/save", &form).await;
    assert_eq!((status, next.as_str()), (302, "/access/new"));
    let (_, page) = server.get(&editor, "/access/new").await;
    assert!(
        page.contains("This organisation already has its access-management configuration at /access/nhs-fife: edit that one"),
        "{page}"
    );
    // The editor of a new one asks for no web address and no visibility, and starts from a
    // configuration of the author's organisation.
    let (_, page) = server.get(&editor, "/access/new").await;
    assert!(!page.contains("name=\"form[new_slug]\""), "{page}");
    assert!(!page.contains("name=\"form[visibility]\""), "{page}");
    let (_, fresh) = server
        .get(
            &server.signed_in(TAYSIDE_EDITOR, PASSWORD).await,
            "/access/new",
        )
        .await;
    assert!(fresh.contains("organisation: nhs-tayside"), "{fresh}");
}

#[tokio::test]
async fn a_configuration_is_reviewed_and_published_by_another_publisher_with_its_history() {
    let server = start().await;
    let editor = server.signed_in(TAYSIDE_EDITOR, PASSWORD).await;
    let publisher = server.signed_in(TAYSIDE_PUBLISHER, PASSWORD).await;
    let reader = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let elsewhere = server.signed_in(FIFE_READER, PASSWORD).await;

    let first = tayside("");
    let (status, next) = post_form(
        &server,
        &editor,
        "/api/documents/save",
        &new_form(&first, "submit"),
    )
    .await;
    assert_eq!((status, next.as_str()), (302, "/access/nhs-tayside"));
    // In review: readers see nothing yet.
    assert_eq!(server.get(&reader, "/access/nhs-tayside").await.0, 404);
    let (_, page) = server.get(&publisher, "/access/nhs-tayside").await;
    let revision = input_value(&page, "revision").expect("workflow form");
    assert_eq!(
        step(&server, &publisher, "nhs-tayside", "approve", &revision).await,
        302
    );
    // Published, organisation-only: Tayside reads it, Fife does not learn it exists.
    let (status, page) = server.get(&reader, "/access/nhs-tayside").await;
    assert_eq!(status, 200);
    assert!(page.contains("Own organisation only"), "{page}");
    assert_eq!(server.get(&elsewhere, "/access/nhs-tayside").await.0, 404);
    assert_eq!(
        server.get(&server.client(), "/access/nhs-tayside").await.0,
        404
    );

    // The publisher's own change, shared with the network, needs another publisher.
    let base = base_revision(&server, &publisher, "nhs-tayside").await;
    let second = tayside("visibility: network\n").replace("600", "240");
    let (status, _) = post_form(
        &server,
        &publisher,
        "/api/documents/save",
        &edit_form("nhs-tayside", &base, TAYSIDE_EDITOR, &second, "submit"),
    )
    .await;
    assert_eq!(status, 302);
    let (_, page) = server
        .get(&publisher, "/access/nhs-tayside/history/2")
        .await;
    assert!(
        !page.contains("Approve and publish"),
        "no approve button for one's own revision"
    );
    let head = input_value(&page, "revision").expect("send-back form");
    step(&server, &publisher, "nhs-tayside", "approve", &head).await;
    let (_, page) = server.get(&publisher, "/access/nhs-tayside").await;
    assert!(
        page.contains("another publisher must approve it"),
        "refusal explained: {page}"
    );
    assert_eq!(server.get(&elsewhere, "/access/nhs-tayside").await.0, 404);
    // An administrator approves it; now every member organisation reads it, anonymous nobody.
    let admin = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    assert_eq!(
        step(&server, &admin, "nhs-tayside", "approve", &head).await,
        302
    );
    let (status, page) = server.get(&elsewhere, "/access/nhs-tayside").await;
    assert_eq!(status, 200);
    assert!(page.contains("All member organisations"), "{page}");
    assert_eq!(
        server.get(&server.client(), "/access/nhs-tayside").await.0,
        404
    );

    // The history lists both revisions; the comparison shows the changed lines.
    let (_, history) = server.get(&reader, "/access/nhs-tayside/history").await;
    assert!(
        history.contains("/access/nhs-tayside/history/2"),
        "{history}"
    );
    let (status, diff) = server
        .get(&reader, "/access/nhs-tayside/diff?from=1&to=2")
        .await;
    assert_eq!(status, 200);
    let diff = text(&diff);
    assert!(diff.contains("Configuration"), "{diff}");
    assert!(diff.contains("[added: "), "{diff}");
    assert!(diff.contains("visibility: network"), "{diff}");
    assert!(diff.contains("[removed: "), "{diff}");
    assert!(diff.contains("600"), "{diff}");
    assert!(diff.contains("Visible to"), "{diff}");
}

#[tokio::test]
async fn the_page_shows_the_configuration_readably_with_its_scorecard() {
    let server = start_on_15_march_2026().await;
    let leeds = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    for path in [
        "/access/leeds-teaching-hospitals",
        "/orgs/leeds-teaching-hospitals/access",
    ] {
        let (status, page) = server.get(&leeds, path).await;
        assert_eq!(status, 200, "{path}");
        let page = text(&page);
        // The scorecard: each rule with its result in words, observed and expected values,
        // severity and the guide that explains it.
        assert!(
            page.contains("Checked against 26 best-practice rules"),
            "{page}"
        );
        let row = page
            .split("id=\"rule-MFA-01\"")
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("no MFA-01 row in {page}"));
        assert!(
            row.contains("<strong class=\"nhsuk-tag nhsuk-tag--red\">Fail</strong>"),
            "{row}"
        );
        assert!(row.contains(">Must<"), "{row}");
        assert!(
            row.contains("Legacy supplier VPN (building management): MFA enforced no"),
            "{row}"
        );
        assert!(row.contains("href=\"/guides/"), "{row}");
        assert!(page.contains("1 must rule not met: MFA-01"), "{page}");
        assert!(page.contains(">Pass</strong>"), "{page}");
        // The configuration in plain words, never its YAML field names.
        assert!(
            page.contains("<h2 id=\"user-policies\">User policies</h2>"),
            "{page}"
        );
        assert!(page.contains("Remote access systems"), "{page}");
        assert!(
            page.contains("Multi-factor authentication enforced"),
            "{page}"
        );
        assert!(!page.contains("mfa_enforced"), "{page}");
        assert!(!page.contains("inactivity_lock_s"), "{page}");
        assert!(page.contains("Download as YAML"), "{page}");
    }
    // Facts left out read as not recorded, and must rules that cannot be checked are named.
    let newcastle = server.signed_in(NEWCASTLE_EDITOR, PASSWORD).await;
    let (status, page) = server
        .get(&newcastle, "/access/newcastle-upon-tyne-hospitals")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("4 must rules cannot be checked because facts are missing: MFA-01, MFA-02, APL-01, BAK-01."),
        "{page}"
    );
    assert!(
        page.contains("<dd class=\"nhsuk-summary-list__value\">Not recorded</dd>"),
        "{page}"
    );
    assert!(page.contains(">Unknown</strong>"), "{page}");
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (_, fife) = server.get(&reader, "/access/nhs-fife").await;
    let fife = text(&fife);
    assert!(fife.contains("<h3>Ward kiosks</h3>"), "{fife}");
    assert!(fife.contains("After 180 s (3 min)"), "{fife}");
    assert!(fife.contains(">Not applicable</strong>"), "{fife}");
}

#[tokio::test]
async fn another_organisations_reader_gets_404_for_an_organisation_only_configuration() {
    let server = start().await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    for path in [
        "/access/leeds-teaching-hospitals",
        "/access/leeds-teaching-hospitals/history",
        "/access/leeds-teaching-hospitals/export.yaml",
        "/access/leeds-teaching-hospitals/export.json",
        "/access/leeds-teaching-hospitals/export.md",
        "/api/v1/access/leeds-teaching-hospitals",
    ] {
        assert_eq!(server.get(&tayside, path).await.0, 404, "{path}");
    }
    let (status, page) = server
        .get(&tayside, "/orgs/leeds-teaching-hospitals/access")
        .await;
    assert_eq!(status, 404);
    assert!(
        page.contains("No access-management configuration shared with you"),
        "{page}"
    );
    // An organisation with none says the same, with the same status.
    let (status, page) = server.get(&tayside, "/orgs/nhs-tayside/access").await;
    assert_eq!(status, 404);
    assert!(
        page.contains("No access-management configuration shared with you"),
        "{page}"
    );
    // Shared with the network: every member reads it; nobody anonymous does.
    assert_eq!(server.get(&tayside, "/orgs/nhs-fife/access").await.0, 200);
    assert_eq!(
        server
            .get(&server.client(), "/orgs/nhs-fife/access")
            .await
            .0,
        404
    );
    // The list shows what the viewer may read.
    let (_, list) = server.get(&tayside, "/access").await;
    assert!(list.contains("/access/nhs-fife"), "{list}");
    assert!(!list.contains("/access/leeds-teaching-hospitals"), "{list}");
}

#[tokio::test]
async fn configurations_export_as_yaml_json_and_markdown_that_import_back() {
    let server = start().await;
    let reader = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let response = reader
        .get(server.url("/access/nhs-fife/export.yaml"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/yaml; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"nhs-fife.yaml\""
    );
    let yaml = response.text().await.unwrap();
    let file = std::fs::read_to_string(repo_root().join("content/access/nhs-fife.yaml")).unwrap();
    assert_eq!(yaml, file, "the YAML as written, comments and all");

    let (status, json) = server.get(&reader, "/access/nhs-fife/export.json").await;
    assert_eq!(status, 200);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["organisation"], "nhs-fife");
    assert_eq!(value["visibility"], "network");
    assert_eq!(
        app::access::parse(&json).unwrap(),
        app::access::parse(&yaml).unwrap()
    );

    // The Markdown export imports back as the same document into another instance.
    let (status, markdown) = server.get(&reader, "/access/nhs-fife/export.md").await;
    assert_eq!(status, 200);
    assert!(markdown.contains("configuration: "), "{markdown}");
    let orgs =
        std::fs::read_to_string(repo_root().join("content/organisations/nhs-fife.md")).unwrap();
    let parent = std::fs::read_to_string(
        repo_root().join("content/organisations/nhs-scotland-national-services.md"),
    )
    .unwrap();
    let tree = content_tree(&[
        ("organisations/nhs-fife.md", &orgs),
        ("organisations/nhs-scotland-national-services.md", &parent),
        ("access/nhs-fife.md", &markdown),
    ]);
    let other = TestServer::start_with_content(tree.0.clone()).await;
    let status = other
        .get(&other.client(), "/access/nhs-fife/export.yaml")
        .await
        .0;
    assert_eq!(status, 404, "network only");
    let admin = other
        .signed_in("admin@trustshare.localhost", &other.admin_password)
        .await;
    let (status, again) = other.get(&admin, "/access/nhs-fife/export.yaml").await;
    assert_eq!(status, 200);
    assert_eq!(again, yaml);
}

/// A `multipart/form-data` body as a browser sends the editor with a file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----trustshare-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    let (filename, bytes) = file.unwrap_or(("", b""));
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    server: &TestServer,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (u16, String) {
    let (content_type, body) = multipart(fields, file);
    let response = client
        .post(server.url("/api/documents/upload"))
        .header("origin", &server.base)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), location(&response))
}

#[tokio::test]
async fn an_uploaded_file_is_saved_as_a_draft_only_when_it_reads() {
    let server = start().await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let before = revisions_of(&server, "nhs-fife").await;
    let base = base_revision(&server, &editor, "nhs-fife").await;
    let typed = "schema_version: 1\norganisation: nhs-fife\n";
    let fields = edit_form("nhs-fife", &base, FIFE_EDITOR, typed, "save");

    // A file that does not read: nothing is saved, the editor shows the file's errors.
    let broken = b"schema_version: 1\norganisation: nhs-fife\nspine:\n  enabled: maybe\n";
    let (status, next) = upload(&server, &editor, &fields, Some(("fife.yaml", broken))).await;
    assert_eq!((status, next.as_str()), (303, "/access/nhs-fife/edit"));
    let (_, page) = server.get(&editor, "/access/nhs-fife/edit").await;
    assert!(
        text(&page).contains("Line 4, column 12, spine.enabled: expected true or false"),
        "{page}"
    );
    assert!(
        page.contains("  enabled: maybe"),
        "the file's text is kept: {page}"
    );
    assert_eq!(revisions_of(&server, "nhs-fife").await, before);

    // A file that is not text is refused by name.
    let (_, next) = upload(
        &server,
        &editor,
        &fields,
        Some(("fife.yaml", &[0xff, 0xfe])),
    )
    .await;
    assert_eq!(next, "/access/nhs-fife/edit");
    let (_, page) = server.get(&editor, "/access/nhs-fife/edit").await;
    assert!(page.contains("The file is not UTF-8 text"), "{page}");
    assert_eq!(revisions_of(&server, "nhs-fife").await, before);

    // A good file replaces the typed text and is saved as a draft.
    let good = tayside("")
        .replace("nhs-tayside", "nhs-fife")
        .replace("Ward kiosks", "Uploaded kiosks");
    let (status, next) = upload(
        &server,
        &editor,
        &fields,
        Some(("fife.yaml", good.as_bytes())),
    )
    .await;
    assert_eq!((status, next.as_str()), (303, "/access/nhs-fife"));
    assert_eq!(revisions_of(&server, "nhs-fife").await, before + 1);
    let (_, page) = server.get(&editor, "/access/nhs-fife/history/2").await;
    assert!(text(&page).contains("Uploaded kiosks"), "{page}");

    // Without a file, the button saves the text as typed.
    let base = base_revision(&server, &editor, "nhs-fife").await;
    let fields = edit_form("nhs-fife", &base, FIFE_EDITOR, typed, "save");
    let (status, _) = upload(&server, &editor, &fields, None).await;
    assert_eq!(status, 303);
    assert_eq!(revisions_of(&server, "nhs-fife").await, before + 2);

    // Nobody else uploads into it.
    let anonymous = server.client();
    assert_eq!(upload(&server, &anonymous, &fields, None).await.0, 401);
    let other = server.signed_in(TAYSIDE_EDITOR, PASSWORD).await;
    assert_eq!(upload(&server, &other, &fields, None).await.0, 403);
    let leeds = edit_form(
        "leeds-teaching-hospitals",
        &base,
        FIFE_EDITOR,
        typed,
        "save",
    );
    assert_eq!(upload(&server, &other, &leeds, None).await.0, 404);
}

#[tokio::test]
async fn configuration_files_import_as_published_with_errors_located_in_the_file() {
    let server = start().await;
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM documents WHERE kind = 'access'")
            .await,
        5,
        "the demo content holds five configurations"
    );
    let org =
        std::fs::read_to_string(repo_root().join("content/organisations/nhs-tayside.md")).unwrap();
    let tree = content_tree(&[
        ("organisations/nhs-tayside.md", &org),
        ("access/nhs-tayside.yaml", &tayside("visibility: network\nas_of: 2026-02-01\n")),
        (
            "access/nhs-lothian.yaml",
            "schema_version: 1\norganisation: nhs-lothian\noperations:\n  it_ot_separation: maybe\n",
        ),
        (
            "access/nhs-fife.yaml",
            "schema_version: 1\norganisation: nhs-tayside\n",
        ),
    ]);
    let out = server.command(&["import", tree.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2, "files were skipped: {}", out.stderr);
    assert!(out.stdout.contains("access: 1 created"), "{}", out.stdout);
    let shown = |name: &str| tree.0.join("access").join(name).display().to_string();
    assert!(
        out.stderr.contains(&format!(
            "{}:4: Line 4, column 21, operations.it_ot_separation: must be one of separated, partial, none, no-ot-network",
            shown("nhs-lothian.yaml")
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "{}:2: Line 2, column 15, organisation: this configuration is \"nhs-tayside\"'s, but it is saved as \"nhs-fife\"'s",
            shown("nhs-fife.yaml")
        )),
        "{}",
        out.stderr
    );
    // Published, shared as it says, titled after its organisation, dated as of its facts.
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, page) = server.get(&fife, "/access/nhs-tayside").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Access-management configuration: NHS Tayside"),
        "{page}"
    );
    assert!(page.contains("2026-02-01"), "{page}");
    // Importing it again changes nothing.
    let out = server.command(&["import", tree.0.to_str().unwrap()], None);
    assert!(
        out.stdout
            .contains("access: 0 created, 0 updated, 1 unchanged"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn search_finds_configurations_by_their_settings_as_visibility_allows() {
    let server = start().await;
    server.search_ready().await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let (_, page) = server
        .get(&tayside, "/search?q=ward+kiosks&kind=access")
        .await;
    assert!(page.contains("href=\"/access/nhs-fife\""), "{page}");
    let (_, page) = server
        .get(&tayside, "/search?q=legacy+supplier+vpn&kind=access")
        .await;
    assert!(
        !page.contains("href=\"/access/leeds-teaching-hospitals\""),
        "Leeds's configuration is its own: {page}"
    );
    let leeds = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (_, page) = server
        .get(&leeds, "/search?q=legacy+supplier+vpn&kind=access")
        .await;
    assert!(
        page.contains("href=\"/access/leeds-teaching-hospitals\""),
        "{page}"
    );
}
