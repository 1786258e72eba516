"""Typed post attachments: plugins register attachment types (an SLA, a resource, a mentor
card) and people attach objects of those types to posts. The core stores only
``(post, type key, object id)``; the plugin that owns the type loads, checks, draws and
serialises the objects."""
