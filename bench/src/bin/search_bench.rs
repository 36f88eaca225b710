//! `search-bench`: on a database filled by `corpus`, builds the search index the way the server
//! does (`Engine::open` + `build_from`), measuring the rate, peak memory and size on disk; runs
//! the fixed query set in-process as three kinds of viewer; starts the real `trustshare serve`
//! on the same data and runs the set again over HTTP (the `/search` page and the JSON API),
//! signed in where the viewer is; then runs it on PostgreSQL full-text search and SQLite FTS5
//! built from the same documents, and prints the tables with the ratios and the targets.
//!
//! Everything stays on this machine: the server listens on 127.0.0.1, PostgreSQL is given as a
//! URL (the script makes and drops a database for it), and every loop is bounded by the query
//! set and the number of rounds.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use app::db::Db;
use app::permissions::Viewer;
use app::search::{Engine, SearchQuery};
use app::users::Role;
use bench::baseline::{self, Built, Fts5, Postgres};
use bench::measure::{self, kb_as_mb, mb, Latencies, Spread};
use bench::queries::{self, Baseline, Category, QUERIES};
use clap::Parser;

/// The targets at 100,000 documents.
const TARGET_IN_PROCESS_P99_MS: f64 = 10.0;
const TARGET_HTTP_P99_MS: f64 = 30.0;
const TARGET_PG_RATIO: f64 = 5.0;
const TARGET_BUILD_RATE: f64 = 5000.0;
/// The organisation whose reader and editor search.
const STAFF_ORG: &str = "nhs-fife";
/// How long the server may take to start and catch up.
const SERVER_WAIT: Duration = Duration::from_secs(600);

/// Measures search on a corpus made by `corpus`.
#[derive(Parser)]
struct Args {
    /// The portal's database, filled by `corpus`.
    #[arg(long)]
    database_url: String,
    /// The server's data folder; the index is built in `search/` inside it (replacing any).
    #[arg(long)]
    data_dir: PathBuf,
    /// The `trustshare` binary (default: beside this one).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// An empty PostgreSQL database for the baseline; without it PostgreSQL is skipped.
    #[arg(long)]
    postgres_url: Option<String>,
    /// Where the SQLite FTS5 baseline is built (replaced); default `fts5.db` in the data folder.
    #[arg(long)]
    fts5_path: Option<PathBuf>,
    /// Timed rounds of the query set per viewer and engine (after one untimed round).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Results per page for the baselines (the portal shows 10).
    #[arg(long, default_value_t = app::search::model::PER_PAGE as i64)]
    baseline_limit: i64,
    /// The JSON `corpus --stats` wrote, to describe the corpus in the report.
    #[arg(long)]
    corpus_stats: Option<PathBuf>,
    /// Also writes the report here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// The command that ran this, for the report.
    #[arg(long)]
    command: Option<String>,
    /// Only build the index and search in-process (for profiling the engine).
    #[arg(long)]
    engine_only: bool,
    /// With --engine-only: search the index already in the data folder instead of building one.
    #[arg(long, requires = "engine_only")]
    keep_index: bool,
    /// With --keep-index: only the queries of the set that contain this text (for profiling).
    #[arg(long, requires = "keep_index")]
    only: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    bench::exit_code(run(Args::parse()).await)
}

type Error = bench::Error;

/// A kind of person searching.
struct Who {
    label: &'static str,
    viewer: Viewer,
    /// Editors search drafts too (`drafts=yes`).
    drafts: bool,
    email: Option<String>,
}

impl Who {
    /// The read rule of this viewer's searches as a SQL condition on `d`, for the baselines:
    /// the portal's own SQL form of the rule, limited to what readers see unless drafts are
    /// searched (see `permissions::ReadScope::search`).
    fn rule_sql(&self) -> String {
        let scope = self.viewer.read_scope().sql("d");
        if self.drafts && self.viewer.can_search_unpublished() {
            scope
        } else {
            format!("{scope} AND {}", app::permissions::readable_by_readers("d"))
        }
    }

    fn query(&self, q: &str) -> SearchQuery {
        SearchQuery {
            drafts: self.drafts,
            ..SearchQuery::text(q)
        }
    }
}

/// Latencies of one engine, by viewer and query.
#[derive(Default)]
struct Timings {
    /// (viewer, query index) → latencies.
    by_query: BTreeMap<(usize, usize), Latencies>,
    /// (viewer, query index) → total found.
    totals: BTreeMap<(usize, usize), u64>,
}

impl Timings {
    fn record(&mut self, who: usize, query: usize, took: Duration) {
        self.by_query.entry((who, query)).or_default().push(took);
    }

    /// Keeps one search: its total in the untimed round 0, its time in the others.
    fn keep(&mut self, round: usize, who: usize, query: usize, took: Duration, total: u64) {
        if round == 0 {
            self.totals.insert((who, query), total);
        } else {
            self.record(who, query, took);
        }
    }

    fn all(&self) -> Latencies {
        let mut l = Latencies::default();
        for v in self.by_query.values() {
            l.extend(v);
        }
        l
    }

    fn filtered(&self, keep: impl Fn(usize, usize) -> bool) -> Latencies {
        let mut l = Latencies::default();
        for ((w, q), v) in &self.by_query {
            if keep(*w, *q) {
                l.extend(v);
            }
        }
        l
    }

    fn category(&self, c: Category) -> Latencies {
        self.filtered(|_, q| QUERIES[q].0 == c)
    }
}

async fn run(args: Args) -> Result<(), Error> {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let db = Db::connect(&args.database_url).await?;
    let docs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(db.pool())
        .await?;
    eprintln!("{docs} documents in the database");
    let people = viewers(&db).await?;
    let baselines: Vec<Baseline> = QUERIES
        .iter()
        .map(|(c, q)| queries::baseline(*c, q))
        .collect::<Result<_, _>>()?;

    // 1. The index, built the way the server builds it.
    let search_dir = args.data_dir.join("search");
    if args.keep_index {
        let engine = Engine::open(&search_dir)?;
        let only = args.only.as_deref().unwrap_or_default();
        let portal = search_in_process(&engine, &people, args.rounds, only)?;
        for (i, (c, q)) in QUERIES.iter().enumerate() {
            if !q.contains(only) {
                continue;
            }
            let s = portal.filtered(|_, x| x == i).spread();
            eprintln!(
                "{:>18} {q:40} p50 {:8.2} ms  p99 {:8.2} ms",
                c.label(),
                s.p50,
                s.p99
            );
        }
        let s = portal.all().spread();
        eprintln!("in-process: p50 {:.2} ms, p99 {:.2} ms", s.p50, s.p99);
        return Ok(());
    }
    if search_dir.exists() {
        std::fs::remove_dir_all(&search_dir)?;
    }
    let rss_before = measure::proc_status_kb("self", "VmRSS").unwrap_or(0);
    let anon_before = measure::proc_status_kb("self", "RssAnon").unwrap_or(0);
    let peak_reset = measure::reset_peak_memory();
    let sampler = measure::PeakSampler::start();
    let engine = Engine::open(&search_dir)?;
    let started = Instant::now();
    let indexed = engine.build_from(&db).await?;
    let build_time = started.elapsed();
    let (anon_peak, rss_peak) = sampler.stop();
    let build_peak = measure::proc_status_kb("self", "VmHWM")
        .unwrap_or(0)
        .max(rss_peak);
    let index_bytes = measure::dir_bytes(&search_dir.join("index"));
    let build_rate = indexed as f64 / build_time.as_secs_f64();
    eprintln!(
        "index: {indexed} documents in {:.1} s ({build_rate:.0}/s), peak {} heap, {} resident, {} on disk",
        build_time.as_secs_f64(),
        kb_as_mb(anon_peak),
        kb_as_mb(build_peak),
        mb(index_bytes)
    );

    // 2. In-process searches.
    let portal = search_in_process(&engine, &people, args.rounds, "")?;
    let in_process = portal.all().spread();
    eprintln!(
        "in-process: p50 {:.2} ms, p99 {:.2} ms",
        in_process.p50, in_process.p99
    );
    drop(engine);
    if args.engine_only {
        return Ok(());
    }

    // 3. Over HTTP, through the real server.
    let server_bin = match &args.server_bin {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .ok_or("no folder for this binary")?
            .join("trustshare"),
    };
    let http = http_phase(&args, &server_bin, &people, &portal).await?;

    // 4. The baselines.
    let mut pg = None;
    if let Some(url) = &args.postgres_url {
        let postgres = Postgres::create(url).await?;
        let built = postgres.build(&db).await?;
        eprintln!(
            "PostgreSQL: index built in {:.1} s (after {:.1} s loading)",
            built.index.as_secs_f64(),
            built.load.as_secs_f64()
        );
        let t = time_baseline(&postgres, &people, &baselines, &args).await?;
        eprintln!("PostgreSQL: p99 {:.2} ms", t.all().spread().p99);
        pg = Some((built, t));
    }
    let fts5_path = args
        .fts5_path
        .clone()
        .unwrap_or_else(|| args.data_dir.join("fts5.db"));
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", fts5_path.display()));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    let fts5 = Fts5::create(&fts5_path).await?;
    let fts5_built = fts5.build(&db, &fts5_path).await?;
    eprintln!(
        "FTS5: index built in {:.1} s (after {:.1} s loading)",
        fts5_built.index.as_secs_f64(),
        fts5_built.load.as_secs_f64()
    );
    let fts = time_baseline(&fts5, &people, &baselines, &args).await?;
    eprintln!("FTS5: p99 {:.2} ms", fts.all().spread().p99);

    let report = Report {
        args: &args,
        load: load.trim(),
        docs: docs as u64,
        people: &people,
        indexed,
        build_time,
        build_rate,
        build_peak,
        anon_peak,
        anon_before,
        rss_before,
        peak_reset,
        index_bytes,
        db_bytes: sqlite_bytes(&args.database_url),
        portal: &portal,
        http: &http,
        pg: pg.as_ref(),
        fts5: (&fts5_built, &fts),
    }
    .render();
    println!("{report}");
    if let Some(path) = &args.report {
        std::fs::write(path, &report)?;
    }
    Ok(())
}

/// The queries of the set that contain `only` as each viewer, one untimed round (which records
/// the totals) then `rounds`.
fn search_in_process(
    engine: &Engine,
    people: &[Who],
    rounds: usize,
    only: &str,
) -> Result<Timings, Error> {
    let mut portal = Timings::default();
    for (w, who) in people.iter().enumerate() {
        for round in 0..=rounds {
            for (i, (_, q)) in QUERIES.iter().enumerate() {
                if !q.contains(only) {
                    continue;
                }
                let query = who.query(q);
                let started = Instant::now();
                let results = engine.search(&who.viewer, &query)?;
                portal.keep(round, w, i, started.elapsed(), results.total);
            }
        }
    }
    Ok(portal)
}

/// The query set on a baseline as each viewer: one untimed round (which records the totals),
/// then the timed rounds.
async fn time_baseline(
    engine: &impl baseline::Engine,
    people: &[Who],
    baselines: &[Baseline],
    args: &Args,
) -> Result<Timings, Error> {
    let mut t = Timings::default();
    for (w, who) in people.iter().enumerate() {
        let rule = who.rule_sql();
        for round in 0..=args.rounds {
            for (i, b) in baselines.iter().enumerate() {
                let started = Instant::now();
                let answer = engine.search(b, &rule, args.baseline_limit).await?;
                t.keep(round, w, i, started.elapsed(), answer.total);
            }
        }
    }
    Ok(t)
}

/// Size of a SQLite database file and its journal, or 0 for another database.
fn sqlite_bytes(url: &str) -> u64 {
    let Some(path) = url.strip_prefix("sqlite://") else {
        return 0;
    };
    let path = path.split('?').next().unwrap_or(path);
    ["", "-wal"]
        .iter()
        .map(|s| measure::dir_bytes(Path::new(&format!("{path}{s}"))))
        .sum()
}

/// Anonymous, a reader of [`STAFF_ORG`], and an editor of it searching drafts too.
async fn viewers(db: &Db) -> Result<Vec<Who>, Error> {
    let org = app::orgs::store::id_by_slug(db.pool(), STAFF_ORG)
        .await?
        .ok_or("the corpus has no nhs-fife: make it with `corpus`")?;
    let members = app::users::store::list_for_org(db, org).await?;
    let person = |role: Role| {
        members
            .iter()
            .find(|u| u.role == role)
            .map(|u| (u.id, u.email.clone()))
            .ok_or(format!("{STAFF_ORG} has no {}", role.as_str()))
    };
    let mut out = vec![Who {
        label: "anonymous",
        viewer: Viewer::anonymous(),
        drafts: false,
        email: None,
    }];
    for (label, role, drafts) in [
        ("reader of NHS Fife", Role::Reader, false),
        ("editor of NHS Fife, with drafts", Role::Editor, true),
    ] {
        let (id, email) = person(role)?;
        let user = app::users::store::find_current(db, id)
            .await?
            .ok_or("a member vanished")?;
        out.push(Who {
            label,
            viewer: Viewer::signed_in(user),
            drafts,
            email: Some(email),
        });
    }
    Ok(out)
}

/// What the HTTP runs measured.
struct Http {
    /// `/api/v1/search` and `/search` timings.
    api: Timings,
    page: Timings,
    /// API answers whose total differs from the in-process search for the same viewer.
    mismatches: Vec<String>,
    /// Server memory after the runs: resident, peak (kB).
    server_rss: Option<u64>,
    server_peak: Option<u64>,
    /// From starting the server to its index being caught up (checksums checked).
    ready_after: Duration,
}

/// The real server, started on the benchmark's data.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(bin: &Path, args: &Args) -> Result<Self, Error> {
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&args.data_dir)
            .arg("--database-url")
            .arg(&args.database_url)
            .arg("--content-dir")
            .arg(args.data_dir.join("no-content"))
            .arg("--site-root")
            .arg(args.data_dir.join("no-site"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Trustshare listening on ") {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(base) => Ok(Self { child, base }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err("the server did not start within two minutes".into())
            }
        }
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// SIGTERM, as a service manager stops it; killed if it has not stopped in 15 s.
    fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.pid()]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Gives a user a password with `trustshare user password`, as an administrator would.
fn set_password(bin: &Path, args: &Args, email: &str, password: &str) -> Result<(), Error> {
    let mut child = Command::new(bin)
        .args(["user", "password", "--email", email, "--data-dir"])
        .arg(&args.data_dir)
        .arg("--database-url")
        .arg(&args.database_url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(format!("{password}\n").as_bytes())?;
    if !child.wait()?.success() {
        return Err(format!("setting the password of {email} failed").into());
    }
    Ok(())
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?)
}

async fn http_phase(
    args: &Args,
    bin: &Path,
    people: &[Who],
    portal: &Timings,
) -> Result<Http, Error> {
    let password = "benchmark-passphrase-not-secret";
    for who in people {
        if let Some(email) = &who.email {
            set_password(bin, args, email, password)?;
        }
    }
    let started = Instant::now();
    let server = Server::start(bin, args)?;
    let result = http_runs(args, &server, people, portal, password, started).await;
    let (rss, peak) = (
        measure::proc_status_kb(&server.pid(), "VmRSS"),
        measure::proc_status_kb(&server.pid(), "VmHWM"),
    );
    server.stop();
    let mut http = result?;
    http.server_rss = rss;
    http.server_peak = peak;
    Ok(http)
}

async fn http_runs(
    args: &Args,
    server: &Server,
    people: &[Who],
    portal: &Timings,
    password: &str,
    started: Instant,
) -> Result<Http, Error> {
    let base = &server.base;
    // The server checks the index's checksums and catches up with the change log first.
    let probe = client()?;
    loop {
        let body = probe
            .get(format!("{base}/api/v1/search"))
            .query(&[("q", "nhs")])
            .send()
            .await?
            .text()
            .await?;
        let json: serde_json::Value = serde_json::from_str(&body)?;
        if json["catching_up"] == serde_json::Value::Bool(false) {
            break;
        }
        if started.elapsed() > SERVER_WAIT {
            return Err("the server's index did not catch up within ten minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ready_after = started.elapsed();

    let mut clients = Vec::new();
    for who in people {
        let c = client()?;
        if let Some(email) = &who.email {
            let response = c
                .post(format!("{base}/api/sign-in"))
                .header("accept", "text/html")
                .header("origin", base.as_str())
                .header("referer", format!("{base}/login"))
                .form(&[
                    ("email", email.as_str()),
                    ("password", password),
                    ("next", ""),
                ])
                .send()
                .await?;
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if !response.status().is_redirection() || location.starts_with("/login") {
                let status = response.status();
                return Err(format!("signing in as {email} failed: {status} {location}").into());
            }
        }
        clients.push(c);
    }

    let mut http = Http {
        api: Timings::default(),
        page: Timings::default(),
        mismatches: Vec::new(),
        server_rss: None,
        server_peak: None,
        ready_after,
    };
    for (w, who) in people.iter().enumerate() {
        let c = &clients[w];
        for round in 0..=args.rounds {
            for (i, (_, q)) in QUERIES.iter().enumerate() {
                let mut params = vec![("q", *q)];
                if who.drafts {
                    params.push(("drafts", "yes"));
                }
                let started = Instant::now();
                let response = c
                    .get(format!("{base}/api/v1/search"))
                    .header("accept", "application/json")
                    .query(&params)
                    .send()
                    .await?;
                let status = response.status();
                let body = response.bytes().await?;
                let took = started.elapsed();
                if status != 200 {
                    return Err(format!("/api/v1/search?q={q} answered {status}").into());
                }
                if round == 0 {
                    let json: serde_json::Value = serde_json::from_slice(&body)?;
                    let total = json["total"].as_u64().unwrap_or(u64::MAX);
                    let expected = portal.totals.get(&(w, i)).copied().unwrap_or_default();
                    if total != expected {
                        http.mismatches.push(format!(
                            "{} {q:?}: HTTP {total}, in-process {expected}",
                            who.label
                        ));
                    }
                } else {
                    http.api.record(w, i, took);
                }

                let started = Instant::now();
                let response = c
                    .get(format!("{base}/search"))
                    .header("accept", "text/html")
                    .query(&params)
                    .send()
                    .await?;
                let status = response.status();
                let body = response.text().await?;
                let took = started.elapsed();
                if status != 200 || !body.contains("Search results") {
                    return Err(format!("/search?q={q} answered {status}").into());
                }
                if round > 0 {
                    http.page.record(w, i, took);
                }
            }
        }
    }
    Ok(http)
}

/// Everything measured, to be printed as Markdown.
struct Report<'a> {
    args: &'a Args,
    load: &'a str,
    docs: u64,
    people: &'a [Who],
    indexed: usize,
    build_time: Duration,
    build_rate: f64,
    build_peak: u64,
    anon_peak: u64,
    anon_before: u64,
    rss_before: u64,
    peak_reset: bool,
    index_bytes: u64,
    db_bytes: u64,
    portal: &'a Timings,
    http: &'a Http,
    pg: Option<&'a (Built, Timings)>,
    fts5: (&'a Built, &'a Timings),
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn row(out: &mut String, name: &str, s: &Spread) {
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} | {} | {} |",
        s.n,
        ms(s.p50),
        ms(s.p90),
        ms(s.p99),
        ms(s.max),
        ms(s.mean)
    );
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.1}×", a / b)
    } else {
        "–".into()
    }
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

impl Report<'_> {
    fn render(&self) -> String {
        let mut o = String::new();
        let a = self.args;
        let portal = self.portal.all().spread();
        let api = self.http.api.all().spread();
        let page = self.http.page.all().spread();
        let (fts_built, fts) = self.fts5;
        let fts_all = fts.all().spread();
        let pg_all = self.pg.map(|(_, t)| t.all().spread());
        let n_queries = QUERIES.len();

        let _ = writeln!(o, "### Corpus\n");
        if let Some(stats) = a
            .corpus_stats
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        {
            let _ = writeln!(
                o,
                "{} documents ({}), {} organisations, {} people; {:.0} words a document on average ({:.0} MB of text); \"NHS\" in {:.0} % of documents, \"patient\" in {:.0} %; statuses {}; visibilities {}. Text: {} sentences from {} files under {}. Imported with the portal's importer at {:.0} documents a second.\n",
                self.docs,
                stats["kinds"],
                stats["organisations"],
                stats["people"],
                stats["average_words"].as_f64().unwrap_or_default(),
                stats["text_mb"].as_f64().unwrap_or_default(),
                stats["nhs_percent"].as_f64().unwrap_or_default(),
                stats["patient_percent"].as_f64().unwrap_or_default(),
                stats["statuses"],
                stats["visibilities"],
                stats["sentences"],
                stats["text_files"],
                stats["text_dir"].as_str().unwrap_or_default(),
                stats["import_docs_per_second"].as_f64().unwrap_or_default(),
            );
        } else {
            let _ = writeln!(o, "{} documents.\n", self.docs);
        }
        let _ = writeln!(
            o,
            "Load average at the start (1, 5, 15 min, running/total, last pid): {}. Query set: {n_queries} queries, each run by {} viewers ({}), {} timed rounds after one untimed round.\n",
            self.load,
            self.people.len(),
            self.people.iter().map(|p| p.label).collect::<Vec<_>>().join("; "),
            a.rounds
        );
        if let Some(cmd) = &a.command {
            let _ = writeln!(o, "Command: `{cmd}`\n");
        }

        let _ = writeln!(o, "### Index build\n");
        let _ = writeln!(
            o,
            "| | Trustshare (tantivy) | PostgreSQL FTS | SQLite FTS5 |\n| --- | --- | --- | --- |"
        );
        let pg_built = self.pg.map(|(b, _)| b);
        let rate = |b: &Built| format!("{:.0}", self.docs as f64 / b.index.as_secs_f64());
        let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
        let or_dash = |s: Option<String>| s.unwrap_or_else(|| "–".into());
        let _ = writeln!(
            o,
            "| build time | {} (read from the database, index, commit, merge) | {} (`tsvector` column and GIN index; copying the documents in took {} more) | {} (FTS5 `rebuild` and `optimize`; copying in took {} more) |",
            secs(self.build_time),
            or_dash(pg_built.map(|b| secs(b.index))),
            or_dash(pg_built.map(|b| secs(b.load))),
            secs(fts_built.index),
            secs(fts_built.load)
        );
        let _ = writeln!(
            o,
            "| documents a second | **{:.0}** | {} | {} |",
            self.build_rate,
            or_dash(pg_built.map(rate)),
            rate(fts_built)
        );
        let _ = writeln!(
            o,
            "| peak memory | **{} heap** ({} before the build); {} resident with the pages of the index files it read{} | {} (its server process, shared buffers included) | {} (whole process) |",
            kb_as_mb(self.anon_peak),
            kb_as_mb(self.anon_before),
            kb_as_mb(self.build_peak),
            if self.peak_reset { format!(" ({} before)", kb_as_mb(self.rss_before)) } else { " (the process's peak: it could not be reset)".to_owned() },
            or_dash(pg_built.and_then(|b| b.peak_kb).map(kb_as_mb)),
            or_dash(fts_built.peak_kb.map(kb_as_mb))
        );
        let _ = writeln!(
            o,
            "| index on disk | {} (with stored title, summary and text for snippets) | {} (GIN index and `tsvector` column) | {} (FTS5 tables) |",
            mb(self.index_bytes),
            or_dash(pg_built.map(|b| mb(b.index_bytes))),
            mb(fts_built.index_bytes)
        );
        let _ = writeln!(
            o,
            "| everything on disk | {} (the portal's SQLite database, all tables) + the index | {} (database) | {} (file) |\n",
            mb(self.db_bytes),
            or_dash(pg_built.map(|b| mb(b.total_bytes))),
            mb(fts_built.total_bytes)
        );
        let _ = writeln!(o, "Documents indexed: {}.\n", self.indexed);

        let _ = writeln!(o, "### Query latency (all queries, all viewers)\n");
        let _ = writeln!(
            o,
            "| engine | searches | p50 | p90 | p99 | max | mean |\n| --- | --- | --- | --- | --- | --- | --- |"
        );
        row(&mut o, "Trustshare in-process (`Engine::search`)", &portal);
        row(
            &mut o,
            "Trustshare over HTTP, `/api/v1/search` (JSON)",
            &api,
        );
        row(&mut o, "Trustshare over HTTP, `/search` (HTML page)", &page);
        if let Some(s) = &pg_all {
            row(&mut o, "PostgreSQL FTS", s);
        }
        row(&mut o, "SQLite FTS5", &fts_all);
        let _ = writeln!(o);

        let _ = writeln!(
            o,
            "### Ratios (baseline ÷ Trustshare in-process; above 1 means Trustshare is faster)\n"
        );
        let _ = writeln!(o, "| baseline | p50 | p99 |\n| --- | --- | --- |");
        if let Some(s) = &pg_all {
            let _ = writeln!(
                o,
                "| PostgreSQL FTS | {} | {} |",
                ratio(s.p50, portal.p50),
                ratio(s.p99, portal.p99)
            );
        }
        let _ = writeln!(
            o,
            "| SQLite FTS5 | {} | {} |\n",
            ratio(fts_all.p50, portal.p50),
            ratio(fts_all.p99, portal.p99)
        );

        let _ = writeln!(o, "### Targets at 100,000 documents\n");
        let _ = writeln!(o, "| target | measured | |\n| --- | --- | --- |");
        let _ = writeln!(
            o,
            "| p99 in-process under {TARGET_IN_PROCESS_P99_MS} ms | {} | {} |",
            ms(portal.p99),
            met(portal.p99 < TARGET_IN_PROCESS_P99_MS)
        );
        let worst_http = api.p99.max(page.p99);
        let _ = writeln!(o, "| p99 over HTTP under {TARGET_HTTP_P99_MS} ms (snippets, facets, permission filtering) | API {}, page {} | {} |", ms(api.p99), ms(page.p99), met(worst_http < TARGET_HTTP_P99_MS));
        if let Some(s) = &pg_all {
            let r = s.p99 / portal.p99.max(f64::EPSILON);
            let _ = writeln!(
                o,
                "| p99 at least {TARGET_PG_RATIO}× faster than PostgreSQL FTS | {r:.1}× | {} |",
                met(r >= TARGET_PG_RATIO)
            );
        }
        let _ = writeln!(
            o,
            "| build at least {TARGET_BUILD_RATE} documents a second | {:.0} | {} |",
            self.build_rate,
            met(self.build_rate >= TARGET_BUILD_RATE)
        );
        let _ = writeln!(
            o,
            "| memory during the build bounded | peak {} heap, {} resident | stated |\n",
            kb_as_mb(self.anon_peak),
            kb_as_mb(self.build_peak)
        );

        let _ = writeln!(o, "### By kind of query (p50 / p99)\n");
        let _ = write!(o, "| kind | Trustshare in-process | Trustshare API |");
        if self.pg.is_some() {
            let _ = write!(o, " PostgreSQL FTS |");
        }
        let _ = writeln!(o, " SQLite FTS5 |");
        let _ = writeln!(
            o,
            "| --- | --- | --- |{} --- |",
            if self.pg.is_some() { " --- |" } else { "" }
        );
        let categories: Vec<Category> = {
            let mut c: Vec<Category> = QUERIES.iter().map(|(c, _)| *c).collect();
            c.dedup();
            c
        };
        let both = |s: Spread| format!("{} / {}", ms(s.p50), ms(s.p99));
        for c in &categories {
            let _ = write!(
                o,
                "| {} | {} | {} |",
                c.label(),
                both(self.portal.category(*c).spread()),
                both(self.http.api.category(*c).spread())
            );
            if let Some((_, t)) = self.pg {
                let _ = write!(o, " {} |", both(t.category(*c).spread()));
            }
            let _ = writeln!(o, " {} |", both(fts.category(*c).spread()));
        }
        let _ = writeln!(o);

        let _ = writeln!(o, "### By viewer (p50 / p99)\n");
        let _ = write!(
            o,
            "| viewer | Trustshare in-process | Trustshare API | Trustshare page |"
        );
        if self.pg.is_some() {
            let _ = write!(o, " PostgreSQL FTS |");
        }
        let _ = writeln!(o, " SQLite FTS5 |");
        let _ = writeln!(
            o,
            "| --- | --- | --- | --- |{} --- |",
            if self.pg.is_some() { " --- |" } else { "" }
        );
        for (w, who) in self.people.iter().enumerate() {
            let by = |t: &Timings| both(t.filtered(|x, _| x == w).spread());
            let _ = write!(
                o,
                "| {} | {} | {} | {} |",
                who.label,
                by(self.portal),
                by(&self.http.api),
                by(&self.http.page)
            );
            if let Some((_, t)) = self.pg {
                let _ = write!(o, " {} |", by(t));
            }
            let _ = writeln!(o, " {} |", by(fts));
        }
        let _ = writeln!(o);

        let _ = writeln!(o, "### Slowest queries in-process (p99 over all viewers)\n");
        let mut per_query: Vec<(usize, Spread)> = (0..n_queries)
            .map(|i| (i, self.portal.filtered(|_, q| q == i).spread()))
            .collect();
        per_query.sort_by(|x, y| y.1.p99.total_cmp(&x.1.p99));
        let _ = writeln!(
            o,
            "| query | kind | p50 | p99 | found (anonymous) |\n| --- | --- | --- | --- | --- |"
        );
        for (i, s) in per_query.iter().take(8) {
            let (c, q) = QUERIES[*i];
            let _ = writeln!(
                o,
                "| `{q}` | {} | {} | {} | {} |",
                c.label(),
                ms(s.p50),
                ms(s.p99),
                self.portal
                    .totals
                    .get(&(0, *i))
                    .copied()
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(o);

        let _ = writeln!(o, "### Documents found per query (anonymous)\n");
        let _ = write!(o, "| query | Trustshare |");
        if self.pg.is_some() {
            let _ = write!(o, " PostgreSQL FTS |");
        }
        let _ = writeln!(o, " SQLite FTS5 |");
        let _ = writeln!(
            o,
            "| --- | --- |{} --- |",
            if self.pg.is_some() { " --- |" } else { "" }
        );
        for (i, (_, q)) in QUERIES.iter().enumerate() {
            let total = |t: &Timings| t.totals.get(&(0, i)).map_or("–".into(), u64::to_string);
            let _ = write!(o, "| `{q}` | {} |", total(self.portal));
            if let Some((_, t)) = self.pg {
                let _ = write!(o, " {} |", total(t));
            }
            let _ = writeln!(o, " {} |", total(fts));
        }
        let _ = writeln!(o);

        let _ = writeln!(
            o,
            "Server: index ready {:.1} s after start (checksums checked, change log caught up); resident memory after the HTTP runs {}, peak {}. API totals that differ from the in-process search for the same viewer: {}.",
            self.http.ready_after.as_secs_f64(),
            or_dash(self.http.server_rss.map(kb_as_mb)),
            or_dash(self.http.server_peak.map(kb_as_mb)),
            if self.http.mismatches.is_empty() { "none".to_owned() } else { self.http.mismatches.join("; ") }
        );
        o
    }
}
