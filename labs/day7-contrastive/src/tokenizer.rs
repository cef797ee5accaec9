//! A word-level tokenizer. MusCALL uses CLIP's byte-pair encoding (49,408 tokens), made for
//! the open web's spelling, morphology and unseen words. Our captions come from a generator
//! with a closed vocabulary of about two hundred words, no misspellings and no inflections,
//! so one token per word loses nothing; a word never seen in training becomes `<unk>`.

use std::collections::BTreeMap;

pub const PAD: usize = 0;
pub const UNKNOWN: usize = 1;
pub const START: usize = 2;
/// The end token: the text encoder's output is read here (as CLIP and MusCALL pool at it).
pub const END: usize = 3;

/// Lower case words: letters, digits and the sharp sign; every other character separates
/// them. A note name is two words, its pitch class and its octave (`a#3` -> `a#`, `3`): a
/// held-out string plays notes never named in training, but never an unseen pitch class
/// or octave, and the octave alone says much of the register.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '#')
        .filter(|w| !w.is_empty())
        .flat_map(|w| match note_parts(w) {
            Some((pitch_class, octave)) => vec![pitch_class.to_string(), octave.to_string()],
            None => vec![w.to_string()],
        })
        .collect()
}

/// `a#3` -> (`a#`, `3`); `None` for anything that is not a note name.
fn note_parts(word: &str) -> Option<(&str, &str)> {
    let split = word.len().checked_sub(1)?;
    let (pitch_class, octave) = word.split_at(split);
    let is_pitch_class = matches!(pitch_class.as_bytes(), [b'a'..=b'g'] | [b'a'..=b'g', b'#']);
    (is_pitch_class && octave.as_bytes()[0].is_ascii_digit()).then_some((pitch_class, octave))
}

#[derive(Debug, Clone)]
pub struct Tokenizer {
    ids: BTreeMap<String, usize>,
    /// The words in id order (id - 4).
    words: Vec<String>,
    /// Tokens per caption: start + words + end, padded.
    pub context: usize,
}

impl Tokenizer {
    /// The vocabulary of `texts` (sorted, so that the ids do not depend on their order).
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>, context: usize) -> Self {
        let mut vocabulary: Vec<String> = texts.into_iter().flat_map(words).collect();
        vocabulary.sort();
        vocabulary.dedup();
        let ids = vocabulary.iter().enumerate().map(|(i, w)| (w.clone(), i + 4)).collect();
        Self { ids, words: vocabulary, context }
    }

    /// Tokens, counting the four special ones.
    pub fn vocabulary_size(&self) -> usize {
        self.ids.len() + 4
    }

    /// The words of `ids` up to the end token (start and padding skipped).
    pub fn decode(&self, ids: &[usize]) -> String {
        let words: Vec<&str> = ids
            .iter()
            .take_while(|&&i| i != END)
            .filter(|&&i| i >= 4)
            .filter_map(|&i| self.words.get(i - 4).map(String::as_str))
            .collect();
        // An octave is written against its pitch class again: `a#`, `3` -> `a#3`.
        let mut text = String::new();
        for (i, word) in words.iter().enumerate() {
            let octave_of_note = i > 0
                && note_parts(&format!("{}{word}", words[i - 1])).is_some()
                && word.len() == 1;
            if i > 0 && !octave_of_note {
                text.push(' ');
            }
            text.push_str(word);
        }
        text
    }

    pub fn knows(&self, word: &str) -> bool {
        self.ids.contains_key(word)
    }

    /// `context` token ids and the end token's position; a caption longer than the context
    /// keeps its first words (the end token always fits).
    pub fn encode(&self, text: &str) -> (Vec<usize>, usize) {
        let mut ids = vec![START];
        ids.extend(
            words(text)
                .iter()
                .take(self.context - 2)
                .map(|w| self.ids.get(w).copied().unwrap_or(UNKNOWN)),
        );
        let end = ids.len();
        ids.push(END);
        ids.resize(self.context, PAD);
        (ids, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_fold_case() {
        assert_eq!(
            words("A bright E4, through a Boss CE-3!"),
            ["a", "bright", "e", "4", "through", "a", "boss", "ce", "3"]
        );
        assert_eq!(words("an A#3 at fret 11"), ["an", "a#", "3", "at", "fret", "11"]);
    }

    #[test]
    fn notes_are_written_back_whole() {
        let text = "an a#3 and an e4 through the boss ce 3 at fret 2";
        let t = Tokenizer::fit([text], 20);
        assert_eq!(t.decode(&t.encode(text).0), text);
    }

    #[test]
    fn encoding_pads_marks_the_end_and_knows_unseen_words() {
        let t = Tokenizer::fit(["a tape echo", "a chorus"], 6);
        assert_eq!(t.vocabulary_size(), 4 + 4); // a, chorus, echo, tape
        let (ids, end) = t.encode("a tape echo");
        // a = 4, chorus = 5, echo = 6, tape = 7
        assert_eq!(ids, [START, 4, 7, 6, END, PAD]);
        assert_eq!(end, 4);
        assert_eq!(t.decode(&ids), "a tape echo");
        let (ids, _) = t.encode("a phaser");
        assert_eq!(ids[2], UNKNOWN);
        let (long, end) = t.encode("a a a a a a a a");
        assert_eq!((long.len(), end, long[5]), (6, 5, END));
    }
}
