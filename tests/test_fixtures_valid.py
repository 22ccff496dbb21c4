"""The gold fixtures under fixtures/ are well formed (see docs/fixtures.md).

Checks every fixture file: required fields and allowed values, unique labels equal to file
names, exact span offsets, records in text order without overlap, not_speech records without
speaker/role/cue, seed texts byte-identical to seeds/*.txt, and the coverage of the set.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"

LANGS = {"fr", "en"}
KINDS = {"direct", "partial", "not_speech"}
SPEAKER_TYPES = {"person", "organization", "anonymous"}
CONSTRUCTIONS = {
    "seed", "guillemets", "curly-quotes", "straight-quotes", "nested", "multi-paragraph",
    "unbalanced", "partial", "not-speech", "cue-after-inverted", "cue-after-pronoun",
    "cue-before-colon", "incise", "selon", "running-speaker", "organization", "anonymous",
    "pronoun-chain", "short-name", "alternating-speakers", "role-apposition", "role-modifier",
    "no-quote",
}
TOP_KEYS = {"label", "lang", "construction", "comment", "expected_failure", "text", "expected"}
RECORD_KEYS = {"text", "start", "end", "kind", "speaker", "role", "cue"}
SPEAKER_KEYS = {"name", "type", "mention"}
SPAN_KEYS = {"text", "start", "end"}
CUE_KEYS = SPAN_KEYS | {"lemma"}
MIN_PER_LANG = 34
# Known failures are marked, never deleted; at most half of a language's documents may be.
MAX_EXPECTED_FAILURE_SHARE = 0.5


def _fixture_paths() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.json") if "tools" not in p.relative_to(FIXTURES).parts)


PATHS = _fixture_paths()


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _ids(paths):
    return [str(p.relative_to(FIXTURES)) for p in paths]


def test_fixtures_exist():
    assert PATHS, "no fixture found under fixtures/"


def test_labels_unique_and_equal_file_names():
    labels = Counter()
    for path in PATHS:
        fx = _load(path)
        assert fx.get("label") == path.stem, f"{path}: label {fx.get('label')!r} != file name {path.stem!r}"
        labels[fx["label"]] += 1
    dupes = [label for label, n in labels.items() if n > 1]
    assert not dupes, f"duplicate labels: {dupes}"


def _check_span(doc: str, span, where: str, keys: set[str]) -> None:
    assert isinstance(span, dict), f"{where}: must be an object"
    assert set(span) == keys, f"{where}: keys {sorted(span)} != {sorted(keys)}"
    text, start, end = span["text"], span["start"], span["end"]
    assert isinstance(text, str) and text, f"{where}: text must be a non-empty string"
    for name, value in (("start", start), ("end", end)):
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {name} must be an int"
    assert 0 <= start < end <= len(doc), f"{where}: bad offsets {start}:{end} (len {len(doc)})"
    assert doc[start:end] == text, f"{where}: text[{start}:{end}] == {doc[start:end]!r} != {text!r}"


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_fixture_is_valid(path: Path):
    fx = _load(path)
    assert isinstance(fx, dict), "a fixture is a JSON object"
    assert set(fx) == TOP_KEYS, f"top-level keys {sorted(fx)} != {sorted(TOP_KEYS)}"

    assert fx["lang"] in LANGS
    assert fx["construction"] in CONSTRUCTIONS
    assert isinstance(fx["comment"], str) and fx["comment"].strip()
    ef = fx["expected_failure"]
    assert ef is None or (isinstance(ef, str) and ef.strip()), "expected_failure: null or a reason"
    doc = fx["text"]
    assert isinstance(doc, str) and doc.strip(), "text must be a non-empty string"
    assert isinstance(fx["expected"], list)

    folder = path.parent.name
    if folder == "seeds":
        assert fx["construction"] == "seed"
    else:
        assert folder == fx["lang"], f"fixture in {folder}/ has lang {fx['lang']!r}"
        assert fx["construction"] != "seed"
        prefix = f"{fx['lang']}-{fx['construction']}-"
        assert fx["label"].startswith(prefix), f"label should start with {prefix!r}"
        assert fx["label"][len(prefix):].isdigit(), "label should end with a number"
    if fx["construction"] == "no-quote":
        assert fx["expected"] == [], "a no-quote fixture expects nothing"

    previous_end = -1
    for i, rec in enumerate(fx["expected"]):
        where = f"expected[{i}]"
        assert isinstance(rec, dict), f"{where}: must be an object"
        assert set(rec) == RECORD_KEYS, f"{where}: keys {sorted(rec)} != {sorted(RECORD_KEYS)}"
        _check_span(doc, {k: rec[k] for k in SPAN_KEYS}, where, SPAN_KEYS)
        assert rec["text"] == rec["text"].strip(" \t\u00a0\u202f\u2009"), (
            f"{where}: quote text must not include the spaces just inside the marks"
        )
        assert rec["start"] >= previous_end, f"{where}: out of text order or overlapping the previous quote"
        previous_end = rec["end"]

        assert rec["kind"] in KINDS, f"{where}: kind {rec['kind']!r}"
        if rec["kind"] == "not_speech":
            assert rec["speaker"] is None, f"{where}: not_speech has no speaker"
            assert rec["role"] is None, f"{where}: not_speech has no role"
            assert rec["cue"] is None, f"{where}: not_speech has no cue"
            continue

        speaker = rec["speaker"]
        if speaker is None:
            assert rec["role"] is None, f"{where}: a role needs a speaker"
        else:
            assert isinstance(speaker, dict) and set(speaker) == SPEAKER_KEYS, f"{where}.speaker: keys"
            assert isinstance(speaker["name"], str) and speaker["name"].strip(), f"{where}.speaker.name"
            assert speaker["type"] in SPEAKER_TYPES, f"{where}.speaker.type {speaker['type']!r}"
            _check_span(doc, speaker["mention"], f"{where}.speaker.mention", SPAN_KEYS)
            if speaker["type"] == "anonymous":
                assert rec["role"] is None, f"{where}: anonymous sources have no role"
        if rec["role"] is not None:
            _check_span(doc, rec["role"], f"{where}.role", SPAN_KEYS)
        cue = rec["cue"]
        if cue is not None:
            _check_span(doc, cue, f"{where}.cue", CUE_KEYS)
            assert not any(c.isspace() for c in cue["text"]), f"{where}.cue: a single token"
            assert isinstance(cue["lemma"], str) and cue["lemma"].strip(), f"{where}.cue.lemma"


def test_seed_texts_are_byte_exact():
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds, "no seed article"
    for txt in seeds:
        path = FIXTURES / "seeds" / f"{txt.stem}.json"
        assert path.exists(), f"missing seed fixture {path}"
        with txt.open(encoding="utf-8", newline="") as fh:
            original = fh.read()
        assert _load(path)["text"] == original, f"{path}: text differs from {txt}"


def test_coverage_per_language():
    by_lang: dict[str, Counter] = {lang: Counter() for lang in LANGS}
    failures = Counter()
    for path in PATHS:
        fx = _load(path)
        if fx["construction"] == "seed":
            continue
        by_lang[fx["lang"]][fx["construction"]] += 1
        if fx["expected_failure"]:
            failures[fx["lang"]] += 1
    for lang, counts in by_lang.items():
        assert sum(counts.values()) >= MIN_PER_LANG, f"{lang}: only {sum(counts.values())} fixtures"
        missing = sorted(CONSTRUCTIONS - {"seed"} - set(counts))
        assert not missing, f"{lang}: constructions without a fixture: {missing}"
        assert failures[lang] <= MAX_EXPECTED_FAILURE_SHARE * sum(counts.values()), f"{lang}: too many expected failures"
