//! `pitch::yin` against `librosa.yin` (librosa 0.11.0), from `make_yin_fixtures.py`.
//!
//! librosa computes in the input's `f32`, we in `f64`; the estimates agree to a relative
//! 1e-5 on every frame (measured: at most 1e-6). A frame whose trough sits right at the threshold could choose
//! differently in the two precisions; none of these inputs has one, so no frame is excused.

mod common;
use common::*;
use dl4mir_audio::pitch::{YinParams, yin};
use dl4mir_audio::{LoadParams, PadMode, load};

/// librosa's recommended range, `note_to_hz('C2')` to `note_to_hz('C7')`.
const C2_C7: YinParams = YinParams {
    fmin: 65.406_391_325_149_66,
    fmax: 2_093.004_522_404_789,
    sr: SR,
    frame_length: 2048,
    hop_length: None,
    trough_threshold: 0.1,
    center: true,
    pad_mode: PadMode::Constant,
};

/// Every frame within `tolerance` of librosa's, relative to librosa's value.
fn assert_f0_close(ours: &[f32], reference: &[f32], tolerance: f32, what: &str) {
    assert_eq!(ours.len(), reference.len(), "{what}: {} frames vs librosa's {}", ours.len(), reference.len());
    let worst = ours.iter().zip(reference).map(|(a, b)| (a - b).abs() / b.abs()).fold(0.0f32, f32::max);
    assert!(worst <= tolerance, "{what}: worst relative error {worst:e} > {tolerance:e}");
}

#[test]
fn defaults_are_librosas() {
    assert_eq!(YinParams::default(), C2_C7);
    assert_eq!(YinParams::default().hop_length(), 512);
}

#[test]
fn tone_glide_and_noise_match_librosa() {
    for name in ["yin_tone", "yin_glide", "noise"] {
        let y = fixture_1d(&format!("{name}.input"));
        assert_f0_close(&yin(&y, &C2_C7).unwrap(), &fixture_1d(&format!("{name}.yin")), 1e-5, name);
    }
}

#[test]
fn other_settings_match_librosa() {
    let glide = fixture_1d("yin_glide.input");
    let uncentred = YinParams {
        fmin: 80.0,
        fmax: 1000.0,
        hop_length: Some(256),
        center: false,
        trough_threshold: 0.2,
        ..Default::default()
    };
    let reflect = YinParams {
        fmin: 100.0,
        fmax: 2000.0,
        frame_length: 1024,
        pad_mode: PadMode::Reflect,
        ..Default::default()
    };
    assert_f0_close(
        &yin(&glide, &uncentred).unwrap(),
        &fixture_1d("yin_glide.yin_uncentred_256_t02"),
        1e-4,
        "uncentred",
    );
    assert_f0_close(
        &yin(&glide, &reflect).unwrap(),
        &fixture_1d("yin_glide.yin_1024_reflect"),
        1e-4,
        "reflect",
    );
}

#[test]
fn real_recordings_match_librosa() {
    for (name, relative) in &REAL[..2] {
        let (y, sr) = load(shared_sample(relative), &LoadParams { sr: None, ..Default::default() }).unwrap();
        let params = YinParams { sr, frame_length: 4096, ..C2_C7 };
        assert_f0_close(&yin(&y, &params).unwrap(), &fixture_1d(&format!("{name}.yin_48000")), 1e-5, name);
    }
}
