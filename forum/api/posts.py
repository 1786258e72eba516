"""Single posts: read one, create a topic or reply (``POST /posts``), edit (``PUT /posts/{id}``).

Writes are served with and without ``.json`` (Discourse clients call them without) and take
form, multipart or JSON bodies (:mod:`forum.api.params`). Everything is decided by
:mod:`forum.topics.services`; this module only maps parameters in and the post out:

* ``POST`` answers the new post at the root (``{"post": ...}`` with ``nested_post=true``);
  a validation failure is 422 ``{"action": "create_post", "errors": [...]}``, a missing
  ``raw`` 400 ``param is missing or the value is empty: raw``.
* ``PUT`` answers ``{"post": ...}``; 400 when ``post`` is missing, 422 ``{"errors": [...]}``
  when validation fails.
"""

from __future__ import annotations

from flask import jsonify

from forum.api import bp
from forum.api.categories import category_json
from forum.api.params import bool_param, int_param, request_params, text_list, text_param
from forum.api.serializers import serialize_post
from forum.api.topics import replied_posts, viewer
from forum.attachments import queries as attachment_queries
from forum.attachments import services as attachments
from forum.bootstrap import default_category
from forum.errors import (
    InvalidAccess,
    InvalidParameters,
    MissingParameter,
    NotLoggedIn,
    ValidationFailed,
)
from forum.page_cache import cache_for_visitors
from forum.permissions import can
from forum.topics import queries, services
from forum.validation import clean_text

CREATE_POST = "create_post"


def _plugin_params(params: dict) -> dict[str, str]:
    """The plain parameters as text, for plugins' ``topic_created`` (their composer fields,
    ``<name>-<field>``, may be sent to the API as well): JSON ``true``/``false`` become
    ``"true"``/``"false"`` and numbers their digits, as a form would send them."""
    plain = {}
    for key, value in params.items():
        if isinstance(value, bool):
            plain[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            plain[key] = str(value)
    return plain


def require_login(user) -> None:
    """Writes need a user; checked before any parameter so the answer is ``not_logged_in``."""
    if not user.is_authenticated:
        raise NotLoggedIn()


def post_json(post, user, *, include_raw: bool = True) -> dict:
    topic = post.topic
    replied = replied_posts(topic, [post]) if post.reply_to_post_number else {}
    return serialize_post(
        post,
        user,
        topic=topic,
        reply_to=replied.get(post.reply_to_post_number),
        include_raw=include_raw,
        attachments=attachment_queries.for_posts(user, [post]).get(post.id, []),
    )


@bp.get("/posts/<id:post_id>.json")
@cache_for_visitors
def show_post(post_id: int):
    """A single post at the root, with ``raw``."""
    user = viewer()
    return jsonify(post_json(queries.get_post(user, post_id), user))


@bp.get("/posts/by_number/<id:topic_id>/<id:post_number>.json")
def post_by_number(topic_id: int, post_number: int):
    user = viewer()
    topic = queries.get_topic(user, topic_id)
    return jsonify(post_json(queries.get_post_by_number(user, topic, post_number), user))


@bp.post("/posts")
@bp.post("/posts.json")
def create_post():
    """A new topic when there is no ``topic_id`` (``title`` required, ``category`` optional),
    otherwise a reply (``reply_to_post_number`` optional)."""
    user = viewer()
    require_login(user)
    params = request_params()
    raw = clean_text(text_param(params, "raw"), "raw")  # 400 before anything else, as Rails
    topic_id = int_param(params, "topic_id", minimum=1)
    nested = bool_param(params, "nested_post")  # parsed before writing, like every parameter
    archetype = params.get("archetype")
    try:
        # "attachments[]=meetings.meeting:3": objects to attach, as in the composer.
        attach = attachments.refs_from_strings(text_list(params, "attachments"))
        if archetype not in (None, "", "regular"):
            # Never turn a private message into a public topic.
            raise ValidationFailed("Private messages are not available on this forum.")
        if topic_id is None:
            category_id = int_param(params, "category", minimum=1)
            if category_id is None:
                category = default_category()
            else:
                category = queries.get_category(user, category_id)
            post = services.create_topic(
                user,
                title=text_param(params, "title"),
                raw=raw,
                category=category,
                attach=attach,
                form=_plugin_params(params),
            )
        else:
            # 0 and "" mean "not a reply to a particular post", as in Discourse.
            reply_to = int_param(params, "reply_to_post_number", minimum=0) or None
            topic = queries.get_topic(user, topic_id)
            post = services.create_reply(
                user, topic, raw=raw, reply_to_post_number=reply_to, attach=attach
            )
    except ValidationFailed as error:
        error.action = CREATE_POST
        raise
    body = post_json(post, user)
    body["draft_sequence"] = 0
    if nested:
        return jsonify({"post": body})
    return jsonify(body)


@bp.put("/posts/<id:post_id>")
@bp.put("/posts/<id:post_id>.json")
def update_post(post_id: int):
    """Edit a post: ``post[raw]`` (required), ``post[edit_reason]``, and for a first post
    ``title`` and ``post[category_id]`` (moving needs a moderator)."""
    user = viewer()
    require_login(user)
    params = request_params()
    fields = params.get("post")
    if fields is None or fields == "" or fields == {}:
        raise MissingParameter("post")
    if not isinstance(fields, dict):
        raise InvalidParameters("post")
    post = queries.get_post(user, post_id)
    title = text_param(params, "title")
    if title is None:
        title = text_param(fields, "title")
    topic = post.topic
    category = None
    category_id = int_param(fields, "category_id", minimum=1)
    if category_id is not None and post.post_number == 1 and category_id != topic.category_id:
        category = queries.get_category(user, category_id)
        if not can(user, "topic.moderate", topic):
            # Refused before the text is saved, so an edit is never half applied.
            raise InvalidAccess("Only moderators can move topics.")
    post = services.edit_post(
        user,
        post,
        raw=text_param(fields, "raw"),
        title=title,
        edit_reason=text_param(fields, "edit_reason"),
    )
    if category is not None:
        services.move_topic(user, post.topic, category)
    body = {"post": post_json(post, user)}
    if category is not None:
        body["category"] = category_json(category, user)
    return jsonify(body)
