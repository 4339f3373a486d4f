"""The pages in a real browser: Playwright driving Debian's Chromium (headless) against `coopwatch serve`.

Screenshots of the main pages, laptop and phone sized, go to out/screenshots/ (gitignored)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .store_support import ROOT, server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "out" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():  # fail, never skip: `make test` installs it (scripts/system-packages.txt)
        raise RuntimeError(f"{CHROMIUM} is missing; run scripts/setup-system.sh (Debian package chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a script or style the Content-Security-Policy blocks is an error too (the console reports it)
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_overview_renders_its_chart(page):
    page.goto(server() + "/")
    bars = page.locator("#chart svg rect.bar")
    bars.first.wait_for()
    assert bars.count() > 5
    sectors = {bars.nth(i).get_attribute("data-sector") for i in range(bars.count())}
    assert {"nuclear", "oil_gas"} <= sectors
    assert page.locator(".chart-legend li").count() == len(sectors)
    assert page.locator(".total b").first.inner_text() != "0"
    page.screenshot(path=SHOTS / "overview.png", full_page=True)


def test_a_facet_click_filters_the_events(page):
    page.goto(server() + "/events")
    total = int(page.locator("h1 .muted").inner_text().replace(",", ""))
    facet = page.locator('a.facet[data-facet="sector"][data-value="hydrogen"]')
    facet.click()
    page.wait_for_url(re.compile(r"sector=hydrogen"))
    filtered = int(page.locator("h1 .muted").inner_text().replace(",", ""))
    assert 0 < filtered < total
    rows = page.locator("#event-list li.event")
    assert rows.count() == min(filtered, 25)
    for i in range(rows.count()):
        assert "hydrogen" in rows.nth(i).locator(".badge.sector").all_inner_texts()
    assert page.locator('a.facet.active[data-value="hydrogen"]').count() == 1
    page.screenshot(path=SHOTS / "events-hydrogen.png", full_page=True)


def test_an_event_page_highlights_its_sentence(page):
    page.goto(server() + "/events?sector=nuclear")
    link = page.locator("#event-list a.sentence").first
    sentence = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/events/.+"))
    focus = page.locator("#article-text mark.focus")
    assert " ".join("".join(focus.all_inner_texts()).split()) == " ".join(sentence.split())
    background = page.locator("#focus").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#article-text mark.entity").count() > 3
    page.screenshot(path=SHOTS / "event.png", full_page=True)


def test_search_finds_an_article(page):
    page.goto(server() + "/search")
    page.fill("#search-q", "lunar research station")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=lunar"))
    results = page.locator("#document-results li a")
    assert "lunar research station" in results.first.inner_text().lower()
    results.first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert "lunar" in page.locator("#article-text").inner_text().lower()
    page.screenshot(path=SHOTS / "search-document.png", full_page=True)


def test_markup_in_an_article_stays_text(page):
    page.goto(server() + "/documents/zz_markup")
    assert page.title() != "owned"
    assert '<script>document.title="owned"</script>' in page.locator("#article-text").inner_text()


def test_a_chinese_article_is_drawn_with_a_chinese_font(page):
    import subprocess

    # without a CJK font (Debian's fonts-noto-cjk, scripts/system-packages.txt) Chromium draws empty boxes
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no font with Chinese glyphs installed; run scripts/setup-system.sh"
    page.goto(server() + "/documents/11_east-route-gas-zh")
    text = page.locator("#article-text").inner_text()
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 50
    page.screenshot(path=SHOTS / "document-zh.png", full_page=True)


def test_pages_fit_a_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    for name, path in (("overview", "/"), ("events", "/events"), ("actor", "/actors/rosatom")):
        page.goto(server() + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        page.screenshot(path=SHOTS / f"phone-{name}.png", full_page=True)
    context.close()


def test_a_project_page_draws_its_timeline(page):
    page.goto(server() + "/projects")
    projects = page.locator("#project-list li.project a.name")
    assert projects.count() > 3
    page.goto(server() + "/projects?q=Xudapu")
    page.locator("#project-list li.project a.name").first.click()
    page.wait_for_url(re.compile(r"/projects/prj_"))
    points = page.locator("#timeline-chart circle.point")
    assert points.count() >= 2
    stages = {points.nth(i).get_attribute("data-stage") for i in range(points.count())}
    assert "under construction" in stages
    assert page.locator("#project-status").inner_text() == "under construction"
    assert page.locator("#project-sources li").count() >= 2
    page.screenshot(path=SHOTS / "project.png", full_page=True)
    # a timeline entry opens the event it comes from
    page.locator("#timeline-list li a").first.click()
    page.wait_for_url(re.compile(r"/events/.+%23ev\d+"))
    assert page.locator("#article-text mark.focus").count() >= 1


def test_project_pages_fit_a_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(server() + "/projects?q=Tianwan")
    project = page.locator("#project-list li.project a.name").first.get_attribute("href")
    for name, path in (("projects", "/projects"), ("project", project)):
        page.goto(server() + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        page.screenshot(path=SHOTS / f"phone-{name}.png", full_page=True)
    assert page.locator("#timeline-chart circle.point").count() >= 2
    context.close()
