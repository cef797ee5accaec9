//! `cargo xtask check-links`: in the built HTML, every internal link and anchor resolves,
//! every image and audio file exists, and every external link is well-formed. External
//! links are not fetched (the machines that build the book may have no network).

use anyhow::{Result, bail};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Check the book built in `html_dir`; lists every broken link, then fails if any.
pub fn check(html_dir: &Path) -> Result<usize> {
    if !html_dir.join("index.html").is_file() {
        bail!("no built book in {}: run `cargo xtask book` first", html_dir.display());
    }
    let mut pages = Vec::new();
    collect_html(html_dir, &mut pages)?;
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page)?;
        if let Some(url) = external_resource(&html) {
            let shown = page.strip_prefix(html_dir).unwrap_or(page).display().to_string();
            problems.push(format!("{shown}: loads `{url}` from the network; the book must work offline"));
        }
        let targets = if page.extension().is_some_and(|e| e == "css") {
            css_urls(&html)
        } else {
            attribute_values(&html, &["href", "src"])
        };
        for target in targets {
            checked += 1;
            if let Some(problem) = check_target(html_dir, page, &target, &mut ids) {
                let shown = page.strip_prefix(html_dir).unwrap_or(page).display().to_string();
                problems.push(format!("{shown}: {problem}"));
            }
        }
    }
    problems.sort();
    problems.dedup();
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        bail!("{} broken links in {} pages (listed above)", problems.len(), pages.len());
    }
    Ok(checked)
}

/// A script, stylesheet or font the page would fetch from another site, if any (a link a
/// reader follows is fine; a resource the page needs to display is not).
fn external_resource(html: &str) -> Option<String> {
    for tag in ["<script", "<link", "<img", "<audio", "<source", "<iframe"] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').map(|j| i + j).unwrap_or(html.len());
            let element = &html[i..end];
            if tag == "<link" && !element.contains("stylesheet") && !element.contains("preload") {
                continue;
            }
            for url in attribute_values(element, &["src", "href"]) {
                if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
                    return Some(url);
                }
            }
        }
    }
    let css_import = html.find("url(http").or_else(|| html.find("@import \"http"));
    css_import.map(|i| html[i..].chars().take(80).collect())
}

/// What is wrong with one link target, if anything.
fn check_target(
    root: &Path,
    page: &Path,
    target: &str,
    ids: &mut HashMap<PathBuf, Vec<String>>,
) -> Option<String> {
    if target.starts_with("http://") || target.starts_with("https://") {
        let host = target.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
        let well_formed = host.contains('.') && !target.contains(char::is_whitespace);
        return (!well_formed).then(|| format!("malformed external link `{target}`"));
    }
    if target.starts_with("mailto:") || target.starts_with("javascript:") || target.starts_with("data:") {
        return None;
    }
    if target.contains("{{") {
        return None; // a template placeholder in mdBook's own scripts
    }
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    let path = path.split('?').next().unwrap_or("");
    let file = match path {
        "" => page.to_path_buf(),
        absolute if absolute.starts_with('/') => root.join(absolute.trim_start_matches('/')), // 404.html's base
        relative => page.parent().unwrap_or(root).join(relative),
    };
    let file = if file.is_dir() { file.join("index.html") } else { file };
    if !file.is_file() {
        return Some(format!("`{target}` points to a missing file"));
    }
    if fragment.is_empty() || file.extension().is_none_or(|e| e != "html") {
        return None;
    }
    let known = ids.entry(file.clone()).or_insert_with(|| {
        let html = std::fs::read_to_string(&file).unwrap_or_default();
        attribute_values(&html, &["id", "name"])
    });
    (!known.iter().any(|id| id == fragment)).then(|| format!("`{target}`: no element with id `{fragment}`"))
}

/// The values of the given attributes anywhere in `html` (double-quoted, as mdBook writes).
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let pattern = format!(" {name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&pattern) {
            let after = &rest[i + pattern.len()..];
            let end = after.find('"').unwrap_or(after.len());
            values.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    values
}

/// The `url(...)` references of a stylesheet (fonts, images).
fn css_urls(css: &str) -> Vec<String> {
    css.match_indices("url(")
        .filter_map(|(i, _)| {
            let rest = &css[i + 4..];
            let end = rest.find(')')?;
            Some(rest[..end].trim_matches(['"', '\'', ' ']).to_string())
        })
        .filter(|url| !url.starts_with("data:"))
        .collect()
}

fn collect_html(dir: &Path, pages: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_html(&path, pages)?;
        } else if path.extension().is_some_and(|e| e == "html" || e == "css") {
            pages.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_files_anchors_and_malformed_urls() {
        let root = std::env::temp_dir().join(format!("dl4mir-links-{}", std::process::id()));
        std::fs::create_dir_all(root.join("day1")).unwrap();
        std::fs::write(
            root.join("index.html"),
            r#"<a href="day1/a.html#goals">ok</a> <a href="https://example.org/x">ok</a>"#,
        )
        .unwrap();
        std::fs::write(root.join("day1/a.html"), r#"<h2 id="goals">Goals</h2><img src="../missing.png"> <a href="a.html#nowhere">x</a> <a href="https://nohost">x</a>"#).unwrap();
        let err = check(&root).unwrap_err().to_string();
        assert!(err.starts_with("3 broken links"), "{err}");
        std::fs::write(
            root.join("day1/a.html"),
            r#"<h2 id="goals">Goals</h2><a href="../index.html">up</a>"#,
        )
        .unwrap();
        assert_eq!(check(&root).unwrap(), 3);
        std::fs::write(
            root.join("day1/b.html"),
            r#"<script src="https://cdn.example.org/katex.js"></script>"#,
        )
        .unwrap();
        let err = check(&root).unwrap_err().to_string();
        assert!(err.starts_with("1 broken links"), "{err}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
