//! A small MLP trained end to end through dl4mir-train: the shape every lab follows.
//!
//! ```text
//! cargo run -p dl4mir-train --example mlp                 # about 20 s on a laptop
//! cargo run -p dl4mir-train --example mlp -- --quick      # a few seconds
//! cargo run --release -p dl4mir-train --example mlp --features vulkan -- --device vulkan
//! ```
//!
//! The data are three Gaussian blobs in 16 dimensions, made from the seed (no dataset
//! needed); the model is Linear(16, 32) -> ReLU -> Linear(32, 3), trained with Adam on
//! cross-entropy. It writes `config.json`, `metrics.json` and `loss.png`/`.svg` into `--out`,
//! and a checkpoint after every epoch that `--resume` continues from.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use clap::Parser;
use dl4mir_train::toy::gaussian_blobs;
use dl4mir_train::{
    Batcher, Checkpoint, CommonArgs, RunSize, RunSummary, Start, Stopwatch, device, progress, run_epoch,
    seed_everything,
};

// ANCHOR: model
/// Two linear layers with a ReLU between them.
#[derive(Module, Debug)]
pub struct Mlp {
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

/// The sizes of an [`Mlp`].
#[derive(Config, Debug)]
pub struct MlpConfig {
    pub n_inputs: usize,
    pub n_hidden: usize,
    pub n_classes: usize,
}

impl MlpConfig {
    pub fn init(&self, device: &Device) -> Mlp {
        Mlp {
            hidden: LinearConfig::new(self.n_inputs, self.n_hidden).init(device),
            activation: Relu::new(),
            output: LinearConfig::new(self.n_hidden, self.n_classes).init(device),
        }
    }
}

impl Mlp {
    /// # Shapes
    /// `x: [batch, n_inputs]` -> logits `[batch, n_classes]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let h = self.activation.forward(self.hidden.forward(x)); // [batch, n_hidden]
        self.output.forward(h) // [batch, n_classes]
    }
}
// ANCHOR_END: model

#[derive(Parser)]
#[command(about = "Train a small MLP on synthetic blobs (the template for every lab)")]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let args = cli.common;
    let stopwatch = Stopwatch::start();
    let device = device(args.device)?;
    let mut rng = seed_everything(&device, args.seed);

    let (n_train, default_epochs) = match args.size() {
        RunSize::Quick => (600, 3),
        RunSize::Default => (3000, 20),
        RunSize::Full => (30_000, 100),
    };
    let epochs = args.epochs.unwrap_or(default_epochs);
    let batch_size = args.batch_size.unwrap_or(32);
    let lr = args.lr.unwrap_or(1e-2);
    let (x_train, y_train) = gaussian_blobs(n_train, 16, 3, &mut rng);
    let (x_test, y_test) = gaussian_blobs(n_train / 5, 16, 3, &mut rng);
    let train = Batcher::new(x_train, 16, y_train, batch_size)?;
    let test = Batcher::new(x_test, 16, y_test.clone(), batch_size)?;

    let config = MlpConfig::new(16, 32, 3);
    let out = args.out_dir("mlp");
    std::fs::create_dir_all(&out)?;
    config.save(out.join("config.json"))?;

    // With --resume, continue after the last finished epoch, shuffling as before.
    let checkpoint = Checkpoint::in_dir(&out);
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } =
        checkpoint.resume_or_start(args.resume, config.init(&device), AdamConfig::new().init(), rng)?;
    if first_epoch > 1 {
        println!("resuming after epoch {}", first_epoch - 1);
    }
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let remaining = epochs.saturating_sub(first_epoch - 1);
    let bar = progress((remaining * train.batches_per_epoch()) as u64, "training".into());
    for epoch in first_epoch..=epochs {
        run_epoch(epoch, train.epoch(Some(&mut rng), &device), &bar, lr, &mut losses, |batch| {
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(lr, model.clone(), grads);
            value
        })?;
        checkpoint.save_epoch(epoch, &model, &optimizer, &losses, &rng)?;
    }
    bar.finish_and_clear();

    // Evaluation: predicted class = argmax of the logits.
    let predictions = test.predict_classes(&device, |inputs| model.forward(inputs));
    let accuracy = dl4mir_eval::classification::accuracy(&y_test, &predictions)?;

    let summary = RunSummary {
        lab: "mlp-example".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: "three Gaussian blobs in 16 dimensions".into(),
        hyperparameters: serde_json::json!({ "epochs": epochs, "batch_size": batch_size, "lr": lr, "n_train": n_train, "model": [16, 32, 3] }),
    };
    let mut metrics = serde_json::Map::new();
    metrics.insert("test_accuracy".into(), accuracy.into());
    let report = summary.finish(losses, metrics, epochs * train.len(), &stopwatch);
    let metrics_path = report.write(&out)?;

    let figure = dl4mir_plot::LinePlot::training_loss(&report.losses.steps, "cross-entropy");
    let (png, _) = dl4mir_plot::save(&figure, out.join("loss"))?;
    println!("{}", report.summary());
    println!("  wrote {}, {}", metrics_path.display(), png.display());
    Ok(())
}
