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


def _fr_doc(text: str) -> Document:
    return Document(text, get_lexicon("fr"), [])


def test_first_name_says_the_gender_when_the_role_does_not():
    doc = _doc("Karen Holt and Michael Drummond", [])
    assert resolution._person_gender(doc, "Karen Holt", None) == "fem"
    assert resolution._person_gender(doc, "Michael Drummond", None) == "masc"
    assert resolution._person_gender(doc, "Mr. Michael Drummond", None) == "masc"  # honorific skipped
    fr = _fr_doc("Jean-Marie Dupont, Anne-Sophie Martin")
    assert resolution._person_gender(fr, "Jean-Marie Dupont", None) == "masc"  # first part of a compound
    assert resolution._person_gender(fr, "Anne-Sophie Martin", None) == "fem"


def test_no_gender_from_a_lone_word_or_a_name_worn_by_both():
    doc = _doc("Holt, Camille Roy, Alex Kim", [])
    assert resolution._person_gender(doc, "Holt", None) == "any"  # a surname alone
    assert resolution._person_gender(doc, "Austin", None) == "any"  # "Austin" is a first name too
    assert resolution._person_gender(doc, "Camille Roy", None) == "any"
    assert resolution._person_gender(doc, "Alex Kim", None) == "any"


def test_the_role_wins_over_the_first_name():
    text = "the spokeswoman Jordan Lee"
    doc = _doc(text, [])
    assert resolution._person_gender(doc, "Jordan Lee", (4, 15)) == "fem"
    fr = _fr_doc("la maire Jean Roy")  # a determiner that says fem outranks « Jean »
    assert resolution._person_gender(fr, "Jean Roy", (3, 8)) == "fem"


def test_role_after_an_elided_article():
    lex = get_lexicon("fr")
    text = "L’architecte Hélène Marchetti a détaillé le projet."
    start = text.index("Hélène")
    assert resolution._role_near(text, start, start + len("Hélène Marchetti"), lex) == (2, 12)
    # an elided role word further back, across a comma and a clause: not this name's role
    text = "L’avocat a plaidé, puis Hélène Marchetti a détaillé le projet."
    start = text.index("Hélène")
    assert resolution._role_near(text, start, start + len("Hélène Marchetti"), lex) is None


def test_complement_of_a_role_after_a_particle_is_no_name():
    # « du CHU de Nantes »: the complement goes on after « de »; « de Nantes » is no one's name
    text = "Le directeur du CHU de Nantes, Philippe Cordier, a annoncé la fermeture de deux blocs."
    names = [(n.text, n.organization) for n in resolution.find_names(text, get_lexicon("fr"))]
    assert names == [("Philippe Cordier", False)]


def test_a_name_opening_with_an_acronym_is_an_organisation():
    text = "La secrétaire départementale de SUD Santé, Nadia Mansouri, a rencontré le directeur."
    names = [(n.text, n.organization) for n in resolution.find_names(text, get_lexicon("fr"))]
    assert names == [("SUD Santé", True), ("Nadia Mansouri", False)]


def test_latter_takes_the_gender_its_determiner_says():
    lex = get_lexicon("fr")
    text = ("Le directeur du CHU, Philippe Cordier, a parlé. La secrétaire de SUD Santé, Nadia Mansouri, "
            "a rencontré le directeur. Ce dernier lui a promis un plan. Cette dernière a répondu.")
    doc = Document(text, lex, resolution.find_names(text, lex))
    masc = resolution._latest_named_person(doc, text.index("Ce dernier"), "masc")
    fem = resolution._latest_named_person(doc, text.index("Cette dernière"), "fem")
    assert (masc.text, fem.text) == ("Philippe Cordier", "Nadia Mansouri")
    assert resolution._latest_named_person(doc, text.index("Ce dernier")).text == "Nadia Mansouri"


def test_a_plural_pronoun_finds_the_group_of_people_written_last():
    lex = get_lexicon("fr")
    text = "Le maire, Philippe Grandjean, s'est dit partagé. Deux futurs acquéreurs ne cachaient pas leur inquiétude. Ils"
    doc = Document(text, lex, resolution.find_names(text, lex))
    mention = resolution.Mention((len(text) - 3, len(text)), "pronoun", head_lemma="ils", gender="plural")
    group = resolution._group_before(doc, mention, doc.by_recency())
    assert text[group[0]:group[1]] == "Deux futurs acquéreurs"
    text = "Il y a deux semaines, Philippe Grandjean a parlé. Ils"  # weeks are no people
    doc = Document(text, lex, resolution.find_names(text, lex))
    mention = resolution.Mention((len(text) - 3, len(text)), "pronoun", gender="plural")
    assert resolution._group_before(doc, mention, doc.by_recency()) is None


def test_a_place_before_a_first_name_is_not_part_of_the_name():
    # « a expliqué à Grenoble Julie Ferrand »: the place after « à », then the person
    text = "« Le glacier recule », a expliqué à Grenoble Julie Ferrand, glaciologue au CNRS."
    names = [(n.text, n.organization) for n in resolution.find_names(text, get_lexicon("fr"))]
    assert names == [("Julie Ferrand", False)]
    # a compound first name stays whole: « selon Marie Anne Dupont »
    text = "« Non », a répondu à Marie Anne Dupont le maire."
    assert [n.text for n in resolution.find_names(text, get_lexicon("fr"))] == ["Marie Anne Dupont"]
