//! Separation scored as the paper's `calc_metrics`: each predicted mask unwarped to the
//! STFT's bins (binary ones thresholded at 0.5), times the mixture's magnitude, with the
//! mixture's phase, back to a waveform; then BSS Eval's SDR, SIR and SAR against the true
//! sources, with the mixture itself as the floor and the ideal masks as the ceiling.

use crate::model::AudioVisual;
use crate::spectra::{FRAMES, HOP, MaskKind, Resampling, WARPED, synthesise};
use crate::training::{Analysed, Batch, Mixture, N_MIX, mask_logits};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use dl4mir_eval::bss_eval::bss_eval_sources_sets;
use ndarray::Array2;

/// The samples the inverse STFT gives back (`librosa.istft` without a length), which the
/// references are cut to.
pub const SCORED_SAMPLES: usize = HOP * (FRAMES - 1);
/// The paper's `valid` test: a reference or an estimate this quiet is not scored.
const SILENT: f64 = 1e-5;

/// One system's estimates: `[mixture][source][sample]`.
pub type Estimates = Vec<Vec<Vec<f32>>>;

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
pub fn separate(
    analysed: &Analysed,
    masks: &[Vec<f32>],
    kind: MaskKind,
) -> anyhow::Result<Vec<Vec<f32>>> {
    let unwarp = Resampling::unwarp();
    masks
        .iter()
        .map(|mask| {
            let warped = Array2::from_shape_vec((WARPED, FRAMES), mask.clone())?;
            let linear = unwarp.apply(&warped).mapv(|m| kind.applied(m));
            synthesise(&linear, &analysed.mix_spectrum)
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
                (0..N_MIX)
                    .map(|n| values[(n * b + j) * cells..(n * b + j + 1) * cells].to_vec())
                    .collect(),
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
) -> anyhow::Result<Estimates> {
    match estimator {
        Estimator::Model(model, kind) => predicted_masks(model, mixtures, device)
            .iter()
            .zip(mixtures)
            .map(|(masks, (_, analysed))| separate(analysed, masks, kind))
            .collect(),
        Estimator::Mixture => Ok(mixtures
            .iter()
            .map(|(m, _)| vec![m.mix[..SCORED_SAMPLES].to_vec(); N_MIX])
            .collect()),
        Estimator::Ideal(kind) => mixtures
            .iter()
            .map(|(_, analysed)| {
                let masks: Vec<Vec<f32>> =
                    (0..N_MIX).map(|n| analysed.target(n, kind)).collect();
                separate(analysed, &masks, kind)
            })
            .collect(),
    }
}

// ANCHOR: score
/// BSS Eval of every system's estimates (`systems[s][mixture][source]`), averaged over the
/// mixtures: each estimate against its own source, no search over permutations (the
/// picture says which source is which). A mixture whose reference, or whose estimate by a
/// system, is silent is skipped (for that system), as the paper's `valid` mask does.
pub fn score(
    mixtures: &[(Mixture, Analysed)],
    systems: &[Vec<Vec<Vec<f32>>>],
) -> anyhow::Result<Vec<Scores>> {
    let mut scores = vec![Scores::default(); systems.len()];
    let to_f64 =
        |x: &[f32]| -> Vec<f64> { x[..SCORED_SAMPLES].iter().map(|&v| v as f64).collect() };
    let quiet = |x: &Vec<f64>| x.iter().map(|v| v.abs()).sum::<f64>() <= SILENT;
    for (m, (mixture, _)) in mixtures.iter().enumerate() {
        let references: Vec<Vec<f64>> = mixture.sources.iter().map(|s| to_f64(s)).collect();
        let mut sets: Vec<Vec<Vec<f64>>> = systems
            .iter()
            .map(|system| system[m].iter().map(|e| to_f64(e)).collect())
            .collect();
        let valid: Vec<usize> = (0..systems.len())
            .filter(|&s| !references.iter().chain(&sets[s]).any(quiet))
            .collect();
        for (s, score) in scores.iter_mut().enumerate() {
            if !valid.contains(&s) {
                score.skipped += 1;
            }
        }
        if valid.is_empty() {
            continue;
        }
        let chosen: Vec<Vec<Vec<f64>>> =
            valid.iter().map(|&s| std::mem::take(&mut sets[s])).collect();
        for (&s, measures) in valid.iter().zip(bss_eval_sources_sets(&references, &chosen)?) {
            let n = measures.len() as f64;
            scores[s].sdr += measures.iter().map(|m| m.sdr).sum::<f64>() / n;
            scores[s].sir += measures.iter().map(|m| m.sir).sum::<f64>() / n;
            scores[s].sar += measures.iter().map(|m| m.sar).sum::<f64>() / n;
            scores[s].scored += 1;
        }
    }
    for score in &mut scores {
        anyhow::ensure!(
            score.scored > 0,
            "every test mixture was silent: no separation can be scored"
        );
        let n = score.scored as f64;
        (score.sdr, score.sir, score.sar) = (score.sdr / n, score.sir / n, score.sar / n);
    }
    Ok(scores)
}
// ANCHOR_END: score
