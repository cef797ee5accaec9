//! One seed, the same numbers: two CPU runs of a few training steps agree exactly.
//!
//! Alone in its test binary on purpose: burn's generator is shared by the whole process,
//! so another test seeding or drawing from it on a parallel thread would interleave.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams};
use dl4mir_train::{Batcher, DeviceChoice, LossLog, device, progress, run_epoch, seed_everything};

/// Train a linear classifier for two epochs on seeded data; return every step's loss.
fn train(seed: u64) -> Vec<f32> {
    let device = device(DeviceChoice::Cpu).unwrap();
    let mut rng = seed_everything(&device, seed);
    let features: Vec<f32> = (0..400 * 8).map(|i| ((i * 7919 % 113) as f32 / 56.0) - 1.0).collect();
    let labels: Vec<usize> = (0..400).map(|i| (i * 31 % 97) % 4).collect();
    let batcher = Batcher::new(features, 8, labels, 32).unwrap();
    let mut model: Linear = LinearConfig::new(8, 4).init(&device);
    let mut optimizer = AdamConfig::new().init();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut log = LossLog::default();
    let bar = progress(100, String::new());
    for epoch in 1..=2 {
        run_epoch(epoch, batcher.epoch(Some(&mut rng), &device), &bar, 1e-2, &mut log, |batch| {
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(1e-2, model.clone(), grads);
            value
        })
        .unwrap();
    }
    log.steps
}

#[test]
fn the_same_seed_gives_the_same_losses() {
    let a = train(7);
    assert_eq!(a.len(), 2 * 13);
    assert_eq!(a, train(7), "two runs with seed 7");
    assert_ne!(a, train(8), "another seed, another initialisation and order");
}
