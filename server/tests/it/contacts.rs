//! Stakeholder contacts: only signed-in members see them, as each contact's visibility allows;
//! anonymous visitors are sent to sign in and learn nothing; every page view, vCard and export
//! is in the audit log; a member is refused beyond the hourly limit; vCards read back with an
//! independent parser (Python's `vobject`); the CSV import's dry run writes nothing and its
//! confirmation writes every valid row in one go; editors keep their own organisation's
//! contacts only; plans show their contacts; old contacts are flagged.

use crate::common::{post_form, unescaped as text, TestServer, PASSWORD};
use serde_json::Value;

const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const FIFE_EDITOR: &str = "callum.sampleton@fife.nhs.example";
const FIFE_PUBLISHER: &str = "morag.testwell@fife.nhs.example";
const BELFAST_EDITOR: &str = "niamh.sampleby@belfasttrust.hscni.example";
const ADMIN: &str = "admin@trustshare.localhost";

/// A network contact of Betsi Cadwaladr with a Welsh name and a comma in the job title.
const SIAN: &str = "sian-ni-bhriain";
/// An organisation-only contact of Belfast Trust.
const EOGHAN: &str = "eoghan-mcgrath";
/// A network contact of Belfast Trust last checked in January 2025.
const ROISIN: &str = "roisin-mac-giolla";

/// A server with the demo content (its contacts included), the demo users' passwords set, and
/// `per_hour` contacts a member may open in an hour; its clock stands at 1 December 2026, so
/// which demo contacts are over a year old does not change with the years.
async fn start(per_hour: u32) -> TestServer {
    let server = TestServer::builder()
        .clock(app::state::ManualClock::new(time::macros::datetime!(
            2026-12-01 10:00 UTC
        )))
        .configure(move |c| {
            c.contacts_per_hour = per_hour;
            c.sign_in.per_client_per_minute = 1000;
        })
        .start()
        .await;
    for user in [FIFE_READER, FIFE_EDITOR, FIFE_PUBLISHER, BELFAST_EDITOR] {
        server.set_password(user, PASSWORD);
    }
    server
}

async fn admin(server: &TestServer) -> reqwest::Client {
    server.signed_in(ADMIN, &server.admin_password).await
}

/// A GET with its status, `Content-Type`, `Location` and body.
async fn fetch(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
) -> (u16, String, String, String) {
    let response = client.get(server.url(path)).send().await.expect("GET");
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, location) = (header("content-type"), header("location"));
    (
        status,
        content_type,
        location,
        response.text().await.unwrap(),
    )
}

/// Audit entries of an action, as (actor, target, detail).
async fn audit(server: &TestServer, action: &str) -> Vec<(String, String, String)> {
    let db = server.db().await;
    sqlx::query_as("SELECT actor, target, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_learn_nothing() {
    let server = start(300).await;
    let anonymous = server.client();
    for path in [
        "/contacts",
        "/contacts?q=sian&org=nhs-fife",
        &format!("/contacts/{SIAN}"),
        "/contacts/nobody-at-all",
        &format!("/contacts/{SIAN}.vcf"),
        "/contacts/new",
        "/contacts/import",
        "/contacts.csv",
        "/contacts.vcf",
    ] {
        let (status, _, location, body) = fetch(&server, &anonymous, path).await;
        assert_eq!(status, 303, "{path}");
        assert!(
            location.starts_with("/login?next=%2Fcontacts"),
            "{path} goes to {location}"
        );
        assert!(
            !body.contains("Siân") && !body.contains("contacts"),
            "{path}: {body}"
        );
    }
    // The server functions refuse before counting anything.
    let response = anonymous
        .post(server.url("/api/contacts/list"))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(&[("query[q]", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body = response.text().await.unwrap();
    assert!(!body.contains("total") && !body.contains("Siân"), "{body}");
    // Nor does the header point anonymous visitors at the directory.
    let (_, home) = server.get(&anonymous, "/").await;
    assert!(!home.contains("href=\"/contacts\""));
    // After signing in, the directory is there.
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, page) = server.get(&reader, "/contacts").await;
    assert_eq!(status, 200);
    assert!(text(&page).contains("Siân Ní Bhriain"));
}

#[tokio::test]
async fn members_see_network_contacts_and_organisation_contacts_of_their_own_organisation() {
    let server = start(300).await;
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let belfast = server.signed_in(BELFAST_EDITOR, PASSWORD).await;
    let (status, page) = server
        .get(&fife, "/contacts?org=belfast-health-and-social-care-trust")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(page.contains("Aoife O'Neill"), "network contact listed");
    assert!(
        !page.contains("Eoghan McGrath"),
        "organisation-only contact hidden"
    );
    let (status, _) = server.get(&fife, &format!("/contacts/{EOGHAN}")).await;
    assert_eq!(status, 404, "same answer as a contact that does not exist");
    let (status, _) = server.get(&fife, "/contacts/nobody-at-all").await;
    assert_eq!(status, 404);
    let (status, page) = server.get(&belfast, &format!("/contacts/{EOGHAN}")).await;
    assert_eq!(status, 200);
    assert!(text(&page).contains("eoghan.mcgrath@belfasttrust.hscni.example"));

    // Filters and the name search, which ignores accents and apostrophes.
    for (query, found, not_found) in [
        ("q=sian", "Siân Ní Bhriain", "Aoife O'Neill"),
        ("q=oneill", "Aoife O'Neill", "Siân Ní Bhriain"),
        ("q=O%27Neill", "Aoife O'Neill", "Siân Ní Bhriain"),
        (
            "role=registration-authority-manager&nation=wales",
            "Gwenllïan Wyn",
            "Ealasaid Dunbar",
        ),
        (
            "initiative=Smartcards&nation=scotland",
            "Ealasaid Dunbar",
            "Gwenllïan Wyn",
        ),
    ] {
        let (status, page) = server.get(&fife, &format!("/contacts?{query}")).await;
        assert_eq!(status, 200, "{query}");
        let page = text(&page);
        assert!(page.contains(found), "{query} finds {found}");
        assert!(!page.contains(not_found), "{query} leaves out {not_found}");
    }
    // Pages of 20: an administrator sees every one of the 24 demo contacts, on two pages.
    let admin = admin(&server).await;
    let (_, first) = server.get(&admin, "/contacts").await;
    assert!(text(&first).contains("24 contacts"));
    assert!(
        first.contains("href=\"/contacts?page=2\""),
        "pagination link"
    );
    assert_eq!(first.matches("class=\"ts-result\"").count(), 20);
    let (status, second) = server.get(&admin, "/contacts?page=2").await;
    assert_eq!(status, 200);
    assert_eq!(second.matches("class=\"ts-result\"").count(), 4);
    // The list never shows email addresses: only each contact's (counted) page does.
    assert!(!first.contains("@bcuhb.wales.nhs.example"));
}

#[tokio::test]
async fn every_view_and_card_is_audited_and_the_hourly_limit_refuses_beyond_it() {
    let server = start(3).await;
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    for slug in [SIAN, "aoife-o-neill", ROISIN] {
        let (status, _) = server.get(&reader, &format!("/contacts/{slug}")).await;
        assert_eq!(status, 200, "{slug}");
    }
    // Opening one of them again, page or card, costs nothing more.
    let (status, _) = server.get(&reader, &format!("/contacts/{SIAN}")).await;
    assert_eq!(status, 200);
    let (status, _, _, _) = fetch(&server, &reader, &format!("/contacts/{SIAN}.vcf")).await;
    assert_eq!(status, 200);
    // A fourth contact is refused, page and card alike, with what the limit is.
    let (status, page) = server.get(&reader, "/contacts/padraig-o-ceallaigh").await;
    assert_eq!(status, 429);
    let page = text(&page);
    assert!(
        page.contains("You have reached the limit for now"),
        "{page}"
    );
    assert!(
        page.contains("opened 3 different contacts in the last hour"),
        "{page}"
    );
    assert!(
        !page.contains("padraig.oceallaigh@"),
        "no details on refusal"
    );
    let (status, _, _, body) = fetch(&server, &reader, "/contacts/padraig-o-ceallaigh.vcf").await;
    assert_eq!(status, 429);
    assert!(!body.contains("BEGIN:VCARD"));
    // Another member has a limit of their own.
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let (status, _) = server.get(&editor, "/contacts/padraig-o-ceallaigh").await;
    assert_eq!(status, 200);

    // Who opened what, how, recorded; the refusals are not.
    let views = audit(&server, "contact-viewed").await;
    let mine: Vec<_> = views.iter().filter(|(a, _, _)| a == FIFE_READER).collect();
    assert_eq!(mine.len(), 4, "{views:?}");
    assert_eq!(mine[0].1, format!("/contacts/{SIAN}"));
    assert_eq!(mine[0].2, "page");
    let cards = audit(&server, "contact-card-downloaded").await;
    assert_eq!(
        cards,
        [(
            FIFE_READER.to_owned(),
            format!("/contacts/{SIAN}"),
            "vCard".to_owned()
        )]
    );
    let db = server.db().await;
    let at: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT at, client_addr FROM audit_log WHERE action = 'contact-viewed'")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert!(at
        .iter()
        .all(|(at, addr)| at.ends_with('Z') && addr.is_some()));
}

/// Reads vCards with Python's `vobject` package, an implementation independent of ours: each
/// card's properties as JSON (`{name: [{value, params}]}`, values unescaped, structured values
/// as lists).
fn parse_with_vobject(cards: &str) -> Value {
    const SCRIPT: &str = r#"
import json, sys
import vobject

def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "family"):
        return {"family": value.family, "given": value.given}
    if hasattr(value, "name") and hasattr(value, "units"):
        return [value.name] + list(value.units)
    return str(value)

out = []
for card in vobject.readComponents(sys.stdin.read(), validate=True):
    props = {}
    for line in card.getChildren():
        props.setdefault(line.name.lower(), []).append({
            "value": plain(line.value),
            "params": {k: v for k, v in line.params.items()},
        })
    out.append(props)
print(json.dumps(out, ensure_ascii=False))
"#;
    crate::common::python_json("vobject", SCRIPT, cards)
}

fn first_value(card: &Value, name: &str) -> Value {
    card[name][0]["value"].clone()
}

#[tokio::test]
async fn a_vcard_reads_back_with_an_independent_parser_with_its_accents_and_escapes() {
    let server = start(300).await;
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, content_type, _, body) =
        fetch(&server, &reader, &format!("/contacts/{SIAN}.vcf")).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/vcard; charset=utf-8");
    assert!(body.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
    assert!(
        body.split("\r\n").all(|line| line.len() <= 75),
        "folded at 75 octets: {body}"
    );
    let cards = parse_with_vobject(&body);
    let card = &cards[0];
    assert_eq!(first_value(card, "version"), "4.0");
    assert_eq!(first_value(card, "fn"), "Siân Ní Bhriain");
    assert_eq!(
        first_value(card, "n"),
        serde_json::json!({"family": "Ní Bhriain", "given": "Siân"})
    );
    assert_eq!(
        first_value(card, "title"),
        "Programme manager, single sign-on",
        "the escaped comma reads back as a comma"
    );
    assert_eq!(
        first_value(card, "org"),
        serde_json::json!([
            "Betsi Cadwaladr University Health Board",
            "Digital programmes"
        ])
    );
    assert_eq!(first_value(card, "role"), "Project manager");
    assert_eq!(
        first_value(card, "email"),
        "sian.nibhriain@bcuhb.wales.nhs.example"
    );
    assert_eq!(first_value(card, "tel"), "tel:+441632960101");

    // A name with an apostrophe, a role list with an escaped comma.
    let (_, _, _, body) = fetch(&server, &reader, "/contacts/dafydd-ap-gruffydd.vcf").await;
    let card = &parse_with_vobject(&body)[0];
    assert_eq!(
        first_value(card, "n"),
        serde_json::json!({"family": "ap Gruffydd", "given": "Dafydd"})
    );
    assert_eq!(
        first_value(card, "role"),
        "Clinical lead, Clinical safety officer"
    );
    let (_, _, _, body) = fetch(&server, &reader, "/contacts/aoife-o-neill.vcf").await;
    assert_eq!(
        first_value(&parse_with_vobject(&body)[0], "fn"),
        "Aoife O'Neill"
    );

    // The filtered list as vCards, for an administrator: one card per contact.
    let admin = admin(&server).await;
    let (status, content_type, _, body) =
        fetch(&server, &admin, "/contacts.vcf?nation=wales").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/vcard; charset=utf-8");
    let cards = parse_with_vobject(&body);
    let names: Vec<Value> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| first_value(c, "fn"))
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.contains(&Value::from("Gwenllïan Wyn")));
    let exports = audit(&server, "contacts-exported").await;
    assert_eq!(
        exports,
        [(
            ADMIN.to_owned(),
            "/contacts.vcf".to_owned(),
            "5 contacts; nation=wales".to_owned()
        )]
    );
}

#[tokio::test]
async fn csv_export_is_for_administrators_and_their_own_organisations_publishers() {
    let server = start(300).await;
    for who in [FIFE_READER, FIFE_EDITOR] {
        let client = server.signed_in(who, PASSWORD).await;
        let (status, _, _, body) = fetch(&server, &client, "/contacts.csv").await;
        assert_eq!(status, 403, "{who}");
        assert!(!body.contains('@'));
    }
    let publisher = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    let (status, content_type, _, body) = fetch(&server, &publisher, "/contacts.csv").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("name,job_title,organisation,roles,email,phone,team,initiatives,last_verified,visibility")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "NHS Fife's three contacts: {body}");
    assert!(rows.iter().all(|r| r.contains(",nhs-fife,")));
    assert!(body.contains("Màiri NicLeòid"));
    let (status, _, _, _) = fetch(
        &server,
        &publisher,
        "/contacts.csv?org=belfast-health-and-social-care-trust",
    )
    .await;
    assert_eq!(status, 403, "another organisation's contacts");
    let admin = admin(&server).await;
    let (status, _, _, body) = fetch(&server, &admin, "/contacts.csv").await;
    assert_eq!(status, 200);
    assert_eq!(
        body.lines().count(),
        25,
        "every demo contact and the header"
    );
    let exports = audit(&server, "contacts-exported").await;
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert_eq!(exports[0].0, FIFE_PUBLISHER);
    assert_eq!(exports[0].2, "3 contacts");
}

const HEADER: &str =
    "name,job_title,organisation,roles,email,phone,team,initiatives,last_verified,visibility";

/// Posts the import form; returns the status and where it leads.
async fn import(
    server: &TestServer,
    client: &reqwest::Client,
    csv: &str,
    action: &str,
    checked: &str,
) -> (u16, String) {
    post_form(
        server,
        client,
        "/api/contacts/import",
        &[
            ("form[csv]", csv),
            ("form[action]", action),
            ("form[checked]", checked),
        ],
    )
    .await
}

/// The fingerprint the dry run put in the import form.
fn checked_of(page: &str) -> String {
    crate::common::input_value(page, "form[checked]").expect("the checked text's fingerprint")
}

#[tokio::test]
async fn the_csv_dry_run_writes_nothing_and_the_confirmation_writes_every_valid_row_in_one_go() {
    let server = start(300).await;
    let publisher = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    let contacts = "SELECT COUNT(*) FROM contacts";
    let before = server.count(contacts).await;
    let csv = format!(
        "{HEADER}\n\
         \"Eilidh Ní Dhomhnaill\",\"Lead, smartcards\",nhs-fife,Registration authority manager; Trainer,eilidh@fife.nhs.example,01632 960901,,Smartcards,2026-10-01,network\n\
         \"Seumas O'Hara\",,nhs-fife,it-lead,seumas@fife.nhs.example,,,,2026-10-01,organisation\n\
         Bad Email,,nhs-fife,it-lead,not-an-email,,,,2026-10-01,network\n\
         Bad Phone,,nhs-fife,it-lead,phone@fife.nhs.example,12345,,,2026-10-01,network\n\
         Unknown Org,,nhs-nowhere,it-lead,org@fife.nhs.example,,,,2026-10-01,network\n\
         Unknown Role,,nhs-fife,chief cook,role@fife.nhs.example,,,,2026-10-01,network\n\
         Already There,,nhs-fife,it-lead,mairi.nicleoid@fife.nhs.example,,,,2026-10-01,network\n\
         Twice Over,,nhs-fife,it-lead,seumas@fife.nhs.example,,,,2026-10-01,network\n\
         Other Board,,belfast-health-and-social-care-trust,it-lead,other@belfast.example,,,,2026-10-01,network\n\
         Public One,,nhs-fife,it-lead,public@fife.nhs.example,,,,2026-10-01,public\n"
    );
    let (status, location) = import(&server, &publisher, &csv, "check", "").await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/contacts/import#report")
    );
    assert_eq!(
        server.count(contacts).await,
        before,
        "the dry run writes nothing"
    );
    let (status, page) = server.get(&publisher, "/contacts/import").await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("2 rows can be imported; 8 rows have problems"),
        "{page}"
    );
    for problem in [
        "Enter an email address in the correct format",
        "Telephone: \"12345\" is not a telephone number",
        "Organisation: unknown organisation \"nhs-nowhere\"",
        "Roles: unknown role \"chief cook\"",
        "Duplicate: a contact with this email address is already in the directory",
        "Duplicate: the same email address as the row on line 3",
        "Organisation: you can import contacts only for your own organisation",
        "contacts are never public",
    ] {
        assert!(page.contains(problem), "{problem} missing from {page}");
    }
    assert!(
        page.contains("Eilidh Ní Dhomhnaill"),
        "the text is kept in the form"
    );
    assert!(page.contains("Import 2 contacts"));
    let checked = checked_of(&page);

    // A text changed after its dry run is checked again, not imported.
    let changed = csv.replace("Seumas", "Séamus");
    let (_, location) = import(&server, &publisher, &changed, "import", &checked).await;
    assert_eq!(location, "/contacts/import#report");
    assert_eq!(server.count(contacts).await, before);

    // The confirmation of the checked text writes its two valid rows.
    let (status, location) = import(&server, &publisher, &csv, "import", &checked).await;
    assert_eq!((status, location.as_str()), (302, "/contacts"));
    assert_eq!(server.count(contacts).await, before + 2);
    let (_, page) = server.get(&publisher, "/contacts").await;
    assert!(text(&page).contains("Imported 2 contacts; 8 rows with problems were left out"));
    let (status, page) = server
        .get(&publisher, "/contacts/eilidh-ni-dhomhnaill")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(
        page.contains("Lead, smartcards")
            && page.contains("Registration authority manager, Trainer")
    );
    let created = audit(&server, "contact-created").await;
    let imported: Vec<_> = created
        .iter()
        .filter(|(_, _, d)| d == "CSV import")
        .collect();
    assert_eq!(imported.len(), 2);
    assert_eq!(
        audit(&server, "contacts-imported").await,
        [(
            FIFE_PUBLISHER.to_owned(),
            "/contacts/import".to_owned(),
            "2 contacts".to_owned()
        )]
    );

    // A file with nothing valid imports nothing, even when confirmed.
    let bad =
        format!("{HEADER}\nNo Roles,,nhs-fife,,none@fife.nhs.example,,,,2026-10-01,network\n");
    import(&server, &publisher, &bad, "check", "").await;
    let (_, page) = server.get(&publisher, "/contacts/import").await;
    let page = text(&page);
    assert!(
        page.contains("0 rows can be imported; 1 row has problems"),
        "{page}"
    );
    assert!(!page.contains("Import 0"), "no import button");
    let fingerprint = checked_of(&page);
    let before = server.count(contacts).await;
    let (_, location) = import(&server, &publisher, &bad, "import", &fingerprint).await;
    assert_eq!(location, "/contacts/import#report");
    assert_eq!(server.count(contacts).await, before);
    // A file without its columns is refused as a whole.
    import(&server, &publisher, "name,colour\nA,red\n", "check", "").await;
    let (_, page) = server.get(&publisher, "/contacts/import").await;
    assert!(text(&page).contains("The file cannot be imported"));

    // Readers and editors may not import at all.
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let (status, _) = import(&server, &editor, &csv, "check", "").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn editors_keep_their_own_organisations_contacts_and_crafted_forms_change_nothing_else() {
    let server = start(300).await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let form = |name: &str, email: &str, org: &str| {
        vec![
            ("form[slug]".to_owned(), String::new()),
            ("form[version]".to_owned(), "0".to_owned()),
            ("form[name]".to_owned(), name.to_owned()),
            ("form[job_title]".to_owned(), "Digital lead".to_owned()),
            ("form[org]".to_owned(), org.to_owned()),
            ("form[roles][it-lead]".to_owned(), "yes".to_owned()),
            ("form[email]".to_owned(), email.to_owned()),
            ("form[phone]".to_owned(), "01632 960999".to_owned()),
            ("form[last_verified]".to_owned(), "2026-11-01".to_owned()),
            ("form[visibility]".to_owned(), "network".to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let editor = editor.clone();
        let server = &server;
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_form(server, &editor, "/api/contacts/save", &pairs).await
        }
    };
    // A mistake comes back with its message and everything typed.
    let (status, location) = post(form("Branwen O'Reilly", "not-an-email", "nhs-fife")).await;
    assert_eq!((status, location.as_str()), (302, "/contacts/new"));
    let (_, page) = server.get(&editor, "/contacts/new").await;
    let page = text(&page);
    assert!(page.contains("There is a problem"));
    assert!(page.contains("Enter an email address in the correct format"));
    assert!(
        page.contains("value=\"Branwen O'Reilly\""),
        "typed name kept"
    );
    // Another organisation named in the form is refused, whatever the form says.
    let (_, location) = post(form(
        "Branwen O'Reilly",
        "branwen@fife.nhs.example",
        "nhs-lothian",
    ))
    .await;
    assert_eq!(location, "/contacts/new");
    let (_, page) = server.get(&editor, "/contacts/new").await;
    assert!(text(&page).contains("you can add and change contacts only for your own organisation"));
    // Right: saved, recorded, listed.
    let (_, location) = post(form(
        "Branwen O'Reilly",
        "branwen@fife.nhs.example",
        "nhs-fife",
    ))
    .await;
    assert_eq!(location, "/contacts/branwen-oreilly");
    assert_eq!(
        audit(&server, "contact-created")
            .await
            .iter()
            .filter(|(a, t, _)| a == FIFE_EDITOR && t == "/contacts/branwen-oreilly")
            .count(),
        1
    );
    // Another organisation's contact: the editor and a crafted save are refused.
    let (status, _) = server.get(&editor, "/contacts/aoife-o-neill/edit").await;
    assert_eq!(status, 403);
    let mut crafted = form(
        "Aoife O'Neill",
        "aoife.oneill@belfasttrust.hscni.example",
        "nhs-fife",
    );
    crafted[0].1 = "aoife-o-neill".to_owned();
    let (status, _) = post(crafted).await;
    assert_eq!(status, 403);
    let (status, _) = post_form(
        &server,
        &editor,
        "/api/contacts/archive",
        &[
            ("form[slug]", "aoife-o-neill"),
            ("form[version]", "0"),
            ("form[action]", "archive"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    // A reader may not add contacts.
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, _) = server.get(&reader, "/contacts/new").await;
    assert_eq!(status, 403);

    // Archiving takes the contact out of the directory for readers; its editors restore it.
    let (status, _) = post_form(
        &server,
        &editor,
        "/api/contacts/archive",
        &[
            ("form[slug]", "branwen-oreilly"),
            ("form[version]", "0"),
            ("form[action]", "archive"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    let (status, _) = server.get(&reader, "/contacts/branwen-oreilly").await;
    assert_eq!(status, 404);
    let (_, page) = server.get(&reader, "/contacts?q=branwen").await;
    assert!(!page.contains("/contacts/branwen-oreilly"));
    let (status, page) = server.get(&editor, "/contacts/branwen-oreilly").await;
    assert_eq!(status, 200);
    assert!(text(&page).contains("Restore to the directory"));
    post_form(
        &server,
        &editor,
        "/api/contacts/archive",
        &[
            ("form[slug]", "branwen-oreilly"),
            ("form[version]", "1"),
            ("form[action]", "restore"),
        ],
    )
    .await;
    let (status, _) = server.get(&reader, "/contacts/branwen-oreilly").await;
    assert_eq!(status, 200);
    assert_eq!(audit(&server, "contact-archived").await.len(), 1);
    assert_eq!(audit(&server, "contact-restored").await.len(), 1);
    let changes = server
        .count("SELECT COUNT(*) FROM change_log WHERE entity = 'contact'")
        .await;
    assert!(changes >= 3 + 24, "{changes}");
}

#[tokio::test]
async fn plans_show_the_contacts_the_viewer_may_see_and_contacts_list_their_plans() {
    let server = start(300).await;
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (status, page) = server
        .get(&reader, "/plans/betsi-cadwaladr-sso-rollout")
        .await;
    assert_eq!(status, 200);
    let page = text(&page);
    assert!(page.contains("Stakeholder contacts"));
    assert!(page.contains("href=\"/contacts/sian-ni-bhriain\""));
    assert!(page.contains("Programme manager"));
    // The plan is public: anonymous readers get the plan and not its contacts.
    let (status, page) = server
        .get(&server.client(), "/plans/betsi-cadwaladr-sso-rollout")
        .await;
    assert_eq!(status, 200);
    assert!(!page.contains("/contacts/sian-ni-bhriain") && !page.contains("Stakeholder contacts"));
    // Not even the directory name, in the page's data.
    assert!(!page.contains("sian-ni-bhriain"), "{page}");
    // The contact's page names the plan, and the plan's coming events.
    let (_, page) = server.get(&reader, &format!("/contacts/{SIAN}")).await;
    let page = text(&page);
    assert!(
        page.contains("href=\"/plans/betsi-cadwaladr-sso-rollout\""),
        "{page}"
    );
    assert!(
        page.contains("North Wales</a>: Programme manager"),
        "{page}"
    );
    // The contacts of a plan one may not read: not found.
    let response = reader
        .post(server.url("/api/contacts/of-plan"))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(&[("slug", "no-such-plan")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn contacts_not_verified_for_a_year_are_flagged_to_readers_and_their_publishers() {
    let server = start(300).await;
    let reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let (_, page) = server.get(&reader, &format!("/contacts/{ROISIN}")).await;
    assert!(text(&page).contains("Not verified since 2025-01-15"));
    let (_, page) = server.get(&reader, &format!("/contacts/{SIAN}")).await;
    assert!(!text(&page).contains("Not verified since"));
    let (_, list) = server
        .get(
            &reader,
            "/contacts?org=belfast-health-and-social-care-trust",
        )
        .await;
    assert!(text(&list).contains("Not verified since 2025-01-15"));
    // The review page: Belfast's contact is for administrators and Belfast's publishers, not
    // NHS Fife's.
    let publisher = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    let (_, review) = server.get(&publisher, "/review").await;
    assert!(!review.contains(&format!("/contacts/{ROISIN}")));
    let admin = admin(&server).await;
    let (status, review) = server.get(&admin, "/review").await;
    assert_eq!(status, 200);
    let review = text(&review);
    assert!(review.contains("Contacts not verified for a year"));
    assert!(review.contains(&format!("/contacts/{ROISIN}")));
    assert!(!review.contains(&format!("/contacts/{SIAN}")));
}

/// A CSV file posted as a browser sends the import's upload form.
async fn upload(server: &TestServer, client: &reqwest::Client, file: &[u8]) -> (u16, String) {
    let boundary = "----trustshare-contacts-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client
        .post(server.url("/api/contacts/upload"))
        .header("origin", &server.base)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        crate::common::location(&response),
    )
}

#[tokio::test]
async fn an_uploaded_csv_file_is_checked_and_carried_in_the_form_to_the_confirmation() {
    let server = start(300).await;
    let file = format!(
        "{HEADER}\r\n\"Cadi ap Rhys\",,nhs-fife,Trainer,cadi@fife.nhs.example,,,,2026-10-01,network\r\n"
    );
    let (status, _) = upload(&server, &server.client(), file.as_bytes()).await;
    assert_eq!(status, 401);
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let (status, _) = upload(&server, &editor, file.as_bytes()).await;
    assert_eq!(status, 403);
    let publisher = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    let before = server.count("SELECT COUNT(*) FROM contacts").await;
    let (status, location) = upload(&server, &publisher, file.as_bytes()).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/contacts/import#report")
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM contacts").await, before);
    let (_, page) = server.get(&publisher, "/contacts/import").await;
    let page = text(&page);
    assert!(
        page.contains("1 row can be imported; 0 rows have problems"),
        "{page}"
    );
    assert!(
        page.contains("Cadi ap Rhys\",,nhs-fife"),
        "the file's text is in the form"
    );
    let checked = checked_of(&page);
    let (_, location) = import(&server, &publisher, &file, "import", &checked).await;
    assert_eq!(location, "/contacts");
    assert_eq!(
        server.count("SELECT COUNT(*) FROM contacts").await,
        before + 1
    );
    // A file that is not UTF-8 is refused with a reason, and nothing is kept.
    let (_, location) = upload(&server, &publisher, &[0xff, 0xfe, 0x00]).await;
    assert_eq!(location, "/contacts/import#report");
    let (_, page) = server.get(&publisher, "/contacts/import").await;
    assert!(text(&page).contains("The file is not UTF-8 text"));
}
