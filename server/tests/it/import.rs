//! `trustshare import`: idempotent, file by file, with precise reports of bad files.

use crate::common::{content_tree, repo_root, TestServer};

/// Rows in every table an import writes.
async fn table_counts(server: &TestServer) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "organisations",
        "users",
        "documents",
        "document_tags",
        "change_log",
    ] {
        counts.push(server.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

#[tokio::test]
async fn importing_the_same_folder_twice_changes_nothing() {
    let server = TestServer::start().await;
    let before = table_counts(&server).await;
    assert!(before[2] >= 12, "demo content has at least 12 guides");

    let content = repo_root().join("content");
    let out = server.command(&["import", content.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("guides: 0 created, 0 updated"),
        "{}",
        out.stdout
    );
    let after = table_counts(&server).await;
    assert_eq!(before, after);
}

const ORG: &str =
    "---\nname: Test Board\ncode: T1\nnation: scotland\nkind: health-board\n---\nA test board.\n";

fn guide(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\norganisation: test-board\nvisibility: public\ntags: [testing]\n{extra}---\n## Section\n\nBody text.\n")
}

#[tokio::test]
async fn a_changed_file_updates_the_same_guide_and_logs_the_change() {
    let server = TestServer::start().await;
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        ("guides/my-guide.md", &guide("First title", "")),
    ]);
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("guides: 1 created"), "{}", out.stdout);
    let changes = server.count("SELECT COUNT(*) FROM change_log").await;

    std::fs::write(dir.0.join("guides/my-guide.md"), guide("Second title", "")).unwrap();
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert!(
        out.stdout.contains("guides: 0 created, 1 updated"),
        "{}",
        out.stdout
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM documents WHERE slug = 'my-guide'")
            .await,
        1
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM change_log").await,
        changes + 1,
        "one change-log entry per change"
    );
    let (_, page) = server.get(&server.client(), "/guides/my-guide").await;
    assert!(page.contains("Second title"));
}

#[tokio::test]
async fn bad_files_are_reported_with_path_line_and_field_and_skipped() {
    let server = TestServer::start().await;
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        (
            "organisations/bad-nation.md",
            "---\nname: Bad\ncode: B1\nnation: atlantis\nkind: trust\n---\n",
        ),
        ("guides/good-one.md", &guide("A good guide", "")),
        (
            "guides/bad-visibility.md",
            &guide("Bad visibility", "owner: nobody@nowhere.example\n"),
        ),
        (
            "guides/bad-yaml.md",
            "---\ntitle: [unclosed\norganisation: test-board\n---\nBody\n",
        ),
        (
            "guides/bad-date.md",
            &guide("Bad date", "review_by: 2027-02-30\n"),
        ),
        ("guides/no-front-matter.md", "Just text\n"),
        (
            "guides/unknown-field.md",
            &guide("Unknown field", "colour: blue\n"),
        ),
        ("guides/Bad_Name.md", &guide("Bad name", "")),
    ]);
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(
        out.status, 2,
        "exit status 2 when files were skipped: {}",
        out.stderr
    );
    let err = out.stderr;
    let expect = [
        ("bad-nation.md:4: field `nation`", "atlantis"),
        (
            "bad-visibility.md:6: field `owner`",
            "nobody@nowhere.example",
        ),
        ("bad-yaml.md:2", ""),
        ("bad-date.md:6: field `review_by`", "2027-02-30"),
        ("no-front-matter.md:1", "must start with a line `---`"),
        ("unknown-field.md", "colour"),
        ("Bad_Name.md", "not a valid slug"),
    ];
    for (location, detail) in expect {
        let line = err
            .lines()
            .find(|l| l.contains(location))
            .unwrap_or_else(|| panic!("no report for {location} in:\n{err}"));
        assert!(line.contains(detail), "{line}");
    }
    assert!(out.stdout.contains("guides: 1 created"), "{}", out.stdout);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM documents WHERE slug = 'good-one'")
            .await,
        1
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM documents WHERE slug LIKE 'bad-%'")
            .await,
        0,
        "nothing half-written"
    );
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM organisations WHERE slug = 'bad-nation'")
            .await,
        0
    );
    assert_eq!(
        server.count("SELECT COUNT(*) FROM document_tags WHERE document_id NOT IN (SELECT id FROM documents)").await,
        0
    );
}

#[tokio::test]
async fn a_bad_file_never_changes_what_was_stored_before() {
    let server = TestServer::start().await;
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        ("guides/kept.md", &guide("Kept title", "")),
    ]);
    assert_eq!(
        server
            .command(&["import", dir.0.to_str().unwrap()], None)
            .status,
        0
    );
    std::fs::write(
        dir.0.join("guides/kept.md"),
        guide("Changed title", "visibility: everyone\n").replace("visibility: public\n", ""),
    )
    .unwrap();
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("field `visibility`"), "{}", out.stderr);
    let (_, page) = server.get(&server.client(), "/guides/kept").await;
    assert!(page.contains("Kept title") && !page.contains("Changed title"));
}

#[tokio::test]
async fn organisations_may_name_parents_that_come_later_in_the_folder() {
    let server = TestServer::start().await;
    let dir = content_tree(&[
        (
            "organisations/a-child.md",
            "---\nname: Child\ncode: C\nnation: wales\nkind: trust\nparent: z-parent\n---\n",
        ),
        (
            "organisations/z-parent.md",
            "---\nname: Parent\ncode: P\nnation: wales\nkind: national-body\n---\n",
        ),
    ]);
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let (_, page) = server.get(&server.client(), "/orgs/a-child").await;
    assert!(page.contains("/orgs/z-parent"));
}

#[tokio::test]
async fn links_and_oversized_files_are_reported_and_skipped_never_followed() {
    let server = TestServer::start().await;
    // Files outside the folder a link could reach, which must never be imported.
    let outside = content_tree(&[
        ("secret.md", &guide("Secret outside the folder", "")),
        ("lessons/outside-lesson.md", &guide("Outside lesson", "")),
    ]);
    let big = guide("Too big", "").replace(
        "Body text.",
        &"A long line of text for a big file.\n".repeat(40_000),
    );
    assert!(big.len() > 1024 * 1024);
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        ("guides/good-one.md", &guide("A good guide", "")),
        ("guides/too-big.md", &big),
    ]);
    std::os::unix::fs::symlink(outside.0.join("secret.md"), dir.0.join("guides/linked.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.0.join("lessons"), dir.0.join("lessons")).unwrap();

    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2, "files were skipped: {}", out.stderr);
    let err = out.stderr;
    for (location, reason) in [
        ("guides/linked.md", "is a symbolic link"),
        ("lessons", "is a symbolic link"),
        (
            "guides/too-big.md",
            "a content file can be at most 1024 KiB",
        ),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(location) && l.contains(reason))
            .unwrap_or_else(|| panic!("no report for {location} ({reason}) in:\n{err}"));
        assert!(line.contains("skipped"), "{line}");
    }
    assert!(out.stdout.contains("guides: 1 created"), "{}", out.stdout);
    for slug in ["linked", "too-big", "outside-lesson", "secret"] {
        assert_eq!(
            server
                .count(&format!(
                    "SELECT COUNT(*) FROM documents WHERE slug = '{slug}'"
                ))
                .await,
            0,
            "{slug} not imported"
        );
    }
    assert_eq!(
        server.count("SELECT COUNT(*) FROM documents WHERE title LIKE '%outside%' OR title LIKE '%Outside%'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn an_archived_file_keeps_the_document_from_readers_until_a_published_one_arrives() {
    let server = TestServer::start().await;
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        ("guides/shelved.md", &guide("Shelved", "")),
    ]);
    let import = |server: &TestServer| {
        let out = server.command(&["import", dir.0.to_str().unwrap()], None);
        assert_eq!(out.status, 0, "{}", out.stderr);
    };
    import(&server);
    assert_eq!(server.get(&server.client(), "/guides/shelved").await.0, 200);
    std::fs::write(
        dir.0.join("guides/shelved.md"),
        guide("Shelved", "status: archived\n"),
    )
    .unwrap();
    import(&server);
    assert_eq!(server.get(&server.client(), "/guides/shelved").await.0, 404);
    // A draft that follows does not bring it back; a published file does.
    std::fs::write(
        dir.0.join("guides/shelved.md"),
        guide("Shelved, redrafted", "status: draft\n"),
    )
    .unwrap();
    import(&server);
    assert_eq!(server.get(&server.client(), "/guides/shelved").await.0, 404);
    std::fs::write(dir.0.join("guides/shelved.md"), guide("Shelved, back", "")).unwrap();
    import(&server);
    let (status, page) = server.get(&server.client(), "/guides/shelved").await;
    assert_eq!(status, 200);
    assert!(page.contains("Shelved, back"));
}

#[tokio::test]
async fn imported_fields_over_their_size_limits_are_refused_by_name() {
    let server = TestServer::start().await;
    let long_topic = format!("topic: {}\n", "t".repeat(101));
    let many_tags = format!(
        "tags: [{}]\n",
        (0..21)
            .map(|i| format!("tag-{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let lesson = format!(
        "---\ntitle: Long lesson\norganisation: test-board\nphase: pilot\ncontext: {}\nwhat_happened: It happened.\nrecommendation: Do it.\n---\n",
        "c".repeat(20_001)
    );
    let dir = content_tree(&[
        ("organisations/test-board.md", ORG),
        (
            "guides/long-topic.md",
            &guide("Long topic", &long_topic).replace("tags: [testing]\n", ""),
        ),
        (
            "guides/many-tags.md",
            &guide("Many tags", &many_tags).replace("tags: [testing]\n", ""),
        ),
        ("lessons/long-lesson.md", &lesson),
    ]);
    let out = server.command(&["import", dir.0.to_str().unwrap()], None);
    assert_eq!(out.status, 2);
    for (file, field, message) in [
        ("long-topic.md", "topic", "must be 100 characters or fewer"),
        ("many-tags.md", "tags", "at most 20 tags"),
        (
            "long-lesson.md",
            "context",
            "must be 20000 characters or fewer",
        ),
    ] {
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no report for {file}:\n{}", out.stderr));
        assert!(
            line.contains(&format!("field `{field}`")) && line.contains(message),
            "{line}"
        );
    }
}
