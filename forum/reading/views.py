"""HTML for reading state: the New and Unread pages with their dismiss forms, the read pixel
for pages seen without scripts, and the template globals the topic page's tracker uses.

Visitors who are not signed in are sent to sign in (they have no reading state). The
dismiss forms are plain CSRF-protected POSTs that come back to their page.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forum.categories.views import page_arg
from forum.database import begin_write
from forum.errors import InvalidAccess, NotLoggedIn
from forum.plugin_system import slot
from forum.reading import api as _api  # noqa: F401 - adds the JSON routes to the API blueprint
from forum.reading import marks, pixel
from forum.reading.queries import NEW, UNREAD, list_context, signed_in, topic_list
from forum.topics import queries

bp = Blueprint("reading", __name__)


def _viewer():
    return current_user._get_current_object()


def _sign_in():
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _list_page(which: str):
    user = _viewer()
    if not signed_in(user):
        return _sign_in()
    g.nav_active = "core.latest"
    page = page_arg()
    result = topic_list(user, which, page=page - 1)
    return render_template(
        "reading/list.html",
        topics=result.topics,
        badges=slot("topic_list_badges", topics=result.topics, user=user) if result.topics else {},
        page=page,
        has_more=result.has_more,
        tab=which,
        heading="New topics" if which == NEW else "Unread topics",
        endpoint=f"reading.{which}",
        **list_context(user, result.topics),
    )


@bp.get("/new")
def new():
    """Topics created since the person last dismissed New that they have not opened."""
    return _list_page(NEW)


@bp.get("/unread")
def unread():
    """Topics the person tracks or watches with posts after the last one they read."""
    return _list_page(UNREAD)


@bp.post("/new/dismiss")
def dismiss_new():
    user = _viewer()
    if not signed_in(user):
        return _sign_in()
    marks.dismiss_new(user)
    flash("New topics dismissed: only topics started from now on will show as new.", "success")
    return redirect(url_for(".new"), 303)


@bp.post("/unread/dismiss")
def mark_all_read():
    user = _viewer()
    if not signed_in(user):
        return _sign_in()
    done = marks.mark_all_read(user)
    flash(
        f"Marked {len(done)} topic{'' if len(done) == 1 else 's'} as read."
        if done
        else "There was nothing left to mark as read.",
        "success",
    )
    return redirect(url_for(".unread"), 303)


# -- The topic page's tracker -----------------------------------------------------------


@bp.app_template_global()
def reading_pixel_url(topic_id: int, post_number: int) -> str:
    """The ``<noscript>`` pixel's URL for the signed-in viewer: reading it records post
    ``post_number`` of the topic as read."""
    token = pixel.make_token(current_user.id, topic_id, post_number)
    return url_for("reading.read_pixel", topic_id=topic_id, post_number=post_number, token=token)


@bp.get("/t/<int:topic_id>/read/<int:post_number>.gif")
def read_pixel(topic_id: int, post_number: int):
    """Record a read for a page seen without scripts; answers a 1x1 GIF never cached."""
    user = _viewer()
    if not signed_in(user):
        raise NotLoggedIn()
    if not pixel.token_matches(request.args.get("token"), user.id, topic_id, post_number):
        raise InvalidAccess("This read marker is not valid.")
    begin_write()  # a GET's transaction starts as a reader
    topic = queries.get_topic(user, topic_id)
    marks.record_read(user, topic, post_number)
    response = Response(pixel.GIF, mimetype="image/gif")
    response.headers["Cache-Control"] = "no-store"
    return response
