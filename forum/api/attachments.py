"""Attaching objects to an existing post, and taking them off, through the API (what the
post's "Attach" page does): ``POST /posts/{id}/attachments.json`` with ``type`` and ``ref``,
``DELETE /posts/{id}/attachments/{attachment_id}.json``. Both answer ``{"post": ...}`` with
the post's attachments under each plugin's name."""

from __future__ import annotations

from flask import jsonify

from forum.api import bp
from forum.api.params import request_params, text_param
from forum.api.posts import post_json, require_login
from forum.api.topics import viewer
from forum.attachments import services
from forum.errors import InvalidParameters, MissingParameter
from forum.topics import queries


@bp.post("/posts/<id:post_id>/attachments.json")
def attach(post_id: int):
    user = viewer()
    require_login(user)
    params = request_params()
    kind, ref = text_param(params, "type"), text_param(params, "ref")
    for name, value in (("type", kind), ("ref", ref)):
        if value is None or value == "":
            raise MissingParameter(name)
        if not isinstance(value, str):
            raise InvalidParameters(name, "a string")
    post = queries.get_post(user, post_id)
    services.attach(user, post, kind, ref)
    return jsonify({"post": post_json(post, user)})


@bp.delete("/posts/<id:post_id>/attachments/<id:attachment_id>.json")
def detach(post_id: int, attachment_id: int):
    user = viewer()
    require_login(user)
    post = queries.get_post(user, post_id)
    services.detach(user, post, attachment_id)
    return jsonify({"post": post_json(post, user)})
