"""The quality report as a reader gets it: escaped untrusted text, self-contained, deterministic, and
rendered by a real headless Chromium with no console errors and no network requests."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from pipeline.store.workspace import read_json
from tests.helpers import run_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = """Hostile &amp; test extract

Trade <script>alert('x')</script> reached 3.2 billion yuan in 2021, up 9.8%,
said <img src=x onerror=alert(1)> officials.

Shenzhen</b> had "quotes" & ampersands and 12 cities.
"""


@pytest.fixture(scope="module")
def hostile_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release whose raw input includes a news extract full of markup, registered like any other."""
    from pipeline.settings import DEFAULT_RAW_DIR

    root = tmp_path_factory.mktemp("hostile")
    raw, outputs = root / "raw", root / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    (raw / "extracts" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    digest = hashlib.sha256(HOSTILE.encode()).hexdigest()
    with (raw / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"""
  - id: hostile_news
    path: extracts/hostile.txt
    sha256: "{digest}"
    kind: news_article
    title: "<b>Hostile</b> title"
    publisher: "<script>x</script>"
    published: "2022-01-05"
    url: null
    extracts: figures
"""
        )
    assert run_graph(raw, outputs).success
    return (outputs / "latest").resolve()


def test_untrusted_text_is_escaped(hostile_release: Path) -> None:
    html = (hostile_release / "quality_report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;Hostile&lt;/b&gt; title" in html
    # the new article was processed like the real ones: its figure is in the data and the report
    report = read_json(hostile_release / "quality_report.json")
    figures = pd.read_parquet(hostile_release / "reported_figures.parquet")
    hostile = figures.loc[figures["source_id"] == "hostile_news"].sort_values("char_start")
    assert hostile["printed"].tolist() == ["3.2 billion yuan", "12 cities"]
    rows = {d["name"]: d["rows"] for d in report["datasets"]}
    assert rows["reported_figures"] == len(figures)


def test_report_is_self_contained(hostile_release: Path) -> None:
    html = (hostile_release / "quality_report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    assert [t for t in tags if re.search(r"\son[a-z]+\s*=", t)] == []  # no event handler attributes
    assert html.count('<svg id="chart-') >= 9 and html.count("<title id=") >= 9


def test_every_id_in_the_report_is_unique(hostile_release: Path) -> None:
    html = (hostile_release / "quality_report.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) > 50 and len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'id="findings"' in html and 'id="dataset-findings"' in html  # the section and the dataset


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="chromium not installed")
def test_report_renders_in_headless_chromium(published: tuple[Path, Path], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "CI must install Debian's chromium (see .ci/run)"
    report = (published[1] / "latest").resolve() / "quality_report.html"
    console, requests = [], []
    with sync_playwright() as playwright:
        # a fresh profile; the flags keep Chromium from reaching out on its own
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            viewport={"width": 1200, "height": 900},
        )
        page = browser.new_page()
        page.on("console", lambda message: console.append((message.type, message.text)))
        page.on("pageerror", lambda error: console.append(("pageerror", str(error))))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        charts = page.eval_on_selector_all(
            "svg.chart",
            "nodes => nodes.map(n => ({id: n.id, w: n.getBoundingClientRect().width, "
            "h: n.getBoundingClientRect().height, marks: n.querySelectorAll('polyline, rect, circle').length, "
            "label: n.getAttribute('aria-labelledby')}))",
        )
        headings = page.eval_on_selector_all("h1, h2, h3, h4", "nodes => nodes.map(n => Number(n.tagName[1]))")
        screenshot = Path(os.environ.get("REPORT_SCREENSHOT", tmp_path / "report.png"))
        page.screenshot(path=str(screenshot), full_page=False)
        browser.close()
    assert [m for m in console if m[0] in ("error", "pageerror", "warning")] == []
    assert [u for u in requests if not u.startswith("file://")] == []
    assert requests == [report.as_uri()]
    assert len(charts) == 9, charts
    for chart in charts:
        assert chart["w"] > 100 and chart["h"] > 100 and chart["marks"] >= 3 and chart["label"], chart
    assert headings[0] == 1 and all(b - a <= 1 for a, b in pairwise(headings))
    assert screenshot.stat().st_size > 20_000


def test_the_first_screen_ranks_what_to_worry_about(published: tuple[Path, Path]) -> None:
    """After the verdict, before anything else: every flagged finding of the seed release, one line each,
    the gross currency mismatch first, each linking to its finding; the long tables are collapsed."""
    html = ((published[1] / "latest").resolve() / "quality_report.html").read_text(encoding="utf-8")
    assert html.index('aria-label="Verdict"') < html.index('id="worries"') < html.index('id="glance"')
    section = html[html.index('id="worries"') : html.index("</section>", html.index('id="worries"'))]
    items = re.findall(r"<li>(.*?)</li>", section)
    strong = re.compile(r'<strong class="\w+">([^<]+)</strong>')
    statuses = [m.group(1) for i in items if (m := strong.search(i))]
    assert statuses[0] == "mismatch" and "$32.9 billion" in items[0]
    assert statuses == sorted(statuses, key=["mismatch", "contradiction", "yielded nothing", "incomplete", "stale",
                                             "jump", "uncertain", "different measures"].index)  # fmt: skip
    # 15 flagged in all: the 14 disagreements of the sources and the one uncertain reading ("35 cities")
    assert len(statuses) == 12 and items[-1].startswith("and 3 more flagged findings")
    assert "not listed: Tianjin" in section
    for target in re.findall(r'href="#(finding-[^"]+)"', section):
        assert f'id="{target}"' in html, target
    assert html.count("<details><summary>Schema, profile and the") == 12  # one per published dataset
    assert html.count("<details><summary>The text of ") == 5  # the five extracts, collapsed


@pytest.mark.parametrize("width", [1400, 400])
def test_the_report_never_overflows_the_window(published: tuple[Path, Path], tmp_path: Path, width: int) -> None:
    """At a desktop and a phone width no element sticks out of the page: wide tables scroll in their own
    box and charts shrink. A screenshot of the first screen is kept in the test's folder."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "CI must install Debian's chromium (see .ci/run)"
    report = (published[1] / "latest").resolve() / "quality_report.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        sticking_out = page.evaluate(
            "Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.scroll') && "
            "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName)"
        )
        page.screenshot(path=str(tmp_path / f"report-{width}.png"))
        browser.close()
    assert (scroll, sticking_out) == (client, [])
    assert (tmp_path / f"report-{width}.png").stat().st_size > 10_000
