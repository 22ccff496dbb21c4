"""What the parser is given: the sentences that may hold a frame, and only those."""
from __future__ import annotations

import pytest

from quotes import Document, frames, spans
from quotes.attribution import may_frame
from quotes.lexicon import get_lexicon
from quotes.parsing import Word, unparsed


@pytest.mark.parametrize("lang, word, expected", [
    ("fr", "déclare", True), ("fr", "Déclaraient", True),
    ("fr", "repris", True), ("fr", "maintient", True), ("fr", "reconnu", True),  # irregular stems
    ("fr", "disait", True), ("fr", "Dit", True), ("fr", "nié", True), ("fr", "plaignait", True),  # paradigms
    ("fr", "directeur", False), ("fr", "niveau", False), ("fr", "plan", False), ("fr", "traces", False),
    ("en", "said", True), ("en", "denied", True), ("en", "admitted", True), ("en", "noting", True),
    ("en", "told", True), ("en", "warns", True),
    ("en", "not", False), ("en", "address", False), ("en", "station", False), ("en", "same", False),
])
def test_may_be_cue_form(lang, word, expected):
    assert get_lexicon(lang).may_be_cue_form(word) is expected


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "A partir de ce moment, toutes « les traces » seront perdues.", False),
    ("fr", "Et si le Maroc n'a pas de relations « ouvertes » avec Israël, rien n'a changé.", False),
    ("fr", "Une décision « désastreuse », a dénoncé le syndicat.", True),  # a cue verb
    ("fr", "Selon lui, le plan est « mort-né ».", True),  # according_to
    ("fr", "D'après la SNCF, le trafic « reprendra ».", True),
    ("fr", "Pour le maire, « Oui ».", True),  # framing_preposition opens the sentence
    ("fr", "Il faut du temps pour « les traces ».", False),  # « pour » elsewhere frames nothing
    ("fr", "Le slogan était simple : « Oui ».", True),  # a colon
    ("fr", "« Oui », poursuit-elle.", True),  # the verb of an inversion
    ("en", "We “honestly cannot” think of even one thing we did not like!", False),
    ("en", "The company denied the “rumours”.", True),
    ("en", "Prices rose 3 per cent, the “biggest” rise.", True),  # "per" is a cue preposition
])
def test_may_frame(lang, text, expected):
    assert may_frame(text, get_lexicon(lang)) is expected


def test_may_frame_knows_the_lemmatizer_dictionary():
    """A typo that the lemmatizer's dictionary lemmatizes as a cue verb still counts."""
    lex = get_lexicon("en")
    assert may_frame("They “commment” often.", lex) is False
    assert may_frame("They “commment” often.", lex, frozenset({"commment"})) is True


def test_unparsed_sentence_keeps_offsets_and_placeholders():
    lex = get_lexicon("fr")
    text = "Il pleut. Les « mots choisis avec un grand soin » restent, dit-on."
    quotes = spans.find_quotes(text)
    masked = frames.mask(text, quotes, lex)
    sentence = frames.split_sentences(masked, quotes)[1]
    assert sentence.text == "Les « Oui » restent, dit-on."
    words = unparsed(masked, sentence).words
    assert [(w.text, w.start, w.end, w.quote) for w in words] == [
        ("Les", 10, 13, None), ("«", 14, 15, None), ("Oui", 16, 47, 0), ("»", 48, 49, None),
        ("restent", 50, 57, None), (",", 57, 58, None), ("dit", 59, 62, None), ("-", 62, 63, None),
        ("on", 63, 65, None), (".", 65, 66, None)]
    assert words[0] == Word(1, "Les", "les", "X", 0, "dep", 10, 13, None)


def test_sentences_without_a_frame_are_not_parsed(extractor):
    """The scare-quoted sentence is not parsed; the records are those of the whole parse."""
    text = ("Le gouvernement a présenté sa réforme. Toutes « les traces » seront perdues en 2030.\n"
            "« Nous ne reculerons pas », a déclaré la ministre du Travail, Catherine Vautrin.")
    parser = extractor.parser("fr")
    before = parser.sentences_parsed
    fast = next(iter(extractor.extract_many([Document("d", text, lang="fr")])))
    assert parser.sentences_parsed - before == 1  # the sentence of the direct quote only
    extractor.whole_document = True
    try:
        whole = next(iter(extractor.extract_many([Document("d", text, lang="fr")])))
    finally:
        extractor.whole_document = False
    assert parser.sentences_parsed - before == 1 + 3
    assert [r.model_dump() for r in fast.records] == [r.model_dump() for r in whole.records]
    assert [r.model_dump(mode="json") for r in fast.records] == [
        {"record": "quote", "doc_id": "d", "index": 0, "language": "fr", "text": "les traces", "start": 48, "end": 58,
         "kind": "not_speech", "speaker": None, "role": None, "cue": None, "confidence": 0.3, "rule": "none",
         "notes": [], "metadata": {}},
        {"record": "quote", "doc_id": "d", "index": 1, "language": "fr", "text": "Nous ne reculerons pas",
         "start": 87, "end": 109, "kind": "direct",
         "speaker": {"id": "S1", "name": "Catherine Vautrin", "type": "person",
                     "mention": {"text": "Catherine Vautrin", "start": 147, "end": 164},
                     "name_span": {"text": "Catherine Vautrin", "start": 147, "end": 164}},
         "role": {"text": "ministre du Travail", "start": 126, "end": 145},
         "cue": {"text": "déclaré", "start": 115, "end": 122, "lemma": "déclarer"},
         "confidence": 0.9, "rule": "cue_after_quote", "notes": [], "metadata": {}}]
