"""A real forum served on 127.0.0.1 and a headless Chromium driven by Playwright.

* ``live_forum`` (session): the app on a free port in a background thread (werkzeug's
  ``make_server``), a SQLite file database in a temporary folder, CSRF on, plain-http cookies,
  and the data the journey needs (two members, a category, a topic with three posts).
* ``browser`` (session): Debian's Chromium at :data:`CHROMIUM`. Never ``playwright install``.
  Without it the browser tests are skipped — unless ``CI`` is set, where they fail.
* ``page``: a fresh context and page whose console errors, uncaught exceptions,
  Content-Security-Policy violations and failed requests are collected in ``page.problems``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from forum import create_app
from forum.bootstrap import ensure_defaults
from forum.extensions import db
from tests.factories import PASSWORD, make_category, make_reply, make_topic, make_user
from tests.live_server import serving

#: Debian's ``chromium`` package; ``FORUM_TEST_CHROMIUM`` names another Chromium binary.
CHROMIUM = os.environ.get("FORUM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: Reports every CSP violation on the console (where the ``page`` fixture collects it). Init
#: scripts are injected by the browser itself, so the page's CSP does not block this one.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || location.href}:${e.lineNumber}`);
});
"""


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
    pytest.skip(reason)


@dataclass
class LiveForum:
    url: str
    app: object
    topic_path: str
    topic_title: str
    username: str
    password: str

    def __call__(self, path: str) -> str:
        return self.url + path


def browser_app(data_dir, **config):
    """An app on a SQLite file in ``data_dir`` with its tables and built-in rows, CSRF on
    and plain-http cookies, as a browser meets it on 127.0.0.1."""
    app = create_app(
        {
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'forum.db'}",
            "DATA_DIR": str(data_dir),
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "LOAD_ENTRY_POINTS": False,
            **config,
        }
    )
    with app.app_context():
        db.create_all()
        ensure_defaults()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_forum(tmp_path_factory):
    app = browser_app(tmp_path_factory.mktemp("browser-forum"))
    with app.app_context():
        alice = make_user("alice", name="Alice Moreton")
        bob = make_user("bob", name="Bob Hughes")
        category = make_category("Contracts and funding")
        first = make_topic(
            alice,
            category,
            title="Winter access funding: what are practices doing?",
            raw="How is everyone using the winter access money this year?",
        )
        topic = first.topic
        make_reply(topic, bob, raw="We are putting on extra Saturday clinics.")
        make_reply(topic, alice, raw="Thanks Bob. Has anyone tried extended hours?")
        topic_path = f"/t/{topic.slug}/{topic.id}"
        title = topic.title
        db.session.remove()

    try:
        with serving(app) as url:
            yield LiveForum(
                url=url,
                app=app,
                topic_path=topic_path,
                topic_title=title,
                username="alice",
                password=PASSWORD,
            )
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as error:  # noqa: BLE001 - any launch failure means "no browser here"
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def watch(page, base_url: str) -> list[str]:
    """Collect everything that went wrong on ``page``: console errors (CSP violations
    included), uncaught exceptions and failed same-origin requests."""
    problems: list[str] = []
    page.add_init_script(_CSP_LISTENER)

    def _console(msg):
        if msg.type == "error":
            problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")

    page.on("console", _console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))

    def _failed(request):
        # A page left for the next one cancels what it was still loading (its favicon, say):
        # that is the browser's doing, not a failure. HTTP errors are caught below.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} {request.failure}")

    page.on("requestfailed", _failed)

    def _response(response):
        if response.url.startswith(base_url) and response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("response", _response)
    return problems


@contextmanager
def desktop_page(browser, base_url: str):
    """A page in a fresh desktop-sized context; what goes wrong is in ``page.problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = watch(page, base_url)
    yield page
    context.close()


@pytest.fixture
def page(browser, live_forum):
    with desktop_page(browser, live_forum.url) as page:
        yield page


@pytest.fixture
def phone(browser, live_forum):
    """A 360 px wide phone screen (a common small Android size)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = watch(page, live_forum.url)
    yield page
    context.close()
