//! Engine tests on a generated corpus imported into a SQLite database: search agrees with the
//! read rule in both directions, suggestions tell nothing about unreadable documents, and the
//! index survives a lagging, missing, damaged or outdated state.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;

use super::engine::{Engine, INDEX_DIR};
use super::model::{SearchQuery, SearchResults};
use super::schema::{analyzers, snippet_analyzer, words, STEM};
use crate::db::Db;
use crate::permissions::{DocStatus, DocumentAccess, Viewer, Visibility};
use crate::users::{CurrentUser, Role};

/// A folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Self {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "trustshare-search-{label}-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small deterministic random number generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ORGS: [(&str, &str, &str); 3] = [
    ("org-a", "Alpha Health Board", "scotland"),
    ("org-b", "Beta Hospitals Trust", "england"),
    ("org-c", "Gamma University Health Board", "wales"),
];

/// Made-up words, far apart from each other and from English.
fn vocabulary() -> Vec<String> {
    let first = ["zor", "quil", "vex", "plon", "grib", "mux", "tarv", "fiz"];
    let second = ["bat", "dek", "mip", "rux", "sol"];
    let mut words = Vec::new();
    for a in first {
        for b in second {
            words.push(format!("{a}{b}"));
        }
    }
    words
}

/// What the test knows about each generated document.
#[derive(Clone, Debug)]
struct Meta {
    kind: &'static str,
    org: usize,
    visibility: Visibility,
    status: DocStatus,
    has_published: bool,
    words: Vec<String>,
}

fn org_file(slug: &str, name: &str, nation: &str) -> String {
    format!("---\nname: {name}\ncode: {slug}\nnation: {nation}\nkind: trust\n---\n{name}.\n")
}

fn doc_file(
    kind: &str,
    title: &str,
    org: &str,
    visibility: &str,
    status: &str,
    body: &str,
) -> String {
    let extra = match kind {
        "plans" => "initiative: Rollout\nproduct: Product\n",
        "lessons" => {
            "phase: pilot\ncontext: Context.\nwhat_happened: It happened.\nrecommendation: Do it.\n"
        }
        _ => "",
    };
    format!(
        "---\ntitle: {title}\nsummary: Generated.\norganisation: {org}\nvisibility: {visibility}\nstatus: {status}\nupdated: 2026-05-01\n{extra}---\n{body}\n"
    )
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

async fn database(dir: &Path) -> Db {
    let db = Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    db
}

async fn import(db: &Db, dir: &Path) {
    let report = crate::content::import_dir(db, dir).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

/// A corpus of documents of every kind, organisation, visibility and status; some published
/// documents then get a newer draft.
async fn corpus(db: &Db, seed: u64, count: usize) -> BTreeMap<String, Meta> {
    let content = Scratch::new("content");
    let mut rng = Rng(seed);
    let vocab = vocabulary();
    let mut metas = BTreeMap::new();
    for (slug, name, nation) in ORGS {
        write(
            &content.0,
            &format!("organisations/{slug}.md"),
            &org_file(slug, name, nation),
        );
    }
    let kinds = [
        ("guides", "guide"),
        ("plans", "plan"),
        ("lessons", "lesson"),
    ];
    for i in 0..count {
        let (path, kind) = *rng.pick(&kinds);
        let org = rng.below(ORGS.len());
        let visibility = *rng.pick(Visibility::ALL);
        let status = *rng.pick(DocStatus::ALL);
        let words: Vec<String> = (0..4).map(|_| rng.pick(&vocab).clone()).collect();
        let slug = format!("doc-{i}");
        write(
            &content.0,
            &format!("{path}/{slug}.md"),
            &doc_file(
                path,
                &format!("Document {i}"),
                ORGS[org].0,
                visibility.as_str(),
                status.as_str(),
                &words.join(" "),
            ),
        );
        metas.insert(
            format!("{kind}/{slug}"),
            Meta {
                kind: path,
                org,
                visibility,
                status,
                has_published: matches!(status, DocStatus::Published | DocStatus::Archived),
                words,
            },
        );
    }
    import(db, &content.0).await;
    // A newer draft of some published documents: readers keep seeing the published text.
    let redraft = Scratch::new("redraft");
    for (org_slug, name, nation) in ORGS {
        write(
            &redraft.0,
            &format!("organisations/{org_slug}.md"),
            &org_file(org_slug, name, nation),
        );
    }
    for (key, meta) in metas.iter_mut() {
        if meta.status == DocStatus::Published && rng.below(3) == 0 {
            let slug = key.split('/').nth(1).unwrap();
            write(
                &redraft.0,
                &format!("{}/{slug}.md", meta.kind),
                &doc_file(
                    meta.kind,
                    &format!("Document {slug}"),
                    ORGS[meta.org].0,
                    meta.visibility.as_str(),
                    "draft",
                    &meta.words.join(" "),
                ),
            );
            meta.status = DocStatus::Draft;
        }
    }
    import(db, &redraft.0).await;
    metas
}

/// The viewers: anonymous, each role of each organisation, an administrator.
async fn viewers(db: &Db) -> Vec<Viewer> {
    let mut out = vec![Viewer::anonymous()];
    let mut id = 1000;
    for (slug, name, _) in ORGS {
        let org_id = crate::orgs::store::id_by_slug(db.pool(), slug)
            .await
            .unwrap()
            .unwrap();
        for role in [Role::Reader, Role::Editor, Role::Publisher, Role::Admin] {
            id += 1;
            out.push(Viewer::signed_in(CurrentUser {
                id,
                name: format!("User {id}"),
                email: format!("u{id}@example.nhs.uk"),
                org_id,
                org_slug: slug.into(),
                org_name: name.into(),
                role,
            }));
        }
    }
    out
}

async fn org_ids(db: &Db) -> Vec<i64> {
    let mut ids = Vec::new();
    for (slug, _, _) in ORGS {
        ids.push(
            crate::orgs::store::id_by_slug(db.pool(), slug)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    ids
}

fn access(meta: &Meta, org_ids: &[i64]) -> DocumentAccess {
    DocumentAccess {
        org_id: org_ids[meta.org],
        visibility: meta.visibility,
        status: meta.status,
        has_published: meta.has_published,
        // An imported archived file is archived until a published one arrives.
        archived: meta.status == crate::permissions::DocStatus::Archived,
    }
}

/// Every result of a search, all pages, as `kind/slug`.
fn all_hits(engine: &Engine, viewer: &Viewer, query: &SearchQuery) -> (Vec<String>, SearchResults) {
    let first = engine.search(viewer, query).unwrap();
    let mut keys: Vec<String> = Vec::new();
    for page in 1..=first.pages {
        let results = engine.search(viewer, &query.on_page(page)).unwrap();
        keys.extend(
            results
                .hits
                .iter()
                .map(|h| format!("{}/{}", h.kind, h.slug)),
        );
    }
    (keys, first)
}

async fn built(db: &Db, dir: &Path) -> Arc<Engine> {
    let engine = Engine::open(dir).unwrap();
    engine.catch_up(db).await.unwrap();
    assert!(!engine.catching_up());
    engine
}

#[tokio::test]
async fn search_agrees_with_the_read_rule_in_both_directions() {
    let scratch = Scratch::new("consistency");
    let db = database(&scratch.0).await;
    let metas = corpus(&db, 0x5eed_1234, 90).await;
    let engine = built(&db, &scratch.0.join("search")).await;
    let viewers = viewers(&db).await;
    let org_ids = org_ids(&db).await;
    let vocab = vocabulary();
    let mut rng = Rng(0xfeed_beef);
    let kinds = ["guide", "plan", "lesson"];
    let mut checked_hits = 0;
    for round in 0..400 {
        let viewer = rng.pick(&viewers).clone();
        let word = rng.pick(&vocab).clone();
        let drafts = rng.below(2) == 0;
        let kind = (rng.below(3) == 0).then(|| *rng.pick(&kinds));
        let mut query = SearchQuery::text(&word);
        query.drafts = drafts;
        if let Some(kind) = kind {
            query.filters.insert("kind".into(), kind.into());
        }
        let (hits, results) = all_hits(&engine, &viewer, &query);
        let who = viewer.user.as_ref().map(|u| (u.org_slug.clone(), u.role));
        let unpublished = drafts && viewer.can_search_unpublished();
        let may_find = |meta: &Meta| {
            let a = access(meta, &org_ids);
            viewer.can_read_document(&a) && (unpublished || a.readable_by_readers())
        };
        for key in &hits {
            let meta = &metas[key];
            assert!(
                may_find(meta),
                "round {round}: {who:?} found {key} ({meta:?}) searching {query:?}"
            );
            checked_hits += 1;
        }
        for (key, meta) in &metas {
            let wanted = meta.words.contains(&word)
                && may_find(meta)
                && kind.is_none_or(|k| key.starts_with(&format!("{k}/")));
            if wanted {
                assert!(
                    hits.contains(key),
                    "round {round}: {who:?} did not find {key} ({meta:?}) searching {query:?}"
                );
            }
        }
        // Counts come from the same documents: each has one kind.
        assert_eq!(results.total as usize, hits.len());
        let kinds_total: u64 = results
            .facets
            .iter()
            .filter(|g| g.name == "kind")
            .flat_map(|g| g.values.iter())
            .filter(|v| kind.is_none_or(|k| v.value == k))
            .map(|v| v.count)
            .sum();
        assert_eq!(kinds_total, results.total, "round {round}: kind counts");
    }
    assert!(checked_hits > 300, "only {checked_hits} hits checked");
}

#[tokio::test]
async fn suggestions_and_counts_tell_nothing_about_unreadable_documents() {
    let scratch = Scratch::new("leaks");
    let content = Scratch::new("leaks-content");
    for (slug, name, nation) in ORGS {
        write(
            &content.0,
            &format!("organisations/{slug}.md"),
            &org_file(slug, name, nation),
        );
    }
    write(
        &content.0,
        "guides/hidden.md",
        &doc_file(
            "guides",
            "Hidden",
            "org-b",
            "organisation",
            "published",
            "the password is quetzal and plonkerdom",
        ),
    );
    write(
        &content.0,
        "guides/draft.md",
        &doc_file(
            "guides",
            "Draft",
            "org-a",
            "public",
            "draft",
            "an unpublished xylophonist plonkerdom",
        ),
    );
    write(
        &content.0,
        "guides/open.md",
        &doc_file(
            "guides",
            "Open",
            "org-a",
            "public",
            "published",
            "an open document about plonkerdom",
        ),
    );
    let db = database(&scratch.0).await;
    import(&db, &content.0).await;
    let engine = built(&db, &scratch.0.join("search")).await;
    let viewers = viewers(&db).await;
    let anonymous = &viewers[0];
    let b_reader = viewers
        .iter()
        .find(|v| {
            v.user
                .as_ref()
                .is_some_and(|u| u.org_slug == "org-b" && u.role == Role::Reader)
        })
        .unwrap();

    // A typo of a word only an unreadable document holds: nothing found, nothing suggested.
    for q in [
        "quetzal",
        "quetzel",
        "qetzel",
        "quetza",
        "xylophonist",
        "xylophonst",
    ] {
        let r = engine.search(anonymous, &SearchQuery::text(q)).unwrap();
        assert_eq!(r.total, 0, "{q}");
        assert!(r.did_you_mean.is_none(), "{q}: {:?}", r.did_you_mean);
        assert!(r.facets.is_empty(), "{q}: {:?}", r.facets);
        let text =
            serde_json::to_string(&(&r.hits, &r.facets, &r.did_you_mean, &r.without_filters))
                .unwrap();
        assert!(
            !text.contains("quetzal") && !text.contains("xylophonist"),
            "{text}"
        );
    }
    // Its organisation's reader finds it, typo or not, and is offered the spelling.
    let r = engine
        .search(b_reader, &SearchQuery::text("quetzel"))
        .unwrap();
    assert_eq!(r.total, 1);
    let r = engine
        .search(b_reader, &SearchQuery::text("qetzel plonkerdom"))
        .unwrap();
    assert_eq!(r.total, 0);
    assert_eq!(
        r.did_you_mean.map(|s| (s.text, s.total)),
        Some(("quetzal plonkerdom".to_owned(), 1))
    );
    // Counts and facets hold the readable document only.
    let r = engine
        .search(anonymous, &SearchQuery::text("plonkerdom"))
        .unwrap();
    assert_eq!(r.total, 1);
    let orgs: Vec<&str> = r
        .facets
        .iter()
        .filter(|g| g.name == "org")
        .flat_map(|g| g.values.iter().map(|v| v.value.as_str()))
        .collect();
    assert_eq!(orgs, ["org-a"]);
    // Snippets show only the document's own text.
    assert!(r.hits[0].snippet_html.contains("<mark>plonkerdom</mark>"));
    assert!(!r.hits[0].snippet_html.contains("xylophonist"));
}

#[tokio::test]
async fn drafts_are_found_only_by_their_editors_and_only_when_asked() {
    let scratch = Scratch::new("drafts");
    let content = Scratch::new("drafts-content");
    for (slug, name, nation) in ORGS {
        write(
            &content.0,
            &format!("organisations/{slug}.md"),
            &org_file(slug, name, nation),
        );
    }
    write(
        &content.0,
        "plans/a-draft.md",
        &doc_file(
            "plans",
            "A draft",
            "org-a",
            "public",
            "draft",
            "zorbat plan",
        ),
    );
    write(
        &content.0,
        "guides/archived.md",
        &doc_file(
            "guides",
            "Old",
            "org-a",
            "public",
            "archived",
            "zorbat guide",
        ),
    );
    let db = database(&scratch.0).await;
    import(&db, &content.0).await;
    let engine = built(&db, &scratch.0.join("search")).await;
    let viewers = viewers(&db).await;
    let find = |org: &str, role: Role| {
        viewers
            .iter()
            .find(|v| {
                v.user
                    .as_ref()
                    .is_some_and(|u| u.org_slug == org && u.role == role)
            })
            .unwrap()
            .clone()
    };
    let editor = find("org-a", Role::Editor);
    let reader = find("org-a", Role::Reader);
    let other_editor = find("org-b", Role::Editor);
    let mut with_drafts = SearchQuery::text("zorbat");
    with_drafts.drafts = true;
    assert_eq!(
        engine
            .search(&editor, &SearchQuery::text("zorbat"))
            .unwrap()
            .total,
        0
    );
    let r = engine.search(&editor, &with_drafts).unwrap();
    assert_eq!(r.total, 2);
    assert!(r.hits.iter().all(|h| h.status.is_some()), "{:?}", r.hits);
    let typed = engine
        .search(&editor, &SearchQuery::text("zorbat drafts:yes"))
        .unwrap();
    assert_eq!(typed.total, 2);
    for viewer in [&reader, &other_editor, &viewers[0]] {
        let r = engine.search(viewer, &with_drafts).unwrap();
        assert_eq!(r.total, 0);
        assert!(!r.drafts_allowed || viewer.user.as_ref().is_some_and(|u| u.role >= Role::Editor));
    }
}

/// Small content with one guide per organisation.
async fn small_corpus(db: &Db) {
    let content = Scratch::new("small");
    for (slug, name, nation) in ORGS {
        write(
            &content.0,
            &format!("organisations/{slug}.md"),
            &org_file(slug, name, nation),
        );
        write(
            &content.0,
            &format!("guides/{slug}-guide.md"),
            &doc_file(
                "guides",
                &format!("{name} guide"),
                slug,
                "public",
                "published",
                "tapandgo badges and readers",
            ),
        );
    }
    import(db, &content.0).await;
}

async fn publish(db: &Db, slug: &str, body: &str) {
    let content = Scratch::new("publish");
    write(
        &content.0,
        "organisations/org-a.md",
        &org_file("org-a", ORGS[0].1, ORGS[0].2),
    );
    write(
        &content.0,
        &format!("guides/{slug}.md"),
        &doc_file("guides", "New guide", "org-a", "public", "published", body),
    );
    import(db, &content.0).await;
}

fn total(engine: &Engine, q: &str) -> u64 {
    engine
        .search(&Viewer::anonymous(), &SearchQuery::text(q))
        .unwrap()
        .total
}

#[tokio::test]
async fn an_index_behind_the_change_log_replays_it_when_opened_again() {
    let scratch = Scratch::new("replay");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let dir = scratch.0.join("search");
    drop(built(&db, &dir).await);
    // Written while no engine followed (as if it had crashed before applying it).
    publish(&db, "later", "zanzibarite").await;
    let engine = Engine::open(&dir).unwrap();
    assert!(engine.rebuild_reason().is_none());
    assert_eq!(total(&engine, "zanzibarite"), 0, "not applied yet");
    assert!(engine.catch_up(&db).await.unwrap() >= 1);
    assert_eq!(total(&engine, "zanzibarite"), 1);
    assert_eq!(total(&engine, "tapandgo"), 3);
}

#[tokio::test]
async fn replaying_from_a_truncated_watermark_leaves_each_document_once() {
    let scratch = Scratch::new("truncated");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let dir = scratch.0.join("search");
    drop(built(&db, &dir).await);
    // Commit the index again with its watermark set back to the start of the change log.
    {
        let index = tantivy::Index::open_in_dir(dir.join(INDEX_DIR)).unwrap();
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload("0");
        prepared.commit().unwrap();
    }
    let engine = Engine::open(&dir).unwrap();
    assert!(engine.rebuild_reason().is_none());
    assert!(
        engine.catch_up(&db).await.unwrap() >= 3,
        "the whole log replayed"
    );
    assert_eq!(total(&engine, "tapandgo"), 3, "no document twice");
}

#[tokio::test]
async fn a_missing_damaged_or_outdated_index_is_rebuilt() {
    let scratch = Scratch::new("rebuild");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let dir = scratch.0.join("search");
    let index = dir.join(INDEX_DIR);
    type Damage = fn(&Path);
    let damages: [(&str, Damage); 5] = [
        ("deleted", |p| std::fs::remove_dir_all(p).unwrap()),
        ("garbage meta.json", |p| {
            std::fs::write(p.join("meta.json"), "{not json").unwrap()
        }),
        ("another schema version", |p| {
            std::fs::write(p.join("trustshare-search-version"), "0\n").unwrap()
        }),
        ("no watermark", |p| {
            let index = tantivy::Index::open_in_dir(p).unwrap();
            let mut writer: tantivy::IndexWriter =
                index.writer_with_num_threads(1, 15_000_000).unwrap();
            writer.prepare_commit().unwrap().commit().unwrap();
        }),
        ("a truncated segment file", |p| {
            for entry in std::fs::read_dir(p).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "idx" || e == "store") {
                    let len = std::fs::metadata(&path).unwrap().len();
                    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                    file.set_len(len / 2).unwrap();
                }
            }
        }),
    ];
    drop(built(&db, &dir).await);
    for (what, damage) in damages {
        damage(&index);
        let engine = Engine::open(&dir).unwrap();
        engine.catch_up(&db).await.unwrap();
        assert!(!engine.catching_up(), "{what}");
        assert_eq!(total(&engine, "tapandgo"), 3, "{what}");
        assert!(!dir.join(super::engine::BUILDING_DIR).exists(), "{what}");
    }
}

#[tokio::test]
async fn a_damaged_index_serves_empty_results_that_say_they_are_catching_up() {
    let scratch = Scratch::new("serving");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let dir = scratch.0.join("search");
    drop(built(&db, &dir).await);
    std::fs::write(dir.join(INDEX_DIR).join("meta.json"), "garbage").unwrap();
    let engine = Engine::open(&dir).unwrap();
    let r = engine
        .search(&Viewer::anonymous(), &SearchQuery::text("tapandgo"))
        .unwrap();
    assert!(r.catching_up);
    assert_eq!(r.total, 0);
    engine.catch_up(&db).await.unwrap();
    let r = engine
        .search(&Viewer::anonymous(), &SearchQuery::text("tapandgo"))
        .unwrap();
    assert!(!r.catching_up);
    assert_eq!(r.total, 3);
}

#[tokio::test]
async fn renaming_an_organisation_reindexes_its_documents() {
    let scratch = Scratch::new("rename");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let engine = built(&db, &scratch.0.join("search")).await;
    assert_eq!(total(&engine, "org:alpha"), 1);
    let content = Scratch::new("rename-content");
    write(
        &content.0,
        "organisations/org-a.md",
        &org_file("org-a", "Omega Health Board", "wales"),
    );
    import(&db, &content.0).await;
    engine.catch_up(&db).await.unwrap();
    assert_eq!(total(&engine, "org:alpha"), 0);
    assert_eq!(total(&engine, "org:omega tapandgo"), 1);
    assert_eq!(total(&engine, "nation:wales"), 2);
}

#[tokio::test]
async fn a_document_made_private_after_a_search_is_no_longer_found_by_outsiders() {
    let scratch = Scratch::new("narrowed");
    let db = database(&scratch.0).await;
    small_corpus(&db).await;
    let engine = built(&db, &scratch.0.join("search")).await;
    // The anonymous read rule's documents are kept per segment after this search.
    assert_eq!(total(&engine, "tapandgo"), 3);
    let content = Scratch::new("narrowed-content");
    write(
        &content.0,
        "organisations/org-a.md",
        &org_file("org-a", ORGS[0].1, ORGS[0].2),
    );
    write(
        &content.0,
        "guides/org-a-guide.md",
        &doc_file(
            "guides",
            &format!("{} guide", ORGS[0].1),
            "org-a",
            "organisation",
            "published",
            "tapandgo badges and readers",
        ),
    );
    import(&db, &content.0).await;
    engine.catch_up(&db).await.unwrap();
    assert_eq!(
        total(&engine, "tapandgo"),
        2,
        "kept sets must not outlive a change"
    );
}

#[test]
fn skipped_change_ids_hold_the_watermark_until_they_appear_or_time_out() {
    use super::indexer::{Follow, GAP_GRACE};
    use super::source::ChangeRow;
    use crate::db::Entity;
    let row = |id| ChangeRow {
        id,
        entity: Entity::Document,
        entity_id: 1,
    };
    let start = std::time::Instant::now();
    let f = Follow::from_watermark(10);
    // 12 and 14 committed before 11 and 13.
    let f = f.after(&[row(12), row(14)], start);
    assert_eq!(f.watermark(), 10);
    let f = f.after(&[row(11)], start);
    assert_eq!(f.watermark(), 12);
    // 13 never appears (its write rolled back).
    let f = f.after(&[], start + GAP_GRACE);
    assert_eq!(f.watermark(), 14);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any query at all runs against a real index and answers, without an error or a panic.
    #[test]
    fn any_query_runs(q in "\\PC{0,300}|[-\"*:()a-z&| ]{0,60}|(org|kind|tag|nation|year|phase|drafts):[^ ]{0,10}") {
        let (engine, viewers) = shared_engine();
        for viewer in viewers.iter().take(3) {
            let r = engine.search(viewer, &SearchQuery::text(q.clone()));
            prop_assert!(r.is_ok(), "{q:?}: {r:?}");
            let mut with_facets = SearchQuery::text(q.clone());
            with_facets.filters.insert("org".into(), q.clone());
            with_facets.page = usize::MAX;
            prop_assert!(engine.search(viewer, &with_facets).is_ok());
            prop_assert!(engine.preview(viewer, &q, 8).is_ok());
        }
    }

    /// Snippets split and stem a text exactly as the index does, with remembered stems shared
    /// across texts: any word whose stem is marked is stemmed to it, and no other word is.
    #[test]
    fn snippet_analyzer_stems_every_word_as_the_index_does(
        text in "([a-z]{1,12}[ ,.]){1,40}",
        picked in proptest::collection::vec(0usize..40, 1..4),
    ) {
        let all: Vec<String> = text.split([' ', ',', '.']).filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let marks: BTreeSet<String> = picked.iter().map(|i| stem(&all[i % all.len()])).collect();
        let full: Vec<String> = all.iter().map(|w| stem(w)).collect();
        let mut analyzer = snippet_analyzer();
        // Twice: the second time every stem is a remembered one.
        for _ in 0..2 {
            let cheap = words(&mut analyzer, &text);
            prop_assert_eq!(&cheap, &full);
            for (c, f) in cheap.iter().zip(&full) {
                prop_assert_eq!(marks.contains(c), marks.contains(f), "{} / {}", c, f);
            }
        }
    }
}

/// A word's stem, by the index's own analyzer.
fn stem(word: &str) -> String {
    let mut analyzer = analyzers().into_iter().find(|(n, _)| *n == STEM).unwrap().1;
    words(&mut analyzer, word).pop().unwrap_or_default()
}

/// One engine over the small corpus, shared by the cases of the property test.
fn shared_engine() -> (Arc<Engine>, Vec<Viewer>) {
    static SHARED: std::sync::OnceLock<(Arc<Engine>, Vec<Viewer>, Scratch)> =
        std::sync::OnceLock::new();
    let (engine, viewers, _) = SHARED.get_or_init(|| {
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async {
                    let scratch = Scratch::new("fuzz");
                    let db = database(&scratch.0).await;
                    small_corpus(&db).await;
                    let engine = built(&db, &scratch.0.join("search")).await;
                    let viewers = viewers(&db).await;
                    db.pool().close().await;
                    (engine, viewers, scratch)
                })
        })
        .join()
        .unwrap()
    });
    (engine.clone(), viewers.clone())
}
