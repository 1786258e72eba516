"""HTML pages for categories (skeleton)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("categories", __name__)


@bp.get("/categories")
def index():
    return render_template("base.html")
