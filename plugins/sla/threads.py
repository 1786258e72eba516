"""SLA records on threads: sharing one as a new topic, the topic's side panel, badges in
topic lists."""

from __future__ import annotations
