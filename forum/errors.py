"""Errors that carry their own HTTP status and Discourse-shaped JSON body.

Services raise these; :func:`init_app` turns them into an HTML error page or a JSON body
``{"errors": [...], "error_type": ...}`` (Discourse's ``lib/json_error.rb``), whichever the
request wants. Anything unexpected becomes a JSON/HTML 500 without a stack trace.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "The requested URL or resource could not be found."
INVALID_ACCESS_MESSAGE = "You are not permitted to view the requested resource."
NOT_LOGGED_IN_MESSAGE = "You need to be logged in to do that."


class ForumError(Exception):
    status = 400
    error_type: str | None = None
    title = "Something is wrong with that request"

    def __init__(self, *messages: str, extras: dict | None = None, action: str | None = None):
        super().__init__(*messages)
        self.messages = list(messages) or [self.default_message()]
        self.extras = extras
        self.action = action

    def default_message(self) -> str:
        return self.title

    def to_json(self) -> dict:
        body: dict = {}
        if self.action:
            body["action"] = self.action
        body["errors"] = self.messages
        if self.error_type:
            body["error_type"] = self.error_type
        if self.extras is not None:
            body["extras"] = self.extras
        return body


class ValidationFailed(ForumError):
    """The input was understood but breaks a rule (422, no ``error_type``)."""

    status = 422
    title = "Please correct the following"


class MissingParameter(ForumError):
    status = 400

    def __init__(self, name: str):
        super().__init__(f"param is missing or the value is empty: {name}")
        self.name = name


class InvalidParameters(ForumError):
    status = 400
    error_type = "invalid_parameters"

    def __init__(self, name: str, detail: str | None = None):
        message = f"You supplied invalid parameters to the request: {name}"
        super().__init__(message + (f" ({detail})" if detail else ""))


class NotFound(ForumError):
    status = 404
    error_type = "not_found"
    title = "Page not found"

    def default_message(self) -> str:
        return NOT_FOUND_MESSAGE


class InvalidAccess(ForumError):
    status = 403
    error_type = "invalid_access"
    title = "Not allowed"

    def default_message(self) -> str:
        return INVALID_ACCESS_MESSAGE


class NotLoggedIn(ForumError):
    status = 403
    error_type = "not_logged_in"
    title = "Please sign in"

    def default_message(self) -> str:
        return NOT_LOGGED_IN_MESSAGE


class RateLimited(ForumError):
    status = 429
    error_type = "rate_limit"
    title = "Slow down"

    def __init__(self, wait_seconds: int):
        wait_seconds = max(int(wait_seconds), 1)
        super().__init__(
            "You've performed this action too many times. "
            f"Please wait {wait_seconds} seconds before trying again.",
            extras={"wait_seconds": wait_seconds, "time_left": f"{wait_seconds} seconds"},
        )
        self.wait_seconds = wait_seconds


def wants_json() -> bool:
    """Whether this request should be answered in JSON (Discourse's rules)."""
    if g.get("api_request") or request.blueprint == "api" or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(error: ForumError):
    if wants_json():
        response = jsonify(error.to_json())
    else:
        response = render_template("errors/error.html", error=error)
    if not isinstance(response, tuple):
        response = (response, error.status)
    if isinstance(error, RateLimited):
        return (*response, {"Retry-After": str(error.wait_seconds)})
    return response


def _retry_after(exc: HTTPException) -> int:
    """Seconds until a 429 may be retried. Flask-Limiter's exception does not carry the wait,
    but the limit it breached is this request's ``current_limit``."""
    wait = getattr(exc, "retry_after", None)
    if wait:
        return wait
    from forum.extensions import limiter

    current = limiter.current_limit if getattr(exc, "limit", None) is not None else None
    if current is not None:
        return current.reset_at - int(time.time())
    return 60


def _from_http_exception(exc: HTTPException) -> ForumError:
    if exc.code == 404:
        return NotFound()
    if exc.code == 403:
        return InvalidAccess()
    if exc.code == 429:
        error = RateLimited(_retry_after(exc))
        limit = getattr(exc, "limit", None)  # Flask-Limiter's RateLimitExceeded
        if limit is not None and limit.error_message:
            error.messages.insert(0, exc.description)
        return error
    if exc.code == 413:
        from forum.uploads import too_large_message

        error = ForumError(too_large_message())
        error.status, error.title, error.error_type = 413, "Too large", "too_large"
        return error
    error = ForumError(exc.description or exc.name)
    error.status = exc.code or 500
    error.title = exc.name
    if exc.code == 400:
        error.error_type = "invalid_parameters"
    return error


def init_app(app: Flask) -> None:
    app.register_error_handler(ForumError, error_response)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code and exc.code < 400:
            return exc
        response = error_response(_from_http_exception(exc))
        if exc.code == 405 and exc.valid_methods:
            return (*response, {"Allow": ", ".join(exc.valid_methods)})
        return response

    @app.errorhandler(RecursionError)
    def _too_deep(exc):
        # json.loads on deeply nested input raises RecursionError, not ValueError.
        return error_response(InvalidParameters("body", "nested too deeply"))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        error = ForumError("Something went wrong on our side. It has been logged.")
        error.status = 500
        error.title = "Server error"
        return error_response(error)


def csrf_failed(exc):
    return error_response(
        InvalidAccess(
            "Your form expired or came from another site (CSRF check failed). "
            "Go back, reload the page and try again; nothing was saved."
        )
    )
