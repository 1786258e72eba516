"""Headers every response carries: a Content-Security-Policy without inline scripts,
``nosniff``, a referrer policy and framing rules."""

from __future__ import annotations

from flask import Flask

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        if not app.config["SECURITY_HEADERS"]:
            return response
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
