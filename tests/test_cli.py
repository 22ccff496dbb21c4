"""The ``quotes`` command line: help, schema, exit codes, options, inputs and outputs.

The extraction itself is replaced by ``regex_only_run`` (a test double for
``Extractor._run``: the real input checks and quote spans, no parser, no speaker) wherever
records with quotes are needed, so that these tests need no models.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from make_bad_inputs import regex_only_run
from quotes import cli
from quotes.cli import main, safe_text_path
from quotes.extractor import Extractor, Result
from quotes.models.store import ModelError, ModelSet
from quotes.writers import CSV_COLUMNS, JsonlWriter

FR = "« Nous ne céderons pas », a déclaré la ministre Anne Roy. Elle a ajouté : « Jamais. »"
EN = "“We will not give in,” the minister said. “Never.”"
PLAIN = "Le conseil municipal s'est réuni hier soir sans incident."  # no quote mark: no parser


@pytest.fixture
def run(monkeypatch):
    """Invoke the command line in-process, with the regex-only test double as extractor."""
    monkeypatch.setattr(Extractor, "_run", regex_only_run)

    def invoke(*args, input=None):
        result = CliRunner().invoke(main, [str(a) for a in args], input=input)
        assert "Traceback" not in result.stdout + result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "in"
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------- help and schema
def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


@pytest.mark.parametrize("path", [p for p, _ in _commands(main)], ids=lambda p: " ".join(("quotes", *p)))
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    example = result.output.split("Example", 1)[1]
    assert f"quotes {' '.join(path)}".strip() in example, "the example should use the command itself"


def test_all_commands_are_covered():
    names = {" ".join(p) for p, _ in _commands(main)}
    assert {"extract", "schema", "models", "models download", "eval", "review"} <= names


def test_schema_of_all_records():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert set(schema["discriminator"]["mapping"]) == {"quote", "error", "document"}
    assert {"QuoteRecord", "ErrorRecord", "DocumentRecord"} <= set(schema["$defs"])


@pytest.mark.parametrize("record,properties", [
    ("quote", {"record", "doc_id", "index", "language", "text", "start", "end", "kind", "speaker", "role", "cue",
               "confidence", "rule", "notes"}),
    ("error", {"record", "doc_id", "source", "error", "message"}),
    ("document", {"record", "doc_id", "source", "language", "quotes", "status"}),
])
def test_schema_of_one_record(record, properties):
    result = CliRunner().invoke(main, ["schema", "--record", record])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert properties <= set(schema["properties"])
    assert schema["properties"]["record"]["const"] == record


# ---------------------------------------------------------------------- extract: exit codes
def test_exit_code_0_when_every_document_is_processed(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": PLAIN, "b.txt": FR})
    result = run("extract", folder)
    assert result.exit_code == 0
    records = _jsonl(result.stdout)
    assert [r["doc_id"] for r in records] == ["b", "b"]  # a has no quote, b has two
    assert "documents read: 2, with quotes: 1, quotes: 2, errors: 0" in result.stderr


def test_exit_code_1_with_error_records(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": PLAIN, "b.txt": ""})
    result = run("extract", folder)
    assert result.exit_code == 1
    (record,) = _jsonl(result.stdout)
    assert (record["record"], record["error"], record["source"]) == ("error", "empty_text", str(folder / "b.txt"))
    assert "errors: 1 (empty_text: 1)" in result.stderr


@pytest.mark.parametrize("args", [
    ["extract", "does-not-exist.txt"],
    ["extract"],
    ["extract", "-", "--lang", "de"],
    ["extract", "-", "--format", "xml"],
    ["extract", "-", "--resume"],
    ["extract", "-", "--jobs", "0"],
    ["schema", "--record", "nope"],
    ["models", "download"],
    ["nope"],
])
def test_exit_code_2_for_usage_errors(args, run):
    result = run(*args, input="x")
    assert result.exit_code == 2, result.output
    assert "Usage" in result.stderr or "Error" in result.stderr


def test_resume_needs_an_existing_jsonl_output(tmp_path, run):
    src = _folder(tmp_path, {"a.txt": PLAIN})
    assert run("extract", src, "--resume", "-o", tmp_path / "missing.jsonl").exit_code == 2
    (tmp_path / "out.csv").write_text("")
    assert run("extract", src, "--resume", "-o", tmp_path / "out.csv").exit_code == 2
    (tmp_path / "other.jsonl").write_text('{"not": "a record"}\n')
    result = run("extract", src, "--resume", "-o", tmp_path / "other.jsonl")
    assert result.exit_code == 2 and "not a quotes record" in result.stderr


@pytest.mark.parametrize("error", [
    ModelError("missing model file /x/fr/pos.pt; reinstall quotes"),
    OSError(28, "No space left on device"),
])
def test_library_errors_are_one_line_messages(tmp_path, monkeypatch, error):
    def broken(self, documents):
        raise error
        yield  # pragma: no cover

    monkeypatch.setattr(Extractor, "extract_many", broken)
    result = CliRunner().invoke(main, ["extract", str(_folder(tmp_path, {"a.txt": FR}))])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    message = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(message) == 1 and str(error.args[-1]) in message[0]
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------- extract: options
def test_documents_option_writes_one_document_record_each(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": PLAIN, "b.txt": FR, "c.txt": b"\xff\xfe"})
    result = run("extract", folder, "--documents", "--lang", "fr")
    records = _jsonl(result.stdout)
    docs = [r for r in records if r["record"] == "document"]
    assert [(d["doc_id"], d["quotes"], d["status"], d["language"]) for d in docs] == [
        ("a", 0, "ok", "fr"), ("b", 2, "ok", "fr"), ("c", 0, "error", None)]
    assert [r["record"] for r in records] == ["document", "document", "quote", "quote", "document", "error"]
    assert result.exit_code == 1


def test_fail_fast_stops_at_the_first_error(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": FR, "b.txt": " \n", "c.txt": FR})
    result = run("extract", folder, "--fail-fast")
    assert result.exit_code == 1
    records = _jsonl(result.stdout)
    assert [(r["doc_id"], r["record"]) for r in records] == [("a", "quote"), ("a", "quote"), ("b", "error")]


def test_resume_after_an_interrupted_run(tmp_path, run):
    articles = "".join(json.dumps({"id": f"d{i}", "text": FR if i % 3 else PLAIN}) + "\n" for i in range(12))
    src = tmp_path / "articles.jsonl"
    src.write_text(articles + '{"id": "bad", "text": ""}\n', "utf-8")
    full = tmp_path / "full.jsonl"
    run("extract", src, "--documents", "-o", full)
    complete = full.read_text("utf-8")
    # an interruption: the first 7 documents written, then half a line
    lines = complete.splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if json.loads(line)["doc_id"] == "d7")
    out = tmp_path / "out.jsonl"
    out.write_text("".join(lines[:cut]) + lines[cut][: len(lines[cut]) // 2], "utf-8")
    result = run("extract", src, "--documents", "--resume", "-o", out)
    assert result.exit_code == 1  # the bad document of this run
    assert out.read_text("utf-8") == complete
    assert "skipped (already in the output): 6" in result.stderr  # d6, the last one written, is redone


def test_resume_after_a_whole_run_adds_nothing(tmp_path, run):
    src = _folder(tmp_path, {"a.txt": FR, "b.txt": FR})
    out = tmp_path / "out.jsonl"
    run("extract", src, "-o", out)
    before = out.read_text("utf-8")
    result = run("extract", src, "--resume", "-o", out)
    assert result.exit_code == 0 and out.read_text("utf-8") == before


def test_csv_output(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": FR, "b.jsonl": '{"id": "x"}\n'})
    out = tmp_path / "out.csv"  # the format follows the extension
    result = run("extract", folder, "-o", out, "--documents")
    assert result.exit_code == 1
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == CSV_COLUMNS
    assert [(r["record"], r["doc_id"]) for r in rows] == [
        ("document", "a"), ("quote", "a"), ("quote", "a"), ("document", "x"), ("error", "x")]
    quote = rows[1]
    assert FR[int(quote["start"]):int(quote["end"])] == quote["text"] == "Nous ne céderons pas"
    assert (rows[4]["error"], rows[4]["source"]) == ("missing_text", f"{folder / 'b.jsonl'}:1")
    stdout = run("extract", folder / "a.txt", "--format", "csv").stdout
    assert stdout.splitlines()[0] == ",".join(CSV_COLUMNS)


def test_write_text_keeps_files_inside_the_folder(tmp_path, run):
    ids = ["../../escape", "/etc/passwd", "a/b", "..", "", "é t\u00e9", "x" * 500]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": FR}) + "\n" for i in ids), "utf-8")
    texts = tmp_path / "texts"
    result = run("extract", src, "--write-text", texts, "--documents")
    written = sorted(texts.iterdir())
    assert len(written) == len(ids) and all(p.parent == texts for p in written)
    assert not (tmp_path / "escape.txt").exists() and not list(tmp_path.parent.glob("escape*"))
    for r in _jsonl(result.stdout):
        if r["record"] == "quote":
            text = safe_text_path(texts, r["doc_id"]).read_text("utf-8")
            assert text[r["start"]:r["end"]] == r["text"]


def test_lang_field_and_unsupported_language(tmp_path, run):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(d) for d in [
        {"id": "a", "text": EN, "lg": "en"}, {"id": "b", "text": FR, "lg": "fr"},
        {"id": "c", "text": FR, "lg": "de"}, {"id": "d", "text": FR}]) + "\n", "utf-8")
    result = run("extract", src, "--lang-field", "lg", "--lang", "fr", "--documents")
    docs = {r["doc_id"]: r for r in _jsonl(result.stdout) if r["record"] in ("document", "error")
            and (r["record"] == "document" or r["error"])}
    assert docs["a"]["language"] == "en" and docs["b"]["language"] == "fr" and docs["d"]["language"] == "fr"
    errors = [r for r in _jsonl(result.stdout) if r["record"] == "error"]
    assert [(e["doc_id"], e["error"], e["source"]) for e in errors] == [("c", "unsupported_language", f"{src}:3")]


def test_id_and_text_fields(tmp_path, run):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"key": "k1", "body": FR}) + "\n" + json.dumps({"body": FR}) + "\n", "utf-8")
    records = _jsonl(run("extract", src, "--id-field", "key", "--text-field", "body").stdout)
    assert [r["doc_id"] for r in records] == ["k1", "k1", f"{src}:2", f"{src}:2"]


# ---------------------------------------------------------------------- standard input
def test_stdin_plain_text(run):
    result = run("extract", "-", "--documents", input=FR.encode("utf-8"))
    records = _jsonl(result.stdout)
    assert records[0] == {"record": "document", "doc_id": "stdin", "source": "<stdin>", "language": "fr",
                          "quotes": 2, "status": "ok", "notes": []}
    assert [r["text"] for r in records[1:]] == ["Nous ne céderons pas", "Jamais."]


def test_stdin_jsonl(run):
    lines = "\n\n" + json.dumps({"id": "s1", "text": EN}) + "\n{broken\n" + json.dumps({"text": FR}) + "\n"
    result = run("extract", "-", input=("\ufeff" + lines).encode("utf-8"))
    records = _jsonl(result.stdout)
    assert [(r["doc_id"], r["record"]) for r in records] == [
        ("s1", "quote"), ("s1", "quote"), ("<stdin>:4", "error"), ("<stdin>:5", "quote"), ("<stdin>:5", "quote")]
    assert (records[2]["error"], records[2]["source"]) == ("malformed_json", "<stdin>:4")
    assert result.exit_code == 1


@pytest.mark.parametrize("data,kind", [
    (b"", "empty_text"), (b" \n\t\n", "empty_text"), (b"abc\x00def", "binary_content"),
    ("é".encode("utf-8")[:1] + b" suite", "invalid_utf8"),
])
def test_stdin_errors(data, kind, run):
    result = run("extract", "-", input=data)
    (record,) = _jsonl(result.stdout)
    assert (record["doc_id"], record["source"], record["error"]) == ("stdin", "<stdin>", kind)
    assert result.exit_code == 1


# ---------------------------------------------------------------------- one error kind each
@pytest.mark.parametrize("name,content,kind,source_suffix", [
    ("empty.txt", b"", "empty_text", ""),
    ("blank.txt", " \u00a0\n\u202f".encode("utf-8"), "empty_text", ""),
    ("binary.txt", b"GIF89a\x00\x01\x02", "binary_content", ""),
    ("latin1.txt", "Le ministre a déclaré".encode("latin-1"), "invalid_utf8", ""),
    ("bad.jsonl", b"{oops\n", "malformed_json", ":1"),
    ("list.jsonl", b"\n[1, 2]\n", "malformed_json", ":2"),
    ("notext.jsonl", b'{"id": "n"}\n', "missing_text", ":1"),
    ("number.jsonl", b'{"id": "n", "text": 3}\n', "invalid_text", ":1"),
    ("surrogate.jsonl", b'{"id": "n", "text": "a \\udc00 b"}\n', "invalid_text", ":1"),
    ("empty_text.jsonl", b'{"id": "n", "text": ""}\n', "empty_text", ":1"),
    ("nul.jsonl", b'{"id": "n", "text": "a\\u0000"}\n', "binary_content", ":1"),
    ("blank.jsonl", b"\n \n", "empty_text", ""),
])
def test_error_record_for_each_bad_input(tmp_path, run, name, content, kind, source_suffix):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("extract", path)
    assert result.exit_code == 1
    (record,) = _jsonl(result.stdout)
    assert (record["record"], record["error"], record["source"]) == ("error", kind, f"{path}{source_suffix}")
    if kind == "invalid_utf8":
        assert "byte offset 15 " in record["message"]  # "Le ministre a d" then é in Latin-1


def test_folder_links_and_pipes(tmp_path, run):
    folder = _folder(tmp_path, {"a.txt": FR, "sub/b.htm.txt": PLAIN})
    (tmp_path / "outside.txt").write_text(FR, "utf-8")
    os.symlink(tmp_path / "outside.txt", folder / "out.txt")
    os.symlink(folder / "a.txt", folder / "in.txt")
    os.mkfifo(folder / "pipe.txt")
    result = run("extract", folder, "--documents")
    docs = [(r["doc_id"], r["status"]) for r in _jsonl(result.stdout) if r["record"] == "document"]
    assert docs == [("a", "ok"), ("in", "ok"), ("out", "error"), ("pipe", "error"), ("sub/b.htm", "ok")]
    kinds = {r["doc_id"]: r["error"] for r in _jsonl(result.stdout) if r["record"] == "error"}
    assert kinds == {"out": "symlink_outside", "pipe": "unreadable_file"}


# ---------------------------------------------------------------------- HTML
def test_html_files_and_metadata(tmp_path, run, monkeypatch):
    import quotes.html_input

    def fake_extract_article(html, url=None):  # test double: no trafilatura
        return FR, {"title": "Le titre", "date": "2024-11-20"}

    monkeypatch.setattr(quotes.html_input, "extract_article", fake_extract_article)
    folder = _folder(tmp_path, {"page.html": "<html><p>x</p></html>", "b.jsonl": json.dumps({"id": "h", "text": "<p/>"})})
    records = _jsonl(run("extract", folder, "--html").stdout)
    assert [r["doc_id"] for r in records] == ["h", "h", "page", "page"]
    assert all(r["metadata"] == {"title": "Le titre", "date": "2024-11-20"} for r in records)


def test_html_input_missing_is_a_clean_error(tmp_path, run, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "quotes.html_input", None)
    result = run("extract", _folder(tmp_path, {"a.jsonl": '{"text": "<p>x</p>"}\n'}), "--html")
    assert result.exit_code == 1 and "HTML input is not available" in result.stderr


# ---------------------------------------------------------------------- models, eval, review
def test_models_lists_installed_models_with_scores(tmp_path, monkeypatch):
    model = tmp_path / "pos.pt"
    model.write_bytes(b"0" * 2_500_000)
    fake = ModelSet("fr", "shipped", {"pos": model},
                    {"scores": {"held_out_test": {"Tokens": 99.21, "UPOS": 88.98, "UAS": 73.78, "LAS": 68.4}}})
    monkeypatch.setattr("quotes.models.store.installed", lambda: [fake])
    result = CliRunner().invoke(main, ["models"])
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith("fr"))
    assert row.split() == ["fr", "shipped", "2.5", "MB", "Tokens", "99.2", "UPOS", "89.0", "UAS", "73.8", "LAS", "68.4"]


def test_models_with_none_installed(monkeypatch):
    monkeypatch.setattr("quotes.models.store.installed", lambda: [])
    result = CliRunner().invoke(main, ["models"])
    assert result.exit_code == 0 and "quotes models download" in result.stdout


def test_models_download_without_network(monkeypatch):
    def offline(lang):
        raise ConnectionError("Failed to establish a new connection: [Errno -3] Temporary failure")

    monkeypatch.setattr("quotes.models.store.download_official", offline)
    result = CliRunner().invoke(main, ["models", "download", "--lang", "fr"])
    assert result.exit_code == 1
    assert "network" in result.stderr and "Traceback" not in result.stderr


def test_eval_is_wired_to_evaluate(tmp_path, monkeypatch):
    import quotes.evaluate

    seen = {}

    def fake_evaluate_paths(paths, extractor):
        seen.update(paths=paths, lang=extractor.lang, models=extractor.models)
        return {"f1": 1.0}

    monkeypatch.setattr(quotes.evaluate, "evaluate_paths", fake_evaluate_paths)
    monkeypatch.setattr(quotes.evaluate, "format_report", lambda report, fmt: f"{fmt}:{json.dumps(report)}")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.strip() == 'json:{"f1": 1.0}'
    assert seen == {"paths": [str(tmp_path)], "lang": "en", "models": "shipped"}


def test_review_is_wired_to_write_review(tmp_path, run, monkeypatch):
    import quotes.review

    seen = {}

    def fake_write_review(results, path, title=None):
        seen.update(results=results, path=path, title=title)

    monkeypatch.setattr(quotes.review, "write_review", fake_write_review)
    folder = _folder(tmp_path, {"a.txt": FR, "b.txt": ""})
    result = run("review", folder, "-o", tmp_path / "r.html", "--title", "T")
    assert result.exit_code == 0
    assert seen["path"] == str(tmp_path / "r.html") and seen["title"] == "T"
    assert all(isinstance(r, Result) for r in seen["results"])
    assert [(r.document.id, len(r.records), r.error and r.error.error) for r in seen["results"]] == [
        ("a", 2, None), ("b", 0, "empty_text")]


# ---------------------------------------------------------------------- writers
def test_jsonl_writer_writes_whole_lines_and_flushes():
    class Recorder(io.StringIO):
        flushes = 0

        def flush(self):
            Recorder.flushes += 1
            super().flush()

    from quotes.records import ErrorRecord

    stream = Recorder()
    JsonlWriter(stream).write_document([ErrorRecord(doc_id="é", source="s", error="empty_text", message="m")])
    assert stream.getvalue().endswith("\n") and "é" in stream.getvalue() and Recorder.flushes == 1


def test_results_keep_input_order_across_batches(monkeypatch):
    """Reader errors interleave with extraction results in input order, whatever the batch size."""
    from quotes.extractor import Document
    from quotes.records import ErrorRecord

    monkeypatch.setattr(Extractor, "_run", regex_only_run)
    items = []
    for i in range(30):
        if i % 4 == 0:
            items.append(ErrorRecord(doc_id=f"e{i}", source="s", error="empty_text", message="m"))
        else:
            items.append(Document(f"d{i}", PLAIN))
    ex = Extractor("fr", batch_size=7)
    out = [r.document.id for r in cli.results(ex, iter(items))]
    assert out == [getattr(i, "id", None) or i.doc_id for i in items]


def test_jobs_keeps_input_order(tmp_path):
    """--jobs 2 with the real extractor in worker processes (documents without quote marks: no parser)."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "" if i == 3 else PLAIN}) + "\n" for i in range(6)),
                   "utf-8")
    result = CliRunner().invoke(main, ["extract", str(src), "--jobs", "2", "--documents"])
    assert result.exit_code == 1, result.output
    docs = [(r["doc_id"], r["status"]) for r in _jsonl(result.stdout) if r["record"] == "document"]
    assert docs == [(f"d{i}", "error" if i == 3 else "ok") for i in range(6)]


@pytest.mark.parametrize("name,content,message", [
    ("gold.txt", "not a fixture", "cannot evaluate"),
    ("gold.json", "{broken", "cannot evaluate"),
    ("empty", None, "no gold documents"),
])
def test_eval_bad_gold_is_a_clean_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_text(content, "utf-8")
    result = CliRunner().invoke(main, ["eval", str(path)])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_jobs_pool_is_reused_across_calls():
    """Extractor(jobs=2): the workers start once and serve every extract_many call."""
    from quotes import Document, Extractor

    docs = [Document(f"d{i}", f"Texte sans guillemets numéro {i}.", lang="fr") for i in range(6)]
    with Extractor(jobs=2, batch_size=2) as ex:
        first = [r.document.id for r in ex.extract_many(docs)]
        pool = ex._pool
        second = [r.document.id for r in ex.extract_many(reversed(docs))]
        assert ex._pool is pool
        workers = [p.pid for p in pool._pool]
    assert first == [d.id for d in docs] and second == [d.id for d in reversed(docs)]
    assert ex._pool is None and len(workers) == 2
