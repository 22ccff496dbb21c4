"""Role extents end to end, on the shipped French parser: the role ends where the phrase does,
with its own complement and without the sentence's final point."""
from __future__ import annotations

import pytest

from quotes import Extractor


@pytest.fixture(scope="module")
def extractor():
    return Extractor("fr")


def _attribution(extractor, text):
    (record,) = extractor.extract(text, "fr")
    return {
        "quote": (record.text, record.start, record.end),
        "speaker": (record.speaker.name, record.speaker.mention.start, record.speaker.mention.end),
        "role": (record.role.text, record.role.start, record.role.end),
        "cue": (record.cue.text, record.cue.start, record.cue.lemma),
    }


def test_role_ends_before_the_final_point(extractor):
    text = "« La croissance ralentit », a souligné Aïcha Diallo, économiste à l'OFCE."
    assert _attribution(extractor, text) == {
        "quote": ("La croissance ralentit", 2, 24),
        "speaker": ("Aïcha Diallo", 39, 51),
        "role": ("économiste à l'OFCE", 53, 72),
        "cue": ("souligné", 30, "souligner"),
    }


@pytest.mark.parametrize("text, name, role", [
    # the parser hangs the complement on the cue; quotes.parsing.attach_role_complements returns it
    ("« Les prix vont baisser », prévient Jean-Marc Delaunay, éleveur dans la Drôme.", "Jean-Marc Delaunay",
     "éleveur dans la Drôme"),
    ("« La croissance ralentit », estime Julien Moreau, chef économiste chez Natixis.", "Julien Moreau",
     "chef économiste chez Natixis"),
])
def test_role_keeps_its_complement(extractor, text, name, role):
    got = _attribution(extractor, text)
    assert got["speaker"] == (name, text.index(name), text.index(name) + len(name))
    assert got["role"] == (role, text.index(role), text.index(role) + len(role))


def test_speaker_phrase_ends_before_the_final_point():
    # « …, a martelé un diplomate européen. » with the final point hung on « diplomate »
    from quotes.lexicon import get_lexicon
    from quotes.mentions import np_words
    from quotes.parsing import Sentence, Word

    rows = [("a", "AUX", 2, "aux:tense"), ("martelé", "VERB", 0, "root"), ("un", "DET", 4, "det"),
            ("diplomate", "NOUN", 2, "nsubj"), ("européen", "ADJ", 4, "amod"), (".", "PUNCT", 4, "punct")]
    words, pos = [], 0
    for i, (text, upos, head, deprel) in enumerate(rows, 1):
        words.append(Word(i, text, text.lower(), upos, head, deprel, pos, pos + len(text)))
        pos += len(text) + 1
    s = Sentence(words)
    assert [w.text for w in np_words(s, words[3], get_lexicon("fr"))] == ["un", "diplomate", "européen"]


def test_a_possessor_inside_the_roles_complement_stays_in_the_role():
    extractor = Extractor("en")
    text = ("Carla Mendes, a spokeswoman for the county prosecutor's office, said in a statement that the "
            "sentence sent \"a clear message to anyone trusted with other people's money.\"")
    (record,) = extractor.extract(text, "en")
    role = "spokeswoman for the county prosecutor's office"
    assert (record.speaker.name, record.speaker.mention.start, record.speaker.mention.end) == ("Carla Mendes", 0, 12)
    assert (record.role.text, record.role.start, record.role.end) == (role, text.index(role), text.index(role) + len(role))
    # a possessor before the role noun is left out: "the union's president" → president
    text = "\"We will strike,\" said Denise Okafor, the union's president."
    (record,) = extractor.extract(text, "en")
    assert (record.role.text, record.role.start, record.role.end) == ("president", 50, 59)
