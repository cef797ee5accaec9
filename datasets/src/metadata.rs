//! `egfxset_metadata.csv`: each effect's pedal model, type and knob settings.
//!
//! The real file's quirks: the headers `Effect ` and `Setting ` end with a space, one row
//! and the model `Mooer E-Lady ` end with a space, and the list cells are Python literals
//! with mixed quotes, numbers, strings and booleans (`['120 bpm', 1.0, False]`). Clean has
//! no row.

use crate::effect::{Effect, EffectType};
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// The real CSV, embedded (2 kB, CC BY 4.0): written into the synthetic set.
pub const REAL_METADATA_CSV: &str = include_str!("../egfxset_metadata.csv");

/// md5 of the real CSV.
pub const REAL_METADATA_MD5: &str = "ec8d160fe79469c7de8cad528d7d35e1";

/// A knob setting: the CSV mixes numbers, words and booleans.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Number(x) => write!(f, "{x}"),
            Setting::Text(t) => f.write_str(t),
            Setting::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One effect's row.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectMetadata {
    /// The pedal or amplifier, e.g. `Boss CE-3 Chorus` (trimmed).
    pub model: String,
    pub effect_type: EffectType,
    pub knob_names: Vec<String>,
    pub knob_types: Vec<String>,
    pub settings: Vec<Setting>,
}

impl EffectMetadata {
    /// Clean's (absent) row: no model, no knobs.
    pub fn clean() -> Self {
        Self {
            model: String::new(),
            effect_type: EffectType::None,
            knob_names: vec![],
            knob_types: vec![],
            settings: vec![],
        }
    }
}

/// Parse the CSV into a row per effect (Clean included, empty).
pub fn parse_metadata(text: &str, what: &str) -> Result<BTreeMap<Effect, EffectMetadata>> {
    let bad = |reason: String| Error::Parse { what: what.to_string(), reason };
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| bad(format!("no `{name}` column")))
    };
    let (c_effect, c_model, c_type, c_names, c_types, c_setting) = (
        column("Effect")?,
        column("Model")?,
        column("Effect Type")?,
        column("Knob Names")?,
        column("Knob Type")?,
        column("Setting")?,
    );
    let mut rows = BTreeMap::from([(Effect::Clean, EffectMetadata::clean())]);
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let at = |c: usize| record.get(c).unwrap_or("").trim();
        let effect = Effect::ALL
            .into_iter()
            .find(|e| e.name() == at(c_effect).to_ascii_lowercase())
            .ok_or_else(|| bad(format!("row {}: unknown effect `{}`", line + 2, at(c_effect))))?;
        let effect_type = EffectType::from_name(at(c_type))
            .ok_or_else(|| bad(format!("row {}: unknown effect type `{}`", line + 2, at(c_type))))?;
        let strings = |c: usize| -> Result<Vec<String>> {
            parse_python_list(at(c)).map_err(|e| bad(format!("row {}: {e}", line + 2))).map(|v| {
                v.into_iter()
                    .map(|s| match s {
                        Setting::Text(t) => t,
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
        };
        let settings = parse_python_list(at(c_setting)).map_err(|e| bad(format!("row {}: {e}", line + 2)))?;
        rows.insert(
            effect,
            EffectMetadata {
                model: at(c_model).to_string(),
                effect_type,
                knob_names: strings(c_names)?,
                knob_types: strings(c_types)?,
                settings,
            },
        );
    }
    Ok(rows)
}

/// Parse a Python list literal of strings (either quote), numbers and `True`/`False`.
pub fn parse_python_list(text: &str) -> std::result::Result<Vec<Setting>, String> {
    let inner = text
        .trim()
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(|| format!("`{text}` is not a [...] list"))?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&c) = chars.peek() else { break };
        if c == '\'' || c == '"' {
            chars.next();
            let value: String = chars.by_ref().take_while(|&d| d != c).collect();
            items.push(Setting::Text(value));
        } else {
            let token: String = std::iter::from_fn(|| chars.next_if(|&d| d != ',')).collect();
            let token = token.trim();
            items.push(match token {
                "True" => Setting::Bool(true),
                "False" => Setting::Bool(false),
                _ => Setting::Number(
                    token
                        .parse()
                        .map_err(|_| format!("`{token}` in `{text}` is not a number, string or boolean"))?,
                ),
            });
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            Some(',') | None => {}
            Some(other) => return Err(format!("unexpected `{other}` in `{text}`")),
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_with_mixed_quotes_numbers_and_booleans() {
        assert_eq!(
            parse_python_list("['120 bpm', 1.0, False]").unwrap(),
            vec![Setting::Text("120 bpm".into()), Setting::Number(1.0), Setting::Bool(false)]
        );
        assert_eq!(parse_python_list("[1.0, 0.5,1.0]").unwrap().len(), 3);
        assert_eq!(
            parse_python_list(r#"["a", 'b']"#).unwrap(),
            vec![Setting::Text("a".into()), Setting::Text("b".into())]
        );
        assert_eq!(parse_python_list("[]").unwrap(), vec![]);
        assert!(parse_python_list("[1.0, oops]").unwrap_err().contains("`oops`"));
        assert!(parse_python_list("1.0").is_err());
    }
}
