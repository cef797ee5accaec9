//! Helpers shared by the librosa parity tests: fixtures, the real samples, tolerances.
#![allow(dead_code)] // each test file uses a different subset

use ndarray::{Array2, ArrayD, IxDyn};
use num_complex::Complex32;
use std::path::PathBuf;

/// Sample rate of the synthetic fixtures.
pub const SR: u32 = 22050;

/// The three real EGFxSet recordings committed in the repository, by fixture name.
pub const REAL: [(&str, &str); 3] = [
    ("clean_middle_6_22", "Clean/Middle/6-22.wav"),
    ("tapeecho_bridge_2_0", "TapeEcho/Bridge/2-0.wav"),
    ("tapeecho_bridge_middle_1_0", "TapeEcho/Bridge-Middle/1-0.wav"),
];

/// Path of a real recording in the sample shared with `dl4mir-datasets`, which commits it as
/// a test fixture (`datasets/tests/fixtures/egfxset-sample`, with its attribution).
pub fn shared_sample(relative: &str) -> PathBuf {
    // A relative path, not a dependency: dl4mir-audio does not depend on dl4mir-datasets.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets/tests/fixtures/egfxset-sample");
    let path = root.join(relative);
    assert!(path.exists(), "{} is missing from the repository's test fixtures", path.display());
    path
}

/// A librosa reference array written by `tests/fixtures/make_fixtures.py`.
pub fn fixture(name: &str) -> ArrayD<f32> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.npy"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let npy = npyz::NpyFile::new(std::io::BufReader::new(file)).expect("valid .npy");
    assert_eq!(npy.order(), npyz::Order::C, "{}: save fixtures C-contiguous", path.display());
    let shape: Vec<usize> = npy.shape().iter().map(|&d| d as usize).collect();
    ArrayD::from_shape_vec(IxDyn(&shape), npy.into_vec::<f32>().expect("float32 data"))
        .expect("shape matches")
}

/// A fixture known to be 1-D.
pub fn fixture_1d(name: &str) -> Vec<f32> {
    fixture(name).into_iter().collect()
}

/// A fixture known to be 2-D.
pub fn fixture_2d(name: &str) -> Array2<f32> {
    fixture(name).into_dimensionality().expect("2-D fixture")
}

/// A complex fixture stored as `[real, imag]`.
pub fn fixture_complex(name: &str) -> Array2<Complex32> {
    let parts = fixture(name);
    let (re, im) = (parts.index_axis(ndarray::Axis(0), 0), parts.index_axis(ndarray::Axis(0), 1));
    let mut out = Array2::zeros((re.shape()[0], re.shape()[1]));
    for ((o, &r), &i) in out.iter_mut().zip(re.iter()).zip(im.iter()) {
        *o = Complex32::new(r, i);
    }
    out
}

/// `max |ours - reference| / max |reference|`, after checking the shapes agree exactly.
pub fn relative_max_error(ours: &[f32], reference: &[f32], what: &str) -> f32 {
    assert_eq!(ours.len(), reference.len(), "{what}: length {} vs librosa's {}", ours.len(), reference.len());
    let peak = reference.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let worst = ours.iter().zip(reference).fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
    if peak == 0.0 { worst } else { worst / peak }
}

/// Assert the relative max error is within `tolerance` (the bar is 1e-4).
pub fn assert_close(ours: &[f32], reference: &[f32], tolerance: f32, what: &str) {
    let err = relative_max_error(ours, reference, what);
    assert!(err <= tolerance, "{what}: relative max error {err:e} > {tolerance:e}");
}

/// Same for 2-D arrays, shapes compared exactly.
pub fn assert_close_2d(ours: &Array2<f32>, reference: &Array2<f32>, tolerance: f32, what: &str) {
    assert_eq!(ours.dim(), reference.dim(), "{what}: shape");
    assert_close(
        &ours.iter().copied().collect::<Vec<_>>(),
        &reference.iter().copied().collect::<Vec<_>>(),
        tolerance,
        what,
    );
}

/// dB outputs: every value more than 1 dB above the array's floor within `tolerance_db`.
pub fn assert_db_close(ours: &Array2<f32>, reference: &Array2<f32>, tolerance_db: f32, what: &str) {
    assert_eq!(ours.dim(), reference.dim(), "{what}: shape");
    let floor = reference.iter().copied().fold(f32::INFINITY, f32::min);
    let mut worst = 0.0f32;
    for (a, b) in ours.iter().zip(reference) {
        if *b > floor + 1.0 {
            worst = worst.max((a - b).abs());
        }
    }
    assert!(worst <= tolerance_db, "{what}: max error {worst} dB > {tolerance_db} dB");
}

/// Unit impulses on every beat, exactly as `make_fixtures.py` builds them.
pub fn clicks(bpm: f64, sr: u32, seconds: f64) -> Vec<f32> {
    let mut y = vec![0.0f32; (sr as f64 * seconds) as usize];
    let period = 60.0 * sr as f64 / bpm;
    let mut k = 0.0;
    while (k * period).round() < y.len() as f64 {
        y[(k * period).round() as usize] = 1.0;
        k += 1.0;
    }
    y
}

/// A number from `tests/fixtures/scalars.json`, by dotted path (`tempo.120bpm_22050hz_10s`).
pub fn scalar(path: &str) -> f64 {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scalars.json");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut node = &json;
    for key in path.split('.') {
        node = node.get(key).unwrap_or_else(|| panic!("scalars.json has no {path}"));
    }
    node.as_f64().unwrap_or_else(|| panic!("{path} is not a number"))
}

/// rms, zcr, centroid, bandwidth, roll-off and flatness of `y` against their fixtures.
pub fn check_frame_features(name: &str, y: &[f32], sr: u32) {
    use dl4mir_audio::feature::*;
    let spectral = SpectralParams { sr, stft: dl4mir_audio::StftParams::default() };
    let frames = FrameParams::default();
    let cases: [(&str, Vec<f32>, f32); 6] = [
        ("rms", rms(y, &frames).unwrap(), 1e-5),
        ("zcr", zero_crossing_rate(y, &frames).unwrap(), 1e-6),
        ("centroid", spectral_centroid(y, &spectral).unwrap(), 1e-5),
        ("bandwidth", spectral_bandwidth(y, &spectral, 2.0).unwrap(), 1e-5),
        ("rolloff", spectral_rolloff(y, &spectral, 0.85).unwrap(), 1e-6),
        ("flatness", spectral_flatness(y, &spectral, 1e-10).unwrap(), 1e-4),
    ];
    for (feature, ours, tolerance) in cases {
        assert_close(
            &ours,
            &fixture_1d(&format!("{name}.{feature}")),
            tolerance,
            &format!("{feature}({name})"),
        );
    }
}
