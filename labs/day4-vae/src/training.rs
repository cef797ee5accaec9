//! Training with Adam on mini-batches of spectrograms, both loss terms logged per epoch.

use crate::loss::{Weights, vae_loss};
use crate::model::{Vae, VaeConfig};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{Batcher, Checkpoint, LossLog, SeededRng, Start, progress, run_epoch};

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    /// The two terms' weights; `weights.kl` is beta after the warm-up.
    pub weights: Weights,
    /// Epochs over which beta rises linearly from 0 to `weights.kl` (Bowman et al., 2016:
    /// the decoder learns to use the code before the KL term can switch it off); 0 = none,
    /// as in the notebook.
    pub warmup_epochs: usize,
}

impl Settings {
    /// The weights of epoch `epoch` (counted from 1): beta is `epoch / (warmup_epochs + 1)`
    /// of its final value during the warm-up, then the value itself.
    pub fn weights_at(&self, epoch: usize) -> Weights {
        let ramp = (epoch as f64 / (self.warmup_epochs + 1) as f64).min(1.0);
        Weights { kl: self.weights.kl * ramp, ..self.weights }
    }
}

/// Adam with PyTorch's epsilon (1e-8; burn's default is 1e-5), as the PyTorch twin uses.
pub fn adam() -> AdamConfig {
    AdamConfig::new().with_epsilon(1e-8)
}

// ANCHOR: train
/// Train a fresh VAE (or continue from `checkpoint` with `resume`). `losses.steps` and
/// `losses.epochs` are per-spectrogram losses; `losses.validation` is the mean loss on
/// `held_out` after each epoch (with the final weights); `losses.per_epoch` has the two
/// terms' per-spectrogram means on the training notes, `"reconstruction"` and `"kl"`.
pub fn train(
    config: &VaeConfig,
    train: &Batcher,
    held_out: &Batcher,
    settings: Settings,
    (device, rng): (&Device, SeededRng),
    checkpoint: Option<(&Checkpoint, bool)>,
) -> anyhow::Result<(Vae, LossLog)> {
    let fresh = (config.init(device), adam().init(), rng);
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } = match checkpoint
    {
        Some((checkpoint, resume)) => {
            checkpoint.resume_or_start(resume, fresh.0, fresh.1, fresh.2)?
        }
        None => Start::fresh(fresh.0, fresh.1, fresh.2),
    };
    let remaining = settings.epochs.saturating_sub(first_epoch - 1);
    let bar = progress((remaining * train.batches_per_epoch()) as u64, "training".into());
    for epoch in first_epoch..=settings.epochs {
        let (mut reconstruction, mut kl) = (0.0f64, 0.0f64);
        let weights = settings.weights_at(epoch);
        run_epoch(
            epoch,
            train.epoch(Some(&mut rng), device),
            &bar,
            settings.lr,
            &mut losses,
            |batch| {
                let n = batch.inputs.dims()[0] as f32;
                let loss =
                    vae_loss(&model.forward(batch.inputs.clone()), batch.inputs, weights);
                reconstruction += loss.reconstruction.into_scalar::<f32>() as f64;
                kl += loss.kl.into_scalar::<f32>() as f64;
                let value = loss.total.clone().into_scalar::<f32>() / n;
                let grads = GradientsParams::from_grads(loss.total.backward(), &model);
                model = optimizer.step(settings.lr, model.clone(), grads);
                value
            },
        )?;
        losses.record("reconstruction", (reconstruction / train.len() as f64) as f32);
        losses.record("kl", (kl / train.len() as f64) as f32);
        losses.validation.push(mean_loss(&model, held_out, settings.weights, device));
        if let Some((checkpoint, _)) = checkpoint {
            checkpoint.save_epoch(epoch, &model, &optimizer, &losses, &rng)?;
        }
    }
    bar.finish_and_clear();
    Ok((model, losses))
}
// ANCHOR_END: train

/// Mean loss per spectrogram over `data`, without gradient bookkeeping.
pub fn mean_loss(model: &Vae, data: &Batcher, weights: Weights, device: &Device) -> f32 {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    let mut total = 0.0f64;
    for batch in data.epoch(None, &device) {
        total += vae_loss(&model.forward(batch.inputs.clone()), batch.inputs, weights)
            .total
            .into_scalar::<f32>() as f64;
    }
    (total / data.len().max(1) as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loss_falls_over_a_few_steps_on_fixed_data() {
        let device = Device::flex().autodiff();
        let mut rng = dl4mir_train::seed_everything(&device, 3);
        let width = 60;
        let values: Vec<f32> = (0..8 * width).map(|i| ((i * 37) % 11) as f32 / 10.0).collect();
        let data = Batcher::new(values, width, vec![0; 8], 8).unwrap();
        let config = VaeConfig::new(width)
            .with_hidden_1(32)
            .with_hidden_2(16)
            .with_latent(4)
            .with_split_k(3);
        let (mut model, mut optimizer) = (config.init(&device), adam().init());
        let mut losses = Vec::new();
        for _ in 0..30 {
            let batch = data.epoch(Some(&mut rng), &device).next().unwrap();
            let loss = vae_loss(
                &model.forward(batch.inputs.clone()),
                batch.inputs,
                Weights::NOTEBOOK,
            )
            .total;
            losses.push(loss.clone().into_scalar::<f32>());
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(1e-2, model.clone(), grads);
        }
        let (first, last) =
            (losses[..5].iter().sum::<f32>(), losses[25..].iter().sum::<f32>());
        assert!(last < 0.7 * first, "the loss should fall by a third: {losses:?}");
    }

    #[test]
    fn beta_warms_up_linearly() {
        let settings = Settings {
            epochs: 6,
            batch_size: 4,
            lr: 1e-3,
            weights: Weights::GAUSSIAN,
            warmup_epochs: 3,
        };
        let betas: Vec<f64> = (1..=6).map(|e| settings.weights_at(e).kl).collect();
        assert_eq!(betas, [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]);
        assert_eq!(settings.weights_at(1).reconstruction, 0.5);
    }
}
