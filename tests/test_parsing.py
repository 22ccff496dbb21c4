"""The parser's faster cycle finder must give stanza's decoder exactly the same trees."""
from __future__ import annotations

import numpy as np
import pytest
from stanza.models.common import chuliu_edmonds

from quotes import parsing
from quotes.lexicon import get_lexicon
from quotes.parsing import Word, attach_role_appositions, functional_graph_cycles


def stanza_tarjan():
    return parsing.STANZA_TARJAN or chuliu_edmonds.tarjan


def masks(cycles):
    return [np.flatnonzero(c).tolist() for c in cycles]


@pytest.mark.parametrize("tree, expected", [
    ([0, 4, 4, 4, 0], []),  # "This is a test": a tree
    ([0, 2, 0, 4, 2, 2], []),
    ([0, 3, 1, 2], [[1, 2, 3]]),  # one cycle
    ([0, 2, 1, 4, 3, 0], [[1, 2], [3, 4]]),  # two, by their smallest word
    ([0, 0, 5, 2, 3, 4, 2], [[2, 3, 4, 5]]),  # word 6 hangs under the cycle: not in it
])
def test_cycles_of_small_trees(tree, expected):
    tree = np.array(tree)
    assert masks(functional_graph_cycles(tree)) == expected
    assert masks(stanza_tarjan()(tree)) == expected


def test_same_cycles_as_stanza_on_random_head_arrays():
    rng = np.random.default_rng(7)
    for _ in range(2000):
        n = int(rng.integers(2, 40))
        tree = rng.integers(0, n, size=n)
        tree[0] = 0
        tree[1:][tree[1:] == np.arange(1, n)] = 0  # no self-loops but the root's, as the decoder asks
        assert masks(functional_graph_cycles(tree)) == masks(stanza_tarjan()(tree))


def test_same_trees_as_stanza_on_random_scores(monkeypatch):
    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(2, 40))
        scores = rng.normal(size=(n, n)).astype(np.float32)
        monkeypatch.setattr(chuliu_edmonds, "tarjan", stanza_tarjan())
        reference = chuliu_edmonds.chuliu_edmonds_one_root(scores.copy())
        monkeypatch.setattr(chuliu_edmonds, "tarjan", functional_graph_cycles)
        assert chuliu_edmonds.chuliu_edmonds_one_root(scores.copy()).tolist() == reference.tolist()


def _w(i, text, upos, head, deprel, lemma=None):
    return Word(i, text, lemma or text.lower(), upos, head, deprel, 0, 0)


def test_name_after_a_role_and_its_comma_becomes_the_roles_apposition():
    # « a déclaré le secrétaire à la Défense, Lloyd Austin » with Lloyd hung on the verb
    words = [_w(1, "a", "AUX", 2, "aux"), _w(2, "déclaré", "VERB", 0, "root", "déclarer"),
             _w(3, "le", "DET", 4, "det"), _w(4, "secrétaire", "NOUN", 2, "obj"),
             _w(5, "à", "ADP", 7, "case"), _w(6, "la", "DET", 7, "det"), _w(7, "Défense", "PROPN", 4, "nmod"),
             _w(8, ",", "PUNCT", 9, "punct"), _w(9, "Lloyd", "PROPN", 2, "nsubj"),
             _w(10, "Austin", "PROPN", 9, "flat:name")]
    out = attach_role_appositions(words, get_lexicon("fr"))
    assert [(w.text, w.head, w.deprel) for w in out[7:]] == [(",", 9, "punct"), ("Lloyd", 4, "appos"),
                                                              ("Austin", 9, "flat:name")]


def test_no_apposition_without_a_role_or_across_another_phrase():
    lex = get_lexicon("fr")
    # « a annoncé le plan, Paris a suivi »: « plan » is no role noun
    words = [_w(1, "annoncé", "VERB", 0, "root"), _w(2, "le", "DET", 3, "det"), _w(3, "plan", "NOUN", 1, "obj"),
             _w(4, ",", "PUNCT", 5, "punct"), _w(5, "Paris", "PROPN", 1, "nsubj")]
    assert [(w.head, w.deprel) for w in attach_role_appositions(words, lex)][4] == (1, "nsubj")
    # the word before the comma is not inside the role's phrase: not its apposition
    words = [_w(1, "dit", "VERB", 0, "root"), _w(2, "le", "DET", 3, "det"), _w(3, "ministre", "NOUN", 1, "nsubj"),
             _w(4, "hier", "ADV", 1, "advmod"), _w(5, ",", "PUNCT", 6, "punct"), _w(6, "Paris", "PROPN", 1, "obl")]
    assert [(w.head, w.deprel) for w in attach_role_appositions(words, lex)][5] == (1, "obl")


class _NotAWeight:
    """An object torch's weights-only unpickler refuses."""

    def __init__(self, value):
        self.value = value


def test_fast_unpickling_only_for_the_trusted_files(tmp_path):
    import torch

    trusted, other = tmp_path / "shipped.pt", tmp_path / "other.pt"
    for f in (trusted, other):
        torch.save({"x": _NotAWeight(3)}, f)
    with parsing._fast_unpickling({trusted.resolve()}):
        assert torch.load(str(trusted), weights_only=True)["x"].value == 3
        with pytest.raises(Exception, match="[Ww]eights only load failed"):
            torch.load(str(other), weights_only=True)
    # outside the context torch.load is torch's own again
    with pytest.raises(Exception, match="[Ww]eights only load failed"):
        torch.load(str(trusted), weights_only=True)


def test_modules_parsing_never_uses_are_imported_only_when_used():
    """networkx and requests (about 0.3 s of the cold start) wait for their first use."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from quotes.parsing import Parser\n"
        "p = Parser('en')\n"
        "p.nlp('The mayor said so.')\n"
        "print(type(sys.modules['networkx']).__name__, type(sys.modules['requests']).__name__)\n"
        "import requests\n"
        "from requests.adapters import HTTPAdapter\n"
        "import networkx as nx\n"
        "print(requests.get.__name__, HTTPAdapter.__name__, nx.MultiDiGraph.__name__,\n"
        "      type(sys.modules['networkx']).__name__, type(sys.modules['requests']).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["_Deferred _Deferred", "get HTTPAdapter MultiDiGraph module module"]


def test_second_subject_after_the_first_ones_comma_is_its_apposition():
    lex = get_lexicon("fr")
    # « Le promoteur, la société Énergies, promet » parsed with two subjects of « promet »
    words = [_w(1, "Le", "DET", 2, "det"), _w(2, "promoteur", "NOUN", 8, "nsubj"), _w(3, ",", "PUNCT", 2, "punct"),
             _w(4, "la", "DET", 5, "det"), _w(5, "société", "NOUN", 8, "nsubj"), _w(6, "Énergies", "PROPN", 5, "appos"),
             _w(7, ",", "PUNCT", 5, "punct"), _w(8, "promet", "VERB", 0, "root")]
    out = parsing.attach_subject_appositions(words, lex)
    assert [(w.text, w.head, w.deprel) for w in out[:5]] == [
        ("Le", 2, "det"), ("promoteur", 8, "nsubj"), (",", 2, "punct"), ("la", 5, "det"), ("société", 2, "appos")]
    # a quote (its placeholder) is no subject to take an apposition: "“Yes,” a senior official … told"
    words = [_w(1, "Yes", "NOUN", 6, "nsubj"), _w(2, ",", "PUNCT", 1, "punct"), _w(3, "a", "DET", 5, "det"),
             _w(4, "senior", "ADJ", 5, "amod"), _w(5, "official", "NOUN", 6, "nsubj"), _w(6, "told", "VERB", 0, "root")]
    words[0].quote = 0
    assert [(w.head, w.deprel) for w in parsing.attach_subject_appositions(words, get_lexicon("en"))][4] == (6, "nsubj")


def _role_complement_sentence(comma: bool):
    """« prévient Jean Dupont, éleveur [,] dans la Drôme. » with « Drôme » hung on the verb."""
    words = [_w(1, "prévient", "VERB", 0, "root"), _w(2, "Jean", "PROPN", 1, "nsubj"),
             _w(3, "Dupont", "PROPN", 2, "flat:name"), _w(4, ",", "PUNCT", 5, "punct"),
             _w(5, "éleveur", "NOUN", 2, "appos")]
    if comma:
        words.append(_w(6, ",", "PUNCT", 9, "punct"))
    n = len(words)
    words += [_w(n + 1, "dans", "ADP", n + 3, "case"), _w(n + 2, "la", "DET", n + 3, "det"),
              _w(n + 3, "Drôme", "PROPN", 1, "obl:mod"), _w(n + 4, ".", "PUNCT", 1, "punct")]
    return words


def test_a_phrase_right_after_a_role_apposition_completes_the_role():
    lex = get_lexicon("fr")
    out = parsing.attach_role_complements(_role_complement_sentence(comma=False), lex)
    assert [(w.text, w.head, w.deprel) for w in out[5:]] == [
        ("dans", 8, "case"), ("la", 8, "det"), ("Drôme", 5, "nmod"), (".", 1, "punct")]
    # set off by a comma, it is the verb's (« …, éleveur, dans la Drôme »)
    out = parsing.attach_role_complements(_role_complement_sentence(comma=True), lex)
    assert (out[8].text, out[8].head, out[8].deprel) == ("Drôme", 1, "obl:mod")


def test_a_place_after_a_preposition_is_split_from_the_name_that_follows():
    lex = get_lexicon("fr")
    # « a expliqué à Grenoble Julie Ferrand, glaciologue » read as one name after « à »
    words = [_w(1, "a", "AUX", 2, "aux:tense"), _w(2, "expliqué", "VERB", 0, "root"), _w(3, "à", "ADP", 4, "case"),
             _w(4, "Grenoble", "PROPN", 2, "obl"), _w(5, "Julie", "PROPN", 4, "flat:name"),
             _w(6, "Ferrand", "PROPN", 5, "flat:name"), _w(7, ",", "PUNCT", 8, "punct"),
             _w(8, "glaciologue", "NOUN", 4, "appos")]
    for w in words:  # offsets: words one space apart
        w.start = sum(len(x.text) + 1 for x in words[:w.id - 1])
        w.end = w.start + len(w.text)
    out = parsing.split_place_from_name(words, lex)
    assert [(w.text, w.head, w.deprel) for w in out[3:]] == [
        ("Grenoble", 2, "obl"), ("Julie", 2, "nsubj"), ("Ferrand", 5, "flat:name"), (",", 8, "punct"),
        ("glaciologue", 5, "appos")]
    # not when the verb has its subject already, nor when the word after the place is no first name
    words[4].head, words[4].deprel = 4, "flat:name"
    words.append(_w(9, "elle", "PRON", 2, "nsubj"))
    assert parsing.split_place_from_name(words, lex)[4].head == 4


def test_apposition_subject_whose_comma_the_parser_hung_on_it():
    # « Le syndicat majoritaire, la CFDT, a dénoncé »: both commas hung on « CFDT »
    words = [_w(1, "Le", "DET", 2, "det"), _w(2, "syndicat", "NOUN", 9, "nsubj"), _w(3, "majoritaire", "ADJ", 2, "amod"),
             _w(4, ",", "PUNCT", 6, "punct"), _w(5, "la", "DET", 6, "det"), _w(6, "CFDT", "PROPN", 9, "nsubj"),
             _w(7, ",", "PUNCT", 6, "punct"), _w(8, "a", "AUX", 9, "aux:tense"), _w(9, "dénoncé", "VERB", 0, "root")]
    out = parsing.attach_subject_appositions(words, get_lexicon("fr"))
    assert [(w.head, w.deprel) for w in out[:6]] == [(2, "det"), (9, "nsubj"), (2, "amod"), (6, "punct"), (6, "det"),
                                                     (2, "appos")]


def test_a_name_read_as_two_subjects_is_one_name():
    # "Carla Mendes, a spokeswoman, said" with « Carla » and « Mendes » two subjects of "said"
    words = [_w(1, "Carla", "PROPN", 6, "nsubj"), _w(2, "Mendes", "PROPN", 6, "nsubj"), _w(3, ",", "PUNCT", 5, "punct"),
             _w(4, "a", "DET", 5, "det"), _w(5, "spokeswoman", "NOUN", 2, "appos"), _w(6, "said", "VERB", 0, "root")]
    for w in words:
        w.start = sum(len(x.text) + 1 for x in words[:w.id - 1])
        w.end = w.start + len(w.text)
    out = parsing.join_split_names(words, get_lexicon("en"))
    assert [(w.head, w.deprel) for w in out[:2]] == [(6, "nsubj"), (1, "flat:name")]
    assert (out[4].head, out[4].deprel) == (2, "appos")  # still inside the name's phrase
