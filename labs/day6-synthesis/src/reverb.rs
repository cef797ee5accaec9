//! DDX7's learned reverb, the last stage of both synthesizers: the dry signal plus its
//! convolution with a learnable noise impulse response under a learnable exponential decay
//! and wet level (DDX7's `Reverb`, after DDSP's `TrainableReverb`).
//!
//! `ir(t) = noise(t) exp(-softplus(-decay) 500 t) sigmoid(wet)` for `t` in seconds, and
//! `ir(0) = 1` (the dry path); `decay` starts at 5, as DDX7's. DDX7's response is 16,000
//! taps (1 s); ours is as long as the clips (the convolution is cut to the clip anyway).
//! The convolution is done with burn's FFT.
//!
//! Departure (ours): `wet` starts at -4, not DDX7's 0. At 0 the noise response, decaying
//! by only 3.4 per second, carries hundreds of times the dry path's energy: at the first
//! step the output is mostly reverb. DDX7's 120,000 steps unlearn that; a few hundred do
//! not, and the decoder learns to let the reverb make the tail instead of the synth.

use burn::module::Param;
use burn::prelude::*;
use burn::signal::{irfft, rfft};
use burn::tensor::Distribution;
use burn::tensor::activation::{sigmoid, softplus};

/// `wet`'s starting value (see the module's note).
pub const INITIAL_WET: f32 = -4.0;

#[derive(Module, Debug)]
pub struct Reverb {
    pub noise: Param<Tensor<1>>,
    pub decay: Param<Tensor<1>>,
    pub wet: Param<Tensor<1>>,
}

impl Reverb {
    pub fn new(taps: usize, device: &Device) -> Self {
        let noise = Tensor::<1>::random([taps], Distribution::Uniform(-1.0, 1.0), device);
        Self {
            noise: Param::from_tensor(noise),
            decay: Param::from_tensor(Tensor::from_floats([5.0], device)),
            wet: Param::from_tensor(Tensor::from_floats([INITIAL_WET], device)),
        }
    }

    /// The impulse response in use, `[taps]`.
    pub fn impulse_response(&self) -> Tensor<1> {
        let noise = self.noise.val();
        let [taps] = noise.dims();
        let device = noise.device();
        let t: Vec<f32> = (0..taps).map(|i| i as f32 / crate::notes::SR as f32).collect();
        let t = Tensor::<1>::from_floats(t.as_slice(), &device);
        let rate = softplus(self.decay.val().neg(), 1.0).mul_scalar(500.0);
        let envelope = (t * rate).neg().exp();
        let ir = noise * envelope * sigmoid(self.wet.val());
        // Sample 0 is the dry signal, passed through unchanged.
        let dry = Tensor::<1>::ones([1], &device);
        Tensor::cat(vec![dry, ir.slice_dim(0, 1..taps)], 0)
    }

    /// `[batch, samples] -> [batch, samples]`: the signal convolved with the response, cut
    /// to its own length.
    pub fn forward(&self, signal: Tensor<2>) -> Tensor<2> {
        let [batch, samples] = signal.dims();
        let ir = self.impulse_response();
        let [taps] = ir.dims();
        let n = (samples + taps - 1).next_power_of_two();
        let (sr, si) = rfft(signal, 1, Some(n));
        let (hr, hi) = rfft(ir.unsqueeze::<2>(), 1, Some(n));
        let (hr, hi) = (hr.expand([batch, n / 2 + 1]), hi.expand([batch, n / 2 + 1]));
        let real = sr.clone() * hr.clone() - si.clone() * hi.clone();
        let imag = sr * hi + si * hr;
        irfft(real, imag, 1, Some(n)).slice_dim(1, 0..samples)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fft_convolution_is_a_convolution() {
        let device = Device::flex();
        let reverb = Reverb::new(8, &device);
        let ir: Vec<f32> = reverb.impulse_response().into_data().iter::<f32>().collect();
        assert_eq!(ir[0], 1.0);
        let x = [0.5f32, -1.0, 0.25, 0.0, 2.0, 1.0, -0.5, 0.75, 0.1, 0.0];
        let signal = Tensor::<1>::from_floats(x, &device).reshape([1, 10]);
        let got: Vec<f32> = reverb.forward(signal).into_data().iter::<f32>().collect();
        for n in 0..10 {
            let want: f32 = (0..=n.min(7)).map(|k| ir[k] * x[n - k]).sum();
            assert!((got[n] - want).abs() < 1e-5, "sample {n}: {} vs {want}", got[n]);
        }
    }
}
