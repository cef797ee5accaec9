//! Onset strength, tempograms and tempo against librosa 0.11, on exact click tracks.

mod common;

use common::*;
use dl4mir_audio::feature::{TempoParams, TempogramParams, fourier_tempogram, tempo, tempogram};
use dl4mir_audio::onset::{OnsetParams, onset_strength};

#[test]
fn onset_strength_matches_librosa() {
    let y = clicks(120.0, SR, 6.0);
    let ours = onset_strength(&y, &OnsetParams::default()).unwrap();
    assert_close(&ours, &fixture_1d("click120.onset"), 1e-4, "onset_strength(click 120)");
}

#[test]
fn tempograms_match_librosa() {
    let onset = fixture_1d("click120.onset");
    let ours = tempogram(&onset, &TempogramParams::default()).unwrap();
    assert_close_2d(&ours, &fixture_2d("click120.tempogram"), 1e-4, "tempogram");
    let ours = dl4mir_audio::magnitude(&fourier_tempogram(&onset, &TempogramParams::default()).unwrap());
    assert_close_2d(&ours, &fixture_2d("click120.fourier_tempogram"), 1e-4, "|fourier_tempogram|");
}

#[test]
fn tempo_equals_librosa_exactly() {
    for (bpm, sr, seconds) in [
        (120.0, 22050, 10.0),
        (90.0, 22050, 12.0),
        (150.0, 22050, 10.0),
        (100.0, 48000, 10.0),
        (132.0, 44100, 10.0),
    ] {
        let y = clicks(bpm, sr, seconds);
        let ours = tempo(&y, &TempoParams { sr, ..Default::default() }).unwrap();
        let reference = scalar(&format!("tempo.{bpm}bpm_{sr}hz_{seconds}s"));
        assert_eq!(ours, reference, "tempo of a {bpm} BPM click at {sr} Hz");
    }
}

#[test]
fn a_120_bpm_click_reads_117_45_at_hop_512_as_in_librosa() {
    // The estimate is snapped to lag bins: lag 22 at 22050 Hz / hop 512 is 117.45 BPM.
    let y = clicks(120.0, 22050, 10.0);
    let bpm = tempo(&y, &TempoParams::default()).unwrap();
    assert!((bpm - 117.4538).abs() < 1e-3, "{bpm}");
}
