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
    keep_freed_memory();
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

/// burn's CPU backend allocates a fresh buffer for most results, and glibc hands buffers of
/// more than 128 KiB straight back to the kernel when they are freed, so every training
/// step paid page faults for its weight-sized temporaries again (`sys` time was a quarter
/// of Day 4's run). Keeping freed memory in the process makes a VAE step ~30% faster; the
/// peak memory is unchanged. [`lab_main`] calls it first; benchmarks call it themselves.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any thread starts.
    unsafe {
        // 32 MiB is the largest threshold glibc accepts; larger blocks still come from mmap.
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}
