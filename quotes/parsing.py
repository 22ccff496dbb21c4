"""Stage 2b: parse the chosen frame sentences with stanza, and map every word back to the
original text. One ``Parser`` per language loads its pipeline once; ``parse`` takes the
sentences of many documents at once (stanza batches them)."""
from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import regex

from .frames import FrameSentence, Masked
from .lexicon import Lexicon, get_lexicon
from .models.store import PROCESSORS, ModelError, ModelSet, official_models, shipped_models


@dataclass
class Word:
    """One syntactic word, with offsets into the original text."""

    id: int  # 1-based, as in CoNLL-U
    text: str
    lemma: str
    upos: str
    head: int  # 0 for the root
    deprel: str
    start: int
    end: int
    quote: int | None = None  # the quote whose placeholder this word is


@dataclass
class Sentence:
    words: list[Word]
    cut: bool = False

    def word(self, wid: int) -> Word | None:
        return self.words[wid - 1] if 0 < wid <= len(self.words) else None

    def children(self, w: Word) -> list[Word]:
        return [c for c in self.words if c.head == w.id]

    def subtree(self, w: Word) -> list[Word]:
        ids, frontier = {w.id}, [w.id]
        while frontier:
            frontier = [c.id for c in self.words if c.head in frontier and c.id not in ids]
            ids.update(frontier)
        return [x for x in self.words if x.id in ids]

    @property
    def start(self) -> int:
        return self.words[0].start if self.words else 0

    @property
    def end(self) -> int:
        return self.words[-1].end if self.words else 0


BATCH_WORDS = 250  # stanza's pos/depparse batches: small batches pad less (faster) and peak lower
CHUNK_SENTENCES = 512  # sentences handed to stanza at once: memory stays bounded on huge documents


# Imported by stanza's modules for what parsing never does: networkx for enhanced dependency
# graphs, requests for downloads (about 0.3 s of a 3 s cold start). Until something uses one
# of them, a stand-in takes its place; its first use imports the real module (downloads and
# graphs still work when asked for). (importlib's LazyLoader does not do it before Python 3.12:
# the second ``import networkx`` already loads the module.)
DEFERRED_IMPORTS = ("networkx", "requests")


class _Deferred(types.ModuleType):
    """Stands for a module not imported yet: the first attribute asked for imports it."""

    def __getattr__(self, attr: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def _defer_unused_imports() -> None:
    for name in DEFERRED_IMPORTS:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            stand_in = _Deferred(name)
            stand_in.__spec__ = None  # the import system asks for it: no import yet
            sys.modules[name] = stand_in


@contextmanager
def _no_training_optimizers():
    """stanza's trainers build an Adam optimizer even to predict; the first one imports
    torch._dynamo (about 2 s of a 4 s model load). Nothing that parses uses it."""
    from stanza.models.common import utils

    real = utils.get_optimizer, utils.get_split_optimizer
    utils.get_optimizer = lambda *args, **kwargs: None
    utils.get_split_optimizer = lambda *args, **kwargs: {}
    try:
        yield
    finally:
        utils.get_optimizer, utils.get_split_optimizer = real


@contextmanager
def _fast_unpickling(trusted: set[Path]):
    """stanza loads every model with ``torch.load(weights_only=True)``, whose unpickler is written
    in Python: it took 0.3 (en) to 0.5 s (fr) of a 3 s cold start, mostly reading the parser's and
    tagger's vocabularies. The files shipped inside the package are as trusted as its code, so for
    them, and only them, the C unpickler reads the same objects. Any other file (official models, a
    folder of retrained ones) keeps stanza's weights-only loading."""
    import torch

    real = torch.load

    def load(f, *args, **kwargs):
        if kwargs.get("weights_only") and isinstance(f, (str, Path)) and Path(f).resolve() in trusted:
            kwargs["weights_only"] = False
        return real(f, *args, **kwargs)

    torch.load = load
    try:
        yield
    finally:
        torch.load = real


def functional_graph_cycles(tree):
    """The cycles of a head array (``tree[i]`` is the head of word i, ``tree[0] == 0``), as
    boolean masks ordered by their smallest index: exactly what stanza's ``tarjan`` returns to
    its Chu–Liu–Edmonds decoder, in linear time instead of a numpy scan per word (the decoder
    calls it once per contraction, and was half of the dependency parser's time). Every word
    has one head, so walking up from each unvisited word finds each cycle once."""
    import numpy as np

    heads = tree.tolist()
    state = [0] * len(heads)  # 0 not seen, 1 on the current walk, 2 done
    found = []
    for start in range(len(heads)):
        walk, i = [], start
        while state[i] == 0:
            state[i] = 1
            walk.append(i)
            i = heads[i]
        if state[i] == 1:  # the walk came back onto itself: a cycle (the root's self-loop is no cycle)
            cycle = walk[walk.index(i):]
            if len(cycle) > 1:
                found.append(cycle)
        for j in walk:
            state[j] = 2
    found.sort(key=min)  # tarjan meets a cycle when its loop reaches the cycle's smallest index
    masks = []
    for cycle in found:
        mask = np.zeros(len(heads), dtype=bool)
        mask[cycle] = True
        masks.append(mask)
    return masks


STANZA_TARJAN = None  # stanza's own cycle finder, once replaced (the tests compare the two)


def _use_linear_cycle_finder() -> None:
    """Same trees, faster: see ``functional_graph_cycles`` (tests/test_parsing.py compares both)."""
    global STANZA_TARJAN
    from stanza.models.common import chuliu_edmonds

    if chuliu_edmonds.tarjan is not functional_graph_cycles:
        STANZA_TARJAN = chuliu_edmonds.tarjan
        chuliu_edmonds.tarjan = functional_graph_cycles


class Parser:
    """A stanza pipeline for one language, loaded from explicit model paths, never downloading."""

    def __init__(self, lang: str, models: str = "shipped", threads: int | None = None,
                 folder: Path | None = None):
        import torch

        _defer_unused_imports()
        import stanza

        if threads:
            torch.set_num_threads(threads)
        _use_linear_cycle_finder()
        logging.getLogger("stanza").setLevel(logging.ERROR)
        self.lang = lang
        self.lex = get_lexicon(lang)
        self.sentences_parsed = self.chars_parsed = 0  # what the parser has read, for benchmarks
        self._cue_forms: frozenset[str] | None = None
        if models == "official":
            self.models: ModelSet = official_models(lang)
        else:  # "shipped", or a folder holding <lang>/manifest.json (models you retrained)
            folder = folder or (None if models == "shipped" else Path(models) / lang)
            self.models = shipped_models(lang, folder)
        if models != "official":
            paths = self.models.paths
            kwargs = {f"{p}_model_path": str(paths[p]) for p in paths}
            kwargs.update(pos_pretrain_path=None, depparse_pretrain_path=None)
            trusted = {path.resolve() for path in paths.values()} if models == "shipped" and folder is None else set()
            try:
                with _no_training_optimizers(), _fast_unpickling(trusted):
                    self.nlp = stanza.Pipeline(
                        lang=lang, dir=str(Path(__file__).parent / "models"), download_method=None,
                        processors=",".join(p for p in PROCESSORS if p in paths),
                        tokenize_no_ssplit=True, allow_unknown_language=True, use_gpu=False,
                        logging_level="ERROR", pos_batch_size=BATCH_WORDS, depparse_batch_size=BATCH_WORDS,
                        **kwargs,
                    )
            except Exception as exc:  # stanza raises many kinds on a bad file
                raise ModelError(
                    f"could not load the {lang} models {', '.join(str(p) for p in paths.values())}: "
                    f"{type(exc).__name__}: {exc}; reinstall quotes or retrain with "
                    f"python -m quotes.models.train --lang {lang} --ud ../shared/ud"
                ) from None
        else:
            self.nlp = stanza.Pipeline(
                lang=lang, download_method=None, processors=",".join(PROCESSORS),
                tokenize_no_ssplit=True, logging_level="ERROR", use_gpu=False,
            )

    @property
    def cue_forms(self) -> frozenset[str]:
        """The words that the lemmatizer's dictionary lemmatizes as a cue verb, whatever they
        look like ("commment" → comment): for ``attribution.may_frame``, which decides unparsed."""
        if self._cue_forms is None:
            try:
                table = self.nlp.processors["lemma"].trainer.pos_dict
            except (KeyError, AttributeError):  # another lemmatizer: the stems alone decide
                table = {}
            verbs = self.lex.cue_verbs
            self._cue_forms = frozenset(word.lower() for entries in table.values() for word, lemma in entries.items()
                                        if lemma.lower().removeprefix("se ").removeprefix("s'") in verbs)
        return self._cue_forms

    def parse(self, batch: list[tuple[Masked, FrameSentence]]) -> list[Sentence]:
        """Parse each frame sentence as one sentence; words carry original offsets."""
        import stanza

        if not batch:
            return []
        self.sentences_parsed += len(batch)
        self.chars_parsed += sum(len(fs.text) for _, fs in batch)
        out = []
        for k in range(0, len(batch), CHUNK_SENTENCES):
            chunk = batch[k:k + CHUNK_SENTENCES]
            # one stanza document per sentence: the regex split is the sentence split
            docs = self.nlp.bulk_process([stanza.Document([], text=fs.text.replace("\n", " ")) for _, fs in chunk])
            out += [self._sentence(masked, fs, doc) for (masked, fs), doc in zip(chunk, docs)]
        return out

    def _sentence(self, masked: Masked, fs: FrameSentence, doc) -> Sentence:
        """One stanza document back to a Sentence whose words carry original offsets."""
        words = []
        for sent in doc.sentences:
            for token in sent.tokens:
                a, b = fs.masked_start + token.start_char, fs.masked_start + token.end_char
                start, end, quote = masked.to_original(a, b)
                for w in token.words:
                    words.append(Word(len(words) + 1, w.text, w.lemma or w.text, w.upos or "X",
                                      0, w.deprel or "dep", start, end, quote))
        # stanza may still split: renumber heads over the joined sentence
        offset, k = 0, 0
        for sent in doc.sentences:
            for w in sent.words:
                head = w.head or 0
                words[k].head = head + offset if head else 0
                k += 1
            offset += len(sent.words)
        return Sentence(repair(words, self.lex), cut=fs.cut)


TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]++|\S")


def unparsed(masked: Masked, fs: FrameSentence) -> Sentence:
    """A sentence that ``attribution.may_frame`` found no frame in, not parsed: its words cut
    by a regex, with their offsets and placeholders, and no syntax. It keeps its place among the
    document's sentences: the sentence of its quotes, the sentence before the next quote."""
    words = []
    for m in TOKEN.finditer(fs.text):
        start, end, quote = masked.to_original(fs.masked_start + m.start(), fs.masked_start + m.end())
        words.append(Word(len(words) + 1, m.group(), m.group().lower(), "X", 0, "dep", start, end, quote))
    return Sentence(words, cut=fs.cut)


ARGUMENTS = ("nsubj", "nsubj:pass", "obj", "iobj", "obl", "obl:mod", "obl:arg", "dep")


def attach_role_appositions(words: list[Word], lex: Lexicon) -> list[Word]:
    """« a déclaré le secrétaire à la Défense, Lloyd Austin »: the name after the role's comma is
    the role's apposition. A parser that hangs it on the verb as a second argument (the shipped
    ones do, after a role with a complement) is corrected, so that the speaker phrase holds both."""
    for name in words:
        comma = words[name.id - 2] if name.id >= 3 else None
        if comma is None or comma.text != "," or not name.head or name.deprel not in ARGUMENTS \
                or name.quote is not None or not (name.upos == "PROPN" or name.text[:1].isupper()):
            continue
        # the role: an argument of the same verb, before the name, whose phrase ends at the comma
        role = next((w for w in words[:comma.id - 1] if w.head == name.head and w.deprel in ARGUMENTS
                     and w.upos == "NOUN" and lex.is_role_noun(w.lemma, w.text)
                     and _within(words, words[comma.id - 2], w)), None)
        if role is not None:
            name.head, name.deprel = role.id, "appos"
    return words


def attach_subject_appositions(words: list[Word], lex: Lexicon) -> list[Word]:
    """« Le promoteur, la société Énergies du Ponant, …, promet »: two subjects of one verb before
    it, the second opening right after the comma that ends the first's phrase, are a subject and its
    apposition (a verb has one subject). The parser sometimes gives the verb both."""
    subjects = lex.deprels["subject"]
    for second in words:
        if second.deprel not in subjects or not second.head or second.quote is not None \
                or second.upos not in ("NOUN", "PROPN") or second.start > words[second.head - 1].start:
            continue
        # the apposition's phrase (« la société … ») opens right after a comma
        opens = _phrase_start(words, second)
        comma = words[opens - 2] if opens >= 3 else None
        if comma is None or comma.text != ",":
            continue
        first = next((w for w in words[:comma.id - 1] if w.head == second.head and w.deprel in subjects
                      and w.upos in ("NOUN", "PROPN") and w.quote is None and _within(words, words[comma.id - 2], w)), None)
        if first is not None:
            second.head, second.deprel = first.id, "appos"
    return words


def attach_role_complements(words: list[Word], lex: Lexicon) -> list[Word]:
    """« prévient Jean-Marc Delaunay, éleveur dans la Drôme. »: a prepositional phrase right after
    a role in apposition to the cue's inverted subject, with no comma between, completes the role
    (« chef économiste chez Natixis »). A parser that hangs it on the verb is corrected; a phrase
    set off by a comma (« …, à l'AFP ») stays the verb's."""
    for pp in words:
        if pp.deprel not in ("obl", "obl:mod", "obl:arg") or not pp.head or pp.quote is not None \
                or not _has_case(words, pp):
            continue
        verb = words[pp.head - 1]
        opens = _phrase_start(words, pp)
        if opens < 2 or verb.id >= opens or words[opens - 2].upos == "PUNCT":
            continue  # (a comma before it: « …, devant les salariés » is the verb's)
        # the role: a role noun in apposition whose phrase ends right before the complement
        role = words[opens - 2]
        while role.head and not (role.deprel == "appos" and role.upos == "NOUN" and lex.is_role_noun(role.lemma, role.text)):
            role = words[role.head - 1]
            if role.id == verb.id:
                break
        if role.deprel != "appos" or role.id == verb.id or role.start < verb.start:
            continue
        # … in apposition to the verb's subject, written after the verb
        subject = words[role.head - 1]
        while subject.deprel == "appos" and subject.head:
            subject = words[subject.head - 1]
        if subject.head == verb.id and subject.deprel in lex.deprels["subject"] | lex.deprels["inverted_subject"]:
            pp.head, pp.deprel = role.id, "nmod"
    return words


def split_place_from_name(words: list[Word], lex: Lexicon) -> list[Word]:
    """« a expliqué à Grenoble Julie Ferrand, glaciologue »: the parser read « Grenoble Julie
    Ferrand » as one name after « à ». A known first name right after the place opens the person's
    name, and the person is the subject the verb lacks; the place stays the verb's complement."""
    subjects = lex.deprels["subject"]
    for place in words:
        if place.upos != "PROPN" or not place.head or not place.deprel.startswith("obl") \
                or not _has_case(words, place):
            continue
        verb = words[place.head - 1]
        first = words[place.id] if place.id < len(words) else None
        if first is None or first.head != place.id or not first.deprel.startswith("flat") \
                or first.text.lower() not in lex.first_names or first.start - place.end > 1 \
                or any(c.head == verb.id and c.deprel in subjects for c in words):
            continue
        first.head, first.deprel = verb.id, "nsubj"
        for w in words[first.id:]:  # the rest of the name, and what the parser hung on the place
            if w.head == place.id and (w.deprel.startswith("flat") or w.deprel == "appos"):
                w.head = first.id
    return words


def join_split_names(words: list[Word], lex: Lexicon) -> list[Word]:
    """"Carla Mendes, a spokeswoman …, said" parsed with « Carla » and « Mendes » two subjects of
    the verb: adjacent capitalised words with the same head and relation are one name, the second
    a flat part of the first (what hangs on it, the apposition, then belongs to the name)."""
    for prev, w in zip(words, words[1:]):
        if w.upos == "PROPN" and prev.upos == "PROPN" and w.head and w.head == prev.head \
                and w.deprel == prev.deprel and w.deprel in lex.deprels["subject"] \
                and w.text[:1].isupper() and prev.text[:1].isupper() and w.start - prev.end <= 1 \
                and w.quote is None and prev.quote is None:
            w.head, w.deprel = prev.id, "flat:name"
    return words


def _within(words: list[Word], w: Word, top: Word) -> bool:
    """``w`` is ``top`` or in its subtree."""
    seen = set()
    while w.head and w.id not in seen and w.id != top.id:
        seen.add(w.id)
        w = words[w.head - 1]
    return w.id == top.id


def _phrase_start(words: list[Word], top: Word) -> int:
    """The id of the first word of ``top``'s phrase, punctuation aside (a comma the parser hung
    on the phrase is not where it opens)."""
    return min(w.id for w in words if w.upos != "PUNCT" and _within(words, w, top))


def _has_case(words: list[Word], w: Word) -> bool:
    """A preposition introduces ``w`` (« à Grenoble », « dans la Drôme »)."""
    return any(c.head == w.id and c.deprel == "case" for c in words)


def repair(words: list[Word], lex: Lexicon) -> list[Word]:
    """The parse as the attribution rules read it: stanza's, with the structures of news
    attributions that small parsers get wrong put right, one repair after another."""
    words = split_inversions(words, lex)  # « a-t-il ajouté »: the verb and its subject pronoun
    words = split_place_from_name(words, lex)  # « à Grenoble Julie Ferrand »
    words = join_split_names(words, lex)  # "Carla Mendes" read as two subjects
    words = attach_role_appositions(words, lex)  # « le secrétaire à la Défense, Lloyd Austin »
    words = attach_subject_appositions(words, lex)  # « Le promoteur, la société X, promet »
    return attach_role_complements(words, lex)  # « Jean Dupont, éleveur dans la Drôme »


def split_inversions(words: list[Word], lex: Lexicon) -> list[Word]:
    """« raconte-t-il », « a-t-elle » kept as one token by the tokenizer become the verb and its
    subject pronoun, as the treebanks write them: the rules then see a verb and an nsubj."""
    if not lex.inversion:
        return words
    pattern = regex.compile(lex.inversion, regex.I)
    out: list[Word] = []
    new_id: dict[int, int] = {}
    pronouns: list[tuple[Word, Word]] = []
    for w in words:
        m = pattern.match(w.text) if w.quote is None and "-" in w.text else None
        new_id[w.id] = len(out) + 1
        if m is None:
            out.append(replace(w, id=len(out) + 1))
            continue
        verb_text = m.group("verb")
        lemma = lex.guess_lemma(verb_text)
        verb = Word(len(out) + 1, verb_text, lemma, "AUX" if lemma in ("avoir", "être") else "VERB",
                    w.head, w.deprel, w.start, w.start + len(verb_text))
        pron = Word(len(out) + 2, m.group("pronoun"), m.group("pronoun").lower(), "PRON", 0, "nsubj",
                    w.end - len(m.group("pronoun")), w.end)
        out += [verb, pron]
        pronouns.append((verb, pron))
    for w in out:
        if w.head and w not in [p for _, p in pronouns]:
            w.head = new_id.get(w.head, w.head)
    # « a -t -il déclaré » split by the tokenizer: the euphonic -t- is no verb, and the pronoun
    # is the subject of the participle that follows (or of the verb it is glued to)
    for i, w in enumerate(out):
        if w.text.lower() in ("-t", "-t-", "t"):
            w.upos, w.deprel = "PART", "dep"
        elif w.text.startswith("-") and w.text.lstrip("-t").lower() in ("il", "elle", "ils", "elles", "on"):
            following = [x for x in out[i + 1:i + 3] if x.upos == "VERB"]
            preceding = [x for x in out[max(0, i - 3):i] if x.upos in ("VERB", "AUX") and not x.text.startswith("-")]
            target = following[0] if following else (preceding[-1] if preceding else None)
            if target is not None:
                w.upos, w.head, w.deprel = "PRON", target.id, "nsubj"
    for verb, pron in pronouns:
        # « a-t-il ajouté »: the pronoun is the subject of the participle the auxiliary serves
        target = verb
        if verb.upos == "AUX":
            following = [x for x in out[pron.id:pron.id + 3] if x.upos == "VERB"]
            target = following[0] if following else verb
            if following and verb.head != target.id:
                if target.head == verb.id:  # the participle hung on the auxiliary: swap them
                    target.head, target.deprel = verb.head, verb.deprel
                verb.head, verb.deprel = target.id, "aux:tense"
        pron.head = target.id
    return out
