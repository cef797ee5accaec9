//! What a run cost: wall time, peak memory and energy.
//!
//! Energy follows the Day 4 talk (Ronchini et al., energy of sound event detection
//! systems): measured from the CPU's RAPL counters where Linux exposes them
//! (`/sys/class/powercap/intel-rapl:*/energy_uj`), otherwise *estimated* as time x a
//! stated power, as CodeCarbon does — and then labelled an estimate.

use std::path::PathBuf;
use std::time::Instant;

/// Power assumed when nothing can be measured: two busy cores of a laptop-class CPU.
pub const ESTIMATED_WATTS: f64 = 15.0;

/// How the energy figure was obtained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Energy {
    /// Read from RAPL package counters (CPU package energy only; no GPU, no DRAM).
    Measured { joules: f64, source: String },
    /// Not measurable here: `seconds x watts`.
    Estimated { joules: f64, watts: f64 },
}

impl Energy {
    /// The number, whichever way it was found.
    pub fn joules(&self) -> f64 {
        match self {
            Energy::Measured { joules, .. } | Energy::Estimated { joules, .. } => *joules,
        }
    }

    /// "12.3 J (measured, RAPL)" or "12.3 J (estimate at 15 W)".
    pub fn describe(&self) -> String {
        match self {
            Energy::Measured { joules, source } => format!("{joules:.1} J (measured, {source})"),
            Energy::Estimated { joules, watts } => {
                format!("{joules:.1} J (estimate: time x {watts} W, not a measurement)")
            }
        }
    }
}

/// Started at the beginning of a run; [`Stopwatch::stop`] reads what it cost.
#[derive(Debug)]
pub struct Stopwatch {
    start: Instant,
    rapl_start: Option<Vec<(PathBuf, u64, u64)>>,
}

impl Stopwatch {
    pub fn start() -> Self {
        Self { start: Instant::now(), rapl_start: rapl_read() }
    }

    /// Seconds since the start.
    pub fn seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Wall time (s) and energy since the start.
    pub fn stop(&self) -> (f64, Energy) {
        let seconds = self.seconds();
        let measured = self.rapl_start.as_ref().zip(rapl_read()).map(|(before, after)| {
            before
                .iter()
                .zip(&after)
                .map(|((_, a, max), (_, b, _))| if b >= a { b - a } else { max - a + b }) // the counter wraps
                .sum::<u64>() as f64
                / 1e6
        });
        let energy = match measured {
            Some(joules) => Energy::Measured { joules, source: "RAPL package counters".into() },
            None => Energy::Estimated { joules: seconds * ESTIMATED_WATTS, watts: ESTIMATED_WATTS },
        };
        (seconds, energy)
    }
}

/// `(path, energy_uj, max_energy_range_uj)` of every readable RAPL package domain.
fn rapl_read() -> Option<Vec<(PathBuf, u64, u64)>> {
    let domains: Vec<(PathBuf, u64, u64)> = std::fs::read_dir("/sys/class/powercap")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("intel-rapl:") && n.matches(':').count() == 1)
        })
        .filter_map(|p| {
            let read = |f: &str| std::fs::read_to_string(p.join(f)).ok()?.trim().parse::<u64>().ok();
            Some((p.clone(), read("energy_uj")?, read("max_energy_range_uj")?))
        })
        .collect();
    (!domains.is_empty()).then_some(domains)
}

/// Peak resident memory of this process (MB), from `/proc/self/status` (`VmHWM`), where
/// the system has it.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
