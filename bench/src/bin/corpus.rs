//! `corpus`: writes N generated documents into a fresh Trustshare database through the portal's
//! own importer (`app::content::import_dir`, as `trustshare import` does), and says what the
//! corpus holds.
//!
//! ```sh
//! corpus --docs 100000 --database-url sqlite:///tmp/bench/trustshare.db --content-dir /tmp/bench/content
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use bench::corpus::{has_word, write_directory, write_document, Generator};
use bench::prose;
use clap::Parser;

/// Generates a corpus and imports it.
#[derive(Parser)]
struct Args {
    /// How many documents.
    #[arg(long, default_value_t = 100_000)]
    docs: usize,
    /// The database to fill: `sqlite://…` or `postgres://…`; it must hold no organisations yet.
    #[arg(long)]
    database_url: String,
    /// Where the content files are written (created; must be empty).
    #[arg(long)]
    content_dir: PathBuf,
    /// Where the English text comes from.
    #[arg(long, default_value = "/usr/share/doc")]
    text_dir: PathBuf,
    #[arg(long, default_value_t = 8)]
    seed: u64,
    /// Keep the content files after importing them.
    #[arg(long)]
    keep_content: bool,
    /// Writes what the corpus holds as JSON here, for `search-bench --corpus-stats`.
    #[arg(long)]
    stats: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    bench::exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<(), bench::Error> {
    let started = Instant::now();
    let prose = prose::harvest(&args.text_dir)?;
    let harvest_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "text: {} files, {:.1} MB read; {} sentences ({} words) and {} headings kept, in {harvest_secs:.1} s",
        prose.files,
        prose.bytes as f64 / 1e6,
        prose.sentences.len(),
        prose.words(),
        prose.headings.len()
    );

    if args.content_dir.exists() && std::fs::read_dir(&args.content_dir)?.next().is_some() {
        return Err(format!("{} is not empty", args.content_dir.display()).into());
    }
    let started = Instant::now();
    let mut g = Generator::new(&prose, args.seed)?;
    write_directory(&args.content_dir, &g)?;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut visibilities: BTreeMap<String, usize> = BTreeMap::new();
    let (mut words, mut nhs, mut patient, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    for n in 0..args.docs {
        let doc = g.document(n);
        let mut text = format!(
            "{}\n{}\n{}",
            doc.text.title, doc.text.summary, doc.text.body
        );
        if let Ok(fields) = doc.kind.spec().search(&doc.text.fields) {
            for t in fields.text {
                text.push('\n');
                text.push_str(&t);
            }
        }
        words += text.split_whitespace().count();
        bytes += text.len();
        nhs += usize::from(has_word(&text, "nhs"));
        patient += usize::from(has_word(&text, "patient"));
        *kinds.entry(doc.kind.code().to_owned()).or_default() += 1;
        *statuses.entry(doc.status.as_str().to_owned()).or_default() += 1;
        *visibilities
            .entry(doc.text.visibility.as_str().to_owned())
            .or_default() += 1;
        write_document(&args.content_dir, &g, &doc)?;
    }
    let generate_secs = started.elapsed().as_secs_f64();
    let percent = |n: usize| 100.0 * n as f64 / args.docs.max(1) as f64;
    eprintln!(
        "generated {} documents in {generate_secs:.1} s: {:.0} words each on average, \"NHS\" in {:.0} %, \"patient\" in {:.0} %",
        args.docs,
        words as f64 / args.docs.max(1) as f64,
        percent(nhs),
        percent(patient)
    );

    let db = app::db::Db::connect(&args.database_url).await?;
    db.migrate().await?;
    if app::orgs::store::count(&db).await? > 0 {
        return Err("the database already holds organisations: give a fresh one".into());
    }
    let started = Instant::now();
    let report = app::content::import_dir(&db, &args.content_dir).await?;
    let import_secs = started.elapsed().as_secs_f64();
    eprintln!("{}", report.summary());
    for e in report.errors.iter().take(20) {
        eprintln!("skipped {e}");
    }
    eprintln!(
        "imported in {import_secs:.1} s ({:.0} documents a second)",
        args.docs as f64 / import_secs
    );
    if !report.errors.is_empty() {
        return Err(format!("{} files were skipped", report.errors.len()).into());
    }
    if let Some(path) = &args.stats {
        let stats = serde_json::json!({
            "documents": args.docs,
            "seed": args.seed,
            "text_dir": args.text_dir.display().to_string(),
            "text_files": prose.files,
            "sentences": prose.sentences.len(),
            "organisations": g.organisations().len(),
            "people": g.people().len(),
            "kinds": kinds,
            "statuses": statuses,
            "visibilities": visibilities,
            "average_words": words as f64 / args.docs.max(1) as f64,
            "text_mb": bytes as f64 / 1e6,
            "nhs_percent": percent(nhs),
            "patient_percent": percent(patient),
            "import_seconds": import_secs,
            "import_docs_per_second": args.docs as f64 / import_secs,
        });
        std::fs::write(path, serde_json::to_string_pretty(&stats)?)?;
    }
    if !args.keep_content {
        std::fs::remove_dir_all(&args.content_dir)?;
    }
    Ok(())
}
