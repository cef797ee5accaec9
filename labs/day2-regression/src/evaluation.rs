//! Evaluation: cross-validation grouped by guitar string, learning curves, learning rates.

use crate::softmax;
use crate::standardise::{Standardiser, rows};
use dl4mir_eval::split::{Fold, group_k_fold, shuffle};
use ndarray::Array2;

// ANCHOR: cross_validation
/// k-fold cross-validation where a fold holds out whole guitar strings.
///
/// Why grouped: the same note on the same string exists once per effect and pickup, 65
/// times over. A random split can put near-copies of a test note (the same pedal, another
/// pickup) in the training data, and measures how well the model knows notes it has
/// nearly heard; holding out strings measures what we want to know, how it does on a
/// string (on real recordings: a timbre) it has never heard.
///
/// Each fold standardises with its own training rows, trains from scratch and predicts
/// its held-out rows; returns the prediction for every row.
pub fn cross_validate(
    x: &Array2<f64>,
    labels: &[usize],
    strings: &[usize],
    settings: &Settings,
) -> anyhow::Result<Vec<usize>> {
    predict_held_out(x, labels, &group_k_fold(strings, settings.folds, None)?, settings)
}

/// Train on each fold's training rows, predict its test rows: a prediction for every row.
pub fn predict_held_out(
    x: &Array2<f64>,
    labels: &[usize],
    folds: &[Fold],
    settings: &Settings,
) -> anyhow::Result<Vec<usize>> {
    let mut predictions = vec![0; labels.len()];
    for fold in folds {
        let (model, scaler, _) = fit(x, labels, &fold.train, settings, settings.steps)?;
        let predicted = model.predict(&scaler.transform(&rows(x, &fold.test)))?;
        for (&i, p) in fold.test.iter().zip(predicted) {
            predictions[i] = p;
        }
    }
    Ok(predictions)
}
// ANCHOR_END: cross_validation

/// How to train.
#[derive(Debug, Clone)]
pub struct Settings {
    pub classes: usize,
    pub folds: usize,
    pub lr: f64,
    pub steps: usize,
}

/// Standardise on `train` rows and train on them.
fn fit(
    x: &Array2<f64>,
    labels: &[usize],
    train: &[usize],
    s: &Settings,
    steps: usize,
) -> anyhow::Result<(softmax::Linear, Standardiser, Vec<f64>)> {
    let scaler = Standardiser::fit(&rows(x, train));
    let train_labels: Vec<usize> = train.iter().map(|&i| labels[i]).collect();
    let (model, losses) = softmax::train(
        &scaler.transform(&rows(x, train)),
        &train_labels,
        s.classes,
        s.lr,
        steps,
    )?;
    Ok((model, scaler, losses))
}

fn accuracy_on(
    model: &softmax::Linear,
    scaler: &Standardiser,
    x: &Array2<f64>,
    labels: &[usize],
    test: &[usize],
) -> anyhow::Result<f64> {
    let predicted = model.predict(&scaler.transform(&rows(x, test)))?;
    let truth: Vec<usize> = test.iter().map(|&i| labels[i]).collect();
    Ok(dl4mir_eval::classification::accuracy(&truth, &predicted)?)
}

// ANCHOR: learning_curve
/// Mean held-out and training accuracy over the folds when training on the first
/// `fraction` of each fold's training rows (in a seeded order), for each fraction.
pub fn learning_curve(
    x: &Array2<f64>,
    labels: &[usize],
    strings: &[usize],
    s: &Settings,
    fractions: &[f64],
    seed: u64,
) -> anyhow::Result<Vec<(usize, f64, f64)>> {
    let folds = group_k_fold(strings, s.folds, None)?;
    let mut curve = Vec::new();
    for &fraction in fractions {
        let (mut sizes, mut test_acc, mut train_acc) = (0, 0.0, 0.0);
        for Fold { train, test } in &folds {
            let mut order = train.clone();
            shuffle(&mut order, seed);
            let n = ((train.len() as f64 * fraction).round() as usize)
                .clamp(s.classes, train.len());
            let subset = &order[..n];
            let (model, scaler, _) = fit(x, labels, subset, s, s.steps)?;
            sizes += n;
            test_acc += accuracy_on(&model, &scaler, x, labels, test)?;
            train_acc += accuracy_on(&model, &scaler, x, labels, subset)?;
        }
        let k = folds.len() as f64;
        curve.push((sizes / folds.len(), test_acc / k, train_acc / k));
    }
    Ok(curve)
}
// ANCHOR_END: learning_curve

/// One learning rate's training on the first fold.
pub struct RateOutcome {
    pub lr: f64,
    /// The training loss before every step (up to a blow-up, if it diverged).
    pub losses: Vec<f64>,
    /// The size of the weights at the end, `||W||` (Frobenius norm); `None` if it diverged.
    pub weight_norm: Option<f64>,
    /// Accuracy on the training notes at the end: 1 means a hyperplane separates them all.
    pub train_accuracy: Option<f64>,
}

// ANCHOR: learning_rates
/// The training loss of the first fold at each learning rate, and how large the weights
/// grew: on separable data the loss has no minimum, it only falls as `||W||` grows.
pub fn learning_rates(
    x: &Array2<f64>,
    labels: &[usize],
    strings: &[usize],
    s: &Settings,
    rates: &[f64],
) -> anyhow::Result<Vec<RateOutcome>> {
    let fold = group_k_fold(strings, s.folds, None)?.remove(0);
    rates
        .iter()
        .map(|&lr| {
            // A rate that diverges is a result here, not an error: keep its curve up to the blow-up.
            let settings = Settings { lr, ..s.clone() };
            Ok(match fit(x, labels, &fold.train, &settings, s.steps) {
                Ok((model, scaler, losses)) => RateOutcome {
                    lr,
                    losses,
                    weight_norm: Some(model.w.iter().map(|w| w * w).sum::<f64>().sqrt()),
                    train_accuracy: Some(accuracy_on(
                        &model,
                        &scaler,
                        x,
                        labels,
                        &fold.train,
                    )?),
                },
                Err(_) => RateOutcome {
                    lr,
                    losses: vec![f64::NAN],
                    weight_norm: None,
                    train_accuracy: None,
                },
            })
        })
        .collect()
}
// ANCHOR_END: learning_rates
