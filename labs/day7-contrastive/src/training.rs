//! Contrastive training: every step draws a fresh caption for each clip of the batch (the
//! generator's many wordings are the text side's augmentation), embeds both sides and
//! minimises the symmetric cross-entropy; the logit scale is clamped after each step.

use crate::captions::random_caption;
use crate::data::Clips;
use crate::model::{AudioTower, TextTower, Towers};
use crate::text::TokenBatch;
use crate::tokenizer::Tokenizer;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{LossLog, SeededRng, progress, run_epoch};

/// How to train.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Settings {
    pub epochs: usize,
    pub batch_size: usize,
    /// MusCALL trains AdamW at 5e-5 for 100 epochs of batch 256; ours (Adam at 1e-3) has a
    /// few hundred steps.
    pub lr: f64,
}

/// A model trained on pairs of clips and captions: the joint towers, or (part 4) an
/// audio tower trained into a frozen text space.
pub trait Contrastive: Module + Clone {
    /// The contrastive loss of a batch of matching pairs.
    fn batch_loss(&self, log_mels: Tensor<3>, tokens: &TokenBatch) -> Tensor<1>;
    /// After each optimiser step (the logit scale's clamp).
    fn after_step(self) -> Self;
    fn temperature(&self) -> f64;
}

impl Contrastive for Towers {
    fn batch_loss(&self, log_mels: Tensor<3>, tokens: &TokenBatch) -> Tensor<1> {
        self.loss(log_mels, tokens)
    }
    fn after_step(self) -> Self {
        self.clamp_logit_scale()
    }
    fn temperature(&self) -> f64 {
        Towers::temperature(self)
    }
}

// ANCHOR: train
/// Train `model` on the clips `train`; the loss on `validation` (one fixed caption each)
/// is logged after every epoch.
pub fn train<M: Contrastive>(
    mut model: M,
    clips: &Clips,
    (train, validation): (&[usize], &[usize]),
    (tokenizer, settings, name): (&Tokenizer, Settings, &str),
    (device, rng): (&Device, &mut SeededRng),
) -> anyhow::Result<(M, LossLog)> {
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let mut log = LossLog::default();
    let per_epoch = train.len().div_ceil(settings.batch_size);
    let bar = progress((settings.epochs * per_epoch) as u64, format!("training {name}"));
    let inference = device.clone().without_autodiff();
    let held_out_tokens = TokenBatch::new(
        &validation
            .iter()
            .map(|&i| tokenizer.encode(&random_caption(&clips.facts[i], rng).text))
            .collect::<Vec<_>>(),
        &inference,
    );
    let held_out_mels = clips.log_mels(validation, &inference);
    for epoch in 1..=settings.epochs {
        let mut order = train.to_vec();
        dl4mir_eval::split::shuffle(&mut order, rand_core::Rng::next_u64(rng));
        // A last batch of one has no negatives: it is dropped.
        let batches: Vec<Vec<usize>> = order
            .chunks(settings.batch_size)
            .filter(|b| b.len() > 1)
            .map(<[usize]>::to_vec)
            .collect();
        run_epoch(epoch, batches.into_iter(), &bar, settings.lr, &mut log, |batch| {
            let encoded: Vec<_> = batch
                .iter()
                .map(|&i| tokenizer.encode(&random_caption(&clips.facts[i], rng).text))
                .collect();
            let loss = model.batch_loss(
                clips.log_mels(&batch, device),
                &TokenBatch::new(&encoded, device),
            );
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(settings.lr, model.clone(), grads).after_step();
            value
        })?;
        let held = model.valid().batch_loss(held_out_mels.clone(), &held_out_tokens);
        log.validation.push(held.into_scalar::<f32>());
        log.record("temperature", model.temperature() as f32);
    }
    bar.finish_and_clear();
    Ok((model, log))
}
// ANCHOR_END: train

/// Unit embeddings of clips, `[n x shared]` row by row, in evaluation mode.
pub fn embed_clips(
    tower: &AudioTower,
    clips: &Clips,
    indices: &[usize],
    device: &Device,
) -> Vec<Vec<f64>> {
    let inference = device.clone().without_autodiff();
    let valid = tower.valid();
    indices
        .chunks(64)
        .flat_map(|chunk| rows_of(valid.embed(clips.log_mels(chunk, &inference))))
        .collect()
}

/// Unit embeddings of texts.
pub fn embed_texts(
    tower: &TextTower,
    tokenizer: &Tokenizer,
    texts: &[String],
    device: &Device,
) -> Vec<Vec<f64>> {
    let inference = device.clone().without_autodiff();
    let valid = tower.valid();
    texts
        .chunks(64)
        .flat_map(|chunk| {
            let encoded: Vec<_> = chunk.iter().map(|t| tokenizer.encode(t)).collect();
            rows_of(valid.embed(&TokenBatch::new(&encoded, &inference)))
        })
        .collect()
}

fn rows_of(x: Tensor<2>) -> Vec<Vec<f64>> {
    let [_, d] = x.dims();
    let values: Vec<f32> = x.into_data().iter::<f32>().collect();
    values.chunks(d).map(|r| r.iter().map(|&v| v as f64).collect()).collect()
}

/// Cosine similarities (the rows are unit vectors): `queries x items`.
pub fn similarities(queries: &[Vec<f64>], items: &[Vec<f64>]) -> Vec<Vec<f64>> {
    queries
        .iter()
        .map(|q| items.iter().map(|i| q.iter().zip(i).map(|(a, b)| a * b).sum()).collect())
        .collect()
}
