"""Lexicons as data, keyed by language: cue verbs (matched on lemma), role nouns, anonymity
markers, organisation words, pronouns, dependency-label sets. The words live in
``quotes/lexicons/<lang>.json``; this module only loads and indexes them."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

SUPPORTED_LANGUAGES = ("en", "fr")


class UnsupportedLanguage(ValueError):
    def __init__(self, lang: str):
        super().__init__(
            f"unsupported language {lang!r}: supported languages are {', '.join(SUPPORTED_LANGUAGES)} (or 'auto')"
        )
        self.lang = lang


@dataclass(frozen=True)
class Lexicon:
    language: str
    cue_verbs: frozenset[str]
    weak_cue_verbs: frozenset[str]
    cue_verb_forms: frozenset[str]
    cue_prepositions: dict[str, str]
    framing_prepositions: dict[str, str]  # « Pour X, « … » »: a cue only opening the sentence, before a person
    speech_nouns: frozenset[str]
    role_nouns: frozenset[str]
    anonymous_heads: frozenset[str]
    anonymity_markers: tuple[str, ...]
    indefinite_determiners: frozenset[str]
    determiners: frozenset[str]
    organization_words: frozenset[str]
    organization_references: tuple[str, ...]
    pronouns: dict[str, str]
    latter: tuple[str, ...]
    name_particles: frozenset[str]
    honorifics: frozenset[str]
    stopwords: frozenset[str]
    placeholder: str
    time_words: frozenset[str]
    inversion: str  # a verb and its subject pronoun written as one token: « raconte-t-il »
    cue_form_lemmas: dict[str, str]
    participle_suffixes: tuple[str, ...]  # « en prévenant » tagged as a noun: the form still says it is a verb
    recipient_verbs: frozenset[str]  # "told reporters": their object is the listener
    deprels: dict[str, frozenset[str]]
    relative_pronouns: frozenset[str]  # « qui », "who": a subject that stands for its antecedent
    personal_relative_pronouns: frozenset[str]  # "who": its antecedent is a person
    anonymous_postmodifiers: tuple[str, ...]  # "a source close to …", « un proche du dossier »: part of the source
    auxiliaries: frozenset[str]  # lemmas of verbs that do not start a clause of their own
    catenative_verbs: frozenset[str]  # « a-t-il fini par reconnaître », "went on to say": the cue follows
    clitics: frozenset[str]  # « se », « lui », « -t »: never a speaker
    role_prepositions: frozenset[str]  # inside a role: « ministre de l'Intérieur », "Secretary of State"
    role_openers: frozenset[str]  # adjectives a role may start with: « haut responsable », "former"
    locative_prepositions: frozenset[str]  # « dans un communiqué », "in an interview": where, not who
    gender_suffixes: dict[str, tuple[str, ...]]  # role-noun endings that say the gender
    epicene_roles: frozenset[str]  # role nouns whose ending says nothing of the gender
    gendered_determiners: dict[str, str]  # « la maire », « le porte-parole »: the determiner says it
    first_names: dict[str, str]  # "Karen" → fem: a first name worn by one gender in the press says it
    addressee_participles: frozenset[str]  # « un cheminot interrogé », "a resident interviewed": was asked
    scare_markers: tuple[str, ...]  # « soi-disant », "so-called" before quote marks: distance, not speech
    cue_stems: tuple[str, ...]  # « déclar », « repr »: forms of cue verbs start with one (accents stripped)
    cue_word_forms: frozenset[str]  # « disait », "denied": forms of cue verbs, listed or inflected
    group_quantifiers: tuple[str, ...]  # « deux », "several": they open a group of people (« Deux riverains »)

    def is_cue_verb(self, lemma: str, form: str = "") -> bool:
        """Cue verbs are matched on lemma; the form list rescues a wrong lemma."""
        lemma = lemma.lower().removeprefix("se ").removeprefix("s'").removeprefix("s’")
        form = form.lower()
        return lemma in self.cue_verbs or form in self.cue_verb_forms or self.guess_lemma(form) in self.cue_verbs

    def is_role_noun(self, lemma: str, form: str = "") -> bool:
        """Role nouns are matched on lemma or form (« porte-parole », "spokeswoman")."""
        return lemma.lower() in self.role_nouns or form.lower() in self.role_nouns

    def may_be_cue_form(self, form: str) -> bool:
        """Whether a word could be a form of a cue verb whatever its lemma turns out to be: it
        starts like one (« dis », « disait » ← dire; "denied" ← deny), or a list knows it ("said")."""
        low = form.lower()
        bare = strip_accents(low)
        return low in self.cue_verb_forms or bare in self.cue_word_forms \
            or bool(self.cue_stems) and bare.startswith(self.cue_stems) or self.is_cue_verb(low, low)

    def guess_lemma(self, form: str) -> str:
        """The lemma of a verb form the tagger did not see as one (« raconte » → raconter)."""
        low = form.lower()
        if low in self.cue_form_lemmas:
            return self.cue_form_lemmas[low]
        if self.language == "fr":
            # raconte → raconter; déclaré(e)(s) → déclarer; dénonçant → dénoncer
            stem = regex.sub(r"(?:é|ée|és|ées|ant|e)$", "", low)
            for candidate in (stem + "er", stem.replace("ç", "c") + "er", stem.replace("ge", "g") + "er",
                              stem + "ir", stem + "re"):
                if candidate in self.cue_verbs:
                    return candidate
        return low


def strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _cue_stems(cue_verbs: frozenset[str], data: dict) -> tuple[str, ...]:
    """The stems all forms of the cue verbs start with, where the lexicon cuts stems
    (``cue_stem_endings``): the verb (its last word, « mettre en garde », without « s' »),
    accents stripped, less the first ending it ends with (« reprendre » → « repr », for
    « repris »; « maintenir » → « maint », for « maintient »), as long as two letters stay.
    The verbs whose forms the lexicon lists (``cue_paradigms``: « dire », whose stem « di »
    would match « directeur ») have none."""
    endings = data.get("cue_stem_endings")
    if not endings:
        return ()
    stems = set()
    for verb in cue_verbs:
        verb = strip_accents(verb.split()[-1].removeprefix("s'").removeprefix("s’"))
        if verb in data.get("cue_paradigms", {}):
            continue
        ending = next((e for e in endings if verb.endswith(e) and len(verb) - len(e) >= 2), "")
        stems.add(verb[:len(verb) - len(ending)])
    return tuple(sorted(stems))


def _cue_word_forms(cue_verbs: frozenset[str], data: dict) -> frozenset[str]:
    """Every form of the cue verbs, where the lexicon can list them (accents stripped): the
    ``cue_paradigms`` written out, and regular ``cue_inflections`` ("deny" → denies, denied,
    denying; "admit" → admitted). Generous: a few forms that do not exist cost nothing."""
    forms = {strip_accents(f) for paradigm in data.get("cue_paradigms", {}).values() for f in paradigm}
    for verb in cue_verbs if data.get("cue_inflections") else ():
        verb = verb.split()[-1]
        forms.add(verb)
        for suffix in data["cue_inflections"]:
            forms.update({verb + suffix, verb + verb[-1] + suffix})
            if verb.endswith("e"):
                forms.add(verb[:-1] + suffix)
            if verb.endswith("y"):
                forms.update({verb[:-1] + "i" + suffix, verb[:-1] + suffix})
    return frozenset(forms)


@lru_cache(maxsize=None)
def get_lexicon(lang: str) -> Lexicon:
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(lang)
    data = json.loads(resources.files("quotes.lexicons").joinpath(f"{lang}.json").read_text("utf-8"))
    lower = lambda key: frozenset(w.lower() for w in data.get(key, []))  # noqa: E731
    return Lexicon(
        language=lang,
        cue_verbs=lower("cue_verbs"),
        weak_cue_verbs=lower("weak_cue_verbs"),
        cue_verb_forms=lower("cue_verb_forms"),
        cue_prepositions=data["cue_prepositions"],
        framing_prepositions=data.get("framing_prepositions", {}),
        speech_nouns=lower("speech_nouns"),
        role_nouns=lower("role_nouns"),
        anonymous_heads=lower("anonymous_heads"),
        anonymity_markers=tuple(m.lower() for m in data["anonymity_markers"]),
        indefinite_determiners=lower("indefinite_determiners"),
        determiners=lower("determiners"),
        organization_words=lower("organization_words"),
        organization_references=tuple(r.lower() for r in data["organization_references"]),
        pronouns=data["pronouns"],
        latter=tuple(x.lower() for x in data["latter"]),
        name_particles=lower("name_particles"),
        honorifics=frozenset(data["honorifics"]),
        stopwords=lower("stopwords"),
        placeholder=data["placeholder"],
        time_words=lower("time_words"),
        inversion=data.get("inversion", ""),
        cue_form_lemmas=data.get("cue_form_lemmas", {}),
        participle_suffixes=tuple(data.get("participle_suffixes", [])),
        recipient_verbs=lower("recipient_verbs"),
        deprels={k: frozenset(v) for k, v in data["deprels"].items()},
        relative_pronouns=lower("relative_pronouns"),
        personal_relative_pronouns=lower("personal_relative_pronouns"),
        anonymous_postmodifiers=tuple(w.lower() for w in data.get("anonymous_postmodifiers", [])),
        auxiliaries=lower("auxiliaries"),
        catenative_verbs=lower("catenative_verbs"),
        clitics=lower("clitics"),
        role_prepositions=lower("role_prepositions"),
        role_openers=lower("role_openers"),
        locative_prepositions=lower("locative_prepositions"),
        gender_suffixes={k: tuple(v) for k, v in data.get("gender_suffixes", {}).items()},
        epicene_roles=lower("epicene_roles"),
        gendered_determiners={w.lower(): g for g, words in data.get("gendered_determiners", {}).items() for w in words},
        scare_markers=tuple(w.lower() for w in data.get("scare_markers", [])),
        first_names={w.lower(): g for g, words in data.get("first_names", {}).items() for w in words},
        addressee_participles=lower("addressee_participles"),
        cue_stems=_cue_stems(lower("cue_verbs"), data),
        cue_word_forms=_cue_word_forms(lower("cue_verbs"), data),
        group_quantifiers=tuple(w.lower() for w in data.get("group_quantifiers", [])),
    )
