"""Slugs for topic URLs."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80


def slugify(title: str) -> str:
    """``"Phlebotomy LCS: 2025/26?"`` → ``"phlebotomy-lcs-2025-26"``.

    ASCII only; ``"topic"`` when nothing usable is left, and never all digits (a URL
    ``/t/{a}/{b}`` with two numbers means topic id and post number).
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    if not slug:
        return "topic"
    if slug.isdigit():
        return f"topic-{slug}"
    return slug
