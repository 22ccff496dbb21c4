"""Attribution rules on hand-built parses: the parser's mistakes the rules must survive."""
from __future__ import annotations

from quotes.attribution import speaker_of
from quotes.lexicon import get_lexicon
from quotes.parsing import Sentence, Word


def _sentence(rows):
    """(text, upos, head, deprel) rows → a Sentence with offsets as if joined by spaces."""
    words, pos = [], 0
    for i, (text, upos, head, deprel) in enumerate(rows, 1):
        words.append(Word(i, text, text.lower(), upos, head, deprel, pos, pos + len(text)))
        pos += len(text) + 1
    return Sentence(words)


def test_nearest_of_several_subjects_when_it_is_a_role_noun():
    # "Lagos Port Authority managing director Ifeoma Okonkwo said": the parser gave "said" three subjects
    s = _sentence([("Lagos", "PROPN", 8, "nsubj"), ("Port", "PROPN", 3, "compound"), ("Authority", "PROPN", 8, "nsubj"),
                   ("managing", "VERB", 8, "ccomp"), ("director", "NOUN", 8, "nsubj"), ("Ifeoma", "PROPN", 5, "flat"),
                   ("Okonkwo", "PROPN", 6, "flat"), ("said", "VERB", 0, "root")])
    assert speaker_of(s, s.words[7], get_lexicon("en")).text == "director"


def test_apposition_and_honorific_keep_the_first_subject():
    lex = get_lexicon("en")
    # "Ann Hughes, the chairwoman, said": a comma sets the role apart, the name is the subject
    s = _sentence([("Ann", "PROPN", 6, "nsubj"), ("Hughes", "PROPN", 1, "flat"), (",", "PUNCT", 5, "punct"),
                   ("the", "DET", 5, "det"), ("chairwoman", "NOUN", 6, "nsubj"), ("said", "VERB", 0, "root")])
    assert speaker_of(s, s.words[5], lex).text == "Ann"
    # "Mr. Hughes called": two subjects, no role noun: the first, with its honorific
    s = _sentence([("Mr.", "PROPN", 3, "nsubj"), ("Hughes", "PROPN", 3, "nsubj"), ("called", "VERB", 0, "root")])
    assert speaker_of(s, s.words[2], lex).text == "Mr."


def test_subject_hung_on_the_auxiliary():
    # « La ministre a pour sa part évoqué »: the parser hung « ministre » on « a »
    s = _sentence([("La", "DET", 2, "det"), ("ministre", "NOUN", 3, "nsubj"), ("a", "AUX", 7, "aux:tense"),
                   ("pour", "ADP", 6, "case"), ("sa", "DET", 6, "det"), ("part", "NOUN", 7, "obl:mod"),
                   ("évoqué", "VERB", 0, "root")])
    assert speaker_of(s, s.words[6], get_lexicon("fr")).text == "ministre"


def test_active_subject_beats_a_passive_one():
    # "a measure she described as …": the parser gave "described" both "measure" (nsubj:pass) and "she"
    s = _sentence([("a", "DET", 2, "det"), ("measure", "NOUN", 4, "nsubj:pass"), ("she", "PRON", 4, "nsubj"),
                   ("described", "VERB", 0, "root"), ("as", "ADP", 6, "case"), ("relief", "NOUN", 4, "obl")])
    assert speaker_of(s, s.words[3], get_lexicon("en")).text == "she"


def test_a_noun_then_the_name_it_introduces():
    # "Her colleague Mohamed Ali Warsame said": two subjects, the name tagged as a verb
    s = _sentence([("Her", "PRON", 2, "nmod:poss"), ("colleague", "NOUN", 6, "nsubj"), ("Mohamed", "VERB", 6, "nsubj"),
                   ("Ali", "PROPN", 3, "flat"), ("Warsame", "PROPN", 3, "flat"), ("said", "VERB", 0, "root")])
    assert speaker_of(s, s.words[5], get_lexicon("en")).text == "Mohamed"


def test_active_conjunct_does_not_take_a_passive_subject():
    # "Whitcombe said staff had been told and called the closures …": "called" hung on "told"
    s = _sentence([("Whitcombe", "PROPN", 2, "nsubj"), ("said", "VERB", 0, "root"), ("staff", "NOUN", 6, "nsubj:pass"),
                   ("had", "AUX", 6, "aux"), ("been", "AUX", 6, "aux:pass"), ("told", "VERB", 2, "ccomp"),
                   ("and", "CCONJ", 8, "cc"), ("called", "VERB", 6, "conj"), ("the", "DET", 10, "det"),
                   ("closures", "NOUN", 8, "obj")])
    # (cue_governs_quote asks with inverted_ok=False: the verb comes before the quote)
    assert speaker_of(s, s.words[7], get_lexicon("en"), inverted_ok=False).text == "Whitcombe"
    # without the object, the conjunct shares the passive subject as the parse says
    s.words[9].deprel = "obl"
    assert speaker_of(s, s.words[7], get_lexicon("en"), inverted_ok=False).text == "staff"


def test_participle_after_a_comma_takes_the_main_subject():
    # « Le procureur avait requis un an dont un ferme, évoquant « … » »: the parser gave
    # « évoquant » the subject « ferme », before its comma
    s = _sentence([("Le", "DET", 2, "det"), ("procureur", "NOUN", 4, "nsubj"), ("avait", "AUX", 4, "aux:tense"),
                   ("requis", "VERB", 0, "root"), ("un", "DET", 6, "det"), ("ferme", "NOUN", 8, "nsubj"),
                   (",", "PUNCT", 8, "punct"), ("évoquant", "VERB", 4, "advcl")])
    assert speaker_of(s, s.words[7], get_lexicon("fr")).text == "procureur"


def test_relative_clause_hung_on_a_quote_takes_the_noun_before_qui():
    # « « Oui », selon la SNCF, qui évoque »: « évoque » hung on the quote's placeholder
    s = _sentence([("Oui", "INTJ", 0, "root"), (",", "PUNCT", 4, "punct"), ("selon", "ADP", 4, "case"),
                   ("SNCF", "PROPN", 1, "nmod"), (",", "PUNCT", 7, "punct"), ("qui", "PRON", 7, "nsubj"),
                   ("évoque", "VERB", 1, "acl:relcl")])
    s.words[0].quote = 0
    assert speaker_of(s, s.words[6], get_lexicon("fr")).text == "SNCF"


def test_participle_hung_on_the_quote_it_introduces_takes_the_main_subject():
    # « La présidente a salué …, tout en prévenant : « Oui » » with « prévenant » under the quote
    s = _sentence([("La", "DET", 2, "det"), ("présidente", "NOUN", 4, "nsubj"), ("a", "AUX", 4, "aux:tense"),
                   ("salué", "VERB", 0, "root"), (",", "PUNCT", 8, "punct"), ("tout", "ADV", 8, "advmod"),
                   ("en", "ADP", 8, "case"), ("prévenant", "VERB", 10, "obl:mod"), (":", "PUNCT", 10, "punct"),
                   ("Oui", "INTJ", 4, "parataxis")])
    s.words[9].quote = 0
    assert speaker_of(s, s.words[7], get_lexicon("fr")).text == "présidente"


def test_phrase_before_the_comma_hung_on_the_verb_as_a_clause_is_its_subject():
    lex = get_lexicon("en")
    # "The union's lead negotiator, Tom Brennan, said" with "negotiator" parsed as ccomp of "said"
    s = _sentence([("The", "DET", 2, "det"), ("union", "NOUN", 5, "nmod:poss"), ("'s", "PART", 2, "case"),
                   ("lead", "ADJ", 5, "amod"), ("negotiator", "NOUN", 10, "ccomp"), (",", "PUNCT", 7, "punct"),
                   ("Tom", "PROPN", 5, "appos"), ("Brennan", "PROPN", 7, "flat"), (",", "PUNCT", 7, "punct"),
                   ("said", "VERB", 0, "root")])
    assert speaker_of(s, s.words[9], lex).text == "negotiator"
    # "On Tuesday, said …": a time with its preposition is no subject
    s = _sentence([("On", "ADP", 2, "case"), ("Tuesday", "PROPN", 4, "obl"), (",", "PUNCT", 2, "punct"),
                   ("said", "VERB", 0, "root")])
    assert speaker_of(s, s.words[3], lex) is None
