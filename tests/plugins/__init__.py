"""Plugins the test suite loads: ``meetings``, the complete example of ``docs/plugins.md``."""
