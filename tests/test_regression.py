"""Regression suite: every annotated document of fixtures/ gives exactly its gold records,
field by field and offset by offset. Known failures are marked in the fixture
(``expected_failure``) and run as xfail, never deleted; a marked failure that starts to pass
fails the suite until its mark is removed."""
from __future__ import annotations

import pytest

from conftest import gold_documents, project

DOCS = gold_documents()


@pytest.mark.parametrize("doc", DOCS, ids=[d["label"] for d in DOCS])
def test_fixture_records(doc, fixture_results):
    result = fixture_results[doc["label"]]
    got = [project(r) for r in result.records]
    if doc.get("expected_failure"):
        # a known failure that now passes must lose its mark, or a later regression would hide
        if result.error is None and got == doc["expected"]:
            pytest.fail(f"{doc['label']} is marked expected_failure but now gives its gold records: "
                        "remove the mark (fixtures/tools/fill_offsets.py --check keeps the file valid)")
        pytest.xfail(doc["expected_failure"])
    assert result.error is None, result.error
    assert got == doc["expected"]


@pytest.mark.parametrize("doc", DOCS, ids=[d["label"] for d in DOCS])
def test_offsets_are_exact(doc, fixture_results):
    """Whatever the attribution, every span of every record points at its own text."""
    text = doc["text"]
    for r in fixture_results[doc["label"]].records:
        assert text[r.start:r.end] == r.text
        spans = [r.role, r.cue] + ([r.speaker.mention, r.speaker.name_span] if r.speaker else [])
        for span in filter(None, spans):
            assert text[span.start:span.end] == span.text


def test_fast_path_equals_whole_document(fixture_results, whole_document_results):
    """Parsing only the frames gives the same records as parsing whole documents."""
    for label, fast in fixture_results.items():
        whole = whole_document_results[label]
        assert [project(r) for r in fast.records] == [project(r) for r in whole.records], label
