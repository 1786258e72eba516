"""Bulk import: moving a folder tree (a SharePoint library copied to disk) into the library.

:func:`import_tree` walks a folder, or follows a CSV manifest, and adds one item per file
through :func:`plugins.resources.services.create`, so an imported item passes the same
checks, is stored the same way and gets the same history as one uploaded in the browser.
Each file is its own transaction: a refused file never stops the others.

* **Without a manifest** every file becomes an item. Its title comes from the file name, its
  topics from the names of the folders it sits in (:func:`match_topic`), everything else from
  the defaults given (the command's options).
* **With a manifest** (one row per file, the header naming the fields of
  :func:`plugins.resources.fields.clean` plus ``path``), the rows give the fields; blank cells
  fall back to the defaults. A row with a link (``external_url``) needs no file.
* **Re-running is safe**: a file whose SHA-256 is already held by an item is skipped, and
  so is a link already in the library.
* **A dry run** checks every file (its type by content, its fields) and stores nothing.

:func:`read_texts` then reads the text of the files imported (the ``extract`` command uses
it too). Neither needs click: the command in :mod:`plugins.resources.cli`, the tests and the
benchmark all call them directly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import select

from forum.accounts.models import User
from forum.errors import ForumError
from forum.extensions import db
from forum.files import RefusedFile, sniff
from forum.uploads import megabytes

from . import access, extraction, services, storage
from . import vocabulary as v
from .extract import Extractor
from .fields import clean
from .models import Resource

log = logging.getLogger("plugins.resources")

#: The columns a manifest may have: the fields :func:`~plugins.resources.fields.clean`
#: reads, and ``path`` (the file, relative to the folder being imported).
MANIFEST_FIELDS = (
    "path", "title", "summary", "collection", "resource_type", "topics", "nations",
    "source_org", "contributing_lmc", "audience", "publication_date", "effective_from",
    "review_date", "version", "supersedes", "status", "external_url", "licence",
    "is_template", "access_level", "restricted_groups", "restricted_lmcs", "keywords",
)  # fmt: skip

#: What an item gets when neither the manifest nor the options say otherwise.
DEFAULTS = {
    "collection": "tool_or_sample",
    "resource_type": "lmc_guidance_note",
    "nations": list(v.NATIONS),
    "source_org": "Imported",
    "licence": "internal_only",
    "access_level": "members",
}

#: Enumerated manifest columns whose cells may hold a label ("Tools and samples") as well as
#: a stored value (``tool_or_sample``).
_CHOICES = {
    "collection": v.COLLECTIONS,
    "resource_type": v.RESOURCE_TYPES,
    "status": v.STATUSES,
    "licence": v.LICENCES,
    "access_level": v.ACCESS_LEVELS,
}
_MULTI_CHOICES = {"nations": v.NATIONS, "audience": v.AUDIENCES}

#: Files copied along with a library that are not documents: skipped without a word.
_JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
#: Encodings a manifest may be in, tried in this order (``utf-8-sig`` also reads UTF-8
#: without a byte order mark).
MANIFEST_ENCODINGS = ("utf-8-sig", "cp1252")
_HASH_CHUNK = 1024 * 1024
#: The longest title an item may have (:func:`plugins.resources.fields.clean`).
MAX_TITLE = 250


class ImportStopped(Exception):
    """The import cannot start (no such folder, an unreadable manifest, unknown columns, no
    one to import as); nothing has been imported. ``str(exc)`` is for the person."""


@dataclass
class Outcome:
    """What became of one file (or one manifest row)."""

    path: str  # relative to the folder, with forward slashes; or "row 7" for a link
    status: str  # "imported", "skipped" or "refused"
    reasons: list[str] = field(default_factory=list)
    resource_id: int | None = None
    file_id: int | None = None

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


@dataclass
class ImportReport:
    """Every file's outcome, in the order they were met."""

    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def _with(self, status: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def imported(self) -> list[Outcome]:
        """The items added (in a dry run: the ones that would be)."""
        return self._with("imported")

    @property
    def skipped(self) -> list[Outcome]:
        return self._with("skipped")

    @property
    def refused(self) -> list[Outcome]:
        return self._with("refused")

    @property
    def ok(self) -> bool:
        """Whether nothing was refused."""
        return not self.refused

    @property
    def file_ids(self) -> list[int]:
        """The stored files of the items added, for :func:`read_texts`."""
        return list(dict.fromkeys(o.file_id for o in self.imported if o.file_id is not None))


@dataclass
class _Entry:
    """One thing to import: a file (``path``) and/or the form of its item."""

    label: str
    form: dict
    path: Path | None = None
    filename: str = ""  # the name the file had in the folder (``path`` may be a shortcut's target)
    problem: str = ""  # set when it is refused before anything is read
    skip: str = ""  # set when it is skipped before anything is read


# -- Topics from folder names ------------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*\d+(?:[.)_\-]\d+)*[.)_\-]?\s+")
_FILLER_WORDS = frozenset({"and", "incl", "the", "of"})


def _words(text: str) -> list[str]:
    """The words of a folder or topic name, lower-case, without punctuation, ``&`` or
    ``and``, plurals made singular: ``Partnerships & partnership agreements`` →
    ``[partnership, partnership, agreement]``."""
    words = re.split(r"[^0-9a-z]+", unicodedata.normalize("NFKD", text).lower())
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
        if word and word not in _FILLER_WORDS
    ]


def match_topic(folder: str) -> str | None:
    """The topic (a slug of :data:`~plugins.resources.vocabulary.TOPICS`) a folder name
    stands for, or ``None``.

    Case and punctuation do not matter, nor a leading number (``03 Premises``). A folder
    matches a topic by its slug (``pcns``, ``Enhanced services``), by its name
    (``Partnerships & partnership agreements``), or when the folder's words begin the
    topic's name (``Premises`` → *Premises & estates*, ``LMC finance`` → *LMC finance, levy
    & company matters*) and begin no other topic's name.
    """
    name = _NUMBERING.sub("", folder or "").strip()
    words = _words(name)
    if not words:
        return None
    for slug, _ in v.TOPICS:
        if words == _words(slug.replace("-", " ")):
            return slug
    leading = []
    for slug, topic_name in v.TOPICS:
        topic_words = _words(topic_name)
        if words == topic_words:
            return slug
        if topic_words[: len(words)] == words:
            leading.append(slug)
    return leading[0] if len(leading) == 1 else None


def topics_of(folders: Iterable[str]) -> list[str]:
    """The topics the folders on a file's path stand for, outermost first, each once."""
    found = (match_topic(folder) for folder in folders)
    return list(dict.fromkeys(slug for slug in found if slug))


# -- Titles ------------------------------------------------------------------------------------

_DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".csv"}
    | {".txt", ".rtf", ".htm", ".html"}
)


def title_from_filename(name: str) -> str:
    """A title from a file name: the extension (and a second document extension, as in
    ``report.pdf.html``) removed, underscores and dashes made spaces, invisible characters
    dropped: ``Model_partnership-agreement.docx`` → ``Model partnership agreement``."""
    stem = name
    for _ in range(2):
        root, suffix = os.path.splitext(stem)
        if suffix and (stem == name or suffix.lower() in _DOCUMENT_SUFFIXES):
            stem = root
    stem = "".join(c for c in stem if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    title = re.sub(r"[\s_\-]+", " ", stem).strip()
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(" ,.;:") or title[:MAX_TITLE]
    return title


# -- The folder walk ---------------------------------------------------------------------------


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower() in _JUNK_NAMES


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _shown(path: str) -> str:
    """A path as it can be printed, whatever bytes its name had."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8")


def _default_summary(folders: tuple[str, ...]) -> str:
    if not folders:
        return "Imported from the top of the shared library folder."
    return f"Imported from the shared library folder “{' / '.join(folders)}”."[:600]


def _walk(root: Path, defaults: Mapping, default_topic: str | None) -> Iterable[_Entry]:
    """One entry per file under ``root``, in a fixed order (sorted names, a folder's files
    before its sub-folders), leaving out hidden files and folders; shortcuts (symbolic
    links) to folders are not followed, and those to files outside ``root`` are skipped."""
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        folders = here.relative_to(root).parts
        for name in list(dirnames):
            if _is_hidden(name):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                dirnames.remove(name)
                label = _shown(PurePosixPath(*folders, name).as_posix())
                yield _Entry(
                    label, {}, skip="It is a shortcut to a folder; shortcuts are not followed."
                )
        dirnames.sort()
        for name in sorted(filenames):
            if _is_hidden(name):
                continue
            label = _shown(PurePosixPath(*folders, name).as_posix())
            path, problem = _regular_file(here / name, root)
            if problem:
                yield _Entry(label, {}, skip=problem)
                continue
            form = {
                **defaults,
                "title": title_from_filename(name),
                "summary": _default_summary(folders),
            }
            filename = _shown(name)
            topics = topics_of(folders) or ([default_topic] if default_topic else [])
            if not topics:
                where = " / ".join(folders) or "the top folder"
                yield _Entry(
                    label,
                    form,
                    path,
                    filename,
                    problem=f"No library topic matches its folder ({where}). Move it into a "
                    "folder named after a topic, or give a topic with --topic.",
                )
                continue
            form["topics"] = topics
            yield _Entry(label, form, path, filename)


def _regular_file(path: Path, root: Path) -> tuple[Path | None, str]:
    """``(the file to read, "")``, or ``(None, why it is left alone)``."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "It is a shortcut to something that does not exist."
    if not _inside(resolved, root):
        return None, "It is a shortcut to a file outside the folder being imported."
    try:
        mode = resolved.stat().st_mode
    except OSError as error:
        return None, f"It could not be read ({error.strerror or error})."
    if not stat.S_ISREG(mode):
        return None, "It is not an ordinary file."
    return resolved, ""


# -- The manifest ------------------------------------------------------------------------------


def read_manifest(manifest: Path) -> tuple[list[str], list[dict[str, str]]]:
    """``(column names, rows)`` of a CSV manifest in UTF-8 (with or without a byte order
    mark) or Windows-1252; raises :class:`ImportStopped` when it cannot be read or names a
    column that is not a field, so nothing is imported."""
    try:
        data = Path(manifest).read_bytes()
    except OSError as error:
        raise ImportStopped(
            f"The manifest {manifest} could not be read: {error.strerror or error}."
        ) from None
    for encoding in MANIFEST_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportStopped(
            "The manifest is neither UTF-8 nor Windows-1252 text. Save it from Excel as "
            "“CSV UTF-8 (Comma delimited)”."
        )
    if "\x00" in text:
        raise ImportStopped("The manifest is not a CSV file (it contains NUL bytes).")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportStopped(f"The manifest is not a well-formed CSV file: {error}.") from None
    if not rows:
        raise ImportStopped("The manifest is empty: its first line must name the columns.")
    header = [_column(name) for name in rows[0]]
    unknown = [name for name in header if name and name not in MANIFEST_FIELDS]
    if unknown:
        raise ImportStopped(
            "The manifest has columns that are not library fields: "
            + ", ".join(repr(name) for name in unknown)
            + ". Nothing was imported. The columns can be: "
            + ", ".join(MANIFEST_FIELDS)
            + "."
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ImportStopped(
            "The manifest names a column twice: " + ", ".join(repeated) + ". Nothing was imported."
        )
    if "path" not in header and "external_url" not in header:
        raise ImportStopped(
            "The manifest needs a “path” column (or “external_url” for links). "
            "Nothing was imported."
        )
    records = []
    for cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        record = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        records.append(record)
    return [name for name in header if name], records


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _choice_key(value: str, options: Mapping[str, str]) -> str:
    """A manifest cell's value as a stored key: the key itself, or its label, in any case."""
    wanted = value.strip().lower()
    for key, label in options.items():
        if wanted in (key, label.lower(), key.replace("_", " ")):
            return key
    return value


def _manifest_form(record: Mapping[str, str], defaults: Mapping) -> dict:
    """A row's cells as a form for :func:`clean`, blank cells falling back to defaults."""
    form = dict(defaults)
    for name, value in record.items():
        if name == "path" or value == "":
            continue
        if name in _CHOICES:
            value = _choice_key(value, _CHOICES[name])
        elif name in _MULTI_CHOICES:
            value = [_choice_key(part, _MULTI_CHOICES[name]) for part in value.split(",")]
        elif name == "topics":
            value = [
                part.strip() if part.strip() in v.TOPIC_NAMES else match_topic(part) or part
                for part in value.split(",")
            ]
        form[name] = value
    return form


def _manifest_path(root: Path, given: str) -> tuple[Path | None, str]:
    """The file a manifest's ``path`` names, or ``(None, why not)``: it must be inside
    ``root`` (no ``..``, no absolute paths, no shortcuts leading out)."""
    relative = given.replace("\\", "/").strip()
    if "\x00" in relative:
        return None, "Its path contains a NUL byte."
    if relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        return None, "Its path must be relative to the folder being imported, not absolute."
    if ".." in PurePosixPath(relative).parts:
        return None, "Its path leads outside the folder being imported (“..”)."
    candidate = root.joinpath(*PurePosixPath(relative).parts)
    try:
        if not candidate.exists() and not candidate.is_symlink():
            return None, "There is no such file in the folder being imported."
    except OSError as error:  # a name too long, say
        return None, f"It could not be read ({error.strerror or error})."
    return _regular_file(candidate, root)


def _manifest_entries(
    root: Path, records: list[dict[str, str]], defaults: Mapping, default_topic: str | None
) -> Iterable[_Entry]:
    for number, record in enumerate(records, start=2):  # line 1 is the header
        given = record.get("path", "")
        form = _manifest_form(record, defaults)
        if not given:
            label = f"manifest line {number}"
            if not form.get("external_url"):
                yield _Entry(label, form, problem="Give a file (path) or a link (external_url).")
                continue
            form.setdefault("summary", "Imported from the shared library.")
            if not form.get("topics") and default_topic:
                form["topics"] = [default_topic]
            yield _Entry(label, form)
            continue
        label = _shown(given)
        path, problem = _manifest_path(root, given)
        parts = PurePosixPath(given.replace("\\", "/")).parts
        folders, filename = parts[:-1], parts[-1] if parts else ""
        form.setdefault("title", title_from_filename(filename))
        form.setdefault("summary", _default_summary(tuple(folders)))
        if not form.get("topics"):
            topics = topics_of(folders) or ([default_topic] if default_topic else [])
            if topics:
                form["topics"] = topics
        yield _Entry(label, form, path, _shown(filename), problem=problem)


# -- Importing ---------------------------------------------------------------------------------


def importing_user(username: str | None = None) -> User:
    """Who the items are added as: ``username``, or the first active admin. Raises
    :class:`ImportStopped` when there is no such person or they may not add items."""
    if username:
        user = db.session.scalar(select(User).where(User.username_lower == username.lower()))
        if user is None:
            raise ImportStopped(f"There is no user called {username!r}.")
    else:
        user = db.session.scalar(
            select(User).where(User.role == "admin", User.status == "active").order_by(User.id)
        )
        if user is None:
            raise ImportStopped("There is no active admin to import as; name someone with --as.")
    if not access.can_contribute(user):
        raise ImportStopped(f"{user.username} may not add items to the library.")
    return user


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _already_held(sha256: str) -> Resource | None:
    """The item holding the stored file with this content, if there is one."""
    stored = storage.find(sha256)
    if stored is None:
        return None
    return db.session.scalar(
        select(Resource).where(Resource.file_id == stored.id).order_by(Resource.id).limit(1)
    )


def _link_held(url: str) -> Resource | None:
    return db.session.scalar(
        select(Resource).where(Resource.external_url == url).order_by(Resource.id).limit(1)
    )


def _item(resource: Resource) -> str:
    return f"“{resource.title}” (/resources/{resource.slug})"


def _messages(error: BaseException) -> list[str]:
    if isinstance(error, ForumError):
        return list(error.messages)
    if isinstance(error, RefusedFile):
        return [error.message]
    return [str(error)]


def import_tree(
    root: str | os.PathLike[str],
    *,
    user: User | None = None,
    manifest: str | os.PathLike[str] | None = None,
    defaults: Mapping | None = None,
    default_topic: str | None = None,
    dry_run: bool = False,
    announce: Callable[[int], None] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> ImportReport:
    """Import the files under ``root`` (or the rows of ``manifest``) as ``user`` (the first
    active admin by default); ``defaults`` override :data:`DEFAULTS` for fields the files
    and rows do not give; ``default_topic`` is the topic of files whose folders match none.

    ``announce(total)`` is called once the files are counted, ``progress(outcome)`` after
    each. Raises :class:`ImportStopped` (with nothing imported) when the import cannot
    start; otherwise every file has an outcome in the report.
    """
    folder = Path(root)
    if not folder.is_dir():
        raise ImportStopped(f"There is no folder {_shown(str(root))}.")
    folder = folder.resolve()
    if default_topic is not None and default_topic not in v.TOPIC_NAMES:
        raise ImportStopped(f"{default_topic!r} is not a library topic.")
    values = {**DEFAULTS, **{k: val for k, val in (defaults or {}).items() if val}}
    if user is None or isinstance(user, str):
        user = importing_user(user)
    elif not access.can_contribute(user):
        raise ImportStopped(f"{user.username} may not add items to the library.")
    if manifest is not None:
        _, records = read_manifest(Path(manifest))
        entries = list(_manifest_entries(folder, records, values, default_topic))
    else:
        entries = list(_walk(folder, values, default_topic))
    db.session.rollback()  # nothing held open while the files are read
    if announce is not None:
        announce(len(entries))
    report = ImportReport(dry_run=dry_run)
    seen: dict[str, str] = {}  # sha256 -> label, for duplicates within a dry run
    limit = current_app.config["RESOURCES_MAX_UPLOAD_BYTES"]
    for entry in entries:
        try:
            outcome = _import_one(entry, user, dry_run=dry_run, seen=seen, limit=limit)
        except (KeyboardInterrupt, SystemExit):
            db.session.rollback()
            raise
        except OSError as error:  # the file went away, or may not be read
            db.session.rollback()
            outcome = Outcome(
                entry.label, "refused", [f"It could not be read ({error.strerror or error})."]
            )
        except Exception as error:  # one file's trouble never stops the others
            log.exception("importing %s failed", entry.label)
            db.session.rollback()
            outcome = Outcome(
                entry.label, "refused", [f"It could not be imported ({type(error).__name__})."]
            )
        report.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    db.session.rollback()  # end the last look-up's transaction: no lock is kept
    return report


def _import_one(entry: _Entry, user, *, dry_run: bool, seen: dict, limit: int) -> Outcome:
    if entry.skip:
        return Outcome(entry.label, "skipped", [entry.skip])
    if entry.problem:
        return Outcome(entry.label, "refused", [entry.problem])
    if entry.path is None:
        return _import_link(entry, user, dry_run=dry_run)
    size = entry.path.stat().st_size
    if size > limit:
        return Outcome(
            entry.label,
            "refused",
            [f"That file is too large: files can be at most {megabytes(limit)}."],
        )
    sha256 = file_sha256(entry.path)
    holder = _already_held(sha256)
    if holder is not None:
        reason = f"Already imported: it is in the library as {_item(holder)}."
        return Outcome(entry.label, "skipped", [reason], holder.id, holder.file_id)
    if sha256 in seen:
        return Outcome(entry.label, "skipped", [f"It is the same file as {seen[sha256]}."])
    if dry_run:
        try:
            sniff(entry.path, entry.filename)
            clean(entry.form, has_file=True)
        except (RefusedFile, ForumError) as error:
            return Outcome(entry.label, "refused", _messages(error))
        finally:
            db.session.rollback()
        seen[sha256] = entry.label
        return Outcome(entry.label, "imported")
    try:
        with entry.path.open("rb") as stream:
            upload = services.Upload(stream, entry.filename)
            resource = services.create(user, entry.form, upload, commit=True)
    except ForumError as error:
        return Outcome(entry.label, "refused", _messages(error))
    seen[sha256] = entry.label
    return Outcome(entry.label, "imported", [], resource.id, resource.file_id)


def _import_link(entry: _Entry, user, *, dry_run: bool) -> Outcome:
    url = str(entry.form.get("external_url", "")).strip()
    holder = _link_held(url)
    if holder is not None:
        reason = f"Already imported: this link is in the library as {_item(holder)}."
        return Outcome(entry.label, "skipped", [reason], holder.id)
    try:
        if dry_run:
            try:
                clean(entry.form)
            finally:
                db.session.rollback()
            return Outcome(entry.label, "imported")
        resource = services.create(user, entry.form, commit=True)
    except ForumError as error:
        return Outcome(entry.label, "refused", _messages(error))
    return Outcome(entry.label, "imported", [], resource.id)


# -- Reading the text --------------------------------------------------------------------------


def read_texts(
    file_ids: Iterable[int],
    *,
    retry_failed: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Counter:
    """Read the text of each stored file (:func:`plugins.resources.extraction.run`); with
    ``retry_failed``, files whose reading failed before are tried again. Returns the count
    of each outcome: ``done``, ``failed``, ``none`` (a kind whose text is not read) and
    ``skipped`` (not waiting to be read). ``progress(outcome)`` is called after each.

    Files are read one at a time, by one reading process kept for the whole run
    (:class:`~plugins.resources.extract.Extractor`: Python and the parsers start once, not
    once per file); reading several at once gains nothing on a small server and, on
    SQLite, contends for the database's write lock.
    """
    counts: Counter = Counter()
    timeout = current_app.config["RESOURCES_EXTRACT_TIMEOUT_SECONDS"]
    with Extractor(timeout=timeout) as extractor:
        for file_id in file_ids:
            if retry_failed:
                extraction.retry(file_id)
            outcome = _read_one(file_id, extractor)
            counts[outcome] += 1
            if progress is not None:
                progress(outcome)
    return counts


def _read_one(file_id: int, extractor: Extractor) -> str:
    try:
        return extraction.run(file_id, extractor)
    except (KeyboardInterrupt, SystemExit):
        db.session.rollback()
        raise
    except Exception:
        log.exception("reading the text of stored file %s failed", file_id)
        db.session.rollback()
        return "failed"
