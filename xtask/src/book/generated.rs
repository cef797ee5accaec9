//! Numbers and files the labs produced, brought into the text: `{{#metric LAB KEY}}`
//! becomes the value at KEY (a dotted path, e.g. `metrics.test_accuracy`) of
//! `generated/LAB/metrics.json`, and every link to `generated/...` must name a file that
//! exists. So prose and results cannot disagree, and a missing one stops the build with its
//! name instead of leaving a hole in the page.
//!
//! `{{#metric LAB KEY DIGITS}}` rounds to DIGITS decimals; `{{#metric LAB KEY percent}}`
//! prints a fraction as a percentage with one decimal; `{{#metric LAB KEY sci}}` prints a
//! tiny or huge number as `1.7e-13`. `\{{#metric ...}}` (with a
//! backslash, as mdBook's own `\{{#include}}`) is printed as written.

use anyhow::{Context, Result, anyhow, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde_json::Value;
use std::path::Path;

/// The preprocessor registered with mdBook.
pub struct Generated;

impl Preprocessor for Generated {
    fn name(&self) -> &str {
        "dl4mir-generated"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let src = ctx.root.join(&ctx.config.book.src);
        let mut failure = None;
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item
                && failure.is_none()
            {
                let dir = chapter
                    .path
                    .as_ref()
                    .and_then(|p| p.parent())
                    .map(|p| src.join(p))
                    .unwrap_or(src.clone());
                match fill_in(&chapter.content, &src, &dir) {
                    Ok(text) => chapter.content = text,
                    Err(e) => failure = Some(e.context(format!("in chapter \"{}\"", chapter.name))),
                }
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(book),
        }
    }
}

/// Replace the metric directives of `text` and check its links to generated files. `src` is
/// the book's source folder, `chapter_dir` the chapter's own (links are relative to it).
pub fn fill_in(text: &str, src: &Path, chapter_dir: &Path) -> Result<String> {
    let annotated = with_run_commands(text)?;
    let text = annotated.as_str();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{#metric ") {
        if rest[..start].ends_with('\\') {
            // `\{{#metric` is the directive written about, not used: drop the backslash.
            out.push_str(&rest[..start - 1]);
            out.push_str("{{#metric ");
            rest = &rest[start + "{{#metric ".len()..];
            continue;
        }
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").ok_or_else(|| anyhow!("a `{{{{#metric` is never closed"))? + start;
        let args: Vec<&str> = rest[start + "{{#metric ".len()..end].split_whitespace().collect();
        out.push_str(&metric(src, &args)?);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    check_generated_links(&out, chapter_dir)?;
    Ok(out)
}

/// A Rust block included from a crate cannot run on the Rust Playground (it needs the
/// workspace's crates): it must be marked `noplayground`, and gets the command that runs it
/// printed under it instead.
fn with_run_commands(text: &str) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut block: Option<(usize, String, String)> = None; // (line, info, body)
    for (i, line) in text.split_inclusive('\n').enumerate() {
        out.push_str(line);
        let trimmed = line.trim();
        match &mut block {
            None if trimmed.starts_with("```") && trimmed.len() > 3 => {
                block = Some((i + 1, trimmed[3..].to_string(), String::new()));
            }
            None => {}
            Some(_) if trimmed == "```" => {
                let (line_number, info, body) = block.take().unwrap();
                let Some(command) = run_command_for(&body) else { continue };
                let rust = info.split(',').next() == Some("rust");
                if rust && !info.split(',').any(|a| a.trim() == "noplayground") {
                    bail!(
                        "line {line_number}: a block included from a crate cannot run on the Playground; \
                         mark it ```rust,noplayground"
                    );
                }
                out.push_str(&format!("\n<p class=\"run-with\">Run it: <code>{command}</code></p>\n"));
            }
            Some((_, _, body)) => body.push_str(line),
        }
    }
    Ok(out)
}

/// `cargo run -p ...` for the crate a block includes its code from, if it includes any.
fn run_command_for(body: &str) -> Option<String> {
    let start = body.find("{{#include ").or_else(|| body.find("{{#rustdoc_include "))?;
    let path = body[start..].split_whitespace().nth(1)?.split(':').next()?;
    let parts: Vec<&str> = path.split('/').filter(|p| *p != "..").collect();
    match parts.as_slice() {
        ["labs", lab, ..] => Some(format!("cargo run -p {lab}")),
        ["crates", name, "examples", example] => {
            Some(format!("cargo run -p dl4mir-{name} --example {}", example.trim_end_matches(".rs")))
        }
        ["crates", name, ..] => Some(format!("cargo run -p dl4mir-{name}")),
        ["datasets", ..] => Some("cargo run -p dl4mir-datasets".into()),
        _ => None,
    }
}

/// The value one `{{#metric ...}}` asks for, formatted.
fn metric(src: &Path, args: &[&str]) -> Result<String> {
    let (lab, key, format) = match args {
        [lab, key] => (*lab, *key, None),
        [lab, key, format] => (*lab, *key, Some(*format)),
        _ => bail!(
            "`{{{{#metric {}}}}}` needs a lab and a key, e.g. {{{{#metric day3-mlp metrics.test_accuracy 3}}}}",
            args.join(" ")
        ),
    };
    let path = src.join("generated").join(lab).join("metrics.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("metric `{key}` of lab {lab}: {} is missing (run `cargo xtask book`)", path.display())
    })?;
    let json: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))?;
    let value = key
        .split('.')
        .try_fold(&json, |v, part| v.get(part))
        .ok_or_else(|| anyhow!("metric `{key}` is not in {}", path.display()))?;
    format_value(value, format).with_context(|| format!("metric `{key}` of lab {lab}"))
}

fn format_value(value: &Value, format: Option<&str>) -> Result<String> {
    match (value, format) {
        (Value::Number(n), Some("percent")) => Ok(format!("{:.1}%", 100.0 * n.as_f64().unwrap_or(f64::NAN))),
        (Value::Number(n), Some("sci")) => Ok(format!("{:.1e}", n.as_f64().unwrap_or(f64::NAN))),
        (Value::Number(n), Some(digits)) => {
            let digits: usize = digits.parse().with_context(|| {
                format!("`{digits}` is neither a number of digits nor `percent` or `sci`")
            })?;
            Ok(format!("{:.*}", digits, n.as_f64().unwrap_or(f64::NAN)))
        }
        (Value::Number(n), None) => Ok(n.to_string()),
        (Value::String(s), None) => Ok(s.clone()),
        (Value::Bool(b), None) => Ok(if *b { "yes" } else { "no" }.into()),
        (other, _) => bail!("{other} cannot be printed with this format"),
    }
}

/// Every `generated/...` path in a link, image or `src="..."` must exist.
fn check_generated_links(text: &str, chapter_dir: &Path) -> Result<()> {
    for (i, _) in text.match_indices("generated/") {
        let before = &text[..i];
        let start = before.rfind(['(', '"', '\'']).map(|j| j + 1).unwrap_or(i);
        // Only paths that are the whole target of a link or attribute, e.g. (../generated/x.png).
        if !before[start..].chars().all(|c| c == '.' || c == '/') {
            continue;
        }
        let end = text[i..].find([')', '"', '\'', ' ', '#', '?']).map(|j| i + j).unwrap_or(text.len());
        let target = &text[start..end];
        if !chapter_dir.join(target).exists() {
            bail!("`{target}` does not exist: the lab that makes it has not run (run `cargo xtask book`)");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book source folder with one lab's outputs, private to the calling test.
    fn book_with_metrics(test: &str) -> std::path::PathBuf {
        let src = std::env::temp_dir().join(format!("dl4mir-xtask-{test}-{}", std::process::id()));
        let lab = src.join("generated").join("day0-test");
        std::fs::create_dir_all(&lab).unwrap();
        std::fs::write(lab.join("metrics.json"), r#"{"seed": 42, "metrics": {"test_accuracy": 0.91234}}"#)
            .unwrap();
        std::fs::write(lab.join("loss.png"), b"png").unwrap();
        src
    }

    #[test]
    fn metrics_are_filled_in_and_formatted() {
        let src = book_with_metrics("metrics");
        let text = "seed {{#metric day0-test seed}}, accuracy {{#metric day0-test metrics.test_accuracy 2}} \
                    = {{#metric day0-test metrics.test_accuracy percent}} ({{#metric day0-test metrics.test_accuracy sci}})";
        assert_eq!(fill_in(text, &src, &src).unwrap(), "seed 42, accuracy 0.91 = 91.2% (9.1e-1)");
        assert_eq!(
            fill_in("write `\\{{#metric lab key}}`", &src, &src).unwrap(),
            "write `{{#metric lab key}}`"
        );
        std::fs::remove_dir_all(&src).unwrap();
    }

    #[test]
    fn included_blocks_say_how_to_run_them_and_have_no_play_button() {
        let lab = "```rust,noplayground\n{{#include ../../labs/day3-mlp/src/lib.rs:model}}\n```\n";
        let text = with_run_commands(lab).unwrap();
        assert!(
            text.ends_with("<p class=\"run-with\">Run it: <code>cargo run -p day3-mlp</code></p>\n"),
            "{text}"
        );
        let example = "```rust,noplayground\n{{#include ../../crates/train/examples/mlp.rs:model}}\n```\n";
        assert!(with_run_commands(example).unwrap().contains("cargo run -p dl4mir-train --example mlp"));
        let playable = "```rust\n{{#include ../../labs/day3-mlp/src/lib.rs:model}}\n```\n";
        assert!(with_run_commands(playable).unwrap_err().to_string().contains("rust,noplayground"));
        let snippet = "```rust\nfn main() {}\n```\n";
        assert_eq!(with_run_commands(snippet).unwrap(), snippet);
    }

    #[test]
    fn missing_metrics_and_files_name_themselves() {
        let src = book_with_metrics("missing");
        let err = format!("{:#}", fill_in("{{#metric day0-test metrics.f1}}", &src, &src).unwrap_err());
        assert!(err.contains("metrics.f1") && err.contains("is not in"), "{err}");
        let err = format!("{:#}", fill_in("{{#metric day9-none x}}", &src, &src).unwrap_err());
        assert!(err.contains("day9-none") && err.contains("cargo xtask book"), "{err}");
        let day = src.join("day0");
        std::fs::create_dir_all(&day).unwrap();
        assert!(fill_in("![loss](../generated/day0-test/loss.png)", &src, &day).is_ok());
        let err =
            fill_in("<audio src=\"../generated/day0-test/a.wav\">", &src, &day).unwrap_err().to_string();
        assert!(err.contains("../generated/day0-test/a.wav"), "{err}");
        std::fs::remove_dir_all(&src).unwrap();
    }
}
