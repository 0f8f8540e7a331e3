//! A stemming filter that remembers every word's stem. The snippets of one
//! search tokenize the text of each hit shown, and those texts share most of
//! their words: stemming each distinct word once made snippets several times
//! cheaper. Indexing gets the same, with a memory per indexing thread (stemming
//! was a quarter of tantivy's indexing time). The stems are tantivy's
//! `Stemmer`'s, so the terms are the same.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Seeded per map (foldhash's `RandomState`): the words come from documents and queries.
type Stems = HashMap<String, String, foldhash::fast::RandomState>;

/// Words remembered per indexing thread before the memory starts afresh
/// (unique tokens — hashes, pod names — would otherwise grow it without end).
const OWN_LIMIT: usize = 20_000;

/// Where a filter keeps its stems.
enum Memory {
    /// Shared by the clones of one filter (one search's snippets).
    Shared(Arc<Mutex<Stems>>),
    /// Each clone has its own, no lock (an index writer clones the analyzer
    /// for each of its threads); at most `limit` words.
    Own { stems: Stems, limit: usize },
}

impl Clone for Memory {
    fn clone(&self) -> Self {
        match self {
            Memory::Shared(stems) => Memory::Shared(Arc::clone(stems)),
            Memory::Own { limit, .. } => Memory::Own {
                stems: Stems::default(),
                limit: *limit,
            },
        }
    }
}

/// Word → stem, and the stemmer for words not seen yet.
#[derive(Clone)]
pub(crate) struct CachedStemmer {
    memory: Memory,
    /// Stems one word (the whole text is one token).
    stemmer: TextAnalyzer,
}

impl CachedStemmer {
    /// An English stemmer with an empty memory shared by its clones.
    pub fn english() -> CachedStemmer {
        Self::with(Memory::Shared(Arc::default()))
    }

    /// An English stemmer whose clones each remember their own words.
    pub fn english_per_clone() -> CachedStemmer {
        Self::with(Memory::Own {
            stems: Stems::default(),
            limit: OWN_LIMIT,
        })
    }

    fn with(memory: Memory) -> CachedStemmer {
        CachedStemmer {
            memory,
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
        let stems = match &mut self.stems.memory {
            // Locked once per text; a panic elsewhere cannot leave a wrong stem.
            Memory::Shared(stems) => Held::Locked(stems.lock().unwrap_or_else(|p| p.into_inner())),
            Memory::Own { stems, limit } => {
                if stems.len() >= *limit {
                    stems.clear();
                }
                Held::Own(stems)
            }
        };
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems,
            stemmer: &mut self.stems.stemmer,
        }
    }
}

/// The memory, held for one text.
enum Held<'a> {
    Locked(MutexGuard<'a, Stems>),
    Own(&'a mut Stems),
}

impl Held<'_> {
    fn stems(&mut self) -> &mut Stems {
        match self {
            Held::Locked(guard) => guard,
            Held::Own(stems) => stems,
        }
    }
}

pub(crate) struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: Held<'a>,
    stemmer: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stems = self.stems.stems();
        match stems.get(&token.text) {
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
                stems.insert(word, stem);
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

    use super::super::analysis::{english, english_cached, english_indexing};

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
        let mut own = english_indexing();
        let mut tiny =
            super::super::analysis::english_with(super::CachedStemmer::with(super::Memory::Own {
                stems: super::Stems::default(),
                limit: 3,
            }));
        let mut plain = english();
        let mut tokens = 0;
        // Twice: the second pass is answered from memory.
        for _ in 0..2 {
            for path in crate::input::collect_files(std::slice::from_ref(&root)).unwrap() {
                let text = std::fs::read_to_string(&path).unwrap();
                let expected = all(&mut plain, &text);
                assert_eq!(all(&mut cached, &text), expected, "{}", path.display());
                assert_eq!(all(&mut own, &text), expected, "{}", path.display());
                // A memory that keeps starting afresh still gives the same stems.
                assert_eq!(all(&mut tiny, &text), expected, "{}", path.display());
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
