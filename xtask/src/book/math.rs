//! Math rendered at build time: `$...$` (inline) and `$$...$$` (display) in a chapter become
//! KaTeX's HTML, so the book needs no JavaScript or CDN to show an equation. KaTeX's own
//! JavaScript runs here, inside an embedded QuickJS engine (the `katex` crate); the reader's
//! browser only needs the stylesheet and fonts in `book/src/katex/`.
//!
//! Code blocks and inline code are left alone; `\$` is a literal dollar sign; a `$` followed
//! by a space or a digit does not open inline math (so "$5 and $6" stays text).

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// The preprocessor registered with mdBook.
pub struct Math;

impl Preprocessor for Math {
    fn name(&self) -> &str {
        "dl4mir-math"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let mut failure = None;
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item
                && failure.is_none()
            {
                match render_math(&chapter.content) {
                    Ok(html) => chapter.content = html,
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

/// Replace every formula in `markdown` by its rendering.
pub fn render_math(markdown: &str) -> Result<String> {
    let mut out = String::with_capacity(markdown.len() * 2);
    let mut text = String::new(); // prose lines waiting for their inline formulas
    let mut fence: Option<String> = None; // the opening ``` or ~~~ of a code block we are in
    let mut display: Option<String> = None; // the TeX of a $$ block spanning lines
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(tex) = &mut display {
            match line.find("$$") {
                Some(end) => {
                    tex.push_str(&line[..end]);
                    out.push_str(&display_html(tex)?);
                    display = None;
                    text.push_str(&line[end + 2..]);
                }
                None => tex.push_str(line),
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push_str(&inline(&std::mem::take(&mut text))?);
            fence = Some(trimmed.chars().take_while(|&c| c == '`' || c == '~').collect());
            out.push_str(line);
            continue;
        }
        if let Some(start) = trimmed.strip_prefix("$$") {
            out.push_str(&inline(&std::mem::take(&mut text))?);
            match start.find("$$") {
                Some(end) => {
                    out.push_str(&display_html(&start[..end])?);
                    text.push_str(&start[end + 2..]);
                }
                None => display = Some(start.to_string()),
            }
            continue;
        }
        text.push_str(line);
    }
    if display.is_some() {
        bail!("a `$$` display formula is never closed");
    }
    out.push_str(&inline(&text)?);
    Ok(out)
}

/// A display formula as an HTML block of its own (blank lines around it, so Markdown
/// passes it through untouched).
fn display_html(tex: &str) -> Result<String> {
    let opts = katex::Opts::builder().display_mode(true).build().expect("valid KaTeX options");
    let html = katex::render_with_opts(tex.trim(), &opts)
        .with_context(|| format!("KaTeX cannot render `{}`", tex.trim()))?;
    Ok(format!("\n<div class=\"math-display\">{html}</div>\n\n"))
}

/// Render the inline formulas of some prose, outside inline code. A formula may wrap onto
/// the next line but not across a blank line (a new paragraph).
fn inline(line: &str) -> Result<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['$', '`', '\\']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(escaped) = tail.strip_prefix("\\$") {
            out.push('$');
            rest = escaped;
        } else if let Some(after_backslash) = tail.strip_prefix('\\') {
            out.push('\\');
            rest = after_backslash;
        } else if tail.starts_with('`') {
            // Inline code: copy through the matching run of backticks.
            let ticks = tail.chars().take_while(|&c| c == '`').count();
            let close = tail[ticks..].find(&tail[..ticks]).map(|j| ticks + j + ticks).unwrap_or(tail.len());
            out.push_str(&tail[..close]);
            rest = &tail[close..];
        } else {
            match inline_formula(&tail[1..]) {
                Some(end) => {
                    let tex = &tail[1..1 + end];
                    let html = katex::render(tex).with_context(|| format!("KaTeX cannot render `{tex}`"))?;
                    out.push_str(&html);
                    rest = &tail[end + 2..];
                }
                None if tail[1..].starts_with('\\') => {
                    let start: String = tail.chars().take(30).collect();
                    bail!(
                        "an inline formula is never closed: `{start}...` (close it with `$` in the same paragraph)"
                    );
                }
                None => {
                    out.push('$');
                    rest = &tail[1..];
                }
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Where the inline formula starting right after a `$` ends (the closing `$`'s offset), if
/// this `$` opens one (pandoc's rule): not followed by a space, closed in the same paragraph
/// by a `$` that is not preceded by a space nor followed by a digit. So "$5 and $6" is text.
fn inline_formula(after: &str) -> Option<usize> {
    let first = after.chars().next()?;
    if first.is_whitespace() || first == '$' {
        return None;
    }
    // Within the paragraph, and never into inline code.
    let paragraph = after.find("\n\n").unwrap_or(after.len()).min(after.find('`').unwrap_or(after.len()));
    let bytes = &after.as_bytes()[..paragraph];
    (1..bytes.len()).find(|&j| {
        bytes[j] == b'$'
            && bytes[j - 1] != b'\\'
            && !bytes[j - 1].is_ascii_whitespace()
            && !bytes.get(j + 1).is_some_and(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_display_math_become_katex_html() {
        let html =
            render_math("The norm $\\|x\\|_2$ is\n\n$$\n\\sum_i x_i^2\n$$\nafter $a +\nb$ wraps\n").unwrap();
        assert!(html.starts_with("The norm <span class=\"katex\">"), "{html}");
        assert!(html.contains("<div class=\"math-display\"><span class=\"katex-display\">"), "{html}");
        assert!(html.contains("after <span class=\"katex\">") && html.ends_with("</span> wraps\n"), "{html}");
        assert!(!html.contains('$'), "{html}");
    }

    #[test]
    fn code_money_and_escapes_stay_text() {
        let text = "```rust\nlet s = \"$x$\";\n```\nCosts $5 and $6; `$y$` in code; \\$z\\$ escaped; $a\n\nb$ apart.\n";
        let html = render_math(text).unwrap();
        assert_eq!(html, text.replace("\\$", "$"));
    }

    #[test]
    fn bad_tex_and_unclosed_blocks_are_errors() {
        assert!(render_math("$\\undefinedmacro{x}$").is_err());
        assert!(render_math("$$\nx\n").unwrap_err().to_string().contains("never closed"));
        assert!(
            render_math("like $\\sqrt{N}.\n\nNext $x$").unwrap_err().to_string().contains("never closed")
        );
        assert!(
            render_math("like $1/\\sqrt{N}$.").unwrap().contains("katex"),
            "a formula may start with a digit"
        );
    }
}
