//! Mix and separate: two solo scenes of different effect families, their sounds added, and the
//! model asked to take each back out of the sum given only that scene's picture. The
//! mixtures are new at every step (the paper mixes random pairs of videos), so the
//! supervision costs nothing: the sources were known before they were mixed.

use crate::model::{AudioVisual, ModelConfig};
use crate::scenes::{Layout, Scene, mixture};
use crate::sources::Notes;
use crate::spectra::{
    FRAMES, MaskKind, Resampling, WARPED, floored, magnitude_of, spectrum, weight,
};
use crate::sprites::{FRAME_VALUES, SIZE};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::TensorData;
use burn::tensor::activation::{sigmoid, softplus};
use dl4mir_audio::magnitude;
use dl4mir_train::{LossLog, SeededRng, progress, run_epoch, uniform};
use ndarray::Array2;
use num_complex::Complex32;

/// Sources per mixture (the paper's `num_mix`).
pub const N_MIX: usize = 2;

/// How to train.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Settings {
    pub steps: usize,
    pub batch_size: usize,
    /// Adam's (ours: the paper trains by SGD with momentum, 1e-3 for the sound and 1e-4 for
    /// its pretrained ResNet; ours learns its image CNN from scratch, in minutes).
    pub lr: f64,
}

/// Steps between two entries of the loss log's per-epoch means (`--epochs` counts these).
pub const STEPS_PER_EPOCH: usize = 25;

/// Two solo scenes of different effect families and their sounds, each divided by 2.
pub struct Mixture {
    pub scenes: Vec<Scene>,
    pub sources: Vec<Vec<f32>>,
    pub mix: Vec<f32>,
}

impl Mixture {
    /// A random pair from `pool`; `augment` scales each source by 0.5 to 1.5 first (the
    /// paper's training-time volume jitter).
    pub fn draw(notes: &Notes, pool: &[usize], augment: bool, rng: &mut SeededRng) -> Self {
        let first = Scene::draw(Layout::Solo, notes, pool, rng);
        let second = loop {
            let scene = Scene::draw(Layout::Solo, notes, pool, rng);
            let family = |s: &Scene| s.players[0].look.effect.effect_type();
            if family(&scene) != family(&first) {
                break scene;
            }
        };
        let scenes = vec![first, second];
        let sources: Vec<Vec<f32>> = scenes
            .iter()
            .map(|scene| {
                let gain = if augment { 0.5 + uniform(rng) } else { 1.0 };
                let solo = &scene.sources(notes)[0];
                solo.iter().map(|v| gain * v / N_MIX as f32).collect()
            })
            .collect();
        let mut mix = mixture(&sources);
        add_room_tone(&mut mix, rng);
        Mixture { scenes, sources, mix }
    }
}

/// Peak level of the room tone.
const ROOM_TONE: f32 = 0.003;

/// Ours: faint white noise (-50 dB below the notes' peaks) added to every mixture, as a
/// room and a microphone add it to a video's sound. The synthetic notes start from digital
/// silence, whose log-magnitude, -23 (`log 1e-10`), would dominate the U-Net's input
/// statistics; with it, the U-Net learned to separate in far fewer steps. Not a source:
/// BSS Eval counts it as an artifact of every estimate, the mixture's included.
pub fn add_room_tone(mix: &mut [f32], rng: &mut SeededRng) {
    mix.iter_mut().for_each(|v| *v += ROOM_TONE * (2.0 * uniform(rng) - 1.0));
}

// ANCHOR: analysed
/// A mixture's spectrograms: linear (for the way back) and warped (for the model).
pub struct Analysed {
    pub mix_spectrum: Array2<Complex32>,
    /// `[WARPED, FRAMES]`, floored so that it can be divided by and logged.
    pub warped_mix: Array2<f32>,
    pub warped_sources: Vec<Array2<f32>>,
}

impl Analysed {
    pub fn of(mix: &[f32], sources: &[Vec<f32>]) -> anyhow::Result<Self> {
        let warp = Resampling::warp();
        let mix_spectrum = spectrum(mix)?;
        let warped_mix = warp.apply(&magnitude(&mix_spectrum)).mapv(floored);
        let warped_sources = sources
            .iter()
            .map(|s| Ok(warp.apply(&magnitude_of(s)?)))
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { mix_spectrum, warped_mix, warped_sources })
    }

    /// The model's input: `log(mixture)`.
    pub fn log_input(&self) -> Vec<f32> {
        self.warped_mix.iter().map(|v| v.ln()).collect()
    }

    /// Source `n`'s target mask on the warped grid.
    pub fn target(&self, n: usize, kind: MaskKind) -> Vec<f32> {
        self.warped_sources[n]
            .iter()
            .zip(&self.warped_mix)
            .map(|(&s, &m)| kind.target(s, m))
            .collect()
    }

    pub fn weights(&self) -> Vec<f32> {
        self.warped_mix.iter().map(|&m| weight(m)).collect()
    }
}
// ANCHOR_END: analysed

/// A batch on the device: `B` mixtures, their `N_MIX * B` frames and targets, source-major
/// (all the first sources, then all the second).
pub struct Batch {
    pub log_mix: Tensor<4>,
    pub frames: Tensor<4>,
    pub targets: Tensor<3>,
    pub weights: Tensor<3>,
}

impl Batch {
    pub fn new(mixtures: &[(Mixture, Analysed)], kind: MaskKind, device: &Device) -> Self {
        let b = mixtures.len();
        let cells = WARPED * FRAMES;
        let log_mix: Vec<f32> = mixtures.iter().flat_map(|(_, a)| a.log_input()).collect();
        let weights: Vec<f32> = mixtures.iter().flat_map(|(_, a)| a.weights()).collect();
        let (mut frames, mut targets) = (Vec::new(), Vec::new());
        for n in 0..N_MIX {
            for (mixture, analysed) in mixtures {
                frames.extend(mixture.scenes[n].frame(0));
                targets.extend(analysed.target(n, kind));
            }
        }
        debug_assert_eq!(frames.len(), N_MIX * b * FRAME_VALUES);
        debug_assert_eq!(targets.len(), N_MIX * b * cells);
        let tensor3 = |v: Vec<f32>, n| {
            Tensor::from_data(TensorData::new(v, [n, WARPED, FRAMES]), device)
        };
        Batch {
            log_mix: Tensor::from_data(
                TensorData::new(log_mix, [b, 1, WARPED, FRAMES]),
                device,
            ),
            frames: Tensor::from_data(
                TensorData::new(frames, [N_MIX * b, 3, SIZE, SIZE]),
                device,
            ),
            targets: tensor3(targets, N_MIX * b),
            weights: tensor3(weights, b).repeat_dim(0, N_MIX),
        }
    }
}

// ANCHOR: forward
/// Mask logits for every source of the batch, `[N_MIX * B, WARPED, FRAMES]`: one pass of
/// the U-Net per mixture, one of the image CNN per scene.
pub fn mask_logits(model: &AudioVisual, log_mix: Tensor<4>, frames: Tensor<4>) -> Tensor<3> {
    let sound = model.sound.forward(log_mix).repeat_dim(0, N_MIX);
    let image = model.frame.pooled(frames);
    model.synthesizer.forward(image, sound)
}

/// The paper's losses, weighted cell by cell: binary cross-entropy for binary masks (on
/// the logits, which is the same and never takes log 0), L1 for ratio masks.
pub fn loss(logits: Tensor<3>, batch: &Batch, kind: MaskKind) -> Tensor<1> {
    let targets = batch.targets.clone();
    let per_cell = match kind {
        MaskKind::Binary => softplus(logits.clone(), 1.0) - targets * logits,
        MaskKind::Ratio => (sigmoid(logits) - targets).abs(),
    };
    (per_cell * batch.weights.clone()).mean()
}
// ANCHOR_END: forward

// ANCHOR: train
/// Train one model per mask kind on the same fresh mixtures from the `pool` notes, for
/// `settings.steps` steps each: every epoch's mixtures are drawn and analysed once (on a
/// second thread, while the models train on the epoch before), then each model takes its
/// steps on them with its own targets. The models train one after the other, on this
/// thread: the same seed gives the same numbers.
pub fn train_each(
    kinds: &[MaskKind],
    (config, settings): (&ModelConfig, Settings),
    (notes, pool): (&Notes, &[usize]),
    (device, rng): (&Device, &mut SeededRng),
) -> anyhow::Result<Vec<(AudioVisual, LossLog)>> {
    let mut models: Vec<AudioVisual> = kinds.iter().map(|_| config.init(device)).collect();
    let mut optimizers: Vec<_> = kinds.iter().map(|_| AdamConfig::new().init()).collect();
    let mut logs = vec![LossLog::default(); kinds.len()];
    let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    let bar = progress(
        (settings.steps * kinds.len()) as u64,
        format!("training on {} masks", names.join(" and ")),
    );
    let epochs = settings.steps.div_ceil(STEPS_PER_EPOCH);
    std::thread::scope(|scope| {
        // One epoch drawn ahead, no more: the channel holds one.
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for epoch in 1..=epochs {
                let steps =
                    STEPS_PER_EPOCH.min(settings.steps - (epoch - 1) * STEPS_PER_EPOCH);
                let drawn = draw_epoch(steps, settings.batch_size, (notes, pool), rng);
                let failed = drawn.is_err();
                if send.send(drawn).is_err() || failed {
                    return; // training stopped, or cannot go on
                }
            }
        });
        for (epoch, mixtures) in (1..=epochs).zip(receive) {
            let mixtures = mixtures?;
            for (k, &kind) in kinds.iter().enumerate() {
                let (model, optimizer) = (&mut models[k], &mut optimizers[k]);
                let batches = mixtures.iter().map(|m| Batch::new(m, kind, device));
                run_epoch(epoch, batches, &bar, settings.lr, &mut logs[k], |batch| {
                    let logits =
                        mask_logits(model, batch.log_mix.clone(), batch.frames.clone());
                    let value = loss(logits, &batch, kind);
                    let scalar = value.clone().into_scalar::<f32>();
                    let grads = GradientsParams::from_grads(value.backward(), &*model);
                    *model = optimizer.step(settings.lr, model.clone(), grads);
                    scalar
                })?;
            }
        }
        anyhow::Ok(())
    })?;
    bar.finish_and_clear();
    Ok(models.into_iter().zip(logs).collect())
}

/// One epoch's training batches: `steps` batches of `batch_size` fresh mixtures.
fn draw_epoch(
    steps: usize,
    batch_size: usize,
    (notes, pool): (&Notes, &[usize]),
    rng: &mut SeededRng,
) -> anyhow::Result<Vec<Vec<(Mixture, Analysed)>>> {
    (0..steps)
        .map(|_| {
            (0..batch_size)
                .map(|_| {
                    let mixture = Mixture::draw(notes, pool, true, rng);
                    let analysed = Analysed::of(&mixture.mix, &mixture.sources)?;
                    Ok((mixture, analysed))
                })
                .collect()
        })
        .collect()
}
// ANCHOR_END: train
