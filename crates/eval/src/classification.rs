//! Classification metrics, as `sklearn.metrics` computes them.

use crate::error::{Error, Result, same_length};

/// Fraction of samples whose prediction equals the truth.
/// Matches `sklearn.metrics.accuracy_score`.
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> Result<f64> {
    same_length("accuracy", y_true.len(), y_pred.len())?;
    Ok(y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count() as f64 / y_true.len() as f64)
}

/// `counts[t][p]`: samples of true class `t` predicted as `p` (rows are the truth).
/// Matches `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(n_classes))`.
pub fn confusion_matrix(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<Vec<Vec<usize>>> {
    same_length("confusion_matrix", y_true.len(), y_pred.len())?;
    let mut counts = vec![vec![0; n_classes]; n_classes];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        if t >= n_classes || p >= n_classes {
            return Err(Error::Parameter(format!(
                "label {} is outside 0..{n_classes}; pass the number of classes",
                t.max(p)
            )));
        }
        counts[t][p] += 1;
    }
    Ok(counts)
}

/// Precision, recall and F1 of one class, and its support (number of true samples).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Per-class scores and their averages.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationReport {
    pub accuracy: f64,
    pub per_class: Vec<ClassScores>,
    /// Unweighted mean over classes (every class counts the same).
    pub macro_avg: ClassScores,
    /// Mean weighted by support (frequent classes count more).
    pub weighted_avg: ClassScores,
}

/// Precision `tp / (tp + fp)`, recall `tp / (tp + fn)` and `F1 = 2 p r / (p + r)` for
/// every class `0..n_classes`, with macro and weighted averages. A ratio with a zero
/// denominator is 0 (`zero_division=0`).
///
/// Matches `sklearn.metrics.precision_recall_fscore_support(..., labels=range(n_classes),
/// zero_division=0)` and its `average="macro"` / `"weighted"` forms (tested).
pub fn classification_report(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<ClassificationReport> {
    let counts = confusion_matrix(y_true, y_pred, n_classes)?;
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_class: Vec<ClassScores> = (0..n_classes)
        .map(|c| {
            let tp = counts[c][c];
            let predicted: usize = (0..n_classes).map(|t| counts[t][c]).sum();
            let support: usize = counts[c].iter().sum();
            let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
            let f1 =
                if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
            ClassScores { precision, recall, f1, support }
        })
        .collect();
    let total: usize = per_class.iter().map(|c| c.support).sum();
    let average = |weight: &dyn Fn(&ClassScores) -> f64| {
        let norm: f64 = per_class.iter().map(weight).sum();
        let mean = |f: fn(&ClassScores) -> f64| {
            if norm == 0.0 { 0.0 } else { per_class.iter().map(|c| weight(c) * f(c)).sum::<f64>() / norm }
        };
        ClassScores {
            precision: mean(|c| c.precision),
            recall: mean(|c| c.recall),
            f1: mean(|c| c.f1),
            support: total,
        }
    };
    Ok(ClassificationReport {
        accuracy: accuracy(y_true, y_pred)?,
        macro_avg: average(&|_| 1.0),
        weighted_avg: average(&|c| c.support as f64),
        per_class,
    })
}

/// Fraction of samples whose true class is among the `k` highest scores of its row.
/// `scores[i]` holds one score per class. Ties are broken as scikit-learn does (the
/// higher class index ranks first among equal scores).
///
/// Matches `sklearn.metrics.top_k_accuracy_score(y_true, scores, k=k)` (tested).
pub fn top_k_accuracy(y_true: &[usize], scores: &[Vec<f64>], k: usize) -> Result<f64> {
    same_length("top_k_accuracy", y_true.len(), scores.len())?;
    let hits = y_true
        .iter()
        .zip(scores)
        .filter(|(t, row)| {
            let mut order: Vec<usize> = (0..row.len()).collect();
            // Stable ascending sort, then reversed: scikit-learn's argsort(kind="mergesort")[::-1].
            order.sort_by(|&a, &b| row[a].total_cmp(&row[b]));
            order.iter().rev().take(k).any(|c| c == *t)
        })
        .count();
    Ok(hits as f64 / y_true.len() as f64)
}

/// Area under the ROC curve of a binary problem: the probability that a random positive
/// scores above a random negative, ties counting one half (the Mann-Whitney statistic).
///
/// Matches `sklearn.metrics.roc_auc_score(labels, scores)` (tested, with ties).
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Result<f64> {
    same_length("roc_auc", labels.len(), scores.len())?;
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(Error::Parameter("roc_auc needs both positive and negative samples".into()));
    }
    // Average ranks (1-based), ties sharing the mean of their positions.
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut ranks = vec![0.0; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        let mean_rank = (start + end) as f64 / 2.0 + 1.0;
        for &i in &order[start..=end] {
            ranks[i] = mean_rank;
        }
        start = end + 1;
    }
    let positive_rank_sum: f64 = labels.iter().zip(&ranks).filter(|(l, _)| **l).map(|(_, r)| r).sum();
    let p = positives as f64;
    Ok((positive_rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}
