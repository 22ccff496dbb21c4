"""``quotes extract`` over a generated corpus of bad inputs (tests/make_bad_inputs.py).

No traceback, exactly one outcome per input document (an error record of the expected kind
and source, or the document's quote records), and exact offsets in every quote record.

By default the extractor's parsing stages are replaced by ``regex_only_run`` (a test double:
the real input checks and quote-span stage, no parser), so that these tests need no models.
Set QUOTES_REAL_PIPELINE=1 to run the real extractor instead (needs the models; slow).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from make_bad_inputs import OK, make_bad_corpus, regex_only_run
from quotes.cli import main, safe_text_path
from quotes.extractor import Extractor

REAL = os.environ.get("QUOTES_REAL_PIPELINE") == "1"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    return base, make_bad_corpus(base)


@pytest.fixture(scope="module")
def invoke():
    def run(args):
        with pytest.MonkeyPatch.context() as mp:
            if not REAL:
                mp.setattr(Extractor, "_run", regex_only_run)
            return CliRunner().invoke(main, args, catch_exceptions=True)

    return run


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def documents_run(corpus, invoke):
    base, expected = corpus
    out, texts = base / "out-documents.jsonl", base / "texts"
    result = invoke(["extract", str(base / "corpus"), "--documents", "-o", str(out), "--write-text", str(texts)])
    return result, _lines(out), texts


def test_no_traceback_and_exit_code(documents_run, corpus):
    result, _, _ = documents_run
    _no_traceback(result)
    assert result.exit_code == 1  # the corpus has error records
    assert f"documents read: {len(corpus[1])}," in result.stderr


def test_one_document_record_per_input_document_in_order(documents_run, corpus):
    _, records, _ = documents_run
    docs = [r for r in records if r["record"] == "document"]
    expected = corpus[1]
    assert [(d["doc_id"], d["source"]) for d in docs] == [(e.doc_id, e.source) for e in expected]
    for d, e in zip(docs, expected):
        assert d["status"] == ("ok" if e.kind == OK else "error"), (e, d)


def test_error_kinds_and_sources(documents_run, corpus):
    _, records, _ = documents_run
    errors = [r for r in records if r["record"] == "error"]
    expected_errors = [e for e in corpus[1] if e.kind != OK]
    assert [(r["doc_id"], r["source"], r["error"]) for r in errors] == \
           [(e.doc_id, e.source, e.kind) for e in expected_errors]
    for r, e in zip(errors, expected_errors):
        assert r["message"]
        if e.offset is not None:
            assert f"byte offset {e.offset} " in r["message"], (e, r["message"])


def test_quote_records_belong_to_processed_documents(documents_run, corpus):
    _, records, _ = documents_run
    ok_ids = {e.doc_id for e in corpus[1] if e.kind == OK}
    counts = Counter(r["doc_id"] for r in records if r["record"] == "quote")
    assert set(counts) <= ok_ids
    for d in (r for r in records if r["record"] == "document"):
        assert d["quotes"] == counts.get(d["doc_id"], 0), d
    # the generated corpus has quotes in most documents, and 10 000 marks in one
    assert counts["unbalanced_marks"] > 0 and counts["huge"] > 100


def _spans(record: dict):
    yield record["text"], record["start"], record["end"]
    for key in ("role", "cue"):
        if record.get(key):
            yield record[key]["text"], record[key]["start"], record[key]["end"]
    if record.get("speaker"):
        for key in ("mention", "name_span"):
            span = record["speaker"].get(key)
            if span:
                yield span["text"], span["start"], span["end"]


def test_every_span_matches_the_text(documents_run):
    _, records, texts = documents_run
    cache: dict[str, str] = {}
    checked = 0
    for r in (r for r in records if r["record"] == "quote"):
        if r["doc_id"] not in cache:
            cache[r["doc_id"]] = safe_text_path(texts, r["doc_id"]).read_bytes().decode("utf-8")
        text = cache[r["doc_id"]]
        for span_text, start, end in _spans(r):
            assert 0 <= start <= end <= len(text)
            assert text[start:end] == span_text, (r["doc_id"], start, end)
            checked += 1
    assert checked > 1000


def test_texts_are_exact_and_stay_in_their_folder(documents_run, corpus):
    _, _, texts = documents_run
    base = corpus[0]
    assert not safe_text_path(texts, "bom").read_text("utf-8").startswith("\ufeff")
    assert "\r\n" in safe_text_path(texts, "crlf").read_bytes().decode("utf-8")
    assert "\r" in safe_text_path(texts, "cr_only").read_bytes().decode("utf-8")
    assert all(p.parent == texts and p.suffix == ".txt" for p in texts.rglob("*"))
    assert not list(base.parent.glob("escape*")) and not list(base.glob("escape*"))


def test_without_documents_one_outcome_per_document(corpus, invoke):
    base, expected = corpus
    out = base / "out-plain.jsonl"
    result = invoke(["extract", str(base / "corpus"), "-o", str(out)])
    _no_traceback(result)
    assert result.exit_code == 1
    records = _lines(out)
    assert {r["record"] for r in records} == {"quote", "error"}
    errors = [r for r in records if r["record"] == "error"]
    assert Counter(r["doc_id"] for r in errors) == Counter(e.doc_id for e in expected if e.kind != OK)
    # an errored document has no quote records; records come in input order
    order = {e.doc_id: i for i, e in enumerate(expected)}
    positions = [order[r["doc_id"]] for r in records]
    assert positions == sorted(positions)
    assert not {r["doc_id"] for r in records if r["record"] == "quote"} & {r["doc_id"] for r in errors}


def test_encoding_errors_replace_processes_invalid_utf8(corpus, invoke):
    base, expected = corpus
    out, texts = base / "out-replace.jsonl", base / "texts-replace"
    result = invoke(["extract", str(base / "corpus"), "--documents", "--encoding-errors", "replace",
                     "-o", str(out), "--write-text", str(texts)])
    _no_traceback(result)
    kinds = {r["doc_id"]: r["error"] for r in _lines(out) if r["record"] == "error"}
    for e in expected:
        if e.kind == "invalid_utf8" or e.doc_id == "surrogate":
            assert e.doc_id not in kinds, (e, kinds.get(e.doc_id))
            if e.source.endswith(".txt"):
                assert "\ufffd" in safe_text_path(texts, e.doc_id).read_text("utf-8")
        elif e.kind != OK:
            assert kinds[e.doc_id] == e.kind


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="chmod 000 does not block root")
def test_unreadable_file(tmp_path, invoke):
    folder = tmp_path / "in"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text("« Bonjour » dit-il.", "utf-8")
    secret.chmod(0)
    try:
        result = invoke(["extract", str(folder), "-o", str(tmp_path / "out.jsonl")])
    finally:
        secret.chmod(0o600)
    _no_traceback(result)
    (record,) = _lines(tmp_path / "out.jsonl")
    assert (record["error"], record["source"]) == ("unreadable_file", str(secret))
