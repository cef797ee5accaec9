//! Criterion benchmarks of the DSP kernels on 60 s of 48 kHz mono audio, and of the batch
//! path over many files. `cargo bench -p dl4mir-audio`. The side-by-side comparison with
//! librosa is `benches/compare_librosa.py` (see BENCHMARKS.md).

use criterion::{Criterion, criterion_group, criterion_main};
use dl4mir_audio::batch::melspectrogram_batch;
use dl4mir_audio::feature::{MelSpectrogramParams, MfccParams, melspectrogram, mfcc};
use dl4mir_audio::{StftParams, stft};
use std::hint::black_box;

const SR: u32 = 48_000;

/// A deterministic test signal: two tones and a little pseudo-random noise.
fn signal(seconds: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..seconds * SR as usize)
        .map(|n| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let t = n as f32 / SR as f32;
            0.5 * (2.0 * std::f32::consts::PI * 440.0 * t).sin()
                + 0.2 * (2.0 * std::f32::consts::PI * 3001.0 * t).sin()
                + 0.05 * (state as f32 / u32::MAX as f32 - 0.5)
        })
        .collect()
}

fn mel_params() -> MelSpectrogramParams {
    MelSpectrogramParams {
        sr: SR,
        stft: StftParams { n_fft: 2048, hop_length: Some(512), ..Default::default() },
        n_mels: 128,
        ..Default::default()
    }
}

fn kernels(c: &mut Criterion) {
    let y = signal(60, 1);
    let mut group = c.benchmark_group("60s_48kHz");
    group.sample_size(20);
    group.bench_function("stft", |b| b.iter(|| stft(black_box(&y), &mel_params().stft).unwrap()));
    group.bench_function("melspectrogram", |b| {
        b.iter(|| melspectrogram(black_box(&y), &mel_params()).unwrap())
    });
    group.bench_function("mfcc", |b| {
        let params = MfccParams { mel: mel_params(), n_mfcc: 20 };
        b.iter(|| mfcc(black_box(&y), &params).unwrap())
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    // 16 five-second clips, like a slice of EGFxSet.
    let clips: Vec<Vec<f32>> = (0..16).map(|i| signal(5, i + 1)).collect();
    let mut group = c.benchmark_group("batch_16x5s");
    group.sample_size(10);
    group.bench_function("sequential", |b| {
        b.iter(|| clips.iter().map(|y| melspectrogram(y, &mel_params()).unwrap()).collect::<Vec<_>>())
    });
    group.bench_function("rayon_all_cores", |b| {
        b.iter(|| melspectrogram_batch(black_box(&clips), &mel_params()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, kernels, batch);
criterion_main!(benches);
