//! From `(features, labels)` arrays to shuffled mini-batches of device tensors.

use crate::error::{Error, Result};
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

/// A labelled dataset held in memory: `n` rows of `n_features` values, one class each.
#[derive(Debug, Clone)]
pub struct Batcher {
    features: Vec<f32>,
    labels: Vec<i64>,
    n_features: usize,
    batch_size: usize,
}

/// The rows `indices` of a row-major matrix of `width` columns, in that order (a training
/// or test subset of a feature matrix).
pub fn select_rows(features: &[f32], width: usize, indices: &[usize]) -> Vec<f32> {
    indices.iter().flat_map(|&i| features[i * width..(i + 1) * width].iter().copied()).collect()
}

/// One mini-batch on the device.
#[derive(Debug, Clone)]
pub struct Batch {
    /// `[batch, n_features]`.
    pub inputs: Tensor<2>,
    /// `[batch]` class indices.
    pub targets: Tensor<1, Int>,
}

impl Batcher {
    /// `features` is row-major, `labels.len()` rows of `n_features` values.
    pub fn new(features: Vec<f32>, n_features: usize, labels: Vec<usize>, batch_size: usize) -> Result<Self> {
        if batch_size == 0 || n_features == 0 {
            return Err(Error::Data(format!(
                "batch size {batch_size} and feature count {n_features} must be positive"
            )));
        }
        if features.len() != labels.len() * n_features {
            return Err(Error::Data(format!(
                "{} feature values do not make {} rows of {n_features}; each sample needs one label",
                features.len(),
                labels.len()
            )));
        }
        if labels.is_empty() {
            return Err(Error::Data("no samples to train on".into()));
        }
        Ok(Self { features, labels: labels.into_iter().map(|l| l as i64).collect(), n_features, batch_size })
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples (never, once built).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Every example's class, in order.
    pub fn labels(&self) -> Vec<usize> {
        self.labels.iter().map(|&l| l as usize).collect()
    }

    /// Mini-batches per epoch (the last one may be smaller).
    pub fn batches_per_epoch(&self) -> usize {
        self.len().div_ceil(self.batch_size)
    }

    /// The predicted class of every example, in order (no shuffling): the argmax of what
    /// `forward` gives for each batch of inputs.
    pub fn predict_classes(&self, device: &Device, forward: impl Fn(Tensor<2>) -> Tensor<2>) -> Vec<usize> {
        let mut predictions = Vec::with_capacity(self.len());
        for batch in self.epoch(None, device) {
            let classes = forward(batch.inputs).argmax(1).into_data();
            predictions.extend(classes.iter::<i64>().map(|c| c as usize));
        }
        predictions
    }

    /// The batches of one epoch, in an order shuffled by `rng` (or in order, if `None`).
    pub fn epoch<'a>(
        &'a self,
        rng: Option<&mut ChaCha8Rng>,
        device: &'a Device,
    ) -> impl Iterator<Item = Batch> + 'a {
        let mut order: Vec<usize> = (0..self.len()).collect();
        if let Some(rng) = rng {
            for i in (1..order.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
        }
        let chunks: Vec<Vec<usize>> = order.chunks(self.batch_size).map(<[usize]>::to_vec).collect();
        chunks.into_iter().map(move |rows| self.batch(&rows, device))
    }

    fn batch(&self, rows: &[usize], device: &Device) -> Batch {
        let mut x = Vec::with_capacity(rows.len() * self.n_features);
        for &r in rows {
            x.extend_from_slice(&self.features[r * self.n_features..(r + 1) * self.n_features]);
        }
        let y: Vec<i64> = rows.iter().map(|&r| self.labels[r]).collect();
        Batch {
            inputs: Tensor::from_data(TensorData::new(x, [rows.len(), self.n_features]), device),
            targets: Tensor::from_data(TensorData::new(y, [rows.len()]), device),
        }
    }
}
