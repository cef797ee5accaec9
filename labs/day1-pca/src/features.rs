//! Features: what a recording becomes before PCA sees it.
//!
//! Every feature here is computed on the same excerpt, the note's first half second
//! resampled to 8 kHz (the original notebook's advice): the attack, where the effects
//! differ most, and a band up to 4 kHz, where most of a guitar's energy is.

use dl4mir_audio::feature::{
    FrameParams, MelSpectrogramParams, MfccParams, SpectralParams, melspectrogram, mfcc, rms,
    spectral_bandwidth, spectral_centroid, spectral_flatness, spectral_rolloff,
    zero_crossing_rate,
};
use dl4mir_audio::{DbParams, LoadParams, StftParams, amplitude_to_db, power_to_db};
use dl4mir_datasets::Track;
use ndarray::{Array1, Array2};
use rayon::prelude::*;

/// Sample rate of the excerpt (Hz).
pub const EXCERPT_SR: u32 = 8_000;
/// Length of the excerpt (s).
pub const EXCERPT_SECONDS: f64 = 0.5;

/// The ways to turn an excerpt into a vector, compared in the exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureSet {
    /// `amplitude_to_db(|FFT|)` of the excerpt: 2,001 numbers (the original notebook's).
    FftDb,
    /// Mean over frames of a 64-band mel spectrogram in dB.
    MelDb,
    /// Mean and standard deviation over frames of 20 MFCCs.
    Mfcc,
    /// Mean and standard deviation of six spectral descriptors: centroid, bandwidth,
    /// roll-off, flatness, zero-crossing rate and RMS energy.
    Spectral,
}

impl FeatureSet {
    pub const ALL: [FeatureSet; 4] =
        [FeatureSet::FftDb, FeatureSet::MelDb, FeatureSet::Mfcc, FeatureSet::Spectral];

    /// A short name, for figure labels.
    pub fn name(self) -> &'static str {
        match self {
            FeatureSet::FftDb => "FFT dB",
            FeatureSet::MelDb => "mel dB",
            FeatureSet::Mfcc => "MFCC",
            FeatureSet::Spectral => "spectral",
        }
    }

    /// What the set is, for tables.
    pub fn description(self) -> &'static str {
        match self {
            FeatureSet::FftDb => "FFT in dB (2,001 values)",
            FeatureSet::MelDb => "mel bands in dB, mean over time (64)",
            FeatureSet::Mfcc => "20 MFCCs, mean and std over time (40)",
            FeatureSet::Spectral => "6 spectral descriptors, mean and std (12)",
        }
    }
}

// ANCHOR: excerpt
/// The note's first 0.5 s at 8 kHz.
pub fn excerpt(track: &Track) -> anyhow::Result<Vec<f32>> {
    let params =
        LoadParams { sr: Some(EXCERPT_SR), offset: 0.0, duration: Some(EXCERPT_SECONDS) };
    let (y, _) = dl4mir_audio::load(&track.audio_path, &params)
        .map_err(|e| anyhow::anyhow!("track {}: {e}", track.id))?;
    Ok(y)
}

/// The magnitude spectrum of the whole excerpt in dB: `20 log10(|FFT|)` of its 4,000
/// samples gives 2,001 frequencies from 0 to 4 kHz, 2 Hz apart (ref = 1, clipped 80 dB
/// below the loudest bin, as `librosa.amplitude_to_db` does).
pub fn fft_db(y: &[f32]) -> anyhow::Result<Vec<f64>> {
    let fft = dl4mir_fft::forward::<f32>(y.len());
    let mut input = y.to_vec();
    let mut spectrum = fft.make_output_vec();
    fft.process(&mut input, &mut spectrum)?;
    let magnitude = Array1::from_iter(spectrum.iter().map(|c| c.norm()));
    let db = amplitude_to_db(&magnitude, &DbParams::amplitude())?;
    Ok(db.iter().map(|&v| v as f64).collect())
}
// ANCHOR_END: excerpt

/// One feature vector for an excerpt.
pub fn compute(set: FeatureSet, y: &[f32]) -> anyhow::Result<Vec<f64>> {
    let sr = EXCERPT_SR;
    let stft = StftParams { n_fft: 512, hop_length: Some(128), ..Default::default() };
    let mel =
        MelSpectrogramParams { sr, stft: stft.clone(), n_mels: 64, ..Default::default() };
    Ok(match set {
        FeatureSet::FftDb => fft_db(y)?,
        FeatureSet::MelDb => {
            row_means(&power_to_db(&melspectrogram(y, &mel)?, &DbParams::default())?)
        }
        FeatureSet::Mfcc => {
            let m = mfcc(y, &MfccParams { mel, n_mfcc: 20 })?;
            [row_means(&m), row_stds(&m)].concat()
        }
        FeatureSet::Spectral => {
            let spectral = SpectralParams { sr, stft };
            let frames = FrameParams { frame_length: 512, hop_length: 128, center: true };
            let tracks = [
                spectral_centroid(y, &spectral)?,
                spectral_bandwidth(y, &spectral, 2.0)?,
                spectral_rolloff(y, &spectral, 0.85)?,
                spectral_flatness(y, &spectral, 1e-10)?,
                zero_crossing_rate(y, &frames)?,
                rms(y, &frames)?,
            ];
            tracks.iter().flat_map(|t| [mean(t), std(t)]).collect()
        }
    })
}

/// Features of many tracks, in parallel, as the rows of a matrix `[tracks, features]`.
pub fn matrix(set: FeatureSet, excerpts: &[Vec<f32>]) -> anyhow::Result<Array2<f64>> {
    let rows: Vec<Vec<f64>> =
        excerpts.par_iter().map(|y| compute(set, y)).collect::<anyhow::Result<_>>()?;
    let d = rows.first().map_or(0, Vec::len);
    Ok(Array2::from_shape_vec((rows.len(), d), rows.concat())?)
}

fn row_means(a: &Array2<f32>) -> Vec<f64> {
    a.rows().into_iter().map(|r| mean(&r.to_vec())).collect()
}

fn row_stds(a: &Array2<f32>) -> Vec<f64> {
    a.rows().into_iter().map(|r| std(&r.to_vec())).collect()
}

fn mean(x: &[f32]) -> f64 {
    x.iter().map(|&v| v as f64).sum::<f64>() / x.len() as f64
}

fn std(x: &[f32]) -> f64 {
    let m = mean(x);
    (x.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}
