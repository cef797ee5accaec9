//! `cargo run -p __LAB__ [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(__CRATE__::run)
}
