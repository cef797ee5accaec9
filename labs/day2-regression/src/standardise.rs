//! Standardising with the training data's statistics only: the test data must not leak
//! into what the model is fitted with, not even through a mean.

use ndarray::{Array1, Array2, Axis};

/// The per-feature mean and standard deviation of the training rows.
#[derive(Debug, Clone)]
pub struct Standardiser {
    mean: Array1<f64>,
    std: Array1<f64>,
}

impl Standardiser {
    pub fn fit(x: &Array2<f64>) -> Self {
        let mean = x.mean_axis(Axis(0)).expect("at least one row");
        // A constant feature carries no information; divide it by 1, not 0.
        let std = x.std_axis(Axis(0), 0.0).mapv(|s| if s > 1e-12 { s } else { 1.0 });
        Standardiser { mean, std }
    }

    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        (x - &self.mean) / &self.std
    }
}

/// Rows `indices` of `x`.
pub fn rows(x: &Array2<f64>, indices: &[usize]) -> Array2<f64> {
    x.select(Axis(0), indices)
}

/// `x` with a column of ones in front, so the first weight is the intercept.
pub fn with_bias(x: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::ones((x.nrows(), x.ncols() + 1));
    out.slice_mut(ndarray::s![.., 1..]).assign(x);
    out
}
