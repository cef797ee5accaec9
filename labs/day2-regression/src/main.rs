//! `cargo run -p day2-regression [-- --quick | --full | --help]`: the lesson is in `lib.rs`.

use clap::Parser;
use std::io::Write;

fn main() -> std::process::ExitCode {
    let cli = day2_regression::Cli::parse();
    match day2_regression::run(&cli) {
        Ok(report) => {
            // Not println!: a closed pipe (`| head`) is no reason for a panic.
            let _ = writeln!(std::io::stdout(), "{}", report.summary());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
