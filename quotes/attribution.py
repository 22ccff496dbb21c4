"""Stage 3: attribution rules over the parse. Each rule is a small named function that looks
at one quote and the parsed sentence(s) around it and returns a cue and a speaker head, or
None. ``RULES`` lists them in order of trust; the first that answers wins, and its name goes
into the record so a surprising attribution can be traced."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Optional

import regex

from .lexicon import Lexicon
from .mentions import NOMINAL, Mention, describe
from .parsing import Sentence, Word
from .spans import QuoteSpan

WORDS = regex.compile(r"[\p{L}\p{M}]++(?:['’-][\p{L}\p{M}]++)*+")  # « d'après », « a-t-il », "co-founder"
SENTENCE_PUNCT = {".", "!", "?", "…", ";"}
CLOSING_MARKS = {'"', "»", "”", "’"}
MAX_CUE_DISTANCE = 12  # words between a closing mark and its cue: ", a-t-il ajouté", "," the
# hospital's director, Anita Kowalski, said — a verb that is not a cue stops the search


@dataclass
class Found:
    """What the rules found for one quote."""

    quote: int
    rule: str = "none"
    confidence: float = 0.0
    cue: Optional[Word] = None
    cue_lemma: str = ""
    mention: Optional[Mention] = None
    kind: str = "direct"
    continues: Optional[int] = None  # running speaker: the quote whose speaker this one takes
    notes: list[str] = field(default_factory=list)


@dataclass
class Context:
    """One quote with the parsed sentences around it."""

    index: int
    quote: QuoteSpan
    text: str
    lex: Lexicon
    opening: Optional[Sentence]  # the sentence holding the opening mark
    closing: Optional[Sentence]  # the sentence holding the closing mark
    previous: Optional[Sentence] = None  # the parsed sentence just before the opening one

    def after_close(self) -> list[Word]:
        s = self.closing
        return [w for w in s.words if w.start >= self.quote.close_end] if s else []

    def before_open(self) -> list[Word]:
        s = self.opening
        return [w for w in s.words if w.end <= self.quote.open_start] if s else []


# ------------------------------------------------------------------ the speaker of a cue
def is_cue(w: Word, lex: Lexicon) -> bool:
    # « un cheminot interrogé sur place », "a resident interviewed by the BBC": the participle
    # after its noun says the person was asked, not that anyone spoke
    if w.deprel == "acl" and w.head and w.head < w.id and cue_lemma(w, lex) in lex.addressee_participles:
        return False
    # a tagger may call a cue form a noun or adjective (« en prévenant »): the form list and the
    # participle ending say it is the verb
    return w.quote is None and w.upos in ("VERB", "AUX", "NOUN", "ADJ", "ADV", "PROPN", "X") and lex.is_cue_verb(w.lemma, w.text) \
        and (w.upos in ("VERB",) or w.text.lower() in lex.cue_verb_forms or w.text.lower().endswith(lex.participle_suffixes))


def cue_lemma(w: Word, lex: Lexicon) -> str:
    lemma = w.lemma.lower()
    for prefix in ("se ", "s'", "s’"):
        lemma = lemma.removeprefix(prefix)
    if lemma in lex.cue_verbs:
        return lemma
    return lex.guess_lemma(w.text)  # the tagger's lemma is wrong: the form matched the lexicon


def _nominal(w: Word | None, lex: Lexicon) -> bool:
    """A word that can head a speaker phrase: a noun, name or pronoun outside the quote (a
    tagger may call a quote mark or a clitic « se », « lui » a noun or pronoun)."""
    return w is not None and w.quote is None and w.upos in NOMINAL and w.text not in ("«", "»", '"') \
        and w.text.lower() not in lex.clitics


def _stressed_pronoun(w: Word, lex: Lexicon) -> bool:
    return w.quote is None and w.upos == "PRON" and w.text.lower() in lex.pronouns


def _has_case(s: Sentence, w: Word) -> bool:
    return any(c.deprel == "case" for c in s.children(w))


def speaker_of(s: Sentence, verb: Word, lex: Lexicon, inverted_ok: bool = True) -> Word | None:
    """The head word of the speaker of a cue verb."""
    kids = [c for c in s.children(verb) if c.quote is None]
    # « La ministre … a pour sa part évoqué »: with words between the auxiliary and the participle,
    # the parser may hang the subject on the auxiliary
    kids += [g for a in kids if a.deprel.startswith("aux") for g in s.children(a)
             if g.quote is None and g.deprel in lex.deprels["subject"]]
    # « …trois ans dont un ferme, évoquant « … » »: a participle set off by a comma takes the main
    # clause's subject (below); a subject of its own before that comma is the parser's mistake
    if verb.deprel.startswith(("advcl", "conj")) and verb.text.lower().endswith(lex.participle_suffixes) \
            and _after_comma(s, verb):
        kids = [c for c in kids if not (c.deprel in lex.deprels["subject"] and c.start < verb.start)]
    # the passive agent: « qualifiée de … par l'ONG », "was called … by the group"
    for c in kids:
        if c.deprel == "obl:agent" and _nominal(c, lex):
            return c
    # the subject, as the parse says (a relative pronoun points to its antecedent). A verb has one
    # subject: when the parser gives it several before it ("Lagos Port Authority managing director
    # Ifeoma Okonkwo said", three nsubj), the nearest, a role noun, heads the phrase the others
    # belong to — unless a comma sets them apart ("Ann Hughes, the company's chairwoman, said": a
    # name and its apposition); "Mr. Hughes" (two nsubj, no role) keeps its honorific
    before = [c for c in kids if c.deprel in lex.deprels["subject"] and c.start < verb.start
              and (_nominal(c, lex) or c.text[:1].isupper())]  # a name the tagger took for a verb
    if len(before) > 1 and not any(w.text == "," for w in s.words[before[0].id:before[-1].id - 1]) \
            and (before[-1].lemma.lower() in lex.role_nouns
                 # "Her colleague Mohamed Ali Warsame said": a noun, then right after it the name it introduces
                 or before[-2].upos == "NOUN" and before[-1].id == before[-2].id + 1 and before[-1].text[:1].isupper()):
        if not _nominal(before[-1], lex):
            return before[-1]
        kids = [c for c in kids if c not in before[:-1]]
    # "a measure she described as …": an active subject and a passive one on the same verb; the
    # passive one is the object of a relative clause without its pronoun
    if any(c.deprel == "nsubj" for c in before) and any(c.deprel == "nsubj:pass" for c in before):
        kids = [c for c in kids if c.deprel != "nsubj:pass"]
    for c in kids:
        if c.start > verb.start and any(x.upos == "SCONJ" for x in s.words[verb.id:c.id - 1]):
            continue  # « et rappelé que l'entreprise avait été … »: the subject of the clause it reports
        if c.deprel in lex.deprels["subject"] and _fronted_participle(s, c):
            # « Interrogée sur les prix, la présidente de la Commission, Valérie Kessler, a
            # prévenu » parsed with the participle as subject and the real one coordinated to it
            c = next((x for x in s.children(c) if x.deprel == "conj" and _nominal(x, lex)), c)
            if c.deprel == "conj":
                return c
        if c.deprel in lex.deprels["subject"] and (_nominal(c, lex) or _adjective_as_noun(s, c)) \
                and not _fronted_participle(s, c):
            if c.text.lower() in lex.relative_pronouns:
                head = s.word(verb.head) if verb.deprel.startswith("acl") else None
                # « « … », selon la SNCF, qui évoque » hung on the quote: a quote is no antecedent
                if head is not None and head.quote is None:
                    if c.text.lower() in lex.personal_relative_pronouns \
                            and not _person_like(head, lex):
                        # "a source close to the negotiations, who described …" hung on the last
                        # noun: "who" means a person, the nearest person-like noun of the phrase
                        return _person_before(s, head, lex) or head
                    return head
                return _antecedent(s, c, lex) or c
            if c.start > verb.start:
                # "…," said Ruth Adeyemi, a lawyer for the union: parsed with the apposition as the
                # subject and the name as the object; the nominal right after the verb heads it
                first = next((x for x in kids if x.deprel in lex.deprels["inverted_subject"]
                              and verb.start < x.start < c.start and _nominal(x, lex) and not _has_case(s, x)), None)
                if first is not None:
                    return first
            return c
    # inverted subjects come out as obj too: "…, a déclaré le ministre", "…," said the official
    # (but the object of "told" is who listened: "…," she told reporters)
    inverted_ok = inverted_ok and cue_lemma(verb, lex) not in lex.recipient_verbs
    if inverted_ok:
        for c in kids:
            # « a déploré un haut responsable »: the tagger may call the noun an adjective
            if c.deprel in lex.deprels["inverted_subject"] and c.start > verb.start \
                    and (_nominal(c, lex) or _adjective_as_noun(s, c)) \
                    and not _has_case(s, c) and c.text.lower() not in lex.time_words:
                return c
    # « …, a déclaré mercredi un haut responsable. » hung on the verb before it by the parser:
    # a reporting clause set off by a comma has its subject after the verb, not the other verb's
    if inverted_ok and verb.deprel in ("conj", "xcomp") and _after_comma(s, verb):
        after = _inverted_after(s, verb, lex, within_clause=True)
        if after is not None:
            return after
    # a coordinated or auxiliary cue takes the subject of the verb it hangs on
    if verb.deprel in ("conj", "xcomp") and verb.head:
        head = s.word(verb.head)
        if head is not None and head.upos not in ("VERB", "AUX") and verb.deprel == "conj":
            # « Il a jugé les soupçons « sans fondement » et rappelé … » hung on the noun by the
            # parser: coordinated verbs share the subject of the verb before them
            head = next((w for w in reversed(s.words[:verb.id - 1]) if w.upos == "VERB" and _has_subject(s, w, lex)),
                        head)
        if head is not None and verb.deprel == "conj" and head.deprel == "ccomp" and head.head \
                and any(c.deprel == "nsubj:pass" for c in s.children(head)) \
                and any(c.deprel == "obj" for c in s.children(verb)):
            # "X said staff had been told … and called the closures "…"" hung on "told": an active
            # verb with an object shares no passive subject; it is the reporting clause's verb
            head = s.word(head.head)
        if head is not None and head.id != verb.id:
            return speaker_of(s, head, lex, inverted_ok)
    if verb.deprel == "parataxis" and verb.head and _after_comma(s, verb):
        head = s.word(verb.head)
        # "Its chief economist, Martin Kessler, described …" parsed with the phrase as the root and
        # the subjectless cue beside it: the phrase before the comma is its subject
        if head is not None and head.start < verb.start and _nominal(head, lex) and not _dated(s, head, lex) \
                and any(c.deprel in lex.deprels["apposition"] for c in s.children(head)):
            return head
    if verb.deprel.startswith("acl") and verb.head:
        head = s.word(verb.head)  # "Elliot de Faramond, who fears…": the noun it qualifies
        if _nominal(head, lex) and not _dated(s, head, lex):
            return head
        main = _verb_above(s, head, lex) if head is not None and verb.text.lower().endswith(lex.participle_suffixes) else None
        if main is not None:  # "…in Canberra on Tuesday, promising "…"" hung on "Tuesday": the main verb's
            return speaker_of(s, main, lex, inverted_ok=False)
    # (a subjectless participle after a comma may come out as ccomp too: "…said it was considering
    # asset sales, calling them "…"")
    if (verb.deprel.startswith(("advcl", "xcomp", "obl")) or (verb.deprel == "ccomp" and _after_comma(s, verb))) \
            and verb.head and verb.text.lower().endswith(lex.participle_suffixes):
        # "…unveiled a plan on Tuesday, promising "…"", « a salué …, tout en prévenant : « … » »
        # (a gérondif the tagger took for a noun): the main verb's subject
        head = s.word(verb.head)
        if head is not None and head.quote is not None and head.head:
            # « a salué …, tout en prévenant : « … » » with the participle hung on the quote it
            # introduces: the verb the quote hangs on is the main one
            head = s.word(head.head)
        if head is not None and head.id != verb.id:
            return speaker_of(s, head, lex, inverted_ok=False)
    return positional_speaker(s, verb, inverted_ok, lex)


def _verb_above(s: Sentence, w: Word, lex: Lexicon) -> Word | None:
    """The nearest verb that governs ``w`` and has a subject (the clause ``w`` belongs to)."""
    seen = set()
    while w is not None and w.head and w.id not in seen:
        seen.add(w.id)
        w = s.word(w.head)
        if w is not None and w.upos == "VERB" and _has_subject(s, w, lex):
            return w
    return None


def _antecedent(s: Sentence, relative: Word, lex: Lexicon) -> Word | None:
    """", Dana Ruiz, who called…" when the parse did not hang the relative clause on its noun:
    the name or noun just before the relative pronoun (and its comma)."""
    w = s.word(relative.id - 1)
    if w is not None and w.text == ",":
        w = s.word(w.id - 1)
    if not _nominal(w, lex):
        return None
    head = s.word(w.head) if w.head else None
    while w.deprel.startswith(("flat", "compound")) and _nominal(head, lex) and head.id < w.id:
        w, head = head, (s.word(head.head) if head.head else None)  # "Ruiz" → "Dana Ruiz"
    return w


def _has_subject(s: Sentence, verb: Word, lex: Lexicon) -> bool:
    return any(c.deprel in lex.deprels["subject"] for c in s.children(verb))


def _adjective_as_noun(s: Sentence, w: Word) -> bool:
    """"the official said", « le responsable a dit »: a tagger may call the noun an adjective;
    with a determiner of its own and a subject's place, it is a noun."""
    return w.quote is None and w.upos == "ADJ" and any(c.deprel == "det" for c in s.children(w))


def _dated(s: Sentence, w: Word, lex: Lexicon) -> bool:
    """« mardi », "on Tuesday" taken by the parser for the noun a participle qualifies: a time
    word after a preposition says when, never who ("…in Canberra on Tuesday, promising "…"")."""
    before = s.word(w.id - 1)
    return w.text.lower() in lex.time_words and before is not None and before.upos == "ADP"


def _fronted_participle(s: Sentence, w: Word) -> bool:
    """« Interrogé sur le coût, il a admis »: a sentence-initial participle is no subject."""
    nxt = s.word(w.id + 1)
    return w.id <= 2 and w.text[:1].isupper() and w.text.lower().endswith(("é", "ée", "és", "ées", "ed")) \
        and nxt is not None and nxt.upos != "PROPN" and w.upos != "PRON"


def _after_comma(s: Sentence, verb: Word) -> bool:
    """The verb (with its auxiliaries) comes right after a comma: « …, a déclaré X »."""
    before = s.word(verb.id - 1)
    while before is not None and before.upos == "AUX":
        before = s.word(before.id - 1)
    return before is not None and before.text == ","


def _inverted_after(s: Sentence, verb: Word, lex: Lexicon, within_clause: bool = False) -> Word | None:
    """The first nominal after the verb, before a comma or the sentence's end, that is not a
    date or a complement: « a déclaré mercredi 20 novembre un haut responsable »."""
    window = s.words[verb.id:verb.id + 8]
    for k, w in enumerate(window):
        if w.text in SENTENCE_PUNCT or w.text == ",":
            return None
        if within_clause and (w.upos == "SCONJ" or w.quote is not None):
            return None  # « et rappelé que l'entreprise… »: another clause, or the quote itself
        # « au Laos », « à la barre », « mercredi »: complements and dates are not speakers
        governed = any(x.upos == "ADP" for x in window[max(0, k - 2):k])
        if _nominal(w, lex) and not _has_case(s, w) and w.upos != "NUM" and not governed \
                and w.text.lower() not in lex.time_words:
            return _phrase_head(s, w, lex)
    return None


def _phrase_head(s: Sentence, w: Word, lex: Lexicon) -> Word:
    """"the country's chief medical officer", « un haut responsable »: the first nominal after
    the verb may modify a word after it; the speaker is the word it modifies (same phrase: no
    comma between them)."""
    modifiers = lex.deprels["modifier"] | lex.deprels["name_parts"]
    while w.deprel in modifiers and w.head:
        head = s.word(w.head)
        if head is None or head.id <= w.id or head.quote is not None:
            break  # "Kwame Mensah": a name's parts hang on its first word, before them
        if any(x.text == "," or x.text in SENTENCE_PUNCT for x in s.words[w.id:head.id - 1]):
            break
        if not (_nominal(head, lex) or head.upos == "ADJ"):  # « haut responsable »: a noun tagged ADJ
            break
        w = head
    return w


def positional_speaker(s: Sentence, verb: Word, inverted_ok: bool, lex: Lexicon) -> Word | None:
    """When the parse gives no subject: a subject pronoun glued before the verb (« a-t-il
    ajouté », "he explained"), the nominal right after the verb (inversion), or the one right
    before it. Parsers trained on small treebanks miss these."""
    idx = verb.id
    before = [w for w in s.words[max(0, idx - 4):idx - 1] if w.upos != "AUX"]
    if before and before[-1].upos == "PRON" and describe_pronoun(before[-1], lex):
        return before[-1]
    after = _inverted_after(s, verb, lex) if inverted_ok else None
    if after is not None:
        return after
    if before and before[-1].text == ",":
        # "The union's lead negotiator, Tom Brennan, said" with the phrase hung on the verb as a
        # clause: the nominal on the verb whose phrase ends at the comma is its subject (not a
        # time or place, which has a preposition: "On Tuesday, …")
        w, seen = s.word(before[-1].id - 1), set()
        while w is not None and w.head and w.head != verb.id and w.id not in seen:
            seen.add(w.id)
            w = s.word(w.head)
        if w is not None and w.head == verb.id and w.start < verb.start and w.quote is None and _nominal(w, lex) \
                and not _has_case(s, w) and not w.deprel.startswith(("obl", "nmod", "advmod")) \
                and w.text.lower() not in lex.time_words:
            return w
    for w in reversed(before):
        if w.text in SENTENCE_PUNCT or w.text in (",", "«", "»", '"', "“", "”") or w.quote is not None:
            break
        if _nominal(w, lex) and (w.upos != "PRON" or describe_pronoun(w, lex)) and w.text.lower() not in lex.time_words:
            return w
    return None


def describe_pronoun(w: Word, lex: Lexicon) -> bool:
    tail = w.text.lower().rsplit("-", 1)[-1]
    return tail in lex.pronouns


def _found(ctx: Context, rule: str, confidence: float, cue: Word | None, speaker: Word | None,
           sentence: Sentence, lemma: str | None = None) -> Found:
    mention = describe(sentence, speaker, ctx.lex, ctx.text) if speaker is not None else None
    return Found(ctx.index, rule, confidence, cue, lemma or (cue_lemma(cue, ctx.lex) if cue else ""), mention)


# ------------------------------------------------------------------ the rules
def cue_after_quote(ctx: Context) -> Found | None:
    """« … », a déclaré X / "…," said X / "…," he explained: a cue right after the close."""
    if not ctx.quote.closed:
        return None
    words = ctx.after_close()
    # the quote must be set off from what follows: « … », a dit X / "…," he said — not
    # « sans fondement » et rappelé que…, where the verb starts a clause of its own
    content = ctx.text[ctx.quote.start:ctx.quote.end]
    set_off = words and words[0].text in (",", "—", "–", "-")
    if not set_off and not content.rstrip().endswith((",", "!", "?", "…")):
        return None
    for w in words[:MAX_CUE_DISTANCE]:
        if w.quote is not None or w.text in SENTENCE_PUNCT:
            return None  # another quote or a new sentence comes first
        if w.text.lower().replace("’", "'") in ctx.lex.cue_prepositions:
            return None  # « … », selon la SNCF, qui évoque…: the preposition is the cue (according_to)
        if is_cue(w, ctx.lex):
            # "a senior diplomat who asked not to be named said": the relative clause's verb is not it
            w = _cue_after_relative(ctx, w, words) or w
            speaker = speaker_of(ctx.closing, w, ctx.lex)
            if speaker is not None and speaker.start < ctx.quote.open_start:
                # « Les Ukrainiens « … », a-t-il ajouté »: the speaker stands after the quote
                speaker = positional_speaker(ctx.closing, w, True, ctx.lex)
            return _found(ctx, "cue_after_quote", 0.9, w, speaker, ctx.closing)
        if w.upos == "VERB" and w.lemma.lower() not in ctx.lex.auxiliaries and w.lemma.lower() not in ctx.lex.catenative_verbs \
                and not w.deprel.startswith("acl"):  # "a senior official who spoke on condition of
            # anonymity told": a relative clause inside the subject phrase is no clause of its own
            return None  # another verb: the cue would belong to another clause (but « a-t-il fini
            # par reconnaître », "she went on to say": that verb only leads to the cue)
    return None


def _cue_after_relative(ctx: Context, w: Word, words: list[Word]) -> Word | None:
    """The cue verb after a cue verb opened by a relative pronoun ("who asked not to be named
    said", « qui a demandé l'anonymat, a confié »), in the same stretch: the later one reports."""
    prev = ctx.closing.word(w.id - 1)
    if prev is None or prev.text.lower() not in ctx.lex.relative_pronouns:
        return None
    for x in words[words.index(w) + 1:MAX_CUE_DISTANCE]:
        if x.quote is not None or x.text in SENTENCE_PUNCT:
            return None
        if is_cue(x, ctx.lex):
            return x
    return None


def cue_in_incise(ctx: Context) -> Found | None:
    """« Nous …, explique-t-elle. … »: the narrator's words inside the quote marks."""
    q = ctx.quote
    for s in {id(x): x for x in (ctx.opening, ctx.closing) if x}.values():
        for w in s.words:
            if q.start <= w.start and w.end <= q.end and w.quote is None and is_cue(w, ctx.lex):
                if not any(x.quote == ctx.index for x in s.words):
                    continue  # an unmasked short quote: its words are the speaker's, not an incise
                return _found(ctx, "incise", 0.85, w, speaker_of(s, w, ctx.lex), s)
    return None


def cue_before_colon(ctx: Context) -> Found | None:
    """X a déclaré : « … » / X said: "…": the cue verb of the clause that the colon closes,
    in the quote's sentence or, when the quote opens a paragraph, in the paragraph before
    (« … Karim Benali écrit :⏎« J'ai porté ce maillot… »)."""
    before, sentence = ctx.before_open(), ctx.opening
    if not before and _after_colon_and_newline(ctx.text, ctx.quote) and ctx.previous is not None:
        before, sentence = ctx.previous.words, ctx.previous
    if not before or before[-1].text != ":":
        return None
    for w in reversed(before[:-1]):
        if w.text in SENTENCE_PUNCT or w.quote is not None:
            break
        if is_cue(w, ctx.lex):
            return _found(ctx, "cue_before_colon", 0.85, w, speaker_of(sentence, w, ctx.lex, inverted_ok=False),
                          sentence)
    return None


def _after_colon_and_newline(text: str, q: QuoteSpan) -> bool:
    """The quote opens a paragraph, and the paragraph before ends with a colon."""
    before = text[max(0, q.open_start - 20):q.open_start]
    stripped = before.rstrip(" \t\u00a0\u202f\r\n")
    return stripped.endswith(":") and "\n" in before[len(stripped):]


def according_to(ctx: Context) -> Found | None:
    """Selon X, « … » / "…", according to X: the preposition is the cue, X the speaker."""
    for s in {id(x): x for x in (ctx.opening, ctx.closing) if x}.values():
        for w in s.words:
            if w.quote is not None or ctx.quote.start <= w.start < ctx.quote.end and not _in_incise(ctx, s, w):
                continue
            key = w.text.lower().replace("’", "'")
            if key not in ctx.lex.cue_prepositions:
                continue
            nxt = s.word(w.id + 1)
            if key == "according" and (nxt is None or nxt.text.lower() != "to"):
                continue
            # a cue verb between the preposition and the quote governs it instead: « selon la
            # SNCF, qui évoque un retour « au mieux lundi » » (the SNCF evokes; cue_governs_quote)
            if w.end <= ctx.quote.open_start and any(
                    is_cue(x, ctx.lex) for x in s.words if x.id > w.id and x.end <= ctx.quote.open_start):
                continue
            # the phrase after the preposition: its first noun or pronoun is the speaker's head
            # (parsers often hang "according to a person familiar…" on the adjective)
            # (« selon lui », "according to them": a stressed pronoun, which elsewhere is a clitic)
            # (not a possessive: "according to its chief meteorologist, Owen Bevan")
            target = next((x for x in s.words[w.id:w.id + 6] if (_nominal(x, ctx.lex) or _stressed_pronoun(x, ctx.lex))
                           and x.upos != "NUM" and x.text.lower() not in ("to", "après")
                           and not x.deprel.endswith(":poss")), None)
            head = s.word(target.head) if target is not None else None
            if target is not None and target.deprel in ("compound", "amod") and _nominal(head, ctx.lex) and head.start > target.start:
                # "a person familiar with…" with "familiar" taken for the noun the phrase hangs on;
                # "its chief meteorologist": a noun modifying the head noun
                target = head
            if target is not None:
                return _found(ctx, "according_to", 0.85, w, target, s, lemma=ctx.lex.cue_prepositions[key])
    return None


def framing_preposition(ctx: Context) -> Found | None:
    """Pour le conseiller municipal Pierre Oliver, « … »: a preposition that is a cue only when it
    opens the sentence, its phrase is a person, and a comma hands over to the quote (« Pour la
    première fois, « … » » is no attribution)."""
    before = ctx.before_open()
    if len(before) < 3 or before[-1].text != "," or before[0] is not ctx.opening.words[0]:
        return None
    key = before[0].text.lower()
    phrase = before[1:-1]
    if key not in ctx.lex.framing_prepositions or len(phrase) > 8 or any(x.text == "," or is_cue(x, ctx.lex) for x in phrase):
        return None
    target = next((x for x in phrase if _nominal(x, ctx.lex) or _stressed_pronoun(x, ctx.lex)), None)
    if target is None or not _person_like(target, ctx.lex):
        return None
    return _found(ctx, "framing_preposition", 0.7, before[0], target, ctx.opening,
                  lemma=ctx.lex.framing_prepositions[key])


def _in_incise(ctx: Context, s: Sentence, w: Word) -> bool:
    return any(x.quote == ctx.index for x in s.words) and w.quote is None


def cue_governs_quote(ctx: Context) -> Found | None:
    """Une décision « désastreuse », a dénoncé… / denounced a "terrible" measure: the nearest
    cue verb before the quote in its sentence, whose clause holds the quote."""
    before = ctx.before_open()
    for w in reversed(before):
        if w.text in SENTENCE_PUNCT:
            break
        if is_cue(w, ctx.lex):
            # the cue of an earlier quote of the sentence keeps its inverted subject:
            # "…a "dangerous precedent," added de Faramond, who fears … has "proven its effectiveness.""
            prev = ctx.opening.word(w.id - 1)
            if prev is not None and prev.text == ",":
                prev = ctx.opening.word(prev.id - 1)  # « … », ajoute X
            after_quote = prev is not None and (prev.text in ('"', "»", "”") or prev.quote is not None)
            return _found(ctx, "cue_governs_quote", 0.75, w,
                          speaker_of(ctx.opening, w, ctx.lex, inverted_ok=after_quote), ctx.opening)
    return None


def cue_later_in_sentence(ctx: Context) -> Found | None:
    """… de « mines antipersonnel » (…), a déclaré un haut responsable.: a reporting clause that
    closes the sentence, after a comma, with its subject after the verb."""
    words = ctx.after_close()
    for i, w in enumerate(words):
        if w.text in SENTENCE_PUNCT:
            return None
        if is_cue(w, ctx.lex):
            clause = words[max(0, i - 3):i]
            if not any(x.text == "," for x in clause):
                continue
            speaker = speaker_of(ctx.closing, w, ctx.lex)
            if speaker is not None and (speaker.start > w.start or speaker.upos == "PRON"):
                return _found(ctx, "cue_later_in_sentence", 0.7, w, speaker, ctx.closing)
    return None


def speaker_of_previous_sentence(ctx: Context) -> Found | None:
    """Helena Duarte said deforestation had fallen. / "This is the result…": a direct quote
    with no cue, right after a sentence of reported speech, is that speaker's (cue null)."""
    if ctx.previous is None or quote_kind(ctx.text, ctx.quote, Found(ctx.index)) != "direct":
        return None
    if any(w.quote is not None for w in ctx.previous.words):
        return None  # the sentence before holds a quote: the running speaker rule decides
    for w in reversed(ctx.previous.words):
        if is_cue(w, ctx.lex) and w.deprel in ("root", "conj", "parataxis", "ccomp"):
            speaker = speaker_of(ctx.previous, w, ctx.lex, inverted_ok=True)
            if speaker is not None:
                found = _found(ctx, "speaker_of_previous_sentence", 0.6, w, speaker, ctx.previous)
                found.cue, found.cue_lemma = None, ""
                return found
    return None


def subject_before_colon(ctx: Context) -> Found | None:
    """Il a haussé les épaules : « … » / She shrugged: "…": a colon hands the quote to the
    subject of the clause it closes even when its verb is no speech verb (cue null). Only a
    person-like subject: a name, a role, a personal pronoun; not « on », "it" or « le slogan »."""
    clause = _colon_clause(ctx)
    for w in clause:  # left to right: the clause's own verb comes first
        if w.upos != "VERB":
            continue
        speaker = speaker_of(ctx.opening, w, ctx.lex, inverted_ok=False)
        if speaker is None or speaker.start > w.start:
            continue  # « Interrogé sur le coût, … »: a participle with no subject of its own
        if _person_like(speaker, ctx.lex):
            return _found(ctx, "subject_before_colon", 0.55, None, speaker, ctx.opening)
        return None
    # "The captain was more blunt: "…"", « Le capitaine était plus direct : « … » »: no verb, a
    # copula; the subject of the clause, if a person, still introduces the quote
    ids = {w.id for w in clause}
    subject = next((w for w in clause if w.deprel in ctx.lex.deprels["subject"] and w.head in ids), None)
    if subject is not None and _person_like(subject, ctx.lex):
        return _found(ctx, "subject_before_colon", 0.5, None, subject, ctx.opening)
    return None


def _colon_clause(ctx: Context) -> list[Word]:
    """The words of the clause that a colon right before the quote closes (none without one)."""
    before = ctx.before_open()
    if not before or before[-1].text != ":":
        return []
    clause: list[Word] = []
    for w in reversed(before[:-1]):
        if w.text in SENTENCE_PUNCT or w.quote is not None:
            break
        clause.insert(0, w)
    return clause


def framed_by_no_one(ctx: Context) -> bool:
    """« On pouvait lire sur les pancartes : « … » », "The slogan was simpler: "…"": a colon
    clause whose subject is no person introduces words that no one in the story is said to
    say, so the quote does not continue the running speaker."""
    subject = next((w for w in _colon_clause(ctx) if w.deprel in ctx.lex.deprels["subject"]), None)
    return subject is not None and not _person_like(subject, ctx.lex)


def _person_before(s: Sentence, w: Word, lex: Lexicon) -> Word | None:
    """The nearest person-like noun before ``w`` in its phrase (back to a comma or a verb):
    "a source close to the negotiations" → source, whatever the parse made of the phrase."""
    for x in reversed(s.words[:w.id - 1]):
        if x.text == "," or x.text in SENTENCE_PUNCT or x.upos in ("VERB", "AUX") or x.quote is not None:
            return None
        if _nominal(x, lex) and _person_like(x, lex):
            return x
    return None


def _person_like(w: Word, lex: Lexicon) -> bool:
    if w.upos == "PRON":
        # il, elle, ils, she, they: someone; « on », "it": no one in particular, or a thing
        return lex.pronouns.get(w.text.lower()) in ("masc", "fem", "plural")
    if w.upos == "PROPN":
        return True
    return w.lemma.lower() in lex.role_nouns or w.lemma.lower() in lex.anonymous_heads


RULES: list[Callable[[Context], Found | None]] = [
    cue_after_quote,
    cue_in_incise,
    cue_before_colon,
    according_to,
    framing_preposition,
    cue_governs_quote,
    cue_later_in_sentence,
    subject_before_colon,
    speaker_of_previous_sentence,
]


def may_frame(text: str, lex: Lexicon, cue_forms: frozenset[str] = frozenset()) -> bool:
    """Whether any rule could find a frame in a sentence, judged from its words before any
    parse. Every rule needs one of these in the sentence of the quote (or the one before it);
    a sentence with none of them is not parsed (``extractor``), and the records stay the same.
    ``cue_forms``: the words the lemmatizer's dictionary gives a cue verb's lemma ("commment")."""
    # cue_before_colon, subject_before_colon, framed_by_no_one: a colon before the quote
    if ":" in text:
        return True
    # framing_preposition: « Pour X, « … » », the preposition first in the sentence
    first = WORDS.match(text)
    if first and first.group().lower() in lex.framing_prepositions:
        return True
    for word in WORDS.findall(text):
        low = word.lower().replace("’", "'")
        # according_to: « selon », « d'après », "according to", "per", anywhere
        if low in lex.cue_prepositions:
            return True
        # every other rule (and speaker_of_previous_sentence in the sentence after) needs a cue
        # verb: a word that starts like one, or that the lemmatizer's dictionary makes one
        for part in (low, *regex.split(r"['-]", low)):
            if part and (lex.may_be_cue_form(part) or part in cue_forms):
                return True
    return False


# ------------------------------------------------------------------ kinds and the document
def quote_kind(text: str, q: QuoteSpan, found: Found) -> str:
    """direct: the quote opens its sentence (or follows a colon, or a frame like « Selon X, »)
    and reads as a clause; partial: words quoted inside the narrator's sentence."""
    i = q.open_start - 1
    while i >= 0 and text[i] in " \t\u00a0\u202f\u200b":
        i -= 1
    prev = text[i] if i >= 0 else "\n"
    if prev in CLOSING_MARKS and i > 0:
        j = i - 1
        while j > 0 and text[j] in " \u00a0\u202f":  # French typography: « …blocage. » « Les… »
            j -= 1
        if text[j] in ".!?…":
            prev = text[j]  # right after a quote that ended its sentence: "…a generation." "We are…"
    content = text[q.start:q.end]
    words = content.split()
    if prev in "\n.!?:…":
        return "direct"
    if prev in ",;" and len(words) >= 4 and _ends_sentence(text, q):
        return "direct"  # "According to Austin, "They don't…"", « Selon lui, « nous … » »
    return "partial"


def _second_half(text: str, quotes: list[QuoteSpan], out: list[Found], qi: int) -> Found | None:
    """« A », s'est félicitée X, « B ». / "A," she said, "b.": the second half of a quote split
    by its reporting clause has the same speaker and cue, found with the first half."""
    if not out or out[-1].cue is None or out[-1].mention is None or out[-1].continues is not None:
        return None
    prev, q, cue = quotes[qi - 1], quotes[qi], out[-1].cue
    between = text[prev.close_end:q.open_start]
    # the cue stands between the halves, and nothing ends the sentence there
    if not (prev.close_end <= cue.start and cue.end <= q.open_start) or any(c in between for c in ".!?;\n"):
        return None
    return Found(qi, "split_quote", out[-1].confidence, cue, out[-1].cue_lemma, out[-1].mention)


def _scare_quoted(text: str, q: QuoteSpan, lex: Lexicon) -> bool:
    """The company's so-called "wellness rooms", le soi-disant « plan social »: the writer
    keeps the words at a distance; nobody is quoted."""
    before = text[max(0, q.open_start - 30):q.open_start].rstrip(" \u00a0\u202f").lower()
    for marker in lex.scare_markers:
        if before.endswith(marker) and not before[-len(marker) - 1:-len(marker)].isalpha():
            return True
    return False


def _mark_quoted_words(quotes: list[QuoteSpan], sentences: list[Sentence]) -> None:
    """The words of a short quote (parsed as they are, not masked) are the quote's, not the
    narrator's: "The problem," he argued — "The problem" is no speaker."""
    masked = {w.quote for s in sentences for w in s.words if w.quote is not None}
    starts = [q.start for q in quotes]
    for s in sentences:
        for w in s.words:
            i = bisect_right(starts, w.start) - 1
            if w.quote is None and i >= 0 and i not in masked and w.end <= quotes[i].end:
                w.quote = i


def _ends_sentence(text: str, q: QuoteSpan) -> bool:
    """Nothing but punctuation follows the quote before the sentence or paragraph ends."""
    rest = text[q.close_end:q.close_end + 3].lstrip(" \u00a0\u202f")
    return not rest or rest[0] in ".!?…\n" or text[q.start:q.end].rstrip()[-1:] in (".", "!", "?", "…")


def attribute(text: str, quotes: list[QuoteSpan], sentences: list[Sentence], lex: Lexicon) -> list[Found]:
    """Run the rules on every quote of a document, then let cue-less quotes continue the
    running speaker."""
    _mark_quoted_words(quotes, sentences)
    located = Located(sentences)
    out: list[Found] = []
    for qi, q in enumerate(quotes):
        if _scare_quoted(text, q, lex):  # no rule runs: nobody said these words
            out.append(Found(qi, "scare_quote", 0.8, kind="not_speech", notes=list(q.notes)))
            continue
        opening = located.at(q.open_start, q)
        before = located.last_ending_by(opening.start) if opening is not None else None
        ctx = Context(qi, q, text, lex, opening, located.at(max(q.open_start, q.close_end - 1), q),
                      before if before is not None and opening.start - before.end < 400 else None)
        found = next((f for f in (rule(ctx) for rule in RULES) if f is not None and f.mention is not None), None)
        found = found or _second_half(text, quotes, out, qi) or (
            Found(qi, rule="framed_by_no_one", confidence=0.5) if framed_by_no_one(ctx) else Found(qi))
        found.kind = quote_kind(text, q, found)
        if qi and out[-1].cue is not None and found.cue is out[-1].cue and out[-1].kind == "direct":
            found.kind = "direct"  # the second half of a split sentence: "A," she said, "b."
        found.notes = list(q.notes)
        if ctx.opening and ctx.opening.cut or ctx.closing and ctx.closing.cut:
            found.notes.append("sentence_cut")
        out.append(found)
    for f in out:
        # nobody said a scare quote, and a quote framed by no one continues no one
        if f.mention is None and f.rule not in ("scare_quote", "framed_by_no_one"):
            running_speaker(text, quotes, out, f)
    for f in out:
        if f.mention is None and f.continues is None:
            f.kind = "not_speech" if f.kind == "partial" else f.kind
    return out


def wanting_previous_sentence(text: str, quotes: list[QuoteSpan], found: list[Found]) -> list[int]:
    """The quotes that may still change once the sentence before them is parsed: direct quotes
    whose own sentences named no speaker, for ``speaker_of_previous_sentence`` (or that rule
    read a sentence that was not the one just before, not parsed yet), and quotes opening a
    paragraph after a colon, for ``cue_before_colon``."""
    return [f.quote for f in found
            if (f.mention is None or f.rule == "speaker_of_previous_sentence")
            and quote_kind(text, quotes[f.quote], Found(f.quote)) == "direct"
            # cue_before_colon reads the paragraph before too: it comes before the other rules
            or _after_colon_and_newline(text, quotes[f.quote])]


def running_speaker(text: str, quotes: list[QuoteSpan], found: list[Found], f: Found) -> None:
    """A quote with no cue continues the speaker of the quote just before it: in the same
    paragraph, or, for a quote opening a paragraph, in the paragraph before."""
    if f.quote == 0:
        return
    prev = found[f.quote - 1]
    if prev.mention is None and prev.continues is None:
        return
    q, pq = quotes[f.quote], quotes[prev.quote]
    between = text[pq.close_end:q.open_start]
    paragraphs_between = between.count("\n")
    if paragraphs_between == 0 or (paragraphs_between == 1 and f.kind == "direct" and _opens_paragraph(text, q)):
        f.continues = prev.quote if prev.mention is not None else prev.continues
        f.rule, f.confidence = "running_speaker", 0.6


def _opens_paragraph(text: str, q: QuoteSpan) -> bool:
    i = q.open_start - 1
    while i >= 0 and text[i] in " \t\u00a0\u202f":
        i -= 1
    return i < 0 or text[i] == "\n"


class Located:
    """The parsed sentences of a document in text order, found by offset with a binary search:
    a document may hold thousands of quotes, and a scan per quote would be quadratic."""

    def __init__(self, sentences: list[Sentence]):
        self.sentences = [s for s in sentences if s.words]
        # running maxima of the ends, and minima of the ends from the right: both sorted, so
        # "the first sentence ending after x" and "the last one ending by x" are bisections
        self.max_end, self.max_end_or_one, top, top1 = [], [], -1, -1
        for s in self.sentences:
            top, top1 = max(top, s.end), max(top1, s.end, s.start + 1)
            self.max_end.append(top)
            self.max_end_or_one.append(top1)
        self.min_end_after = [0] * len(self.sentences)
        low = None
        for i in range(len(self.sentences) - 1, -1, -1):
            low = self.sentences[i].end if low is None else min(low, self.sentences[i].end)
            self.min_end_after[i] = low

    def at(self, offset: int, q: QuoteSpan) -> Sentence | None:
        """The first sentence that holds ``offset``; else the first that overlaps the quote
        (the mark may fall between tokens: spaces)."""
        k = bisect_right(self.max_end_or_one, offset)
        if k < len(self.sentences) and self.sentences[k].start <= offset:
            return self.sentences[k]
        k = bisect_right(self.max_end, q.open_start)
        if k < len(self.sentences) and self.sentences[k].start < q.close_end:
            return self.sentences[k]
        return None

    def last_ending_by(self, offset: int) -> Sentence | None:
        """The last sentence (in text order) that ends at or before ``offset``."""
        k = bisect_right(self.min_end_after, offset) - 1
        return self.sentences[k] if k >= 0 else None
