//! What keeps sign-in from being used to exhaust the server, kept in memory per instance:
//!
//! - a per-client rate limit (governor's GCRA, keyed by the client's address; an IPv6 client by
//!   its /64, which one machine usually owns whole). The map of addresses is bounded: when it is
//!   full, addresses whose allowance has fully recovered are dropped, and if it is still full, new
//!   attempts are refused until it drains, so a flood of distinct addresses cannot grow it;
//! - a small fixed number of password checks at a time. Each argon2 check takes 19 MiB and a
//!   core's worth of work for tens of milliseconds, so checks wait for one of a few slots, briefly
//!   and in a bounded queue; an attempt that gets no slot is answered "too many sign-ins at the
//!   moment" without any hashing. The checks run on one thread per slot, each reusing its own
//!   19 MiB work area (given back after 10 quiet seconds), so the memory they take is fixed.
//!
//! The failure counts and lock-outs that must be shared by every instance live in the database
//! (see [`super::failures`]).

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use super::password::WorkArea;

use crate::error::{AppError, AppResult};
use crate::state::{Clock, SignInLimits};

/// Password checks one slot gets through in a second, about (one takes 15–25 ms on a server
/// core). The queue for slots is no longer than the slots can empty within the wait: attempts
/// beyond that would only wait to be turned away.
const CHECKS_PER_SLOT_PER_SECOND: usize = 40;

/// How long a checking thread keeps its work area after its last check.
const KEEP_WORK_AREA: Duration = Duration::from_secs(10);

/// How often a full address map may be swept (a sweep walks the whole map).
const SWEEP_EVERY_SECS: i64 = 1;

/// The address a client's attempts are counted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// A client without a known address (never the case behind our own listener).
    pub const UNKNOWN: ClientKey = ClientKey(IpAddr::V4(Ipv4Addr::UNSPECIFIED));

    /// The key of a client address: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64.
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => ClientKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    ClientKey(IpAddr::V6(Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }

    /// As stored in `sign_in_failures.client`: `203.0.113.7`, or `2001:db8:1:2::/64`.
    pub fn as_stored(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("{v6}/64"),
        }
    }
}

/// The application clock as governor reads it: time since the Unix epoch. Tests that stop the
/// clock stop the refilling of allowances too.
#[derive(Clone, Debug)]
struct GateClock(Arc<dyn Clock>);

impl governor::clock::Clock for GateClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        let nanos = self.0.now().unix_timestamp_nanos();
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(0))
    }
}

/// Allowances per key (a client address, a calendar feed token) in a bounded map: when it is
/// full, keys whose allowance has fully recovered are forgotten (at most once a second), and
/// if it is still full, new keys are turned away until it drains, so a flood of keys cannot
/// grow memory.
#[derive(Debug)]
pub struct Allowances<K: Clone + Eq + std::hash::Hash> {
    /// What is limited, for the log.
    what: &'static str,
    limiter: KeyedLimiter<K>,
    clock: GateClock,
    tracked: usize,
    last_sweep: AtomicI64,
}

type KeyedLimiter<K> =
    RateLimiter<K, HashMapStateStore<K>, GateClock, governor::middleware::NoOpMiddleware<Duration>>;

impl<K: Clone + Eq + std::hash::Hash> Allowances<K> {
    /// `per_minute` uses a minute for each key (also the burst), at most `tracked` keys
    /// remembered; time is read from `clock`.
    pub fn new(what: &'static str, per_minute: u32, tracked: usize, clock: Arc<dyn Clock>) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let clock = GateClock(clock);
        Self {
            what,
            limiter: RateLimiter::hashmap_with_clock(Quota::per_minute(per_minute), clock.clone()),
            clock,
            tracked,
            last_sweep: AtomicI64::new(i64::MIN),
        }
    }

    /// Takes one use from the key's allowance, or says how long until it may try again.
    pub fn admit(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() >= self.tracked {
            let now = governor::clock::Clock::now(&self.clock).as_secs() as i64;
            let last = self.last_sweep.load(Ordering::Relaxed);
            if now.saturating_sub(last) >= SWEEP_EVERY_SECS
                && self
                    .last_sweep
                    .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
            {
                self.sweep();
            }
            if self.limiter.len() >= self.tracked {
                tracing::warn!(
                    tracked = self.limiter.len(),
                    "{}: too many keys at once; turning requests away",
                    self.what
                );
                return Err(Duration::from_secs(60));
            }
        }
        self.limiter.check_key(key).map_err(|not_until| {
            let now = governor::clock::Clock::now(&self.clock);
            not_until.wait_time_from(now)
        })
    }

    /// Forgets keys whose allowance has fully recovered; run now and then.
    pub fn sweep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// How many keys are remembered now.
    pub fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

/// The sign-in gate of one server: per-client allowances and the password-checking slots.
#[derive(Debug)]
pub struct SignInGate {
    limits: SignInLimits,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    clients: Allowances<ClientKey>,
    checks: Arc<CheckQueue>,
}

/// A password check for a checking thread, with the slot it holds until it is done.
struct Check {
    password: String,
    stored: Option<String>,
    slot: OwnedSemaphorePermit,
    done: oneshot::Sender<bool>,
}

/// The checks waiting for a checking thread (never more than there are slots, since a check is
/// queued only with its slot). Each thread waits on its own timer, so each gives its work area
/// back after its own quiet spell.
#[derive(Default)]
struct CheckQueue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Default)]
struct QueueState {
    checks: VecDeque<Check>,
    closed: bool,
}

/// What a checking thread gets from the queue.
enum Next {
    Check(Check),
    /// Nothing came for a while.
    Quiet,
    /// The gate is gone.
    Closed,
}

impl std::fmt::Debug for CheckQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting = self.lock().checks.len();
        f.debug_struct("CheckQueue")
            .field("waiting", &waiting)
            .finish()
    }
}

impl CheckQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a check; false when the gate is closing.
    fn push(&self, check: Check) -> bool {
        let mut state = self.lock();
        if state.closed {
            return false;
        }
        state.checks.push_back(check);
        self.ready.notify_one();
        true
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// The next check, or word that none came within `quiet` or that the gate is gone.
    fn next(&self, quiet: Duration) -> Next {
        let mut state = self.lock();
        loop {
            if let Some(check) = state.checks.pop_front() {
                return Next::Check(check);
            }
            if state.closed {
                return Next::Closed;
            }
            let (next, waited) = self
                .ready
                .wait_timeout(state, quiet)
                .unwrap_or_else(PoisonError::into_inner);
            state = next;
            if waited.timed_out() && state.checks.is_empty() && !state.closed {
                return Next::Quiet;
            }
        }
    }
}

/// Starts one checking thread per slot; they end when the gate is dropped.
fn start_checkers(threads: usize) -> Arc<CheckQueue> {
    let queue = Arc::new(CheckQueue::default());
    for n in 0..threads {
        let queue = queue.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("sign-in-check-{n}"))
            .spawn(move || {
                let mut area = WorkArea::default();
                loop {
                    let check = match queue.next(KEEP_WORK_AREA) {
                        Next::Check(check) => check,
                        // Quiet for a while: the work area goes back to the system.
                        Next::Quiet => {
                            area = WorkArea::default();
                            continue;
                        }
                        Next::Closed => break,
                    };
                    let matches = match &check.stored {
                        Some(hash) => area.verify(&check.password, hash),
                        None => {
                            area.verify_against_nothing(&check.password);
                            false
                        }
                    };
                    drop(check.slot);
                    let _ = check.done.send(matches);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a password-checking thread");
        }
    }
    queue
}

/// Why an attempt was turned away before any password was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnedAway {
    /// This client has used its allowance; it may try again after this long.
    TooManyFromClient(Duration),
    /// Every password-checking slot stayed busy while the attempt waited.
    Busy,
}

impl Drop for SignInGate {
    fn drop(&mut self) {
        self.checks.close();
    }
}

impl SignInGate {
    pub fn new(limits: SignInLimits, clock: Arc<dyn Clock>) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(limits.hashing_slots.max(1))),
            waiting: AtomicUsize::new(0),
            clients: Allowances::new(
                "sign-in",
                limits.per_client_per_minute,
                limits.clients_tracked,
                clock,
            ),
            checks: start_checkers(limits.hashing_slots.max(1)),
            limits,
        }
    }

    pub fn limits(&self) -> SignInLimits {
        self.limits
    }

    /// Takes one attempt from the client's allowance, or says when it may try again.
    pub fn admit(&self, client: ClientKey) -> Result<(), TurnedAway> {
        self.clients
            .admit(&client)
            .map_err(TurnedAway::TooManyFromClient)
    }

    /// Forgets clients whose allowance has fully recovered; run now and then.
    pub fn sweep(&self) {
        self.clients.sweep();
    }

    /// How many client addresses are remembered now.
    pub fn clients_tracked(&self) -> usize {
        self.clients.tracked()
    }

    /// Checks a password against a stored hash (without one, spends the same effort and fails)
    /// on a checking thread; the slot is held until the check has finished, even if the client
    /// goes away meanwhile.
    pub async fn check(
        &self,
        slot: OwnedSemaphorePermit,
        password: String,
        stored: Option<String>,
    ) -> bool {
        let (done, result) = oneshot::channel();
        let check = Check {
            password,
            stored,
            slot,
            done,
        };
        if !self.checks.push(check) {
            tracing::error!("no password-checking thread is running");
            return false;
        }
        result.await.unwrap_or(false)
    }

    /// A password-checking slot, after waiting at most the configured time in a bounded queue.
    pub async fn checking_slot(&self) -> Result<OwnedSemaphorePermit, TurnedAway> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.limits.wait.is_zero() {
            return Err(TurnedAway::Busy);
        }
        let max_waiting = self.limits.hashing_slots.max(1)
            * CHECKS_PER_SLOT_PER_SECOND
            * (self.limits.wait.as_secs_f64().ceil() as usize).max(1);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(TurnedAway::Busy);
        }
        // Counted out again however the wait ends, also when the client goes away meanwhile.
        let _queued = Queued(&self.waiting);
        match tokio::time::timeout(self.limits.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(TurnedAway::Busy),
        }
    }
}

/// One place in the queue for a checking slot.
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The server's sign-in gate, which the host puts in the request context.
pub fn gate() -> AppResult<Arc<SignInGate>> {
    leptos::prelude::use_context::<Arc<SignInGate>>().ok_or_else(|| {
        tracing::error!("SignInGate missing from the Leptos context");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ManualClock;

    fn gate(limits: SignInLimits) -> (SignInGate, ManualClock) {
        let clock = ManualClock::starting_now();
        (SignInGate::new(limits, Arc::new(clock.clone())), clock)
    }

    const LIMITS: SignInLimits = SignInLimits {
        hashing_slots: 1,
        wait: Duration::ZERO,
        per_client_per_minute: 3,
        clients_tracked: 100,
    };

    fn ip(s: &str) -> ClientKey {
        ClientKey::of(s.parse().unwrap())
    }

    #[test]
    fn each_client_has_its_own_allowance_which_recovers_with_time() {
        let (gate, clock) = gate(LIMITS);
        for _ in 0..3 {
            assert_eq!(gate.admit(ip("192.0.2.1")), Ok(()));
        }
        let Err(TurnedAway::TooManyFromClient(wait)) = gate.admit(ip("192.0.2.1")) else {
            panic!("a fourth attempt in the same minute is turned away");
        };
        assert_eq!(wait, Duration::from_secs(20), "one attempt back every 20 s");
        assert_eq!(gate.admit(ip("192.0.2.2")), Ok(()), "another client is not");
        clock.advance(Duration::from_secs(20));
        assert_eq!(gate.admit(ip("192.0.2.1")), Ok(()));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_prefix_and_mapped_ipv4_as_ipv4() {
        assert_eq!(ip("2001:db8:1:2::1"), ip("2001:db8:1:2:ffff::9"));
        assert_ne!(ip("2001:db8:1:2::1"), ip("2001:db8:1:3::1"));
        assert_eq!(ip("::ffff:192.0.2.1"), ip("192.0.2.1"));
        assert_eq!(ip("2001:db8:1:2::1").as_stored(), "2001:db8:1:2::/64");
        assert_eq!(ip("192.0.2.1").as_stored(), "192.0.2.1");
    }

    #[test]
    fn a_flood_of_distinct_addresses_stays_within_the_bound() {
        let (gate, clock) = gate(SignInLimits {
            clients_tracked: 50,
            ..LIMITS
        });
        let mut turned_away = 0;
        for n in 0..10_000u32 {
            let addr = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n));
            if gate.admit(ClientKey::of(addr)).is_err() {
                turned_away += 1;
            }
            assert!(gate.clients_tracked() <= 50);
        }
        assert_eq!(
            turned_away,
            10_000 - 50,
            "beyond the bound, new addresses wait"
        );
        // Once their allowances have recovered, the addresses are forgotten and room returns.
        clock.advance(Duration::from_secs(61));
        assert_eq!(
            gate.admit(ClientKey::of("198.51.100.1".parse().unwrap())),
            Ok(())
        );
        assert_eq!(gate.clients_tracked(), 1);
    }

    #[tokio::test]
    async fn checks_beyond_the_slots_are_turned_away_after_the_wait() {
        let (gate, _clock) = gate(LIMITS);
        let held = gate.checking_slot().await.expect("a free slot");
        assert_eq!(gate.checking_slot().await.unwrap_err(), TurnedAway::Busy);
        drop(held);
        let waiting = SignInGate::new(
            SignInLimits {
                wait: Duration::from_millis(20),
                ..LIMITS
            },
            Arc::new(ManualClock::starting_now()),
        );
        let held = waiting.checking_slot().await.unwrap();
        assert_eq!(waiting.checking_slot().await.unwrap_err(), TurnedAway::Busy);
        assert_eq!(waiting.waiting.load(Ordering::SeqCst), 0, "queue emptied");
        drop(held);
        assert!(waiting.checking_slot().await.is_ok());
    }

    #[test]
    fn a_checking_thread_hears_of_quiet_spells_and_of_the_gate_closing() {
        let queue = CheckQueue::default();
        assert!(matches!(queue.next(Duration::from_millis(10)), Next::Quiet));
        queue.close();
        assert!(matches!(queue.next(Duration::from_secs(60)), Next::Closed));
    }

    #[tokio::test]
    async fn checks_run_on_the_checking_threads_and_give_their_slot_back() {
        let (gate, _clock) = gate(LIMITS);
        let stored = super::super::password::hash("correct horse battery").unwrap();
        let slot = gate.checking_slot().await.unwrap();
        assert!(
            gate.check(slot, "correct horse battery".into(), Some(stored.clone()))
                .await
        );
        let slot = gate.checking_slot().await.expect("the slot came back");
        assert!(
            !gate
                .check(slot, "wrong horse battery".into(), Some(stored))
                .await
        );
        let slot = gate.checking_slot().await.unwrap();
        assert!(!gate.check(slot, "anything".into(), None).await);
    }
}
