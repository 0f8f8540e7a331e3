//! The English analysis of each word, remembered. The snippets of one search
//! tokenize the text of each hit shown, and those texts share most of their
//! words; the index writer sees the same words in every document. Each word as
//! written (`Deployments`) is analyzed once, by the same filters as
//! [`english`](super::analysis::english) (length limit, lowercase, ASCII
//! folding, stop words, stemmer), and its term (`deploy`, or none for a stop
//! word) is looked up afterwards: one lookup per token instead of four filters
//! (lowercasing, folding and the stop-word lookup were, with the stem lookup,
//! over a quarter of tantivy's indexing thread). The filters act on each token
//! alone, so the terms and their positions are the uncached analysis's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::analysis::english_word;

/// Word as written → its term, `None` when the analysis drops it. Seeded per
/// map (foldhash's `RandomState`): the words come from documents and queries.
type Terms = HashMap<String, Option<String>, foldhash::fast::RandomState>;

/// Words remembered per indexing thread before the memory starts afresh
/// (unique tokens — hashes, pod names — would otherwise grow it without end).
const OWN_LIMIT: usize = 20_000;

/// Where a filter keeps its terms.
enum Memory {
    /// Shared by the clones of one filter (one search's snippets).
    Shared(Arc<Mutex<Terms>>),
    /// Each clone has its own, no lock (an index writer clones the analyzer
    /// for each of its threads); at most `limit` words.
    Own { terms: Terms, limit: usize },
}

impl Clone for Memory {
    fn clone(&self) -> Self {
        match self {
            Memory::Shared(terms) => Memory::Shared(Arc::clone(terms)),
            Memory::Own { limit, .. } => Memory::Own {
                terms: Terms::default(),
                limit: *limit,
            },
        }
    }
}

/// The filter: word → term, and the analysis for words not seen yet.
#[derive(Clone)]
pub(crate) struct CachedEnglish {
    memory: Memory,
    /// The English analysis of one word (the whole text is one token).
    word: TextAnalyzer,
}

impl CachedEnglish {
    /// An empty memory shared by the filter's clones.
    pub fn shared() -> CachedEnglish {
        Self::with(Memory::Shared(Arc::default()))
    }

    /// A memory per clone.
    pub fn per_clone() -> CachedEnglish {
        Self::with(Memory::Own {
            terms: Terms::default(),
            limit: OWN_LIMIT,
        })
    }

    fn with(memory: Memory) -> CachedEnglish {
        CachedEnglish {
            memory,
            word: english_word(),
        }
    }
}

impl TokenFilter for CachedEnglish {
    type Tokenizer<T: Tokenizer> = CachedEnglishFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedEnglishFilter<T> {
        CachedEnglishFilter {
            inner,
            english: self,
        }
    }
}

#[derive(Clone)]
pub(crate) struct CachedEnglishFilter<T> {
    inner: T,
    english: CachedEnglish,
}

impl<T: Tokenizer> Tokenizer for CachedEnglishFilter<T> {
    type TokenStream<'a> = CachedEnglishStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let terms = match &mut self.english.memory {
            // Locked once per text; a panic elsewhere cannot leave a wrong term.
            Memory::Shared(terms) => Held::Locked(terms.lock().unwrap_or_else(|p| p.into_inner())),
            Memory::Own { terms, limit } => {
                if terms.len() >= *limit {
                    terms.clear();
                }
                Held::Own(terms)
            }
        };
        CachedEnglishStream {
            tail: self.inner.token_stream(text),
            terms,
            word: &mut self.english.word,
        }
    }
}

/// The memory, held for one text.
enum Held<'a> {
    Locked(MutexGuard<'a, Terms>),
    Own(&'a mut Terms),
}

impl Held<'_> {
    fn terms(&mut self) -> &mut Terms {
        match self {
            Held::Locked(guard) => guard,
            Held::Own(terms) => terms,
        }
    }
}

pub(crate) struct CachedEnglishStream<'a, T> {
    tail: T,
    terms: Held<'a>,
    word: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for CachedEnglishStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            let terms = self.terms.terms();
            let term = match terms.get(token.text.as_str()) {
                Some(term) => term.as_deref(),
                None => {
                    let term = self
                        .word
                        .token_stream(&token.text)
                        .next()
                        .map(|t| t.text.clone());
                    terms.entry(token.text.clone()).or_insert(term).as_deref()
                }
            };
            // A dropped word leaves its position unused, as the stop-word filter does.
            if let Some(term) = term {
                token.text.clear();
                token.text.push_str(term);
                return true;
            }
        }
        false
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
        let mut tiny = tantivy::tokenizer::TextAnalyzer::builder(
            tantivy::tokenizer::SimpleTokenizer::default(),
        )
        .filter(super::CachedEnglish::with(super::Memory::Own {
            terms: super::Terms::default(),
            limit: 3,
        }))
        .build();
        let mut plain = english();
        let mut tokens = 0;
        // Twice: the second pass is answered from memory.
        for _ in 0..2 {
            for path in crate::input::collect_files(std::slice::from_ref(&root)).unwrap() {
                let text = std::fs::read_to_string(&path).unwrap();
                let expected = all(&mut plain, &text);
                assert_eq!(all(&mut cached, &text), expected, "{}", path.display());
                assert_eq!(all(&mut own, &text), expected, "{}", path.display());
                // A memory that keeps starting afresh still gives the same terms.
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

    /// Words each filter acts on, in the cases the corpus may not hold: stop
    /// words in capitals, accents folded, the length limit on the word as
    /// written, letters whose lowercase is longer, a stop word seen first in
    /// capitals then in lowercase (two memories, one answer).
    #[test]
    fn same_tokens_as_the_english_analyzer_for_each_filter() {
        let long = "x".repeat(47);
        let too_long = "y".repeat(48);
        let text = format!(
            "The THE the Café CAFÉ naïve Straße İstanbul ŞEHİR {long} {too_long} \
             Deployments deployments DEPLOYMENTS of OF 503 kube-dns"
        );
        let expected = all(&mut english(), &text);
        assert!(expected.iter().any(|t| t.text == "cafe"), "{expected:?}");
        assert!(!expected.iter().any(|t| t.text == "the"), "{expected:?}");
        for mut analyzer in [english_cached(), english_indexing()] {
            // Twice: from the filters, then from memory.
            assert_eq!(all(&mut analyzer, &text), expected);
            assert_eq!(all(&mut analyzer, &text), expected);
        }
    }
}
