"""Plain-dict views of our models in Discourse's JSON shapes (discourse.md §4.4).

Explicit functions, one per shape, so every field a client reads is visible here. None of them
queries per item: callers load what is needed first (users are joined onto posts and topics;
"in reply to" posts come from :func:`forum.topics.queries.posts_by_numbers`; permission checks
use the per-request category levels), so a page of 20 posts costs the same number of queries
as a page of 3.

Fields Discourse has but we do not (likes, reads, badges, tags, trust levels) are sent with
neutral values, because clients index into them without checking.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import escape

from forum.attachments.queries import as_json as attachments_json
from forum.attachments.queries import for_posts as attachments_for
from forum.bootstrap import UNCATEGORIZED
from forum.categories.models import CREATE
from forum.permissions import can
from forum.templating import iso

REGULAR_POST = 1
REGULAR_NOTIFICATIONS = 1
MAX_PARTICIPANTS = 24


def timestamp(value) -> str | None:
    """ISO 8601 UTC with milliseconds, or ``null`` (Discourse never sends an empty string)."""
    return iso(value) if value is not None else None


def avatar_template(user) -> str:
    """Where a client fetches the avatar; ``{size}`` is replaced by the client."""
    return f"/letter_avatar/{user.username_lower}/{{size}}/1.svg"


def trust_level(user) -> int:
    """We use groups rather than trust levels: staff are "leaders", members "basic"."""
    if user.is_staff:
        return 4
    return 1 if user.is_active else 0


def serialize_basic_user(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name or None,
        "avatar_template": avatar_template(user),
    }


def _is_viewer(viewer, user_id) -> bool:
    return bool(viewer.is_authenticated and viewer.id == user_id)


def serialize_post(
    post, viewer, *, topic, reply_to=None, include_raw: bool = False, attachments=()
) -> dict:
    """A post as in ``post_stream.posts`` (no ``raw`` unless ``include_raw``).

    ``reply_to`` is the post answered (for ``reply_to_user``), when known. ``attachments``
    (the post's :class:`~forum.attachments.queries.ShownAttachment` values) are added under
    one key per plugin (``"sla": [...]``).
    """
    user = post.user
    deleted = post.deleted_at is not None
    data = {
        "id": post.id,
        "name": user.name or None,
        "username": user.username,
        "avatar_template": avatar_template(user),
        "created_at": timestamp(post.created_at),
        "cooked": post.cooked,
        "post_number": post.post_number,
        "post_type": REGULAR_POST,
        "updated_at": timestamp(post.updated_at),
        "reply_count": post.reply_count,
        "reply_to_post_number": post.reply_to_post_number,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 0,
        "readers_count": 0,
        "score": 0,
        "yours": _is_viewer(viewer, post.user_id),
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "display_username": user.name or None,
        "primary_group_name": None,
        "flair_name": None,
        "version": post.version,
        "can_edit": can(viewer, "post.edit", post),
        "can_delete": not deleted and can(viewer, "post.delete", post),
        "can_recover": deleted and bool(viewer.is_authenticated and viewer.is_staff),
        "can_see_hidden_post": False,
        "can_wiki": False,
        "user_title": None,
        "bookmarked": False,
        "actions_summary": [],
        "moderator": user.is_moderator,
        "admin": user.is_admin,
        "staff": user.is_staff,
        "user_id": user.id,
        "hidden": False,
        "trust_level": trust_level(user),
        "deleted_at": timestamp(post.deleted_at),
        "user_deleted": False,
        "edit_reason": post.edit_reason,
        "can_view_edit_history": True,
        "wiki": False,
    }
    if reply_to is not None:
        data["reply_to_user"] = {
            "username": reply_to.user.username,
            "name": reply_to.user.name or None,
            "avatar_template": avatar_template(reply_to.user),
        }
    if include_raw:
        data["raw"] = post.raw
    if attachments:
        for plugin, items in attachments_json(attachments).items():
            data.setdefault(plugin, items)  # never overwrite a Discourse field
    return data


def serialize_posts(posts, viewer, *, topic, replied: dict, include_raw: bool = False) -> list:
    """``replied`` maps post numbers to posts (the window itself plus any looked up).
    Attachments of all the posts are loaded in one batch."""
    found = attachments_for(viewer, posts)
    return [
        serialize_post(
            post,
            viewer,
            topic=topic,
            reply_to=replied.get(post.reply_to_post_number),
            include_raw=include_raw,
            attachments=found.get(post.id, ()),
        )
        for post in posts
    ]


def _participants(posts) -> list[dict]:
    """Who wrote the posts shown, most posts first (counted within the posts shown)."""
    counts = Counter(post.user_id for post in posts)
    users = {post.user_id: post.user for post in posts}
    ranked = sorted(counts, key=lambda uid: (-counts[uid], uid))[:MAX_PARTICIPANTS]
    return [
        {
            **serialize_basic_user(users[uid]),
            "post_count": counts[uid],
            "primary_group_name": None,
            "trust_level": trust_level(users[uid]),
            "admin": users[uid].is_admin,
            "moderator": users[uid].is_moderator,
        }
        for uid in ranked
    ]


def _topic_common(topic) -> dict:
    """Fields a topic has both in lists and in the topic view."""
    return {
        "id": topic.id,
        "title": topic.title,
        "fancy_title": str(escape(topic.title)),
        "slug": topic.slug,
        "posts_count": topic.posts_count,
        "reply_count": topic.reply_count,
        "highest_post_number": topic.highest_post_number,
        "created_at": timestamp(topic.created_at),
        "last_posted_at": timestamp(topic.last_posted_at),
        "bumped": True,
        "bumped_at": timestamp(topic.bumped_at),
        "archetype": "regular",
        "pinned": topic.pinned,
        "pinned_globally": False,
        "visible": True,
        "closed": topic.closed,
        "archived": topic.archived,
        "views": topic.views,
        "like_count": 0,
        "category_id": topic.category_id,
        "tags": [],
        "deleted_at": timestamp(topic.deleted_at),
    }


def serialize_topic_view(topic, viewer, *, posts, stream, replied, chunk_size) -> dict:
    """``/t/{id}.json``: the topic, its ``details`` and one window of ``post_stream``."""
    first = next((p for p in posts if p.post_number == 1), None)
    # Editing the topic means editing its first post; when that post is not in this window,
    # only moderators are sure to be allowed.
    can_edit = can(viewer, "post.edit", first) if first else can(viewer, "topic.moderate", topic)
    last_poster = topic.last_post_user or topic.user
    data = _topic_common(topic)
    data.update(
        {
            "user_id": topic.user_id,
            "word_count": None,
            "chunk_size": chunk_size,
            "current_post_number": posts[0].post_number if posts else None,
            "last_read_post_number": None,
            "bookmarked": False,
            "has_summary": False,
            "featured_link": None,
            "tags_descriptions": {},
            "details": {
                "created_by": serialize_basic_user(topic.user),
                "last_poster": serialize_basic_user(last_poster),
                "participants": _participants(posts),
                "notification_level": REGULAR_NOTIFICATIONS,
                "can_edit": can_edit,
                "can_create_post": can(viewer, "topic.reply", topic),
                "can_reply_as_new_topic": False,
                "can_flag_topic": False,
                "can_moderate_category": can(viewer, "topic.moderate", topic),
                "can_delete": first is not None and can(viewer, "post.delete", first),
            },
            "post_stream": {
                "posts": serialize_posts(posts, viewer, topic=topic, replied=replied),
                "stream": stream,
            },
            "suggested_topics": [],
        }
    )
    return data


def topic_posters(topic) -> list[tuple[dict, object]]:
    """Discourse's ``posters``: the original poster and, if someone else, the latest one."""
    last = topic.last_post_user or topic.user
    if last.id == topic.user_id:
        both = _poster(topic.user, "Original Poster, Most Recent Poster", "latest single")
        return [(both, topic.user)]
    return [
        (_poster(topic.user, "Original Poster", None), topic.user),
        (_poster(last, "Most Recent Poster", "latest"), last),
    ]


def _poster(user, description: str, extras: str | None) -> dict:
    return {
        "extras": extras,
        "description": description,
        "user_id": user.id,
        "primary_group_id": None,
    }


def serialize_topic_list_item(topic, reading=None) -> dict:
    """One topic of a list. ``reading`` is the signed-in viewer's
    :class:`~forum.reading.queries.TopicReading` map (``None`` for visitors, who get
    Discourse's neutral values)."""
    data = _topic_common(topic)
    data.update(
        {
            "image_url": None,
            "unseen": False,
            "unpinned": None,
            "bookmarked": None,
            "liked": None,
            "has_summary": False,
            "last_poster_username": (topic.last_post_user or topic.user).username,
            "featured_link": None,
            "posters": [poster for poster, _ in topic_posters(topic)],
        }
    )
    if reading is not None:
        data.update(_reading_fields(reading.get(topic.id)))
    return data


def _reading_fields(state) -> dict:
    """Discourse's per-user fields of a listed topic (``unread`` is deprecated there: 0)."""
    if state is None:
        return {
            "unseen": False,
            "last_read_post_number": None,
            "unread": 0,
            "new_posts": 0,
            "unread_posts": 0,
            "notification_level": REGULAR_NOTIFICATIONS,
        }
    return {
        "unseen": not state.opened,
        "last_read_post_number": state.last_read,
        "unread": 0,
        "new_posts": state.new_posts,
        "unread_posts": state.unread_posts,
        "notification_level": state.level,
    }


def serialize_topic_list(
    topics, *, can_create_topic: bool, per_page: int, more_url, reading=None
) -> dict:
    """``/latest.json`` and category lists: ``users`` (every poster once) and ``topic_list``.
    ``reading``: the signed-in viewer's reading state of the topics (see
    :func:`forum.reading.queries.states`), ``None`` for visitors."""
    users: dict[int, dict] = {}
    for topic in topics:
        for _, user in topic_posters(topic):
            users.setdefault(user.id, serialize_basic_user(user))
    topic_list = {
        "can_create_topic": can_create_topic,
        "per_page": per_page,
        "top_tags": [],
        "topics": [serialize_topic_list_item(t, reading) for t in topics],
    }
    if more_url:
        topic_list["more_topics_url"] = more_url
    return {"users": list(users.values()), "primary_groups": [], "topic_list": topic_list}


def serialize_category(
    category, viewer, *, levels: dict, public_ids, children: list, description_html: str
) -> dict:
    """One category of ``/categories.json``.

    ``levels`` is the viewer's ``{category id: level}``; ``public_ids`` the categories a
    visitor who is not signed in can see (the rest are ``read_restricted``); ``children`` the
    visible subcategories.
    """
    data = {
        "id": category.id,
        "name": category.name,
        "color": category.color,
        "text_color": category.text_color,
        "slug": category.slug,
        "topic_count": category.topic_count,
        "post_count": category.post_count,
        "position": category.position,
        "description": description_html,
        "description_text": category.description,
        "description_excerpt": category.description,
        "topic_url": None,
        "read_restricted": category.id not in public_ids,
        "permission": levels.get(category.id) if viewer.is_authenticated else None,
        "notification_level": REGULAR_NOTIFICATIONS,
        "can_edit": can(viewer, "admin"),
        "has_children": bool(children),
        "subcategory_ids": [child.id for child in children],
        "uploaded_logo": None,
        "uploaded_background": None,
        "is_uncategorized": category.slug == UNCATEGORIZED,
    }
    if category.parent_id is not None:
        data["parent_category_id"] = category.parent_id
    return data


def can_create_any_topic(viewer, levels: dict) -> bool:
    return bool(viewer.is_authenticated and viewer.is_active) and any(
        level <= CREATE for level in levels.values()
    )


def serialize_user(user, viewer, *, groups, bio_cooked: str) -> dict:
    """``/u/{username}.json``. Never the e-mail address; ``bio_raw`` only for the user
    themselves and staff, as Discourse does."""
    own_or_staff = _is_viewer(viewer, user.id) or bool(
        viewer.is_authenticated and viewer.is_active and viewer.is_staff
    )
    data = {
        "id": user.id,
        "username": user.username,
        "name": user.name or None,
        "avatar_template": avatar_template(user),
        "title": user.job_role or None,
        "created_at": timestamp(user.created_at),
        "last_posted_at": timestamp(user.last_posted_at),
        "last_seen_at": timestamp(user.last_seen_at),
        "trust_level": trust_level(user),
        "admin": user.is_admin,
        "moderator": user.is_moderator,
        "staff": user.is_staff,
        "bio_cooked": bio_cooked,
        "location": user.organisation.name if user.organisation else None,
        "website": None,
        "badge_count": 0,
        "post_count": user.post_count,
        "topic_count": user.topic_count,
        "can_edit": own_or_staff,
        "groups": [
            {"id": group.id, "name": group.name, "display_name": group.display_name}
            for group in groups
        ],
        "user_fields": {},
        "custom_fields": {},
        "organisation": (
            {"id": user.organisation.id, "name": user.organisation.name}
            if user.organisation
            else None
        ),
        "job_role": user.job_role or None,
    }
    if own_or_staff:
        data["bio_raw"] = user.bio
    return {"user_badges": [], "user": data}
