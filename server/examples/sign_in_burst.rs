//! Benchmark: what a burst of anonymous sign-in attempts costs the server.
//!
//! ```sh
//! cargo run --release -p server --example sign_in_burst
//! ```
//!
//! It builds (if needed) and starts the release `trustshare` binary on 127.0.0.1:0 with a fresh
//! temporary SQLite database and the demo content, stops it and starts it again on the same
//! database to time a cold start and read the idle memory, measures `GET /` one request at a
//! time while the server is idle (the baseline), then fires 400 parallel anonymous sign-in
//! posts (unknown emails, with an Origin header matching the server) while it samples the
//! server's resident memory (VmRSS in /proc/PID/status) and keeps measuring `GET /`. Two bursts:
//! one from 400 different loopback addresses (127.0.1.1 …, like a botnet, so the per-client
//! limit does not apply and the password-checking slots do the work) and one from a single
//! address. Loopback only, 800 sign-in posts in all, a few hundred page loads, and a time limit
//! on everything. Options of the server can be passed after `--`, e.g. `-- --sign-in-checks 2`.

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Parallel sign-in posts per burst.
const BURST: usize = 400;
/// Page loads for the idle baseline.
const BASELINE_LOADS: usize = 300;
/// Targets the run is judged against.
const MAX_PEAK_RSS_MB: f64 = 200.0;
const MAX_P99_MS: f64 = 200.0;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match runtime.block_on(async { tokio::time::timeout(Duration::from_secs(600), run()).await }) {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::from(2),
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("error: the benchmark did not finish within 10 minutes");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// The release binary next to this example (target/release/trustshare), built first.
fn release_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("cannot find the target folder")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "server", "--bin", "trustshare"])
        .current_dir(repo_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the release binary failed".into());
    }
    Ok(release.join("trustshare"))
}

/// A running server process.
struct Server {
    child: Child,
    base: String,
    /// From spawning the process to its "listening" line.
    started_in: Duration,
}

impl Server {
    fn start(bin: &Path, data: &Path, extra: &[String]) -> Result<Self, String> {
        let target = bin.parent().and_then(Path::parent).map(|t| t.join("site"));
        let began = Instant::now();
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .arg("--content-dir")
            .arg(repo_root().join("content"))
            .arg("--site-root")
            .arg(target.unwrap_or_else(|| repo_root().join("target/site")))
            .args(extra)
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
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = tx.send(addr);
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(120))
            .map_err(|_| "the server did not start within two minutes")?;
        Ok(Self {
            child,
            base,
            started_in: began.elapsed(),
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops it the way a service manager would (SIGTERM), then waits.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
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

/// Resident memory of a process in MB (VmRSS).
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn client(local: Option<IpAddr>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT,
        "text/html".parse().expect("header"),
    );
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(Duration::from_secs(60));
    if let Some(ip) = local {
        builder = builder.local_address(ip);
    }
    builder.build().expect("client")
}

/// One `GET /`, timed; an error or a status other than 200 is an error.
async fn load_home(client: &reqwest::Client, base: &str) -> Result<Duration, String> {
    let began = Instant::now();
    let response = client
        .get(format!("{base}/"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("GET / answered {status}"));
    }
    Ok(began.elapsed())
}

#[derive(Clone, Copy, Debug, Default)]
struct Spread {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

fn spread(mut samples: Vec<Duration>) -> Spread {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
        ms(samples[i])
    };
    if samples.is_empty() {
        return Spread::default();
    }
    Spread {
        n: samples.len(),
        p50: at(0.50),
        p99: at(0.99),
        max: ms(*samples.last().expect("one sample")),
    }
}

struct Burst {
    label: &'static str,
    took: Duration,
    outcomes: std::collections::BTreeMap<String, usize>,
    rss_before: f64,
    rss_peak: f64,
    rss_after: f64,
    rss_later: f64,
    during: Spread,
}

/// Fires `BURST` parallel anonymous sign-ins (from `addresses`, round robin) while sampling
/// memory and timing `GET /` one request at a time.
async fn burst(
    label: &'static str,
    server: &Server,
    addresses: &[IpAddr],
    round: usize,
) -> Result<Burst, String> {
    let pid = server.pid();
    let rss_before = rss_mb(pid).ok_or("cannot read VmRSS")?;
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(rss_before.to_bits()));

    let sampler = {
        let (done, peak) = (done.clone(), peak.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::SeqCst) {
                if let Some(now) = rss_mb(pid) {
                    if now > f64::from_bits(peak.load(Ordering::SeqCst)) {
                        peak.store(now.to_bits(), Ordering::SeqCst);
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let pages = {
        let (done, base) = (done.clone(), server.base.clone());
        tokio::spawn(async move {
            let home = client(None);
            let mut samples = Vec::new();
            while !done.load(Ordering::SeqCst) {
                samples.push(load_home(&home, &base).await?);
            }
            Ok::<_, String>(samples)
        })
    };

    let clients: Vec<reqwest::Client> = addresses.iter().map(|ip| client(Some(*ip))).collect();
    let start = Arc::new(tokio::sync::Barrier::new(BURST));
    let mut posts = tokio::task::JoinSet::new();
    for n in 0..BURST {
        let client = clients[n % clients.len()].clone();
        let (start, base) = (start.clone(), server.base.clone());
        posts.spawn(async move {
            let email = format!("burst{round}-{n}@nowhere.nhs.example");
            start.wait().await;
            let response = client
                .post(format!("{base}/api/sign-in"))
                .header("origin", &base)
                .form(&[
                    ("email", email.as_str()),
                    ("password", "not-the-password-at-all"),
                    ("next", ""),
                ])
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            Ok::<_, String>(
                location
                    .split("error=")
                    .nth(1)
                    .map(|c| c.split('&').next().unwrap_or(c).to_owned())
                    .unwrap_or_else(|| format!("status {}", response.status())),
            )
        });
    }
    let began = Instant::now();
    let mut outcomes = std::collections::BTreeMap::new();
    while let Some(outcome) = posts.join_next().await {
        let code = outcome.map_err(|e| e.to_string())??;
        *outcomes.entry(code).or_insert(0) += 1;
    }
    let took = began.elapsed();
    done.store(true, Ordering::SeqCst);
    let during = pages.await.map_err(|e| e.to_string())??;
    sampler.await.map_err(|e| e.to_string())?;
    // Memory once the burst is over and the server has had a moment, and once the password
    // checkers have given their work areas back (after 10 quiet seconds).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_after = rss_mb(pid).ok_or("cannot read VmRSS")?;
    tokio::time::sleep(Duration::from_secs(12)).await;
    Ok(Burst {
        label,
        took,
        outcomes,
        rss_before,
        rss_peak: f64::from_bits(peak.load(Ordering::SeqCst)),
        rss_after,
        rss_later: rss_mb(pid).ok_or("cannot read VmRSS")?,
        during: spread(during),
    })
}

async fn run() -> Result<bool, String> {
    let extra: Vec<String> = std::env::args().skip(1).collect();
    let bin = release_binary()?;
    let data = std::env::temp_dir().join(format!("trustshare-bench-{}", std::process::id()));
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let result = measure(&bin, &data, &extra).await;
    let _ = std::fs::remove_dir_all(&data);
    result
}

async fn measure(bin: &Path, data: &Path, extra: &[String]) -> Result<bool, String> {
    // The first start creates the database and imports the demo content.
    let first = Server::start(bin, data, extra)?;
    let first_start = first.started_in;
    first.stop();

    let server = Server::start(bin, data, extra)?;
    let cold_start = server.started_in;
    let rss_started = rss_mb(server.pid()).ok_or("cannot read VmRSS")?;
    let home = client(None);
    for _ in 0..20 {
        load_home(&home, &server.base).await?;
    }
    let rss_idle = rss_mb(server.pid()).ok_or("cannot read VmRSS")?;
    let mut baseline = Vec::with_capacity(BASELINE_LOADS);
    for _ in 0..BASELINE_LOADS {
        baseline.push(load_home(&home, &server.base).await?);
    }
    let idle = spread(baseline);

    let many: Vec<IpAddr> = (0..BURST)
        .map(|n| IpAddr::from([127, 0, 1 + (n / 250) as u8, 1 + (n % 250) as u8]))
        .collect();
    let one = vec![IpAddr::from([127, 0, 0, 1])];
    let mut bursts = vec![burst("400 addresses", &server, &many, 1).await?];
    bursts.push(burst("one address", &server, &one, 2).await?);
    let rss_end = rss_mb(server.pid()).ok_or("cannot read VmRSS")?;
    server.stop();

    println!("\n## Sign-in burst ({BURST} parallel anonymous sign-ins)\n");
    println!(
        "cores: {}; server options: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if extra.is_empty() {
            "defaults".to_owned()
        } else {
            extra.join(" ")
        }
    );
    println!(
        "first start (new database, demo content imported): {:.0} ms",
        ms(first_start)
    );
    println!(
        "cold start (existing database, to the listening line): {:.0} ms",
        ms(cold_start)
    );
    println!("RSS just started: {rss_started:.1} MB; idle after 20 page loads: {rss_idle:.1} MB");
    println!(
        "GET / idle ({} loads one at a time): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n",
        idle.n, idle.p50, idle.p99, idle.max
    );
    println!("| burst from | took | answers | RSS before | peak RSS | RSS 3 s after | RSS 15 s after | GET / during: loads, p50, p99, max | p99 during / idle |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut ok = true;
    for b in &bursts {
        let answers = b
            .outcomes
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "| {} | {:.2} s | {answers} | {:.1} MB | {:.1} MB | {:.1} MB | {:.1} MB | {}, {:.1} ms, {:.1} ms, {:.1} ms | {:.1}× |",
            b.label,
            b.took.as_secs_f64(),
            b.rss_before,
            b.rss_peak,
            b.rss_after,
            b.rss_later,
            b.during.n,
            b.during.p50,
            b.during.p99,
            b.during.max,
            b.during.p99 / idle.p99
        );
        ok &= b.rss_peak < MAX_PEAK_RSS_MB && b.during.p99 < MAX_P99_MS;
    }
    println!("\nRSS at the end: {rss_end:.1} MB");
    println!(
        "targets: peak RSS under {MAX_PEAK_RSS_MB} MB, GET / p99 under {MAX_P99_MS} ms during a burst: {}",
        if ok { "met" } else { "NOT met" }
    );
    Ok(ok)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
