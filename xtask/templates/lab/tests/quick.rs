//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Alone in its binary: burn's generator is
//! shared by the whole process.

use clap::Parser;

#[test]
fn quick_run_metrics() {
    let out = dl4mir_train::testing::fresh_dir("__LAB__-quick");
    let args = ["__LAB__", "--quick", "--seed", "42", "--out", out.to_str().unwrap()];
    let cli = __CRATE__::Cli::parse_from(args);
    let report = __CRATE__::run(&cli).unwrap();
    assert!(out.join("metrics.json").is_file() && out.join("loss.png").is_file());
    std::fs::remove_dir_all(&out).ok();
    insta::assert_json_snapshot!(report.snapshot(4));
}
