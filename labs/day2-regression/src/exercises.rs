//! The solutions of exercises 1 and 3, run by the lab so that the chapter prints their
//! numbers (it folds this code away under the exercises).

use crate::evaluation::{Settings, predict_held_out};
use crate::linear;
use crate::standardise::{Standardiser, rows, with_bias};
use ndarray::{Array1, Array2, Axis};

/// The pitch feature exercise 1 removes: log2 of the autocorrelation's estimate of f0
/// (the second of `NoteFeatures::pitch`).
pub const AUTOCORRELATION: usize = 1;

// ANCHOR: without_autocorrelation
/// Exercise 1: the pitch regression without the autocorrelation estimate. The same
/// training and test notes, the same normal equations; returns the test predictions.
pub fn pitch_without_autocorrelation(
    pitch: &Array2<f64>,
    midi: &Array1<f64>,
    (train, test): (&[usize], &[usize]),
) -> anyhow::Result<Vec<f64>> {
    let kept: Vec<usize> = (0..pitch.ncols()).filter(|&j| j != AUTOCORRELATION).collect();
    let fewer = pitch.select(Axis(1), &kept);
    let scaler = Standardiser::fit(&rows(&fewer, train));
    let x_train = with_bias(&scaler.transform(&rows(&fewer, train)));
    let x_test = with_bias(&scaler.transform(&rows(&fewer, test)));
    let w = linear::normal_equations(&x_train, &midi.select(Axis(0), train))?;
    Ok(dl4mir_linalg::matvec(&x_test, &w)?.to_vec())
}
// ANCHOR_END: without_autocorrelation

// ANCHOR: random_folds
/// Exercise 3: the same cross-validation with random folds (`k_fold`, shuffled with the
/// seed) instead of folds that hold out whole strings; returns a prediction for every row.
pub fn cross_validate_random(
    x: &Array2<f64>,
    labels: &[usize],
    settings: &Settings,
    seed: u64,
) -> anyhow::Result<Vec<usize>> {
    let folds = dl4mir_eval::split::k_fold(labels.len(), settings.folds, Some(seed))?;
    predict_held_out(x, labels, &folds, settings)
}
// ANCHOR_END: random_folds
