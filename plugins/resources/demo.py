"""The demo library (domain.md §6.4)."""

from __future__ import annotations


def seed(users, categories) -> None:
    """Add the demo items that are missing."""
