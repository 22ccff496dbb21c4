"""Shared fixtures: one extractor for the whole session (the models load once), and the gold
documents of fixtures/ with their extraction results, computed once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def gold_documents() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(FIXTURES.rglob("*.json")) if "tools" not in p.parts]


@pytest.fixture(scope="session")
def extractor():
    from quotes import Extractor

    return Extractor()


def _run(extractor, docs, whole=False):
    from quotes import Document

    extractor.whole_document = whole
    try:
        results = list(extractor.extract_many(Document(d["label"], d["text"], lang=d["lang"]) for d in docs))
    finally:
        extractor.whole_document = False
    return {d["label"]: r for d, r in zip(docs, results)}


@pytest.fixture(scope="session")
def fixture_results(extractor):
    """label -> Result, on the fast path (frames only)."""
    return _run(extractor, gold_documents())


@pytest.fixture(scope="session")
def whole_document_results(extractor):
    """label -> Result, parsing whole documents."""
    return _run(extractor, gold_documents(), whole=True)


def project(record) -> dict:
    """A QuoteRecord in the fixtures' format, for whole-record comparison."""
    d = record.model_dump(mode="json")
    speaker = d["speaker"]
    return {
        "text": d["text"], "start": d["start"], "end": d["end"], "kind": d["kind"],
        "speaker": None if speaker is None else {
            "name": speaker["name"], "type": speaker["type"], "mention": speaker["mention"],
        },
        "role": d["role"],
        "cue": d["cue"],
    }
