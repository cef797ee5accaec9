//! Training a decoder by ear: Adam on the multi-resolution spectral loss between the
//! synthesized batch and the recordings, the gradient clipped at norm 2 (DDX7's recipe).

use crate::batch::NoteBatch;
use crate::notes::Note;
use burn::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_ddsp::loss::MultiResolution;
use dl4mir_train::{LossLog, progress, run_epoch};
use rand_chacha::ChaCha8Rng;

/// How to train.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Settings {
    pub epochs: usize,
    pub batch_size: usize,
    /// DDX7 trains at 3e-4 for 120,000 steps; the default run has a few hundred, so ours
    /// starts higher (ours: 2e-3) and decays it exponentially to a tenth by the last epoch
    /// (DDX7: x0.98 every 10,000 steps).
    pub lr: f64,
}

impl Settings {
    pub fn lr_at(&self, epoch: usize) -> f64 {
        decayed_lr(self.lr, epoch, self.epochs)
    }
}

/// The learning rate of `epoch` (from 1) of `epochs`: `lr` decayed exponentially to a tenth
/// of it by the last epoch (both DDX7 and RAVE-lite train with it here).
pub fn decayed_lr(lr: f64, epoch: usize, epochs: usize) -> f64 {
    lr * 0.1f64.powf((epoch - 1) as f64 / (epochs.max(2) - 1) as f64)
}

// ANCHOR: train
/// Train `model` on `notes` (shuffled every epoch), logging the loss on `held_out` after
/// each epoch. `forward` synthesizes a batch.
pub fn train<M: Module>(
    mut model: M,
    forward: impl Fn(&M, &NoteBatch) -> Tensor<2>,
    (notes, held_out): (&[Note], &[Note]),
    (settings, name): (Settings, &str),
    fm_ratios: Option<&[f64]>,
    (device, rng): (&Device, &mut ChaCha8Rng),
) -> anyhow::Result<(M, LossLog)> {
    let loss = MultiResolution::ddx7();
    let mut optimizer = AdamConfig::new()
        .with_epsilon(1e-8)
        .with_grad_clipping(Some(GradientClippingConfig::Norm(2.0)))
        .init();
    let mut log = LossLog::default();
    let per_epoch = notes.len().div_ceil(settings.batch_size);
    let bar = progress((settings.epochs * per_epoch) as u64, format!("training {name}"));
    let held_out_batch = NoteBatch::new(
        &held_out.iter().collect::<Vec<_>>(),
        fm_ratios,
        &device.clone().without_autodiff(),
    );
    for epoch in 1..=settings.epochs {
        let mut order: Vec<usize> = (0..notes.len()).collect();
        dl4mir_eval::split::shuffle(&mut order, rand_core::Rng::next_u64(rng));
        let lr = settings.lr_at(epoch);
        let batches = order.chunks(settings.batch_size).map(|rows| {
            let chosen: Vec<&Note> = rows.iter().map(|&i| &notes[i]).collect();
            NoteBatch::new(&chosen, fm_ratios, device)
        });
        run_epoch(epoch, batches, &bar, lr, &mut log, |batch| {
            let value = loss.loss(forward(&model, &batch), batch.target.clone());
            let scalar = value.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(value.backward(), &model);
            model = optimizer.step(lr, model.clone(), grads);
            scalar
        })?;
        let valid = model.valid();
        let held = loss.loss(forward(&valid, &held_out_batch), held_out_batch.target.clone());
        log.validation.push(held.into_scalar::<f32>());
    }
    bar.finish_and_clear();
    Ok((model, log))
}
// ANCHOR_END: train
