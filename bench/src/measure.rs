//! Timings, percentiles, memory and sizes on disk.

use std::path::Path;
use std::time::Duration;

/// A set of latencies and what they add up to.
#[derive(Clone, Debug, Default)]
pub struct Latencies(Vec<Duration>);

/// Percentiles of a set of latencies, in milliseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Spread {
    pub n: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Latencies {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: &Latencies) {
        self.0.extend_from_slice(&other.0);
    }

    /// Nearest-rank percentiles.
    pub fn spread(&self) -> Spread {
        let mut ms: Vec<f64> = self.0.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        if ms.is_empty() {
            return Spread::default();
        }
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let i = ((p / 100.0) * ms.len() as f64).ceil() as usize;
            ms[i.clamp(1, ms.len()) - 1]
        };
        Spread {
            n: ms.len(),
            p50: rank(50.0),
            p90: rank(90.0),
            p99: rank(99.0),
            max: ms[ms.len() - 1],
            mean: ms.iter().sum::<f64>() / ms.len() as f64,
        }
    }
}

/// A field of `/proc/{pid}/status` in kB (`VmRSS`, `VmHWM`); `self` for this process.
pub fn proc_status_kb(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Resets this process's peak resident memory (VmHWM) to its current size, so that the next
/// reading is the peak of what happens from now on. Returns whether the kernel allowed it.
pub fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Samples this process's memory every few milliseconds on a thread of its own, keeping the
/// peaks: resident memory that is not a mapped file (`RssAnon`: heap and stacks) and all of it
/// (`VmRSS`, which also counts the pages of memory-mapped index files it has read).
pub struct PeakSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(u64, u64)>,
}

impl PeakSampler {
    pub fn start() -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let (mut anon, mut rss) = (0, 0);
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                anon = anon.max(proc_status_kb("self", "RssAnon").unwrap_or(0));
                rss = rss.max(proc_status_kb("self", "VmRSS").unwrap_or(0));
                std::thread::sleep(Duration::from_millis(5));
            }
            (anon, rss)
        });
        Self { stop, thread }
    }

    /// Stops sampling: the peaks of `RssAnon` and `VmRSS`, in kB.
    pub fn stop(self) -> (u64, u64) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or((0, 0))
    }
}

/// Bytes of all files below `path`.
pub fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

/// Bytes as MB (10^6), one decimal.
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// kB (from /proc) as MB (10^6), one decimal.
pub fn kb_as_mb(kb: u64) -> String {
    mb(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut l = Latencies::default();
        for ms in 1..=100 {
            l.push(Duration::from_millis(ms));
        }
        let s = l.spread();
        assert_eq!(s.n, 100);
        assert!((s.p50 - 50.0).abs() < 1e-9);
        assert!((s.p99 - 99.0).abs() < 1e-9);
        assert!((s.max - 100.0).abs() < 1e-9);
        assert!((s.mean - 50.5).abs() < 1e-9);
    }

    #[test]
    fn this_process_has_a_resident_size() {
        assert!(proc_status_kb("self", "VmRSS").is_some_and(|kb| kb > 0));
        assert!(proc_status_kb("self", "NoSuchField").is_none());
    }
}
