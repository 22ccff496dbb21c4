"""Stage 1: find quoted spans with regular expressions, in one linear pass.

A quote is an outer pair of marks: « », “ ”, „ “ or straight ". Inner marks (‹ ›, ‘ ’,
a nested pair) are content. A quote that runs over several paragraphs reopens its mark at
each paragraph start; a mark left open at the end of a paragraph that is not continued is
closed there and reported (``unclosed``), so one bad mark never swallows the rest of the text.

Only character classes and possessive runs are used: no pattern can backtrack, and the
scan is linear in the size of the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

# The marks that open and close outer quotes. Straight " opens and closes itself.
OPENERS = {"«": "»", "“": "”", "„": "“", '"': '"'}
CLOSERS = {"»", "”", '"'}
# » at a paragraph start also continues a guillemet quote (classic French typography).
REOPENERS = {"«": ("«", "»"), "“": ("“",), "„": ("„", "“"), '"': ('"',)}

MARK = regex.compile(r'[«»“”„"\n]')
# Whitespace just inside the marks (ordinary, non-breaking, narrow, thin, zero-width).
INNER_SPACE = " \t\u00a0\u202f\u2009\u2007\u200a\u200b\ufeff"
WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
PARAGRAPH_START_SPACE = regex.compile(r"[ \t\u00a0\u202f\u2009\u200b\ufeff]*+")


@dataclass
class QuoteSpan:
    """One outer quote: its marks and its content (marks and inner spaces excluded)."""

    open_start: int  # offset of the opening mark
    close_end: int  # offset just after the closing mark (or paragraph end if unclosed)
    start: int  # content start
    end: int  # content end
    mark: str  # the opening mark
    closed: bool = True
    paragraphs: int = 1
    notes: list[str] = field(default_factory=list)

    def content(self, text: str) -> str:
        return text[self.start:self.end]


def _is_straight_open(text: str, i: int) -> bool:
    """A straight " opens when nothing word-like is glued before it and something follows."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() or after in ",.;:!?)":
        return False
    return not (WORD_CHAR.match(before) or before in ".,;:!?%")


def _is_inch_mark(text: str, i: int) -> bool:
    """5" or 3.5" are measures, not quotes."""
    return i > 0 and text[i - 1].isdigit() and (i + 1 >= len(text) or not WORD_CHAR.match(text[i + 1]))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in INNER_SPACE:
        start += 1
    while end > start and text[end - 1] in INNER_SPACE + "\n\r":
        end -= 1
    return start, end


def _continues(text: str, newline: int, mark: str) -> int | None:
    """If the paragraph after this newline reopens the quote, the offset after its mark."""
    i = newline + 1
    while i < len(text) and text[i] in "\r\n":
        i += 1
    m = PARAGRAPH_START_SPACE.match(text, i)
    j = m.end()
    if j < len(text) and text[j] in REOPENERS[mark]:
        return j + 1
    return None


def find_quotes(text: str) -> list[QuoteSpan]:
    """All outer quotes of a text, in order. Never raises on odd marks."""
    quotes: list[QuoteSpan] = []
    open_at: int | None = None  # offset of the current outer opening mark
    mark = ""
    depth = 0  # nesting of the same pair inside the outer quote
    paragraphs = 1
    notes: list[str] = []
    last_close: int | None = None  # last closing mark seen inside an unbalanced nest
    skip_until = -1

    def emit(close_start: int, close_end: int, closed: bool) -> None:
        nonlocal open_at, depth, paragraphs, notes, last_close
        start, end = _trim(text, open_at + 1, close_start)
        if end > start and (closed or _opens_utterance(text, open_at)):
            quotes.append(QuoteSpan(open_at, close_end, start, end, mark, closed, paragraphs, notes))
        open_at, depth, paragraphs, notes, last_close = None, 0, 1, [], None

    for m in MARK.finditer(text):
        i, c = m.start(), m.group()
        if i < skip_until:
            continue  # the reopening mark of a continued paragraph
        if open_at is None:
            if c == "\n":
                continue
            if c == '"' and (_is_inch_mark(text, i) or not _is_straight_open(text, i)):
                continue  # a stray or measuring straight quote
            if c in OPENERS and c != "”":
                open_at, mark, depth = i, c, 0
            continue
        # inside a quote
        close = OPENERS[mark]
        if c == "\n":
            reopened = _continues(text, i, mark)
            if reopened is not None:
                paragraphs += 1
                skip_until = reopened
                continue
            # not continued: the quote ends with its paragraph, marked as unbalanced
            if depth and last_close is not None:
                notes.append("nested_marks_unbalanced")
                emit(last_close, last_close + 1, True)
            else:
                notes.append("unclosed_quote")
                emit(i, i, False)
            continue
        if mark == '"':
            if c == '"':
                if _is_inch_mark(text, i) and not _closes_here(text, i):
                    continue
                emit(i, i + 1, True)
            continue
        if c == mark and mark != close:
            depth += 1  # the same opening mark nested inside
        elif c == close:
            if depth:
                depth -= 1
                last_close = i
            else:
                emit(i, i + 1, True)
    if open_at is not None:
        if depth and last_close is not None:
            notes.append("nested_marks_unbalanced")
            emit(last_close, last_close + 1, True)
        else:
            notes.append("unclosed_quote")
            emit(len(text), len(text), False)
    return quotes


def _opens_utterance(text: str, i: int) -> bool:
    """An unclosed quote is trusted only where a whole utterance starts: at a paragraph or
    sentence start, or after a colon. Elsewhere its extent cannot be known: it is dropped."""
    j = i - 1
    while j >= 0 and text[j] in INNER_SPACE:
        j -= 1
    return j < 0 or text[j] in "\n\r:.!?…"


def _closes_here(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return after.isspace() or after in ",.;:!?)"
