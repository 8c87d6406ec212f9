//! Properties over arbitrary input: normalising and matching any Unicode text never
//! panics and always gives the same answer twice.

use factdesk::matching::normalize;
use proptest::prelude::*;

use crate::support::desk;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn answering_any_text_is_total_and_deterministic(text in any_text()) {
        let first = desk().answer(&text);
        let second = desk().answer(&text);
        prop_assert_eq!(&first, &second);
        prop_assert!((0.0..=1.0).contains(&first.confidence));
        prop_assert_eq!(&first.question, &text);
    }

    #[test]
    fn normalised_words_are_lowercase_and_markup_free(text in any_text()) {
        for word in normalize::words(&text) {
            prop_assert!(word.chars().count() > 1);
            prop_assert!(word.chars().all(char::is_alphanumeric), "{}", word);
            prop_assert!(!word.chars().any(char::is_uppercase), "{}", word);
        }
    }
}

/// Unicode text up to 10,000 characters, mixed with the markup people actually send.
fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-z ]{1,12}",
        Just("<@123456>".to_string()),
        Just("<:pepe:42>".to_string()),
        Just("**".to_string()),
        Just("```".to_string()),
        Just("https://example.com/x".to_string()),
        Just("zaporizia bitcoin minig ".to_string()),
        Just("U.S. ".to_string()),
        Just("?\n".to_string()),
    ];
    prop::collection::vec(piece, 0..400)
        .prop_map(|pieces| pieces.concat().chars().take(10_000).collect())
}
