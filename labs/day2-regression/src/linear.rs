//! Linear regression, two ways: in one step by the normal equations, and step by step by
//! gradient descent with the gradient written by hand.

use ndarray::{Array1, Array2};

// ANCHOR: normal_equations
/// The weights minimising the squared error `‖X w - y‖²` (with `X` holding a column of
/// ones for the intercept): setting the gradient `2 Xᵀ (X w - y)` to zero gives the normal
/// equations `Xᵀ X w = Xᵀ y`, a symmetric positive definite system solved by Cholesky.
pub fn normal_equations(x: &Array2<f64>, y: &Array1<f64>) -> anyhow::Result<Array1<f64>> {
    let xt = x.t().to_owned();
    let gram = dl4mir_linalg::matmul(&xt, x)?;
    Ok(dl4mir_linalg::solve_spd(&gram, &dl4mir_linalg::matvec(&xt, y)?)?)
}
// ANCHOR_END: normal_equations

// ANCHOR: gradient_descent
/// The mean squared error `L(w) = (1/n) ‖X w - y‖²` and its gradient
/// `∂L/∂w = (2/n) Xᵀ (X w - y)`, by hand.
pub fn mse_and_gradient(
    x: &Array2<f64>,
    y: &Array1<f64>,
    w: &Array1<f64>,
) -> anyhow::Result<(f64, Array1<f64>)> {
    let n = x.nrows() as f64;
    let residual = dl4mir_linalg::matvec(x, w)? - y;
    let loss = residual.dot(&residual) / n;
    let gradient = dl4mir_linalg::matvec(&x.t().to_owned(), &residual)? * (2.0 / n);
    Ok((loss, gradient))
}

/// Batch gradient descent from zero weights: `w ← w - lr ∂L/∂w`, `steps` times. Returns
/// the weights and the loss before every step.
pub fn gradient_descent(
    x: &Array2<f64>,
    y: &Array1<f64>,
    lr: f64,
    steps: usize,
) -> anyhow::Result<(Array1<f64>, Vec<f64>)> {
    let mut w = Array1::zeros(x.ncols());
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let (loss, gradient) = mse_and_gradient(x, y, &w)?;
        anyhow::ensure!(
            loss.is_finite(),
            "the loss diverged to {loss}; lower the learning rate (--lr)"
        );
        losses.push(loss);
        w.scaled_add(-lr, &gradient);
    }
    Ok((w, losses))
}
// ANCHOR_END: gradient_descent

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn gradient_descent_reaches_the_normal_equations_solution() {
        let x = array![
            [1.0, 0.5, -1.0],
            [1.0, -0.3, 0.2],
            [1.0, 1.2, 0.7],
            [1.0, -1.1, -0.4],
            [1.0, 0.1, 1.5]
        ];
        let y = array![1.0, 0.2, 2.5, -1.3, 1.9];
        let exact = normal_equations(&x, &y).unwrap();
        let (w, losses) = gradient_descent(&x, &y, 0.1, 5_000).unwrap();
        assert!((&w - &exact).iter().all(|d| d.abs() < 1e-9), "{w} vs {exact}");
        assert!(losses.windows(2).all(|p| p[1] <= p[0] + 1e-15), "the loss only goes down");
    }

    #[test]
    fn the_hand_gradient_matches_finite_differences() {
        let x = array![[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]];
        let y = array![3.0, -1.0, 1.0];
        let w = array![0.3, -0.7];
        let (_, gradient) = mse_and_gradient(&x, &y, &w).unwrap();
        for i in 0..2 {
            let mut step = Array1::zeros(2);
            step[i] = 1e-6;
            let up = mse_and_gradient(&x, &y, &(&w + &step)).unwrap().0;
            let down = mse_and_gradient(&x, &y, &(&w - &step)).unwrap().0;
            assert!(((up - down) / 2e-6 - gradient[i]).abs() < 1e-6);
        }
    }
}
