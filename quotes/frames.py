"""Stage 2a: choose what the parser reads, and hide what it need not read.

The parser needs the frame around a quote (cue, speaker, role), not the quote itself: a
long quotation only slows it down and confuses it. So each long quote's content is replaced
by a one-word placeholder (« Oui », "Yes"), keeping its final punctuation and any incise
(« …, explique-t-elle. … »). The masked text is cut into sentences with a regex, and only the
sentences that hold a quote are parsed ("fast path"), then the sentence before a quote whose own
sentences name no speaker; ``whole=True`` parses every sentence. Of those, a sentence in which no
rule could find a frame (no cue verb form, no colon, no « selon »: ``attribution.may_frame``) is
not parsed either (``parsing.unparsed``). Every masked character maps back to the original text.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from .lexicon import Lexicon
from .spans import QuoteSpan

MASK_MIN_WORDS = 5  # quotes of fewer words are partial quotes the syntax needs
MAX_SENTENCE_CHARS = 600  # longer sentences are cut before parsing (the record says so)

# Same-length normalisation for the parser: exotic spaces and apostrophes.
NORMALISE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u200a": " ",
                           "\u200b": " ", "\ufeff": " ", "\r": " ", "\t": " ", "’": "'"})
WORD = regex.compile(r"[\p{L}\p{N}]++")
# Incises inside a quote: ", explique-t-elle," / ", a-t-il ajouté." / ", selon lui,"
INCISE = {
    "fr": regex.compile(
        r"(?<=[,;]\s?+)(?:(?:(?:a|ont|avait|aurait)-t-(?:il|elle|on)\s++\p{Ll}++|\p{Ll}++(?:-t)?+-(?:il|elle|ils|elles|on))"
        r"(?:\s++[^,.;!?…«»]{1,80}?)?(?=\s*+[,.;!?…])"
        r"|(?:selon|d'après|d’après)\s++[^,.;!?«»]{1,60}+(?=\s*+[,.;!?…])"
        r"|(?:a|ont)\s++\p{Ll}*(?:é|i|u|is|it|ait)\s++[^.;!?…«»]{1,100}?(?=\s*+[.;!?…])"
        r"|\p{Ll}++\s++(?:M\.|Mme|le|la|l['’]|les|un|une|son|sa|ses)\s*+[^.;!?…«»]{1,100}?(?=\s*+[.;!?…]))"
    ),
    "en": regex.compile(r"(?<=[,;]\s?+)(?:according\s++to\s++[^,.;!?]{1,60}+)(?=\s*+[,.;!?…])"),
}
# A sentence ends after . ! ? … and any closing marks, French typography's space before » included
# (« Oui. » Ensuite…): without it the sentence after a French quote was parsed with the quote.
SENTENCE_END = regex.compile(r"(?<=[.!?…](?:[ \u00a0\u202f]?+[\"»”’)])*+)\s++(?=[\p{Lu}«\"“\d])|\n++")
ABBREVIATION = regex.compile(r"(?:\b\p{Lu}|\bM|\bMM|Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Rev|U\.S|No|Jr|Sr|etc|av|J\.-C|vs|Inc|Corp|Ltd|Co)\.$")


@dataclass
class Piece:
    """A run of the masked text: copied from the original, or a placeholder for a quote."""

    masked_start: int
    orig_start: int
    length: int
    quote: int | None = None  # index of the masked quote, for placeholders
    orig_end: int | None = None  # for placeholders: end of the quote content


@dataclass
class Masked:
    text: str
    pieces: list[Piece]
    starts: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int, int | None]:
        """Original offsets of a masked range, and the quote index if it is a placeholder."""
        p = self.pieces[bisect_right(self.starts, start) - 1]
        if p.quote is not None:
            return p.orig_start, p.orig_end, p.quote
        q = self.pieces[bisect_right(self.starts, max(start, end - 1)) - 1]
        if q.quote is not None:
            return p.orig_start + (start - p.masked_start), q.orig_end, None
        return p.orig_start + (start - p.masked_start), q.orig_start + (end - q.masked_start), None


@dataclass
class FrameSentence:
    """One sentence to parse: masked text and where it sits in the masked document."""

    text: str
    masked_start: int
    quotes: list[int] = field(default_factory=list)  # quotes whose span it touches
    cut: bool = False  # longer than MAX_SENTENCE_CHARS: cut


def _incises(content_start: int, content: str, lex: Lexicon) -> list[tuple[int, int]]:
    pattern = INCISE.get(lex.language)
    found = []
    for m in pattern.finditer(content) if pattern else ():
        words = m.group().split()
        first = words[0].lower()
        # a phrase incise must start with a cue verb (« explique la directrice … », « a déclaré X »)
        if " " in m.group() and "-" not in words[0] and not lex.is_cue_verb(lex.guess_lemma(first), first) \
                and not (first in ("a", "ont") and lex.is_cue_verb(words[1].lower(), words[1].lower())) \
                and first not in ("selon", "d'après", "d’après", "according"):
            continue
        found.append((content_start + m.start(), content_start + m.end()))
    return found


def mask(text: str, quotes: list[QuoteSpan], lex: Lexicon) -> Masked:
    """Replace the content of long quotes by the placeholder, keeping incises and end marks."""
    out, pieces, pos, mpos = [], [], 0, 0
    q_start = 0

    def copy(a: int, b: int) -> None:
        nonlocal mpos
        if b > a:
            pieces.append(Piece(mpos, a, b - a))
            out.append(text[a:b].translate(NORMALISE))
            mpos += b - a

    def hide(a: int, b: int, qi: int) -> None:
        nonlocal mpos
        words = text[a:b].strip()
        if not WORD.search(words):
            copy(a, b)  # only punctuation between an incise and a mark
            return
        lead = words[0] if words[0] in ",.;:!?…" else ""
        trail = words[-1] if words[-1] in ",.;:!?…" else ""
        ph = (lead + " " if lead else "") + lex.placeholder + trail
        if a > q_start:
            ph = " " + ph  # after an incise
        pieces.append(Piece(mpos, a, len(ph), quote=qi, orig_end=b))
        out.append(ph)
        mpos += len(ph)

    for qi, q in enumerate(quotes):
        content = text[q.start:q.end]
        copy(pos, q.start)
        if len(WORD.findall(content)) < MASK_MIN_WORDS:
            copy(q.start, q.end)
        else:
            cursor = q_start = q.start
            for a, b in _incises(q.start, content, lex):
                hide(cursor, a, qi)
                copy(a - 1, b)  # the incise, with the space before it
                cursor = b
            hide(cursor, q.end, qi)
        pos = q.end
    copy(pos, len(text))
    masked = "".join(out)
    pieces = [p for p in pieces if p.length > 0]
    return Masked(masked, pieces, [p.masked_start for p in pieces])


def split_sentences(masked: Masked, quotes: list[QuoteSpan]) -> list[FrameSentence]:
    """Regex sentences of the masked text; the quotes each one touches."""
    sentences, start = [], 0
    text = masked.text
    for m in SENTENCE_END.finditer(text):
        if not m.group().startswith("\n") and ABBREVIATION.search(text, max(0, m.start() - 12), m.start()):
            continue  # "M. Biden", "U.S. officials": not a sentence end
        sentences.append((start, m.start()))
        start = m.end()
    sentences.append((start, len(text)))
    out = []
    bounds = [(masked.to_original(a, b)[:2] if b > a else (0, 0)) for a, b in sentences]
    close_ends = [q.close_end for q in quotes]  # quotes are ordered and do not overlap
    for (a, b), (oa, ob) in zip(sentences, bounds):
        if not text[a:b].strip():
            continue
        touching, i = [], bisect_right(close_ends, oa)
        while i < len(quotes) and quotes[i].open_start < ob:
            touching.append(i)
            i += 1
        cut = b - a > MAX_SENTENCE_CHARS
        while a < b:
            end = min(b, a + MAX_SENTENCE_CHARS)
            if end < b:  # cut at a space so that no word is split
                space = text.rfind(" ", a, end)
                end = space if space > a else end
            out.append(FrameSentence(text[a:end], a, touching, cut=cut))
            a = end
    return out


def select(sentences: list[FrameSentence], whole: bool = False) -> list[int]:
    """Indices of the sentences to parse first: those that touch a quote (every sentence with
    ``whole=True``). The sentence before a quote is parsed later, and only for the quotes whose
    own sentences name no speaker (see ``previous_of``)."""
    if whole:
        return list(range(len(sentences)))
    return [i for i, s in enumerate(sentences) if s.quotes]


def previous_of(sentences: list[FrameSentence], quotes: list[int], parsed: set[int] | dict) -> list[int]:
    """Indices of the not yet parsed sentences just before the opening sentence of each quote
    in ``quotes``: where « X a expliqué la situation. « … » » finds its speaker."""
    opening: dict[int, int] = {}
    for i, s in enumerate(sentences):
        for qi in s.quotes:
            opening.setdefault(qi, i)  # the first sentence that touches a quote holds its opening mark
    wanted = {opening[qi] - 1 for qi in quotes if opening.get(qi)}
    return sorted(i for i in wanted if i not in parsed)
