"""Checking the links of library items that point at documents elsewhere
(``flask forum resources check-links``).

Each item with an ``external_url`` gets a ``HEAD`` request (a ``GET`` of its first byte when
the server refuses ``HEAD``), following at most :data:`MAX_REDIRECTS` redirects, with a time
limit per link. What was found is written to the item's ``link_ok``, ``last_link_check`` and
``link_error``: bookkeeping, not a change of content, so it adds no history and does not
invalidate cached pages. Nothing escapes: a machine without a network reports every link as
unreachable. Requests run a few at a time; the database is written from the calling thread.
"""

from __future__ import annotations

import logging
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit

from flask import current_app
from sqlalchemy import select, update

from forum.database import utcnow
from forum.extensions import db

from .models import Resource

log = logging.getLogger("plugins.resources")

MAX_REDIRECTS = 5
#: Links checked at the same time.
WORKERS = 8
UNTRACKED = {"forum_untracked": True, "synchronize_session": False}


@dataclass(frozen=True)
class LinkResult:
    """What one link answered: ``state`` is ``ok``, ``broken`` (the server answered with an
    error) or ``unreachable`` (no answer: no connection, a time-out, a bad certificate)."""

    resource_id: int
    title: str
    url: str
    state: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


@dataclass
class LinkReport:
    results: list[LinkResult] = field(default_factory=list)

    def _in(self, state: str) -> list[LinkResult]:
        return [result for result in self.results if result.state == state]

    @property
    def ok(self) -> list[LinkResult]:
        return self._in("ok")

    @property
    def broken(self) -> list[LinkResult]:
        return self._in("broken")

    @property
    def unreachable(self) -> list[LinkResult]:
        return self._in("unreachable")


class _NotAWebPage(urllib.error.HTTPError):
    """A redirect to something other than an ``http(s)`` address."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most :data:`MAX_REDIRECTS` redirects, to web addresses only, keeping the
    request's method (a ``HEAD`` stays a ``HEAD``)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri") or ""
        target = urljoin(req.full_url, location.strip())
        if location and urlsplit(target).scheme not in ("http", "https"):
            raise _NotAWebPage(target, code, "not a web page", headers, fp)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:  # headers (User-Agent, Range) are carried over; the method too
            new.method = req.get_method()
        return new


def user_agent() -> str:
    config = current_app.config
    return (
        f"{config.get('SITE_NAME', 'LMC Hub')} library link checker (+{config.get('BASE_URL', '')})"
    )


def check_url(url: str, timeout: float, agent: str = "LMC Hub library link checker") -> tuple:
    """``(state, error)`` for one address: ``("ok", "")``, ``("broken", "HTTP 404")``,
    ``("unreachable", "timed out")``... Never raises."""
    opener = urllib.request.build_opener(_Redirects)
    try:
        return _ask(opener, url, timeout, agent, "HEAD")
    except Exception as error:  # pragma: no cover - _ask words every failure itself
        log.warning("checking %s failed unexpectedly: %r", url, error)
        return "unreachable", f"could not connect: {type(error).__name__}"


def _ask(opener, url: str, timeout: float, agent: str, method: str) -> tuple[str, str]:
    headers = {"User-Agent": agent, "Accept": "*/*"}
    if method == "GET":
        headers["Range"] = "bytes=0-0"
    try:
        request = urllib.request.Request(url, method=method, headers=headers)
        with opener.open(request, timeout=timeout) as response:
            code = response.status
    except _NotAWebPage as error:
        error.close()
        return "broken", "redirected to an address that is not a web page"
    except urllib.error.HTTPError as error:
        code = error.code
        error.close()
        if method == "HEAD" and code in (405, 501):
            return _ask(opener, url, timeout, agent, "GET")
        if code == 416:  # a range past the end of an empty document: it is there
            return "ok", ""
        if 300 <= code < 400:
            return "broken", f"HTTP {code} (too many redirects)"
        return "broken", f"HTTP {code}"
    except urllib.error.URLError as error:
        return "unreachable", _reason(error.reason)
    except TimeoutError:
        return "unreachable", "timed out"
    except (OSError, HTTPException, ValueError, ssl.SSLError) as error:
        return "unreachable", _reason(error)
    if code >= 400:
        return "broken", f"HTTP {code}"
    return "ok", ""


def _reason(reason) -> str:
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return "timed out"
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return f"could not connect: {text}"[:200]


def _record(resource_id: int, state: str, error: str) -> None:
    db.session.execute(
        update(Resource)
        .where(Resource.id == resource_id)
        .values(link_ok=state == "ok", last_link_check=utcnow(), link_error=error[:200])
        .execution_options(**UNTRACKED)
    )
    db.session.commit()


def check_links(
    *,
    timeout: float | None = None,
    only_unchecked: bool = False,
    announce: Callable[[int], None] | None = None,
    progress: Callable[[LinkResult], None] | None = None,
) -> LinkReport:
    """Check every item's link (only those never checked with ``only_unchecked``) and record
    what each answered. ``timeout`` is in seconds per link
    (``RESOURCES_LINK_CHECK_TIMEOUT_SECONDS`` by default). ``announce(total)`` is called once
    the links are counted, ``progress(result)`` after each."""
    if timeout is None:
        timeout = float(current_app.config["RESOURCES_LINK_CHECK_TIMEOUT_SECONDS"])
    query = select(Resource.id, Resource.title, Resource.external_url).where(
        Resource.external_url != ""
    )
    if only_unchecked:
        query = query.where(Resource.last_link_check.is_(None))
    items = db.session.execute(query.order_by(Resource.id)).all()
    db.session.rollback()  # no transaction held open while waiting for other servers
    if announce is not None:
        announce(len(items))
    agent = user_agent()
    report = LinkReport()
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="resources-links") as pool:
        answers = pool.map(lambda item: check_url(item.external_url, timeout, agent), items)
        for item, (state, error) in zip(items, answers, strict=True):
            result = LinkResult(item.id, item.title, item.external_url, state, error)
            try:
                _record(item.id, state, error)
            except Exception:
                log.exception("recording the link check of library item %s failed", item.id)
                db.session.rollback()
            report.results.append(result)
            if progress is not None:
                progress(result)
    return report
