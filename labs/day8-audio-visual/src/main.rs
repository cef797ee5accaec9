//! `cargo run -p day8-audio-visual [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day8_audio_visual::run)
}
