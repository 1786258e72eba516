"""``[[<name>:<ref>]]`` in a post: a plugin's object named in the text, attached to the post
in its own transaction and shown as a link where it was typed. A public service for plugins
whose attachment types people also cite by typing (``[[resource:slug]]``, ``[[sla:12]]``):

* :func:`markdown_rule` makes the markdown-it-py plugin (return it from
  ``markdown_extensions``; the link's ``class`` needs ``sanitizer_allowlist``);
* :func:`attach_references`, called from the plugin's ``post_created`` and ``post_edited``
  hooks, attaches every object the post names (an object the author may not see refuses the
  post with the type's own message). References already attached are left as they are, and
  removing one from the text does not take its card off: the post's Attach page does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from forum.attachments import services

#: What may follow the colon: an id or a slug.
REF = r"[A-Za-z0-9][A-Za-z0-9-]{0,119}"


def pattern(name: str) -> re.Pattern:
    """``[[name:ref]]`` with the reference as group 1."""
    return re.compile(rf"\[\[{re.escape(name)}:({REF})\]\]")


def markdown_rule(name: str, url: Callable[[str], str], label: str) -> Callable:
    """A markdown-it-py plugin turning ``[[name:ref]]`` into
    ``<a class="attachment-ref" href="url(ref)">label: ref</a>``."""
    found = pattern(name)
    opening = f"[[{name}:"

    def plugin(md) -> None:
        def rule(state, silent):
            if not state.src.startswith(opening, state.pos):
                return False
            match = found.match(state.src, state.pos)
            if match is None:
                return False
            if not silent:
                token = state.push("link_open", "a", 1)
                token.attrs = {"href": url(match.group(1)), "class": "attachment-ref"}
                token = state.push("text", "", 0)
                token.content = f"{label}: {match.group(1)}"
                state.push("link_close", "a", -1)
            state.pos = match.end()
            return True

        md.inline.ruler.before("link", f"{name}_ref", rule)

    return plugin


def attach_references(post, user, name: str, key: str) -> None:
    """Attach to ``post`` each object of type ``key`` that its text names as
    ``[[name:ref]]`` (in the post's transaction)."""
    refs = list(dict.fromkeys(pattern(name).findall(post.raw or "")))
    if not refs:
        return
    checked = services.check(
        user, post.topic.category, [(key, ref) for ref in refs[: services.MAX_PER_POST]], post
    )
    services.add(user, post, checked)
