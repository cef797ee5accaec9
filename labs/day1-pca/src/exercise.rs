//! Exercise: which features separate two, then three, effects best? (The chapter folds
//! this solution away; its test checks it runs and that its scores mean what they say.)

use crate::features::{self, FeatureSet};
use crate::pca::{covariance, project_2d, standardise, top_eigenpairs};
use crate::separability::fisher_criterion;
use rand_chacha::ChaCha8Rng;

/// One cell of the table: a feature set, a number of effects, its score.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Score {
    pub features: &'static str,
    #[serde(skip)]
    pub description: &'static str,
    pub effects: usize,
    pub fisher: f64,
}

// ANCHOR: solution
/// Standardise, PCA to two dimensions, score with Fisher's criterion.
pub fn separability(
    set: FeatureSet,
    excerpts: &[Vec<f32>],
    labels: &[usize],
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<f64> {
    let z = standardise(&features::matrix(set, excerpts)?);
    let top = top_eigenpairs(&covariance(&z)?, 2, rng)?;
    let points = project_2d(&z, &top[0].vector, &top[1].vector);
    Ok(fisher_criterion(&points, labels))
}

/// Every feature set on the first two effects, then on all three.
pub fn compare_feature_sets(
    excerpts: &[Vec<f32>],
    labels: &[usize],
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Score>> {
    let first_two: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] < 2).collect();
    let two_excerpts: Vec<Vec<f32>> = first_two.iter().map(|&i| excerpts[i].clone()).collect();
    let two_labels: Vec<usize> = first_two.iter().map(|&i| labels[i]).collect();
    let mut scores = Vec::new();
    for set in FeatureSet::ALL {
        for (effects, x, y) in [(2, &two_excerpts[..], &two_labels[..]), (3, excerpts, labels)] {
            scores.push(Score {
                features: set.name(),
                description: set.description(),
                effects,
                fisher: separability(set, x, y, rng)?,
            });
        }
    }
    Ok(scores)
}
// ANCHOR_END: solution

/// The scores as a Markdown table, one row per feature set (the book includes it).
pub fn table(scores: &[Score], effects: &[String]) -> String {
    let mut lines = vec![
        format!("| features | {} | + {} |", effects[..2].join(" vs "), effects[2]),
        "|---|---:|---:|".to_string(),
    ];
    for pair in scores.chunks(2) {
        lines.push(format!("| {} | {:.2} | {:.2} |", pair[0].description, pair[0].fisher, pair[1].fisher));
    }
    lines.join("\n") + "\n"
}
