//! How long one training step of the pieces takes here (forward + backward), to size Day 6.
//! `cargo run --release -p dl4mir-ddsp --example ddsp_step_timing`
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_ddsp::fm::{Algorithm, FmSynth};
use dl4mir_ddsp::loss::MultiResolution;
use std::time::Instant;

fn main() {
    let device = Device::flex().autodiff();
    let (b, t) = (8usize, 16000usize);
    let target: Vec<f32> = (0..b * t).map(|i| ((i as f32) * 0.05).sin() * 0.3).collect();
    let target = Tensor::<2>::from_data(TensorData::new(target, [b, t]), &device);
    let loss = MultiResolution::ddx7();
    let algorithm =
        Algorithm::new(vec![vec![], vec![0], vec![], vec![2], vec![3], vec![4]], vec![0, 2]).unwrap();
    let synth = FmSynth::new(algorithm, vec![1.0, 1.0, 1.0, 1.0, 3.0, 14.0]).unwrap();
    let f0 = vec![220.0; t / 64 + 1];
    let ph = synth.phases(&f0, 64, 16000.0);
    let ph: Vec<f32> = (0..b).flat_map(|_| ph[..t * 6].to_vec()).collect();
    let phases = Tensor::<3>::from_data(TensorData::new(ph, [b, t, 6]), &device);
    for _ in 0..3 {
        let levels = Tensor::<3>::ones([b, t, 6], &device).mul_scalar(0.1).require_grad();
        let start = Instant::now();
        let out = synth.render(phases.clone(), levels.clone());
        let l = loss.loss(out, target.clone());
        let _g = l.backward();
        println!("fm render + mr loss fwd+bwd [{b}, {t}]: {:.3} s", start.elapsed().as_secs_f64());
        let x = target.clone().add_scalar(0.01).require_grad();
        let start = Instant::now();
        let l = loss.loss(x, target.clone());
        let _g = l.backward();
        println!("mr loss alone fwd+bwd: {:.3} s", start.elapsed().as_secs_f64());
    }
}
