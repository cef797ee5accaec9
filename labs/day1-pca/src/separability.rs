//! How well a 2-D projection separates classes: Fisher's criterion.

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
        (members.iter().map(|p| p.0).sum::<f64>() / n, members.iter().map(|p| p.1).sum::<f64>() / n)
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
        between = [between[0] + n * dx * dx, between[1] + n * dx * dy, between[2] + n * dy * dy];
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
    fn stretching_the_plane_does_not_change_the_score() {
        let labels: Vec<usize> = [vec![0; 40], vec![1; 40], vec![2; 40]].concat();
        let points = [cloud(0.0, 0.0, 40), cloud(3.0, 1.0, 40), cloud(-1.0, 4.0, 40)].concat();
        let stretched: Vec<_> = points.iter().map(|&(x, y)| (5.0 * x + y, 0.2 * y)).collect();
        let (a, b) = (fisher_criterion(&points, &labels), fisher_criterion(&stretched, &labels));
        assert!((a - b).abs() < 1e-9 * a, "{a} {b}");
    }
}
