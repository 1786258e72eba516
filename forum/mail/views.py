"""``/email/unsubscribe/<key>``: the link at the foot of every e-mail, and its
``List-Unsubscribe`` header.

``GET`` only says what the link turns off and offers a button: mail scanners and link
previews open links, and must not unsubscribe anyone. ``POST`` does it, whether it comes
from that button or from a mail program's one-click unsubscribe (RFC 8058: a POST with the
body ``List-Unsubscribe=One-Click``, no cookies, no CSRF token). The key in the URL is the
only credential: nobody needs to be signed in, only the key's own recipient is affected, and
an unknown key changes nothing and says nothing.

CSRF protection is for requests that borrow a signed-in browser's cookies; this one uses
none, so its POST is served before the cookie check runs (see :func:`_serve_post_early`).
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, make_response, render_template, request

from forum.accounts.models import AnonymousUser
from forum.extensions import db
from forum.mail import unsubscribe
from forum.mail.compose import PREFERENCES_PATH
from forum.request_checks import check_request

bp = Blueprint("email", __name__)
ENDPOINT = "email.unsubscribe"


def _page(template: str, status: int = 200, **context):
    response = make_response(
        render_template(f"mail/{template}", preferences_url=PREFERENCES_PATH, **context), status
    )
    # The key is in the URL: keep the page out of caches, and the URL out of Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _not_valid():
    return _page("unsubscribe_invalid.html", 404)


@bp.route("/email/unsubscribe/<key>", methods=["GET", "POST"], endpoint="unsubscribe")
def unsubscribe_view(key):
    row = unsubscribe.find(key)
    if row is None:
        return _not_valid()
    effect = unsubscribe.effect_of(row)
    if row.unsubscribed_at is not None:  # a reused link: harmless
        return _page("unsubscribe_done.html", effect=effect, already=True)
    if request.method == "GET":  # scanners follow links: only explain
        return _page("unsubscribe_confirm.html", effect=effect, key=key)
    unsubscribe.apply(row)
    db.session.commit()
    return _page("unsubscribe_done.html", effect=effect, already=False)


def _serve_post_early():
    """Answer a POST to the unsubscribe link before sign-in and CSRF checks run.

    The forum checks CSRF for every cookie-authenticated write in
    :func:`forum.accounts.auth.authenticate`, and a mail program's one-click POST has no
    token (nor cookies). Returning a response from a ``before_request`` function ends the
    request's pre-processing, so this serves that one route, after the same checks on the
    request's encoding as every other (:func:`forum.request_checks.check_request`), as a
    visitor who is not signed in.
    """
    if request.endpoint != ENDPOINT or request.method != "POST":
        return None
    check_request()
    g.api_request = False
    g._login_user = AnonymousUser()
    view = current_app.view_functions[ENDPOINT]
    return current_app.ensure_sync(view)(**(request.view_args or {}))


@bp.record_once
def _install(state) -> None:
    functions = state.app.before_request_funcs.setdefault(None, [])
    functions.insert(0, _serve_post_early)
