//! A batch of notes as the decoders take it: the controls per frame, the phases the known
//! pitch gives (computed once on the host, in f64), and the target audio.

use crate::notes::{HOP, Note, SR};
use burn::prelude::*;
use burn::tensor::TensorData;

/// Everything a decoder needs for `batch` notes of `frames` control frames.
#[derive(Debug, Clone)]
pub struct NoteBatch {
    /// `[batch, 2, frames]`: MIDI / 127 and loudness / 80 + 1, channels first for the TCN.
    pub controls: Tensor<3>,
    /// `[batch, samples]`: the fundamental's phase (radians, wrapped).
    pub phase: Tensor<2>,
    /// `[batch, frames]` row-major: the f0 of every frame (Hz), for the Nyquist mask.
    pub f0_hz: Vec<f64>,
    /// `[batch, samples]`.
    pub target: Tensor<2>,
    /// The operator phases `[batch, samples, operators]` for the FM synth's ratios.
    pub fm_phases: Option<Tensor<3>>,
}

impl NoteBatch {
    /// `fm_ratios`: the FM synth's frequency ratios, or `None` when no FM synth is trained.
    pub fn new(notes: &[&Note], fm_ratios: Option<&[f64]>, device: &Device) -> Self {
        let batch = notes.len();
        let frames = notes[0].frames();
        let samples = frames * HOP;
        let controls: Vec<f32> = notes
            .iter()
            .flat_map(|n| {
                let c = n.controls();
                let pitch: Vec<f32> = c.iter().map(|v| v[0]).collect();
                let loudness: Vec<f32> = c.iter().map(|v| v[1]).collect();
                pitch.into_iter().chain(loudness)
            })
            .collect();
        let f0_frames = |n: &Note| vec![n.f0_hz(); frames];
        let phase: Vec<f32> = notes
            .iter()
            .flat_map(|n| dl4mir_ddsp::control::phases(&f0_frames(n), HOP, SR as f64, &[1.0]))
            .collect();
        let fm_phases = fm_ratios.map(|ratios| {
            let values: Vec<f32> = notes
                .iter()
                .flat_map(|n| {
                    dl4mir_ddsp::control::phases(&f0_frames(n), HOP, SR as f64, ratios)
                })
                .collect();
            Tensor::from_data(TensorData::new(values, [batch, samples, ratios.len()]), device)
        });
        let target: Vec<f32> = notes.iter().flat_map(|n| n.audio.iter().copied()).collect();
        Self {
            controls: Tensor::from_data(TensorData::new(controls, [batch, 2, frames]), device),
            phase: Tensor::from_data(TensorData::new(phase, [batch, samples]), device),
            f0_hz: notes.iter().flat_map(|n| f0_frames(n)).collect(),
            target: Tensor::from_data(TensorData::new(target, [batch, samples]), device),
            fm_phases,
        }
    }
}

pub use dl4mir_train::uniform;

/// `[n, samples]` to `n` rows on the host.
pub fn rows(audio: Tensor<2>) -> Vec<Vec<f32>> {
    let [n, samples] = audio.dims();
    let values: Vec<f32> = audio.into_data().iter::<f32>().collect();
    values.chunks(samples.max(1)).take(n).map(<[f32]>::to_vec).collect()
}
