//! Time the joint model's training step as the default run takes it (batch 32, log-mels of
//! 32 x 32, captions of 21 tokens, Day 5's CNN 16-32-64 wide, a 2-layer text transformer of
//! width 64, a shared space of 32): both encoders forward, the symmetric cross-entropy,
//! backward, Adam, the clamp. `labs/day7-contrastive/twin.py` times the same step in
//! PyTorch; BENCHMARKS.md has both.
//!
//! `cargo run -p day7-contrastive --example contrastive_step [-- STEPS]`

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::Distribution;
use day7_contrastive::model::TowersConfig;
use day7_contrastive::text::{TextConfig, TokenBatch};
use std::time::Instant;

fn main() {
    let steps: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let device = Device::flex().autodiff();
    dl4mir_train::seed_everything(&device, 0);
    let (batch, mels, frames, vocabulary, context) = (32, 32, 32, 200, 21);
    let text =
        TextConfig { vocabulary, context, width: 64, heads: 4, layers: 2, dropout: 0.1 };
    let config =
        TowersConfig { cnn_widths: [1, 16, 32, 64], audio_width: 64, text, shared: 32 };
    let mut model = config.init(&device);
    let log_mels =
        Tensor::<3>::random([batch, mels, frames], Distribution::Uniform(-1.0, 1.0), &device);
    // Captions of 8 to 19 words: start, words, end, padding.
    let encoded: Vec<(Vec<usize>, usize)> = (0..batch)
        .map(|i| {
            let words = 8 + i % 12;
            let mut ids = vec![2];
            ids.extend((0..words).map(|j| 4 + (i * 7 + j * 13) % (vocabulary - 4)));
            ids.push(3);
            ids.resize(context, 0);
            (ids, words + 1)
        })
        .collect();
    let tokens = TokenBatch::new(&encoded, &device);
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let mut times = Vec::new();
    for step in 0..steps + 2 {
        let started = Instant::now();
        let loss = model.loss(log_mels.clone(), &tokens);
        let _ = loss.clone().into_scalar::<f32>();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(1e-3, model.clone(), grads).clamp_logit_scale();
        if step >= 2 {
            times.push(started.elapsed().as_secs_f64() * 1000.0); // the first two warm up
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "burn (flex, {} threads): contrastive step, batch {batch}: median {:.1} ms over {steps} steps",
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into()),
        times[times.len() / 2]
    );
}
