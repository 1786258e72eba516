"""The SLA tracker's JSON endpoints, on the plugin's blueprint."""

from __future__ import annotations

from .views import bp  # noqa: F401
