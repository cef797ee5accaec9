//! Time stft, melspectrogram and mfcc on a WAV file, single-threaded, and the batch path
//! over copies of it with 1..=N threads. Prints JSON; `benches/compare_librosa.py` runs it
//! beside librosa on the same file and prints the ratios.
//!
//! ```text
//! cargo run --release -p dl4mir-audio --example timing -- input.wav [repeats]
//! ```

use dl4mir_audio::batch::melspectrogram_batch;
use dl4mir_audio::feature::{MelSpectrogramParams, MfccParams, melspectrogram, mfcc};
use dl4mir_audio::{LoadParams, StftParams, load, stft};
use std::time::Instant;

/// Median wall time (ms) of `repeats` runs of `f`, after one warm-up run.
fn median_ms(repeats: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: timing INPUT.wav [repeats]");
    let repeats: usize = args.next().map_or(15, |r| r.parse().expect("repeats is a number"));
    let (y, sr) =
        load(&path, &LoadParams { sr: None, ..Default::default() }).unwrap_or_else(|e| panic!("{e}"));
    let mel = MelSpectrogramParams {
        sr,
        stft: StftParams { n_fft: 2048, hop_length: Some(512), ..Default::default() },
        n_mels: 128,
        ..Default::default()
    };
    let mfcc_params = MfccParams { mel: mel.clone(), n_mfcc: 20 };

    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let (t_stft, t_mel, t_mfcc) = one_thread.install(|| {
        (
            median_ms(repeats, || drop(stft(&y, &mel.stft).unwrap())),
            median_ms(repeats, || drop(melspectrogram(&y, &mel).unwrap())),
            median_ms(repeats, || drop(mfcc(&y, &mfcc_params).unwrap())),
        )
    });

    // The batch path: 5 s clips cut from the file, mel spectrogram of each, on k threads.
    let clip = 5 * sr as usize;
    let clips: Vec<Vec<f32>> = (0..32).map(|i| y[(i * clip) % (y.len() - clip)..][..clip].to_vec()).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let batch: Vec<String> = (1..=cores)
        .map(|k| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(k).build().unwrap();
            let ms = pool.install(|| median_ms(5, || drop(melspectrogram_batch(&clips, &mel).unwrap())));
            format!("{{\"threads\": {k}, \"clips\": {}, \"ms\": {ms:.3}}}", clips.len())
        })
        .collect();
    println!(
        "{{\"seconds\": {:.1}, \"sr\": {sr}, \"stft_ms\": {t_stft:.3}, \"melspectrogram_ms\": {t_mel:.3}, \"mfcc_ms\": {t_mfcc:.3}, \"batch\": [{}]}}",
        y.len() as f64 / sr as f64,
        batch.join(", ")
    );
}
