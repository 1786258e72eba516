"""The floor: the least a Flask + Jinja page can cost on this machine.

One route rendering a small template, served by gunicorn exactly as the forum is. The
forum's pages are reported as a fraction of this app's requests per second.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))

ITEMS = [f"Item number {n}" for n in range(1, 21)]


@app.get("/")
def index():
    return render_template("floor.html", title="Floor", items=ITEMS)
