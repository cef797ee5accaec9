//! Time training steps of the VAE at the notebook's size (or the default run's), for the
//! speed comparison with `labs/day4-vae/twin.py` (the same model in PyTorch):
//!
//! ```text
//! cargo run --release -p day4-vae --example day4_epoch -- --setting full --steps 5
//! cargo run --release -p day4-vae --example day4_epoch --features vulkan -- --device vulkan --steps 50
//! ```
//!
//! A `--full` epoch is 1,869 steps (7,475 training notes in batches of 4), hours on a CPU:
//! this times `--steps` steps after `--warmup` untimed ones, on random spectrograms of the
//! right shape, and prints the time per step and the epoch it implies, as one JSON line.

use burn::optim::GradientsParams;
use burn::prelude::*;
use clap::Parser;
use day4_vae::features::Spectrogram;
use day4_vae::loss::vae_loss;
use day4_vae::model::VaeConfig;
use day4_vae::training::adam;
use dl4mir_train::DeviceChoice;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    device: DeviceChoice,
    /// `full` (235,980 inputs, batch 4) or `default` (8,127 inputs, batch 16).
    #[arg(long, default_value = "full")]
    setting: String,
    #[arg(long, default_value_t = 5)]
    steps: usize,
    #[arg(long, default_value_t = 2)]
    warmup: usize,
    /// Chunks of the first layer (1 = a plain matrix product).
    #[arg(long, default_value_t = 180)]
    split_k: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    dl4mir_train::keep_freed_memory(); // as the lab's main does
    let (spec, batch, train_notes) = match args.setting.as_str() {
        "full" => (Spectrogram::FULL, 4, 7_475usize),
        "default" => (Spectrogram::DEFAULT, 16, 338),
        other => anyhow::bail!("--setting {other}: use full or default"),
    };
    let device = dl4mir_train::device(args.device)?;
    dl4mir_train::seed_everything(&device, 42);
    let width = spec.width();
    let config = VaeConfig::new(width).with_split_k(args.split_k);
    let mut model = config.init(&device);
    let mut optimizer = adam().init();
    // Four different batches of values in [0, 1), as a normalised magnitude is.
    let batches: Vec<Tensor<2>> = (0..4)
        .map(|k| {
            let values: Vec<f32> =
                (0..batch * width).map(|i| ((i * 7919 + k * 104_729) % 10_007) as f32 / 10_007.0).collect();
            Tensor::from_data(TensorData::new(values, [batch, width]), &device)
        })
        .collect();
    let mut step = |i: usize| {
        let x = batches[i % batches.len()].clone();
        let loss = vae_loss(&model.forward(x.clone()), x, 1.0).total;
        let value = loss.clone().into_scalar::<f32>(); // waits for the device, as training does
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(1e-3, model.clone(), grads);
        value
    };
    let started = Instant::now();
    for i in 0..args.warmup {
        step(i);
    }
    let warmup_s = started.elapsed().as_secs_f64();
    let timed = Instant::now();
    let mut last = 0.0;
    for i in 0..args.steps {
        last = step(i);
    }
    // Each step's loss read waits for the step before's update (its input), so only the
    // last update can still be queued on a GPU: at most one update in `steps` uncounted.
    let ms_per_step = 1e3 * timed.elapsed().as_secs_f64() / args.steps as f64;
    let steps_per_epoch = train_notes.div_ceil(batch);
    println!(
        "{}",
        serde_json::json!({
            "model": "vae", "framework": "burn", "device": args.device.name(), "setting": args.setting,
            "inputs": width, "batch": batch, "split_k": dl4mir_train::split_k::nearest_divisor(width, args.split_k),
            "threads": std::env::var("RAYON_NUM_THREADS").ok(), "warmup_s": warmup_s,
            "ms_per_step": ms_per_step, "steps_per_epoch": steps_per_epoch,
            "epoch_s": ms_per_step * steps_per_epoch as f64 / 1e3, "last_loss": last,
        })
    );
    Ok(())
}
