//! `cargo run -p __LAB__ [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = __CRATE__::Cli::parse();
    match __CRATE__::run(&cli) {
        Ok(report) => {
            println!("{}", report.summary());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
