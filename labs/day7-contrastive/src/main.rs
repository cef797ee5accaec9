//! `cargo run -p day7-contrastive [-- --part retrieval|zero-shot | --quick | --full | --help]`:
//! the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day7_contrastive::run)
}
