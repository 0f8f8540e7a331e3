//! A stemming filter that remembers every word's stem. The snippets of one
//! search tokenize the text of each hit shown, and those texts share most of
//! their words: stemming each distinct word once made snippets several times
//! cheaper. The stems are tantivy's `Stemmer`'s, so the terms are the same.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Word → stem, shared by the clones of one filter (one search's snippets).
#[derive(Clone)]
pub(crate) struct CachedStemmer {
    stems: Arc<Mutex<HashMap<String, String>>>,
    /// Stems one word (the whole text is one token).
    stemmer: TextAnalyzer,
}

impl CachedStemmer {
    /// An English stemmer with an empty memory.
    pub fn english() -> CachedStemmer {
        CachedStemmer {
            stems: Arc::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner, stems: self }
    }
}

#[derive(Clone)]
pub(crate) struct CachedStemmerFilter<T> {
    inner: T,
    stems: CachedStemmer,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            // Locked once per text; a panic elsewhere cannot leave a wrong stem.
            stems: self.stems.stems.lock().unwrap_or_else(|p| p.into_inner()),
            stemmer: &mut self.stems.stemmer,
        }
    }
}

pub(crate) struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: MutexGuard<'a, HashMap<String, String>>,
    stemmer: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self
                    .stemmer
                    .token_stream(&token.text)
                    .next()
                    .map(|t| t.text.clone())
                    .unwrap_or_default();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::analysis::{english, english_cached};

    fn all(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<super::Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.clone());
        }
        out
    }

    #[test]
    fn same_tokens_as_the_english_analyzer_over_the_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
        let mut cached = english_cached();
        let mut plain = english();
        let mut tokens = 0;
        // Twice: the second pass is answered from memory.
        for _ in 0..2 {
            for path in crate::input::collect_files(std::slice::from_ref(&root)).unwrap() {
                let text = std::fs::read_to_string(&path).unwrap();
                let expected = all(&mut plain, &text);
                assert_eq!(all(&mut cached, &text), expected, "{}", path.display());
                tokens += expected.len();
            }
        }
        assert!(tokens > 10_000, "{tokens} tokens");
        let mut clone = cached.clone();
        assert_eq!(
            all(&mut clone, "The deployments were failing"),
            all(&mut plain, "The deployments were failing")
        );
    }
}
