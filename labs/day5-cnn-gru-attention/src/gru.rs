//! A GRU over the spectrogram's frames: it reads the note left to right, one 64-band frame
//! at a time, carrying a state that its gates decide to keep or overwrite.

use burn::nn::gru::{Gru, GruConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use crate::features::{spectrograms, width};
use crate::training::Classifier;

// ANCHOR: gru
/// `GRU(mels -> hidden)` over the frames (and, if bidirectional, a second one from the last
/// frame back to the first), the mean of its states over time, a linear layer to the
/// classes. For each frame `x_t`, with `h` the previous state:
/// `z = sigmoid(W_z x_t + U_z h + b_z)` (update gate), `r = sigmoid(W_r x_t + U_r h + b_r)`
/// (reset gate), `n = tanh(W_n x_t + r * (U_n h + b_hn) + b_n)`, `h = (1 - z) * n + z * h`.
#[derive(Module, Debug)]
pub struct GruClassifier {
    gru: Gru,
    backward: Option<Gru>,
    head: Linear,
    /// How many other features (after the spectrogram in each row) the head sees beside
    /// the GRU's summary: 0, or the exercise's descriptors.
    extra: usize,
    /// Summarise the clip by the last state instead of the mean over time (an exercise).
    last_state: bool,
}

impl GruClassifier {
    pub fn new(mels: usize, hidden: usize, classes: usize, device: &Device) -> Self {
        Self::with_extra_features(mels, hidden, 0, classes, device)
    }

    /// The exercise's model: `extra` more numbers per clip join the GRU's summary.
    pub fn with_extra_features(
        mels: usize,
        hidden: usize,
        extra: usize,
        classes: usize,
        device: &Device,
    ) -> Self {
        Self {
            gru: GruConfig::new(mels, hidden, true).init(device),
            backward: None,
            head: LinearConfig::new(hidden + extra, classes).init(device),
            extra,
            last_state: false,
        }
    }

    /// A second GRU reads the frames from the last to the first; the summary joins both
    /// directions' means (`2 x hidden` numbers).
    pub fn bidirectional(mels: usize, hidden: usize, classes: usize, device: &Device) -> Self {
        Self {
            gru: GruConfig::new(mels, hidden, true).init(device),
            backward: Some(GruConfig::new(mels, hidden, true).init(device)),
            head: LinearConfig::new(2 * hidden, classes).init(device),
            extra: 0,
            last_state: false,
        }
    }

    /// Exercise "last state or mean": the clip's summary is the state after its last frame.
    pub fn from_last_state(
        mels: usize,
        hidden: usize,
        classes: usize,
        device: &Device,
    ) -> Self {
        Self { last_state: true, ..Self::new(mels, hidden, classes, device) }
    }

    /// `x: [batch, mels, frames]` -> the mean state over time, `[batch, hidden]` (twice
    /// that if bidirectional): the clip's embedding.
    pub fn embed(&self, x: Tensor<3>) -> Tensor<2> {
        let frames = x.swap_dims(1, 2); // [batch, frames, mels]: time is the sequence
        let last_state = self.last_state;
        let mean_state = |gru: &Gru, frames: Tensor<3>| {
            let states = gru.forward(frames, None); // [batch, frames, hidden]
            let [batch, n_frames, hidden] = states.dims();
            match last_state {
                true => states.narrow(1, n_frames - 1, 1).reshape([batch, hidden]),
                false => states.mean_dim(1).reshape([batch, hidden]),
            }
        };
        match &self.backward {
            None => mean_state(&self.gru, frames),
            // The mean over time does not care about order, so the backward states need
            // not be flipped back.
            Some(backward) => Tensor::cat(
                vec![
                    mean_state(&self.gru, frames.clone()),
                    mean_state(backward, frames.flip([1])),
                ],
                1,
            ),
        }
    }

    /// `x: [batch, mels, frames]` -> logits `[batch, classes]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        self.head.forward(self.embed(x))
    }
}
// ANCHOR_END: gru

// ANCHOR: two_streams
impl Classifier for GruClassifier {
    /// With extra features, each row is `[spectrogram | descriptors]`: the descriptors
    /// are concatenated to the embedding, and the head learns from both streams.
    fn classify(&self, rows: Tensor<2>) -> Tensor<2> {
        if self.extra == 0 {
            return self.forward(spectrograms(rows));
        }
        let descriptors = rows.clone().narrow(1, width(), self.extra);
        let embedding = self.embed(spectrograms(rows));
        self.head.forward(Tensor::cat(vec![embedding, descriptors], 1))
    }
}
// ANCHOR_END: two_streams

// ANCHOR: by_hand
/// One GRU step written from the gate equations, with burn's `Gru` weights: `x: [batch,
/// mels]`, `h: [batch, hidden]` -> the next state. Each gate's `input_transform` holds
/// `W` and `b`, its `hidden_transform` holds `U` and the second bias.
pub fn gru_step_by_hand(gru: &Gru, x: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
    use burn::tensor::activation::{sigmoid, tanh};
    let gate = |g: &burn::nn::GateController, h: Tensor<2>| {
        (g.input_transform.forward(x.clone()), g.hidden_transform.forward(h))
    };
    let (wz, uz) = gate(&gru.update_gate, h.clone());
    let (wr, ur) = gate(&gru.reset_gate, h.clone());
    let (wn, un) = gate(&gru.new_gate, h.clone());
    let z = sigmoid(wz + uz); // update gate
    let r = sigmoid(wr + ur); // reset gate
    let n = tanh(wn + r * un); // candidate
    (z.clone().neg() + 1.0) * n + z * h
}
// ANCHOR_END: by_hand

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_equations_are_burns_gru() {
        let device = Device::flex();
        device.seed(5);
        let gru = GruConfig::new(6, 4, true).init(&device);
        let x = Tensor::<3>::random(
            [2, 3, 6],
            burn::tensor::Distribution::Normal(0.0, 1.0),
            &device,
        );
        let burns = gru.forward(x.clone(), None); // [batch, time, hidden]
        let mut h = Tensor::<2>::zeros([2, 4], &device);
        for t in 0..3 {
            h = gru_step_by_hand(&gru, x.clone().narrow(1, t, 1).reshape([2, 6]), h);
            let theirs = burns.clone().narrow(1, t, 1).reshape([2, 4]);
            let diff = (h.clone() - theirs).abs().max().into_scalar::<f32>();
            assert!(diff < 1e-5, "step {t}: the equations differ from burn's GRU by {diff}");
        }
    }

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let model = GruClassifier::new(64, 32, 13, &device);
        assert_eq!(model.forward(Tensor::zeros([2, 64, 87], &device)).dims(), [2, 13]);
        // Three gates, each W (64 x 32), U (32 x 32) and two biases of 32 (PyTorch's count:
        // 3 x (64 x 32 + 32 x 32 + 32 + 32) = 9,408), then the head 32 x 13 + 13.
        assert_eq!(model.num_params(), 3 * (64 * 32 + 32 * 32 + 2 * 32) + 32 * 13 + 13);
    }

    #[test]
    fn bidirectional_doubles_the_recurrence_and_the_summary() {
        let device = Device::flex();
        let model = GruClassifier::bidirectional(64, 32, 13, &device);
        assert_eq!(model.forward(Tensor::zeros([2, 64, 87], &device)).dims(), [2, 13]);
        assert_eq!(model.num_params(), 2 * 3 * (64 * 32 + 32 * 32 + 2 * 32) + 64 * 13 + 13);
    }

    #[test]
    fn the_extra_features_reach_the_head() {
        let device = Device::flex();
        let model = GruClassifier::with_extra_features(64, 32, 12, 13, &device);
        assert_eq!(model.num_params(), 3 * (64 * 32 + 32 * 32 + 2 * 32) + (32 + 12) * 13 + 13);
        let rows = |extra: f32| {
            let mut row = vec![0.0; width()];
            row.extend([extra; 12]);
            Tensor::<2>::from_data(TensorData::new(row, [1, width() + 12]), &device)
        };
        let (a, b) = (model.classify(rows(0.0)), model.classify(rows(1.0)));
        let change = (a - b).abs().sum().into_scalar::<f32>();
        assert!(change > 1e-3, "the descriptors do not change the scores ({change})");
    }
}
