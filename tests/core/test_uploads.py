"""Views that take files (``forum.uploads.accepts_files``): a larger limit than ordinary
requests, refused with a clear 413 as soon as the body passes it, never read whole, and text
fields still checked for UTF-8."""

from __future__ import annotations

import hashlib
import io

import pytest
from flask import Blueprint, jsonify, request
from werkzeug.test import EnvironBuilder, run_wsgi_app

from forum.extensions import db
from forum.uploads import FORM_ALLOWANCE, accepts_files
from tests.core.test_hooks import Probe

bp = Blueprint("probe", __name__)


@bp.post("/upload")
@accepts_files("PROBE_MAX_UPLOAD_BYTES")
def upload():
    file = request.files["file"]
    data = file.stream.read()
    return jsonify(size=len(data), sha=hashlib.sha256(data).hexdigest(), note=request.form["note"])


@bp.post("/ordinary")
def ordinary():
    return jsonify(size=len(request.files["file"].read()))


@pytest.fixture
def client(plugin_app):
    app = plugin_app(
        Probe(
            register_blueprints=lambda: [bp],
            config_defaults=lambda: {"PROBE_MAX_UPLOAD_BYTES": 4 * 1024 * 1024},
        )
    )
    return app.test_client()


def send(client, path, data: bytes, note="Notes from the meeting"):
    """A multipart body built here (the test client would spool a large one to a temporary
    file that it leaves open when the server refuses it unread)."""
    body = (
        f"--b\r\nContent-Disposition: form-data; name=note\r\n\r\n{note}\r\n".encode()
        + b"--b\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n"
        + data
        + b"\r\n--b--\r\n"
    )
    return client.post(
        path,
        data=body,
        headers={"Content-Type": "multipart/form-data; boundary=b", "Accept": "application/json"},
    )


def test_a_view_that_takes_files_accepts_more_than_the_ordinary_limit(client):
    data = b"%PDF-" + b"x" * (3 * 1024 * 1024)
    response = send(client, "/probe/upload", data)
    assert response.status_code == 200
    assert response.get_json() == {
        "size": len(data),
        "sha": hashlib.sha256(data).hexdigest(),
        "note": "Notes from the meeting",
    }
    assert send(client, "/probe/ordinary", data).status_code == 413


def test_a_body_over_the_limit_is_refused_with_the_files_limit(client):
    response = send(client, "/probe/upload", b"x" * (4 * 1024 * 1024 + FORM_ALLOWANCE))
    assert response.status_code == 413
    body = response.get_json()
    assert body["errors"] == ["That file is too large: files can be at most 4 MB."]
    assert body["error_type"] == "too_large"


def test_a_body_without_a_length_is_cut_off_while_streaming(client):
    """A chunked body (no Content-Length) is counted as it arrives and stopped at the limit."""
    read = {"bytes": 0}

    def endless():
        yield b"--b\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n"
        while read["bytes"] < 50 * 1024 * 1024:  # would be 50 MB; must stop near 5 MB
            read["bytes"] += 64 * 1024
            yield b"x" * 64 * 1024

    environ = EnvironBuilder(
        path="/probe/upload",
        method="POST",
        headers={"Content-Type": "multipart/form-data; boundary=b", "Accept": "application/json"},
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)  # as a chunked request arrives from the server
    environ["wsgi.input"] = io.BufferedReader(_Stream(endless()))
    environ["wsgi.input_terminated"] = True
    db.session.commit()
    app_iter, status, _headers = run_wsgi_app(client.application, environ)
    b"".join(app_iter)
    assert status.startswith("413")
    assert read["bytes"] < 6 * 1024 * 1024


class _Stream(io.RawIOBase):
    def __init__(self, chunks):
        self.chunks, self.pending = chunks, b""

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        return size


def test_text_fields_beside_the_file_must_be_utf8(client):
    body = (
        b"--b\r\nContent-Disposition: form-data; name=note\r\n\r\ncaf\xe9\r\n"
        b"--b\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n%PDF-1\r\n"
        b"--b--\r\n"
    )
    response = client.post(
        "/probe/upload",
        data=body,
        headers={"Content-Type": "multipart/form-data; boundary=b", "Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        "You supplied invalid parameters to the request: note (not valid UTF-8)"
    ]
