//! The variational autoencoder: an encoder to a Gaussian over a 128-dimensional code, the
//! reparameterisation trick, and a decoder back to the spectrogram.

use burn::nn::{Linear, LinearConfig, Relu};
use burn::prelude::*;
use burn::tensor::Distribution;
use dl4mir_train::{SplitKLinear, SplitNLinear};

// ANCHOR: model
/// Encoder `Linear(x, 512) -> ReLU -> Linear(512, 256) -> ReLU -> (mu, log sigma^2)`,
/// decoder `Linear(z, 256) -> ReLU -> Linear(256, 512) -> ReLU -> Linear(512, x) -> ReLU`
/// (the notebook's; the default VAE leaves out the last ReLU: a standardised dB value may
/// be negative).
#[derive(Module, Debug)]
pub struct Vae {
    /// The widest layer (x = 235,980 inputs in the notebook's setting), computed split-K.
    encode_1: SplitKLinear,
    encode_2: Linear,
    mean: Linear,
    log_variance: Linear,
    decode_1: Linear,
    decode_2: Linear,
    /// The other widest layer (235,980 outputs), whose backward pass is split-K.
    decode_3: SplitNLinear,
    relu: Relu,
    /// `Some` for the notebook's non-negative output (a magnitude), `None` for dB.
    output_relu: Option<Relu>,
}

/// The sizes of a [`Vae`].
#[derive(Config, Debug)]
pub struct VaeConfig {
    pub n_inputs: usize,
    #[config(default = 512)]
    pub hidden_1: usize,
    #[config(default = 256)]
    pub hidden_2: usize,
    #[config(default = 128)]
    pub latent: usize,
    /// Chunks of the first layer's inner dimension and of the last layer's output (1 = plain
    /// matrix products).
    #[config(default = 1)]
    pub split_k: usize,
    /// A ReLU on the output (the notebook's, for magnitudes); off for a dB input.
    #[config(default = true)]
    pub relu_output: bool,
}

/// What one forward pass gives: the reconstruction and the code's distribution.
pub struct Output {
    /// `[batch, n_inputs]`: non-negative (a magnitude) with the output ReLU.
    pub reconstruction: Tensor<2>,
    /// `[batch, latent]`.
    pub mean: Tensor<2>,
    /// `[batch, latent]`: log sigma^2, which any real number is a valid value of.
    pub log_variance: Tensor<2>,
}

impl Vae {
    /// The parameters of q(z | x).
    pub fn encode(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let h = self.relu.forward(self.encode_1.forward(x));
        let h = self.relu.forward(self.encode_2.forward(h));
        (self.mean.forward(h.clone()), self.log_variance.forward(h))
    }

    /// A spectrogram from a code.
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        let h = self.relu.forward(self.decode_1.forward(z));
        let h = self.relu.forward(self.decode_2.forward(h));
        let x = self.decode_3.forward(h);
        match &self.output_relu {
            Some(relu) => relu.forward(x),
            None => x,
        }
    }

    /// Encode, draw `z = mu + sigma * eps` with `eps ~ N(0, I)` (the reparameterisation
    /// trick: the randomness is an input, so gradients flow to mu and sigma), decode.
    pub fn forward(&self, x: Tensor<2>) -> Output {
        let (mean, log_variance) = self.encode(x);
        let eps = mean.random_like(Distribution::Normal(0.0, 1.0));
        let z = mean.clone() + eps * log_variance.clone().mul_scalar(0.5).exp();
        Output { reconstruction: self.decode(z), mean, log_variance }
    }
}
// ANCHOR_END: model

impl VaeConfig {
    pub fn init(&self, device: &Device) -> Vae {
        let linear = |i, o| LinearConfig::new(i, o).init(device);
        Vae {
            encode_1: SplitKLinear::from_linear(
                linear(self.n_inputs, self.hidden_1),
                self.split_k,
            ),
            encode_2: linear(self.hidden_1, self.hidden_2),
            mean: linear(self.hidden_2, self.latent),
            log_variance: linear(self.hidden_2, self.latent),
            decode_1: linear(self.latent, self.hidden_2),
            decode_2: linear(self.hidden_2, self.hidden_1),
            decode_3: SplitNLinear::from_linear(
                linear(self.hidden_1, self.n_inputs),
                self.split_k,
            ),
            relu: Relu::new(),
            output_relu: self.relu_output.then(Relu::new),
        }
    }

    /// Weights and biases of every layer.
    pub fn parameter_count(&self) -> usize {
        let layer = |i: usize, o: usize| i * o + o;
        let (x, h1, h2, z) = (self.n_inputs, self.hidden_1, self.hidden_2, self.latent);
        let encoder = layer(x, h1) + layer(h1, h2) + 2 * layer(h2, z);
        let decoder = layer(z, h2) + layer(h2, h1) + layer(h1, x);
        encoder + decoder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let config = VaeConfig::new(100)
            .with_hidden_1(16)
            .with_hidden_2(8)
            .with_latent(4)
            .with_split_k(5);
        let vae = config.init(&device);
        let out = vae.forward(Tensor::ones([3, 100], &device));
        assert_eq!(out.reconstruction.dims(), [3, 100]);
        assert_eq!((out.mean.dims(), out.log_variance.dims()), ([3, 4], [3, 4]));
        assert!(
            out.reconstruction.min().into_scalar::<f32>() >= 0.0,
            "a magnitude is never negative"
        );
        assert_eq!(vae.num_params(), config.parameter_count());
    }

    #[test]
    fn the_notebook_model_has_242_million_parameters() {
        // 235,980 x 512 in the first layer and 512 x 235,980 in the last: ~121 M each.
        let config = VaeConfig::new(235_980);
        assert_eq!(config.parameter_count(), 242_241_740);
    }
}
