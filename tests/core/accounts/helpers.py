"""Small helpers shared by the account and admin tests."""

from __future__ import annotations

import html
import re

from tests.factories import PASSWORD

SESSION_COOKIE = "lmchub_session"
_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a form on ``path`` carries (for apps made with WTF_CSRF_ENABLED)."""
    match = _CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, login: str, password: str = PASSWORD, **kwargs):
    """Sign in through the form, as a browser would."""
    data = {"login": login, "password": password, **kwargs.pop("data", {})}
    return client.post("/login", data=data, **kwargs)


def signed_in(client, username: str) -> bool:
    """Whether ``client`` is signed in as ``username``: the edit page of one's own profile
    answers 200 when signed in, and redirects to the sign-in page otherwise."""
    return client.get(f"/u/{username}/edit").status_code == 200


def session_cookie(client) -> str | None:
    cookie = client.get_cookie(SESSION_COOKIE)
    return cookie.value if cookie else None


def text(response) -> str:
    """The response body with HTML entities decoded (for matching messages)."""
    return html.unescape(response.get_data(as_text=True))


class QueryCounter:
    """Counts SQL statements run while it is active (``with QueryCounter() as q: ...``)."""

    def __init__(self):
        self.count = 0

    def _record(self, *_args):
        self.count += 1

    def __enter__(self):
        from sqlalchemy import event

        from forum.extensions import db

        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc):
        from sqlalchemy import event

        from forum.extensions import db

        event.remove(db.engine, "before_cursor_execute", self._record)
