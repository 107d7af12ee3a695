//! Progress of a long build, on a terminal: one line on stderr, rewritten in place
//! ("Rendering pages… 400/1000"), so that a build of thousands of pages is not silent for
//! a minute. Nothing is written when stderr is not a terminal or with `--quiet`.
//!
//! Pages are counted from many threads with one atomic add each; the line is drawn at most
//! a few times a second, and not at all by a build quicker than that.
//!
//! For profiling, `StageClock` prints each stage's time, CPU and memory when
//! `NORMBOOK_TIMINGS` is set.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Time between two drawings of the line, and before the first.
const INTERVAL: Duration = Duration::from_millis(250);

/// The line of one stage: its name, then how much of it is done.
pub fn line(stage: &str, done: usize, total: usize) -> String {
    format!("{stage}… {done}/{total}")
}

/// Counts the work of a stage and draws it on stderr.
pub struct Progress {
    shown: bool,
    done: AtomicUsize,
    state: Mutex<State>,
}

struct State {
    stage: &'static str,
    total: usize,
    /// When the line may next be drawn.
    next_draw: Instant,
    /// Whether a line is on the terminal, to be cleared at the end.
    drawn: bool,
}

impl Progress {
    /// Shown only when `wanted` (not `--quiet`) and stderr is a terminal.
    pub fn on_terminal(wanted: bool) -> Progress {
        use std::io::IsTerminal;
        Self::new(wanted && std::io::stderr().is_terminal())
    }

    /// Progress that is never shown (`check`, `serve`, tests).
    pub fn hidden() -> Progress {
        Self::new(false)
    }

    fn new(shown: bool) -> Progress {
        let state = State { stage: "", total: 0, next_draw: Instant::now() + INTERVAL, drawn: false };
        Progress { shown, done: AtomicUsize::new(0), state: Mutex::new(state) }
    }

    /// Starts counting a stage of `total` steps.
    pub fn stage(&self, stage: &'static str, total: usize) {
        if !self.shown {
            return;
        }
        self.done.store(0, Ordering::Relaxed);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.stage = stage;
        state.total = total;
    }

    /// One step done; redraws the line if it is time. Threads that find another one
    /// drawing do not wait for it.
    pub fn step(&self) {
        if !self.shown {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Ok(mut state) = self.state.try_lock() else { return };
        let now = Instant::now();
        if now < state.next_draw {
            return;
        }
        state.next_draw = now + INTERVAL;
        state.drawn = true;
        let text = line(state.stage, done.min(state.total), state.total);
        // A line that cannot be drawn is no reason to stop a build.
        let _ = write!(std::io::stderr(), "\r{text}\x1b[K");
    }

    /// Clears the line, if one was drawn, before the build says anything else.
    pub fn finish(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.drawn {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
            state.drawn = false;
        }
    }
}

impl Drop for Progress {
    /// A build that fails part way leaves no half line before its errors.
    fn drop(&mut self) {
        self.finish();
    }
}

/// Prints how long each stage took, the CPU time it used (user and system: page faults
/// show as system time) and the memory then resident (Linux), when `NORMBOOK_TIMINGS` is
/// set (for profiling).
pub struct StageClock {
    last: Option<(Instant, [f64; 2])>,
}

/// User and system CPU seconds of this process so far, from /proc (Linux; else zero).
fn cpu_seconds() -> [f64; 2] {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    [ticks(11), ticks(12)]
}

impl StageClock {
    pub fn start() -> Self {
        StageClock { last: std::env::var_os("NORMBOOK_TIMINGS").map(|_| (Instant::now(), cpu_seconds())) }
    }

    pub fn lap(&mut self, stage: &str) {
        if let Some((last, [user, system])) = self.last {
            let rss_mb = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
                .map_or(0.0, |pages| pages * 4096.0 / 1048576.0);
            let cpu = cpu_seconds();
            eprintln!(
                "{stage:>10}: {:>6.1} ms, cpu {:>5.0} ms user {:>5.0} ms sys, {rss_mb:>6.0} MB resident",
                last.elapsed().as_secs_f64() * 1000.0,
                (cpu[0] - user) * 1000.0,
                (cpu[1] - system) * 1000.0
            );
            self.last = Some((Instant::now(), cpu));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_stage_and_counts_its_steps() {
        assert_eq!(line("Rendering pages", 400, 1000), "Rendering pages… 400/1000");
        assert_eq!(line("Indexing search", 0, 3), "Indexing search… 0/3");
    }

    #[test]
    fn hidden_progress_counts_nothing_and_draws_nothing() {
        let progress = Progress::hidden();
        progress.stage("Rendering pages", 2);
        progress.step();
        assert_eq!(progress.done.load(Ordering::Relaxed), 0);
        assert!(!progress.state.lock().unwrap().drawn);
    }
}
