//! A 2-D CNN over the log-mel spectrogram: it sees the spectrogram as an image, with small
//! filters that slide over time and frequency alike.

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig, PaddingConfig2d, Relu};
use burn::prelude::*;

use crate::features::spectrograms;
use crate::training::Classifier;

// ANCHOR: block
/// Convolution (3 x 3, same size) -> batch norm -> ReLU -> 2 x 2 max pooling: each block
/// halves the map and doubles what one output cell sees (its receptive field).
#[derive(Module, Debug)]
pub struct ConvBlock {
    conv: Conv2d,
    norm: BatchNorm,
    relu: Relu,
    pool: MaxPool2d,
}

impl ConvBlock {
    pub fn new(channels_in: usize, channels_out: usize, device: &Device) -> Self {
        Self {
            conv: Conv2dConfig::new([channels_in, channels_out], [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .init(device),
            norm: BatchNormConfig::new(channels_out).init(device),
            relu: Relu::new(),
            pool: MaxPool2dConfig::new([2, 2]).init(),
        }
    }

    /// `[batch, c_in, h, w]` -> `[batch, c_out, h / 2, w / 2]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.pool.forward(self.activations(x))
    }

    /// What the block's filters respond to, before pooling: `[batch, c_out, h, w]`.
    pub fn activations(&self, x: Tensor<4>) -> Tensor<4> {
        self.relu.forward(self.norm.forward(self.conv.forward(x)))
    }
}
// ANCHOR_END: block

// ANCHOR: cnn
/// Three blocks (16, 32, 64 channels), the mean over what is left of time and frequency
/// (global average pooling: any clip length works), and a linear layer to the classes.
#[derive(Module, Debug)]
pub struct Cnn {
    blocks: Vec<ConvBlock>,
    head: Linear,
}

impl Cnn {
    pub fn new(classes: usize, device: &Device) -> Self {
        Self::with_widths(&[1, 16, 32, 64], classes, device)
    }

    /// One block per step of `widths` (channels in, out); the head reads the last width.
    pub fn with_widths(widths: &[usize], classes: usize, device: &Device) -> Self {
        let blocks = widths.windows(2).map(|w| ConvBlock::new(w[0], w[1], device)).collect();
        let last = *widths.last().expect("at least the input width");
        Self { blocks, head: LinearConfig::new(last, classes).init(device) }
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let mut h = x.unsqueeze_dim::<4>(1); // one input channel
        for block in &self.blocks {
            h = block.forward(h);
        }
        let [batch, channels, _, _] = h.dims();
        let pooled = h.mean_dim(3).mean_dim(2).reshape([batch, channels]);
        self.head.forward(pooled)
    }
}
// ANCHOR_END: cnn

/// What the figures read out of a trained CNN.
impl Cnn {
    /// The first block's filters, `[16, 1, 3, 3]`.
    pub fn first_filters(&self) -> Tensor<4> {
        self.blocks[0].conv.weight.val()
    }

    /// One clip's (`mels x frames` values) 16 activation maps after the first block's
    /// ReLU, `[16 x mels x frames]` flattened, computed in evaluation mode.
    pub fn first_activations_of(&self, clip: &[f32], device: &Device) -> Vec<f32> {
        let device = device.clone().without_autodiff();
        let x =
            Tensor::<2>::from_data(TensorData::new(clip.to_vec(), [1, clip.len()]), &device);
        let model = self.valid();
        model.blocks[0]
            .activations(spectrograms(x).unsqueeze_dim::<4>(1))
            .into_data()
            .iter::<f32>()
            .collect()
    }
}

impl Classifier for Cnn {
    fn classify(&self, rows: Tensor<2>) -> Tensor<2> {
        self.forward(spectrograms(rows))
    }
}

// ANCHOR: receptive_field
/// The receptive field (in input cells, along one axis) after each layer of a stack of
/// `(kernel, stride)` layers: each adds `kernel - 1` steps of the input spacing reached so
/// far, and its stride multiplies that spacing.
pub fn receptive_fields(layers: &[(usize, usize)]) -> Vec<usize> {
    let (mut field, mut spacing) = (1, 1);
    layers
        .iter()
        .map(|&(kernel, stride)| {
            field += (kernel - 1) * spacing;
            spacing *= stride;
            field
        })
        .collect()
}

/// The lab's CNN as `(kernel, stride)` layers: three times conv 3 x 3, max-pool 2 x 2.
pub const LAYERS: [(usize, usize); 6] = [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1), (2, 2)];
// ANCHOR_END: receptive_field

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receptive_field_of_the_chapter_table() {
        assert_eq!(receptive_fields(&LAYERS), [3, 4, 8, 10, 18, 22]);
        // The exercise's two-block CNN.
        assert_eq!(receptive_fields(&LAYERS[..4]).last(), Some(&10));
    }

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let cnn = Cnn::new(13, &device);
        let logits = cnn.forward(Tensor::zeros([2, 64, 87], &device));
        assert_eq!(logits.dims(), [2, 13]);
        // conv (9 c_in + 1) c_out; batch norm 2 c_out learned (scale, shift) and 2 c_out running
        // statistics, which burn's num_params counts too (PyTorch's parameters() does not);
        // head 64 x 13 + 13.
        let conv = |i: usize, o: usize| 9 * i * o + o + 4 * o;
        assert_eq!(cnn.num_params(), conv(1, 16) + conv(16, 32) + conv(32, 64) + 64 * 13 + 13);
        assert_eq!(cnn.first_filters().dims(), [16, 1, 3, 3]);
    }
}
