//! Text analysis: how words become index terms.
//!
//! - `coroner_en`: English words, lowercased, accents folded, stop words dropped,
//!   stemmed (`deployments` → `deploy`). `kube-dns` becomes `kube`, `dns` (found
//!   as a phrase).
//! - `coroner_tech`: technical tokens kept whole and lowercased: `kube-dns`,
//!   `v0.6`, `prod.yaml`, `node-role.kubernetes.io/master`, `10.0.0.1`; only
//!   compound tokens are emitted (plain words live in the English field).
//! - `coroner_keyword`: the whole value, lowercased (tags, slugs, statuses).
//! - `coroner_name`: words lowercased, no stemming (owners).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Tokenizer, TokenizerManager,
};

use super::stem_cache::CachedEnglish;
use super::tech_tokens::TechTokenizer;

pub(crate) const EN: &str = "coroner_en";
pub(crate) const TECH: &str = "coroner_tech";
pub(crate) const KEYWORD: &str = "coroner_keyword";
pub(crate) const NAME: &str = "coroner_name";

/// Words that carry no meaning for search (Lucene's English list).
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

pub(crate) fn english() -> TextAnalyzer {
    english_after(SimpleTokenizer::default())
}

/// [`english`] remembering each word's term: the same terms, for tokenizing
/// many texts of similar wording (one search's snippets). The memory lives
/// with the analyzer and its clones.
pub(crate) fn english_cached() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(CachedEnglish::shared())
        .build()
}

/// [`english`] for the index writer: each clone (one per indexing thread)
/// remembers its own words, without a lock.
pub(crate) fn english_indexing() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(CachedEnglish::per_clone())
        .build()
}

/// [`english`]'s filters over one word (the whole text): what the cached
/// analyzers run for a word they have not seen.
pub(crate) fn english_word() -> TextAnalyzer {
    english_after(RawTokenizer::default())
}

/// The English filters, each acting on one token at a time (which is what
/// lets `stem_cache` remember a word's term).
fn english_after<T: Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

pub(crate) fn technical() -> TextAnalyzer {
    TextAnalyzer::builder(TechTokenizer::default())
        .filter(RemoveLongFilter::limit(120))
        .filter(LowerCaser)
        .build()
}

pub(crate) fn keyword() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(RemoveLongFilter::limit(256))
        .filter(LowerCaser)
        .build()
}

pub(crate) fn name() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Register coroner's analyzers (they are not persisted with the index).
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(EN, english_indexing());
    manager.register(TECH, technical());
    manager.register(KEYWORD, keyword());
    manager.register(NAME, name());
}

/// The terms `analyzer` makes of `text`, with their positions.
pub(crate) fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
        tokens(analyzer, text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn english_stems_and_drops_stop_words() {
        assert_eq!(
            terms(&english(), "The deployments were failing"),
            ["deploy", "were", "fail"]
        );
        assert_eq!(
            terms(&english(), "CrashLoopBackOff PVC 503"),
            ["crashloopbackoff", "pvc", "503"]
        );
        assert_eq!(
            terms(&english(), "kube-dns v0.6"),
            ["kube", "dns", "v0", "6"]
        );
    }

    #[test]
    fn technical_tokens_stay_whole() {
        assert_eq!(
            terms(
                &technical(),
                "Restart kube-dns (v0.6) see prod.yaml, node-role.kubernetes.io/master."
            ),
            [
                "kube-dns",
                "v0.6",
                "prod.yaml",
                "node-role.kubernetes.io/master"
            ]
        );
        assert!(terms(&technical(), "plain words only").is_empty());
    }

    #[test]
    fn positions_skip_stop_words() {
        let t = tokens(&english(), "out of memory");
        assert_eq!(t, vec![(0, "out".to_string()), (2, "memori".to_string())]);
    }
}
