//! Durability: the real server is killed with SIGKILL in the middle of a stream of saves and
//! workflow steps and started again on the same data. Every save and step the client saw
//! acknowledged (302 to the document) is there, nothing is half-written, and the audit log,
//! the change log and the workflow history agree with the documents. SQLite by default;
//! PostgreSQL when `TRUSTSHARE_TEST_POSTGRES` is set.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::common::{input_value, location, TestServer, PASSWORD};
use app::documents::WorkflowStep;
use app::kinds::DocKind;

const EDITOR: &str = "callum.sampleton@fife.nhs.example";
const PUBLISHER: &str = "morag.testwell@fife.nhs.example";
/// Writers working at once, each with its own session.
const WRITERS: usize = 3;
/// Acknowledged writes after which the server is killed.
const KILL_AFTER: usize = 18;
/// Bound on each writer's loop, should the kill never come.
const MAX_ROUNDS: usize = 40;

/// A write the server acknowledged.
#[derive(Clone, Debug)]
enum Ack {
    /// A save whose revision text carries `token`; `step` is what it recorded.
    Saved {
        path: String,
        token: String,
        step: WorkflowStep,
    },
    /// A workflow step on the document.
    Step { path: String, step: WorkflowStep },
}

struct Stream {
    base: String,
    acks: Mutex<Vec<Ack>>,
    count: AtomicUsize,
    killed: AtomicBool,
    /// Told when the acknowledged writes reach [`KILL_AFTER`].
    reached: tokio::sync::Notify,
    /// Writes under way when the server died: their outcome is unknown to the client.
    unanswered: AtomicUsize,
}

impl Stream {
    fn ack(&self, ack: Ack) {
        self.acks.lock().unwrap().push(ack);
        if self.count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
            self.reached.notify_one();
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Option<(u16, String)> {
        let Ok(response) = client
            .post(self.url(path))
            .header("origin", &self.base)
            .form(fields)
            .send()
            .await
        else {
            self.unanswered.fetch_add(1, Ordering::SeqCst);
            return None;
        };
        Some((response.status().as_u16(), location(&response)))
    }

    async fn get(&self, client: &reqwest::Client, path: &str) -> Option<(u16, String)> {
        let response = client.get(self.url(path)).send().await.ok()?;
        let status = response.status().as_u16();
        Some((status, response.text().await.ok()?))
    }
}

/// A writer: creates a guide, edits it and sends it for review, and has it approved; again and
/// again until the server goes away. Returns when a request fails (the server was killed).
async fn writer(
    stream: Arc<Stream>,
    n: usize,
    editor: reqwest::Client,
    publisher: reqwest::Client,
) {
    for round in 0..MAX_ROUNDS {
        if stream.killed.load(Ordering::SeqCst) {
            return;
        }
        let title = format!("Durability writer {n} round {round}");
        let token = format!("tok-{n}-{round}-a");
        let body = format!("Created in the stream. {token}");
        let create = [
            ("form[kind]", "guide"),
            ("form[slug]", ""),
            ("form[base_revision]", "0"),
            ("form[org]", "nhs-fife"),
            ("form[title]", title.as_str()),
            ("form[summary]", "Written while the server may die."),
            ("form[body]", body.as_str()),
            ("form[tags]", "durability"),
            ("form[visibility]", "public"),
            ("form[owner]", EDITOR),
            ("form[review_by]", "2027-06-30"),
            ("form[comment]", "First version"),
            ("form[intent]", "save"),
        ];
        let Some((status, path)) = stream.post(&editor, "/api/documents/save", &create).await
        else {
            return;
        };
        if status != 302 || !path.starts_with("/guides/durability-writer") {
            // Refused or redirected back to the editor: not acknowledged.
            continue;
        }
        stream.ack(Ack::Saved {
            path: path.clone(),
            token: token.clone(),
            step: WorkflowStep::Created,
        });
        let slug = path.trim_start_matches("/guides/").to_owned();

        let Some((200, editor_page)) = stream.get(&editor, &format!("{path}/edit")).await else {
            return;
        };
        let base = input_value(&editor_page, "form[base_revision]").expect("base revision");
        let token = format!("tok-{n}-{round}-b");
        let body = format!("Edited in the stream. {token}");
        let edit = [
            ("form[kind]", "guide"),
            ("form[slug]", slug.as_str()),
            ("form[base_revision]", base.as_str()),
            ("form[title]", title.as_str()),
            ("form[summary]", "Written while the server may die."),
            ("form[body]", body.as_str()),
            ("form[tags]", "durability"),
            ("form[visibility]", "public"),
            ("form[owner]", EDITOR),
            ("form[review_by]", "2027-06-30"),
            ("form[comment]", "Second version"),
            ("form[intent]", "submit"),
        ];
        let Some((status, to)) = stream.post(&editor, "/api/documents/save", &edit).await else {
            return;
        };
        if status != 302 || to != path {
            continue;
        }
        stream.ack(Ack::Saved {
            path: path.clone(),
            token,
            step: WorkflowStep::Saved,
        });

        let Some((200, page)) = stream.get(&publisher, &path).await else {
            return;
        };
        let Some(revision) = input_value(&page, "revision") else {
            continue;
        };
        let approve = [
            ("kind", "guide"),
            ("slug", slug.as_str()),
            ("step", "approve"),
            ("revision", revision.as_str()),
            ("comment", ""),
        ];
        let Some((status, to)) = stream
            .post(&publisher, "/api/documents/step", &approve)
            .await
        else {
            return;
        };
        if status == 302 && to == path {
            stream.ack(Ack::Step {
                path,
                step: WorkflowStep::Approved,
            });
        }
    }
}

/// id, kind, slug, head revision id, published revision id.
type DocumentRow = (i64, String, String, Option<i64>, Option<i64>);

async fn rows<T>(pool: &sqlx::AnyPool, sql: &str) -> Vec<T>
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as::<_, T>(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written() {
    let mut server = TestServer::start_binary().await;
    server.set_password(EDITOR, PASSWORD);
    server.set_password(PUBLISHER, PASSWORD);
    let mut sessions = Vec::new();
    for _ in 0..WRITERS {
        sessions.push((
            server.signed_in(EDITOR, PASSWORD).await,
            server.signed_in(PUBLISHER, PASSWORD).await,
        ));
    }

    let stream = Arc::new(Stream {
        base: server.base.clone(),
        acks: Mutex::new(Vec::new()),
        count: AtomicUsize::new(0),
        killed: AtomicBool::new(false),
        reached: tokio::sync::Notify::new(),
        unanswered: AtomicUsize::new(0),
    });
    let mut writers = tokio::task::JoinSet::new();
    for (n, (editor, publisher)) in sessions.into_iter().enumerate() {
        writers.spawn(writer(stream.clone(), n, editor, publisher));
    }
    tokio::select! {
        () = stream.reached.notified() => {
            // SIGKILL, with the writers still sending: no shutdown, no flush.
            server.kill_binary();
            stream.killed.store(true, Ordering::SeqCst);
        }
        () = async { while writers.join_next().await.is_some() {} } => {}
    }
    while let Some(w) = writers.join_next().await {
        w.expect("writer");
    }
    assert!(
        stream.killed.load(Ordering::SeqCst),
        "the stream ended before the server was killed ({} writes acknowledged)",
        stream.count.load(Ordering::SeqCst)
    );
    let acks = stream.acks.lock().unwrap().clone();
    assert!(acks.len() >= KILL_AFTER);

    server.restart_binary();
    let pool = server.tamper().await;
    eprintln!(
        "killed after {} acknowledged writes ({} unanswered): {:?}",
        acks.len(),
        stream.unanswered.load(Ordering::SeqCst),
        acks.iter()
            .map(|a| match a {
                Ack::Saved { step, .. } | Ack::Step { step, .. } => step.as_str(),
            })
            .collect::<Vec<_>>()
    );

    // Nothing half-written: every document has its head revision, its revisions are numbered
    // 1..n without a gap, and its row mirrors the revision readers see.
    let documents: Vec<DocumentRow> = rows(
        &pool,
        "SELECT id, kind, slug, head_revision_id, published_revision_id FROM documents",
    )
    .await;
    let revisions: Vec<(i64, i64, i64)> = rows(
        &pool,
        "SELECT id, document_id, number FROM document_revisions",
    )
    .await;
    let mut numbers: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut owner: HashMap<i64, (i64, i64)> = HashMap::new();
    for (id, doc, number) in &revisions {
        numbers.entry(*doc).or_default().push(*number);
        owner.insert(*id, (*doc, *number));
    }
    let mut paths: HashMap<i64, String> = HashMap::new();
    for (id, kind, slug, head, published) in &documents {
        let kind = DocKind::from_code(kind).expect("known kind");
        paths.insert(*id, kind.href(slug));
        let mut n = numbers.get(id).cloned().unwrap_or_default();
        n.sort_unstable();
        assert_eq!(
            n,
            (1..=n.len() as i64).collect::<Vec<_>>(),
            "{slug}: revision numbers"
        );
        let head = head.unwrap_or_else(|| panic!("{slug} has no head revision"));
        assert_eq!(
            owner.get(&head),
            Some(&(*id, n.len() as i64)),
            "{slug}: the head is its newest revision"
        );
        if let Some(published) = published {
            assert_eq!(
                owner.get(published).map(|o| o.0),
                Some(*id),
                "{slug}: published"
            );
        }
    }
    let mismatched: Vec<(String,)> = rows(
        &pool,
        "SELECT d.slug FROM documents d JOIN document_revisions r
           ON r.id = COALESCE(d.published_revision_id, d.head_revision_id)
         WHERE d.title <> r.title OR d.summary <> r.summary OR d.body <> r.body
            OR d.topic <> r.topic OR d.visibility <> r.visibility OR r.document_id <> d.id",
    )
    .await;
    assert!(
        mismatched.is_empty(),
        "rows that mirror no revision: {mismatched:?}"
    );

    // The logs agree with each other and with the history.
    let audit: Vec<(String, String, String)> =
        rows(&pool, "SELECT at, action, target FROM audit_log").await;
    let audit: HashSet<(String, String, String)> = audit.into_iter().collect();
    let audited = |at: &str, target: &str| audit.iter().any(|(a, _, t)| a == at && t == target);
    let changes: Vec<(String, i64, String)> =
        rows(&pool, "SELECT entity, entity_id, at FROM change_log").await;
    for (entity, id, at) in &changes {
        if entity == "document" {
            let path = paths
                .get(id)
                .unwrap_or_else(|| panic!("change-log row for a missing document {id}"));
            assert!(
                audited(at, path),
                "change-log row {path} at {at} has no audit entry"
            );
        }
    }
    let changed = |id: i64, at: &str| {
        changes
            .iter()
            .any(|(e, i, a)| e == "document" && *i == id && a == at)
    };
    let steps: Vec<(i64, String, String)> =
        rows(&pool, "SELECT document_id, step, at FROM workflow_steps").await;
    for (doc, step, at) in &steps {
        let path = &paths[doc];
        let action = WorkflowStep::parse(step).expect("known step").action();
        assert!(
            audit.contains(&(at.clone(), action.as_str().to_owned(), path.clone())),
            "{step} of {path} at {at} has no {action} audit entry"
        );
        assert!(
            changed(*doc, at),
            "{step} of {path} at {at} has no change-log row"
        );
    }

    // Every acknowledged write is there, with its history, audit entry and change-log row.
    let ids: HashMap<&String, i64> = paths.iter().map(|(id, p)| (p, *id)).collect();
    let client = server.client();
    for ack in &acks {
        let (path, step) = match ack {
            Ack::Saved { path, step, .. } | Ack::Step { path, step } => (path, *step),
        };
        let id = *ids
            .get(path)
            .unwrap_or_else(|| panic!("acknowledged {ack:?} but {path} is gone"));
        if let Ack::Saved { token, .. } = ack {
            let found: Vec<(i64,)> = sqlx::query_as(
                "SELECT id FROM document_revisions WHERE document_id = $1 AND body LIKE $2",
            )
            .bind(id)
            .bind(format!("%{token}%"))
            .fetch_all(&pool)
            .await
            .unwrap();
            assert_eq!(found.len(), 1, "acknowledged save {token} of {path}");
        }
        let at: Vec<String> = steps
            .iter()
            .filter(|(d, s, _)| *d == id && s == step.as_str())
            .map(|(_, _, at)| at.clone())
            .collect();
        assert!(
            !at.is_empty(),
            "acknowledged {ack:?}: no {step} in the history"
        );
        assert!(
            at.iter().any(|at| {
                audit.contains(&(at.clone(), step.action().as_str().to_owned(), path.clone()))
                    && changed(id, at)
            }),
            "acknowledged {ack:?}: audit entry or change-log row missing"
        );
    }
    // The restarted server serves what was acknowledged.
    for path in acks.iter().filter_map(|a| match a {
        Ack::Step { path, .. } => Some(path),
        Ack::Saved { .. } => None,
    }) {
        let (status, page) = server.get(&client, path).await;
        assert_eq!(status, 200, "{path} after the restart");
        assert!(
            page.contains("Edited in the stream."),
            "{path}: the approved text"
        );
    }
    pool.close().await;
}
