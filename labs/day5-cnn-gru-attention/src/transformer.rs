//! A small transformer encoder over the frames: every frame looks at every other through
//! self-attention, so a delay's echo can find the note it repeats.

use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{Linear, LinearConfig, PositionalEncoding, PositionalEncodingConfig};
use burn::prelude::*;

// ANCHOR: transformer
/// Each frame projected to `d_model`, sinusoidal positions added (attention alone does not
/// know the order of frames), `layers` encoder layers (multi-head self-attention and a
/// feed-forward block, each with a residual connection and layer norm), the mean over
/// frames, a linear layer to the classes.
#[derive(Module, Debug)]
pub struct AttentionClassifier {
    project: Linear,
    positions: PositionalEncoding,
    encoder: TransformerEncoder,
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
            positions: PositionalEncodingConfig::new(d_model).init(device),
            encoder: TransformerEncoderConfig::new(d_model, 2 * d_model, heads, layers)
                .with_dropout(0.1)
                .init(device),
            head: LinearConfig::new(d_model, classes).init(device),
        }
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let frames = self.project.forward(x.swap_dims(1, 2)); // [batch, frames, d_model]
        let encoded = self.encoder.forward(TransformerEncoderInput::new(self.positions.forward(frames)));
        let [batch, _, d_model] = encoded.dims();
        self.head.forward(encoded.mean_dim(1).reshape([batch, d_model]))
    }
}
// ANCHOR_END: transformer

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let device = Device::flex();
        let model = AttentionClassifier::new(64, 32, 4, 2, 13, &device);
        assert_eq!(model.forward(Tensor::zeros([2, 64, 87], &device)).dims(), [2, 13]);
    }
}
