//! Regression metrics, as `sklearn.metrics` computes them.

use crate::error::{Result, same_length};

/// Mean squared error. Matches `sklearn.metrics.mean_squared_error`.
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_length("mse", y_true.len(), y_pred.len())?;
    Ok(y_true.iter().zip(y_pred).map(|(t, p)| (t - p).powi(2)).sum::<f64>() / y_true.len() as f64)
}

/// Mean absolute error. Matches `sklearn.metrics.mean_absolute_error`.
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_length("mae", y_true.len(), y_pred.len())?;
    Ok(y_true.iter().zip(y_pred).map(|(t, p)| (t - p).abs()).sum::<f64>() / y_true.len() as f64)
}

/// Coefficient of determination `R² = 1 - SS_res / SS_tot`: 1 is perfect, 0 is no better
/// than predicting the mean. A constant target gives 1 if predicted exactly, else 0.
/// Matches `sklearn.metrics.r2_score` (its `force_finite=True` default).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_length("r2", y_true.len(), y_pred.len())?;
    let mean = y_true.iter().sum::<f64>() / y_true.len() as f64;
    let ss_res: f64 = y_true.iter().zip(y_pred).map(|(t, p)| (t - p).powi(2)).sum();
    let ss_tot: f64 = y_true.iter().map(|t| (t - mean).powi(2)).sum();
    Ok(match (ss_tot == 0.0, ss_res == 0.0) {
        (true, true) => 1.0,
        (true, false) => 0.0,
        _ => 1.0 - ss_res / ss_tot,
    })
}
