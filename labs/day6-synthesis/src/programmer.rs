//! Part 2's network, after Faronbi et al. (ICASSP 2023): a VAE-style encoder of a sound's
//! log-mel, a decoder back to the log-mel (the auxiliary task) and parameter heads, one per
//! synthesizer or one shared. The variants they compare:
//!
//! - **separate**: one such network per synthesizer, each trained on its own synth's sounds;
//! - **joint encoder, separate heads**: one encoder (and mel decoder) for every synth, one
//!   head per synth (their `vae_multi`);
//! - **joint decoder**: one head for every synth, as long as the largest patch (smaller
//!   patches zero-padded), told which synth to program by a one-hot mask that goes through a
//!   dense layer and beside the code (their `vae_single`).
//!
//! Their encoder is two 3x3 convolutions with batch norm and max-pooling on a 128 x 431
//! mel; ours is an MLP on a 64-band mel of a quarter second (ours: the sounds are short and
//! the run is CPU-sized). Heads as theirs: three dense layers (1024 wide there, 128 here)
//! ending in a sigmoid, since every parameter lives in 0..1.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid};

/// Which network shares what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Variant {
    Separate,
    JointHeads,
    JointDecoder,
}

impl Variant {
    pub const ALL: [Variant; 3] =
        [Variant::Separate, Variant::JointHeads, Variant::JointDecoder];

    pub fn key(self) -> &'static str {
        match self {
            Variant::Separate => "separate",
            Variant::JointHeads => "joint_heads",
            Variant::JointDecoder => "joint_decoder",
        }
    }
}

#[derive(Module, Debug)]
pub struct Head {
    layers: Vec<Linear>,
}

impl Head {
    fn new(d_in: usize, width: usize, d_out: usize, device: &Device) -> Self {
        let sizes = [d_in, width, width, d_out];
        Self {
            layers: sizes
                .windows(2)
                .map(|w| LinearConfig::new(w[0], w[1]).init(device))
                .collect(),
        }
    }

    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut h = x;
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer.forward(h);
            if i < last {
                h = relu(h);
            }
        }
        sigmoid(h)
    }
}

/// Encoder, mel decoder, heads.
#[derive(Module, Debug)]
pub struct Programmer {
    encoder: Linear,
    to_posterior: Linear,
    from_code: Linear,
    to_mel: Linear,
    pub heads: Vec<Head>,
    /// The joint decoder's mask layer (one-hot synth -> 16), `None` otherwise.
    mask: Option<Linear>,
}

/// What one pass gives.
pub struct Programmed {
    pub mel: Tensor<2>,
    pub mean: Tensor<2>,
    pub log_variance: Tensor<2>,
    pub code: Tensor<2>,
}

/// Sizes.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ProgrammerConfig {
    pub mel: usize,
    pub hidden: usize,
    pub latent: usize,
    pub head_width: usize,
}

/// Width of the joint decoder's mask embedding.
const MASK_WIDTH: usize = 16;

impl ProgrammerConfig {
    /// `heads`: each head's output count; `mask_synths`: `Some(n)` for a joint decoder told
    /// which of `n` synths to program.
    pub fn init(
        &self,
        heads: &[usize],
        mask_synths: Option<usize>,
        device: &Device,
    ) -> Programmer {
        let head_in = self.latent + if mask_synths.is_some() { MASK_WIDTH } else { 0 };
        Programmer {
            encoder: LinearConfig::new(self.mel, self.hidden).init(device),
            to_posterior: LinearConfig::new(self.hidden, 2 * self.latent).init(device),
            from_code: LinearConfig::new(self.latent, self.hidden).init(device),
            to_mel: LinearConfig::new(self.hidden, self.mel).init(device),
            heads: heads
                .iter()
                .map(|&n| Head::new(head_in, self.head_width, n, device))
                .collect(),
            mask: mask_synths.map(|n| LinearConfig::new(n, MASK_WIDTH).init(device)),
        }
    }
}

impl Programmer {
    /// Encode `[batch, mel]`, draw a code (the mean with `sample = false`), decode the mel.
    pub fn forward(&self, mel: Tensor<2>, sample: bool) -> Programmed {
        let h = relu(self.encoder.forward(mel));
        let posterior = self.to_posterior.forward(h);
        let latent = posterior.dims()[1] / 2;
        let mean = posterior.clone().slice_dim(1, 0..latent);
        let log_variance = posterior.slice_dim(1, latent..).clamp(-10.0, 5.0);
        let noise = if sample { 1.0 } else { 0.0 };
        let code = crate::posterior::draw(mean.clone(), log_variance.clone(), noise);
        let mel = self.to_mel.forward(relu(self.from_code.forward(code.clone())));
        Programmed { mel, mean, log_variance, code }
    }

    /// Head `head`'s patch for `code` `[batch, latent]`; the joint decoder's gets the
    /// one-hot `mask` `[batch, synths]` beside the code.
    pub fn patch(&self, head: usize, code: Tensor<2>, mask: Option<Tensor<2>>) -> Tensor<2> {
        let input = match (&self.mask, mask) {
            (Some(layer), Some(m)) => Tensor::cat(vec![code, relu(layer.forward(m))], 1),
            _ => code,
        };
        self.heads[head].forward(input)
    }
}
