//! The text encoder: a small transformer over caption tokens, as MusCALL's (4 layers of
//! width 512, 8 heads, learned positions, a causal mask, read out at the end token), scaled
//! down. Its layers are Day 5's pre-norm encoder layer, given a causal mask.

use burn::nn::attention::generate_autoregressive_mask;
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig};
use burn::prelude::*;
use burn::tensor::{Int, TensorData};
use day5_cnn_gru_attention::transformer::EncoderLayer;

/// Sizes of the text encoder.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct TextConfig {
    pub vocabulary: usize,
    pub context: usize,
    pub width: usize,
    pub heads: usize,
    pub layers: usize,
    /// MusCALL's is 0.2; ours is 0.1 (a smaller model, fewer steps).
    pub dropout: f64,
}

#[derive(Module, Debug)]
pub struct TextEncoder {
    tokens: Embedding,
    positions: Embedding,
    layers: Vec<EncoderLayer>,
    norm: LayerNorm,
}

/// A batch of encoded captions: token ids `[batch, context]` and each end token's position.
pub struct TokenBatch {
    pub ids: Tensor<2, Int>,
    pub ends: Vec<usize>,
}

impl TokenBatch {
    pub fn new(encoded: &[(Vec<usize>, usize)], device: &Device) -> Self {
        let rows: Vec<Vec<usize>> = encoded.iter().map(|(t, _)| t.clone()).collect();
        Self {
            ids: id_tensor(&rows, device),
            ends: encoded.iter().map(|(_, end)| *end).collect(),
        }
    }
}

/// Token ids `[rows, context]` of encoded captions (all of one length).
pub fn id_tensor(encoded: &[Vec<usize>], device: &Device) -> Tensor<2, Int> {
    let context = encoded[0].len();
    let ids: Vec<i64> = encoded.iter().flat_map(|t| t.iter().map(|&i| i as i64)).collect();
    Tensor::from_data(TensorData::new(ids, [encoded.len(), context]), device)
}

impl TextConfig {
    pub fn init(&self, device: &Device) -> TextEncoder {
        TextEncoder {
            tokens: EmbeddingConfig::new(self.vocabulary, self.width).init(device),
            positions: EmbeddingConfig::new(self.context, self.width).init(device),
            layers: (0..self.layers)
                .map(|_| EncoderLayer::new(self.width, self.heads, self.dropout, device))
                .collect(),
            norm: LayerNormConfig::new(self.width).init(device),
        }
    }
}

// ANCHOR: text
impl TextEncoder {
    /// `[batch, context]` tokens -> `[batch, width]`: each caption read at its end token.
    /// The mask is causal (a token sees only those before it, as in CLIP), so the end token
    /// has read the whole caption and the padding after it changes nothing.
    pub fn forward(&self, batch: &TokenBatch) -> Tensor<2> {
        let [size, context] = batch.ids.dims();
        let device = batch.ids.device();
        let positions =
            Tensor::<1, Int>::arange(0..context as i64, &device).reshape([1, context]);
        let mut h = self.tokens.forward(batch.ids.clone())
            + self.positions.forward(positions.repeat_dim(0, size));
        let causal = generate_autoregressive_mask(size, context, &device);
        for layer in &self.layers {
            h = layer.forward_masked(h, Some(causal.clone())).0;
        }
        let h = self.norm.forward(h);
        // Pick position `end` of each row: a one-hot row times the sequence.
        let mut one_hot = vec![0.0f32; size * context];
        for (row, &end) in batch.ends.iter().enumerate() {
            one_hot[row * context + end] = 1.0;
        }
        let pick =
            Tensor::<3>::from_data(TensorData::new(one_hot, [size, 1, context]), &device);
        let width = h.dims()[2];
        pick.matmul(h).reshape([size, width])
    }
}
// ANCHOR_END: text

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_token_reads_the_caption_and_ignores_the_padding() {
        let device = Device::flex();
        let config = TextConfig {
            vocabulary: 10,
            context: 6,
            width: 8,
            heads: 2,
            layers: 2,
            dropout: 0.0,
        };
        let encoder = config.init(&device);
        let run = |rows: Vec<(Vec<usize>, usize)>| -> Vec<f32> {
            encoder
                .forward(&TokenBatch::new(&rows, &device))
                .into_data()
                .iter::<f32>()
                .collect()
        };
        let a = run(vec![(vec![2, 4, 5, 3, 0, 0], 3)]);
        let padded_otherwise = run(vec![(vec![2, 4, 5, 3, 9, 9], 3)]);
        let other_word = run(vec![(vec![2, 4, 6, 3, 0, 0], 3)]);
        let same = a.iter().zip(&padded_otherwise).all(|(x, y)| (x - y).abs() < 1e-5);
        assert!(
            same,
            "tokens after the end changed the output: {a:?} vs {padded_otherwise:?}"
        );
        assert!(a.iter().zip(&other_word).any(|(x, y)| (x - y).abs() > 1e-4));
    }
}
