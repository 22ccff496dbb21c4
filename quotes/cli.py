"""The ``quotes`` command: a thin click layer over readers, Extractor and writers.

Library errors become one-line messages (exit code 1), usage errors exit with code 2.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import re
import sys
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import click

from . import __version__
from .extractor import Document, ExtractionError, Extractor, Result
from .lexicon import SUPPORTED_LANGUAGES, UnsupportedLanguage
from .models.store import MODEL_SOURCES, ModelError
from .readers import ENCODING_ERRORS, InputError, Item, ReadOptions, check_html_support, read_inputs
from .records import DocumentRecord, ErrorRecord, QuoteRecord
from .writers import FORMATS, make_writer, prepare_resume

LANG_CHOICES = (*SUPPORTED_LANGUAGES, "auto")
PROGRESS_AFTER = 20  # documents before a progress counter appears (terminal only)
PROGRESS_EVERY = 10


# ---------------------------------------------------------------------- shared helpers
@contextmanager
def clean_errors():
    """Library errors as one-line click errors, never tracebacks."""
    try:
        yield
    except BrokenPipeError:  # quotes extract ... | head: stop quietly
        _silence_stdout()
        raise click.exceptions.Exit(1) from None
    except (UnsupportedLanguage, ModelError, ExtractionError, InputError) as exc:
        raise click.ClickException(_one_line(exc)) from None
    except OSError as exc:
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        raise click.ClickException(f"{exc.strerror or _one_line(exc)}{where}") from None


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that the final flush does not fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _lazy(module: str, what: str):
    """Import a module written elsewhere in the project, with a clean error when it is absent."""
    try:
        return importlib.import_module(f"quotes.{module}")
    except ImportError as exc:
        raise click.ClickException(f"{what} is not available in this installation (quotes.{module}: {exc})") from None


def input_options(command):
    """The options that say how inputs are read (shared by extract and review)."""
    options = [
        click.option("--lang", type=click.Choice(LANG_CHOICES), default="auto", show_default=True,
                     help="Language of the documents; 'auto' detects it per document."),
        click.option("--id-field", default="id", show_default=True, help="JSONL field holding the document id."),
        click.option("--text-field", default="text", show_default=True, help="JSONL field holding the text."),
        click.option("--lang-field", default=None, help="JSONL field holding the language (overrides --lang)."),
        click.option("--html", is_flag=True, help="JSONL text fields and standard input hold HTML pages "
                                                  "(.html/.htm files always do)."),
        click.option("--encoding-errors", type=click.Choice(ENCODING_ERRORS), default="strict", show_default=True,
                     help="strict: invalid UTF-8 gives an invalid_utf8 error record; "
                          "replace: decode with U+FFFD and process."),
        MODELS_OPTION,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _models_value(ctx, param, value: str) -> str:
    if value in MODEL_SOURCES or Path(value).is_dir():
        return value
    raise click.BadParameter(f"{value!r} is neither {' nor '.join(MODEL_SOURCES)} nor a folder of models")


MODELS_OPTION = click.option(
    "--models", default="shipped", show_default=True, callback=_models_value,
    help="Parser models: 'shipped' with quotes, 'official' (stanza's, after `quotes models download`), "
         "or a folder of retrained models (FOLDER/<lang>/manifest.json).")


def _read_options(kw: dict) -> ReadOptions:
    if kw.get("html"):
        check_html_support()
    return ReadOptions(id_field=kw["id_field"], text_field=kw["text_field"], lang_field=kw["lang_field"],
                       html=kw["html"], encoding_errors=kw["encoding_errors"])


def _extractor(lang: str, models: str, whole_document: bool = False, jobs: int = 1) -> Extractor:
    if jobs > 1 and importlib.util.find_spec("quotes.parallel") is None:
        raise click.UsageError("--jobs above 1 is not available in this installation (no quotes.parallel)")
    return Extractor(lang, models=models, whole_document=whole_document, jobs=jobs)


def results(extractor: Extractor, items: Iterable[Item]) -> Iterator[Result]:
    """One Result per input item, in input order: reader errors interleaved with extraction."""
    pending: deque[Item] = deque()

    def documents() -> Iterator[Document]:
        for item in items:
            pending.append(item)
            if isinstance(item, Document):
                yield item

    for result in extractor.extract_many(documents()):
        while isinstance(pending[0], ErrorRecord):
            yield _failed(pending.popleft())
        pending.popleft()  # the document of this result
        yield result
    while pending:
        yield _failed(pending.popleft())


def _failed(error: ErrorRecord) -> Result:
    return Result(Document(error.doc_id, "", source=error.source), error=error)


def _records(result: Result, documents: bool) -> list:
    out: list = []
    if documents:
        out.append(DocumentRecord(
            doc_id=result.document.id, source=result.document.source, language=result.language,
            quotes=len(result.records), status="error" if result.error else "ok",
            notes=[result.error.error] if result.error else []))
    out.extend([result.error] if result.error else result.records)
    return out


def _item_id(item: Item) -> str:
    return item.id if isinstance(item, Document) else item.doc_id


def safe_text_path(folder: Path, doc_id: str) -> Path:
    """DIR/<doc_id>.txt with the id made a safe file name (a hash is added when it had to change)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", doc_id).strip("._-")[:120] or "doc"
    if name != doc_id:
        name += "-" + hashlib.sha1(doc_id.encode("utf-8", "replace")).hexdigest()[:10]
    path = folder / f"{name}.txt"
    if path.resolve().parent != folder.resolve():  # cannot happen with the name above; checked anyway
        raise click.ClickException(f"unsafe document id {doc_id!r} for --write-text")
    return path


def _binary(stream):
    """The byte stream under a text stream (sys.stdin, sys.stdout; also under click's CliRunner)."""
    return getattr(stream, "buffer", stream)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Summary:
    documents: int = 0
    with_quotes: int = 0
    quotes: int = 0
    errors: int = 0
    skipped: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        self.documents += 1
        if result.error:
            self.errors += 1
            self.error_kinds[result.error.error] = self.error_kinds.get(result.error.error, 0) + 1
        elif result.records:
            self.with_quotes += 1
            self.quotes += len(result.records)

    def line(self) -> str:
        text = (f"documents read: {self.documents}, with quotes: {self.with_quotes}, "
                f"quotes: {self.quotes}, errors: {self.errors}")
        if self.error_kinds:
            text += " (" + ", ".join(f"{k}: {n}" for k, n in sorted(self.error_kinds.items())) + ")"
        if self.skipped:
            text += f", skipped (already in the output): {self.skipped}"
        return text


class _Progress:
    """A document counter on stderr, only when stderr is a terminal and there are many documents."""

    def __init__(self) -> None:
        self.on = _isatty(sys.stderr)
        self.shown = False

    def update(self, n: int) -> None:
        if self.on and n >= PROGRESS_AFTER and n % PROGRESS_EVERY == 0:
            click.echo(f"\r{n} documents…", err=True, nl=False)
            self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


@contextmanager
def _output(path: str | None, append: bool):
    """The output as UTF-8 text: the file, or standard output."""
    if path is None:
        sys.stdout.flush()
        stream = io.TextIOWrapper(_binary(sys.stdout), encoding="utf-8", newline="",
                                  write_through=True)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
    else:
        with open(path, "a" if append else "w", encoding="utf-8", newline="") as stream:
            yield stream


# ---------------------------------------------------------------------- commands
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quotes")
def main():
    """Direct quotes in French and English news, with speaker, role, cue and exact offsets.

    \b
    Example:
      quotes extract articles/ -o quotes.jsonl
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: csv for an -o ending in .csv, else jsonl).")
@input_options
@click.option("--documents", is_flag=True, help="Also write one document record per input document.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first error record (exit code 1).")
@click.option("--resume", is_flag=True, help="Skip documents already in the -o JSONL file and append to it "
                                             "(its last document is redone, in case it was cut short).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option("--whole-document", is_flag=True, help="Parse every sentence of every document, not only those around quotes (slow; same records).")
@click.option("--write-text", type=click.Path(file_okay=False),
              help="Write each document's text (the one offsets point into) as DIR/<doc_id>.txt "
                   "(ids made safe file names).")
def extract(paths, output, fmt, documents, fail_fast, resume, jobs, whole_document, write_text, **inputs):
    """Extract the quotes of PATH... (files, folders, or - for standard input).

    Inputs: .txt files, .jsonl files (one article per line), .html/.htm pages, folders of
    them (recursively), or - (JSONL if it starts with '{', else one text). Quote records and
    error records are written in input order, one JSON object per line (or CSV rows); a
    summary goes to stderr.

    Error kinds: empty_text, binary_content, invalid_utf8, malformed_json, missing_text,
    invalid_text, unreadable_file, symlink_outside, unsupported_language, html_no_text,
    internal_error. With --resume (needs -o to an existing JSONL file), documents whose id is
    already in that file are skipped and the new records appended.

    Exit codes: 0 every document processed; 1 finished with error records, stopped by
    --fail-fast, or a run-level error (missing models...); 2 usage error.

    \b
    Example:
      quotes extract articles/ news.jsonl -o quotes.jsonl --documents
      cat article.txt | quotes extract - --lang fr --format csv
    """
    fmt = fmt or ("csv" if output and output.lower().endswith(".csv") else "jsonl")
    with clean_errors():
        code = _extract(paths, output, fmt, documents, fail_fast, resume, jobs, whole_document, write_text, inputs)
    click.get_current_context().exit(code)


def _extract(paths, output, fmt, documents, fail_fast, resume, jobs, whole_document, write_text, inputs) -> int:
    options = _read_options(inputs)
    extractor = _extractor(inputs["lang"], inputs["models"], whole_document, jobs)
    skip = _resume_ids(output, fmt) if resume else set()
    text_dir = Path(write_text) if write_text else None
    if text_dir:
        text_dir.mkdir(parents=True, exist_ok=True)
    summary, progress = Summary(), _Progress()
    items = read_inputs(paths, options, stdin=_binary(sys.stdin))
    if skip:
        items = _skipping(items, skip, summary)
    try:
        with _output(output, append=resume) as stream:
            writer = make_writer(fmt, stream, header=not resume)
            for result in results(extractor, items):
                writer.write_document(_records(result, documents))
                if text_dir and result.document.text:
                    safe_text_path(text_dir, result.document.id).write_bytes(result.document.text.encode("utf-8"))
                summary.add(result)
                progress.update(summary.documents)
                if fail_fast and result.error:
                    break
    finally:
        extractor.close()  # --fail-fast may leave the workers of --jobs busy: stop them
        progress.close()
        click.echo(summary.line(), err=True)
    return 1 if summary.errors else 0


def _resume_ids(output: str | None, fmt: str) -> set[str]:
    if not output or fmt != "jsonl":
        raise click.UsageError("--resume needs -o with an existing JSONL output file")
    if not Path(output).is_file():
        raise click.UsageError(f"--resume: no output file {output} to resume")
    try:
        return prepare_resume(output)
    except ValueError as exc:
        raise click.UsageError(f"--resume: {exc}") from None


def _skipping(items: Iterable[Item], skip: set[str], summary: Summary) -> Iterator[Item]:
    for item in items:
        if _item_id(item) in skip:
            summary.skipped += 1
        else:
            yield item


@main.command()
@click.option("--record", type=click.Choice(["quote", "error", "document"]), default=None,
              help="Only this record kind (default: any record of an output line).")
def schema(record):
    """Print the JSON Schema of the output records.

    \b
    Example:
      quotes schema --record quote > quote.schema.json
    """
    click.echo(json.dumps(record_schema(record), indent=2, ensure_ascii=False))


def record_schema(record: str | None = None) -> dict:
    models = {"quote": QuoteRecord, "error": ErrorRecord, "document": DocumentRecord}
    if record:
        return models[record].model_json_schema()
    from typing import Annotated, Union

    from pydantic import Field, TypeAdapter

    line = Annotated[Union[QuoteRecord, ErrorRecord, DocumentRecord], Field(discriminator="record")]
    return {"title": "quotes output record", **TypeAdapter(line).json_schema()}


@main.group(invoke_without_command=True)
@click.pass_context
def models(ctx):
    """List the installed parser models (language, source, size, held-out scores).

    \b
    Example:
      quotes models
      quotes models download --lang fr
    """
    if ctx.invoked_subcommand is None:
        with clean_errors():
            click.echo(_models_table())


def _models_table() -> str:
    from .models.store import installed

    rows = []
    for ms in installed():
        size = ms.total_bytes
        if not size and ms.source == "official":
            folder = Path(ms.manifest.get("source", ""))
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        rows.append(f"{ms.lang:<4} {ms.source:<9} {size / 1e6:8.1f} MB  {_scores(ms.manifest.get('scores'))}")
    if not rows:
        return "no models installed: reinstall quotes, or run: quotes models download --lang fr"
    header = f"{'lang':<4} {'source':<9} {'size':>11}  held-out test (end to end from raw text)"
    return "\n".join([header, *rows])


SCORE_KEYS = ("Tokens", "Sentences", "UPOS", "UAS", "LAS")


def _scores(scores) -> str:
    """The held-out figures of a manifest: tokens F1, sentences F1, UPOS, UAS, LAS."""
    held_out = (scores or {}).get("held_out_test")
    if not isinstance(held_out, dict):
        return "-"
    return "  ".join(f"{k} {held_out[k]:.1f}" for k in SCORE_KEYS if isinstance(held_out.get(k), (int, float)))


@models.command()
@click.option("--lang", type=click.Choice(SUPPORTED_LANGUAGES), required=True, help="Language to download.")
def download(lang):
    """Download stanza's official models for a language (network needed).

    \b
    Example:
      quotes models download --lang fr
      quotes extract articles/ --models official
    """
    from .models.store import download_official

    try:
        folder = download_official(lang)
    except (UnsupportedLanguage, ModelError) as exc:
        raise click.ClickException(_one_line(exc)) from None
    except Exception as exc:  # network libraries raise many kinds: all mean "could not download"
        hint = ("the network seems unreachable" if isinstance(exc, OSError) or "onnect" in type(exc).__name__
                else "the download failed")
        raise click.ClickException(f"could not download the official {lang} models: {hint} "
                                   f"({type(exc).__name__}: {_one_line(exc)})") from None
    click.echo(f"official {lang} models installed in {folder}")


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(LANG_CHOICES), default="auto", show_default=True)
@MODELS_OPTION
def evaluate(gold, fmt, lang, models):
    """Score the extractor against gold fixture files or folders.

    \b
    Example:
      quotes eval fixtures/ --format json
    """
    module = _lazy("evaluate", "evaluation")
    with clean_errors():
        try:
            report = module.evaluate_paths(list(gold), _extractor(lang, models))
        except (ValueError, KeyError, TypeError) as exc:  # a malformed gold file
            raise click.ClickException(f"cannot evaluate: {type(exc).__name__}: {_one_line(exc)}") from None
        if isinstance(report, dict) and report.get("overall", {}).get("documents") == 0:
            raise click.ClickException(f"no gold documents found in {', '.join(gold)}")
        click.echo(module.format_report(report, fmt))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The HTML file to write.")
@click.option("--title", default=None, help="Title of the review page.")
@input_options
def review(inputs, output, title, **options):
    """Write an HTML page to review the quotes found in INPUT... by eye.

    \b
    Example:
      quotes review articles/ -o review.html --lang fr
    """
    module = _lazy("review", "the review page")
    with clean_errors():
        found = list(results(_extractor(options["lang"], options["models"]),
                             read_inputs(inputs, _read_options(options), stdin=_binary(sys.stdin))))
        module.write_review(found, output, title=title)
    click.echo(f"{output}: {len(found)} documents, {sum(len(r.records) for r in found)} quotes", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
