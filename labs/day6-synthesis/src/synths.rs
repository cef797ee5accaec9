//! Part 2's three synthesizers, each a differentiable function from a patch (parameters in
//! 0..1) and a known pitch to a note: the lab's FM synth with static levels, an additive
//! harmonic-plus-noise synth, and a subtractive one (a sawtooth through a resonant
//! low-pass). All three share one decay envelope, so every patch is a plucked note.

use crate::ddx7;
use crate::notes::{HOP, SR};
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_ddsp::control::phases;
use dl4mir_ddsp::harmonic::harmonics;

/// Harmonics of the additive and subtractive synths.
const PARTIALS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Synth {
    Fm,
    Additive,
    Subtractive,
}

impl Synth {
    pub const ALL: [Synth; 3] = [Synth::Fm, Synth::Additive, Synth::Subtractive];

    pub fn key(self) -> &'static str {
        match self {
            Synth::Fm => "fm",
            Synth::Additive => "additive",
            Synth::Subtractive => "subtractive",
        }
    }

    pub fn index(self) -> usize {
        Synth::ALL.iter().position(|&s| s == self).expect("listed")
    }

    /// The patch's parameters, by name.
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            Synth::Fm => &[
                "OP1 level",
                "OP2 level",
                "OP3 level",
                "OP4 level",
                "OP5 level",
                "OP6 level",
                "decay",
            ],
            Synth::Additive => &["spectral tilt", "even harmonics", "noise", "decay"],
            Synth::Subtractive => &["cut-off", "resonance", "decay"],
        }
    }

    pub fn count(self) -> usize {
        self.parameters().len()
    }

    // ANCHOR: render
    /// `[batch, count]` patches in 0..1, one f0 (Hz) per note, `noise` `[batch, samples]`
    /// (the additive synth's; shared so that two renders of a patch are equal) ->
    /// `[batch, samples]`.
    pub fn render(self, patch: Tensor<2>, f0_hz: &[f64], noise: Tensor<2>) -> Tensor<2> {
        let [batch, samples] = noise.dims();
        let device = patch.device();
        let column = |i: usize| patch.clone().slice_dim(1, i..i + 1); // [batch, 1]
        let decay = column(self.count() - 1);
        let envelope = envelope(decay, samples, &device); // [batch, samples]
        match self {
            Synth::Fm => {
                let synth = ddx7::synth();
                let frames = samples / HOP;
                let values: Vec<f32> = f0_hz
                    .iter()
                    .flat_map(|&f| phases(&vec![f; frames], HOP, SR as f64, &ddx7::RATIOS))
                    .collect();
                let phase = Tensor::<3>::from_data(
                    TensorData::new(values, [batch, samples, 6]),
                    &device,
                );
                let levels =
                    patch.slice_dim(1, 0..6).mul_scalar(ddx7::MAX_LEVEL).unsqueeze_dim::<3>(1)
                        * envelope.unsqueeze_dim::<3>(2);
                synth.render(phase, levels).div_scalar(ddx7::MAX_LEVEL).mul_scalar(0.5)
            }
            Synth::Additive => {
                // Harmonic k at k^-(0.5 + 2.5 tilt); even harmonics scaled by their parameter.
                let k = numbers(&device); // [1, PARTIALS]
                let tilt = column(0).mul_scalar(2.5).add_scalar(0.5);
                let mut amplitude = (k.clone().log() * tilt.neg()).exp();
                let even = parity(&device, true);
                let odd = parity(&device, false);
                amplitude = amplitude.clone() * (odd + even * column(1));
                let partials = self.partials(amplitude, f0_hz, samples, &envelope);
                let noise = noise * column(2).mul_scalar(0.3) * envelope;
                partials + noise
            }
            Synth::Subtractive => {
                // A sawtooth's 1/k through |H| of a two-pole low-pass at each harmonic; the
                // cut-off is 200 Hz times 2^(5 p): 200 Hz to 6.4 kHz.
                let k = numbers(&device);
                let cutoff =
                    column(0).mul_scalar(5.0 * std::f64::consts::LN_2).exp().mul_scalar(200.0);
                let q = column(1).mul_scalar(7.5).add_scalar(0.5);
                let f0 = Tensor::<2>::from_data(
                    TensorData::new(f0_hz.iter().map(|&f| f as f32).collect(), [batch, 1]),
                    &device,
                );
                let ratio = k.clone() * f0 / cutoff; // f / fc, [batch, PARTIALS]
                let real = ratio.clone().powf_scalar(2.0).neg().add_scalar(1.0);
                let imag = ratio / q;
                let gain = (real.powf_scalar(2.0) + imag.powf_scalar(2.0)).sqrt().recip();
                let amplitude = k.recip() * gain;
                self.partials(amplitude.mul_scalar(0.5), f0_hz, samples, &envelope)
            }
        }
    }
    // ANCHOR_END: render

    /// Static harmonic amplitudes `[batch, PARTIALS]` under the envelope, above-Nyquist
    /// harmonics silenced.
    fn partials(
        self,
        amplitude: Tensor<2>,
        f0_hz: &[f64],
        samples: usize,
        envelope: &Tensor<2>,
    ) -> Tensor<2> {
        let [batch, _] = amplitude.dims();
        let device = amplitude.device();
        let mask: Vec<f32> = f0_hz
            .iter()
            .flat_map(|&f| {
                (1..=PARTIALS)
                    .map(move |k| if k as f64 * f < SR as f64 / 2.0 { 1.0 } else { 0.0 })
            })
            .collect();
        let mask = Tensor::<2>::from_data(TensorData::new(mask, [batch, PARTIALS]), &device);
        let frames = samples / HOP;
        let values: Vec<f32> = f0_hz
            .iter()
            .flat_map(|&f| phases(&vec![f; frames], HOP, SR as f64, &[1.0]))
            .collect();
        let phase = Tensor::<2>::from_data(TensorData::new(values, [batch, samples]), &device);
        let amplitudes = (amplitude * mask).mul_scalar(0.5).unsqueeze_dim::<3>(1)
            * envelope.clone().unsqueeze_dim::<3>(2);
        harmonics(phase, amplitudes)
    }
}

/// `exp(-t / tau)` with `tau` from 50 ms (decay 0) to 500 ms (decay 1), `[batch, samples]`.
fn envelope(decay: Tensor<2>, samples: usize, device: &Device) -> Tensor<2> {
    let t: Vec<f32> = (0..samples).map(|n| n as f32 / SR as f32).collect();
    let t = Tensor::<2>::from_data(TensorData::new(t, [1, samples]), device);
    let tau = decay.mul_scalar(0.45).add_scalar(0.05);
    (t.neg() / tau).exp()
}

/// `[1, PARTIALS]`: 1, 2, ..., PARTIALS.
fn numbers(device: &Device) -> Tensor<2> {
    let k: Vec<f32> = (1..=PARTIALS).map(|k| k as f32).collect();
    Tensor::<2>::from_data(TensorData::new(k, [1, PARTIALS]), device)
}

/// `[1, PARTIALS]`: 1 on the even (or odd) harmonics, else 0.
fn parity(device: &Device, even: bool) -> Tensor<2> {
    let k: Vec<f32> =
        (1..=PARTIALS).map(|k| if (k % 2 == 0) == even { 1.0 } else { 0.0 }).collect();
    Tensor::<2>::from_data(TensorData::new(k, [1, PARTIALS]), device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synth_renders_a_decaying_note_that_its_parameters_change() {
        let device = Device::flex();
        let noise = Tensor::<2>::random(
            [2, 2048],
            burn::tensor::Distribution::Uniform(-1.0, 1.0),
            &device,
        );
        for synth in Synth::ALL {
            let patches = Tensor::<2>::from_data(
                TensorData::new(
                    [vec![0.2f32; synth.count()], vec![0.8f32; synth.count()]].concat(),
                    [2, synth.count()],
                ),
                &device,
            );
            let y: Vec<f32> = synth
                .render(patches, &[220.0, 220.0], noise.clone())
                .into_data()
                .iter::<f32>()
                .collect();
            let energy = |a: &[f32]| a.iter().map(|v| v * v).sum::<f32>();
            let (first, second) = (&y[..2048], &y[2048..]);
            assert!(energy(&first[..512]) > energy(&first[1536..]), "{synth:?} decays");
            assert!(
                y.iter().all(|v| v.is_finite()) && energy(first) > 0.0,
                "{synth:?} sounds"
            );
            let difference: f32 = first.iter().zip(second).map(|(a, b)| (a - b).abs()).sum();
            assert!(difference > 1.0, "{synth:?}: two patches, two sounds");
        }
    }
}
