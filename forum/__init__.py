"""LMC Hub: a Discourse-style forum engine for the UK LMC Support Network."""

from forum.app import create_app

__all__ = ["create_app"]
