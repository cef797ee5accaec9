//! Retrieval metrics for Day 7 (audio <-> text): recall@k, median rank, average precision.
//!
//! For paired data, `similarity[q][i]` scores item `i` for query `q` and the one right
//! answer for query `q` is item `q` (the diagonal).

use crate::error::{Error, Result, same_length};

/// Rank (1 = best) of the right item of each query: 1 + the number of items scoring strictly
/// higher. Ties go in the right item's favour.
pub fn ranks(similarity: &[Vec<f64>]) -> Result<Vec<usize>> {
    if similarity.is_empty() {
        return Err(Error::Empty("ranks"));
    }
    similarity
        .iter()
        .enumerate()
        .map(|(q, row)| {
            same_length("similarity row vs number of queries", row.len(), similarity.len())?;
            Ok(1 + row.iter().filter(|&&s| s > row[q]).count())
        })
        .collect()
}

/// Fraction of queries whose right item is within the top `k`.
pub fn recall_at_k(similarity: &[Vec<f64>], k: usize) -> Result<f64> {
    let ranks = ranks(similarity)?;
    Ok(ranks.iter().filter(|&&r| r <= k).count() as f64 / ranks.len() as f64)
}

/// Median rank of the right item (the middle two averaged for an even count).
pub fn median_rank(similarity: &[Vec<f64>]) -> Result<f64> {
    let mut ranks = ranks(similarity)?;
    ranks.sort_unstable();
    let n = ranks.len();
    Ok(if n % 2 == 1 { ranks[n / 2] as f64 } else { (ranks[n / 2 - 1] + ranks[n / 2]) as f64 / 2.0 })
}

/// Average precision of one ranked list: the mean of the precision at each relevant item,
/// `AP = sum_n (R_n - R_(n-1)) P_n` over score thresholds from high to low (tied scores
/// form one threshold). Matches `sklearn.metrics.average_precision_score(relevant, scores)`.
pub fn average_precision(relevant: &[bool], scores: &[f64]) -> Result<f64> {
    same_length("average_precision", relevant.len(), scores.len())?;
    let total_relevant = relevant.iter().filter(|&&r| r).count();
    if total_relevant == 0 {
        return Err(Error::Parameter("average_precision needs at least one relevant item".into()));
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut seen, mut ap, mut last_recall) = (0usize, 0usize, 0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        // Take every item tied at this score at once.
        let threshold = scores[order[i]];
        while i < order.len() && scores[order[i]] == threshold {
            tp += usize::from(relevant[order[i]]);
            seen += 1;
            i += 1;
        }
        let recall = tp as f64 / total_relevant as f64;
        ap += (recall - last_recall) * (tp as f64 / seen as f64);
        last_recall = recall;
    }
    Ok(ap)
}

/// Mean of [`average_precision`] over queries.
pub fn mean_average_precision(relevant: &[Vec<bool>], scores: &[Vec<f64>]) -> Result<f64> {
    same_length("mean_average_precision", relevant.len(), scores.len())?;
    let aps: Vec<f64> =
        relevant.iter().zip(scores).map(|(r, s)| average_precision(r, s)).collect::<Result<_>>()?;
    Ok(aps.iter().sum::<f64>() / aps.len() as f64)
}
