//! Unit conversions: Hz <-> mel, frames <-> samples <-> seconds, bin frequencies.
//!
//! Mirrors `librosa/core/convert.py`; names are always `a_to_b`. Computed in `f64`, as
//! numpy does, so the filter banks built on them match librosa's to the last bit or two.

/// Hz -> mel. Slaney's scale by default (linear below 1 kHz, logarithmic above);
/// `htk = true` gives `2595 * log10(1 + f / 700)`.
///
/// Matches `librosa.hz_to_mel(frequencies, htk=htk)`.
///
/// # Examples
/// ```
/// use dl4mir_audio::convert::hz_to_mel;
/// assert!((hz_to_mel(1000.0, false) - 15.0).abs() < 1e-12);
/// assert!((hz_to_mel(1000.0, true) - 999.9855).abs() < 1e-3);
/// ```
pub fn hz_to_mel(frequency: f64, htk: bool) -> f64 {
    if htk {
        return 2595.0 * (1.0 + frequency / 700.0).log10();
    }
    // Slaney: 200/3 Hz per mel below 1 kHz, then 27 mels per factor 6.4 in frequency.
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if frequency >= min_log_hz {
        min_log_mel + (frequency / min_log_hz).ln() / logstep
    } else {
        frequency / f_sp
    }
}

/// mel -> Hz, the inverse of [`hz_to_mel`]. Matches `librosa.mel_to_hz(mels, htk=htk)`.
pub fn mel_to_hz(mel: f64, htk: bool) -> f64 {
    if htk {
        return 700.0 * (10f64.powf(mel / 2595.0) - 1.0);
    }
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel { min_log_hz * (logstep * (mel - min_log_mel)).exp() } else { f_sp * mel }
}

/// `n` points evenly spaced from `start` to `stop` inclusive, computed as `numpy.linspace`.
pub(crate) fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    match n {
        0 => vec![],
        1 => vec![start],
        _ => {
            let step = (stop - start) / (n - 1) as f64;
            let mut v: Vec<f64> = (0..n).map(|i| start + i as f64 * step).collect();
            v[n - 1] = stop;
            v
        }
    }
}

/// `n_mels` frequencies (Hz) evenly spaced on the mel scale from `fmin` to `fmax`.
///
/// Matches `librosa.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=htk)`.
pub fn mel_frequencies(n_mels: usize, fmin: f64, fmax: f64, htk: bool) -> Vec<f64> {
    linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels)
        .into_iter()
        .map(|m| mel_to_hz(m, htk))
        .collect()
}

/// Centre frequency (Hz) of each of the `1 + n_fft / 2` rows of an STFT.
///
/// Matches `librosa.fft_frequencies(sr=sr, n_fft=n_fft)`.
pub fn fft_frequencies(sr: f64, n_fft: usize) -> Vec<f64> {
    let bin_hz = 1.0 / (n_fft as f64 * (1.0 / sr));
    (0..=n_fft / 2).map(|k| k as f64 * bin_hz).collect()
}

/// Tempo (BPM) of each lag of an autocorrelation tempogram with `n_bins` lags.
/// Lag 0 is infinitely fast (`f64::INFINITY`), as in librosa.
///
/// Matches `librosa.tempo_frequencies(n_bins, hop_length=hop_length, sr=sr)`.
pub fn tempo_frequencies(n_bins: usize, hop_length: usize, sr: f64) -> Vec<f64> {
    (0..n_bins)
        .map(|lag| match lag {
            0 => f64::INFINITY,
            _ => 60.0 * sr / (hop_length as f64 * lag as f64),
        })
        .collect()
}

/// Tempo (BPM) of each row of a Fourier tempogram of window `win_length` frames.
///
/// Matches `librosa.fourier_tempo_frequencies(sr=sr, win_length=win_length, hop_length=hop_length)`.
pub fn fourier_tempo_frequencies(sr: f64, win_length: usize, hop_length: usize) -> Vec<f64> {
    fft_frequencies(sr * 60.0 / hop_length as f64, win_length)
}

/// Sample index at which frame `frame` starts: `frame * hop_length`.
pub fn frames_to_samples(frame: usize, hop_length: usize) -> usize {
    frame * hop_length
}

/// Frame index containing sample `sample`: `sample / hop_length` (rounded down).
pub fn samples_to_frames(sample: usize, hop_length: usize) -> usize {
    sample / hop_length
}

/// Time (s) of frame `frame`. Matches `librosa.frames_to_time(frame, sr=sr, hop_length=hop_length)`.
pub fn frames_to_time(frame: usize, sr: f64, hop_length: usize) -> f64 {
    frames_to_samples(frame, hop_length) as f64 / sr
}

/// Sample index at time `seconds`, truncated as librosa's `(t * sr).astype(int)`.
pub fn time_to_samples(seconds: f64, sr: f64) -> usize {
    (seconds * sr) as usize
}

/// Frame index at time `seconds`. Matches `librosa.time_to_frames(seconds, sr=sr, hop_length=hop_length)`.
pub fn time_to_frames(seconds: f64, sr: f64, hop_length: usize) -> usize {
    samples_to_frames(time_to_samples(seconds, sr), hop_length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_scale_round_trips() {
        for &hz in &[0.0, 20.0, 440.0, 999.0, 1000.0, 8000.0, 24000.0] {
            for htk in [false, true] {
                let back = mel_to_hz(hz_to_mel(hz, htk), htk);
                assert!((back - hz).abs() < 1e-9 * hz.max(1.0), "{hz} Hz, htk={htk}");
            }
        }
    }

    #[test]
    fn fft_frequencies_span_zero_to_nyquist() {
        let f = fft_frequencies(22050.0, 2048);
        assert_eq!(f.len(), 1025);
        assert_eq!(f[0], 0.0);
        assert!((f[1024] - 11025.0).abs() < 1e-9);
    }

    #[test]
    fn tempo_of_lag_22_at_22050_hz_is_librosa_s_117_45() {
        let bpm = tempo_frequencies(23, 512, 22050.0)[22];
        assert!((bpm - 117.453_835).abs() < 1e-5, "{bpm}");
        assert_eq!(time_to_frames(8.0, 22050.0, 512), 344);
    }
}
