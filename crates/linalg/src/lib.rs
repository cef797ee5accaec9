//! # dl4mir-linalg
//!
//! The labs write their linear algebra by hand first (power iteration, normal equations,
//! gradient descent) and then check it against a library. This crate is that library: a
//! few [faer](https://docs.rs/faer) decompositions behind functions that take and return
//! `ndarray` arrays, the type the rest of the course uses.
//!
//! Why a crate of its own: faer's routines are generic, so they are compiled in the crate
//! that calls them. Called from a lab (built without optimisation so that students' edits
//! rebuild fast) they would run 20-50 times slower; here they are instantiated once, in a
//! crate the workspace optimises even in dev builds.
//!
//! ```
//! use ndarray::array;
//! let a = array![[2.0, 1.0], [1.0, 2.0]];
//! let (values, vectors) = dl4mir_linalg::symmetric_eigen(&a)?;
//! assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
//! assert!((vectors[[0, 0]].abs() - 0.5f64.sqrt()).abs() < 1e-12);
//! # Ok::<(), dl4mir_linalg::Error>(())
//! ```

use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Side};
use ndarray::{Array1, Array2};

/// What can go wrong: a shape that does not fit, or a decomposition that fails.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Shape(String),
    #[error(
        "{what} failed: the matrix is not {needs} (a constant or duplicated feature? standardise and drop it)"
    )]
    Decomposition { what: &'static str, needs: &'static str },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn to_faer(a: &Array2<f64>) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

fn to_ndarray(a: MatRef<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.nrows(), a.ncols()), |(i, j)| a[(i, j)])
}

fn check_finite(a: &Array2<f64>, what: &str) -> Result<()> {
    if a.iter().any(|x| !x.is_finite()) {
        return Err(Error::Shape(format!("{what}: the matrix has a NaN or infinite entry")));
    }
    Ok(())
}

/// Eigenvalues and eigenvectors of a symmetric matrix, **largest first** (faer, like
/// LAPACK, returns them smallest first; numpy's `eig` in no particular order).
/// Column `k` of the returned matrix is the unit eigenvector of value `k`.
pub fn symmetric_eigen(a: &Array2<f64>) -> Result<(Vec<f64>, Array2<f64>)> {
    if a.nrows() != a.ncols() {
        return Err(Error::Shape(format!("symmetric_eigen needs a square matrix, got {:?}", a.dim())));
    }
    check_finite(a, "symmetric_eigen")?;
    let eigen = to_faer(a)
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| Error::Decomposition { what: "the eigendecomposition", needs: "well formed" })?;
    let n = a.nrows();
    let ascending = eigen.S().column_vector();
    let values = (0..n).rev().map(|k| ascending[k]).collect();
    let u = eigen.U();
    let vectors = Array2::from_shape_fn((n, n), |(i, k)| u[(i, n - 1 - k)]);
    Ok((values, vectors))
}

/// The thin singular value decomposition `a = U diag(s) V^T`: `U` is `[n, k]`, `s` has
/// `k = min(n, d)` values, largest first, and `V` is `[d, k]` (its columns are the right
/// singular vectors, scikit-learn's `components_` transposed).
pub fn thin_svd(a: &Array2<f64>) -> Result<(Array2<f64>, Vec<f64>, Array2<f64>)> {
    check_finite(a, "thin_svd")?;
    let svd =
        to_faer(a).thin_svd().map_err(|_| Error::Decomposition { what: "the SVD", needs: "well formed" })?;
    let s = svd.S().column_vector().iter().copied().collect();
    Ok((to_ndarray(svd.U()), s, to_ndarray(svd.V())))
}

/// Solve `a x = b` for a symmetric positive definite `a` by Cholesky (`a = L L^T`): the
/// normal equations of least squares.
pub fn solve_spd(a: &Array2<f64>, b: &Array1<f64>) -> Result<Array1<f64>> {
    let column = b.view().insert_axis(ndarray::Axis(1)).to_owned();
    Ok(solve_spd_columns(a, &column)?.column(0).to_owned())
}

/// `a x = b` for every column of `b`, from one Cholesky factorisation of `a` (symmetric
/// positive definite): what [`solve_spd`] does, once for many right-hand sides.
pub fn solve_spd_columns(a: &Array2<f64>, b: &Array2<f64>) -> Result<Array2<f64>> {
    if a.nrows() != a.ncols() || a.nrows() != b.nrows() {
        return Err(Error::Shape(format!("solve_spd: a is {:?} and b is {:?}", a.dim(), b.dim())));
    }
    check_finite(a, "solve_spd")?;
    let llt = to_faer(a).llt(Side::Lower).map_err(|_| Error::Decomposition {
        what: "the Cholesky factorisation",
        needs: "positive definite",
    })?;
    Ok(to_ndarray(llt.solve(to_faer(b)).as_ref()))
}

/// `a b`, as a fast matrix product (used where a lab's own loop would be too slow to wait
/// for in a dev build).
pub fn matmul(a: &Array2<f64>, b: &Array2<f64>) -> Result<Array2<f64>> {
    if a.ncols() != b.nrows() {
        return Err(Error::Shape(format!("matmul: {:?} times {:?}", a.dim(), b.dim())));
    }
    Ok(a.dot(b))
}

/// `a v`.
pub fn matvec(a: &Array2<f64>, v: &Array1<f64>) -> Result<Array1<f64>> {
    if a.ncols() != v.len() {
        return Err(Error::Shape(format!("matvec: {:?} times a vector of {}", a.dim(), v.len())));
    }
    Ok(a.dot(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn svd_reconstructs_and_sorts() {
        let a = array![[3.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 4.0], [1.0, 0.0, 1.0]];
        let (u, s, v) = thin_svd(&a).unwrap();
        assert!(s.windows(2).all(|w| w[0] >= w[1]));
        let back = u.dot(&Array2::from_diag(&Array1::from(s))).dot(&v.t());
        assert!((back - &a).iter().all(|x| x.abs() < 1e-12));
    }

    #[test]
    fn eigen_satisfies_its_equation() {
        let a = array![[4.0, 1.0, 2.0], [1.0, 3.0, 0.0], [2.0, 0.0, 5.0]];
        let (values, vectors) = symmetric_eigen(&a).unwrap();
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
        for (k, value) in values.iter().enumerate() {
            let v = vectors.column(k).to_owned();
            assert!((a.dot(&v) - *value * &v).iter().all(|x| x.abs() < 1e-12));
        }
    }

    #[test]
    fn cholesky_solves_and_refuses_an_indefinite_matrix() {
        let a = array![[4.0, 1.0], [1.0, 3.0]];
        let x = solve_spd(&a, &array![1.0, 2.0]).unwrap();
        assert!((a.dot(&x) - array![1.0, 2.0]).iter().all(|r| r.abs() < 1e-12));
        let err = solve_spd(&array![[1.0, 2.0], [2.0, 1.0]], &array![1.0, 1.0]).unwrap_err();
        assert!(err.to_string().contains("positive definite"), "{err}");
    }

    #[test]
    fn many_right_hand_sides_solve_as_one_each() {
        let a = array![[4.0, 1.0], [1.0, 3.0]];
        let b = array![[1.0, -2.0, 0.5], [2.0, 0.0, 7.0]];
        let x = solve_spd_columns(&a, &b).unwrap();
        for j in 0..3 {
            let one = solve_spd(&a, &b.column(j).to_owned()).unwrap();
            assert!((&x.column(j) - &one).iter().all(|r| r.abs() < 1e-12));
        }
        assert!(solve_spd_columns(&array![[1.0, 2.0], [2.0, 1.0]], &b).is_err());
    }
}
