//! Mini-batch training with Adam, a validation loss after every epoch, and evaluation.

use crate::model::{Mlp, MlpConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{Batcher, Checkpoint, LossLog, SeededRng, Start, progress, run_epoch};

/// The notebook's learning rate: Adam's first step at this size moves every weight by
/// about 0.01, which, summed over 1,856 inputs, throws the logits far out (the chapter
/// measures it). Still there with `--lr 0.01`.
pub const NOTEBOOK_LR: f64 = 0.01;
/// The lab's: a tenth of the notebook's, whose first steps lower the loss on both sources.
pub const LR: f64 = 0.001;

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

/// What training gives: the network of the epoch with the lowest validation loss, that
/// epoch, every loss on the way, and the loss before the first step.
pub struct Trained {
    pub model: Mlp,
    pub best_epoch: usize,
    pub losses: LossLog,
    /// Mean cross-entropy over the training notes of the untrained network: about ln 2 for
    /// two classes, since a fresh network's logits are small.
    pub initial_loss: f32,
}

/// Where a run keeps its checkpoints (the last epoch's, and the best epoch's), and whether
/// to continue from them.
pub struct Saving<'a> {
    pub last: &'a Checkpoint,
    pub best: &'a Checkpoint,
    pub resume: bool,
}

// ANCHOR: train
/// Train a fresh `config` network (or continue from a checkpoint) on `train`, measuring the
/// loss on `validation` after each epoch and keeping the network where it was lowest.
pub fn train(
    config: &MlpConfig,
    train: &Batcher,
    validation: &Batcher,
    settings: Settings,
    (device, rng): (&Device, SeededRng),
    saving: Option<Saving>,
) -> anyhow::Result<Trained> {
    let fresh = (config.init(device), adam().init(), rng);
    let initial_loss = mean_loss(&fresh.0, train, device);
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } = match &saving {
        Some(s) => s.last.resume_or_start(s.resume, fresh.0, fresh.1, fresh.2)?,
        None => Start::fresh(fresh.0, fresh.1, fresh.2),
    };
    // The lowest validation loss so far, its epoch and its network (on --resume, from the
    // best checkpoint).
    let mut best = match &saving {
        Some(s) if first_epoch > 1 && s.best.exists() => {
            let (model, _, state) = s.best.load(config.init(device), adam().init())?;
            Some((state.losses.validation[state.epoch - 1], state.epoch, model))
        }
        _ => None,
    };
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let remaining = settings.epochs.saturating_sub(first_epoch - 1);
    let bar = progress((remaining * train.batches_per_epoch()) as u64, "training".into());
    for epoch in first_epoch..=settings.epochs {
        run_epoch(
            epoch,
            train.epoch(Some(&mut rng), device),
            &bar,
            settings.lr,
            &mut losses,
            |batch| {
                let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
                let value = loss.clone().into_scalar::<f32>();
                let grads = GradientsParams::from_grads(loss.backward(), &model);
                model = optimizer.step(settings.lr, model.clone(), grads);
                value
            },
        )?;
        let validation_loss = mean_loss(&model, validation, device);
        losses.validation.push(validation_loss);
        let improved = best.as_ref().is_none_or(|(lowest, _, _)| validation_loss < *lowest);
        if improved {
            best = Some((validation_loss, epoch, model.clone()));
        }
        if let Some(s) = &saving {
            s.last.save_epoch(epoch, &model, &optimizer, &losses, &rng)?;
            if improved {
                s.best.save_epoch(epoch, &model, &optimizer, &losses, &rng)?;
            }
        }
    }
    bar.finish_and_clear();
    let (_, best_epoch, model) = best.ok_or_else(|| {
        anyhow::anyhow!("no epoch was trained (--epochs is below the checkpoint's)")
    })?;
    Ok(Trained { model, best_epoch, losses, initial_loss })
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
        let loss =
            loss_fn.forward(model.forward(batch.inputs), batch.targets).into_scalar::<f32>();
        total += loss as f64 * n as f64;
        count += n;
    }
    (total / count.max(1) as f64) as f32
}

/// Units of the first hidden layer that output 0 for every example of `data`: a ReLU that
/// never fires passes no gradient back, so it stays dead (0 for a network without one).
pub fn dead_units(model: &Mlp, data: &Batcher, device: &Device) -> usize {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    let mut fired: Option<Tensor<1>> = None;
    for batch in data.epoch(None, &device) {
        let Some(h) = model.first_hidden(batch.inputs) else { return 0 };
        let batch_max = h.max_dim(0).squeeze_dim(0);
        fired = Some(match fired {
            Some(so_far) => so_far.max_pair(batch_max),
            None => batch_max,
        });
    }
    fired.map_or(0, |f| f.into_data().iter::<f32>().filter(|&v| v <= 0.0).count())
}

/// The predicted class of every example of `data`, in order.
pub fn predict(model: &Mlp, data: &Batcher, device: &Device) -> Vec<usize> {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    data.predict_classes(&device, |inputs| model.forward(inputs))
}
