"""Request parameters the way Discourse (Rails) reads them.

Clients send form bodies (urlencoded or multipart) and JSON bodies interchangeably, so
:func:`request_params` turns all of them into one nested dict:

* ``post[raw]=x`` becomes ``{"post": {"raw": "x"}}`` (Rails-style nesting);
* ``tags[]=a&tags[]=b`` becomes ``{"tags": ["a", "b"]}``;
* a repeated plain key keeps its last value, as Rails does;
* query-string parameters are merged in, the body winning.

Values are not converted wholesale: a body of ``"123"`` must stay text. Instead the helpers
:func:`int_param`, :func:`int_list` and :func:`bool_param` coerce the fields that are numbers
or flags (``"42"`` and ``42`` alike), raising Discourse's 400 ``invalid_parameters`` error when
they are not. Bodies that are not valid UTF-8 never get here: :mod:`forum.request_checks`
refuses them first.
"""

from __future__ import annotations

import json
import re

from flask import request
from werkzeug.datastructures import MultiDict

from forum.errors import InvalidParameters
from forum.validation import parse_int

#: ``name[a][b][]``: a base name, then any number of bracketed parts.
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")
#: Deeper form nesting than this is refused (Rails allows 100; nobody needs more than 3).
MAX_FORM_DEPTH = 8
#: How many values a list parameter (``post_ids[]``) may carry.
MAX_LIST_LENGTH = 200
_TRUE = frozenset({"true", "1", "on", "yes", "t"})
_FALSE = frozenset({"false", "0", "off", "no", "f", ""})
_CACHE_KEY = "forum.api_params"


def nest(pairs: MultiDict) -> dict:
    """Rails-style nesting of flat form/query keys (see the module docstring)."""
    result: dict = {}
    for key, values in pairs.lists():
        match = _KEY.match(key)
        if not match:
            result[key] = values[-1]  # odd keys ("a[b", "[x]") are taken literally
            continue
        path = [match.group(1), *_PART.findall(match.group(2))]
        is_list = len(path) > 1 and path[-1] == ""
        if is_list:
            path.pop()
        if "" in path or len(path) > MAX_FORM_DEPTH:
            raise InvalidParameters(key)
        container = result
        for part in path[:-1]:
            container = container.setdefault(part, {})
            if not isinstance(container, dict):
                raise InvalidParameters(key)
        leaf = path[-1]
        if isinstance(container.get(leaf), dict):
            raise InvalidParameters(key)  # "post=x" and "post[raw]=y" together
        container[leaf] = list(values) if is_list else values[-1]
    return result


def _json_body() -> dict:
    data = request.get_data(cache=True)
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except RecursionError:
        # json.loads recurses once per "[" or "{": 100,000 of them exhaust the stack.
        raise InvalidParameters("body", "JSON nested too deeply") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        raise InvalidParameters("body", "malformed JSON") from None
    if not isinstance(body, dict):
        raise InvalidParameters("body", "expected a JSON object")
    return body


def body_params() -> dict:
    """The request body as a nested dict (empty when there is none or its type is unknown)."""
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return _json_body()
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return nest(request.form)
    return {}


def request_params() -> dict:
    """Query string and body merged (body wins), parsed once per request.

    Cached in the WSGI environ rather than on ``g``: ``g`` belongs to the app context, which
    tests keep open across several requests.
    """
    cached = request.environ.get(_CACHE_KEY)
    if cached is None:
        cached = nest(request.args)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            cached.update(body_params())
        request.environ[_CACHE_KEY] = cached
    return cached


def query_params() -> dict:
    """Only the query string, nested (GET endpoints ignore any body)."""
    return nest(request.args)


def int_param(params: dict, name: str, *, required: bool = False, minimum: int | None = None):
    """``params[name]`` as an int: ``42`` and ``"42"`` alike; ``None`` when absent."""
    return parse_int(params.get(name), name, required=required, minimum=minimum)


def int_list(params: dict, name: str, *, minimum: int | None = None) -> list[int]:
    """A list of ints from ``name[]=1&name[]=2``, a JSON list, or a single value."""
    value = params.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_LIST_LENGTH:
        raise InvalidParameters(name, f"at most {MAX_LIST_LENGTH} values")
    numbers = [parse_int(v, name, minimum=minimum) for v in values]
    return [n for n in numbers if n is not None]


def text_list(params: dict, name: str) -> list[str]:
    """A list of strings from ``name[]=a&name[]=b``, a JSON list, or a single value."""
    value = params.get(name)
    if value is None or value == "":
        return []
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_LIST_LENGTH:
        raise InvalidParameters(name, f"at most {MAX_LIST_LENGTH} values")
    if not all(isinstance(v, str) for v in values):
        raise InvalidParameters(name, "a list of strings")
    return values


def bool_param(params: dict, name: str, default: bool = False) -> bool:
    """``true``/``false`` given as JSON booleans or the usual strings."""
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise InvalidParameters(name)


def text_param(params: dict, name: str):
    """``params[name]`` if it is text or a number (left for :func:`clean_text`), else 400."""
    value = params.get(name)
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return value
    raise InvalidParameters(name, "expected text")
