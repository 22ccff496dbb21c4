"""Language detection, offline and model-free: stopword frequencies per supported language."""
from __future__ import annotations

import regex

from .lexicon import SUPPORTED_LANGUAGES, get_lexicon

WORD = regex.compile(r"\p{L}+")
SAMPLE_CHARS = 20_000  # the start of a document is enough


def detect(text: str) -> str:
    """The supported language whose stopwords are most frequent in the text ("en" on a tie).

    Accented letters typical of French break ties on very short texts."""
    words = [w.lower() for w in WORD.findall(text[:SAMPLE_CHARS])]
    scores = {}
    for lang in SUPPORTED_LANGUAGES:
        stop = get_lexicon(lang).stopwords
        scores[lang] = sum(1 for w in words if w in stop)
    scores["fr"] += sum(1 for c in text[:SAMPLE_CHARS] if c in "éèêàçùâîôû«»") * 0.5
    return max(sorted(scores), key=lambda lang: (scores[lang], lang == "en"))
