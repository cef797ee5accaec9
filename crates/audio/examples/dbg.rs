use dl4mir_audio::feature::*;
use dl4mir_audio::*;
fn npy(p: &str) -> Vec<f32> {
    let f = std::fs::File::open(p).unwrap();
    npyz::NpyFile::new(std::io::BufReader::new(f)).unwrap().into_vec().unwrap()
}
fn main() {
    let d = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let y = npy(&format!("{d}chirp.input.npy"));
    let ours = spectral_bandwidth(&y, &SpectralParams::default(), 2.0).unwrap();
    let r = npy(&format!("{d}chirp.bandwidth.npy"));
    for (i, (a, b)) in ours.iter().zip(&r).enumerate() { if (a-b).abs() > 1e-3 * b { println!("{i} {a} {b}"); } }
    let c = spectral_centroid(&y, &SpectralParams::default()).unwrap();
    let rc = npy(&format!("{d}chirp.centroid.npy"));
    println!("centroid 0: {} {} ; 43: {} {}", c[0], rc[0], c[43], rc[43]);
}
