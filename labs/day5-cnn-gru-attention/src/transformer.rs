//! A small transformer encoder over the frames: every frame looks at every other through
//! self-attention, so a delay's echo can find the note it repeats.
//!
//! The encoder layer is assembled here from burn's parts (multi-head attention, layer
//! norm, linear layers) rather than taken whole, so that the attention weights can be
//! read out for the figure, and so that the layer reads like its diagram.

use burn::nn::attention::{MhaInput, MultiHeadAttention, MultiHeadAttentionConfig};
use burn::nn::{
    Dropout, DropoutConfig, Gelu, LayerNorm, LayerNormConfig, Linear, LinearConfig,
    PositionalEncoding, PositionalEncodingConfig,
};
use burn::prelude::*;

use crate::features::spectrograms;
use crate::training::Classifier;

// ANCHOR: layer
/// `x + Attention(LayerNorm(x))`, then `x + FeedForward(LayerNorm(x))` (the "pre-norm"
/// arrangement, which trains more stably without warm-up).
#[derive(Module, Debug)]
pub struct EncoderLayer {
    norm_1: LayerNorm,
    attention: MultiHeadAttention,
    norm_2: LayerNorm,
    feed_1: Linear,
    gelu: Gelu,
    feed_2: Linear,
    dropout: Dropout,
}

impl EncoderLayer {
    pub fn new(d_model: usize, heads: usize, dropout: f64, device: &Device) -> Self {
        Self {
            norm_1: LayerNormConfig::new(d_model).init(device),
            attention: MultiHeadAttentionConfig::new(d_model, heads)
                .with_dropout(dropout)
                .init(device),
            norm_2: LayerNormConfig::new(d_model).init(device),
            feed_1: LinearConfig::new(d_model, 2 * d_model).init(device),
            gelu: Gelu::new(),
            feed_2: LinearConfig::new(2 * d_model, d_model).init(device),
            dropout: DropoutConfig::new(dropout).init(),
        }
    }

    /// `x: [batch, frames, d_model]` -> the same shape, and the attention weights
    /// `[batch, heads, frames, frames]`.
    pub fn forward(&self, x: Tensor<3>) -> (Tensor<3>, Tensor<4>) {
        self.forward_masked(x, None)
    }

    /// [`EncoderLayer::forward`] with an attention mask `[batch, frames, frames]` (true: may
    /// not look), e.g. a causal one for a text encoder that reads left to right (Day 7).
    pub fn forward_masked(
        &self,
        x: Tensor<3>,
        mask: Option<Tensor<3, Bool>>,
    ) -> (Tensor<3>, Tensor<4>) {
        let input = MhaInput::self_attn(self.norm_1.forward(x.clone()));
        let input = match mask {
            Some(mask) => input.mask_attn(mask),
            None => input,
        };
        let attended = self.attention.forward(input);
        let x = x + self.dropout.forward(attended.context);
        let fed = self
            .feed_2
            .forward(self.gelu.forward(self.feed_1.forward(self.norm_2.forward(x.clone()))));
        (x + self.dropout.forward(fed), attended.weights)
    }
}
// ANCHOR_END: layer

// ANCHOR: transformer
/// Each frame projected to `d_model`, sinusoidal positions added (attention alone does not
/// know the order of frames), `layers` encoder layers, the mean over frames, a linear layer
/// to the classes.
#[derive(Module, Debug)]
pub struct AttentionClassifier {
    project: Linear,
    /// `None` only in the exercise "no positions".
    positions: Option<PositionalEncoding>,
    layers: Vec<EncoderLayer>,
    norm: LayerNorm,
    head: Linear,
}

impl AttentionClassifier {
    pub fn new(
        mels: usize,
        d_model: usize,
        heads: usize,
        layers: usize,
        classes: usize,
        device: &Device,
    ) -> Self {
        Self {
            project: LinearConfig::new(mels, d_model).init(device),
            positions: Some(PositionalEncodingConfig::new(d_model).init(device)),
            layers: (0..layers)
                .map(|_| EncoderLayer::new(d_model, heads, 0.1, device))
                .collect(),
            norm: LayerNormConfig::new(d_model).init(device),
            head: LinearConfig::new(d_model, classes).init(device),
        }
    }

    /// Exercise "no positions": the same model without the positional encoding, blind to
    /// the order of the frames.
    pub fn without_positions(
        mels: usize,
        d_model: usize,
        heads: usize,
        layers: usize,
        classes: usize,
        device: &Device,
    ) -> Self {
        Self { positions: None, ..Self::new(mels, d_model, heads, layers, classes, device) }
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]` and the last layer's
    /// attention weights `[batch, heads, frames, frames]`.
    pub fn forward_with_weights(&self, x: Tensor<3>) -> (Tensor<2>, Tensor<4>) {
        let mut h = self.project.forward(x.swap_dims(1, 2)); // [batch, frames, d_model]
        if let Some(positions) = &self.positions {
            h = positions.forward(h);
        }
        let mut weights = None;
        for layer in &self.layers {
            let (next, w) = layer.forward(h);
            h = next;
            weights = Some(w);
        }
        let [batch, _, d_model] = h.dims();
        let pooled = self.norm.forward(h).mean_dim(1).reshape([batch, d_model]);
        (self.head.forward(pooled), weights.expect("at least one layer"))
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        self.forward_with_weights(x).0
    }
}
// ANCHOR_END: transformer

/// What the figure reads out of a trained model.
impl AttentionClassifier {
    /// One clip's (`mels x frames` values) attention in the last layer, averaged over the
    /// heads: `[frames x frames]`, row by row, computed in evaluation mode.
    pub fn attention_of(&self, clip: &[f32], device: &Device) -> Vec<f32> {
        let device = device.clone().without_autodiff();
        let x =
            Tensor::<2>::from_data(TensorData::new(clip.to_vec(), [1, clip.len()]), &device);
        let (_, weights) = self.valid().forward_with_weights(spectrograms(x));
        weights.mean_dim(1).into_data().iter::<f32>().collect()
    }
}

impl Classifier for AttentionClassifier {
    fn classify(&self, rows: Tensor<2>) -> Tensor<2> {
        self.forward(spectrograms(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_attention_weights() {
        let device = Device::flex();
        let model = AttentionClassifier::new(64, 32, 4, 2, 13, &device);
        let (logits, weights) =
            model.forward_with_weights(Tensor::zeros([2, 64, 87], &device));
        assert_eq!(logits.dims(), [2, 13]);
        assert_eq!(weights.dims(), [2, 4, 87, 87]);
        // Outside training (no dropout), each query's weights are a distribution.
        let sums = weights.sum_dim(3).into_data().iter::<f32>().collect::<Vec<_>>();
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-4));
    }
}
