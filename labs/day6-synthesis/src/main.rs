//! `cargo run -p day6-synthesis [-- --part fm|programming|rave | --quick | --full | --help]`:
//! the lesson is in `lib.rs`.

fn main() -> std::process::ExitCode {
    dl4mir_train::lab_main(day6_synthesis::run)
}
