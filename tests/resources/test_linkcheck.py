"""``flask forum resources check-links``, against a web server of our own on 127.0.0.1 (never
the internet): working links, a 404, redirects (followed up to five), a server that refuses
HEAD, a slow answer and a closed port; what is found is recorded without touching the items'
history."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select, update

from forum.extensions import db
from plugins.resources import linkcheck
from plugins.resources.models import Resource, Revision

from .conftest import make_resource

SLOW_SECONDS = 6  # well past the 3 s the checks allow, so a busy machine cannot blur them


class Handler(BaseHTTPRequestHandler):
    """``/ok`` 200, ``/missing`` 404, ``/moved`` → ``/ok``, ``/chain/<n>`` n redirects before
    ``/ok``, ``/loop`` to itself, ``/nohead`` 405 to HEAD, ``/slow`` answers late,
    ``/elsewhere`` redirects to a file: address."""

    seen: list = []

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self):
        Handler.seen.append((self.command, self.path, dict(self.headers)))
        path = self.path
        if path == "/ok":
            self._send(200)
        elif path == "/missing":
            self._send(404)
        elif path == "/moved":
            self._send(302, Location="/ok")
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(301, Location=f"/chain/{left - 1}" if left > 1 else "/ok")
        elif path == "/loop":
            self._send(302, Location="/loop")
        elif path == "/elsewhere":
            self._send(302, Location="file:///etc/passwd")
        elif path == "/nohead":
            if self.command == "HEAD":
                self._send(405)
            else:
                self._send(206 if self.headers.get("Range") == "bytes=0-0" else 200)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200)
        else:
            self._send(500)

    do_HEAD = do_GET = _answer

    def _send(self, code, **headers):
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def item(url, title=None):
    return make_resource(external_url=url, title=title or f"Item at {url.rsplit('/', 1)[-1]}")


def revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(Revision))


def test_each_link_is_checked_and_recorded(app, server, closed_port):
    items = {
        "ok": item(f"{server}/ok"),
        "missing": item(f"{server}/missing"),
        "moved": item(f"{server}/moved"),
        "five": item(f"{server}/chain/5"),
        "six": item(f"{server}/chain/6"),
        "loop": item(f"{server}/loop"),
        "elsewhere": item(f"{server}/elsewhere"),
        "nohead": item(f"{server}/nohead"),
        "slow": item(f"{server}/slow"),
        "closed": item(f"http://127.0.0.1:{closed_port}/"),
    }
    updated = {key: resource.updated_at for key, resource in items.items()}
    history = revisions()

    report = linkcheck.check_links(timeout=3)

    found = {r.resource_id: (r.state, r.error) for r in report.results}
    states = {key: found[resource.id] for key, resource in items.items()}
    assert states["ok"] == ("ok", "")
    assert states["missing"] == ("broken", "HTTP 404")
    assert states["moved"] == ("ok", "")
    assert states["five"] == ("ok", "")
    assert states["six"][0] == "broken" and "too many redirects" in states["six"][1]
    assert states["loop"][0] == "broken"
    assert states["elsewhere"] == ("broken", "redirected to an address that is not a web page")
    assert states["nohead"] == ("ok", "")
    assert states["slow"] == ("unreachable", "timed out")
    assert states["closed"][0] == "unreachable"
    assert states["closed"][1].startswith("could not connect: ")
    assert (len(report.ok), len(report.broken), len(report.unreachable)) == (4, 4, 2)

    db.session.expire_all()
    for key, resource in items.items():
        state, error = states[key]
        assert resource.link_ok is (state == "ok")
        assert resource.link_error == error
        assert resource.last_link_check is not None
        assert resource.updated_at == updated[key]  # not a change of content
    assert revisions() == history

    heads = [(method, path) for method, path, _ in Handler.seen if path == "/nohead"]
    assert heads == [("HEAD", "/nohead"), ("GET", "/nohead")]
    assert all(method == "HEAD" for method, path, _ in Handler.seen if path.startswith("/chain"))
    agents = {headers.get("User-Agent") for _, _, headers in Handler.seen}
    assert agents == {f"LMC Hub library link checker (+{app.config['BASE_URL']})"}


def test_only_unchecked_links_are_checked_when_asked(app, server):
    first = item(f"{server}/ok")
    linkcheck.check_links(timeout=2)
    second = item(f"{server}/missing")

    report = linkcheck.check_links(timeout=2, only_unchecked=True)

    assert [r.resource_id for r in report.results] == [second.id]
    assert len(linkcheck.check_links(timeout=2).results) == 2
    assert first.id in {r.resource_id for r in linkcheck.check_links(timeout=2).results}


def test_items_without_a_link_are_left_alone(app, server):
    from .conftest import sample_pdf

    with_file = make_resource(file=sample_pdf(1))

    report = linkcheck.check_links(timeout=1)

    assert report.results == []
    db.session.refresh(with_file)
    assert with_file.last_link_check is None and with_file.link_ok is None


def test_nonsense_addresses_never_raise(app, closed_port):
    resource = item(f"http://127.0.0.1:{closed_port}/")
    for url in ("http://[::1", "http://exa mple.org/", "http://127.0.0.1:99999/", "http:///x"):
        db.session.execute(
            update(Resource).where(Resource.id == resource.id).values(external_url=url)
        )
        db.session.commit()
        report = linkcheck.check_links(timeout=0.5)
        assert [r.state for r in report.results] == ["unreachable"]
        assert report.results[0].error


def test_the_command_prints_a_summary(app, server, closed_port, runner):
    item(f"{server}/ok", "Working document")
    item(f"{server}/missing", "Gone document")
    item(f"http://127.0.0.1:{closed_port}/", "Offline document")
    app.config["RESOURCES_LINK_CHECK_TIMEOUT_SECONDS"] = 1

    result = runner.invoke(args=["forum", "resources", "check-links"])

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Checked 3 links: 1 OK, 1 broken, 1 unreachable." in out
    assert f"Broken:\n  “Gone document” ({server}/missing): HTTP 404" in out
    assert "Unreachable:\n  “Offline document” (http://127.0.0.1:" in out
    assert "Working document" not in out

    again = runner.invoke(args=["forum", "resources", "check-links", "--only-unchecked"])
    assert "Checked 0 links: 0 OK, 0 broken, 0 unreachable." in again.output
