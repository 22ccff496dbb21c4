"""Records: the pydantic models the extractor emits.

Every span carries exact character offsets into the original input text:
``text[span.start:span.end] == span.text`` holds for every span of every record.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

import regex
from pydantic import BaseModel, ConfigDict, Field

from .lexicon import get_lexicon


class QuoteKind(str, Enum):
    """What a quoted span is."""

    direct = "direct"  # a whole utterance: a sentence or more in quote marks
    partial = "partial"  # a few words quoted inside reported speech
    not_speech = "not_speech"  # titles, scare quotes, nicknames: no speaker


class SpeakerType(str, Enum):
    person = "person"
    organization = "organization"
    anonymous = "anonymous"  # "un haut responsable américain", "a senior official"
    unknown = "unknown"


class Span(BaseModel):
    """A piece of the original text: ``text == original[start:end]``."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Cue(Span):
    """The reporting word: a speech verb ("déclaré", "said") or "selon"/"according to"."""

    lemma: str


class Speaker(BaseModel):
    """Who said it: the mention at this quote and the speaker it resolves to."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable per document: S1, S2, ... in order of first quote")
    name: str = Field(description="full name the mention resolves to")
    type: SpeakerType
    mention: Span = Field(description="the words at this quote: 'il', 'Austin', 'Lloyd Austin'")
    name_span: Optional[Span] = Field(
        default=None, description="where the full name was found (may be earlier in the text)"
    )


class QuoteRecord(BaseModel):
    """One quoted span of one document."""

    record: Literal["quote"] = "quote"
    doc_id: str
    index: int = Field(ge=0, description="position of the quote in the document, from 0")
    language: str
    text: str = Field(description="the quote's content, without the quote marks")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: QuoteKind
    speaker: Optional[Speaker] = None
    role: Optional[Span] = None
    cue: Optional[Cue] = None
    confidence: float = Field(ge=0.0, le=1.0)
    rule: str = Field(description="the attribution rule that produced speaker and cue")
    notes: list[str] = Field(default_factory=list, description="warnings, e.g. unbalanced marks")
    metadata: dict[str, str] = Field(default_factory=dict, description="article metadata (HTML input)")


class ErrorRecord(BaseModel):
    """Exactly one per document that could not be processed."""

    record: Literal["error"] = "error"
    doc_id: str
    source: str = Field(description="path, path:line, or <stdin>")
    error: str = Field(description="error kind, e.g. empty_text, invalid_utf8, malformed_json")
    message: str


class DocumentRecord(BaseModel):
    """One per input document with --documents: tells 'no quotes' from 'not processed'."""

    record: Literal["document"] = "document"
    doc_id: str
    source: str
    language: Optional[str] = None
    quotes: int = 0
    status: Literal["ok", "error"] = "ok"
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------- building records
LEADING_WORD = regex.compile(r"[\p{L}]++['’]|[\p{L}]++\s++")


def _span(text: str, span: tuple[int, int] | None, determiners: frozenset[str] = frozenset()) -> Optional[Span]:
    """The span as a record field; a leading determiner among ``determiners`` is left out."""
    if span is None or span[1] <= span[0]:
        return None
    start, end = span
    # a role is written without its article: « L’ancien député » → ancien député, "his chief of staff"
    m = LEADING_WORD.match(text, start, end)
    if m and m.group().strip().lower() in determiners and m.end() < end:
        start = m.end()
    return Span(text=text[start:end], start=start, end=end)


def build(doc, language: str, quotes: list, resolved: list) -> list[QuoteRecord]:
    """Stage 5: one QuoteRecord per quote span, from what resolution decided."""
    text = doc.text
    determiners = get_lexicon(language).determiners
    out = []
    for i, (q, r) in enumerate(zip(quotes, resolved)):
        f, entity = r.found, r.entity
        speaker = role = cue = None
        if entity is not None and r.mention is not None and f.kind != "not_speech":
            speaker = Speaker(id=entity.id, name=entity.name, type=SpeakerType(entity.type),
                              mention=_span(text, r.mention), name_span=_span(text, entity.name_span))
            role = _span(text, entity.role, determiners) if entity.type not in ("anonymous", "organization") else None
        if f.cue is not None and f.continues is None and f.kind != "not_speech":
            cue = Cue(text=text[f.cue.start:f.cue.end], start=f.cue.start, end=f.cue.end, lemma=f.cue_lemma)
        out.append(QuoteRecord(
            doc_id=doc.id, index=i, language=language, text=text[q.start:q.end], start=q.start, end=q.end,
            kind=QuoteKind(f.kind), speaker=speaker, role=role, cue=cue,
            confidence=round(min(1.0, max(0.0, r.confidence)), 3), rule=f.rule, notes=f.notes,
            metadata=dict(doc.metadata),
        ))
    return out
