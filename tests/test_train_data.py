"""The training data that quotes.models.train composes: quote marks around clauses and
synthetic attribution frames must stay valid UD trees with the intended structure."""
from __future__ import annotations

import random
import re

from quotes.models import train

# « le secrétaire à la Défense parle . » and « Lloyd Austin arrive . », hand-written CoNLL-U
# (a role phrase opening its sentence, « Le secrétaire », is left out of the pool)
ROLE_SENT = [
    "# text = le secrétaire à la Défense parle.",
    "1\tle\tle\tDET\t_\t_\t2\tdet\t_\t_",
    "2\tsecrétaire\tsecrétaire\tNOUN\t_\tGender=Masc|Number=Sing\t6\tnsubj\t_\t_",
    "3\tà\tà\tADP\t_\t_\t5\tcase\t_\t_",
    "4\tla\tle\tDET\t_\t_\t5\tdet\t_\t_",
    "5\tDéfense\tdéfense\tNOUN\t_\t_\t2\tnmod\t_\t_",
    "6\tparle\tparler\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No",
    "7\t.\t.\tPUNCT\t_\t_\t6\tpunct\t_\t_",
]
NAME_SENT = [
    "# text = Lloyd Austin arrive.",
    "1\tLloyd\tLloyd\tPROPN\t_\t_\t3\tnsubj\t_\t_",
    "2\tAustin\tAustin\tPROPN\t_\t_\t1\tflat:name\t_\t_",
    "3\tarrive\tarriver\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No",
    "4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_",
]
QUOTE_SENT = [
    "# text = Les forces ne sont plus en tête.",
    "1\tLes\tle\tDET\t_\t_\t2\tdet\t_\t_",
    "2\tforces\tforce\tNOUN\t_\t_\t7\tnsubj\t_\t_",
    "3\tne\tne\tADV\t_\t_\t7\tadvmod\t_\t_",
    "4\tsont\têtre\tAUX\t_\t_\t7\tcop\t_\t_",
    "5\tplus\tplus\tADV\t_\t_\t7\tadvmod\t_\t_",
    "6\ten\ten\tADP\t_\t_\t7\tcase\t_\t_",
    "7\ttête\ttête\tNOUN\t_\t_\t0\troot\t_\tSpaceAfter=No",
    "8\t.\t.\tPUNCT\t_\t_\t7\tpunct\t_\t_",
]


def _rows(sentence):
    return [line.split("\t") for line in sentence if not line.startswith("#")]


def _check_tree(sentence):
    rows = _rows(sentence)
    ids = [int(r[0]) for r in rows]
    assert ids == list(range(1, len(rows) + 1))
    assert [r[7] for r in rows if r[6] == "0"] == ["root"]
    heads = {r[0]: r[6] for r in rows}
    for r in rows:  # every word reaches the root
        seen, h = set(), r[0]
        while h != "0":
            assert h not in seen
            seen.add(h)
            h = heads[h]


def test_role_phrases_keep_their_complement_and_names_their_parts():
    roles, names, _ = train.frame_pools([ROLE_SENT, NAME_SENT], "fr")
    assert [[r[1] for r in f.rows] for f in roles] == [["le", "secrétaire", "à", "la", "Défense"]]
    assert [[r[1] for r in f.rows] for f in names] == [["Lloyd", "Austin"]]
    assert [r[6] for r in roles[0].rows] == ["2", "0", "5", "5", "2"]


def test_french_frame_role_then_name():
    roles, names, _ = train.frame_pools([ROLE_SENT, NAME_SENT], "fr")
    rng = random.Random(0)
    while True:  # a frame with the role first and a past tense cue
        frame = train.attribution_frame(QUOTE_SENT, roles[0], names[0], "fr", rng)
        if frame[0].endswith("secrétaire à la Défense, Lloyd Austin.") and " a " in frame[0]:
            break
    _check_tree(frame)
    assert frame[0].startswith("# text = « Les forces ne sont plus en tête », a ")
    rows = {r[1]: r for r in _rows(frame)}
    cue = next(r for r in _rows(frame) if r[3] == "VERB")
    assert (cue[6], cue[7]) == (rows["tête"][0], "parataxis:insert")  # the quote's root is the root
    assert (rows["secrétaire"][6], rows["secrétaire"][7]) == (cue[0], "nsubj")
    assert (rows["Lloyd"][6], rows["Lloyd"][7]) == (rows["secrétaire"][0], "appos")
    assert (rows["Austin"][6], rows["Austin"][7]) == (rows["Lloyd"][0], "flat:name")
    assert rows["tête"][7] == "root" and rows["a"][7] == "aux:tense"


def test_english_frame_with_the_placeholder():
    role = train.Fragment([["1", "the", "the", "DET", "DT", "_", "2", "det", "_", "_"],
                           ["2", "mayor", "mayor", "NOUN", "NN", "_", "0", "nsubj", "_", "_"]])
    name = train.Fragment([["1", "Maria", "Maria", "PROPN", "NNP", "_", "0", "nsubj", "_", "_"],
                           ["2", "Lopez", "Lopez", "PROPN", "NNP", "_", "1", "flat", "_", "_"]])
    texts = set()
    for seed in range(40):
        frame = train.attribution_frame(None, role, name, "en", random.Random(seed))
        _check_tree(frame)
        rows = _rows(frame)
        cue = next(r for r in rows if r[3] == "VERB")
        assert cue[7] == "root" and rows[1][1] == "Yes" and (rows[1][6], rows[1][7]) == (cue[0], "ccomp")
        texts.add(frame[0].replace("“", '"').replace("”", '"').split(" ", 3)[-1])
    # the three orders English news uses
    assert any(t.endswith("the mayor, Maria Lopez.") for t in texts)
    assert any(t.endswith("Maria Lopez, the mayor.") for t in texts)
    assert any(re.search(r'" Maria Lopez, the mayor, \w+\.$', t) for t in texts)


def test_quote_marks_around_a_sentence_keep_a_valid_tree():
    wrapped = train.wrap_in_quotes(QUOTE_SENT, ("«", "»", True))
    _check_tree(wrapped)
    assert wrapped[0] == "# text = « Les forces ne sont plus en tête »."


def test_french_frame_with_a_day_between_the_cue_and_its_subject():
    roles, names, _ = train.frame_pools([ROLE_SENT, NAME_SENT], "fr")
    rng = random.Random(1)
    for _ in range(200):
        day = train.time_phrase(rng)
        frame = train.attribution_frame(None, roles[0], names[0], "fr", rng, between=day)
        if " a " in frame[0] and "secrétaire à la Défense, Lloyd" in frame[0]:
            break
    _check_tree(frame)
    rows = _rows(frame)
    cue = next(r for r in rows if r[3] == "VERB")
    when = rows[int(cue[0])]  # the word right after the cue
    assert when[1] in train.FRENCH_DAYS and (when[6], when[7]) == (cue[0], "obl:mod")
    secretary = next(r for r in rows if r[1] == "secrétaire")
    assert (secretary[6], secretary[7]) == (cue[0], "nsubj")


def test_a_role_after_a_name_may_drop_its_article():
    roles, _, _ = train.frame_pools([ROLE_SENT, NAME_SENT], "fr")
    bare = train.without_article(roles[0])
    assert [(r[0], r[1], r[6]) for r in bare.rows] == [
        ("1", "secrétaire", "0"), ("2", "à", "4"), ("3", "la", "4"), ("4", "Défense", "1")]
    # a phrase that does not open with an article has none to drop
    assert train.without_article(bare) is None
    # name first, role without its article: « a précisé Lloyd Austin, secrétaire à la Défense. »
    rng = random.Random(0)
    for _ in range(400):
        frame = train.attribution_frame(None, roles[0], train.frame_pools([NAME_SENT], "fr")[1][0], "fr", rng)
        if frame[0].endswith("Lloyd Austin, secrétaire à la Défense."):
            break
    _check_tree(frame)
    rows = {r[1]: r for r in _rows(frame)}
    cue = next(r for r in _rows(frame) if r[3] == "VERB")
    assert (rows["Lloyd"][6], rows["Lloyd"][7]) == (cue[0], "nsubj")
    assert (rows["secrétaire"][6], rows["secrétaire"][7]) == (rows["Lloyd"][0], "appos")
    assert (rows["Défense"][6], rows["Défense"][7]) == (rows["secrétaire"][0], "nmod")


def test_honorific_names_follow_sequoia():
    _, names, _ = train.frame_pools([NAME_SENT], "fr")
    seen = set()
    rng = random.Random(0)
    for _ in range(60):
        f = train.honorific_name(names, rng)
        seen.add(tuple((r[0], r[1], r[3], r[6], r[7]) for r in f.rows))
    assert (("1", "M.", "NOUN", "0", "nsubj"), ("2", "Austin", "PROPN", "1", "nmod")) in seen
    # « Mme Le Bihan »: the particle is the surname's first word
    assert (("1", "Mme", "NOUN", "0", "nsubj"), ("2", "Le", "PROPN", "1", "nmod"),
            ("3", "Austin", "PROPN", "2", "flat:name")) in seen


def test_only_a_time_or_a_source_closes_a_frame():
    place = train.Fragment([["1", "dans", "dans", "ADP", "_", "_", "3", "case", "_", "_"],
                            ["2", "la", "le", "DET", "_", "_", "3", "det", "_", "_"],
                            ["3", "Drôme", "Drôme", "PROPN", "_", "_", "0", "obl:mod", "_", "_"]])
    release = train.Fragment([["1", "dans", "dans", "ADP", "_", "_", "3", "case", "_", "_"],
                              ["2", "un", "un", "DET", "_", "_", "3", "det", "_", "_"],
                              ["3", "communiqué", "communiqué", "NOUN", "_", "_", "0", "obl:mod", "_", "_"]])
    assert train.closing_phrases([place, release], "fr") == [release]
