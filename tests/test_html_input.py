"""HTML input (quotes.html_input): the article text and metadata of a saved web page, offline.

fixtures/html/<seed>.html are realistic news pages (cookie banner, navigation, ads, "read
also" inserts, related articles, comments, footer) whose article body holds the seed's text
paragraph by paragraph: the extracted text must be exactly the seed's non-empty lines joined
by "\\n", with the page's metadata.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from quotes.extractor import Document, ExtractionError
from quotes.html_input import extract_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))

EXPECTED_METADATA = {
    "000_1e77c837ceb38d9d": {
        "title": "Guerre en Ukraine : Washington franchit une ligne rouge et livre des mines antipersonnel à Kiev",
        "date": "2024-11-20", "author": "Hélène Garnier", "site": "La Gazette internationale",
        "url": "https://www.gazette-internationale.example/international/article/2024/11/20/"
               "ukraine-washington-livre-des-mines-antipersonnel_6404512.html",
    },
    "001_41d875a3e10d5ae2": {
        "title": "Guerre en Ukraine. Joe Biden autorise la livraison de mines antipersonnel à Kiev",
        "date": "2024-11-21", "author": "Antoine Lefebvre", "site": "Courrier des Nations",
        "url": "https://www.courrier-des-nations.example/article/"
               "guerre-en-ukraine-joe-biden-autorise-la-livraison-de-mines-antipersonnel-a-kiev",
    },
    "002_4f49d4777960c41d": {
        "title": "Les États-Unis vont envoyer des mines antipersonnel à l’Ukraine face aux assauts russes",
        "date": "2024-11-21", "author": "Paul Moreau", "site": "Défense Info",
        "url": "https://defense-info.example/2024/11/21/les-etats-unis-vont-envoyer-des-mines-antipersonnel-a-lukraine/",
    },
    "003_56d2a02b0c583ba3": {
        "title": "L’administration Biden prépare un nouveau paquet d’armes pour l’Ukraine, mines terrestres comprises",
        "date": "2024-11-28", "author": "Camille Durand", "site": "Le Journal de l’Atlantique",
        "url": "https://www.journal-atlantique.example/monde/2024/11/28/"
               "l-administration-biden-prepare-un-nouveau-paquet-d-armes-pour-l-ukraine",
    },
    "004_830bf14a77a081ca": {
        "title": "Ukraine: Biden's controversial U-turn on antipersonnel mines",
        "date": "2024-11-21", "author": "James Whitfield", "site": "The Global Herald",
        "url": "https://www.global-herald.example/en/international/article/2024/11/21/"
               "ukraine-biden-s-controversial-u-turn-on-antipersonnel-mines_6733772_4.html",
    },
}

NO_ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Accueil – La Gazette internationale</title>
<meta property="og:site_name" content="La Gazette internationale"></head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>Nous utilisons des cookies pour mesurer l’audience.</p>
<button>Accepter</button><button>Paramétrer</button></div>
<header><a href="/">La Gazette internationale</a>
<nav><ul><li><a href="/international/">International</a></li><li><a href="/politique/">Politique</a></li>
<li><a href="/economie/">Économie</a></li><li><a href="/culture/">Culture</a></li></ul></nav></header>
<div class="ad">Publicité</div>
<main><section class="teasers"><h2>À la une</h2><ul>
<li><a href="/a1">Ukraine : Washington livre des mines antipersonnel à Kiev</a></li>
<li><a href="/a2">Donald Trump nomme Keith Kellogg envoyé spécial pour l’Ukraine</a></li>
<li><a href="/a3">Mines antipersonnel : ce que prévoit la convention d’Ottawa</a></li></ul></section></main>
<footer><p>© La Gazette internationale</p><a href="/mentions">Mentions légales</a></footer>
</body></html>"""


def seed_lines(seed: str) -> list[str]:
    text = (ROOT / "seeds" / f"{seed}.txt").read_text("utf-8")
    return [line.strip() for line in text.split("\n") if line.strip()]


def page(seed: str) -> str:
    return (ROOT / "fixtures" / "html" / f"{seed}.html").read_text("utf-8")


def test_a_page_per_seed():
    assert SEEDS and set(SEEDS) == set(EXPECTED_METADATA)
    for seed in SEEDS:
        html = page(seed)
        for part in ("<!DOCTYPE html>", "<nav", "cookie", 'class="ad', 'class="related"', 'id="comments"',
                     "<footer", "<h1", 'name="author"', "article:published_time", "og:site_name"):
            assert part in html, f"{seed}.html lacks {part}"


@pytest.mark.parametrize("seed", SEEDS)
def test_article_text_is_the_seed_text(seed):
    text, metadata = extract_article(page(seed))
    assert text.split("\n") == seed_lines(seed)
    assert text == "\n".join(seed_lines(seed))
    assert metadata == EXPECTED_METADATA[seed]
    # nothing from the page around the article
    for noise in ("cookie", "Publicité", "Advertisement", "Commentaires", "Comments", "Lire aussi", "©",
                  "Mentions légales", "Partager", "Share"):
        assert noise not in text


def test_no_article_is_an_error():
    for html in (NO_ARTICLE, "", "   \n", "<html><head><title>x</title></head><body></body></html>"):
        with pytest.raises(ExtractionError) as err:
            extract_article(html)
        assert err.value.kind == "html_no_text"


def test_url_only_when_the_page_has_none():
    seed = SEEDS[0]
    assert extract_article(page(seed), url="https://mirror.example/a")[1]["url"] == EXPECTED_METADATA[seed]["url"]
    bare = "\n".join(line for line in page(seed).split("\n") if "canonical" not in line and "og:url" not in line)
    text, metadata = extract_article(bare, url="https://mirror.example/a")
    assert metadata["url"] == "https://mirror.example/a" and text == "\n".join(seed_lines(seed))
    assert "url" not in extract_article(bare)[1]


def test_metadata_only_non_empty_strings():
    html = ("<html><head><title> </title><meta name='author' content=''></head><body><article>"
            "<p>« Nous ne céderons pas », a déclaré la ministre Anne Roy lors d’une conférence de presse.</p>"
            "</article></body></html>")
    text, metadata = extract_article(html)
    assert text == "« Nous ne céderons pas », a déclaré la ministre Anne Roy lors d’une conférence de presse."
    assert all(isinstance(v, str) and v for v in metadata.values())
    assert not {"title", "author", "url"} & set(metadata)


def test_never_touches_the_network(monkeypatch):
    import trafilatura
    import trafilatura.downloads

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in ("fetch_url", "fetch_response"):
        monkeypatch.setattr(trafilatura, name, refuse)
        monkeypatch.setattr(trafilatura.downloads, name, refuse)
    for seed in SEEDS:
        text, _ = extract_article(page(seed), url="https://www.gazette-internationale.example/a.html")
        assert text
    # an address instead of a page is not fetched either
    with pytest.raises(ExtractionError):
        extract_article("https://www.gazette-internationale.example/international/article.html")


# ---------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def working_extractor(request):
    """The session's extractor if it can extract at all; otherwise the test is skipped."""
    extractor = request.getfixturevalue("extractor")
    try:
        extractor.extract("« Nous ne céderons pas », a déclaré la ministre Anne Roy.", lang="fr", doc_id="probe")
    except Exception as exc:  # models not trained yet, stage not written yet...
        pytest.skip(f"the extractor is not available yet (Extractor().extract raised {type(exc).__name__}: {exc})")
    return extractor


def test_same_records_from_html_and_plain_text(working_extractor):
    docs_html, docs_plain = [], []
    for seed in SEEDS:
        text, metadata = extract_article(page(seed))
        lang = json.loads((ROOT / "fixtures" / "seeds" / f"{seed}.json").read_text("utf-8"))["lang"]
        docs_html.append(Document(seed, text, source=f"fixtures/html/{seed}.html", lang=lang, metadata=metadata))
        docs_plain.append(Document(seed, "\n".join(seed_lines(seed)), source=f"seeds/{seed}.txt", lang=lang))
    found_html = list(working_extractor.extract_many(docs_html))
    found_plain = list(working_extractor.extract_many(docs_plain))
    for seed, from_html, from_plain in zip(SEEDS, found_html, found_plain):
        assert from_html.error is None and from_plain.error is None, (seed, from_html.error, from_plain.error)
        assert from_html.language == from_plain.language
        assert [r.model_dump(exclude={"metadata"}) for r in from_html.records] == \
               [r.model_dump(exclude={"metadata"}) for r in from_plain.records], seed
        for r in from_html.records:
            assert r.metadata == EXPECTED_METADATA[seed]
