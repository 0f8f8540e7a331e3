//! Whether a label token may start at a letter: each token shape that starts with one
//! spells a known word, so most text (`Deploy the fix`) is ruled out before the search.

/// Whether a token may start `rest` (which starts with an ASCII letter): its letters
/// must spell a word of the token shapes (any case), an upper-case zone of at most five
/// letters, or run into a character other than ASCII (left to the search: Unicode case
/// folding reads `ſ` as `s`).
pub fn may_start_token(rest: &str) -> bool {
    let b = rest.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if b.get(n).is_some_and(|&c| c >= 0x80) {
        return true;
    }
    let word = &b[..n];
    if n <= 5 && word.iter().all(u8::is_ascii_uppercase) {
        return true;
    }
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..n) else {
        return false; // longer than any word
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        // Weekdays and their abbreviations.
        b"monday" | b"tuesday" | b"wednesday" | b"thursday" | b"friday" | b"saturday"
            | b"sunday" | b"mon" | b"tue" | b"tues" | b"wed" | b"thu" | b"thur" | b"thurs"
            | b"fri" | b"sat" | b"sun"
            // Months and their abbreviations.
            | b"jan" | b"january" | b"feb" | b"february" | b"mar" | b"march" | b"apr"
            | b"april" | b"may" | b"jun" | b"june" | b"jul" | b"july" | b"aug" | b"august"
            | b"sep" | b"sept" | b"september" | b"oct" | b"october" | b"nov" | b"november"
            | b"dec" | b"december"
            // Meridiems, unknown clock parts (`XX:XX`, `HH:mm`).
            | b"a" | b"p" | b"am" | b"pm" | b"x" | b"xx" | b"hh"
            // Approximations and connectors.
            | b"ca" | b"circa" | b"around" | b"about" | b"approx" | b"approximately"
            | b"roughly" | b"between" | b"from" | b"until" | b"till" | b"at" | b"by"
            | b"before" | b"after" | b"since" | b"on" | b"starting" | b"to" | b"and"
            | b"through" | b"of" | b"the"
            // Zone regions (`Europe/Berlin`).
            | b"us" | b"europe" | b"america" | b"asia" | b"australia" | b"africa"
            | b"pacific" | b"etc"
    )
}
