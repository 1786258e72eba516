"""The SLA tracker's pages (HTML)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sla", __name__)
