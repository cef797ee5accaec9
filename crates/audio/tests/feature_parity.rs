//! Mel spectrogram, MFCC and frame features against librosa 0.11, on synthetic signals.

mod common;

use common::*;
use dl4mir_audio::feature::*;
use dl4mir_audio::filters::MelNorm;
use dl4mir_audio::stft;

const SIGNALS: [&str; 3] = ["chirp", "two_tone", "noise"];

#[test]
fn melspectrogram_matches_librosa() {
    for name in SIGNALS {
        let y = fixture_1d(&format!("{name}.input"));
        let ours = melspectrogram(&y, &MelSpectrogramParams::default()).unwrap();
        assert_close_2d(&ours, &fixture_2d(&format!("{name}.mel")), 1e-5, &format!("melspectrogram({name})"));
    }
}

#[test]
fn melspectrogram_with_htk_power_1_and_band_limits_matches_librosa() {
    let y = fixture_1d("noise.input");
    let params = MelSpectrogramParams {
        power: 1.0,
        htk: true,
        n_mels: 40,
        fmin: 100.0,
        fmax: Some(6000.0),
        ..Default::default()
    };
    assert_close_2d(
        &melspectrogram(&y, &params).unwrap(),
        &fixture_2d("noise.mel_power1_htk"),
        1e-5,
        "mel(noise, htk, power=1)",
    );
}

#[test]
fn mfcc_matches_librosa() {
    for name in SIGNALS {
        let y = fixture_1d(&format!("{name}.input"));
        let ours = mfcc(&y, &MfccParams::default()).unwrap();
        // MFCCs are dB-valued: compare absolutely, 0.01 dB-units like the dB outputs.
        let reference = fixture_2d(&format!("{name}.mfcc"));
        assert_eq!(ours.dim(), reference.dim());
        let worst = ours.iter().zip(&reference).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst < 0.01, "mfcc({name}): max abs error {worst}");
    }
}

#[test]
fn frame_features_match_librosa() {
    for name in SIGNALS {
        let y = fixture_1d(&format!("{name}.input"));
        check_frame_features(name, &y, SR);
    }
}

#[test]
fn mel_defaults_are_librosa_s() {
    let p = MelSpectrogramParams::default();
    assert_eq!((p.sr, p.stft.n_fft, p.stft.hop_length(), p.n_mels, p.power), (22050, 2048, 512, 128, 2.0));
    assert_eq!((p.fmin, p.fmax, p.htk, p.norm), (0.0, None, false, MelNorm::Slaney));
    assert_eq!(MfccParams::default().n_mfcc, 20);
    // And the spectrogram they describe has librosa's shape for one second at 22050 Hz.
    let d = stft(&vec![0.5f32; 22050], &p.stft).unwrap();
    assert_eq!(d.dim(), (1025, 44));
}
