//! Helpers for the workspace-level tests: finding the book's chapters and the Rust code
//! blocks in them, and running cargo from a program that cargo started.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// `command` without the variables Cargo sets for the program it runs (`cargo run`,
/// `cargo test`): `CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, `OUT_DIR`... Build scripts watch
/// some of them (ring's watches both), so a cargo started with them set runs those scripts
/// again and recompiles everything above them (ring, rustls, ureq, our datasets crate and
/// every lab), then once more in the next plain `cargo` from a shell.
pub fn without_cargo_run_env(command: &mut Command) -> &mut Command {
    let set_by_cargo = |name: &str| {
        ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_"].iter().any(|prefix| name.starts_with(prefix))
            || ["CARGO_CRATE_NAME", "CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "OUT_DIR"].contains(&name)
    };
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_by_cargo) {
            command.env_remove(name);
        }
    }
    command
}

/// Every Markdown file of the book's sources, sorted (generated material excluded).
pub fn chapters() -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect_markdown(&project_root().join("book/src"), &mut files);
    files.sort();
    files
}

fn collect_markdown(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                collect_markdown(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

/// A fenced code block whose language is Rust.
#[derive(Debug, Clone)]
pub struct RustBlock {
    /// Line of the opening fence (1-based), for messages.
    pub line: usize,
    /// The attributes after `rust`, e.g. `["noplayground"]`.
    pub attributes: Vec<String>,
    /// The code as mdBook runs it: hidden lines (`# ...`) included, without their marker.
    pub code: String,
}

impl RustBlock {
    pub fn has(&self, attribute: &str) -> bool {
        self.attributes.iter().any(|a| a == attribute)
    }

    /// Included from a crate with `{{#include}}`: compiled and tested there, not here.
    pub fn is_included(&self) -> bool {
        self.code.contains("{{#include") || self.code.contains("{{#rustdoc_include")
    }
}

/// The Rust blocks of a Markdown text, in order.
pub fn rust_blocks(markdown: &str) -> Vec<RustBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, RustBlock)> = None; // (fence, block)
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some((fence, block)) = &mut current {
            if trimmed.starts_with(fence.as_str()) && trimmed.trim_start_matches(['`', '~']).trim().is_empty()
            {
                let (_, done) = current.take().unwrap();
                blocks.push(done);
            } else {
                block.code.push_str(unhide(line));
                block.code.push('\n');
            }
            continue;
        }
        let fence: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
        if fence.len() >= 3 {
            let info: Vec<String> = trimmed[fence.len()..]
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if info.first().is_some_and(|lang| lang == "rust") {
                let block = RustBlock { line: i + 1, attributes: info[1..].to_vec(), code: String::new() };
                current = Some((fence, block));
            } else {
                // Another language: skip to its closing fence by tracking it as a non-Rust block.
                current = Some((
                    fence,
                    RustBlock { line: 0, attributes: vec!["not-rust".into()], code: String::new() },
                ));
            }
        }
    }
    blocks.retain(|b| !b.has("not-rust"));
    blocks
}

/// mdBook hides lines starting with `# ` (or a lone `#`) from the reader but runs them.
fn unhide(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed == "#" {
        ""
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        rest
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rust_blocks_with_attributes_and_hidden_lines() {
        let md = "text\n```sh\ncargo run\n```\n```rust,noplayground\n# fn hidden() {}\nfn main() {}\n```\n~~~rust\nlet x = 1;\n~~~\n";
        let blocks = rust_blocks(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].line, 5);
        assert!(blocks[0].has("noplayground"));
        assert_eq!(blocks[0].code, "fn hidden() {}\nfn main() {}\n");
        assert_eq!(blocks[1].code, "let x = 1;\n");
    }
}
