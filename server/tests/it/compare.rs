//! Access-management configurations compared side by side at `/access/compare`: grouped by
//! section with differences marked in words, numbers against the median of the configurations
//! shared with the viewer, organisations the viewer may not read answered like ones that do not
//! exist; and "Adopt this setting", a new draft of the viewer's own configuration.

use crate::common::{post_form, unescaped as text, TestServer, PASSWORD};

const FIFE_EDITOR: &str = "callum.sampleton@fife.nhs.example";
const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const TAYSIDE_READER: &str = "duncan.trialford@tayside.nhs.example";
const TAYSIDE_EDITOR: &str = "kirsty.dummett@tayside.nhs.example";
const LEEDS_EDITOR: &str = "jordan.stubworth@leeds.nhs.example";

async fn start() -> TestServer {
    let server = TestServer::start().await;
    for user in [
        FIFE_EDITOR,
        FIFE_READER,
        TAYSIDE_READER,
        TAYSIDE_EDITOR,
        LEEDS_EDITOR,
    ] {
        server.set_password(user, PASSWORD);
    }
    server
}

/// The key settings row of a setting.
fn setting_row(page: &str, id: &str) -> String {
    page.split(&format!("id=\"setting-{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no {id} row in {page}"))
        .to_owned()
}

#[tokio::test]
async fn configurations_are_side_by_side_by_section_with_differences_marked_in_words() {
    let server = start().await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let (status, page) = server
        .get(&tayside, "/access/compare?orgs=nhs-fife,nhs-lothian")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    // One column per organisation, linking to its configuration; a table per section.
    assert!(
        page.contains("<a href=\"/access/nhs-fife\">NHS Fife</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/access/nhs-lothian\">NHS Lothian</a>"),
        "{page}"
    );
    for heading in [
        "Deployment",
        "User policies",
        "Administrator access",
        "Operations",
    ] {
        assert!(
            page.contains(&format!(">{heading}</h2>")),
            "{heading}: {page}"
        );
    }
    // Differences: a "Differs" tag in words and the values in bold, not colour alone.
    let training = setting_row(&page, "training-coverage");
    assert!(training.contains(">Differs</strong>"), "{training}");
    assert!(training.contains("<strong>96 %</strong>"), "{training}");
    assert!(training.contains("<strong>88 %</strong>"), "{training}");
    // Against the median of the three configurations shared with every member (96, 88, 82).
    assert!(
        page.contains("median of the 3 configurations shared with you"),
        "{page}"
    );
    assert!(training.contains("Median 88"), "{training}");
    assert!(
        training.contains("above the median, median 88"),
        "{training}"
    );
    assert!(training.contains("at the median, median 88"), "{training}");
    // The chart is a picture of the words beside it.
    assert!(
        training.contains("<svg ") && training.contains("class=\"ts-bar\""),
        "{training}"
    );
    assert!(training.contains("aria-hidden=\"true\""), "{training}");
    let mfa = setting_row(&page, "admin-mfa");
    assert!(!mfa.contains("Differs"), "both say yes: {mfa}");
    // A reader adopts nothing.
    assert!(!page.contains("Adopt this setting"), "{page}");
    // The form to choose, without JavaScript: a GET form with a checkbox per configuration
    // shared with the viewer, those compared ticked.
    let form = page
        .split("<form")
        .find(|f| f.contains("action=\"/access/compare\""))
        .expect("the form");
    assert!(form.contains("method=\"get\""), "{form}");
    assert!(page.contains("value=\"nhs-fife\" checked"), "{page}");
    assert!(
        page.contains("value=\"norfolk-and-norwich-university-hospitals\""),
        "{page}"
    );
    assert!(
        !page.contains("value=\"leeds-teaching-hospitals\""),
        "not shared: {page}"
    );
    // The same organisations chosen with the form's checkboxes.
    let (_, form) = server
        .get(&tayside, "/access/compare?orgs=nhs-fife&orgs=nhs-lothian")
        .await;
    assert!(text(&form).contains("Median 88"));
}

#[tokio::test]
async fn an_organisation_not_shared_reads_like_one_that_does_not_exist_and_stays_out_of_the_median()
{
    let server = start().await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let (status, page) = server
        .get(
            &tayside,
            "/access/compare?orgs=leeds-teaching-hospitals,no-such-trust,nhs-fife",
        )
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("No access-management configuration is shared with you for:"),
        "{page}"
    );
    assert!(
        page.contains("<li><code>leeds-teaching-hospitals</code></li>"),
        "{page}"
    );
    assert!(
        page.contains("<li><code>no-such-trust</code></li>"),
        "{page}"
    );
    assert!(!page.contains("91 %"), "Leeds's figures: {page}");
    assert!(!page.contains("Leeds Teaching"), "{page}");
    assert!(setting_row(&page, "training-coverage").contains("Median 88"));

    // Leeds's own member reads it, and it counts in their median: 96, 91, 88, 82.
    let leeds = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (_, page) = server
        .get(
            &leeds,
            "/access/compare?orgs=leeds-teaching-hospitals,nhs-fife",
        )
        .await;
    let page = text(&page);
    assert!(
        page.contains("median of the 4 configurations shared with you"),
        "{page}"
    );
    assert!(
        setting_row(&page, "training-coverage").contains("Median 89.5"),
        "{page}"
    );

    // Anonymous visitors are shared no configuration at all.
    let (status, page) = server
        .get(&server.client(), "/access/compare?orgs=nhs-fife")
        .await;
    assert_eq!(status, 200);
    assert!(text(&page).contains("<li><code>nhs-fife</code></li>"));
}

#[tokio::test]
async fn at_most_six_organisations_are_compared_and_the_page_says_so() {
    let server = start().await;
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, page) = server
        .get(&fife, "/access/compare?orgs=nhs-fife,a,b,c,d,e,f,nhs-fife")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("You chose 7 organisations. At most 6 can be compared at once, so the first 6 are shown."),
        "{page}"
    );
    assert!(!page.contains("<code>f</code>"), "{page}");
}

async fn revisions_of(server: &TestServer, slug: &str) -> i64 {
    server
        .count(&format!(
            "SELECT COUNT(*) FROM document_revisions r JOIN documents d ON d.id = r.document_id \
             WHERE d.kind = 'access' AND d.slug = '{slug}'"
        ))
        .await
}

async fn adopt(
    server: &TestServer,
    client: &reqwest::Client,
    from: &str,
    setting: &str,
) -> (u16, String) {
    post_form(
        server,
        client,
        "/api/access/adopt",
        &[
            ("from", from),
            ("setting", setting),
            ("back", "/access/compare?orgs=nhs-fife,nhs-lothian"),
        ],
    )
    .await
}

#[tokio::test]
async fn an_editor_adopts_another_organisations_setting_into_a_new_draft_of_their_own() {
    let server = start().await;
    let fife = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let (_, page) = server
        .get(&fife, "/access/compare?orgs=nhs-fife,nhs-lothian")
        .await;
    let row = setting_row(&text(&page), "super-administrators");
    // Lothian's 3 can be adopted into Fife's 2; Fife's own value is not offered to itself.
    assert!(row.contains("Adopt this setting"), "{row}");
    assert_eq!(row.matches("Adopt this setting").count(), 1, "{row}");
    assert!(
        row.contains(": Super administrators from NHS Lothian"),
        "{row}"
    );

    let before = revisions_of(&server, "nhs-fife").await;
    let (status, to) = adopt(&server, &fife, "nhs-lothian", "super-administrators").await;
    assert_eq!((status, to.as_str()), (302, "/access/nhs-fife/edit"));
    assert_eq!(revisions_of(&server, "nhs-fife").await, before + 1);
    let (_, editor) = server.get(&fife, "/access/nhs-fife/edit").await;
    let editor = text(&editor);
    assert!(editor.contains("super_administrators: 3"), "{editor}");
    // The rest of the text as written, comments included.
    assert!(
        editor.contains("# shared with every member organisation"),
        "{editor}"
    );
    assert!(
        editor.contains("Adopted super administrators from nhs-lothian: saved as draft revision"),
        "{editor}"
    );
    // Readers still see the published configuration until a publisher approves the draft.
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (_, yaml) = server.get(&reader, "/access/nhs-fife/export.yaml").await;
    assert!(yaml.contains("super_administrators: 2"), "{yaml}");
    // Through the recorder: the audit log and the workflow history.
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'document-edited' AND actor = '{FIFE_EDITOR}'"
            ))
            .await,
        1
    );
}

#[tokio::test]
async fn adopting_is_refused_without_the_right_to_edit_or_to_read_the_source() {
    let server = start().await;
    let fife_before = revisions_of(&server, "nhs-fife").await;
    // Anonymous, and a reader.
    assert_eq!(
        adopt(
            &server,
            &server.client(),
            "nhs-lothian",
            "super-administrators"
        )
        .await
        .0,
        401
    );
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    assert_eq!(
        adopt(&server, &reader, "nhs-lothian", "super-administrators")
            .await
            .0,
        403
    );
    // A source the editor may not read answers like one that does not exist.
    let fife = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    assert_eq!(
        adopt(
            &server,
            &fife,
            "leeds-teaching-hospitals",
            "super-administrators"
        )
        .await
        .0,
        404
    );
    assert_eq!(
        adopt(&server, &fife, "no-such-trust", "super-administrators")
            .await
            .0,
        404
    );
    // A count cannot be set, and an unknown setting is not found.
    assert_eq!(
        adopt(&server, &fife, "nhs-lothian", "applications").await.0,
        400
    );
    assert_eq!(
        adopt(&server, &fife, "nhs-lothian", "no-such-setting")
            .await
            .0,
        404
    );
    // A setting the source does not record: nothing to adopt, said on the comparison.
    let (status, to) = adopt(&server, &fife, "nhs-lothian", "spine-grace-period").await;
    assert_eq!(
        (status, to.as_str()),
        (302, "/access/compare?orgs=nhs-fife,nhs-lothian")
    );
    let (_, page) = server.get(&fife, &to).await;
    assert!(
        text(&page).contains(
            "nhs-lothian does not record smartcard grace period, so there is nothing to adopt"
        ),
        "{page}"
    );
    assert_eq!(revisions_of(&server, "nhs-fife").await, fife_before);
    // An organisation with no configuration of its own is told to start one.
    let tayside = server.signed_in(TAYSIDE_EDITOR, PASSWORD).await;
    let (status, _) = adopt(&server, &tayside, "nhs-fife", "training-coverage").await;
    assert_eq!(status, 302);
    let (_, page) = server.get(&tayside, "/access/compare").await;
    assert!(text(&page).contains("Your organisation has no access-management configuration yet"));
    assert_eq!(revisions_of(&server, "nhs-tayside").await, 0);
}
