"""Build the benchmark corpus: build/bench/corpus.jsonl, one JSON object per line
(id, lang, text, source, and for synthetic articles the UD sentences they come from).

    python benchmarks/make_corpus.py [--ud ../shared/ud] [--articles 500] [--seed 5] [--out build/bench/corpus.jsonl]

Three sources, flagged in "source":
- "seed": the raw texts of seeds/*.txt (language from fixtures/seeds/<name>.json);
- "fixture": the annotated documents of fixtures/fr and fixtures/en (fixtures/seeds holds the
  seeds again, so it is not added twice);
- "synthetic": news-like articles assembled from the *held-out* UD test sentences, the ones
  the shipped models never saw (``quotes.models.train.SOURCES[lang]["test"]``: UD_French-GSD
  test and UD_French-Sequoia test; the last 30% of UD_English-EWT test), with quotes inserted
  the way news writes them.

A synthetic article is 8-25 consecutive sentences of the UD stream of its language (one UD
document where the document is long enough, else the documents that follow it in the file:
EWT documents average 3 sentences, GSD has no document boundaries), in 3-8 paragraphs.
About 15% of the articles get no quote at all (and skip the UD sentences that hold quote
marks). The others get, per article, 1-3 speakers
(name + role, or an anonymous source) and:
- direct quotes, about one sentence in six (at least one): the sentence becomes the quote,
  with a reporting frame: « … », a déclaré <Name>, <role>. / <Name>, <role>, a déclaré : « … »
  / « … », a-t-il ajouté. / « …, poursuit-elle, … » / « … », selon <Name>. / Selon <Name>, « … ».
  and in English "…," said <Name>, the <role>. / <Name> said: "…" / "…," he added. /
  "…," she said, "…" / According to <Name>, "…";
- 0-2 partial quotes of 2-4 words in guillemets or curly quotes, inside narration;
- in a quarter of the quoted articles, one quote over two paragraphs (the mark reopened at the
  start of the second paragraph).
Sentences of a few words, URLs and sentences that already hold quote marks are never turned
into quotes (they stay as narration). Everything is drawn from one ``random.Random(seed)``:
the same arguments give the same file, byte for byte.

The articles are written in a shuffled order (seeds and fixtures mixed in), so that the first
N lines (``run.py --limit N``) are a fair sample of the whole corpus.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quotes.models.train import SOURCES, read_conllu, select  # noqa: E402  (the held-out parts)

DEFAULT_OUT = ROOT / "build" / "bench" / "corpus.jsonl"
DEFAULT_UD = ROOT.parent / "shared" / "ud"  # ../shared/ud relative to the repository root
DEFAULT_SEED = 5
DEFAULT_ARTICLES = 500

QUOTE_MARKS = set('«»“”„‟"‘’‹›')
SKIP = re.compile(r"https?:|www\.|@|\.com\b|^[\W\d_]+$")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# --------------------------------------------------------------------- people and roles
# (name, gender) ; gender picks the pronoun of the follow-up frames
PEOPLE = {
    "fr": [
        ("Marie Dupont", "f"), ("Jean-Luc Moreau", "m"), ("Nathalie Girard", "f"), ("Karim Benali", "m"),
        ("Sophie Lambert", "f"), ("François Mercier", "m"), ("Claire Fontaine", "f"), ("Olivier Roussel", "m"),
        ("Aïcha Diallo", "f"), ("Pierre-Yves Le Gall", "m"), ("Isabelle Chevalier", "f"), ("Thomas Garnier", "m"),
        ("Hélène Bertrand", "f"), ("Mathieu Perrin", "m"), ("Léa Faure", "f"), ("Antoine Lefebvre", "m"),
    ],
    "en": [
        ("Sarah Mitchell", "f"), ("David Okafor", "m"), ("Emily Carter", "f"), ("James O'Brien", "m"),
        ("Priya Raman", "f"), ("Michael Torres", "m"), ("Laura Bennett", "f"), ("Daniel Kim", "m"),
        ("Rachel Green", "f"), ("Thomas Whitaker", "m"), ("Hannah Schultz", "f"), ("Robert Hughes", "m"),
        ("Grace Adeyemi", "f"), ("Kevin Murphy", "m"), ("Olivia Brooks", "f"), ("Samuel Ortiz", "m"),
    ],
}
ROLES = {
    "fr": ["ministre de la Santé", "porte-parole du gouvernement", "maire de Lyon", "secrétaire général de la CGT",
           "économiste à l'OFCE", "directrice de l'hôpital", "président de la région", "députée de la Gironde",
           "chercheur au CNRS", "avocat de la famille", "procureure de la République", "préfet du Nord"],
    "en": ["health secretary", "spokesperson for the State Department", "mayor of Leeds", "union leader",
           "chief economist at the bank", "director of the hospital", "state governor", "senator from Ohio",
           "researcher at Oxford University", "lawyer for the family", "district attorney", "police chief"],
}
ANONYMOUS = {  # (noun phrase, gender of its pronoun)
    "fr": [("un haut responsable du ministère", "m"), ("une source proche du dossier", "f"),
           ("un diplomate européen", "m"), ("une porte-parole de la préfecture", "f")],
    "en": [("a senior official", "m"), ("a source close to the talks", "f"), ("a European diplomat", "m"),
           ("a police spokeswoman", "f")],
}
FR_VERBS = ["a déclaré", "a affirmé", "a expliqué", "a souligné", "a indiqué", "a assuré", "a précisé",
            "estime", "explique", "affirme", "a martelé", "a reconnu"]
FR_VERBS_COLON = ["a déclaré", "a affirmé", "a expliqué", "a prévenu", "a résumé", "a lancé", "explique", "affirme"]
FR_FOLLOW = {"m": ["a-t-il ajouté", "a-t-il poursuivi", "a-t-il précisé", "ajoute-t-il", "insiste-t-il"],
             "f": ["a-t-elle ajouté", "a-t-elle poursuivi", "a-t-elle précisé", "ajoute-t-elle", "insiste-t-elle"]}
FR_INCISE = {"m": ["poursuit-il", "explique-t-il", "ajoute-t-il", "assure-t-il"],
             "f": ["poursuit-elle", "explique-t-elle", "ajoute-t-elle", "assure-t-elle"]}
EN_VERBS = ["said", "said", "said", "told reporters", "added", "explained", "warned", "insisted", "noted"]
EN_VERBS_COLON = ["said", "told reporters", "wrote in a statement", "said in an interview", "explained"]
EN_FOLLOW = {"m": ["he added", "he said", "he explained", "he continued"],
             "f": ["she added", "she said", "she explained", "she continued"]}
# French spacing inside guillemets: no-break space, narrow no-break space, plain space
FR_INNER = ["\u00a0", "\u00a0", "\u202f", " "]


# --------------------------------------------------------------------- UD sentences
def sentence_stream(lang: str, ud: Path) -> list[tuple[str, str, str]]:
    """(document key, sent_id, text) of the held-out test parts of a language, in file order."""
    out = []
    for treebank, split, span in SOURCES[lang]["test"]:
        files = sorted((ud / treebank).glob(f"*-ud-{split}.conllu"))
        if not files:
            raise SystemExit(f"missing treebank file {ud / treebank}/*-ud-{split}.conllu (use --ud)")
        doc = treebank  # GSD: no document boundaries, one stream
        for sent in select(read_conllu(files[0]), span):
            meta = {}
            for line in sent:
                if line.startswith("# ") and " = " in line:
                    key, _, value = line[2:].partition(" = ")
                    meta[key.strip()] = value.strip()
            sid = meta.get("sent_id", "")
            if "newdoc id" in meta:
                doc = meta["newdoc id"]
            elif treebank.endswith("Sequoia"):
                doc = sid.rsplit("_", 1)[0]  # Europar.550_00011 -> Europar.550
            text = meta.get("text", "")
            if text:
                out.append((f"{treebank}/{doc}", sid, text))
    return out


def doc_starts(stream: list[tuple[str, str, str]]) -> list[int]:
    return [i for i in range(len(stream)) if i == 0 or stream[i][0] != stream[i - 1][0]]


def clean(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def quotable(text: str) -> bool:
    """A sentence news could quote: a few words at least, no URL, no quote marks of its own."""
    words = WORD.findall(text)
    return 5 <= len(words) <= 60 and not (QUOTE_MARKS & set(text)) and not SKIP.search(text)


def usable(text: str) -> bool:
    return len(WORD.findall(text)) >= 3 and not SKIP.search(text)


# --------------------------------------------------------------------- quote rendering
class Style:
    """The marks of one quote, drawn once per quote."""

    def __init__(self, lang: str, rng: random.Random):
        if lang == "fr":
            if rng.random() < 0.85:
                sp = rng.choice(FR_INNER)
                self.open, self.close, self.reopen = "«" + sp, sp + "»", "«" + sp
            else:
                self.open, self.close, self.reopen = "“", "”", "“"
        else:
            if rng.random() < 0.6:
                self.open, self.close, self.reopen = "“", "”", "“"
            else:
                self.open, self.close, self.reopen = '"', '"', '"'


def split_end(sentence: str) -> tuple[str, str]:
    """(body, final punctuation) of a sentence."""
    m = re.search(r"\s*([.!?…]+)$", sentence)
    if not m:
        return sentence, ""
    return sentence[:m.start()], m.group(1)


class Speaker:
    def __init__(self, lang: str, rng: random.Random, used: set[str]):
        self.lang = lang
        if rng.random() < 0.15:
            self.name, self.gender = rng.choice(ANONYMOUS[lang])
            self.role = None
            self.anonymous = True
        else:
            choices = [p for p in PEOPLE[lang] if p[0] not in used] or PEOPLE[lang]
            self.name, self.gender = rng.choice(choices)
            self.role = rng.choice(ROLES[lang])
            self.anonymous = False
        used.add(self.name)
        self.introduced = False

    def mention(self, rng: random.Random, sentence_start: bool = False) -> str:
        """Full name and role the first time, a short form afterwards."""
        if self.anonymous:
            if self.introduced:
                short = ("le " if self.gender == "m" else "la ") if self.lang == "fr" else "the "
                words = self.name.split()
                text = short + " ".join(words[1:]) if self.lang == "fr" else "the " + " ".join(words[1:])
            else:
                text = self.name
            self.introduced = True
            return text[:1].upper() + text[1:] if sentence_start else text
        if not self.introduced:
            self.introduced = True
            if self.lang == "fr":
                return f"{self.name}, {self.role},"
            return f"{self.name}, the {self.role},"
        last = self.name.split()[-1]
        if self.lang == "fr":
            return rng.choice([f"{'M.' if self.gender == 'm' else 'Mme'} {last}", self.name, last])
        return rng.choice([last, self.name, f"{'Mr.' if self.gender == 'm' else 'Ms.'} {last}"])


def tidy(frame: str) -> str:
    """Drop the apposition comma that a role leaves before a final period or colon."""
    return frame.replace(",.", ".").replace(", :", " :").replace(",:", ":").replace(",,", ",")


def direct_quote(lang: str, sentence: str, sp: Speaker, last: Speaker | None, rng: random.Random,
                 counts: Counter) -> str:
    """One sentence turned into a direct quote with its reporting frame."""
    st = Style(lang, rng)
    body, end = split_end(sentence)
    end = end if end in ("?", "!", "…") else ""
    follow_up = sp is last and sp.introduced
    r = rng.random()
    if lang == "fr":
        if follow_up and r < 0.45:
            counts["direct:follow-up"] += 1
            return f"{st.open}{body}{' ' + end if end else ''}{st.close}, {rng.choice(FR_FOLLOW[sp.gender])}."
        if follow_up and r < 0.6 and "," in body[10:-10]:
            cut = body.index(",", 10)
            counts["direct:incise"] += 1
            return (f"{st.open}{body[:cut]}, {rng.choice(FR_INCISE[sp.gender])}, "
                    f"{body[cut + 1:].lstrip()}{' ' + end if end else ''}{st.close}.")
        if r < 0.55:
            counts["direct:cue-after"] += 1
            frame = f"{rng.choice(FR_VERBS)} {sp.mention(rng)}"
            return tidy(f"{st.open}{body}{' ' + end if end else ''}{st.close}, {frame}.")
        if r < 0.85:
            counts["direct:cue-before-colon"] += 1
            inner_end = end or "."
            return tidy(f"{sp.mention(rng, True)} {rng.choice(FR_VERBS_COLON)} : {st.open}{body}{inner_end}{st.close}")
        counts["direct:selon"] += 1
        if rng.random() < 0.5:
            return tidy(f"{st.open}{body}{' ' + end if end else ''}{st.close}, selon {sp.mention(rng)}.")
        return tidy(f"Selon {sp.mention(rng)}, {st.open}{body[:1].lower() + body[1:]}{st.close}.")
    # English: the comma goes inside the marks
    inner = end or ","
    if follow_up and r < 0.45:
        counts["direct:follow-up"] += 1
        return f"{st.open}{body}{inner}{st.close} {rng.choice(EN_FOLLOW[sp.gender])}."
    if follow_up and r < 0.6 and "," in body[10:-10]:
        cut = body.index(",", 10)
        counts["direct:incise"] += 1
        pron = "he" if sp.gender == "m" else "she"
        return (f"{st.open}{body[:cut]},{st.close} {pron} said, "
                f"{st.open}{body[cut + 1:].lstrip()}{end or '.'}{st.close}")
    if r < 0.55:
        counts["direct:cue-after"] += 1
        who = sp.mention(rng)
        if rng.random() < 0.5 and not sp.anonymous and "," not in who:
            return tidy(f"{st.open}{body}{inner}{st.close} {who} {rng.choice(EN_VERBS)}.")
        return tidy(f"{st.open}{body}{inner}{st.close} said {who}.")
    if r < 0.85:
        counts["direct:cue-before-colon"] += 1
        return tidy(f"{sp.mention(rng, True)} {rng.choice(EN_VERBS_COLON)}: {st.open}{body}{end or '.'}{st.close}")
    counts["direct:according-to"] += 1
    if rng.random() < 0.5:
        return tidy(f"{st.open}{body}{inner}{st.close} according to {sp.mention(rng)}.")
    return tidy(f"According to {sp.mention(rng)}, {st.open}{body[:1].lower() + body[1:]}{end or '.'}{st.close}")


def partial_quote(lang: str, sentence: str, rng: random.Random) -> str | None:
    """2-4 consecutive words of a narration sentence put between marks."""
    words = list(WORD.finditer(sentence))
    if len(words) < 6:
        return None
    n = rng.randint(2, 4)
    first = rng.randint(1, len(words) - n)  # never the first word of the sentence
    a, b = words[first].start(), words[first + n - 1].end()
    if re.search(r"[^\w\s'’-]", sentence[a:b]):
        return None  # punctuation inside the run: not a clean partial quote
    if lang == "fr" and rng.random() < 0.8:
        sp = rng.choice(FR_INNER)
        op, cl = "«" + sp, sp + "»"
    else:
        op, cl = ("“", "”") if rng.random() < 0.7 else ('"', '"')
    return sentence[:a] + op + sentence[a:b] + cl + sentence[b:]


# --------------------------------------------------------------------- articles
def article(lang: str, stream, starts, rng: random.Random, counts: Counter) -> dict:
    n = rng.randint(8, 25)
    quoted = rng.random() >= 0.15
    # consecutive sentences from the start of a UD document, running into the next ones if short
    # (an article without quotes skips the UD sentences that hold quote marks of their own)
    i = rng.choice(starts)
    picked = []
    while len(picked) < n:
        doc, sid, text = stream[i % len(stream)]
        if usable(text) and (quoted or not QUOTE_MARKS & set(text)):
            picked.append((sid, clean(text)))
        i += 1
    sentences = [t for _, t in picked]
    p = rng.randint(3, min(8, max(3, n // 2)))
    cuts = sorted(rng.sample(range(1, n), p - 1))
    bounds = [0, *cuts, n]
    paragraphs = [list(range(bounds[k], bounds[k + 1])) for k in range(p)]

    render = list(sentences)  # rendered text of each sentence
    inserted = 0
    if quoted:
        used: set[str] = set()
        speakers = [Speaker(lang, rng, used) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
        taken: set[int] = set()
        last: Speaker | None = None
        # one quote over two paragraphs, in a quarter of the quoted articles
        if rng.random() < 0.25:
            options = [k for k in range(p - 1) if 1 <= len(paragraphs[k]) <= 3 and
                       all(quotable(sentences[s]) for s in paragraphs[k]) and quotable(sentences[paragraphs[k + 1][0]])]
            if options:
                k = rng.choice(options)
                sp = rng.choice(speakers)
                st = Style(lang, rng)
                first_par, closing = paragraphs[k], paragraphs[k + 1][0]
                render[first_par[0]] = st.open + sentences[first_par[0]]
                body, end = split_end(sentences[closing])
                if lang == "fr":
                    frame = f"{rng.choice(FR_VERBS)} {sp.mention(rng)}"
                    render[closing] = tidy(f"{st.reopen}{body}{' ' + end if end in ('?', '!') else ''}{st.close}, {frame}.")
                else:
                    frame = f"said {sp.mention(rng)}"
                    render[closing] = tidy(f"{st.reopen}{body}{end if end in ('?', '!') else ','}{st.close} {frame}.")
                taken.update(first_par + [closing])
                last = sp
                counts["multi-paragraph"] += 1
                inserted += 1
        # direct quotes: about one sentence in six, at least one
        candidates = [s for s in range(n) if s not in taken and quotable(sentences[s])]
        k_direct = min(len(candidates), max(1, round(n * rng.uniform(0.10, 0.22))))
        for s in sorted(rng.sample(candidates, k_direct)):
            sp = last if (last is not None and rng.random() < 0.5) else rng.choice(speakers)
            render[s] = direct_quote(lang, sentences[s], sp, last, rng, counts)
            taken.add(s)
            last = sp
            inserted += 1
        # partial quotes inside narration
        narration = [s for s in range(n) if s not in taken and not (QUOTE_MARKS & set(sentences[s]))]
        for s in rng.sample(narration, min(len(narration), rng.choice([0, 1, 1, 2]))):
            new = partial_quote(lang, sentences[s], rng)
            if new:
                render[s] = new
                counts["partial"] += 1
                inserted += 1
    else:
        counts["articles without quotes"] += 1
    text = "\n\n".join(" ".join(render[s] for s in par) for par in paragraphs)
    return {"lang": lang, "text": text, "source": "synthetic", "quotes_inserted": inserted,
            "ud_sentences": [picked[0][0], picked[-1][0]]}


def real_documents(root: Path) -> list[dict]:
    docs = []
    for path in sorted((root / "seeds").glob("*.txt")):
        meta = root / "fixtures" / "seeds" / f"{path.stem}.json"
        if meta.exists():
            lang = json.loads(meta.read_text("utf-8"))["lang"]
        else:
            from quotes.language import detect

            lang = detect(path.read_text("utf-8"))
        docs.append({"id": f"seed-{path.stem}", "lang": lang, "text": path.read_text("utf-8"), "source": "seed"})
    for lang in ("fr", "en"):
        for path in sorted((root / "fixtures" / lang).glob("*.json")):
            d = json.loads(path.read_text("utf-8"))
            docs.append({"id": f"fixture-{d.get('label', path.stem)}", "lang": d["lang"], "text": d["text"],
                         "source": "fixture"})
    return docs


def build(out: Path = DEFAULT_OUT, ud: Path = DEFAULT_UD, articles: int = DEFAULT_ARTICLES,
          seed: int = DEFAULT_SEED, quiet: bool = False) -> Path:
    rng = random.Random(seed)
    counts = {"fr": Counter(), "en": Counter()}
    docs = real_documents(ROOT)
    per_lang = {"fr": (articles + 1) // 2, "en": articles // 2}
    for lang in ("fr", "en"):
        stream = sentence_stream(lang, ud)
        starts = doc_starts(stream)
        for k in range(per_lang[lang]):
            a = article(lang, stream, starts, rng, counts[lang])
            docs.append({"id": f"synthetic-{lang}-{k + 1:04d}", **a})
    rng.shuffle(docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    if not quiet:
        summary(docs, counts, out)
    return out


def summary(docs: list[dict], counts: dict, out: Path) -> None:
    from quotes.spans import find_quotes

    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print(f"{'source':<10} {'lang':<4} {'articles':>8} {'chars':>10} {'chars/art':>9} {'quote spans':>11} {'per 1k chars':>12}")
    for source in ("seed", "fixture", "synthetic"):
        for lang in ("fr", "en"):
            sel = [d for d in docs if d["source"] == source and d["lang"] == lang]
            if not sel:
                continue
            chars = sum(len(d["text"]) for d in sel)
            spans = sum(len(find_quotes(d["text"])) for d in sel)
            print(f"{source:<10} {lang:<4} {len(sel):>8} {chars:>10} {chars / len(sel):>9.0f} {spans:>11} {1000 * spans / chars:>12.2f}")
    total = sum(len(d["text"]) for d in docs)
    print(f"{'all':<15} {len(docs):>8} {total:>10}")
    for lang in ("fr", "en"):
        c = counts[lang]
        inserted = sum(v for k, v in c.items() if k != "articles without quotes")
        detail = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
        print(f"quotes inserted ({lang}): {inserted} — {detail}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ud", type=Path, default=DEFAULT_UD, help="UD treebanks folder (default ../shared/ud)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="synthetic articles (half French)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    build(args.out, args.ud, args.articles, args.seed)


if __name__ == "__main__":
    main()
