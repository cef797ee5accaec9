//! # day2-regression: Regression, classification, evaluation
//!
//! The lesson of Day 2, in the order the chapter tells it: the data, the model, the
//! training loop, the results. This scaffold trains a small MLP on toy data so that it runs
//! from the first minute; replace each part with the lab's own, keeping the anchors the
//! chapter includes (`// ANCHOR: name` ... `// ANCHOR_END: name`).

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::{
    Batcher, Checkpoint, CommonArgs, RunReport, RunSize, RunSummary, SeededRng, Start, Stopwatch, device,
    progress, run_epoch, seed_everything,
};

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(about = "Regression, classification, evaluation (Day 2 of the dl4mir course)")]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Width of the hidden layer.
    #[arg(long, default_value_t = 32)]
    pub hidden: usize,
}

// ANCHOR: data
/// Examples as flat rows of features (`[n, N_FEATURES]`, row-major) and their classes.
pub type Examples = (Vec<f32>, Vec<usize>);

/// The data: training and test examples. Replace with the dataset's.
pub fn data(size: RunSize, rng: &mut SeededRng) -> (Examples, Examples) {
    let n = match size {
        RunSize::Quick => 300,
        RunSize::Default => 3000,
        RunSize::Full => 30_000,
    };
    let train = dl4mir_train::toy::gaussian_blobs(n, N_FEATURES, N_CLASSES, rng);
    let test = dl4mir_train::toy::gaussian_blobs(n / 5, N_FEATURES, N_CLASSES, rng);
    (train, test)
}

const N_FEATURES: usize = 16;
const N_CLASSES: usize = 3;
// ANCHOR_END: data

// ANCHOR: model
/// The model: Linear -> ReLU -> Linear.
#[derive(Module, Debug)]
pub struct Model {
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

impl Model {
    pub fn new(n_inputs: usize, n_hidden: usize, n_classes: usize, device: &Device) -> Self {
        Model {
            hidden: LinearConfig::new(n_inputs, n_hidden).init(device),
            activation: Relu::new(),
            output: LinearConfig::new(n_hidden, n_classes).init(device),
        }
    }

    /// `x: [batch, n_inputs]` -> logits `[batch, n_classes]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.output.forward(self.activation.forward(self.hidden.forward(x)))
    }
}
// ANCHOR_END: model

/// Train and evaluate; writes `metrics.json`, the loss figure and a checkpoint per epoch
/// into the output folder, and returns the report.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    let stopwatch = Stopwatch::start();
    let device = device(args.device)?;
    let mut rng = seed_everything(&device, args.seed);
    let ((x_train, y_train), (x_test, y_test)) = data(args.size(), &mut rng);
    let epochs = args.epochs.unwrap_or(match args.size() {
        RunSize::Quick => 2,
        RunSize::Default => 10,
        RunSize::Full => 50,
    });
    let (batch_size, lr) = (args.batch_size.unwrap_or(32), args.lr.unwrap_or(1e-2));
    let train = Batcher::new(x_train, N_FEATURES, y_train, batch_size)?;
    let test = Batcher::new(x_test, N_FEATURES, y_test.clone(), batch_size)?;
    let out = args.out_dir("day2-regression");

    // ANCHOR: train
    let checkpoint = Checkpoint::in_dir(&out);
    let fresh = Model::new(N_FEATURES, cli.hidden, N_CLASSES, &device);
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } =
        checkpoint.resume_or_start(args.resume, fresh, AdamConfig::new().init(), rng)?;
    if first_epoch > 1 {
        println!("resuming after epoch {}", first_epoch - 1);
    }
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let steps_left = epochs.saturating_sub(first_epoch - 1) * train.batches_per_epoch();
    let bar = progress(steps_left as u64, "training".into());
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
    // ANCHOR_END: train

    // ANCHOR: evaluate
    let predictions = test.predict_classes(&device, |inputs| model.forward(inputs));
    let accuracy = dl4mir_eval::classification::accuracy(&y_test, &predictions)?;
    // ANCHOR_END: evaluate

    let summary = RunSummary {
        lab: "day2-regression".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: "toy Gaussian blobs".into(),
        hyperparameters: serde_json::json!({ "epochs": epochs, "batch_size": batch_size, "lr": lr, "hidden": cli.hidden }),
    };
    let mut metrics = serde_json::Map::new();
    metrics.insert("test_accuracy".into(), accuracy.into());
    let report = summary.finish(losses, metrics, epochs * train.len(), &stopwatch);
    report.write(&out)?;
    let figure = dl4mir_plot::LinePlot::training_loss(&report.losses.steps, "cross-entropy");
    dl4mir_plot::save(&figure, out.join("loss"))?;
    Ok(report)
}
