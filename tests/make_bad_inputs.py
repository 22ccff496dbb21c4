"""Generate a corpus of bad inputs for ``quotes extract`` (programmatically, fixed seed).

    python tests/make_bad_inputs.py /tmp/bad      # writes /tmp/bad/corpus (+ /tmp/bad/outside)
    quotes extract /tmp/bad/corpus --documents -o out.jsonl

``make_bad_corpus(dir)`` returns one ``Expected`` per input document, in the order the
records must come out (files sorted by relative path, JSONL lines in order): its doc_id,
its source, and the error kind it must give ("ok" when it must be processed).

Also here, shared by the tests: ``regex_only_run``, a test double for ``Extractor._run``
that runs the real input checks and the real quote-span stage but no parser.
"""
from __future__ import annotations

import json
import os
import random
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

SEED = 20241121
OK = "ok"
MARKS = "«»“”„\"‹›‘’"
SPACES = " \t\r\n\u00a0\u202f\u2009\u3000"
WORDS_FR = "le la les ministre a déclaré que nous ne céderons pas devant cette crise été élève où ça".split()
WORDS_EN = "the minister said that we will not give in to this crisis today officials".split()
COMBINING = ["\u0301", "\u0300", "\u0302", "\u0308", "\u0327", "\u030c", "\u0323"]
EMOJI = ["😀", "👍🏽", "👩‍👩‍👧", "🇫🇷", "🏳️‍🌈", "❤️", "🤷‍♀️", "🦄"]
INVALID_SEQUENCES = [b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                     b"\xe2\x82"]


@dataclass(frozen=True)
class Expected:
    doc_id: str
    source: str
    kind: str  # "ok" or the error kind
    offset: int | None = None  # invalid_utf8: the byte offset the message must name


def _clean(value: str) -> str:
    """What the readers make of an undecodable file name (U+FFFD-free '?')."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _sentence(rng: random.Random, words: list[str], quote: bool = True) -> str:
    body = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))).capitalize()
    if not quote:
        return body + "."
    opener, closer = rng.choice([("« ", " »"), ("« ", " »"), ("“", "”"), ('"', '"'), ("„", "“")])
    return f"{opener}{body}{closer}, a déclaré la ministre Anne Roy."


def _text(rng: random.Random, n: int, words: list[str] = WORDS_FR, newline: str = "\n") -> str:
    parts = []
    for _ in range(n):
        parts.append(_sentence(rng, words, quote=rng.random() < 0.5))
        parts.append(newline if rng.random() < 0.2 else " ")
    return "".join(parts).strip() + "."


def _unbalanced(rng: random.Random, marks: int) -> str:
    """`marks` quote marks of every kind, mostly openers, among words and a few newlines."""
    out = []
    for _ in range(marks):
        out.append(rng.choice("«««“„\"‹‘»”’"))
        if rng.random() < 0.7:
            out.append(" " + rng.choice(WORDS_FR) + rng.choice(["", " ", ", ", ". "]))
        if rng.random() < 0.01:
            out.append("\n")
    return "".join(out)


def _decorated(rng: random.Random, n: int, extras: list[str]) -> str:
    """Quoted sentences whose words carry the given extra characters."""
    parts = []
    for _ in range(n):
        words = [w + (rng.choice(extras) if rng.random() < 0.4 else "") for w in rng.sample(WORDS_FR, 6)]
        body = " ".join(words)
        parts.append(rng.choice([f"«\u00a0{body}\u00a0»", f"«\u202f{body}\u202f»", f"“{body}”",
                                 f"\u200b« {body} »\u200b", body]) + ", dit-elle.")
    return " ".join(parts)


def make_bad_corpus(directory: str | os.PathLike, huge_chars: int = 2_000_000) -> list[Expected]:
    """Write the corpus under directory/corpus; the expected result of every input document."""
    rng = random.Random(SEED)
    base = Path(directory)
    root = base / "corpus"
    outside = base / "outside"
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("« Ne pas lire », dit le fichier hors du dossier.", "utf-8")
    files: dict[str, Expected | list[Expected]] = {}  # raw relative path -> what it must give

    def put(rel: str, data: bytes, kind: str = OK, offset: int | None = None) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[rel] = Expected(_doc_id(rel), _clean(str(path)), kind, offset)

    utf8 = lambda s: s.encode("utf-8")  # noqa: E731

    # empty and blank
    put("empty.txt", b"", "empty_text")
    put("whitespace_only.txt", utf8("".join(rng.choice(SPACES) for _ in range(rng.randint(50, 200)))), "empty_text")
    # binary: random bytes with NULs
    for i in range(3):
        data = bytearray(rng.randbytes(rng.randint(512, 4096)))
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(min(len(data), 8000))] = 0
        put(f"binary_{i}.txt", bytes(data), "binary_content")
    # invalid UTF-8 at random places (character boundaries), each kind of bad sequence
    for i, bad in enumerate(INVALID_SEQUENCES):
        text = utf8(_text(rng, rng.randint(3, 30)))
        chars = text.decode("utf-8")
        cut = len(chars[:rng.randrange(len(chars))].encode("utf-8"))
        put(f"invalid_utf8_{i}.txt", text[:cut] + bad + text[cut:], "invalid_utf8", cut)
    # truncated multi-byte characters: at the end of the file, and in the middle
    for i, char in enumerate(["é", "€", "😀", "𝄞"]):
        encoded = utf8(char)
        prefix = utf8(_text(rng, rng.randint(2, 10)) + " " + char)
        truncated = encoded[:rng.randint(1, len(encoded) - 1)]
        put(f"truncated_end_{i}.txt", prefix + truncated, "invalid_utf8", len(prefix))
        put(f"truncated_mid_{i}.txt", prefix + truncated + b" suite.", "invalid_utf8", len(prefix))
    # decodable oddities that must be processed
    put("bom.txt", b"\xef\xbb\xbf" + utf8(_text(rng, 8)))
    put("crlf.txt", utf8(_text(rng, 20, newline="\r\n")).replace(b"\r\n", b"\r\n\r\n"))
    put("cr_only.txt", utf8("\r".join(_sentence(rng, WORDS_FR) for _ in range(10))))
    put("unbalanced_marks.txt", utf8(_unbalanced(rng, 10_000)))
    put("combining.txt", utf8(_decorated(rng, 30, COMBINING)))
    put("emoji.txt", utf8(_decorated(rng, 30, EMOJI)))
    put("spaces.txt", utf8(_decorated(rng, 30, ["\u200b", "\u00a0", "\u202f", "\u2060", "\ufeff"])))
    put("zero_width_only.txt", utf8("\u200b\u200c\u200d" * 20))
    put("marks_only.txt", utf8("".join(rng.choice(MARKS) for _ in range(500))))
    put("nested/deep/er/article.txt", utf8(_text(rng, 5)))
    put("odd name « été » 😀.txt", utf8(_text(rng, 5)))
    put("upper.TXT", utf8(_text(rng, 3)))
    # files that are not inputs (suffix): no record at all
    (root / "notes.md").write_text("« pas une entrée »", "utf-8")
    (root / "image.png").write_bytes(rng.randbytes(100))
    # a file name that is not valid UTF-8 (Linux file systems allow it)
    try:
        raw = os.fsdecode(b"bad_name_\xff.txt")
        (root / raw).write_bytes(utf8(_text(rng, 3)))
        files[raw] = Expected(_clean(_doc_id(raw)), _clean(str(root / raw)), OK)
    except (OSError, UnicodeError):
        pass
    # JSONL: good lines and every kind of bad line, shuffled
    files["mixed.jsonl"] = _jsonl(rng, root / "mixed.jsonl", huge_chars)
    put("blank_lines.jsonl", b"\n\n  \n", "empty_text")
    data = bytearray(utf8('{"id": "b1", "text": "binary"}\n') + rng.randbytes(2000))
    data[100] = 0
    put("binary_lines.jsonl", bytes(data), "binary_content")
    # links: inside (followed), outside (refused), broken
    _link(files, root, "link_inside.txt", "crlf.txt", OK)
    _link(files, root, "link_outside.txt", os.path.relpath(outside / "secret.txt", root), "symlink_outside")
    _link(files, root, "link_outside_dir", os.path.relpath(outside, root), "symlink_outside")
    _link(files, root, "link_broken.txt", "does-not-exist.txt", "unreadable_file")
    os.symlink("nested", root / "link_to_nested_dir")  # a folder inside: not entered again, no record
    # a named pipe: reading it would block forever
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        files["pipe.txt"] = Expected("pipe", str(root / "pipe.txt"), "unreadable_file")
    # an unreadable file: only where chmod 000 blocks reading (not as root)
    secret = root / "unreadable" / "secret.txt"
    put("unreadable/secret.txt", utf8(_text(rng, 3)), "unreadable_file")
    secret.chmod(0)
    try:
        secret.read_bytes()
    except PermissionError:
        pass
    else:  # running as root: chmod does not block reading; drop the case
        secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
        secret.unlink()
        secret.parent.rmdir()
        del files["unreadable/secret.txt"]
    expected: list[Expected] = []
    for rel in sorted(files, key=lambda r: Path(r).as_posix()):
        item = files[rel]
        expected.extend(item if isinstance(item, list) else [item])
    return expected


def _doc_id(rel: str) -> str:
    p = Path(rel)
    return (p.with_suffix("") if p.suffix else p).as_posix()


def _link(files: dict, root: Path, name: str, target: str, kind: str) -> None:
    os.symlink(target, root / name)
    files[name] = Expected(_doc_id(name), str(root / name), kind)


def _jsonl(rng: random.Random, path: Path, huge_chars: int) -> list[Expected]:
    """A JSONL file mixing good and bad lines; the expected result of each non-blank line."""
    source = str(path)
    good = lambda i: json.dumps({"id": f"good-{i}", "text": _text(rng, rng.randint(2, 8))},  # noqa: E731
                                ensure_ascii=rng.random() < 0.5).encode("utf-8")
    huge_parts, size = [], 0
    while size < huge_chars:
        s = _sentence(rng, WORDS_FR, quote=rng.random() < 0.1) + " "
        huge_parts.append(s)
        size += len(s)
    cases: list[tuple[bytes, str | None, str]] = [  # (line, id or None for path:line, kind)
        *[(good(i), f"good-{i}", OK) for i in range(6)],
        (json.dumps({"text": "Sans identifiant, « mais valable », dit-il."}).encode(), None, OK),
        (json.dumps({"id": 42, "text": "Numeric id."}).encode(), "42", OK),
        (json.dumps({"id": "../../escape", "text": "« Path » id."}).encode(), "../../escape", OK),
        (json.dumps({"id": "crlf-line", "text": "Line ending in CRLF."}).encode() + b"\r", "crlf-line", OK),
        (json.dumps({"id": "huge", "text": "".join(huge_parts)}).encode(), "huge", OK),
        (b'{"id": "trunc", "text": "abc', None, "malformed_json"),
        (b"{id: 1, text: 'x'}", None, "malformed_json"),
        (b"not json at all", None, "malformed_json"),
        (b'{"a": 1}{"b": 2}', None, "malformed_json"),
        (b"[1, 2, 3]", None, "malformed_json"),
        (b'"just a string"', None, "malformed_json"),
        (b"42", None, "malformed_json"),
        (b"null", None, "malformed_json"),
        (json.dumps({"id": "nt", "body": "no text field"}).encode(), "nt", "missing_text"),
        *[(json.dumps({"id": f"bad-type-{i}", "text": v}).encode(), f"bad-type-{i}", "invalid_text")
          for i, v in enumerate([12, None, ["a", "b"], {"x": 1}, True, 3.5])],
        (json.dumps({"id": "empty-1", "text": ""}).encode(), "empty-1", "empty_text"),
        (json.dumps({"id": "empty-2", "text": " \n\t\u00a0"}).encode(), "empty-2", "empty_text"),
        (b'{"id": "surrogate", "text": "lone \\ud800 surrogate"}', "surrogate", "invalid_text"),
        (b'{"id": "nul", "text": "a\\u0000b"}', "nul", "binary_content"),
        (b'{"id": "bad-utf8", "text": "caf\xc3 au lait"}', "bad-utf8", "invalid_utf8"),
    ]
    rng.shuffle(cases)
    lines, expected = [], []
    for line, doc_id, kind in cases:
        if rng.random() < 0.2:
            lines.append(rng.choice([b"", b"   ", b"\t"]))  # blank lines: not documents
        lines.append(line)
        number = len(lines)
        where = f"{source}:{number}"
        # ids are read only from lines that parse; bad UTF-8 lines cannot be parsed
        expected.append(Expected(doc_id if doc_id and kind != "invalid_utf8" else where, where, kind))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return expected


# ---------------------------------------------------------------------- test double
def regex_only_run(self, docs):
    """Test double for ``Extractor._run``: the real input checks and quote-span stage, no parser.

    Each quote span becomes a QuoteRecord with no speaker (rule "test_double"), so that the
    command line can be tested without models and without the attribution stages.
    """
    from quotes import spans
    from quotes.extractor import ExtractionError, Result
    from quotes.language import detect
    from quotes.lexicon import get_lexicon
    from quotes.records import ErrorRecord, QuoteKind, QuoteRecord

    out = []
    for doc in docs:
        result = Result(doc)
        try:
            if not isinstance(doc.text, str):
                raise ExtractionError("invalid_text", "text must be a string")
            if not doc.text.strip():
                raise ExtractionError("empty_text", "the document has no text")
            if "\x00" in doc.text:
                raise ExtractionError("binary_content", "the document contains NUL bytes")
            lang = doc.lang if doc.lang not in (None, "auto") else self.lang
            lang = detect(doc.text) if lang == "auto" else lang
            get_lexicon(lang)
            quotes = spans.find_quotes(doc.text)
        except ExtractionError as exc:
            result.error = ErrorRecord(doc_id=doc.id, source=doc.source, error=exc.kind, message=str(exc))
        else:
            result.language = lang
            result.records = [
                QuoteRecord(doc_id=doc.id, index=i, language=lang, text=doc.text[q.start:q.end], start=q.start,
                            end=q.end, kind=QuoteKind.direct, confidence=0.5, rule="test_double",
                            notes=list(q.notes), metadata=dict(doc.metadata))
                for i, q in enumerate(quotes)
            ]
        out.append(result)
    return out


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "bad_inputs"
    found = make_bad_corpus(target)
    kinds: dict[str, int] = {}
    for e in found:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(f"{len(found)} input documents under {target}/corpus: "
          + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())))
    if not any(e.kind == "unreadable_file" and e.source.endswith("secret.txt") for e in found):
        print("chmod 000 does not block reading here (root?): the unreadable-file case was skipped")
