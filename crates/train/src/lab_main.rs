//! The `main` of every lab: parse the flags, run the lesson, print its summary, or one line
//! of error and a failing exit status (never a panic backtrace for a user's mistake).

use crate::RunReport;
use std::io::Write;
use std::process::ExitCode;

/// ```ignore
/// fn main() -> std::process::ExitCode {
///     dl4mir_train::lab_main(day1_pca::run)
/// }
/// ```
pub fn lab_main<C: clap::Parser>(run: impl FnOnce(&C) -> anyhow::Result<RunReport>) -> ExitCode {
    let cli = C::parse();
    match run(&cli) {
        Ok(report) => {
            // Not println!: a closed pipe (`| head`) is no reason for a panic.
            let _ = writeln!(std::io::stdout(), "{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
