"""Where the library's files live: ``RESOURCES_STORAGE_DIR`` (outside the web root), kept
by :mod:`forum.files` under their SHA-256, with a ``resources_file`` row each. A file whose
content is already stored is not stored again."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from forum import files
from forum.extensions import db

from .models import StoredFile


def storage_dir() -> Path:
    configured = current_app.config.get("RESOURCES_STORAGE_DIR")
    folder = Path(configured or os.path.join(current_app.config["DATA_DIR"], "resources"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def receive(stream, limit: int | None = None) -> files.Received:
    """Copy ``stream`` into a temporary file in the library's folder, refused once it passes
    ``limit`` bytes (``RESOURCES_MAX_UPLOAD_BYTES`` by default) or if it is empty."""
    limit = limit if limit is not None else current_app.config["RESOURCES_MAX_UPLOAD_BYTES"]
    return files.receive(stream, storage_dir(), limit)


def find(sha256: str) -> StoredFile | None:
    return db.session.scalar(select(StoredFile).where(StoredFile.sha256 == sha256))


def keep(received: files.Received, kind: files.FileKind) -> StoredFile:
    """The stored file with ``received``'s content: the one already kept, or a new one
    (moved into place; its row is added to the session, not committed)."""
    existing = find(received.sha256)
    if existing is not None:
        received.discard()
        return existing
    files.place(received, storage_dir())
    stored = StoredFile(
        sha256=received.sha256,
        size=received.size,
        kind=kind.key,
        mime=kind.mime,
        extraction="pending",
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def path_for(sha256: str) -> Path:
    return files.path_in(storage_dir(), sha256)
