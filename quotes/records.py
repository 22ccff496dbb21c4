"""Records: the pydantic models the extractor emits.

Every span carries exact character offsets into the original input text:
``text[span.start:span.end] == span.text`` holds for every span of every record.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


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
