"""The shipped stanza models: they load with the network blocked, parse the structures the
attribution rules rely on, and a missing or corrupt file gives a clear error."""
from __future__ import annotations

import shutil
import socket

import pytest

from quotes.models.store import ModelError, installed, shipped_models
from quotes.parsing import Parser


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _parse(lang: str, text: str):
    parser = Parser(lang)
    doc = parser.nlp(text)
    return [w for s in doc.sentences for w in s.words]


def test_shipped_models_are_listed_with_scores():
    sets = {(m.lang, m.source): m for m in installed()}
    for lang in ("fr", "en"):
        m = sets[(lang, "shipped")]
        assert set(m.paths) >= {"tokenize", "pos", "lemma", "depparse"}
        assert m.total_bytes <= 15_000_000
        assert m.manifest["scores"]["held_out_test"]["LAS"] > 0


def _extractor_parse(lang: str, text: str):
    """The sentence as the extractor's parser gives it: stanza's parse with the repairs of
    quotes.parsing (split inversions, role appositions), offsets into ``text``."""
    from quotes import frames
    from quotes.lexicon import get_lexicon

    masked = frames.mask(text, [], get_lexicon(lang))
    (sentence,) = frames.split_sentences(masked, [])
    return Parser(lang).parse([(masked, sentence)])[0].words


def test_french_inverted_subject_with_apposition(no_network):
    text = "« Les forces mécanisées ne sont plus en tête », a déclaré le secrétaire à la Défense, Lloyd Austin."
    words = _parse("fr", text)
    by_text = {w.text: w for w in words}
    declare, secretary, lloyd, austin = by_text["déclaré"], by_text["secrétaire"], by_text["Lloyd"], by_text["Austin"]
    # stanza's own parse: the role phrase is the verb's inverted subject (nsubj or obj), and the
    # name is its apposition (the shipped French parser learned it from the attribution frames)
    assert secretary.head == declare.id and secretary.deprel in ("nsubj", "obj", "nsubj:pass")
    assert declare.lemma == "déclarer"
    assert (lloyd.head, lloyd.deprel) == (secretary.id, "appos")
    assert (austin.head, austin.deprel) == (lloyd.id, "flat:name")
    assert by_text["Défense"].head == secretary.id
    # the extractor's parse keeps it: Lloyd Austin hangs on « secrétaire », directly or through
    # « Lloyd » (quotes.parsing.attach_role_appositions puts it there for parsers that do not)
    words = _extractor_parse("fr", text)
    by_text = {w.text: w for w in words}
    declare, secretary, austin = by_text["déclaré"], by_text["secrétaire"], by_text["Austin"]
    assert secretary.head == declare.id and secretary.deprel in ("nsubj", "obj", "nsubj:pass")
    assert (secretary.start, secretary.end) == (text.index("secrétaire"), text.index("secrétaire") + 10)
    chain, w = [], austin
    while w.head not in (0, secretary.id) and len(chain) < 4:
        chain.append(w)
        w = words[w.head - 1]
    assert w.head == secretary.id


def test_english_subject_of_said(no_network):
    words = _parse("en", '"We will not back down," said Maria Lopez, the mayor of Springfield.')
    by_text = {w.text: w for w in words}
    said = by_text["said"]
    assert said.lemma == "say"
    maria = by_text["Maria"] if by_text["Maria"].head == said.id else by_text["Lopez"]
    assert maria.head == said.id and maria.deprel in ("nsubj", "obj")


def test_missing_model_file_names_the_file_and_the_fix(tmp_path):
    folder = tmp_path / "fr"
    shutil.copytree(shipped_models("fr").paths["tokenize"].parent, folder)
    (folder / "depparse.pt").unlink()
    with pytest.raises(ModelError, match=r"depparse\.pt.*retrain"):
        shipped_models("fr", folder)


def test_corrupt_model_file_names_the_file(tmp_path, no_network):
    folder = tmp_path / "en"
    shutil.copytree(shipped_models("en").paths["tokenize"].parent, folder)
    (folder / "pos.pt").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"pos\.pt"):
        Parser("en", folder=folder)
