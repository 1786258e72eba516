"""LMC Hub: a Discourse-style forum engine for the UK LMC Support Network."""

from forum.hookspecs import hookimpl  # noqa: I001 - plugins write `from forum import hookimpl`
from forum.app import create_app

__all__ = ["create_app", "hookimpl"]
