//! Separation scored as the paper's `calc_metrics`: each predicted mask unwarped to the
//! STFT's bins (binary ones thresholded at 0.5), times the mixture's magnitude, with the
//! mixture's phase, back to a waveform; then BSS Eval's SDR, SIR and SAR against the true
//! sources, with the mixture itself as the floor and the ideal masks as the ceiling.

use crate::model::AudioVisual;
use crate::spectra::{FRAMES, HOP, MaskKind, Resampling, WARPED, synthesise};
use crate::training::{Analysed, Batch, Mixture, N_MIX, mask_logits};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use dl4mir_eval::bss_eval::bss_eval_sources;
use ndarray::Array2;

/// The samples the inverse STFT gives back (`librosa.istft` without a length), which the
/// references are cut to.
pub const SCORED_SAMPLES: usize = HOP * (FRAMES - 1);
/// The paper's `valid` test: a reference or an estimate this quiet is not scored.
const SILENT: f64 = 1e-5;

/// Mean SDR, SIR and SAR (dB) over the scored mixtures.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    pub sdr: f64,
    pub sir: f64,
    pub sar: f64,
    /// Mixtures scored, and those skipped as silent.
    pub scored: usize,
    pub skipped: usize,
}

/// A way to get estimates from a mixture: what is compared.
#[derive(Debug, Clone, Copy)]
pub enum Estimator<'a> {
    /// A trained model's masks.
    Model(&'a AudioVisual, MaskKind),
    /// The mixture itself as every estimate: the floor.
    Mixture,
    /// The true masks of that kind on the warped grid: the ceiling of any model here.
    Ideal(MaskKind),
}

// ANCHOR: estimates
/// The separated waveforms of one mixture from warped masks `[N_MIX][WARPED x FRAMES]`.
pub fn separate(analysed: &Analysed, masks: &[Vec<f32>], kind: MaskKind) -> anyhow::Result<Vec<Vec<f32>>> {
    let unwarp = Resampling::unwarp();
    masks
        .iter()
        .map(|mask| {
            let warped = Array2::from_shape_vec((WARPED, FRAMES), mask.clone())?;
            let linear = unwarp.apply(&warped).mapv(|m| kind.applied(m));
            synthesise(&(linear * &analysed.mix_magnitude), &analysed.mix_phase)
        })
        .collect()
}
// ANCHOR_END: estimates

/// The model's masks (after the sigmoid) for each mixture: `[mixture][source][cells]`.
pub fn predicted_masks(
    model: &AudioVisual,
    mixtures: &[(Mixture, Analysed)],
    device: &Device,
) -> Vec<Vec<Vec<f32>>> {
    let cells = WARPED * FRAMES;
    let mut out = Vec::with_capacity(mixtures.len());
    for chunk in mixtures.chunks(16) {
        let batch = Batch::new(chunk, MaskKind::Binary, device);
        let masks = sigmoid(mask_logits(model, batch.log_mix, batch.frames));
        let values: Vec<f32> = masks.into_data().iter::<f32>().collect();
        let b = chunk.len();
        for j in 0..b {
            out.push(
                (0..N_MIX).map(|n| values[(n * b + j) * cells..(n * b + j + 1) * cells].to_vec()).collect(),
            );
        }
    }
    out
}

/// Every mixture's estimates by `estimator`.
pub fn estimates(
    estimator: Estimator,
    mixtures: &[(Mixture, Analysed)],
    device: &Device,
) -> anyhow::Result<Vec<Vec<Vec<f32>>>> {
    match estimator {
        Estimator::Model(model, kind) => predicted_masks(model, mixtures, device)
            .iter()
            .zip(mixtures)
            .map(|(masks, (_, analysed))| separate(analysed, masks, kind))
            .collect(),
        Estimator::Mixture => {
            Ok(mixtures.iter().map(|(m, _)| vec![m.mix[..SCORED_SAMPLES].to_vec(); N_MIX]).collect())
        }
        Estimator::Ideal(kind) => mixtures
            .iter()
            .map(|(_, analysed)| {
                let masks: Vec<Vec<f32>> = (0..N_MIX).map(|n| analysed.target(n, kind)).collect();
                separate(analysed, &masks, kind)
            })
            .collect(),
    }
}

// ANCHOR: score
/// BSS Eval of every mixture's estimates, averaged: each estimate against its own source,
/// no search over permutations (the picture says which source is which).
pub fn score(mixtures: &[(Mixture, Analysed)], estimates: &[Vec<Vec<f32>>]) -> anyhow::Result<Scores> {
    let mut scores = Scores::default();
    for ((mixture, _), estimate) in mixtures.iter().zip(estimates) {
        let to_f64 = |x: &[f32]| -> Vec<f64> { x[..SCORED_SAMPLES].iter().map(|&v| v as f64).collect() };
        let references: Vec<Vec<f64>> = mixture.sources.iter().map(|s| to_f64(s)).collect();
        let estimated: Vec<Vec<f64>> = estimate.iter().map(|e| to_f64(e)).collect();
        let quiet = |x: &Vec<f64>| x.iter().map(|v| v.abs()).sum::<f64>() <= SILENT;
        if references.iter().chain(&estimated).any(quiet) {
            scores.skipped += 1;
            continue;
        }
        let measures = bss_eval_sources(&references, &estimated)?;
        let n = measures.len() as f64;
        scores.sdr += measures.iter().map(|m| m.sdr).sum::<f64>() / n;
        scores.sir += measures.iter().map(|m| m.sir).sum::<f64>() / n;
        scores.sar += measures.iter().map(|m| m.sar).sum::<f64>() / n;
        scores.scored += 1;
    }
    anyhow::ensure!(scores.scored > 0, "every test mixture was silent: no separation can be scored");
    let n = scores.scored as f64;
    (scores.sdr, scores.sir, scores.sar) = (scores.sdr / n, scores.sir / n, scores.sar / n);
    Ok(scores)
}
// ANCHOR_END: score
