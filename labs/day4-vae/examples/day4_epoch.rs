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
use day4_vae::loss::{Weights, vae_loss};
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
    /// Also time the parts of a step: forward, backward, Adam, the widest layers alone.
    #[arg(long)]
    profile: bool,
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
    // Four different batches of values in [0, 0.05): a spectrogram scaled to peak 1 is
    // mostly far below its peak (and larger values make the summed loss diverge).
    let batches: Vec<Tensor<2>> = (0..4)
        .map(|k| {
            let values: Vec<f32> = (0..batch * width)
                .map(|i| ((i * 7919 + k * 104_729) % 10_007) as f32 / 200_140.0)
                .collect();
            Tensor::from_data(TensorData::new(values, [batch, width]), &device)
        })
        .collect();
    let mut step = |i: usize| {
        let x = batches[i % batches.len()].clone();
        let loss = vae_loss(&model.forward(x.clone()), x, Weights::NOTEBOOK).total;
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
    if args.profile {
        profile(&device, &batches[0], width, args.split_k);
    }
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

/// Median milliseconds of `f` over 10 runs after 2 warm-ups; `f` returns a scalar read back
/// from the device, so the work is finished when the clock stops.
fn median_ms(mut f: impl FnMut() -> f32) -> f64 {
    for _ in 0..2 {
        f();
    }
    let mut times: Vec<f64> = (0..10)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[5]
}

/// Where a step's time goes: the whole model's forward and backward, then the two widest
/// layers alone (235,980 x 512 each way, plain and split), then Adam's update of one.
fn profile(device: &Device, x: &Tensor<2>, width: usize, split_k: usize) {
    use burn::nn::LinearConfig;
    use dl4mir_train::SplitKLinear;
    let model = VaeConfig::new(width).with_split_k(split_k).init(device);
    let x_grad = x.clone().require_grad();
    let forward = median_ms(|| {
        vae_loss(&model.forward(x.clone()), x.clone(), Weights::NOTEBOOK)
            .total
            .into_scalar::<f32>()
    });
    let forward_backward = median_ms(|| {
        let grads = vae_loss(&model.forward(x_grad.clone()), x.clone(), Weights::NOTEBOOK)
            .total
            .backward();
        x_grad.grad(&grads).expect("x takes part").sum().into_scalar::<f32>()
    });
    let first_layer = |chunks: usize| {
        let layer =
            SplitKLinear::from_linear(LinearConfig::new(width, 512).init(device), chunks);
        median_ms(|| {
            let grads = layer.forward(x_grad.clone()).sum().backward();
            x_grad.grad(&grads).expect("x takes part").sum().into_scalar::<f32>()
        })
    };
    let h =
        Tensor::<2>::random([x.dims()[0], 512], burn::tensor::Distribution::Default, device)
            .require_grad();
    let last_layer = |chunks: usize| {
        let last = dl4mir_train::SplitNLinear::from_linear(
            LinearConfig::new(512, width).init(device),
            chunks,
        );
        median_ms(|| {
            let y = burn::tensor::activation::relu(last.forward(h.clone()));
            let grads = (y - x.clone()).powi_scalar(2).sum().backward();
            h.grad(&grads).expect("h takes part").sum().into_scalar::<f32>()
        })
    };
    let mut layer = LinearConfig::new(512, width).init(device);
    let mut optimizer = adam().init();
    let with_update = median_ms(|| {
        let grads =
            GradientsParams::from_grads(layer.forward(h.clone()).sum().backward(), &layer);
        layer = optimizer.step(1e-3, layer.clone(), grads);
        layer.bias.as_ref().expect("a bias").val().sum().into_scalar::<f32>()
    });
    let without_update = median_ms(|| {
        let grads = layer.forward(h.clone()).sum().backward();
        h.grad(&grads).expect("h takes part").sum().into_scalar::<f32>()
    });
    println!(
        "{}",
        serde_json::json!({
            "profile_ms": {
                "forward_and_loss": forward, "forward_and_backward": forward_backward,
                "first_layer_fwd_bwd_plain": first_layer(1), "first_layer_fwd_bwd_split_k": first_layer(split_k),
                "last_layer_fwd_bwd_plain": last_layer(1), "last_layer_fwd_bwd_split": last_layer(split_k), "adam_update_of_one_wide_layer": with_update - without_update,
            }
        })
    );
}
