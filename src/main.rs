//! normbook: the command line. Parses arguments and runs build, check, serve or init.

use normbook::{build, init, serve};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Building allocates many small strings on every thread; mimalloc does that much faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
            let summary = build::build(&root, &build::Overrides { output_dir: output, base_path, no_search, force, progress: !cli.quiet })?;
            say(summary.to_string());
        }
        Command::Check { root } => say(build::check(&root)?.to_string()),
        Command::Serve { root, port, bind, open } => serve::serve(&root, &serve::Options { address: bind, port, open, quiet: cli.quiet })?,
        Command::Init { dir } => {
            init::init(&dir)?;
            say(init::next_steps(&dir, &init::program_name()));
        }
    }
    Ok(())
}
