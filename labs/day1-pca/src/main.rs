//! `cargo run -p day1-pca [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day1_pca::run)
}
