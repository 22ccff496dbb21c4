"""Property tests of the regex stages (no parser): quote spans, masking, sentence split.

Generated texts mix words, quote marks of every kind, newlines (LF, CRLF, CR), combining
characters, emoji, and exotic spaces (NBSP, narrow NBSP, zero-width). Whatever the text:
nothing raises, offsets are exact and inside the text, spans are ordered and disjoint, a
quote's content never holds its own closing mark at depth 0, and the masked text maps back
into the original.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.frames import NORMALISE, Masked, mask, split_sentences
from quotes.lexicon import get_lexicon
from quotes.spans import INNER_SPACE, OPENERS, PARAGRAPH_START_SPACE, REOPENERS, QuoteSpan, find_quotes

MARKS = ["«", "»", "“", "”", "„", '"', "‹", "›", "‘", "’"]
WORDS = ["Le", "ministre", "a", "déclaré", "said", "the", "officials", "Nous", "ne", "céderons", "pas", "M.",
         "U.S.", "Jr.", "5", "3.5", "il", "dit-elle", "a-t-il", "ajouté", "selon", "according", "to", "Anne", "Roy"]
SEPARATORS = [" ", " ", " ", "\n", "\r\n", "\r", "\n\n", ", ", ". ", "! ", "? ", ": ", "; ", "…", "-", "(", ")"]
ODD = ["\u0301", "\u0327", "e\u0301", "😀", "👩‍👩‍👧", "🇫🇷", "\u00a0", "\u202f", "\u2009", "\u200b", "\ufeff", "\t"]

simple = st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS), st.sampled_from(ODD))
# a well-formed quote now and then, whose content may itself hold any token
quoted = st.tuples(st.sampled_from([("« ", " »"), ("«\u202f", "\u202f»"), ("“", "”"), ("„", "“"), ('"', '"')]),
                   st.lists(st.one_of(simple, st.sampled_from(MARKS)), min_size=1, max_size=12)).map(
    lambda t: t[0][0] + "".join(t[1]) + t[0][1])
token = st.one_of(
    simple, st.sampled_from(MARKS), quoted,
    st.text(max_size=3),  # anything at all, now and then
)
texts = st.lists(token, max_size=120).map("".join)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LEXICONS = [get_lexicon("fr"), get_lexicon("en")]


def _closing(mark: str) -> str:
    return OPENERS[mark]


def _depth0_closers(text: str, q: QuoteSpan) -> list[int]:
    """Offsets, inside the content, of the quote's own closing mark at nesting depth 0.

    Not counted: a mark that reopens the quote at a paragraph start (a continued quote), and
    for straight quotes a measure after a digit (5", 3.5") that is not followed by a space."""
    close, depth, found = _closing(q.mark), 0, []
    paragraph_start = False
    i = q.start
    while i < q.end:
        c = text[i]
        if c == "\n":
            paragraph_start = True
            i += 1
            continue
        if paragraph_start and c not in "\r":
            paragraph_start = False
            j = PARAGRAPH_START_SPACE.match(text, i).end()
            if j < q.end and text[j] in REOPENERS[q.mark]:
                i = j + 1
                continue
        if q.mark == '"':
            if c == '"' and not _measure(text, i):
                found.append(i)
        elif c == q.mark and q.mark != close:
            depth += 1
        elif c == close:
            if depth:
                depth -= 1
            else:
                found.append(i)
        i += 1
    return found


def _measure(text: str, i: int) -> bool:
    """A straight mark after a digit that does not close: 5"-long, 3.5"» (spans.py's rule)."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return i > 0 and text[i - 1].isdigit() and not (after.isalnum() or after.isspace() or after in ",.;:!?)")


def check_quotes(text: str, quotes: list[QuoteSpan]) -> None:
    previous_end = 0
    for q in quotes:
        assert previous_end <= q.open_start < q.start <= q.end <= q.close_end <= len(text), q
        assert text[q.open_start] == q.mark and q.mark in OPENERS
        if q.closed:
            assert text[q.close_end - 1] == _closing(q.mark), q
        content = q.content(text)
        assert content == text[q.start:q.end] and content
        assert content[0] not in INNER_SPACE and content[-1] not in INNER_SPACE + "\r\n"
        assert not _depth0_closers(text, q), (q, content)
        previous_end = q.close_end


def check_masked(text: str, masked: Masked, n_quotes: int) -> None:
    position = 0
    for piece in masked.pieces:
        assert piece.masked_start == position and piece.length > 0
        position += piece.length
        assert 0 <= piece.orig_start <= len(text)
        chunk = masked.text[piece.masked_start:piece.masked_start + piece.length]
        if piece.quote is None:
            original = text[piece.orig_start:piece.orig_start + piece.length]
            assert original.translate(NORMALISE) == chunk
        else:
            assert 0 <= piece.quote < n_quotes and piece.orig_start <= piece.orig_end <= len(text)
    assert position == len(masked.text)


def check_maps_back(text: str, masked: Masked, a: int, b: int) -> None:
    start, end, quote = masked.to_original(a, b)
    assert 0 <= start <= end <= len(text), (a, b, start, end)


@PROPERTY
@given(texts)
def test_find_quotes_offsets(text):
    check_quotes(text, find_quotes(text))


@PROPERTY
@given(texts, st.sampled_from(LEXICONS), st.randoms(use_true_random=False))
def test_mask_and_split_map_back(text, lex, rnd):
    quotes = find_quotes(text)
    masked = mask(text, quotes, lex)
    check_masked(text, masked, len(quotes))
    if not masked.text:
        return
    for _ in range(10):
        a = rnd.randrange(len(masked.text))
        b = rnd.randrange(a + 1, len(masked.text) + 1)
        check_maps_back(text, masked, a, b)
    previous = 0
    for sentence in split_sentences(masked, quotes):
        start, end = sentence.masked_start, sentence.masked_start + len(sentence.text)
        assert previous <= start < end <= len(masked.text)
        assert masked.text[start:end] == sentence.text
        assert all(0 <= i < len(quotes) for i in sentence.quotes)
        check_maps_back(text, masked, start, end)
        previous = end


@PROPERTY
@given(st.lists(st.sampled_from(MARKS + [" ", "a", "\n"]), max_size=200).map("".join))
def test_marks_only(text):
    check_quotes(text, find_quotes(text))


def _unbalanced(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("«««“„\"‹‘»”’") + rng.choice([" mot ", "", " ", "\n", " a, "]) for _ in range(n))


def test_ten_thousand_unbalanced_marks():
    text = _unbalanced(10_000)
    quotes = find_quotes(text)
    check_quotes(text, quotes)


def test_five_megabyte_text():
    rng = random.Random(5)
    sentences = ["« Nous ne céderons pas », a déclaré la ministre.", "Le conseil s'est réuni hier soir.",
                 "“We will not give in,” she said.", "Il a parlé d'un « moment historique ».", "\n"]
    parts, size = [], 0
    while size < 5_000_000:
        s = rng.choice(sentences) + " "
        parts.append(s)
        size += len(s)
    text = "".join(parts)
    quotes = find_quotes(text)
    assert len(quotes) > 50_000
    check_quotes(text, quotes[:2000])
    assert all(text[q.start:q.end] == q.content(text) for q in quotes)


@pytest.mark.parametrize("text", [
    "", "«", "»", '"', "« »", "«\n»", "„a“", "«a\n» b »", "5\" wide", '"a 5" b"', "« a « b » c",
    "\ufeff« a »", "« a »\r\n« b", "“a\r\n\r\n“b”", "‹ a › ‘ b ’",
])
def test_edge_cases(text):
    quotes = find_quotes(text)
    check_quotes(text, quotes)
    for lex in LEXICONS:
        masked = mask(text, quotes, lex)
        check_masked(text, masked, len(quotes))
        for s in split_sentences(masked, quotes):
            check_maps_back(text, masked, s.masked_start, s.masked_start + len(s.text))


@pytest.mark.parametrize("text, lang, expected", [
    # French typography: a space before » does not hide the sentence end (the next sentence is
    # not parsed with the quote); a long quote is masked to « Oui. »
    ("Perrin affirme : « Nous ne céderons sur rien du tout. » En délibérant, l'assemblée a voté.", "fr",
     ["Perrin affirme : « Oui. »", "En délibérant, l'assemblée a voté."]),
    ("« Non. » « Jamais. » Il part.", "fr", ["« Non. »", "« Jamais. »", "Il part."]),
    # no capital after the mark, or an incise: the sentence goes on
    ("« Nous ne céderons sur rien du tout. », a-t-il dit. Il part.", "fr",
     ["« Oui. », a-t-il dit.", "Il part."]),
    ('He said: "We will not give up anything at all." Then he left.', "en",
     ['He said: "Yes."', "Then he left."]),
])
def test_sentence_split_after_closing_marks(text, lang, expected):
    quotes = find_quotes(text)
    masked = mask(text, quotes, get_lexicon(lang))
    assert [s.text for s in split_sentences(masked, quotes)] == expected
