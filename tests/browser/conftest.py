"""Headless Chromium against a live server that holds the shared records.

Run with `pytest -m browser`. Chromium is Debian's (`apt-get install chromium`); set
CHROMIUM_PATH if it lives elsewhere. Set SCREENSHOTS_DIR (e.g. var/screenshots) to keep a
full-page screenshot of each step the tests name, to look at by eye.
"""

import io
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from trials.models import Study

# Playwright's sync API runs an event loop in the test thread, and Django refuses database
# access from a thread with a running loop unless told it is safe (it is: the loop is idle).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every WCAG 2.0-2.2 A and AA rule axe-core has, and its best practices.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, shared_dir) -> str:
    """The live server's URL, with every shared record imported as `manage.py import_studies` does."""
    call_command("import_studies", shared_dir / "dev", shared_dir / "records", stdout=io.StringIO())
    assert Study.objects.count() == 80
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Opens a page in a fresh browser context: `new_page(viewport=PHONE, java_script_enabled=False)`."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot named after the test and `step` when SCREENSHOTS_DIR is set."""
    folder = os.environ.get("SCREENSHOTS_DIR")

    def take(page, step: str):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{step}")
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


def assert_accessible(page):
    """axe-core finds no violation on the page as it is now; else list them readably."""
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def axe():
    return assert_accessible
