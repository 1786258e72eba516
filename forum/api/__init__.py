"""The JSON API in Discourse's dialect (skeleton)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
