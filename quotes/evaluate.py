"""Scoring the extractor against annotated documents in the fixtures' format
(docs/fixtures.md): a .json fixture, a folder of them, or a .jsonl with one fixture a line.

Metrics: quote-span precision/recall/F1 (exact offsets, and overlap), speaker accuracy on the
gold quotes found, end-to-end F1 (span overlaps and speaker right), role, cue and kind
accuracy, with a breakdown per construction."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from .extractor import Document, Extractor


def load_fixtures(paths: Iterable[str | Path]) -> list[dict]:
    fixtures = []
    for path in map(Path, paths):
        if path.is_dir():
            fixtures += load_fixtures(sorted(p for p in path.rglob("*.json") if "tools" not in p.parts))
        elif path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as fh:
                fixtures += [json.loads(line) for line in fh if line.strip()]
        elif path.suffix == ".json":
            fixtures.append(json.loads(path.read_text("utf-8")))
        else:
            raise ValueError(f"{path}: expected a .json fixture, a .jsonl file or a folder")
    return fixtures


def _norm(s: str | None) -> str:
    return " ".join((s or "").replace("’", "'").split()).casefold()


def _speaker(rec: dict | None) -> str:
    return _norm(rec["name"]) if rec else ""


def _role(rec: dict | None) -> str:
    return _norm(rec["text"]) if rec else ""


def _cue(rec: dict | None) -> str:
    return _norm(rec["lemma"]) if rec else ""


def _match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, greedily by largest overlap."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


class Counts(defaultdict):
    def __init__(self):
        super().__init__(int)

    def add_document(self, gold: list[dict], pred: list[dict]) -> None:
        self["gold"] += len(gold)
        self["pred"] += len(pred)
        self["documents"] += 1
        pairs = _match(gold, pred)
        self["overlap"] += len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            self["exact"] += (g["start"], g["end"]) == (p["start"], p["end"])
            speaker_ok = _speaker(g.get("speaker")) == _speaker(p.get("speaker"))
            self["speaker_ok"] += speaker_ok
            self["role_ok"] += _role(g.get("role")) == _role(p.get("role"))
            self["cue_ok"] += _cue(g.get("cue")) == _cue(p.get("cue"))
            self["kind_ok"] += g["kind"] == p["kind"]
            self["end_to_end"] += speaker_ok

    def metrics(self) -> dict:
        def prf(tp: int) -> dict:
            p = tp / self["pred"] if self["pred"] else (1.0 if not self["gold"] else 0.0)
            r = tp / self["gold"] if self["gold"] else 1.0
            return {"precision": round(p, 4), "recall": round(r, 4),
                    "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

        matched = self["overlap"]
        acc = lambda k: round(self[k] / matched, 4) if matched else 1.0  # noqa: E731
        return {
            "documents": self["documents"], "gold_quotes": self["gold"], "predicted_quotes": self["pred"],
            "span_exact": prf(self["exact"]), "span_overlap": prf(self["overlap"]),
            "speaker_accuracy": acc("speaker_ok"), "role_accuracy": acc("role_ok"),
            "cue_accuracy": acc("cue_ok"), "kind_accuracy": acc("kind_ok"),
            "end_to_end": prf(self["end_to_end"]),
        }


def evaluate(fixtures: list[dict], extractor: Extractor) -> dict:
    docs = [Document(f["label"], f["text"], source=f["label"], lang=f.get("lang")) for f in fixtures]
    total, by_construction, by_language, failures = Counts(), defaultdict(Counts), defaultdict(Counts), []
    expected_failures = Counts()
    for fixture, result in zip(fixtures, extractor.extract_many(docs)):
        pred = [r.model_dump(mode="json") for r in result.records]
        gold = fixture["expected"]
        total.add_document(gold, pred)
        by_construction[fixture.get("construction", "?")].add_document(gold, pred)
        by_language[fixture.get("lang", "?")].add_document(gold, pred)
        if fixture.get("expected_failure"):
            expected_failures.add_document(gold, pred)
        if result.error is not None:
            failures.append({"label": fixture["label"], "error": result.error.message})
    return {
        "overall": total.metrics(),
        "by_language": {k: v.metrics() for k, v in sorted(by_language.items())},
        "by_construction": {k: v.metrics() for k, v in sorted(by_construction.items())},
        "expected_failures": sum(1 for f in fixtures if f.get("expected_failure")),
        "errors": failures,
    }


def evaluate_paths(paths: list[str], extractor: Extractor) -> dict:
    return evaluate(load_fixtures(paths), extractor)


def format_report(report: dict, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    o = report["overall"]
    lines = [
        f"documents {o['documents']}, gold quotes {o['gold_quotes']}, predicted {o['predicted_quotes']}"
        f" ({report['expected_failures']} documents marked expected-to-fail)",
        f"span F1 exact {o['span_exact']['f1']:.3f}  overlap {o['span_overlap']['f1']:.3f}"
        f"  (P {o['span_overlap']['precision']:.3f} R {o['span_overlap']['recall']:.3f})",
        f"speaker accuracy {o['speaker_accuracy']:.3f}  end-to-end F1 {o['end_to_end']['f1']:.3f}",
        f"role accuracy {o['role_accuracy']:.3f}  cue accuracy {o['cue_accuracy']:.3f}  kind accuracy {o['kind_accuracy']:.3f}",
        "",
        f"{'':24} {'docs':>5} {'gold':>5} {'spanF1':>7} {'exactF1':>7} {'speaker':>7} {'e2eF1':>6} {'role':>6} {'cue':>6}",
    ]
    for group in ("by_language", "by_construction"):
        for name, m in report[group].items():
            lines.append(
                f"{name:24} {m['documents']:5} {m['gold_quotes']:5} {m['span_overlap']['f1']:7.3f} "
                f"{m['span_exact']['f1']:7.3f} {m['speaker_accuracy']:7.3f} {m['end_to_end']['f1']:6.3f} "
                f"{m['role_accuracy']:6.3f} {m['cue_accuracy']:6.3f}"
            )
        lines.append("")
    for e in report["errors"]:
        lines.append(f"error on {e['label']}: {e['error']}")
    return "\n".join(lines).rstrip() + "\n"
