//! `cargo run -p dl4mir-datasets -- <command>`: make, fetch, check and describe EGFxSet.

use anyhow::Context;
use clap::{Parser, Subcommand};
use dl4mir_datasets::synth::{SynthOptions, SynthOutcome, generate};
use dl4mir_datasets::{
    DatasetChoice, DownloadOptions, Effect, Egfxset, data_home, download, egfxset_dir, synth_dir,
};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "dl4mir-datasets", about = "EGFxSet for the dl4mir course: synth, download, validate, info")]
struct Cli {
    /// Where datasets live (default: $DL4MIR_DATA_HOME, else ~/mir_datasets).
    #[arg(long, global = true)]
    data_home: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the synthetic EGFxSet (offline; about a minute for all 8,970 files).
    Synth {
        /// Only N tracks from each <Effect>/<Pickup> folder (65 folders).
        #[arg(long)]
        per_folder: Option<usize>,
        /// Seconds per recording.
        #[arg(long, default_value_t = 5.0)]
        seconds: f32,
        /// Seed of the generator.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Fetch the real EGFxSet from Zenodo (13 zips, 8 GB), resumable, checksummed.
    Download {
        /// Only these effects, e.g. `--partial clean "tube screamer"`.
        #[arg(long, num_args = 1..)]
        partial: Option<Vec<String>>,
        /// Fetch and extract again even if present.
        #[arg(long)]
        force: bool,
        /// Delete the zips after extracting them.
        #[arg(long)]
        cleanup: bool,
        /// Another server (default: $DL4MIR_EGFXSET_URL, else Zenodo).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check every file is present with the right md5.
    Validate {
        /// Which set (default: every set present).
        #[arg(long, value_enum)]
        dataset: Option<DatasetChoice>,
    },
    /// Counts per effect, pickup and string; where the data is; its size on disk.
    Info {
        /// Which set (default: every set present).
        #[arg(long, value_enum)]
        dataset: Option<DatasetChoice>,
    },
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            // Our messages already carry their cause; `{e}` avoids printing it twice.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let home = data_home(cli.data_home.clone());
    match cli.command {
        Command::Synth { per_folder, seconds, seed } => {
            let root = synth_dir(&home);
            let start = std::time::Instant::now();
            let outcome = generate(&root, &SynthOptions { seed, per_folder, seconds })?;
            let seconds_taken = start.elapsed().as_secs_f64();
            match outcome {
                SynthOutcome::AlreadyPresent { tracks } => {
                    println!("{tracks} synthetic recordings already in {} (nothing to do)", root.display())
                }
                SynthOutcome::Generated { tracks } => {
                    println!(
                        "made {tracks} synthetic recordings in {} in {seconds_taken:.1} s",
                        root.display()
                    )
                }
            }
        }
        Command::Download { partial, force, cleanup, base_url } => {
            let partial = partial
                .map(|names| {
                    names
                        .iter()
                        .map(|n| {
                            Effect::parse(n).with_context(|| {
                                let known: Vec<_> = Effect::ALL.iter().map(|e| e.name()).collect();
                                format!("unknown effect `{n}`; choose from: {}", known.join(", "))
                            })
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
                .transpose()?;
            let root = egfxset_dir(&home);
            download(&root, &DownloadOptions { partial, force, cleanup, base_url, ..Default::default() })?;
            println!("EGFxSet is in {}; check it with `validate`", root.display());
        }
        Command::Validate { dataset } => {
            let mut all_ok = true;
            for (name, set) in sets(&home, dataset)? {
                let report = set.validate()?;
                all_ok &= report.is_ok();
                if cli.json {
                    let json = serde_json::json!({
                        "dataset": name, "root": set.root(), "checked": report.checked,
                        "missing": report.missing, "mismatched": report.mismatched,
                    });
                    println!("{json}");
                } else {
                    println!("{name} ({}): {}", set.root().display(), report.report());
                }
            }
            return Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE });
        }
        Command::Info { dataset } => {
            for (name, set) in sets(&home, dataset)? {
                info(name, &set, cli.json)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The sets to act on: the one asked for, or every one present.
fn sets(
    home: &std::path::Path,
    choice: Option<DatasetChoice>,
) -> anyhow::Result<Vec<(&'static str, Egfxset)>> {
    let open = |c: DatasetChoice| -> dl4mir_datasets::Result<Egfxset> {
        match c {
            DatasetChoice::Synth => Egfxset::open(&synth_dir(home)),
            DatasetChoice::Egfxset => Egfxset::initialize(home),
        }
    };
    let name = |c: DatasetChoice| if c == DatasetChoice::Synth { "synthetic EGFxSet" } else { "EGFxSet" };
    if let Some(c) = choice {
        return Ok(vec![(name(c), open(c)?)]);
    }
    // A set counts as present once it holds its CSV or an effect folder (an interrupted
    // first download leaves an empty folder behind).
    let holds_data = |set: &Egfxset| {
        set.root().join("egfxset_metadata.csv").exists()
            || Effect::ALL.iter().any(|e| set.root().join(e.folder()).is_dir())
    };
    let present: Vec<_> = [DatasetChoice::Egfxset, DatasetChoice::Synth]
        .into_iter()
        .filter_map(|c| open(c).ok().filter(holds_data).map(|s| (name(c), s)))
        .collect();
    anyhow::ensure!(
        !present.is_empty(),
        "no dataset under {}; make one with `cargo run -p dl4mir-datasets -- synth` or fetch the real one with `download`",
        home.display()
    );
    Ok(present)
}

fn info(name: &str, set: &Egfxset, json: bool) -> anyhow::Result<()> {
    use std::collections::BTreeMap;
    let tracks = set.tracks()?;
    let mut by_effect: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_pickup: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_string: BTreeMap<u8, usize> = BTreeMap::new();
    let (mut on_disk, mut bytes) = (0usize, 0u64);
    for t in &tracks {
        *by_effect.entry(t.effect_folder.clone()).or_default() += 1;
        *by_pickup.entry(t.pickup.to_string()).or_default() += 1;
        *by_string.entry(t.string).or_default() += 1;
        if let Ok(m) = std::fs::metadata(&t.audio_path) {
            on_disk += 1;
            bytes += m.len();
        }
    }
    if json {
        let json = serde_json::json!({
            "dataset": name, "root": set.root(), "tracks": tracks.len(), "on_disk": on_disk, "bytes": bytes,
            "per_effect": by_effect, "per_pickup": by_pickup, "per_string": by_string,
        });
        println!("{json}");
        return Ok(());
    }
    println!("{name} at {}", set.root().display());
    println!("  {} tracks in the index, {on_disk} on disk, {:.1} MB", tracks.len(), bytes as f64 / 1e6);
    let line = |title: &str, counts: Vec<(String, usize)>| {
        let parts: Vec<String> = counts.into_iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  {title}: {}", parts.join(", "));
    };
    line("per effect", by_effect.into_iter().collect());
    line("per pickup", by_pickup.into_iter().collect());
    line("per string", by_string.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
    Ok(())
}
