"""Views that accept file uploads: a larger body limit, checked while the body streams in.

Every request body is limited to ``MAX_CONTENT_LENGTH`` (2 MB) and read whole by
:mod:`forum.request_checks` to check that its text is UTF-8. A view that takes files says so
with :func:`accepts_files`, naming the setting that holds its limit in bytes:

.. code-block:: python

    @bp.post("/upload")
    @accepts_files("RESOURCES_MAX_UPLOAD_BYTES")
    def upload(): ...

For such a view the body may be that size plus :data:`FORM_ALLOWANCE` for the other
fields, and it is never read into memory whole: Werkzeug streams file parts into temporary
files as they arrive, and refuses the request with 413 as soon as it passes the limit (before
reading anything when ``Content-Length`` already says so). Its text fields are then checked
by :func:`check_text_fields` instead of the whole-body check. A plugin uses this as a public
service.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request

from forum.errors import InvalidParameters

#: What the fields beside the files may add to the body.
FORM_ALLOWANCE = 1024 * 1024
_MARK = "forum_upload_limit_setting"


def accepts_files(setting: str) -> Callable:
    """Mark a view as taking uploads of at most ``current_app.config[setting]`` bytes."""

    def mark(view):
        setattr(view, _MARK, setting)
        return view

    return mark


def upload_limit(view) -> int | None:
    """The largest body ``view`` accepts, or ``None`` for an ordinary view."""
    setting = getattr(view, _MARK, None)
    if setting is None:
        return None
    return int(current_app.config[setting]) + FORM_ALLOWANCE


def prepare_request() -> bool:
    """Raise this request's body limit if its view takes files; ``True`` if it does (the
    caller then skips the whole-body check and calls :func:`check_text_fields`)."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = upload_limit(view) if view is not None else None
    if limit is None:
        return False
    request.max_content_length = limit
    return True


def check_text_fields() -> None:
    """Refuse text fields that were not UTF-8. Werkzeug decodes multipart fields with
    replacement characters, so a U+FFFD is what an undecodable byte became; a person never
    types one."""
    for name, value in request.form.items(multi=True):
        if "\ufffd" in name:
            raise InvalidParameters("body", "a field name is not valid UTF-8")
        if "\ufffd" in value:
            raise InvalidParameters(name[:50], "not valid UTF-8")


def too_large_message() -> str:
    """What a person is told when a body passes the limit."""
    limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH")
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, _MARK, None):
        size = int(current_app.config[getattr(view, _MARK)])
        return f"That file is too large: files can be at most {megabytes(size)}."
    if limit:
        return f"That request is too large: at most {megabytes(limit)} can be sent at once."
    return "That request is too large."


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"
