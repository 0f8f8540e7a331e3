//! Byte offset → 1-based line number, for locating every parsed item; and splitting a
//! text into lines once, for the stages that walk it line by line.

/// Start offsets of each line of a text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 48 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The byte offset where 1-based `line` starts (clamped to the last line).
    pub fn start_of(&self, line: usize) -> usize {
        let i = line.saturating_sub(1).min(self.starts.len() - 1);
        self.starts[i]
    }

    /// The lines of `text` (the text this index was made from), as [`str::lines`]
    /// gives them: without their `\n` or `\r\n`, and no empty line after a final `\n`.
    pub fn lines<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut out = Vec::with_capacity(self.starts.len());
        for pair in self.starts.windows(2) {
            let line = text.get(pair[0]..pair[1] - 1).unwrap_or("");
            out.push(line.strip_suffix('\r').unwrap_or(line));
        }
        let last = self.starts.last().copied().unwrap_or(0);
        if let Some(rest) = text.get(last..).filter(|r| !r.is_empty()) {
            out.push(rest);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(text: &str) -> Vec<&str> {
        LineIndex::new(text).lines(text)
    }

    #[test]
    fn maps_offsets_to_lines() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(2), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(6), 3);
        assert_eq!(idx.line_of(7), 4);
        assert_eq!(idx.start_of(4), 7);
    }

    #[test]
    fn splits_like_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "a\rb\r",
            "\r\n\r\n\n",
            "long line with more than eight bytes\nand another one\n\nlast",
            "é\nü€\r\n日本語のテキスト\n",
        ] {
            assert_eq!(split(text), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn split_agrees_with_str_lines(text in "(?s)[a\\n\\r é]{0,40}") {
            prop_assert_eq!(split(&text), text.lines().collect::<Vec<_>>());
        }
    }
}
