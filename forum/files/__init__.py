"""Uploaded files, a public service for plugins: what a file really is (by its content, with
the allowlist of document kinds, zip-bomb and disguised-script checks), the safe name it
downloads under, and keeping it on disk by its SHA-256. The rows that describe stored files
belong to each plugin; these functions hold no state. Views that take files also use
:func:`forum.uploads.accepts_files`."""

from __future__ import annotations

from forum.files.store import Received, path_in, place, receive
from forum.files.types import (
    KINDS,
    FileKind,
    RefusedFile,
    accept_attribute,
    describe_allowed,
    safe_filename,
    sniff,
)

__all__ = [
    "KINDS",
    "FileKind",
    "Received",
    "RefusedFile",
    "accept_attribute",
    "describe_allowed",
    "path_in",
    "place",
    "receive",
    "safe_filename",
    "sniff",
]
