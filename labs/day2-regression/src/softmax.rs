//! Logistic and softmax regression, trained by gradient descent with the gradient
//! written by hand.

use ndarray::{Array1, Array2, Axis};

/// Weights `[features, classes]` and biases `[classes]` of a linear classifier.
#[derive(Debug, Clone)]
pub struct Linear {
    pub w: Array2<f64>,
    pub b: Array1<f64>,
}

impl Linear {
    pub fn zeros(features: usize, classes: usize) -> Self {
        Linear { w: Array2::zeros((features, classes)), b: Array1::zeros(classes) }
    }

    /// Scores `x W + b`, one row per example.
    pub fn logits(&self, x: &Array2<f64>) -> anyhow::Result<Array2<f64>> {
        Ok(dl4mir_linalg::matmul(x, &self.w)? + &self.b)
    }

    /// The class with the highest score, per row.
    pub fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<usize>> {
        Ok(self.logits(x)?.rows().into_iter().map(|r| argmax(&r.to_vec())).collect())
    }
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap_or(0)
}

// ANCHOR: softmax
/// Softmax of each row, `p_k = exp(z_k) / Σ_j exp(z_j)`, computed after subtracting the
/// row's largest score so that `exp` cannot overflow (the result is the same).
pub fn softmax(logits: &Array2<f64>) -> Array2<f64> {
    let mut p = logits.clone();
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let total = row.sum();
        row /= total;
    }
    p
}

/// One row per example with a 1 in its class's column.
pub fn one_hot(labels: &[usize], classes: usize) -> Array2<f64> {
    let mut y = Array2::zeros((labels.len(), classes));
    for (i, &c) in labels.iter().enumerate() {
        y[[i, c]] = 1.0;
    }
    y
}

/// The mean cross-entropy `L = -(1/n) Σ_i log p_{i, y_i}` and its gradients, by hand:
/// `∂L/∂W = (1/n) Xᵀ (P - Y)` and `∂L/∂b = (1/n) Σ_i (P - Y)_i` (derived in the chapter).
pub fn cross_entropy_and_gradients(
    model: &Linear,
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> anyhow::Result<(f64, Linear)> {
    let n = x.nrows() as f64;
    let p = softmax(&model.logits(x)?);
    let loss = -(&p.mapv(|v| v.max(1e-300).ln()) * y).sum() / n;
    let error = p - y;
    let w = dl4mir_linalg::matmul(&x.t().to_owned(), &error)? / n;
    let b = error.sum_axis(Axis(0)) / n;
    Ok((loss, Linear { w, b }))
}
// ANCHOR_END: softmax

// ANCHOR: logistic
/// Logistic regression is softmax regression with one score: `p = σ(z) = 1 / (1 + e^-z)`
/// for class 1. Its binary cross-entropy `-(1/n) Σ [y log p + (1 - y) log(1 - p)]` has
/// gradients `∂L/∂w = (1/n) Xᵀ (p - y)` and `∂L/∂b = mean(p - y)`: the same form.
pub fn logistic_loss_and_gradients(
    w: &Array1<f64>,
    b: f64,
    x: &Array2<f64>,
    y: &Array1<f64>,
) -> anyhow::Result<(f64, Array1<f64>, f64)> {
    let n = x.nrows() as f64;
    let p = (dl4mir_linalg::matvec(x, w)? + b).mapv(|z| 1.0 / (1.0 + (-z).exp()));
    let loss = -y
        .iter()
        .zip(&p)
        .map(|(&t, &q)| t * q.max(1e-300).ln() + (1.0 - t) * (1.0 - q).max(1e-300).ln())
        .sum::<f64>()
        / n;
    let error = p - y;
    let grad_w = dl4mir_linalg::matvec(&x.t().to_owned(), &error)? / n;
    Ok((loss, grad_w, error.sum() / n))
}
// ANCHOR_END: logistic

// ANCHOR: train
/// Full-batch gradient descent on the cross-entropy: `steps` updates of size `lr`.
/// Returns the model and the loss before every step.
pub fn train(
    x: &Array2<f64>,
    labels: &[usize],
    classes: usize,
    lr: f64,
    steps: usize,
) -> anyhow::Result<(Linear, Vec<f64>)> {
    let y = one_hot(labels, classes);
    let mut model = Linear::zeros(x.ncols(), classes);
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let (loss, gradient) = cross_entropy_and_gradients(&model, x, &y)?;
        anyhow::ensure!(
            loss.is_finite(),
            "the loss diverged to {loss}; lower the learning rate (--lr)"
        );
        losses.push(loss);
        model.w.scaled_add(-lr, &gradient.w);
        model.b.scaled_add(-lr, &gradient.b);
    }
    Ok((model, losses))
}
// ANCHOR_END: train

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn softmax_rows_sum_to_one_even_for_huge_scores() {
        let p = softmax(&array![[1000.0, 1001.0, 999.0], [0.0, 0.0, 0.0]]);
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12 && row.iter().all(|v| v.is_finite()));
        }
        assert!((p[[1, 0]] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn two_class_softmax_is_logistic_regression() {
        // Softmax with scores (0, z) gives p(class 1) = σ(z), so the gradients agree.
        let x = array![[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8]];
        let labels = [1, 0, 1];
        let w = array![0.4, -0.2];
        let b = 0.1;
        let model = Linear {
            w: ndarray::stack![Axis(1), Array1::zeros(2), w.clone()],
            b: array![0.0, b],
        };
        let (loss, grads) =
            cross_entropy_and_gradients(&model, &x, &one_hot(&labels, 2)).unwrap();
        let (bce, grad_w, grad_b) =
            logistic_loss_and_gradients(&w, b, &x, &array![1.0, 0.0, 1.0]).unwrap();
        assert!((loss - bce).abs() < 1e-12);
        assert!((&grads.w.column(1) - &grad_w).iter().all(|d| d.abs() < 1e-12));
        assert!((grads.b[1] - grad_b).abs() < 1e-12);
    }

    #[test]
    fn training_lowers_the_loss_and_separates_separable_data() {
        let x =
            array![[2.0, 0.1], [1.8, -0.2], [-2.1, 0.3], [-1.9, 0.0], [0.1, 2.2], [0.0, 1.9]];
        let labels = [0, 0, 1, 1, 2, 2];
        let (model, losses) = train(&x, &labels, 3, 0.5, 200).unwrap();
        assert!(losses.last().unwrap() < &(0.2 * losses[0]));
        assert_eq!(model.predict(&x).unwrap(), labels);
    }
}
