"""Checks on the raw request, before anyone is authenticated or any view runs.

Text must be valid UTF-8. Werkzeug is lenient on purpose: an urlencoded body with a stray
``%FF`` keeps the three characters ``%FF`` literally, raw non-UTF-8 bytes make the whole form
silently empty, and multipart fields are decoded with replacement characters. Any of these
would store something other than what was sent, or report a confusing "missing" error. So a
body (urlencoded after percent-decoding, multipart text fields, JSON), query string or path
that is not valid UTF-8 is refused here with 400 ``invalid_parameters``, naming the field when
it can, as JSON in Discourse's shape or as an HTML error page (:func:`forum.errors.wants_json`).
NUL bytes in the query string or path are refused too (PostgreSQL cannot store or compare
them); NUL bytes in body fields are refused by :func:`forum.validation.clean_text`, which
names the field. Views that take files (:mod:`forum.uploads`) get a larger limit, and their
bodies are streamed rather than read whole.

One more check belongs before authentication: a write to the JSON API that carries no
credentials at all (no ``Api-Key``, no session) is answered 403 ``not_logged_in``, as Discourse
does. Without it the CSRF check would answer ``invalid_access`` first, for a request that has
nothing a forger could borrow.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, g, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from forum import uploads
from forum.accounts.models import AnonymousUser
from forum.database import SAFE_METHODS
from forum.errors import ForumError, InvalidParameters, NotLoggedIn

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _percent_decoded(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" "))


def check_urlencoded(data: bytes, *, source: str = "body", refuse_nul: bool = False) -> None:
    """Every name and value of ``a=1&b=2`` must be UTF-8 once percent-decoded."""
    for pair in data.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = _percent_decoded(raw_name)
        if not _decodes(name) or (refuse_nul and b"\x00" in name):
            raise InvalidParameters(source, "a parameter name is not valid UTF-8 text")
        label = name.decode("utf-8")[:50] or source
        value = _percent_decoded(raw_value)
        if not _decodes(value):
            raise InvalidParameters(label, "not valid UTF-8")
        if refuse_nul and b"\x00" in value:
            raise InvalidParameters(label, "contains a NUL byte")


def check_multipart(data: bytes, boundary: str) -> None:
    """Every text field (not file) of a multipart body must be UTF-8."""
    decoder = MultipartDecoder(boundary.encode("latin-1"))
    decoder.receive_data(data)
    decoder.receive_data(None)
    name, chunks = None, []
    while True:
        try:
            event = decoder.next_event()
        except ValueError:
            raise InvalidParameters("body", "malformed multipart body") from None
        if isinstance(event, NeedData | Epilogue):
            return
        if isinstance(event, Field):
            name, chunks = event.name, []
        elif isinstance(event, File):
            name = None
        elif isinstance(event, Data) and name is not None:
            chunks.append(event.data)
            if not event.more_data and not _decodes(b"".join(chunks)):
                raise InvalidParameters(name or "body", "not valid UTF-8")


def check_url() -> None:
    path = request.environ.get("PATH_INFO", "")
    # WSGI hands the path over as latin-1 text; its bytes are what the client sent.
    raw_path = path.encode("latin-1", "replace")
    if not _decodes(raw_path) or "\x00" in request.path:
        raise InvalidParameters("path", "not valid UTF-8 text")
    if request.query_string:
        check_urlencoded(request.query_string, source="query", refuse_nul=True)


def check_body() -> None:
    if request.method in SAFE_METHODS:
        return
    mimetype = request.mimetype
    if mimetype == FORM:
        check_urlencoded(request.get_data(cache=True))
    elif mimetype == MULTIPART:
        boundary = request.mimetype_params.get("boundary")
        if boundary:
            check_multipart(request.get_data(cache=True), boundary)
    elif mimetype == "application/json" or mimetype.endswith("+json"):
        if not _decodes(request.get_data(cache=True)):
            raise InvalidParameters("body", "not valid UTF-8")


def check_api_write_credentials() -> None:
    if request.method in SAFE_METHODS or request.blueprint != "api":
        return
    if "Api-Key" not in request.headers and not session.get("sid"):
        raise NotLoggedIn()


def check_request() -> None:
    if request.endpoint == "static":
        return
    try:
        check_url()
        if uploads.prepare_request():  # streamed in, never read whole: see forum.uploads
            uploads.check_text_fields()
        else:
            check_body()
        check_api_write_credentials()
    except (ForumError, HTTPException):
        # Refused before authentication ran: an HTML error page is drawn for a visitor.
        g.setdefault("_login_user", AnonymousUser())
        raise


def init_app(app: Flask) -> None:
    """Register the checks; call before :func:`forum.accounts.auth.init_app` so they run
    before authentication."""
    app.before_request(check_request)
