//! How well a 2-D projection separates classes: Fisher's criterion, and the accuracy of
//! the simplest classifier on it, measured on guitar strings the projection never saw.

use crate::pca::{pca_by_svd, project_2d, standardise_like};
use ndarray::{Array2, Axis};

// ANCHOR: fisher
/// Fisher's criterion `J = tr(S_W⁻¹ S_B)` of 2-D points with class labels.
///
/// `S_W` (within) adds up how the points of each class spread around their class mean;
/// `S_B` (between) how the class means spread around the overall mean, each weighted by
/// its class size. `J` is large when classes are tight and far apart, near 0 when they
/// overlap; it does not change if the plane is rotated or stretched, so it compares
/// projections fairly whatever their units.
pub fn fisher_criterion(points: &[(f64, f64)], labels: &[usize]) -> f64 {
    let n_classes = labels.iter().max().map_or(0, |m| m + 1);
    let mean_of = |members: &[(f64, f64)]| {
        let n = members.len() as f64;
        (
            members.iter().map(|p| p.0).sum::<f64>() / n,
            members.iter().map(|p| p.1).sum::<f64>() / n,
        )
    };
    let overall = mean_of(points);
    // Symmetric 2 x 2 matrices as [xx, xy, yy].
    let (mut within, mut between) = ([0.0; 3], [0.0; 3]);
    for class in 0..n_classes {
        let members: Vec<(f64, f64)> =
            points.iter().zip(labels).filter(|(_, l)| **l == class).map(|(p, _)| *p).collect();
        if members.is_empty() {
            continue;
        }
        let m = mean_of(&members);
        for p in &members {
            let (dx, dy) = (p.0 - m.0, p.1 - m.1);
            within = [within[0] + dx * dx, within[1] + dx * dy, within[2] + dy * dy];
        }
        let (dx, dy, n) = (m.0 - overall.0, m.1 - overall.1, members.len() as f64);
        between =
            [between[0] + n * dx * dx, between[1] + n * dx * dy, between[2] + n * dy * dy];
    }
    // The inverse of [[a, b], [b, c]] is [[c, -b], [-b, a]] / (ac - b²).
    let det = within[0] * within[2] - within[1] * within[1];
    if det.abs() < 1e-300 {
        return f64::INFINITY;
    }
    let inv = [within[2] / det, -within[1] / det, within[0] / det];
    // tr(A B) for symmetric A, B = a_xx b_xx + 2 a_xy b_xy + a_yy b_yy
    inv[0] * between[0] + 2.0 * inv[1] * between[1] + inv[2] * between[2]
}
// ANCHOR_END: fisher

// ANCHOR: cross_validated
/// How often a note's class is told right from its 2-D projection alone, on strings the
/// projection never saw. Each fold holds out whole strings (grouped folds, as Day 2
/// explains); on the other strings' notes it standardises, finds the first two
/// components (by the SVD, which the lab checks against power iteration) and the mean of
/// each class; each held-out note gets the class of the nearest mean (a nearest-centroid
/// classifier). Unlike `J`, the scale is the same for any number of classes `K`: 1 is
/// perfect and `1/K` is guessing. `None` when the notes are too few to hold any out (a
/// partial download: fewer than two strings, or a fold with fewer than three notes left).
pub fn cross_validated_accuracy(
    x: &Array2<f64>,
    labels: &[usize],
    strings: &[usize],
    folds: usize,
) -> anyhow::Result<Option<f64>> {
    let n_classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut distinct = strings.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return Ok(None);
    }
    let folds = dl4mir_eval::split::group_k_fold(strings, folds.min(distinct.len()), None)?;
    if folds.iter().any(|f| f.train.len() < 3) {
        return Ok(None);
    }
    let mut right = 0;
    for fold in folds {
        let train = x.select(Axis(0), &fold.train);
        let components = pca_by_svd(&standardise_like(&train, &train), 2)?;
        let (first, second) = (&components[0].1, &components[1].1);
        let project = |rows: &[usize]| {
            let z = standardise_like(&x.select(Axis(0), rows), &train);
            project_2d(&z, first, second)
        };
        let (train_points, test_points) = (project(&fold.train), project(&fold.test));
        let train_labels: Vec<usize> = fold.train.iter().map(|&i| labels[i]).collect();
        let centroids = class_means(&train_points, &train_labels, n_classes);
        for (point, &i) in test_points.iter().zip(&fold.test) {
            right += usize::from(nearest(&centroids, *point) == Some(labels[i]));
        }
    }
    Ok(Some(right as f64 / labels.len() as f64))
}

/// The mean point of each class (`None` for a class with no points).
fn class_means(
    points: &[(f64, f64)],
    labels: &[usize],
    n_classes: usize,
) -> Vec<Option<(f64, f64)>> {
    (0..n_classes)
        .map(|class| {
            let members: Vec<_> =
                points.iter().zip(labels).filter(|(_, l)| **l == class).collect();
            let n = members.len() as f64;
            (!members.is_empty()).then(|| {
                (
                    members.iter().map(|(p, _)| p.0).sum::<f64>() / n,
                    members.iter().map(|(p, _)| p.1).sum::<f64>() / n,
                )
            })
        })
        .collect()
}

/// The class whose mean is nearest to `point`.
fn nearest(means: &[Option<(f64, f64)>], point: (f64, f64)) -> Option<usize> {
    let distance = |m: (f64, f64)| (m.0 - point.0).powi(2) + (m.1 - point.1).powi(2);
    (0..means.len())
        .filter_map(|c| means[c].map(|m| (c, distance(m))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}
// ANCHOR_END: cross_validated

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(cx: f64, cy: f64, n: usize) -> Vec<(f64, f64)> {
        (0..n).map(|i| (cx + (i as f64 * 0.37).sin(), cy + (i as f64 * 0.91).cos())).collect()
    }

    #[test]
    fn far_apart_classes_score_higher_than_overlapping_ones() {
        let labels: Vec<usize> = [vec![0; 50], vec![1; 50]].concat();
        let apart = [cloud(0.0, 0.0, 50), cloud(10.0, 0.0, 50)].concat();
        let overlapping = [cloud(0.0, 0.0, 50), cloud(0.1, 0.0, 50)].concat();
        let (j_apart, j_overlap) =
            (fisher_criterion(&apart, &labels), fisher_criterion(&overlapping, &labels));
        assert!(j_apart > 40.0 && j_overlap < 0.01, "{j_apart} {j_overlap}");
    }

    #[test]
    fn accuracy_is_high_for_separate_classes_and_near_chance_for_identical_ones() {
        // Three features: two carry the class (apart: correlated, so the first component
        // is their common direction) or nothing (mixed), one is noise.
        let n = 120;
        let labels: Vec<usize> = (0..n).map(|i| i % 2).collect();
        let strings: Vec<usize> = (0..n).map(|i| 1 + (i / 2) % 6).collect();
        let noise = |i: usize, k: f64| ((i as f64 + 1.0) * k).sin();
        let make = |shift: f64| {
            Array2::from_shape_fn((n, 3), |(i, j)| match j {
                0 => shift * labels[i] as f64 + 0.3 * noise(i, 0.77),
                1 => shift * labels[i] as f64 + 0.3 * noise(i, 1.31),
                _ => 0.1 * noise(i, 2.93),
            })
        };
        let apart =
            cross_validated_accuracy(&make(5.0), &labels, &strings, 3).unwrap().unwrap();
        let mixed =
            cross_validated_accuracy(&make(0.0), &labels, &strings, 3).unwrap().unwrap();
        assert!(apart > 0.99 && mixed < 0.7, "{apart} {mixed}");
    }

    #[test]
    fn stretching_the_plane_does_not_change_the_score() {
        let labels: Vec<usize> = [vec![0; 40], vec![1; 40], vec![2; 40]].concat();
        let points = [cloud(0.0, 0.0, 40), cloud(3.0, 1.0, 40), cloud(-1.0, 4.0, 40)].concat();
        let stretched: Vec<_> = points.iter().map(|&(x, y)| (5.0 * x + y, 0.2 * y)).collect();
        let (a, b) =
            (fisher_criterion(&points, &labels), fisher_criterion(&stretched, &labels));
        assert!((a - b).abs() < 1e-9 * a, "{a} {b}");
    }
}
