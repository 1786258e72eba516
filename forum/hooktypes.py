"""The small frozen values that hooks return (see :mod:`forum.hookspecs`).

Every key a plugin returns is namespaced with the plugin's name (``meetings.panel``), so the
core can sort contributions by ``(order, key)`` without depending on registration order, and
can tell whose contribution failed. Core contributions use the prefix ``core.``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Roles a :class:`Permission` may grant by default. An account that is not active (pending
#: approval, suspended) and a visitor who is not signed in both count as ``"visitor"``.
ROLES = frozenset({"admin", "moderator", "member", "visitor"})


@dataclass(frozen=True)
class NavItem:
    """A link in the site's main navigation."""

    key: str
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A block of a page rendered from a plugin's template.

    ``template`` is a name under the plugin's ``templates/<name>/`` folder; it is rendered
    with autoescaping on and sees ``panel`` (this object), so it reads ``panel.context``.
    Panels are used for category and topic sidebars, profile sections and composer extras
    (where the template holds form fields named ``<plugin>-<field>``).
    """

    key: str
    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class ListView:
    """A category page drawn by a plugin instead of the core topic list (a library, a
    tracker table). Rendered like a :class:`Panel`, inside the category page's frame."""

    key: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Badge:
    """A short label shown beside a topic's title in topic lists."""

    key: str
    label: str
    title: str = ""  # longer text for the tooltip and screen readers
    order: int = 100


@dataclass(frozen=True)
class ActionLink:
    """A link (``method="get"``) or a one-button form (``method="post"``) under a post."""

    key: str
    label: str
    url: str
    method: str = "get"
    order: int = 100


@dataclass(frozen=True)
class Permission:
    """An action someone may be allowed to do, such as ``meetings.schedule``.

    ``default_roles`` are the roles (:data:`ROLES`) allowed when no ``permission_allowed``
    implementation decides.
    """

    key: str
    description: str
    default_roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    """A ``permission_allowed`` answer. Any deny wins; otherwise any allow; otherwise the
    permission's default roles decide. ``reason`` says which rule decided."""

    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class AttachmentType:
    """A kind of object a plugin lets people attach to a post (an SLA, a resource, a
    mentor card). Attachments are stored by the core as ``(post, key, object id)``.

    * ``load(ids, user)`` returns ``{id: object}`` for the ids that exist and ``user`` may
      see, in one query (called once per page for all the page's attachments of this type).
    * ``validate(user, ref, post)`` turns what a person typed or picked (``ref``, a string)
      into an object id, or raises :class:`forum.errors.ValidationFailed` with a message.
      ``post`` is ``None`` while a topic or reply is being composed.
    * ``template`` renders one attachment under the post; it sees ``attachment`` (the
      object) and ``attachment_type`` (this value).
    * ``to_json(object)`` is the dict sent in post JSON, under a key named after the plugin.
    * ``options(user, category)`` optionally lists ``(ref, label)`` choices for the picker;
      without it the composer offers a text box for a reference.
    * ``everywhere``: attachable in any category; otherwise only in categories the plugin is
      enabled on.
    """

    key: str
    label: str
    load: Callable[[list[int], Any], dict[int, Any]]
    validate: Callable[[Any, str, Any], int]
    template: str
    to_json: Callable[[Any], dict]
    options: Callable[[Any, Any], list[tuple[str, str]]] | None = None
    everywhere: bool = False

    @property
    def plugin(self) -> str:
        return self.key.split(".", 1)[0]


@dataclass(frozen=True)
class SearchDocument:
    """One thing site search can find: a post, or an object a plugin indexes.

    ``scope`` says who may find it: ``"category:<id>"`` for anything shown in a category
    (everyone who may see the category), or a token of the plugin's own (``"sla:members"``)
    that its :class:`SearchType`'s ``scopes`` grants. ``body`` is plain text, as readers see
    it. ``group`` collapses results (a topic's posts share ``"topic:<id>"``); by default a
    document is its own group.
    """

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    scope: str
    created_at: Any
    user_id: int | None = None
    category_id: int | None = None
    topic_id: int | None = None
    post_number: int | None = None
    #: The opening post of a topic, or a plugin document (its own "first post").
    first: bool = True
    #: Topic states: any of ``"open"``, ``"closed"``, ``"archived"``.
    status: tuple[str, ...] = ("open",)
    group: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def group_key(self) -> str:
        return self.group or self.key


@dataclass(frozen=True)
class SearchType:
    """A kind of document site search indexes (the core registers posts).

    * ``key`` names the kind in the index and the search outbox (``<plugin>.<kind>``);
      ``name`` is what people type after ``type:`` (``sla``, ``resource``).
    * ``load(ids)`` returns the :class:`SearchDocument` of each id that should be findable
      now, in a few queries; an id it leaves out is removed from the index.
    * ``all_ids()`` yields every id to index, for ``flask forum search reindex``.
    * ``scopes(user)`` returns the plugin scope tokens ``user`` may find (``None`` when
      every document of this kind has a ``category:<id>`` scope).

    Tell search an object changed with :func:`forum.search.changed` in the same transaction
    as the change: the index follows after the commit.
    """

    key: str
    name: str
    label: str
    load: Callable[[list[int]], list[SearchDocument]]
    all_ids: Callable[[], Any]
    scopes: Callable[[Any], Any] | None = None

    @property
    def plugin(self) -> str:
        return self.key.split(".", 1)[0]


@dataclass(frozen=True)
class NotificationType:
    """A kind of notification (the core registers replies, quotes, mentions...).

    * ``key``: ``<plugin>.<kind>`` (``mentoring.request``), stored on each notification.
    * ``label``: what the notifications page and the preferences call it.
    * ``email``: whether people who get e-mail about their notifications get this kind.

    Create one with :func:`forum.notifications.notify`, inside the transaction of the
    change it tells of, giving the ``message`` and ``url`` the recipient will see: only the
    recipient ever sees them, so they may name what only the recipient may know.
    """

    key: str
    label: str
    email: bool = True

    @property
    def plugin(self) -> str:
        return self.key.split(".", 1)[0]
