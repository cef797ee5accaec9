//! How good a reconstruction is: its distance from the input on a log scale, and whether
//! the sound Griffin-Lim makes of it still has the note's pitch.

use crate::features::Spectrogram;
use dl4mir_audio::pitch::{YinParams, yin};

/// Log-spectral distance in dB between two of the lab's spectrograms in dB (flattened
/// `bins x frames`, as the features), both floored at -80 dB re. the input's peak: the
/// course's one definition, in `dl4mir_eval::spectral`.
pub fn log_spectral_distance(spec: &Spectrogram, a_db: &[f32], b_db: &[f32]) -> f64 {
    dl4mir_eval::spectral::log_spectral_distance(a_db, b_db, spec.bins(), -80.0)
        .expect("the lab's spectrograms are whole frames of its bins, of one size")
}

// ANCHOR: pitch
/// The pitch (Hz) of a rendered note: the median of YIN's estimates (dl4mir-audio, as
/// `librosa.yin`, searching C2 to C7 in 128 ms frames every 32 ms at 8 kHz) over the frames
/// centred in the note's first half second, where every note still sounds and no delay's
/// repeat has come yet. `None` if the signal is silent.
pub fn note_pitch(y: &[f32], sr: u32) -> anyhow::Result<Option<f64>> {
    if y.iter().all(|&v| v == 0.0) {
        return Ok(None);
    }
    let frame_length = (sr as usize / 1000 * 128).next_power_of_two();
    let params = YinParams { sr, frame_length, ..Default::default() };
    let hop = params.hop_length();
    let f0 = yin(y, &params)?;
    let mut voiced: Vec<f64> = f0
        .iter()
        .enumerate()
        .filter(|(t, _)| (0.05..0.5).contains(&((t * hop) as f64 / sr as f64)))
        .map(|(_, &f)| f as f64)
        .collect();
    if voiced.is_empty() {
        return Ok(None);
    }
    voiced.sort_by(f64::total_cmp);
    Ok(Some(voiced[voiced.len() / 2]))
}
// ANCHOR_END: pitch

/// Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz).
pub fn midi_to_hz(midi: u8) -> f64 {
    440.0 * 2f64.powf((midi as f64 - 69.0) / 12.0)
}

/// Signed distance in semitones from `truth` to `estimate`.
pub fn semitones(estimate: f64, truth: f64) -> f64 {
    12.0 * (estimate / truth).log2()
}

/// A pitch "hit": within one semitone of the note's own (an octave error is a miss).
pub fn is_hit(estimate: Option<f64>, truth: f64) -> bool {
    estimate.is_some_and(|f| semitones(f, truth).abs() < 1.0)
}

/// A miss by an octave: within a semitone of twice or half the note's pitch (YIN's
/// commonest mistake, on a real note as on a reconstruction).
pub fn is_octave_error(estimate: Option<f64>, truth: f64) -> bool {
    estimate.is_some_and(|f| (semitones(f, truth).abs() - 12.0).abs() < 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_tone_has_its_pitch() {
        let sr = 8000;
        let y: Vec<f32> = (0..12_000)
            .map(|n| (2.0 * std::f32::consts::PI * 110.0 * n as f32 / sr as f32).sin())
            .collect();
        let f = note_pitch(&y, sr).unwrap().unwrap();
        assert!(semitones(f, midi_to_hz(45)).abs() < 0.05, "{f}");
        assert!(is_hit(Some(f), 110.0) && !is_hit(Some(2.0 * f), 110.0));
        assert!(is_octave_error(Some(f / 2.0), 110.0) && !is_octave_error(Some(f), 110.0));
        assert_eq!(note_pitch(&[0.0; 12_000], sr).unwrap(), None);
    }

    #[test]
    fn lsd_is_the_rms_db_difference_per_frame() {
        let spec = Spectrogram::QUICK;
        let a = vec![-10.0f32; spec.width()];
        let b = vec![-13.0f32; spec.width()];
        assert!((log_spectral_distance(&spec, &a, &b) - 3.0).abs() < 1e-9);
        let floor = vec![-200.0f32; spec.width()];
        assert!(
            (log_spectral_distance(&spec, &a, &floor) - 70.0).abs() < 1e-9,
            "floored at -80 dB"
        );
    }
}
