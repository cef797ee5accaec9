//! The default learning rates are the ones `--lr-sweep` chose, as recorded beside the crate
//! (`lr-sweep.json`, the `lr_sweep` part of that run's `metrics.json`; `lr-sweep.md`, its
//! table, is what the book prints). Change a default only with a new recorded sweep.

use day5_cnn_gru_attention::compare::Architecture;

#[test]
fn default_learning_rates_are_the_recorded_sweeps_choices() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/lr-sweep.json");
    let text = std::fs::read_to_string(path).expect("lr-sweep.json is committed");
    let sweep: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    for architecture in Architecture::ALL {
        let best =
            sweep[architecture.name()]["best_lr"].as_f64().expect("a best rate per model");
        assert_eq!(architecture.default_lr(), best, "{}", architecture.name());
    }
}
