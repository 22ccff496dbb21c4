"""Reading a speaker's noun phrase in the parse: the name, the role beside it, and what kind of
mention it is (a name, a pronoun, « ce dernier », « le groupe », an anonymous source…).

Used by the attribution rules once they have found the head word of the speaker."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .lexicon import Lexicon
from .parsing import Sentence, Word

NOMINAL = {"PROPN", "NOUN", "PRON", "X", "NUM", "SYM"}
# children that are not part of a speaker's noun phrase: clauses hanging off it
CLAUSAL = {"acl:relcl", "parataxis", "advcl", "conj", "cc", "dep", "discourse", "vocative", "orphan",
           "ccomp", "xcomp", "csubj", "mark", "obl", "obl:mod", "obl:tmod", "obl:npmod", "nsubj", "obj",
           "cop", "aux", "aux:tense", "aux:pass"}
# a subject pronoun, alone or glued to its verb (« a-t-il », « dit-elle »), or a stressed one after
# selon / according to (« selon lui », "according to them"); never the end of a name (Cyril, Fischer)
PRONOUN_TAIL = regex.compile(r"(?i)(?:^|(?<=-))(?:il|elle|ils|elles|on|lui|eux|he|she|they|it|him|her|them)$")
EDGE_PUNCT = ",;:()-–—\"«»“”‘’.…!?"  # quote marks: the closing mark before "two people … said"; a final point


@dataclass
class Mention:
    """A speaker as written at one quote. Spans are (start, end) offsets in the original text."""

    span: tuple[int, int]
    form: str  # name | pronoun | latter | org_ref | description | anonymous
    name: tuple[int, int] | None = None  # for names: the name itself, honorific excluded
    role: tuple[int, int] | None = None
    type: str = "unknown"  # person | organization | anonymous | unknown
    head_lemma: str = ""
    gender: str = "any"


def _is_capitalised(w: Word) -> bool:
    return w.text[:1].isupper()


FUNCTION_TAGS = {"DET", "ADP", "PRON", "CCONJ", "SCONJ", "PUNCT", "AUX", "PART"}


def _is_name_word(w: Word, lex: Lexicon) -> bool:
    """A word of a name: capitalised, whatever the tagger says (small taggers call unknown
    names VERB or NOUN), unless it is a function word."""
    if w.quote is not None or not w.text[:1].isalpha():
        return False
    if w.upos == "PROPN":
        return True
    return _is_capitalised(w) and w.upos not in FUNCTION_TAGS and w.text.lower() not in lex.determiners \
        and w.text.lower() not in lex.stopwords


def np_words(s: Sentence, head: Word, lex: Lexicon) -> list[Word]:
    """The contiguous words of the phrase headed by ``head``, without clauses hanging off it
    (at any depth: « Lloyd Austin, parlant d'un changement… » keeps only the name)."""
    keep = {head.id}
    frontier = [head]
    # a noun phrase starts at its determiner: what the parser hung on the head before it belongs
    # to the clause (« Un peu plus loin, une jeune exploitante confie »)
    det = next((c for c in s.children(head) if c.deprel == "det" and c.start < head.start), None)
    while frontier:
        nxt = []
        for w in frontier:
            for c in s.children(w):
                # « interrogé sur place », "interviewed by the BBC": the participle of who was asked
                # keeps its complements
                asked = w is not head and w.lemma.lower() in lex.addressee_participles and c.deprel.startswith("obl")
                if (c.deprel in CLAUSAL and not asked) or c.quote is not None or c.id in keep:
                    continue
                if w is head and c.deprel in ("case", "mark"):
                    continue  # « selon le procureur »: the phrase starts after its preposition
                if w is head and det is not None and c.end <= det.start:
                    continue
                if w is head and c.start > head.end and c.upos != "NOUN" and lex.is_cue_verb(c.lemma, c.text) \
                        and c.lemma.lower() not in lex.addressee_participles:
                    continue  # the cue verb taken for an adjective of the speaker (« une exploitante confie »;
                    # but « un cheminot interrogé sur place » is who was asked: part of the phrase)
                if w is head and c.start < head.start and c.text.lower() in lex.time_words:
                    continue  # « a déclaré mercredi 20 novembre un haut responsable »: a date, hung on the phrase
                if (w is head or _is_name_word(w, lex)) and c.start > head.end and _locative(s, c, lex):
                    continue  # « le ministère dans un communiqué », "Sato in an interview", « Mme Le Bihan en séance »
                if c.deprel == "acl" and c.start > w.start:
                    prev = s.word(c.id - 1)
                    if prev and prev.text == ",":
                        continue  # ", parlant de…", ", who…": a clause, not the name
                keep.add(c.id)
                nxt.append(c)
        frontier = nxt
    lo = hi = head.id

    def comma(i: int) -> bool:  # "Carla Mendes, a spokeswoman …" with the comma hung on the verb
        w = s.word(i)
        return w is not None and w.text == ","

    while lo - 1 in keep or (comma(lo - 1) and lo - 2 in keep):
        lo -= 1
    while hi + 1 in keep or (comma(hi + 1) and hi + 2 in keep):
        hi += 1
    words = [s.word(i) for i in range(lo, hi + 1)]
    while words and words[0].text in EDGE_PUNCT:
        words.pop(0)
    while words and words[-1].text in EDGE_PUNCT and not (words[-1].text == ")" and "(" in [w.text for w in words]):
        words.pop()
    return words or [head]


def name_runs(words: list[Word], lex: Lexicon) -> list[list[Word]]:
    """Runs of capitalised words, with particles (de, van…) and honorifics (M., Mr.) inside."""
    runs, cur = [], []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and nxt.start == w.start and i + 2 < len(words):
            nxt = words[i + 2]  # « du » written, « de le » parsed: what follows the contraction
        if _is_name_word(w, lex) or w.text in lex.honorifics:
            cur.append(w)
        elif cur and cur[-1].start == w.start and cur[-1].text.lower() in lex.name_particles:
            cur.append(w)  # the second word of a contraction in the name: « Énergies du Ponant »
        elif cur and w.text.lower() in lex.name_particles and nxt is not None and _is_name_word(nxt, lex) \
                and (w.text[:1].islower() or w.text in ("Le", "La", "De", "Van", "Von", "Da", "Di", "Del", "El", "Al", "Ben")):
            cur.append(w)
        elif cur and w.text == "(" and nxt is not None and nxt.text.isupper():
            cur.append(w)  # an acronym in parentheses: « … (ICBL) »
        elif cur and cur[-1].text == "(" or (cur and w.text == ")" and any(x.text == "(" for x in cur)):
            cur.append(w)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _span(words: list[Word]) -> tuple[int, int]:
    return words[0].start, words[-1].end


def _strip_leading(words: list[Word], lex: Lexicon) -> list[Word]:
    while words and (words[0].text.lower() in lex.determiners or words[0].upos in ("DET", "PUNCT", "ADP", "CCONJ")):
        words = words[1:]
    while words and (words[-1].upos in ("PUNCT", "ADP", "DET", "CCONJ") and words[-1].text != ")"):
        words = words[:-1]
    return words


def _role_side(words: list[Word], run: list[Word], lex: Lexicon) -> tuple[int, int] | None:
    """The role: what stands beside the name in the phrase (apposition or modifier)."""
    first, last = words.index(run[0]), words.index(run[-1])
    sides = [words[:first], words[last + 1:]]
    # a possessor is not part of the role: "the hospital's director" → director (but a possessor
    # inside the role's complement is: "a spokeswoman for the county prosecutor's office")
    sides = [s[_after_possessor(s, lex):] for s in sides]
    # "Rita Chen of Bernstein": a preposition and a proper name after the name is where the person
    # works, not a role (but "Jane Roe, director of the clinic" keeps its role noun)
    sides = [s for s in sides if not (s and s[0].upos == "ADP" and s[0].start > run[-1].end
                                      and all(w.upos in ("ADP", "DET", "PROPN", "PUNCT") for w in s))]
    sides = [_strip_leading(s, lex) for s in sides]
    sides = [s for s in sides if any(w.upos in ("NOUN", "ADJ", "PROPN") for w in s)]
    if not sides:
        return None
    # prefer the side holding a role noun (secrétaire, spokesperson), else the longer one
    with_role = [s for s in sides if any(lex.is_role_noun(w.lemma, w.text) for w in s)]
    side = (with_role or sorted(sides, key=len, reverse=True))[0]
    return _span(side)


def _after_possessor(words: list[Word], lex: Lexicon) -> int:
    """Where the role starts after a possessor ("the union's president" → 3), 0 when the phrase
    has none, or when a role noun comes before it ("spokeswoman for the prosecutor's office")."""
    cut = max((i + 1 for i, w in enumerate(words) if w.text in ("'s", "’s")), default=0)
    if any(lex.is_role_noun(w.lemma, w.text) for w in words[:cut]):
        return 0
    return cut


def _split_role_from_run(run: list[Word], lex: Lexicon) -> tuple[list[Word], list[Word]]:
    """"US Defense Secretary Lloyd Austin" is one run of capitals: role words, then the name."""
    last_role = max((i for i, w in enumerate(run) if w.text.lower() in lex.role_nouns), default=-1)
    if 0 <= last_role < len(run) - 1:
        return run[:last_role + 1], run[last_role + 1:]
    return [], run


def _is_org(words: list[Word], lex: Lexicon) -> bool:
    text = " ".join(w.text.lower() for w in words)
    if any(w.text.lower() in lex.organization_words or w.lemma.lower() in lex.organization_words for w in words):
        return True
    if any(" " in ow and ow in text for ow in lex.organization_words):
        return True
    letters = [w.text for w in words if w.text.isalpha()]
    # an acronym: ONU, NATO (but not a role: PDG, CEO)
    return len(letters) == 1 and letters[0].isupper() and len(letters[0]) >= 2 and letters[0].lower() not in lex.role_nouns


def describe(s: Sentence, head: Word, lex: Lexicon, text: str) -> Mention:
    """What the speaker phrase headed by ``head`` is."""
    low = head.text.lower()
    # a pronoun, possibly glued to its verb: "a-t-il", "-t-elle"
    m = PRONOUN_TAIL.search(head.text)
    if head.upos == "PRON" or (m and m.group().lower() in lex.pronouns and len(head.text) <= 7):
        if m and m.group().lower() in lex.pronouns:
            start = head.end - len(m.group())
            return Mention((start, head.end), "pronoun", head_lemma=m.group().lower(),
                           gender=lex.pronouns[m.group().lower()])
    words = _with_anonymous_postmodifier(s, head, np_words(s, head, lex), lex, text)
    prev = s.word(words[0].id - 1)
    if prev is not None and prev.text.lower() in lex.determiners and prev.quote is None:
        words = [prev] + words  # a determiner the parse hung elsewhere: "the company"
    # the determiner and the head alone: « Ce dernier », « Le groupe » (appositions aside)
    lead = text[words[0].start:head.end].lower().replace("’", "'") if words[0].start <= head.start else low
    for latter in lex.latter:
        # « Ce dernier » whatever the parse made its head: « Ce », « dernier » or the phrase
        for start in (words[0].start, head.start, head.end - len(latter)):
            if start >= 0 and text[start:start + len(latter)].lower() == latter:
                return Mention((start, start + len(latter)), "latter", head_lemma=latter)
    core = _strip_leading(words, lex)
    # « Le PDG du groupe, Antoine Mercier », "CEO Jane Roe": a capitalised role noun alone is no name
    runs = [r for r in name_runs(words, lex) if not all(w.text.lower() in lex.role_nouns for w in r)]
    run = _choose_run(s, head, runs, lex)
    if run is not None and head not in run and run[-1].id < head.id \
            and words[0].text.lower() in lex.indefinite_determiners \
            and (lex.is_role_noun(head.lemma, head.text) or head.lemma.lower() in lex.anonymous_heads):
        run = None  # "a Stellar spokeswoman", « un haut responsable américain »: the name is the employer's
    after_head = s.word(head.id + 1)
    bare = words[-1].id <= head.id or (after_head is not None and after_head.text == ",")
    if run is None and lead in (r.replace("’", "'") for r in lex.organization_references) and bare:
        # a bare « le groupe », "the company": points back to an organisation
        return Mention((words[0].start, head.end), "org_ref", type="organization", head_lemma=head.lemma.lower())
    if run is None and any(lex.is_role_noun(w.lemma, w.text)
                           or w.text.lower().split("'")[-1].split("’")[-1] in lex.role_nouns for w in core):
        run = _name_after_comma(s, words, lex)  # « le procureur …, Nicolas Bessières » missed by the parse
        if run is None:
            run = _name_after_comma(s, [words[-1]], lex, comma=False)  # "finance spokesperson Niamh Walsh"
        if run is not None:
            words = words + [w for w in s.words if words[-1].end <= w.start and w.end <= run[-1].end]
    if run is not None:
        run = _extend_run(s, run, lex)
        lo, hi = min(words[0].id, run[0].id), max(words[-1].id, run[-1].id)
        words = [s.word(i) for i in range(lo, hi + 1)]
        core = _strip_leading(words, lex)
        later = _name_after_role(s, run, lex)
        if later is not None:  # "Democratic nominee Lorena Vega": the parse took the adjective
            role_part, run = later
            words = [s.word(i) for i in range(min(words[0].id, role_part[0].id), max(words[-1].id, run[-1].id) + 1)]
            core = _strip_leading(words, lex)
        role_words, name_words = _split_role_from_run(run, lex)
        name_words = [w for w in name_words if w.text not in lex.honorifics] or name_words
        while len(name_words) > 1 and name_words[0].upos == "PUNCT":
            name_words = name_words[1:]  # the period of "Sen. Rand Paul"
        honor = [w for w in run if w.text in lex.honorifics]
        # an honorific stays in a short name (« M. Martin ») but not in a full one
        single = len([w for w in name_words if w.text.lower() not in lex.name_particles]) == 1
        mention_words = (honor + name_words) if honor and single and honor[0].start < name_words[0].start else name_words
        if head in run and _is_capitalised(head) and (_is_org([head], lex) or _is_org(name_words, lex)) \
                and head.text not in lex.honorifics and not role_words:
            # the name stops at a comma after it: « la CFDT, majoritaire sur le site, »
            comma = next((w for w in core if w.text == "," and w.start >= run[-1].end), None)
            span = org_extent(text, _span([w for w in core if comma is None or w.end <= comma.start]))
            return Mention(span, "name", name=span, type="organization", head_lemma=head.lemma.lower())
        if _is_org([head], lex) and head not in run and not any(
                w.text.lower() in lex.role_nouns for w in words if head.end <= w.start and w.end <= run[0].start):
            # « le syndicat SNUipp-FSU »: a common noun and the organisation's proper name (but
            # "Club president Hannah Moore" is a person: a role noun stands between)
            return Mention(_span(name_words), "name", name=_span(name_words), type="organization",
                           head_lemma=head.lemma.lower())
        role = _span(role_words) if role_words else _role_side(words, run, lex)
        gender = "fem" if any(w.text in ("Mme", "Mrs.", "Ms.", "Mrs", "Ms", "Mlle", "Miss") for w in honor) else \
            "masc" if any(w.text in ("M.", "Mr.", "Mr") for w in honor) else "any"
        kind = "organization" if _is_org(name_words, lex) else "person"
        return Mention(_span(mention_words), "name", name=_span(name_words), role=role, type=kind,
                       head_lemma=head.lemma.lower(), gender=gender)
    # no name: an anonymous source, or a description pointing back (« le haut responsable »)
    det = words[0].text.lower() if words[0].upos == "DET" or words[0].text.lower() in lex.determiners else ""
    sentence_text = text[s.start:s.end].lower()
    anonymous_marker = any(mk in sentence_text for mk in lex.anonymity_markers)
    if det in lex.indefinite_determiners or (head.lemma.lower() in lex.anonymous_heads and anonymous_marker and not det):
        return Mention(_span(words), "anonymous", type="anonymous", head_lemma=head.lemma.lower())
    if _is_org([head], lex):
        if len(core) > 1:  # « le gouvernement japonais »: a description that names the organisation
            return Mention(_span(core), "name", name=_span(core), type="organization", head_lemma=head.lemma.lower())
        return Mention(_span(words), "org_ref", type="organization", head_lemma=head.lemma.lower())
    return Mention(_span(words), "description", role=_span(core) if core else None,
                   type="anonymous" if anonymous_marker else "unknown", head_lemma=head.lemma.lower())


def _with_anonymous_postmodifier(s: Sentence, head: Word, words: list[Word], lex: Lexicon, text: str) -> list[Word]:
    """"a source close to the negotiations", « un proche du dossier »: what follows an anonymous
    source's noun says who it is, even where the parse hung it elsewhere; up to a comma or a verb."""
    if head.lemma.lower() not in lex.anonymous_heads or words[-1].id != head.id:
        return words
    after = text[head.end:head.end + 40].lstrip().lower().replace("’", "'")
    if not any(after.startswith(p + " ") for p in lex.anonymous_postmodifiers):
        return words
    out = list(words)
    for w in s.words[head.id:]:
        if w.text in (",", ";", ":") or w.text in ".!?…" or w.upos in ("VERB", "AUX") or w.quote is not None \
                or w.text in ('"', "«", "»", "“", "”"):
            break
        out.append(w)
    return out


def _choose_run(s: Sentence, head: Word, runs: list[list[Word]], lex: Lexicon) -> list[Word] | None:
    """The name of the phrase: the run holding the head, else the one in apposition, else a
    run of the phrase that is not a prepositional complement (« à la Défense »)."""
    for run in runs:
        if head in run:
            return run
    appos = {w.id for c in s.children(head) if c.deprel.startswith(("appos", "flat", "nmod", "compound"))
             for w in s.subtree(c)}
    candidates = []
    for run in runs:
        while len(run) > 2 and (any(c.deprel == "case" for c in s.children(run[0]))
                                or regex.match(r"[ld]['’]", run[0].text, regex.I)):
            run = run[1:]  # « de l'Agriculture Bruno Castaing »: the complement is not the name
        real = [w for w in run if w.upos != "PUNCT"]
        if not real:
            continue
        run_head = min(real, key=lambda w: _depth(s, w))
        if any(c.deprel == "case" for c in s.children(run_head)):
            continue  # « secrétaire à la Défense »: a complement, not a name
        prev = s.word(run[0].id - 1)
        if prev is not None and prev.upos == "ADP":
            continue
        parent = s.word(run_head.head) if run_head.head else None
        if len(real) == 1 and parent is not None and parent.id != head.id and parent.upos == "NOUN" \
                and parent.text.lower() not in lex.role_nouns:
            continue  # « Le groupe, prix Nobel de la paix »: a name inside a description
        if run_head.id in appos or len(real) >= 2 and any(w.head == head.id for w in real):
            candidates.append(run)
    return candidates[-1] if candidates else None


def _depth(s: Sentence, w: Word) -> int:
    d, seen = 0, set()
    while w.head and w.id not in seen:
        seen.add(w.id)
        w = s.word(w.head)
        d += 1
        if w is None:
            break
    return d


def _extend_run(s: Sentence, run: list[Word], lex: Lexicon) -> list[Word]:
    """Adjacent capitalised words belong to the name even where the parse split them
    (« Patrick » nsubj of a « Quéré » tagged as a verb)."""
    run = list(run)
    while True:
        nxt = s.word(run[-1].id + 1)
        if nxt is not None and _is_name_word(nxt, lex) and nxt.start - run[-1].end <= 1 and nxt.text != "(":
            run.append(nxt)
            continue
        after = s.word(run[-1].id + 2)
        if nxt is not None and nxt.text == "." and run[-1].text in lex.honorifics and after is not None \
                and _is_name_word(after, lex):
            run += [nxt, after]  # "Sen. Rand Paul" with the period split off
            continue
        if nxt is not None and nxt.text == "-" and nxt.start == run[-1].end and after is not None \
                and after.start == nxt.end and _is_name_word(after, lex):
            run += [nxt, after]  # « Moreau-Reyes » split by the tokenizer
            continue
        break
    while True:
        prev = s.word(run[0].id - 1)
        before = s.word(run[0].id - 2)
        if prev is not None and (_is_name_word(prev, lex) or prev.text in lex.honorifics) and run[0].start - prev.end <= 1 \
                and prev.text.lower() not in lex.role_nouns and prev.id > 1 \
                and not any(c.deprel == "case" for c in s.children(prev)) \
                and not _complement_start(s, prev):
            run.insert(0, prev)
            continue
        if prev is not None and before is not None and prev.text == "-" and prev.start == before.end \
                and run[0].start == prev.end and _is_name_word(before, lex):
            run[:0] = [before, prev]  # « Moreau-Reyes », « Le Gall-Duval »
            continue
        if prev is not None and before is not None and prev.text in ("Le", "La", "De", "Van", "Von", "Da", "Di", "El", "Al") \
                and (before.text in lex.honorifics or _is_name_word(before, lex)) and before.text.lower() not in lex.role_nouns:
            run[:0] = [before, prev]  # « Mme Le Bihan », « Anne-Sophie Le Bihan »
            continue
        break
    return run


def _complement_start(s: Sentence, w: Word) -> bool:
    """« de l'Agriculture », "of State": a capitalised word that a preposition introduces."""
    before = s.word(w.id - 1)
    if before is not None and before.upos == "DET":
        before = s.word(before.id - 1)
    return before is not None and before.upos == "ADP"


def _locative(s: Sentence, c: Word, lex: Lexicon) -> bool:
    """A complement after the phrase that says where or when, not who: « dans un communiqué »,
    « en séance », "in an interview" (« à la Défense » is kept when it follows a role noun)."""
    if c.deprel not in ("nmod", "obl", "obl:mod", "nmod:tmod", "obl:tmod", "advmod") and not c.deprel.startswith("nmod"):
        return False
    case = [x for x in s.children(c) if x.deprel == "case"]
    if not case:
        return c.text.lower() in lex.time_words
    prep = case[0].text.lower()
    head = s.word(c.head)
    if prep in ("à", "au", "for", "at", "of") and head is not None and head.text.lower() in lex.role_nouns:
        return False  # « secrétaire à la Défense », "spokesperson for Handicap International"
    return prep in lex.locative_prepositions


def _name_after_comma(s: Sentence, words: list[Word], lex: Lexicon, comma: bool = True) -> list[Word] | None:
    """« le procureur de la République de Marseille, Nicolas Bessières »: the name in apposition
    right after the phrase, read off the words when the parse attached it elsewhere."""
    after = [w for w in s.words if w.start >= words[-1].end]
    if comma and (len(after) < 3 or after[0].text != ","):
        return None
    run = []
    for w in after[1 if comma else 0:]:
        if _is_name_word(w, lex) or (run and w.text.lower() in lex.name_particles) or (not run and w.text in lex.honorifics):
            run.append(w)
        else:
            break
    named = [w for w in run if _is_name_word(w, lex)]
    return run if len(named) >= 2 or (named and run[0].text in lex.honorifics) else None


ORG_TAIL = regex.compile(r"(?:\s++(?:(?:de|des|du|of|for|pour)\s++|d['’])(?:la\s++|l['’]|les\s++|the\s++)?\p{L}[\p{L}\-]*+)*+"
                         r"(?:[^,.;:()«»\"\n]{0,60}?\s*+\(\p{Lu}[\p{Lu}\-]++\))?")


def org_extent(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """An organisation's name runs on over its complements and up to its acronym, where the
    parse stopped short: « Cour des comptes », « Campagne internationale … (ICBL) »."""
    m = ORG_TAIL.match(text, span[1])
    end = m.end() if m else span[1]
    return span[0], max(span[1], end)


def _name_after_role(s: Sentence, run: list[Word], lex: Lexicon) -> tuple[list[Word], list[Word]] | None:
    """A one-word run followed by role words and a fuller name: the name is the later run."""
    if len([w for w in run if w.text not in lex.honorifics]) != 1:
        return None
    i, between = run[-1].id + 1, []
    while s.word(i) is not None and not _is_name_word(s.word(i), lex) and len(between) < 3:
        w = s.word(i)
        if w.upos in FUNCTION_TAGS or w.quote is not None:
            return None
        between.append(w)
        i += 1
    if not between or not any(w.text.lower() in lex.role_nouns for w in between):
        return None
    later = []
    while s.word(i) is not None and _is_name_word(s.word(i), lex):
        later.append(s.word(i))
        i += 1
    return (run + between, later) if len(later) >= 2 else None
