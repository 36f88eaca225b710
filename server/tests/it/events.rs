//! Schedules: events, their recurrence across daylight-saving changes, the iCalendar feeds read
//! back by an independent parser (Python's `icalendar` package, with `dateutil` expanding the
//! rules), SEQUENCE raised on every change, who sees which event, the pages and the importer.

use crate::common::{
    content_tree, input_value, post_form, repo_root, TempDir, TestServer, PASSWORD,
};
use app::state::ManualClock;
use serde_json::Value;
use time::macros::datetime;

const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const LOTHIAN_EDITOR: &str = "ravi.specimen@lothian.nhs.example";
const TAYSIDE_READER: &str = "duncan.trialford@tayside.nhs.example";
const FIFE_EDITOR: &str = "callum.sampleton@fife.nhs.example";
const FIFE_PUBLISHER: &str = "morag.testwell@fife.nhs.example";

/// The demo organisations, users and NHS Fife's plan, with these event files (name, text).
fn tree(events: &[(&str, String)]) -> TempDir {
    let root = repo_root().join("content");
    let mut files: Vec<(String, String)> = Vec::new();
    for dir in ["organisations", "users"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((
                format!("{dir}/{name}"),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    let plan = "plans/nhs-fife-sso-rollout.md";
    files.push((
        plan.into(),
        std::fs::read_to_string(root.join(plan)).unwrap(),
    ));
    for (name, text) in events {
        files.push((format!("events/{name}.md"), text.clone()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    content_tree(&refs)
}

/// An event file: front matter lines, then the description.
fn event(lines: &[&str], description: &str) -> String {
    format!("---\n{}\n---\n{description}\n", lines.join("\n"))
}

/// A server on `content` whose clock stands at `now`.
async fn server_at(content: &TempDir, now: time::OffsetDateTime) -> TestServer {
    TestServer::builder()
        .content_dir(content.0.clone())
        .clock(ManualClock::new(now))
        .start()
        .await
}

async fn event_id(server: &TestServer, slug: &str) -> i64 {
    let db = server.db().await;
    sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("event {slug} was not imported: {e}"))
}

/// A GET with its status, `Content-Type` and body.
async fn fetch(server: &TestServer, client: &reqwest::Client, path: &str) -> (u16, String, String) {
    let response = client.get(server.url(path)).send().await.expect("GET");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.expect("body"))
}

/// The events list as its server function answers it (JSON).
async fn listed(server: &TestServer, client: &reqwest::Client, form: &[(&str, &str)]) -> Value {
    let response = client
        .post(server.url("/api/events/list"))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// Reads a feed with Python's `icalendar` package, an implementation independent of ours, and
/// expands each rule with `dateutil` (which it depends on): every VTIMEZONE and VEVENT as JSON.
fn parse_with_python(feed: &str) -> Value {
    const SCRIPT: &str = r#"
import itertools, json, sys
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

cal = Calendar.from_ical(sys.stdin.buffer.read())

def text(prop):
    value = prop.to_ical()
    return value.decode() if isinstance(value, bytes) else value

def when(prop):
    return {"value": prop.dt.isoformat(), "tzid": prop.params.get("TZID")}

out = {"calendar": {k: str(v) for k, v in cal.items()}, "timezones": [], "events": []}
for c in cal.walk():
    if c.name == "VTIMEZONE":
        out["timezones"].append({
            "tzid": str(c["TZID"]),
            "parts": [{"name": p.name, "rrule": dict(p["RRULE"]), "to": text(p["TZOFFSETTO"])} for p in c.subcomponents],
        })
    if c.name != "VEVENT":
        continue
    e = {
        "uid": str(c["UID"]),
        "sequence": int(c.get("SEQUENCE", 0)),
        "summary": str(c.get("SUMMARY", "")),
        "description": str(c.get("DESCRIPTION", "")),
        "location": str(c.get("LOCATION", "")),
        "status": str(c.get("STATUS", "")),
        "start": when(c["DTSTART"]),
        "end": when(c["DTEND"]),
    }
    if "RECURRENCE-ID" in c:
        e["recurrence_id"] = when(c["RECURRENCE-ID"])
    exdates = c.get("EXDATE", [])
    if not isinstance(exdates, list):
        exdates = [exdates]
    e["exdates"] = [d.dt.isoformat() for x in exdates for d in x.dts]
    if "RRULE" in c:
        e["rrule"] = dict(c["RRULE"])
        rules = rruleset()
        rules.rrule(rrulestr(text(c["RRULE"]), dtstart=c["DTSTART"].dt))
        for x in exdates:
            for d in x.dts:
                rules.exdate(d.dt)
        e["occurrences"] = [d.isoformat() for d in itertools.islice(rules, 12)]
    out["events"].append(e)
print(json.dumps(out))
"#;
    crate::common::python_json("icalendar", SCRIPT, feed)
}

fn events_with_uid<'a>(parsed: &'a Value, uid: &str) -> Vec<&'a Value> {
    parsed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["uid"] == uid)
        .collect()
}

fn monthly_meeting() -> String {
    event(
        &[
            "title: Monthly board sync",
            "kind: project-update-meeting",
            "organisation: nhs-fife",
            "start: 2026-01-06T10:00",
            "end: 2026-01-06T11:00",
            "visibility: public",
            "status: confirmed",
            "repeat: FREQ=MONTHLY;BYDAY=1TU;COUNT=12",
        ],
        "First Tuesday of the month.",
    )
}

#[tokio::test]
async fn a_ten_oclock_meeting_stays_at_ten_local_time_across_daylight_saving_changes() {
    let content = tree(&[("monthly", monthly_meeting())]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    // The meetings alone, not the plan's milestones.
    let list = listed(
        &server,
        &server.client(),
        &[
            ("query[when]", "upcoming"),
            ("query[kind]", "project-update-meeting"),
        ],
    )
    .await;
    let items = list["items"].as_array().unwrap();
    let whens: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            (
                i["when"]["start"].as_str().unwrap().to_owned(),
                i["when"]["start_utc"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(whens.len(), 12, "{whens:?}");
    assert!(
        whens.iter().all(|(local, _)| local.ends_with("T10:00")),
        "{whens:?}"
    );
    // GMT in March, BST in April to October (clocks change on 29 March and 25 October 2026),
    // GMT again in November: the same 10:00 is a different instant.
    for (local, utc) in [
        ("2026-03-03T10:00", "2026-03-03T10:00:00Z"),
        ("2026-04-07T10:00", "2026-04-07T09:00:00Z"),
        ("2026-10-06T10:00", "2026-10-06T09:00:00Z"),
        ("2026-11-03T10:00", "2026-11-03T10:00:00Z"),
    ] {
        assert!(
            whens.contains(&(local.to_owned(), utc.to_owned())),
            "{local} should be {utc}: {whens:?}"
        );
    }
    let (status, _, page) = fetch(&server, &server.client(), "/events").await;
    assert_eq!(status, 200);
    assert!(page.contains(
        r#"<time datetime="2026-03-03T10:00+00:00">Tuesday 3 March 2026, 10:00 to 11:00</time>"#
    ));
    assert!(page.contains(
        r#"<time datetime="2026-04-07T10:00+01:00">Tuesday 7 April 2026, 10:00 to 11:00</time>"#
    ));

    // An independent expansion of the feed's rule in its time zone agrees.
    let id = event_id(&server, "monthly").await;
    let (_, _, feed) = fetch(&server, &server.client(), &format!("/events/{id}.ics")).await;
    let parsed = parse_with_python(&feed);
    let master = &parsed["events"][0];
    let occurrences: Vec<&str> = master["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(occurrences.len(), 12);
    assert_eq!(occurrences[2], "2026-03-03T10:00:00+00:00");
    assert_eq!(occurrences[3], "2026-04-07T10:00:00+01:00");
    assert_eq!(occurrences[10], "2026-11-03T10:00:00+00:00");
}

fn quarterly_meeting() -> String {
    event(
        &[
            "title: \"Quarterly update: boards, risks; lessons\"",
            "kind: project-update-meeting",
            "organisation: nhs-scotland-national-services",
            "taking_part: [nhs-fife, nhs-tayside]",
            "initiative: Single sign-on rollout",
            "start: 2026-01-06T10:00",
            "end: 2026-01-06T12:00",
            "location: Gyle Square, Edinburgh",
            "online_meeting: https://meet.example.nhs.uk/quarterly",
            "visibility: public",
            "status: confirmed",
            "repeat: FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU",
            "cancelled: [2026-04-07T10:00]",
            "moved:",
            "  - from: 2027-01-05T10:00",
            "    start: 2027-01-12T14:00",
            "    end: 2027-01-12T16:00",
        ],
        "Agenda, in order: round of boards; risks, shared; lessons from a guest board. \
         A long paragraph follows so that the description must be folded over several lines of the feed, \
         with accents like Ysbyty Glan Clwyd's café and a backslash \\ too.\n\nSecond paragraph.",
    )
}

fn go_live() -> String {
    event(
        &[
            "title: Community hubs go live",
            "kind: go-live",
            "organisation: nhs-fife",
            "plan: nhs-fife-sso-rollout",
            "start: 2027-01-19",
            "end: 2027-01-19",
            "visibility: public",
            "status: planned",
        ],
        "The last hubs.",
    )
}

fn cancelled_briefing() -> String {
    event(
        &[
            "title: Supplier briefing",
            "kind: other",
            "organisation: example-access-solutions",
            "start: 2026-12-15T14:00",
            "end: 2026-12-15T15:30",
            "online_meeting: https://webinar.example.com/briefing",
            "visibility: public",
            "status: cancelled",
        ],
        "",
    )
}

#[tokio::test]
async fn feeds_read_back_by_an_independent_parser_hold_the_expected_events() {
    let content = tree(&[
        ("quarterly", quarterly_meeting()),
        ("hubs", go_live()),
        ("briefing", cancelled_briefing()),
    ]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    let quarterly = event_id(&server, "quarterly").await;
    let hubs = event_id(&server, "hubs").await;
    let briefing = event_id(&server, "briefing").await;
    let uid = |id: i64| format!("event-{id}@127.0.0.1");

    let (status, content_type, feed) = fetch(&server, &server.client(), "/events.ics").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    // Every line ends with CRLF and none is longer than 75 octets; long ones are folded.
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    for line in feed.split("\r\n") {
        assert!(!line.contains('\n'), "bare line feed in {line:?}");
        assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
    }
    assert!(feed.contains("\r\n "), "the long description is folded");

    let parsed = parse_with_python(&feed);
    assert_eq!(parsed["calendar"]["VERSION"], "2.0");
    assert_eq!(parsed["calendar"]["METHOD"], "PUBLISH");
    let zones = parsed["timezones"].as_array().unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0]["tzid"], "Europe/London");
    let daylight = zones[0]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "DAYLIGHT")
        .expect("a DAYLIGHT part");
    assert_eq!(
        daylight["rrule"],
        serde_json::json!({"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]})
    );
    assert_eq!(daylight["to"], "+0100");

    let series = events_with_uid(&parsed, &uid(quarterly));
    assert_eq!(series.len(), 2, "the series and its moved occurrence");
    let master = series
        .iter()
        .find(|e| e.get("recurrence_id").is_none())
        .unwrap();
    assert_eq!(
        master["summary"],
        "Quarterly update: boards, risks; lessons"
    );
    assert_eq!(master["sequence"], 0);
    assert_eq!(master["status"], "CONFIRMED");
    assert_eq!(master["start"]["value"], "2026-01-06T10:00:00+00:00");
    assert_eq!(master["start"]["tzid"], "Europe/London");
    assert_eq!(master["end"]["value"], "2026-01-06T12:00:00+00:00");
    assert_eq!(
        master["rrule"],
        serde_json::json!({"FREQ": ["YEARLY"], "BYMONTH": [1, 4, 7, 10], "BYDAY": ["1TU"]})
    );
    assert_eq!(
        master["exdates"],
        serde_json::json!(["2026-04-07T10:00:00+01:00"])
    );
    assert_eq!(master["location"], "Gyle Square, Edinburgh");
    let description = master["description"].as_str().unwrap();
    assert!(
        description.starts_with("Agenda, in order: round of boards; risks, shared; lessons"),
        "{description}"
    );
    assert!(
        description.contains("café and a backslash \\ too.\n\nSecond paragraph."),
        "{description}"
    );
    assert!(
        description.contains("Taking part: NHS Fife, NHS Tayside."),
        "{description}"
    );
    assert!(description.contains("Join online: https://meet.example.nhs.uk/quarterly"));
    let occurrences = master["occurrences"].to_string();
    assert!(
        occurrences.contains("2026-07-07T10:00:00+01:00"),
        "{occurrences}"
    );
    assert!(
        !occurrences.contains("2026-04-07"),
        "cancelled: {occurrences}"
    );
    let moved = series
        .iter()
        .find(|e| e.get("recurrence_id").is_some())
        .unwrap();
    assert_eq!(moved["recurrence_id"]["value"], "2027-01-05T10:00:00+00:00");
    assert_eq!(moved["recurrence_id"]["tzid"], "Europe/London");
    assert_eq!(moved["start"]["value"], "2027-01-12T14:00:00+00:00");
    assert_eq!(moved["end"]["value"], "2027-01-12T16:00:00+00:00");
    assert_eq!(moved["sequence"], 0);

    let hubs_events = events_with_uid(&parsed, &uid(hubs));
    assert_eq!(hubs_events.len(), 1);
    assert_eq!(
        hubs_events[0]["start"]["value"], "2027-01-19",
        "all day: a DATE"
    );
    assert_eq!(
        hubs_events[0]["end"]["value"], "2027-01-20",
        "DTEND is the day after"
    );
    assert_eq!(hubs_events[0]["status"], "TENTATIVE", "planned");
    assert!(hubs_events[0]["description"]
        .as_str()
        .unwrap()
        .contains("/plans/nhs-fife-sso-rollout"));

    let cancelled = events_with_uid(&parsed, &uid(briefing));
    assert_eq!(cancelled[0]["status"], "CANCELLED");
    assert_eq!(
        cancelled[0]["location"],
        "https://webinar.example.com/briefing"
    );

    // One event's file: the same UID, as a download.
    let response = server
        .client()
        .get(server.url(&format!("/events/{quarterly}.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"event-{quarterly}.ics\"").as_str()
    );
    let single = parse_with_python(&response.text().await.unwrap());
    assert_eq!(single["events"].as_array().unwrap().len(), 2);
    assert!(single["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["uid"] == uid(quarterly)));

    // Filters: kind, initiative, organisation (running it or taking part), and an
    // organisation's own feed. The plan's milestones (its own events, tested on their own) are
    // left out.
    let db = server.db().await;
    let milestones: Vec<String> =
        sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE milestone IS NOT NULL")
            .fetch_all(db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(uid)
            .collect();
    assert!(!milestones.is_empty());
    let uids = |feed: &str| {
        let parsed = parse_with_python(feed);
        let mut uids: Vec<String> = parsed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].as_str().unwrap().to_owned())
            .filter(|u| !milestones.contains(u))
            .collect();
        uids.dedup();
        uids
    };
    for (path, expected) in [
        ("/events.ics?kind=go-live", vec![uid(hubs)]),
        (
            "/events.ics?initiative=Single+sign-on+rollout",
            vec![uid(quarterly)],
        ),
        ("/events.ics?org=nhs-fife", vec![uid(quarterly), uid(hubs)]),
        ("/orgs/nhs-tayside/events.ics", vec![uid(quarterly)]),
        (
            "/orgs/example-access-solutions/events.ics",
            vec![uid(briefing)],
        ),
    ] {
        let (status, _, feed) = fetch(&server, &server.client(), path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(uids(&feed), expected, "{path}");
    }
    let (status, _, _) = fetch(&server, &server.client(), "/events.ics?kind=party").await;
    assert_eq!(status, 400);
    let (status, _, _) = fetch(&server, &server.client(), "/orgs/no-such-board/events.ics").await;
    assert_eq!(status, 404);
    let (status, _, _) = fetch(&server, &server.client(), "/events/999999.ics").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_changed_event_raises_its_sequence_and_an_unchanged_import_does_not() {
    let content = tree(&[("quarterly", quarterly_meeting())]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    let id = event_id(&server, "quarterly").await;
    let path = format!("/events/{id}.ics");
    let sequences = |feed: &str| -> Vec<i64> {
        parse_with_python(feed)["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["sequence"].as_i64().unwrap())
            .collect()
    };
    let (_, _, feed) = fetch(&server, &server.client(), &path).await;
    assert_eq!(sequences(&feed), [0, 0]);

    let import = || {
        let out = server.command(&["import", content.0.to_str().unwrap()], None);
        assert_eq!(out.status, 0, "{}", out.stderr);
        out.stdout
    };
    let out = import();
    assert!(
        out.contains("events: 0 created, 0 updated, 1 unchanged"),
        "{out}"
    );
    let (_, _, again) = fetch(&server, &server.client(), &path).await;
    assert_eq!(
        sequences(&again),
        [0, 0],
        "an unchanged file changes nothing"
    );

    // The meeting moves to 11:00 and one more occurrence is cancelled.
    let file = content.0.join("events/quarterly.md");
    let changed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("start: 2026-01-06T10:00", "start: 2026-01-06T11:00")
        .replace("end: 2026-01-06T12:00", "end: 2026-01-06T13:00")
        .replace("2026-04-07T10:00", "2026-04-07T11:00")
        .replace("from: 2027-01-05T10:00", "from: 2027-01-05T11:00")
        .replace(
            "cancelled: [2026-04-07T11:00]",
            "cancelled: [2026-04-07T11:00, 2026-10-06T11:00]",
        );
    std::fs::write(&file, changed).unwrap();
    let out = import();
    assert!(
        out.contains("events: 0 created, 1 updated, 0 unchanged"),
        "{out}"
    );
    let (_, _, feed) = fetch(&server, &server.client(), &path).await;
    assert_eq!(
        sequences(&feed),
        [1, 1],
        "every VEVENT of the series carries the new SEQUENCE"
    );
    let parsed = parse_with_python(&feed);
    let master = &parsed["events"][0];
    assert_eq!(
        master["uid"],
        format!("event-{id}@127.0.0.1"),
        "the UID stays"
    );
    assert_eq!(master["start"]["value"], "2026-01-06T11:00:00+00:00");
    assert_eq!(
        master["exdates"],
        serde_json::json!(["2026-04-07T11:00:00+01:00", "2026-10-06T11:00:00+01:00"])
    );
    let out = import();
    assert!(
        out.contains("events: 0 created, 0 updated, 1 unchanged"),
        "{out}"
    );

    // Each change went through the recorder: audited, and in the change log with its organisation.
    let db = server.db().await;
    let org: i64 = sqlx::query_scalar("SELECT org_id FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let changes: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT op, org_id FROM change_log WHERE entity = 'event' AND entity_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(
        changes,
        [
            ("upsert".to_owned(), Some(org)),
            ("upsert".to_owned(), Some(org))
        ]
    );
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE target = $1 ORDER BY id")
            .bind(format!("/events/{id}"))
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(audited, ["event-created", "event-updated"]);
}

#[tokio::test]
async fn an_organisation_only_event_is_seen_only_by_the_organisations_running_it_and_taking_part() {
    let internal = event(
        &[
            "title: Fife change freeze",
            "kind: change-freeze",
            "organisation: nhs-fife",
            "taking_part: [nhs-lothian]",
            "start: 2026-12-07",
            "end: 2026-12-11",
            "visibility: organisation",
            "status: confirmed",
        ],
        "Internal.",
    );
    let content = tree(&[("internal", internal), ("hubs", go_live())]);
    let server = server_at(&content, datetime!(2026-11-01 00:00 UTC)).await;
    for email in [FIFE_READER, LOTHIAN_EDITOR, TAYSIDE_READER] {
        server.set_password(email, PASSWORD);
    }
    let internal = event_id(&server, "internal").await;
    let public = event_id(&server, "hubs").await;
    let anonymous = server.client();
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let lothian = server.signed_in(LOTHIAN_EDITOR, PASSWORD).await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let admin = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    let internal_uid = format!("UID:event-{internal}@127.0.0.1");
    let public_uid = format!("UID:event-{public}@127.0.0.1");
    for (who, client, sees) in [
        ("anonymous", &anonymous, false),
        ("another organisation", &tayside, false),
        ("its own organisation", &fife, true),
        ("an organisation taking part", &lothian, true),
        ("an administrator", &admin, true),
    ] {
        let expected = if sees { 200 } else { 404 };
        for path in [
            format!("/events/{internal}"),
            format!("/events/{internal}.ics"),
        ] {
            let (status, _, _) = fetch(&server, client, &path).await;
            assert_eq!(status, expected, "{path} for {who}");
        }
        for path in ["/events.ics", "/orgs/nhs-fife/events.ics"] {
            let (status, _, feed) = fetch(&server, client, path).await;
            assert_eq!(status, 200);
            assert_eq!(feed.contains(&internal_uid), sees, "{path} for {who}");
            assert!(feed.contains(&public_uid), "{path} for {who}");
        }
        let (_, _, page) = fetch(&server, client, "/events").await;
        assert_eq!(
            page.contains(&format!("href=\"/events/{internal}\"")),
            sees,
            "/events for {who}"
        );
        let list = listed(&server, client, &[("query[when]", "upcoming")])
            .await
            .to_string();
        assert_eq!(list.contains("Fife change freeze"), sees, "list for {who}");
    }
}

#[tokio::test]
async fn the_events_pages_show_upcoming_and_past_occurrences_with_filters_and_the_plan() {
    // The demo content, on the day before its change freeze.
    let server = TestServer::builder()
        .clock(ManualClock::new(datetime!(2026-12-06 12:00 UTC)))
        .start()
        .await;
    let out = server.command(
        &["import", repo_root().join("content").to_str().unwrap()],
        None,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("events: 0 created, 0 updated, 14 unchanged"),
        "{}",
        out.stdout
    );

    let anonymous = server.client();
    let (status, _, page) = fetch(&server, &anonymous, "/events").await;
    assert_eq!(status, 200);
    assert!(page.contains("NHS Fife: remaining community hubs go live"));
    assert!(page.contains("Example Access Solutions: product roadmap briefing"));
    assert!(
        page.contains(">Cancelled</strong>"),
        "the cancelled briefing is marked"
    );
    assert!(
        !page.contains("National single sign-on programme quarterly update"),
        "network only"
    );
    assert!(
        !page.contains("NHS Fife: change freeze"),
        "organisation only"
    );
    assert!(!page.contains("wave 6"), "past");
    assert!(page.contains(r#"<strong aria-current="page">Upcoming</strong>"#));
    assert!(
        page.contains(r#"href="/events.ics""#),
        "the feed to subscribe to"
    );

    let (_, _, past) = fetch(&server, &anonymous, "/events?when=past").await;
    assert!(past.contains("NHS Fife: wave 6 go-live, Queen Margaret Hospital"));
    assert!(!past.contains("community hubs"));
    assert!(past.contains(r#"<strong aria-current="page">Past</strong>"#));

    let (_, _, training) = fetch(&server, &anonymous, "/events?kind=training").await;
    assert!(training.contains("Betsi Cadwaladr: super-user training for the east region"));
    assert!(!training.contains("go live"));
    assert!(
        training.contains(r#"<option value="training" selected"#),
        "the filter keeps its choice"
    );

    server.set_password(FIFE_READER, PASSWORD);
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let (_, _, page) = fetch(&server, &fife, "/events?org=nhs-fife").await;
    assert!(page.contains("NHS Fife: change freeze for the SSO agent upgrade"));
    assert!(
        page.contains("National single sign-on programme quarterly update"),
        "Fife takes part"
    );
    assert!(page.contains(">Moved</strong>"), "{page}");
    assert!(page.contains("(was Tuesday 5 January 2027, 10:00)"));
    assert!(
        !page.contains("Betsi Cadwaladr: east region go-live"),
        "another organisation's"
    );
    let (_, _, past) = fetch(&server, &fife, "/events?when=past&org=nhs-fife").await;
    assert!(
        past.contains("Tuesday 7 April 2026, 10:00 to 12:00"),
        "the cancelled occurrence"
    );

    let quarterly = event_id(&server, "quarterly-national-sso-update").await;
    let (status, _, detail) = fetch(&server, &fife, &format!("/events/{quarterly}")).await;
    assert_eq!(status, 200);
    assert!(
        detail.contains(&format!(r#"href="/events/{quarterly}.ics""#)),
        "Add to calendar"
    );
    assert!(detail.contains("FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU"));
    assert!(
        detail.contains("Tuesday 12 January 2027, 10:00 to 12:00"),
        "the moved occurrence"
    );
    let hubs = event_id(&server, "nhs-fife-community-hubs-go-live").await;
    let (_, _, detail) = fetch(&server, &anonymous, &format!("/events/{hubs}")).await;
    assert!(detail
        .contains(r#"<a href="/plans/nhs-fife-sso-rollout">NHS Fife single sign-on rollout</a>"#));
    let (status, _, _) = fetch(&server, &anonymous, "/events/not-a-number").await;
    assert_eq!(status, 404);
    // A plan the viewer may not read is not named on the event's page.
    let tayside = event_id(&server, "nhs-tayside-wave-4-go-live").await;
    let (status, _, _) = fetch(&server, &anonymous, &format!("/events/{tayside}")).await;
    assert_eq!(status, 404, "a network event");
    let (_, _, nav) = fetch(&server, &anonymous, "/").await;
    assert!(
        nav.contains(r#"href="/events""#),
        "Events is in the navigation"
    );
}

#[tokio::test]
async fn the_importer_names_the_file_line_field_and_reason_of_a_bad_event() {
    let base = [
        "title: Bad",
        "kind: training",
        "organisation: nhs-fife",
        "start: 2026-05-05T10:00",
        "end: 2026-05-05T11:00",
        "visibility: public",
    ];
    let with = |extra: &[&str]| {
        let mut lines: Vec<&str> = base.to_vec();
        lines.extend(extra);
        event(&lines, "")
    };
    let content = tree(&[
        ("good", with(&[])),
        (
            "http-link",
            with(&["online_meeting: http://meet.example.com/x"]),
        ),
        ("bad-rule", with(&["repeat: FREQ=FORTNIGHTLY"])),
        (
            "not-an-occurrence",
            with(&[
                "repeat: FREQ=WEEKLY;COUNT=4",
                "cancelled: [2026-05-06T10:00]",
            ]),
        ),
        ("unknown-org", with(&["taking_part: [nhs-atlantis]"])),
        ("no-plan", with(&["plan: no-such-plan"])),
        (
            "clocks-forward",
            event(
                &[
                    "title: Bad",
                    "kind: training",
                    "organisation: nhs-fife",
                    "start: 2026-03-29T01:30",
                    "end: 2026-03-29T03:00",
                    "visibility: public",
                ],
                "",
            ),
        ),
        ("unknown-field", with(&["colour: blue"])),
        ("long-description", event(&base, &"x".repeat(20_001))),
    ]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    let out = server.command(&["import", content.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2, "files were skipped: {}", out.stderr);
    let file = |name: &str| {
        content
            .0
            .join(format!("events/{name}.md"))
            .display()
            .to_string()
    };
    for expected in [
        format!(
            "{}:8: field `online_meeting`: \"http://meet.example.com/x\" must start with https://",
            file("http-link")
        ),
        format!(
            "{}:8: field `repeat`: not a rule RFC 5545 allows",
            file("bad-rule")
        ),
        format!(
            "{}:9: field `cancelled`: 2026-05-06T10:00 is not an occurrence of this event",
            file("not-an-occurrence")
        ),
        format!(
            "{}:8: field `taking_part`: no organisation with slug \"nhs-atlantis\"",
            file("unknown-org")
        ),
        format!(
            "{}:8: field `plan`: no deployment plan with slug \"no-such-plan\"",
            file("no-plan")
        ),
        format!(
            "{}:5: field `start`: Sunday 29 March 2026, 01:30 does not exist in UK time",
            file("clocks-forward")
        ),
        format!("{}:8: unknown field `colour`", file("unknown-field")),
        format!(
            "{}:9: The description must be 20000 characters or fewer",
            file("long-description")
        ),
    ] {
        assert!(
            out.stderr.contains(&expected),
            "expected {expected:?} in:\n{}",
            out.stderr
        );
    }
    assert!(
        out.stdout
            .contains("events: 0 created, 0 updated, 1 unchanged"),
        "{}",
        out.stdout
    );
}

/// The editor's fields for a new NHS Fife event, with `changes` replacing or adding fields.
fn event_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = vec![
        ("form[id]", "0"),
        ("form[sequence]", "0"),
        ("form[title]", "Fife training day"),
        ("form[kind]", "training"),
        ("form[org]", "nhs-fife"),
        ("form[taking_part][nhs-tayside]", "yes"),
        ("form[initiative]", "Single sign-on rollout"),
        ("form[plan]", "nhs-fife-sso-rollout"),
        ("form[start_date]", "2026-03-03"),
        ("form[start_time]", "10:00"),
        ("form[end_date]", ""),
        ("form[end_time]", "12:00"),
        ("form[repeat]", "FREQ=WEEKLY;COUNT=4"),
        ("form[location]", "Victoria Hospital"),
        ("form[online_meeting]", ""),
        ("form[visibility]", "organisation"),
        ("form[status]", "confirmed"),
        ("form[description]", "Bring your badge."),
    ];
    for (name, value) in changes {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

/// The sequence and audit trail of a stored event.
async fn sequence_of(server: &TestServer, id: i64) -> i64 {
    let db = server.db().await;
    sqlx::query_scalar("SELECT sequence FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn audited(server: &TestServer, id: i64) -> Vec<String> {
    let db = server.db().await;
    sqlx::query_scalar("SELECT action FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(format!("/events/{id}"))
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_editor_adds_an_event_with_a_mistake_fixes_it_and_changes_it_raising_its_sequence() {
    let content = tree(&[]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    server.set_password(FIFE_EDITOR, PASSWORD);
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;

    // Two mistakes: both are listed, and everything typed is kept.
    let form = event_form(&[
        ("form[title]", "   "),
        ("form[end_time]", "09:00"),
        ("form[online_meeting]", "http://meet.example/x"),
    ]);
    let (status, location) = post_form(&server, &editor, "/api/events/save", &form).await;
    assert_eq!((status, location.as_str()), (302, "/events/new"));
    let (status, page) = server.get(&editor, "/events/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("href=\"#title\">Enter a title"), "{page}");
    assert!(
        page.contains("href=\"#end_date\">End: it must end after it starts"),
        "{page}"
    );
    assert!(page.contains("href=\"#online_meeting\">"), "{page}");
    assert!(page.contains("<title>Error: Add an event"), "{page}");
    assert_eq!(
        input_value(&page, "form[location]").as_deref(),
        Some("Victoria Hospital")
    );
    assert_eq!(
        input_value(&page, "form[end_time]").as_deref(),
        Some("09:00")
    );
    assert!(
        page.contains("name=\"form[taking_part][nhs-tayside]\" value=\"yes\" checked"),
        "{page}"
    );
    let db = server.db().await;
    let count = |db: app::db::Db| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events WHERE slug LIKE 'web-%'")
            .fetch_one(db.pool())
            .await
            .unwrap()
    };
    assert_eq!(count(db.clone()).await, 0, "nothing half-written");

    // Fixed, it is added and the browser goes to its page.
    let (status, location) =
        post_form(&server, &editor, "/api/events/save", &event_form(&[])).await;
    assert_eq!(status, 302);
    let id: i64 = location
        .strip_prefix("/events/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("to the event's page, not {location}"));
    let (_, page) = server.get(&editor, &location).await;
    assert!(page.contains("Event added"), "{page}");
    assert!(page.contains("Fife training day"));
    assert!(
        page.contains(&format!("href=\"/events/{id}/edit\"")),
        "its editors may change it"
    );
    assert_eq!(sequence_of(&server, id).await, 0);

    // Changed: SEQUENCE raised in the feed, the UID kept.
    let seq = "0".to_owned();
    let id_text = id.to_string();
    let form = event_form(&[
        ("form[id]", &id_text),
        ("form[sequence]", &seq),
        ("form[start_time]", "13:00"),
        ("form[end_time]", "15:00"),
    ]);
    let (status, location) = post_form(&server, &editor, "/api/events/save", &form).await;
    assert_eq!(
        (status, location.as_str()),
        (302, format!("/events/{id}").as_str())
    );
    let (_, _, feed) = fetch(&server, &editor, &format!("/events/{id}.ics")).await;
    let parsed = parse_with_python(&feed);
    let master = &parsed["events"][0];
    assert_eq!(master["uid"], format!("event-{id}@127.0.0.1"));
    assert_eq!(master["sequence"], 1);
    assert_eq!(master["start"]["value"], "2026-03-03T13:00:00+00:00");
    assert_eq!(master["rrule"]["FREQ"], serde_json::json!(["WEEKLY"]));

    // A form sent from a page opened before that change does not overwrite it.
    let (status, location) = post_form(
        &server,
        &editor,
        "/api/events/save",
        &event_form(&[
            ("form[id]", &id_text),
            ("form[sequence]", "0"),
            ("form[title]", "Stale title"),
        ]),
    )
    .await;
    assert_eq!((status, location), (302, format!("/events/{id}/edit")));
    let (_, page) = server.get(&editor, &format!("/events/{id}/edit")).await;
    assert!(
        page.contains("Someone changed this event after you opened it"),
        "{page}"
    );
    assert_eq!(
        input_value(&page, "form[title]").as_deref(),
        Some("Stale title")
    );
    assert_eq!(sequence_of(&server, id).await, 1);

    // Every change went through the recorder: audited, and in the change log.
    assert_eq!(
        audited(&server, id).await,
        ["event-created", "event-updated"]
    );
    let changes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM change_log WHERE entity = 'event' AND entity_id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(changes, 2);
}

#[tokio::test]
async fn single_dates_of_a_repeating_event_are_cancelled_moved_and_restored_with_sequence_raised() {
    let content = tree(&[("monthly", monthly_meeting())]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    server.set_password(FIFE_EDITOR, PASSWORD);
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let id = event_id(&server, "monthly").await;
    let id_text = id.to_string();
    let (status, page) = server.get(&editor, &format!("/events/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Single dates"), "{page}");
    assert!(
        page.contains("<option value=\"2026-03-03T10:00\""),
        "{page}"
    );

    let occurrence = |action: &'static str, seq: i64, extra: Vec<(&'static str, &'static str)>| {
        let mut form = vec![
            ("form[id]", id_text.clone()),
            ("form[sequence]", seq.to_string()),
            ("form[action]", action.to_owned()),
        ];
        form.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
        form
    };
    let post = |form: Vec<(&'static str, String)>| {
        let editor = editor.clone();
        let server = &server;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(server, &editor, "/api/events/occurrence", &refs).await
        }
    };
    let (status, location) = post(occurrence(
        "cancel",
        0,
        vec![("form[occurrence]", "2026-03-03T10:00")],
    ))
    .await;
    assert_eq!(
        (status, location),
        (302, format!("/events/{id}/edit#occurrences"))
    );
    let (status, _) = post(occurrence(
        "move",
        1,
        vec![
            ("form[occurrence]", "2026-04-07T10:00"),
            ("form[start_date]", "2026-04-14"),
            ("form[start_time]", "14:00"),
            ("form[end_time]", "15:00"),
        ],
    ))
    .await;
    assert_eq!(status, 302);
    // A date the rule does not give is refused, saying why, with the typed time kept.
    let (status, _) = post(occurrence(
        "move",
        2,
        vec![
            ("form[occurrence]", "2026-05-06T10:00"),
            ("form[start_date]", "2026-05-13"),
            ("form[start_time]", "14:00"),
            ("form[end_time]", "15:00"),
        ],
    ))
    .await;
    assert_eq!(status, 302);
    let (_, page) = server.get(&editor, &format!("/events/{id}/edit")).await;
    assert!(
        page.contains("is not an occurrence of this event"),
        "{page}"
    );
    assert_eq!(
        input_value(&page, "form[start_date]").as_deref(),
        Some("2026-01-06"),
        "main form as stored"
    );
    assert!(
        page.contains("value=\"2026-05-13\""),
        "the move form keeps what was typed"
    );
    assert_eq!(sequence_of(&server, id).await, 2);

    let (_, _, feed) = fetch(&server, &editor, &format!("/events/{id}.ics")).await;
    let parsed = parse_with_python(&feed);
    let uid = format!("event-{id}@127.0.0.1");
    let series = events_with_uid(&parsed, &uid);
    let master = series
        .iter()
        .find(|e| e.get("recurrence_id").is_none())
        .unwrap();
    assert_eq!(master["sequence"], 2);
    assert_eq!(
        master["exdates"],
        serde_json::json!(["2026-03-03T10:00:00+00:00"])
    );
    let moved = series
        .iter()
        .find(|e| e.get("recurrence_id").is_some())
        .unwrap();
    assert_eq!(moved["recurrence_id"]["value"], "2026-04-07T10:00:00+01:00");
    assert_eq!(moved["start"]["value"], "2026-04-14T14:00:00+01:00");

    // Restored, the date is back and the sequence raised again.
    let (status, _) = post(occurrence(
        "restore",
        2,
        vec![("form[occurrence]", "2026-03-03T10:00")],
    ))
    .await;
    assert_eq!(status, 302);
    assert_eq!(sequence_of(&server, id).await, 3);
    let (_, _, feed) = fetch(&server, &editor, &format!("/events/{id}.ics")).await;
    let parsed = parse_with_python(&feed);
    let series = events_with_uid(&parsed, &uid);
    let master = series
        .iter()
        .find(|e| e.get("recurrence_id").is_none())
        .unwrap();
    assert_eq!(master["exdates"], serde_json::json!([]));
    assert_eq!(
        audited(&server, id).await,
        [
            "event-created",
            "event-updated",
            "event-updated",
            "event-updated"
        ]
    );
}

#[tokio::test]
async fn a_crafted_form_changes_no_other_organisations_event_and_sets_no_other_organisation() {
    let content = tree(&[
        ("quarterly", quarterly_meeting()),
        ("monthly", monthly_meeting()),
    ]);
    let server = server_at(&content, datetime!(2026-01-01 00:00 UTC)).await;
    for email in [FIFE_EDITOR, FIFE_READER, LOTHIAN_EDITOR] {
        server.set_password(email, PASSWORD);
    }
    let fife_editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let fife_reader = server.signed_in(FIFE_READER, PASSWORD).await;
    let lothian_editor = server.signed_in(LOTHIAN_EDITOR, PASSWORD).await;
    // Run by NHS National Services Scotland, with NHS Fife taking part.
    let national = event_id(&server, "quarterly").await;
    let fife = event_id(&server, "monthly").await;

    // A new event put under another organisation is refused at the field.
    let (status, location) = post_form(
        &server,
        &fife_editor,
        "/api/events/save",
        &event_form(&[("form[org]", "nhs-lothian")]),
    )
    .await;
    assert_eq!((status, location.as_str()), (302, "/events/new"));
    let (_, page) = server.get(&fife_editor, "/events/new").await;
    assert!(page.contains("only for your own organisation"), "{page}");

    // Someone else's event, even one NHS Fife takes part in, cannot be changed or its dates
    // cancelled; nor may a reader change their own organisation's.
    let national_text = national.to_string();
    let fife_text = fife.to_string();
    for (who, client, id, expected) in [
        (
            "an editor of an organisation taking part",
            &fife_editor,
            &national_text,
            403,
        ),
        (
            "an editor of another organisation",
            &lothian_editor,
            &fife_text,
            403,
        ),
        (
            "a reader of the organisation",
            &fife_reader,
            &fife_text,
            403,
        ),
        ("anonymous", &server.client(), &fife_text, 401),
    ] {
        let form = event_form(&[("form[id]", id), ("form[org]", "nhs-fife")]);
        let (status, _) = post_form(&server, client, "/api/events/save", &form).await;
        assert_eq!(status, expected, "save as {who}");
        let cancel = [
            ("form[id]", id.as_str()),
            ("form[sequence]", "0"),
            ("form[action]", "cancel"),
            ("form[occurrence]", "2026-04-07T10:00"),
        ];
        let (status, _) = post_form(&server, client, "/api/events/occurrence", &cancel).await;
        assert_eq!(status, expected, "cancel a date as {who}");
        let (status, _) = server.get(client, &format!("/events/{id}/edit")).await;
        assert!(
            status == expected || (expected == 401 && status == 401),
            "editor as {who}: {status}"
        );
    }
    // Fife's own event moved to Lothian by a crafted organisation: refused.
    let form = event_form(&[("form[id]", &fife_text), ("form[org]", "nhs-lothian")]);
    let (status, location) = post_form(&server, &fife_editor, "/api/events/save", &form).await;
    assert_eq!((status, location), (302, format!("/events/{fife}/edit")));
    for id in [national, fife] {
        assert_eq!(sequence_of(&server, id).await, 0, "event {id} unchanged");
        assert_eq!(audited(&server, id).await, ["event-created"]);
    }
}

/// The Fife plan file with a milestone's forecast changed and the file's status.
fn fife_plan_with(status: &str, from: &str, to: &str) -> String {
    let text =
        std::fs::read_to_string(repo_root().join("content/plans/nhs-fife-sso-rollout.md")).unwrap();
    assert!(text.contains(from), "{from} is in the plan");
    text.replace(from, to).replace(
        "review_by: 2027-03-31",
        &format!("review_by: 2027-03-31\nstatus: {status}"),
    )
}

const AGENT_UPGRADE: &str = "      - name: Agent upgrade to current release through staged rings
        baseline: 2026-12-08
        forecast: 2026-12-08
        status: on-track";

#[tokio::test]
async fn milestones_follow_the_approved_plan_moving_with_sequence_raised() {
    let content = tree(&[]);
    let server = server_at(&content, datetime!(2026-10-01 00:00 UTC)).await;
    server.set_password(FIFE_PUBLISHER, PASSWORD);
    server.set_password(FIFE_EDITOR, PASSWORD);
    let publisher = server.signed_in(FIFE_PUBLISHER, PASSWORD).await;
    let editor = server.signed_in(FIFE_EDITOR, PASSWORD).await;
    let db = server.db().await;
    let milestone = |name: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (i64, String, i64, String)>(
                "SELECT id, title, sequence, starts_local FROM events WHERE milestone = $1",
            )
            .bind(name)
            .fetch_optional(db.pool())
            .await
            .unwrap()
        }
    };
    // Imported as published: every milestone is an event, a slipped one marked so.
    let milestones: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE milestone IS NOT NULL")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(milestones >= 13, "{milestones}");
    let (upgrade, title, sequence, start) =
        milestone("Embed: Agent upgrade to current release through staged rings")
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), sequence, start.as_str()),
        ("NHS Fife single sign-on rollout: Agent upgrade to current release through staged rings", 0, "2026-12-08")
    );
    let (_, slipped, _, _) = milestone("Scale: Remaining community hubs live")
        .await
        .unwrap();
    assert!(slipped.ends_with("(slipped)"), "{slipped}");
    let (_, _, feed) = fetch(
        &server,
        &server.client(),
        "/plans/nhs-fife-sso-rollout/events.ics",
    )
    .await;
    let parsed = parse_with_python(&feed);
    let uid = format!("event-{upgrade}@127.0.0.1");
    let ours = events_with_uid(&parsed, &uid);
    assert_eq!(ours[0]["start"]["value"], "2026-12-08");
    // The plan's page lists its upcoming events; nobody edits a milestone by hand.
    let (_, page) = server.get(&editor, "/plans/nhs-fife-sso-rollout").await;
    assert!(page.contains("Upcoming events"), "{page}");
    assert!(
        page.contains(&format!("href=\"/events/{upgrade}\"")),
        "{page}"
    );
    let (_, page) = server.get(&editor, &format!("/events/{upgrade}")).await;
    assert!(page.contains("It follows the plan"), "{page}");
    assert!(!page.contains("/edit\""), "no edit link on a milestone");
    let (status, _) = server
        .get(&editor, &format!("/events/{upgrade}/edit"))
        .await;
    assert_eq!(status, 403);

    // A new revision moves the milestone and drops another; sent for review, nothing moves yet.
    let moved = AGENT_UPGRADE.replace("forecast: 2026-12-08", "forecast: 2027-01-12");
    let dropped = "      - name: Log-in time baseline measured on 40 workstations
        baseline: 2025-02-14
        forecast: 2025-02-21
        status: done\n";
    let plan = fife_plan_with("in_review", AGENT_UPGRADE, &moved).replace(dropped, "");
    let file = content.0.join("plans/nhs-fife-sso-rollout.md");
    std::fs::write(&file, plan).unwrap();
    let out = server.command(&["import", content.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let (_, _, sequence, start) =
        milestone("Embed: Agent upgrade to current release through staged rings")
            .await
            .unwrap();
    assert_eq!(
        (sequence, start.as_str()),
        (0, "2026-12-08"),
        "a revision in review moves nothing"
    );

    // Approved: the event moves in the same write, slipped, SEQUENCE raised, UID kept.
    let (_, page) = server.get(&publisher, "/plans/nhs-fife-sso-rollout").await;
    let revision = input_value(&page, "revision").expect("workflow form");
    let (status, _) = post_form(
        &server,
        &publisher,
        "/api/documents/step",
        &[
            ("kind", "plan"),
            ("slug", "nhs-fife-sso-rollout"),
            ("step", "approve"),
            ("revision", &revision),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(status, 302);
    let (id, title, sequence, start) =
        milestone("Embed: Agent upgrade to current release through staged rings")
            .await
            .unwrap();
    assert_eq!(id, upgrade);
    assert_eq!((sequence, start.as_str()), (1, "2027-01-12"));
    assert!(title.ends_with("(slipped)"), "{title}");
    let (_, _, feed) = fetch(
        &server,
        &server.client(),
        "/plans/nhs-fife-sso-rollout/events.ics",
    )
    .await;
    let parsed = parse_with_python(&feed);
    let ours = events_with_uid(&parsed, &uid);
    assert_eq!(ours[0]["start"]["value"], "2027-01-12");
    assert_eq!(ours[0]["sequence"], 1);
    assert!(ours[0]["summary"].as_str().unwrap().ends_with("(slipped)"));
    assert!(
        milestone("Mobilise: Log-in time baseline measured on 40 workstations")
            .await
            .is_none()
    );
    assert_eq!(
        audited(&server, upgrade).await,
        ["event-created", "event-updated"]
    );

    // Archived, the plan takes its milestones off the schedule.
    let (_, page) = server.get(&publisher, "/plans/nhs-fife-sso-rollout").await;
    let revision = input_value(&page, "revision").expect("workflow form");
    let (status, _) = post_form(
        &server,
        &publisher,
        "/api/documents/step",
        &[
            ("kind", "plan"),
            ("slug", "nhs-fife-sso-rollout"),
            ("step", "archive"),
            ("revision", &revision),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(status, 302);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE milestone IS NOT NULL")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    let (status, _, _) = fetch(&server, &server.client(), &format!("/events/{upgrade}")).await;
    assert_eq!(status, 404);
}

/// Makes a secret calendar link on the account page; returns its address.
async fn make_feed_link(server: &TestServer, client: &reqwest::Client) -> String {
    let (status, location) =
        post_form(server, client, "/api/account/feed", &[("action", "renew")]).await;
    assert_eq!((status, location.as_str()), (302, "/account#calendar"));
    let (status, page) = server.get(client, "/account").await;
    assert_eq!(status, 200);
    let url = page
        .find("id=\"feed-url\"")
        .and_then(|at| page[at..].split("value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("the new link is shown once");
    url.strip_prefix(&server.base).unwrap_or(url).to_owned()
}

#[tokio::test]
async fn a_secret_feed_link_reads_as_its_owner_for_feeds_only_until_revoked() {
    let internal = event(
        &[
            "title: Fife change freeze",
            "kind: change-freeze",
            "organisation: nhs-fife",
            "start: 2026-12-07",
            "end: 2026-12-11",
            "visibility: organisation",
        ],
        "Internal.",
    );
    let content = tree(&[("internal", internal)]);
    let server = server_at(&content, datetime!(2026-11-01 00:00 UTC)).await;
    server.set_password(FIFE_READER, PASSWORD);
    server.set_password(TAYSIDE_READER, PASSWORD);
    let fife = server.signed_in(FIFE_READER, PASSWORD).await;
    let tayside = server.signed_in(TAYSIDE_READER, PASSWORD).await;
    let id = event_id(&server, "internal").await;
    let uid = format!("UID:event-{id}@127.0.0.1");

    let (status, page) = server.get(&fife, "/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Make a calendar link"), "{page}");
    let (status, _) = server.get(&server.client(), "/account").await;
    assert_eq!(status, 401);

    let link = make_feed_link(&server, &fife).await;
    assert!(
        link.starts_with("/feeds/") && link.ends_with("/events.ics"),
        "{link}"
    );
    let token = link
        .trim_start_matches("/feeds/")
        .trim_end_matches("/events.ics")
        .to_owned();
    let db = server.db().await;
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM feed_tokens")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_ne!(stored, token, "only a hash is stored");
    // Shown once: the account page no longer holds it.
    let (_, page) = server.get(&fife, "/account").await;
    assert!(!page.contains(&token));
    assert!(page.contains("Revoke and make a new link"));

    // A calendar app without cookies gets what its owner may read.
    let app = server.client();
    let (status, content_type, feed) = fetch(&server, &app, &link).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/calendar"));
    assert!(feed.contains(&uid), "the owner's organisation-only event");
    let (_, _, filtered) = fetch(&server, &app, &format!("{link}?org=nhs-tayside")).await;
    assert!(!filtered.contains(&uid), "filtered like /events.ics");
    // Another organisation's link does not.
    let other = make_feed_link(&server, &tayside).await;
    let (_, _, feed) = fetch(&server, &app, &other).await;
    assert!(!feed.contains(&uid));

    // Nothing beyond feeds: not pages, single calendar files, lists or server functions, as a
    // query parameter, cookie or header; nor other paths under the link.
    for path in [
        format!("/events/{id}?token={token}"),
        format!("/events/{id}.ics?token={token}"),
        format!("/feeds/{token}/events/{id}.ics"),
        format!("/feeds/{token}"),
        format!("/feeds/{token}/account"),
    ] {
        let (status, _, body) = fetch(&server, &app, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let response = app
        .get(server.url(&format!("/events/{id}")))
        .header("authorization", format!("Bearer {token}"))
        .header("cookie", format!("trustshare_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (_, _, list) = fetch(&server, &app, &format!("/events.ics?token={token}")).await;
    assert!(!list.contains(&uid));
    let (status, _, _) = fetch(&server, &app, &format!("/account?token={token}")).await;
    assert_eq!(status, 401);

    // Revoked (a new link made), the old one answers 404 like one that never existed.
    let newer = make_feed_link(&server, &tayside).await;
    assert_ne!(newer, other);
    let (status, _, _) = fetch(&server, &app, &other).await;
    assert_eq!(status, 404);
    let (status, _, _) = fetch(&server, &app, &newer).await;
    assert_eq!(status, 200);
    let (status, _) = post_form(
        &server,
        &tayside,
        "/api/account/feed",
        &[("action", "revoke")],
    )
    .await;
    assert_eq!(status, 302);
    let (status, _, _) = fetch(&server, &app, &newer).await;
    assert_eq!(status, 404);

    // Used too often, a link is turned away for a while.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (status, _, _) = fetch(&server, &app, &link).await;
        statuses.push(status);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'feed-link-made' AND target = $1 ORDER BY id",
    )
    .bind(TAYSIDE_READER)
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            "first calendar link",
            "new calendar link; the old one no longer works",
            "calendar link revoked"
        ]
    );
}

#[tokio::test]
async fn the_month_grid_is_a_table_of_days_with_event_links_keeping_the_filters() {
    let content = tree(&[
        ("monthly", monthly_meeting()),
        ("quarterly", quarterly_meeting()),
    ]);
    let server = server_at(&content, datetime!(2026-03-10 12:00 UTC)).await;
    let monthly = event_id(&server, "monthly").await;
    let quarterly = event_id(&server, "quarterly").await;
    let client = server.client();

    // The current month when none is given.
    let (status, _, page) = fetch(&server, &client, "/events?view=month").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<caption class=\"nhsuk-table__caption\">Events in March 2026</caption>"),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"col\" class=\"nhsuk-table__header\">"),
        "{page}"
    );
    assert!(page.contains("<abbr title=\"Monday\">Mon</abbr>"), "{page}");
    assert!(page.contains("ts-month__day--today"), "today is marked");
    // 3 March 2026 is a Tuesday: the second cell of the first week, with the meeting's link.
    let cell = page
        .split("datetime=\"2026-03-03\"")
        .nth(1)
        .and_then(|rest| rest.split("</td>").next())
        .expect("a cell for 3 March");
    assert!(
        cell.contains(&format!("href=\"/events/{monthly}\"")),
        "{cell}"
    );
    assert!(cell.contains("10:00 Monthly board sync"), "{cell}");
    let first_week = page
        .split("<tbody")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert_eq!(
        first_week.matches("ts-month__blank").count(),
        6,
        "March 2026 starts on a Sunday"
    );

    // A filtered month keeps its filters in the links to the months around it.
    let (status, _, page) = fetch(
        &server,
        &client,
        "/events?view=month&month=2026-04&kind=project-update-meeting&org=nhs-tayside",
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("Events in April 2026"));
    assert!(
        page.contains("href=\"/events?org=nhs-tayside&amp;kind=project-update-meeting&amp;view=month&amp;month=2026-03\""),
        "{page}"
    );
    assert!(page.contains("month=2026-05\""), "next month");
    assert!(
        page.contains("name=\"view\" value=\"month\""),
        "the filter form stays on the grid"
    );
    // Tayside takes part in the quarterly meeting, cancelled on 7 April 2026; not in the monthly one.
    assert!(
        page.contains(&format!("href=\"/events/{quarterly}\"")),
        "{page}"
    );
    assert!(page.contains("(cancelled)"));
    assert!(!page.contains(&format!("href=\"/events/{monthly}\"")));

    for bad in ["2026-13", "26-03", "march", "2026-3"] {
        let (status, _, _) =
            fetch(&server, &client, &format!("/events?view=month&month={bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }
    let (status, _, _) = fetch(&server, &client, "/events?view=calendar").await;
    assert_eq!(status, 400);
}
