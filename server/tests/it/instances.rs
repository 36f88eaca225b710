//! Several instances on one database: started together on an empty database, exactly one of
//! them migrates, imports the demo content and creates the administrator; all of them serve.
//! SQLite by default (one database file); PostgreSQL when `TRUSTSHARE_TEST_POSTGRES` is set.

use std::path::Path;

use crate::common::{repo_root, spawn_binary, KillOnDrop, TempDir, TestDatabase};
use server::setup::FIRST_ADMIN_EMAIL;

/// Files directly in `content/{folder}` with one of the `extensions`.
fn files_in(content: &Path, folder: &str, extensions: &[&str]) -> i64 {
    std::fs::read_dir(content.join(folder))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| extensions.iter().any(|wanted| x == *wanted))
                })
                .count() as i64
        })
        .unwrap_or(0)
}

/// Markdown files directly in `content/{folder}`.
fn markdown_in(content: &Path, folder: &str) -> i64 {
    files_in(content, folder, &["md"])
}

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn instances_started_together_on_one_empty_database_set_it_up_once_and_all_serve() {
    const INSTANCES: usize = 3;
    let content = repo_root().join("content");
    let database_dir = TempDir::new("instances");
    let database = TestDatabase::create(&database_dir.0);
    // Each instance keeps its search index in a data folder of its own.
    let data_dirs: Vec<_> = (0..INSTANCES).map(|_| TempDir::new("instance")).collect();

    // All at once, on one database.
    let starting: Vec<_> = data_dirs
        .iter()
        .map(|data_dir| spawn_binary(&data_dir.0, &database.url, &content))
        .collect();
    let mut children = Vec::new();
    let mut printed = Vec::new();
    for instance in starting {
        let (child, base, password) = instance.ready();
        children.push(KillOnDrop(child));
        printed.push((base, password));
    }

    let client = crate::common::client();
    for (base, _) in &printed {
        let health = client.get(format!("{base}/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200, "{base} serves");
        let home = client.get(format!("{base}/guides")).send().await.unwrap();
        assert_eq!(home.status(), 200, "{base} serves pages");
    }
    let passwords: Vec<&str> = printed
        .iter()
        .map(|(_, p)| p.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(
        passwords.len(),
        1,
        "exactly one instance prints the administrator's password: {printed:?}"
    );

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database.url).await.unwrap();
    let admin = format!("SELECT COUNT(*) FROM users WHERE email = '{FIRST_ADMIN_EMAIL}'");
    assert_eq!(count(&pool, &admin).await, 1);
    assert_eq!(
        count(
            &pool,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'user-created' AND target = '{FIRST_ADMIN_EMAIL}'"
            )
        )
        .await,
        1,
        "the administrator is created once"
    );
    // The demo content, imported once: one audit entry per file, one row per file.
    let documents = ["guides", "plans", "lessons"]
        .iter()
        .map(|k| markdown_in(&content, k))
        .sum::<i64>()
        + files_in(&content, "access", &["md", "yaml", "json"]);
    assert!(documents > 0 && markdown_in(&content, "organisations") > 0);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM documents").await,
        documents
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'document-imported'"
        )
        .await,
        documents,
        "each document is imported once"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'organisation-created' AND actor = 'import'"
        )
        .await,
        markdown_in(&content, "organisations"),
        "each organisation is imported once"
    );
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM users").await,
        markdown_in(&content, "users") + 1,
        "the demo users and the administrator"
    );
    pool.close().await;
    drop(children);
}
