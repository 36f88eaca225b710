//! `trustshare access check FILE`: the real binary on the demo configurations, on files that
//! fail a `must` rule, and on files it cannot read or parse; and `/access/schema.json`.

use std::process::Command;

use crate::common::{bin, repo_root, TempDir, TestServer};

/// What the binary printed and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(file: &std::path::Path, today: &str) -> Run {
    let out = Command::new(bin())
        .args(["access", "check"])
        .arg(file)
        .args(["--today", today])
        .output()
        .expect("run trustshare");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn demo(slug: &str) -> std::path::PathBuf {
    repo_root().join(format!("content/access/{slug}.yaml"))
}

/// The line of the report about one rule.
fn rule_line<'a>(stdout: &'a str, code: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(code))
        .unwrap_or_else(|| panic!("no line for {code} in:\n{stdout}"))
}

#[test]
fn a_configuration_passing_every_must_rule_exits_0_with_a_report() {
    let run = check(&demo("nhs-fife"), "2026-03-15");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.contains("as of 2026-03-15"), "{}", run.stdout);
    let ws = rule_line(&run.stdout, "WS-01");
    assert!(ws.contains("must") && ws.contains("PASS"), "{ws}");
    assert!(run
        .stdout
        .contains("observed: Ward kiosks (clinical area): locks after 180 s (3 min)"));
    assert!(run
        .stdout
        .contains("expected: shared workstations lock within 300 s (5 min)"));
    assert!(
        run.stdout.contains("Every must rule passes."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Summary: 26 rules: "), "{}", run.stdout);
}

#[test]
fn a_failing_must_rule_exits_1_and_is_named() {
    let run = check(&demo("leeds-teaching-hospitals"), "2026-03-15");
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let mfa = rule_line(&run.stdout, "MFA-01");
    assert!(mfa.contains("must") && mfa.contains("FAIL"), "{mfa}");
    assert!(run
        .stdout
        .contains("observed: Legacy supplier VPN (building management): MFA enforced no"));
    assert!(
        run.stdout.contains("1 must rule fails: MFA-01."),
        "{}",
        run.stdout
    );
}

#[test]
fn a_must_rule_lacking_facts_exits_1_and_is_named() {
    let run = check(&demo("newcastle-upon-tyne-hospitals"), "2026-03-15");
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(rule_line(&run.stdout, "BAK-01").contains("UNKNOWN"));
    assert!(
        run.stdout.contains(
            "4 must rules could not be checked for want of facts: \
             MFA-01, MFA-02, APL-01, BAK-01."
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("must rule passes"), "{}", run.stdout);
    assert!(!run.stdout.contains("must rule fails"), "{}", run.stdout);
}

#[test]
fn dates_are_judged_as_of_the_given_day() {
    // Fife's last restore test (2025-12-03) is recent in 2026 and stale two years on.
    let later = check(&demo("nhs-fife"), "2027-12-04");
    assert_eq!(later.code, 1, "{}", later.stdout);
    assert!(rule_line(&later.stdout, "BAK-01").contains("FAIL"));
    let bad_day = check(&demo("nhs-fife"), "2026-02-30");
    assert_eq!(bad_day.code, 2, "{}", bad_day.stderr);
}

#[test]
fn a_file_it_cannot_parse_exits_2_naming_line_column_field_and_reason() {
    let dir = TempDir::new("access-check");
    let file = dir.0.join("broken.yaml");
    std::fs::write(
        &file,
        "schema_version: 1\norganisation: nhs-fife\noperations:\n  backup_last_tesetd: 2025-01-01\n  training_coverage_percent: lots\n",
    )
    .unwrap();
    let run = check(&file, "2026-03-15");
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let shown = file.display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "{shown}:4:3: operations.backup_last_tesetd: unknown field `backup_last_tesetd`"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{shown}:5:30: operations.training_coverage_percent: expected a whole number, found text"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not a valid configuration (2 errors)"));

    // Not YAML at all.
    std::fs::write(&file, "organisation: [nhs-fife\n").unwrap();
    let run = check(&file, "2026-03-15");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("{shown}:")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_it_cannot_read_exits_2() {
    let dir = TempDir::new("access-check-missing");
    let run = check(&dir.0.join("nowhere.yaml"), "2026-03-15");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nowhere.yaml: cannot read"),
        "{}",
        run.stderr
    );
    let binary = dir.0.join("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    let run = check(&binary, "2026-03-15");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
}

#[tokio::test]
async fn the_schema_is_public_cacheable_and_the_one_the_checks_use() {
    let server = TestServer::start().await;
    let response = server
        .client()
        .get(server.url("/access/schema.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/schema+json");
    assert_eq!(header("cache-control"), "public, max-age=3600");
    let body = response.text().await.unwrap();
    assert_eq!(body, app::access::schema::schema_text());
    let schema: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["computer_policies"].is_object());
}
