//! `cargo run -p day5-cnn-gru-attention [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day5_cnn_gru_attention::run)
}
