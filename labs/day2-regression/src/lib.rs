//! # day2-regression: regression, classification, evaluation
//!
//! The lab of Day 2, in the order the chapter tells it:
//!
//! 1. features of each note ([`features`]);
//! 2. linear regression of the pitch, by the normal equations and by gradient descent
//!    ([`linear`]);
//! 3. logistic and softmax regression with hand-written gradients ([`softmax`]), checked
//!    against burn's autodiff ([`autodiff_check`]);
//! 4. evaluation: cross-validation grouped by string, per-class scores, the confusion
//!    matrix, a learning curve and a learning-rate comparison ([`evaluation`]).

pub mod autodiff_check;
pub mod evaluation;
pub mod exercises;
pub mod features;
mod figures;
pub mod linear;
pub mod softmax;
pub mod standardise;

use dl4mir_datasets::synth::SynthOptions;
use dl4mir_datasets::{
    Effect, EffectType, IfMissing, Track, effect_classes, open_classes, open_tracks,
    type_classes,
};
use dl4mir_plot::Series;
use dl4mir_train::{CommonArgs, LossLog, RunReport, RunSize, RunSummary, Stopwatch};
use evaluation::Settings;
use ndarray::Array1;
use standardise::{Standardiser, rows, with_bias};

/// What the classifier predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Labels {
    /// The five effect types: none (clean), distortion, modulation, delay, reverb.
    Type,
    /// All 13 effects.
    Effect,
}

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(about = "Regression, classification, evaluation (Day 2 of the dl4mir course)")]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Classes of the softmax regression.
    #[arg(long, value_enum, default_value_t = Labels::Type)]
    pub labels: Labels,
    /// The guitar string the regression and the logistic regression are tested on.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// Cross-validation folds (each holds out whole strings; at most 6).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(2..=6))]
    pub folds: u8,
}

/// Steps of the pitch regression's gradient descent: enough to reach the normal equations'
/// answer to 1e-9 (its five log-frequency features are strongly correlated, which makes
/// the valley long and narrow). Cheap: five features.
const REGRESSION_STEPS: usize = 5_000;

/// Full-batch gradient descent: one step sees every example, so `--epochs` counts steps.
/// Flags that cannot apply, and values that cannot train, stop the run with the fix.
fn refuse_other_flags(args: &CommonArgs) -> anyhow::Result<()> {
    if args.batch_size.is_some() || args.resume {
        let flag = if args.resume { "--resume" } else { "--batch-size" };
        anyhow::bail!(
            "{flag} does not apply to day2-regression: it trains by full-batch gradient descent in seconds; leave it out"
        );
    }
    // Full batches: --batch-size is refused above, so only the epoch count and lr are checked.
    args.check_training_values(1, 0.5)?;
    Ok(())
}

fn load(
    args: &CommonArgs,
    select: impl for<'a> Fn(
        dl4mir_datasets::select::Selection<'a>,
    ) -> dl4mir_datasets::select::Selection<'a>,
) -> anyhow::Result<Vec<Track>> {
    Ok(open_tracks(args.dataset, &args.data_home(), &SynthOptions::default(), select)?)
}

/// Run the lab: writes `metrics.json` and the figures into the output folder.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    refuse_other_flags(args)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day2-regression");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let (per_class, clean_notes, default_steps) = match args.size() {
        RunSize::Quick => (Some(24), Some(90), 150),
        RunSize::Default => (Some(150), None, 500),
        RunSize::Full => (None, None, 2000),
    };
    let steps = args.epochs.unwrap_or(default_steps);
    let lr = args.lr.unwrap_or(0.5);

    let mut run = Run {
        args,
        out: &out,
        test_string: cli.test_string,
        steps,
        lr,
        metrics: serde_json::Map::new(),
    };

    // 1-2. Linear regression of the pitch.
    pitch_regression(&mut run, clean_notes)?;
    // 3. Classification data, logistic regression, the autodiff check.
    let data = classification_data(args, cli.labels, per_class)?;
    logistic_regression(&mut run, &data)?;
    autodiff_check(&mut run, &data, &device)?;
    // 4. Evaluation of softmax regression.
    let folds = evaluate(&mut run, &data, cli.folds as usize)?;
    let metrics = std::mem::take(&mut run.metrics);

    let summary = RunSummary {
        lab: "day2-regression".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: serde_json::json!({
            "labels": format!("{:?}", cli.labels).to_lowercase(),
            "steps": steps, "regression_steps": REGRESSION_STEPS, "lr": lr, "folds": folds, "test_string": cli.test_string,
            "notes_per_class": per_class, "clean_notes": clean_notes,
            "excerpt_seconds": features::SECONDS, "sr": features::SR,
        }),
    };
    let run_report = summary.finish(LossLog::default(), metrics, 0, &stopwatch);
    run_report.write(&out)?;
    Ok(run_report)
}

/// What every part of the run shares.
struct Run<'a> {
    args: &'a CommonArgs,
    out: &'a std::path::Path,
    test_string: u8,
    steps: usize,
    lr: f64,
    metrics: serde_json::Map<String, serde_json::Value>,
}

/// Linear regression of a clean note's MIDI number, both ways, tested on one string.
fn pitch_regression(run: &mut Run, clean_notes: Option<usize>) -> anyhow::Result<()> {
    let (args, out, test_string) = (run.args, run.out, run.test_string);
    // ANCHOR: regression
    // Pitch regression on clean notes: train on five strings, test on the sixth.
    let clean = load(args, |s| {
        let s = s.effects(&[Effect::Clean]);
        match clean_notes {
            Some(n) => s.sample(n, args.seed),
            None => s,
        }
    })?;
    let (_, pitch) = features::matrices(&clean)?;
    let midi = Array1::from_iter(clean.iter().map(|t| t.midi as f64));
    let (train, test): (Vec<usize>, Vec<usize>) =
        (0..clean.len()).partition(|&i| clean[i].string != test_string);
    anyhow::ensure!(
        !train.is_empty() && !test.is_empty(),
        "the pitch regression needs clean notes on string {test_string} (found {}) and on the \
         other strings (found {}); fetch them with \
         `cargo run -p dl4mir-datasets -- download --partial clean` \
         or choose another --test-string",
        test.len(),
        train.len()
    );
    let scaler = Standardiser::fit(&rows(&pitch, &train));
    let x_train = with_bias(&scaler.transform(&rows(&pitch, &train)));
    let x_test = with_bias(&scaler.transform(&rows(&pitch, &test)));
    let y_train = midi.select(ndarray::Axis(0), &train);
    let exact = linear::normal_equations(&x_train, &y_train)?;
    let (descended, gd_losses) =
        linear::gradient_descent(&x_train, &y_train, 0.1, REGRESSION_STEPS)?;
    // ANCHOR_END: regression
    let weight_difference = (&exact - &descended).iter().fold(0.0f64, |m, d| m.max(d.abs()));
    let predicted: Vec<f64> = dl4mir_linalg::matvec(&x_test, &exact)?.to_vec();
    let truth: Vec<f64> = test.iter().map(|&i| midi[i]).collect();
    let r2 = dl4mir_eval::regression::r2(&truth, &predicted)?;
    let mae = dl4mir_eval::regression::mae(&truth, &predicted)?;
    println!(
        "pitch regression, {} train / {} test notes (string {test_string}): R² {r2:.3}, MAE {mae:.2} semitones",
        train.len(),
        test.len()
    );
    println!(
        "normal equations vs {REGRESSION_STEPS} gradient-descent steps: weights within {weight_difference:.1e}"
    );
    figures::predicted_vs_true(&truth, &predicted, test_string, &out.join("pitch"))?;
    figures::curves(
        "Linear regression: gradient descent",
        "step",
        "mean squared error (semitones²)",
        vec![Series::new("training loss", figures::losses(&gd_losses))],
        true,
        &out.join("regression_loss"),
    )?;
    // Exercise 1: without the autocorrelation's estimate.
    let without = exercises::pitch_without_autocorrelation(&pitch, &midi, (&train, &test))?;
    let r2_without = dl4mir_eval::regression::r2(&truth, &without)?;
    let mae_without = dl4mir_eval::regression::mae(&truth, &without)?;
    println!(
        "  without the autocorrelation estimate (exercise 1): R² {r2_without:.3}, MAE {mae_without:.2} semitones"
    );
    figures::predicted_vs_true(
        &truth,
        &without,
        test_string,
        &out.join("pitch_without_autocorrelation"),
    )?;
    let metrics = &mut run.metrics;
    metrics.insert("regression_r2_without_autocorrelation".into(), r2_without.into());
    metrics.insert("regression_mae_without_autocorrelation".into(), mae_without.into());
    metrics.insert("regression_r2".into(), r2.into());
    metrics.insert("regression_mae".into(), mae.into());
    metrics.insert("regression_weight_difference".into(), weight_difference.into());

    Ok(())
}

/// The notes to classify: the same number per class, every string.
struct ClassificationData {
    tracks: Vec<Track>,
    names: Vec<String>,
    labels: Vec<usize>,
    strings: Vec<usize>,
    timbre: ndarray::Array2<f64>,
}

fn classification_data(
    args: &CommonArgs,
    labels: Labels,
    per_class: Option<usize>,
) -> anyhow::Result<ClassificationData> {
    let classes = match labels {
        Labels::Type => type_classes(&EffectType::ALL),
        Labels::Effect => effect_classes(),
    };
    let (choice, home) = (args.dataset, args.data_home());
    let (tracks, labels) =
        open_classes(choice, &home, &classes, per_class, args.seed, IfMissing::Stop)?;
    let names: Vec<String> = classes.iter().map(|(n, _)| n.clone()).collect();
    let strings: Vec<usize> = tracks.iter().map(|t| t.string as usize).collect();
    let (timbre, _) = features::matrices(&tracks)?;
    println!(
        "{} notes, {} classes ({}), {} features each",
        tracks.len(),
        names.len(),
        names.join(", "),
        timbre.ncols()
    );

    Ok(ClassificationData { tracks, names, labels, strings, timbre })
}

/// Logistic regression on the first two classes, tested on one string.
fn logistic_regression(run: &mut Run, data: &ClassificationData) -> anyhow::Result<()> {
    let ClassificationData { tracks, names, labels, timbre, .. } = data;
    let (test_string, steps, lr) = (run.test_string, run.steps, run.lr);
    // ANCHOR: logistic_run
    // Logistic regression: the first two classes (clean vs distortion by default).
    let pair: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] < 2).collect();
    let (pair_train, pair_test): (Vec<usize>, Vec<usize>) =
        pair.iter().partition(|&&i| tracks[i].string != test_string);
    let scaler = Standardiser::fit(&rows(timbre, &pair_train));
    let (x_pair, x_pair_test) = (
        scaler.transform(&rows(timbre, &pair_train)),
        scaler.transform(&rows(timbre, &pair_test)),
    );
    let y_pair = Array1::from_iter(pair_train.iter().map(|&i| labels[i] as f64));
    let (mut w, mut b) = (Array1::zeros(timbre.ncols()), 0.0);
    for _ in 0..steps {
        let (_, grad_w, grad_b) =
            softmax::logistic_loss_and_gradients(&w, b, &x_pair, &y_pair)?;
        w.scaled_add(-lr, &grad_w);
        b -= lr * grad_b;
    }
    let scores = dl4mir_linalg::matvec(&x_pair_test, &w)? + b;
    let pair_predicted: Vec<usize> = scores.iter().map(|&z| usize::from(z > 0.0)).collect();
    let pair_truth: Vec<usize> = pair_test.iter().map(|&i| labels[i]).collect();
    let logistic_accuracy =
        dl4mir_eval::classification::accuracy(&pair_truth, &pair_predicted)?;
    // ANCHOR_END: logistic_run
    println!(
        "logistic regression, {} vs {}, string {test_string}: accuracy {logistic_accuracy:.3}",
        names[0], names[1]
    );
    run.metrics.insert("logistic_accuracy".into(), logistic_accuracy.into());

    Ok(())
}

/// The hand gradient of softmax regression against burn's autodiff.
fn autodiff_check(
    run: &mut Run,
    data: &ClassificationData,
    device: &burn::prelude::Device,
) -> anyhow::Result<()> {
    let ClassificationData { names, labels, timbre, .. } = data;
    let lr = run.lr;
    // ANCHOR: check_run
    // The hand gradient against burn's autodiff, at a model a few steps into training.
    let z = Standardiser::fit(timbre).transform(timbre);
    let (partly_trained, _) = softmax::train(&z, labels, names.len(), lr, 5)?;
    let gradient_difference =
        autodiff_check::max_gradient_difference(&partly_trained, &z, labels, device)?;
    // ANCHOR_END: check_run
    println!("hand gradient vs burn autodiff: largest difference {gradient_difference:.1e}");
    anyhow::ensure!(
        gradient_difference < 1e-4,
        "the hand gradient disagrees with autodiff by {gradient_difference}"
    );
    run.metrics
        .insert("gradient_vs_autodiff_max_abs_difference".into(), gradient_difference.into());

    Ok(())
}

/// Cross-validation grouped by string, per-class scores, the confusion matrix, the
/// learning curve and the learning rates. Returns the number of folds.
fn evaluate(run: &mut Run, data: &ClassificationData, folds: usize) -> anyhow::Result<usize> {
    let ClassificationData { tracks, names, labels, strings, timbre } = data;
    let (args, out, steps, lr) = (run.args, run.out, run.steps, run.lr);
    let settings = Settings { classes: names.len(), folds, lr, steps };
    let predictions = evaluation::cross_validate(timbre, labels, strings, &settings)?;
    let report =
        dl4mir_eval::classification::classification_report(labels, &predictions, names.len())?;
    let counts =
        dl4mir_eval::classification::confusion_matrix(labels, &predictions, names.len())?;
    figures::confusion(counts, names, &out.join("confusion"))?;
    println!(
        "softmax regression, {}-fold cross-validation by string: accuracy {:.3}, macro F1 {:.3}",
        settings.folds, report.accuracy, report.macro_avg.f1
    );
    for (name, scores) in names.iter().zip(&report.per_class) {
        println!(
            "  {name:<16} precision {:.3}  recall {:.3}  F1 {:.3}  ({} notes)",
            scores.precision, scores.recall, scores.f1, scores.support
        );
    }
    let fractions = [0.05, 0.1, 0.2, 0.4, 0.7, 1.0];
    let curve =
        evaluation::learning_curve(timbre, labels, strings, &settings, &fractions, args.seed)?;
    figures::curves(
        "Learning curve (mean over folds)",
        "training notes",
        "accuracy",
        vec![
            Series::new(
                "held-out strings",
                curve.iter().map(|&(n, test, _)| (n as f64, test)).collect(),
            ),
            Series::new(
                "training notes",
                curve.iter().map(|&(n, _, train)| (n as f64, train)).collect(),
            ),
        ],
        false,
        &out.join("learning_curve"),
    )?;
    let rates = [0.01, 0.1, 1.0, 10.0];
    let by_rate = evaluation::learning_rates(timbre, labels, strings, &settings, &rates)?;
    for r in &by_rate {
        let last = r.losses.last().copied().unwrap_or(f64::NAN);
        let norm = r.weight_norm.unwrap_or(f64::NAN);
        println!("  lr {:<5} final training loss {last:.4}, ||W|| {norm:.1}", r.lr);
    }
    let series = by_rate
        .iter()
        .map(|r| Series::new(format!("lr = {}", r.lr), figures::losses(&r.losses)))
        .collect();
    figures::curves(
        "Training loss at four learning rates (first fold)",
        "step",
        "cross-entropy",
        series,
        true,
        &out.join("learning_rates"),
    )?;

    // Exercise 3: random folds instead of held-out strings.
    let random = exercises::cross_validate_random(timbre, labels, &settings, args.seed)?;
    let random_accuracy = dl4mir_eval::classification::accuracy(labels, &random)?;
    println!("  with random folds instead (exercise 3): accuracy {random_accuracy:.3}");
    run.metrics.insert("cv_accuracy_random_folds".into(), random_accuracy.into());
    run.metrics.insert("classes".into(), serde_json::json!(names));
    run.metrics.insert("notes".into(), tracks.len().into());
    run.metrics.insert("cv_accuracy".into(), report.accuracy.into());
    run.metrics.insert("cv_macro_precision".into(), report.macro_avg.precision.into());
    run.metrics.insert("cv_macro_recall".into(), report.macro_avg.recall.into());
    run.metrics.insert("cv_macro_f1".into(), report.macro_avg.f1.into());
    run.metrics.insert(
        "cv_per_class_f1".into(),
        serde_json::json!(report.per_class.iter().map(|c| c.f1).collect::<Vec<_>>()),
    );
    run.metrics.insert("learning_curve".into(), serde_json::json!(curve.iter().map(|&(n, test, train)| serde_json::json!({"notes": n, "test_accuracy": test, "train_accuracy": train})).collect::<Vec<_>>()));
    // Keyed `1e-2`, `1e-1`, `1e0`, `1e1` (no dots: the book's keys are dotted paths).
    let entries = by_rate.iter().map(|r| {
        let entry = serde_json::json!({
            "lr": r.lr,
            "final_loss": r.losses.last().copied().filter(|v| v.is_finite()),
            "weight_norm": r.weight_norm,
            "train_accuracy": r.train_accuracy,
        });
        (format!("{:e}", r.lr), entry)
    });
    run.metrics.insert("by_lr".into(), serde_json::Value::Object(entries.collect()));

    Ok(settings.folds)
}
