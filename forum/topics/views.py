"""HTML pages for topics and posts: the latest list, the topic page with its permalinks, and
the forms that write (new topic, reply, edit, delete and restore, moderation, preview).

Reads go through :mod:`forum.topics.queries` and writes through :mod:`forum.topics.services`,
the functions the JSON API calls too, so a page and its ``.json`` twin always agree. When a
service refuses a form, the form is shown again with the messages and everything the person
typed. Visitors who try to write are sent to sign in and brought back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from forum.attachments import queries as attachment_queries
from forum.attachments import services as attachments
from forum.categories.views import page_arg, visible_category_map
from forum.errors import ForumError, InvalidAccess, InvalidParameters, NotFound, ValidationFailed
from forum.notifications.service import unreachable_mentions
from forum.page_cache import cache_for_visitors
from forum.permissions import can
from forum.plugin_system import slot
from forum.reading.queries import list_context as reading_list_context
from forum.rendering import cook
from forum.topics import queries, services
from forum.topics.models import Post, Topic
from forum.validation import clean_text, parse_int

bp = Blueprint("topics", __name__)

#: Form values that switch a topic flag on or off.
_TRUE, _FALSE = {"1", "true", "on", "yes"}, {"0", "false", "off", "no", ""}
FLAG_MESSAGES = {
    ("pinned", True): "Topic pinned: it now shows at the top of its lists.",
    ("pinned", False): "Topic unpinned.",
    ("closed", True): "Topic closed: it no longer accepts replies.",
    ("closed", False): "Topic opened again for replies.",
    ("archived", True): "Topic archived: it is now read-only.",
    ("archived", False): "Topic unarchived.",
}


# -- URLs -----------------------------------------------------------------------------------


@bp.app_template_global()
def topic_url(topic: Topic, page: int | None = None) -> str:
    """The canonical URL of a topic page, ``/t/{slug}/{id}`` (``?page=N`` after the first)."""
    page = page if page and page > 1 else None
    return url_for("topics.show", slug=topic.slug, topic_id=topic.id, page=page)


@bp.app_template_global()
def post_url(topic: Topic, post_number: int) -> str:
    """A post's permalink, ``/t/{slug}/{id}/{n}#post-{n}`` (the anchor scrolls without JS).

    Built from the topic's URL, made once per request: a topic page asks for dozens."""
    cache = g.setdefault("topic_base_urls", {})
    key = (topic.id, topic.slug)
    base = cache.get(key)
    if base is None:
        base = cache[key] = url_for("topics.show", slug=topic.slug, topic_id=topic.id)
    return f"{base}/{post_number}#post-{post_number}"


def _sign_in(next_url: str):
    """Visitors who try to write go to sign in, and come back to ``next_url``."""
    return redirect(url_for("accounts.login", next=next_url))


def _next_here() -> str:
    """This page's path and query, to come back to after signing in (for GET requests;
    after a refused POST the caller names the page the form was on)."""
    return request.full_path.rstrip("?")


# -- Latest ---------------------------------------------------------------------------------


@bp.get("/")
@cache_for_visitors
def latest():
    """The home page: topics from every visible category, pinned first, newest activity next."""
    g.nav_active = "core.latest"
    page = page_arg()
    user = current_user._get_current_object()
    result = queries.latest_topics(user, page=page - 1)
    return render_template(
        "topics/latest.html",
        topics=result.topics,
        badges=slot("topic_list_badges", topics=result.topics, user=user) if result.topics else {},
        page=page,
        has_more=result.has_more,
        can_create=bool(_creatable_categories()),
        **reading_list_context(user, result.topics),
    )


def _creatable_categories() -> list:
    if not current_user.is_authenticated:
        return []
    return [
        c for c in visible_category_map().values() if can(current_user, "category.create_topic", c)
    ]


# -- The topic page -------------------------------------------------------------------------


@dataclass
class PostView:
    """One post as the topic page shows it, with what the viewer may do to it."""

    post: Post
    hidden: bool  # deleted, and the viewer is not staff: show a placeholder
    reply_to: Post | None = None
    replies: list[tuple[int, str]] = field(default_factory=list)
    can_edit: bool = False
    can_delete: bool = False
    can_restore: bool = False
    can_attach: bool = False
    attachments: list = field(default_factory=list)
    actions: list = field(default_factory=list)


@bp.get("/t/<int:topic_id>")
def show_by_id(topic_id):
    topic = queries.get_topic(current_user, topic_id)
    return redirect(topic_url(topic, page_arg()), 301)


@bp.get("/t/<slug>/<int:topic_id>")
@cache_for_visitors
def show(slug, topic_id):
    topic = queries.get_topic(current_user, topic_id)
    page = page_arg()
    if slug != topic.slug:
        return redirect(topic_url(topic, page), 301)
    return _topic_page(topic, page)


@bp.get("/t/<int:topic_id>/<int:post_number>")
def permalink_by_id(topic_id, post_number):
    """The form quotes in cooked HTML link to; redirects to the canonical permalink."""
    topic = queries.get_topic(current_user, topic_id)
    return redirect(post_url(topic, post_number), 301)


@bp.get("/t/<slug>/<int:topic_id>/<int:post_number>")
@cache_for_visitors
def permalink(slug, topic_id, post_number):
    """The page of the topic that holds post ``post_number``."""
    topic = queries.get_topic(current_user, topic_id)
    if slug != topic.slug:
        return redirect(post_url(topic, post_number), 301)
    return _topic_page(topic, queries.post_page(post_number), focus=post_number)


def _topic_page(topic: Topic, page: int, focus: int | None = None):
    """Render one page of a topic. The number of SQL queries does not depend on how many
    posts the page holds: posts come with their authors in one query, the posts they answer
    in at most one more, and the lists of replies in at most one more."""
    user = current_user
    staff = bool(user.is_authenticated and user.is_active and user.is_staff)
    window = queries.topic_posts(user, topic, page=page)
    on_page = {p.post_number: p for p in window.posts}
    off_page = {
        p.reply_to_post_number
        for p in window.posts
        if p.reply_to_post_number and p.reply_to_post_number not in on_page
    }
    targets = {**on_page, **queries.posts_by_numbers(topic, off_page)}
    replies = queries.replies_to(
        user, topic, [p.post_number for p in window.posts if p.reply_count]
    )
    views = []
    for post in window.posts:
        hidden = post.deleted_at is not None and not staff
        view = PostView(post=post, hidden=hidden)
        if not hidden:
            view.reply_to = targets.get(post.reply_to_post_number)
            view.replies = replies.get(post.post_number, [])
            view.can_edit = can(user, "post.edit", post) and post.deleted_at is None
            view.can_delete = can(user, "post.delete", post) and post.deleted_at is None
            view.can_restore = staff and post.deleted_at is not None
        views.append(view)
    _add_plugin_parts(user, topic, views)
    can_moderate = can(user, "topic.moderate", topic)
    can_reply = can(user, "topic.reply", topic)
    move_targets = []
    if can_moderate:
        move_targets = [c for c in visible_category_map().values() if c.id != topic.category_id]
    topic_id = topic.id
    html = render_template(
        "topics/show.html",
        topic=topic,
        category=topic.category,
        parent=visible_category_map().get(topic.category.parent_id)
        if topic.category.parent_id
        else None,
        posts=views,
        page=window.page,
        total_pages=window.total_pages,
        focus=focus if focus in on_page else None,
        can_reply=can_reply,
        reply_notice=None if can_reply else _topic_reply_notice(topic),
        can_moderate=can_moderate,
        move_targets=move_targets,
        staff=staff,
        panels=slot("topic_panels", topic=topic, user=user._get_current_object()),
        # The reply box links to the full composer for attachments: listing every type's
        # choices here would cost each topic page their queries.
        can_attach=can_reply and bool(attachments.usable_types(topic.category)),
    )
    services.record_view(topic_id)  # after rendering: it commits, which expires objects
    return html


def _add_plugin_parts(user, topic: Topic, views: list[PostView]) -> None:
    """Attachments and plugin actions for the posts shown, each in one batch for the page."""
    user = user._get_current_object()
    shown = [view for view in views if not view.hidden]
    if not shown:
        return
    posts = [view.post for view in shown]
    found = attachment_queries.for_posts(user, posts)
    actions = slot("post_actions", posts=posts, topic=topic, user=user)
    attachable = bool(attachments.usable_types(topic.category))
    for view in shown:
        view.attachments = found.get(view.post.id, [])
        view.actions = actions.get(view.post.id, [])
        view.can_attach = attachable and view.can_edit


_NO_ATTACH = {"attach_kinds": [], "attach_options": {}}


def _attach_choices(category) -> dict:
    """What the composer offers to attach in ``category``: the usable attachment types and
    the picker choices of those that list them."""
    kinds = attachments.usable_types(category)
    user = current_user._get_current_object()
    return {
        "attach_kinds": kinds,
        "attach_options": attachment_queries.choices(user, category, kinds),
    }


# -- New topic ------------------------------------------------------------------------------


@dataclass
class Preview:
    """Composer preview: ``cooked`` is the sanitizer's output, exactly as a post would store."""

    cooked: str


def _preview(raw: str) -> Preview | None:
    if not raw.strip():
        return None
    raw = services.clean_body(raw)
    return Preview(cook(raw, services.lookup_mentions).html)


def _wants_preview() -> bool:
    return request.form.get("action") == "preview"


@bp.route("/new-topic", methods=["GET", "POST"])
def new_topic():
    """Start a topic: a title, a category among those the user may post in, and a body."""
    if not current_user.is_authenticated:
        return _sign_in(_next_here() if request.method == "GET" else url_for(".new_topic"))
    choices = _creatable_categories()
    form = {
        **_plugin_fields(request.form),
        "title": request.form.get("title", ""),
        "raw": request.form.get("raw", ""),
        "category": request.values.get("category", ""),
    }
    if request.method == "GET" or request.form.get("action") == "category":
        # A changed category redraws the form with that category's extras; nothing is saved.
        return _new_topic_form(form, choices)
    errors, preview, status = [], None, 200
    try:
        if _wants_preview():
            preview = _preview(form["raw"])
        else:
            category = _chosen_category(form["category"])
            post = services.create_topic(
                current_user,
                title=form["title"],
                raw=form["raw"],
                category=category,
                attach=attachments.refs_from_form(request.form),
                form=form,
            )
            flash("Your topic is posted.", "success")
            _warn_unreachable(post)
            return redirect(topic_url(post.topic), 303)
    except ForumError as error:
        errors, status = _form_messages(error, "category"), error.status
    return _new_topic_form(form, choices, errors=errors, preview=preview, status=status)


def _warn_unreachable(post: Post) -> None:
    names = unreachable_mentions(post)
    if names:
        listed = ", ".join("@" + n for n in names)
        flash(
            f"{listed} cannot see this topic, so {'was' if len(names) == 1 else 'were'} not "
            "notified.",
            "warning",
        )


def _plugin_fields(submitted) -> dict[str, str]:
    """The submitted fields that are not the core's own (plugins' composer extras and
    attachment pickers), first value of each, to hand to hooks and redraw the form."""
    core = {"title", "raw", "category", "csrf_token", "action", "reply_to_post_number"}
    return {name: value for name, value in submitted.items() if name not in core}


def _new_topic_form(form, choices, *, errors=(), preview=None, status=200):
    if not choices and not errors:
        errors, status = ["You cannot start topics in any category yet."], 403
    category = _selected_category(form["category"], choices)
    extras, attach = [], _NO_ATTACH
    if category is not None:
        user = current_user._get_current_object()
        extras = slot("composer_extras", category=category, user=user, form=form)
        attach = _attach_choices(category)
    return (
        render_template(
            "topics/new_topic.html",
            form=form,
            choices=choices,
            category=category,
            extras=extras,
            errors=errors,
            preview=preview,
            **attach,
        ),
        status,
    )


def _selected_category(value, choices):
    """The category chosen so far among ``choices``, or ``None``."""
    by_id = {str(c.id): c for c in choices}
    return by_id.get(value.strip()) if isinstance(value, str) else None


def _chosen_category(value):
    category_id = parse_int(value, "category", minimum=1)
    if category_id is None:
        raise ValidationFailed("Choose a category for your topic.")
    return queries.get_category(current_user, category_id)


def _form_messages(error: ForumError, what: str) -> list[str]:
    """A service's messages, with "not found" reworded for a form (the thing chosen or
    referred to, not the page, is missing)."""
    if isinstance(error, NotFound):
        return [f"That {what} does not exist or you cannot use it. Please choose another."]
    return list(error.messages)


# -- Replies --------------------------------------------------------------------------------


def _quote_text(post: Post) -> str:
    """Discourse's quote markup for the whole of ``post``."""
    return (
        f'[quote="{post.user.username}, post:{post.post_number}, topic:{post.topic_id}"]\n'
        f"{post.raw.strip()}\n[/quote]\n\n"
    )


@bp.route("/t/<int:topic_id>/reply", methods=["GET", "POST"])
def reply(topic_id):
    """Reply to a topic, or to one post in it (``reply_to``), optionally quoting a post."""
    topic = queries.get_topic(current_user, topic_id)
    if not current_user.is_authenticated:
        return _sign_in(_next_here() if request.method == "GET" else topic_url(topic))
    if request.method == "GET":
        reply_to = parse_int(request.args.get("reply_to"), "reply_to", minimum=1)
        quote = parse_int(request.args.get("quote"), "quote", minimum=1)
        raw = ""
        if quote is not None:
            raw = _quote_text(queries.get_post_by_number(current_user, topic, quote))
            reply_to = reply_to or quote
        form = {"raw": raw, "reply_to_post_number": reply_to}
        return _reply_form(topic, form)
    form = {
        **_plugin_fields(request.form),
        "raw": request.form.get("raw", ""),
        "reply_to_post_number": request.form.get("reply_to_post_number", ""),
    }
    errors, preview, status = [], None, 200
    try:
        if _wants_preview():
            preview = _preview(form["raw"])
        else:
            number = parse_int(form["reply_to_post_number"], "reply_to_post_number", minimum=1)
            post = services.create_reply(
                current_user,
                topic,
                raw=form["raw"],
                reply_to_post_number=number,
                attach=attachments.refs_from_form(request.form),
            )
            _warn_unreachable(post)
            return redirect(post_url(topic, post.post_number), 303)
    except ForumError as error:
        errors, status = _form_messages(error, "post"), error.status
    return _reply_form(topic, form, errors=errors, preview=preview, status=status)


def _reply_form(topic: Topic, form, *, errors=(), preview=None, status=200):
    number = form.get("reply_to_post_number")
    replying_to = None
    if isinstance(number, int) or (isinstance(number, str) and number.isdigit()):
        found = queries.posts_by_numbers(topic, {int(number)}) if int(number) < 2**62 else {}
        replying_to = found.get(int(number))
        if replying_to is not None and not can(current_user, "post.see", replying_to):
            replying_to = None
    blocked = None
    if not can(current_user, "topic.reply", topic):
        blocked = _reply_blocked_message(topic)
        status = status if errors else 403
    return (
        render_template(
            "topics/reply.html",
            topic=topic,
            form=form,
            replying_to=replying_to,
            errors=errors,
            preview=preview,
            blocked=blocked,
            **(_NO_ATTACH if blocked else _attach_choices(topic.category)),
        ),
        status,
    )


def _topic_reply_notice(topic: Topic) -> str | None:
    """Why the topic page shows no reply box (visitors get a sign-in button instead)."""
    if not current_user.is_authenticated and not (topic.closed or topic.archived):
        return None
    return _reply_blocked_message(topic)


def _reply_blocked_message(topic: Topic) -> str:
    if topic.archived:
        return "This topic is archived; it can no longer be replied to."
    if topic.closed:
        return "This topic is closed; it no longer accepts replies."
    if not current_user.is_authenticated:
        return "Please sign in to reply."
    return "You can read this category but not reply in it."


# -- Editing and history --------------------------------------------------------------------


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id):
    """Edit a post's text (and its topic's title, for a first post), with a reason."""
    post = queries.get_post(current_user, post_id)
    topic = post.topic
    if not current_user.is_authenticated:
        return _sign_in(_next_here() if request.method == "GET" else post_url(topic, 1))
    if not can(current_user, "post.edit", post):
        raise InvalidAccess("You are not allowed to edit that post.")
    first = post.post_number == 1
    if request.method == "GET":
        form = {"raw": post.raw, "title": topic.title if first else None, "edit_reason": ""}
        return _edit_form(post, form)
    form = {
        "raw": request.form.get("raw", ""),
        "title": request.form.get("title", "") if first else None,
        "edit_reason": request.form.get("edit_reason", ""),
    }
    errors, preview, status = [], None, 200
    post_number = post.post_number
    try:
        if _wants_preview():
            preview = _preview(form["raw"])
        else:
            services.edit_post(
                current_user,
                post,
                raw=form["raw"],
                title=form["title"],
                edit_reason=form["edit_reason"],
            )
            flash("Your changes are saved.", "success")
            return redirect(post_url(topic, post_number), 303)
    except ForumError as error:
        errors, status = list(error.messages), error.status
    return _edit_form(post, form, errors=errors, preview=preview, status=status)


def _edit_form(post: Post, form, *, errors=(), preview=None, status=200):
    return (
        render_template(
            "topics/edit.html",
            post=post,
            topic=post.topic,
            form=form,
            errors=errors,
            preview=preview,
        ),
        status,
    )


@dataclass
class Version:
    """One version of a post on the history page."""

    number: int
    raw: str
    title: str | None
    author: object
    reason: str | None
    at: object
    current: bool


@bp.get("/posts/<int:post_id>/revisions")
def revisions(post_id):
    """Every version of a post, newest first: text, who wrote it, why and when."""
    post = queries.get_post(current_user, post_id)
    topic = post.topic
    revs = queries.post_revisions(post)
    versions = []
    # Revision k holds the text that version k had; the edit that replaced it is recorded
    # on the same row (editor, reason, time) and produced version k + 1.
    for index, rev in enumerate(revs):
        made_by = revs[index - 1] if index else None
        versions.append(
            Version(
                number=rev.version,
                raw=rev.raw,
                title=rev.title,
                author=made_by.editor if made_by else post.user,
                reason=made_by.reason if made_by else None,
                at=made_by.created_at if made_by else post.created_at,
                current=False,
            )
        )
    last = revs[-1] if revs else None
    versions.append(
        Version(
            number=post.version,
            raw=post.raw,
            title=topic.title if post.post_number == 1 and any(r.title for r in revs) else None,
            author=last.editor if last else post.user,
            reason=last.reason if last else None,
            at=last.created_at if last else post.created_at,
            current=True,
        )
    )
    versions.reverse()
    return render_template("topics/revisions.html", post=post, topic=topic, versions=versions)


# -- Delete and restore ---------------------------------------------------------------------


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
def delete_post(post_id):
    """GET asks for confirmation; POST deletes (softly: staff can restore it)."""
    post = queries.get_post(current_user, post_id)
    topic = post.topic
    if not current_user.is_authenticated:
        return _sign_in(post_url(topic, post.post_number))
    if request.method == "GET":
        services.check_delete(current_user, post)
        return render_template("topics/confirm.html", post=post, topic=topic, action="delete")
    post_number, first = post.post_number, post.post_number == 1
    services.delete_post(current_user, post)
    if first:
        flash("The topic is deleted.", "success")
        if not can(current_user, "topic.see", topic):
            return redirect(url_for("topics.latest"), 303)
    else:
        flash(f"Post #{post_number} is deleted.", "success")
    return redirect(post_url(topic, post_number), 303)


@bp.route("/posts/<int:post_id>/restore", methods=["GET", "POST"])
def restore_post(post_id):
    """GET asks for confirmation; POST restores a deleted post (staff only)."""
    post = queries.get_post(current_user, post_id)
    topic = post.topic
    if not current_user.is_authenticated:
        return _sign_in(post_url(topic, post.post_number))
    if request.method == "GET":
        services.check_restore(current_user, post)
        return render_template("topics/confirm.html", post=post, topic=topic, action="restore")
    post_number = post.post_number
    services.restore_post(current_user, post)
    flash(f"Post #{post_number} is restored.", "success")
    return redirect(post_url(topic, post_number), 303)


# -- Moderation -----------------------------------------------------------------------------


@bp.post("/t/<int:topic_id>/status")
def set_status(topic_id):
    """Pin, close or archive a topic, or undo it (``flag`` and ``enabled``)."""
    topic = queries.get_topic(current_user, topic_id)
    if not current_user.is_authenticated:
        return _sign_in(topic_url(topic))
    flag = request.form.get("flag", "")
    enabled = request.form.get("enabled", "").strip().lower()
    if enabled not in _TRUE | _FALSE:
        raise InvalidParameters("enabled", "use true or false")
    services.set_topic_flag(current_user, topic, flag, enabled in _TRUE)
    flash(FLAG_MESSAGES[(flag, enabled in _TRUE)], "success")
    return redirect(topic_url(topic), 303)


@bp.post("/t/<int:topic_id>/move")
def move(topic_id):
    """Move a topic to another category."""
    topic = queries.get_topic(current_user, topic_id)
    if not current_user.is_authenticated:
        return _sign_in(topic_url(topic))
    category_id = parse_int(request.form.get("category_id"), "category_id", minimum=1)
    category = queries.get_category(current_user, category_id) if category_id else None
    services.move_topic(current_user, topic, category)
    flash(f"Topic moved to {topic.category.name}.", "success")
    return redirect(topic_url(topic), 303)


# -- Composer preview -----------------------------------------------------------------------


@bp.post("/posts/preview")
def preview():
    """The cooked HTML for ``raw`` (a fragment for the composer's preview; nothing is saved).

    The fragment is the sanitizer's output, the same as a stored post's ``cooked``. Errors
    come back as plain text for the script to show with ``textContent``.
    """
    if not current_user.is_authenticated:
        return _plain("Please sign in to preview your post.", 403)
    try:
        raw = clean_text(request.form.get("raw", ""), "raw", required=False)
        result = _preview(raw)
    except ForumError as error:
        return _plain(" ".join(error.messages), error.status)
    return Response(result.cooked if result else "", mimetype="text/html")


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain")
