//! Sound-source localisation maps scored as "How to Listen?" (Wu, Fuentes, Seetharaman &
//! Bello, Interspeech 2022) scores them, after `eval_utils.py` in
//! hohsiangwu/rethinking-visual-sound-localization (Day 8):
//!
//! 1. [`clean_map`]: min-max normalise the map, then zero every value below its median
//!    (the sorted map's element at index `len / 2`);
//! 2. [`iou`]: binarise at 0.5 and compare with the true map, which may be soft (Flickr-
//!    SoundNet's consensus of annotators: 1 inside two boxes, 0.5 inside one):
//!    `IoU = sum(B G) / (sum G + sum B [G = 0])`;
//! 3. [`summary`]: cIoU, the share of maps with IoU >= 0.5, and the AUC of that share over
//!    the thresholds 0, 0.05, ..., 1 (trapezoids, as `sklearn.metrics.auc`).
//!
//! Maps are flat slices, row by row; a map and its truth must have one size.

use crate::error::{Error, Result, same_length};

/// The binarisation threshold of [`iou`] and the IoU that counts a map as right in cIoU.
pub const THRESHOLD: f64 = 0.5;

/// The map min-max normalised to [0, 1] (left as it is when constant), every value below
/// its median set to 0 (`clean_pred`).
pub fn clean_map(map: &[f64]) -> Result<Vec<f64>> {
    if map.is_empty() {
        return Err(Error::Empty("clean_map"));
    }
    if map.iter().any(|v| !v.is_finite()) {
        return Err(Error::Parameter("clean_map: the map has a value that is not finite".into()));
    }
    let (low, high) =
        map.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let normalised: Vec<f64> =
        if high > low { map.iter().map(|v| (v - low) / (high - low)).collect() } else { map.to_vec() };
    let mut sorted = normalised.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    Ok(normalised.into_iter().map(|v| if v < median { 0.0 } else { v }).collect())
}

/// IoU of the map, binarised at [`THRESHOLD`] (`>=`), with the true map `truth` (values in
/// [0, 1]; a soft truth counts each pixel by its value). `cal_CIOU`.
pub fn iou(map: &[f64], truth: &[f64]) -> Result<f64> {
    same_length("iou", map.len(), truth.len())?;
    if truth.iter().any(|g| !(0.0..=1.0).contains(g)) {
        return Err(Error::Parameter("iou: the true map must lie in [0, 1]".into()));
    }
    let truth_total: f64 = truth.iter().sum();
    if truth_total == 0.0 {
        return Err(Error::Parameter("iou: the true map is empty (no pixel sounds)".into()));
    }
    let (mut overlap, mut outside) = (0.0, 0.0);
    for (&m, &g) in map.iter().zip(truth) {
        if m >= THRESHOLD {
            overlap += g;
            if g == 0.0 {
                outside += 1.0;
            }
        }
    }
    Ok(overlap / (truth_total + outside))
}

/// cIoU and AUC of a set of IoUs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The share of maps with IoU >= [`THRESHOLD`].
    pub ciou: f64,
    /// The area under the share of maps with IoU >= t, over t = 0, 0.05, ..., 1.
    pub auc: f64,
}

/// cIoU and AUC of `ious` (`compute_metrics`).
pub fn summary(ious: &[f64]) -> Result<Summary> {
    if ious.is_empty() {
        return Err(Error::Empty("summary"));
    }
    let share = |t: f64| ious.iter().filter(|&&v| v >= t).count() as f64 / ious.len() as f64;
    let thresholds: Vec<f64> = (0..=20).map(|i| 0.05 * i as f64).collect();
    let shares: Vec<f64> = thresholds.iter().map(|&t| share(t)).collect();
    let auc =
        thresholds.windows(2).zip(shares.windows(2)).map(|(t, s)| (t[1] - t[0]) * (s[0] + s[1]) / 2.0).sum();
    Ok(Summary { ciou: share(THRESHOLD), auc })
}
