"""Searching on someone's behalf: parse, decide where they may look, ask the backend, and
load what the results show.

Permission filtering is part of the backend query (the scopes of the categories the user may
see, and the plugin scopes their search types grant), so pages are full and nothing hidden is
counted. Results are checked against the database once more when loaded: a post deleted a
moment ago, before its change reached the index, is left out too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.accounts.models import User
from forum.categories.models import Category
from forum.database import utcnow
from forum.errors import ForumError
from forum.extensions import db
from forum.permissions import visible_category_ids
from forum.plugin_system import current_plugins
from forum.search import apply_pending_now, backend, parser
from forum.search.documents import POST_KIND
from forum.search.highlight import Highlighter
from forum.search.interface import Filters, Hit
from forum.search.query import NOTHING_TO_SEARCH, Query
from forum.topics.models import Post, Topic

log = logging.getLogger(__name__)
#: Discourse serves pages 1 to 10.
MAX_PAGE = 10
SIMILAR_LIMIT = 5


@dataclass
class Result:
    kind: str
    label: str
    title: str
    url: str
    blurb: Markup
    created_at: datetime
    post: Post | None = None
    topic: Topic | None = None
    category: Category | None = None
    user: User | None = None


@dataclass
class Results:
    query: Query
    page: int = 1
    results: list[Result] = field(default_factory=list)
    more: bool = False
    #: Why nothing was searched ("nothing to search for"), or ``None``.
    error: str | None = None

    @property
    def notices(self) -> list[str]:
        return self.query.notices


class SearchUnavailable(ForumError):
    """The index could not be read (logged): a clear answer instead of a 500."""

    status = 503
    title = "Search is unavailable"

    def __init__(self):
        super().__init__("Search is unavailable for a moment; please try again shortly.")


class NothingMatches(Exception):
    """A filter names something that does not exist or cannot be seen: no results."""


def search(user, text, *, page: int = 1, per_page: int = 20) -> Results:
    """One page of results for ``text`` as ``user`` sees the forum."""
    query = parser().parse(text, today=utcnow().date())  # dates are stored in UTC
    results = Results(query=query, page=page)
    if query.empty:
        results.error = NOTHING_TO_SEARCH
        return results
    apply_pending_now(max_batches=5)
    try:
        filters = resolve_filters(query, user)
    except NothingMatches as reason:
        query.notices.append(str(reason))
        return results
    try:
        found = backend().search(query, filters, offset=(page - 1) * per_page, limit=per_page)
    except Exception:
        log.exception("search failed for %r", query.text)
        raise SearchUnavailable() from None
    results.results = load_results(found.hits, query, user)
    results.more = found.more
    return results


def similar_topics(user, title, raw="") -> list[Result]:
    """Up to five existing topics whose opening posts share words with a new one's title."""
    query = parser().similar(title, raw)
    if len(query.clauses) < 1:
        return []
    apply_pending_now(max_batches=1)
    filters = Filters(
        scopes=_category_scopes(visible_category_ids(user)),
        kinds=frozenset({POST_KIND}),
        first_only=True,
    )
    try:
        found = backend().search(query, filters, offset=0, limit=SIMILAR_LIMIT)
    except Exception:  # only a hint while typing: say nothing rather than fail
        log.exception("similar topics failed for %r", query.text)
        return []
    return load_results(found.hits, query, user)


def _category_scopes(category_ids) -> frozenset[str]:
    return frozenset(f"category:{cid}" for cid in category_ids)


def resolve_filters(query: Query, user) -> Filters:
    """Turn the query's filters into ids and scopes for ``user`` (raises
    :class:`NothingMatches` with the reason when a filter cannot match anything)."""
    visible = visible_category_ids(user)
    plugins = current_plugins()
    scopes = set(_category_scopes(visible))
    if query.categories:
        ids = _category_ids(query.categories, visible)
        scopes = set(_category_scopes(ids))
    else:
        for search_type in plugins.search_types.values():
            if search_type.scopes is not None:
                scopes.update(_plugin_scopes(search_type, user))
    kinds = None
    first_only = query.in_first
    if query.type_names:
        kinds = set()
        # type:topic is opening posts only, unless type:post asks for every post as well.
        first_only = first_only or ("topic" in query.type_names and "post" not in query.type_names)
        for name in query.type_names:
            if name == "topic":
                kinds.add(POST_KIND)
                continue
            search_type = plugins.search_type_names.get(name)
            if search_type is None:
                known = ", ".join(sorted({"topic", *plugins.search_type_names}))
                raise NothingMatches(f"There is no type:{name[:40]}; try one of {known}.")
            kinds.add(search_type.key)
    return Filters(
        scopes=frozenset(scopes),
        kinds=frozenset(kinds) if kinds is not None else None,
        user_ids=_user_ids(query.usernames, user),
        first_only=first_only,
        title_only=query.in_title,
        after=datetime.combine(query.after, time.min) if query.after else None,
        before=datetime.combine(query.before, time.min) if query.before else None,
        statuses=tuple(query.statuses),
    )


def _plugin_scopes(search_type, user) -> set[str]:
    try:
        scopes = {str(s) for s in search_type.scopes(user) or ()}
    except Exception:
        log.exception(
            "search type %s: scopes() failed; its documents are left out", search_type.key
        )
        return set()
    # A plugin grants its own scopes, never a category's (those follow category permissions).
    return {s for s in scopes if not s.startswith("category:")}


def _category_ids(wanted: list[tuple[str, bool]], visible: set[int]) -> set[int]:
    rows = db.session.execute(select(Category.id, Category.slug, Category.parent_id)).all()
    by_slug = {slug.lower(): (cid, parent) for cid, slug, parent in rows}
    slugs = {cid: slug.lower() for cid, slug, _ in rows}
    ids: set[int] = set()
    for name, with_children in wanted:
        parent_slug, _, slug = name.rpartition(":")
        found = by_slug.get(slug)
        if found is not None and parent_slug and slugs.get(found[1]) != parent_slug:
            found = None
        if found is None or found[0] not in visible:
            raise NothingMatches(f"No category matches #{name[:50]}.")
        ids.add(found[0])
        if with_children:
            ids.update(cid for cid, _, parent in rows if parent == found[0] and cid in visible)
    return ids


def _user_ids(usernames: list[str], user) -> frozenset[int] | None:
    if not usernames:
        return None
    ids = set()
    names = set()
    for name in usernames:
        if name == "me":
            if not user.is_authenticated:
                raise NothingMatches("@me needs you to be signed in.")
            ids.add(user.id)
        else:
            names.add(name)
    if names:
        found = dict(
            db.session.execute(
                select(User.username_lower, User.id).where(User.username_lower.in_(names))
            ).all()
        )
        missing = sorted(names - set(found))
        if missing:
            raise NothingMatches(f"No member is called @{missing[0][:60]}.")
        ids.update(found.values())
    return frozenset(ids)


def load_results(hits: list[Hit], query: Query, user) -> list[Result]:
    """Results for ``hits`` in order, posts loaded in one query and checked once more."""
    plugins = current_plugins()
    highlighter = Highlighter(query)
    post_ids = [h.object_id for h in hits if h.kind == POST_KIND]
    posts = {}
    if post_ids:
        visible = visible_category_ids(user)
        for post in db.session.scalars(
            select(Post)
            .options(selectinload(Post.topic))  # a join would scan every topic
            .where(Post.id.in_(post_ids), Post.deleted_at.is_(None))
        ):
            topic = post.topic
            if topic.deleted_at is None and topic.category_id in visible:
                posts[post.id] = post
    results = []
    for hit in hits:
        if hit.kind == POST_KIND:
            post = posts.get(hit.object_id)
            if post is None:
                continue
            topic = post.topic
            results.append(
                Result(
                    kind=hit.kind,
                    label="Post",
                    title=topic.title,
                    url=f"/t/{topic.slug}/{topic.id}/{post.post_number}",
                    blurb=highlighter.blurb(hit.body),
                    created_at=post.created_at,
                    post=post,
                    topic=topic,
                    category=topic.category,
                    user=post.user,
                )
            )
            continue
        search_type = plugins.search_types.get(hit.kind)
        if search_type is None:
            continue
        results.append(
            Result(
                kind=hit.kind,
                label=search_type.label,
                title=hit.title,
                url=hit.url,
                blurb=highlighter.blurb(hit.body),
                created_at=hit.created_at,
            )
        )
    return results
