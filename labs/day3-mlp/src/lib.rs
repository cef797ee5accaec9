//! # day3-mlp: a feed-forward network that hears the effect
//!
//! The lab of Day 3, in the order the chapter tells it:
//!
//! 1. a small mel spectrogram of each note, flattened to 1,856 numbers ([`features`]),
//!    computed once and cached;
//! 2. the notebook's split: test on one guitar string, train on the others ([`split`]);
//! 3. each input standardised over the training notes ([`scaling`]; the notebook's
//!    per-spectrogram scaling with `--scaling notebook`);
//! 4. the network, `Linear(1856, 64) -> ReLU -> Linear(64, classes)` ([`model`]), trained
//!    with Adam on the cross-entropy ([`training`]);
//! 5. test accuracy, the confusion matrix, the same network without its hidden layer
//!    (softmax regression) through the same training, and the exercise ([`exercise`]).

pub mod exercise;
pub mod features;
mod figures;
pub mod model;
pub mod notes;
pub mod scaling;
pub mod split;
pub mod training;

use dl4mir_train::{
    Checkpoint, CommonArgs, RunReport, RunSize, RunSummary, Stopwatch, seed_everything,
};
use model::{MlpConfig, parameter_count};
use notes::{Labels, Notes};
use scaling::Scaling;
use training::{Saving, Settings, Trained};

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "A feed-forward network classifies guitar effects (Day 3 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Classes: effect types, comma-separated (none, distortion, modulation, delay, reverb),
    /// or `effects` for all 13 effects.
    #[arg(long, default_value = "modulation,reverb", value_parser = Labels::parse)]
    pub labels: Labels,
    /// The guitar string the network is tested on (never seen in training).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// Units of each hidden layer, comma-separated (e.g. 256, or 64,64).
    #[arg(long, value_delimiter = ',', default_value = "64", value_parser = clap::value_parser!(u64).range(1..))]
    pub hidden: Vec<u64>,
    /// Dropout probability after each hidden layer, in [0, 1).
    #[arg(long, default_value_t = 0.0)]
    pub dropout: f64,
    /// How the inputs are scaled: each input over the training notes, or (`notebook`) each
    /// note's spectrogram over its own cells.
    #[arg(long, value_enum, default_value_t = Scaling::PerFeature)]
    pub scaling: Scaling,
    /// Skip the exercise's five extra trainings.
    #[arg(long)]
    pub no_exercise: bool,
}

/// Values that cannot train stop the run with the fix.
fn refuse_bad_values(cli: &Cli) -> anyhow::Result<()> {
    cli.common.check_training_values(32, training::LR)?;
    if !(0.0..1.0).contains(&cli.dropout) {
        anyhow::bail!("--dropout {} must be at least 0 and below 1, e.g. 0.5", cli.dropout);
    }
    Ok(())
}

/// Run the lab: writes `metrics.json`, the figures and `twin.json` into the output folder.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    refuse_bad_values(cli)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day3-mlp");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let (per_class, default_epochs) = match args.size() {
        RunSize::Quick => (Some(100), 12),
        RunSize::Default => (Some(600), 30),
        RunSize::Full => (None, 100),
    };
    let settings = Settings {
        epochs: args.epochs.unwrap_or(default_epochs),
        batch_size: args.batch_size.unwrap_or(32),
        lr: args.lr.unwrap_or(training::LR),
    };

    // ANCHOR: run
    let notes = Notes::load(args, &cli.labels, per_class)?;
    let split = split::by_string(&notes.strings, cli.test_string, args.seed);
    notes.check_split(&split, cli.test_string)?;
    let hidden: Vec<usize> = cli.hidden.iter().map(|&h| h as usize).collect();
    let config =
        MlpConfig::new(notes.width, hidden, notes.names.len()).with_dropout(cli.dropout);
    let (train, validation, test) =
        notes.batchers(&split, settings.batch_size, cli.scaling)?;
    let rng = seed_everything(&device, args.seed);
    let (last, best) = (Checkpoint::in_dir(&out), Checkpoint::named(&out, "best"));
    let saving = Saving { last: &last, best: &best, resume: args.resume };
    let Trained { model, best_epoch, losses, initial_loss } =
        training::train(&config, &train, &validation, settings, (&device, rng), Some(saving))?;
    let predicted = training::predict(&model, &test, &device);
    let truth = notes.labels_of(&split.test);

    // The controlled baseline: no hidden layer (softmax regression), everything else the same.
    let linear = MlpConfig::new(notes.width, vec![], notes.names.len());
    let rng = seed_everything(&device, args.seed);
    let baseline =
        training::train(&linear, &train, &validation, settings, (&device, rng), None)?;
    let baseline_predicted = training::predict(&baseline.model, &test, &device);
    // ANCHOR_END: run
    println!(
        "{} notes ({}): {} train, {} validation, {} test (string {}); inputs scaled {}",
        notes.tracks.len(),
        notes.names.join(" / "),
        split.train.len(),
        split.validation.len(),
        split.test.len(),
        cli.test_string,
        cli.scaling.name()
    );
    let classes = notes.names.len();
    let report =
        dl4mir_eval::classification::classification_report(&truth, &predicted, classes)?;
    let counts = dl4mir_eval::classification::confusion_matrix(&truth, &predicted, classes)?;
    let majority = majority_share(&truth, classes);
    let dead = training::dead_units(&model, &train, &device);
    let baseline_accuracy =
        dl4mir_eval::classification::accuracy(&truth, &baseline_predicted)?;
    println!(
        "MLP: loss {initial_loss:.3} before the first step, {:.3} over the first epoch; {dead} of {} first-layer units dead",
        losses.epochs[0],
        config.hidden.first().copied().unwrap_or(0)
    );
    println!(
        "MLP (epoch {best_epoch} of {}, lowest validation loss) test accuracy {:.3} (majority class {majority:.3}), macro F1 {:.3}",
        settings.epochs, report.accuracy, report.macro_avg.f1
    );
    println!(
        "no hidden layer (softmax regression), same training: test accuracy {baseline_accuracy:.3} (epoch {})",
        baseline.best_epoch
    );

    let mut metrics = serde_json::Map::new();
    metrics.insert("notes".into(), notes.tracks.len().into());
    metrics.insert("train_notes".into(), split.train.len().into());
    metrics.insert("validation_notes".into(), split.validation.len().into());
    metrics.insert("test_notes".into(), split.test.len().into());
    metrics.insert("parameters".into(), parameter_count(&config).into());
    metrics.insert("initial_loss".into(), initial_loss.into());
    metrics.insert("first_epoch_loss".into(), losses.epochs[0].into());
    metrics.insert("dead_units".into(), dead.into());
    metrics.insert("test_accuracy".into(), report.accuracy.into());
    metrics.insert("majority_accuracy".into(), majority.into());
    metrics.insert("test_macro_f1".into(), report.macro_avg.f1.into());
    metrics.insert("best_epoch".into(), best_epoch.into());
    metrics.insert("best_validation_loss".into(), losses.validation[best_epoch - 1].into());
    metrics.insert("softmax_regression_accuracy".into(), baseline_accuracy.into());
    metrics.insert("softmax_regression_best_epoch".into(), baseline.best_epoch.into());
    metrics.insert(
        "softmax_regression_first_epoch_loss".into(),
        baseline.losses.epochs[0].into(),
    );

    let mut accuracies = vec![
        ("no hidden layer".to_string(), baseline_accuracy),
        (format!("MLP {:?}", config.hidden), report.accuracy),
    ];
    if !cli.no_exercise {
        for variant in exercise::variants() {
            let outcome = exercise::train_variant(
                &variant,
                &notes,
                cli.test_string,
                settings,
                &device,
                args.seed,
            )?;
            let accuracy = outcome.test_accuracy;
            println!(
                "  exercise: {:<16} test accuracy {accuracy:.3} (first epoch's loss {:.3}, {} dead units)",
                variant.name, outcome.first_epoch_loss, outcome.dead_units
            );
            metrics.insert(format!("exercise_{}", variant.key), accuracy.into());
            if variant.scaling == Scaling::Notebook {
                // What the chapter compares with the lab's scaling.
                metrics.insert(
                    format!("{}_first_epoch_loss", variant.key),
                    outcome.first_epoch_loss.into(),
                );
                metrics
                    .insert(format!("{}_dead_units", variant.key), outcome.dead_units.into());
            }
            accuracies.push((variant.name.to_string(), accuracy));
        }
    }

    figures::loss_curves(&losses, train.batches_per_epoch(), &out.join("loss"))?;
    figures::confusion(counts, &notes.names, cli.test_string, &out.join("confusion"))?;
    figures::accuracies(&accuracies, &out.join("accuracies"))?;
    comparison_table(&accuracies, &out.join("comparison.md"))?;
    write_twin_inputs(&notes, &split, (&config, cli.scaling), settings, &out)?;

    let summary = RunSummary {
        lab: "day3-mlp".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: serde_json::json!({
            "labels": notes.names, "test_string": cli.test_string, "notes_per_class": per_class,
            "hidden": config.hidden, "dropout": config.dropout, "scaling": cli.scaling.name(), "epochs": settings.epochs,
            "batch_size": settings.batch_size, "lr": settings.lr, "optimizer": "Adam (eps 1e-8)",
            "n_mels": features::N_MELS, "n_fft": features::N_FFT, "hop": features::HOP,
            "fmax": features::FMAX, "excerpt_seconds": features::SECONDS, "sr": features::SR,
        }),
    };
    let trained = settings.epochs * split.train.len(); // the MLP's (the baseline's is not timed)
    let run_report = summary.finish(losses, metrics, trained, &stopwatch);
    run_report.write(&out)?;
    Ok(run_report)
}

/// The share of the most common class: the accuracy of always guessing it.
fn majority_share(truth: &[usize], classes: usize) -> f64 {
    let mut counts = vec![0usize; classes];
    truth.iter().for_each(|&c| counts[c] += 1);
    *counts.iter().max().unwrap_or(&0) as f64 / truth.len().max(1) as f64
}

/// The accuracies as a Markdown table, which the chapter includes.
fn comparison_table(rows: &[(String, f64)], path: &std::path::Path) -> anyhow::Result<()> {
    let mut text = String::from("| model | test accuracy |\n|---|---:|\n");
    for (name, accuracy) in rows {
        text.push_str(&format!("| {name} | {accuracy:.3} |\n"));
    }
    std::fs::write(path, text)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// `twin.json`: where the features are and how this run split and trained, for
/// `labs/day3-mlp/twin.py` (the same network in PyTorch, for the speed comparison).
fn write_twin_inputs(
    notes: &Notes,
    split: &split::Split,
    (config, scaling): (&MlpConfig, Scaling),
    settings: Settings,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let scaling = match scaling {
        Scaling::PerFeature => "per_feature",
        Scaling::Notebook => "per_spectrogram",
    };
    let twin = serde_json::json!({
        "features": notes.cache, "scaling": scaling, "width": notes.width, "labels": notes.labels, "classes": notes.names.len(),
        "train": split.train, "validation": split.validation, "test": split.test,
        "hidden": config.hidden, "epochs": settings.epochs, "batch_size": settings.batch_size, "lr": settings.lr,
    });
    let path = out.join("twin.json");
    std::fs::write(&path, twin.to_string())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
