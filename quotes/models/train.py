"""Train the compact stanza pipelines that quotes ships, from Universal Dependencies.

    python -m quotes.models.train --lang fr --lang en --ud ../shared/ud --out quotes/models

Steps, per language:
1. compose a treebank from the commercially usable sources only (see ``SOURCES``), with a
   held-out test set, and add news typography (guillemets, curly quotes) around clauses;
2. prepare it with stanza's own ``stanza.utils.datasets.prepare_*_treebank``;
3. train tokenize, mwt, lemma, pos and depparse with ``stanza.utils.training.run_*``
   (no pretrained vectors, no charlm), two jobs at a time with one thread each, each job
   under a time budget: stanza saves the best model on dev as it goes, so a job stopped at
   its budget leaves its best model behind;
4. convert the weights to float16, copy them to ``OUT/<lang>/`` and write ``manifest.json``.

Scores are measured afterwards by ``python -m quotes.models.evaluate``. ``--resume`` goes on
training from the checkpoints a previous run left in ``--work`` (the parser keeps one), e.g.
``--models depparse --resume --budget-scale 0.4`` gives the parser 30 more minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------
# Data: which treebank splits go where. Only CC BY-SA and LGPL-LR data trains what ships;
# GUM and ParTUT (CC BY-NC-SA) are for measuring only (see quotes.models.evaluate).
# A part is (treebank folder, split, fraction range of the split's sentences).
# ---------------------------------------------------------------------------------------
ALL = (0.0, 1.0)
SOURCES: dict[str, dict[str, list[tuple[str, str, tuple[float, float]]]]] = {
    "fr": {
        "train": [
            ("UD_French-Sequoia", "train", ALL),
            ("UD_French-GSD", "dev", ALL),
            ("UD_French-PUD", "test", ALL),
            ("UD_French-ParisStories", "train", ALL),
            ("UD_French-ParisStories", "dev", ALL),
        ],
        "dev": [("UD_French-Sequoia", "dev", ALL)],
        "test": [("UD_French-GSD", "test", ALL), ("UD_French-Sequoia", "test", ALL)],
    },
    "en": {
        # EWT train is missing from ../shared/ud (SOURCES.txt): EWT test is split in three.
        "train": [
            ("UD_English-EWT", "dev", ALL),
            ("UD_English-PUD", "test", ALL),
            ("UD_English-EWT", "test", (0.0, 0.55)),
        ],
        "dev": [("UD_English-EWT", "test", (0.55, 0.70))],
        "test": [("UD_English-EWT", "test", (0.70, 1.0))],
    },
}
LICENCES = {
    "UD_French-Sequoia": "LGPL-LR",
    "UD_French-GSD": "CC BY-SA 4.0",
    "UD_French-PUD": "CC BY-SA 3.0",
    "UD_French-ParisStories": "CC BY-SA 4.0",
    "UD_English-EWT": "CC BY-SA 4.0",
    "UD_English-PUD": "CC BY-SA 3.0",
}
TREEBANK = {"fr": "UD_French-QuotesNews", "en": "UD_English-QuotesNews"}
SHORT = {"fr": "fr_quotesnews", "en": "en_quotesnews"}

# Quote styles of news typography: (open, close, space inside)
QUOTE_STYLES = {
    "fr": [("«", "»", True), ("«", "»", True), ("«", "»", False), ("“", "”", False), ('"', '"', False)],
    "en": [("“", "”", False), ('"', '"', False), ("‘", "’", False)],
}
QUOTE_AUGMENT_RATIO = 0.15

# ---------------------------------------------------------------------------------------
# Models: arguments and time budgets (minutes). Dimensions keep one language's five
# models under 15 MB in float16. Budgets keep one language under 90 minutes on 2 cores: the
# longest job first, the parser (75) on one slot while pos, tokenize, lemma and mwt (40 + 30 +
# 8 + 4) share the other, about 80 minutes with data preparation.
# ---------------------------------------------------------------------------------------
COMMON = ["--no_charlm"]  # run_mwt has no charlm and refuses the flag
MODELS = {
    "tokenize": dict(
        runner="run_tokenizer", budget=30,  # 12 stopped it after about 1,000 of its steps (French tokens F1 99.2)
        args=["--steps", "20000", "--max_steps_before_stop", "4000", "--eval_steps", "500"],
    ),
    "mwt": dict(runner="run_mwt", budget=4, args=["--num_epoch", "20"]),
    "lemma": dict(
        runner="run_lemma", budget=8,
        args=["--num_epoch", "20", "--emb_dim", "50", "--pos_dim", "50", "--hidden_dim", "128"],
    ),
    "pos": dict(
        runner="run_pos", budget=40,  # 16 left the tagger far from converged (UPOS 89/83 against 92/89)
        args=["--no_pretrain", "--batch_size", "50", "--word_cutoff", "2", "--hidden_dim", "128",
              "--char_hidden_dim", "128", "--word_emb_dim", "64", "--char_emb_dim", "64",
              "--transformed_dim", "64", "--deep_biaff_hidden_dim", "128",
              "--composite_deep_biaff_hidden_dim", "64", "--tag_emb_dim", "32",
              "--max_steps", "30000", "--eval_interval", "250", "--max_steps_before_stop", "4000"],
    ),
    # The parser reads no tags (--tag_emb_dim 0), only words, lemmas and characters: trained on gold
    # tags, it lost 7.2 (fr) and 12.2 (en) LAS points to the tagger's mistakes (93.9 / 89.6 % UPOS on
    # held-out words); without them, held-out LAS went from 77.0 / 70.4 to 80.4 / 74.7 in the same
    # 75 minutes (python -m quotes.models.evaluate --breakdown shows the split). Dev LAS was still
    # rising when stopped (0.836 fr at 2,800 steps, 0.758 en at 2,000).
    "depparse": dict(
        runner="run_depparse", budget=75,
        args=["--no_pretrain", "--batch_size", "2000", "--word_cutoff", "2", "--hidden_dim", "128",
              "--char_hidden_dim", "128", "--word_emb_dim", "64", "--char_emb_dim", "64",
              "--tag_emb_dim", "0", "--transformed_dim", "64", "--deep_biaff_hidden_dim", "128",
              "--num_layers", "2", "--optim", "adam", "--lr", "0.002", "--beta2", "0.9",
              "--no_second_optim", "--max_steps", "30000", "--eval_interval", "200",
              "--max_steps_before_stop", "4000"],
    ),
}
PREPARE = {
    "tokenize": ["stanza.utils.datasets.prepare_tokenizer_treebank"],
    "mwt": ["stanza.utils.datasets.prepare_mwt_treebank"],
    "lemma": ["stanza.utils.datasets.prepare_lemma_treebank", "--gold"],
    "pos": ["stanza.utils.datasets.prepare_pos_treebank"],
    "depparse": ["stanza.utils.datasets.prepare_depparse_treebank", "--gold"],
}
SAVE_NAMES = {  # file names inside OUT/<lang>/
    "tokenize": "tokenize.pt", "mwt": "mwt.pt", "lemma": "lemma.pt", "pos": "pos.pt",
    "depparse": "depparse.pt",
}


# --------------------------------- composing the data ----------------------------------
def read_conllu(path: Path) -> list[list[str]]:
    """Sentences as lists of lines; empty nodes and enhanced deps are dropped."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        if line.startswith("#"):
            # keep only the comments stanza reads; sent-level text is rebuilt on augmentation
            if line.startswith(("# text =", "# sent_id", "# newdoc", "# newpar")):
                current.append(line)
            continue
        cols = line.split("\t")
        if "." in cols[0]:
            continue  # empty nodes: not part of basic trees
        cols[8] = "_"
        current.append("\t".join(cols))
    if current:
        sentences.append(current)
    return sentences


def select(sentences: list, span: tuple[float, float]) -> list:
    lo, hi = (int(round(f * len(sentences))) for f in span)
    return sentences[lo:hi]


def set_space_after(misc: str, space: bool) -> str:
    items = [m for m in misc.split("|") if m not in ("_", "SpaceAfter=No")]
    if not space:
        items.append("SpaceAfter=No")
    return "|".join(items) if items else "_"


def rebuild_text(lines: list[str]) -> str:
    """The surface text of a sentence from its tokens and SpaceAfter flags."""
    out, skip_until = [], 0
    for line in lines:
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0]:
            lo, hi = map(int, cols[0].split("-"))
            skip_until = hi
        elif int(cols[0]) <= skip_until:
            continue
        out.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    return "".join(out).rstrip()


def wrap_in_quotes(sent: list[str], style: tuple[str, str, bool]) -> list[str]:
    """Put quote marks around a sentence (before its final punctuation), as news does.

    The marks attach to the root as punct, so the trees stay valid UD trees."""
    open_mark, close_mark, spaced = style
    comments = [l for l in sent if l.startswith("#") and not l.startswith("# text =")]
    rows = [l.split("\t") for l in sent if not l.startswith("#")]
    words = [r for r in rows if "-" not in r[0]]
    if len(words) < 3:
        return sent
    root = next(r[0] for r in words if r[7] == "root")
    # the closing mark goes before a final . ! ? if there is one
    last = words[-1]
    close_before = int(last[0]) if last[3] == "PUNCT" and last[1] in ".!?…" else len(words) + 1
    # renumber: every word id >= 1 shifts by 1 (opening mark), >= close_before by 2
    def shift(i: int) -> int:
        if i == 0:
            return 0
        return i + 1 + (1 if i >= close_before else 0)
    new_rows = []
    for r in rows:
        r = list(r)
        if "-" in r[0]:
            lo, hi = map(int, r[0].split("-"))
            r[0] = f"{shift(lo)}-{shift(hi)}"
        else:
            r[0] = str(shift(int(r[0])))
            r[6] = str(shift(int(r[6]))) if r[6] not in ("_",) else r[6]
        new_rows.append(r)
    root_id = str(shift(int(root)))
    open_row = ["1", open_mark, open_mark, "PUNCT", "_", "_", root_id, "punct", "_",
                "_" if spaced else "SpaceAfter=No"]
    close_id = str(close_before + 1)
    close_row = [close_id, close_mark, close_mark, "PUNCT", "_", "_", root_id, "punct", "_", "_"]
    # spacing before the closing mark: the token before it keeps a space only in spaced style
    out_rows, inserted = [open_row], False
    for r in new_rows:
        if not inserted and "-" not in r[0] and int(r[0]) > int(close_id):
            out_rows.append(close_row)
            inserted = True
        out_rows.append(r)
    if not inserted:
        out_rows.append(close_row)
    # fix SpaceAfter of the token just before the closing mark, and of the mark itself
    idx = out_rows.index(close_row)
    ranges = {}  # word id -> its multi-word token line: SpaceAfter lives on the token line
    for r in out_rows:
        if "-" in r[0]:
            lo, hi = map(int, r[0].split("-"))
            ranges.update({i: r for i in range(lo, hi + 1)})
    prev = out_rows[idx - 1]
    prev = ranges.get(int(prev[0]), prev) if "-" not in prev[0] else prev
    prev[9] = set_space_after(prev[9], spaced)
    followed_by_punct = idx + 1 < len(out_rows)
    close_row[9] = set_space_after("_", not followed_by_punct)
    lines = comments + ["\t".join(r) for r in out_rows]
    return comments + [f"# text = {rebuild_text(lines)}"] + ["\t".join(r) for r in out_rows]


# ----------------------------- attribution frames (parser data) -----------------------------
# The treebanks hold few news attributions: three French sentences of the form « … », a déclaré
# le porte-parole du ministère, François Rivasseau. A parser trained on them alone hangs the name
# after the role's comma on the verb as a second subject. Synthetic sentences teach it the frame:
# a quote (a treebank sentence, or the one-word placeholder the extractor parses instead of a long
# quote) followed by a cue verb, its inverted subject, and an apposition, each tree built with the
# treebank's own convention (French: the cue is parataxis:insert of the quote's root; English: the
# quote is ccomp of the cue, the root). Role phrases and names are cut from the training trees.
FRAME_RATIO = 0.08  # about one frame per 12 training sentences
# The shipped French parser was trained with frames (frames v4, 2026-11-22); the English one without
# (its parse of "said Maria Lopez, the mayor" was already the rules'). --frames overrides both.
DEFAULT_FRAMES = {"fr": FRAME_RATIO, "en": 0.0}
# A parser trained on frames whose subject always came right after the cue took « au Laos » in
# « a déclaré au Laos le secrétaire… » and « mardi » for subjects (12 fixtures broke): frames now
# put an adverbial there (French; half of them a day, see time_phrase) and at the end, both hung
# on the cue.
BETWEEN_RATIO = 0.4
AFTER_RATIO = 0.3
# The full v3 run (adverbials of any kind at the end) learned that whatever follows the apposition
# hangs on the cue, and cut roles short (« Jean-Marc Delaunay, éleveur *dans la Drôme* »): the
# phrase that closes a frame after a comma is now what news puts there, a time or a source
# (« , mardi », « , dans un communiqué », ", in a statement"), the adverbials whose head is one of
# these lemmas (French also time_phrase).
CLOSING_HEADS = {
    "fr": {"communiqué", "conférence", "entretien", "interview", "presse", "journaliste", "radio",
           "télévision", "antenne", "micro", "réunion", "audience", "point", "déclaration", "discours",
           "lettre", "message", "tribune", "séance", "débat", "émission", "matin", "soir", "semaine",
           "jour", "week-end", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
           "hier", "veille", "lendemain"},
    "en": {"statement", "interview", "conference", "reporter", "briefing", "television", "radio", "call",
           "email", "letter", "speech", "hearing", "meeting", "session", "show", "program", "monday",
           "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning", "evening",
           "night", "week", "day", "weekend", "today", "yesterday", "afternoon"},
}
# French news drops the article of a role after a name (« Lloyd Austin, secrétaire à la Défense »,
# « Julien Moreau, chef économiste chez Natixis »): the pool's roles all have one, so half of the
# name-first French frames take the role without it (without_article).
BARE_ROLE_RATIO = 0.5
# « a expliqué Mme Le Bihan »: v3 read « Le » as an article and « Mme » and « Bihan » as two
# subjects. Some French names carry a title, and some of those a particle (honorific_name).
HONORIFIC_RATIO = 0.15
CUE_FORMS = {  # (form, lemma, upos, xpos, feats) of the cue verbs frames use
    "fr": {
        "past": [(f, l) for f, l in [("déclaré", "déclarer"), ("affirmé", "affirmer"), ("expliqué", "expliquer"),
                                     ("ajouté", "ajouter"), ("indiqué", "indiquer"), ("souligné", "souligner"),
                                     ("estimé", "estimer"), ("assuré", "assurer"), ("précisé", "préciser"),
                                     ("confié", "confier"), ("dit", "dire"), ("averti", "avertir")]],
        "present": [(f, l) for f, l in [("explique", "expliquer"), ("souligne", "souligner"), ("affirme", "affirmer"),
                                        ("ajoute", "ajouter"), ("précise", "préciser"), ("estime", "estimer"),
                                        ("assure", "assurer"), ("raconte", "raconter"), ("confie", "confier")]],
    },
    "en": {
        "past": [("said", "say"), ("added", "add"), ("warned", "warn"), ("explained", "explain"),
                 ("noted", "note"), ("argued", "argue"), ("wrote", "write"), ("insisted", "insist")],
        "present": [("says", "say"), ("adds", "add"), ("explains", "explain"), ("notes", "note")],
    },
}
FEATS = {
    ("fr", "past"): "Gender=Masc|Number=Sing|Tense=Past|VerbForm=Part",
    ("fr", "present"): "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin",
    ("en", "past"): "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin",
    ("en", "present"): "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin",
}
XPOS = {("en", "past"): "VBD", ("en", "present"): "VBZ"}
FRAGMENT_SKIP = {"case", "punct", "appos", "conj", "cc", "acl:relcl", "parataxis", "mark", "dep", "cop",
                 "aux", "nsubj", "advcl", "csubj", "ccomp"}  # children that do not belong in a role phrase


@dataclass
class Fragment:
    """A contiguous phrase cut from a tree: rows renumbered from 1, its head's head set to 0."""

    rows: list  # lists of 10 columns, word rows and multi-word token rows


def _fragment(rows: list[list[str]], head: str, keep) -> Fragment | None:
    """The subtree of ``head`` through the children ``keep(row)`` accepts, if it is contiguous and
    no multi-word token crosses its edges."""
    words = {r[0]: r for r in rows if "-" not in r[0]}
    ids, todo = {head}, [head]
    while todo:
        h = todo.pop()
        for r in words.values():
            if r[6] == h and r[0] not in ids and keep(r):
                ids.add(r[0])
                todo.append(r[0])
    lo, hi = min(map(int, ids)), max(map(int, ids))
    if len(ids) != hi - lo + 1 or hi - lo > 9:
        return None
    out = []
    for r in rows:
        if "-" in r[0]:
            a, b = map(int, r[0].split("-"))
            if lo <= a and b <= hi:
                out.append([f"{a - lo + 1}-{b - lo + 1}", *r[1:]])
            elif a <= hi and b >= lo:
                return None  # « du » half inside
            continue
        i = int(r[0])
        if lo <= i <= hi:
            new = list(r)
            new[0] = str(i - lo + 1)
            new[6] = "0" if r[0] == head else str(int(r[6]) - lo + 1)
            out.append(new)
    last = next((r for r in out if "-" in r[0] and int(r[0].split("-")[1]) == hi - lo + 1), out[-1])
    last[9] = set_space_after(last[9], True)  # the phrase's own spacing, a space after it
    return Fragment(out)


def frame_pools(sentences: list[list[str]], lang: str) -> tuple[list[Fragment], list[Fragment], list[Fragment]]:
    """Role phrases (a role noun and its modifiers), person names (PROPN with flat parts) and
    adverbials of verbs (« au Laos », « mardi », « lors d'un point presse », "on Monday")."""
    from quotes.lexicon import get_lexicon

    roles_lex = get_lexicon(lang).role_nouns
    roles, names, adverbials = [], [], []
    for sent in sentences:
        rows = [l.split("\t") for l in sent if not l.startswith("#")]
        words = [r for r in rows if "-" not in r[0]]
        for r in words:
            # a singular role noun: the frames' verbs are singular (« a déclaré le ministre »)
            if r[3] == "NOUN" and r[2].lower() in roles_lex and "Number=Plur" not in r[5] \
                    and not r[7].startswith(("compound", "flat")):
                # the head's own case marker, clauses and punctuation stay out; its complements
                # come whole (« à la Défense », « du ministère »)
                f = _fragment(rows, r[0], lambda c, head=r[0]: c[6] != head or c[7] not in FRAGMENT_SKIP)
                # a French role phrase opens with its article (« le secrétaire à la Défense »); a
                # name right after the noun (« le juge Hervé Stéphan ») makes it a named phrase
                words_f = [x for x in f.rows if "-" not in x[0]] if f else []
                head_i = next((i for i, x in enumerate(words_f) if x[6] == "0"), 0)
                if f and len(words_f) >= 2 and (lang != "fr" or words_f[0][3] == "DET") \
                        and not any(x[3] == "PUNCT" for x in words_f) \
                        and words_f[0][1][:1].islower() \
                        and not (head_i + 1 < len(words_f) and words_f[head_i + 1][3] == "PROPN"):
                    roles.append(f)
            elif r[3] == "PROPN" and r[7] in ("nsubj", "obj", "appos", "obl", "nmod") and r[1][:1].isupper():
                f = _fragment(rows, r[0], lambda c: c[7].startswith("flat"))
                # a person's name: two or three capitalised words, no digits (« Curtiss XP-62 » is not one)
                if f and 2 <= len(f.rows) <= 3 and all(x[1][:1].isupper() and x[1].isalpha() for x in f.rows):
                    names.append(f)
            if r[7] in ("obl", "obl:mod", "obl:tmod") and r[3] in ("NOUN", "PROPN") \
                    and any(h[0] == r[6] and h[3] == "VERB" for h in words):
                f = _fragment(rows, r[0], lambda c: True)
                words_f = [x for x in f.rows if "-" not in x[0]] if f else []
                if f and 1 <= len(words_f) <= 6 and not any(x[3] == "PUNCT" for x in words_f) \
                        and (words_f[0][1][:1].islower() or words_f[0][3] == "PROPN"):
                    adverbials.append(f)
    return roles, names, adverbials


def attribution_frame(quote: list[str] | None, role: Fragment, name: Fragment, lang: str,
                      rng: random.Random, between: Fragment | None = None,
                      after: Fragment | None = None) -> list[str]:
    """One synthetic sentence: the quote (a treebank sentence, or the placeholder if None), a comma,
    the cue, then « ROLE, NAME » or « NAME, ROLE » (English also « NAME, ROLE, said »). ``between``
    goes between the cue and its subject (« a déclaré au Laos le secrétaire… »), ``after`` ends the
    sentence (« …, Lloyd Austin, lors d'un point presse. »); both depend on the cue, so that the
    parser does not learn that whatever follows a cue is its subject."""
    from quotes.lexicon import get_lexicon

    rows: list[list[str]] = []

    def add(form, lemma, upos, xpos="_", feats="_", space=True) -> int:
        rows.append([str(len([r for r in rows if "-" not in r[0]]) + 1), form, lemma, upos, xpos, feats,
                     "0", "_", "_", "_" if space else "SpaceAfter=No"])
        return len(rows) - 1  # index of the row

    def add_fragment(f: Fragment) -> int:
        base = len([r for r in rows if "-" not in r[0]])
        head_at = None
        for r in f.rows:
            new = list(r)
            if "-" in r[0]:
                a, b = map(int, r[0].split("-"))
                new[0] = f"{a + base}-{b + base}"
            else:
                new[0] = str(int(r[0]) + base)
                if r[6] == "0":
                    head_at = len(rows)
                else:
                    new[6] = str(int(r[6]) + base)
            rows.append(new)
        return head_at

    def link(i: int, head_i: int, deprel: str) -> None:
        rows[i][6], rows[i][7] = rows[head_i][0], deprel

    order = rng.choice(["role_name", "name_role"] + (["name_role_said"] if lang == "en" else []))
    if lang == "fr" and order == "name_role" and rng.random() < BARE_ROLE_RATIO:
        role = without_article(role) or role
    open_mark, close_mark = ("«", "»") if lang == "fr" else ("“", "”") if rng.random() < 0.5 else ('"', '"')
    spaced = lang == "fr"
    q_open = add(open_mark, open_mark, "PUNCT", "``" if lang == "en" else "_", space=spaced)
    if quote is None:
        placeholder = get_lexicon(lang).placeholder
        q_root = add(placeholder, placeholder.lower(), "INTJ", "UH" if lang == "en" else "_",
                     space=spaced or lang == "fr")
        if lang == "en":
            link(add(",", ",", "PUNCT", ",", space=False), q_root, "punct")
    else:
        words = [l.split("\t") for l in quote if not l.startswith("#")]
        if words and "-" not in words[-1][0] and words[-1][3] == "PUNCT" and words[-1][1] in ".!?…":
            words = words[:-1]  # the quote's own final point gives way to the comma
        q_root = add_fragment(Fragment(words))
        rows[-1][9] = set_space_after(rows[-1][9], spaced)
        if lang == "en":
            comma = add(",", ",", "PUNCT", ",", space=False)
            link(comma, q_root, "punct")
    q_close = add(close_mark, close_mark, "PUNCT", "''" if lang == "en" else "_", space=lang == "en")
    link(q_open, q_root, "punct")
    link(q_close, q_root, "punct")
    if lang == "fr":
        comma = add(",", ",", "PUNCT", space=True)
    tense = "past" if rng.random() < 0.7 else "present"
    form, lemma = rng.choice(CUE_FORMS[lang][tense])
    feats, xpos = FEATS[(lang, tense)], XPOS.get((lang, tense), "_")
    if order == "name_role_said":  # "…," Lloyd Austin, the defense secretary, said.
        subj = add_fragment(name)
        c1 = add(",", ",", "PUNCT", ",")
        appos = add_fragment(role)
        c2 = add(",", ",", "PUNCT", ",")
        cue = add(form, lemma, "VERB", xpos, feats, space=after is not None)
        link(c2, appos, "punct")
        if after is not None:  # "…," Lloyd Austin, the defense secretary, said on Monday.
            adv = add_fragment(after)
            link(adv, cue, rows[adv][7])
    else:
        aux = add("a", "avoir", "AUX", "_", FEATS[("fr", "present")]) if lang == "fr" and tense == "past" else None
        cue = add(form, lemma, "VERB", xpos, feats)
        if aux is not None:
            link(aux, cue, "aux:tense")
        if between is not None:
            adv = add_fragment(between)
            link(adv, cue, rows[adv][7])
        subj = add_fragment(role if order == "role_name" else name)
        rows[-1][9] = set_space_after(rows[-1][9], False)
        c1 = add(",", ",", "PUNCT", ",")
        appos = add_fragment(name if order == "role_name" else role)
        rows[-1][9] = set_space_after(rows[-1][9], False)
        if after is not None:
            c3 = add(",", ",", "PUNCT", ",")
            adv = add_fragment(after)
            link(adv, cue, rows[adv][7])
            link(c3, adv, "punct")
    link(c1, appos, "punct")
    end = add(".", ".", "PUNCT", "." if lang == "en" else "_", space=True)
    link(subj, cue, "nsubj")
    link(appos, subj, "appos")
    # spaces: no space before the commas and the final point (a multi-word token's row holds it)
    token_of = {}
    for r in rows:
        if "-" in r[0]:
            a, b = map(int, r[0].split("-"))
            token_of.update({str(i): r for i in range(a, b + 1)})
    for i, r in enumerate(rows):
        if i + 1 < len(rows) and rows[i + 1][1] in (",", ".") and "-" not in r[0]:
            holder = token_of.get(r[0], r)
            holder[9] = set_space_after(holder[9], False)
    if lang == "fr":  # the cue is an insert in the quote's clause; the quote is the root
        link(cue, q_root, "parataxis:insert")
        link(comma, cue, "punct")
        link(end, q_root, "punct")
    else:  # the quote is the cue's clausal complement; the cue is the root
        rows[q_root][6], rows[q_root][7] = rows[cue][0], "ccomp"
        rows[cue][6], rows[cue][7] = "0", "root"
        link(end, cue, "punct")
    rows[q_root if lang == "fr" else cue][7] = "root"  # (the French placeholder was added without one)
    rows[-1][9] = "_"
    lines = ["\t".join(r) for r in rows]
    return [f"# text = {rebuild_text(lines)}", *lines]


FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def time_phrase(rng: random.Random) -> Fragment:
    """« mardi », « jeudi soir », as the French treebanks write them (obl:mod, « soir » its nmod)."""
    feats = "Gender=Masc|Number=Sing"
    rows = [["1", (day := rng.choice(FRENCH_DAYS)), day, "NOUN", "_", feats, "0", "obl:mod", "_", "_"]]
    if rng.random() < 0.4:
        part = rng.choice(("matin", "soir"))
        rows.append(["2", part, part, "NOUN", "_", feats, "1", "nmod", "_", "_"])
    return Fragment(rows)


def without_article(role: Fragment) -> Fragment | None:
    """« secrétaire à la Défense » from « le secrétaire à la Défense »; None when the phrase does not
    open with a one-word article that nothing else depends on."""
    first = role.rows[0]
    if first[0] != "1" or first[3] != "DET" or any(r[6] == "1" for r in role.rows[1:]) or len(role.rows) < 2:
        return None

    def shift(i: str) -> str:
        return str(int(i) - 1)

    rows = []
    for r in role.rows[1:]:
        new = list(r)
        if "-" in r[0]:
            new[0] = "-".join(shift(i) for i in r[0].split("-"))
        else:
            new[0] = shift(r[0])
            new[6] = "0" if r[6] == "0" else shift(r[6])
        rows.append(new)
    return Fragment(rows)


HONORIFICS = [("M.", "monsieur", "Gender=Masc|Number=Sing"), ("Mme", "madame", "Gender=Fem|Number=Sing")]
PARTICLES = ("Le", "La", "Le")  # « Le » twice: the commoner particle (Le Bihan, Le Gall, Le Drian)


def honorific_name(names: list[Fragment], rng: random.Random) -> Fragment:
    """« M. Dupont », « Mme Le Bihan », as Sequoia writes them: the title a NOUN heading the surname
    (nmod); a particle is the surname's first word, the rest flat:name. The surname is the last
    word of a name from the pool."""
    title, lemma, feats = rng.choice(HONORIFICS)
    surname = next(r for r in reversed(rng.choice(names).rows) if "-" not in r[0])[1]
    rows = [["1", title, lemma, "NOUN", "_", feats, "0", "nsubj", "_", "_"]]
    if rng.random() < 0.4:
        particle = rng.choice(PARTICLES)
        rows += [["2", particle, particle, "PROPN", "_", "_", "1", "nmod", "_", "_"],
                 ["3", surname, surname, "PROPN", "_", "_", "2", "flat:name", "_", "_"]]
    else:
        rows.append(["2", surname, surname, "PROPN", "_", "_", "1", "nmod", "_", "_"])
    return Fragment(rows)


def closing_phrases(adverbials: list[Fragment], lang: str) -> list[Fragment]:
    """The adverbials that may close a frame after a comma: a time or a source (CLOSING_HEADS)."""
    def head(f: Fragment) -> list[str]:
        return next(r for r in f.rows if r[6] == "0")
    return [f for f in adverbials if head(f)[2].lower() in CLOSING_HEADS[lang]]


def frames(sentences: list[list[str]], lang: str, rng: random.Random, ratio: float = FRAME_RATIO) -> list[list[str]]:
    """ratio × len(sentences) attribution frames, half of them around the placeholder."""
    roles, names, adverbials = frame_pools(sentences, lang)
    closing = closing_phrases(adverbials, lang)
    short = [s for s in sentences if 4 <= sum(1 for l in s if l[:1].isdigit() and "-" not in l.split("\t")[0]) <= 30]
    out = []
    for _ in range(int(len(sentences) * ratio)):
        quote = rng.choice(short) if rng.random() < 0.5 else None
        role = rng.choice(roles)
        name = honorific_name(names, rng) if lang == "fr" and rng.random() < HONORIFIC_RATIO else rng.choice(names)
        # French news puts a time or place between the cue and its subject (« a déclaré mardi le
        # ministre »); both languages end the frame with one (", in a statement")
        between = None
        if lang == "fr" and rng.random() < BETWEEN_RATIO:
            # half of them a day (« a déclaré mardi le ministre », « jeudi soir »): the treebanks
            # hold few, and a parser trained without them took « mardi » for the subject
            between = time_phrase(rng) if rng.random() < 0.5 else rng.choice(adverbials)
        after = None
        if rng.random() < AFTER_RATIO and (closing or lang == "fr"):
            after = time_phrase(rng) if lang == "fr" and (not closing or rng.random() < 0.5) else rng.choice(closing)
        out.append(attribution_frame(quote, role, name, lang, rng, between=between, after=after))
    return out


def compose(lang: str, ud: Path, udbase: Path, seed: int = 1, frame_ratio: float = 0.0) -> dict[str, int]:
    """Write UDBASE/<treebank>/<short>-ud-{train,dev,test}.conllu; return sentence counts."""
    rng = random.Random(seed)
    folder = udbase / TREEBANK[lang]
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split, parts in SOURCES[lang].items():
        sentences = []
        for treebank, source_split, span in parts:
            files = sorted((ud / treebank).glob(f"*-ud-{source_split}.conllu"))
            if not files:
                raise SystemExit(f"missing treebank file: {ud / treebank}/*-ud-{source_split}.conllu")
            sentences += select(read_conllu(files[0]), span)
        if split == "train":
            plain = sentences
            sentences = [
                wrap_in_quotes(s, rng.choice(QUOTE_STYLES[lang])) if rng.random() < QUOTE_AUGMENT_RATIO else s
                for s in sentences
            ]
            added = frames(plain, lang, random.Random(seed + 1), frame_ratio) if frame_ratio else []
            sentences += added
            counts["frames"] = len(added)
        text = "\n\n".join("\n".join(s) for s in sentences) + "\n\n"
        (folder / f"{SHORT[lang]}-ud-{split}.conllu").write_text(text, encoding="utf-8")
        counts[split] = len(sentences)
    return counts


# ------------------------------------ running jobs -------------------------------------
@dataclass
class Job:
    lang: str
    model: str
    env: dict
    save_dir: Path
    log: Path
    seconds: float = 0.0
    status: str = "pending"
    args: list = field(default_factory=list)


def run_with_budget(cmd: list[str], env: dict, log: Path, budget_s: float) -> str:
    """Run cmd; stop it (SIGINT, then SIGKILL) at its budget. stanza keeps the best model."""
    with log.open("a") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = proc.wait(timeout=budget_s)
            return "done" if rc == 0 else f"failed (exit {rc})"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            return "stopped at budget"


def train_job(job: Job, budget_scale: float, resume: bool = False) -> Job:
    spec = MODELS[job.model]
    cmd = [sys.executable, "-m", f"stanza.utils.training.{spec['runner']}", TREEBANK[job.lang],
           *(COMMON if job.model != "mwt" else []), "--save_dir", str(job.save_dir), "--save_name", SAVE_NAMES[job.model], *spec["args"]]
    # stanza skips a model that exists unless told --force: a fresh run removes what an earlier run
    # left in --work first; --resume keeps it, and the parser goes on from its last checkpoint
    if not resume:
        for old in (job.save_dir / SAVE_NAMES[job.model],
                    job.save_dir / SAVE_NAMES[job.model].replace(".pt", "_checkpoint.pt")):
            old.unlink(missing_ok=True)
    cmd.append("--force")
    job.args = cmd[2:]
    t0 = time.time()
    job.status = run_with_budget(cmd, job.env, job.log, spec["budget"] * 60 * budget_scale)
    job.seconds = time.time() - t0
    print(f"[{job.lang}] {job.model}: {job.status} in {job.seconds / 60:.1f} min", flush=True)
    return job


def to_float16(src: Path, dst: Path) -> None:
    """Halve a stanza model file: float32 tensors become float16 (stanza loads them fine)."""
    import torch

    def convert(obj):
        if isinstance(obj, torch.Tensor):
            return obj.half() if obj.dtype == torch.float32 else obj
        if isinstance(obj, dict):
            return {k: convert(v) for k, v in obj.items() if k != "optimizer"}
        if isinstance(obj, list):
            return [convert(v) for v in obj]
        return obj

    state = torch.load(src, map_location="cpu", weights_only=False)
    torch.save(convert(state), dst)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", action="append", choices=sorted(SOURCES), required=True)
    ap.add_argument("--ud", type=Path, default=Path("../shared/ud"))
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    ap.add_argument("--work", type=Path, default=Path("build/train"))
    ap.add_argument("--jobs", type=int, default=2, help="training jobs at a time (one thread each)")
    ap.add_argument("--budget-scale", type=float, default=1.0, help="multiply every time budget")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset to train")
    ap.add_argument("--frames", type=float, nargs="?", const=FRAME_RATIO, default=None, metavar="RATIO",
                    help=f"synthetic attribution frames in the parser's training set, RATIO of its sentences "
                         f"({FRAME_RATIO} without a value; 0 for none). Default: as the shipped models, "
                         f"{DEFAULT_FRAMES}")
    ap.add_argument("--resume", action="store_true",
                    help="go on training from the checkpoints left in --work (depparse keeps one); its "
                         "minutes are added to those in the manifest")
    args = ap.parse_args(argv)

    work = args.work.resolve()
    env = dict(os.environ, DATA_ROOT=str(work / "data"), UDBASE=str(work / "ud"),
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    models = args.models.split(",")
    started = {lang: time.time() for lang in args.lang}
    composed, jobs = {}, []
    frame_ratio = {lang: DEFAULT_FRAMES[lang] if args.frames is None else args.frames for lang in args.lang}
    for lang in args.lang:
        composed[lang] = compose(lang, args.ud.resolve(), work / "ud", frame_ratio=frame_ratio[lang])
        log = work / f"{lang}.log"
        for model in models:
            prep = [sys.executable, "-m", *PREPARE[model][:1], TREEBANK[lang], *PREPARE[model][1:]]
            status = run_with_budget(prep, env, log, 30 * 60)
            if status != "done":
                raise SystemExit(f"data preparation failed for {lang} {model}: see {log}")
        print(f"[{lang}] data ready: {composed[lang]} sentences", flush=True)
        jobs += [Job(lang, m, env, work / "models" / lang, log) for m in models]
    # longest jobs first: the parser takes one slot for its whole budget while the shorter jobs
    # follow one another on the other, so the two slots finish together
    jobs.sort(key=lambda j: -MODELS[j.model]["budget"])
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = list(pool.map(lambda j: train_job(j, args.budget_scale, args.resume), jobs))

    for lang in args.lang:
        out = args.out / lang
        out.mkdir(parents=True, exist_ok=True)
        files = {}
        manifest_path = out / "manifest.json"
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
        for job in (j for j in done if j.lang == lang):
            src = job.save_dir / SAVE_NAMES[job.model]
            if not src.exists():
                raise SystemExit(f"{lang} {job.model} produced no model ({job.status}); see {job.log}")
            to_float16(src, out / SAVE_NAMES[job.model])
            before = manifest.get("models", {}).get(job.model, {}) if args.resume else {}
            files[job.model] = {
                "file": SAVE_NAMES[job.model],
                "bytes": (out / SAVE_NAMES[job.model]).stat().st_size,
                "train_minutes": round(before.get("train_minutes", 0) + job.seconds / 60, 1),
                "status": job.status,
                "command": ["python", "-m", *job.args],
                **({"resumed": before.get("resumed", []) + [round(job.seconds / 60, 1)]} if args.resume else {}),
            }
        manifest.update({
            "language": lang,
            "stanza_version": __import__("stanza").__version__,
            "data": {split: [{"treebank": t, "split": s, "fraction": list(f), "licence": LICENCES[t]}
                             for t, s, f in parts] for split, parts in SOURCES[lang].items()},
            "sentences": composed[lang],
            "quote_augmentation": {"ratio": QUOTE_AUGMENT_RATIO, "styles": QUOTE_STYLES[lang]},
            "attribution_frames": {"ratio": frame_ratio[lang], "added_to_train": composed[lang].get("frames", 0)},
            "training_command": f"python -m quotes.models.train --lang {lang} --ud ../shared/ud",
            "models": {**manifest.get("models", {}), **files},
            "total_bytes": sum((out / f["file"]).stat().st_size
                               for f in {**manifest.get("models", {}), **files}.values()),
        })
        manifest.pop("wall_minutes_both_slots", None)  # older manifests: now one entry per run below
        # every run that made these files, in order: a resumed or partial run adds to the last
        manifest.setdefault("training_runs", []).append({
            "command": " ".join(["python -m quotes.models.train", *(argv if argv is not None else sys.argv[1:])]),
            "languages": args.lang,
            "models": models,
            "wall_minutes": round((time.time() - started[lang]) / 60, 1),
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        })
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        print(f"[{lang}] wrote {out} ({manifest['total_bytes'] / 1e6:.1f} MB)", flush=True)


if __name__ == "__main__":
    main()
