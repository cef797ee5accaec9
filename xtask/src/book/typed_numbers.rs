//! The check that no result is typed by hand into a day's pages (`book/src/dayN/*.md`).
//!
//! **The rule.** A number in a day's prose or math that equals, at the precision it is
//! printed with, a result in the `metrics.json` of that day's lab stops the build, unless it
//! is also a setting: a value under `hyperparameters` (or the `seed`) of that file, or a
//! number the page declares in a comment `<!-- settings: 2048 0.01 13 effects -->`.
//!
//! In detail:
//! - *Where it looks.* Every page of every `dayN/` folder, with code blocks, inline code,
//!   `{{#...}}` directives (so `{{#metric}}` and `{{#include}}`), HTML comments and tags, link
//!   targets and URLs left out. Math is looked at: a result typed inside `$...$` is still
//!   typed.
//! - *Whose results.* The labs named by the page's `{{#metric LAB ...}}` tags, and the lab
//!   `dayN-*` of the page's folder. A result is any number in that lab's `metrics.json`
//!   except the settings above, the version and the per-step losses (thousands of them would
//!   match any number by chance; the per-epoch losses are results).
//! - *Equal at its printed precision.* `0.976` is compared with each result rounded to three
//!   decimals, as `{{#metric LAB KEY 3}}` prints it; `97.6%` (or `97.6 %`, `97.6\%`, `97.6
//!   percent`) with each result times 100 rounded to one decimal (and with the result
//!   itself); `1.7e-13` in the same scientific notation as `sci`; `3,105` (or `3{,}105`) as
//!   3105. Signs are ignored.
//! - *Too coarse to tell.* A number printed with fewer than two digits that count (`0.5`,
//!   `0.01`, `3e-4`) would match a result by chance, and is not checked; nor are integers
//!   below 10, integers from 1900 to 2100 (years), or numbers that are part of a name or
//!   version (`day3`, `f0`, `0.22.1`). A bare integer (no decimals, no `%`) is compared only
//!   with results that are integers themselves (counts), so "32 mels" does not trip on a loss
//!   of 31.8. A number of two significant digits (`0.66`, `20%`) is compared with named
//!   results only, not with the elements of lists (curves per epoch, confusion matrices):
//!   among hundreds of those, one would match it by chance.
//!
//! A hit names the page and line, the number, the lab and the key it equals, and the fix.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Check every day's pages under the book's source folder `src` against the labs' metrics
/// in `src/generated/`; fail with every hit listed.
pub fn check(src: &Path) -> Result<()> {
    let mut hits = Vec::new();
    for page in day_pages(src)? {
        let text =
            std::fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))?;
        let day = page.parent().and_then(|d| d.file_name()).map(|d| d.to_string_lossy().into_owned());
        let mut known = Known::default();
        for lab in labs_of(&text, day.as_deref().unwrap_or(""), src)? {
            let path = src.join("generated").join(&lab).join("metrics.json");
            // A lab that has not written metrics (a day still without its lab) has no results
            // to type; a missing file a `{{#metric}}` needs is the preprocessor's error.
            let Ok(json) = std::fs::read_to_string(&path) else { continue };
            let json: Value = serde_json::from_str(&json)
                .with_context(|| format!("{} is not valid JSON", path.display()))?;
            known.add_lab(&lab, &json);
        }
        let name = page.strip_prefix(src).unwrap_or(&page).display().to_string();
        hits.extend(find(&text, &known).into_iter().map(|hit| hit.describe(&name)));
    }
    if !hits.is_empty() {
        bail!(
            "{} hand-typed result(s) in the book (a number equal to a lab's result; the rule is in \
             xtask/src/book/typed_numbers.rs):\n{}\nIf one is a setting, not a result, declare it on its \
             page: <!-- settings: NUMBER -->.",
            hits.len(),
            hits.join("\n")
        );
    }
    Ok(())
}

/// `src/dayN/*.md`, sorted.
fn day_pages(src: &Path) -> Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(src).with_context(|| format!("cannot read {}", src.display()))? {
        let dir = entry?.path();
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !dir.is_dir() || day_number(&name).is_none() {
            continue;
        }
        for page in std::fs::read_dir(&dir)? {
            let page = page?.path();
            if page.extension().is_some_and(|e| e == "md") {
                pages.push(page);
            }
        }
    }
    pages.sort();
    Ok(pages)
}

/// `Some(3)` for `day3`.
fn day_number(folder: &str) -> Option<u32> {
    folder.strip_prefix("day")?.parse().ok()
}

/// The labs whose results a page may not type: those its `{{#metric LAB` tags name, and the
/// `dayN-*` folders of `src/generated/` for its folder `dayN`.
fn labs_of(text: &str, day: &str, src: &Path) -> Result<BTreeSet<String>> {
    let mut labs: BTreeSet<String> = text
        .match_indices("{{#metric ")
        .filter_map(|(i, tag)| text[i + tag.len()..].split_whitespace().next())
        .map(String::from)
        .collect();
    if day_number(day).is_some()
        && let Ok(entries) = std::fs::read_dir(src.join("generated"))
    {
        let prefix = format!("{day}-");
        for entry in entries {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) {
                labs.insert(name);
            }
        }
    }
    Ok(labs)
}

/// What a page may not type (results) and what it may (settings).
#[derive(Default)]
struct Known {
    /// (lab, key, value, is an integer).
    results: Vec<(String, String, f64, bool)>,
    settings: Vec<(f64, bool)>,
}

impl Known {
    fn add_lab(&mut self, lab: &str, json: &Value) {
        let mut leaves = Vec::new();
        leaves_of(json, String::new(), &mut leaves);
        for (key, value, integer) in leaves {
            let top = key.split('.').next().unwrap_or("");
            if top == "hyperparameters" || top == "seed" {
                self.settings.push((value, integer));
            } else if top != "version" && !key.starts_with("losses.steps") {
                self.results.push((lab.to_string(), key, value, integer));
            }
        }
    }

    fn is_setting(&self, number: &Number) -> bool {
        // A whole float (`"lr": 10.0`) allows the integer `10` as a setting, though it would
        // not count as a result (counts are written as integers).
        self.settings.iter().any(|&(value, integer)| number.equals(value, integer || value.fract() == 0.0))
    }
}

/// Every number in `value`, with its dotted key (array elements by index).
fn leaves_of(value: &Value, key: String, out: &mut Vec<(String, f64, bool)>) {
    let join = |part: &str| if key.is_empty() { part.to_string() } else { format!("{key}.{part}") };
    match value {
        Value::Number(n) => {
            let integer = n.is_i64() || n.is_u64();
            if let Some(v) = n.as_f64() {
                out.push((key, v, integer));
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| leaves_of(v, join(&i.to_string()), out))
        }
        Value::Object(map) => map.iter().for_each(|(k, v)| leaves_of(v, join(k), out)),
        _ => {}
    }
}

/// A typed result: where, what, and the result it equals.
#[derive(Debug, PartialEq)]
struct Hit {
    line: usize,
    number: String,
    lab: String,
    key: String,
    /// Other results it equals (two at most), for the message.
    also: Vec<String>,
}

impl Hit {
    fn describe(&self, page: &str) -> String {
        let nameable = !self.key.contains(char::is_whitespace) && !in_list(&self.key);
        let fix = if nameable {
            format!("use {{{{#metric {} {}}}}}", self.lab, self.key)
        } else {
            // `{{#metric}}` can index neither a list nor a key with a space: the lab should
            // record the number under a name of its own.
            format!(
                "record it under a name in {}'s metrics and use {{{{#metric {} NAME}}}}",
                self.lab, self.lab
            )
        };
        let also =
            if self.also.is_empty() { String::new() } else { format!(" (also {})", self.also.join(", ")) };
        format!("  {page}:{}: `{}` equals {} {}{also}: {fix}", self.line, self.number, self.lab, self.key)
    }
}

/// The typed results in one page's text.
fn find(text: &str, known: &Known) -> Vec<Hit> {
    let allowed = declared_settings(text);
    let mut hits = Vec::new();
    for (i, line) in prose(text).lines().enumerate() {
        for number in numbers(line) {
            if !number.worth_checking()
                || known.is_setting(&number)
                || allowed.iter().any(|a| a.value == number.value && a.percent == number.percent)
            {
                continue;
            }
            // Lists (curves per epoch, confusion matrices) hold hundreds of numbers: a match of
            // two significant digits against one of them would be chance.
            let precise_enough = |key: &str| number.significant >= 3 || !in_list(key);
            let mut equal: Vec<&(String, String, f64, bool)> = known
                .results
                .iter()
                .filter(|(_, key, value, integer)| precise_enough(key) && number.equals(*value, *integer))
                .collect();
            // The key to suggest: one `{{#metric}}` can name (not a list element), if any.
            equal.sort_by_key(|(_, key, _, _)| in_list(key) || key.contains(char::is_whitespace));
            if let Some((lab, key, _, _)) = equal.first() {
                let also = equal.iter().skip(1).take(2).map(|(_, key, _, _)| key.clone()).collect();
                hits.push(Hit {
                    line: i + 1,
                    number: number.text.clone(),
                    lab: lab.clone(),
                    key: key.clone(),
                    also,
                });
            }
        }
    }
    hits
}

/// Whether a dotted key names an element of a list (`losses.epochs.3`).
fn in_list(key: &str) -> bool {
    key.split('.').any(|part| part.parse::<usize>().is_ok())
}

/// The numbers of the page's `<!-- settings: ... -->` comments (words between them are
/// ignored, so a comment can say what each is).
fn declared_settings(text: &str) -> Vec<Number> {
    let mut allowed = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        let end = rest[start..].find("-->").map_or(rest.len(), |e| start + e);
        let comment = rest[start + 4..end].trim_start();
        if let Some(list) = comment.strip_prefix("settings:") {
            allowed.extend(list.lines().flat_map(numbers));
        }
        rest = &rest[(end + 3).min(rest.len())..];
    }
    allowed
}

/// `text` with everything that is not prose or math blanked out (kept line for line):
/// fenced code, inline code, HTML comments, `{{...}}` directives, link targets, HTML tags,
/// URLs.
fn prose(text: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    let mut fence: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
        let opens = marker.len() >= 3;
        match &fence {
            Some(open) => {
                if trimmed.starts_with(open.as_str())
                    && trimmed.trim_end().trim_start_matches(['`', '~']).is_empty()
                {
                    fence = None;
                }
                chars.extend(line.chars().map(blank));
            }
            None if opens => {
                fence = Some(marker);
                chars.extend(line.chars().map(blank));
            }
            None => chars.extend(line.chars()),
        }
    }
    mask_inline_code(&mut chars);
    mask_between(&mut chars, "<!--", "-->");
    mask_between(&mut chars, "{{", "}}");
    mask_link_targets(&mut chars);
    mask_tags_and_urls(&mut chars);
    mask_notation(&mut chars);
    chars.into_iter().collect()
}

/// Powers of ten and logarithms' bases (`10^{-3}`, `\log_{10}`) are notation, not results.
fn mask_notation(chars: &mut [char]) {
    for pattern in ["_{10}", "_10"] {
        let mut i = 0;
        while let Some(start) = find_from(chars, i, pattern) {
            blank_range(chars, start, start + pattern.len());
            i = start + pattern.len();
        }
    }
    let mut i = 0;
    while let Some(start) = find_from(chars, i, "10^") {
        let digit_before = start > 0 && (chars[start - 1].is_ascii_digit() || chars[start - 1] == '.');
        if !digit_before {
            blank_range(chars, start, start + 2);
        }
        i = start + 3;
    }
}

fn blank(c: char) -> char {
    if c == '\n' { '\n' } else { ' ' }
}

fn starts_with(chars: &[char], at: usize, pattern: &str) -> bool {
    let mut i = at;
    pattern.chars().all(|p| {
        let same = chars.get(i) == Some(&p);
        i += 1;
        same
    })
}

fn find_from(chars: &[char], from: usize, pattern: &str) -> Option<usize> {
    (from..chars.len()).find(|&i| starts_with(chars, i, pattern))
}

fn blank_range(chars: &mut [char], from: usize, to: usize) {
    let to = to.min(chars.len());
    for c in &mut chars[from..to] {
        *c = blank(*c);
    }
}

/// `open ... close` (across lines), both included; an unclosed one runs to the end.
fn mask_between(chars: &mut [char], open: &str, close: &str) {
    let mut i = 0;
    while let Some(start) = find_from(chars, i, open) {
        let end = find_from(chars, start + open.len(), close).map_or(chars.len(), |e| e + close.len());
        blank_range(chars, start, end);
        i = end;
    }
}

/// A run of n backticks up to the next run of exactly n (Markdown's inline code).
fn mask_inline_code(chars: &mut [char]) {
    let run_at = |chars: &[char], i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let n = run_at(chars, i);
        let mut j = i + n;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let m = run_at(chars, j);
                if m == n {
                    close = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                blank_range(chars, i, end);
                i = end;
            }
            None => i += n,
        }
    }
}

/// `](target)` of links and images, and the target of a reference definition `[x]: url`.
fn mask_link_targets(chars: &mut [char]) {
    let mut i = 0;
    while let Some(start) = find_from(chars, i, "](") {
        let mut depth = 0;
        let mut end = start + 1;
        while end < chars.len() && chars[end] != '\n' {
            match chars[end] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        blank_range(chars, start + 1, end + 1);
        i = end + 1;
    }
    let mut line_start = 0;
    while line_start < chars.len() {
        let line_end = (line_start..chars.len()).find(|&k| chars[k] == '\n').unwrap_or(chars.len());
        let line: String = chars[line_start..line_end].iter().collect();
        let trimmed = line.trim_start();
        // `[^1]: ...` is a footnote, whose text is prose.
        if trimmed.starts_with('[')
            && !trimmed.starts_with("[^")
            && let Some(colon) = trimmed.find("]:")
        {
            let offset = line.len() - trimmed.len() + colon;
            let at = line_start + line[..offset].chars().count();
            blank_range(chars, at, line_end);
        }
        line_start = line_end + 1;
    }
}

/// `<tag attributes>` (on one line) and `http(s)://...` up to a space or a closing bracket.
fn mask_tags_and_urls(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        let tag = chars[i] == '<' && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == '/');
        if tag
            && let Some(end) = (i..chars.len()).take_while(|&k| chars[k] != '\n').find(|&k| chars[k] == '>')
        {
            blank_range(chars, i, end + 1);
            i = end + 1;
        } else if starts_with(chars, i, "http://") || starts_with(chars, i, "https://") {
            let end = (i..chars.len())
                .find(|&k| chars[k].is_whitespace() || matches!(chars[k], ')' | '>' | '"' | ']'))
                .unwrap_or(chars.len());
            blank_range(chars, i, end);
            i = end;
        } else {
            i += 1;
        }
    }
}

/// A number as printed on the page.
#[derive(Debug, Clone, PartialEq)]
struct Number {
    /// As written, e.g. `97.6 %`.
    text: String,
    /// Its value without sign, thousands separators or percent sign (97.6).
    value: f64,
    /// Digits after the decimal point (of the mantissa, in scientific notation).
    decimals: usize,
    /// Digits that count: all but the leading zeros (all the decimals of a zero).
    significant: usize,
    percent: bool,
    scientific: bool,
    /// Written with a thousands separator (`3,105`): not a year.
    grouped: bool,
}

impl Number {
    /// Whether it is printed finely enough that equality with a result means something.
    fn worth_checking(&self) -> bool {
        if self.significant < 2 {
            return false;
        }
        if self.decimals == 0 && !self.scientific {
            let year = (1900.0..=2100.0).contains(&self.value) && !self.grouped && !self.percent;
            return self.value >= 10.0 && !year;
        }
        true
    }

    /// Whether `value` prints as this number; a bare integer equals only an integer (as
    /// JSON writes counts: `13`, never `13.0`).
    fn equals(&self, value: f64, integer: bool) -> bool {
        let value = value.abs();
        let same = |v: f64| format!("{:.*}", self.decimals, v) == format!("{:.*}", self.decimals, self.value);
        if self.scientific {
            let sci = |v: f64| format!("{:.*e}", self.decimals, v);
            return sci(value) == sci(self.value);
        }
        if self.percent {
            return same(100.0 * value) || same(value);
        }
        if self.decimals == 0 {
            return integer && value == self.value;
        }
        same(value)
    }
}

/// The numbers of one line of prose or math.
fn numbers(line: &str) -> Vec<Number> {
    let chars: Vec<char> = line.chars().collect();
    let digits_at = |i: usize| chars[i.min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        // Part of a name (`day3`, `f0`, `n_fft`, `\log_2`): not a number of the text.
        let in_name = start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '_');
        let mut digits: String = chars[i..i + digits_at(i)].iter().collect();
        i += digits.len();
        let mut grouped = false;
        loop {
            // `3,105` and LaTeX's `3{,}105`, but not the list `16,32`.
            let skip = if chars.get(i) == Some(&',') {
                1
            } else if starts_with(&chars, i, "{,}") {
                3
            } else {
                break;
            };
            if digits_at(i + skip) != 3 {
                break;
            }
            digits.extend(&chars[i + skip..i + skip + 3]);
            i += skip + 3;
            grouped = true;
        }
        let mut decimals = String::new();
        if chars.get(i) == Some(&'.') && digits_at(i + 1) > 0 {
            decimals = chars[i + 1..i + 1 + digits_at(i + 1)].iter().collect();
            i += 1 + decimals.len();
        }
        // A version or a section number (`0.22.1`, `3.2.1`): skip all of it.
        if chars.get(i) == Some(&'.') && digits_at(i + 1) > 0 {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            continue;
        }
        let mut exponent = String::new();
        if matches!(chars.get(i), Some('e' | 'E')) {
            let sign = usize::from(matches!(chars.get(i + 1), Some('-' | '+' | '−')));
            let n = digits_at(i + 1 + sign);
            if n > 0 {
                let minus = if sign == 1 && chars[i + 1] != '+' { "-" } else { "" };
                exponent =
                    format!("e{minus}{}", chars[i + 1 + sign..i + 1 + sign + n].iter().collect::<String>());
                i += 1 + sign + n;
            }
        }
        let percent_end = percent_after(&chars, i);
        let end = percent_end.unwrap_or(i);
        if in_name {
            i = end;
            continue;
        }
        let mantissa = format!("{digits}.{decimals}");
        let value: f64 = format!("{mantissa}{exponent}").parse().unwrap_or(f64::NAN);
        let all: String = format!("{digits}{decimals}");
        let significant = if all.trim_start_matches('0').is_empty() {
            decimals.len()
        } else {
            all.trim_start_matches('0').len()
        };
        found.push(Number {
            text: chars[start..end].iter().collect::<String>().trim_end().to_string(),
            value,
            decimals: decimals.len(),
            significant,
            percent: percent_end.is_some(),
            scientific: !exponent.is_empty(),
            grouped,
        });
        i = end;
    }
    found
}

/// Where a percent sign after position `i` ends: `%`, ` %`, `\%`, `\,\%`, ` percent`,
/// ` per cent`.
fn percent_after(chars: &[char], mut i: usize) -> Option<usize> {
    loop {
        if chars.get(i) == Some(&' ') || chars.get(i) == Some(&'~') || chars.get(i) == Some(&'\u{a0}') {
            i += 1;
        } else if starts_with(chars, i, "\\,") || starts_with(chars, i, "\\;") || starts_with(chars, i, "\\ ")
        {
            i += 2;
        } else {
            break;
        }
    }
    for sign in ["%", "\\%", "percent", "per cent"] {
        if starts_with(chars, i, sign) {
            let end = i + sign.chars().count();
            let word_goes_on = sign.starts_with('p') && chars.get(end).is_some_and(|c| c.is_alphanumeric());
            if !word_goes_on {
                return Some(end);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results and settings of a made-up lab `day0-test`.
    fn known() -> Known {
        let mut known = Known::default();
        let json = serde_json::json!({
            "lab": "day0-test",
            "version": "0.1.0",
            "seed": 42,
            "hyperparameters": {"n_fft": 2048, "lr": 0.01, "n_mels": 32, "epochs": 20, "overlap": 0.5},
            "losses": {"steps": [0.7012, 0.4123], "epochs": [0.7012, 0.3456]},
            "metrics": {"test_accuracy": 0.97613, "explained": [0.612, 0.25], "notes": 3105, "loss": 31.8,
                        "tiny": 1.734e-13, "also_fifty": 0.5}
        });
        known.add_lab("day0-test", &json);
        known
    }

    fn hits(text: &str) -> Vec<(usize, String, String)> {
        find(text, &known()).into_iter().map(|h| (h.line, h.number, h.key)).collect()
    }

    fn one(line: usize, number: &str, key: &str) -> Vec<(usize, String, String)> {
        vec![(line, number.to_string(), key.to_string())]
    }

    #[test]
    fn catches_a_result_at_its_printed_precision() {
        assert_eq!(hits("accuracy 0.976 on the test string"), one(1, "0.976", "metrics.test_accuracy"));
        assert_eq!(hits("accuracy\nof 0.98"), one(2, "0.98", "metrics.test_accuracy"));
        assert_eq!(hits("accuracy 0.9761"), one(1, "0.9761", "metrics.test_accuracy"));
        assert!(hits("accuracy 0.977").is_empty());
        assert_eq!(hits("the first component keeps 0.612"), one(1, "0.612", "metrics.explained.0"));
        assert_eq!(hits("from 0.346 at the end"), one(1, "0.346", "losses.epochs.1"));
        // Two significant digits are compared with named results only, not with lists.
        assert!(hits("the first component keeps 0.61, the loss ends at 0.35").is_empty());
        // A value in a list and under a name: the message suggests the name.
        let mut both = Known::default();
        both.add_lab("day0-test", &serde_json::json!({"metrics": {"curve": [0.5714], "accuracy": 0.5714}}));
        let hit = &find("57.1%", &both)[0];
        assert_eq!(
            (hit.key.as_str(), hit.also.as_slice()),
            ("metrics.accuracy", &["metrics.curve.0".to_string()][..])
        );
        assert_eq!(hits("a difference of 1.7e-13"), one(1, "1.7e-13", "metrics.tiny"));
        assert_eq!(hits("trained on 3,105 notes"), one(1, "3,105", "metrics.notes"));
        assert_eq!(hits("$n = 3{,}105$"), one(1, "3{,}105", "metrics.notes"));
        assert_eq!(hits("a loss of −31.8"), one(1, "31.8", "metrics.loss"));
    }

    #[test]
    fn catches_percentages_of_fractions() {
        for text in ["97.6%", "97.6 %", "97.6\u{a0}%", "$97.6\\,\\%$", "97.6 percent", "98%"] {
            assert_eq!(hits(&format!("accuracy {text}.")).len(), 1, "{text}");
        }
        assert_eq!(hits("accuracy 97.6% here")[0].2, "metrics.test_accuracy");
        assert!(hits("accuracy 97.5%").is_empty());
    }

    #[test]
    fn ignores_code_tags_links_and_comments() {
        let page = "```text\naccuracy 0.976\n```\n\
                    `0.976` and ``a ` 0.976``\n\
                    {{#metric day0-test metrics.test_accuracy 3}} {{#include ../x.rs:0.976}}\n\
                    \\{{#metric day0-test metrics.test_accuracy 3}}\n\
                    <!-- was 0.976 -->\n\
                    [the paper](https://example.org/0.976) <img src=\"a-0.976.png\">\n\
                    [ref]: https://arxiv.org/abs/1312.6114\n\
                    ~~~\n0.976\n~~~\n";
        assert!(hits(page).is_empty(), "{:?}", hits(page));
    }

    #[test]
    fn ignores_powers_of_ten_and_the_bases_of_logarithms() {
        // What the check reads of a line: the notation is blanked, a number of ten is not.
        let masked = prose("lr $10^{-3}$, $20 \\log_{10} X$, 10 dB, 410^2");
        assert!(!masked.contains("$10^") && !masked.contains("_{10}"), "{masked}");
        assert!(masked.contains("10 dB") && masked.contains("410^2"), "{masked}");
    }

    #[test]
    fn ignores_settings_and_numbers_too_coarse_to_tell() {
        // From the lab's hyperparameters: n_fft, lr, the mels, half overlap (also a result).
        assert!(hits("n_fft 2048, lr 0.01, 32 mels, 20 epochs, 50% overlap").is_empty());
        // Declared on the page.
        assert!(hits("<!-- settings: 3,105 (the full set) 97.6% -->\n3105 notes, 97.6%").is_empty());
        assert_eq!(hits("<!-- settings: 97.6% -->\n0.976").len(), 1, "a percent allows only a percent");
        // One digit that counts, small integers, years, names, versions.
        assert!(hits("0.3 and 1e-13 and 3 folds and 0.7 s").is_empty());
        assert!(hits("Vaswani et al. (2017), ICLR 2014, day3105, burn 0.97.6").is_empty());
        // A bare integer matches counts, not a float that rounds to it or is whole.
        assert!(hits("the 32nd bin and 31 frames").is_empty());
        let mut whole = Known::default();
        whole.add_lab("day0-test", &serde_json::json!({"metrics": {"lr": 10.0, "notes": 10}}));
        assert_eq!(find("a step of 10", &whole).len(), 1, "the count 10");
        whole.results.retain(|(_, key, _, _)| key == "metrics.lr");
        assert!(find("a step of 10", &whole).is_empty(), "10.0 is not a count");
        assert_eq!(hits("31.8").len(), 1);
    }

    #[test]
    fn the_message_says_where_what_and_how_to_fix() {
        let hit = &find("\n\naccuracy 0.976", &known())[0];
        let message = hit.describe("day0/lab.md");
        assert_eq!(
            message,
            "  day0/lab.md:3: `0.976` equals day0-test metrics.test_accuracy: \
             use {{#metric day0-test metrics.test_accuracy}}"
        );
        let listed = find("0.612", &known())[0].describe("p.md");
        assert!(listed.contains("record it under a name"), "{listed}");
        let spaced = Hit {
            line: 1,
            number: "690".into(),
            lab: "day0-test".into(),
            key: "metrics.per_effect.tape echo".into(),
            also: vec![],
        };
        assert!(spaced.describe("p.md").contains("record it under a name"));
    }

    #[test]
    fn a_page_checks_the_labs_it_cites_and_its_day() {
        let src = std::env::temp_dir().join(format!("dl4mir-xtask-typed-{}", std::process::id()));
        for (lab, metrics) in
            [("day1-pca", r#"{"metrics": {"j": 0.4321}}"#), ("day10-tempo", r#"{"bpm": 0.5678}"#)]
        {
            std::fs::create_dir_all(src.join("generated").join(lab)).unwrap();
            std::fs::write(src.join("generated").join(lab).join("metrics.json"), metrics).unwrap();
        }
        std::fs::create_dir_all(src.join("day1")).unwrap();
        std::fs::create_dir_all(src.join("day2")).unwrap();
        std::fs::write(src.join("day1/README.md"), "J is 0.432.\n").unwrap();
        std::fs::write(src.join("day2/lab.md"), "Day 1 gave {{#metric day1-pca metrics.j 2}}, not 0.43.\n")
            .unwrap();
        let error = format!("{:#}", check(&src).unwrap_err());
        assert!(error.contains("day1/README.md:1: `0.432` equals day1-pca metrics.j"), "{error}");
        assert!(error.contains("day2/lab.md:1: `0.43`"), "{error}");
        assert!(error.contains("2 hand-typed"), "{error}");
        std::fs::write(src.join("day2/lab.md"), "0.432 of day 10's, which is not day 2's.\n").unwrap();
        let day1 = "<!-- settings: 0.432 -->\nJ is 0.432; 0.568 is Day 10's, not Day 1's.\n";
        std::fs::write(src.join("day1/README.md"), day1).unwrap();
        check(&src).unwrap();
        std::fs::remove_dir_all(&src).unwrap();
    }
}
