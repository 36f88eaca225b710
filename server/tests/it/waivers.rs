//! Waivers of access-management rules: a publisher of the organisation waives a failing rule
//! with a justification and a last day; the scorecard shows it instead of a failure until it is
//! withdrawn or lapses by itself; everyone else is refused, whatever their form says.

use crate::common::{post_form, unescaped as text, TestServer, PASSWORD};

const LEEDS: &str = "leeds-teaching-hospitals";
const LEEDS_EDITOR: &str = "jordan.stubworth@leeds.nhs.example";
/// Added by [`start`]: the demo content has no publisher at Leeds.
const LEEDS_PUBLISHER: &str = "lee.publisher@leeds.nhs.example";
const FIFE_PUBLISHER: &str = "morag.testwell@fife.nhs.example";
const JUSTIFICATION: &str = "The legacy supplier VPN is replaced by the MFA gateway in June; until then it is switched on only on request.";

/// The server's clock, fixed at 15 March 2026 (when the demo Leeds configuration fails MFA-01),
/// and the clock itself, to move on.
async fn start() -> (TestServer, app::state::ManualClock) {
    let clock = app::state::ManualClock::new(time::macros::datetime!(2026-03-15 10:00 UTC));
    let server = TestServer::builder().clock(clock.clone()).start().await;
    server.add_user(LEEDS_PUBLISHER, "Lee Publisher", LEEDS, "publisher");
    for user in [LEEDS_EDITOR, FIFE_PUBLISHER] {
        server.set_password(user, PASSWORD);
    }
    (server, clock)
}

/// The scorecard row of a rule on the organisation's configuration page.
async fn rule_row(server: &TestServer, client: &reqwest::Client, code: &str) -> (String, String) {
    let (status, page) = server.get(client, &format!("/orgs/{LEEDS}/access")).await;
    assert_eq!(status, 200);
    let page = text(&page);
    let row = page
        .split(&format!("id=\"rule-{code}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no {code} row in {page}"))
        .to_owned();
    (row, page)
}

async fn grant(
    server: &TestServer,
    client: &reqwest::Client,
    org: &str,
    rule: &str,
    justification: &str,
    until: &str,
) -> (u16, String) {
    post_form(
        server,
        client,
        "/api/waivers/grant",
        &[
            ("org", org),
            ("form[rule]", rule),
            ("form[justification]", justification),
            ("form[until]", until),
        ],
    )
    .await
}

async fn waivers(server: &TestServer) -> i64 {
    server.count("SELECT COUNT(*) FROM waivers").await
}

#[tokio::test]
async fn a_publisher_waives_a_failing_rule_and_the_scorecard_shows_it_until_it_lapses() {
    let (server, clock) = start().await;
    let publisher = server.signed_in(LEEDS_PUBLISHER, PASSWORD).await;

    // Before: MFA-01 fails, a must rule not met, and its publisher is offered to waive it.
    let (row, page) = rule_row(&server, &publisher, "MFA-01").await;
    assert!(row.contains(">Fail</strong>"), "{row}");
    assert!(
        row.contains(&format!("/orgs/{LEEDS}/access/waivers?rule=MFA-01#waive")),
        "{row}"
    );
    assert!(page.contains("1 must rule not met: MFA-01"), "{page}");
    let (status, form) = server
        .get(
            &publisher,
            &format!("/orgs/{LEEDS}/access/waivers?rule=MFA-01"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("<option value=\"MFA-01\" selected"), "{form}");
    assert!(
        !form.contains("<option value=\"MFA-02\""),
        "only failing rules: {form}"
    );

    let (status, to) = grant(
        &server,
        &publisher,
        LEEDS,
        "MFA-01",
        JUSTIFICATION,
        "2026-06-30",
    )
    .await;
    assert_eq!(status, 302, "{to}");
    assert_eq!(to, format!("/orgs/{LEEDS}/access#rule-MFA-01"));

    // The scorecard shows it waived, in words, and no longer as a must rule not met; every
    // member who reads the configuration sees it.
    let editor = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (row, page) = rule_row(&server, &editor, "MFA-01").await;
    assert!(
        row.contains("<strong class=\"nhsuk-tag nhsuk-tag--blue\">Waived</strong>"),
        "{row}"
    );
    assert!(
        row.contains(&format!(
            "Waived until 2026-06-30 by Lee Publisher: {JUSTIFICATION}"
        )),
        "{row}"
    );
    assert!(!page.contains("must rule not met"), "{page}");
    assert!(
        !row.contains("Waive this rule"),
        "editors may not waive: {row}"
    );
    assert!(!page.contains("/access/waivers"), "{page}");
    // Same on the configuration's own page.
    let (_, own) = server.get(&editor, &format!("/access/{LEEDS}")).await;
    assert!(text(&own).contains("Waived until 2026-06-30 by Lee Publisher"));

    // Recorded in the audit log and the change log, in one write.
    assert_eq!(
        server
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'waiver-granted' AND actor = '{LEEDS_PUBLISHER}' \
                 AND target = '/orgs/{LEEDS}/access#rule-MFA-01' AND detail LIKE 'MFA-01 until 2026-06-30: The legacy%'"
            ))
            .await,
        1
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM change_log WHERE entity = 'waiver'")
            .await,
        1
    );

    // Its last day still holds; the day after, it has lapsed and the rule fails again.
    clock.set(time::macros::datetime!(2026-06-30 23:00 UTC));
    let editor = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (row, _) = rule_row(&server, &editor, "MFA-01").await;
    assert!(row.contains(">Waived</strong>"), "{row}");
    clock.set(time::macros::datetime!(2026-07-01 08:00 UTC));
    let editor = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (row, page) = rule_row(&server, &editor, "MFA-01").await;
    assert!(row.contains(">Fail</strong>"), "{row}");
    assert!(
        row.contains("A waiver by Lee Publisher lapsed after 2026-06-30"),
        "{row}"
    );
    let not_met = page
        .split("must rule")
        .nth(1)
        .and_then(|rest| rest.split("</h3>").next())
        .unwrap_or_default();
    assert!(not_met.contains("MFA-01"), "{page}");
    let publisher = server.signed_in(LEEDS_PUBLISHER, PASSWORD).await;
    let (_, list) = server
        .get(&publisher, &format!("/orgs/{LEEDS}/access/waivers"))
        .await;
    assert!(list.contains("Lapsed"), "{list}");
    // A lapsed rule can be waived again.
    assert!(list.contains("<option value=\"MFA-01\""), "{list}");
}

#[tokio::test]
async fn a_withdrawn_waiver_leaves_the_rule_failing_and_is_kept_in_the_history() {
    let (server, _clock) = start().await;
    let publisher = server.signed_in(LEEDS_PUBLISHER, PASSWORD).await;
    let (status, _) = grant(
        &server,
        &publisher,
        LEEDS,
        "MFA-01",
        JUSTIFICATION,
        "2026-06-30",
    )
    .await;
    assert_eq!(status, 302);
    let id = server
        .count("SELECT MAX(id) FROM waivers")
        .await
        .to_string();

    // Another organisation's publisher cannot withdraw it, even naming their own organisation.
    let fife = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    for org in [LEEDS, "nhs-fife"] {
        let (status, _) = post_form(
            &server,
            &fife,
            "/api/waivers/withdraw",
            &[("org", org), ("id", &id)],
        )
        .await;
        assert!(status == 403 || status == 404, "{org}: {status}");
    }
    let editor = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    let (status, _) = post_form(
        &server,
        &editor,
        "/api/waivers/withdraw",
        &[("org", LEEDS), ("id", &id)],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM waivers WHERE withdrawn_at IS NULL")
            .await,
        1
    );

    let (status, to) = post_form(
        &server,
        &publisher,
        "/api/waivers/withdraw",
        &[("org", LEEDS), ("id", &id)],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (302, "/orgs/leeds-teaching-hospitals/access/waivers")
    );
    let (_, list) = server
        .get(&publisher, &format!("/orgs/{LEEDS}/access/waivers"))
        .await;
    assert!(list.contains("The waiver of MFA-01 is withdrawn"), "{list}");
    // Dated by the recorder, like every stored change.
    assert!(list.contains("Withdrawn by Lee Publisher on "), "{list}");
    let (row, _) = rule_row(&server, &publisher, "MFA-01").await;
    assert!(row.contains(">Fail</strong>"), "{row}");
    assert!(!row.contains("Waived until"), "{row}");
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'waiver-withdrawn' AND detail = 'MFA-01 (waived until 2026-06-30)'")
            .await,
        1
    );
    // Withdrawing twice changes nothing more.
    let (status, _) = post_form(
        &server,
        &publisher,
        "/api/waivers/withdraw",
        &[("org", LEEDS), ("id", &id)],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'waiver-withdrawn'")
            .await,
        1
    );
}

#[tokio::test]
async fn only_the_organisations_publishers_may_waive_and_only_failing_rules() {
    let (server, _clock) = start().await;
    let page = format!("/orgs/{LEEDS}/access/waivers");

    // Anonymous visitors, editors and another organisation's publisher: no page, no form, and
    // a crafted post is refused and stores nothing.
    let anonymous = crate::common::client();
    assert_eq!(server.get(&anonymous, &page).await.0, 401);
    assert_eq!(
        grant(
            &server,
            &anonymous,
            LEEDS,
            "MFA-01",
            JUSTIFICATION,
            "2026-06-30"
        )
        .await
        .0,
        401
    );
    let editor = server.signed_in(LEEDS_EDITOR, PASSWORD).await;
    assert_eq!(server.get(&editor, &page).await.0, 403);
    assert_eq!(
        grant(
            &server,
            &editor,
            LEEDS,
            "MFA-01",
            JUSTIFICATION,
            "2026-06-30"
        )
        .await
        .0,
        403
    );
    let fife = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    assert_eq!(server.get(&fife, &page).await.0, 403);
    assert_eq!(
        grant(&server, &fife, LEEDS, "MFA-01", JUSTIFICATION, "2026-06-30")
            .await
            .0,
        403
    );
    assert_eq!(waivers(&server).await, 0);

    // The publisher: a rule that passes, a last day too far ahead, an empty justification.
    let publisher = server.signed_in(LEEDS_PUBLISHER, PASSWORD).await;
    let (_, card) = server
        .get(&publisher, &format!("/orgs/{LEEDS}/access"))
        .await;
    let passing = text(&card)
        .split(" id=\"rule-")
        .skip(1)
        .find(|row| {
            row.split("</tr>")
                .next()
                .unwrap_or("")
                .contains(">Pass</strong>")
        })
        .and_then(|row| row.split('"').next().map(str::to_owned))
        .expect("a passing rule");
    let (status, to) = grant(
        &server,
        &publisher,
        LEEDS,
        &passing,
        JUSTIFICATION,
        "2026-06-30",
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (302, "/orgs/leeds-teaching-hospitals/access/waivers#waive")
    );
    let (_, back) = server.get(&publisher, &page).await;
    let back = text(&back);
    assert!(
        back.contains(&format!("{passing} does not fail on the configuration (its result is pass): only a failing rule can be waived")),
        "{back}"
    );
    assert!(back.contains("There is a problem"), "{back}");
    assert!(
        back.contains(JUSTIFICATION),
        "the justification is kept: {back}"
    );

    let (status, _) = grant(&server, &publisher, LEEDS, "MFA-01", "", "2027-03-16").await;
    assert_eq!(status, 302);
    let (_, back) = server.get(&publisher, &page).await;
    let back = text(&back);
    assert!(back.contains("Enter why the rule is waived"), "{back}");
    assert!(back.contains("2027-03-15 at the latest"), "{back}");
    assert!(
        back.contains("value=\"2027-03-16\""),
        "the date is kept: {back}"
    );
    assert!(
        back.contains("href=\"#waiver-until\""),
        "the summary links to the field: {back}"
    );
    assert_eq!(waivers(&server).await, 0);

    // Once waived, the rule cannot be waived twice.
    assert_eq!(
        grant(
            &server,
            &publisher,
            LEEDS,
            "MFA-01",
            JUSTIFICATION,
            "2026-06-30"
        )
        .await
        .0,
        302
    );
    let (_, to) = grant(
        &server,
        &publisher,
        LEEDS,
        "MFA-01",
        JUSTIFICATION,
        "2026-09-30",
    )
    .await;
    assert!(to.ends_with("#waive"), "{to}");
    let (_, back) = server.get(&publisher, &page).await;
    assert!(
        text(&back).contains("MFA-01 is already waived until 2026-06-30"),
        "{back}"
    );
    assert_eq!(waivers(&server).await, 1);
    // An organisation with no configuration has nothing to waive.
    let (status, _) = grant(
        &server,
        &fife,
        "nhs-tayside",
        "MFA-01",
        JUSTIFICATION,
        "2026-06-30",
    )
    .await;
    assert_eq!(status, 403);
}
