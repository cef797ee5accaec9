//! Mini-batch training with Adam, a validation loss after every epoch, and evaluation.

use crate::model::{Mlp, MlpConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{Batcher, Checkpoint, LossLog, SeededRng, Start, progress, run_epoch};

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
}

/// Adam as in PyTorch (`torch.optim.Adam`'s epsilon, 1e-8; burn's default is 1e-5), so
/// the PyTorch twin trains the same way.
pub fn adam() -> AdamConfig {
    AdamConfig::new().with_epsilon(1e-8)
}

// ANCHOR: train
/// Train a fresh `config` network (or continue from `checkpoint` with `resume`) on `train`,
/// measuring the loss on `validation` after each epoch.
pub fn train(
    config: &MlpConfig,
    train: &Batcher,
    validation: &Batcher,
    settings: Settings,
    (device, rng): (&Device, SeededRng),
    checkpoint: Option<(&Checkpoint, bool)>,
) -> anyhow::Result<(Mlp, LossLog)> {
    let fresh = (config.init(device), adam().init(), rng);
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } = match checkpoint {
        Some((checkpoint, resume)) => checkpoint.resume_or_start(resume, fresh.0, fresh.1, fresh.2)?,
        None => Start {
            model: fresh.0,
            optimizer: fresh.1,
            losses: LossLog::default(),
            rng: fresh.2,
            first_epoch: 1,
        },
    };
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let remaining = settings.epochs.saturating_sub(first_epoch - 1);
    let bar = progress((remaining * train.batches_per_epoch()) as u64, "training".into());
    for epoch in first_epoch..=settings.epochs {
        run_epoch(epoch, train.epoch(Some(&mut rng), device), &bar, settings.lr, &mut losses, |batch| {
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(settings.lr, model.clone(), grads);
            value
        })?;
        losses.validation.push(mean_loss(&model, validation, device));
        if let Some((checkpoint, _)) = checkpoint {
            checkpoint.save_epoch(epoch, &model, &optimizer, &losses, &rng)?;
        }
    }
    bar.finish_and_clear();
    Ok((model, losses))
}
// ANCHOR_END: train

/// Mean cross-entropy over `data`, with the network in evaluation mode (no dropout, no
/// gradient bookkeeping).
pub fn mean_loss(model: &Mlp, data: &Batcher, device: &Device) -> f32 {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let (mut total, mut count) = (0.0f64, 0usize);
    for batch in data.epoch(None, &device) {
        let n = batch.targets.dims()[0];
        let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets).into_scalar::<f32>();
        total += loss as f64 * n as f64;
        count += n;
    }
    (total / count.max(1) as f64) as f32
}

/// The predicted class of every example of `data`, in order.
pub fn predict(model: &Mlp, data: &Batcher, device: &Device) -> Vec<usize> {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    data.predict_classes(&device, |inputs| model.forward(inputs))
}
