"""The demo SLA records (domain.md §6.5)."""

from __future__ import annotations


def seed(users, categories) -> None:
    """Add the demo records that are missing."""
