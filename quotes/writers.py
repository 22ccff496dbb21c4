"""Outputs: quote, error and document records as JSON Lines or CSV.

    with open("out.jsonl", "w", encoding="utf-8") as f:
        writer = JsonlWriter(f)
        writer.write_document([record, ...])   # one document's records, then flushed

Each document's records are written in one piece and flushed, so a run that is interrupted
leaves whole lines (at worst one partial last line, which ``prepare_resume`` removes).
"""
from __future__ import annotations

import csv
import json
import os
from typing import IO, Iterable, Union

from pydantic import BaseModel

from .records import DocumentRecord, ErrorRecord, QuoteRecord

AnyRecord = Union[QuoteRecord, ErrorRecord, DocumentRecord]
FORMATS = ("jsonl", "csv")

CSV_COLUMNS = [
    "record", "doc_id", "index", "language", "kind", "text", "start", "end",
    "speaker_id", "speaker_name", "speaker_type", "mention", "mention_start", "mention_end",
    "role", "role_start", "role_end", "cue", "cue_lemma", "cue_start", "cue_end",
    "confidence", "rule", "notes",
    # error and document records
    "source", "error", "message", "quotes", "status",
]


class JsonlWriter:
    """One JSON object per line (``model_dump(mode="json")``), UTF-8, not ASCII-escaped."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    @staticmethod
    def line(record: BaseModel) -> str:
        return json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n"

    def write_document(self, records: Iterable[BaseModel]) -> None:
        self.stream.write("".join(self.line(r) for r in records))
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class CsvWriter:
    """Flat rows, one per record, with the columns of ``CSV_COLUMNS`` (header first)."""

    def __init__(self, stream: IO[str], header: bool = True):
        self.stream = stream
        self.writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="raise")
        if header:
            self.writer.writeheader()
            self.stream.flush()

    def write_document(self, records: Iterable[BaseModel]) -> None:
        self.writer.writerows(csv_row(r) for r in records)
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def make_writer(fmt: str, stream: IO[str], header: bool = True) -> JsonlWriter | CsvWriter:
    if fmt == "jsonl":
        return JsonlWriter(stream)
    if fmt == "csv":
        return CsvWriter(stream, header=header)
    raise ValueError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")


def csv_row(record: BaseModel) -> dict[str, object]:
    """The flat CSV row of a record; empty cells for what the record does not have."""
    row: dict[str, object] = {c: "" for c in CSV_COLUMNS}
    row["record"] = record.record
    row["doc_id"] = record.doc_id
    if isinstance(record, QuoteRecord):
        row.update(index=record.index, language=record.language, kind=record.kind.value, text=record.text,
                   start=record.start, end=record.end, confidence=record.confidence, rule=record.rule,
                   notes="; ".join(record.notes))
        if record.speaker is not None:
            s = record.speaker
            row.update(speaker_id=s.id, speaker_name=s.name, speaker_type=s.type.value, mention=s.mention.text,
                       mention_start=s.mention.start, mention_end=s.mention.end)
        if record.role is not None:
            row.update(role=record.role.text, role_start=record.role.start, role_end=record.role.end)
        if record.cue is not None:
            row.update(cue=record.cue.text, cue_lemma=record.cue.lemma, cue_start=record.cue.start,
                       cue_end=record.cue.end)
    elif isinstance(record, ErrorRecord):
        row.update(source=record.source, error=record.error, message=record.message, status="error")
    elif isinstance(record, DocumentRecord):
        row.update(source=record.source, language=record.language or "", quotes=record.quotes,
                   status=record.status, notes="; ".join(record.notes))
    else:
        raise TypeError(f"not a quotes record: {type(record).__name__}")
    return row


def prepare_resume(path: str) -> set[str]:
    """Ready a JSONL output file for ``--resume``; returns the ids of the documents it holds.

    A partial last line (an interrupted write) is cut off. The records of the last document in
    the file are cut off too, since that document may be incomplete: it is processed again.
    Reads the file line by line (constant memory apart from the set of ids).
    """
    ids: set[str] = set()
    last_id: str | None = None
    last_start = 0  # offset where the records of the last document begin
    good_end = 0  # offset after the last whole, valid line
    with open(path, "rb") as f:
        offset = 0
        for number, line in enumerate(f, 1):
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                break  # interrupted in the middle of a line
            if not line.strip():
                good_end = offset
                continue
            try:
                doc_id = json.loads(line)["doc_id"]
            except (ValueError, KeyError, TypeError):
                raise ValueError(f"{path}:{number} is not a quotes record: cannot resume into this file") from None
            doc_id = str(doc_id)
            if doc_id != last_id:
                if last_id is not None:
                    ids.add(last_id)
                last_id, last_start = doc_id, start
            good_end = offset
    # a last id already seen earlier (duplicate ids in the input) stays: it will be skipped
    cut = last_start if last_id is not None and last_id not in ids else good_end
    if os.path.getsize(path) != cut:
        with open(path, "r+b") as f:
            f.truncate(cut)
    return ids
