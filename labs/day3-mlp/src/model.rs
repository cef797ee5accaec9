//! The feed-forward network: linear layers with ReLU between them.

use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, Relu};
use burn::prelude::*;

// ANCHOR: model
/// `Linear(inputs, h1) -> ReLU -> [Dropout] -> ... -> Linear(h_last, classes)`.
/// The notebook's network has one hidden layer of 64 units and no dropout; with no hidden
/// layer at all it is `Linear(inputs, classes)`, Day 2's softmax regression.
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Vec<Linear>,
    activation: Relu,
    dropout: Dropout,
    output: Linear,
}

/// The sizes of an [`Mlp`].
#[derive(Config, Debug)]
pub struct MlpConfig {
    pub n_inputs: usize,
    /// Units of each hidden layer, e.g. `[64]`.
    pub hidden: Vec<usize>,
    pub n_classes: usize,
    /// Probability of zeroing a hidden unit while training (0 = no dropout).
    #[config(default = 0.0)]
    pub dropout: f64,
}

impl MlpConfig {
    pub fn init(&self, device: &Device) -> Mlp {
        let mut width = self.n_inputs;
        let mut hidden = Vec::new();
        for &units in &self.hidden {
            hidden.push(LinearConfig::new(width, units).init(device));
            width = units;
        }
        Mlp {
            hidden,
            activation: Relu::new(),
            dropout: DropoutConfig::new(self.dropout).init(),
            output: LinearConfig::new(width, self.n_classes).init(device),
        }
    }
}

impl Mlp {
    /// # Shapes
    /// `x: [batch, n_inputs]` -> logits `[batch, n_classes]` (no softmax: the
    /// cross-entropy loss applies it, more accurately, to the logits).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let mut h = x;
        for layer in &self.hidden {
            h = self.dropout.forward(self.activation.forward(layer.forward(h)));
        }
        self.output.forward(h)
    }
}
// ANCHOR_END: model

impl Mlp {
    /// The first hidden layer's outputs, after the ReLU (`None` without a hidden layer).
    pub fn first_hidden(&self, x: Tensor<2>) -> Option<Tensor<2>> {
        self.hidden.first().map(|layer| self.activation.forward(layer.forward(x)))
    }
}

/// Number of trainable values: weights and biases of every layer.
pub fn parameter_count(config: &MlpConfig) -> usize {
    let mut width = config.n_inputs;
    let mut count = 0;
    for &units in config.hidden.iter().chain([&config.n_classes]) {
        count += width * units + units;
        width = units;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count_match_the_notebook() {
        let device = Device::flex();
        let config = MlpConfig::new(1856, vec![64], 2);
        let model = config.init(&device);
        let logits = model.forward(Tensor::zeros([5, 1856], &device));
        assert_eq!(logits.dims(), [5, 2]);
        // 1856 x 64 + 64 + 64 x 2 + 2, as torchsummary prints for the notebook's model.
        assert_eq!(parameter_count(&config), 118_978);
        assert_eq!(model.num_params(), 118_978);
    }

    #[test]
    fn no_hidden_layer_is_softmax_regression() {
        let device = Device::flex();
        let config = MlpConfig::new(1856, vec![], 2);
        let model = config.init(&device);
        assert_eq!(model.num_params(), 1856 * 2 + 2);
        assert!(model.first_hidden(Tensor::zeros([1, 1856], &device)).is_none());
    }

    #[test]
    fn deeper_networks_chain_their_widths() {
        let device = Device::flex();
        let config = MlpConfig::new(10, vec![8, 4], 3).with_dropout(0.5);
        let model = config.init(&device);
        assert_eq!(model.forward(Tensor::ones([2, 10], &device)).dims(), [2, 3]);
        assert_eq!(model.num_params(), parameter_count(&config));
    }
}
