"""Checks that every piece of user text passes before it is stored."""

from __future__ import annotations

import re

from forum.errors import InvalidParameters, MissingParameter, ValidationFailed

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")
#: Invisible control characters (C0 but tab and newline, and DEL), dropped from stored text.
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f]")


def clean_text(value, name: str, *, required: bool = True, multiline: bool = True) -> str:
    """``value`` as a well-formed string: a string (or number) with no NUL bytes and no lone
    surrogates; line endings made ``\\n`` and invisible control characters dropped. Raises
    :class:`MissingParameter` when required and empty or whitespace-only. Emoji and
    right-to-left text pass unchanged."""
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidParameters(name, "expected text")
    value = str(value)
    if "\x00" in value:
        raise InvalidParameters(name, "contains a NUL byte")
    if _LONE_SURROGATE.search(value):
        raise InvalidParameters(name, "is not valid Unicode")
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        value = _WHITESPACE_RUN.sub(" ", value)
    if required and not value.strip():
        raise MissingParameter(name)
    return value


def check_length(value: str, label: str, minimum: int | None, maximum: int | None) -> None:
    length = len(value)
    if minimum is not None and length < minimum:
        raise ValidationFailed(f"{label} is too short (minimum is {minimum} characters)")
    if maximum is not None and length > maximum:
        raise ValidationFailed(f"{label} is too long (maximum is {maximum} characters)")


def parse_int(value, name: str, *, required: bool = False, minimum: int | None = None):
    """``value`` as an int (numeric strings accepted), ``None`` when empty and optional."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise MissingParameter(name)
        return None
    if isinstance(value, bool):
        raise InvalidParameters(name)
    try:
        number = int(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidParameters(name) from None
    if isinstance(value, float) and value != number:
        raise InvalidParameters(name)
    if minimum is not None and number < minimum:
        raise InvalidParameters(name)
    if abs(number) > 2**62:
        raise InvalidParameters(name)
    return number
