"""Measure the shipped models on held-out UD test data, end to end from raw text.

    python -m quotes.models.evaluate --lang fr --lang en --ud ../shared/ud [--write]
    python -m quotes.models.evaluate --lang fr --models my-models    # retrained: my-models/fr/

Held-out sets never trained on: the ``test`` parts of ``quotes.models.train.SOURCES``, plus
treebanks used for measuring only (CC BY-NC-SA: GUM, ParTUT), never for training.
Prints tokens F1, sentences F1, UPOS, UAS and LAS (CoNLL 2018 evaluation, via stanza), and the
pipeline's speed in tokens per second on one thread; ``--write`` stores them in the manifest.
``--breakdown`` also parses the gold words of the held-out set twice, with the gold tags and with
the tagger's, to show where LAS is lost: tokenization, tagging or the parser itself.
"""
from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from .store import PROCESSORS, shipped_models
from .train import SOURCES, read_conllu, select

MEASURE_ONLY = {
    "fr": [("UD_French-ParTUT", "test", (0.0, 1.0))],
    "en": [("UD_English-GUM", "test", (0.0, 1.0))],
}


def gold_conllu(ud: Path, parts) -> str:
    sentences = []
    for treebank, split, span in parts:
        files = sorted((ud / treebank).glob(f"*-ud-{split}.conllu"))
        sentences += select(read_conllu(files[0]), span)
    return "\n\n".join("\n".join(s) for s in sentences) + "\n\n"


def raw_text(conllu: str) -> str:
    """The sentences' text, a paragraph per document (or per 10 sentences when unmarked)."""
    paragraphs, current = [], []
    for block in conllu.split("\n\n"):
        lines = block.splitlines()
        if any(l.startswith("# newdoc") for l in lines) and current:
            paragraphs.append(" ".join(current))
            current = []
        text = next((l.split("=", 1)[1].strip() for l in lines if l.startswith("# text =")), None)
        if text:
            current.append(text)
        if len(current) >= 10:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _pipeline(lang: str, models, processors: str, **options):
    import stanza

    # only the paths of the processors asked for: stanza runs every processor it is given a path for
    kwargs = {f"{p}_model_path": str(models.paths[p]) for p in processors.split(",") if p in models.paths}
    return stanza.Pipeline(lang=lang, dir=str(Path(__file__).parent), download_method=None,
                           processors=processors, allow_unknown_language=True, use_gpu=False,
                           logging_level="ERROR", pos_pretrain_path=None, depparse_pretrain_path=None,
                           **kwargs, **options)


def _las(gold: str, doc) -> dict:
    from stanza.models.common.utils import ud_scores

    scores = ud_scores(io.StringIO(gold), io.StringIO("{:C}\n\n".format(doc)))
    return {k: round(100 * scores[k].f1, 2) for k in ("UPOS", "UAS", "LAS")}


def breakdown(lang: str, gold: str, folder: Path | None = None) -> dict:
    """The parser on the gold words, given the gold tags, then the tagger's tags (and lemmas)."""
    import torch
    from stanza.utils.conll import CoNLL

    torch.set_num_threads(1)
    models = shipped_models(lang, folder)
    parser = _pipeline(lang, models, "depparse", depparse_pretagged=True)
    tagger = _pipeline(lang, models, "tokenize,pos,lemma", tokenize_pretokenized=True)

    def gold_words(keep_tags: bool):
        doc = CoNLL.conll2doc(input_str=gold)
        for word in (w for s in doc.sentences for w in s.words):
            word.head = word.deprel = None
            if not keep_tags:
                word.upos = word.xpos = word.feats = word.lemma = None
        return doc

    tagged = tagger.processors["lemma"].process(tagger.processors["pos"].process(gold_words(False)))
    return {"gold words, gold tags": _las(gold, parser(gold_words(True))),
            "gold words, predicted tags": _las(gold, parser(tagged))}


def measure(lang: str, gold: str, folder: Path | None = None) -> dict:
    import torch
    from stanza.models.common.utils import ud_scores

    torch.set_num_threads(1)
    models = shipped_models(lang, folder)
    t0 = time.perf_counter()
    nlp = _pipeline(lang, models, ",".join(p for p in PROCESSORS if p in models.paths))
    load_s = time.perf_counter() - t0
    text = raw_text(gold)
    t0 = time.perf_counter()
    doc = nlp(text)
    parse_s = time.perf_counter() - t0
    system = "{:C}\n\n".format(doc)
    scores = ud_scores(io.StringIO(gold), io.StringIO(system))
    tokens = sum(len(s.tokens) for s in doc.sentences)
    return {
        **{k: round(100 * scores[k].f1, 2) for k in ("Tokens", "Sentences", "Words", "UPOS", "Lemmas", "UAS", "LAS")},
        "tokens": tokens,
        "tokens_per_second_1_thread": round(tokens / parse_s),
        "load_seconds": round(load_s, 2),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", action="append", choices=sorted(SOURCES), required=True)
    ap.add_argument("--ud", type=Path, default=Path("../shared/ud"))
    ap.add_argument("--models", type=Path, default=None,
                    help="a folder of retrained models (FOLDER/<lang>/manifest.json); default: the shipped ones")
    ap.add_argument("--write", action="store_true", help="store the scores in the models' manifest")
    ap.add_argument("--breakdown", action="store_true",
                    help="also parse the held-out gold words with gold tags and with predicted tags")
    args = ap.parse_args(argv)
    for lang in args.lang:
        folder = args.models / lang if args.models else None
        held_out = gold_conllu(args.ud, SOURCES[lang]["test"])
        results = {"held_out_test": measure(lang, held_out, folder)}
        if args.breakdown:
            results["held_out_test_breakdown"] = breakdown(lang, held_out, folder)
        for part in MEASURE_ONLY[lang]:
            results[f"{part[0]} {part[1]} (measure only)"] = measure(lang, gold_conllu(args.ud, [part]), folder)
        print(json.dumps({lang: results}, indent=2))
        if args.write:
            path = shipped_models(lang, folder).paths["tokenize"].parent / "manifest.json"
            manifest = json.loads(path.read_text())
            manifest["scores"] = {"test_sets": {"held_out_test": [f"{t} {s} {list(f)}" for t, s, f in SOURCES[lang]["test"]],
                                                **{k: k for k in results if not k.startswith("held_out_test")}}, **results}
            path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
