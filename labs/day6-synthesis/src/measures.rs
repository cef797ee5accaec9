//! What a synthesized note is judged by: its spectral distances to the target (the
//! training loss itself, a log-mel L1 and the log-spectral distance), the pitch it sounds
//! at, and how fast it was made.

use crate::notes::{Note, SR};
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_audio::feature::{MelSpectrogramParams, melspectrogram};
use dl4mir_audio::{StftParams, YinParams, magnitude, stft, yin};
use dl4mir_ddsp::loss::MultiResolution;
use ndarray::Array2;
use serde_json::{Value, json};

/// The multi-resolution spectral distance (DDX7's loss) of one prediction to its target.
pub fn multi_resolution(loss: &MultiResolution, predicted: &[f32], target: &[f32]) -> f64 {
    let device = Device::flex();
    let tensor =
        |x: &[f32]| Tensor::<2>::from_data(TensorData::new(x.to_vec(), [1, x.len()]), &device);
    loss.loss(tensor(predicted), tensor(target)).into_scalar::<f32>() as f64
}

/// The lab's log-mel: 64 mel bands of 1024-point frames every 256 samples, `ln(mel + 1e-5)`.
pub fn log_mel(y: &[f32]) -> anyhow::Result<Array2<f32>> {
    let params = MelSpectrogramParams {
        sr: SR,
        stft: StftParams { n_fft: 1024, hop_length: Some(256), ..Default::default() },
        n_mels: 64,
        ..Default::default()
    };
    Ok(melspectrogram(y, &params)?.mapv(|v| (v + 1e-5).ln()))
}

/// Mean absolute difference of two log-mels.
pub fn log_mel_l1(a: &Array2<f32>, b: &Array2<f32>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs() as f64).sum::<f64>() / a.len() as f64
}

/// A power spectrogram in dB, floored 80 dB below `reference_peak` (the target's peak, so
/// that silence costs at most 80 dB however exactly it is zero): 1024-point frames every 256.
pub fn spectrogram_db(y: &[f32], reference_peak: Option<f32>) -> anyhow::Result<Array2<f32>> {
    let params = StftParams { n_fft: 1024, hop_length: Some(256), ..Default::default() };
    let db = magnitude(&stft(y, &params)?).mapv(|a| 20.0 * a.max(1e-10).log10());
    let peak = reference_peak.unwrap_or_else(|| db.iter().copied().fold(f32::MIN, f32::max));
    Ok(db.mapv(|v| v.max(peak - 80.0)))
}

/// Log-spectral distance (dB): per frame the root mean square over frequency of the dB
/// difference, then the mean over frames (the textbook form; Faronbi et al.'s code takes the
/// mean square of log10 powers over every bin instead, without the root).
pub fn log_spectral_distance(target: &[f32], predicted: &[f32]) -> anyhow::Result<f64> {
    let t = spectrogram_db(target, None)?;
    let peak = t.iter().copied().fold(f32::MIN, f32::max);
    Ok(lsd_of_db(&t, &spectrogram_db(predicted, Some(peak))?))
}

/// [`log_spectral_distance`] of two dB spectrograms, both floored 80 dB below the target's
/// peak (`dl4mir_eval::spectral`, the course's one definition).
pub fn lsd_of_db(t: &Array2<f32>, p: &Array2<f32>) -> f64 {
    let floor = t.iter().copied().fold(f32::MIN, f32::max) - 80.0;
    // Row by row, bin by bin: the layout the shared function reads.
    let flat = |a: &Array2<f32>| a.iter().copied().collect::<Vec<f32>>();
    dl4mir_eval::spectral::log_spectral_distance(&flat(t), &flat(p), t.nrows(), floor)
        .expect("spectrograms of one size, from the same STFT settings")
}

/// The pitch (Hz) a note sounds at: the median of YIN's estimates (C2 to C7, 64 ms frames)
/// over its first half; `None` if it is silent.
pub fn sounding_pitch(y: &[f32]) -> anyhow::Result<Option<f64>> {
    let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if peak < 1e-4 {
        return Ok(None);
    }
    let params =
        YinParams { sr: SR, frame_length: 1024, hop_length: Some(256), ..Default::default() };
    let estimates = yin(y, &params)?;
    let mut half: Vec<f64> =
        estimates[..estimates.len().div_ceil(2)].iter().map(|&f| f as f64).collect();
    half.sort_by(f64::total_cmp);
    Ok(half.get(half.len() / 2).copied())
}

/// `|12 log2(estimate / truth)|` semitones.
pub fn semitone_error(estimate: f64, truth: f64) -> f64 {
    (12.0 * (estimate / truth).log2()).abs()
}

pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

// ANCHOR: judge
/// Every measure of a set of outputs against the held-out notes: the spectral distance (the
/// loss itself), the log-mel L1 and the LSD (against `mean` instead of the outputs' own
/// spectra when given: the mean-spectrum baseline) and the pitch the outputs sound at.
pub fn judge(
    loss: &MultiResolution,
    notes: &[Note],
    outputs: &[Vec<f32>],
    mean_spectra: Option<&MeanSpectra>,
) -> anyhow::Result<Value> {
    let (mut distance, mut mel, mut errors, mut lsd) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut silent = 0;
    for (note, output) in notes.iter().zip(outputs) {
        distance.push(multi_resolution(loss, output, &note.audio));
        let target = log_mel(&note.audio)?;
        mel.push(match mean_spectra {
            Some(m) => log_mel_l1(&m.log_mel, &target),
            None => log_mel_l1(&log_mel(output)?, &target),
        });
        lsd.push(match mean_spectra {
            Some(m) => lsd_of_db(&spectrogram_db(&note.audio, None)?, &m.db),
            None => log_spectral_distance(&note.audio, output)?,
        });
        match sounding_pitch(output)? {
            Some(f) => errors.push(semitone_error(f, note.f0_hz())),
            None => silent += 1,
        }
    }
    let within = errors.iter().filter(|&&e| e < 0.5).count();
    Ok(json!({
        "spectral_distance": mean(&distance),
        "log_mel_l1": mean(&mel),
        "lsd_db": mean(&lsd),
        "pitch_median_error_semitones": median(errors),
        "pitch_within_half_semitone": within,
        "silent_outputs": silent,
    }))
}
// ANCHOR_END: judge

/// The mean log-mel and the mean dB spectrogram of the training notes: every held-out
/// note's "prediction" in the mean-spectrum baseline.
pub struct MeanSpectra {
    pub log_mel: Array2<f32>,
    pub db: Array2<f32>,
}

impl MeanSpectra {
    pub fn of(notes: &[Note]) -> anyhow::Result<Self> {
        let mut log_mel_sum = log_mel(&notes[0].audio)?;
        let mut db_sum = spectrogram_db(&notes[0].audio, None)?;
        for n in &notes[1..] {
            log_mel_sum += &log_mel(&n.audio)?;
            db_sum += &spectrogram_db(&n.audio, None)?;
        }
        let count = notes.len() as f32;
        Ok(Self { log_mel: log_mel_sum / count, db: db_sum / count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_sounds_at_its_pitch_and_is_at_zero_distance_from_itself() {
        let tone: Vec<f32> = (0..8000)
            .map(|n| (std::f32::consts::TAU * 220.0 * n as f32 / SR as f32).sin())
            .collect();
        let pitch = sounding_pitch(&tone).unwrap().unwrap();
        assert!(semitone_error(pitch, 220.0) < 0.1, "{pitch}");
        assert!(log_spectral_distance(&tone, &tone).unwrap() < 1e-6);
        let silence = vec![0.0; 8000];
        assert_eq!(sounding_pitch(&silence).unwrap(), None);
        let far = log_spectral_distance(&tone, &silence).unwrap();
        // A sine fills few bins: most of the target is at the floor too, where silence costs nothing.
        assert!(far > 5.0 && far <= 80.0, "{far}");
    }
}
