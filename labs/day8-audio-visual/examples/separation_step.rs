//! Time the mix-and-separate training step as the default run takes it (batch 8 mixtures
//! of two sources, log-magnitudes of 32 x 32 on the warped grid, frames of 64 x 64, K = 8,
//! a U-Net of four levels from 8 channels, the image CNN from 8): the U-Net once per
//! mixture, the image CNN once per scene, the synthesizer, the weighted binary
//! cross-entropy, backward, Adam. `labs/day8-audio-visual/twin.py` times the same step in
//! PyTorch; BENCHMARKS.md has both.
//!
//! `cargo run -p day8-audio-visual --example separation_step [-- STEPS [BATCH [WIDTH]]]`

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::Distribution;
use day8_audio_visual::model::ModelConfig;
use day8_audio_visual::spectra::{FRAMES, MaskKind, WARPED};
use day8_audio_visual::sprites::SIZE;
use day8_audio_visual::training::{Batch, N_MIX, loss, mask_logits};
use std::time::Instant;

fn main() {
    let steps: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let device = Device::flex().autodiff();
    dl4mir_train::seed_everything(&device, 0);
    let batch_size: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(8);
    let w: usize = std::env::args().nth(3).and_then(|s| s.parse().ok()).unwrap_or(8);
    let config = ModelConfig { channels: w, unet_width: w, levels: 4, frame_width: w };
    let mut model = config.init(&device);
    let uniform = |shape: [usize; 3], lo, hi| {
        Tensor::<3>::random(shape, Distribution::Uniform(lo, hi), &device)
    };
    let batch = Batch {
        log_mix: uniform([batch_size, WARPED, FRAMES], -8.0, 4.0).unsqueeze_dim(1),
        frames: Tensor::random(
            [N_MIX * batch_size, 3, SIZE, SIZE],
            Distribution::Default,
            &device,
        ),
        targets: uniform([N_MIX * batch_size, WARPED, FRAMES], 0.0, 1.0)
            .greater_elem(0.5)
            .float(),
        weights: uniform([N_MIX * batch_size, WARPED, FRAMES], 0.001, 4.0),
    };
    let mut optimizer = AdamConfig::new().init();
    let mut times = Vec::new();
    for step in 0..steps + 2 {
        let started = Instant::now();
        let logits = mask_logits(&model, batch.log_mix.clone(), batch.frames.clone());
        let value = loss(logits, &batch, MaskKind::Binary);
        let _ = value.clone().into_scalar::<f32>();
        let grads = GradientsParams::from_grads(value.backward(), &model);
        model = optimizer.step(1e-3, model.clone(), grads);
        if step >= 2 {
            times.push(started.elapsed().as_secs_f64() * 1000.0); // the first two warm up
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "burn (flex, {} threads): separation step, batch {batch_size}: median {:.1} ms over {steps} steps",
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into()),
        times[times.len() / 2]
    );
}
