//! Schedules: events, their recurrence across daylight-saving changes, the iCalendar feeds read
//! back by an independent parser (Python's `icalendar` package, with `dateutil` expanding the
//! rules), SEQUENCE raised on every change, who sees which event, the pages and the importer.

mod common;

use std::process::{Command, Stdio};

use app::state::ManualClock;
use common::{content_tree, repo_root, TempDir, TestServer, PASSWORD};
use serde_json::Value;
use time::macros::datetime;

const FIFE_READER: &str = "isla.placeholder@fife.nhs.example";
const LOTHIAN_EDITOR: &str = "ravi.specimen@lothian.nhs.example";
const TAYSIDE_READER: &str = "duncan.trialford@tayside.nhs.example";

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
    let check = Command::new("python3")
        .args(["-c", "import icalendar, dateutil"])
        .status()
        .expect("run python3");
    assert!(
        check.success(),
        "these tests read feeds back with Python's icalendar package: `pip install icalendar` \
         (or `apt-get install python3-icalendar`); scripts/test.sh installs it"
    );
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(feed.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python could not read the feed: {}\n{feed}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
    let list = listed(&server, &server.client(), &[("query[when]", "upcoming")]).await;
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
    // organisation's own feed.
    let uids = |feed: &str| {
        let parsed = parse_with_python(feed);
        let mut uids: Vec<String> = parsed["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["uid"].as_str().unwrap().to_owned())
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
