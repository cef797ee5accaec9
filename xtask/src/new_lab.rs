//! `cargo xtask new-lab dayN-topic`: scaffold a lab crate (Cargo.toml, `src/lib.rs` with
//! the chapter's anchors, a thin `src/main.rs` with the common flags, a snapshot test of
//! the `--quick` run) and its chapter, and add both to the workspace and to SUMMARY.md.
//! The scaffold trains a small MLP on toy data, so it runs before a line of it is changed.

use crate::project_root;
use anyhow::{Context, Result, bail, ensure};
use std::path::Path;

/// The files of a new lab, with `__LAB__`, `__CRATE__`, `__TITLE__`, `__DAY__` to fill in.
const TEMPLATES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../templates/lab/Cargo.toml")),
    ("src/lib.rs", include_str!("../templates/lab/src/lib.rs")),
    ("src/main.rs", include_str!("../templates/lab/src/main.rs")),
    ("tests/quick.rs", include_str!("../templates/lab/tests/quick.rs")),
];
const CHAPTER: &str = include_str!("../templates/chapter.md");

/// What a placeholder page of a lab not yet written says (see `book/src/day*/lab.md`).
const PLACEHOLDER_MARK: &str = "This lab is not written yet.";

pub fn run(name: &str, title: Option<&str>) -> Result<()> {
    let root = project_root();
    let day = day_of(name)?;
    let title = title.map(str::to_string).unwrap_or_else(|| default_title(name));
    let lab_dir = root.join("labs").join(name);
    ensure!(!lab_dir.exists(), "{} exists already: choose another name", lab_dir.display());
    let fill = |text: &str| {
        text.replace("__LAB__", name)
            .replace("__CRATE__", &name.replace('-', "_"))
            .replace("__TITLE__", &title)
            .replace("__DAY__", &day.to_string())
    };

    for (path, template) in TEMPLATES {
        write_new(&lab_dir.join(path), &fill(template))?;
    }
    add_workspace_member(&root.join("Cargo.toml"), name)?;
    let chapter = add_chapter(&root.join("book/src"), name, day, &title, &fill(CHAPTER))?;
    // The templates are formatted for their own names; a longer name can push a line over.
    crate::run_command("cargo", &["fmt", "-p", name])?;

    println!("created {} and {}", lab_dir.display(), chapter);
    println!(
        "next: cargo run -p {name} -- --quick   (then INSTA_UPDATE=always cargo test -p {name} to record its snapshot)"
    );
    Ok(())
}

/// The day number of a lab named `day<N>-<topic>`.
fn day_of(name: &str) -> Result<u32> {
    let valid = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let day = name.strip_prefix("day").and_then(|rest| rest.split_once('-')).and_then(|(n, topic)| {
        (!topic.is_empty() && !topic.ends_with('-')).then_some(n)?.parse::<u32>().ok()
    });
    match day {
        Some(day) if valid && day >= 1 => Ok(day),
        _ => bail!("a lab is named day<N>-<topic> in lower case, e.g. day6-synthesis (got `{name}`)"),
    }
}

/// `day6-fm-synthesis` -> `Fm synthesis`.
fn default_title(name: &str) -> String {
    let topic = name.split_once('-').map(|(_, t)| t).unwrap_or(name).replace('-', " ");
    let mut chars = topic.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(path.parent().unwrap())?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Add `"labs/<name>"` to `[workspace] members`, before the line of the next member in order.
fn add_workspace_member(manifest: &Path, name: &str) -> Result<()> {
    let text = std::fs::read_to_string(manifest)?;
    let start = text.find("members = [").context("Cargo.toml has no `members = [` list")?;
    let end = start + text[start..].find(']').context("the members list is not closed")?;
    let entry = format!("    \"labs/{name}\",\n");
    let list = &text[start..end];
    // Insert in sorted position among the members' lines.
    let mut offset = list.find('\n').map(|i| i + 1).unwrap_or(list.len());
    for line in list.split_inclusive('\n').skip(1) {
        if line.trim() > entry.trim() {
            break;
        }
        offset += line.len();
    }
    let mut updated = text.clone();
    updated.insert_str(start + offset, &entry);
    std::fs::write(manifest, updated)?;
    Ok(())
}

/// Write the chapter: over the day's placeholder page if it has one, else beside it, and
/// make sure SUMMARY.md lists it. Returns the chapter's path for the message.
fn add_chapter(src: &Path, name: &str, day: u32, title: &str, text: &str) -> Result<String> {
    let day_dir = src.join(format!("day{day}"));
    let placeholder = day_dir.join("lab.md");
    let is_placeholder = std::fs::read_to_string(&placeholder).is_ok_and(|t| t.contains(PLACEHOLDER_MARK));
    let relative = if is_placeholder || !placeholder.exists() {
        format!("day{day}/lab.md")
    } else {
        format!("day{day}/{name}.md")
    };
    write_new(&src.join(&relative), text)?;

    let summary_path = src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)?;
    if summary.contains(&format!("({relative})")) {
        return Ok(src.join(relative).display().to_string());
    }
    let day_entry = format!("(day{day}/README.md)");
    let updated = match summary.find(&day_entry) {
        // Under its day, after the day's last sub-chapter.
        Some(i) => {
            let after_day = i + summary[i..].find('\n').map(|j| j + 1).unwrap_or(summary.len() - i);
            let mut end = after_day;
            for line in summary[after_day..].split_inclusive('\n') {
                if !line.starts_with("    ") {
                    break;
                }
                end += line.len();
            }
            let mut s = summary.clone();
            s.insert_str(end, &format!("    - [Lab: {title}]({relative})\n"));
            s
        }
        // A day the book does not have yet: its own entry after the last day.
        None => {
            let last_day = summary.rfind("- [Day ").context("SUMMARY.md lists no days")?;
            let mut end = last_day;
            for line in summary[last_day..].split_inclusive('\n') {
                if line.trim().is_empty() || line.starts_with("---") {
                    break;
                }
                end += line.len();
            }
            let mut s = summary.clone();
            s.insert_str(end, &format!("- [Day {day}: {title}]({relative})\n"));
            s
        }
    };
    std::fs::write(&summary_path, updated)?;
    Ok(src.join(relative).display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_names_give_their_day_and_title() {
        assert_eq!(day_of("day6-synthesis").unwrap(), 6);
        assert_eq!(day_of("day10-tempo").unwrap(), 10);
        for bad in ["synthesis", "day-x", "day6", "day6-", "Day6-x", "day0-x", "day6_x"] {
            assert!(day_of(bad).is_err(), "{bad}");
        }
        assert_eq!(default_title("day6-fm-synthesis"), "Fm synthesis");
    }

    #[test]
    fn members_and_summary_entries_go_in_order() {
        let dir = std::env::temp_dir().join(format!("dl4mir-new-lab-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/day6")).unwrap();
        let manifest = dir.join("Cargo.toml");
        std::fs::write(&manifest, "[workspace]\nmembers = [\n    \"crates/audio\",\n    \"xtask\",\n]\n")
            .unwrap();
        add_workspace_member(&manifest, "day6-synthesis").unwrap();
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains("\"crates/audio\",\n    \"labs/day6-synthesis\",\n    \"xtask\""), "{text}");

        std::fs::write(dir.join("src/SUMMARY.md"), "- [Day 6: Synth](day6/README.md)\n    - [Lab: x](day6/lab.md)\n- [Day 7: Text](day7/README.md)\n\n---\n\n- [Appendix](a.md)\n").unwrap();
        std::fs::write(dir.join("src/day6/lab.md"), format!("> **{PLACEHOLDER_MARK}**")).unwrap();
        add_chapter(&dir.join("src"), "day6-synthesis", 6, "Synth", "# Lab").unwrap();
        add_chapter(&dir.join("src"), "day6-more", 6, "More", "# More").unwrap();
        add_chapter(&dir.join("src"), "day11-new", 11, "New", "# New").unwrap();
        let summary = std::fs::read_to_string(dir.join("src/SUMMARY.md")).unwrap();
        assert_eq!(
            summary,
            "- [Day 6: Synth](day6/README.md)\n    - [Lab: x](day6/lab.md)\n    - [Lab: More](day6/day6-more.md)\n\
             - [Day 7: Text](day7/README.md)\n- [Day 11: New](day11/lab.md)\n\n---\n\n- [Appendix](a.md)\n"
        );
        assert_eq!(std::fs::read_to_string(dir.join("src/day6/lab.md")).unwrap(), "# Lab");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
