"""Playwright fixtures: Debian's chromium against pytest-django's live server.

The browser is never downloaded: it is the system chromium at $MINGJING_CHROMIUM
(default /usr/bin/chromium). Without it the browser tests are skipped; scripts/test.sh decides
whether a skipped browser leg is allowed.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from tests.conftest import PASSWORD
except ImportError:  # tests/ is not a package: its conftest is the top-level module
    from conftest import PASSWORD

# Playwright's sync API keeps an event loop running in this thread; Django's ORM (used by the
# fixtures and the live server) would otherwise refuse to run here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS_DIR = Path("/tmp/mingjing-shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# Reports every CSP violation to the console as an error, so that the watcher below sees it
# even where chromium's own report would not be an error (e.g. a report-only policy).
_CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def _chromium_path() -> str:
    return os.environ.get("MINGJING_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        found = shutil.which(executable)
        if not found:
            pytest.skip(
                f"chromium not found at {executable} (set MINGJING_CHROMIUM or "
                "apt-get install chromium); browser tests need the system browser"
            )
        executable = found
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def site(transactional_db, cast, live_server):
    """The cast, committed where the live server's thread can see it, and the server's URL."""
    return live_server.url


class ConsoleWatch:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        # Chromium asks for /favicon.ico once per browser, so its 404 would fail whichever test
        # happens to run first; test_home_pages.test_pages_have_an_icon checks the icon instead.
        if where.endswith("/favicon.ico"):
            return
        self.problems.append(f"console.error: {message.text} ({where})")


def _open_page(browser, base_url: str, **options) -> Iterator:
    context = browser.new_context(base_url=base_url, locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    context.add_init_script(_CSP_WATCH)
    page = context.new_page()
    watch = ConsoleWatch(page)
    yield page
    context.close()
    if watch.problems:
        pytest.fail("the page reported errors:\n" + "\n".join(watch.problems), pytrace=False)


@pytest.fixture
def page(browser, site):
    """A desktop page in a fresh context (no cookies), Chinese locale."""
    yield from _open_page(browser, site)


@pytest.fixture
def phone(browser, site):
    """A page in a fresh phone-sized context: 390x844, touch, mobile viewport."""
    yield from _open_page(browser, site, **PHONE)


@pytest.fixture
def shots() -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.fixture
def log_in(site):
    """Log a page in through the real login form: log_in(page, user[, password])."""

    def submit(page, user, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.locator("main form").get_by_role("button", name="登录").click()
        page.wait_for_load_state()

    return submit
