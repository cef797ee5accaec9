//! From spectrograms back to sound: Griffin-Lim estimates a phase, and the result is
//! written as a 48 kHz WAV, normalised and faded in and out so that it plays without clicks.

use crate::features::Spectrogram;
use dl4mir_audio::{GriffinLimParams, PhaseInit, WavFormat, griffin_lim, resample, write_wav};
use std::path::Path;

/// The rate every WAV is written at (the recordings').
pub const OUT_SR: u32 = 48_000;
/// Fade in over 2 ms (short, to keep a pluck's attack) and out over 10 ms.
const FADE_IN_SECONDS: f64 = 0.002;
const FADE_OUT_SECONDS: f64 = 0.01;
/// Peak level of a written file.
const PEAK: f32 = 0.9;

// ANCHOR: render
/// A signal whose STFT magnitude is close to `row` (a flattened spectrogram made with
/// `spec`), by 32 Griffin-Lim iterations (librosa's default), at 48 kHz.
pub fn render(spec: &Spectrogram, row: &[f32]) -> anyhow::Result<Vec<f32>> {
    let y = render_native(spec, row)?;
    Ok(if spec.sr == OUT_SR { y } else { resample(&y, spec.sr, OUT_SR)? })
}

/// The same signal at the spectrogram's own rate, `spec.sr` (what the pitch is measured on).
pub fn render_native(spec: &Spectrogram, row: &[f32]) -> anyhow::Result<Vec<f32>> {
    let params = GriffinLimParams {
        n_iter: 32,
        init: PhaseInit::Random { seed: 0 },
        length: Some(spec.samples()),
        stft: spec.stft_params(),
        ..Default::default()
    };
    Ok(griffin_lim(&spec.unflatten(row), &params)?)
}
// ANCHOR_END: render

/// Scale to a peak of 0.9 (a silent signal stays silent), fade the ends, write 16-bit PCM.
pub fn write(path: &Path, mut y: Vec<f32>) -> anyhow::Result<()> {
    let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if peak > 0.0 {
        y.iter_mut().for_each(|v| *v *= PEAK / peak);
    }
    let n = y.len();
    let fade_in = ((FADE_IN_SECONDS * OUT_SR as f64) as usize).min(n / 2);
    let fade_out = ((FADE_OUT_SECONDS * OUT_SR as f64) as usize).min(n / 2);
    for (i, v) in y.iter_mut().take(fade_in).enumerate() {
        *v *= i as f32 / fade_in as f32;
    }
    for (i, v) in y.iter_mut().rev().take(fade_out).enumerate() {
        *v *= i as f32 / fade_out as f32;
    }
    write_wav(path, &y, OUT_SR, WavFormat::Int16)?;
    Ok(())
}

/// Several sounds one after another with `gap_seconds` of silence between them.
pub fn concatenate(parts: &[Vec<f32>], gap_seconds: f64) -> Vec<f32> {
    let gap = vec![0.0; (gap_seconds * OUT_SR as f64) as usize];
    let mut all = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            all.extend_from_slice(&gap);
        }
        all.extend_from_slice(part);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_files_peak_at_0_9_and_start_silent() {
        let dir = std::env::temp_dir().join(format!("day4-sound-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tone.wav");
        let y: Vec<f32> = (0..4800).map(|n| 0.2 * (n as f32 * 0.05).sin()).collect();
        write(&path, y).unwrap();
        let native = dl4mir_audio::LoadParams { sr: None, ..Default::default() };
        let (back, sr) = dl4mir_audio::load(&path, &native).unwrap();
        std::fs::remove_dir_all(dir).ok();
        assert_eq!((sr, back.len()), (48_000, 4800));
        let peak = back.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!((peak - 0.9).abs() < 0.01 && back[0] == 0.0, "peak {peak}, first {}", back[0]);
    }
}
