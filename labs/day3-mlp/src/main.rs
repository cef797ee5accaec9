//! `cargo run -p day3-mlp [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day3_mlp::run)
}
