//! Features of a note: a fixed-length summary of its first two seconds.

use dl4mir_audio::feature::{
    FrameParams, MelSpectrogramParams, SpectralParams, melspectrogram, rms,
    spectral_bandwidth, spectral_centroid, spectral_flatness, spectral_rolloff,
    zero_crossing_rate,
};
use dl4mir_audio::{DbParams, LoadParams, power_to_db};
use dl4mir_datasets::Track;
use ndarray::Array2;
use rayon::prelude::*;

/// librosa's default rate: enough for a guitar's spectrum up to 11 kHz.
pub const SR: u32 = 22_050;
/// The attack and the first ring: long enough for delays and reverbs to show.
pub const SECONDS: f64 = 2.0;
/// Mel bands whose mean and spread over time describe the timbre.
pub const N_MELS: usize = 40;

/// Both feature vectors of one note.
pub struct NoteFeatures {
    /// For classification: mean and standard deviation over time of 40 mel bands in dB,
    /// and of six spectral descriptors (92 numbers).
    pub timbre: Vec<f64>,
    /// For pitch regression: the base-2 logarithm of five frequencies (two estimates of
    /// the fundamental: the lowest strong spectral peak, and one over the period found by
    /// autocorrelation; the centroid, the roll-off, the bandwidth), so that a semitone is
    /// the same step everywhere (MIDI = 69 + 12 log2(f / 440) is linear in log2 f).
    pub pitch: Vec<f64>,
}

// ANCHOR: features
pub fn note_features(track: &Track) -> anyhow::Result<NoteFeatures> {
    let params = LoadParams { sr: Some(SR), offset: 0.0, duration: Some(SECONDS) };
    let (y, sr) = dl4mir_audio::load(&track.audio_path, &params)
        .map_err(|e| anyhow::anyhow!("track {}: {e}", track.id))?;
    let mel = power_to_db(
        &melspectrogram(
            &y,
            &MelSpectrogramParams { sr, n_mels: N_MELS, ..Default::default() },
        )?,
        &DbParams::default(),
    )?;
    let spectral = SpectralParams { sr, ..Default::default() };
    let descriptors = [
        spectral_centroid(&y, &spectral)?,
        spectral_bandwidth(&y, &spectral, 2.0)?,
        spectral_rolloff(&y, &spectral, 0.85)?,
        spectral_flatness(&y, &spectral, 1e-10)?,
        zero_crossing_rate(&y, &FrameParams::default())?,
        rms(&y, &FrameParams::default())?,
    ];
    let mut timbre: Vec<f64> = mel.rows().into_iter().map(|r| mean(&r.to_vec())).collect();
    timbre.extend(mel.rows().into_iter().map(|r| std(&r.to_vec())));
    timbre.extend(descriptors.iter().flat_map(|d| [mean(d), std(d)]));
    let (lowest_strong, period) = fundamental_estimates(&y, sr)?;
    let pitch = vec![
        lowest_strong.log2(),
        period.log2(),
        mean(&descriptors[0]).log2(),
        mean(&descriptors[2]).log2(),
        mean(&descriptors[1]).log2(),
    ];
    Ok(NoteFeatures { timbre, pitch })
}
// ANCHOR_END: features

/// Two estimates (Hz) of the fundamental from the time-averaged spectrum:
///
/// * the lowest local peak at least a quarter as loud as the loudest: right when the
///   fundamental is strong, an octave or more too high when a pickup hears it faintly;
/// * `sr / period`, the period being the lag of the autocorrelation's highest peak
///   (autocorrelation = inverse FFT of the power spectrum): every harmonic of a note
///   repeats after one period, so they all vote for it, weak fundamental or not (and
///   after two or three periods: the first peak nearly as high as the highest wins).
fn fundamental_estimates(y: &[f32], sr: u32) -> anyhow::Result<(f64, f64)> {
    let n_fft = 8192;
    let params = dl4mir_audio::StftParams { n_fft, ..Default::default() };
    let magnitude = dl4mir_audio::magnitude(&dl4mir_audio::stft(y, &params)?);
    let average: Vec<f64> = magnitude.rows().into_iter().map(|r| mean(&r.to_vec())).collect();
    let hz = |bin: usize| bin as f64 * sr as f64 / n_fft as f64;
    // Search 60 Hz (under the low E string's 82 Hz) to 1.5 kHz (over the 22nd fret's 1.2 kHz).
    let (f_low, f_high) = (60.0, 1500.0);
    let lowest = (f_low / hz(1)) as usize;
    let loudest = (lowest..average.len())
        .max_by(|&a, &b| average[a].total_cmp(&average[b]))
        .unwrap_or(lowest);
    let is_peak = |k: usize| average[k] >= average[k - 1] && average[k] >= average[k + 1];
    let first_strong = (lowest.max(1)..average.len() - 1)
        .find(|&k| is_peak(k) && average[k] >= 0.25 * average[loudest])
        .unwrap_or(loudest);

    let mut power: Vec<dl4mir_fft::num_complex::Complex<f64>> =
        average.iter().map(|&a| dl4mir_fft::num_complex::Complex::new(a * a, 0.0)).collect();
    let mut autocorrelation = vec![0.0; n_fft];
    dl4mir_fft::inverse::<f64>(n_fft).process(&mut power, &mut autocorrelation)?;
    let (shortest, longest) = ((sr as f64 / f_high) as usize, (sr as f64 / f_low) as usize);
    let peaks: Vec<usize> = (shortest..=longest)
        .filter(|&lag| {
            autocorrelation[lag] >= autocorrelation[lag - 1]
                && autocorrelation[lag] >= autocorrelation[lag + 1]
        })
        .collect();
    let highest =
        peaks.iter().map(|&lag| autocorrelation[lag]).fold(f64::NEG_INFINITY, f64::max);
    // Two periods, three periods... repeat too: take the first peak nearly as high as the highest.
    let period = peaks
        .into_iter()
        .find(|&lag| autocorrelation[lag] >= 0.9 * highest)
        .unwrap_or(longest);
    Ok((hz(first_strong), sr as f64 / period as f64))
}

/// Features of every track, in parallel, with a progress bar: (timbre rows, pitch rows).
pub fn matrices(tracks: &[Track]) -> anyhow::Result<(Array2<f64>, Array2<f64>)> {
    let bar = dl4mir_train::progress(tracks.len() as u64, "computing features".into());
    let all: Vec<NoteFeatures> = tracks
        .par_iter()
        .map(|t| {
            let f = note_features(t);
            bar.inc(1);
            f
        })
        .collect::<anyhow::Result<_>>()?;
    bar.finish_and_clear();
    let stack = |rows: Vec<&Vec<f64>>| -> anyhow::Result<Array2<f64>> {
        let d = rows.first().map_or(0, |r| r.len());
        Ok(Array2::from_shape_vec(
            (rows.len(), d),
            rows.into_iter().flatten().copied().collect(),
        )?)
    };
    Ok((
        stack(all.iter().map(|f| &f.timbre).collect())?,
        stack(all.iter().map(|f| &f.pitch).collect())?,
    ))
}

fn mean(x: &[f32]) -> f64 {
    x.iter().map(|&v| v as f64).sum::<f64>() / x.len().max(1) as f64
}

fn std(x: &[f32]) -> f64 {
    let m = mean(x);
    (x.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}
