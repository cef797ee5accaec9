//! `cargo run -p day4-vae [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day4_vae::run)
}
