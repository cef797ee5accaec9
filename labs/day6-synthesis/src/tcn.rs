//! DDX7's decoder: a causal temporal convolutional network (Bai et al. 2018) from the
//! per-frame controls to the operators' output levels.
//!
//! As DDX7's `TCN_block`s: two weight-normalised causal convolutions per block (kernel 3,
//! the block's dilation), ReLU and dropout after each except the last block's second; a 1x1
//! convolution as the residual path only on the first and last blocks (where the width
//! changes), identity residuals in between. Dilations 1, 2, 4, 8, 16: five blocks, as
//! DDX7's, 124 frames (0.5 s) of past context. Width 32 instead of DDX7's 128 (ours: a
//! CPU-sized model; `--full` uses 128).
//!
//! burn has no weight norm, so [`WeightNormConv1d`] writes it: the kernel is `g v / ||v||`
//! with the norm over each output channel's inputs and taps (PyTorch's `weight_norm(dim=0)`),
//! and `g` starts at `||v||`, so the first forward pass equals a plain convolution's.

use burn::module::Param;
use burn::nn::{Dropout, DropoutConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::module::conv1d;
use burn::tensor::ops::ConvOptions;

/// A causal 1-D convolution with weight normalisation: `[batch, in, frames] -> [batch, out,
/// frames]`, output frame `t` seeing inputs `t - dilation (kernel - 1) .. t`.
#[derive(Module, Debug)]
pub struct WeightNormConv1d {
    /// Direction `[out, in, kernel]`.
    pub v: Param<Tensor<3>>,
    /// Length per output channel `[out]`.
    pub g: Param<Tensor<1>>,
    pub bias: Param<Tensor<1>>,
    #[module(skip)]
    dilation: usize,
}

impl WeightNormConv1d {
    /// PyTorch's default initialisation: uniform in `±1/sqrt(in * kernel)`.
    pub fn new(channels: [usize; 2], kernel: usize, dilation: usize, device: &Device) -> Self {
        let [d_in, d_out] = channels;
        let bound = 1.0 / ((d_in * kernel) as f64).sqrt();
        let uniform = Distribution::Uniform(-bound, bound);
        let v = Tensor::<3>::random([d_out, d_in, kernel], uniform, device);
        let g = norm_per_output(v.clone());
        let bias = Tensor::<1>::random([d_out], uniform, device);
        Self {
            v: Param::from_tensor(v),
            g: Param::from_tensor(g),
            bias: Param::from_tensor(bias),
            dilation,
        }
    }

    /// The kernel in use, `g v / ||v||`.
    pub fn weight(&self) -> Tensor<3> {
        let v = self.v.val();
        let [d_out, _, _] = v.dims();
        let scale = self.g.val() / norm_per_output(v.clone());
        v * scale.reshape([d_out, 1, 1])
    }

    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let [batch, d_in, frames] = x.dims();
        let [_, _, kernel] = self.v.dims();
        let left = self.dilation * (kernel - 1);
        // Zeros before the first frame only: no output sees the future.
        let padded = if left > 0 {
            let zeros = Tensor::<3>::zeros([batch, d_in, left], &x.device());
            Tensor::cat(vec![zeros, x], 2)
        } else {
            x
        };
        let options = ConvOptions::new([1], [0], [self.dilation], 1);
        let y = conv1d(padded, self.weight(), Some(self.bias.val()), options);
        debug_assert_eq!(y.dims()[2], frames);
        y
    }
}

/// `||v||` over each output channel's `[in, kernel]`.
fn norm_per_output(v: Tensor<3>) -> Tensor<1> {
    let [d_out, _, _] = v.dims();
    v.powf_scalar(2.0).sum_dim(2).sum_dim(1).sqrt().reshape([d_out])
}

/// One block: two causal convolutions, ReLU and dropout, and a residual.
#[derive(Module, Debug)]
pub struct TcnBlock {
    first: WeightNormConv1d,
    second: WeightNormConv1d,
    /// A 1x1 convolution where the width changes; identity elsewhere.
    residual: Option<WeightNormConv1d>,
    dropout: Dropout,
    #[module(skip)]
    last: bool,
}

impl TcnBlock {
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let h = self
            .dropout
            .forward(burn::tensor::activation::relu(self.first.forward(x.clone())));
        let mut h = self.second.forward(h);
        if !self.last {
            h = self.dropout.forward(burn::tensor::activation::relu(h));
        }
        let skip = match &self.residual {
            Some(conv) => conv.forward(x),
            None => x,
        };
        h + skip
    }
}

/// How big a TCN.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct TcnConfig {
    pub inputs: usize,
    pub width: usize,
    pub outputs: usize,
    pub blocks: usize,
    pub kernel: usize,
    pub dropout: f64,
}

impl TcnConfig {
    pub fn init(&self, device: &Device) -> Tcn {
        let blocks = (0..self.blocks)
            .map(|i| {
                let (first, last) = (i == 0, i + 1 == self.blocks);
                let d_in = if first { self.inputs } else { self.width };
                let d_out = if last { self.outputs } else { self.width };
                let dilation = 1 << i;
                TcnBlock {
                    first: WeightNormConv1d::new(
                        [d_in, self.width],
                        self.kernel,
                        dilation,
                        device,
                    ),
                    second: WeightNormConv1d::new(
                        [self.width, d_out],
                        self.kernel,
                        dilation,
                        device,
                    ),
                    residual: (first || last)
                        .then(|| WeightNormConv1d::new([d_in, d_out], 1, 1, device)),
                    dropout: DropoutConfig::new(self.dropout).init(),
                    last,
                }
            })
            .collect();
        Tcn { blocks }
    }

    /// Frames of past context an output sees, itself included.
    pub fn receptive_field(&self) -> usize {
        1 + (0..self.blocks).map(|i| 2 * (self.kernel - 1) * (1 << i)).sum::<usize>()
    }
}

/// The network: `[batch, inputs, frames] -> [batch, outputs, frames]`, no final activation.
#[derive(Module, Debug)]
pub struct Tcn {
    blocks: Vec<TcnBlock>,
}

impl Tcn {
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.blocks.iter().fold(x, |h, block| block.forward(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_norm_starts_as_its_direction_and_the_tcn_is_causal() {
        let device = Device::flex();
        let conv = WeightNormConv1d::new([2, 3], 3, 1, &device);
        let diff = (conv.weight() - conv.v.val()).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-6, "g = ||v|| at the start: the kernel is v ({diff})");
        let config =
            TcnConfig { inputs: 2, width: 8, outputs: 3, blocks: 5, kernel: 3, dropout: 0.0 };
        assert_eq!(config.receptive_field(), 125);
        let tcn = config.init(&device);
        let x = Tensor::<3>::random([1, 2, 40], Distribution::Normal(0.0, 1.0), &device);
        let mut changed = x.clone();
        changed =
            changed.slice_assign([0..1, 0..2, 30..40], Tensor::ones([1, 2, 10], &device));
        let (a, b) = (tcn.forward(x), tcn.forward(changed));
        let before =
            (a.clone().slice_dim(2, 0..30) - b.clone().slice_dim(2, 0..30)).abs().max();
        assert_eq!(before.into_scalar::<f32>(), 0.0, "frames before 30 cannot see frame 30");
        let after = (a.slice_dim(2, 30..40) - b.slice_dim(2, 30..40)).abs().max();
        assert!(after.into_scalar::<f32>() > 0.0);
    }
}
