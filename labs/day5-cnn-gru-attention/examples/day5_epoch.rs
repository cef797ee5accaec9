//! Time one training epoch of each Day 5 model at `--full` size, for the speed comparison
//! with `labs/day5-cnn-gru-attention/twin.py` (the same three models in PyTorch):
//!
//! ```text
//! cargo run --release -p day5-cnn-gru-attention --example day5_epoch
//! cargo run --release -p day5-cnn-gru-attention --example day5_epoch --features vulkan -- --device vulkan
//! ```
//!
//! A `--full` epoch is 211 steps: about 6,727 training notes (EGFxSet's 8,970, less string
//! 5 and a tenth for validation) in batches of 32, each a 64 x 87 log-mel spectrogram.
//! The notes here are random inputs of that shape. Prints one JSON line per model: the
//! median epoch time over `--epochs` epochs after one warm-up epoch.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::Device;
use clap::Parser;
use day5_cnn_gru_attention::compare::Architecture;
use day5_cnn_gru_attention::training::Classifier;
use day5_cnn_gru_attention::{cnn, features, gru, transformer};
use dl4mir_train::{Batcher, DeviceChoice};
use std::time::Instant;

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    device: DeviceChoice,
    /// One model, or all three when left out.
    #[arg(long, value_enum)]
    model: Option<Architecture>,
    /// Timed epochs, after one warm-up epoch.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    epochs: u64,
    /// Fewer notes than a `--full` epoch, for a quick look.
    #[arg(long, default_value_t = TRAIN_NOTES)]
    notes: usize,
    /// Also split each step into forward, backward and optimiser (median of 20 steps).
    #[arg(long)]
    profile: bool,
}

const TRAIN_NOTES: usize = 6_727;
const CLASSES: usize = 13;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    dl4mir_train::keep_freed_memory(); // as the lab's main does
    let device = dl4mir_train::device(args.device)?;
    let width = features::width();
    let inputs: Vec<f32> = (0..args.notes * width)
        .map(|i| ((i * 7919) % 10_007) as f32 / 5_003.5 - 1.0)
        .collect();
    let labels: Vec<usize> = (0..args.notes).map(|i| i % CLASSES).collect();
    let train = Batcher::new(inputs, width, labels, 32)?;
    let mels = features::N_MELS;
    for architecture in args.model.map_or(Architecture::ALL.to_vec(), |m| vec![m]) {
        let lr = architecture.default_lr();
        let (first, epoch) = match architecture {
            Architecture::Cnn => {
                time_epochs(cnn::Cnn::new(CLASSES, &device), &train, lr, &args, &device)
            }
            Architecture::Gru => time_epochs(
                gru::GruClassifier::new(mels, 64, CLASSES, &device),
                &train,
                lr,
                &args,
                &device,
            ),
            Architecture::Attention => {
                let model =
                    transformer::AttentionClassifier::new(mels, 64, 4, 2, CLASSES, &device);
                time_epochs(model, &train, lr, &args, &device)
            }
        };
        let steps = train.batches_per_epoch();
        println!(
            "{}",
            serde_json::json!({
                "model": architecture.name(), "framework": "burn", "device": args.device.name(), "batch": 32,
                "threads": std::env::var("RAYON_NUM_THREADS").ok(), "first_epoch_s": first,
                "epoch_s": epoch, "steps_per_epoch": steps, "ms_per_step": 1e3 * epoch / steps as f64,
            })
        );
    }
    Ok(())
}

/// The warm-up epoch's time and the median of the next `args.epochs`.
fn time_epochs<M: Classifier>(
    mut model: M,
    train: &Batcher,
    lr: f64,
    args: &Args,
    device: &Device,
) -> (f64, f64) {
    let mut rng = dl4mir_train::seed_everything(device, 42);
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    if args.profile {
        profile(model.clone(), train, lr, device);
    }
    let mut seconds = Vec::new();
    for _ in 0..=args.epochs {
        let started = Instant::now();
        for batch in train.epoch(Some(&mut rng), device) {
            let loss = loss_fn.forward(model.classify(batch.inputs), batch.targets);
            let _ = loss.clone().into_scalar::<f32>(); // the training loop reads every loss
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(lr, model.clone(), grads);
        }
        seconds.push(started.elapsed().as_secs_f64());
    }
    let first = seconds.remove(0);
    seconds.sort_by(f64::total_cmp);
    (first, seconds[seconds.len() / 2])
}

/// Where one step's time goes: forward (with the loss read back), backward, Adam (ms,
/// median of 20 steps after 3 warm-up steps; the CPU backend runs each op as it is called).
fn profile<M: Classifier>(mut model: M, train: &Batcher, lr: f64, device: &Device) {
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut times: [Vec<f64>; 3] = Default::default();
    for (i, batch) in train.epoch(None, device).take(23).enumerate() {
        let t0 = Instant::now();
        let loss = loss_fn.forward(model.classify(batch.inputs), batch.targets);
        let _ = loss.clone().into_scalar::<f32>();
        let t1 = Instant::now();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let t2 = Instant::now();
        model = optimizer.step(lr, model.clone(), grads);
        let t3 = Instant::now();
        if i >= 3 {
            for (list, d) in times.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2]) {
                list.push(1e3 * d.as_secs_f64());
            }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [f, b, o] = &mut times;
    eprintln!(
        "profile (ms): forward {:.1}, backward {:.1}, adam {:.1}",
        median(f),
        median(b),
        median(o)
    );
}
