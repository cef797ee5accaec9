//! Property tests of every DSP parameter check: random parameter structs (zeros, edge and
//! absurd values included) on short random signals give a clear error or a finite output,
//! never a panic.
//!
//! 64 cases per property by default; `PROPTEST_CASES=20000` runs longer (BENCHMARKS.md,
//! "Fuzzing"). Sizes are bounded (n_fft up to 8192, signals up to 3000 samples) so that a
//! case is milliseconds: the properties look for panics, not for out-of-memory.

use dl4mir_audio::feature::{
    FrameParams, MelSpectrogramParams, MfccParams, SpectralParams, TempoParams, TempogramParams,
    fourier_tempogram, melspectrogram, mfcc, rms, spectral_bandwidth, spectral_centroid, spectral_flatness,
    spectral_rolloff, tempo_from_onset, tempogram, zero_crossing_rate,
};
use dl4mir_audio::filters::{MelFilterParams, MelNorm, Window, mel};
use dl4mir_audio::onset::{OnsetParams, onset_strength};
use dl4mir_audio::{
    DbParams, GriffinLimParams, IstftParams, PadMode, PhaseInit, Ref, StftParams, amplitude_to_db,
    griffin_lim, istft, power_to_db, resample, stft,
};
use ndarray::Array2;
use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES` if set, else 64.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Pass when the result is an error with a message, or an output whose values are all
/// finite (a `Vec<f32>` or an ndarray array: anything with `.iter()` over `f32`).
macro_rules! finite_or_error {
    ($result:expr) => {
        match $result {
            Ok(out) => {
                for v in out.iter() {
                    prop_assert!(v.is_finite(), "non-finite output {v}");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    };
}

fn signal() -> impl Strategy<Value = Vec<f32>> {
    prop::collection::vec(-1.0f32..=1.0, 0..3000)
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![0usize..=4, 1usize..=2048, Just(4096), Just(8192)]
}

fn rate() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), 1u32..=200_000, Just(22_050), Just(48_000)]
}

/// Frequencies and other reals, NaN and infinities included.
fn real() -> impl Strategy<Value = f64> {
    prop_oneof![
        -100.0f64..30_000.0,
        Just(0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-1.0)
    ]
}

fn window() -> impl Strategy<Value = Window> {
    prop_oneof![Just(Window::Hann), Just(Window::Hamming), Just(Window::Boxcar)]
}

fn pad_mode() -> impl Strategy<Value = PadMode> {
    prop_oneof![Just(PadMode::Constant), Just(PadMode::Reflect), Just(PadMode::Edge)]
}

fn stft_params() -> impl Strategy<Value = StftParams> {
    (size(), prop::option::of(size()), prop::option::of(size()), window(), any::<bool>(), pad_mode())
        .prop_map(|(n_fft, hop_length, win_length, window, center, pad_mode)| StftParams {
            n_fft,
            hop_length,
            win_length,
            window,
            center,
            pad_mode,
        })
}

fn mel_params() -> impl Strategy<Value = MelSpectrogramParams> {
    (
        rate(),
        stft_params(),
        prop_oneof![Just(2.0f32), Just(1.0), -2.0f32..4.0, Just(f32::NAN), Just(f32::INFINITY)],
        prop_oneof![0usize..=4, 1usize..=256],
        real(),
        prop::option::of(real()),
        any::<bool>(),
        prop_oneof![Just(MelNorm::Slaney), Just(MelNorm::None)],
    )
        .prop_map(|(sr, stft, power, n_mels, fmin, fmax, htk, norm)| MelSpectrogramParams {
            sr,
            stft,
            power,
            n_mels,
            fmin,
            fmax,
            htk,
            norm,
        })
}

fn db_params() -> impl Strategy<Value = DbParams> {
    (
        prop_oneof![Just(Ref::Max), (-1.0f32..10.0).prop_map(Ref::Value), Just(Ref::Value(f32::NAN))],
        prop_oneof![Just(1e-10f32), Just(0.0), -1.0f32..1.0, Just(f32::NAN)],
        prop::option::of(prop_oneof![-10.0f32..200.0, Just(f32::NAN), Just(f32::INFINITY)]),
    )
        .prop_map(|(reference, amin, top_db)| DbParams { reference, amin, top_db })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn stft_and_istft(y in signal(), params in stft_params(), length in prop::option::of(0usize..5000)) {
        let spectrum = stft(&y, &params);
        match &spectrum {
            Ok(s) => prop_assert!(s.iter().all(|c| c.re.is_finite() && c.im.is_finite())),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        if let Ok(s) = spectrum {
            let inverse = IstftParams { length, ..IstftParams::inverting(&params) };
            finite_or_error!(istft(&s, &inverse));
        }
    }

    #[test]
    fn istft_with_any_parameters(
        rows in 0usize..300,
        cols in 0usize..20,
        hop_length in prop::option::of(size()),
        win_length in prop::option::of(size()),
        n_fft in prop::option::of(size()),
        window in window(),
        center in any::<bool>(),
        length in prop::option::of(0usize..5000),
    ) {
        let s = Array2::from_elem((rows, cols), num_complex::Complex32::new(0.5, -0.25));
        let params = IstftParams { hop_length, win_length, n_fft, window, center, length };
        finite_or_error!(istft(&s, &params));
    }

    #[test]
    fn mel_filter_bank(
        sr in rate(), n_fft in size(), n_mels in prop_oneof![0usize..=4, 1usize..=256], fmin in real(),
        fmax in prop::option::of(real()), htk in any::<bool>(), slaney in any::<bool>(),
    ) {
        let norm = if slaney { MelNorm::Slaney } else { MelNorm::None };
        let params = MelFilterParams { sr, n_fft, n_mels, fmin, fmax, htk, norm };
        finite_or_error!(mel(&params));
    }

    #[test]
    fn melspectrogram_and_mfcc(y in signal(), mel_params in mel_params(), n_mfcc in 0usize..=300) {
        finite_or_error!(melspectrogram(&y, &mel_params));
        let params = MfccParams { mel: mel_params, n_mfcc };
        finite_or_error!(mfcc(&y, &params));
    }

    #[test]
    fn decibels(values in prop::collection::vec(0.0f32..1e6, 0..500), params in db_params()) {
        let s = ndarray::Array1::from(values);
        finite_or_error!(power_to_db(&s, &params));
        finite_or_error!(amplitude_to_db(&s, &params));
    }

    #[test]
    fn frame_features(y in signal(), frame_length in size(), hop_length in size(), center in any::<bool>()) {
        let params = FrameParams { frame_length, hop_length, center };
        finite_or_error!(rms(&y, &params));
        finite_or_error!(zero_crossing_rate(&y, &params));
    }

    #[test]
    fn spectral_features(
        y in signal(), sr in rate(), stft in stft_params(),
        // Above p ~ 100 the bandwidth's true value exceeds f32 (|f - centroid|^p overflows).
        p in prop_oneof![0.0f64..8.0, Just(-1.0), Just(f64::NAN), Just(f64::INFINITY)],
        roll_percent in prop_oneof![0.0f32..=1.0, -1.0f32..2.0, Just(f32::NAN)],
        amin in prop_oneof![Just(1e-10f32), Just(0.0), -1.0f32..1.0],
    ) {
        let params = SpectralParams { sr, stft };
        finite_or_error!(spectral_centroid(&y, &params));
        finite_or_error!(spectral_bandwidth(&y, &params, p));
        finite_or_error!(spectral_rolloff(&y, &params, roll_percent));
        finite_or_error!(spectral_flatness(&y, &params, amin));
    }

    #[test]
    fn onsets_and_tempo(
        y in signal(), sr in rate(), n_fft in size(), hop_length in size(),
        n_mels in prop_oneof![0usize..=4, 1usize..=256], lag in 0usize..=8, max_size in 0usize..=8,
        center in any::<bool>(), start_bpm in real(), std_bpm in real(),
        ac_size in prop_oneof![-1.0f64..20.0, Just(0.0), Just(f64::NAN), Just(1e6)],
        max_tempo in prop::option::of(real()),
    ) {
        let params = OnsetParams { sr, n_fft, hop_length, n_mels, lag, max_size, center };
        let onsets = onset_strength(&y, &params);
        finite_or_error!(&onsets);
        if let Ok(envelope) = onsets {
            let tempo = TempoParams { sr, hop_length, start_bpm, std_bpm, ac_size, max_tempo };
            match tempo_from_onset(&envelope, &tempo) {
                Ok(bpm) => prop_assert!(bpm.is_finite(), "tempo {bpm}"),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    #[test]
    fn tempograms(
        envelope in prop::collection::vec(0.0f32..10.0, 0..1000), win_length in size(),
        center in any::<bool>(), window in window(), normalize in any::<bool>(),
    ) {
        let params = TempogramParams { win_length, center, window, normalize };
        finite_or_error!(tempogram(&envelope, &params));
        match fourier_tempogram(&envelope, &params) {
            Ok(s) => prop_assert!(s.iter().all(|c| c.re.is_finite() && c.im.is_finite())),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn griffin_lim_with_any_parameters(
        rows in 0usize..300, cols in 0usize..12, n_iter in 0usize..4,
        momentum in prop_oneof![0.0f32..=1.0, -1.0f32..3.0, Just(f32::NAN)],
        zero_phase in any::<bool>(), length in prop::option::of(0usize..3000), stft in stft_params(),
    ) {
        let s = Array2::from_elem((rows, cols), 0.5f32);
        let init = if zero_phase { PhaseInit::Zero } else { PhaseInit::Random { seed: 7 } };
        let params = GriffinLimParams { n_iter, momentum, init, length, stft };
        finite_or_error!(griffin_lim(&s, &params));
    }

    #[test]
    fn resampling(
        y in prop::collection::vec(-1.0f32..=1.0, 0..256),
        orig_sr in prop_oneof![Just(0u32), 1u32..=100_000, Just(48_000)],
        target_sr in prop_oneof![Just(0u32), 1u32..=100_000, Just(22_050)],
    ) {
        finite_or_error!(resample(&y, orig_sr, target_sr));
    }
}
