//! The localisation metrics against "How to Listen?"'s `eval_utils.py`, as
//! `tests/fixtures/make_localisation_fixtures.py` runs it (the maps are remade here from the
//! same formula).

use dl4mir_eval::localisation::{clean_map, iou, summary};
use serde_json::Value;

mod common;
use common::lcg_noise;

const SIZE: usize = 16;

fn predicted(i: usize) -> Vec<f64> {
    let (cy, cx) = if i.is_multiple_of(3) {
        (3 + (5 * i) % 10, 2 + (7 * i) % 12)
    } else {
        (6 + (i % 7) / 2 + (i % 6) / 2, 7 + i % 5)
    };
    let width = 1.5 + 0.25 * (i % 4) as f64;
    let noise = lcg_noise(300 + i as u64, SIZE * SIZE);
    (0..SIZE * SIZE)
        .map(|p| {
            let (y, x) = ((p / SIZE) as f64, (p % SIZE) as f64);
            let d2 = (y - cy as f64).powi(2) + (x - cx as f64).powi(2);
            (-d2 / (2.0 * width * width)).exp() + 0.6 * noise[p]
        })
        .collect()
}

fn truth(i: usize) -> Vec<f64> {
    let mut boxes = vec![(4 + i % 5, 3 + i % 7, 10 + i % 5, 9 + i % 6)];
    if i.is_multiple_of(2) {
        boxes.push((5 + i % 4, 2 + i % 6, 11 + i % 4, 10 + i % 5));
    }
    let mut gt = vec![0.0; SIZE * SIZE];
    for (x0, y0, x1, y1) in boxes {
        for y in y0..y1 {
            for x in x0..x1 {
                gt[y * SIZE + x] += 1.0;
            }
        }
    }
    gt.iter().map(|g: &f64| (g / 2.0).min(1.0)).collect()
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-12, "{what}: {got} vs eval_utils' {want}");
}

#[test]
fn clean_maps_ious_ciou_and_auc_match_eval_utils() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/localisation.json")).unwrap();
    let n = fixture["maps"].as_u64().unwrap() as usize;
    let mut ious = Vec::new();
    for i in 0..n {
        let cleaned = clean_map(&predicted(i)).unwrap();
        close(cleaned.iter().sum(), fixture["cleaned_sums"][i].as_f64().unwrap(), "cleaned sum");
        let zeros = cleaned.iter().filter(|&&v| v == 0.0).count() as u64;
        assert_eq!(zeros, fixture["cleaned_zeros"][i].as_u64().unwrap(), "zeros of map {i}");
        let value = iou(&cleaned, &truth(i)).unwrap();
        close(value, fixture["ious"][i].as_f64().unwrap(), &format!("IoU of map {i}"));
        ious.push(value);
    }
    let s = summary(&ious).unwrap();
    close(s.ciou, fixture["ciou"].as_f64().unwrap(), "cIoU");
    close(s.auc, fixture["auc"].as_f64().unwrap(), "AUC");
    assert!(s.ciou > 0.0 && s.ciou < 1.0, "the fixture should test both sides of 0.5: {}", s.ciou);
}

#[test]
fn the_extremes() {
    // A map that is the truth scores 1 everywhere; a map away from it scores 0.
    let truth: Vec<f64> = (0..16).map(|p| if p < 8 { 1.0 } else { 0.0 }).collect();
    let right = clean_map(&truth).unwrap();
    assert_eq!(iou(&right, &truth).unwrap(), 1.0);
    let wrong: Vec<f64> = truth.iter().map(|g| 1.0 - g).collect();
    assert_eq!(iou(&clean_map(&wrong).unwrap(), &truth).unwrap(), 0.0);
    let all_right = summary(&[1.0, 1.0]).unwrap();
    assert!((all_right.ciou - 1.0).abs() < 1e-12 && (all_right.auc - 1.0).abs() < 1e-12);
    let all_wrong = summary(&[0.0, 0.0]).unwrap();
    assert!(all_wrong.ciou == 0.0 && (all_wrong.auc - 0.025).abs() < 1e-12, "{all_wrong:?}");
}

#[test]
fn bad_input_is_one_clear_line() {
    assert_eq!(
        iou(&[0.0; 4], &[0.0; 4]).unwrap_err().to_string(),
        "iou: the true map is empty (no pixel sounds)"
    );
    assert_eq!(iou(&[0.0; 4], &[2.0; 4]).unwrap_err().to_string(), "iou: the true map must lie in [0, 1]");
    assert_eq!(
        iou(&[0.0; 4], &[1.0; 3]).unwrap_err().to_string(),
        "iou: 4 vs 3 values; they must have one entry per sample"
    );
    assert!(clean_map(&[f64::NAN, 1.0]).is_err());
}
