"""The read pixel for pages seen without scripts: a ``<noscript><img>`` whose URL records
the page's last post as read.

A GET that writes must not be forgeable from another site, so its URL carries a token signed
with the app's ``SECRET_KEY`` (itsdangerous) and bound to the person, the topic and the post
number: another site cannot make one, and one person's token is worthless to anybody else.
Tokens expire after :data:`MAX_AGE_SECONDS`; replaying one only repeats a read already made.
"""

from __future__ import annotations

import base64

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "forum.reading.pixel"
MAX_AGE_SECONDS = 7 * 24 * 3600
#: A transparent 1x1 GIF.
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, topic_id: int, post_number: int) -> str:
    return _serializer().dumps([user_id, topic_id, post_number])


def token_matches(token, user_id: int, topic_id: int, post_number: int) -> bool:
    """Whether ``token`` was made by :func:`make_token` for exactly these three values, and
    is not older than :data:`MAX_AGE_SECONDS`."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadData:
        return False
    return payload == [user_id, topic_id, post_number]
