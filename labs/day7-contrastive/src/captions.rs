//! Captions from metadata. EGFxSet describes every clip truthfully (effect, its type, the
//! pedal, its knobs, pickup, string, fret, note), so a small generator can write many
//! true sentences about each clip: several templates, each naming a different subset of
//! the facts, with synonyms. Every caption remembers which facts it names, so that a
//! retrieval query knows every clip it is true of.

use dl4mir_datasets::{Effect, EffectType, Pickup, Track};
use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

/// What is true of one clip.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub effect: Effect,
    pub effect_type: EffectType,
    /// The pedal or amplifier, lower case (empty for clean).
    pub model: String,
    /// The knob that sets how much effect, and its setting (`None` for clean).
    pub amount_knob: Option<(String, f64)>,
    pub pickup: Pickup,
    pub string: u8,
    pub fret: u8,
    pub midi: u8,
    /// e.g. `E4`.
    pub note_name: String,
}

/// Low (below E3), middle, or high (E4 and up): three bands of the guitar's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Low,
    Middle,
    High,
}

impl Register {
    pub fn of(midi: u8) -> Self {
        match midi {
            0..=51 => Register::Low,
            52..=63 => Register::Middle,
            _ => Register::High,
        }
    }
}

impl Facts {
    pub fn of(track: &Track) -> Self {
        // The knob whose type is "effect amount" (EGFxSet's metadata types every knob).
        let amount_knob =
            track.knob_types.iter().position(|t| t.trim() == "effect amount").and_then(|i| {
                let value = match track.settings.get(i)? {
                    dl4mir_datasets::metadata::Setting::Number(x) => *x,
                    _ => return None,
                };
                Some((track.knob_names[i].trim().to_lowercase(), value))
            });
        Self {
            effect: track.effect,
            effect_type: track.effect_type,
            model: track.model.trim().to_lowercase(),
            amount_knob,
            pickup: track.pickup,
            string: track.string,
            fret: track.fret,
            midi: track.midi,
            note_name: track.note_name.clone(),
        }
    }

    pub fn register(&self) -> Register {
        Register::of(self.midi)
    }
}

/// One fact a caption names.
#[derive(Debug, Clone, PartialEq)]
pub enum Mention {
    Effect(Effect),
    Type(EffectType),
    /// Names the pedal: true of every effect that pedal makes (the DL4 makes three).
    Model(String),
    Pickup(Pickup),
    /// "bright" (bridge) or "warm" (neck).
    Tone(Pickup),
    String(u8),
    Fret(u8),
    Note(String),
    Register(Register),
}

impl Mention {
    pub fn is_true_of(&self, facts: &Facts) -> bool {
        match self {
            Mention::Effect(e) => *e == facts.effect,
            Mention::Type(t) => *t == facts.effect_type,
            Mention::Model(m) => *m == facts.model,
            Mention::Pickup(p) | Mention::Tone(p) => *p == facts.pickup,
            Mention::String(s) => *s == facts.string,
            Mention::Fret(f) => *f == facts.fret,
            Mention::Note(n) => *n == facts.note_name,
            Mention::Register(r) => *r == facts.register(),
        }
    }
}

/// A sentence and the facts it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    pub text: String,
    pub mentions: Vec<Mention>,
}

impl Caption {
    /// True of a clip when every fact it names is (a caption that names only "delay" is
    /// true of every delayed clip).
    pub fn is_true_of(&self, facts: &Facts) -> bool {
        self.mentions.iter().all(|m| m.is_true_of(facts))
    }
}

/// The effect's name and its synonyms, each with its article.
pub fn effect_phrases(effect: Effect) -> Vec<String> {
    let names: &[&str] = match effect {
        Effect::Clean => &[],
        Effect::BluesDriver => &["a blues driver", "a blues driver overdrive"],
        Effect::TubeScreamer => &["a tube screamer", "a tube screamer overdrive"],
        Effect::Rat => &["a rat distortion", "a rat pedal"],
        Effect::Chorus => &["a chorus", "a chorus pedal"],
        Effect::Flanger => &["a flanger", "a flanger pedal"],
        Effect::Phaser => &["a phaser", "a phaser pedal"],
        Effect::TapeEcho => &["a tape echo", "a tape delay"],
        Effect::DigitalDelay => &["a digital delay", "a digital echo"],
        Effect::SweepEcho => &["a sweep echo", "a sweeping delay"],
        Effect::PlateReverb => &["a plate reverb", "a plate"],
        Effect::HallReverb => &["a hall reverb", "a concert hall reverb"],
        Effect::SpringReverb => &["a spring reverb", "a spring tank"],
    };
    names.iter().map(|s| s.to_string()).collect()
}

/// Words for the effect's type, and for its character (what it does to the sound).
pub fn type_phrases(t: EffectType) -> Vec<&'static str> {
    match t {
        EffectType::None => vec!["no effect", "nothing added"],
        EffectType::Distortion => vec!["distortion", "gritty overdrive", "crunchy drive"],
        EffectType::Modulation => {
            vec!["modulation", "a sweeping modulation", "a swirling modulation"]
        }
        EffectType::Delay => vec!["delay", "repeating echoes", "a delay with echoes"],
        EffectType::Reverb => vec!["reverb", "a spacious reverb", "a reverberant room"],
    }
}

pub fn pickup_phrases(p: Pickup) -> Vec<&'static str> {
    match p {
        Pickup::Bridge => vec!["the bridge pickup"],
        Pickup::BridgeMiddle => vec!["the bridge and middle pickups"],
        Pickup::Middle => vec!["the middle pickup"],
        Pickup::MiddleNeck => vec!["the middle and neck pickups"],
        Pickup::Neck => vec!["the neck pickup"],
    }
}

fn tone_word(p: Pickup) -> Option<&'static str> {
    match p {
        Pickup::Bridge => Some("bright"),
        Pickup::Neck => Some("warm"),
        _ => None,
    }
}

pub fn register_phrases(r: Register) -> Vec<&'static str> {
    match r {
        Register::Low => vec!["a low note", "a bass note"],
        Register::Middle => vec!["a note in the middle register", "a mid range note"],
        Register::High => vec!["a high note", "a treble note"],
    }
}

fn string_name(s: u8) -> &'static str {
    [
        "",
        "the high e string",
        "the b string",
        "the g string",
        "the d string",
        "the a string",
        "the low e string",
    ][s as usize]
}

fn fret_phrase(f: u8) -> String {
    if f == 0 { "open".into() } else { format!("at fret {f}") }
}

fn level_word(v: f64) -> &'static str {
    if v >= 0.9 {
        "full"
    } else if v >= 0.4 {
        "half"
    } else {
        "low"
    }
}

/// "an E4" / "a C3": the article a note name takes when read aloud.
fn note_phrase(name: &str) -> String {
    let vowel_sound = matches!(name.chars().next(), Some('A' | 'E' | 'F'));
    format!("{} {}", if vowel_sound { "an" } else { "a" }, name.to_lowercase())
}

/// Every caption the generator can write for one clip, template by template (a random
/// caption takes a template first, then one of its wordings).
pub fn captions_of(f: &Facts) -> Vec<Vec<Caption>> {
    use Mention as M;
    let caption = |text: String, mentions: Vec<Mention>| Caption { text, mentions };
    let note = note_phrase(&f.note_name);
    let mut templates = Vec::new();
    if f.effect == Effect::Clean {
        let mut t1 = Vec::new();
        for pickup in pickup_phrases(f.pickup) {
            t1.push(caption(
                format!(
                    "a clean {} on {pickup}",
                    note.trim_start_matches("an ").trim_start_matches("a ")
                ),
                vec![
                    M::Effect(Effect::Clean),
                    M::Note(f.note_name.clone()),
                    M::Pickup(f.pickup),
                ],
            ));
        }
        templates.push(t1);
        let mut t2 = Vec::new();
        for register in register_phrases(f.register()) {
            for nothing in type_phrases(EffectType::None) {
                t2.push(caption(
                    format!("{register} on a dry guitar with {nothing}"),
                    vec![M::Effect(Effect::Clean), M::Register(f.register())],
                ));
            }
        }
        templates.push(t2);
        let t3 = vec![caption(
            format!("a clean guitar, {}, {}", string_name(f.string), fret_phrase(f.fret)),
            vec![M::Effect(Effect::Clean), M::String(f.string), M::Fret(f.fret)],
        )];
        templates.push(t3);
        return templates;
    }
    let effects = effect_phrases(f.effect);
    let types = type_phrases(f.effect_type);
    // 1. "an e4 through a tape echo on the bridge pickup"
    let mut t = Vec::new();
    for effect in &effects {
        for pickup in pickup_phrases(f.pickup) {
            t.push(caption(
                format!("{note} through {effect} on {pickup}"),
                vec![M::Note(f.note_name.clone()), M::Effect(f.effect), M::Pickup(f.pickup)],
            ));
        }
    }
    templates.push(t);
    // 2. "a bright e4 through a tape echo"
    if let Some(tone) = tone_word(f.pickup) {
        let bare = note.split_once(' ').map_or(note.as_str(), |(_, n)| n);
        let article = if tone == "warm" { "a warm" } else { "a bright" };
        templates.push(
            effects
                .iter()
                .map(|effect| {
                    caption(
                        format!("{article} {bare} through {effect}"),
                        vec![
                            M::Tone(f.pickup),
                            M::Note(f.note_name.clone()),
                            M::Effect(f.effect),
                        ],
                    )
                })
                .collect(),
        );
    }
    // 3. "delay on a low note from the neck pickup"
    let mut t = Vec::new();
    for ty in &types {
        for register in register_phrases(f.register()) {
            for pickup in pickup_phrases(f.pickup) {
                t.push(caption(
                    format!("{ty} on {register} from {pickup}"),
                    vec![
                        M::Type(f.effect_type),
                        M::Register(f.register()),
                        M::Pickup(f.pickup),
                    ],
                ));
            }
        }
    }
    templates.push(t);
    // 4. "a low note played on the a string open with a tape echo"
    let mut t = Vec::new();
    for register in register_phrases(f.register()) {
        for effect in &effects {
            t.push(caption(
                format!(
                    "{register} played on {} {} with {effect}",
                    string_name(f.string),
                    fret_phrase(f.fret)
                ),
                vec![
                    M::Register(f.register()),
                    M::String(f.string),
                    M::Fret(f.fret),
                    M::Effect(f.effect),
                ],
            ));
        }
    }
    templates.push(t);
    // 5. "the line 6 dl4 delay with the mix at half" (names the pedal, not the effect)
    if !f.model.is_empty() {
        let knob = f
            .amount_knob
            .as_ref()
            .map(|(name, v)| format!(" with the {name} at {}", level_word(*v)))
            .unwrap_or_default();
        templates.push(vec![caption(
            format!("the {}{knob} on {note}", f.model),
            vec![M::Model(f.model.clone()), M::Note(f.note_name.clone())],
        )]);
    }
    // 6. "a guitar note with repeating echoes"
    templates.push(
        types
            .iter()
            .map(|ty| {
                caption(format!("a guitar note with {ty}"), vec![M::Type(f.effect_type)])
            })
            .collect(),
    );
    // 7. "a tape echo, delay"
    let mut t = Vec::new();
    for effect in &effects {
        for ty in &types {
            t.push(caption(
                format!("{effect}, {ty}"),
                vec![M::Effect(f.effect), M::Type(f.effect_type)],
            ));
        }
    }
    templates.push(t);
    templates
}

/// One caption drawn at random: a template, then one of its wordings.
pub fn random_caption(facts: &Facts, rng: &mut ChaCha8Rng) -> Caption {
    let templates = captions_of(facts);
    let template = &templates[(rng.next_u64() % templates.len() as u64) as usize];
    template[(rng.next_u64() % template.len() as u64) as usize].clone()
}

/// The effect a sentence names (the longest phrase found), if any.
pub fn named_effect(text: &str) -> Option<Effect> {
    let phrases = Effect::ALL.iter().map(|&e| match e {
        // Clean's captions say so in their own words.
        Effect::Clean => (e, vec!["clean".to_string(), "dry guitar".to_string()]),
        _ => (e, effect_phrases(e)),
    });
    longest_match(text, phrases)
}

/// The effect type a sentence names: through its effect, or in words of the type.
pub fn named_type(text: &str) -> Option<EffectType> {
    named_effect(text).map(Effect::effect_type).or_else(|| {
        let types = EffectType::ALL
            .iter()
            .map(|&t| (t, type_phrases(t).iter().map(|s| s.to_string()).collect()));
        longest_match(text, types)
    })
}

pub fn named_pickup(text: &str) -> Option<Pickup> {
    let phrases = Pickup::ALL.iter().map(|&p| {
        let mut words: Vec<String> = pickup_phrases(p).iter().map(|s| s.to_string()).collect();
        words.extend(tone_word(p).map(|t| format!("{t} ")));
        (p, words)
    });
    longest_match(text, phrases)
}

pub fn named_register(text: &str) -> Option<Register> {
    let registers = [Register::Low, Register::Middle, Register::High];
    longest_match(
        text,
        registers
            .iter()
            .map(|&r| (r, register_phrases(r).iter().map(|s| s.to_string()).collect())),
    )
}

fn longest_match<T: Copy>(
    text: &str,
    candidates: impl Iterator<Item = (T, Vec<String>)>,
) -> Option<T> {
    let padded = format!(" {text} ");
    candidates
        .flat_map(|(value, phrases)| phrases.into_iter().map(move |p| (value, p)))
        .filter(|(_, phrase)| padded.contains(&format!(" {} ", phrase.trim())))
        .max_by_key(|(_, phrase)| phrase.len())
        .map(|(value, _)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    fn facts(effect: Effect, effect_type: EffectType, pickup: Pickup, midi: u8) -> Facts {
        Facts {
            effect,
            effect_type,
            model: if effect == Effect::Clean {
                String::new()
            } else {
                "line 6 dl4 delay".into()
            },
            amount_knob: Some(("mix".into(), 0.5)),
            pickup,
            string: 6,
            fret: 0,
            midi,
            note_name: "E2".into(),
        }
    }

    #[test]
    fn every_caption_is_true_of_its_own_clip_and_names_what_it_says() {
        for effect in Effect::ALL {
            let t = if effect == Effect::Clean { EffectType::None } else { EffectType::Delay };
            for pickup in Pickup::ALL {
                let f = facts(effect, t, pickup, 40);
                for c in captions_of(&f).iter().flatten() {
                    assert!(c.is_true_of(&f), "{c:?}");
                    assert!(!c.mentions.is_empty());
                }
            }
        }
        let tape = facts(Effect::TapeEcho, EffectType::Delay, Pickup::Bridge, 40);
        let all: Vec<String> =
            captions_of(&tape).iter().flatten().map(|c| c.text.clone()).collect();
        assert!(
            all.contains(&"an e2 through a tape echo on the bridge pickup".to_string()),
            "{all:?}"
        );
        assert!(all.contains(&"a bright e2 through a tape echo".to_string()));
        assert!(all.contains(&"delay on a low note from the bridge pickup".to_string()));
        assert!(
            all.contains(&"the line 6 dl4 delay with the mix at half on an e2".to_string())
        );
    }

    #[test]
    fn a_caption_is_true_of_other_clips_only_where_they_share_what_it_names() {
        let tape = facts(Effect::TapeEcho, EffectType::Delay, Pickup::Neck, 40);
        let digital = facts(Effect::DigitalDelay, EffectType::Delay, Pickup::Neck, 40);
        let high = Facts { midi: 70, note_name: "A#4".into(), ..tape.clone() };
        let delay_low_neck = Caption {
            text: "delay on a low note from the neck pickup".into(),
            mentions: vec![
                Mention::Type(EffectType::Delay),
                Mention::Register(Register::Low),
                Mention::Pickup(Pickup::Neck),
            ],
        };
        assert!(delay_low_neck.is_true_of(&digital));
        assert!(!delay_low_neck.is_true_of(&high));
        let tape_caption = &captions_of(&tape)[0][0];
        assert!(!tape_caption.is_true_of(&digital));
    }

    #[test]
    fn random_captions_are_seeded_and_varied() {
        let f = facts(Effect::Chorus, EffectType::Modulation, Pickup::Middle, 60);
        let draw = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..20).map(|_| random_caption(&f, &mut rng).text).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        let distinct: std::collections::BTreeSet<_> = draw(1).into_iter().collect();
        assert!(distinct.len() >= 6, "{distinct:?}");
    }

    #[test]
    fn what_a_generated_sentence_names_is_read_back() {
        let text = "a bright e2 through a tape delay";
        assert_eq!(named_effect(text), Some(Effect::TapeEcho));
        assert_eq!(named_pickup(text), Some(Pickup::Bridge));
        assert_eq!(
            named_register("delay on a bass note from the middle and neck pickups"),
            Some(Register::Low)
        );
        assert_eq!(
            named_pickup("delay on a bass note from the middle and neck pickups"),
            Some(Pickup::MiddleNeck)
        );
        assert_eq!(named_effect("a guitar note with delay"), None);
        assert_eq!(named_type("a guitar note with delay"), Some(EffectType::Delay));
        assert_eq!(named_type("a bright e2 through a tape delay"), Some(EffectType::Delay));
        assert_eq!(
            named_type("a guitar note with gritty overdrive"),
            Some(EffectType::Distortion)
        );
        assert_eq!(named_effect("a plate reverb, reverb"), Some(Effect::PlateReverb));
        assert_eq!(named_type("a clean e4 on the neck pickup"), Some(EffectType::None));
    }

    #[test]
    fn registers_split_the_guitar_range() {
        assert_eq!(Register::of(40), Register::Low);
        assert_eq!(Register::of(52), Register::Middle);
        assert_eq!(Register::of(64), Register::High);
    }
}
