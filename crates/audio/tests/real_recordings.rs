//! The three real EGFxSet recordings (24-bit, 48 kHz, with `bext` and `junk` chunks)
//! against librosa 0.11: loading, resampling, and the features the labs use.

mod common;

use common::*;
use dl4mir_audio::feature::*;
use dl4mir_audio::onset::{OnsetParams, onset_strength};
use dl4mir_audio::*;

fn load_native(relative: &str) -> Vec<f32> {
    let (y, sr) = load(shared_sample(relative), &LoadParams { sr: None, ..Default::default() }).unwrap();
    assert_eq!((sr, y.len()), (48_000, 48_000), "{relative}: one second at 48 kHz");
    y
}

#[test]
fn real_recordings_load_bit_exactly() {
    for (name, relative) in REAL {
        let y = load_native(relative);
        let every_7th: Vec<f32> = y.iter().step_by(7).copied().collect();
        assert_eq!(every_7th, fixture_1d(&format!("{name}.samples_every_7th")), "{relative}");
    }
}

#[test]
fn mel_mfcc_and_day3_features_match_librosa() {
    for (name, relative) in REAL {
        let y = load_native(relative);
        let mel = MelSpectrogramParams { sr: 48_000, ..Default::default() };
        assert_close_2d(
            &melspectrogram(&y, &mel).unwrap(),
            &fixture_2d(&format!("{name}.mel")),
            1e-5,
            &format!("mel({name})"),
        );

        let ours = mfcc(&y, &MfccParams { mel: mel.clone(), ..Default::default() }).unwrap();
        let worst = ours
            .iter()
            .zip(&fixture_2d(&format!("{name}.mfcc")))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 0.01, "mfcc({name}): {worst}");

        let day3 = MelSpectrogramParams {
            sr: 48_000,
            stft: StftParams { n_fft: 4096, hop_length: Some(4096), ..Default::default() },
            n_mels: 32,
            fmax: Some(8000.0),
            ..Default::default()
        };
        let db = power_to_db(
            &melspectrogram(&y, &day3).unwrap(),
            &DbParams { reference: Ref::Max, ..Default::default() },
        )
        .unwrap();
        assert_db_close(
            &db,
            &fixture_2d(&format!("{name}.day3_mel_db")),
            0.01,
            &format!("day 3 mel dB ({name})"),
        );
    }
}

#[test]
fn day4_stft_magnitude_matches_librosa() {
    let y = load_native("Clean/Middle/6-22.wav");
    let s = magnitude(
        &stft(&y, &StftParams { n_fft: 1024, hop_length: Some(512), ..Default::default() }).unwrap(),
    );
    assert_close_2d(&s, &fixture_2d("clean_middle_6_22.day4_stft_mag"), 1e-5, "|stft| n_fft 1024");
}

#[test]
fn onset_and_frame_features_match_librosa() {
    for (name, relative) in REAL {
        let y = load_native(relative);
        let onset = onset_strength(&y, &OnsetParams { sr: 48_000, ..Default::default() }).unwrap();
        assert_close(&onset, &fixture_1d(&format!("{name}.onset")), 1e-4, &format!("onset({name})"));
        check_frame_features(name, &y, 48_000);
    }
}

/// Resampling uses a different (FFT) filter than librosa's soxr_hq: lengths must agree
/// exactly, samples to the bound measured here and stated in `resample`'s docs.
#[test]
fn resampling_agrees_with_soxr_hq() {
    for (name, relative) in REAL {
        let y = load_native(relative);
        for target in [8000, 22050] {
            let ours = resample(&y, 48_000, target).unwrap();
            let reference = fixture_1d(&format!("{name}.resample_{target}"));
            let err = relative_max_error(&ours, &reference, &format!("resample {name} -> {target}"));
            println!("resample {name} 48000 -> {target}: relative max error {err:.2e}");
            assert!(err < RESAMPLE_TOLERANCE, "{name} -> {target} Hz: relative max error {err:e}");
        }
    }
    // 440 + 1000 Hz lie well inside the 4 kHz passband of 8 kHz.
    let two_tone = fixture_1d("two_tone.input");
    let ours = resample(&two_tone, SR, 8000).unwrap();
    let err = relative_max_error(&ours, &fixture_1d("two_tone.resample_8000"), "resample two-tone");
    println!("resample two-tone 22050 -> 8000: relative max error {err:.2e}");
    assert!(err < RESAMPLE_TOLERANCE, "two-tone -> 8000 Hz: {err:e}");
    // Away from the abrupt ends (25 ms), the two filters agree almost exactly.
    let interior =
        relative_max_error(&ours[200..7800], &fixture_1d("two_tone.resample_8000")[200..7800], "interior");
    println!("resample two-tone 22050 -> 8000, interior: relative max error {interior:.2e}");
    assert!(interior < 1e-4, "two-tone interior: {interior:e}");
}

/// The bound quoted in `resample`'s documentation.
const RESAMPLE_TOLERANCE: f32 = 3e-3;

#[test]
fn load_resamples_to_22050_by_default_like_librosa() {
    let path = shared_sample("Clean/Middle/6-22.wav");
    let (y, sr) = load(&path, &LoadParams::default()).unwrap();
    assert_eq!(sr, 22050);
    let err = relative_max_error(&y, &fixture_1d("clean_middle_6_22.load_default_22050"), "load default");
    assert!(err < RESAMPLE_TOLERANCE, "{err:e}");
}

#[test]
fn offset_and_duration_cut_at_the_native_rate() {
    let path = shared_sample("TapeEcho/Bridge/2-0.wav");
    let full = load_native("TapeEcho/Bridge/2-0.wav");
    let (part, _) = load(&path, &LoadParams { sr: None, offset: 0.25, duration: Some(0.5) }).unwrap();
    assert_eq!(part, full[12_000..36_000]);
}
