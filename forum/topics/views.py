"""HTML pages for topics and posts (skeleton: filled in by the topic-pages work)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("topics", __name__)


@bp.get("/")
def latest():
    return render_template("base.html")
