//! One training loop for every model of the lab: they differ only in how they classify.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{Batcher, LossLog, SeededRng, progress, run_epoch};
use std::time::Instant;

/// What the models have in common: a batch of feature rows in (as the [`Batcher`] gives
/// them), class scores out. Each model turns the rows into its own input shape.
pub trait Classifier: Module {
    /// `rows: [batch, width]` -> logits `[batch, classes]`
    fn classify(&self, rows: Tensor<2>) -> Tensor<2>;
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
}

/// A trained model and its history: losses, and the validation accuracy after each epoch
/// (in `losses.per_epoch["validation_accuracy"]`).
pub struct Trained<M> {
    pub model: M,
    pub losses: LossLog,
}

// ANCHOR: train
/// Adam on the cross-entropy, validation accuracy after every epoch.
pub fn train<M: Classifier>(
    mut model: M,
    (train, validation): (&Batcher, &Batcher),
    settings: Settings,
    (device, mut rng): (&Device, SeededRng),
) -> anyhow::Result<Trained<M>> {
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut losses = LossLog::default();
    let bar =
        progress((settings.epochs * train.batches_per_epoch()) as u64, "training".into());
    for epoch in 1..=settings.epochs {
        run_epoch(
            epoch,
            train.epoch(Some(&mut rng), device),
            &bar,
            settings.lr,
            &mut losses,
            |batch| {
                let loss = loss_fn.forward(model.classify(batch.inputs), batch.targets);
                let value = loss.clone().into_scalar::<f32>();
                let grads = GradientsParams::from_grads(loss.backward(), &model);
                model = optimizer.step(settings.lr, model.clone(), grads);
                value
            },
        )?;
        let accuracy = dl4mir_eval::classification::accuracy(
            &validation.labels(),
            &predict(&model, validation, device),
        )?;
        losses.record("validation_accuracy", accuracy as f32);
    }
    bar.finish_and_clear();
    Ok(Trained { model, losses })
}
// ANCHOR_END: train

/// The predicted class of every example of `data`, in order, in evaluation mode (no
/// dropout, batch norm with its running statistics, no gradient bookkeeping).
pub fn predict<M: Classifier>(model: &M, data: &Batcher, device: &Device) -> Vec<usize> {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    data.predict_classes(&device, |rows| model.classify(rows))
}

/// Predictions and the time they took per example (ms), the cost of using the model.
pub fn timed_predict<M: Classifier>(
    model: &M,
    data: &Batcher,
    device: &Device,
) -> (Vec<usize>, f64) {
    let start = Instant::now();
    let predicted = predict(model, data, device);
    let ms_per_clip = 1e3 * start.elapsed().as_secs_f64() / data.len().max(1) as f64;
    (predicted, ms_per_clip)
}
