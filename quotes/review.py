"""The review page: one static HTML file showing every quote in its article, for a newsroom.

    from quotes.review import write_review
    write_review(results, "review.html", title="Ukraine, 20-21 November")

One self-contained file (inline CSS, one small inline script for the index filter, a
Content-Security-Policy that forbids any other script and any network access): a header
with counts, an index of the articles, then one section per article with its text, every
quote highlighted in its speaker's colour and followed by a label (speaker, role, cue), the
speaker's mention and the cue underlined where they are outside the quote, and a table of the
article's sources. Documents that could not be processed get a section that says why.

Everything that comes from the articles is escaped: an article containing ``<script>`` shows
it as text. The highlighted text is built from the records' offsets and keeps the article's
text exact: stripping the tags, unescaping and removing the ``lbl`` label elements gives the
original text back (each "\\n" is written as ``<br>`` followed by the "\\n" itself, inside a
``<span class="pb">`` that draws the paragraph gap).
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional
from urllib.parse import urlsplit

if TYPE_CHECKING:  # pragma: no cover
    from .extractor import Result
    from .records import QuoteRecord

__all__ = ["write_review", "render_review", "PALETTE"]

# Okabe-Ito based: (light background, strong colour). Dark text on every background keeps a
# contrast ratio above 12:1; the strong colour draws the underline, the border and the label.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#d2e6f5", "#0072b2"),  # blue
    ("#fde3bd", "#b86e00"),  # orange
    ("#cdeee1", "#007a5a"),  # bluish green
    ("#f5d5e7", "#a8437c"),  # reddish purple
    ("#f9d8c6", "#c14f00"),  # vermillion
    ("#f4efb0", "#7d7000"),  # yellow
    ("#dcebf9", "#3a8ec9"),  # sky blue
    ("#e3dcf1", "#5e4a9c"),  # violet
)

KIND_LABELS = {"direct": "direct quote", "partial": "partial quote", "not_speech": "not speech"}

_CSS = """
:root{--ink:#1b1b1b;--muted:#5c5c5c;--line:#d9d9d9;--paper:#fff;--bg:#f4f4f1}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 Georgia,"Times New Roman",serif}
header.top,main,footer.bottom{max-width:1100px;margin:0 auto;padding:0 1.2rem}
header.top h1{font:700 1.7rem/1.2 system-ui,sans-serif;margin:1.2rem 0 .3rem}
.counts,.meta,.legend,table,.tools,footer.bottom,.lbl,.error-box{font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
.counts{margin:.2rem 0 .8rem;color:var(--muted)}
.counts b{color:var(--ink)}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;font-size:.85rem;margin:.4rem 0 1rem;padding:.6rem .8rem;background:var(--paper);border:1px solid var(--line);border-radius:6px}
.legend span.item{white-space:nowrap}
.tools{font-size:.85rem;margin:.5rem 0;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
.tools .toggle{cursor:pointer;border:1px solid #999;border-radius:4px;padding:.15rem .5rem;background:var(--paper)}
.tools input[type=search]{font:inherit;padding:.2rem .4rem;min-width:16rem}
table{border-collapse:collapse;font-size:.85rem;background:var(--paper);width:100%}
th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#ececea;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
nav.index{margin:0 0 1.5rem}
nav.index h2,section.article h2{font:700 1.25rem/1.3 system-ui,sans-serif;margin:0 0 .3rem}
section.article{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:1rem 1.4rem;margin:0 0 1.5rem;content-visibility:auto;contain-intrinsic-size:auto 900px}
section.article h2 code{font-size:.8rem;color:var(--muted);font-weight:400}
.meta{font-size:.82rem;color:var(--muted);margin:0 0 .8rem}
.meta a{color:inherit}
.text{margin:0 0 1rem;font-size:1.02rem;line-height:1.65;overflow-wrap:break-word}
.text .pb{display:block;height:.75em;overflow:hidden}
h3{font:600 .95rem/1.3 system-ui,sans-serif;margin:1rem 0 .4rem}
.q{color:inherit;background:var(--qb);border-bottom:2px solid var(--qf);padding:.05em 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.q.partial{border-bottom-style:dashed}
.nospk{--qb:#e4e4e4;--qf:#6b6b6b}
.q.not_speech{background:none;border-bottom:0;text-decoration:underline dotted #8a8a8a 2px;text-underline-offset:.2em;color:#444}
.mention{text-decoration:underline solid var(--qf) 2px;text-underline-offset:.22em;font-weight:600}
.cue{text-decoration:underline double #333 1px;text-underline-offset:.2em;font-style:italic}
.lbl{font-size:.72rem;line-height:1;font-weight:600;vertical-align:.12em;margin:0 .3em 0 .15em;padding:.1em .45em;border:1px solid var(--qf);border-radius:.7em;background:var(--paper);color:var(--ink);-webkit-box-decoration-break:clone;box-decoration-break:clone}
.lbl .r{font-weight:400;color:var(--muted)}
.lbl .c{font-weight:400;font-style:italic}
.lbl.nospk{font-style:italic;color:var(--muted)}
.sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;background:var(--qb);border:2px solid var(--qf);margin-right:.35em}
.error-box{border-left:4px solid #b3261e;background:#fbeaea;padding:.6rem .9rem;margin:.4rem 0}
.error-box code{font-weight:700}
.status-error{color:#b3261e;font-weight:600}
#hide-labels:checked ~ main .lbl{display:none}
footer.bottom{color:var(--muted);font-size:.8rem;padding-bottom:2rem}
"""

# The one script: filters the index rows (the page works fully without it).
_JS = (
    'document.getElementById("filter").addEventListener("input",function(){'
    'var q=this.value.toLowerCase();'
    'document.querySelectorAll("#index tbody tr").forEach(function(r){'
    'r.hidden=q!==""&&r.textContent.toLowerCase().indexOf(q)<0;});});'
)

_SPEAKER_CSS = "".join(f".s{i}{{--qb:{bg};--qf:{fg}}}" for i, (bg, fg) in enumerate(PALETTE))
_STYLE = _CSS + _SPEAKER_CSS + "\n"


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# No network, no other script, no plugin: even a markup bug could not run article content.
_CSP = (
    f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)

_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(s: str) -> str:
    """Surrogate code units joined into their character; a lone one becomes U+FFFD."""
    if not _LONE_SURROGATE.search(s):
        return s
    s = _SURROGATE_PAIR.sub(lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), s)
    return _LONE_SURROGATE.sub("\ufffd", s)


def esc(value: object) -> str:
    """HTML-escaped text (quotes included), safe in element content and in attribute values."""
    return html.escape(_clean("" if value is None else str(value)), quote=True)


_NEWLINES = re.compile(r"((?:\r?\n)+)")


def _text_esc(s: str) -> str:
    """Article text, escaped. Each "\\n" is a <br> followed by the "\\n" itself, and a run of
    them is wrapped in one ``<span class="pb">`` drawn as a paragraph gap; "\\r" is kept as
    ``&#13;`` (a raw one would be dropped by the HTML parser)."""
    out = []
    for i, part in enumerate(_NEWLINES.split(s)):
        if i % 2:
            out.append('<span class="pb">' + part.replace("\r", "&#13;").replace("\n", "<br>\n") + "</span>")
        elif part:
            out.append(esc(part).replace("\r", "&#13;"))
    return "".join(out)


def _is_high(ch: str) -> bool:
    return "\ud800" <= ch <= "\udbff"


def _is_low(ch: str) -> bool:
    return "\udc00" <= ch <= "\udfff"


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets clamped to the text and widened so that no surrogate pair is cut in two."""
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if 0 < start < n and _is_low(text[start]) and _is_high(text[start - 1]):
        start -= 1
    if 0 < end < n and _is_low(text[end]) and _is_high(text[end - 1]):
        end += 1
    return start, end


# ---------------------------------------------------------------------- per article model
@dataclass
class _Source:
    key: str
    name: str
    type: str
    color: int
    roles: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first: Optional[str] = None  # anchor of its first quote

    @property
    def quotes(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Span:
    start: int
    end: int
    open: str  # opening tag(s)
    close: str  # closing tag(s) and what follows (the label)
    children: list["_Span"] = field(default_factory=list)


def _kind(record: "QuoteRecord") -> str:
    kind = getattr(record.kind, "value", record.kind)
    return str(kind)


def _speaker_key(record: "QuoteRecord") -> Optional[str]:
    sp = record.speaker
    if sp is None or _kind(record) == "not_speech":
        return None
    return sp.id or sp.name


def _sources(records: list["QuoteRecord"]) -> dict[str, _Source]:
    """Speakers of one article in order of first quote; each gets the next palette colour."""
    out: dict[str, _Source] = {}
    for rec in records:
        key = _speaker_key(rec)
        if key is None:
            continue
        src = out.get(key)
        if src is None:
            sp = rec.speaker
            src = out[key] = _Source(key, sp.name, str(getattr(sp.type, "value", sp.type)), len(out) % len(PALETTE))
        if rec.role is not None and rec.role.text not in src.roles:
            src.roles.append(rec.role.text)
        kind = _kind(rec)
        src.counts[kind] = src.counts.get(kind, 0) + 1
    return out


def _details(rec: "QuoteRecord", src: Optional[_Source]) -> str:
    """The hover text of a quote: kind, speaker, mention, role, cue, confidence, rule, notes."""
    kind = _kind(rec)
    lines = [f"{KIND_LABELS.get(kind, kind)} #{rec.index}"]
    if kind == "not_speech":
        lines.append("no speaker (title, scare quote, nickname, word quoted as a word)")
    elif rec.speaker is None:
        lines.append("speaker: none found")
    else:
        sp = rec.speaker
        lines.append(f"speaker: {sp.name} ({src.type if src else sp.type})")
        lines.append(f"mention: {sp.mention.text}")
    if rec.role is not None:
        lines.append(f"role: {rec.role.text}")
    if rec.cue is not None:
        lines.append(f"cue: {rec.cue.text} ({rec.cue.lemma})")
    elif kind != "not_speech":
        lines.append("cue: none (continues the previous quote's speaker)" if rec.speaker else "cue: none")
    lines.append(f"confidence: {rec.confidence:.2f} · rule: {rec.rule}")
    lines.extend(f"note: {n}" for n in rec.notes)
    return "\n".join(lines)


def _label(rec: "QuoteRecord", src: Optional[_Source], details: str) -> str:
    kind = _kind(rec)
    if kind == "not_speech":
        return ""
    if src is None:
        return f'<span class="lbl nospk" title="{esc(details)}">no speaker</span>'
    parts = [f'<span class="n">{esc(src.name)}</span>']
    if rec.role is not None:
        parts.append(f'<span class="r">, {esc(rec.role.text)}</span>')
    if rec.cue is not None:
        parts.append(f'<span class="c"> · {esc(rec.cue.text)}</span>')
    return f'<span class="lbl s{src.color}" title="{esc(details)}">{"".join(parts)}</span>'


def _layout(text: str, records: list["QuoteRecord"], sources: dict[str, _Source], anchor: str) -> list[_Span]:
    """The spans to draw: quotes first (an overlapping later quote is skipped), then mentions
    and cues, each nested in the quote that holds it or drawn outside every quote; a mention or
    cue that crosses a quote's edge, or overlaps another one already placed, is skipped."""
    quotes: list[_Span] = []
    for rec in sorted(records, key=lambda r: (r.start, -r.end, r.index)):
        start, end = _snap(text, rec.start, rec.end)
        if end <= start or (quotes and start < quotes[-1].end):
            continue
        key = _speaker_key(rec)
        src = sources.get(key) if key is not None else None
        kind = _kind(rec)
        details = _details(rec, src)
        classes = ["q", kind]
        if kind != "not_speech":
            classes.append(f"s{src.color}" if src is not None else "nospk")
        qid = f"{anchor}-q{rec.index}"
        if src is not None and src.first is None:
            src.first = qid
        quotes.append(_Span(
            start, end,
            f'<mark class="{" ".join(classes)}" id="{esc(qid)}" data-q="{rec.index}" title="{esc(details)}">',
            "</mark>" + _label(rec, src, details),
        ))

    extras: list[tuple[int, int, str, str]] = []  # (start, end, class, title)
    seen: set[tuple[int, int]] = set()
    for rec in records:
        key = _speaker_key(rec)
        if key is None:
            continue
        src = sources[key]
        sp = rec.speaker
        if sp.mention is not None:
            extras.append((sp.mention.start, sp.mention.end, f"mention s{src.color}", f"speaker: {src.name}"))
        if rec.cue is not None:
            extras.append((rec.cue.start, rec.cue.end, "cue", f"cue: {rec.cue.text} ({rec.cue.lemma}) → {src.name}"))
    top: list[_Span] = list(quotes)  # what is drawn at the top level: quotes, then marks outside them
    placed: list[_Span] = []
    for start, end, cls, title in sorted(extras, key=lambda e: (e[0], -e[1])):
        start, end = _snap(text, start, end)
        if end <= start or (start, end) in seen:
            continue
        if any(start < p.end and p.start < end for p in placed):
            continue
        overlapping = [q for q in quotes if start < q.end and q.start < end]
        if overlapping and not (len(overlapping) == 1 and overlapping[0].start <= start and end <= overlapping[0].end):
            continue  # crosses a quote's edge
        seen.add((start, end))
        span = _Span(start, end, f'<span class="{cls}" title="{esc(title)}">', "</span>")
        placed.append(span)
        (overlapping[0].children if overlapping else top).append(span)
    for q in quotes:
        q.children.sort(key=lambda s: s.start)
    top.sort(key=lambda s: s.start)
    return top


def _render_text(text: str, spans: list[_Span], lo: int = 0, hi: Optional[int] = None) -> str:
    hi = len(text) if hi is None else hi
    out: list[str] = []
    pos = lo
    for span in spans:
        out.append(_text_esc(text[pos:span.start]))
        out.append(span.open)
        out.append(_render_text(text, span.children, span.start, span.end))
        out.append(span.close)
        pos = span.end
    out.append(_text_esc(text[pos:hi]))
    return "".join(out)


# ---------------------------------------------------------------------- page
def _safe_url(url: str) -> Optional[str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _meta_line(result: "Result") -> str:
    doc = result.document
    meta = dict(getattr(doc, "metadata", None) or {})
    if not meta and result.records:
        meta = dict(result.records[0].metadata or {})
    items = []
    for key in ("site", "author", "date"):
        if meta.get(key):
            items.append(esc(meta[key]))
    lang = result.language or getattr(doc, "lang", None)
    if lang and lang != "auto":
        items.append(f"language: {esc(lang)}")
    source = getattr(doc, "source", None)
    if source and source != "<string>":
        items.append(f"source: {esc(source)}")
    url = meta.get("url")
    if url:
        safe = _safe_url(url)
        items.append(f'<a href="{esc(safe)}" rel="noopener noreferrer">{esc(url)}</a>' if safe else esc(url))
    return " · ".join(items)


def _title_of(result: "Result") -> Optional[str]:
    meta = getattr(result.document, "metadata", None) or {}
    if not meta and result.records:
        meta = result.records[0].metadata or {}
    title = meta.get("title")
    return title.strip() if isinstance(title, str) and title.strip() else None


def _article(i: int, result: "Result") -> tuple[str, dict]:
    """One article's <section>, and its row of the index."""
    doc = result.document
    anchor = f"a{i}"
    title = _title_of(result)
    heading = f'{esc(title)} <code>{esc(doc.id)}</code>' if title else f"<code>{esc(doc.id)}</code>"
    meta = _meta_line(result)
    meta_html = f'<p class="meta">{meta}</p>' if meta else ""
    row = {"anchor": anchor, "id": doc.id, "title": title, "error": None, "quotes": 0, "not_speech": 0, "speakers": 0}
    if result.error is not None:
        err = result.error
        row["error"] = err.error
        body = (f'<div class="error-box" role="alert">This document could not be processed: '
                f'<code>{esc(err.error)}</code> — {esc(err.message)}</div>')
        return (f'<section class="article failed" id="{anchor}" data-doc="{esc(doc.id)}">'
                f'<h2>{heading}</h2>{meta_html}{body}</section>'), row

    text = doc.text if isinstance(doc.text, str) else ""
    records = sorted(result.records, key=lambda r: (r.start, r.index))
    sources = _sources(records)
    spans = _layout(text, records, sources, anchor)
    n_ns = sum(1 for r in records if _kind(r) == "not_speech")
    n_nospk = sum(1 for r in records if _kind(r) != "not_speech" and _speaker_key(r) is None)
    row.update(quotes=len(records) - n_ns, not_speech=n_ns, speakers=len(sources))

    rows = []
    for src in sources.values():
        name = esc(src.name)
        if src.first:
            name = f'<a href="#{esc(src.first)}">{name}</a>'
        detail = ", ".join(f"{n} {KIND_LABELS.get(k, k).split()[0]}" for k, n in sorted(src.counts.items()))
        rows.append(
            f'<tr><td><span class="sw s{src.color}"></span>{name}</td><td>{esc(src.type)}</td>'
            f'<td>{esc("; ".join(src.roles)) or "—"}</td><td class="n">{src.quotes}</td><td>{esc(detail)}</td></tr>'
        )
    if n_nospk:
        rows.append(f'<tr><td><span class="sw nospk"></span><i>no speaker found</i></td><td>—</td><td>—</td>'
                    f'<td class="n">{n_nospk}</td><td></td></tr>')
    if n_ns:
        rows.append(f'<tr><td><i>not speech</i></td><td>—</td><td>—</td><td class="n">{n_ns}</td>'
                    f'<td>titles, scare quotes, nicknames</td></tr>')
    table = (
        '<table class="sources"><thead><tr><th>Source</th><th>Type</th><th>Role</th>'
        '<th class="n">Quotes</th><th>Kinds</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
        if rows else '<p class="meta">No quote found in this article.</p>'
    )
    n_q = row["quotes"]
    summary = f'{n_q} quote{"s" if n_q != 1 else ""}, {len(sources)} speaker{"s" if len(sources) != 1 else ""}'
    if n_ns:
        summary += f", {n_ns} not speech"
    html_text = _render_text(text, spans)
    return (
        f'<section class="article" id="{anchor}" data-doc="{esc(doc.id)}">'
        f'<h2>{heading}</h2>{meta_html}<p class="meta">{summary}</p>'
        f'<div class="text">{html_text}</div>'
        f'<h3>Sources</h3>{table}</section>'
    ), row


def render_review(results: Iterable["Result"], title: Optional[str] = None) -> str:
    """The review page as a string (see ``write_review``)."""
    results = list(results)
    page_title = title.strip() if isinstance(title, str) and title.strip() else "Quote review"
    sections, rows = [], []
    for i, result in enumerate(results):
        section, row = _article(i, result)
        sections.append(section)
        rows.append(row)
    n_err = sum(1 for r in rows if r["error"])
    n_quotes = sum(r["quotes"] for r in rows)
    n_ns = sum(r["not_speech"] for r in rows)
    n_spk = sum(r["speakers"] for r in rows)
    kinds: dict[str, int] = {}
    for result in results:
        for rec in result.records:
            kinds[_kind(rec)] = kinds.get(_kind(rec), 0) + 1

    index_rows = []
    for r in rows:
        label = f'{esc(r["title"])} <code>{esc(r["id"])}</code>' if r["title"] else f'<code>{esc(r["id"])}</code>'
        status = f'<span class="status-error">error: {esc(r["error"])}</span>' if r["error"] else "ok"
        index_rows.append(
            f'<tr><td><a href="#{r["anchor"]}">{label}</a></td><td class="n">{r["quotes"]}</td>'
            f'<td class="n">{r["speakers"]}</td><td class="n">{r["not_speech"]}</td><td>{status}</td></tr>'
        )
    legend = "".join(f'<span class="item">{x}</span>' for x in (
        '<mark class="q direct s0">direct quote</mark>',
        '<mark class="q partial s0">partial quote</mark>',
        '<mark class="q not_speech">not speech</mark>',
        '<mark class="q direct nospk">no speaker found</mark>',
        '<span class="mention s0">mention</span> of the speaker',
        '<span class="cue">cue</span> (reporting verb)',
        '<span class="lbl s0"><span class="n">Speaker</span><span class="r">, role</span>'
        '<span class="c"> · cue</span></span> label',
        "one colour per speaker in each article; hover a quote for details",
    ))
    from . import __version__ as version

    counts = (
        f'<b>{len(results)}</b> article{"s" if len(results) != 1 else ""}'
        f'{f" (<b>{n_err}</b> not processed)" if n_err else ""} · '
        f'<b>{n_quotes}</b> quote{"s" if n_quotes != 1 else ""} '
        f'({kinds.get("direct", 0)} direct, {kinds.get("partial", 0)} partial) · '
        f'<b>{n_spk}</b> speaker{"s" if n_spk != 1 else ""} · <b>{n_ns}</b> not speech'
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(page_title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<header class="top"><h1>{esc(page_title)}</h1><p class="counts">{counts}</p>'
        f'<div class="legend">{legend}</div></header>\n'
        '<input type="checkbox" id="hide-labels" hidden>\n'
        '<main>\n<nav class="index"><h2>Articles</h2>'
        '<div class="tools"><input type="search" id="filter" placeholder="Filter articles…" aria-label="Filter articles">'
        '<label for="hide-labels" class="toggle">Hide / show speaker labels</label></div>'
        '<table id="index"><thead><tr><th>Article</th><th class="n">Quotes</th><th class="n">Speakers</th>'
        '<th class="n">Not speech</th><th>Status</th></tr></thead><tbody>'
        + "".join(index_rows) + "</tbody></table></nav>\n"
        + "\n".join(sections)
        + f'\n</main>\n<footer class="bottom">Generated by quotes {esc(version)}.</footer>\n'
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )


def write_review(results: list["Result"], path: str, title: str | None = None) -> None:
    """Write the review page of ``results`` to ``path`` ("-": standard output): one static
    HTML file, no external resource, readable offline and safe with any article content."""
    page = render_review(results, title)
    if str(path) == "-":
        sys.stdout.write(page)
        sys.stdout.flush()
        return
    target = Path(path)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
