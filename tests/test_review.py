"""The review page (quotes.review): built from the gold records of the seed fixtures, so these
tests do not depend on the extractor's accuracy.

(a) The HTML itself: every gold quote highlighted with its speaker's label, mentions and cues
    underlined, text kept exact, escaping, overlaps and surrogates, error sections, no
    external resource.
(b) A real browser: headless Chromium renders the page of the five seeds (``--dump-dom`` then
    checked the same way, and a ``--screenshot`` checked; QUOTES_UPDATE_SCREENSHOT=1 also saves it to
    docs/review.png). Skipped when no
    chromium binary is installed.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quotes.extractor import Document, Result
from quotes.records import Cue, ErrorRecord, QuoteRecord, Span, Speaker
from quotes.review import PALETTE, render_review, write_review

ROOT = Path(__file__).resolve().parent.parent
SEED_FIXTURES = sorted((ROOT / "fixtures" / "seeds").glob("*.json"))
SCREENSHOT = ROOT / "docs" / "review.png"


# ---------------------------------------------------------------------- gold records
def gold_records(fx: dict) -> list[QuoteRecord]:
    """The fixture's expected records as QuoteRecords (speaker ids S1, S2... by first quote)."""
    ids: dict[str, str] = {}
    out = []
    for i, e in enumerate(fx["expected"]):
        speaker = None
        if e["speaker"]:
            s = e["speaker"]
            sid = ids.setdefault(s["name"], f"S{len(ids) + 1}")
            speaker = Speaker(id=sid, name=s["name"], type=s["type"], mention=Span(**s["mention"]))
        out.append(QuoteRecord(
            doc_id=fx["label"], index=i, language=fx["lang"], text=e["text"], start=e["start"], end=e["end"],
            kind=e["kind"], speaker=speaker, role=Span(**e["role"]) if e["role"] else None,
            cue=Cue(**e["cue"]) if e["cue"] else None, confidence=1.0, rule="gold",
        ))
    return out


def _page_metadata(label: str) -> dict[str, str]:
    """Title, site... of the seed's web page (fixtures/html), for a realistic page; {} if unreadable."""
    page = ROOT / "fixtures" / "html" / f"{label}.html"
    try:
        from quotes.html_input import extract_article

        return extract_article(page.read_text("utf-8"))[1]
    except Exception:
        return {}


def seed_results(with_metadata: bool = True) -> list[Result]:
    results = []
    for path in SEED_FIXTURES:
        fx = json.loads(path.read_text("utf-8"))
        meta = _page_metadata(fx["label"]) if with_metadata else {}
        doc = Document(fx["label"], fx["text"], source=f"seeds/{fx['label']}.txt", lang=fx["lang"], metadata=meta)
        results.append(Result(doc, gold_records(fx), language=fx["lang"]))
    return results


def record(doc_id, index, text, start, end, kind="direct", name=None, mention=None, cue=None, role=None, sid=None):
    speaker = None
    if name is not None:
        speaker = Speaker(id=sid or name, name=name, type="person",
                          mention=Span(text=text[mention[0]:mention[1]], start=mention[0], end=mention[1]))
    return QuoteRecord(
        doc_id=doc_id, index=index, language="fr", text=text[start:end], start=start, end=end, kind=kind,
        speaker=speaker,
        cue=Cue(text=text[cue[0]:cue[1]], start=cue[0], end=cue[1], lemma="dire") if cue else None,
        role=Span(text=text[role[0]:role[1]], start=role[0], end=role[1]) if role else None,
        confidence=0.9, rule="test",
    )


# ---------------------------------------------------------------------- a tiny DOM
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list["Node | str"] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def text(self, skip_class: str | None = None) -> str:
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif skip_class is None or skip_class not in c.classes:
                out.append(c.text(skip_class))
        return "".join(out)

    def next_element(self) -> "Node | None":
        siblings = self.parent.children
        for c in siblings[siblings.index(self) + 1:]:
            if isinstance(c, Node):
                return c
            if c.strip():
                return None
        return None


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(page: str) -> Node:
    b = _Builder()
    b.feed(page)
    b.close()
    return b.root


def sections(dom: Node) -> dict[str, Node]:
    return {n.attrs["data-doc"]: n for n in dom.find_all("section", "article")}


# ---------------------------------------------------------------------- checks shared by (a) and (b)
def check_seed_page(dom: Node, results: list[Result]) -> int:
    """Every gold quote is a <mark> with its exact text; after it, a label with the speaker's
    name, role and cue; its title tells the same. Returns the number of quotes checked."""
    secs = sections(dom)
    checked = 0
    for result in results:
        sec = secs[result.document.id]
        marks = {int(m.attrs["data-q"]): m for m in sec.find_all("mark", "q")}
        for rec in result.records:
            mark = marks.get(rec.index)
            assert mark is not None, f"{rec.doc_id} quote {rec.index} not highlighted"
            assert mark.text().replace("\n", "") == rec.text.replace("\n", ""), (rec.doc_id, rec.index)
            assert rec.kind.value in mark.classes
            title = mark.attrs.get("title") or ""
            label = mark.next_element()
            if rec.speaker is None:
                assert rec.kind.value == "not_speech" or (label is not None and "lbl" in label.classes)
                continue
            assert label is not None and "lbl" in label.classes, f"{rec.doc_id} quote {rec.index}: no label"
            label_text = label.text()
            assert rec.speaker.name in label_text
            assert f"speaker: {rec.speaker.name}" in title
            colour = {c for c in mark.classes if re.fullmatch(r"s\d+", c)}
            assert len(colour) == 1 and colour <= label.classes, "label and quote share the speaker colour"
            if rec.role is not None:
                assert rec.role.text in label_text and f"role: {rec.role.text}" in title
            if rec.cue is not None:
                assert rec.cue.text in label_text and f"cue: {rec.cue.text}" in title
            checked += 1
    return checked


# ---------------------------------------------------------------------- (a) the HTML
@pytest.fixture(scope="module")
def seeds():
    return seed_results()


@pytest.fixture(scope="module")
def seed_page(seeds):
    return render_review(seeds, title="Seeds")


def test_every_seed_quote_highlighted_with_speaker_label(seeds, seed_page):
    total = sum(len(r.records) for r in seeds)
    assert total >= 10
    checked = check_seed_page(parse(seed_page), seeds)
    assert checked == sum(1 for r in seeds for rec in r.records if rec.speaker is not None)


def test_text_outside_tags_is_the_original_text(seeds, seed_page):
    secs = sections(parse(seed_page))
    for result in seeds:
        (div,) = [n for n in secs[result.document.id].find_all("div", "text")]
        assert div.text(skip_class="lbl") == result.document.text
    # and the raw markup, stripped with a regular expression, says the same
    for result in seeds:
        raw = seed_page.split(f'data-doc="{html.escape(result.document.id)}"', 1)[1]
        raw = raw.split('<div class="text">', 1)[1].split("</div>", 1)[0]
        raw = re.sub(r'<span class="lbl[^"]*"[^>]*>(?:<span[^>]*>[^<]*</span>)*</span>', "", raw)
        assert html.unescape(re.sub(r"<[^>]+>", "", raw)) == result.document.text


def test_mention_and_cue_underlined_outside_the_quote(seeds, seed_page):
    secs = sections(parse(seed_page))
    for result in seeds:
        sec = secs[result.document.id]
        mentions = {m.text() for m in sec.find_all("span", "mention")}
        cues = {c.text() for c in sec.find_all("span", "cue")}
        for rec in result.records:
            if rec.speaker is not None:
                assert rec.speaker.mention.text in mentions
            if rec.cue is not None:
                assert rec.cue.text in cues
    # seed 000: « …forces mécanisées », a déclaré … Lloyd Austin: both outside the quote
    sec = secs["000_1e77c837ceb38d9d"]
    top = [c for c in sec.find_all("div", "text")[0].children if isinstance(c, Node)]
    assert any("mention" in n.classes and n.text() == "Lloyd Austin" for n in top)
    assert any("cue" in n.classes and n.text() == "déclaré" for n in top)


def test_speaker_colours_stable_and_distinct(seeds, seed_page):
    secs = sections(parse(seed_page))
    for result in seeds:
        colour_of: dict[str, str] = {}
        for mark in secs[result.document.id].find_all("mark", "q"):
            rec = result.records[int(mark.attrs["data-q"])]
            if rec.speaker is None:
                continue
            (colour,) = [c for c in mark.classes if re.fullmatch(r"s\d+", c)]
            assert colour_of.setdefault(rec.speaker.name, colour) == colour
        assert len(set(colour_of.values())) == len(colour_of) <= len(PALETTE)
    # same input, same page
    assert render_review(seeds, title="Seeds") == seed_page


def test_header_index_and_source_tables(seeds, seed_page):
    dom = parse(seed_page)
    links = [a for a in dom.find_all("table")[0].find_all("a")]
    assert len(links) == len(seeds)
    secs = sections(dom)
    for link, result in zip(links, seeds):
        target = link.attrs["href"].lstrip("#")
        assert secs[result.document.id].attrs["id"] == target
        assert result.document.id in link.text()
        row = link.parent.parent
        cells = [c.text() for c in row.find_all("td")]
        speakers = {r.speaker.name for r in result.records if r.speaker}
        quotes = sum(1 for r in result.records if r.kind.value != "not_speech")
        assert cells[1] == str(quotes) and cells[2] == str(len(speakers))
        table = secs[result.document.id].find_all("table", "sources")
        if speakers:
            rows = {tr.find_all("td")[0].text(): tr for tr in table[0].find_all("tr")[1:]}
            for name in speakers:
                tr = rows[name]
                n = sum(1 for r in result.records if r.speaker and r.speaker.name == name)
                tds = [td.text() for td in tr.find_all("td")]
                rec = next(r for r in result.records if r.speaker and r.speaker.name == name)
                assert tds[1] == rec.speaker.type.value and tds[3] == str(n)
                roles = {r.role.text for r in result.records if r.speaker and r.speaker.name == name and r.role}
                assert all(role in tds[2] for role in roles)
    counts = dom.find_all("p", "counts")[0].text()
    assert f"{len(seeds)} articles" in counts
    assert f"{sum(1 for r in seeds for q in r.records if q.kind.value != 'not_speech')} quotes" in counts


def test_self_contained_no_external_resource(seed_page):
    assert seed_page.count("<script") == 1
    assert not re.search(r"<(link|img|iframe|object|embed|video|audio|source)\b", seed_page)
    assert not re.search(r"\bsrc\s*=", seed_page)
    assert "@import" not in seed_page and "url(" not in seed_page
    assert "default-src 'none'" in seed_page  # CSP: no fetch, no other script


def test_escaping_article_content(tmp_path):
    text = 'Intro <script>alert(1)</script> & co. « Je dis <b>non</b> & "stop" », a déclaré l\'élu.\nFin <img src=x onerror=alert(2)>.'
    q0 = text.index("Je dis")
    q1 = text.index(" »")
    mention = text.index("l'élu") + 2
    cue = text.index("déclaré")
    rec = record("<doc id=\"x\">", 0, text, q0, q1, name='Evil "Name" <i>x</i>', sid="S1",
                 mention=(mention, mention + 3), cue=(cue, cue + 7))
    doc = Document('<doc id="x">', text, source="<b>src</b>", metadata={
        "title": "<script>alert('t')</script>", "url": "javascript:alert(3)", "site": 'A "site" <x>'})
    page = render_review([Result(doc, [rec], language="fr")], title="<script>bad()</script>")
    assert page.count("<script") == 1  # only the page's own script
    for raw in ("<script>alert", "<b>non</b>", "<b>src</b>", "<img", "<i>x</i>", "<x>", "<script>bad"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "Evil &quot;Name&quot; &lt;i&gt;x&lt;/i&gt;" in page
    assert 'href="javascript' not in page
    dom = parse(page)
    (sec,) = dom.find_all("section", "article")
    assert sec.attrs["data-doc"] == '<doc id="x">'
    assert sec.find_all("div", "text")[0].text(skip_class="lbl") == text
    (label,) = sec.find_all("span", "lbl")
    assert 'Evil "Name" <i>x</i>' in label.text()
    # a script element is never produced from article content
    assert [n for n in dom.find_all("script") if "alert" in n.text()] == []
    path = tmp_path / "sub" / "r.html"
    write_review([Result(doc, [rec], language="fr")], str(path))
    assert path.read_text("utf-8") == render_review([Result(doc, [rec], language="fr")])


def test_overlapping_spans_nest_or_skip():
    text = "« Je le dis, explique-t-elle, et je le répète », ajoute Marie Roy. « Bis » et « ter »."
    q = (2, text.index(" »"))
    cue_in = text.index("explique")
    elle = text.index("elle")
    bis = text.index("Bis")
    ter = text.index("ter")
    recs = [
        # mention and cue inside the quote (an incise): nested in the mark
        record("d", 0, text, *q, name="Marie Roy", sid="S1", mention=(elle, elle + 4), cue=(cue_in, cue_in + 8)),
        # a quote overlapping the first one: skipped; its mention crosses the first quote: skipped
        record("d", 1, text, 5, 14, name="Paul", sid="S2", mention=(q[1] - 3, q[1] + 5)),
        record("d", 2, text, bis, bis + 3, name="Marie Roy", sid="S1", mention=(elle, elle + 4)),
        record("d", 3, text, ter, ter + 3, kind="not_speech"),
    ]
    page = render_review([Result(Document("d", text), recs, language="fr")])
    dom = parse(page)
    div = dom.find_all("div", "text")[0]
    assert div.text(skip_class="lbl") == text
    marks = div.find_all("mark", "q")
    assert [m.attrs["data-q"] for m in marks] == ["0", "2", "3"]
    assert [s.text() for s in marks[0].find_all("span", "mention")] == ["elle"]
    assert [s.text() for s in marks[0].find_all("span", "cue")] == ["explique"]
    assert not [m for m in div.find_all("span", "mention") if m.text() != "elle"]
    assert "not_speech" in marks[2].classes
    after = marks[2].next_element()
    assert after is None or "lbl" not in after.classes  # no speaker label on "not speech"


def test_surrogates_never_split():
    # a text holding an astral character as two surrogate code units (e.g. from a bad decoder)
    text = "Il a dit « ok \ud83d\ude00 » puis « \ud83d\ude00 » fin \ud800."
    q0 = text.index("ok")
    q1 = text.index("\ude00")  # offsets cut the pair: widened to keep it whole
    recs = [record("s", 0, text, q0, q1, name="Paul", sid="S1", mention=(0, 2)),
            record("s", 1, text, text.rindex("\ude00"), text.rindex(" »"), name="Paul", sid="S1", mention=(0, 2))]
    page = render_review([Result(Document("s", text), recs, language="fr")])
    page.encode("utf-8")  # valid UTF-8: no lone surrogate left
    assert "\U0001F600" in page
    assert page.count("\ufffd") == 1  # only the real lone surrogate of the text
    div = parse(page).find_all("div", "text")[0]
    marks = div.find_all("mark", "q")
    assert marks[0].text() == "ok \U0001F600"
    assert marks[1].text() == "\U0001F600"


def test_paragraph_breaks_and_errors():
    text = "Premier paragraphe.\n\n« Deuxième », dit-il.\r\nTroisième."
    q = text.index("Deuxième")
    il = text.index("il.")
    rec = record("p", 0, text, q, q + 8, name="Jean", sid="S1", mention=(il, il + 2), cue=(il - 4, il - 1))
    err = Result(Document("bad", "", source="in/bad.txt"),
                 error=ErrorRecord(doc_id="bad", source="in/bad.txt", error="empty_text", message="the document has no text"))
    page = render_review([Result(Document("p", text), [rec], language="fr"), err])
    assert 'Premier paragraphe.<span class="pb"><br>\n<br>\n</span>« <mark' in page
    assert '<span class="pb">&#13;<br>\n</span>Troisième' in page
    dom = parse(page)
    secs = sections(dom)
    assert secs["p"].find_all("div", "text")[0].text(skip_class="lbl") == text
    failed = secs["bad"]
    assert "failed" in failed.classes and not failed.find_all("mark")
    assert "could not be processed" in failed.text() and "empty_text" in failed.text()
    assert "the document has no text" in failed.text()
    assert "error: empty_text" in dom.find_all("table")[0].text()
    assert "1 not processed" in dom.find_all("p", "counts")[0].text()


def test_many_articles_one_script():
    results = seed_results(with_metadata=False) * 60
    page = render_review(results)
    assert page.count("<script") == 1
    assert len(sections(parse(page))) == len(set(r.document.id for r in results))
    assert page.count('<section class="article"') == 300


# ---------------------------------------------------------------------- (b) a real browser
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


CHROMIUM = _chromium()
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


def _run_chromium(args: list[str], profile: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


HOSTILE_TEXT = ('Before <script>document.title="PWNED"</script> « Je dis <img src=x onerror="document.title=1"> '
                'non », a déclaré Evil.\nAfter </div></section><script>alert(1)</script>.')


def _hostile_result() -> Result:
    text = HOSTILE_TEXT
    q0, q1 = text.index("Je dis"), text.index(" »")
    m = text.index("Evil")
    c = text.index("déclaré")
    rec = record("hostile", 0, text, q0, q1, name='Evil "<script>x()</script>', sid="S1", mention=(m, m + 4),
                 cue=(c, c + 7))
    return Result(Document("hostile", text, metadata={"title": "</title><script>alert(2)</script>"}), [rec],
                  language="fr")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (chromium / chromium-browser) on PATH: "
                                             "apt-get install -y chromium to run the browser test")
def test_review_page_in_headless_chromium(tmp_path):
    results = seed_results()
    page = tmp_path / "review.html"  # the five seeds: checked, then the screenshot
    write_review(results, str(page), title="Quote review — seed articles")
    hostile_page = tmp_path / "review-hostile.html"  # the seeds and an article full of markup
    write_review([*results, _hostile_result()], str(hostile_page), title="<script>alert(3)</script>")
    profile = tempfile.mkdtemp(prefix="quotes-chromium-")
    try:
        dumped = _run_chromium(["--enable-logging=stderr", "--v=0", "--dump-dom", hostile_page.as_uri()], profile)
        assert dumped.returncode == 0, dumped.stderr[-2000:]
        dom = parse(dumped.stdout)
        secs = sections(dom)
        assert len(secs) == len(results) + 1
        assert check_seed_page(dom, results) == sum(1 for r in results for q in r.records if q.speaker)
        for result in results:  # the browser kept the text exact too
            div = secs[result.document.id].find_all("div", "text")[0]
            assert div.text(skip_class="lbl") == result.document.text.replace("\r\n", "\n")
        # the hostile article is text, in its own section; the page has its one script only
        assert secs["hostile"].find_all("div", "text")[0].text(skip_class="lbl") == HOSTILE_TEXT
        assert len(dom.find_all("script")) == 1 and not dom.find_all("img")
        assert dom.find_all("title")[0].text() == "<script>alert(3)</script>"
        # the inline style and script are allowed by the page's own Content-Security-Policy
        assert "Content Security Policy" not in dumped.stderr, dumped.stderr[-2000:]

        shot = tmp_path / "review.png"
        taken = _run_chromium([f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()], profile)
        assert taken.returncode == 0, taken.stderr[-2000:]
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1280, 1600)
        if os.environ.get("QUOTES_UPDATE_SCREENSHOT"):  # refresh docs/review.png on request only
            shutil.copyfile(shot, SCREENSHOT)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
