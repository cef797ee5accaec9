//! One training loop for all three models: they differ only in `forward`.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{Batcher, LossLog, SeededRng, progress, run_epoch};

/// What the three models have in common: a spectrogram batch in, class scores out.
pub trait Classifier: Module {
    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    fn forward(&self, x: Tensor<3>) -> Tensor<2>;
}

impl Classifier for crate::cnn::Cnn {
    fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        crate::cnn::Cnn::forward(self, x)
    }
}

impl Classifier for crate::gru::GruClassifier {
    fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        crate::gru::GruClassifier::forward(self, x)
    }
}

impl Classifier for crate::transformer::AttentionClassifier {
    fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        crate::transformer::AttentionClassifier::forward(self, x)
    }
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

/// `[batch, mels x frames]` rows back to spectrograms.
fn spectrograms(rows: Tensor<2>, mels: usize) -> Tensor<3> {
    let [batch, width] = rows.dims();
    rows.reshape([batch, mels, width / mels])
}

// ANCHOR: train
/// Adam on the cross-entropy, validation accuracy after every epoch.
pub fn train<M: Classifier>(
    mut model: M,
    (train, validation): (&Batcher, &Batcher),
    mels: usize,
    settings: Settings,
    (device, mut rng): (&Device, SeededRng),
) -> anyhow::Result<Trained<M>> {
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut losses = LossLog::default();
    let bar = progress((settings.epochs * train.batches_per_epoch()) as u64, "training".into());
    for epoch in 1..=settings.epochs {
        run_epoch(epoch, train.epoch(Some(&mut rng), device), &bar, settings.lr, &mut losses, |batch| {
            let loss = loss_fn.forward(model.forward(spectrograms(batch.inputs, mels)), batch.targets);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(settings.lr, model.clone(), grads);
            value
        })?;
        let truth = validation.labels();
        let accuracy =
            dl4mir_eval::classification::accuracy(&truth, &predict(&model, validation, mels, device))?;
        losses.record("validation_accuracy", accuracy as f32);
    }
    bar.finish_and_clear();
    Ok(Trained { model, losses })
}
// ANCHOR_END: train

/// The predicted class of every example of `data`, in order, in evaluation mode.
pub fn predict<M: Classifier>(model: &M, data: &Batcher, mels: usize, device: &Device) -> Vec<usize> {
    let (model, device) = (model.valid(), device.clone().without_autodiff());
    data.predict_classes(&device, |inputs| model.forward(spectrograms(inputs, mels)))
}
