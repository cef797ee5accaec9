//! # day6-synthesis: neural audio synthesis, three ways
//!
//! The lab of Day 6, in the order the chapter tells it:
//!
//! 1. **DDX7** ([`resynthesis`]): clean guitar notes resynthesized from their pitch and
//!    loudness by a six-operator FM synth whose operator levels a causal TCN predicts
//!    ([`ddx7`], [`tcn`]), against DDSP's harmonic-plus-noise synth with its recurrent
//!    decoder ([`hpn`]); both end in a learned reverb ([`reverb`]) and train on the
//!    multi-resolution spectral loss ([`training`]); judged on a held-out string
//!    ([`measures`]);
//! 2. **synthesizer programming** ([`programming`]): a network ([`programmer`]) that reads
//!    a sound's log-mel and programs three synthesizers ([`synths`]), shared in the three
//!    ways Faronbi et al. compare, then trained by ear through the synths (ours);
//! 3. **RAVE-lite** ([`rave`], run by [`learned_effect`] on crops of the notes, [`clips`]):
//!    a multiband variational autoencoder of raw audio, its decoder also given the note's
//!    pitch (ours), trained on one effect's notes and then fed clean notes.
//!
//! Both VAEs share their Gaussian posterior ([`posterior`]); the notes and their controls
//! come from [`notes`] and [`batch`], the WAV files from [`sound`].
//!
//! The pieces they share (oscillators, FM, harmonic-plus-noise, the spectral loss, PQMF)
//! are in the `dl4mir-ddsp` crate.

pub mod batch;
pub mod clips;
pub mod ddx7;
mod figures;
pub mod hpn;
pub mod learned_effect;
pub mod measures;
pub mod notes;
pub mod posterior;
pub mod programmer;
pub mod programming;
pub mod rave;
pub mod resynthesis;
pub mod reverb;
pub mod sound;
pub mod synths;
pub mod tcn;
pub mod training;

use dl4mir_train::{CommonArgs, RunReport, RunSummary, Stopwatch, seed_everything};
use serde_json::json;

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "Neural audio synthesis: DDX7, synthesizer programming, RAVE-lite (Day 6 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Which part to run: all three (the default), or one of them.
    #[arg(long, value_enum, default_value_t = Part::All)]
    pub part: Part,
    /// The guitar string the models are tested on (never heard in training).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// RAVE-lite's decoder as RAVE's: without the note's pitch as a source (it then has to
    /// find the pitch itself, which takes far more steps than a CPU run has).
    #[arg(long)]
    pub rave_without_pitch: bool,
}

/// `--part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    All,
    /// DDX7 against harmonic-plus-noise.
    Fm,
    /// Synthesizer programming.
    Programming,
    /// RAVE-lite.
    Rave,
}

impl Part {
    fn runs(self, part: Part) -> bool {
        self == Part::All || self == part
    }
}

/// Run the lab: writes `metrics.json`, the figures and the WAV files.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    args.check_training_values(8, 2e-3)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day6-synthesis");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let mut rng = seed_everything(&device, args.seed);
    let mut metrics = serde_json::Map::new();
    let mut logs: Vec<(String, dl4mir_train::LossLog)> = Vec::new();
    let mut trained_samples = 0;
    if cli.part.runs(Part::Fm) {
        let (part, part_logs) =
            resynthesis::run(args, cli.test_string, (&device, &mut rng), &out)?;
        trained_samples += count(&part, &["setup", "train_notes"])
            * count(&part, &["setup", "settings", "epochs"])
            * 2;
        metrics.insert("fm".into(), part);
        logs.extend(part_logs);
    }
    if cli.part.runs(Part::Programming) {
        let (part, part_logs) =
            programming::run(args, cli.test_string, (&device, &mut rng), &out)?;
        trained_samples += count(&part, &["setup", "train_patches"])
            * count(&part, &["setup", "sizes", "epochs"])
            * 3;
        metrics.insert("programming".into(), part);
        logs.extend(part_logs);
    }
    if cli.part.runs(Part::Rave) {
        let (part, part_logs) = learned_effect::run(
            args,
            (cli.test_string, !cli.rave_without_pitch),
            (&device, &mut rng),
            &out,
        )?;
        trained_samples +=
            count(&part, &["setup", "train_notes"]) * count(&part, &["setup", "epochs"]);
        metrics.insert("rave".into(), part);
        logs.extend(part_logs);
    }
    let summary = RunSummary {
        lab: "day6-synthesis".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        // Each part's setup is also a setting: the book may print its numbers as settings.
        hyperparameters: json!({
            "part": format!("{:?}", cli.part).to_lowercase(), "test_string": cli.test_string,
            "fm": metrics.get("fm").map(|m| m["setup"].clone()),
            "programming": metrics.get("programming").map(|m| m["setup"].clone()),
            "rave": metrics.get("rave").map(|m| m["setup"].clone()),
        }),
    };
    // The report's loss curve is the first model's; the others' per-epoch losses beside it.
    let mut losses = logs.first().map(|(_, log)| log.clone()).unwrap_or_default();
    for (name, log) in logs.iter().skip(1) {
        losses.per_epoch.insert(name.clone(), log.epochs.clone());
        losses.steps.extend(&log.steps);
        losses.train_seconds += log.train_seconds;
    }
    let report = summary.finish(losses, metrics, trained_samples, &stopwatch);
    report.write(&out)?;
    Ok(report)
}

/// The count at `path` in a part's numbers (0 where there is none).
fn count(part: &serde_json::Value, path: &[&str]) -> usize {
    path.iter().fold(part, |v, key| &v[*key]).as_u64().unwrap_or(0) as usize
}
