"""belkg serve in a real browser: Debian's Chromium driven by Playwright. Skipped where
Chromium is absent, unless BELKG_REQUIRE_BROWSER is set (as .ci/run sets it)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import belkg_server

# One server and one browser per module: its tests stay on one worker.
pytestmark = [pytest.mark.xdist_group("web-browser"), pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = [
    "/", "/search?q=Tsikhanovsky", "/names", "/queries", "/queries/negotiators?release=bkd%3Arelease-of-52",
    "/editor", "/editor?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+bk%3APerson+%7D", "/id/siarhei-tsikhanouski",
    "/id/release-of-52", "/id/doc-002", "/id/claim-002-001", "/timeline", "/conflicts", "/graph", "/ontology",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("BELKG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt install chromium); BELKG_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(project, session_cache, built, tmp_path_factory):
    with belkg_server(project.root, session_cache, tmp_path_factory.mktemp("serve") / "log") as base:
        _ready(base)
        yield base


def _ready(base: str, seconds: float = 600) -> None:
    """Wait until the server has found what it finds after it listens (the conflicts and
    the pictures' graph): until then those pages answer 503, which the browser reports.
    The server finds them in niced children, which a busy machine (the other test
    workers) can keep waiting for minutes."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    for path in ("/conflicts", "/graph"):
        while True:
            try:
                with urllib.request.urlopen(base + path, timeout=60):
                    break
            except urllib.error.HTTPError as error:
                if error.code != 503 or "Retry-After" not in error.headers:
                    raise
                if time.monotonic() > deadline:
                    pytest.fail(f"{path} still answered 503 after {seconds:g} s: {error.read().decode()[:200]}")
                time.sleep(0.2)


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors, script errors and every host asked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.problems = []  # type: ignore[attr-defined]
    opened.hosts = set()  # type: ignore[attr-defined]
    opened.on("console", lambda m: m.type == "error" and opened.problems.append(m.text))  # type: ignore[attr-defined]
    opened.on("pageerror", lambda error: opened.problems.append(str(error)))  # type: ignore[attr-defined]
    opened.on("request", lambda request: opened.hosts.add(urlsplit(request.url).netloc))  # type: ignore[attr-defined]
    yield opened
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_loads_cleanly_and_asks_only_this_server(page, server, path):
    response = page.goto(server + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert page.problems == []
    assert page.hosts == {urlsplit(server).netloc}


def test_clicking_a_highlight_shows_its_claims_quote(page, server):
    page.goto(server + "/id/doc-002")
    panel = page.locator("#panel")
    assert panel.is_hidden()
    page.locator("a.cite", has_text="EPA/SERGEI BOBYLEV / SPUTNIK / KREMLIN POOL").click()
    assert panel.is_visible()
    assert "“EPA/SERGEI BOBYLEV / SPUTNIK / KREMLIN POOL”" in panel.locator("blockquote.quote").all_inner_texts()
    assert page.problems == []


def test_search_finds_tsikhanovsky(page, server):
    page.goto(server + "/")
    page.fill("#home-q", "Tsikhanovsky")
    page.press("#home-q", "Enter")
    page.get_by_role("link", name="Siarhei Tsikhanouski").click()
    assert page.locator("h1").inner_text() == "Siarhei Tsikhanouski"
    assert page.problems == []


def test_a_saved_query_runs_from_its_form(page, server):
    page.goto(server + "/queries/negotiators")
    page.fill("#p-release", "bkd:release-of-52")
    page.get_by_role("button", name="run").click()
    assert page.locator("p.count").inner_text() == "6 rows"
    assert page.url == server + "/queries/negotiators?release=bkd%3Arelease-of-52"
    assert page.problems == []
