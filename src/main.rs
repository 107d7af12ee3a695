//! normbook: the command line. Parses arguments and runs build, check, serve or init.

use normbook::{build, init, serve};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Building allocates many small strings on every thread; mimalloc does that much faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, asked for an alignment only when a type needs more than a word's: its
/// blocks are all whole words, so a plain allocation is aligned to a word already, and
/// the aligned calls cost a check and, past 1 KB, a slower path (a build makes two
/// million allocations per thousand pages, most of them strings).
struct Mimalloc;

/// The alignment every mimalloc block has: blocks are whole words. (mimalloc's "guarded"
/// debug mode, not built here, would not keep it.)
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: every call hands mimalloc's own pointers back to it, and asks for an alignment
// beyond a word from its aligned calls.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        let p = if layout.align() <= WORD { mi_malloc(layout.size()) } else { mi_malloc_aligned(layout.size(), layout.align()) };
        p.cast()
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        let p = if layout.align() <= WORD { mi_zalloc(layout.size()) } else { mi_zalloc_aligned(layout.size(), layout.align()) };
        p.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        let p = if layout.align() <= WORD {
            mi_realloc(ptr.cast(), new_size)
        } else {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align())
        };
        p.cast()
    }
}

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a check, or a build without search: memory freed stays with the process for the
/// next stage instead of going back to the system once unused for a second. Given back,
/// it must be faulted in and zeroed again when reused: at 10,000 pages, 7 times the page
/// faults and a few per cent of the build's CPU time. (`serve` runs for hours and keeps
/// the default, which returns memory.)
fn keep_freed_memory() {
    // SAFETY: sets an integer option, which is not thread safe: this runs before the
    // command starts any other thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_have_the_alignment_asked_for() {
        for size in [1, 3, 8, 24, 40, 1000, 1025, 5000, 100_000, 3 << 20] {
            for align in [1, 2, 4, 8, 16, 64, 4096] {
                let layout = std::alloc::Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; each block is freed with its own layout.
                unsafe {
                    let p = std::alloc::alloc(layout);
                    assert!(!p.is_null() && (p as usize).is_multiple_of(align), "{size} bytes aligned to {align}");
                    let q = std::alloc::realloc(p, layout, size * 3);
                    assert!(!q.is_null() && (q as usize).is_multiple_of(align), "{size} bytes grown, aligned to {align}");
                    std::alloc::dealloc(q, std::alloc::Layout::from_size_align(size * 3, align).unwrap());
                    let z = std::alloc::alloc_zeroed(layout);
                    assert!((z as usize).is_multiple_of(align) && std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    std::alloc::dealloc(z, layout);
                }
            }
        }
    }

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // Its default is 1,000 ms: another value means mimalloc renumbered its options.
        // SAFETY: reads an integer option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
    }
}

/// A static-site generator for reference-and-guidance handbooks with fillable questionnaires.
#[derive(Parser)]
#[command(name = "normbook", version, about)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (default `public/`).
    Build {
        /// The handbook's folder, holding site.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site, relative to the root (overrides site.toml `output_dir`).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The sub-path the site is hosted under, e.g. `/handbook/` (overrides site.toml).
        #[arg(long)]
        base_path: Option<String>,
        /// Skip the search index, for a quicker build.
        #[arg(long)]
        no_search: bool,
        /// Replace an output folder that holds files normbook did not write.
        #[arg(long)]
        force: bool,
    },
    /// Load and validate everything and resolve every reference; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build and serve the site on 127.0.0.1; rebuild and reload pages when sources change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on; the next free one is taken if it is busy.
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (another than 127.0.0.1 exposes the site to your network).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new, minimal handbook in DIR that builds as it is.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let say = |text: String| {
        if !cli.quiet {
            println!("{text}");
        }
    };
    match cli.command {
        Command::Build { root, output, base_path, no_search, force } => {
            // Not before a search index: pagefind frees and takes memory in large amounts,
            // and keeping what it frees raised its peak from 4.8 to 5.5 GB at 10,000 pages.
            if no_search {
                keep_freed_memory();
            }
            let summary = build::build(&root, &build::Overrides { output_dir: output, base_path, no_search, force, progress: !cli.quiet })?;
            say(summary.to_string());
        }
        Command::Check { root } => {
            keep_freed_memory();
            say(build::check(&root)?.to_string());
        }
        Command::Serve { root, port, bind, open } => serve::serve(&root, &serve::Options { address: bind, port, open, quiet: cli.quiet })?,
        Command::Init { dir } => {
            init::init(&dir)?;
            say(init::next_steps(&dir, &init::program_name()));
        }
    }
    Ok(())
}
