"""Stage 4: document-level resolution. Pronouns (il, she), « ce dernier », « le groupe »,
descriptions (« le haut responsable ») and short names (« Austin », « M. Austin ») resolve to
the full speaker named earlier; each speaker gets a stable id (S1, S2… in order of first
quote) and keeps its role for later quotes.

Names outside the parsed frames are found cheaply with a regex (capitalised runs), with the
role written just before them ("US Defense Secretary Lloyd Austin") or in apposition after."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterator, Optional

import regex

from .attribution import Found
from .lexicon import Lexicon
from .mentions import Mention, org_extent

# a capitalised word or an initial ("J."); « L’administration » is an article and a noun
CAP = r"(?!\p{Lu}['’]\p{Ll})(?:\p{Lu}\.|\p{Lu}[\p{L}'’\-]*+)"
NAME = regex.compile(rf"{CAP}(?:[ \u00a0]++(?:(?:de|du|van|von|der|da|di|del|bin|ben|al|el|le|la|d['’])[ \u00a0]*+)?{CAP})++")
WORD = regex.compile(r"[\p{L}\p{N}'’\-\.]++")
# How far back a pronoun or a description looks, so that resolution stays linear on a huge
# document (an archive dump, thousands of quotes): an article has far fewer speakers and names.
RECENT_ENTITIES = 64  # speakers, the most recently quoted first
RECENT_NAMES = 400  # names written before the mention


@dataclass
class Entity:
    name: str
    type: str
    name_span: Optional[tuple[int, int]] = None
    role: Optional[tuple[int, int]] = None
    gender: str = "any"
    head_lemma: str = ""
    id: Optional[str] = None
    last_seen: int = 0
    order: int = 0  # creation order: ties of last_seen go to the older speaker

    @property
    def tokens(self) -> list[str]:
        return _tokens(self.name)


@dataclass
class Resolved:
    found: Found
    entity: Optional[Entity]
    mention: Optional[tuple[int, int]]
    confidence: float


@dataclass
class NameInText:
    """A name found by the cheap regex pass, with a role written beside it."""

    span: tuple[int, int]
    text: str
    role: Optional[tuple[int, int]] = None
    organization: bool = False


@dataclass
class Document:
    """The text, its names (in text order) and the speakers found so far, indexed so that each
    mention costs about the same however long the document is."""

    text: str
    lex: Lexicon
    names: list[NameInText]
    entities: list[Entity] = field(default_factory=list)

    def __post_init__(self):
        self.name_starts = [n.span[0] for n in self.names]
        self.name_ends = [n.span[1] for n in self.names]
        self.name_at = {n.span: n for n in self.names}
        self.names_ending = defaultdict(list)  # last word of a name → the names, in text order
        for n in self.names:
            self.names_ending[_last_token(n.text)].append(n)
        self.entities_ending: dict[str, list[Entity]] = defaultdict(list)  # in creation order
        self.recent: dict[int, Entity] = {}  # speakers, least recently quoted first

    def seen(self, entity: Entity, offset: int) -> None:
        entity.last_seen = offset
        self.recent.pop(entity.order, None)
        self.recent[entity.order] = entity

    def by_recency(self) -> list[Entity]:
        """The speakers quoted last, latest first (all of them in an article)."""
        latest = list(islice(reversed(self.recent.values()), RECENT_ENTITIES))
        return sorted(latest, key=lambda e: (-e.last_seen, e.order))

    def names_before(self, offset: int, by_start: bool = False) -> Iterator[NameInText]:
        """Names ending at or before ``offset`` (starting before it), latest first."""
        k = bisect_left(self.name_starts, offset) if by_start else bisect_right(self.name_ends, offset)
        for i in range(k - 1, max(-1, k - 1 - RECENT_NAMES), -1):
            yield self.names[i]


def _tokens(name: str) -> list[str]:
    """The words a name is matched on: « M. Austin » and "Austin" share "austin"."""
    return [t.lower().strip(".") for t in name.split()]


def _last_token(name: str) -> str:
    """The key of the name indexes: two names that match share their last word."""
    tokens = _tokens(name)
    return tokens[-1] if tokens else ""


# ------------------------------------------------------------------ the cheap name pass
def find_names(text: str, lex: Lexicon) -> list[NameInText]:
    """Capitalised runs of two words or more: people and organisations named in the text."""
    out = []
    lowercase_words = set(regex.findall(r"\b\p{Ll}[\p{L}'’\-]*+", text))
    for m in NAME.finditer(text):
        words = [(w.start(), w.end()) for w in regex.finditer(r"\S++", m.group())]
        words = [(m.start() + a, m.start() + b) for a, b in words]
        low = [text[a:b].lower().strip(".") for a, b in words]
        # drop sentence-initial determiners, honorifics and role words:
        # « Le président… », « M. Biden », "US Defense Secretary Lloyd Austin"
        last_role = max((i for i, w in enumerate(low) if w in lex.role_nouns), default=-1)
        role = (words[0][0], words[last_role][1]) if last_role >= 0 else None
        keep = words[last_role + 1:]
        # a capitalised first word that the text also writes in lower case is an ordinary
        # word at a sentence start ("The", "According", « Les »), not part of a name
        while keep and (text[keep[0][0]:keep[0][1]].lower() in lex.determiners
                        or text[keep[0][0]:keep[0][1]] in lex.honorifics
                        or text[keep[0][0]:keep[0][1]].lower() in lex.stopwords
                        or text[keep[0][0]:keep[0][1]].lower() in lowercase_words):
            keep = keep[1:]
        if len(keep) > 2 and regex.search(r"['’]s$", text[keep[0][0]:keep[0][1]]):
            keep = keep[1:]  # "It's Joe Biden"
        if keep and regex.match(r"[LlDd]['’]", text[keep[0][0]:keep[0][1]]):
            keep[0] = (keep[0][0] + 2, keep[0][1])  # « L’ONG Vigilance Océans »
        if len(keep) >= 3 and regex.search(r"(?:\b(?:de|du|des|of|of the)\s|[ld]['’])$", text[max(0, keep[0][0] - 7):keep[0][0]], regex.I):
            keep = keep[1:]  # « le ministre de l’Intérieur Gérald Martin »: the complement goes
            # « le directeur du CHU de Nantes, Philippe Cordier »: the complement goes on after a
            # particle (« de Nantes » is no one's name)
            while len(keep) >= 2 and text[keep[0][0]:keep[0][1]] in ("de", "du", "des", "d’", "d'", "of"):
                keep = keep[2:]
        # « a expliqué à Grenoble Julie Ferrand »: after a preposition of place, a place, then a
        # person whose first name the lexicon knows (the place is no first name)
        before = text[max(0, keep[0][0] - 12):keep[0][0]].split() if keep else []
        if len(keep) >= 3 and text[keep[1][0]:keep[1][1]].lower() in lex.first_names \
                and text[keep[0][0]:keep[0][1]].lower() not in lex.first_names \
                and before and before[-1].lower() in lex.locative_prepositions:
            keep = keep[1:]
        org_word = False
        while len(keep) >= 2 and text[keep[0][0]:keep[0][1]].lower() in lex.organization_words:
            keep, org_word = keep[1:], True  # « ONG Vigilance Océans »: the name is what follows
        if len(keep) < 2:
            if len(keep) == 1 and _lone_name(text, keep[0], lex, lowercase_words):
                a, b = keep[0]
                out.append(NameInText((a, b), text[a:b], None, True))  # « Norvalis », "Voltaris"
            continue
        start, end = keep[0][0], keep[-1][1]
        while text[end - 1] in ".,;:" or text[end - 2:end] in ("'s", "’s"):
            end -= 1 if text[end - 1] in ".,;:" else 2  # "Biden's", a final period
        name = text[start:end]
        org = org_word or any(w.lower().strip(".") in lex.organization_words for w in name.split()) or \
            any(" " in ow and ow in name.lower() for ow in lex.organization_words) or \
            regex.search(r"(?:\b(?:la|le|les|du|au|the|a|an|un|une|des)\s|[l]['’])$", text[max(0, start - 4):start], regex.I) is not None \
            or name.split()[0].lower() in lex.time_words \
            or (len(name.split()[0]) >= 2 and name.split()[0].isupper() and name.split()[0].isalpha()) \
            or _word_before(text, start).lower() in lex.organization_words  # « la région Grand Est »
        # (a name after an article is a thing or a body, « la Route du Rhum », not a person; one
        # that opens with an acronym is a body too: « SUD Santé », "NHS England")
        if org:  # « Cour des comptes », "Ontario Ministry of Labour": the name runs on over its complements
            end = org_extent(text, (start, end))[1]
            name = text[start:end]
        out.append(NameInText((start, end), name, role or _role_near(text, start, end, lex), org))
    return _with_named_organisations(text, out, lex)


# « le groupe Logista », "the company Vexor": one capitalised word after an organisation noun
AFTER_LOWER_WORD = regex.compile(r"\b(\p{Ll}[\p{L}\-]*+)[ \u00a0]++(\p{Lu}[\p{L}\-&]*+)\b(?![ \u00a0]++\p{Lu})")


def _with_named_organisations(text: str, names: list[NameInText], lex: Lexicon) -> list[NameInText]:
    """Add the one-word names that an organisation noun introduces (the capitalised runs above
    need two words), for « l'entreprise », "the company" to point back to."""
    starts = [n.span[0] for n in names]  # names come in text order
    extra = []
    for m in AFTER_LOWER_WORD.finditer(text):
        if m.group(1).lower() in lex.organization_words and len(m.group(2)) >= 2:
            span = (m.start(2), m.end(2))
            i = bisect_right(starts, span[0]) - 1  # the name starting last at or before it
            if i < 0 or not names[i].span[0] <= span[0] < names[i].span[1]:
                extra.append(NameInText(span, m.group(2), None, True))
    return sorted(names + extra, key=lambda n: n.span) if extra else names


def _word_before(text: str, offset: int) -> str:
    m = regex.search(r"(\p{L}+)[\s\u00a0]*+$", text[max(0, offset - 30):offset])
    return m.group(1) if m else ""


def _lone_name(text: str, span: tuple[int, int], lex: Lexicon, lowercase_words: set) -> bool:
    """A single capitalised word inside a sentence, never written in lower case: a company, a
    body or a place — kept as an organisation candidate for « le groupe », "the company"."""
    word = text[span[0]:span[1]]
    before = text[max(0, span[0] - 2):span[0]]
    return len(word) >= 3 and word.isalpha() and not before.strip(" ").endswith((".", "\n", "«", '"', "“")) \
        and span[0] > 0 and word.lower() not in lowercase_words and word.lower() not in lex.stopwords \
        and word not in lex.honorifics and word.lower() not in lex.role_nouns and word.lower() not in lex.time_words


APPOSITION_BEFORE = regex.compile(
    r"(?:^|\s)(?:(?:le|la|the|former|son|sa|his|her|its|their)\s++|l['’]|\p{L}++['’]s\s++)"
    r"(?P<role>[^,.;:!?\n«»\"]{2,60}?)\s*+,\s*+$", regex.I)


def _names_a_role(phrase: str, lex: Lexicon) -> bool:
    """« secrétaire à la Défense », "health secretary", "artistic director of the festival": the
    phrase opens with a role noun or adjective, or its head noun (the last word before its
    complement, after at most two modifiers: English puts them first) is a role noun."""
    words = [w.lower().strip(".,") for w in phrase.split()]
    if not words or any(w.endswith(("'s", "’s")) for w in words):
        return False  # "city's transport commissioner": the role starts after the possessive
    if words[0] in lex.role_nouns or words[0] in lex.role_openers:
        return True
    head = next((i for i, w in enumerate(words) if w in lex.role_prepositions), len(words))
    # a modifier or two before the head ("chief medical officer"), not a clause that ends in a
    # role noun (« l'Intérieur Gérald Martin a reçu mardi le maire de Grenoble »)
    return 0 < head <= 3 and words[head - 1] in lex.role_nouns


ELIDED_ROLE = regex.compile(r"[LlDd]['’](\p{L}.*)")  # « L’architecte »: an elided article and a word


def _role_near(text: str, start: int, end: int, lex: Lexicon) -> Optional[tuple[int, int]]:
    """« le président élu Donald Trump », « le secrétaire à la Défense, Lloyd Austin »,
    "Elliot de Faramond, spokesperson for Handicap International"."""
    window = text[max(0, start - 80):start]
    base = start - len(window)
    for m in APPOSITION_BEFORE.finditer(window, overlapped=True):
        if _names_a_role(m.group("role"), lex):
            return base + m.start("role"), base + m.end("role")
    # before, without a comma: the words back to a determiner or a verb ("Olympic champion",
    # « le président élu », "Irish Finance Minister")
    role_words = []
    for w in reversed(list(WORD.finditer(window))):
        low = w.group().lower()
        elided = ELIDED_ROLE.match(w.group())
        if elided and elided.group(1).lower() in lex.role_nouns and not any(c in window[w.end():] for c in ",\n") \
                and not (role_words and role_words[-1].group().lower() in lex.role_prepositions):
            # « L’architecte Hélène Marchetti »: the role starts after the elided article
            return base + w.start() + elided.start(1), base + (role_words[-1].end() if role_words else w.end())
        if low in lex.role_prepositions or (role_words and low in ("la", "the", "l'", "l’") and
                                   role_words[0].group().lower() not in lex.role_nouns and
                                   not role_words[0].group()[:1].isupper()):
            if role_words and low in lex.role_prepositions | {"la", "the"}:
                role_words.insert(0, w)  # « ministre de l’Intérieur », "Secretary of State"
                continue
        if (low in lex.determiners and not (role_words and role_words[0].group().lower() in lex.role_prepositions)) \
                or (low in lex.stopwords and low not in lex.role_prepositions) or low in lex.cue_verb_forms or "," in window[w.end():] \
                or "\n" in window[w.end():] or (lex.language == "en" and low.endswith("ed") and w.group()[0].islower()) \
                or (w.group()[0].islower() and w.group().endswith(".")):
            break  # (a lower-case word that ends the sentence before: "…for worried families. State epidemiologist")
        role_words.insert(0, w)
        if len(role_words) > 5:
            role_words = []
            break
    while role_words and role_words[0].group().lower() in lex.role_prepositions:
        role_words.pop(0)
    if role_words and any(w.group().lower() in lex.role_nouns for w in role_words) \
            and role_words[-1].group().lower() not in lex.role_prepositions:
        return base + role_words[0].start(), base + role_words[-1].end()
    # after: ", spokesperson for Handicap International," (up to the next comma or period)
    m = regex.match(r",\s++(?:(?:the|a|an|le|la|les|son|sa|ses|his|her|its|their)\s++|l['’])?(?:\p{L}++['’]s\s++)?"
                    r"((?:\p{L}[\p{L}'’\-]*+\s*+){1,10}?)(?=[,.;]|$)", text[end:end + 160])
    if m and _names_a_role(m.group(1), lex):
        s = end + m.start(1)
        return s, s + len(m.group(1).rstrip())
    return None


def _antecedent_phrase(doc: "Document", m: Mention) -> Optional[tuple[int, int]]:
    """The fuller phrase written earlier for « le ministère » (« Le ministère de l’Éducation
    nationale ») or "the official" ("a senior administration official"): the head word, its
    capitalised complements, or the indefinite phrase ending in it."""
    head = doc.text[m.span[0]:m.span[1]].split()[-1]
    before = doc.text[max(0, m.span[0] - 1500):m.span[0]]
    base = m.span[0] - len(before)
    if m.form == "org_ref":
        found = None
        for hit in regex.finditer(rf"\b{regex.escape(head)}\b", before, regex.I):
            words = list(regex.finditer(r"\S++", before[hit.end():hit.end() + 120]))
            end, prev_cap = hit.end(), False
            for w in words:
                t = w.group().strip(",.;:")
                cap = t[:1].isupper() or regex.match(r"^[ld]['’]\p{Lu}", t, regex.I) is not None
                if t.lower() in doc.lex.role_prepositions | {"la", "le", "les", "the", "l'", "l’"} or cap or \
                        (prev_cap and len(t) > 3 and t.lower() not in doc.lex.stopwords and t.lower() not in doc.lex.cue_verb_forms):
                    if cap or prev_cap and not t.lower() in doc.lex.role_prepositions:
                        end = hit.end() + w.start() + len(t)
                    prev_cap = cap
                    if w.group()[-1] in ",.;:":
                        break
                else:
                    break
            if end > hit.end():
                found = (base + hit.start(), base + end)
        return found
    found = None
    for hit in regex.finditer(rf"\b(?:an?|un|une|des|plusieurs)\s++(?:[\p{{Ll}}\-]++\s++){{0,4}}?{regex.escape(head)}\b", before, regex.I):
        found = (base + hit.start(), base + hit.end())
    return found


# ------------------------------------------------------------------ resolution
def resolve(text: str, found: list[Found], lex: Lexicon) -> list[Resolved]:
    doc = Document(text, lex, find_names(text, lex))
    out: list[Resolved] = []
    for f in found:
        if f.continues is not None:
            prev = out[f.continues]
            out.append(Resolved(f, prev.entity, prev.mention, f.confidence))
            continue
        if f.mention is None:
            out.append(Resolved(f, None, None, f.confidence if f.rule != "none" else 0.3))
            continue
        m = f.mention
        entity, confidence = RESOLVERS[m.form](doc, m, f)
        if entity is not None:
            doc.seen(entity, m.span[0])
            if m.role and not entity.role:
                entity.role = m.role
            if m.gender != "any" and entity.gender == "any":
                entity.gender = m.gender
        out.append(Resolved(f, entity, m.span, f.confidence * confidence))
    _number(out)
    return out


def _number(resolved: list[Resolved]) -> None:
    n = 0
    for r in resolved:
        if r.entity is not None and r.entity.id is None:
            n += 1
            r.entity.id = f"S{n}"


def _add(doc: Document, entity: Entity) -> Entity:
    entity.order = len(doc.entities)
    doc.entities.append(entity)
    doc.entities_ending[_last_token(entity.name)].append(entity)
    doc.seen(entity, entity.last_seen)
    return entity


def _text(doc: Document, span: tuple[int, int]) -> str:
    return doc.text[span[0]:span[1]]


def _strip_honorific(name: str, lex: Lexicon) -> str:
    words = name.split()
    while len(words) > 1 and words[0] in lex.honorifics:
        words = words[1:]
    return " ".join(words)


def resolve_name(doc: Document, m: Mention, f: Found) -> tuple[Entity, float]:
    """A name: the entity it names, or the fuller name written elsewhere ("Austin" → Lloyd Austin)."""
    name = _strip_honorific(_text(doc, m.name), doc.lex)
    tokens = _tokens(name)
    for e in list(doc.entities_ending[_last_token(name)]):  # a match shares the last word
        if m.gender in ("masc", "fem") and e.gender in ("masc", "fem") and m.gender != e.gender:
            continue  # « Mr. Hughes » is not Ann Hughes
        if e.tokens == tokens or (len(tokens) < len(e.tokens) and e.tokens[-len(tokens):] == tokens):
            _widen_to_particle(doc, m, e)
            return e, 1.0
        if len(tokens) > len(e.tokens) and tokens[-len(e.tokens):] == e.tokens and e.type != "anonymous":
            e.name, e.name_span = name, m.name  # the fuller name, met later
            return e, 1.0
    if m.type != "organization":
        fuller = [n for n in doc.names_ending[_last_token(name)] if len(n.text.split()) > len(tokens)
                  and _tokens(n.text)[-len(tokens):] == tokens]
        if fuller:
            before = [n for n in fuller if n.span[0] < m.span[0]] or fuller
            n = before[-1]
            role = m.role or n.role
            return _add(doc, Entity(n.text, "person", n.span, role, _entity_gender(doc, m, n.text, role),
                                    m.head_lemma)), 0.95
    role = m.role
    if role is None and m.type != "organization":
        # the role written beside this name, else where the same full name was introduced earlier
        # (« le président de la région, Marc Delorme, … / Marc Delorme a salué « … » »)
        role = doc.name_at[m.name].role if m.name in doc.name_at else None
        role = role or next((n.role for n in doc.names_before(m.span[0]) if n.role and _tokens(n.text) == tokens), None)
    kind = m.type if m.type != "unknown" else "person"
    if len(tokens) == 1 and kind == "person" and m.span == m.name and role is None:
        kind = "organization"  # a lone name never given in full, no title: « Norvalis », "Paylane"
    return _add(doc, Entity(name, kind, m.name, role, _entity_gender(doc, m, name, role, kind), m.head_lemma)), 1.0


def _widen_to_particle(doc: Document, m: Mention, e: Entity) -> None:
    """« Le Bihan a dit »: the short name keeps the particle that the full name has."""
    words = e.name.split()
    for k in range(2, len(words)):
        part = " ".join(words[-k:])
        start = m.span[1] - len(part)
        if start >= 0 and doc.text[start:m.span[1]].replace("\u00a0", " ") == part and start < m.span[0]:
            honor = regex.search(r"(?:M\.|Mme|Mr\.|Mrs\.|Ms\.|Dr\.)[ \u00a0]$", doc.text[max(0, start - 5):start])
            m.span = (start - len(honor.group()) if honor else start, m.span[1])
            return


def resolve_pronoun(doc: Document, m: Mention, f: Found) -> tuple[Optional[Entity], float]:
    """il / she: the latest speaker of a compatible gender; else the latest person named."""
    plural = m.gender in ("plural", "neuter")  # ils, they, it: organisations first
    recent = doc.by_recency()
    if not plural:
        newcomer = _named_since_latest_speaker(doc, m, recent)
        if newcomer is not None:
            return newcomer, 0.8
    group = _group_before(doc, m, recent) if m.gender == "plural" else None
    if group is not None and not any(e.last_seen > group[0] for e in recent if e.type in ("organization", "anonymous")):
        # « Deux futurs acquéreurs … « … », ont-ils assuré »: the group of people written last
        name = _text(doc, group)
        known = next((e for e in recent if e.name == name), None)
        return known or _add(doc, Entity(name, "anonymous", group, None, "plural", m.head_lemma)), 0.7
    for e in recent:
        if plural and e.type in ("organization", "anonymous", "unknown"):
            return e, 0.85
        if not plural and e.type != "organization" and e.gender in ("any", m.gender):
            return e, 0.9
    if recent and plural:
        return recent[0], 0.6
    person = _last_person_before(doc, m.span[0], m.gender)
    if person is not None:
        return _entity_for_name(doc, person, m), 0.7
    return None, 0.0


def _group_before(doc: Document, m: Mention, recent: list[Entity]) -> Optional[tuple[int, int]]:
    """The latest group of people written before a plural pronoun, since the last speaker was
    quoted (``recent``: the speakers, latest first): a quantifier, at most two words, a plural noun
    for people (« Deux futurs acquéreurs », "Two neighbors"; not "two weeks")."""
    if not doc.lex.group_quantifiers:
        return None
    since = max((e.last_seen for e in recent), default=0)
    before = doc.text[max(since, m.span[0] - 1500):m.span[0]]
    base = m.span[0] - len(before)
    words = "|".join(regex.escape(q) for q in doc.lex.group_quantifiers)
    found = None
    for hit in regex.finditer(rf"\b(?i:{words})\s++(\p{{Ll}}[\p{{L}}\-]*+(?:\s++\p{{Ll}}[\p{{L}}\-]*+){{0,2}})", before):
        # the last of up to three words that is a plural noun for people: « Deux futurs acquéreurs »
        for w in reversed(list(regex.finditer(r"\S++", hit.group(1)))):
            noun = w.group().lower()
            if noun[-1:] in ("s", "x") and (noun[:-1] in doc.lex.role_nouns or noun in doc.lex.anonymous_heads
                                            or noun[:-1] in doc.lex.anonymous_heads):
                found = (base + hit.start(), base + hit.start(1) + w.end())
                break
    return found


def _named_since_latest_speaker(doc: Document, m: Mention, recent: list[Entity]) -> Optional[Entity]:
    """"…," said Gloria Mendes. / Town manager Peter Olsen defended the plan. / "…," he said.":
    a person who opens a sentence after the latest speaker was last seen is whom the story has
    moved on to. Only a name at the head of its sentence (titles and role words before it), not
    one inside a clause (« Elle a critiqué le plan de Peter Olsen »), and of a compatible gender."""
    person = _last_person_before(doc, m.span[0])
    if person is None or not recent or person.span[0] <= recent[0].last_seen:
        return None
    if doc.text[person.span[1]:person.span[1] + 2] in ("'s", "’s"):
        return None  # "Olsen's plan": a possessive, not the subject
    start = max(doc.text.rfind(c, max(0, person.span[0] - 300), person.span[0]) for c in (". ", "\n", "? ", "! ", "» ", '" ', "” "))
    words = [w.strip(",;:()") for w in doc.text[start + 1:person.span[0]].split()]
    words = [w for w in words if w]
    lex = doc.lex
    if len(words) > 6 or any(w.lower() in lex.pronouns for w in words):
        return None
    if words and not (words[-1][:1].isupper() or words[-1].lower() in lex.role_nouns):
        return None  # « Elle a critiqué le plan de Peter Olsen »: the name ends a clause
    if words and not (words[0][:1].isupper() or words[0].lower() in lex.determiners):
        return None
    if _person_gender(doc, person.text, person.role) not in ("any", m.gender):
        return None
    entity = _entity_for_name(doc, person, m)
    return entity if entity.gender in ("any", m.gender) else None


def resolve_latter(doc: Document, m: Mention, f: Found) -> tuple[Optional[Entity], float]:
    """« ce dernier », "the latter": the last person named before the mention; of the gender
    that « ce » / « cette » says (« Ce dernier » after « Nadia Mansouri a rencontré le directeur »
    is not Nadia Mansouri), where the role or first name says one."""
    first = _text(doc, m.span).split()[0].lower()
    person = _latest_named_person(doc, m.span[0], doc.lex.gendered_determiners.get(first, "any"))
    if person is None:
        return resolve_pronoun(doc, m, f)
    return _entity_for_name(doc, person, m), 0.85


def resolve_org_ref(doc: Document, m: Mention, f: Found) -> tuple[Entity, float]:
    """« le groupe », "the company": the latest organisation speaker, else a new one. One whose
    name holds the noun comes first, spoken or only named: « le ministère » after « le ministère
    des Transports » is not the SNCF quoted since."""
    head = (m.head_lemma or "").lower()
    organizations = [e for e in doc.by_recency() if e.type == "organization"]
    for e in organizations:
        if head and head in e.name.lower().split():
            return e, 0.85
    named = next((n for n in doc.names_before(m.span[0]) if n.organization and head and head in n.text.lower().split()), None)
    if named is not None:
        return _entity_for_name(doc, named, m, kind="organization"), 0.8
    phrase = _antecedent_phrase(doc, m)
    latest = organizations[0] if organizations else None
    # the fuller phrase, unless an organisation spoke since it was written (« Selon la SNCF, … /
    # Le ministère des Transports a demandé … « … », a indiqué le ministère »: the ministry)
    if phrase is not None and (latest is None or latest.name not in _text(doc, phrase) and latest.last_seen < phrase[0]):
        return _add(doc, Entity(_text(doc, phrase), "organization", phrase, None, "any", m.head_lemma)), 0.75
    if latest is not None:
        return latest, 0.85
    org = _first_of_latest_sentence(doc, (n for n in doc.names_before(m.span[0], by_start=True) if n.organization))
    if org is not None:
        return _entity_for_name(doc, org, m, kind="organization"), 0.7
    return _add(doc, Entity(_text(doc, m.span), "organization", m.span, None, "any", m.head_lemma)), 0.6


def resolve_description(doc: Document, m: Mention, f: Found) -> tuple[Entity, float]:
    """« le haut responsable », "the minister": the earlier speaker with that head noun or role."""
    head = m.head_lemma
    for e in doc.by_recency():
        role = _text(doc, e.role).lower() if e.role else ""
        if head and (head == e.head_lemma or head in role.split() or (e.type == "anonymous" and head in e.name.lower().split())):
            return e, 0.8
    for n in (n for n in doc.names_before(m.span[0]) if n.role and not n.organization):
        if head and head in _text(doc, n.role).lower().split():  # "the minister": Foreign Minister Keiko Arai
            return _entity_for_name(doc, n, m), 0.75
    phrase = _antecedent_phrase(doc, m)
    if phrase is not None:  # "a senior administration official" … "the official said"
        return _add(doc, Entity(_text(doc, phrase), "anonymous", phrase, None, m.gender, head)), 0.75
    words = _text(doc, m.span).lower().split()
    gender = doc.lex.gendered_determiners.get(words[0]) if len(words) > 1 else None
    if gender is not None:
        # « a rétorqué la magistrate », « a poursuivi la responsable onusienne »: a definite
        # description that matched no role is an epithet for someone already quoted; its
        # determiner's gender says who (English "the" says nothing: no such guess there)
        for e in doc.by_recency():
            if e.type == "person" and e.gender == gender:
                return e, 0.6
    # « le ministre de l'Intérieur » with no name anywhere: one identified person, named by role;
    # « un haut responsable » (indefinite) stays anonymous
    definite = len(words) > 1 and words[0] in doc.lex.determiners and words[0] not in doc.lex.indefinite_determiners \
        and head in doc.lex.role_nouns
    kind = m.type if m.type != "unknown" else ("person" if definite else "anonymous")
    return _add(doc, Entity(_text(doc, m.span), kind, m.span, None,
                            m.gender, head)), 0.7


def resolve_anonymous(doc: Document, m: Mention, f: Found) -> tuple[Entity, float]:
    """« un haut responsable américain », "a senior official": a new anonymous source."""
    return _add(doc, Entity(_text(doc, m.span), "anonymous", m.span, None, "any", m.head_lemma)), 1.0


RESOLVERS = {
    "name": resolve_name,
    "pronoun": resolve_pronoun,
    "latter": resolve_latter,
    "org_ref": resolve_org_ref,
    "description": resolve_description,
    "anonymous": resolve_anonymous,
}


def _gender(doc: Document, role: Optional[tuple[int, int]]) -> str:
    """« directrice », « présidente », "spokeswoman": the role's noun often says the gender."""
    if role is None:
        return "any"
    # « la maire sortante », « le porte-parole »: a French determiner says the gender even of a
    # noun that has one form for both; the record's role leaves it out, so look just before too
    said = _text(doc, role).lower().split()
    before = doc.text[max(0, role[0] - 8):role[0]].lower().split()
    for det in (said[:1] + before[-1:]):
        if det in doc.lex.gendered_determiners:
            return doc.lex.gendered_determiners[det]
    words = [w for w in said if w not in doc.lex.determiners]
    head = next((w for w in words if w in doc.lex.role_nouns), words[0] if words else "")
    if head in doc.lex.epicene_roles:
        return "any"
    for gender in ("fem", "masc"):  # feminine first: "spokeswoman" ends in "man" too
        if head.endswith(doc.lex.gender_suffixes.get(gender, ())):
            return gender
    return "any"


def _person_gender(doc: Document, name: str, role: Optional[tuple[int, int]]) -> str:
    """The role's gender, else the first name's: "Karen Holt" is fem, « Jean-Marie Dupont » masc.
    A lone word says nothing (« Austin », "Holt": surnames), nor does a first name worn by both."""
    gender = _gender(doc, role)
    if gender != "any":
        return gender
    words = _strip_honorific(name, doc.lex).split()
    if len(words) < 2:
        return "any"
    first = words[0].lower()
    return doc.lex.first_names.get(first) or doc.lex.first_names.get(first.split("-")[0], "any")


def _entity_gender(doc: Document, m: Mention, name: str, role: Optional[tuple[int, int]], kind: str = "person") -> str:
    """A new entity's gender: the mention's (« Mme », "Mr."), else its role's, else, for a person,
    its first name's (an organisation's first word is no first name)."""
    if m.gender in ("masc", "fem"):
        return m.gender
    return _person_gender(doc, name, role) if kind == "person" else _gender(doc, role)


def _last_person_before(doc: Document, offset: int, gender: str = "any") -> Optional[NameInText]:
    """The person a pronoun most likely means: the first named in the latest sentence that
    names someone (news sentences put their subject first); with a gender ("he", « elle »), only
    people whose role or first name does not say the other one."""
    def fits(n: NameInText) -> bool:
        return gender not in ("masc", "fem") or _person_gender(doc, n.text, n.role) in ("any", gender)

    return _first_of_latest_sentence(doc, (n for n in doc.names_before(offset) if not n.organization and fits(n)))


SENTENCE_LOOKBACK = 2000  # characters: how far back a sentence start is looked for


def _first_of_latest_sentence(doc: Document, latest_first: Iterator[NameInText]) -> Optional[NameInText]:
    """The first of the names (given latest first) written in the sentence of the latest one."""
    first = last = next(latest_first, None)
    if last is None:
        return None
    # a sentence longer than SENTENCE_LOOKBACK characters is cut there: the scan stays bounded on
    # text without sentence punctuation (the parser cuts sentences at 600 characters too)
    floor = max(0, last.span[0] - SENTENCE_LOOKBACK)
    boundary = max([doc.text.rfind(c, floor, last.span[0]) for c in (". ", "\n", "? ", "! ")] + [floor - 1])
    for n in latest_first:
        if n.span[0] <= boundary:
            break
        first = n
    return first


def _latest_named_person(doc: Document, offset: int, gender: str = "any") -> Optional[NameInText]:
    """« ce dernier », "the latter": the last person named (whose role or first name does not
    say the other gender)."""
    return next((n for n in doc.names_before(offset) if not n.organization
                 and (gender == "any" or _person_gender(doc, n.text, n.role) in ("any", gender))), None)


def _entity_for_name(doc: Document, n: NameInText, m: Mention, kind: str = "person") -> Entity:
    tokens = _tokens(n.text)
    for e in doc.entities_ending[_last_token(n.text)]:  # a match shares the last word
        if e.tokens == tokens or e.tokens[-len(tokens):] == tokens or tokens[-len(e.tokens):] == e.tokens:
            return e
    return _add(doc, Entity(n.text, kind, n.span, n.role, _entity_gender(doc, m, n.text, n.role, kind), m.head_lemma))
