//! A linear layer for very wide inputs, computed as a sum of smaller products.
//!
//! Day 4's VAE feeds a 235,980-value spectrogram to `Linear(235_980, 512)`. With a batch of
//! 4, that product has 4 rows and a 235,980-long inner dimension: a shape GPU matrix kernels
//! handle badly, since only a handful of output tiles exist to spread over thousands of
//! cores (measured on an H100 before this crate: 40 ms in burn against 0.32 ms in PyTorch).
//! Splitting the inner dimension ("split-K") into `k` chunks gives `k` independent products
//! that run side by side as one batched matmul, then a sum:
//!
//! `x W = sum_j x[:, chunk j] W[chunk j, :]`
//!
//! Same parameters as [`burn::nn::Linear`] (`weight: [d_input, d_output]`, `bias`), same
//! values and gradients up to rounding (tested), so the two are interchangeable.
//! [`SplitNLinear`] does the same for a very wide output, whose *backward* pass has the
//! long inner dimension.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;

/// `y = x W + b`, with the inner dimension split into `chunks` pieces.
#[derive(Module, Debug)]
pub struct SplitKLinear {
    /// `[d_input, d_output]`, as `Linear`'s.
    pub weight: Param<Tensor<2>>,
    /// `[d_output]`.
    pub bias: Option<Param<Tensor<1>>>,
    /// Number of chunks the input dimension is split into (divides `d_input` exactly).
    #[module(skip)]
    chunks: usize,
}

impl SplitKLinear {
    /// Wrap a `Linear` (its weights are kept), splitting into the divisor of `d_input`
    /// closest to `chunks_wanted` (e.g. 180 for Day 4's 235,980 inputs).
    pub fn from_linear(linear: Linear, chunks_wanted: usize) -> Self {
        let d_input = linear.weight.dims()[0];
        Self {
            weight: linear.weight,
            bias: linear.bias,
            chunks: nearest_divisor(d_input, chunks_wanted.max(1)),
        }
    }

    /// The number of chunks in use.
    pub fn chunks(&self) -> usize {
        self.chunks
    }

    /// # Shapes
    /// `x: [batch, d_input]` -> `[batch, d_output]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let [batch, d_input] = x.dims();
        let [_, d_output] = self.weight.dims();
        let (k, c) = (self.chunks, d_input / self.chunks);
        let x = x.reshape([batch, k, c]).swap_dims(0, 1); // [k, batch, c]
        let w = self.weight.val().reshape([k, c, d_output]); // [k, c, d_output]
        let y = x.matmul(w).sum_dim(0).reshape([batch, d_output]); // k products, summed
        match &self.bias {
            Some(b) => y + b.val().unsqueeze::<2>(),
            None => y,
        }
    }
}

/// `y = x W + b` for a very wide *output* (Day 4's decoder ends in `Linear(512, 235_980)`),
/// with the output dimension split into `chunks` pieces.
///
/// The forward product is a fine shape; the trouble is its backward pass: the input's
/// gradient `dx = dy W^T` has the 235,980-long inner dimension, the shape [`SplitKLinear`]
/// avoids in the forward pass (measured on an H200: 43 ms for this layer's forward and
/// backward against 1.4 ms in PyTorch). Computing `y` as `chunks` side-by-side products
/// `x W[:, chunk j]` makes autodiff compute `dx` as the sum of `chunks` smaller products.
/// Same parameters, values and gradients as `Linear` (tested).
#[derive(Module, Debug)]
pub struct SplitNLinear {
    /// `[d_input, d_output]`, as `Linear`'s.
    pub weight: Param<Tensor<2>>,
    /// `[d_output]`.
    pub bias: Option<Param<Tensor<1>>>,
    /// Number of chunks the output dimension is split into (divides `d_output` exactly).
    #[module(skip)]
    chunks: usize,
}

impl SplitNLinear {
    /// Wrap a `Linear`, splitting its output into the divisor of `d_output` closest to
    /// `chunks_wanted`.
    pub fn from_linear(linear: Linear, chunks_wanted: usize) -> Self {
        let d_output = linear.weight.dims()[1];
        Self {
            weight: linear.weight,
            bias: linear.bias,
            chunks: nearest_divisor(d_output, chunks_wanted.max(1)),
        }
    }

    /// The number of chunks in use.
    pub fn chunks(&self) -> usize {
        self.chunks
    }

    /// # Shapes
    /// `x: [batch, d_input]` -> `[batch, d_output]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let [batch, d_input] = x.dims();
        let [_, d_output] = self.weight.dims();
        let (k, c) = (self.chunks, d_output / self.chunks);
        let w = self.weight.val().reshape([d_input, k, c]).swap_dims(0, 1); // [k, d_input, c]
        let x = x.unsqueeze::<3>().expand([k, batch, d_input]); // the same input for every chunk
        let y = x.matmul(w).swap_dims(0, 1).reshape([batch, d_output]); // [batch, k, c] -> [batch, d_output]
        match &self.bias {
            Some(b) => y + b.val().unsqueeze::<2>(),
            None => y,
        }
    }
}

/// The divisor of `n` closest to `wanted` (the smaller one on a tie).
pub fn nearest_divisor(n: usize, wanted: usize) -> usize {
    (1..=n).filter(|&d| n.is_multiple_of(d)).min_by_key(|&d| (d.abs_diff(wanted), d)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_4_input_splits_into_180_chunks() {
        assert_eq!(nearest_divisor(235_980, 180), 180);
        assert_eq!(nearest_divisor(1856, 7), 8);
        assert_eq!(nearest_divisor(13, 4), 1);
    }
}
