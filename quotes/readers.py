"""Inputs: turn what the command line names into a stream of documents.

    for item in read_inputs(["news/", "extra.jsonl", "-"], ReadOptions()):
        ...  # a Document, or an ErrorRecord for an input that cannot be read

Every input document gives exactly one item, in input order; nothing is dropped silently.

* a file: ``.jsonl`` holds one article per line, ``.html``/``.htm`` is an HTML page, anything
  else is plain text (one document);
* a folder: its ``.txt``, ``.jsonl``, ``.html`` and ``.htm`` files, recursively, sorted by
  relative path; a symbolic link is followed only when it points inside that folder;
* ``-``: standard input, read as JSONL when its first non-blank character is ``{``, else as
  one plain text document.

Decoding: bytes are decoded as UTF-8 (a byte order mark is dropped). Invalid UTF-8 gives an
``invalid_utf8`` error record that names the byte offset, unless ``encoding_errors="replace"``
(then bad bytes become U+FFFD and the document is processed). NUL bytes in the first 8 KB mean
``binary_content``; a blank text is ``empty_text``. JSONL lines are read one at a time (memory
stays constant however long the file): a line that is not a JSON object is ``malformed_json``,
a line without the text field ``missing_text``, a text that is not a string ``invalid_text``.
A JSONL file without any document is ``empty_text``. A file that cannot be opened or read,
or a folder entry that is not a regular file (a named pipe would block), gives
``unreadable_file``; a link out of the folder, ``symlink_outside``. With ``lang_field``, a
language other than fr, en or auto is ``unsupported_language``. HTML goes through
``quotes.html_input.extract_article`` (a page without article: ``html_no_text``); its
metadata (title, date, author, site, url) becomes ``Document.metadata``.
"""
from __future__ import annotations

import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Union

from .extractor import Document, ExtractionError
from .lexicon import SUPPORTED_LANGUAGES
from .records import ErrorRecord

Item = Union[Document, ErrorRecord]

STDIN = "-"
STDIN_SOURCE = "<stdin>"
FOLDER_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
BOM = b"\xef\xbb\xbf"
BINARY_SNIFF = 8192
SURROGATE = re.compile("[\ud800-\udfff]")
ENCODING_ERRORS = ("strict", "replace")


class InputError(Exception):
    """An input problem that stops the whole run (not one document): e.g. no HTML support."""


class _Bad(Exception):
    """One document cannot be read: becomes an ErrorRecord of this kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class ReadOptions:
    """How to read the inputs (the ``quotes extract`` options of the same names)."""

    id_field: str = "id"
    text_field: str = "text"
    lang_field: str | None = None
    html: bool = False  # JSONL text fields and standard input hold HTML
    encoding_errors: str = "strict"  # or "replace"

    def __post_init__(self) -> None:
        if self.encoding_errors not in ENCODING_ERRORS:
            raise ValueError(f"encoding_errors must be one of {', '.join(ENCODING_ERRORS)}")


# ---------------------------------------------------------------------- public entry points
def read_inputs(paths: Iterable[str], options: ReadOptions | None = None,
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Documents and error records of every input, in order (see the module docstring)."""
    options = options or ReadOptions()
    for raw in paths:
        raw = str(raw)
        if raw == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, options)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from read_folder(path, options)
        else:
            yield from read_file(path, options, doc_id=path.stem or path.name)


def read_folder(root: Path, options: ReadOptions) -> Iterator[Item]:
    """The input files of a folder, recursively, sorted by their path relative to the folder."""
    real_root = Path(os.path.realpath(root))
    for rel in _walk(root, real_root):
        path = root / rel
        doc_id = rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix()
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.exists():
                yield _error(doc_id, str(path), "unreadable_file", f"broken symbolic link to {os.readlink(path)}")
                continue
            if not _inside(target, real_root):
                yield _error(doc_id, str(path), "symlink_outside",
                             f"symbolic link to {target}, outside the folder {root}: not followed")
                continue
        try:
            regular = stat.S_ISREG(path.stat().st_mode) or path.is_dir()
        except OSError as exc:
            yield _error(doc_id, str(path), "unreadable_file", _os_message(exc))
            continue
        if not regular:  # a named pipe would block the run, a device never ends
            yield _error(doc_id, str(path), "unreadable_file", "not a regular file (pipe, socket or device)")
            continue
        yield from read_file(path, options, doc_id=doc_id)


def read_file(path: Path, options: ReadOptions, doc_id: str) -> Iterator[Item]:
    """One file: JSONL (one document per line), HTML, or plain text."""
    suffix = path.suffix.lower()
    source = str(path)
    if suffix == ".jsonl":
        try:
            handle = open(path, "rb")
            head = handle.read(BINARY_SNIFF)
            handle.seek(0)
        except OSError as exc:
            yield _error(doc_id, source, "unreadable_file", _os_message(exc))
            return
        with handle:
            if b"\x00" in head:
                yield _error(doc_id, source, "binary_content", "NUL bytes in the first 8 KB: binary, not JSONL")
                return
            found = False
            for item in read_jsonl(handle, source, options):
                found = True
                yield item
        if not found:  # reported, so that an empty export is not mistaken for "no quotes"
            yield _error(doc_id, source, "empty_text", "the JSONL file holds no document")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield _error(doc_id, source, "unreadable_file", _os_message(exc))
        return
    yield _document(data, doc_id, source, options, html=suffix in HTML_SUFFIXES)


def read_jsonl(lines: Iterable[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One document per non-blank line of a JSONL stream, read line by line."""
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            if number == 1:
                line = line.removeprefix(BOM)
            if not line.strip():
                continue  # blank lines are not documents
            yield _jsonl_line(line, f"{source}:{number}", options)
    except OSError as exc:  # e.g. an I/O error in the middle of the file
        yield _error(f"{source}:{number + 1}", source, "unreadable_file", _os_message(exc))


def read_stdin(stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """Standard input: JSONL when its first non-blank character is ``{``, else one text."""
    lines = iter(stream)
    head: list[bytes] = []
    for line in lines:
        head.append(line.removeprefix(BOM) if not head else line)
        if head[-1].strip():
            break
    if b"".join(head).lstrip()[:1] == b"{":
        if b"\x00" in b"".join(head)[:BINARY_SNIFF]:
            yield _error("stdin", STDIN_SOURCE, "binary_content", "NUL bytes in the first line: binary, not JSONL")
            return
        yield from read_jsonl(_chain(head, lines), STDIN_SOURCE, options)
        return
    data = b"".join(head) + b"".join(lines)
    yield _document(data, "stdin", STDIN_SOURCE, options, html=options.html)


def decode(data: bytes, encoding_errors: str = "strict", where: str = "") -> str:
    """UTF-8 text of the bytes, byte order mark dropped; raises _Bad for binary or invalid UTF-8."""
    if b"\x00" in data[:BINARY_SNIFF]:
        raise _Bad("binary_content", "NUL bytes in the first 8 KB: binary, not text")
    skip = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if encoding_errors == "replace":
            return data[skip:].decode("utf-8", errors="replace")
        offset = skip + exc.start
        bad = data[offset:offset + min(4, exc.end - exc.start)]
        raise _Bad("invalid_utf8", f"invalid UTF-8 at byte offset {offset}{where} ({exc.reason}: {bad!r}); "
                                   "use --encoding-errors replace to process it anyway") from None


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Article text and metadata of an HTML page (quotes.html_input, imported when needed)."""
    return _html_extractor()(html)


def check_html_support() -> None:
    """Raise InputError now, rather than mid-run, when HTML input cannot be read."""
    _html_extractor()


# ---------------------------------------------------------------------- internals
def _walk(root: Path, real_root: Path) -> list[Path]:
    """Relative paths of the input files under root, sorted; symlinked folders are not entered."""
    found: list[Path] = []
    stack = [Path()]
    while stack:
        rel = stack.pop()
        try:
            entries = list(os.scandir(root / rel))
        except OSError:
            if rel != Path():
                found.append(rel)  # an unreadable sub-folder: reported, not skipped
            continue
        for entry in entries:
            child = rel / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(child)
                elif entry.is_symlink():
                    target = Path(os.path.realpath(entry.path))
                    if target.is_dir():
                        if not _inside(target, real_root):
                            found.append(child)  # reported as symlink_outside
                        # a link to a folder inside: its files are read from their real place
                    elif child.suffix.lower() in FOLDER_SUFFIXES:
                        found.append(child)
                elif child.suffix.lower() in FOLDER_SUFFIXES:
                    found.append(child)
            except OSError:
                found.append(child)
    return sorted(found, key=lambda p: p.as_posix())


def _inside(target: Path, real_root: Path) -> bool:
    return target == real_root or real_root in target.parents


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _document(data: bytes, doc_id: str, source: str, options: ReadOptions, html: bool) -> Item:
    try:
        text = decode(data, options.encoding_errors)
        metadata: dict[str, str] = {}
        if html:
            text, metadata = _from_html(text)
        _check_text(text)
    except _Bad as bad:
        return _error(doc_id, source, bad.kind, str(bad))
    return Document(_clean(doc_id), text, source=_clean(source), metadata=metadata)


def _jsonl_line(line: bytes, source: str, options: ReadOptions) -> Item:
    doc_id = source
    try:
        text_line = decode(line, options.encoding_errors, where=" of the line")
        try:
            obj = json.loads(text_line)
        except ValueError as exc:
            raise _Bad("malformed_json", f"not valid JSON: {exc}") from None
        if not isinstance(obj, dict):
            raise _Bad("malformed_json", f"a JSON {_json_type(obj)} where an object was expected")
        raw_id = obj.get(options.id_field)
        if raw_id is not None and not isinstance(raw_id, (dict, list)) and str(raw_id) != "":
            doc_id = str(raw_id)
        if options.text_field not in obj:
            raise _Bad("missing_text", f"no {options.text_field!r} field")
        text = obj[options.text_field]
        if not isinstance(text, str):
            raise _Bad("invalid_text", f"the {options.text_field!r} field is a JSON "
                                       f"{_json_type(text)}, not a string")
        lang = None
        if options.lang_field:
            lang = obj.get(options.lang_field)
            if lang is not None and not isinstance(lang, str):
                raise _Bad("unsupported_language", f"the {options.lang_field!r} field is not a string")
            lang = (lang or "").strip().lower() or None
            if lang is not None and lang not in (*SUPPORTED_LANGUAGES, "auto"):
                raise _Bad("unsupported_language", f"unsupported language {lang!r}: supported languages "
                                                   f"are {', '.join(SUPPORTED_LANGUAGES)} (or 'auto')")
        surrogate = SURROGATE.search(text)
        if surrogate:  # "\ud800" escapes: valid JSON, not valid Unicode
            if options.encoding_errors != "replace":
                raise _Bad("invalid_text", f"lone surrogate U+{ord(surrogate.group()):04X} at character "
                                           f"{surrogate.start()}: not valid Unicode; use --encoding-errors replace")
            text = SURROGATE.sub("\ufffd", text)
        metadata: dict[str, str] = {}
        if options.html:
            text, metadata = _from_html(text)
        _check_text(text)
    except _Bad as bad:
        return _error(doc_id, source, bad.kind, str(bad))
    return Document(_clean(doc_id), text, source=_clean(source), lang=lang, metadata=metadata)


def _check_text(text: str) -> None:
    if not text.strip():
        raise _Bad("empty_text", "the document has no text")
    if "\x00" in text:
        raise _Bad("binary_content", "the text contains NUL characters: binary, not text")


def _from_html(html: str) -> tuple[str, dict[str, str]]:
    extract = _html_extractor()
    try:
        text, metadata = extract(html)
    except ExtractionError as exc:  # e.g. html_no_text: a page without an article
        raise _Bad(exc.kind, str(exc)) from None
    except Exception as exc:  # a broken page costs one document, never the run
        raise _Bad("invalid_html", f"the HTML could not be read: {type(exc).__name__}: {exc}") from None
    if not isinstance(text, str):
        raise _Bad("invalid_html", "no article text found in the HTML")
    return text, {str(k): str(v) for k, v in (metadata or {}).items() if v is not None}


def _html_extractor():
    try:
        from .html_input import extract_article
    except ImportError as exc:
        raise InputError(f"HTML input is not available in this installation (quotes.html_input: {exc})") from None
    return extract_article


def _json_type(value: object) -> str:
    return {type(None): "null", bool: "boolean", int: "number", float: "number", str: "string",
            list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _error(doc_id: str, source: str, kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(doc_id=_clean(doc_id), source=_clean(source), error=kind, message=_clean(message))


def _clean(value: str) -> str:
    """Ids, paths and messages as valid Unicode (undecodable file names, lone surrogates → ?)."""
    return value if not SURROGATE.search(value) else value.encode("utf-8", "replace").decode("utf-8")


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}" if exc.filename else reason
