"""Sign-in, sign-out, registration and profiles (skeleton)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return render_template("base.html")


@bp.post("/logout")
def logout():
    return render_template("base.html")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    return render_template("base.html")


@bp.get("/u/<username>")
def profile(username):
    return render_template("base.html")
