//! # day5-cnn-gru-attention: one task, three architectures
//!
//! Effect classification on log-mel spectrograms ([`features`]) by a CNN ([`cnn`]), a GRU
//! ([`gru`]) and a small transformer ([`transformer`]), on the same notes and split
//! ([`data`]), trained by one loop ([`training`]) from several seeds and compared
//! ([`compare`]); self-attention written by hand and checked against burn's
//! ([`attention`]); the exercise joins Day 1's spectral descriptors to the GRU
//! ([`exercise`]).

pub mod attention;
pub mod cnn;
pub mod compare;
pub mod data;
pub mod descriptors;
pub mod exercise;
pub mod features;
mod figures;
pub mod gru;
pub mod more_exercises;
pub mod sweep;
pub mod training;
pub mod transformer;

use compare::{Architecture, Inspect, Outcome, Trials};
use data::{Data, Labels};
use dl4mir_train::{CommonArgs, LossLog, RunReport, RunSize, RunSummary, Stopwatch};
use serde_json::{Map, Value, json};
use training::Settings;

/// Which models to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    Cnn,
    Gru,
    Attention,
    All,
}

impl Which {
    fn architectures(self) -> Vec<Architecture> {
        match self {
            Which::Cnn => vec![Architecture::Cnn],
            Which::Gru => vec![Architecture::Gru],
            Which::Attention => vec![Architecture::Attention],
            Which::All => Architecture::ALL.to_vec(),
        }
    }
}

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "One task, three architectures: CNN, GRU, attention (Day 5 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[arg(long, value_enum, default_value_t = Which::All)]
    pub model: Which,
    #[arg(long, value_enum, default_value_t = Labels::Effect)]
    pub labels: Labels,
    /// The guitar string the models are tested on (never seen in training).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// Train each model from this many seeds (--seed, --seed + 1, ...) and report the mean
    /// and spread of its test accuracy.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=20))]
    pub seeds: u64,
    /// Read the frames both ways with the GRU (a second GRU from the end to the start).
    #[arg(long)]
    pub bidirectional: bool,
    /// Skip the exercise (the GRU with Day 1's descriptors beside its embedding).
    #[arg(long)]
    pub no_exercise: bool,
    /// Choose each model's learning rate first: train it at each candidate rate and keep
    /// the best by validation accuracy (minutes; the defaults come from this sweep).
    #[arg(long)]
    pub lr_sweep: bool,
    /// Also train the variants of "More exercises" 1-3 (the CNN with two blocks, the GRU
    /// from its last state, the transformer without positions), from the same seeds.
    #[arg(long)]
    pub exercise_variants: bool,
}

// ANCHOR: run
/// Run the lab: writes `metrics.json` and the figures into the output folder.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    args.check_training_values(32, 0.003)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day5-cnn-gru-attention");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    // --quick takes small batches so that its few notes still make enough steps to learn
    // (at 3 epochs of 32 the CNN stayed at chance).
    let (per_class, epochs, batch_size) = match args.size() {
        RunSize::Quick => (Some(12), 8, 16),
        RunSize::Default => (Some(40), 12, 32),
        RunSize::Full => (None, 50, 32),
    };
    let settings = Settings {
        epochs: args.epochs.unwrap_or(epochs),
        batch_size: args.batch_size.unwrap_or(batch_size),
        lr: 0.0, // each architecture's own, below
    };
    let data = Data::load(args, cli.labels, per_class, cli.test_string)?;
    let batches = data.batches(settings.batch_size, None)?;
    let seeds: Vec<u64> = (0..cli.seeds).map(|i| args.seed + i).collect();
    let inspect = Inspect { out: &out, clip: data.first_test_clip() };

    let mut swept = Vec::new();
    if cli.lr_sweep {
        for architecture in cli.model.architectures() {
            let (scores, best) =
                sweep::sweep(architecture, &batches, settings, (&device, args.seed))?;
            swept.push((architecture, scores, best));
        }
        std::fs::write(out.join("lr_sweep.md"), sweep::table(&swept))?;
    }
    let lr_of = |architecture: Architecture| {
        let chosen =
            swept.iter().find(|(a, _, _)| *a == architecture).map(|(_, _, best)| *best);
        args.lr.or(chosen).unwrap_or(architecture.default_lr())
    };

    let mut results = Vec::new();
    for architecture in cli.model.architectures() {
        let settings = Settings { lr: lr_of(architecture), ..settings };
        let outcomes = seeds
            .iter()
            .enumerate()
            .map(|(i, &seed)| {
                let inspect = (i == 0).then_some(&inspect); // the figures show the first seed's model
                let options = compare::Options { bidirectional: cli.bidirectional, inspect };
                compare::train_and_test(
                    architecture,
                    &batches,
                    settings,
                    (&device, seed),
                    options,
                )
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        results.push(Trials { architecture, lr: settings.lr, outcomes });
    }
    let exercise = match cli.no_exercise {
        true => None,
        false => {
            let settings =
                Settings { lr: args.lr.unwrap_or(Architecture::Gru.default_lr()), ..settings };
            Some((
                exercise::gru_with_descriptors(&data, args, settings, &device, &seeds)?,
                settings.lr,
            ))
        }
    };
    let mut variants = Map::new();
    if cli.exercise_variants {
        for variant in more_exercises::Variant::ALL {
            let settings = Settings { lr: lr_of(variant.architecture()), ..settings };
            let outcomes = seeds
                .iter()
                .map(|&seed| {
                    more_exercises::train_variant(variant, &batches, settings, (&device, seed))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            variants.insert(variant.name().into(), compare::summary(&outcomes, settings.lr));
        }
    }
    figures::validation_curves(&results, &out.join("validation_accuracy"))?;
    let mut metrics =
        metrics_of(&data, &results, exercise.as_ref().map(|(o, lr)| (o.as_slice(), *lr)));
    if cli.lr_sweep {
        metrics.insert("lr_sweep".into(), sweep::to_json(&swept));
    }
    if cli.exercise_variants {
        metrics.insert("variants".into(), variants.into());
    }
    print_table(&metrics, &results.iter().map(|t| t.architecture.name()).collect::<Vec<_>>());

    let summary = RunSummary {
        lab: "day5-cnn-gru-attention".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: json!({
            "epochs": settings.epochs, "batch_size": settings.batch_size, "lr_override": args.lr,
            "notes_per_class": per_class, "test_string": cli.test_string, "seeds": cli.seeds,
            "bidirectional_gru": cli.bidirectional, "lr_sweep": cli.lr_sweep,
        }),
    };
    let losses = first_seed_losses(&results);
    let trained = losses.epochs.len() * data.train.len();
    let report = summary.finish(losses, metrics, trained, &stopwatch);
    report.write(&out)?;
    Ok(report)
}
// ANCHOR_END: run

/// `metrics.json`: the comparison table (`models`), the split's sizes and the exercise.
fn metrics_of(
    data: &Data,
    results: &[Trials],
    exercise: Option<(&[Outcome], f64)>,
) -> Map<String, Value> {
    let mut models = Map::new();
    for trials in results {
        models.insert(
            trials.architecture.name().into(),
            compare::summary(&trials.outcomes, trials.lr),
        );
    }
    let mut metrics = Map::new();
    metrics.insert("models".into(), models.into());
    metrics.insert("chance_accuracy".into(), (1.0 / data.class_count as f64).into());
    for (name, notes) in [
        ("train_notes", &data.train),
        ("validation_notes", &data.validation),
        ("test_notes", &data.test),
    ] {
        metrics.insert(name.into(), notes.len().into());
    }
    if let Some((with_descriptors, lr)) = exercise {
        metrics.insert("gru_with_descriptors".into(), compare::summary(with_descriptors, lr));
    }
    metrics
}

/// The comparison on the terminal, as the book prints it, in the order the models ran.
fn print_table(metrics: &Map<String, Value>, order: &[&str]) {
    println!(
        "{:<18} {:>16} {:>6} {:>10} {:>8} {:>8} {:>8}",
        "model", "test accuracy", "F1", "parameters", "train s", "ms/step", "ms/clip"
    );
    let models = order.iter().map(|&name| (name, &metrics["models"][name]));
    let exercise = metrics.get("gru_with_descriptors").map(|m| ("gru + descriptors", m));
    let variants = metrics.get("variants").and_then(Value::as_object).into_iter().flatten();
    for (name, m) in models.chain(exercise).chain(variants.map(|(n, m)| (n.as_str(), m))) {
        let number = |key: &str| m[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "{name:<18} {:>8.3} ± {:<5.3} {:>6.3} {:>10} {:>8.1} {:>8.1} {:>8.2}",
            number("test_accuracy"),
            number("test_accuracy_spread"),
            number("macro_f1"),
            m["parameters"],
            number("train_seconds"),
            number("ms_per_step"),
            number("ms_per_clip"),
        );
    }
}

/// The losses of every model's first seed, one after the other, for the run's summary.
fn first_seed_losses(results: &[Trials]) -> LossLog {
    let mut all = LossLog::default();
    for trials in results {
        let losses = &trials.outcomes[0].losses;
        all.steps.extend(&losses.steps);
        all.epochs.extend(&losses.epochs);
        all.train_seconds += losses.train_seconds;
    }
    all
}
