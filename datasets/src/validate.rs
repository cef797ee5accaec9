//! `validate`: is every file of the index present, with the right md5?

use crate::checksum::md5_file;
use crate::egfxset::Egfxset;
use crate::error::Result;
use crate::progress::progress_bar;
use rayon::prelude::*;

/// What [`Egfxset::validate`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    /// Files checked.
    pub checked: usize,
    /// Files of the index that are not on disk (paths relative to the dataset folder).
    pub missing: Vec<String>,
    /// Files whose md5 differs from the index's.
    pub mismatched: Vec<String>,
}

impl Validation {
    /// Nothing missing, nothing mismatched.
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.mismatched.is_empty()
    }

    /// A report a person can read: the first 20 bad files of each kind, then a count.
    pub fn report(&self) -> String {
        if self.is_ok() {
            return format!("all {} files present with the right md5", self.checked);
        }
        let mut out = String::new();
        for (what, files) in [("missing", &self.missing), ("md5 mismatch", &self.mismatched)] {
            if files.is_empty() {
                continue;
            }
            out += &format!("{} file(s) {what}:\n", files.len());
            for f in files.iter().take(20) {
                out += &format!("  {f}\n");
            }
            if files.len() > 20 {
                out += &format!("  ... and {} more\n", files.len() - 20);
            }
        }
        out + "fix: `cargo run -p dl4mir-datasets -- download` (real) or `synth` (synthetic) again"
    }
}

impl Egfxset {
    /// Check every file of the index and the metadata CSV, in parallel, with a progress bar.
    pub fn validate(&self) -> Result<Validation> {
        let mut files: Vec<(&str, &str)> =
            self.index().tracks.values().map(|e| (e.path.as_str(), e.md5.as_str())).collect();
        files.push((&self.index().metadata.path, &self.index().metadata.md5));
        self.validate_files(&files)
    }

    /// Check only the tracks of some effects (after a partial download), plus the CSV.
    pub fn validate_effects(&self, effects: &[crate::Effect]) -> Result<Validation> {
        let mut files: Vec<(&str, &str)> = Vec::new();
        for (id, e) in &self.index().tracks {
            if effects.iter().any(|fx| id.starts_with(&format!("{}_", fx.folder()))) {
                files.push((&e.path, &e.md5));
            }
        }
        files.push((&self.index().metadata.path, &self.index().metadata.md5));
        self.validate_files(&files)
    }

    fn validate_files(&self, files: &[(&str, &str)]) -> Result<Validation> {
        let bar = progress_bar(files.len() as u64, "validating");
        enum Outcome {
            Ok,
            Missing,
            Mismatch,
        }
        let outcomes: Vec<Outcome> = files
            .par_iter()
            .map(|(path, md5)| {
                let full = self.root().join(path);
                let outcome = if !full.exists() {
                    Outcome::Missing
                } else if md5_file(&full)? != *md5 {
                    Outcome::Mismatch
                } else {
                    Outcome::Ok
                };
                bar.inc(1);
                Ok(outcome)
            })
            .collect::<Result<_>>()?;
        bar.finish_and_clear();
        let mut report = Validation { checked: files.len(), ..Default::default() };
        for ((path, _), outcome) in files.iter().zip(outcomes) {
            match outcome {
                Outcome::Ok => {}
                Outcome::Missing => report.missing.push(path.to_string()),
                Outcome::Mismatch => report.mismatched.push(path.to_string()),
            }
        }
        Ok(report)
    }
}
