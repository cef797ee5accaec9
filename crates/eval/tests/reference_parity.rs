//! Every metric against scikit-learn / mir_eval numbers stored by fixtures/make_fixtures.py.

use dl4mir_eval::{classification, regression, retrieval, separation, split, tempo};
use serde_json::Value;

fn reference() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{what}: {a} vs scikit-learn's {b}");
}

#[test]
fn classification_matches_scikit_learn() {
    let r = &reference()["classification"];
    let (t, p, n) = (usizes(&r["y_true"]), usizes(&r["y_pred"]), r["n_classes"].as_u64().unwrap() as usize);
    close(classification::accuracy(&t, &p).unwrap(), r["accuracy"].as_f64().unwrap(), "accuracy");
    let confusion = classification::confusion_matrix(&t, &p, n).unwrap();
    let expected: Vec<Vec<usize>> = r["confusion"].as_array().unwrap().iter().map(usizes).collect();
    assert_eq!(confusion, expected);
    let report = classification::classification_report(&t, &p, n).unwrap();
    for (c, scores) in report.per_class.iter().enumerate() {
        close(scores.precision, floats(&r["precision"])[c], "precision");
        close(scores.recall, floats(&r["recall"])[c], "recall");
        close(scores.f1, floats(&r["f1"])[c], "f1");
        assert_eq!(scores.support, usizes(&r["support"])[c]);
    }
    assert_eq!(report.per_class[3].precision, 0.0, "class 3 is never predicted: zero division gives 0");
    for (avg, key) in [(&report.macro_avg, "macro"), (&report.weighted_avg, "weighted")] {
        let e = floats(&r[key]);
        close(avg.precision, e[0], key);
        close(avg.recall, e[1], key);
        close(avg.f1, e[2], key);
    }
    let scores: Vec<Vec<f64>> = r["scores"].as_array().unwrap().iter().map(floats).collect();
    for k in [1, 2, 3] {
        let expected = r["top_k"][k.to_string()].as_f64().unwrap();
        close(classification::top_k_accuracy(&t, &scores, k).unwrap(), expected, &format!("top-{k}"));
    }
}

#[test]
fn roc_auc_matches_scikit_learn_with_ties() {
    let r = &reference()["roc_auc"];
    let labels: Vec<bool> = usizes(&r["labels"]).iter().map(|&l| l == 1).collect();
    close(
        classification::roc_auc(&labels, &floats(&r["scores"])).unwrap(),
        r["auc"].as_f64().unwrap(),
        "roc_auc",
    );
}

#[test]
fn regression_matches_scikit_learn() {
    let r = &reference()["regression"];
    let (t, p) = (floats(&r["y_true"]), floats(&r["y_pred"]));
    close(regression::mse(&t, &p).unwrap(), r["mse"].as_f64().unwrap(), "mse");
    close(regression::mae(&t, &p).unwrap(), r["mae"].as_f64().unwrap(), "mae");
    close(regression::r2(&t, &p).unwrap(), r["r2"].as_f64().unwrap(), "r2");
    assert_eq!(regression::r2(&[3.0, 3.0], &[3.0, 3.0]).unwrap(), 1.0);
}

#[test]
fn unshuffled_splits_are_scikit_learn_s_folds() {
    let r = &reference()["splits"];
    let tests = |v: &Value| -> Vec<Vec<usize>> { v.as_array().unwrap().iter().map(usizes).collect() };
    let ours = |folds: Vec<split::Fold>| -> Vec<Vec<usize>> { folds.into_iter().map(|f| f.test).collect() };
    let k = |v: &Value| v["k"].as_u64().unwrap() as usize;

    let kf = &r["kfold"];
    assert_eq!(
        ours(split::k_fold(kf["n"].as_u64().unwrap() as usize, k(kf), None).unwrap()),
        tests(&kf["test"])
    );
    let st = &r["stratified"];
    assert_eq!(ours(split::stratified_k_fold(&usizes(&st["y"]), k(st), None).unwrap()), tests(&st["test"]));
    let gr = &r["grouped"];
    assert_eq!(ours(split::group_k_fold(&usizes(&gr["groups"]), k(gr), None).unwrap()), tests(&gr["test"]));
}

#[test]
fn shuffled_splits_are_seeded_partitions() {
    let strings: Vec<usize> = (0..120).map(|i| 1 + i % 6).collect();
    let a = split::group_k_fold(&strings, 3, Some(42)).unwrap();
    assert_eq!(a, split::group_k_fold(&strings, 3, Some(42)).unwrap(), "same seed, same folds");
    for fold in &a {
        let test_strings: std::collections::BTreeSet<usize> = fold.test.iter().map(|&i| strings[i]).collect();
        assert!(fold.train.iter().all(|&i| !test_strings.contains(&strings[i])), "a string on both sides");
        assert_eq!(fold.train.len() + fold.test.len(), 120);
    }
    let kf = split::k_fold(10, 3, Some(1)).unwrap();
    let mut all: Vec<usize> = kf.iter().flat_map(|f| f.test.clone()).collect();
    all.sort_unstable();
    assert_eq!(all, (0..10).collect::<Vec<_>>(), "every sample tested once");
    assert_ne!(kf[0].test, vec![0, 1, 2, 3], "shuffled");
    let err = split::group_k_fold(&strings, 7, None).unwrap_err().to_string();
    assert_eq!(err, "k=7 folds need 2 <= k <= 6 (the number of groups)");
}

#[test]
fn retrieval_metrics() {
    let r = &reference()["retrieval"];
    let similarity: Vec<Vec<f64>> = r["similarity"].as_array().unwrap().iter().map(floats).collect();
    // Ranks by brute force: 1 + items strictly above the right one.
    let ranks = retrieval::ranks(&similarity).unwrap();
    for (q, row) in similarity.iter().enumerate() {
        assert_eq!(ranks[q], 1 + row.iter().filter(|&&s| s > row[q]).count());
    }
    assert_eq!(ranks[3], 1 + similarity[3].iter().filter(|&&s| s > similarity[3][3]).count(), "a tie helps");
    let r1 = retrieval::recall_at_k(&similarity, 1).unwrap();
    assert_eq!(r1, ranks.iter().filter(|&&x| x == 1).count() as f64 / 12.0);
    assert_eq!(retrieval::recall_at_k(&similarity, 12).unwrap(), 1.0);
    let mut sorted = ranks.clone();
    sorted.sort_unstable();
    assert_eq!(retrieval::median_rank(&similarity).unwrap(), (sorted[5] + sorted[6]) as f64 / 2.0);

    let relevance: Vec<Vec<bool>> = r["relevance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect())
        .collect();
    let scores: Vec<Vec<f64>> = r["ap_scores"].as_array().unwrap().iter().map(floats).collect();
    let expected = floats(&r["average_precision"]);
    for q in 0..relevance.len() {
        close(
            retrieval::average_precision(&relevance[q], &scores[q]).unwrap(),
            expected[q],
            "average precision",
        );
    }
    close(
        retrieval::mean_average_precision(&relevance, &scores).unwrap(),
        expected.iter().sum::<f64>() / expected.len() as f64,
        "mAP",
    );
}

#[test]
fn tempo_accuracies_match_mir_eval() {
    let r = &reference()["tempo"];
    let (refs, ests) = (floats(&r["reference"]), floats(&r["estimated"]));
    let flags = |key: &str| -> Vec<bool> {
        r[key].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect()
    };
    for (i, (&rf, &es)) in refs.iter().zip(&ests).enumerate() {
        assert_eq!(
            tempo::within_tolerance(rf, es),
            flags("accuracy1")[i],
            "accuracy 1, clip {i}: {rf} vs {es}"
        );
        assert_eq!(
            tempo::within_tolerance_up_to_octave(rf, es),
            flags("accuracy2")[i],
            "accuracy 2, clip {i}"
        );
    }
    let count = |key: &str| flags(key).iter().filter(|&&b| b).count() as f64 / refs.len() as f64;
    assert_eq!(tempo::accuracy1(&refs, &ests).unwrap(), count("accuracy1"));
    assert_eq!(tempo::accuracy2(&refs, &ests).unwrap(), count("accuracy2"));
}

#[test]
fn sdr_and_how_it_relates_to_bss_eval() {
    let r = &reference()["separation"];
    let (s, e) = (floats(&r["reference"]), floats(&r["estimate"]));
    let plain = separation::sdr(&s, &e).unwrap();
    close(plain, r["sdr"].as_f64().unwrap(), "sdr");
    // An estimate that is its source plus noise: here the filter forgives a little.
    let bss = dl4mir_eval::bss_eval::bss_eval_sources(std::slice::from_ref(&s), std::slice::from_ref(&e))
        .unwrap()[0];
    close(bss.sdr, r["bss_eval_sdr"].as_f64().unwrap(), "bss eval sdr");
    assert!(bss.sdr >= plain, "BSS Eval {:.2} dB, plain {plain:.2} dB", bss.sdr);
    // SI-SDR forgives a gain: a scaled estimate keeps it, the plain SDR drops.
    let halved: Vec<f64> = e.iter().map(|x| 0.5 * x).collect();
    close(
        separation::si_sdr(&s, &halved).unwrap(),
        separation::si_sdr(&s, &e).unwrap(),
        "si-sdr scale invariance",
    );
    assert!(separation::sdr(&s, &halved).unwrap() < plain - 3.0);
}

#[test]
fn mismatched_inputs_are_one_clear_line() {
    let err = classification::accuracy(&[1, 2, 3], &[1, 2]).unwrap_err().to_string();
    assert_eq!(err, "accuracy: 3 vs 2 values; they must have one entry per sample");
    let err = classification::confusion_matrix(&[0, 5], &[0, 1], 3).unwrap_err().to_string();
    assert_eq!(err, "label 5 is outside 0..3; pass the number of classes");
    assert_eq!(regression::mse(&[], &[]).unwrap_err().to_string(), "mse: no samples to evaluate");
}
