//! Guide and organisation pages, their filters and who may see what.

use crate::common::{TestServer, PASSWORD};

#[tokio::test]
async fn the_guide_list_shows_published_public_guides_with_filters() {
    let server = TestServer::start().await;
    let client = server.client();
    let (status, page) = server.get(&client, "/guides").await;
    assert_eq!(status, 200);
    assert!(page.contains("Best-practice guides"));
    assert!(page.contains("Fast user switching on shared A&amp;E workstations"));
    // Network and organisation-only guides are not listed for anonymous visitors.
    assert!(
        !page.contains("Separating IT and OT"),
        "network guide hidden from anonymous"
    );
    assert!(
        page.contains(r#"<option value="single-sign-on""#),
        "tag facet offered"
    );
    assert!(
        page.contains(r#"aria-label="Pagination""#),
        "more than one page of guides"
    );

    let (_, page) = server.get(&client, "/guides?tag=backup").await;
    assert!(
        page.contains("Testing the backup policy") || page.contains("backup policy"),
        "tag filter keeps the backup guide"
    );
    assert!(
        !page.contains("Fast user switching on shared"),
        "tag filter removes others"
    );

    let (_, page) = server.get(&client, "/guides?org=nhs-fife").await;
    assert!(page.contains("blueprint"), "Fife's blueprint listed");
    assert!(
        !page.contains("Fast user switching on shared"),
        "Newcastle's guide filtered out"
    );

    let (_, page) = server.get(&client, "/guides?q=switching").await;
    assert!(page.contains("Fast user switching on shared"));
    assert!(page.contains("1 guide") || page.contains("2 guides"));

    let (_, page) = server.get(&client, "/guides?q=zzzz-nothing").await;
    assert!(page.contains("No guides found"));
}

#[tokio::test]
async fn pages_of_the_list_do_not_overlap() {
    let server = TestServer::start().await;
    let client = server.client();
    let titles = |page: &str| -> Vec<String> {
        page.split(r#"<li class="ts-result">"#)
            .skip(1)
            .filter_map(|item| item.split(r#"<a href="/guides/"#).nth(1))
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    let (_, one) = server.get(&client, "/guides").await;
    let (_, two) = server.get(&client, "/guides?page=2").await;
    let (one, two) = (titles(&one), titles(&two));
    assert_eq!(one.len(), 10);
    assert!(!two.is_empty());
    assert!(
        one.iter().all(|slug| !two.contains(slug)),
        "{one:?} / {two:?}"
    );
}

#[tokio::test]
async fn a_guide_renders_markdown_with_anchors_contents_and_details() {
    let server = TestServer::start().await;
    let (status, page) = server
        .get(
            &server.client(),
            "/guides/fast-user-switching-shared-ae-workstations",
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains(
            "<title>Fast user switching on shared A&amp;E workstations – Trustshare</title>"
        ),
        "page title, escaped"
    );
    assert!(
        page.contains(r#"<h2 id="sec-the-problem">"#),
        "heading anchor ids"
    );
    assert!(
        page.contains(r##"href="#sec-the-problem""##),
        "contents list links to headings"
    );
    assert!(page.contains("<table>"), "tables rendered");
    assert!(
        page.contains("The Newcastle upon Tyne Hospitals"),
        "organisation shown"
    );
    assert!(page.contains("Review by"));
}

#[tokio::test]
async fn overdue_guides_warn_readers() {
    let server = TestServer::start().await;
    let (_, page) = server
        .get(&server.client(), "/guides/testing-the-backup-policy")
        .await;
    assert!(page.contains("overdue for review"));
    let (_, page) = server
        .get(
            &server.client(),
            "/guides/fast-user-switching-shared-ae-workstations",
        )
        .await;
    assert!(!page.contains("overdue for review"));
}

#[tokio::test]
async fn unknown_pages_answer_404_inside_the_site_layout() {
    let server = TestServer::start().await;
    for path in [
        "/guides/no-such-guide",
        "/orgs/no-such-org",
        "/no/such/page",
    ] {
        let (status, page) = server.get(&server.client(), path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Page not found"), "{path}");
        assert!(page.contains("nhsuk-header"), "{path} keeps the header");
    }
}

#[tokio::test]
async fn visibility_hides_guides_exactly_like_missing_ones() {
    let server = TestServer::start().await;
    server.set_password("isla.placeholder@fife.nhs.example", PASSWORD);
    server.set_password("duncan.trialford@tayside.nhs.example", PASSWORD);
    let fife = server
        .signed_in("isla.placeholder@fife.nhs.example", PASSWORD)
        .await;
    let tayside = server
        .signed_in("duncan.trialford@tayside.nhs.example", PASSWORD)
        .await;
    let anonymous = server.client();

    // Fife's organisation-only guide.
    let org_only = "/guides/emergency-access-security-questions-policy";
    assert_eq!(server.get(&fife, org_only).await.0, 200);
    assert_eq!(server.get(&tayside, org_only).await.0, 404);
    assert_eq!(server.get(&anonymous, org_only).await.0, 404);

    // Leeds's network guide: every signed-in member, nobody else.
    let network = "/guides/separating-it-and-ot-networks";
    assert_eq!(server.get(&fife, network).await.0, 200);
    assert_eq!(server.get(&tayside, network).await.0, 200);
    assert_eq!(server.get(&anonymous, network).await.0, 404);

    // Lists and counts follow the same rule.
    let (_, list) = server.get(&tayside, "/guides?org=nhs-fife").await;
    assert!(!list.contains("emergency-access-security-questions-policy"));
    let (_, list) = server.get(&fife, "/guides?org=nhs-fife").await;
    assert!(list.contains("emergency-access-security-questions-policy"));
    let (_, org_page) = server.get(&tayside, "/orgs/nhs-fife").await;
    assert!(!org_page.contains("emergency-access-security-questions-policy"));
}

#[tokio::test]
async fn organisation_pages_list_nations_guides_and_people_for_members_only() {
    let server = TestServer::start().await;
    let (status, page) = server.get(&server.client(), "/orgs").await;
    assert_eq!(status, 200);
    for nation in ["England", "Scotland", "Wales", "Northern Ireland"] {
        assert!(page.contains(&format!(">{nation}</h2>")), "{nation}");
    }
    assert!(page.contains("NHS Fife"));

    let (status, page) = server.get(&server.client(), "/orgs/nhs-fife").await;
    assert_eq!(status, 200);
    assert!(page.contains("S08000029"));
    assert!(page.contains("Health board"));
    assert!(page.contains("pilot-board-sso-smart-card-blueprint"));
    assert!(
        !page.contains("Morag Testwell"),
        "people hidden from anonymous visitors"
    );

    server.set_password("isla.placeholder@fife.nhs.example", PASSWORD);
    let member = server
        .signed_in("isla.placeholder@fife.nhs.example", PASSWORD)
        .await;
    let (_, page) = server.get(&member, "/orgs/nhs-fife").await;
    assert!(
        page.contains("Morag Testwell"),
        "people shown to signed-in members"
    );

    let (_, page) = server
        .get(&server.client(), "/orgs/nhs-scotland-national-services")
        .await;
    assert!(page.contains("Member organisations") && page.contains("/orgs/nhs-fife"));
}

#[tokio::test]
async fn home_page_explains_the_portal_and_lists_recent_guides() {
    let server = TestServer::start().await;
    let (status, page) = server.get(&server.client(), "/").await;
    assert_eq!(status, 200);
    assert!(page.contains("Recently updated guides"));
    assert!(
        page.contains(r#"action="/search""#),
        "search box submits to search, which covers every kind"
    );
    assert!(page.contains(r#"href="/guides/"#));
}

#[tokio::test]
async fn a_hostile_title_cannot_break_out_of_the_page_title() {
    let content = crate::common::content_tree(&[
        ("organisations/test-board.md", "---\nname: Test Board\ncode: T1\nnation: wales\nkind: trust\n---\n"),
        (
            "guides/evil-title.md",
            "---\ntitle: \"</title><script>alert(1)</script>\"\norganisation: test-board\nvisibility: public\n---\nBody.\n",
        ),
    ]);
    let server = TestServer::start_with_content(content.0.clone()).await;
    let (status, page) = server.get(&server.client(), "/guides/evil-title").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("<script>alert(1)"),
        "title escaped everywhere"
    );
    assert!(page.contains("&lt;/title&gt;&lt;script&gt;"));
}
