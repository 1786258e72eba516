"""Reading the text of stored files after they are uploaded, without holding up anyone.

:func:`start` is called after the upload's commit. It hands the file to one background
thread per app (so the request answers at once and other requests carry on), or, with
``RESOURCES_EXTRACT_IN_BACKGROUND`` off (the tests), reads it on the spot. The parsing itself
runs in a child process with a time and memory limit
(:func:`plugins.resources.extract.extract_isolated`), so a document that crashes or hangs a
parser costs only that document: it stays stored, marked ``failed``, and findable by its
metadata. ``flask forum resources extract`` reads whatever is still pending (after a
restart, say).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app
from sqlalchemy import delete, select

from forum import search
from forum.database import utcnow
from forum.extensions import db

from . import storage
from .extract import READABLE_KINDS, ExtractionFailed, Extractor, extract_isolated
from .models import FileSection, StoredFile

log = logging.getLogger("plugins.resources")
SECTION_KIND = "resources.section"


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor = app.extensions.get("resources.extractor")
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resources-extract")
        app.extensions["resources.extractor"] = executor
    return executor


def start(file_id: int) -> Future | None:
    """Read a stored file's text: in the background, or now when configured so."""
    app = current_app._get_current_object()
    if not app.config["RESOURCES_EXTRACT_IN_BACKGROUND"]:
        run(file_id)
        return None
    return _executor(app).submit(_run_in_app, app, file_id)


def _run_in_app(app: Flask, file_id: int) -> None:
    extractor = app.extensions.get("resources.extractor_process")
    if extractor is None:  # one reading process for the background thread, kept between files
        extractor = Extractor(timeout=app.config["RESOURCES_EXTRACT_TIMEOUT_SECONDS"])
        app.extensions["resources.extractor_process"] = extractor
    with app.app_context():
        try:
            run(file_id, extractor)
        except Exception:
            log.exception("reading the text of stored file %s failed", file_id)
            db.session.rollback()


def run(file_id: int, extractor: Extractor | None = None) -> str:
    """Extract one file's text into its sections and tell search; returns the outcome
    (``done``, ``failed``, ``none``, or ``skipped`` when it was not pending). ``extractor``:
    a reading process to reuse (many files in a row), else one is started for this file."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.extraction != "pending":
        return "skipped"
    path = storage.path_for(stored.sha256)
    timeout = current_app.config["RESOURCES_EXTRACT_TIMEOUT_SECONDS"]
    db.session.rollback()  # no transaction held open while the child process works
    sections, error, outcome = [], "", "done"
    if stored.kind not in READABLE_KINDS:
        outcome = "none"
    else:
        try:
            if extractor is not None:
                sections = extractor.extract(path, stored.kind)
            else:
                sections = extract_isolated(path, stored.kind, timeout=timeout)
        except ExtractionFailed as failure:
            outcome, error = "failed", str(failure)[:200]
            log.warning("could not read the text of file %s: %s", file_id, error)
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.extraction != "pending":
        return "skipped"
    db.session.execute(delete(FileSection).where(FileSection.file_id == file_id))
    db.session.add_all(
        FileSection(file_id=file_id, number=s.number, label=s.label[:120], text=s.text)
        for s in sections
    )
    stored.extraction, stored.extraction_error = outcome, error
    stored.extracted_at, stored.section_count = utcnow(), len(sections)
    db.session.flush()
    search.changed_where(SECTION_KIND, select(FileSection.id).where(FileSection.file_id == file_id))
    db.session.commit()
    return outcome


def pending_ids(include_failed: bool = False) -> list[int]:
    states = ("pending", "failed") if include_failed else ("pending",)
    return list(
        db.session.scalars(
            select(StoredFile.id).where(StoredFile.extraction.in_(states)).order_by(StoredFile.id)
        )
    )


def retry(file_id: int) -> None:
    """Mark a failed file pending again (``extract --retry-failed``)."""
    stored = db.session.get(StoredFile, file_id)
    if stored is not None and stored.extraction == "failed":
        stored.extraction = "pending"
        db.session.commit()


def shutdown(app: Flask) -> None:
    """Finish what the background thread was handed, then end it and its reading process
    (tests that serve the app; a worker process simply exits)."""
    executor = app.extensions.pop("resources.extractor", None)
    if executor is not None:
        executor.shutdown(wait=True)
    extractor = app.extensions.pop("resources.extractor_process", None)
    if extractor is not None:
        extractor.close()
