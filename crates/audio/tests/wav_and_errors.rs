//! WAV reading and writing in every supported format, and one clear message for every
//! kind of bad input.

mod common;

use common::shared_sample;
use dl4mir_audio::*;
use std::path::{Path, PathBuf};

/// A scratch folder for one test, removed when the test ends (pass or fail).
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(test: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("dl4mir-audio-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

fn native(path: &Path) -> Result<(Vec<f32>, u32)> {
    load(path, &LoadParams { sr: None, ..Default::default() })
}

#[test]
fn every_format_round_trips_within_its_quantisation_step() {
    let dir = temp_dir("formats");
    let y: Vec<f32> = (0..1000).map(|n| 0.9 * (n as f32 * 0.031).sin()).collect();
    for (format, step) in
        [(WavFormat::Int16, 1.0 / 32768.0), (WavFormat::Int24, 1.0 / 8_388_608.0), (WavFormat::Float32, 0.0)]
    {
        let path = dir.join(format!("{format:?}.wav"));
        write_wav(&path, &y, 44_100, format).unwrap();
        let (back, sr) = native(&path).unwrap();
        assert_eq!((sr, back.len()), (44_100, y.len()));
        let worst = y.iter().zip(&back).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst <= step * 0.5 + 1e-9, "{format:?}: error {worst} above half a step {step}");
    }
}

#[test]
fn eight_and_thirty_two_bit_integer_files_are_scaled_to_plus_minus_one() {
    let dir = temp_dir("intbits");
    for bits in [8u16, 32] {
        let path = dir.join(format!("int{bits}.wav"));
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: bits,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        let full = 1i64 << (bits - 1);
        for v in [-full, -full / 2, 0, full / 2, full - 1] {
            if bits == 8 {
                w.write_sample(v as i8).unwrap();
            } else {
                w.write_sample(v as i32).unwrap();
            }
        }
        w.finalize().unwrap();
        let (y, _) = native(&path).unwrap();
        assert_eq!(&y[..4], &[-1.0, -0.5, 0.0, 0.5], "{bits}-bit");
        assert!(y[4] > 0.99 && y[4] <= 1.0); // (2^31 - 1) / 2^31 rounds to 1.0 in f32
    }
}

#[test]
fn stereo_is_averaged_to_mono() {
    let scratch = temp_dir("stereo");
    let path = scratch.join("stereo.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 22050,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for (l, r) in [(1.0f32, 0.0f32), (0.5, -0.5), (-0.25, -0.75)] {
        w.write_sample(l).unwrap();
        w.write_sample(r).unwrap();
    }
    w.finalize().unwrap();
    assert_eq!(native(&path).unwrap().0, vec![0.5, 0.0, -0.5]);
    let (channels, _) = load_channels(&path).unwrap();
    assert_eq!(channels, vec![vec![1.0, 0.5, -0.25], vec![0.0, -0.5, -0.75]]);
}

#[test]
fn a_missing_file_names_the_path() {
    let err = native(Path::new("/nonexistent/take-1.wav")).unwrap_err().to_string();
    assert!(err.starts_with("cannot access /nonexistent/take-1.wav: No such file"), "{err}");
}

#[test]
fn a_file_that_is_not_a_wav_says_so_and_how_to_convert() {
    let scratch = temp_dir("notwav");
    let path = scratch.join("song.wav");
    std::fs::write(&path, b"ID3\x04\x00\x00\x00\x00\x00\x00this is an mp3, honestly").unwrap();
    let err = native(&path).unwrap_err().to_string();
    assert!(err.contains("song.wav is not a WAV file (no RIFF tag found)"), "{err}");
    assert!(err.contains("ffmpeg -i input.mp3 output.wav"), "{err}");
}

#[test]
fn a_truncated_recording_is_reported_not_padded() {
    // A real EGFxSet file cut in the middle of its data chunk.
    let bytes = std::fs::read(shared_sample("Clean/Middle/6-22.wav")).unwrap();
    let scratch = temp_dir("truncated");
    let path = scratch.join("6-22.wav");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = native(&path).unwrap_err().to_string();
    assert!(err.contains("6-22.wav is truncated: its header announces 48000 frames"), "{err}");
    // Cut inside the header: not a usable WAV at all.
    std::fs::write(&path, &bytes[..30]).unwrap();
    let err = native(&path).unwrap_err().to_string();
    assert!(err.contains("is not a WAV file"), "{err}");
}

#[test]
fn an_unsupported_encoding_names_it_and_the_fix() {
    // A 64-bit float WAV: valid RIFF, but not an encoding we decode.
    let mut bytes = Vec::new();
    let data = [0u8; 16];
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&3u16.to_le_bytes()); // IEEE float
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&8000u32.to_le_bytes());
    bytes.extend_from_slice(&64000u32.to_le_bytes());
    bytes.extend_from_slice(&8u16.to_le_bytes());
    bytes.extend_from_slice(&64u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&data);
    let scratch = temp_dir("f64");
    let path = scratch.join("double.wav");
    std::fs::write(&path, bytes).unwrap();
    let err = native(&path).unwrap_err().to_string();
    assert!(err.contains("double.wav uses an unsupported sample format"), "{err}");
    assert!(err.contains("pcm_s24le"), "{err}");
}

#[test]
fn bad_parameters_get_one_line_naming_value_and_fix() {
    let y = vec![0.1f32; 1000];
    let message = |r: Result<ndarray::Array2<num_complex::Complex32>>| r.unwrap_err().to_string();
    assert_eq!(
        message(stft(&y, &StftParams { n_fft: 0, ..Default::default() })),
        "n_fft=0 must be a positive integer"
    );
    assert_eq!(
        message(stft(&y, &StftParams { hop_length: Some(0), ..Default::default() })),
        "hop_length=0 must be a positive integer"
    );
    assert_eq!(
        message(stft(&y, &StftParams { center: false, ..Default::default() })),
        "n_fft=2048 is larger than the signal (1000 samples) and center=false adds no padding; \
         use a smaller n_fft, a longer signal, or center=true"
    );
    assert_eq!(
        message(stft(&[], &StftParams::default())),
        "the input signal is empty (0 samples); check that the file or slice holds audio"
    );
    let mut with_nan = y.clone();
    with_nan[42] = f32::NAN;
    assert_eq!(
        message(stft(&with_nan, &StftParams::default())),
        "the input signal is not finite: sample 42 is NaN; remove NaN/inf values \
         (e.g. from a division by zero) before analysis"
    );
    let err = feature::melspectrogram(&[], &Default::default()).unwrap_err().to_string();
    assert!(err.starts_with("the input signal is empty"), "{err}");
    let magnitude_1024 = ndarray::Array2::<f32>::ones((513, 10));
    let err = griffin_lim(&magnitude_1024, &GriffinLimParams::default()).unwrap_err().to_string();
    assert_eq!(
        err,
        "the magnitude has 513 frequency rows but n_fft=2048 makes 1025; pass the n_fft the \
         spectrogram was made with (rows = 1 + n_fft / 2)"
    );
    let err = resample(&y, 0, 8000).unwrap_err().to_string();
    assert_eq!(err, "orig_sr=0 and target_sr=8000 must both be positive");
    let err = feature::mfcc(&y, &feature::MfccParams { n_mfcc: 200, ..Default::default() })
        .unwrap_err()
        .to_string();
    assert_eq!(err, "n_mfcc=200 must be at most n_mels=128");
    let err =
        load(shared_sample("Clean/Middle/6-22.wav"), &LoadParams { sr: None, offset: 5.0, duration: None })
            .unwrap_err()
            .to_string();
    assert!(err.starts_with("offset=5 s is outside") && err.contains("(1.000 s long)"), "{err}");
}

#[test]
fn an_interrupted_write_leaves_no_file_behind() {
    let dir = temp_dir("nowrite");
    let path = dir.join("out.wav");
    let err = write_wav(&path, &[0.0, f32::INFINITY], 8000, WavFormat::Int16).unwrap_err();
    assert!(err.to_string().contains("sample 1 is inf"), "{err}");
    assert!(!path.exists());
    let err = write_wav(dir.join("no/such/dir/out.wav"), &[0.0], 8000, WavFormat::Int16).unwrap_err();
    assert!(err.to_string().starts_with("cannot access"), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no partial file left");
}
