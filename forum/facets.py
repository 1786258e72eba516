"""Faceted lists, a public service for plugins that list their own objects with filters (the
Resource Centre's library, the SLA tracker): the :class:`Facet` a list's counts come in, and
what the JSON API makes of them (:func:`facets_json`, :func:`per_page_param`,
:func:`next_page_url`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import request, url_for

from forum.api.params import int_param
from forum.errors import InvalidParameters

#: The most items a page of a JSON list may hold.
MAX_PER_PAGE = 100


@dataclass
class Facet:
    """One filter of a list with how many of the filtered objects have each value."""

    name: str
    label: str
    #: ``(value, label, count)`` for each value present, in display order.
    values: list[tuple[str, str, int]] = field(default_factory=list)


def vocabulary_facet(name: str, label: str, options: Mapping[str, str], counts: Mapping) -> Facet:
    """A facet of a fixed vocabulary (``{value: label}``), in its order, with the values
    that ``counts`` (``{value: count}``) has."""
    return Facet(name, label, [(k, text, counts[k]) for k, text in options.items() if k in counts])


def facets_json(facets: Iterable[Facet], names: Iterable[str]) -> dict:
    """``{name: [{"value", "label", "count"}]}``, every name present (empty when none)."""
    out: dict = {name: [] for name in names}
    for facet in facets:
        out[facet.name] = [
            {"value": value, "label": label, "count": count} for value, label, count in facet.values
        ]
    return out


def per_page_param(default: int) -> int:
    """``?per_page=`` (1 to :data:`MAX_PER_PAGE`), else ``default``."""
    per_page = int_param(request.args, "per_page", minimum=1)
    if per_page is None:
        return default
    if per_page > MAX_PER_PAGE:
        raise InvalidParameters("per_page", f"between 1 and {MAX_PER_PAGE}")
    return per_page


def next_page_url(endpoint: str, args: dict, page: int, pages: int, per_page: int) -> str | None:
    """The next page's address with the same filters (``args``, from the filters' own
    ``args(page=...)``), or ``None`` on the last page."""
    if page >= pages:
        return None
    if "per_page" in request.args:
        args = {**args, "per_page": str(per_page)}
    return url_for(endpoint, **args)
