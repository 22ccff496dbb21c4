"""Document-level resolution helpers that need no parser."""
from __future__ import annotations

from quotes import resolution
from quotes.lexicon import get_lexicon
from quotes.resolution import Document, NameInText


def _doc(text: str, names: list[str]) -> Document:
    spans = []
    for name in names:
        start = text.index(name, spans[-1].span[1] if spans else 0)
        spans.append(NameInText((start, start + len(name)), name))
    return Document(text, get_lexicon("en"), spans)


def test_pronoun_takes_first_name_of_latest_sentence():
    text = "Anne Roy met Paul Diaz. Then Lea Kim thanked Omar Sy and left"
    doc = _doc(text, ["Anne Roy", "Paul Diaz", "Lea Kim", "Omar Sy"])
    first = resolution._first_of_latest_sentence(doc, doc.names_before(len(text)))
    assert (first.text, first.span) == ("Lea Kim", (29, 36))


def test_sentence_start_is_looked_for_within_a_bound():
    # no sentence punctuation at all: the sentence is taken to start SENTENCE_LOOKBACK
    # characters before the latest name, so the scan stays bounded on huge texts
    filler = "word " * (resolution.SENTENCE_LOOKBACK // 5 + 10)
    text = "Anne Roy spoke " + filler + "Paul Diaz and Lea Kim left"
    doc = _doc(text, ["Anne Roy", "Paul Diaz", "Lea Kim"])
    first = resolution._first_of_latest_sentence(doc, doc.names_before(len(text)))
    assert first.text == "Paul Diaz"
    short = "Anne Roy spoke word word Paul Diaz and Lea Kim left"
    doc = _doc(short, ["Anne Roy", "Paul Diaz", "Lea Kim"])
    assert resolution._first_of_latest_sentence(doc, doc.names_before(len(short))).text == "Anne Roy"
