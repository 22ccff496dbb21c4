"""The orchestration: text → quote spans → frames parsed → attribution → resolution → records.

    from quotes import Extractor
    ex = Extractor()                      # loads the shipped models once, lazily per language
    records = ex.extract(text, lang="fr", doc_id="a1")
    for result in ex.extract_many(documents):   # batches the parser across documents
        ...
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

from . import attribution, frames, language, parsing, records, resolution, spans
from .lexicon import SUPPORTED_LANGUAGES, UnsupportedLanguage, get_lexicon
from .records import ErrorRecord, QuoteRecord


@dataclass
class Document:
    """One input document. ``source`` says where it came from (path, path:line, <stdin>)."""

    id: str
    text: str
    source: str = "<string>"
    lang: str | None = None  # None or "auto": detected
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    """What one document gave: its quote records, or exactly one error record."""

    document: Document
    records: list[QuoteRecord] = field(default_factory=list)
    error: ErrorRecord | None = None
    language: str | None = None


class ExtractionError(ValueError):
    """A document cannot be processed; ``kind`` is the error record's error kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class _Prepared:
    doc: Document
    lang: str
    lex: object
    quotes: list
    masked: object = None
    sentences: list = field(default_factory=list)
    to_parse: list = field(default_factory=list)
    parsed: dict = field(default_factory=dict)
    found: list = field(default_factory=list)


class Extractor:
    """Finds every direct quote of a document with its speaker, role and cue.

    lang: "fr", "en" or "auto" (detected per document, offline).
    models: "shipped" (default, inside the package), "official" (stanza's, downloaded by
    ``quotes models download``) or a folder of retrained models (``<folder>/<lang>/manifest.json``).
    whole_document: parse every sentence of every document instead of only the sentences
    around quotes (the slow baseline; same records). jobs: processes for ``extract_many``.
    threads: torch threads per process (default 1: several OpenMP threads collapse as soon as
    another process wants a core; use ``jobs`` for more cores; None leaves torch's default).
    """

    def __init__(self, lang: str = "auto", *, models: str = "shipped", whole_document: bool = False,
                 jobs: int = 1, batch_size: int = 64, threads: int | None = 1):
        if lang not in (*SUPPORTED_LANGUAGES, "auto"):
            raise UnsupportedLanguage(lang)
        self.lang = lang
        self.models = models
        self.whole_document = whole_document
        self.jobs = max(1, jobs)
        self.batch_size = batch_size
        self.threads = threads
        self._parsers: dict = {}
        self._pool = None  # worker processes for jobs > 1, started on first use

    def close(self) -> None:
        """Stop the worker processes of ``jobs > 1`` (they also stop at exit)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _worker_pool(self):
        if self._pool is None:
            from .parallel import start_pool

            self._pool = start_pool(self)
        return self._pool

    # ------------------------------------------------------------------ public API
    def extract(self, text: str, lang: str | None = None, doc_id: str = "doc") -> list[QuoteRecord]:
        """Quote records of one text; raises ExtractionError for text that cannot be read."""
        result = next(iter(self._run([Document(doc_id, text, lang=lang)])))
        if result.error:
            raise ExtractionError(result.error.error, result.error.message)
        return result.records

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Result]:
        """Results in input order, one per document; bad documents give an error record."""
        if self.jobs > 1:
            from .parallel import run_parallel

            yield from run_parallel(self, documents)
            return
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    # ------------------------------------------------------------------ pipeline
    def parser(self, lang: str):
        if lang not in self._parsers:
            from .parsing import Parser

            self._parsers[lang] = Parser(lang, models=self.models, threads=self.threads)
        return self._parsers[lang]

    def _run(self, docs: Sequence[Document]) -> list[Result]:
        results: list[Result] = [Result(d) for d in docs]
        prepared: list[tuple[int, _Prepared]] = []
        for i, doc in enumerate(docs):
            try:
                prepared.append((i, self._prepare(doc)))
            except ExtractionError as exc:
                results[i].error = ErrorRecord(doc_id=doc.id, source=doc.source, error=exc.kind, message=str(exc))
            except UnsupportedLanguage as exc:
                results[i].error = ErrorRecord(doc_id=doc.id, source=doc.source, error="unsupported_language",
                                               message=str(exc))
        # the sentences that touch a quote, of all documents of a language in one batch
        self._parse(prepared)
        for i, p in prepared:
            self._attribute(p, results[i])
        # the sentence before a quote, only where the quote's own sentences named no speaker
        for _, p in prepared:
            p.to_parse = frames.previous_of(p.sentences, attribution.wanting_previous_sentence(
                p.doc.text, p.quotes, p.found), p.parsed) if p.found else []
        self._parse(prepared)
        for i, p in prepared:
            if p.to_parse:
                self._attribute(p, results[i])
        for i, p in prepared:
            results[i].language = p.lang
            if results[i].error is None:
                self._records(p, results[i])
        return results

    def _parse(self, prepared: list[tuple[int, _Prepared]]) -> None:
        """Parse the ``to_parse`` sentences of every document, one batch per language."""
        for lang in sorted({p.lang for _, p in prepared}):
            group = [p for _, p in prepared if p.lang == lang and p.to_parse]
            if not group:
                continue
            parser = self.parser(lang)
            if not self.whole_document:
                for p in group:
                    self._skip_unframed(p, parser)
            batch = [(p.masked, p.sentences[k]) for p in group for k in p.to_parse]
            parsed = iter(parser.parse(batch))
            for p in group:
                p.parsed.update({k: next(parsed) for k in p.to_parse})

    @staticmethod
    def _skip_unframed(p: _Prepared, parser) -> None:
        """Sentences in which no rule could find a frame (no cue, colon or « selon »: « toutes
        « les traces » seront perdues ») are not parsed: they only keep their place."""
        keep = []
        for k in p.to_parse:
            fs = p.sentences[k]
            if fs.cut or attribution.may_frame(fs.text, p.lex, parser.cue_forms):
                keep.append(k)
            else:
                p.parsed[k] = parsing.unparsed(p.masked, fs)
        p.to_parse = keep

    def _prepare(self, doc: Document) -> _Prepared:
        text = doc.text
        if not isinstance(text, str):
            raise ExtractionError("invalid_text", f"text must be a string, not {type(text).__name__}")
        if not text.strip():
            raise ExtractionError("empty_text", "the document has no text")
        if "\x00" in text:
            raise ExtractionError("binary_content", "the document contains NUL bytes: binary, not text")
        lang = doc.lang if doc.lang not in (None, "auto") else self.lang
        if lang == "auto":
            lang = language.detect(text)
        lex = get_lexicon(lang)  # raises UnsupportedLanguage for an unknown code
        quotes = spans.find_quotes(text)
        p = _Prepared(doc, lang, lex, quotes)
        # no quote mark, no parse (the whole-document baseline parses everything, as a naive
        # pipeline would: parse the article, then look for quotes)
        if quotes or self.whole_document:
            p.masked = frames.mask(text, quotes, lex)
            p.sentences = frames.split_sentences(p.masked, quotes)
            p.to_parse = frames.select(p.sentences, whole=self.whole_document)
        return p

    def _attribute(self, p: _Prepared, result: Result) -> None:
        if not p.quotes or result.error:
            return
        try:
            parsed = [p.parsed[k] for k in sorted(p.parsed)]
            p.found = attribution.attribute(p.doc.text, p.quotes, parsed, p.lex)
        except Exception as exc:  # a bug must cost one document, never the run
            result.error = _internal_error(p.doc, exc)

    def _records(self, p: _Prepared, result: Result) -> None:
        if not p.quotes:
            return
        try:
            resolved = resolution.resolve(p.doc.text, p.found, p.lex)
            result.records = records.build(p.doc, p.lang, p.quotes, resolved)
        except Exception as exc:  # a bug must cost one document, never the run
            result.error = _internal_error(p.doc, exc)


def _internal_error(doc: Document, exc: Exception) -> ErrorRecord:
    return ErrorRecord(doc_id=doc.id, source=doc.source, error="internal_error",
                       message=f"{type(exc).__name__}: {exc}")


@lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    return Extractor()


def extract(text: str, lang: str = "auto", doc_id: str = "doc") -> list[QuoteRecord]:
    """One call: quote records of one text (the models load on first use, once)."""
    return _default_extractor().extract(text, lang=lang, doc_id=doc_id)
