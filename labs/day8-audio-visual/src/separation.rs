//! Separation scored as the paper's `calc_metrics`: each predicted mask unwarped to the
//! STFT's bins (binary ones thresholded at 0.5), times the mixture's magnitude, with the
//! mixture's phase, back to a waveform; then BSS Eval's SDR, SIR and SAR against the true
//! sources, with the mixture itself as the floor and the ideal masks as the ceiling.

use crate::model::AudioVisual;
use crate::spectra::{FRAMES, HOP, MaskKind, Resampling, WARPED, synthesise};
use crate::training::{Analysed, Batch, Mixture, N_MIX, mask_logits};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use dl4mir_eval::bss_eval::{SourceMeasures, bss_eval_sources_sets};
use ndarray::Array2;
use rayon::prelude::*;

/// The samples the inverse STFT gives back (`librosa.istft` without a length), which the
/// references are cut to.
pub const SCORED_SAMPLES: usize = HOP * (FRAMES - 1);
/// The paper's `valid` test: a reference or an estimate this quiet is not scored.
const SILENT: f64 = 1e-5;
/// Ours: each measure is held within this many dB of 0 before it is averaged. An estimate
/// that shares not one sample's correlation with its source (a mask that kept only where
/// the source is silent) scores an SDR of minus infinity, and one such estimate would make
/// the mean minus infinity, whatever every other mixture scored; -100 dB is below any
/// estimate that holds its source at all. How many were held is counted.
const DB_LIMIT: f64 = 100.0;

/// One system's estimates: `[mixture][source][sample]`.
pub type Estimates = Vec<Vec<Vec<f32>>>;

/// Mean SDR, SIR and SAR (dB) over the scored mixtures.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    pub sdr: f64,
    pub sir: f64,
    pub sar: f64,
    /// Mixtures scored (the same for every system), and those skipped because this
    /// system's estimate of a source was silent.
    pub scored: usize,
    pub skipped: usize,
    /// Measures held at -100 or +100 dB (`DB_LIMIT`) before the mean.
    pub held_at_limit: usize,
}

/// A way to get estimates from a mixture: what is compared.
#[derive(Debug, Clone, Copy)]
pub enum Estimator<'a> {
    /// A trained model's masks.
    Model(&'a AudioVisual, MaskKind),
    /// The same, each source's mask asked for with the *other* scene's picture: a model
    /// that looks at the picture now separates the wrong source.
    SwappedPictures(&'a AudioVisual, MaskKind),
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
    swapped: bool,
    device: &Device,
) -> Vec<Vec<Vec<f32>>> {
    let cells = WARPED * FRAMES;
    let mut out = Vec::with_capacity(mixtures.len());
    for chunk in mixtures.chunks(16) {
        let batch = Batch::new(chunk, MaskKind::Binary, device);
        let b = chunk.len();
        // Source-major: the first b frames are the first sources' pictures.
        let frames = if swapped { batch.frames.roll_dim(b as i64, 0) } else { batch.frames };
        let masks = sigmoid(mask_logits(model, batch.log_mix, frames));
        let values: Vec<f32> = masks.into_data().iter::<f32>().collect();
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
        Estimator::Model(model, kind) | Estimator::SwappedPictures(model, kind) => {
            let swapped = matches!(estimator, Estimator::SwappedPictures(..));
            predicted_masks(model, mixtures, swapped, device)
                .iter()
                .zip(mixtures)
                .map(|(masks, (_, analysed))| separate(analysed, masks, kind))
                .collect()
        }
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

/// One test mixture in [`score`]: every system's measures, or skipped (and which systems
/// were silent on it).
enum Outcome {
    Measured(Vec<Vec<SourceMeasures>>),
    Skipped { silent: Vec<bool> },
}

// ANCHOR: score
/// BSS Eval of every system's estimates (`systems[s][mixture][source]`), averaged over the
/// mixtures: each estimate against its own source, no search over permutations (the
/// picture says which source is which). A mixture with a silent reference, or with a
/// silent estimate by any system, is skipped, as the paper's `valid` mask skips it (for
/// every system, ours: so that every row is an average over the same mixtures, as the
/// paper's mixture baseline is over its model's); each system counts the mixtures its own
/// silence had skipped.
pub fn score(
    mixtures: &[(Mixture, Analysed)],
    systems: &[Vec<Vec<Vec<f32>>>],
) -> anyhow::Result<Vec<Scores>> {
    let to_f64 =
        |x: &[f32]| -> Vec<f64> { x[..SCORED_SAMPLES].iter().map(|&v| v as f64).collect() };
    let quiet = |x: &Vec<f64>| x.iter().map(|v| v.abs()).sum::<f64>() <= SILENT;
    // Each mixture is measured on its own, in parallel; the sums below go in order.
    let measured = (0..mixtures.len())
        .into_par_iter()
        .map(|m| {
            let references: Vec<Vec<f64>> =
                mixtures[m].0.sources.iter().map(|s| to_f64(s)).collect();
            let sets: Vec<Vec<Vec<f64>>> = systems
                .iter()
                .map(|system| system[m].iter().map(|e| to_f64(e)).collect())
                .collect();
            let silent: Vec<bool> = sets.iter().map(|set| set.iter().any(quiet)).collect();
            if references.iter().any(quiet) || silent.contains(&true) {
                return Ok(Outcome::Skipped { silent });
            }
            Ok(Outcome::Measured(bss_eval_sources_sets(&references, &sets)?))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut scores = vec![Scores::default(); systems.len()];
    for outcome in measured {
        let sets = match outcome {
            Outcome::Measured(sets) => sets,
            Outcome::Skipped { silent } => {
                for (score, &silent) in scores.iter_mut().zip(&silent) {
                    score.skipped += usize::from(silent);
                }
                continue;
            }
        };
        for (score, measures) in scores.iter_mut().zip(sets) {
            let n = measures.len() as f64;
            let mut mean = |measure: fn(&SourceMeasures) -> f64| {
                let values = measures.iter().map(measure);
                score.held_at_limit += values.clone().filter(|v| v.abs() > DB_LIMIT).count();
                values.map(|v| v.clamp(-DB_LIMIT, DB_LIMIT)).sum::<f64>() / n
            };
            let (sdr, sir, sar) = (mean(|m| m.sdr), mean(|m| m.sir), mean(|m| m.sar));
            (score.sdr, score.sir, score.sar) =
                (score.sdr + sdr, score.sir + sir, score.sar + sar);
            score.scored += 1;
        }
    }
    for score in &mut scores {
        anyhow::ensure!(
            score.scored > 0,
            "no test mixture could be scored: in every one a source or an estimate was silent"
        );
        let n = score.scored as f64;
        (score.sdr, score.sir, score.sar) = (score.sdr / n, score.sir / n, score.sar / n);
    }
    Ok(scores)
}
// ANCHOR_END: score

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::SAMPLES;

    /// A mixture of two tones (no pictures: scoring never looks at them).
    fn two_tones(pitch: f32) -> (Mixture, Analysed) {
        let tone = |f: f32| -> Vec<f32> {
            (0..SAMPLES).map(|t| 0.3 * (t as f32 * f * 0.01).sin()).collect()
        };
        let sources = vec![tone(pitch), tone(2.7 * pitch)];
        let mix = crate::scenes::mixture(&sources);
        let analysed = Analysed::of(&mix, &sources).unwrap();
        (Mixture { scenes: Vec::new(), sources, mix }, analysed)
    }

    #[test]
    fn a_silent_estimate_skips_its_mixture_for_every_system_and_is_counted() {
        let mixtures = vec![two_tones(1.0), two_tones(1.3)];
        let truth: Estimates = mixtures.iter().map(|(m, _)| m.sources.clone()).collect();
        let mut silent_once = truth.clone();
        silent_once[0][1] = vec![0.0; SAMPLES];
        let scores = score(&mixtures, &[truth, silent_once]).unwrap();
        for s in &scores {
            assert_eq!(s.scored, 1, "{s:?}");
        }
        assert_eq!((scores[0].skipped, scores[1].skipped), (0, 1));
        // Both systems gave the true sources on the one mixture scored.
        assert_eq!(scores[0], Scores { skipped: 0, ..scores[1] });
        // A perfect estimate's SDR is held at the limit, and counted.
        assert_eq!(scores[0].sdr, DB_LIMIT, "{:?}", scores[0]);
        assert!(scores[0].held_at_limit > 0);
    }

    #[test]
    fn an_estimate_with_none_of_its_source_is_held_at_minus_the_limit() {
        let (mut mixture, analysed) = two_tones(1.0);
        // The first source sounds only in the second half; its estimate only well before.
        let half = SAMPLES / 2;
        mixture.sources[0][..half].fill(0.0);
        let mut estimates = vec![mixture.sources.clone()];
        estimates[0][0] = mixture.sources[1][..].to_vec();
        estimates[0][0][half - 600..].fill(0.0);
        let scores = score(&[(mixture, analysed)], &[estimates]).unwrap();
        // -100 dB for the first estimate, +100 dB for the second (its source exactly).
        assert_eq!(scores[0].sdr, 0.0, "{:?}", scores[0]);
        assert!(scores[0].held_at_limit >= 2, "{:?}", scores[0]);
    }
}
