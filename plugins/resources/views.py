"""The library's pages (HTML)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resources", __name__)
