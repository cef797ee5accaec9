//! Sound of Pixels' three networks, scaled down: a U-Net on the mixture's log-magnitude that
//! gives K feature maps, an image CNN that gives K values per pixel, and the "synthesizer"
//! that joins them into a mask, `sigmoid(sum_k alpha_k i_k s_k + beta)`.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::interpolate::{Interpolate2d, Interpolate2dConfig, InterpolateMode};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::{leaky_relu, relu, sigmoid};

/// The sizes of the three networks.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ModelConfig {
    /// K, the channels the audio and the image meet in (the paper's 32).
    pub channels: usize,
    /// The U-Net's first width, doubled at every level (the paper's ngf = 64).
    pub unet_width: usize,
    /// Down-sampling levels (the paper's seven, for 256 x 256 inputs; ours four, for 64 x 32).
    pub levels: usize,
    /// The image CNN's first width (the paper: a dilated ResNet-18 pretrained on ImageNet).
    pub frame_width: usize,
}

impl ModelConfig {
    pub fn init(&self, device: &Device) -> AudioVisual {
        AudioVisual {
            sound: UNet::new(self, device),
            frame: FrameNet::new(self, device),
            synthesizer: Synthesizer::new(self.channels, device),
        }
    }
}

#[derive(Module, Debug)]
pub struct AudioVisual {
    pub sound: UNet,
    pub frame: FrameNet,
    pub synthesizer: Synthesizer,
}

// ANCHOR: unet
/// A pix2pix U-Net as the paper's `Unet`: 4 x 4 convolutions of stride 2 down (batch norm,
/// leaky ReLU 0.2), bilinear up-sampling and 3 x 3 convolutions up (batch norm, ReLU), each
/// level joined to its mirror by a skip connection; no activation on the output.
#[derive(Module, Debug)]
pub struct UNet {
    input_norm: BatchNorm,
    downs: Vec<Conv2d>,
    down_norms: Vec<BatchNorm>,
    ups: Vec<Conv2d>,
    up_norms: Vec<BatchNorm>,
    upsample: Interpolate2d,
}

impl UNet {
    fn new(config: &ModelConfig, device: &Device) -> Self {
        let widths: Vec<usize> = (0..config.levels).map(|i| config.unet_width << i).collect();
        let down = |c_in, c_out| {
            Conv2dConfig::new([c_in, c_out], [4, 4])
                .with_stride([2, 2])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device)
        };
        let up = |c_in, c_out| {
            Conv2dConfig::new([c_in, c_out], [3, 3])
                .with_padding(PaddingConfig2d::Same)
                .init(device)
        };
        let levels = config.levels;
        let downs = (0..levels)
            .map(|i| down(if i == 0 { 1 } else { widths[i - 1] }, widths[i]))
            .collect();
        // The innermost level goes up alone; every other one reads itself and its skip.
        let up_input = |j: usize| if j == levels - 1 { widths[j] } else { 2 * widths[j] };
        let mut ups: Vec<Conv2d> =
            (1..levels).rev().map(|j| up(up_input(j), widths[j - 1])).collect();
        ups.push(up(up_input(0), config.channels));
        Self {
            input_norm: BatchNormConfig::new(1).init(device),
            // The outermost down and up have no norm (pix2pix).
            down_norms: (1..levels)
                .map(|i| BatchNormConfig::new(widths[i]).init(device))
                .collect(),
            up_norms: (1..levels)
                .rev()
                .map(|j| BatchNormConfig::new(widths[j - 1]).init(device))
                .collect(),
            downs,
            ups,
            upsample: Interpolate2dConfig::new()
                .with_scale_factor(Some([2.0, 2.0]))
                .with_mode(InterpolateMode::Linear)
                .init(),
        }
    }

    /// `log_mixture: [batch, 1, WARPED, FRAMES]` -> features `[batch, K, WARPED, FRAMES]`.
    pub fn forward(&self, log_mixture: Tensor<4>) -> Tensor<4> {
        let mut x = self.input_norm.forward(log_mixture);
        let mut skips = Vec::new();
        for (i, conv) in self.downs.iter().enumerate() {
            x = conv.forward(x);
            if i > 0 {
                x = self.down_norms[i - 1].forward(x);
            }
            x = leaky_relu(x, 0.2);
            skips.push(x.clone());
        }
        skips.pop(); // the innermost output is `x` itself
        for (j, conv) in self.ups.iter().enumerate() {
            x = conv.forward(self.upsample.forward(x));
            if let Some(norm) = self.up_norms.get(j) {
                x = relu(norm.forward(x));
                x = Tensor::cat(vec![x, skips.pop().expect("one skip per level")], 1);
            }
        }
        x
    }
}
// ANCHOR_END: unet

// ANCHOR: frame_net
/// The image CNN: three 3 x 3 convolutions (the first two of stride 2) and a 1 x 1
/// convolution to K channels: a K-vector for every 4 x 4 block of pixels (16 x 16 of them).
#[derive(Module, Debug)]
pub struct FrameNet {
    convs: Vec<Conv2d>,
    norms: Vec<BatchNorm>,
    to_channels: Conv2d,
}

impl FrameNet {
    fn new(config: &ModelConfig, device: &Device) -> Self {
        let w = config.frame_width;
        let conv = |c_in, c_out, stride| {
            Conv2dConfig::new([c_in, c_out], [3, 3])
                .with_stride([stride, stride])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device)
        };
        Self {
            convs: vec![conv(3, w / 2, 2), conv(w / 2, w, 2), conv(w, 2 * w, 1)],
            norms: [w / 2, w, 2 * w]
                .iter()
                .map(|&c| BatchNormConfig::new(c).init(device))
                .collect(),
            to_channels: Conv2dConfig::new([2 * w, config.channels], [1, 1]).init(device),
        }
    }

    /// `frames: [batch, 3, 64, 64]` -> per-pixel features before the sigmoid,
    /// `[batch, K, 16, 16]`.
    pub fn forward(&self, frames: Tensor<4>) -> Tensor<4> {
        let mut x = frames;
        for (conv, norm) in self.convs.iter().zip(&self.norms) {
            x = relu(norm.forward(conv.forward(x)));
        }
        self.to_channels.forward(x)
    }

    /// One K-vector per frame for separation: the map max-pooled over space, then the
    /// sigmoid (the paper's `img_pool maxpool`, `img_activation sigmoid`).
    pub fn pooled(&self, frames: Tensor<4>) -> Tensor<2> {
        let map = self.forward(frames);
        let [batch, channels, h, w] = map.dims();
        sigmoid(map.reshape([batch, channels, h * w]).max_dim(2).reshape([batch, channels]))
    }

    /// One K-vector per pixel block for localisation: `[batch, 256, K]`.
    pub fn per_pixel(&self, frames: Tensor<4>) -> Tensor<3> {
        let map = self.forward(frames);
        let [batch, channels, h, w] = map.dims();
        sigmoid(map.reshape([batch, channels, h * w]).swap_dims(1, 2))
    }
}
// ANCHOR_END: frame_net

// ANCHOR: synthesizer
/// The paper's `InnerProd` synthesizer: each of the K sound maps weighted by the image's
/// value for it and a learned scale, summed, plus a bias; the mask is the sigmoid of that.
#[derive(Module, Debug)]
pub struct Synthesizer {
    scale: Param<Tensor<1>>,
    bias: Param<Tensor<1>>,
}

impl Synthesizer {
    fn new(channels: usize, device: &Device) -> Self {
        Self {
            scale: Param::from_tensor(Tensor::ones([channels], device)),
            bias: Param::from_tensor(Tensor::zeros([1], device)),
        }
    }

    /// `image: [batch, K]`, `sound: [batch, K, F, T]` -> mask logits `[batch, F, T]`.
    pub fn forward(&self, image: Tensor<2>, sound: Tensor<4>) -> Tensor<3> {
        let [batch, channels, f, t] = sound.dims();
        let weights =
            (image * self.scale.val().unsqueeze_dim(0)).reshape([batch, channels, 1, 1]);
        (weights * sound).sum_dim(1).reshape([batch, f, t])
            + self.bias.val().reshape([1, 1, 1])
    }

    /// Every pixel's mask logits: `pixels: [batch, P, K]`, `sound: [batch, K, F, T]` ->
    /// `[batch, P, F * T]`.
    pub fn per_pixel(&self, pixels: Tensor<3>, sound: Tensor<4>) -> Tensor<3> {
        let [batch, channels, f, t] = sound.dims();
        let weighted = pixels * self.scale.val().reshape([1, 1, channels]);
        weighted.matmul(sound.reshape([batch, channels, f * t]))
            + self.bias.val().reshape([1, 1, 1])
    }
}
// ANCHOR_END: synthesizer

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spectra::{FRAMES, WARPED};
    use crate::sprites::SIZE;

    fn config() -> ModelConfig {
        ModelConfig { channels: 6, unet_width: 4, levels: 4, frame_width: 4 }
    }

    #[test]
    fn the_networks_give_the_shapes_the_synthesizer_joins() {
        let device = Device::flex();
        let model = config().init(&device);
        let sound = model.sound.forward(Tensor::zeros([2, 1, WARPED, FRAMES], &device));
        assert_eq!(sound.dims(), [2, 6, WARPED, FRAMES]);
        let image = model.frame.pooled(Tensor::zeros([2, 3, SIZE, SIZE], &device));
        assert_eq!(image.dims(), [2, 6]);
        assert_eq!(
            model.synthesizer.forward(image, sound.clone()).dims(),
            [2, WARPED, FRAMES]
        );
        let pixels = model.frame.per_pixel(Tensor::zeros([1, 3, SIZE, SIZE], &device));
        assert_eq!(pixels.dims(), [1, 256, 6]);
        let masks = model.synthesizer.per_pixel(pixels, sound.narrow(0, 0, 1));
        assert_eq!(masks.dims(), [1, 256, WARPED * FRAMES]);
    }

    #[test]
    fn a_pixels_mask_is_the_pooled_mask_when_it_holds_the_pooled_vector() {
        let device = Device::flex();
        let model = config().init(&device);
        let sound =
            Tensor::<4>::random([1, 6, 3, 2], burn::tensor::Distribution::Default, &device);
        let image = Tensor::<2>::from_floats([[0.1, 0.9, 0.3, 0.5, 0.2, 0.7]], &device);
        let pooled = model.synthesizer.forward(image.clone(), sound.clone());
        let pixel = model.synthesizer.per_pixel(image.reshape([1, 1, 6]), sound);
        let diff = (pooled.reshape([1, 1, 6]) - pixel).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-6, "{diff}");
    }
}
