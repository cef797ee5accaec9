//! The baseline DDX7 compares against: DDSP's harmonic-plus-noise synthesizer driven by
//! DDSP's recurrent decoder (`RnnFcDecoder`): the pitch and the loudness each through a
//! small MLP (dense, layer norm, leaky ReLU), both into a GRU, the GRU's output beside the
//! two MLPs' into a last MLP, then a dense layer to the synth's controls: an overall
//! amplitude, the harmonic distribution and the noise filter's bands, each through DDSP's
//! `exp_sigmoid`. The learned reverb ends it, as in DDX7's HpN.
//!
//! DDSP's layers are 512 wide with three per MLP; ours are 128 wide (scaled by the same 1/4
//! as the TCN) with one per MLP (ours: a CPU-sized model; `--full` uses 512).

use crate::batch::NoteBatch;
use crate::notes::{HOP, SR};
use crate::reverb::Reverb;
use burn::nn::gru::{Gru, GruConfig};
use burn::nn::{LayerNorm, LayerNormConfig, LeakyRelu, LeakyReluConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::sigmoid;
use dl4mir_ddsp::control::upsample;
use dl4mir_ddsp::harmonic::{below_nyquist, filtered_noise, harmonic_amplitudes, harmonics};

/// Harmonics and noise bands (DDSP's 65 bands = a 128-point filter).
pub const HARMONICS: usize = 64;
pub const NOISE_BANDS: usize = 65;

/// DDSP's `exp_sigmoid`: `2 sigmoid(x)^ln 10 + 1e-7`, a positive output with a wide range.
pub fn exp_sigmoid(x: Tensor<3>) -> Tensor<3> {
    sigmoid(x).powf_scalar(std::f64::consts::LN_10).mul_scalar(2.0).add_scalar(1e-7)
}

#[derive(Module, Debug)]
pub struct Mlp {
    linear: Linear,
    norm: LayerNorm,
    activation: LeakyRelu,
}

impl Mlp {
    fn new(d_in: usize, width: usize, device: &Device) -> Self {
        Self {
            linear: LinearConfig::new(d_in, width).init(device),
            norm: LayerNormConfig::new(width).init(device),
            activation: LeakyReluConfig::new().init(),
        }
    }

    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.activation.forward(self.norm.forward(self.linear.forward(x)))
    }
}

#[derive(Module, Debug)]
pub struct Hpn {
    pitch_mlp: Mlp,
    loudness_mlp: Mlp,
    gru: Gru,
    out_mlp: Mlp,
    dense: Linear,
    pub reverb: Reverb,
}

impl Hpn {
    pub fn new(width: usize, reverb_taps: usize, device: &Device) -> Self {
        Self {
            pitch_mlp: Mlp::new(1, width, device),
            loudness_mlp: Mlp::new(1, width, device),
            gru: GruConfig::new(2 * width, width, true).init(device),
            out_mlp: Mlp::new(3 * width, width, device),
            dense: LinearConfig::new(width, 1 + HARMONICS + NOISE_BANDS).init(device),
            reverb: Reverb::new(reverb_taps, device),
        }
    }

    /// `[batch, frames, 1 + HARMONICS + NOISE_BANDS]`, before `exp_sigmoid`.
    fn controls(&self, controls: Tensor<3>) -> Tensor<3> {
        let x = controls.swap_dims(1, 2); // [batch, frames, 2]
        let pitch = self.pitch_mlp.forward(x.clone().slice_dim(2, 0..1));
        let loudness = self.loudness_mlp.forward(x.slice_dim(2, 1..2));
        let recurrent =
            self.gru.forward(Tensor::cat(vec![pitch.clone(), loudness.clone()], 2), None);
        let h = self.out_mlp.forward(Tensor::cat(vec![recurrent, pitch, loudness], 2));
        self.dense.forward(h)
    }

    // ANCHOR: forward
    pub fn forward(&self, batch: &NoteBatch) -> Tensor<2> {
        let out = self.controls(batch.controls.clone());
        let [n, frames, _] = out.dims();
        let device = out.device();
        let overall = exp_sigmoid(out.clone().slice_dim(2, 0..1));
        let distribution = exp_sigmoid(out.clone().slice_dim(2, 1..1 + HARMONICS));
        // DDSP starts the noise quiet: a bias of -5 before its exp_sigmoid.
        let noise_bands = exp_sigmoid(out.slice_dim(2, 1 + HARMONICS..).sub_scalar(5.0));
        let mask = below_nyquist(&batch.f0_hz, [n, frames], HARMONICS, SR as f64, &device);
        let amplitudes = upsample(harmonic_amplitudes(overall, distribution, mask), HOP);
        let harmonic = harmonics(batch.phase.clone(), amplitudes);
        let [_, samples] = harmonic.dims();
        let noise =
            Tensor::<2>::random([n, samples], Distribution::Uniform(-1.0, 1.0), &device);
        let noise = filtered_noise(noise, noise_bands, HOP);
        self.reverb.forward(harmonic + noise)
    }
    // ANCHOR_END: forward
}
