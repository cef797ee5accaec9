//! Times training steps on burn's CPU backend, for `benches/compare_pytorch.py`, which runs
//! the same models in PyTorch and prints both side by side.
//!
//! ```text
//! RAYON_NUM_THREADS=2 cargo run --release -p dl4mir-train --example step_timing -- 15
//! cargo run --release -p dl4mir-train --example step_timing -- 5 wide_linear   # one case
//! ```
//!
//! Prints one JSON object: the median milliseconds of each case over `repeats` runs after a
//! warm-up. flex runs its parallel work on rayon's global pool, so `RAYON_NUM_THREADS` sets
//! the thread count.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use dl4mir_train::SplitKLinear;
use std::time::Instant;

/// Two linear layers with a ReLU between them (the example's and Day 3's shape).
#[derive(Module, Debug)]
struct Mlp {
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

fn mlp(sizes: [usize; 3], device: &Device) -> Mlp {
    Mlp {
        hidden: LinearConfig::new(sizes[0], sizes[1]).init(device),
        activation: Relu::new(),
        output: LinearConfig::new(sizes[1], sizes[2]).init(device),
    }
}

/// Median of `repeats` timed calls after one untimed warm-up, in milliseconds.
fn median_ms(repeats: usize, mut run: impl FnMut()) -> f64 {
    run();
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Deterministic inputs in [-1, 1) without drawing from burn's generator.
fn inputs(rows: usize, cols: usize, device: &Device) -> Tensor<2> {
    let values: Vec<f32> = (0..rows * cols).map(|i| ((i * 7919 % 2003) as f32 / 1001.5) - 1.0).collect();
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// One Adam step of an MLP with cross-entropy: forward, backward, update.
fn mlp_step_ms(sizes: [usize; 3], batch: usize, repeats: usize, device: &Device) -> f64 {
    let mut model = mlp(sizes, device);
    let mut optimizer = AdamConfig::new().init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let x = inputs(batch, sizes[0], device);
    let targets: Vec<i64> = (0..batch).map(|i| (i % sizes[2]) as i64).collect();
    let y = Tensor::<1, Int>::from_data(TensorData::new(targets, [batch]), device);
    median_ms(repeats, || {
        let loss = loss_fn.forward(model.forward(x.clone()), y.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(1e-3, model.clone(), grads);
        let _ = model.output.bias.as_ref().unwrap().val().into_data(); // wait for the result
    })
}

impl Mlp {
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.output.forward(self.activation.forward(self.hidden.forward(x)))
    }
}

/// Forward and backward of one very wide layer (Day 4's first layer), plain or split-K.
fn wide_layer_ms(d_input: usize, chunks: Option<usize>, repeats: usize, device: &Device) -> f64 {
    let linear = LinearConfig::new(d_input, 512).init(device);
    let x = inputs(4, d_input, device).require_grad();
    let split = chunks.map(|k| SplitKLinear::from_linear(linear.clone(), k));
    median_ms(repeats, || {
        let y = match &split {
            Some(layer) => layer.forward(x.clone()),
            None => linear.forward(x.clone()),
        };
        let grads = y.sum().backward();
        let _ = x.grad(&grads).unwrap().into_data(); // the input's gradient, as the VAE needs
    })
}

/// One Adam update of a parameter with `n` values, gradients given (the optimizer alone).
fn adam_update_ms(n: usize, repeats: usize, device: &Device) -> f64 {
    let mut layer: Linear = LinearConfig::new(n / 512, 512).with_bias(false).init(device);
    let mut optimizer = AdamConfig::new().init();
    let x = inputs(1, n / 512, device);
    median_ms(repeats, || {
        let grads = GradientsParams::from_grads(layer.forward(x.clone()).sum().backward(), &layer);
        layer = optimizer.step(1e-3, layer.clone(), grads);
        let _ = layer.weight.val().slice([0..1, 0..1]).into_data();
    }) - median_ms(repeats, || {
        // The same forward and backward without the update, subtracted above.
        let grads = layer.forward(x.clone()).sum().backward();
        let _ = layer.weight.grad(&grads).unwrap().slice([0..1, 0..1]).into_data();
    })
}

/// A zero-filled tensor of `n` values: what every large result costs before any arithmetic.
fn zeros_ms(n: usize, repeats: usize, device: &Device) -> f64 {
    median_ms(repeats, || {
        let z = Tensor::<2>::zeros([n / 512, 512], device);
        let _ = z.slice([0..1, 0..1]).into_data();
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let repeats: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(15);
    let only = args.next(); // one case by name, e.g. for `perf record`
    let device = Device::flex().autodiff();
    device.seed(0);
    let day4_input = 235_980; // 513 bins x 460 frames of the original VAE's spectrogram
    let cases: [(&str, &dyn Fn() -> f64); 6] = [
        ("mlp_example_step_ms", &|| mlp_step_ms([16, 32, 3], 32, repeats * 20, &device)),
        ("day3_mlp_step_ms", &|| mlp_step_ms([1856, 64, 2], 32, repeats * 10, &device)),
        ("wide_linear_ms", &|| wide_layer_ms(day4_input, None, repeats, &device)),
        ("wide_split_k_ms", &|| wide_layer_ms(day4_input, Some(180), repeats, &device)),
        ("adam_update_120m_ms", &|| adam_update_ms(day4_input * 512, 3, &device)),
        ("zeros_120m_ms", &|| zeros_ms(day4_input * 512, repeats, &device)),
    ];
    let mut report = serde_json::Map::new();
    report.insert("threads".into(), rayon_threads().into());
    for (name, case) in cases {
        if only.as_deref().is_none_or(|o| name.starts_with(o)) {
            report.insert(name.into(), case().into());
        }
    }
    println!("{}", serde_json::Value::Object(report));
}

/// The size of rayon's global pool, which flex uses.
fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}
