"""How the cost of extraction grows with the size of a document: it should grow linearly.

    python benchmarks/robustness.py                       # 1 MB and 5 MB, 5 000 and 10 000 marks
    python benchmarks/robustness.py --budget 30 --no-extractor      # the regex stages only
    python benchmarks/robustness.py --sizes 100000 200000 --marks 500 1000   # a quick look

Times the regex stages (find_quotes, mask, split_sentences) and the whole extractor on
generated documents: news-like text of two sizes, and two documents of unbalanced quote
marks. For each pair it prints the ratio of the times next to the ratio of the sizes (linear
growth: the two ratios are close; quadratic: the time ratio is the square of the size ratio).
Every measure stops after --budget seconds (the whole extractor after --extractor-budget
seconds in all: about 11 minutes for the defaults on a 2-core machine), and is then printed
as "> N s". A scaling probe on small texts follows, so that a stage too slow for the big
documents still shows how it grows.
"""
from __future__ import annotations

import argparse
import random
import signal
import time
from contextlib import contextmanager

from quotes import spans
from quotes.extractor import Extractor
from quotes.frames import mask, split_sentences
from quotes.lexicon import get_lexicon

SEED = 11
SENTENCES = [
    "« Nous ne céderons pas », a déclaré la ministre de l'Intérieur, Anne Roy.",
    "Le conseil municipal s'est réuni hier soir à la mairie.",
    "Selon M. Dupont, « la situation est grave mais pas désespérée, et nous le savons tous ».",
    "Il a évoqué un « moment historique » pour la région.",
    "« C'est une erreur », estime un haut responsable, qui a requis l'anonymat.",
    "Les syndicats appellent à une nouvelle journée de mobilisation jeudi.",
]


class OverBudget(Exception):
    pass


@contextmanager
def budget(seconds: float):
    """Stop the block after `seconds` (SIGALRM; main thread, Unix)."""
    def stop(signum, frame):
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def news(size: int, seed: int = SEED) -> str:
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        s = rng.choice(SENTENCES) + ("\n" if rng.random() < 0.25 else " ")
        parts.append(s)
        n += len(s)
    return "".join(parts)[:size]


def unbalanced(marks: int, seed: int = SEED) -> str:
    rng = random.Random(seed)
    words = "la ministre a dit que nous ne céderons pas".split()
    return "".join(rng.choice("«««“„\"‹‘»”’") + " " + " ".join(rng.sample(words, 3)) + rng.choice([" ", ". ", "\n"])
                   for _ in range(marks))


def timed(fn, seconds: float, repeat: int = 3):
    """(best elapsed seconds, result) or (None, None) when over budget.

    A measure under a second is repeated (best of `repeat`): the machine may be busy."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            with budget(seconds):
                result = fn()
        except OverBudget:
            return None, None
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        if elapsed > 1:
            break
    return best, result


def regex_stages(text: str, seconds: float) -> dict[str, float | None]:
    lex = get_lexicon("fr")
    out: dict[str, float | None] = {}
    out["find_quotes"], quotes = timed(lambda: spans.find_quotes(text), seconds)
    if quotes is None:
        return {**out, "mask": None, "split": None}
    out["mask"], masked = timed(lambda: mask(text, quotes, lex), seconds)
    out["split"] = timed(lambda: split_sentences(masked, quotes), seconds)[0] if masked is not None else None
    return out


def fmt(t: float | None, cap: float) -> str:
    return f"{t:9.3f} s" if t is not None else f"   > {cap:.0f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{b / a:7.1f}x" if a and b is not None else "    n/a"


def compare(label: str, docs: list[tuple[str, str]], seconds: float) -> None:
    (name_a, a), (name_b, b) = docs
    print(f"\n{label}: {name_a} ({len(a):,} chars) vs {name_b} ({len(b):,} chars), "
          f"size ratio {len(b) / len(a):.1f}x")
    ta, tb = regex_stages(a, seconds), regex_stages(b, seconds)
    for stage in ta:
        print(f"  {stage:<12} {fmt(ta[stage], seconds)} {fmt(tb[stage], seconds)}   time ratio {ratio(ta[stage], tb[stage])}")


def probe(seconds: float) -> None:
    print("\nscaling probe (news text): each row doubles the size")
    previous: dict[str, float | None] = {}
    for size in (25_000, 50_000, 100_000, 200_000):
        times = regex_stages(news(size), seconds)
        row = "  ".join(f"{k} {fmt(v, seconds)} ({ratio(previous.get(k), v).strip()})" for k, v in times.items())
        print(f"  {size:>8,} chars  {row}")
        previous = times


def rss_mb() -> float:
    """Resident memory of this process now, MB (10^6 bytes)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return float("nan")


def whole_extractor(pairs: list[tuple[str, list[tuple[str, str]]]], seconds: float) -> None:
    """The extractor from text to records (parser included) on each pair of documents, with
    the ratio of the times next to the ratio of the sizes."""
    print(f"\nwhole extractor, text to records, parser included (budget {seconds:.0f} s in all)")
    extractor = Extractor("fr")
    try:
        extractor.parser("fr")  # model load is not part of the growth
    except Exception as exc:  # no models installed, etc.: say so and go on
        print(f"  unavailable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        return
    print(f"  models loaded, resident memory {rss_mb():.0f} MB")
    left = seconds
    for label, docs in pairs:
        times = []
        print(f"  {label}")
        for name, text in docs:
            if left <= 0:
                print(f"    {name:<14} skipped (budget spent)")
                times.append(None)
                continue
            start = time.perf_counter()
            try:
                elapsed = None
                for _ in range(2):  # a run under a minute is repeated, the best kept (a busy machine)
                    t0 = time.perf_counter()
                    with budget(left - (t0 - start)):
                        records = extractor.extract(text, lang="fr", doc_id=name)
                    elapsed = min(elapsed or 1e9, time.perf_counter() - t0)
                    if elapsed > 60:
                        break
                times.append(elapsed)
                print(f"    {name:<14} {len(text):>10,} chars {elapsed:9.1f} s  {len(text) / elapsed:8,.0f} chars/s  "
                      f"{len(records):>6,} quote records  resident memory after {rss_mb():.0f} MB", flush=True)
            except OverBudget:
                times.append(None)
                print(f"    {name:<14}    > {left:.0f} s (stopped)")
            left -= time.perf_counter() - start
        (_, a), (_, b) = docs
        print(f"    size ratio {len(b) / len(a):.1f}x, time ratio {ratio(times[0], times[1]).strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000_000, 5_000_000])
    parser.add_argument("--marks", type=int, nargs=2, default=[5_000, 10_000])
    parser.add_argument("--budget", type=float, default=60, help="seconds per measure (default 60)")
    parser.add_argument("--extractor-budget", type=float, default=1800,
                        help="seconds for the whole extractor, all documents together (default 1800)")
    parser.add_argument("--no-extractor", action="store_true")
    parser.add_argument("--no-probe", action="store_true")
    parser.add_argument("--only", choices=["news", "unbalanced"], help="one pair of documents only")
    args = parser.parse_args()
    sized = [(f"{s / 1e6:g} MB", news(s)) for s in args.sizes]
    marked = [(f"{m:,} marks", unbalanced(m)) for m in args.marks]
    pairs = [("unbalanced marks", marked), ("news text", sized)]
    if args.only:
        pairs = [p for p in pairs if p[0].startswith(args.only)]
    if not args.only or args.only == "news":
        compare("regex stages, news text", sized, args.budget)
    if not args.only or args.only == "unbalanced":
        compare("regex stages, unbalanced marks", marked, args.budget)
    if not args.no_probe:
        probe(args.budget)
    if not args.no_extractor:
        whole_extractor(pairs, args.extractor_budget)


if __name__ == "__main__":
    main()
