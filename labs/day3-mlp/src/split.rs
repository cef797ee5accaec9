//! Which notes train, which choose when to stop looking (validation), which test.

use dl4mir_eval::split::shuffle;

/// Indices into the notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

/// One note in ten of the training strings is kept aside for the validation loss.
const VALIDATION_EVERY: usize = 10;

// ANCHOR: split
/// Test on every note of `test_string`; train on the other strings, less a random tenth
/// kept for validation. No note of the test string is ever seen in training, so the test
/// accuracy says how the network does on a string it has never heard.
pub fn by_string(strings: &[u8], test_string: u8, seed: u64) -> Split {
    let (test, rest): (Vec<usize>, Vec<usize>) =
        (0..strings.len()).partition(|&i| strings[i] == test_string);
    hold_out_validation(rest, test, seed)
}
// ANCHOR_END: split

/// The exercise's contrast: a test set of the same size drawn at random from all strings,
/// so the same notes, one fret apart, can sit on both sides.
pub fn random(n: usize, n_test: usize, seed: u64) -> Split {
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, seed);
    let rest = order.split_off(n_test.min(n));
    hold_out_validation(rest, order, seed)
}

fn hold_out_validation(mut rest: Vec<usize>, mut test: Vec<usize>, seed: u64) -> Split {
    shuffle(&mut rest, seed ^ 0x5eed);
    let (mut validation, mut train) = (Vec::new(), Vec::new());
    for (k, i) in rest.into_iter().enumerate() {
        if k % VALIDATION_EVERY == 0 { validation.push(i) } else { train.push(i) }
    }
    train.sort_unstable();
    validation.sort_unstable();
    test.sort_unstable();
    Split { train, validation, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_split_keeps_the_test_string_out_of_training() {
        let strings: Vec<u8> = (0..60).map(|i| (i % 6 + 1) as u8).collect();
        let split = by_string(&strings, 5, 1);
        assert!(split.test.iter().all(|&i| strings[i] == 5) && split.test.len() == 10);
        assert!(split.train.iter().chain(&split.validation).all(|&i| strings[i] != 5));
        assert_eq!((split.train.len(), split.validation.len()), (45, 5));
    }

    #[test]
    fn random_split_has_the_asked_test_size_and_no_overlap() {
        let split = random(50, 10, 3);
        let mut all: Vec<usize> =
            split.train.iter().chain(&split.validation).chain(&split.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..50).collect::<Vec<_>>());
        assert_eq!(split.test.len(), 10);
    }
}
