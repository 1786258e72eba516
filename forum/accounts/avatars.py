"""Letter avatars: a coloured square with a person's initial, as SVG. The JSON API's
``avatar_template`` points here, so Discourse clients that show avatars get one."""

from __future__ import annotations

import hashlib
from html import escape

from flask import Blueprint, Response
from flask_login import current_user

from forum.accounts.services import find_user
from forum.errors import NotFound
from forum.page_cache import cache_for_visitors
from forum.permissions import can

bp = Blueprint("avatars", __name__)

#: Backgrounds dark enough for white text (WCAG AA, 4.5:1 or better).
COLOURS = ("005EA5", "1D6B35", "8A3FA0", "A4262C", "0B2E4F", "6B4E16", "00627A", "5A5A5A")
MIN_SIZE, MAX_SIZE = 16, 512


def letter_avatar_svg(username: str, size: int) -> str:
    colour = COLOURS[int(hashlib.sha256(username.lower().encode()).hexdigest(), 16) % len(COLOURS)]
    letter = escape(username[:1].upper())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100"><rect width="100" height="100" fill="#{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#FFFFFF" '
        f'font-family="sans-serif" font-size="56">{letter}</text></svg>'
    )


@bp.get("/letter_avatar/<username>/<int:size>/<int:version>.svg")
@cache_for_visitors
def letter_avatar(username: str, size: int, version: int):
    user = find_user(username)
    if user is None or not can(current_user, "user.see", user):
        raise NotFound()
    size = min(max(size, MIN_SIZE), MAX_SIZE)
    response = Response(letter_avatar_svg(user.username, size), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
