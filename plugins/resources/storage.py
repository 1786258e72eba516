"""Where uploaded files live: outside the web root, named by their content.

A file is copied in from the upload stream in chunks, hashing and counting as it goes, into
a temporary file inside the storage folder; past the size limit it is deleted and refused at
once, so nothing large is ever held in memory. A file whose SHA-256 is already stored is not
stored again. Stored files are ``<storage>/<sha[:2]>/<sha[2:4]>/<sha>``: the name is a hex
digest, so nothing a person typed ever becomes part of a path.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from forum.errors import ValidationFailed
from forum.extensions import db
from forum.uploads import megabytes

from .filetypes import FileKind
from .models import StoredFile

CHUNK = 64 * 1024


@dataclass
class Received:
    """An upload copied to a temporary file, not yet kept."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def storage_dir() -> Path:
    configured = current_app.config.get("RESOURCES_STORAGE_DIR")
    folder = Path(configured or os.path.join(current_app.config["DATA_DIR"], "resources"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def receive(stream, limit: int | None = None) -> Received:
    """Copy ``stream`` (a file-like object) into a temporary file, refusing it once it
    passes ``limit`` bytes (``RESOURCES_MAX_UPLOAD_BYTES`` by default) or if it is empty."""
    limit = limit if limit is not None else current_app.config["RESOURCES_MAX_UPLOAD_BYTES"]
    incoming = storage_dir() / "incoming"
    incoming.mkdir(exist_ok=True)
    handle, name = tempfile.mkstemp(dir=incoming, prefix="upload-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        f"That file is too large: files can be at most {megabytes(limit)}."
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationFailed("That file is empty.")
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Received(Path(name), digest.hexdigest(), size)


def find(sha256: str) -> StoredFile | None:
    return db.session.scalar(select(StoredFile).where(StoredFile.sha256 == sha256))


def keep(received: Received, kind: FileKind) -> StoredFile:
    """The stored file with ``received``'s content: the one already kept, or a new one
    (moved into place; its row is added to the session, not committed)."""
    existing = find(received.sha256)
    if existing is not None:
        received.discard()
        return existing
    target = path_for(received.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.path, target)
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
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return storage_dir() / sha256[:2] / sha256[2:4] / sha256
