//! A GRU over the spectrogram's frames: it reads the note left to right, one 64-band frame
//! at a time, carrying a state that its gates decide to keep or overwrite.

use burn::nn::gru::{Gru, GruConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

// ANCHOR: gru
/// `GRU(mels -> hidden)` over the frames, the mean of its states over time, a linear
/// layer to the classes. For each frame `x_t`, with `h` the previous state:
/// `z = sigmoid(W_z x_t + U_z h + b_z)` (update gate), `r = sigmoid(W_r x_t + U_r h + b_r)`
/// (reset gate), `n = tanh(W_n x_t + r * (U_n h + b_hn) + b_n)`, `h = (1 - z) * n + z * h`.
#[derive(Module, Debug)]
pub struct GruClassifier {
    gru: Gru,
    head: Linear,
}

impl GruClassifier {
    pub fn new(mels: usize, hidden: usize, classes: usize, device: &Device) -> Self {
        Self {
            gru: GruConfig::new(mels, hidden, true).init(device),
            head: LinearConfig::new(hidden, classes).init(device),
        }
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let frames = x.swap_dims(1, 2); // [batch, frames, mels]: time is the sequence
        let states = self.gru.forward(frames, None); // [batch, frames, hidden]
        let [batch, _, hidden] = states.dims();
        self.head.forward(states.mean_dim(1).reshape([batch, hidden]))
    }
}
// ANCHOR_END: gru

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let model = GruClassifier::new(64, 32, 13, &device);
        assert_eq!(model.forward(Tensor::zeros([2, 64, 87], &device)).dims(), [2, 13]);
        // Three gates, each W (64 x 32), U (32 x 32) and two biases of 32 (PyTorch's count:
        // 3 x (64 x 32 + 32 x 32 + 32 + 32) = 9,408), then the head 32 x 13 + 13.
        assert_eq!(model.num_params(), 3 * (64 * 32 + 32 * 32 + 2 * 32) + 32 * 13 + 13);
    }
}
