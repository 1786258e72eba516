"""Reading state in the JSON API (Discourse's routes and shapes):

* ``POST /topics/timings`` — ``topic_id``, ``topic_time`` and ``timings[<post number>]=<ms>``
  (form or JSON body): records the highest post number sent as read. The topic page's
  script sends it, with the session's CSRF token.
* ``GET /new.json`` and ``GET /unread.json`` — the ``/latest.json`` shape.
* ``PUT /topics/reset-new`` — "Dismiss new".
* ``PUT /topics/bulk`` with ``filter=unread`` (or ``topic_ids[]``) and
  ``operation[type]=dismiss_posts`` — "Mark all read".

The routes are added to the API blueprint (this module is imported by
:mod:`forum.reading.views`, before any app registers that blueprint), so errors come in the
API's dialect and a write without any credentials is answered 403 ``not_logged_in`` like the
API's own. Visitors get 403 ``not_logged_in``; topics they cannot see, 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, jsonify

from forum.api import bp
from forum.api.params import int_list, int_param, query_params, request_params, text_param
from forum.api.serializers import can_create_any_topic, serialize_topic_list
from forum.api.topics import MAX_LIST_PAGE, viewer
from forum.errors import InvalidParameters, MissingParameter, NotLoggedIn
from forum.permissions import category_levels
from forum.reading import marks
from forum.reading.queries import NEW, UNREAD, signed_in, states, topic_list
from forum.topics import queries
from forum.validation import parse_int

#: Most posts one timings request may report (a page shows 20; a long read a few hundred).
MAX_TIMINGS = 500
#: Longest time, in milliseconds, one post or the whole visit may report (a day).
MAX_MILLISECONDS = 24 * 3600 * 1000


def signed_in_viewer():
    user = viewer()
    if not signed_in(user):
        raise NotLoggedIn()
    return user


def _milliseconds(value, name: str) -> int:
    number = parse_int(value, name, required=True, minimum=0)
    if number > MAX_MILLISECONDS:
        raise InvalidParameters(name, f"at most {MAX_MILLISECONDS} milliseconds")
    return number


def parse_timings(params: dict) -> int:
    """The highest post number in ``timings`` (``{"<post number>": <ms>, ...}``), after
    checking every key and value; 400 for anything that is not a small list of numbers."""
    timings = params.get("timings")
    if timings is None or timings == "" or timings == {}:
        raise MissingParameter("timings")
    if not isinstance(timings, dict):
        raise InvalidParameters("timings", "expected timings[<post number>]=<milliseconds>")
    if len(timings) > MAX_TIMINGS:
        raise InvalidParameters("timings", f"at most {MAX_TIMINGS} posts at a time")
    highest = 0
    for key, value in timings.items():
        label = f"timings[{str(key)[:20]}]"
        number = parse_int(key, label, required=True, minimum=1)
        _milliseconds(value, label)
        highest = max(highest, number)
    return highest


@bp.post("/topics/timings.json")
@bp.post("/topics/timings")  # innermost: url_for gives this one
def timings():
    user = signed_in_viewer()
    params = request_params()
    topic_id = int_param(params, "topic_id", required=True, minimum=1)
    if params.get("topic_time") is not None:
        _milliseconds(params.get("topic_time"), "topic_time")
    highest = parse_timings(params)
    topic = queries.get_topic(user, topic_id)
    marks.record_read(user, topic, highest)
    return jsonify({"success": "OK"})


def reading_list_response(which: str, base_path: str):
    """``/new.json`` or ``/unread.json``: the ``/latest.json`` shape, newest activity
    first, ``page`` from 0."""
    user = signed_in_viewer()
    page = int_param(query_params(), "page", minimum=0) or 0
    per_page = current_app.config["TOPICS_PER_PAGE"]
    topics, has_more = [], False
    if page <= MAX_LIST_PAGE:
        result = topic_list(user, which, page=page, per_page=per_page)
        topics, has_more = result.topics, result.has_more
    more_url = f"{base_path}?{urlencode({'page': page + 1})}" if has_more else None
    body = serialize_topic_list(
        topics,
        can_create_topic=can_create_any_topic(user, category_levels(user)),
        per_page=per_page,
        more_url=more_url,
        reading=states(user, topics),
    )
    return jsonify(body)


@bp.get("/new.json")
def new_topics():
    return reading_list_response(NEW, "/new")


@bp.get("/unread.json")
def unread_topics():
    return reading_list_response(UNREAD, "/unread")


@bp.route("/topics/reset-new.json", methods=["PUT", "POST"])
@bp.route("/topics/reset-new", methods=["PUT", "POST"])
def reset_new():
    """Dismiss new: only topics created from now on are new."""
    user = signed_in_viewer()
    marks.dismiss_new(user)
    return jsonify({"success": "OK"})


@bp.route("/topics/bulk.json", methods=["PUT", "POST"])
@bp.route("/topics/bulk", methods=["PUT", "POST"])
def bulk():
    """Discourse's bulk topic actions; only ``dismiss_posts`` (mark read) is supported,
    for the Unread list (``filter=unread``) or some of its topics (``topic_ids[]``)."""
    user = signed_in_viewer()
    params = request_params()
    operation = params.get("operation")
    kind = text_param(operation, "type") if isinstance(operation, dict) else None
    if not kind:
        raise MissingParameter("operation[type]")
    if kind != "dismiss_posts":
        raise InvalidParameters("operation[type]", "only dismiss_posts is supported")
    filter_ = text_param(params, "filter")
    # Ids no row can have (the id columns are 32-bit) are left out, not sent to the driver.
    topic_ids = [i for i in int_list(params, "topic_ids", minimum=1) if i < 2**31]
    if filter_ not in (None, "", UNREAD):
        raise InvalidParameters("filter", "only unread is supported")
    chosen = "topic_ids" in params
    if filter_ != UNREAD and not chosen:
        raise MissingParameter("filter")
    ids = marks.mark_all_read(user, topic_ids if chosen else None)
    return jsonify({"topic_ids": ids})
