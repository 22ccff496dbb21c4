"""The regex stage: quote spans with exact offsets, whatever the marks."""
from __future__ import annotations

from quotes.spans import find_quotes


def spans(text):
    return [(q.start, q.end, text[q.start:q.end], q.closed, q.paragraphs, q.notes) for q in find_quotes(text)]


def test_guillemets_with_non_breaking_spaces():
    text = "Il a dit\u00a0: «\u00a0Nous partirons demain.\u202f» Puis il est sorti."
    assert spans(text) == [(13, 35, "Nous partirons demain.", True, 1, [])]


def test_curly_and_straight_quotes():
    text = 'He said “we won,” and she said "not yet."'
    assert spans(text) == [(9, 16, "we won,", True, 1, []), (32, 40, "not yet.", True, 1, [])]


def test_nested_quotes_are_content_of_the_outer_quote():
    text = "« Il m’a dit « jamais » et ‹ non ›, puis “rien” », raconte-t-elle."
    assert spans(text) == [(2, 47, "Il m’a dit « jamais » et ‹ non ›, puis “rien”", True, 1, [])]


def test_apostrophes_are_not_quotes():
    text = "“It’s the workers’ money,” he said."
    assert spans(text) == [(1, 25, "It’s the workers’ money,", True, 1, [])]


def test_multi_paragraph_quote_reopened_at_each_paragraph():
    text = "« Premier paragraphe.\n« Second paragraphe. »\nFin."
    assert spans(text) == [(2, 42, "Premier paragraphe.\n« Second paragraphe.", True, 2, [])]


def test_unclosed_quote_stops_at_its_paragraph():
    text = "Il a déclaré : « Nous ne partirons pas\nLe lendemain, « tout va bien », a dit X."
    assert spans(text) == [
        (17, 38, "Nous ne partirons pas", False, 1, ["unclosed_quote"]),
        (55, 67, "tout va bien", True, 1, []),
    ]


def test_stray_closing_mark_and_inch_marks_are_ignored():
    text = 'A 5" screen » and "a real quote" here.'
    assert spans(text) == [(19, 31, "a real quote", True, 1, [])]


def test_ten_thousand_unbalanced_marks_do_not_swallow_text():
    text = "« " * 10_000 + "\nLa suite « vraie citation » ici."
    quotes = find_quotes(text)
    last = quotes[-1]
    assert text[last.start:last.end] == "vraie citation" and last.closed
