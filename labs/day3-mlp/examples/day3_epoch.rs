//! Time one training epoch of the notebook's MLP at `--full` size, for the speed
//! comparison with `labs/day3-mlp/twin.py` (the same network in PyTorch):
//!
//! ```text
//! cargo run --release -p day3-mlp --example day3_epoch
//! cargo run --release -p day3-mlp --example day3_epoch --features vulkan -- --device vulkan
//! ```
//!
//! A `--full` epoch is 98 steps: 3,105 training notes (4,140 modulation and reverb notes,
//! less string 5 and a tenth for validation) in batches of 32. The notes here are random
//! inputs of the right shape; the lab's own `--full --epochs 1` run times real ones.
//! Prints one JSON line: the median epoch time over `--epochs` epochs after one warm-up.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::GradientsParams;
use clap::Parser;
use day3_mlp::model::MlpConfig;
use day3_mlp::training::adam;
use dl4mir_train::{Batcher, DeviceChoice};
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    device: DeviceChoice,
    #[arg(long, default_value_t = 5)]
    epochs: usize,
}

const TRAIN_NOTES: usize = 3_105;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    dl4mir_train::keep_freed_memory(); // as the lab's main does
    let device = dl4mir_train::device(args.device)?;
    let mut rng = dl4mir_train::seed_everything(&device, 42);
    let width = day3_mlp::features::width();
    let features: Vec<f32> = (0..TRAIN_NOTES * width)
        .map(|i| ((i * 7919) % 10_007) as f32 / 5_003.5 - 1.0)
        .collect();
    let labels: Vec<usize> = (0..TRAIN_NOTES).map(|i| i % 2).collect();
    let train = Batcher::new(features, width, labels, 32)?;
    let mut model = MlpConfig::new(width, vec![64], 2).init(&device);
    let mut optimizer = adam().init();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut epoch_seconds = Vec::new();
    for _ in 0..=args.epochs {
        let started = Instant::now();
        for batch in train.epoch(Some(&mut rng), &device) {
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let _ = loss.clone().into_scalar::<f32>(); // the training loop reads every loss
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(0.01, model.clone(), grads);
        }
        epoch_seconds.push(started.elapsed().as_secs_f64());
    }
    let warmup_s = epoch_seconds.remove(0);
    epoch_seconds.sort_by(f64::total_cmp);
    let epoch_s = epoch_seconds[epoch_seconds.len() / 2];
    let steps = train.batches_per_epoch();
    println!(
        "{}",
        serde_json::json!({
            "model": "mlp", "framework": "burn", "device": args.device.name(), "inputs": width, "batch": 32,
            "threads": std::env::var("RAYON_NUM_THREADS").ok(), "first_epoch_s": warmup_s,
            "epoch_s": epoch_s, "steps_per_epoch": steps, "ms_per_step": 1e3 * epoch_s / steps as f64,
        })
    );
    Ok(())
}
