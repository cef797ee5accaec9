//! The check that the book's code fits its column: no line of a code block, written in a
//! page or included from a lab with `{{#include FILE:ANCHOR}}`, is wider than
//! [`MAX_COLUMNS`]. A wider line hides behind a sideways scroll bar, where a reader on a
//! laptop never sees the end of it.
//!
//! [`MAX_COLUMNS`] is what the theme shows: `--content-max-width` 820 px (theme/dl4mir.css)
//! less the block's padding, in 14 px Source Code Pro (8.4 px a character). The labs are
//! formatted to it (`labs/rustfmt.toml`); comments and strings are wrapped by hand.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The widest code line the book's column shows without scrolling.
pub const MAX_COLUMNS: usize = 95;

/// Check every page under the book's source folder `src`; fail listing each wide line.
pub fn check(src: &Path) -> Result<()> {
    let mut wide = Vec::new();
    for page in pages(src)? {
        let text =
            std::fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))?;
        let name = page.strip_prefix(src).unwrap_or(&page).display().to_string();
        for (number, line) in code_lines(&text) {
            if let Some(include) = line.trim().strip_prefix("{{#include ").and_then(|l| l.strip_suffix("}}"))
            {
                let directory = page.parent().context("a page is in a folder")?;
                for (source, source_line, code) in included(directory, include.trim())? {
                    if width(&code) > MAX_COLUMNS {
                        wide.push(format!(
                            "{name}:{number} includes {source}:{source_line} ({} columns)",
                            width(&code)
                        ));
                    }
                }
            } else if width(line) > MAX_COLUMNS {
                wide.push(format!("{name}:{number} ({} columns)", width(line)));
            }
        }
    }
    if !wide.is_empty() {
        bail!(
            "{} code line(s) in the book are wider than its column ({MAX_COLUMNS} characters):\n{}\n\
             Wrap them (`cargo fmt` wraps code; comments and strings by hand).",
            wide.len(),
            wide.join("\n")
        );
    }
    Ok(())
}

/// Every `.md` page under `src`, sorted (the generated folder holds no pages of its own).
fn pages(src: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in
            std::fs::read_dir(&folder).with_context(|| format!("cannot read {}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "generated") {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The lines inside fenced code blocks, with their 1-based line numbers.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let mut inside = false;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
        } else if inside {
            lines.push((index + 1, line));
        }
    }
    lines
}

/// The lines `{{#include FILE[:ANCHOR]}}` brings in (as they are: mdBook 0.5 does not
/// dedent an anchor), each with its file and line number.
fn included(directory: &Path, include: &str) -> Result<Vec<(String, usize, String)>> {
    let (file, anchor) = match include.rsplit_once(':') {
        Some((file, anchor)) if !anchor.is_empty() && !anchor.chars().all(|c| c.is_ascii_digit()) => {
            (file, Some(anchor))
        }
        _ => (include, None),
    };
    let path = directory.join(file);
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = Vec::new();
    let mut inside = anchor.is_none();
    for (index, line) in text.lines().enumerate() {
        let marker = line.trim_start().trim_start_matches("//").trim();
        match anchor {
            Some(name) if marker == format!("ANCHOR: {name}") => inside = true,
            Some(name) if marker == format!("ANCHOR_END: {name}") => inside = false,
            // Other anchors' markers inside a block are dropped by mdBook too.
            _ if marker.starts_with("ANCHOR: ") || marker.starts_with("ANCHOR_END: ") => {}
            _ if inside => lines.push((index + 1, line)),
            _ => {}
        }
    }
    let source = path.display().to_string();
    Ok(lines.into_iter().map(|(n, l)| (source.clone(), n, l.to_string())).collect())
}

/// Columns a line takes (characters; the book's code has no tabs).
fn width(line: &str) -> usize {
    line.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wide_lines_in_pages_and_in_included_anchors() {
        let dir = std::env::temp_dir().join(format!("code-width-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("day1")).unwrap();
        let long = "x".repeat(MAX_COLUMNS + 1);
        let code = format!(
            "fn a() {{}}\n    // ANCHOR: short\n    let fits = 1;\n    // ANCHOR_END: short\n// ANCHOR: long\n{long}\n// ANCHOR_END: long\n"
        );
        std::fs::write(dir.join("day1/lab.rs"), code).unwrap();
        let page = |body: &str| {
            std::fs::write(dir.join("day1/lab.md"), format!("Prose {long}\n\n```rust\n{body}\n```\n"))
        };
        page("{{#include lab.rs:short}}").unwrap();
        assert!(check(&dir).is_ok(), "prose and short included lines pass");
        page("{{#include lab.rs:long}}").unwrap();
        let err = check(&dir).unwrap_err().to_string();
        assert!(err.contains("day1/lab.md:4 includes") && err.contains("lab.rs:6"), "{err}");
        page(&long).unwrap();
        assert!(check(&dir).unwrap_err().to_string().contains("day1/lab.md:4 (96 columns)"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
