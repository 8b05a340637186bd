//! Running one input within a budget: no panic, an answer within a wall-clock time, a peak of
//! live heap within a number of bytes, measured for the current thread by the binary's
//! counting allocator.
//!
//! The budgets are generous (a debug build on a loaded 2-core machine): this is a freeze
//! detector, not a speed test. Past a hard ceiling (ten times the budgets) a watchdog thread
//! writes the input to `target/hostile-input/` and ends the process, so a real freeze or a
//! runaway allocation fails the test run instead of hanging it or exhausting the machine.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

/// Wall-clock time one input may take.
pub const TIME_BUDGET: Duration = Duration::from_secs(2);
/// Peak live heap one input may add.
pub const MEMORY_BUDGET: usize = 256 << 20;
/// Past these the watchdog ends the run.
const HARD_TIME: Duration = Duration::from_secs(20);
const HARD_MEMORY: usize = 10 * MEMORY_BUDGET;

/// Counts the current thread's live and peak heap bytes.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    /// Live bytes past which this thread stops in the allocator for the watchdog (0: none).
    static CEILING: Cell<isize> = const { Cell::new(0) };
    /// Which watchdog slot this thread reports to.
    static SLOT: Cell<usize> = const { Cell::new(0) };
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

const SLOTS: usize = 64;
static TRIPPED: [AtomicBool; SLOTS] = [const { AtomicBool::new(false) }; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(1);

fn grow(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add(bytes as isize);
        live.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
        let ceiling = CEILING.try_with(Cell::get).unwrap_or(0);
        if ceiling > 0 && now > ceiling {
            let slot = SLOT.try_with(Cell::get).unwrap_or(0);
            TRIPPED[slot % SLOTS].store(true, Ordering::SeqCst);
            // Wait here, allocating nothing, for the watchdog to report and end the process.
            loop {
                std::thread::sleep(Duration::from_mins(1));
            }
        }
    });
}

fn shrink(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes as isize)));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are plain thread-locals that allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as given.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as given.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrink(layout.size());
            grow(new_size);
        }
        p
    }
}

/// Where reproductions go: `target/hostile-input/` (found from the test executable, so it
/// follows `CARGO_TARGET_DIR`).
pub fn out_dir() -> PathBuf {
    let dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("hostile-input");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Panics on fuzzed inputs are expected findings: the hook records where each happened
/// instead of printing a backtrace per input.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info.location().map_or_else(
                    || "unknown".to_string(),
                    |l| format!("{}:{}", l.file(), l.line()),
                );
                PANIC_AT.with(|p| *p.borrow_mut() = Some(at));
            } else {
                default(info);
            }
        }));
    });
}

/// How one input went.
#[derive(Debug)]
pub enum Outcome<T> {
    Answered(T),
    /// `file:line` of the panic and its message.
    Panicked(String, String),
}

/// What one run cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Wall-clock time.
    pub time: Duration,
    /// The thread's own CPU time, where the system tells it (Linux); immune to the load of
    /// other processes on a shared machine.
    pub cpu: Option<Duration>,
    pub peak: usize,
}

impl Cost {
    /// The budget this run went over, if any.
    pub fn over_budget(self) -> Option<String> {
        if self.time > TIME_BUDGET {
            Some(format!(
                "took {} ms, over the {} ms budget",
                self.time.as_millis(),
                TIME_BUDGET.as_millis()
            ))
        } else if self.peak > MEMORY_BUDGET {
            Some(format!(
                "peaked at {} MiB of heap, over the {} MiB budget",
                self.peak >> 20,
                MEMORY_BUDGET >> 20
            ))
        } else {
            None
        }
    }
}

/// The input being run and when it started, for the watchdog.
type Current = Arc<Mutex<Option<(Instant, Vec<u8>)>>>;

/// A thread that ends the process when an input passes the hard ceilings, after saving it.
pub struct Watchdog {
    slot: usize,
    current: Current,
    /// Also measure the thread's CPU time (two reads of `/proc` a run).
    cpu: bool,
    /// The slowest run and the highest peak so far.
    worst: Cell<(Duration, usize)>,
}

impl Watchdog {
    pub fn new(name: &'static str) -> Watchdog {
        install_hook();
        let slot = NEXT_SLOT.fetch_add(1, Ordering::SeqCst) % SLOTS;
        let current: Current = Arc::new(Mutex::new(None));
        let watched = Arc::clone(&current);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(50));
                let guard = watched
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let Some((start, input)) = guard.as_ref() else {
                    continue;
                };
                let tripped = TRIPPED[slot].load(Ordering::SeqCst);
                if tripped || start.elapsed() > HARD_TIME {
                    let path = out_dir().join(format!("{name}-runaway.bin"));
                    let _ = std::fs::write(&path, input);
                    let what = if tripped {
                        format!("held more than {} MiB of heap", HARD_MEMORY >> 20)
                    } else {
                        format!("ran for more than {} s", HARD_TIME.as_secs())
                    };
                    // Straight to stderr: the test harness captures `eprintln!`, and the
                    // process ends before it would show it.
                    let _ = writeln!(
                        std::io::stderr(),
                        "hostile_input: a {name} input {what}; it is saved in {}. Ending the test run.",
                        path.display()
                    );
                    std::process::exit(101);
                }
            }
        });
        Watchdog {
            slot,
            current,
            cpu: false,
            worst: Cell::new((Duration::ZERO, 0)),
        }
    }

    /// "slowest input 120 ms, highest peak 48 MiB".
    pub fn worst(&self) -> String {
        let (time, peak) = self.worst.get();
        format!(
            "slowest input {} ms, highest peak {} MiB",
            time.as_millis(),
            peak >> 20
        )
    }

    /// A watchdog whose runs also measure the thread's CPU time.
    pub fn measuring_cpu(name: &'static str) -> Watchdog {
        Watchdog {
            cpu: true,
            ..Watchdog::new(name)
        }
    }

    /// Runs `f` on this thread, watched, and measures it.
    pub fn run<T>(&self, input: &[u8], f: impl FnOnce() -> T) -> (Outcome<T>, Cost) {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((Instant::now(), input.to_vec()));
        let (outcome, cost) = measure(self.slot, self.cpu, f);
        let (time, peak) = self.worst.get();
        self.worst.set((time.max(cost.time), peak.max(cost.peak)));
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        (outcome, cost)
    }
}

impl Watchdog {
    /// Runs `f` like `run`; a run over the time budget is repeated twice and the fastest run
    /// kept, so a moment of load on a shared machine is not a finding (a freeze is, every
    /// time).
    pub fn run_fastest<T>(&self, input: &[u8], f: impl Fn() -> T) -> (Outcome<T>, Cost) {
        let (mut outcome, mut cost) = self.run(input, &f);
        for _ in 0..2 {
            if cost.time <= TIME_BUDGET || matches!(outcome, Outcome::Panicked(..)) {
                break;
            }
            let (again, again_cost) = self.run(input, &f);
            if again_cost.time < cost.time {
                (outcome, cost) = (again, again_cost);
            }
        }
        (outcome, cost)
    }
}

/// Runs `f` and measures its time and the peak heap it added on this thread.
fn measure<T>(slot: usize, cpu: bool, f: impl FnOnce() -> T) -> (Outcome<T>, Cost) {
    install_hook();
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    SLOT.with(|s| s.set(slot));
    CEILING.with(|c| c.set(base.saturating_add(HARD_MEMORY as isize)));
    QUIET.with(|q| q.set(true));
    PANIC_AT.with(|p| p.borrow_mut().take());
    let cpu_start = if cpu { thread_cpu() } else { None };
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(f));
    let time = start.elapsed();
    let cpu = cpu_start.and_then(|a| thread_cpu().map(|b| b.saturating_sub(a)));
    QUIET.with(|q| q.set(false));
    CEILING.with(|c| c.set(0));
    let peak = PEAK.with(Cell::get).saturating_sub(base).max(0) as usize;
    let outcome = match result {
        Ok(v) => Outcome::Answered(v),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_string());
            let at = PANIC_AT
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown".to_string());
            Outcome::Panicked(at, msg)
        }
    };
    (outcome, Cost { time, cpu, peak })
}

/// The current thread's CPU time (user and system), from `/proc/thread-self/stat`, in clock
/// ticks of 10 ms.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is the 3rd, utime the 14th.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
