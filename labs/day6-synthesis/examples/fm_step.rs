//! Time DDX7's training step as the default run takes it (batch 8, 8,192 samples at 16 kHz,
//! the TCN 32 wide): forward through the TCN, the six-operator FM synth and the reverb, the
//! multi-resolution loss, backward, Adam. `labs/day6-synthesis/twin.py` times the same step
//! in PyTorch; BENCHMARKS.md has both.
//!
//! `cargo run --release -p day6-synthesis --example fm_step [-- STEPS]`

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::{Distribution, TensorData};
use day6_synthesis::batch::NoteBatch;
use day6_synthesis::ddx7::{Ddx7, RATIOS};
use day6_synthesis::tcn::TcnConfig;
use dl4mir_ddsp::loss::MultiResolution;
use std::time::Instant;

fn main() {
    let steps: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let device = Device::flex().autodiff();
    dl4mir_train::seed_everything(&device, 0);
    let (batch, frames, hop) = (8, 128, 64);
    let samples = frames * hop;
    let f0 = vec![220.0; frames];
    let phases: Vec<f32> = (0..batch)
        .flat_map(|_| dl4mir_ddsp::control::phases(&f0, hop, 16_000.0, &RATIOS))
        .collect();
    let normal = Distribution::Normal(0.0, 0.3);
    let input = NoteBatch {
        controls: Tensor::random([batch, 2, frames], Distribution::Uniform(0.0, 1.0), &device),
        phase: Tensor::zeros([batch, samples], &device),
        f0_hz: vec![220.0; batch * frames],
        target: Tensor::random([batch, samples], normal, &device),
        fm_phases: Some(Tensor::from_data(
            TensorData::new(phases, [batch, samples, 6]),
            &device,
        )),
    };
    let tcn =
        TcnConfig { inputs: 2, width: 32, outputs: 6, blocks: 5, kernel: 3, dropout: 0.0 };
    let mut model = Ddx7::new(tcn, samples, &device);
    let mut optimizer = AdamConfig::new().init();
    let loss = MultiResolution::ddx7();
    let mut times = Vec::new();
    for step in 0..steps + 2 {
        let started = Instant::now();
        let value = loss.loss(model.forward(&input), input.target.clone());
        let grads = GradientsParams::from_grads(value.backward(), &model);
        model = optimizer.step(1e-3, model.clone(), grads);
        if step >= 2 {
            times.push(started.elapsed().as_secs_f64() * 1000.0); // the first two warm up
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "burn (flex, {} threads): DDX7 step, batch {batch} x {samples} samples: median {:.1} ms over {steps} steps",
        rayon_threads(),
        times[times.len() / 2]
    );
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
