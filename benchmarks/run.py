"""Benchmark of the quote extractor, on one corpus, in one run.

    python benchmarks/run.py [--corpus build/bench/corpus.jsonl] [--limit N] [--quick]

Builds the corpus first if it is missing (benchmarks/make_corpus.py), then measures, each
configuration in a fresh subprocess so that its memory and its start are its own:

- throughput, models loaded and warmed up before the clock starts (model load is reported
  under cold start, not here): articles/s and characters/s of
  (a) ``Extractor()`` (parses only the frames around quotes),
  (b) ``Extractor(whole_document=True)`` (parses every sentence),
  (c) ``quotes.spans.find_quotes`` alone (the regex pass),
  for --jobs 1 and 2; with --jobs 1 also with torch's default threads (``threads=None``, one per
  core; Extractor() runs one thread per process). With 2 jobs, (a) and (b) run
  quotes.parallel's own worker functions (``_init``/``_work``, batches of ``batch_size // 2``
  as ``run_parallel`` cuts them) in a pool whose workers have loaded and warmed their models;
  ``Extractor(jobs=2).extract_many`` is also timed end to end (pool start and model loads
  included);
- cold start: a fresh ``python -c 'import quotes; ex = quotes.Extractor(); ex.parser(lang);
  ex.extract(text)'`` per language: seconds to import, to load the models, to the first record;
- peak memory: VmHWM (max RSS) of every process that holds models; with 2 jobs, the largest
  worker (``getrusage(RUSAGE_CHILDREN)`` once the pool is joined);
- a cProfile of (a) and (b) on the first 50 articles, summed by pipeline stage.

The package measured is a copy of quotes/ taken at start (build/bench/snapshot/), so that every
configuration runs the same code while the tree is being edited (--no-snapshot: the live tree).
Prints a table with PASS/FAIL against the targets of the project and writes every figure to
build/bench/results.json. Take final figures on an idle machine: the load average at start is
printed, and a warning if it is high.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = ROOT / "build" / "bench" / "corpus.jsonl"
DEFAULT_RESULTS = ROOT / "build" / "bench" / "results.json"
SNAPSHOT = ROOT / "build" / "bench" / "snapshot"  # a frozen copy of the package, measured instead of the live tree
CODE_ROOT = ROOT  # where the measured ``quotes`` package lives (SNAPSHOT unless --no-snapshot)


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(CODE_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env

TARGETS = {
    "speedup_vs_whole": 5.0,  # (a) / (b), articles per second, --jobs 1
    "articles_per_s_jobs2": 25.0,  # (a) with --jobs 2
    "cold_start_s": 3.0,  # fresh process to first record, per language
    "peak_rss_mb": 600.0,  # per process, MB = 10^6 bytes
}
WARMUP_PER_LANG = 6  # quoted documents per language run before the clock starts


# =============================================================================== helpers
def vm_hwm_kib() -> int:
    """Peak resident memory of this process (VmHWM), KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def vm_rss_kib() -> int | None:
    """Current resident memory of this process (VmRSS), KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def mb(kib: float | None) -> float | None:
    return None if kib is None else kib * 1024 / 1e6


def load_corpus(path: Path, limit: int | None = None, sources: list[str] | None = None) -> list[dict]:
    docs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if sources:  # e.g. only the real seed articles: --sources seed
        docs = [d for d in docs if d.get("source") in sources]
    return docs[:limit] if limit else docs


def to_documents(rows: list[dict]):
    from quotes import Document

    return [Document(r["id"], r["text"], source=r.get("source", "bench"), lang=r["lang"]) for r in rows]


def warmup_rows(rows: list[dict]) -> list[dict]:
    """A few documents with quote marks per language: they load and warm every model."""
    from quotes.spans import find_quotes

    out = []
    for lang in sorted({r["lang"] for r in rows}):
        out += [r for r in rows if r["lang"] == lang and find_quotes(r["text"])][:WARMUP_PER_LANG]
    return out


def digest(result) -> str:
    """A short fingerprint of one document's output, to compare configurations."""
    import hashlib

    if result.error is not None:
        payload = ["error", result.error.error]
    else:
        payload = [r.model_dump(mode="json") for r in result.records]
    return hashlib.blake2b(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode(), digest_size=8).hexdigest()


def summarise(results, elapsed: float, rows: list[dict]) -> dict:
    chars = sum(len(r["text"]) for r in rows)
    return {
        "articles": len(rows), "chars": chars, "seconds": elapsed,
        "articles_per_s": len(rows) / elapsed if elapsed else None,
        "chars_per_s": chars / elapsed if elapsed else None,
        "records": sum(len(r.records) for r in results),
        "errors": sum(1 for r in results if r.error is not None),
        "error_kinds": sorted({r.error.error for r in results if r.error is not None}),
        "digests": [digest(r) for r in results],
    }


def install_fake_parser() -> None:
    """--fake-parser: a stand-in parser (one flat sentence per frame, no syntax) so that the
    harness can be tried without trained models. Its figures mean nothing."""
    from quotes import extractor
    from quotes.parsing import unparsed

    class FakeParser:
        cue_forms = frozenset()  # the lexicons' stems alone decide what is parsed
        sentences_parsed = chars_parsed = 0

        def parse(self, batch):
            return [unparsed(masked, fs) for masked, fs in batch]

    def parser(self, lang):
        return self._parsers.setdefault(lang, FakeParser())

    extractor.Extractor.parser = parser


# =============================================================================== children
def child_throughput(cfg: dict) -> dict:
    """(a) or (b) with one process: load, warm up, then time extract_many over the corpus."""
    t0 = time.perf_counter()
    if cfg.get("fake_parser"):
        install_fake_parser()
    from quotes import Extractor

    rows = load_corpus(Path(cfg["corpus"]), cfg.get("limit"), cfg.get("sources"))
    threads = {"threads": cfg["threads"]} if "threads" in cfg else {}  # else Extractor's default
    ex = Extractor(whole_document=cfg["mode"] == "whole", models=cfg.get("models", "shipped"), **threads)
    for lang in sorted({r["lang"] for r in rows}):
        ex.parser(lang)
    load_s = time.perf_counter() - t0
    rss_after_load = vm_rss_kib()
    list(ex.extract_many(to_documents(warmup_rows(rows))))
    for parser in ex._parsers.values():
        parser.sentences_parsed = parser.chars_parsed = 0
    docs = to_documents(rows)
    runs = []
    for _ in range(cfg.get("repeat", 1)):
        t = time.perf_counter()
        results = list(ex.extract_many(docs))
        runs.append(time.perf_counter() - t)
    out = summarise(results, statistics.median(runs), rows)
    n = len(runs)
    out.update(parsed_sentences=sum(getattr(p, "sentences_parsed", 0) for p in ex._parsers.values()) // n,
               parsed_chars=sum(getattr(p, "chars_parsed", 0) for p in ex._parsers.values()) // n)
    out.update(runs=runs, load_s=load_s, peak_rss_kib=vm_hwm_kib(), peak_rss_of="this process",
               rss_after_load_kib=rss_after_load, threads=__import__("torch").get_num_threads())
    return out


def _pool_init(settings: dict, ready, warm: list, fake: bool) -> None:
    """Initializer of the warm pool: quotes.parallel's own, then load and warm the models."""
    if fake:
        install_fake_parser()
    from quotes import parallel

    parallel._init(settings)
    for lang in sorted({d.lang for d in warm}):
        parallel._WORKER.parser(lang)
    list(parallel._WORKER.extract_many(warm))
    ready.put(os.getpid())


def child_pool(cfg: dict) -> dict:
    """(a) or (b) with N processes whose models are loaded and warm before the clock starts.

    The work is cut and dispatched as quotes.parallel.run_parallel does it."""
    import multiprocessing as mp
    import resource

    from quotes import Extractor, parallel

    rows = load_corpus(Path(cfg["corpus"]), cfg.get("limit"), cfg.get("sources"))
    ex = Extractor(whole_document=cfg["mode"] == "whole", jobs=cfg["jobs"], models=cfg.get("models", "shipped"))
    settings = dict(lang=ex.lang, models=ex.models, whole_document=ex.whole_document,
                    jobs=1, batch_size=ex.batch_size, threads=1)  # as run_parallel passes them
    ctx = mp.get_context("spawn")
    ready = ctx.Queue()
    t0 = time.perf_counter()
    pool = ctx.Pool(ex.jobs, initializer=_pool_init,
                    initargs=(settings, ready, to_documents(warmup_rows(rows)), cfg.get("fake_parser", False)))
    pids = [ready.get(timeout=600) for _ in range(ex.jobs)]
    load_s = time.perf_counter() - t0
    batches = list(parallel._batches(to_documents(rows), max(1, ex.batch_size // 2)))
    runs = []
    for _ in range(cfg.get("repeat", 1)):
        t = time.perf_counter()
        results = [r for batch in pool.imap(parallel._work, batches) for r in batch]
        runs.append(time.perf_counter() - t)
    pool.close()
    pool.join()
    out = summarise(results, statistics.median(runs), rows)
    out.update(runs=runs, load_s=load_s, workers=pids,
               peak_rss_kib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               peak_rss_of="largest worker", parent_rss_kib=vm_hwm_kib())
    return out


def child_end_to_end(cfg: dict) -> dict:
    """Extractor(jobs=N).extract_many as a user calls it: pool start and model loads included."""
    import resource

    from quotes import Extractor

    rows = load_corpus(Path(cfg["corpus"]), cfg.get("limit"), cfg.get("sources"))
    docs = to_documents(rows)
    ex = Extractor(jobs=cfg["jobs"], whole_document=cfg["mode"] == "whole", models=cfg.get("models", "shipped"))
    t = time.perf_counter()
    results, first = [], None
    for r in ex.extract_many(docs):
        if first is None:
            first = time.perf_counter() - t
        results.append(r)
    elapsed = time.perf_counter() - t
    ex.close()  # join the workers: their peak memory is known once they are reaped
    out = summarise(results, elapsed, rows)
    out.update(first_result_s=first, peak_rss_kib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               peak_rss_of="largest worker", parent_rss_kib=vm_hwm_kib())
    return out


def child_regex(cfg: dict) -> dict:
    """(c): find_quotes over the corpus, repeated until it has run for a second at least.
    (What (a) and (b) hand to the parser is counted by their own runs.)"""
    from quotes.spans import find_quotes

    rows = load_corpus(Path(cfg["corpus"]), cfg.get("limit"), cfg.get("sources"))
    texts = [r["text"] for r in rows]
    runs, found = [], 0
    while sum(runs) < 1.0 or len(runs) < 3:
        t = time.perf_counter()
        found = sum(len(find_quotes(x)) for x in texts)
        runs.append(time.perf_counter() - t)
    elapsed = statistics.median(runs)
    chars = sum(map(len, texts))
    out = {"articles": len(rows), "chars": chars, "seconds": elapsed, "runs": len(runs),
           "articles_per_s": len(rows) / elapsed, "chars_per_s": chars / elapsed, "quote_spans": found,
           "peak_rss_kib": vm_hwm_kib(), "peak_rss_of": "this process"}
    out["documents_with_quotes"] = sum(1 for x in texts if find_quotes(x))
    return out


STAGES = [  # (label, file suffix, function name)
    ("language.detect", "quotes/language.py", "detect"),
    ("spans.find_quotes (regex)", "quotes/spans.py", "find_quotes"),
    ("frames.mask", "quotes/frames.py", "mask"),
    ("frames.split_sentences", "quotes/frames.py", "split_sentences"),
    ("parsing.Parser.parse (all)", "quotes/parsing.py", "parse"),
    ("  stanza tokenize", "stanza/pipeline/tokenize_processor.py", "*"),
    ("  stanza mwt", "stanza/pipeline/mwt_processor.py", "*"),
    ("  stanza pos", "stanza/pipeline/pos_processor.py", "*"),
    ("  stanza lemma", "stanza/pipeline/lemma_processor.py", "*"),
    ("  stanza depparse", "stanza/pipeline/depparse_processor.py", "*"),
    ("attribution.attribute", "quotes/attribution.py", "attribute"),
    ("resolution.resolve", "quotes/resolution.py", "resolve"),
    ("records.build", "quotes/records.py", "build"),
]


def child_profile(cfg: dict) -> dict:
    """cProfile of a warm extract_many over the first N articles, summed by stage."""
    import cProfile
    import io
    import pstats

    if cfg.get("fake_parser"):
        install_fake_parser()
    from quotes import Extractor

    rows = load_corpus(Path(cfg["corpus"]), cfg.get("limit"), cfg.get("sources"))
    ex = Extractor(whole_document=cfg["mode"] == "whole", models=cfg.get("models", "shipped"))
    for lang in sorted({r["lang"] for r in rows}):
        ex.parser(lang)
    list(ex.extract_many(to_documents(warmup_rows(rows))))
    docs = to_documents(rows)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    list(ex.extract_many(docs))
    prof.disable()
    wall = time.perf_counter() - t
    stats = pstats.Stats(prof)
    stages = {}
    for label, suffix, name in STAGES:
        best = 0.0
        for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if filename.replace("\\", "/").endswith(suffix) and (
                    func == name or (name == "*" and func in ("process", "bulk_process"))):
                best = max(best, ct)  # the outermost entry of the stage
        stages[label] = best
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    top = [line for line in buf.getvalue().splitlines() if line.strip()][-16:]
    return {"articles": len(rows), "chars": sum(len(r["text"]) for r in rows), "wall_s": wall,
            "total_s": stats.total_tt, "stages": stages, "top_tottime": top}


CHILDREN = {"throughput": child_throughput, "pool": child_pool, "end_to_end": child_end_to_end,
            "regex": child_regex, "profile": child_profile}

COLD_CODE = r"""
import json, sys, time
t_start = time.time()
import quotes
t_import = time.time()
ex = quotes.Extractor(models=sys.argv[3])
ex.parser(sys.argv[1])
t_load = time.time()
text = open(sys.argv[2], encoding="utf-8").read()
records = ex.extract(text, lang=sys.argv[1])
t_first = time.time()
hwm = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        hwm = int(line.split()[1])
print("COLD " + json.dumps({"t_start": t_start, "t_import": t_import, "t_load": t_load, "t_first": t_first,
                            "records": len(records), "peak_rss_kib": hwm}))
"""


# =============================================================================== parent
def run_child(kind: str, cfg: dict, timeout: float) -> dict:
    """One measurement in a fresh interpreter; its figures come back through a JSON file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cfg = dict(cfg, kind=kind, out=str(out))
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(cfg)]
        try:
            proc = subprocess.run(cmd, cwd=CODE_ROOT, env=child_env(), capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-12:]
            return {"error": f"exit {proc.returncode}", "traceback": tail}
        return json.loads(out.read_text())


def cold_start(lang: str, text_path: Path, repeats: int, timeout: float, models: str = "shipped") -> dict:
    runs = []
    for _ in range(repeats):
        t0 = time.time()
        try:
            proc = subprocess.run([sys.executable, "-c", COLD_CODE, lang, str(text_path), models], cwd=CODE_ROOT,
                                  env=child_env(),
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        line = next((x for x in proc.stdout.splitlines() if x.startswith("COLD ")), None)
        if proc.returncode != 0 or line is None:
            return {"error": f"exit {proc.returncode}", "traceback": proc.stderr.strip().splitlines()[-12:]}
        m = json.loads(line[5:])
        runs.append({
            "interpreter_s": m["t_start"] - t0, "import_s": m["t_import"] - m["t_start"],
            "load_s": m["t_load"] - m["t_import"], "first_record_s": m["t_first"] - t0,
            "extract_s": m["t_first"] - m["t_load"], "records": m["records"], "peak_rss_kib": m["peak_rss_kib"],
        })
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "records"}
    return {"median": med, "runs": runs, "max_first_record_s": max(r["first_record_s"] for r in runs),
            "document": text_path.name}


def code_fingerprint() -> str:
    """A hash of the package's source and model files: a change during the run is reported."""
    import hashlib

    h = hashlib.blake2b(digest_size=8)
    for path in sorted((CODE_ROOT / "quotes").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".pt") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(CODE_ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def make_snapshot() -> Path:
    """Copy the quotes package (code, lexicons, models) to build/bench/snapshot: every
    configuration then measures the same code, even if the tree is edited during the run."""
    import shutil

    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    shutil.copytree(ROOT / "quotes", SNAPSHOT / "quotes", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return SNAPSHOT


def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def ver(pkg):
        try:
            return version(pkg)
        except PackageNotFoundError:
            return None

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    return {
        "cpu": cpu, "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": round(mem / 2**20, 1), "os": platform.platform(), "python": platform.python_version(),
        "torch": ver("torch"), "stanza": ver("stanza"), "quotes": ver("quotes"),
        "load_average_at_start": os.getloadavg(),
    }


def fmt(x, spec=",.0f", none="—"):
    return none if x is None else format(x, spec)


def verdict(ok) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(res: dict) -> str:
    L = []
    c, m = res["corpus"], res["machine"]
    L.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
             f"torch {m['torch']}, stanza {m['stanza']}; load average (1 min) at start {m['load_average_at_start'][0]:.2f}, "
             f"at end {m.get('load_average_at_end', [float('nan')])[0]:.2f}")
    L.append(f"Corpus: {c['path']}: {c['articles']} articles ({c['by_lang']}), {c['chars']:,} characters; "
             f"{c['by_source']}")
    if res.get("code_changed_during_run"):
        L.append("!! the quotes package (code or models) changed during the run: the configurations did not all "
                 "measure the same code, and 'same records' compares different versions.")
    if res.get("fake_parser"):
        L.append("!! --fake-parser: no syntax model ran; these figures test the harness only.")
    L.append("")
    L.append("Throughput, models loaded and warm (model load: see cold start)")
    L.append(f"  {'configuration':<48} {'jobs':>4} {'articles/s':>10} {'chars/s':>10} {'seconds':>8} "
             f"{'records':>7} {'errors':>6} {'peak MB':>8}")
    for key, label in [("a1", "(a) Extractor()"), ("b1", "(b) Extractor(whole_document=True)"),
                       ("c1", "(c) find_quotes (regex pass)"), ("a1t", "(a) Extractor(threads=None)**"),
                       ("b1t", "(b) Extractor(whole_document=True, threads=None)**"), ("a2", "(a) Extractor()"),
                       ("b2", "(b) Extractor(whole_document=True)"),
                       ("e2", "(a) Extractor(jobs=2), end to end*")]:
        r = res["throughput"].get(key)
        if r is None:
            continue
        jobs = key[1]
        if "error" in r:
            L.append(f"  {label:<48} {jobs:>4}  ERROR {r['error']}: {(r.get('traceback') or [''])[-1]}")
            continue
        L.append(f"  {label:<48} {jobs:>4} {fmt(r['articles_per_s'], ',.1f'):>10} {fmt(r['chars_per_s']):>10} "
                 f"{fmt(r['seconds'], '.2f'):>8} {fmt(r.get('records'), 'd'):>7} {fmt(r.get('errors'), 'd'):>6} "
                 f"{fmt(mb(r.get('peak_rss_kib')), '.0f'):>8}")
    e2 = res["throughput"].get("e2")
    if e2 and "error" not in e2:
        L.append(f"  * pool start and model load in every worker included; first result after "
                 f"{e2['first_result_s']:.1f} s")
    if "a1t" in res["throughput"]:
        L.append("  ** torch's default threads (one per core); Extractor() runs one torch thread per process "
                 "(threads=1), as do the workers of jobs 2")
    r = res["ratios"]
    L.append("")
    L.append("Ratios (articles per second)")
    for k, label in [("a_over_b_jobs1", "a/b, jobs 1"), ("a_over_b_jobs1_threads1", "a/b, jobs 1, threads=None"),
                     ("a_over_b_jobs2", "a/b, jobs 2"),
                     ("a_over_c_jobs1", "a/c, jobs 1"), ("jobs2_over_jobs1", "(a) jobs 2 / jobs 1")]:
        v = r.get(k)
        L.append(f"  {label:<22} {'—' if v is None else (f'{v:.2f}' if v >= 0.01 else f'{v:.2e}')}")
    c1, a1, b1 = (res["throughput"].get(k, {}) for k in ("c1", "a1", "b1"))
    if "parsed_sentences" in a1 and "parsed_sentences" in b1:
        L.append(f"  parser input: (a) {a1['parsed_sentences']:,} sentences / {a1['parsed_chars']:,} chars, "
                 f"(b) {b1['parsed_sentences']:,} / {b1['parsed_chars']:,} "
                 f"({c1.get('documents_with_quotes', '?')} of {a1['articles']} articles have quote marks; "
                 f"(a) parses nothing in the others, (b) parses them whole)")
    agree = res.get("agreement", {})
    if agree:
        L.append("  same records: " + ", ".join(f"{k}: {v}" for k, v in agree.items()))
    L.append("")
    L.append("Cold start: fresh `python -c 'import quotes; ex = quotes.Extractor(); ex.parser(lang); ex.extract(doc)'`"
             f" (median of {res['settings']['cold_repeats']})")
    L.append(f"  {'lang':<5} {'interpreter':>11} {'import':>7} {'load':>7} {'1st extract':>11} {'to 1st record':>13} "
             f"{'worst':>6} {'peak MB':>8}")
    for lang, cs in res["cold_start"].items():
        if "error" in cs:
            L.append(f"  {lang:<5} ERROR {cs['error']}: {(cs.get('traceback') or [''])[-1]}")
            continue
        md = cs["median"]
        L.append(f"  {lang:<5} {md['interpreter_s']:>10.2f}s {md['import_s']:>6.2f}s {md['load_s']:>6.2f}s "
                 f"{md['extract_s']:>10.2f}s {md['first_record_s']:>12.2f}s {cs['max_first_record_s']:>5.2f}s "
                 f"{mb(md['peak_rss_kib']):>8.0f}")
    prof = res.get("profile", {})
    for mode, pr in prof.items():
        if "error" in pr:
            L.append(f"Profile ({mode}): ERROR {pr['error']}: {(pr.get('traceback') or [''])[-1]}")
            continue
        L.append("")
        L.append(f"Where the time goes: cProfile of ({mode}) on {pr['articles']} articles, warm "
                 f"({pr['wall_s']:.2f} s under the profiler; cumulative seconds per stage)")
        total = pr["total_s"] or 1
        for label, sec in pr["stages"].items():
            L.append(f"  {label:<32} {sec:>8.3f} s {100 * sec / total:>5.1f}%")
    L.append("")
    L.append("Targets")
    for t in res["targets"]:
        L.append(f"  {t['name']:<44} {t['value']:<40} {verdict(t['pass'])}")
    return "\n".join(L)


def evaluate_targets(res: dict) -> list[dict]:
    tp, cs = res["throughput"], res["cold_start"]
    out = []
    ratio = res["ratios"].get("a_over_b_jobs1")
    out.append({"name": f"Extractor >= {TARGETS['speedup_vs_whole']:g}x whole document (jobs 1)",
                "value": "—" if ratio is None else f"{ratio:.2f}x"
                + "".join(f", {label} {res['ratios'][k]:.2f}x" for k, label in
                          (("a_over_b_jobs1_threads1", "torch threads"), ("a_over_b_jobs2", "jobs 2")) if res["ratios"].get(k)),
                "pass": None if ratio is None else ratio >= TARGETS["speedup_vs_whole"]})
    a2 = tp.get("a2", {}).get("articles_per_s")
    e2 = tp.get("e2", {}).get("articles_per_s")
    out.append({"name": f">= {TARGETS['articles_per_s_jobs2']:g} articles/s with --jobs 2 (warm)",
                "value": "—" if a2 is None else f"{a2:.1f}/s" + (f" (end to end {e2:.1f}/s)" if e2 else ""),
                "pass": None if a2 is None else a2 >= TARGETS["articles_per_s_jobs2"]})
    firsts = {lang: c["median"]["first_record_s"] for lang, c in cs.items() if "median" in c}
    out.append({"name": f"cold start <= {TARGETS['cold_start_s']:g} s (median, each language)",
                "value": ", ".join(f"{k} {v:.2f} s" for k, v in firsts.items()) or "—",
                "pass": None if len(firsts) < len(cs) or not firsts else max(firsts.values()) <= TARGETS["cold_start_s"]})
    peaks = {k: mb(v["peak_rss_kib"]) for k, v in tp.items() if isinstance(v, dict) and v.get("peak_rss_kib")
             and k != "c1"}
    peaks.update({f"cold-{lang}": mb(c["median"]["peak_rss_kib"]) for lang, c in cs.items() if "median" in c})
    worst = max(peaks.items(), key=lambda kv: kv[1]) if peaks else None
    out.append({"name": f"peak memory <= {TARGETS['peak_rss_mb']:g} MB per process",
                "value": "—" if worst is None else f"max {worst[1]:.0f} MB ({worst[0]})",
                "pass": None if worst is None else worst[1] <= TARGETS["peak_rss_mb"]})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of the corpus")
    ap.add_argument("--sources", default=None,
                    help="only these sources of the corpus, comma-separated: seed, fixture, synthetic")
    ap.add_argument("--quick", action="store_true",
                    help="a quick check: 60 articles, one cold start per language, 20-article profile")
    ap.add_argument("--jobs", default="1,2", help="comma-separated job counts to measure (default 1,2)")
    ap.add_argument("--no-threads1", action="store_true",
                    help="skip the jobs-1 runs with torch's default threads (threads=None)")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes per throughput figure (median)")
    ap.add_argument("--cold-repeats", type=int, default=3)
    ap.add_argument("--profile", type=int, default=50, help="articles to profile (0: no profile)")
    ap.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    ap.add_argument("--ud", type=Path, default=None, help="UD folder for building the corpus (default ../shared/ud)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed to each measurement")
    ap.add_argument("--models", default="shipped",
                    help="Extractor(models=...): shipped (default), official, or a folder of retrained models")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="measure the live tree instead of a copy of quotes/ taken at start")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--fake-parser", action="store_true",
                    help="replace the parser by a stub (not in cold start and end-to-end runs): tests the harness without models")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:  # a measurement in this fresh process
        cfg = json.loads(args.child)
        sys.path.insert(0, cfg["code_root"])
        result = CHILDREN[cfg["kind"]](cfg)
        import quotes

        result["quotes_package"] = str(Path(quotes.__file__).parent)
        Path(cfg["out"]).write_text(json.dumps(result))
        return 0

    global CODE_ROOT
    CODE_ROOT = ROOT if args.no_snapshot else make_snapshot()
    limit = args.limit or (60 if args.quick else None)
    cold_repeats = 1 if args.quick else args.cold_repeats
    profile_n = min(args.profile, 20) if args.quick else args.profile
    jobs = sorted({int(j) for j in args.jobs.split(",")})
    corpus = args.corpus.resolve()
    if not corpus.exists():
        sys.path.insert(0, str(HERE))
        import make_corpus

        print(f"building the corpus {corpus} ...", flush=True)
        make_corpus.build(corpus, args.ud or make_corpus.DEFAULT_UD)
    sources = args.sources.split(",") if args.sources else None
    rows = load_corpus(corpus, limit, sources)
    langs = sorted({r["lang"] for r in rows})
    res = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine(),
        "settings": {"limit": limit, "sources": sources, "quick": args.quick, "repeat": args.repeat, "cold_repeats": cold_repeats,
                     "jobs": jobs, "warmup_docs_per_lang": WARMUP_PER_LANG,
                     "models": args.models, "measured_package": str(CODE_ROOT / "quotes")},
        "fake_parser": args.fake_parser,
        "corpus": {
            "path": os.path.relpath(corpus, ROOT), "articles": len(rows), "chars": sum(len(r["text"]) for r in rows),
            "by_lang": ", ".join(f"{lang} {sum(1 for r in rows if r['lang'] == lang)}" for lang in langs),
            "by_source": ", ".join(f"{s} {sum(1 for r in rows if r.get('source') == s)}"
                                   for s in ("seed", "fixture", "synthetic")),
        },
        "targets_set": TARGETS, "throughput": {}, "cold_start": {}, "profile": {},
        "code_fingerprint": code_fingerprint(),
    }
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"WARNING: load average {load:.2f} at start: another process is using the CPU, "
              "the figures will be low", file=sys.stderr)
    base = {"corpus": str(corpus), "limit": limit, "sources": sources, "repeat": args.repeat, "fake_parser": args.fake_parser,
            "models": args.models, "code_root": str(CODE_ROOT)}

    def step(key, kind, label, **cfg):
        print(f"[{time.strftime('%H:%M:%S')}] {label} ...", file=sys.stderr, flush=True)
        res["throughput"][key] = r = run_child(kind, dict(base, **cfg), args.timeout)
        if "error" in r:
            print(f"    ERROR {r['error']}\n      " + "\n      ".join(r.get("traceback", [])), file=sys.stderr)
        else:
            print(f"    {r['articles_per_s']:.2f} articles/s", file=sys.stderr)

    step("c1", "regex", "(c) regex pass")
    if 1 in jobs:
        step("a1", "throughput", "(a) extractor, jobs 1", mode="frames")
        step("b1", "throughput", "(b) whole document, jobs 1", mode="whole")
        if not args.no_threads1:
            step("a1t", "throughput", "(a) extractor, jobs 1, threads=None", mode="frames", threads=None)
            step("b1t", "throughput", "(b) whole document, jobs 1, threads=None", mode="whole", threads=None)
    for j in (j for j in jobs if j > 1):
        step(f"a{j}", "pool", f"(a) extractor, jobs {j}, warm pool", mode="frames", jobs=j)
        step(f"b{j}", "pool", f"(b) whole document, jobs {j}, warm pool", mode="whole", jobs=j)
        step(f"e{j}", "end_to_end", f"(a) Extractor(jobs={j}).extract_many end to end", mode="frames", jobs=j)
    # cold start, on the first seed document of each language that has quote marks
    sys.path.insert(0, str(CODE_ROOT))
    from quotes.spans import find_quotes

    all_rows = load_corpus(corpus)
    tmpdir = Path(tempfile.mkdtemp(prefix="quotes-bench-"))
    for lang in langs:
        pick = next((r for r in all_rows if r.get("source") == "seed" and r["lang"] == lang and find_quotes(r["text"])),
                    None) or next(r for r in all_rows if r["lang"] == lang and find_quotes(r["text"]))
        path = tmpdir / f"{pick['id']}.txt"
        path.write_text(pick["text"], encoding="utf-8")
        print(f"[{time.strftime('%H:%M:%S')}] cold start {lang} x{cold_repeats} ...", file=sys.stderr, flush=True)
        res["cold_start"][lang] = cs = cold_start(lang, path, cold_repeats, args.timeout, args.models)
        if "error" in cs:
            print(f"    ERROR {cs['error']}\n      " + "\n      ".join(cs.get("traceback", [])), file=sys.stderr)
    if profile_n:
        for mode, key in (("frames", "a"), ("whole", "b")):
            print(f"[{time.strftime('%H:%M:%S')}] profile ({key}) on {profile_n} articles ...", file=sys.stderr, flush=True)
            res["profile"][key] = run_child("profile", dict(base, mode=mode, limit=min(profile_n, len(rows))),
                                            args.timeout)
    import shutil

    shutil.rmtree(tmpdir, ignore_errors=True)

    tp = res["throughput"]

    def aps(key):
        r = tp.get(key) or {}
        return r.get("articles_per_s")

    def ratio(x, y):
        return aps(x) / aps(y) if aps(x) and aps(y) else None

    res["ratios"] = {"a_over_b_jobs1": ratio("a1", "b1"), "a_over_c_jobs1": ratio("a1", "c1"),
                     "a_over_b_jobs1_threads1": ratio("a1t", "b1t"),
                     "a_over_b_jobs2": ratio("a2", "b2"), "jobs2_over_jobs1": ratio("a2", "a1")}
    agreement = {}
    for x, y, label in (("a1", "b1", "a1 vs b1"), ("a1", "a2", "a1 vs a2"), ("b1", "b2", "b1 vs b2"),
                        ("a1", "e2", "a1 vs e2"), ("a1", "a1t", "a1 vs a1t")):
        dx, dy = (tp.get(x) or {}).get("digests"), (tp.get(y) or {}).get("digests")
        if dx and dy:
            agreement[label] = f"{sum(p != q for p, q in zip(dx, dy))} of {len(dx)} documents differ"
    res["agreement"] = agreement
    res["targets"] = evaluate_targets(res)
    res["code_changed_during_run"] = code_fingerprint() != res["code_fingerprint"]
    res["machine"]["load_average_at_end"] = os.getloadavg()
    text = report(res)
    print(text)
    for r in tp.values():  # keep results.json readable
        if isinstance(r, dict):
            r.pop("digests", None)
    res["report"] = text
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
    print(f"\nfigures written to {os.path.relpath(args.results.resolve(), ROOT)}")
    failed_measure = any("error" in r for r in list(tp.values()) + list(res["cold_start"].values())
                         + list(res["profile"].values()))
    if failed_measure:
        return 2
    if args.check and any(t["pass"] is False for t in res["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
