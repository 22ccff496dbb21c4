"""HTML input: the article text and metadata of a saved news web page, offline.

    from quotes.html_input import extract_article
    text, meta = extract_article(page_html, url="https://example.com/a.html")
    # text: the article's paragraphs, one per line ("\\n" between paragraphs)
    # meta: {"title": ..., "date": "2024-11-20", "author": ..., "site": ..., "url": ...}

The main text is found by trafilatura in precision mode: navigation, cookie banners, ads,
"related articles" lists, comments, tables and footers are left out, and a page with no
article (a home page, an error page) gives ``ExtractionError("html_no_text", ...)`` rather
than a few lines of menu. Only what the page holds is read: the HTML is parsed here from
the given string and nothing is ever fetched (no download, no link followed; ``url`` is
only used as the metadata url when the page has no canonical link of its own).
"""
from __future__ import annotations

import re

from .extractor import ExtractionError

__all__ = ["extract_article"]

# Page furniture, recognised by a class or an id whose first part (before any "-" or "_":
# "ad--banner", "cookie_consent", "comments-list") is one of these: ads, cookie and consent
# banners, newsletter boxes, share bars, recommendation widgets, comment threads. Removed
# before extraction, so that a "Publicité" label or a consent notice is never taken for text.
_FURNITURE = frozenset("""
ad ads advert adverts advertisement advertising adslot adunit dfp publicite publicité sponsor
sponsored promo cookie cookies consent gdpr cmp onetrust didomi newsletter outbrain taboola
share sharing social related comment comments
""".split())
_TOKEN_HEAD = re.compile(r"[^-_]+")
_KEEP = frozenset({"html", "body"})
# A page whose only text is a word or two (a label, a button) has no article.
_MIN_WORDS = 3
_WORD = re.compile(r"\w*[^\W\d_]\w*")

# metadata key -> attribute of trafilatura's Document
_METADATA = (("title", "title"), ("date", "date"), ("author", "author"), ("site", "sitename"), ("url", "url"))


def _trafilatura():
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        raise ExtractionError(
            "html_unsupported", f"reading HTML needs trafilatura (pip install trafilatura): {exc}"
        ) from exc
    return trafilatura


def _is_furniture(element) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in _KEEP:
        return False
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    for name in names:
        head = _TOKEN_HEAD.match(name)
        if head and head.group() in _FURNITURE:
            return True
    return False


def _prune(tree) -> None:
    """Drop the page furniture (see _FURNITURE) and hidden elements, keeping the text around them."""
    for el in [el for el in tree.iter() if _is_furniture(el)]:
        if el.getparent() is not None:
            el.drop_tree()


def _paragraphs(text: str) -> str:
    """One paragraph per line: lines stripped, empty lines dropped, joined with "\\n"."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def extract_article(html: str, url: str | None = None) -> tuple[str, dict[str, str]]:
    """The article text of an HTML page (paragraphs separated by "\\n") and its metadata.

    Metadata keys, each present only with a non-empty value: ``title``, ``date``
    (YYYY-MM-DD), ``author``, ``site`` (the site's name) and ``url`` (the page's canonical
    url, else the ``url`` given). Raises ``ExtractionError("html_no_text", ...)`` when the
    page has no article text. Never accesses the network.
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html)
    elif not isinstance(html, str):
        raise ExtractionError("html_no_text", f"HTML must be a string, not {type(html).__name__}")
    if not html.strip():
        raise ExtractionError("html_no_text", "the HTML page is empty")
    trafilatura = _trafilatura()
    # Parse the string ourselves: what reaches trafilatura is a tree, never something
    # that could be taken for an address to download.
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise ExtractionError("html_no_text", "the input could not be parsed as an HTML page")
    _prune(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url or None,
        favor_precision=True,  # no menu, banner or teaser lines passed off as article text
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=True,
    )
    if doc is not None and not isinstance(doc, dict):  # trafilatura 2: a Document; 1.x: a dict
        doc = {key: getattr(doc, key, None) for key in ("text", *(attr for _, attr in _METADATA))}
    doc = doc or {}
    text = _paragraphs(doc.get("text") or "")
    if len(_WORD.findall(text)) < _MIN_WORDS:
        raise ExtractionError("html_no_text", "no article text found in the HTML page"
                              + (f" (only {text[:40]!r})" if text else ""))
    metadata: dict[str, str] = {}
    for key, attribute in _METADATA:
        value = doc.get(attribute)
        if isinstance(value, str) and value.strip():
            metadata[key] = value.strip()
    return text, metadata
