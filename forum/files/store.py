"""Keeping uploaded files on disk, named by their content.

:func:`receive` copies an upload stream into a temporary file inside a storage folder in
64 KB chunks, hashing and counting as it goes; past the size limit, or if the file is empty,
it deletes it and refuses it at once, so nothing large is ever held in memory and nothing is
left behind. :func:`place` moves it to ``<folder>/<sha[:2]>/<sha[2:4]>/<sha>`` (a hex digest:
nothing a person typed ever becomes part of a path); the same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from forum.errors import ValidationFailed
from forum.uploads import megabytes

CHUNK = 64 * 1024


@dataclass
class Received:
    """An upload copied to a temporary file, not yet placed."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def receive(stream, folder: Path, limit: int) -> Received:
    """Copy ``stream`` (a file-like object) into a temporary file under ``folder``, refusing
    it once it passes ``limit`` bytes, or if it is empty."""
    incoming = folder / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
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


def path_in(folder: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 lives under ``folder``."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return folder / sha256[:2] / sha256[2:4] / sha256


def place(received: Received, folder: Path) -> Path:
    """Move a received file to its place under ``folder`` (replacing the same content)."""
    target = path_in(folder, received.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.path, target)
    return target
